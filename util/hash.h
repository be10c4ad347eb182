/* hash.h - content hashing for cache keys (64-bit FNV-1a, then mixed).
 *
 * The values of hash_bytes/hash_str/hash_u64 are stored (record keys)
 * and seed the simulator's draws, so they never change: FNV-1a goes one
 * byte at a time by definition, and speed comes from fetching a word at a
 * time and from running several chains together (hash_bytes_lanes), not
 * from another function. */
#ifndef BON_HASH_H
#define BON_HASH_H

#include <stddef.h>
#include <stdint.h>

#define HASH_INIT 0xcbf29ce484222325ULL

/* Fold n bytes into h; chain calls to hash several fields. */
uint64_t hash_bytes(uint64_t h, const void *p, size_t n);
/* Fold n bytes into h eight at a time (the loop of hash_mem, chained):
 * several times faster than hash_bytes on large contents, to notice that
 * a file changed (runner/stages.c keeps it in .inputs).  Not equal to
 * hash_bytes: never use it for a record key. */
uint64_t hash_bulk(uint64_t h, const void *p, size_t n);
/* Fold a NUL-terminated string and its terminator (so "ab","c" != "a","bc"). */
uint64_t hash_str(uint64_t h, const char *s);
uint64_t hash_u64(uint64_t h, uint64_t v);
/* Fold the same n bytes into each of h[0..nh): h[k] becomes
 * hash_bytes(h[k], p, n), several chains at a time (about four times the
 * speed of nh separate calls). */
void hash_bytes_lanes(uint64_t *h, size_t nh, const void *p, size_t n);
/* The same for a NUL-terminated string and its terminator (hash_str). */
void hash_str_lanes(uint64_t *h, size_t nh, const char *s);
/* A fast hash of n bytes (8 at a time, then mixed) for in-memory tables.
 * Not the content hash above: its values are not stable across versions
 * and must never be stored. */
uint64_t hash_mem(const void *p, size_t n);
/* Write h as 16 lower-case hex digits plus NUL into out[17]. */
void hash_hex(uint64_t h, char out[17]);

#endif

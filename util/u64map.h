/* u64map.h - an open-addressing hash map from nonzero 64-bit keys to a
 * small fixed payload.  The indexes of record files use it: memory is one
 * 24-byte slot per key (at most 70% full), whatever the records hold. */
#ifndef BON_U64MAP_H
#define BON_U64MAP_H

#include <stddef.h>
#include <stdint.h>

struct u64map_slot {
  uint64_t key;   /* 0 = empty */
  uint64_t a;     /* payload, the user's */
  uint32_t b, c;
};

struct u64map {
  struct u64map_slot *slots;
  size_t cap, n;
};

#define U64MAP_INIT {NULL, 0, 0}

/* The slot of key (nonzero), added with a zero payload if absent, in which
 * case *fresh (when non-NULL) is set to 1, else 0.  The pointer is valid
 * until the next u64map_put. */
struct u64map_slot *u64map_put(struct u64map *m, uint64_t key, int *fresh);
/* Make room for n keys in all, so that adding them moves nothing (a map
 * that grows by doubling moves every key it holds at each step). */
void u64map_reserve(struct u64map *m, size_t n);
/* The slot of key, or NULL. */
const struct u64map_slot *u64map_get(const struct u64map *m, uint64_t key);
/* Empty m, keeping its room. */
void u64map_clear(struct u64map *m);
void u64map_free(struct u64map *m);

#endif

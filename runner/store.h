/* store.h - an append-only JSON-lines file of records keyed by content.
 *
 * Every record is one line that starts with {"key":"<16 hex digits>",.
 * Later records with a key already present replace earlier ones.
 *
 * Writing.  A record reaches the file whole: by default each store_put is
 * one write(2) at once (write-through); with store_set_buffer records
 * gather in memory and go out in large writes that end at a record
 * boundary (the runner buffers what an in-process backend computes, which
 * a rerun would compute again identically, and writes a served model's
 * results through).  So after a kill -9 at any moment the file holds
 * whole records and perhaps a torn last line, which is cut off when the
 * file is opened again; a buffered record that never reached the file is
 * simply absent, and the next run computes it.  Nothing is ever held
 * twice or half.
 *
 * The index (key -> place in the file) of a huge run.  A run of 2,000
 * problems x 1,024 samples x 9 RMs holds 20 M records; an index of every
 * key is 0.8 GB at 24 bytes a slot.  But a run works through its problems
 * in chunks, and a record is only ever looked up while its problem is in
 * the chunk in flight.  So a store opened with a group field ("problem_id",
 * which every sample and score record has) keeps in memory:
 *   - per group (a distinct value of the field), the extents of the file
 *     that hold its records: at most STORE_EXTENTS ranges, found by one
 *     scan at open and extended by every put; when a group would need
 *     more, its two closest ranges merge (the bytes between are read as
 *     well, and ignored or indexed too: an index lookup is still by key);
 *   - the key index of the groups selected last (store_select): the chunk
 *     in flight, read from those extents, plus what was put since.
 * Memory is O(groups + the chunk's records), whatever the size of the
 * file: about 100 bytes per problem, plus the index of one chunk.  A key
 * is found when it is in the file under one of the selected groups; the
 * same key recorded under another group (two problems with the same
 * question under different ids) is not, and is computed and recorded
 * again under its own group, which is harmless: the two records hold the
 * same content key, and "later replaces earlier" keeps either.
 * A store opened without a group field indexes every key at open, as a
 * small store (the benchmarks' scores) needs no more. */
#ifndef BON_STORE_H
#define BON_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "util/err.h"

#define STORE_EXTENTS 4  /* file ranges remembered per group */

struct store;

/* Open (creating if needed) the file at path and index every key.  NULL +
 * err (a line that is not a record names the file and line). */
struct store *store_open(const char *path, struct bon_err *err);
/* Open the file at path grouped by the string field `group` of its records
 * (e.g. "problem_id"): only the groups of store_select are indexed. */
struct store *store_open_grouped(const char *path, const char *group,
                                 struct bon_err *err);
/* A grouped store: index the records of the groups ids[0..n) (values of
 * the group field, unescaped) and forget the index of those selected
 * before; buffered records are written first.  No-op on a store that is
 * not grouped.  0, or -1 with err on a read or write error. */
int store_select(struct store *s, const char *const *ids, size_t n,
                 struct bon_err *err);
/* The record with this key, parsed (caller deletes), or NULL. */
cJSON *store_get(struct store *s, uint64_t key);
/* Append a record: `body` is the JSON object text after the key, starting
 * with ',' ("...":... pairs and the closing brace), e.g. ",\"x\":1}".
 * Returns 0 or -1 with err. */
int store_put(struct store *s, uint64_t key, const char *body,
              struct bon_err *err);
/* The same with the body's length given. */
int store_put_n(struct store *s, uint64_t key, const char *body, size_t n,
                struct bon_err *err);
/* From now on gather records in memory and write them when `bytes` are
 * waiting (0: every record written at once, the default); switching
 * writes what waits.  0, or -1 with err on a write error. */
int store_set_buffer(struct store *s, size_t bytes, struct bon_err *err);
/* Write what waits in the buffer.  0, or -1 with err. */
int store_flush(struct store *s, struct bon_err *err);
/* Write what waits (errors are lost: call store_flush first to see them),
 * close, free. */
void store_close(struct store *s);

/* The key of a record line (n bytes from p), which must start with
 * {"key":"<16 hex digits>".  0 and *key set (0 is stored as 1), or -1. */
int store_line_key(const char *p, size_t n, uint64_t *key);

/* 1 if the record line (n bytes from p, as written by store_put) holds a
 * failure ("error" at its top level), else 0.  No parse: a record is one
 * flat object, and inside a JSON string every quote is escaped, so the
 * bytes ,"error": occur only as a key. */
int store_line_is_error(const char *p, size_t n);

/* ---- for tests and diagnostics (the pipeline does not call these) ---- */

/* 1 if a record with this key is indexed. */
int store_has(const struct store *s, uint64_t key);
/* Number of distinct keys indexed: of the whole file, or of the groups
 * selected (and what was put since) for a grouped store. */
size_t store_count(const struct store *s);
/* Records (lines) in the file and the buffer. */
size_t store_records(const struct store *s);
/* Bytes cut off a torn last line when the file was opened (0 normally). */
size_t store_repaired(const struct store *s);

#endif

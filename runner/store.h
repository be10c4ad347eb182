/* store.h - an append-only JSON-lines file of records keyed by content.
 *
 * Every record is one line that starts with {"key":"<16 hex digits>", and
 * is appended with a single write(2), so after a kill -9 at any moment a
 * record is either complete or absent: a torn last line is cut off when the
 * file is opened again.  The index (key -> offset) is all that stays in
 * memory, so a run of millions of records stays small.  Later records with
 * a key already present replace earlier ones. */
#ifndef BON_STORE_H
#define BON_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "util/err.h"

struct store;

/* Open (creating if needed) the file at path and index it.  NULL + err. */
struct store *store_open(const char *path, struct bon_err *err);
/* The record with this key, parsed (caller deletes), or NULL. */
cJSON *store_get(struct store *s, uint64_t key);
/* 1 if a record with this key exists. */
int store_has(const struct store *s, uint64_t key);
/* Append a record: `body` is the JSON object text after the key, starting
 * with ',' ("...":... pairs and the closing brace), e.g. ",\"x\":1}".
 * Returns 0 or -1 with err. */
int store_put(struct store *s, uint64_t key, const char *body,
              struct bon_err *err);
/* Number of distinct keys. */
size_t store_count(const struct store *s);
/* Bytes cut off a torn last line when the file was opened (0 normally). */
size_t store_repaired(const struct store *s);
void store_close(struct store *s);

/* The key of a record line (n bytes from p), which must start with
 * {"key":"<16 hex digits>".  0 and *key set (0 is stored as 1), or -1. */
int store_line_key(const char *p, size_t n, uint64_t *key);

/* 1 if the record line (n bytes from p, as written by store_put) holds a
 * failure ("error" at its top level), else 0.  No parse: a record is one
 * flat object, and inside a JSON string every quote is escaped, so the
 * bytes ,"error": occur only as a key. */
int store_line_is_error(const char *p, size_t n);

#endif

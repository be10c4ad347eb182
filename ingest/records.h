/* records.h - the records of an outside data file: JSON lines or a JSON
 * array of objects, plain or gzip-compressed.  The one reader every data
 * file bonrun takes in goes through (problem sets, benchmark candidates,
 * replayed completions, official result files), so they all accept the
 * same shapes and name the same file:line in their errors. */
#ifndef BON_INGEST_RECORDS_H
#define BON_INGEST_RECORDS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/err.h"

/* Read a whole file into a fresh NUL-terminated buffer (caller frees),
 * gunzipping it when it starts with the gzip magic bytes.  *len gets the
 * (uncompressed) length.  NULL and err (naming the file) on failure: a
 * missing file, a corrupt or truncated gzip stream, more than 4 GiB. */
char *ingest_read(const char *path, size_t *len, struct bon_err *err);

/* Called once per record, in file order: rec is a JSON object (borrowed
 * for the call), line the 1-based line where it starts, index its 0-based
 * position.  Return 0 to go on, non-zero to stop (a -1 with err set stops
 * ingest_records with that error). */
typedef int (*ingest_record_fn)(void *ctx, const cJSON *rec, size_t line,
                                size_t index, struct bon_err *err);

/* Walk the records of text[0..len): a JSON array of objects when the first
 * byte that is not white space (after an optional UTF-8 BOM) is '[', else
 * JSON lines (blank lines skipped, CRLF accepted).  `name` names the file
 * in messages.  0 when every record was seen or fn stopped with a positive
 * value; -1 and err ("NAME:LINE: ...") for malformed JSON, a record that
 * is not an object, or fn's own error.  An empty file has no records. */
int ingest_records(const char *text, size_t len, const char *name,
                   ingest_record_fn fn, void *ctx, struct bon_err *err);

/* The first of names[] (NULL-terminated) that is a key of rec, or NULL:
 * how a reader finds a field among its common names. */
const char *ingest_find_key(const cJSON *rec, const char *const *names);

/* The value at a dotted path ("feature.level") of an object; NULL when a
 * step is missing or not an object. */
const cJSON *ingest_path(const cJSON *rec, const char *path);

/* An id (of a problem or candidate) as text into buf (size > 0): a string
 * or a number, as ingest_scalar writes it.  0; 1 when v is absent, null,
 * empty or not a scalar (nothing written to err: the caller decides);
 * -1 and err ("NAME:LINE: WHAT \"ID\" ...") when it holds a comma, a quote
 * or a line break (ids are fields of CSV tables and record keys), or is
 * longer than size - 1 bytes (never cut: two long ids would merge). */
int ingest_id(const cJSON *v, const char *name, size_t line,
              const char *what, char *buf, size_t size,
              struct bon_err *err);

/* A scalar as text into buf (size > 0, truncated): a string as is, an
 * integral number without exponent or fraction, any other number %.17g,
 * true/false.  -1 (buf "") for null, objects, arrays and absent values. */
int ingest_scalar(const cJSON *v, char *buf, size_t size);

#endif

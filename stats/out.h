/* out.h - what the writers and reports of stats/ share: writing an output
 * file, and growing a list of warnings.  Internal to stats/. */
#ifndef BON_STATS_OUT_H
#define BON_STATS_OUT_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

struct cJSON;

/* Write b's bytes to dir/name atomically (util/fsutil.h).  0 or -1 with
 * err naming the file. */
int stats_write_buf(const char *dir, const char *name, const struct buf *b,
                    struct bon_err *err);

/* Write root as indented JSON plus a newline to dir/name, atomically.
 * 0 or -1 with err. */
int stats_write_json(const char *dir, const char *name,
                     const struct cJSON *root, struct bon_err *err);

/* Add v under key k: a number, or null when v is not finite. */
void stats_json_num(struct cJSON *o, const char *k, double v);
/* A JSON array of n strings. */
struct cJSON *stats_json_strs(const char *const *s, size_t n);

/* Append the n strings of w as a JSON array ("[]" when n = 0). */
void stats_json_list(struct buf *b, char *const *w, size_t n);

/* Append a JSON array of n items, one per line at the indentation of the
 * summary files ("[\n    ITEM,\n    ITEM\n  ]"); put(b, ctx, i) writes
 * item i. */
void stats_json_rows(struct buf *b, size_t n,
                     void (*put)(struct buf *b, const void *ctx, size_t i),
                     const void *ctx);

/* Append a formatted message to the list *w of *n strings (each owned). */
void stats_warn(char ***w, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Free n strings and the array that holds them. */
void stats_strs_free(char **s, size_t n);

#endif

/* csv.h - small keyed CSV tables (benchmark.csv, gains.csv, ...) and the
 * quoting of CSV fields (numbers: util/num.h).
 *
 * Reading follows RFC 4180: comma separators (a tab when the file name ends
 * in .tsv or the header has a tab and no comma), fields optionally quoted
 * with "" for a quote inside, quoted fields may span lines, CRLF or LF line
 * ends, a UTF-8 byte-order mark is skipped, blank lines are skipped.  Every
 * row must have as many fields as the header. */
#ifndef BON_STATS_CSV_H
#define BON_STATS_CSV_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

struct stats_csv {
  size_t ncols, nrows;
  char **header; /* [ncols] */
  char **cell;   /* [nrows * ncols], row-major; "" for an empty field */
  size_t *line;  /* [nrows] 1-based line where each row starts */
  char *source;  /* the name given, for messages */
};

/* Parse len bytes (need not be NUL-terminated); name is used in messages
 * and to choose the separator.  A new table (stats_csv_free) or NULL with
 * err: "NAME:LINE: what is wrong". */
struct stats_csv *stats_csv_parse(const char *data, size_t len,
                                  const char *name, struct bon_err *err);
/* The same from a file. */
struct stats_csv *stats_csv_read(const char *path, struct bon_err *err);
void stats_csv_free(struct stats_csv *c);

/* Index of the column named name, or -1. */
int stats_csv_col(const struct stats_csv *c, const char *name);
/* The field of row and col (both in range). */
const char *stats_csv_get(const struct stats_csv *c, size_t row, size_t col);

/* Streaming search, without building a table: the 1-based line of the
 * first data row whose column col_name equals value.  Returns 0 and sets
 * *line (0 when no row matches), or -1 with err on a parse error or an
 * absent column. */
int stats_csv_find_first(const char *data, size_t len, const char *name,
                         const char *col_name, const char *value,
                         size_t *line, struct bon_err *err);

/* Append one field, quoted only when it holds a comma, quote, CR or LF. */
void stats_csv_put(struct buf *b, const char *field);

#endif

/* csvtab.h - a small in-memory CSV table for the plot readers.
 *
 * Reads the files of stats/formats.md: a header line, comma separators,
 * RFC 4180 quoting ("a,b", "say ""hi"""), LF or CRLF line ends, `nan` or an
 * empty field for a missing number.  Every cell is kept as a string; numbers
 * are parsed on demand.  Columns are found by header name, so columns added
 * at the end of a file (or reordered) do not disturb the readers. */
#ifndef BON_PLOT_CSVTAB_H
#define BON_PLOT_CSVTAB_H

#include <stddef.h>

#include "util/err.h"

struct stats_csv;

/* A CSV table read by stats/csv.h (RFC 4180, every row as wide as the
 * header), with the cell accessors the figures use. */
struct plot_table {
  char *path;     /* the file it came from (for messages) */
  size_t ncols;
  size_t nrows;
  struct stats_csv *csv;
};

/* Parse CSV text (NUL-terminated; `name` labels messages).  Fills t (which
 * the caller later frees with plot_table_free) and returns 0; on a
 * malformed file (no header, unterminated quote, a row whose width is not
 * the header's, a NUL byte) returns -1 with err naming the line, and
 * leaves t empty. */
int plot_table_parse(struct plot_table *t, const char *text, size_t len,
                     const char *name, struct bon_err *err);
/* Read and parse a file.  -1 and err when it cannot be read or parsed. */
int plot_table_read(struct plot_table *t, const char *path,
                    struct bon_err *err);
void plot_table_free(struct plot_table *t);

/* Index of the column named `name`, or -1 when absent. */
int plot_table_col(const struct plot_table *t, const char *name);
/* The cell (never NULL: "" for col < 0 or out of range). */
const char *plot_table_str(const struct plot_table *t, size_t row, int col);
/* The cell as a number: NAN when col < 0, the cell is empty, `nan`, or not
 * a number.  `inf`/`-inf` parse as infinities. */
double plot_table_num(const struct plot_table *t, size_t row, int col);

#endif

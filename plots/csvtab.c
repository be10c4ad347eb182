/* csvtab.c - the plot readers' CSV table: stats/csv.h underneath. */
#include "plots/csvtab.h"
#include "stats/csv.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int plot_table_parse(struct plot_table *t, const char *text, size_t len,
                     const char *name, struct bon_err *err)
{
  memset(t, 0, sizeof(*t));
  const char *nul = memchr(text, '\0', len);
  if(nul) {
    size_t line = 1;
    for(const char *p = text; p < nul; p++)
      line += *p == '\n';
    return bon_errf(err, "%s:%zu: a NUL byte: not a CSV text file", name,
                    line);
  }
  struct stats_csv *c = stats_csv_parse(text, len, name, err);
  if(!c)
    return -1;
  t->csv = c;
  t->path = xstrdup(name);
  t->ncols = c->ncols;
  t->nrows = c->nrows;
  return 0;
}

int plot_table_read(struct plot_table *t, const char *path,
                    struct bon_err *err)
{
  size_t len;
  memset(t, 0, sizeof(*t));
  char *text = fs_read_file(path, &len, err);
  if(!text)
    return -1;
  int rc = plot_table_parse(t, text, len, path, err);
  free(text);
  return rc;
}

void plot_table_free(struct plot_table *t)
{
  stats_csv_free(t->csv);
  free(t->path);
  memset(t, 0, sizeof(*t));
}

int plot_table_col(const struct plot_table *t, const char *name)
{
  return t->csv ? stats_csv_col(t->csv, name) : -1;
}

const char *plot_table_str(const struct plot_table *t, size_t row, int col)
{
  if(!t->csv || col < 0 || (size_t)col >= t->ncols || row >= t->nrows)
    return "";
  return stats_csv_get(t->csv, row, (size_t)col);
}

double plot_table_num(const struct plot_table *t, size_t row, int col)
{
  const char *s = plot_table_str(t, row, col);
  while(*s == ' ')
    s++;
  if(!*s)
    return NAN;
  char *end;
  double v = strtod(s, &end);
  while(*end == ' ')
    end++;
  if(end == s || *end)
    return NAN;
  return v;
}

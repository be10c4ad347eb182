/* csvtab.c - RFC 4180 CSV into a table of strings (see csvtab.h). */
#include "plots/csvtab.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/fsutil.h"

/* Parse one record starting at *pos.  Appends fresh strings to *fields
 * (count in *nf).  Returns 1 when a record was read, 0 at end of text, -1
 * on an unterminated quote.  *line counts physical lines consumed. */
static int read_record(const char *s, size_t len, size_t *pos, char ***fields,
                       size_t *nf, size_t *cap, size_t *line)
{
  size_t i = *pos;
  if(i >= len)
    return 0;
  *nf = 0;
  struct buf f = BUF_INIT;
  for(;;) {
    buf_reset(&f);
    buf_append(&f, "", 0);
    if(i < len && s[i] == '"') {
      i++;
      for(;;) {
        if(i >= len) {
          buf_free(&f);
          return -1;
        }
        if(s[i] == '"') {
          if(i + 1 < len && s[i + 1] == '"') {
            buf_putc(&f, '"');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if(s[i] == '\n')
          (*line)++;
        buf_putc(&f, s[i++]);
      }
      /* Tolerate stray text after the closing quote: keep it. */
      while(i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
        buf_putc(&f, s[i++]);
    }
    else {
      size_t st = i;
      while(i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
        i++;
      buf_append(&f, s + st, i - st);
    }
    if(*nf == *cap) {
      *cap = *cap ? *cap * 2 : 16;
      *fields = xrealloc(*fields, *cap * sizeof(**fields));
    }
    (*fields)[(*nf)++] = xstrdup(buf_str(&f));
    if(i < len && s[i] == ',') {
      i++;
      continue;
    }
    break;
  }
  if(i < len && s[i] == '\r')
    i++;
  if(i < len && s[i] == '\n')
    i++;
  (*line)++;
  *pos = i;
  buf_free(&f);
  return 1;
}

static void free_fields(char **f, size_t n)
{
  for(size_t i = 0; i < n; i++)
    free(f[i]);
}

int plot_table_parse(struct plot_table *t, const char *text, size_t len,
                     const char *name, struct bon_err *err)
{
  memset(t, 0, sizeof(*t));
  if(memchr(text, '\0', len))
    return bon_errf(err, "%s: contains a NUL byte; is it a CSV file?", name);
  size_t pos = 0, line = 0, nf = 0, cap = 0, rcap = 0;
  char **fields = NULL;
  /* Skip a UTF-8 byte-order mark. */
  if(len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
    pos = 3;
  int rc = read_record(text, len, &pos, &fields, &nf, &cap, &line);
  if(rc <= 0) {
    free(fields);
    return bon_errf(err, "%s: %s", name,
                    rc < 0 ? "line 1: unterminated quoted field"
                           : "empty file: expected a header line");
  }
  t->path = xstrdup(name);
  t->ncols = nf;
  t->cols = xmalloc(nf * sizeof(char *));
  memcpy(t->cols, fields, nf * sizeof(char *));
  for(;;) {
    size_t start = line + 1;
    rc = read_record(text, len, &pos, &fields, &nf, &cap, &line);
    if(rc == 0)
      break;
    if(rc < 0) {
      free(fields);
      bon_errf(err, "%s: line %zu: unterminated quoted field", name, start);
      plot_table_free(t);
      return -1;
    }
    if(nf == 1 && fields[0][0] == '\0') { /* blank line */
      free_fields(fields, nf);
      continue;
    }
    if(nf > t->ncols) {
      free_fields(fields, nf);
      free(fields);
      bon_errf(err, "%s: line %zu: %zu fields but the header has %zu; "
               "quote fields that contain commas", name, start, nf,
               t->ncols);
      plot_table_free(t);
      return -1;
    }
    char **row = xmalloc((t->ncols ? t->ncols : 1) * sizeof(char *));
    for(size_t c = 0; c < t->ncols; c++)
      row[c] = c < nf ? fields[c] : xstrdup("");
    if(t->nrows == rcap) {
      rcap = rcap ? rcap * 2 : 64;
      t->cells = xrealloc(t->cells, rcap * sizeof(*t->cells));
    }
    t->cells[t->nrows++] = row;
  }
  free(fields);
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
  for(size_t r = 0; r < t->nrows; r++) {
    free_fields(t->cells[r], t->ncols);
    free(t->cells[r]);
  }
  free(t->cells);
  free_fields(t->cols, t->ncols);
  free(t->cols);
  free(t->path);
  memset(t, 0, sizeof(*t));
}

int plot_table_col(const struct plot_table *t, const char *name)
{
  for(size_t c = 0; c < t->ncols; c++)
    if(!strcmp(t->cols[c], name))
      return (int)c;
  return -1;
}

const char *plot_table_str(const struct plot_table *t, size_t row, int col)
{
  if(col < 0 || (size_t)col >= t->ncols || row >= t->nrows)
    return "";
  return t->cells[row][col];
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

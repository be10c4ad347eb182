/* csv.c - small keyed CSV tables; see csv.h. */
#include "stats/csv.h"

#include "util/fsutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A cursor over the text: one row at a time into reusable storage. */
struct rd {
  const char *p, *end;
  const char *name;
  char sep;
  size_t line;       /* line of the cursor */
  struct buf field;  /* all fields of the row, NUL-separated */
  size_t *off;       /* start of each field in field.data */
  size_t nf, cap;
};

static void push_field(struct rd *r, size_t start)
{
  if(r->nf == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 16;
    r->off = xrealloc(r->off, r->cap * sizeof *r->off);
  }
  r->off[r->nf++] = start;
  buf_putc(&r->field, '\0');
}

/* Read the next non-blank row.  Returns 1 with the row, 0 at the end, -1
 * with err.  *row_line gets the line where the row starts. */
static int next_row(struct rd *r, size_t *row_line, struct bon_err *err)
{
  for(;;) {
    if(r->p >= r->end)
      return 0;
    if(*r->p == '\n' || (*r->p == '\r' && r->p + 1 < r->end &&
                         r->p[1] == '\n')) {
      r->p += *r->p == '\r' ? 2 : 1;
      r->line++;
      continue;
    }
    break;
  }
  buf_reset(&r->field);
  buf_putc(&r->field, '\0'); /* keep data non-NULL */
  r->field.len = 0;
  r->nf = 0;
  *row_line = r->line;
  size_t start = 0;
  int quoted = 0, was_quoted = 0;
  for(;;) {
    if(r->p >= r->end) {
      if(quoted)
        return bon_errf(err, "%s:%zu: a quoted field is not closed",
                        r->name, *row_line);
      push_field(r, start);
      return 1;
    }
    char ch = *r->p++;
    if(quoted) {
      if(ch == '"') {
        if(r->p < r->end && *r->p == '"') {
          buf_putc(&r->field, '"');
          r->p++;
        }
        else
          quoted = 0;
      }
      else {
        if(ch == '\n')
          r->line++;
        buf_putc(&r->field, ch);
      }
      continue;
    }
    if(ch == '"' && r->field.len == start && !was_quoted) {
      quoted = was_quoted = 1;
      continue;
    }
    if(ch == r->sep) {
      push_field(r, start);
      start = r->field.len;
      was_quoted = 0;
      continue;
    }
    if(ch == '\r' && (r->p >= r->end || *r->p == '\n'))
      continue;
    if(ch == '\n') {
      r->line++;
      push_field(r, start);
      return 1;
    }
    if(was_quoted)
      return bon_errf(err, "%s:%zu: text after the closing quote of field "
                      "%zu", r->name, r->line, r->nf + 1);
    buf_putc(&r->field, ch);
  }
}

static const char *fld(const struct rd *r, size_t i)
{
  return r->field.data + r->off[i];
}

static void rd_init(struct rd *r, const char *data, size_t len,
                    const char *name)
{
  memset(r, 0, sizeof *r);
  r->p = data;
  r->end = data + len;
  r->name = name;
  r->line = 1;
  if(len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
    r->p += 3;
  size_t nl = strlen(name);
  r->sep = ',';
  if(nl >= 4 && !strcmp(name + nl - 4, ".tsv"))
    r->sep = '\t';
  else {
    const char *q = r->p;
    int tab = 0, comma = 0;
    while(q < r->end && *q != '\n') {
      tab |= *q == '\t';
      comma |= *q == ',';
      q++;
    }
    if(tab && !comma)
      r->sep = '\t';
  }
}

static void rd_free(struct rd *r)
{
  buf_free(&r->field);
  free(r->off);
}

void stats_csv_free(struct stats_csv *c)
{
  if(!c)
    return;
  for(size_t i = 0; i < c->ncols; i++)
    free(c->header[i]);
  for(size_t i = 0; i < c->nrows * c->ncols; i++)
    free(c->cell[i]);
  free(c->header);
  free(c->cell);
  free(c->line);
  free(c->source);
  free(c);
}

static int read_header(struct rd *r, struct bon_err *err)
{
  size_t hl;
  int k = next_row(r, &hl, err);
  if(k < 0)
    return -1;
  if(!k)
    return bon_errf(err, "%s: empty file (expected a header line)",
                    r->name);
  return 0;
}

struct stats_csv *stats_csv_parse(const char *data, size_t len,
                                  const char *name, struct bon_err *err)
{
  struct rd r;
  rd_init(&r, data, len, name);
  struct stats_csv *c = xcalloc(1, sizeof *c);
  c->source = xstrdup(name);
  if(read_header(&r, err) < 0)
    goto fail;
  c->ncols = r.nf;
  c->header = xmalloc(c->ncols * sizeof *c->header);
  for(size_t i = 0; i < c->ncols; i++)
    c->header[i] = xstrdup(fld(&r, i));
  size_t cap = 0;
  for(;;) {
    size_t line;
    int k = next_row(&r, &line, err);
    if(k < 0)
      goto fail;
    if(!k)
      break;
    if(r.nf != c->ncols) {
      bon_errf(err, "%s:%zu: %zu fields, but the header has %zu", name,
               line, r.nf, c->ncols);
      goto fail;
    }
    if(c->nrows == cap) {
      cap = cap ? 2 * cap : 16;
      c->cell = xrealloc(c->cell, cap * c->ncols * sizeof *c->cell);
      c->line = xrealloc(c->line, cap * sizeof *c->line);
    }
    for(size_t i = 0; i < c->ncols; i++)
      c->cell[c->nrows * c->ncols + i] = xstrdup(fld(&r, i));
    c->line[c->nrows++] = line;
  }
  rd_free(&r);
  return c;
fail:
  rd_free(&r);
  stats_csv_free(c);
  return NULL;
}

struct stats_csv *stats_csv_read(const char *path, struct bon_err *err)
{
  size_t len;
  char *data = fs_read_file(path, &len, err);
  if(!data)
    return NULL;
  struct stats_csv *c = stats_csv_parse(data, len, path, err);
  free(data);
  return c;
}

int stats_csv_col(const struct stats_csv *c, const char *name)
{
  for(size_t i = 0; i < c->ncols; i++)
    if(!strcmp(c->header[i], name))
      return (int)i;
  return -1;
}

const char *stats_csv_get(const struct stats_csv *c, size_t row, size_t col)
{
  return c->cell[row * c->ncols + col];
}

int stats_csv_find_first(const char *data, size_t len, const char *name,
                         const char *col_name, const char *value,
                         size_t *line, struct bon_err *err)
{
  struct rd r;
  rd_init(&r, data, len, name);
  *line = 0;
  int rc = -1;
  if(read_header(&r, err) < 0)
    goto out;
  size_t col = r.nf;
  for(size_t i = 0; i < r.nf; i++)
    if(!strcmp(fld(&r, i), col_name))
      col = i;
  if(col == r.nf) {
    bon_errf(err, "%s: no column '%s' in the header", name, col_name);
    goto out;
  }
  for(;;) {
    size_t l;
    int k = next_row(&r, &l, err);
    if(k < 0)
      goto out;
    if(!k)
      break;
    if(col < r.nf && !strcmp(fld(&r, col), value)) {
      *line = l;
      break;
    }
  }
  rc = 0;
out:
  rd_free(&r);
  return rc;
}

void stats_csv_put(struct buf *b, const char *field)
{
  if(!strpbrk(field, ",\"\r\n")) {
    buf_puts(b, field);
    return;
  }
  buf_putc(b, '"');
  for(const char *p = field; *p; p++) {
    if(*p == '"')
      buf_putc(b, '"');
    buf_putc(b, *p);
  }
  buf_putc(b, '"');
}

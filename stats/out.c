/* out.c - output files and warning lists of stats/ (see out.h). */
#include "stats/out.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>

#include "util/fsutil.h"

int stats_write_buf(const char *dir, const char *name, const struct buf *b,
                    struct bon_err *err)
{
  char *path = fs_join(dir, name);
  int rc = fs_write_atomic(path, buf_str(b), b->len, err);
  free(path);
  return rc;
}

int stats_write_json(const char *dir, const char *name,
                     const struct cJSON *root, struct bon_err *err)
{
  char *text = cJSON_Print(root);
  struct buf b = BUF_INIT;
  buf_puts(&b, text);
  buf_putc(&b, '\n');
  int rc = stats_write_buf(dir, name, &b, err);
  buf_free(&b);
  free(text);
  return rc;
}

void stats_json_num(cJSON *o, const char *k, double v)
{
  if(isfinite(v))
    cJSON_AddNumberToObject(o, k, v);
  else
    cJSON_AddNullToObject(o, k);
}

cJSON *stats_json_strs(const char *const *s, size_t n)
{
  cJSON *a = cJSON_CreateArray();
  for(size_t i = 0; i < n; i++)
    cJSON_AddItemToArray(a, cJSON_CreateString(s[i]));
  return a;
}

void stats_json_list(struct buf *b, char *const *w, size_t n)
{
  buf_putc(b, '[');
  for(size_t i = 0; i < n; i++) {
    buf_puts(b, i ? ", " : "");
    buf_json_str(b, w[i]);
  }
  buf_putc(b, ']');
}

void stats_json_rows(struct buf *b, size_t n,
                     void (*put)(struct buf *b, const void *ctx, size_t i),
                     const void *ctx)
{
  buf_putc(b, '[');
  for(size_t i = 0; i < n; i++) {
    buf_puts(b, i ? ",\n    " : "\n    ");
    put(b, ctx, i);
  }
  buf_puts(b, "\n  ]");
}

void stats_warn(char ***w, size_t *n, const char *fmt, ...)
{
  struct buf b = BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  *w = xrealloc(*w, (*n + 1) * sizeof(**w));
  (*w)[(*n)++] = xstrdup(buf_str(&b));
  buf_free(&b);
}

void stats_strs_free(char **s, size_t n)
{
  for(size_t i = 0; i < n; i++)
    free(s[i]);
  free(s);
}

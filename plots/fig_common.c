/* fig_common.c - writing a figure's files and running gnuplot (fig.h). */
#include "plots/fig.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/fsutil.h"

void plot_comment(struct buf *b, const char *prefix, const char *s)
{
  buf_puts(b, prefix);
  /* No control bytes (a newline would end the comment) and no backquote
   * (gnuplot's command substitution), whatever the reader. */
  for(; *s; s++)
    buf_putc(b, (unsigned char)*s < 0x20 ? ' ' : *s == '`' ? '\'' : *s);
  buf_putc(b, '\n');
}

const char *plot_rel(const struct plot_ctx *cx, const char *path)
{
  size_t n = strlen(cx->paths->run_dir);
  if(!strncmp(path, cx->paths->run_dir, n)) {
    path += n;
    while(*path == '/')
      path++;
  }
  return path;
}

void plot_note(struct plot_result *res, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&res->notes, fmt, ap);
  va_end(ap);
  buf_putc(&res->notes, '\n');
}

void plot_fmt_n(char *out, size_t len, double n)
{
  if(n < 10)
    snprintf(out, len, "%.1f", n);
  else if(n < 1e5)
    snprintf(out, len, "%.0f", n);
  else
    snprintf(out, len, "%.1e", n);
}

void plot_script_head(struct buf *gp, const char *name, const char *what,
                      const char *sources)
{
  buf_printf(gp, "# %s.gp - %s\n", name, what);
  plot_comment(gp, "# Written by `bonrun plot` from ", sources);
  buf_printf(gp, "# Data: %s.dat (relative path).  Edit and rerun "
             "`gnuplot %s.gp` inside plots/.\n", name, name);
}

void plot_preamble(struct buf *gp, const struct plot_ctx *cx,
                   const char *name, int w, int h)
{
  char img[256];
  snprintf(img, sizeof(img), "%s.%s", name, plot_fmt_ext(cx->fmt));
  plot_gp_preamble(gp, cx->fmt, w, h, img);
}

/* Keep gnuplot's stderr, one "FILE: " prefixed line each, blank lines
 * dropped. */
static void keep_warnings(struct buf *out, const char *file,
                          const struct buf *warn)
{
  const char *s = buf_str(warn);
  while(*s) {
    size_t l = strcspn(s, "\n");
    int blank = 1;
    for(size_t i = 0; i < l; i++)
      blank &= s[i] == ' ' || s[i] == '\t' || s[i] == '\r';
    if(!blank)
      buf_printf(out, "%s: %.*s\n", file, (int)l, s);
    s += l + (s[l] == '\n');
  }
}

/* Write dir/NAME.EXT from b.  0, or -1 and err. */
static int write_one(const char *dir, const char *name, const char *ext,
                     const struct buf *b, struct bon_err *err)
{
  char file[256];
  snprintf(file, sizeof(file), "%s.%s", name, ext);
  char *p = fs_join(dir, file);
  int rc = fs_write_atomic(p, buf_str(b), b->len, err);
  free(p);
  return rc;
}

int plot_emit(struct plot_ctx *cx, const char *name, const struct buf *dat,
              const struct buf *gp, struct bon_err *err)
{
  const char *dir = cx->paths->plots_dir;
  if(write_one(dir, name, "dat", dat, err) ||
     write_one(dir, name, "gp", gp, err))
    return -1;
  char file[256];
  snprintf(file, sizeof(file), "%s.gp", name);
  struct buf warn = BUF_INIT;
  int rc = plot_gp_run(dir, file, &warn, err);
  keep_warnings(&cx->res->warnings, file, &warn);
  buf_free(&warn);
  if(rc)
    return -1;
  snprintf(file, sizeof(file), "%s.%s", name, plot_fmt_ext(cx->fmt));
  char *p = fs_join(dir, file);
  struct stat st;
  if(stat(p, &st) != 0 || st.st_size == 0)
    rc = bon_errf(err, "%s: gnuplot wrote no image", p);
  else if(cx->fmt == PLOT_PDF)
    rc = plot_pdf_fix_date(p, err);
  free(p);
  return rc;
}

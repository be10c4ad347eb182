/* figures.c - the figures of `bonrun plot` (see plot.h).
 *
 * Each figure is built as two texts, the data file and the gnuplot script,
 * written into plots/ and then drawn by running gnuplot there.  Strings
 * from the data (RM names, file names) reach a script only through
 * plot_gp_str; data files hold numbers only (names appear in comments). */
#include "plots/plot.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plots/csvtab.h"
#include "plots/gp.h"
#include "plots/rundata.h"
#include "stats/bon.h"
#include "util/fsutil.h"

#define MAX_OVERLAY 6 /* more RMs than this: small multiples */
#define MAX_PANELS 64 /* more RMs than this: no curve figures */

struct ctx {
  const struct plot_paths *paths;
  enum plot_fmt fmt;
  struct plot_result *res;
};

/* ---- small helpers ---------------------------------------------------- */

static void num(struct buf *b, double v)
{
  if(isfinite(v))
    buf_printf(b, "%.10g", v);
  else
    buf_puts(b, "nan");
}

/* A comment line that cannot break out of the comment. */
static void comment(struct buf *b, const char *prefix, const char *s)
{
  buf_puts(b, prefix);
  /* No control bytes (a newline would end the comment) and no backquote
   * (gnuplot's command substitution), whatever the reader. */
  for(; *s; s++)
    buf_putc(b, (unsigned char)*s < 0x20 ? ' ' : *s == '`' ? '\'' : *s);
  buf_putc(b, '\n');
}

/* The path of an input relative to the run directory, for comments. */
static const char *rel(const struct ctx *cx, const char *path)
{
  size_t n = strlen(cx->paths->run_dir);
  if(!strncmp(path, cx->paths->run_dir, n)) {
    path += n;
    while(*path == '/')
      path++;
  }
  return path;
}

static void note(struct plot_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void note(struct plot_result *res, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&res->notes, fmt, ap);
  va_end(ap);
  buf_putc(&res->notes, '\n');
}

/* A readable n: "10", "3.9", "2.6e+06". */
static void fmt_n(char *out, size_t len, double n)
{
  if(n < 10)
    snprintf(out, len, "%.1f", n);
  else if(n < 1e5)
    snprintf(out, len, "%.0f", n);
  else
    snprintf(out, len, "%.1e", n);
}

/* Write NAME.dat and NAME.gp into plots/, run gnuplot, check the image. */
static int emit(struct ctx *cx, const char *name, const struct buf *dat,
                const struct buf *gp, struct bon_err *err)
{
  char file[256];
  const char *dir = cx->paths->plots_dir;
  snprintf(file, sizeof(file), "%s.dat", name);
  char *p = fs_join(dir, file);
  int rc = fs_write_atomic(p, buf_str(dat), dat->len, err);
  free(p);
  if(rc)
    return -1;
  snprintf(file, sizeof(file), "%s.gp", name);
  p = fs_join(dir, file);
  rc = fs_write_atomic(p, buf_str(gp), gp->len, err);
  free(p);
  if(rc)
    return -1;
  struct buf warn = BUF_INIT;
  rc = plot_gp_run(dir, file, &warn, err);
  /* Keep gnuplot's stderr, one prefixed line each, blank lines dropped. */
  const char *s = buf_str(&warn);
  while(*s) {
    size_t l = strcspn(s, "\n");
    int blank = 1;
    for(size_t i = 0; i < l; i++)
      blank &= s[i] == ' ' || s[i] == '\t' || s[i] == '\r';
    if(!blank)
      buf_printf(&cx->res->warnings, "%s: %.*s\n", file, (int)l, s);
    s += l + (s[l] == '\n');
  }
  buf_free(&warn);
  if(rc)
    return -1;
  snprintf(file, sizeof(file), "%s.%s", name, plot_fmt_ext(cx->fmt));
  p = fs_join(dir, file);
  struct stat st;
  if(stat(p, &st) != 0 || st.st_size == 0)
    rc = bon_errf(err, "%s: gnuplot wrote no image", p);
  else if(cx->fmt == PLOT_PDF)
    rc = plot_pdf_fix_date(p, err);
  free(p);
  return rc;
}

static void script_head(struct buf *gp, const char *name, const char *what,
                        const char *sources)
{
  buf_printf(gp, "# %s.gp - %s\n", name, what);
  comment(gp, "# Written by `bonrun plot` from ", sources);
  buf_printf(gp, "# Data: %s.dat (relative path).  Edit and rerun "
             "`gnuplot %s.gp` inside plots/.\n", name, name);
}

static void preamble(struct buf *gp, const struct ctx *cx, const char *name,
                     int w, int h)
{
  char img[256];
  snprintf(img, sizeof(img), "%s.%s", name, plot_fmt_ext(cx->fmt));
  plot_gp_preamble(gp, cx->fmt, w, h, img);
}

/* ---- BoN curves -------------------------------------------------------- */

/* Columns of the curve data files. */
enum { C_N = 1, C_LOG2N, C_KL, C_D, C_GOLD, C_GLO, C_GHI, C_PROXY, C_PLO,
       C_PHI, C_ORACLE, C_MAJ };

static void curves_dat(struct buf *b, const char *name, const char *src,
                       const struct plot_curves *c)
{
  buf_printf(b, "# %s.dat - ", name);
  comment(b, "best-of-n curves from ", src);
  buf_puts(b, "# one block per RM (gnuplot index 0, 1, ...); columns:\n"
              "# 1 n  2 log2(n)  3 kl (nats)  4 d = sqrt(kl)  5 gold  "
              "6 gold_lo  7 gold_hi\n# 8 proxy  9 proxy_lo  10 proxy_hi  "
              "11 oracle (pass@n)  12 majority\n");
  for(size_t i = 0; i < c->nrms; i++) {
    const struct plot_rm *rm = &c->rms[i];
    if(i)
      buf_puts(b, "\n\n");
    buf_printf(b, "# index %zu: ", i);
    comment(b, "", rm->name);
    for(size_t j = 0; j < rm->npts; j++) {
      const struct plot_point *p = &rm->pts[j];
      double v[12] = {p->n, log2(p->n), p->kl, p->d, p->gold, p->gold_lo,
                      p->gold_hi, p->proxy, p->proxy_lo, p->proxy_hi,
                      p->oracle, p->majority};
      for(int k = 0; k < 12; k++) {
        if(k)
          buf_putc(b, ' ');
        num(b, v[k]);
      }
      buf_putc(b, '\n');
    }
  }
}

/* Does any point of rm have finite values at all the given members? */
static int has(const struct plot_rm *rm, size_t off1, size_t off2)
{
  for(size_t j = 0; j < rm->npts; j++) {
    const char *p = (const char *)&rm->pts[j];
    if(isfinite(*(const double *)(p + off1)) &&
       isfinite(*(const double *)(p + off2)))
      return 1;
  }
  return 0;
}
#define HAS(rm, f) has(rm, offsetof(struct plot_point, f), \
                       offsetof(struct plot_point, f))
#define HAS2(rm, f, g) has(rm, offsetof(struct plot_point, f), \
                           offsetof(struct plot_point, g))

static int fit_usable(const struct plot_rm *rm)
{
  const struct plot_fit *f = &rm->fit;
  return f->ok && isfinite(f->alpha) && isfinite(f->beta) &&
         isfinite(f->gold0);
}

/* The fitted peak lies inside [0, dmax]. */
static int peak_inside(const struct plot_rm *rm, double dmax)
{
  const struct plot_fit *f = &rm->fit;
  return fit_usable(rm) && f->beta > 0 && isfinite(f->d_star) &&
         f->d_star > 0 && f->d_star <= dmax * 1.0001;
}

/* " (peak n* ≈ 10)", " (peak n* > 64)", " (no peak)" or "". */
static void peak_text(char *out, size_t len, const struct plot_rm *rm,
                      double dmax, double maxn)
{
  char a[32];
  const struct plot_fit *f = &rm->fit;
  if(!fit_usable(rm))
    snprintf(out, len, "%s", "");
  else if(peak_inside(rm, dmax)) {
    fmt_n(a, sizeof(a), isfinite(f->n_star) ? f->n_star
                        : stats_kl_bon_inverse(f->d_star * f->d_star));
    snprintf(out, len, " (peak n* \xe2\x89\x88 %s)", a);
  }
  else if(f->beta > 0) {
    fmt_n(a, sizeof(a), maxn);
    snprintf(out, len, " (peak n* > %s)", a);
  }
  else
    snprintf(out, len, "%s", " (no peak: \xce\xb2 \xe2\x89\xa4 0)");
}

struct span {
  double dmax, maxn, ymin, ymax;
  size_t maxpts; /* the most points of one RM */
  int accuracy; /* every gold value in [0, 1] */
};

/* Fix the y range when the values do not vary, which gnuplot would
 * otherwise widen with a warning. */
static void flat_yrange(struct buf *gp, const struct span *s)
{
  if(isfinite(s->ymin) && s->ymax - s->ymin < 1e-9)
    buf_printf(gp, "set yrange [%.6g:%.6g]\n", s->ymin - 0.05,
               s->ymax + 0.05);
}

/* Room above and below the data in a panel. */
static double ypad(const struct span *s)
{
  double span = s->ymax - s->ymin;
  return span > 1e-9 ? 0.04 * span : 0.05;
}

static struct span curve_span(const struct plot_curves *c, int with_oracle)
{
  struct span s = {0, 1, INFINITY, -INFINITY, 0, 1};
  for(size_t i = 0; i < c->nrms; i++)
    for(size_t j = 0; j < c->rms[i].npts; j++) {
      if(c->rms[i].npts > s.maxpts)
        s.maxpts = c->rms[i].npts;
      const struct plot_point *p = &c->rms[i].pts[j];
      if(!isfinite(p->gold))
        continue;
      if(p->d > s.dmax)
        s.dmax = p->d;
      if(p->n > s.maxn)
        s.maxn = p->n;
      double v[4] = {p->gold, p->gold_lo, p->gold_hi, p->oracle};
      for(int k = 0; k < (with_oracle ? 4 : 3); k++) {
        if(!isfinite(v[k]))
          continue;
        if(v[k] < 0 || v[k] > 1)
          s.accuracy = 0;
        if(v[k] < s.ymin)
          s.ymin = v[k];
        if(v[k] > s.ymax)
          s.ymax = v[k];
      }
    }
  if(s.dmax <= 0)
    s.dmax = 1;
  return s;
}

/* PI: draw a marker every PI points, so long curves stay readable. */
static void point_interval(struct buf *gp, const struct span *s)
{
  buf_printf(gp, "PI = %zu  # a point marker every PI data points\n",
             s->maxpts > 24 ? (s->maxpts + 15) / 16 : (size_t)1);
}

/* The d axis: range, labels, and n on the upper axis. */
static void d_axes(struct buf *gp, const struct span *s, int y2, int grid)
{
  buf_printf(gp, "set xrange [0:%.6g]\nset link x2\n", s->dmax * 1.03);
  point_interval(gp, s);
  buf_puts(gp, "set xlabel 'd = \xe2\x88\x9a" "KL_bon  (\xe2\x88\x9anats)'\n");
  /* Small panels drop the upper axis label: the first tic says "n = 1". */
  if(!grid)
    buf_puts(gp, "set x2label 'n  (best of n samples)'\n");
  buf_puts(gp, "set x2tics (");
  double step = s->maxn > 1024 ? 4 : 2;
  int first = 1;
  for(double n = 1; n <= s->maxn * 1.000001; n *= step) {
    buf_printf(gp, "%s'%s%.0f' %.6g", first ? "" : ", ",
               first && grid ? "n = " : "", n, sqrt(stats_kl_bon(n)));
    first = 0;
  }
  buf_puts(gp, ")\nset xtics nomirror\n");
  if(!y2)
    buf_puts(gp, "set ytics mirror\n");
}

static void fit_functions(struct buf *gp, const struct plot_curves *c)
{
  int any = 0;
  for(size_t i = 0; i < c->nrms; i++) {
    const struct plot_rm *rm = &c->rms[i];
    if(!fit_usable(rm))
      continue;
    if(!any)
      buf_puts(gp, "# Gao et al. BoN fits from fits.csv: "
                   "gold(d) = gold0 + d*(alpha - beta*d)\n");
    any = 1;
    comment(gp, "# ", rm->name);
    buf_printf(gp, "a%zu = %.10g; b%zu = %.10g; g%zu = %.10g\n", i,
               rm->fit.alpha, i, rm->fit.beta, i, rm->fit.gold0);
    buf_printf(gp, "f%zu(x) = g%zu + x*(a%zu - b%zu*x)\n", i, i, i, i);
  }
}

/* The peak marker of RM i, as a point label in its colour. */
static void peak_label(struct buf *gp, const struct plot_rm *rm, size_t i,
                       int lt, double dmax, const char *color)
{
  if(!peak_inside(rm, dmax))
    return;
  buf_printf(gp, "set label %zu '' at %.10g, f%zu(%.10g) point pt 12 "
             "ps 2.6 lw 2 lc rgb '%s' front\n", 100 + i, rm->fit.d_star, i,
             rm->fit.d_star, color ? color : plot_gp_color(lt - 1));
}

/* Small multiples: a grid of panels of pw x ph pixels each, placed by
 * explicit margins (so labels get the room they need), above a strip of
 * keypx pixels that holds one shared key. */
struct grid {
  int cols, rows, w, h, pw, ph, inl, inr, inb, intop, keypx;
};

static struct grid grid_make(size_t k, int pw, int ph, int inl, int inr,
                             int keypx)
{
  struct grid g;
  g.cols = (int)ceil(sqrt((double)k));
  if(g.cols < 1)
    g.cols = 1;
  g.rows = (int)((k + (size_t)g.cols - 1) / (size_t)g.cols);
  if(g.rows < 1)
    g.rows = 1;
  g.pw = pw;
  g.ph = ph;
  g.w = g.cols * pw;
  g.h = g.rows * ph + keypx;
  g.inl = inl;
  g.inr = inr;
  g.inb = 58;   /* x tics and x label */
  g.intop = 62; /* title and x2 tics */
  g.keypx = keypx;
  return g;
}

/* Margins of panel i (row-major from the top left). */
static void grid_panel(struct buf *gp, const struct grid *g, size_t i)
{
  int row = (int)(i / (size_t)g->cols), col = (int)(i % (size_t)g->cols);
  double x0 = col * g->pw, y0 = g->keypx + (g->rows - 1 - row) * g->ph;
  buf_printf(gp, "set lmargin at screen %.4f; set rmargin at screen %.4f\n"
             "set bmargin at screen %.4f; set tmargin at screen %.4f\n",
             (x0 + g->inl) / g->w, (x0 + g->pw - g->inr) / g->w,
             (y0 + g->inb) / g->h, (y0 + g->ph - g->intop) / g->h);
}

/* Start the last, empty plot that only draws the shared key in the strip
 * below the grid; the caller appends `, keyentry ...` items and a newline,
 * then `unset multiplot`. */
static void grid_key_begin(struct buf *gp, const struct grid *g)
{
  buf_printf(gp, "\n# ---- the shared key\n"
             "set lmargin at screen 0.01; set rmargin at screen 0.99\n"
             "set bmargin at screen 0; set tmargin at screen %.4f\n"
             "unset border; unset tics; unset xlabel; unset ylabel\n"
             "unset x2label; unset y2label; unset title; unset grid\n"
             "unset label; unset arrow\n"
             "set xrange [0:1]; set yrange [0:1]\n"
             "set key center center horizontal Left reverse maxrows 2 "
             "samplen 3 "
             "spacing 1.3 width 2\nplot -1 notitle", (double)g->keypx / g->h);
}

static int fig_gold_vs_d(struct ctx *cx, const struct plot_curves *c,
                         struct bon_err *err)
{
  const char *name = "gold_vs_d";
  struct span s = curve_span(c, 0);
  int multi = c->nrms > MAX_OVERLAY;
  struct buf dat = BUF_INIT, gp = BUF_INIT;
  char sources[512];
  snprintf(sources, sizeof(sources), "%s%s%s", rel(cx, cx->paths->curves),
           cx->paths->fits ? " and " : "",
           cx->paths->fits ? rel(cx, cx->paths->fits) : "");
  curves_dat(&dat, name, sources, c);
  script_head(&gp, name, "gold reward vs d = sqrt(KL) per RM, with the "
              "fitted Gao BoN curves", sources);
  struct grid g = {0};
  const int keypx = 70;
  if(multi) {
    g = grid_make(c->nrms, 430, 350, 80, 30, keypx);
    preamble(&gp, cx, name, g.w, g.h);
  }
  else
    preamble(&gp, cx, name, 960, 680);
  d_axes(&gp, &s, 0, multi);
  buf_printf(&gp, "set ylabel '%s'\n", s.accuracy ? "gold reward (accuracy)"
                                                  : "gold reward");
  buf_puts(&gp, "set style fill transparent solid 0.15 noborder\n");
  fit_functions(&gp, c);
  char pk[96];
  if(!multi) {
    flat_yrange(&gp, &s);
    buf_puts(&gp, "set key outside below center horizontal Left reverse "
                  "maxcols 2 height 1 samplen 4 spacing 1.2 width 2\n");
    for(size_t i = 0; i < c->nrms; i++)
      peak_label(&gp, &c->rms[i], i, (int)(i % 8) + 1, s.dmax, NULL);
    buf_puts(&gp, "plot \\\n");
    for(size_t i = 0; i < c->nrms; i++)
      if(HAS2(&c->rms[i], gold_lo, gold_hi))
        buf_printf(&gp, "  '%s.dat' index %zu using %d:%d:%d with "
                   "filledcurves lc %zu notitle, \\\n", name, i, C_D, C_GLO,
                   C_GHI, i % 8 + 1);
    for(size_t i = 0; i < c->nrms; i++) {
      const struct plot_rm *rm = &c->rms[i];
      if(fit_usable(rm))
        buf_printf(&gp, "  f%zu(x) with lines lt %zu lw 2 notitle, \\\n", i,
                   i % 8 + 1);
      peak_text(pk, sizeof(pk), rm, s.dmax, s.maxn);
      struct buf t = BUF_INIT;
      buf_puts(&t, rm->name);
      buf_puts(&t, pk);
      buf_printf(&gp, "  '%s.dat' index %zu using %d:%d with linespoints pi PI "
                 "lt %zu dt 1 lw 1.2 title ", name, i, C_D, C_GOLD,
                 i % 8 + 1);
      plot_gp_str(&gp, buf_str(&t));
      buf_puts(&gp, ", \\\n");
      buf_free(&t);
    }
    buf_puts(&gp, "  keyentry with filledcurves lc rgb '#999999' title "
                  "'95% bootstrap band', \\\n"
                  "  keyentry with lines lc rgb '#333333' dt (12,5) lw 2 "
                  "title 'fitted Gao BoN curve (dash as RM)', \\\n"
                  "  keyentry with points pt 12 ps 2.2 lw 2 lc rgb '#333333' "
                  "title 'fitted peak n*'\n");
  }
  else {
    buf_puts(&gp, "set xlabel font ',10'\nset ylabel font ',10'\n");
    buf_puts(&gp, "set multiplot\nunset key\n");
    for(size_t i = 0; i < c->nrms; i++) {
      const struct plot_rm *rm = &c->rms[i];
      peak_text(pk, sizeof(pk), rm, s.dmax, s.maxn);
      struct buf t = BUF_INIT;
      buf_puts(&t, rm->name);
      buf_puts(&t, pk);
      buf_puts(&gp, "set title ");
      plot_gp_str(&gp, buf_str(&t));
      buf_free(&t);
      buf_printf(&gp, "\nset yrange [%.6g:%.6g]\nunset label\n",
                 s.ymin - ypad(&s), s.ymax + ypad(&s));
      peak_label(&gp, rm, i, 1, s.dmax, plot_gp_color(1));
      grid_panel(&gp, &g, i);
      buf_puts(&gp, "plot \\\n");
      for(size_t j = 0; j < c->nrms; j++)
        if(j != i)
          buf_printf(&gp, "  '%s.dat' index %zu using %d:%d with lines "
                     "lc rgb '#d0d0d0' lw 1 dt 1 notitle, \\\n", name, j,
                     C_D, C_GOLD);
      if(HAS2(rm, gold_lo, gold_hi))
        buf_printf(&gp, "  '%s.dat' index %zu using %d:%d:%d with "
                   "filledcurves lc 1 notitle, \\\n", name, i, C_D, C_GLO,
                   C_GHI);
      if(fit_usable(rm))
        buf_printf(&gp, "  f%zu(x) with lines lc 2 dt (12,5) lw 2 notitle, "
                   "\\\n", i);
      buf_printf(&gp, "  '%s.dat' index %zu using %d:%d with linespoints pi PI "
                 "lt 1 dt 1 lw 1.2 notitle\n", name, i, C_D, C_GOLD);
    }
    grid_key_begin(&gp, &g);
    buf_puts(&gp, ", \\\n"
             "  keyentry with linespoints lt 1 dt 1 title 'gold reward', "
             "\\\n  keyentry with filledcurves lc 1 title "
             "'95% bootstrap band', \\\n"
             "  keyentry with lines lc 2 dt (12,5) lw 2 title "
             "'fitted Gao BoN curve', \\\n"
             "  keyentry with points pt 12 ps 2.2 lw 2 lc 2 title "
             "'fitted peak n*', \\\n"
             "  keyentry with lines lc rgb '#d0d0d0' lw 1 title "
             "'other RMs'\nunset multiplot\n");
  }
  int rc = emit(cx, name, &dat, &gp, err);
  buf_free(&dat);
  buf_free(&gp);
  return rc;
}

static int fig_proxy_vs_d(struct ctx *cx, const struct plot_curves *c,
                          struct bon_err *err)
{
  const char *name = "proxy_vs_d";
  struct span s = curve_span(c, 0);
  int any_proxy = 0, y2 = !s.accuracy;
  for(size_t i = 0; i < c->nrms; i++) {
    const struct plot_rm *rm = &c->rms[i];
    any_proxy |= HAS(rm, proxy);
    for(size_t j = 0; j < rm->npts; j++) {
      double v[3] = {rm->pts[j].proxy, rm->pts[j].proxy_lo,
                     rm->pts[j].proxy_hi};
      for(int k = 0; k < 3; k++)
        if(isfinite(v[k]) && (v[k] < 0 || v[k] > 1))
          y2 = 1;
    }
  }
  if(!any_proxy) {
    note(cx->res, "skipped %s: curves.csv has no proxy values", name);
    cx->res->skipped++;
    return 0;
  }
  struct buf dat = BUF_INIT, gp = BUF_INIT;
  char sources[512];
  snprintf(sources, sizeof(sources), "%s%s%s", rel(cx, cx->paths->curves),
           cx->paths->fits ? " and " : "",
           cx->paths->fits ? rel(cx, cx->paths->fits) : "");
  curves_dat(&dat, name, sources, c);
  script_head(&gp, name, "gold and proxy reward vs d = sqrt(KL), one panel "
              "per RM", sources);
  const int keypx = 70;
  struct grid g = grid_make(c->nrms, y2 ? 520 : 430, 350, y2 ? 95 : 80,
                            y2 ? 85 : 30, keypx);
  preamble(&gp, cx, name, g.w, g.h);
  d_axes(&gp, &s, y2, 1);
  if(y2)
    buf_printf(&gp, "set ylabel '%s'\nset y2label 'proxy  (RM score)'"
               "\nset y2tics nomirror\n",
               s.accuracy ? "gold  (accuracy)" : "gold reward");
  else
    buf_puts(&gp, "set ylabel 'reward (accuracy)'\n");
  buf_puts(&gp, "set xlabel font ',10'\nset ylabel font ',10'\n"
                "set y2label font ',10'\n"
                "set style fill transparent solid 0.15 noborder\n");
  fit_functions(&gp, c);
  buf_puts(&gp, "set multiplot\nunset key\n");
  char pk[96];
  const char *pax = y2 ? "axes x1y2 " : "";
  for(size_t i = 0; i < c->nrms; i++) {
    const struct plot_rm *rm = &c->rms[i];
    peak_text(pk, sizeof(pk), rm, s.dmax, s.maxn);
    struct buf t = BUF_INIT;
    buf_puts(&t, rm->name);
    buf_puts(&t, pk);
    buf_puts(&gp, "set title ");
    plot_gp_str(&gp, buf_str(&t));
    buf_free(&t);
    buf_puts(&gp, "\nunset label\n");
    if(y2)
      buf_printf(&gp, "set yrange [%.6g:%.6g]\n", s.ymin - ypad(&s),
                 s.ymax + ypad(&s));
    peak_label(&gp, rm, i, 1, s.dmax, plot_gp_color(0));
    grid_panel(&gp, &g, i);
    buf_puts(&gp, "plot \\\n");
    if(HAS2(rm, gold_lo, gold_hi))
      buf_printf(&gp, "  '%s.dat' index %zu using %d:%d:%d with filledcurves"
                 " lc 1 notitle, \\\n", name, i, C_D, C_GLO, C_GHI);
    if(HAS2(rm, proxy_lo, proxy_hi))
      buf_printf(&gp, "  '%s.dat' index %zu using %d:%d:%d %swith "
                 "filledcurves lc 2 notitle, \\\n", name, i, C_D, C_PLO,
                 C_PHI, pax);
    if(fit_usable(rm))
      buf_printf(&gp, "  f%zu(x) with lines lc 1 dt (12,5) lw 2 notitle, "
                 "\\\n", i);
    if(HAS(rm, proxy))
      buf_printf(&gp, "  '%s.dat' index %zu using %d:%d %swith linespoints "
                 "pi PI "
                 "lt 2 dt (3,3) lw 1.5 notitle, \\\n", name, i, C_D,
                 C_PROXY, pax);
    buf_printf(&gp, "  '%s.dat' index %zu using %d:%d with linespoints pi PI "
               "lt 1 dt 1 lw 1.5 notitle\n", name, i, C_D, C_GOLD);
  }
  grid_key_begin(&gp, &g);
  buf_printf(&gp, ", \\\n"
             "  keyentry with linespoints lt 1 dt 1 lw 1.5 title "
             "'gold reward%s', \\\n"
             "  keyentry with linespoints lt 2 dt (3,3) lw 1.5 title "
             "'proxy reward%s', \\\n"
             "  keyentry with filledcurves lc rgb '#999999' title "
             "'95%% bootstrap bands', \\\n"
             "  keyentry with lines lc 1 dt (12,5) lw 2 title "
             "'fitted Gao BoN curve (gold)', \\\n"
             "  keyentry with points pt 12 ps 2.2 lw 2 lc 1 title "
             "'fitted peak n*'\nunset multiplot\n",
             y2 ? " (left axis)" : "", y2 ? " (right axis)" : "");
  int rc = emit(cx, name, &dat, &gp, err);
  buf_free(&dat);
  buf_free(&gp);
  return rc;
}

/* n on a log2 axis, KL in nats on the upper axis. */
static void n_axes(struct buf *gp, const struct span *s, int grid)
{
  double top = log2(s->maxn);
  if(top <= 0)
    top = 1;
  buf_printf(gp, "set xrange [-0.1:%.6g]\nset link x2\n", top + 0.1);
  point_interval(gp, s);
  buf_puts(gp, "set xlabel 'n  (best of n samples, log2 scale)'\n");
  if(!grid)
    buf_puts(gp, "set x2label 'KL_bon = log n - (n-1)/n  (nats)'\n");
  buf_puts(gp, "set xtics (");
  int step = top > 10 ? 2 : 1;
  for(int k = 0; k <= (int)floor(top + 1e-9); k += step)
    buf_printf(gp, "%s'%.0f' %d", k ? ", " : "", pow(2, k), k);
  buf_puts(gp, ")\nset x2tics (");
  double klmax = stats_kl_bon(s->maxn);
  double kstep = klmax < 1.5 ? 0.25 : klmax < 3 ? 0.5 : 1;
  int first = 1;
  for(double kl = 0; kl <= klmax + 1e-9; kl += kstep) {
    int last = kl + kstep > klmax + 1e-9;
    buf_printf(gp, "%s'%s%g%s' %.6g", first ? "" : ", ",
               first && grid ? "KL = " : "", kl,
               last && grid ? " nats" : "", log2(stats_kl_bon_inverse(kl)));
    first = 0;
  }
  buf_puts(gp, ")\nset ytics mirror\n");
}

static int fig_gold_vs_n(struct ctx *cx, const struct plot_curves *c,
                         struct bon_err *err)
{
  const char *name = "gold_vs_n";
  struct span s = curve_span(c, 1);
  int multi = c->nrms > MAX_OVERLAY;
  long orc = -1, maj = -1;
  for(size_t i = 0; i < c->nrms; i++) {
    if(orc < 0 && HAS(&c->rms[i], oracle))
      orc = (long)i;
    if(maj < 0 && HAS(&c->rms[i], majority))
      maj = (long)i;
  }
  struct buf dat = BUF_INIT, gp = BUF_INIT;
  const char *src = rel(cx, cx->paths->curves);
  curves_dat(&dat, name, src, c);
  script_head(&gp, name, "gold reward vs log2 n per RM, with the oracle "
              "(pass@n) ceiling and the majority-vote baseline", src);
  const int keypx = 70;
  struct grid g = {0};
  if(multi) {
    g = grid_make(c->nrms, 430, 350, 80, 30, keypx);
    preamble(&gp, cx, name, g.w, g.h);
  }
  else
    preamble(&gp, cx, name, 960, 680);
  n_axes(&gp, &s, multi);
  buf_printf(&gp, "set ylabel '%s'\n", s.accuracy ? "gold reward (accuracy)"
                                                  : "gold reward");
  buf_puts(&gp, "set style fill transparent solid 0.15 noborder\n");
  char base[512] = "";
  if(orc >= 0)
    snprintf(base, sizeof(base), "  '%s.dat' index %ld using %d:%d with lines"
             " lc rgb '#000000' dt (8,4) lw 2.5 title 'oracle ceiling "
             "(pass@n)', \\\n", name, orc, C_LOG2N, C_ORACLE);
  if(maj >= 0)
    snprintf(base + strlen(base), sizeof(base) - strlen(base),
             "  '%s.dat' index %ld using %d:%d with linespoints pi PI lc rgb "
             "'#777777' dt (2,3) lw 2 pt 1 ps 1.2 title 'majority vote', "
             "\\\n", name, maj, C_LOG2N, C_MAJ);
  if(!multi) {
    flat_yrange(&gp, &s);
    buf_puts(&gp, "set key outside below center horizontal Left reverse "
                  "maxcols 2 height 1 samplen 4 spacing 1.2 width 2\n"
                  "plot \\\n");
    buf_puts(&gp, base);
    for(size_t i = 0; i < c->nrms; i++)
      if(HAS2(&c->rms[i], gold_lo, gold_hi))
        buf_printf(&gp, "  '%s.dat' index %zu using %d:%d:%d with "
                   "filledcurves lc %zu notitle, \\\n", name, i, C_LOG2N,
                   C_GLO, C_GHI, i % 8 + 1);
    for(size_t i = 0; i < c->nrms; i++) {
      buf_printf(&gp, "  '%s.dat' index %zu using %d:%d with linespoints pi PI "
                 "lt %zu lw 2 title ", name, i, C_LOG2N, C_GOLD, i % 8 + 1);
      plot_gp_str(&gp, c->rms[i].name);
      buf_puts(&gp, i + 1 < c->nrms ? ", \\\n" : "");
    }
    buf_puts(&gp, ", \\\n  keyentry with filledcurves lc rgb '#999999' "
                  "title '95% bootstrap band'\n");
  }
  else {
    buf_puts(&gp, "set xlabel font ',10'\nset ylabel font ',10'\n");
    buf_puts(&gp, "set multiplot\nunset key\n");
    for(size_t i = 0; i < c->nrms; i++) {
      const struct plot_rm *rm = &c->rms[i];
      buf_puts(&gp, "set title ");
      plot_gp_str(&gp, rm->name);
      buf_printf(&gp, "\nset yrange [%.6g:%.6g]\n",
                 s.ymin - ypad(&s), s.ymax + ypad(&s));
      grid_panel(&gp, &g, i);
      buf_puts(&gp, "plot \\\n");
      for(size_t j = 0; j < c->nrms; j++)
        if(j != i)
          buf_printf(&gp, "  '%s.dat' index %zu using %d:%d with lines "
                     "lc rgb '#d0d0d0' lw 1 dt 1 notitle, \\\n", name, j,
                     C_LOG2N, C_GOLD);
      buf_puts(&gp, base);
      if(HAS2(rm, gold_lo, gold_hi))
        buf_printf(&gp, "  '%s.dat' index %zu using %d:%d:%d with "
                   "filledcurves lc 1 notitle, \\\n", name, i, C_LOG2N,
                   C_GLO, C_GHI);
      buf_printf(&gp, "  '%s.dat' index %zu using %d:%d with linespoints pi PI "
                 "lt 1 lw 2 notitle\n", name, i, C_LOG2N, C_GOLD);
    }
    grid_key_begin(&gp, &g);
    buf_puts(&gp, ", \\\n  keyentry with linespoints lt 1 lw 2 title 'gold "
             "reward (this RM)', \\\n  keyentry with filledcurves lc 1 title "
             "'95% bootstrap band', \\\n  keyentry with lines lc rgb "
             "'#d0d0d0' lw 1 title 'other RMs'");
    if(orc >= 0)
      buf_puts(&gp, ", \\\n  keyentry with lines lc rgb '#000000' dt (8,4) "
               "lw 2.5 title 'oracle ceiling (pass@n)'");
    if(maj >= 0)
      buf_puts(&gp, ", \\\n  keyentry with linespoints lc rgb '#777777' "
               "dt (2,3) lw 2 pt 1 ps 1.2 title 'majority vote'");
    buf_puts(&gp, "\nunset multiplot\n");
  }
  int rc = emit(cx, name, &dat, &gp, err);
  buf_free(&dat);
  buf_free(&gp);
  return rc;
}

/* ---- benchmark vs gain -------------------------------------------------- */

struct bpoint {
  const char *rm; /* borrowed from the gains table */
  double x, xlo, xhi, y, ylo, yhi;
};

/* Join benchmark.csv (accuracy) and gains.csv (delta) on rm, in the order
 * of gains.csv.  Returns the number of points with finite x and y. */
static size_t join_bench(const struct plot_table *b,
                         const struct plot_table *gn,
                         struct bpoint *out, double *k)
{
  int brm = plot_table_col(b, "rm"), ba = plot_table_col(b, "accuracy");
  int blo = plot_table_col(b, "accuracy_lo");
  int bhi = plot_table_col(b, "accuracy_hi"), bk = plot_table_col(b, "k");
  int grm = plot_table_col(gn, "rm"), gd = plot_table_col(gn, "delta");
  int glo = plot_table_col(gn, "delta_lo");
  int ghi = plot_table_col(gn, "delta_hi");
  size_t m = 0;
  *k = NAN;
  if(brm < 0 || ba < 0 || grm < 0 || gd < 0)
    return 0;
  for(size_t r = 0; r < gn->nrows; r++) {
    const char *rm = plot_table_str(gn, r, grm);
    for(size_t q = 0; q < b->nrows; q++) {
      if(strcmp(plot_table_str(b, q, brm), rm))
        continue;
      struct bpoint p = {rm, plot_table_num(b, q, ba),
                         plot_table_num(b, q, blo), plot_table_num(b, q, bhi),
                         plot_table_num(gn, r, gd), plot_table_num(gn, r, glo),
                         plot_table_num(gn, r, ghi)};
      if(isnan(*k))
        *k = plot_table_num(b, q, bk);
      if(isfinite(p.x) && isfinite(p.y))
        out[m++] = p;
      break;
    }
  }
  return m;
}

/* Least squares y = a + b x; 0 when the x values do not vary. */
static int ols(const struct bpoint *p, size_t n, double *a, double *b)
{
  double mx = 0, my = 0, sxx = 0, sxy = 0;
  if(n < 2)
    return 0;
  for(size_t i = 0; i < n; i++) {
    mx += p[i].x;
    my += p[i].y;
  }
  mx /= n;
  my /= n;
  for(size_t i = 0; i < n; i++) {
    sxx += (p[i].x - mx) * (p[i].x - mx);
    sxy += (p[i].x - mx) * (p[i].y - my);
  }
  if(!(sxx > 1e-300))
    return 0;
  *b = sxy / sxx;
  *a = my - *b * mx;
  return 1;
}

static void range_of(const struct bpoint *p, size_t n, int ycoord,
                     double *lo, double *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for(size_t i = 0; i < n; i++) {
    double v[3] = {ycoord ? p[i].y : p[i].x, ycoord ? p[i].ylo : p[i].xlo,
                   ycoord ? p[i].yhi : p[i].xhi};
    for(int k = 0; k < 3; k++)
      if(isfinite(v[k])) {
        *lo = fmin(*lo, v[k]);
        *hi = fmax(*hi, v[k]);
      }
  }
  double span = *hi - *lo;
  if(!(span > 1e-9))
    span = fmax(fabs(*hi), 0.1);
  *lo -= 0.12 * span;
  *hi += 0.12 * span;
}

/* Label boxes in pixels: x0, x1, y0, y1. */
struct box {
  double x0, x1, y0, y1;
};

static double overlap(struct box a, struct box b)
{
  double w = fmin(a.x1, b.x1) - fmax(a.x0, b.x0);
  double h = fmin(a.y1, b.y1) - fmax(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

/* Number of UTF-8 characters of s. */
static size_t u8len(const char *s)
{
  size_t n = 0;
  for(; *s; s++)
    n += ((unsigned char)*s & 0xc0) != 0x80;
  return n;
}

/* Place the RM labels of one panel so they avoid each other, the points
 * and the frame: for each point try eight positions around it and keep the
 * one with the least overlap.  Writes `set label` commands. */
static void place_labels(struct buf *gp, const struct bpoint *p, size_t n,
                         double x0, double x1, double y0, double y1,
                         struct box area, double W, double H)
{
  const double cw = 6.4, ch = 13, gap = 7; /* font 9: char w, h, gap */
  struct box *placed = xcalloc(n ? n : 1, sizeof(*placed));
  static const struct {
    double dx, dy; /* direction */
    const char *just;
  } cand[8] = {
    {1, 0, "left"}, {-1, 0, "right"}, {0, 1, "center"}, {0, -1, "center"},
    {1, 1, "left"}, {1, -1, "left"}, {-1, 1, "right"}, {-1, -1, "right"},
  };
  double *px = xmalloc((n ? n : 1) * sizeof(double));
  double *py = xmalloc((n ? n : 1) * sizeof(double));
#define X(v) (area.x0 + ((v) - x0) / (x1 - x0) * (area.x1 - area.x0))
#define Y(v) (area.y0 + ((v) - y0) / (y1 - y0) * (area.y1 - area.y0))
  for(size_t i = 0; i < n; i++) {
    px[i] = X(p[i].x);
    py[i] = Y(p[i].y);
  }
  for(size_t i = 0; i < n; i++) {
    double w = cw * (double)u8len(p[i].rm) + 2;
    double best = INFINITY;
    int bc = 0;
    struct box bb = {0, 0, 0, 0};
    for(int c = 0; c < 8; c++) {
      struct box b;
      double cx = px[i] + cand[c].dx * gap, cy = py[i] + cand[c].dy * gap;
      if(cand[c].dx > 0)
        b.x0 = cx, b.x1 = cx + w;
      else if(cand[c].dx < 0)
        b.x0 = cx - w, b.x1 = cx;
      else
        b.x0 = cx - w / 2, b.x1 = cx + w / 2;
      if(cand[c].dy > 0)
        b.y0 = cy, b.y1 = cy + ch;
      else if(cand[c].dy < 0)
        b.y0 = cy - ch, b.y1 = cy;
      else
        b.y0 = cy - ch / 2, b.y1 = cy + ch / 2;
      double cost = 0;
      for(size_t j = 0; j < i; j++)
        cost += overlap(b, placed[j]);
      for(size_t j = 0; j < n; j++) {
        struct box pt = {px[j] - 5, px[j] + 5, py[j] - 5, py[j] + 5};
        cost += 2 * overlap(b, pt);
        /* the error bars, as thin boxes */
        if(isfinite(p[j].xlo) && isfinite(p[j].xhi)) {
          struct box eb = {X(p[j].xlo), X(p[j].xhi), py[j] - 2, py[j] + 2};
          cost += overlap(b, eb);
        }
        if(isfinite(p[j].ylo) && isfinite(p[j].yhi)) {
          struct box eb = {px[j] - 2, px[j] + 2, Y(p[j].ylo), Y(p[j].yhi)};
          cost += overlap(b, eb);
        }
      }
      /* Outside the frame counts like overlap. */
      double area_in = overlap(b, area);
      cost += 3 * ((b.x1 - b.x0) * (b.y1 - b.y0) - area_in);
      cost += c * 0.01; /* prefer the earlier candidates on ties */
      if(cost < best) {
        best = cost;
        bc = c;
        bb = b;
      }
    }
    placed[i] = bb;
    buf_puts(gp, "set label ");
    plot_gp_str(gp, p[i].rm);
    /* The anchor is the point, shifted by the gap in pixels (screen). */
    buf_printf(gp, " at %.10g, %.10g %s font ',9' offset screen %.5f, %.5f "
               "front\n", p[i].x, p[i].y, cand[bc].just,
               cand[bc].dx * gap / W, cand[bc].dy * (gap + ch / 2) / H);
  }
#undef X
#undef Y
  free(placed);
  free(px);
  free(py);
}

/* "0.91 [0.57, 0.98]" or "n/a". */
static void stat_ci(char *out, size_t len, double v, double lo, double hi)
{
  if(!isfinite(v))
    snprintf(out, len, "n/a");
  else if(isfinite(lo) && isfinite(hi))
    snprintf(out, len, "%.2f  [%.2f, %.2f]", v, lo, hi);
  else
    snprintf(out, len, "%.2f", v);
}

static int fig_bench_vs_gain(struct ctx *cx, struct bon_err *err)
{
  const char *name = "bench_vs_gain";
  const struct plot_paths *pp = cx->paths;
  if(!pp->gains || (!pp->bench[0] && !pp->bench[1])) {
    note(cx->res, "skipped %s: needs %s", name,
         !pp->gains ? "analysis/gains.csv"
                    : "benchmarks/one_to_many/ or one_to_one/benchmark.csv");
    cx->res->skipped++;
    return 0;
  }
  struct plot_table gn, bt[2], corr;
  int have_corr = 0, nb = 0, rc = -1;
  memset(bt, 0, sizeof(bt));
  if(plot_table_read(&gn, pp->gains, err))
    return -1;
  if(gn.nrows > PLOT_MAX_RMS) {
    note(cx->res, "skipped %s: %zu RMs in gains.csv are too many (at most "
         "%d)", name, gn.nrows, PLOT_MAX_RMS);
    cx->res->skipped++;
    plot_table_free(&gn);
    return 0;
  }
  if(pp->corr) {
    if(plot_table_read(&corr, pp->corr, err))
      goto out_gains;
    have_corr = 1;
  }
  struct bpoint *pts[2] = {NULL, NULL};
  size_t np[2] = {0, 0};
  double kk[2] = {NAN, NAN};
  int which[2];
  for(int b = 0; b < 2; b++) {
    if(!pp->bench[b])
      continue;
    if(plot_table_read(&bt[nb], pp->bench[b], err))
      goto out;
    pts[nb] = xcalloc(gn.nrows + 1, sizeof(struct bpoint));
    if(bt[nb].nrows <= PLOT_MAX_RMS)
      np[nb] = join_bench(&bt[nb], &gn, pts[nb], &kk[nb]);
    else
      note(cx->res, "%s: %zu RMs in %s are too many (at most %d): panel "
           "left out", name, bt[nb].nrows, rel(cx, pp->bench[b]),
           PLOT_MAX_RMS);
    which[nb] = b;
    nb++;
  }
  /* Drop panels without points. */
  int panels = 0;
  for(int i = 0; i < nb; i++)
    panels += np[i] > 0;
  if(!panels) {
    note(cx->res, "skipped %s: no RM has both a benchmark accuracy and a "
         "gain (columns rm, accuracy in benchmark.csv; rm, delta in "
         "gains.csv)", name);
    cx->res->skipped++;
    rc = 0;
    goto out;
  }
  const int W = panels == 2 ? 1280 : 700, H = 720;
  struct buf dat = BUF_INIT, gp = BUF_INIT;
  struct buf src = BUF_INIT;
  buf_puts(&src, rel(cx, pp->gains));
  for(int i = 0; i < nb; i++)
    buf_printf(&src, ", %s", rel(cx, pp->bench[which[i]]));
  if(have_corr)
    buf_printf(&src, ", %s", rel(cx, pp->corr));
  buf_printf(&dat, "# %s.dat - ", name);
  comment(&dat, "benchmark accuracy vs BoN gain, from ", buf_str(&src));
  buf_puts(&dat, "# per panel two blocks: index 2p = the RMs (columns: 1 "
                 "accuracy 2 accuracy_lo 3 accuracy_hi\n# 4 delta 5 "
                 "delta_lo 6 delta_hi), index 2p+1 = the least-squares line "
                 "(x y)\n");
  script_head(&gp, name, "benchmark accuracy vs BoN gain across RMs, one "
              "panel per benchmark", buf_str(&src));
  buf_free(&src);
  preamble(&gp, cx, name, W, H);
  buf_puts(&gp, "set multiplot\nset grid\nset ytics mirror\n"
                "set xtics mirror\n");
  double maxn = NAN;
  if(pp->curves) {
    struct plot_curves c;
    struct bon_err e2;
    if(!plot_curves_load(&c, pp->curves, NULL, &e2)) {
      maxn = plot_curves_max_n(&c);
      plot_curves_free(&c);
    }
  }
  char ylab[160];
  if(isfinite(maxn))
    snprintf(ylab, sizeof(ylab), "BoN gain: gold(n = %.0f) - gold(1)  "
             "(accuracy)", maxn);
  else
    snprintf(ylab, sizeof(ylab), "BoN gain: gold(largest n) - gold(1)");
  int p = 0;
  for(int i = 0; i < nb; i++) {
    if(!np[i])
      continue;
    const struct bpoint *pt = pts[i];
    size_t n = np[i];
    double x0, x1, y0, y1, a = 0, b = 0;
    range_of(pt, n, 0, &x0, &x1);
    range_of(pt, n, 1, &y0, &y1);
    int line = ols(pt, n, &a, &b);
    /* data blocks */
    if(p)
      buf_puts(&dat, "\n\n");
    buf_printf(&dat, "# index %d: %s benchmark, RMs\n", 2 * p,
               which[i] ? "one-to-one" : "one-to-many");
    for(size_t j = 0; j < n; j++) {
      comment(&dat, "# ", pt[j].rm);
      double v[6] = {pt[j].x, pt[j].xlo, pt[j].xhi, pt[j].y, pt[j].ylo,
                     pt[j].yhi};
      for(int k = 0; k < 6; k++) {
        if(k)
          buf_putc(&dat, ' ');
        num(&dat, v[k]);
      }
      buf_putc(&dat, '\n');
    }
    buf_printf(&dat, "\n\n# index %d: least-squares line y = a + b x over "
               "the RMs' accuracies\n", 2 * p + 1);
    double lx0 = INFINITY, lx1 = -INFINITY;
    for(size_t j = 0; j < n; j++) {
      lx0 = fmin(lx0, pt[j].x);
      lx1 = fmax(lx1, pt[j].x);
    }
    num(&dat, lx0);
    buf_putc(&dat, ' ');
    num(&dat, line ? a + b * lx0 : NAN);
    buf_putc(&dat, '\n');
    num(&dat, lx1);
    buf_putc(&dat, ' ');
    num(&dat, line ? a + b * lx1 : NAN);
    buf_putc(&dat, '\n');
    /* panel geometry (screen fractions) */
    double l = (p * (double)W / panels + 85) / W;
    double r = ((p + 1) * (double)W / panels - 25) / W;
    double bot = 250.0 / H, top = 1 - 50.0 / H;
    buf_printf(&gp, "\n# ---- panel %d: %s\n", p + 1,
               which[i] ? "one-to-one" : "one-to-many");
    buf_printf(&gp, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
               "set bmargin at screen %.4f\nset tmargin at screen %.4f\n",
               l, r, bot, top);
    buf_printf(&gp, "unset label\nunset arrow\nset xrange [%.6g:%.6g]\n"
               "set yrange [%.6g:%.6g]\n", x0, x1, y0, y1);
    if(which[i])
      buf_puts(&gp, "set title 'One-to-one benchmark (chosen vs rejected "
                    "pairs)'\nset xlabel 'one-to-one accuracy  (fraction of "
                    "pairs won)'\n");
    else {
      char k[32] = "";
      if(isfinite(kk[i]))
        snprintf(k, sizeof(k), ", k = %.0f", kk[i]);
      buf_printf(&gp, "set title 'One-to-many benchmark (1 correct vs k "
                 "incorrect%s)'\nset xlabel 'one-to-many accuracy  "
                 "(fraction of problems won)'\n", k);
    }
    buf_puts(&gp, "set ylabel ");
    plot_gp_str(&gp, ylab);
    buf_putc(&gp, '\n');
    if(y0 < 0 && y1 > 0)
      buf_puts(&gp, "set arrow from graph 0, first 0 to graph 1, first 0 "
                    "nohead lc rgb '#888888' dt (4,4) lw 1 back\n");
    if(isfinite(kk[i]) && kk[i] >= 1) {
      double chance = 1 / (kk[i] + 1);
      if(chance > x0 && chance < x1)
        buf_printf(&gp, "set arrow from %.6g, graph 0 to %.6g, graph 1 "
                   "nohead lc rgb '#888888' dt (2,3) lw 1 back\n"
                   "set label 'chance' at %.6g, graph 0.97 left offset "
                   "0.5,0 tc rgb '#666666' font ',9'\n", chance, chance,
                   chance);
    }
    struct box area = {l * W, r * W, bot * H, top * H};
    place_labels(&gp, pt, n, x0, x1, y0, y1, area, W, H);
    buf_printf(&gp, "set key at screen %.4f, %.4f left top vertical "
               "Left reverse samplen 2.5 spacing 1.25 box lc rgb '#bbbbbb' "
               "width 1\n",
               l, bot - 85.0 / H);
    struct plot_corr pc = {0};
    if(have_corr)
      plot_corr_find(&corr, which[i], "accuracy", "delta", &pc);
    buf_printf(&gp, "plot \\\n  '%s.dat' index %d using 1:4:2:3:5:6 with "
               "xyerrorbars lt 1 lw 1.2 title 'RMs (bars: 95%% intervals)'",
               name, 2 * p);
    if(line)
      buf_printf(&gp, ", \\\n  '%s.dat' index %d using 1:2 with lines lc 2 "
                 "dt (12,5) lw 2 title 'least-squares line'", name,
                 2 * p + 1);
    char t1[64], t2[64], t3[64], line_s[200];
    if(pc.ok) {
      stat_ci(t1, sizeof(t1), pc.r, pc.r_lo, pc.r_hi);
      stat_ci(t2, sizeof(t2), pc.rho, pc.rho_lo, pc.rho_hi);
      stat_ci(t3, sizeof(t3), pc.tau, pc.tau_lo, pc.tau_hi);
      const char *fmt[3] = {"Pearson r = %s", "Spearman \xcf\x81 = %s",
                            "Kendall \xcf\x84 = %s"};
      const char *val[3] = {t1, t2, t3};
      for(int k = 0; k < 3; k++) {
        snprintf(line_s, sizeof(line_s), fmt[k], val[k]);
        buf_puts(&gp, ", \\\n  keyentry with points pt -1 lc rgb '#ffffff'"
                      " title ");
        plot_gp_str(&gp, line_s);
      }
      snprintf(line_s, sizeof(line_s), "%d RMs, 95%% intervals%s", pc.n,
               pc.n < 10 ? " (few RMs: intervals are wide)" : "");
      buf_puts(&gp, ", \\\n  keyentry with points pt -1 lc rgb '#ffffff' "
                    "title ");
      plot_gp_str(&gp, line_s);
    }
    else
      buf_puts(&gp, ", \\\n  keyentry with points pt -1 lc rgb '#ffffff' "
                    "title 'r, \xcf\x81, \xcf\x84: not in "
                    "correlation/correlations.csv (run bonrun correlate)'");
    buf_putc(&gp, '\n');
    p++;
  }
  buf_puts(&gp, "unset multiplot\n");
  rc = emit(cx, name, &dat, &gp, err);
  buf_free(&dat);
  buf_free(&gp);
out:
  for(int i = 0; i < nb; i++) {
    plot_table_free(&bt[i]);
    free(pts[i]);
  }
  if(have_corr)
    plot_table_free(&corr);
out_gains:
  plot_table_free(&gn);
  return rc;
}

/* ---- correlation heatmap ----------------------------------------------- */

/* Index of s in list (appending it when new). */
static size_t intern(const char ***list, size_t *n, const char *s)
{
  for(size_t i = 0; i < *n; i++)
    if(!strcmp((*list)[i], s))
      return i;
  *list = xrealloc(*list, (*n + 1) * sizeof(**list));
  (*list)[*n] = s;
  return (*n)++;
}

static int fig_corr_heatmap(struct ctx *cx, struct bon_err *err)
{
  const char *name = "corr_heatmap";
  if(!cx->paths->corr) {
    note(cx->res, "skipped %s: needs correlation/correlations.csv", name);
    cx->res->skipped++;
    return 0;
  }
  struct plot_table t;
  if(plot_table_read(&t, cx->paths->corr, err))
    return -1;
  int cxs = plot_table_col(&t, "x"), cys = plot_table_col(&t, "y");
  int cr = plot_table_col(&t, "pearson"), clo = plot_table_col(&t,
                                                               "pearson_lo");
  int chi = plot_table_col(&t, "pearson_hi");
  if(cxs < 0 || cys < 0 || cr < 0 || !t.nrows) {
    int bad = cxs < 0 || cys < 0 || cr < 0;
    if(!bad) {
      note(cx->res, "skipped %s: %s has no rows", name,
           rel(cx, cx->paths->corr));
      cx->res->skipped++;
    }
    plot_table_free(&t);
    return bad ? bon_errf(err, "%s: needs the columns x, y, pearson "
                          "(stats/formats.md)", cx->paths->corr)
               : 0;
  }
  const char **xs = NULL, **ys = NULL;
  size_t nx = 0, ny = 0;
  for(size_t r = 0; r < t.nrows && nx <= 400 && ny <= 400; r++) {
    intern(&xs, &nx, plot_table_str(&t, r, cxs));
    intern(&ys, &ny, plot_table_str(&t, r, cys));
  }
  if(nx * ny > 400) {
    note(cx->res, "skipped %s: %zu x %zu metrics are too many for a "
         "heatmap (at most 400 cells)", name, nx, ny);
    cx->res->skipped++;
    free(xs);
    free(ys);
    plot_table_free(&t);
    return 0;
  }
  /* cell values: r, lo, hi; NAN where absent */
  double *cell = xmalloc(nx * ny * 3 * sizeof(double));
  for(size_t i = 0; i < nx * ny * 3; i++)
    cell[i] = NAN;
  for(size_t r = 0; r < t.nrows; r++) {
    size_t i = intern(&xs, &nx, plot_table_str(&t, r, cxs));
    size_t j = intern(&ys, &ny, plot_table_str(&t, r, cys));
    double *v = &cell[(i * ny + j) * 3];
    v[0] = plot_table_num(&t, r, cr);
    v[1] = plot_table_num(&t, r, clo);
    v[2] = plot_table_num(&t, r, chi);
  }
  struct buf dat = BUF_INIT, gp = BUF_INIT;
  const char *src = rel(cx, cx->paths->corr);
  buf_printf(&dat, "# %s.dat - ", name);
  comment(&dat, "Pearson r of benchmark metrics (x) vs gains (y), from ",
          src);
  buf_puts(&dat, "# columns: 1 x index  2 y row (0 = bottom)  3 r  4 r_lo  "
                 "5 r_hi\n");
  for(size_t i = 0; i < nx; i++) {
    buf_printf(&dat, "# x %zu: ", i);
    comment(&dat, "", xs[i]);
  }
  for(size_t j = 0; j < ny; j++) {
    buf_printf(&dat, "# y %zu: ", j);
    comment(&dat, "", ys[j]);
  }
  for(size_t i = 0; i < nx; i++)
    for(size_t j = 0; j < ny; j++) {
      const double *v = &cell[(i * ny + j) * 3];
      buf_printf(&dat, "%zu %zu ", i, ny - 1 - j);
      num(&dat, v[0]);
      buf_putc(&dat, ' ');
      num(&dat, v[1]);
      buf_putc(&dat, ' ');
      num(&dat, v[2]);
      buf_putc(&dat, '\n');
    }
  script_head(&gp, name, "Pearson r between benchmark metrics and BoN "
              "gains across RMs", src);
  int W = 330 + 190 * (int)nx, H = 200 + 80 * (int)ny;
  if(W < 760)
    W = 760;
  if(H < 460)
    H = 460;
  preamble(&gp, cx, name, W, H);
  buf_printf(&gp, "set xrange [-0.5:%.1f]\nset yrange [-0.5:%.1f]\n"
             "set tics scale 0\nunset grid\nset border lw 1\n",
             nx - 0.5, ny - 0.5);
  buf_puts(&gp, "set palette defined (-1 '#0072B2', 0 '#f7f7f7', 1 "
                "'#D55E00')\nset cbrange [-1:1]\nset cbtics 0.5\n"
                "set cblabel 'Pearson r across RMs'\nunset key\n"
                "set title 'Does the benchmark predict the BoN gain? "
                "Pearson r [95% interval]'\n"
                "set xlabel 'benchmark metric'\nset ylabel 'policy gain'\n");
  buf_puts(&gp, "set xtics (");
  for(size_t i = 0; i < nx; i++) {
    char *lab = plot_metric_label(xs[i]);
    buf_puts(&gp, i ? ", " : "");
    plot_gp_str(&gp, lab);
    buf_printf(&gp, " %zu", i);
    free(lab);
  }
  buf_puts(&gp, ")\nset ytics (");
  for(size_t j = 0; j < ny; j++) {
    char *lab = plot_metric_label(ys[j]);
    buf_puts(&gp, j ? ", " : "");
    plot_gp_str(&gp, lab);
    buf_printf(&gp, " %zu", ny - 1 - j);
    free(lab);
  }
  buf_puts(&gp, ")\n");
  if(nx > 4)
    buf_puts(&gp, "set xtics rotate by 25 right\n");
  for(size_t i = 0; i < nx; i++)
    for(size_t j = 0; j < ny; j++) {
      const double *v = &cell[(i * ny + j) * 3];
      const char *tc = isfinite(v[0]) && fabs(v[0]) > 0.6 ? "#ffffff"
                                                          : "#000000";
      if(!isfinite(v[0]))
        buf_printf(&gp, "set label 'n/a' at %zu, %zu center tc rgb '#666666'"
                   " front\n", i, ny - 1 - j);
      else {
        buf_printf(&gp, "set label '%.2f' at %zu, %zu center offset 0,0.45 "
                   "tc rgb '%s' font ',13' front\n", v[0], i, ny - 1 - j, tc);
        if(isfinite(v[1]) && isfinite(v[2]))
          buf_printf(&gp, "set label '[%.2f, %.2f]' at %zu, %zu center "
                     "offset 0,-0.75 tc rgb '%s' font ',9' front\n", v[1],
                     v[2], i, ny - 1 - j, tc);
      }
    }
  buf_printf(&gp, "plot '%s.dat' using 1:2:(0.5):(0.5):3 with boxxyerror "
             "fs solid 1.0 border lc rgb '#ffffff' fc palette\n", name);
  int rc = emit(cx, name, &dat, &gp, err);
  buf_free(&dat);
  buf_free(&gp);
  free(cell);
  free(xs);
  free(ys);
  plot_table_free(&t);
  return rc;
}

/* ---- driver ------------------------------------------------------------ */

int plot_figures(const char *run_dir, const char *format,
                 struct plot_result *res, struct bon_err *err)
{
  struct plot_paths paths;
  struct ctx cx = {&paths, PLOT_PNG, res};
  if(format && plot_fmt_parse(format, &cx.fmt, err))
    return -1;
  if(plot_paths_find(&paths, run_dir, err))
    return -1;
  if(fs_mkdirs(paths.plots_dir, err)) {
    plot_paths_free(&paths);
    return -1;
  }
  struct bon_err first;
  int failed = 0;
  first.msg[0] = '\0';
#define TRY(call, fig)                                                    \
  do {                                                                    \
    struct bon_err fe; /* the figure's error, named in `call` */          \
    int before = res->skipped;                                            \
    if((call) != 0) {                                                     \
      res->failed++;                                                      \
      note(res, "failed %s: %s", fig, fe.msg);                            \
      if(!failed++)                                                       \
        first = fe;                                                       \
    }                                                                     \
    else if(res->skipped == before)                                       \
      res->written++;                                                     \
  } while(0)
  struct plot_curves c = {NULL, 0};
  if(paths.curves) {
    struct bon_err e;
    if(plot_curves_load(&c, paths.curves, paths.fits, &e)) {
      static const char *const figs[3] = {"gold_vs_d", "proxy_vs_d",
                                          "gold_vs_n"};
      for(int i = 0; i < 3; i++) {
        res->failed++;
        note(res, "failed %s: %s", figs[i], e.msg);
      }
      if(!failed++)
        first = e;
    }
    else {
      /* An RM without any gold value has no curve to draw. */
      size_t k = 0;
      for(size_t i = 0; i < c.nrms; i++) {
        if(HAS(&c.rms[i], gold)) {
          c.rms[k++] = c.rms[i];
          continue;
        }
        note(res, "RM '%s' has no gold values: left out of the curve "
             "figures", c.rms[i].name);
        free(c.rms[i].name);
        free(c.rms[i].pts);
      }
      c.nrms = k;
    }
    if(paths.curves && !failed && c.nrms > MAX_PANELS) {
      note(res, "skipped gold_vs_d, proxy_vs_d, gold_vs_n: %zu RMs are "
           "too many for one figure (at most %d); plot a subset", c.nrms,
           MAX_PANELS);
      res->skipped += 3;
      plot_curves_free(&c);
    }
    else if(paths.curves && !failed && !c.nrms) {
      note(res, "skipped gold_vs_d, proxy_vs_d, gold_vs_n: no RM has gold "
           "values in %s", paths.curves);
      res->skipped += 3;
      plot_curves_free(&c);
    }
    else if(paths.curves && !failed) {
      TRY(fig_gold_vs_d(&cx, &c, &fe), "gold_vs_d");
      TRY(fig_proxy_vs_d(&cx, &c, &fe), "proxy_vs_d");
      TRY(fig_gold_vs_n(&cx, &c, &fe), "gold_vs_n");
      plot_curves_free(&c);
    }
  }
  else {
    note(res, "skipped gold_vs_d, proxy_vs_d, gold_vs_n: needs "
         "analysis/curves.csv");
    res->skipped += 3;
  }
  TRY(fig_bench_vs_gain(&cx, &fe), "bench_vs_gain");
  TRY(fig_corr_heatmap(&cx, &fe), "corr_heatmap");
#undef TRY
  plot_paths_free(&paths);
  if(failed) {
    if(err)
      *err = first;
    return -1;
  }
  return 0;
}

void plot_result_free(struct plot_result *res)
{
  buf_free(&res->notes);
  buf_free(&res->warnings);
  memset(res, 0, sizeof(*res));
}

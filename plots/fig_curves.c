/* fig_curves.c - what the three BoN curve figures share (fig.h): the
 * data file, the axes, the fitted curves and their peaks, small
 * multiples. */
#include "plots/fig.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats/bon.h"
#include "util/num.h"

void plot_curves_dat(struct buf *b, const char *name, const char *src,
                     const struct plot_curves *c)
{
  buf_printf(b, "# %s.dat - ", name);
  plot_comment(b, "best-of-n curves from ", src);
  buf_puts(b, "# one block per RM (gnuplot index 0, 1, ...); columns:\n"
              "# 1 n  2 log2(n)  3 kl (nats)  4 d = sqrt(kl)  5 gold  "
              "6 gold_lo  7 gold_hi\n# 8 proxy  9 proxy_lo  10 proxy_hi  "
              "11 oracle (pass@n)  12 majority\n");
  for(size_t i = 0; i < c->nrms; i++) {
    const struct plot_rm *rm = &c->rms[i];
    if(i)
      buf_puts(b, "\n\n");
    buf_printf(b, "# index %zu: ", i);
    plot_comment(b, "", rm->name);
    for(size_t j = 0; j < rm->npts; j++) {
      const struct plot_point *p = &rm->pts[j];
      double v[12] = {p->n, log2(p->n), p->kl, p->d, p->gold, p->gold_lo,
                      p->gold_hi, p->proxy, p->proxy_lo, p->proxy_hi,
                      p->oracle, p->majority};
      for(int k = 0; k < 12; k++) {
        if(k)
          buf_putc(b, ' ');
        num_put(b, v[k]);
      }
      buf_putc(b, '\n');
    }
  }
}

void plot_curve_sources(const struct plot_ctx *cx, char *out, size_t len)
{
  const struct plot_paths *pp = cx->paths;
  snprintf(out, len, "%s%s%s", plot_rel(cx, pp->curves),
           pp->fits ? " and " : "", pp->fits ? plot_rel(cx, pp->fits) : "");
}

int plot_rm_has(const struct plot_rm *rm, size_t off1, size_t off2)
{
  for(size_t j = 0; j < rm->npts; j++) {
    const char *p = (const char *)&rm->pts[j];
    if(isfinite(*(const double *)(p + off1)) &&
       isfinite(*(const double *)(p + off2)))
      return 1;
  }
  return 0;
}

int plot_fit_usable(const struct plot_rm *rm)
{
  const struct plot_fit *f = &rm->fit;
  return f->ok && isfinite(f->alpha) && isfinite(f->beta) &&
         isfinite(f->gold0);
}

/* The fitted peak lies inside [0, dmax]. */
static int peak_inside(const struct plot_rm *rm, double dmax)
{
  const struct plot_fit *f = &rm->fit;
  return plot_fit_usable(rm) && f->beta > 0 && isfinite(f->d_star) &&
         f->d_star > 0 && f->d_star <= dmax * 1.0001;
}

static void peak_text(char *out, size_t len, const struct plot_rm *rm,
                      double dmax, double maxn)
{
  char a[32];
  const struct plot_fit *f = &rm->fit;
  if(!plot_fit_usable(rm))
    snprintf(out, len, "%s", "");
  else if(peak_inside(rm, dmax)) {
    plot_fmt_n(a, sizeof(a), isfinite(f->n_star) ? f->n_star
               : stats_kl_bon_inverse(f->d_star * f->d_star));
    snprintf(out, len, " (peak n* \xe2\x89\x88 %s)", a);
  }
  else if(f->beta > 0) {
    plot_fmt_n(a, sizeof(a), maxn);
    snprintf(out, len, " (peak n* > %s)", a);
  }
  else
    snprintf(out, len, "%s", " (no peak: \xce\xb2 \xe2\x89\xa4 0)");
}

void plot_rm_label(struct buf *t, const struct plot_rm *rm,
                   const struct plot_span *s)
{
  char pk[96];
  peak_text(pk, sizeof(pk), rm, s->dmax, s->maxn);
  buf_puts(t, rm->name);
  buf_puts(t, pk);
}

void plot_panel_title(struct buf *gp, const struct plot_rm *rm,
                      const struct plot_span *s)
{
  struct buf t = BUF_INIT;
  plot_rm_label(&t, rm, s);
  buf_puts(gp, "set title ");
  plot_gp_str(gp, buf_str(&t));
  buf_putc(gp, '\n');
  buf_free(&t);
}

void plot_grey_others(struct buf *gp, const char *name, size_t nrms,
                      size_t i, int xcol)
{
  for(size_t j = 0; j < nrms; j++)
    if(j != i)
      buf_printf(gp, "  '%s.dat' index %zu using %d:%d with lines "
                 "lc rgb '#d0d0d0' lw 1 dt 1 notitle, \\\n", name, j, xcol,
                 PLOT_C_GOLD);
}

void plot_flat_yrange(struct buf *gp, const struct plot_span *s)
{
  if(isfinite(s->ymin) && s->ymax - s->ymin < 1e-9)
    buf_printf(gp, "set yrange [%.6g:%.6g]\n", s->ymin - 0.05,
               s->ymax + 0.05);
}

double plot_ypad(const struct plot_span *s)
{
  double span = s->ymax - s->ymin;
  return span > 1e-9 ? 0.04 * span : 0.05;
}

struct plot_span plot_curve_span(const struct plot_curves *c,
                                 int with_oracle)
{
  struct plot_span s = {0, 1, INFINITY, -INFINITY, 0, 1};
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

void plot_point_interval(struct buf *gp, const struct plot_span *s)
{
  buf_printf(gp, "PI = %zu  # a point marker every PI data points\n",
             s->maxpts > 24 ? (s->maxpts + 15) / 16 : (size_t)1);
}

void plot_d_axes(struct buf *gp, const struct plot_span *s, int y2,
                 int grid)
{
  buf_printf(gp, "set xrange [0:%.6g]\nset link x2\n", s->dmax * 1.03);
  plot_point_interval(gp, s);
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

void plot_fit_functions(struct buf *gp, const struct plot_curves *c)
{
  int any = 0;
  for(size_t i = 0; i < c->nrms; i++) {
    const struct plot_rm *rm = &c->rms[i];
    if(!plot_fit_usable(rm))
      continue;
    if(!any)
      buf_puts(gp, "# Gao et al. BoN fits from fits.csv: "
                   "gold(d) = gold0 + d*(alpha - beta*d)\n");
    any = 1;
    plot_comment(gp, "# ", rm->name);
    buf_printf(gp, "a%zu = %.10g; b%zu = %.10g; g%zu = %.10g\n", i,
               rm->fit.alpha, i, rm->fit.beta, i, rm->fit.gold0);
    buf_printf(gp, "f%zu(x) = g%zu + x*(a%zu - b%zu*x)\n", i, i, i, i);
  }
}

/* The peak marker of RM i, as a point label in its colour. */
void plot_peak_label(struct buf *gp, const struct plot_rm *rm, size_t i,
                     int lt, double dmax, const char *color)
{
  if(!peak_inside(rm, dmax))
    return;
  buf_printf(gp, "set label %zu '' at %.10g, f%zu(%.10g) point pt 12 "
             "ps 2.6 lw 2 lc rgb '%s' front\n", 100 + i, rm->fit.d_star, i,
             rm->fit.d_star, color ? color : plot_gp_color(lt - 1));
}

struct plot_grid plot_grid_make(size_t k, int pw, int ph, int inl, int inr,
                                int keypx)
{
  struct plot_grid g;
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

struct plot_grid plot_curve_preamble(struct buf *gp,
                                     const struct plot_ctx *cx,
                                     const char *name, size_t nrms)
{
  struct plot_grid g = {0};
  if(nrms > PLOT_MAX_OVERLAY) {
    g = plot_grid_make(nrms, 430, 350, 80, 30, 70);
    plot_preamble(gp, cx, name, g.w, g.h);
  }
  else
    plot_preamble(gp, cx, name, 960, 680);
  return g;
}

void plot_grid_panel(struct buf *gp, const struct plot_grid *g, size_t i)
{
  int row = (int)(i / (size_t)g->cols), col = (int)(i % (size_t)g->cols);
  double x0 = col * g->pw, y0 = g->keypx + (g->rows - 1 - row) * g->ph;
  buf_printf(gp, "set lmargin at screen %.4f; set rmargin at screen %.4f\n"
             "set bmargin at screen %.4f; set tmargin at screen %.4f\n",
             (x0 + g->inl) / g->w, (x0 + g->pw - g->inr) / g->w,
             (y0 + g->inb) / g->h, (y0 + g->ph - g->intop) / g->h);
}

void plot_grid_key_begin(struct buf *gp, const struct plot_grid *g)
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

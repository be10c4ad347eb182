/* fig_gold_vs_n.c - gold reward vs log2 n per RM, with the oracle (pass@n)
 * ceiling and the majority-vote baseline; KL in nats on the upper axis
 * (plot.h). */
#include "plots/fig.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats/bon.h"
#include "util/buf.h"

#define NAME "gold_vs_n"

/* n on a log2 axis, KL in nats on the upper axis. */
static void n_axes(struct buf *gp, const struct plot_span *s, int grid)
{
  double top = log2(s->maxn);
  if(top <= 0)
    top = 1;
  buf_printf(gp, "set xrange [-0.1:%.6g]\nset link x2\n", top + 0.1);
  plot_point_interval(gp, s);
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
               first && grid ? "KL = " : "", kl, last && grid ? " nats" : "",
               log2(stats_kl_bon_inverse(kl)));
    first = 0;
  }
  buf_puts(gp, ")\nset ytics mirror\n");
}

/* The plot items of the oracle ceiling and the majority vote (drawn from
 * the first RM that has them), into base. */
static void baselines(char *base, size_t len, const struct plot_curves *c,
                      long *orc, long *maj)
{
  *orc = *maj = -1;
  for(size_t i = 0; i < c->nrms; i++) {
    if(*orc < 0 && PLOT_HAS(&c->rms[i], oracle))
      *orc = (long)i;
    if(*maj < 0 && PLOT_HAS(&c->rms[i], majority))
      *maj = (long)i;
  }
  base[0] = '\0';
  if(*orc >= 0)
    snprintf(base, len, "  '%s.dat' index %ld using %d:%d with lines"
             " lc rgb '#000000' dt (8,4) lw 2.5 title 'oracle ceiling "
             "(pass@n)', \\\n", NAME, *orc, PLOT_C_LOG2N, PLOT_C_ORACLE);
  if(*maj >= 0)
    snprintf(base + strlen(base), len - strlen(base),
             "  '%s.dat' index %ld using %d:%d with linespoints pi PI lc rgb "
             "'#777777' dt (2,3) lw 2 pt 1 ps 1.2 title 'majority vote', "
             "\\\n", NAME, *maj, PLOT_C_LOG2N, PLOT_C_MAJ);
}

/* One overlay of every RM (at most PLOT_MAX_OVERLAY). */
static void overlay_gp(struct buf *gp, const struct plot_curves *c,
                       const struct plot_span *s, const char *base,
                       const char *level)
{
  plot_flat_yrange(gp, s);
  buf_puts(gp, "set key outside below center horizontal Left reverse "
               "maxcols 2 height 1 samplen 4 spacing 1.2 width 2\n"
               "plot \\\n");
  buf_puts(gp, base);
  for(size_t i = 0; i < c->nrms; i++)
    if(PLOT_HAS2(&c->rms[i], gold_lo, gold_hi))
      buf_printf(gp, "  '%s.dat' index %zu using %d:%d:%d with "
                 "filledcurves lc %zu notitle, \\\n", NAME, i, PLOT_C_LOG2N,
                 PLOT_C_GLO, PLOT_C_GHI, i % 8 + 1);
  for(size_t i = 0; i < c->nrms; i++) {
    buf_printf(gp, "  '%s.dat' index %zu using %d:%d with linespoints pi PI "
               "lt %zu lw 2 title ", NAME, i, PLOT_C_LOG2N, PLOT_C_GOLD,
               i % 8 + 1);
    plot_gp_str(gp, c->rms[i].name);
    buf_puts(gp, i + 1 < c->nrms ? ", \\\n" : "");
  }
  buf_printf(gp, ", \\\n  keyentry with filledcurves lc rgb '#999999' "
             "title '%s bootstrap band'\n", level);
}

/* Small multiples: one panel per RM, the other RMs in grey behind. */
static void panels_gp(struct buf *gp, const struct plot_curves *c,
                      const struct plot_span *s, const struct plot_grid *g,
                      const char *base, int orc, int maj,
                      const char *level)
{
  buf_puts(gp, "set xlabel font ',10'\nset ylabel font ',10'\n");
  buf_puts(gp, "set multiplot\nunset key\n");
  for(size_t i = 0; i < c->nrms; i++) {
    const struct plot_rm *rm = &c->rms[i];
    buf_puts(gp, "set title ");
    plot_gp_str(gp, rm->name);
    buf_printf(gp, "\nset yrange [%.6g:%.6g]\n",
               s->ymin - plot_ypad(s), s->ymax + plot_ypad(s));
    plot_grid_panel(gp, g, i);
    buf_puts(gp, "plot \\\n");
    plot_grey_others(gp, NAME, c->nrms, i, PLOT_C_LOG2N);
    buf_puts(gp, base);
    if(PLOT_HAS2(rm, gold_lo, gold_hi))
      buf_printf(gp, "  '%s.dat' index %zu using %d:%d:%d with "
                 "filledcurves lc 1 notitle, \\\n", NAME, i, PLOT_C_LOG2N,
                 PLOT_C_GLO, PLOT_C_GHI);
    buf_printf(gp, "  '%s.dat' index %zu using %d:%d with linespoints pi PI "
               "lt 1 lw 2 notitle\n", NAME, i, PLOT_C_LOG2N, PLOT_C_GOLD);
  }
  plot_grid_key_begin(gp, g);
  buf_printf(gp, ", \\\n  keyentry with linespoints lt 1 lw 2 title "
             "'gold reward (this RM)', \\\n  keyentry with filledcurves lc "
             "1 title '%s bootstrap band', \\\n  keyentry with lines lc "
             "rgb '#d0d0d0' lw 1 title 'other RMs'", level);
  if(orc)
    buf_puts(gp, ", \\\n  keyentry with lines lc rgb '#000000' dt (8,4) "
             "lw 2.5 title 'oracle ceiling (pass@n)'");
  if(maj)
    buf_puts(gp, ", \\\n  keyentry with linespoints lc rgb '#777777' "
             "dt (2,3) lw 2 pt 1 ps 1.2 title 'majority vote'");
  buf_puts(gp, "\nunset multiplot\n");
}

/* The script half. */
static void gold_vs_n_gp(struct buf *gp, const struct plot_ctx *cx,
                         const struct plot_curves *c, const char *src)
{
  struct plot_span s = plot_curve_span(c, 1);
  int multi = c->nrms > PLOT_MAX_OVERLAY;
  long orc, maj;
  char base[512];
  baselines(base, sizeof(base), c, &orc, &maj);
  plot_script_head(gp, NAME, "gold reward vs log2 n per RM, with the "
                   "oracle (pass@n) ceiling and the majority-vote baseline",
                   src);
  struct plot_grid g = plot_curve_preamble(gp, cx, NAME, c->nrms);
  n_axes(gp, &s, multi);
  buf_printf(gp, "set ylabel '%s'\n", s.accuracy ? "gold reward (accuracy)"
                                                 : "gold reward");
  buf_puts(gp, "set style fill transparent solid 0.15 noborder\n");
  if(multi)
    panels_gp(gp, c, &s, &g, base, orc >= 0, maj >= 0, cx->level);
  else
    overlay_gp(gp, c, &s, base, cx->level);
}

int plot_fig_gold_vs_n(struct plot_ctx *cx, const struct plot_curves *c,
                       struct bon_err *err)
{
  struct buf dat = BUF_INIT, gp = BUF_INIT;
  const char *src = plot_rel(cx, cx->paths->curves);
  plot_curves_dat(&dat, NAME, src, c);
  gold_vs_n_gp(&gp, cx, c, src);
  int rc = plot_emit(cx, NAME, &dat, &gp, err);
  buf_free(&dat);
  buf_free(&gp);
  return rc;
}

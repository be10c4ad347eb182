/* fig_gold_vs_d.c - gold reward vs d = sqrt(KL_bon) per RM, with bootstrap
 * bands, the fitted Gao BoN curves and their peaks (plot.h). */
#include "plots/fig.h"

#include "util/buf.h"

#define NAME "gold_vs_d"

/* One overlay of every RM (at most PLOT_MAX_OVERLAY). */
static void overlay_gp(struct buf *gp, const struct plot_curves *c,
                       const struct plot_span *s, const char *level)
{
  plot_flat_yrange(gp, s);
  buf_puts(gp, "set key outside below center horizontal Left reverse "
               "maxcols 2 height 1 samplen 4 spacing 1.2 width 2\n");
  for(size_t i = 0; i < c->nrms; i++)
    plot_peak_label(gp, &c->rms[i], i, (int)(i % 8) + 1, s->dmax, NULL);
  buf_puts(gp, "plot \\\n");
  for(size_t i = 0; i < c->nrms; i++)
    if(PLOT_HAS2(&c->rms[i], gold_lo, gold_hi))
      buf_printf(gp, "  '%s.dat' index %zu using %d:%d:%d with "
                 "filledcurves lc %zu notitle, \\\n", NAME, i, PLOT_C_D,
                 PLOT_C_GLO, PLOT_C_GHI, i % 8 + 1);
  for(size_t i = 0; i < c->nrms; i++) {
    const struct plot_rm *rm = &c->rms[i];
    if(plot_fit_usable(rm))
      buf_printf(gp, "  f%zu(x) with lines lt %zu lw 2 notitle, \\\n", i,
                 i % 8 + 1);
    struct buf t = BUF_INIT;
    plot_rm_label(&t, rm, s);
    buf_printf(gp, "  '%s.dat' index %zu using %d:%d with linespoints pi PI "
               "lt %zu dt 1 lw 1.2 title ", NAME, i, PLOT_C_D, PLOT_C_GOLD,
               i % 8 + 1);
    plot_gp_str(gp, buf_str(&t));
    buf_puts(gp, ", \\\n");
    buf_free(&t);
  }
  buf_printf(gp, "  keyentry with filledcurves lc rgb '#999999' title "
             "'%s bootstrap band', \\\n"
             "  keyentry with lines lc rgb '#333333' dt (12,5) lw 2 "
             "title 'fitted Gao BoN curve (dash as RM)', \\\n"
             "  keyentry with points pt 12 ps 2.2 lw 2 lc rgb '#333333' "
             "title 'fitted peak n*'\n", level);
}

/* Small multiples: one panel per RM, the other RMs in grey behind. */
static void panels_gp(struct buf *gp, const struct plot_curves *c,
                      const struct plot_span *s, const struct plot_grid *g,
                      const char *level)
{
  buf_puts(gp, "set xlabel font ',10'\nset ylabel font ',10'\n");
  buf_puts(gp, "set multiplot\nunset key\n");
  for(size_t i = 0; i < c->nrms; i++) {
    const struct plot_rm *rm = &c->rms[i];
    plot_panel_title(gp, rm, s);
    buf_printf(gp, "set yrange [%.6g:%.6g]\nunset label\n",
               s->ymin - plot_ypad(s), s->ymax + plot_ypad(s));
    plot_peak_label(gp, rm, i, 1, s->dmax, plot_gp_color(1));
    plot_grid_panel(gp, g, i);
    buf_puts(gp, "plot \\\n");
    plot_grey_others(gp, NAME, c->nrms, i, PLOT_C_D);
    if(PLOT_HAS2(rm, gold_lo, gold_hi))
      buf_printf(gp, "  '%s.dat' index %zu using %d:%d:%d with "
                 "filledcurves lc 1 notitle, \\\n", NAME, i, PLOT_C_D,
                 PLOT_C_GLO, PLOT_C_GHI);
    if(plot_fit_usable(rm))
      buf_printf(gp, "  f%zu(x) with lines lc 2 dt (12,5) lw 2 notitle, "
                 "\\\n", i);
    buf_printf(gp, "  '%s.dat' index %zu using %d:%d with linespoints pi PI "
               "lt 1 dt 1 lw 1.2 notitle\n", NAME, i, PLOT_C_D,
               PLOT_C_GOLD);
  }
  plot_grid_key_begin(gp, g);
  buf_printf(gp, ", \\\n"
             "  keyentry with linespoints lt 1 dt 1 title 'gold reward', "
             "\\\n  keyentry with filledcurves lc 1 title "
             "'%s bootstrap band', \\\n"
             "  keyentry with lines lc 2 dt (12,5) lw 2 title "
             "'fitted Gao BoN curve', \\\n"
             "  keyentry with points pt 12 ps 2.2 lw 2 lc 2 title "
             "'fitted peak n*', \\\n"
             "  keyentry with lines lc rgb '#d0d0d0' lw 1 title "
             "'other RMs'\nunset multiplot\n", level);
}

/* The script half. */
static void gold_vs_d_gp(struct buf *gp, const struct plot_ctx *cx,
                         const struct plot_curves *c, const char *sources)
{
  struct plot_span s = plot_curve_span(c, 0);
  int multi = c->nrms > PLOT_MAX_OVERLAY;
  plot_script_head(gp, NAME, "gold reward vs d = sqrt(KL) per RM, with the "
                   "fitted Gao BoN curves", sources);
  struct plot_grid g = plot_curve_preamble(gp, cx, NAME, c->nrms);
  plot_d_axes(gp, &s, 0, multi);
  buf_printf(gp, "set ylabel '%s'\n", s.accuracy ? "gold reward (accuracy)"
                                                 : "gold reward");
  buf_puts(gp, "set style fill transparent solid 0.15 noborder\n");
  plot_fit_functions(gp, c);
  if(multi)
    panels_gp(gp, c, &s, &g, cx->level);
  else
    overlay_gp(gp, c, &s, cx->level);
}

int plot_fig_gold_vs_d(struct plot_ctx *cx, const struct plot_curves *c,
                       struct bon_err *err)
{
  struct buf dat = BUF_INIT, gp = BUF_INIT;
  char sources[512];
  plot_curve_sources(cx, sources, sizeof(sources));
  plot_curves_dat(&dat, NAME, sources, c);
  gold_vs_d_gp(&gp, cx, c, sources);
  int rc = plot_emit(cx, NAME, &dat, &gp, err);
  buf_free(&dat);
  buf_free(&gp);
  return rc;
}

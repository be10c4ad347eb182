/* fig_proxy_vs_d.c - gold and proxy reward vs d = sqrt(KL_bon), one panel
 * per RM (the proxy on a right axis when its scale is not the gold's)
 * (plot.h). */
#include "plots/fig.h"

#include <math.h>

#include "util/buf.h"

#define NAME "proxy_vs_d"

/* Does the proxy need its own axis (a value outside [0, 1], or gold not an
 * accuracy)?  *any: some RM has proxy values at all. */
static int needs_y2(const struct plot_curves *c, const struct plot_span *s,
                    int *any)
{
  int y2 = !s->accuracy;
  *any = 0;
  for(size_t i = 0; i < c->nrms; i++) {
    const struct plot_rm *rm = &c->rms[i];
    *any |= PLOT_HAS(rm, proxy);
    for(size_t j = 0; j < rm->npts; j++) {
      double v[3] = {rm->pts[j].proxy, rm->pts[j].proxy_lo,
                     rm->pts[j].proxy_hi};
      for(int k = 0; k < 3; k++)
        if(isfinite(v[k]) && (v[k] < 0 || v[k] > 1))
          y2 = 1;
    }
  }
  return y2;
}

/* The panel of RM i. */
static void panel_gp(struct buf *gp, const struct plot_curves *c, size_t i,
                     const struct plot_span *s, const struct plot_grid *g,
                     int y2)
{
  const struct plot_rm *rm = &c->rms[i];
  const char *pax = y2 ? "axes x1y2 " : "";
  plot_panel_title(gp, rm, s);
  buf_puts(gp, "unset label\n");
  if(y2)
    buf_printf(gp, "set yrange [%.6g:%.6g]\n", s->ymin - plot_ypad(s),
               s->ymax + plot_ypad(s));
  plot_peak_label(gp, rm, i, 1, s->dmax, plot_gp_color(0));
  plot_grid_panel(gp, g, i);
  buf_puts(gp, "plot \\\n");
  if(PLOT_HAS2(rm, gold_lo, gold_hi))
    buf_printf(gp, "  '%s.dat' index %zu using %d:%d:%d with filledcurves"
               " lc 1 notitle, \\\n", NAME, i, PLOT_C_D, PLOT_C_GLO,
               PLOT_C_GHI);
  if(PLOT_HAS2(rm, proxy_lo, proxy_hi))
    buf_printf(gp, "  '%s.dat' index %zu using %d:%d:%d %swith "
               "filledcurves lc 2 notitle, \\\n", NAME, i, PLOT_C_D,
               PLOT_C_PLO, PLOT_C_PHI, pax);
  if(plot_fit_usable(rm))
    buf_printf(gp, "  f%zu(x) with lines lc 1 dt (12,5) lw 2 notitle, "
               "\\\n", i);
  if(PLOT_HAS(rm, proxy))
    buf_printf(gp, "  '%s.dat' index %zu using %d:%d %swith linespoints "
               "pi PI "
               "lt 2 dt (3,3) lw 1.5 notitle, \\\n", NAME, i, PLOT_C_D,
               PLOT_C_PROXY, pax);
  buf_printf(gp, "  '%s.dat' index %zu using %d:%d with linespoints pi PI "
             "lt 1 dt 1 lw 1.5 notitle\n", NAME, i, PLOT_C_D, PLOT_C_GOLD);
}

/* The script half. */
static void proxy_vs_d_gp(struct buf *gp, const struct plot_ctx *cx,
                          const struct plot_curves *c,
                          const struct plot_span *s, int y2,
                          const char *sources)
{
  plot_script_head(gp, NAME, "gold and proxy reward vs d = sqrt(KL), one "
                   "panel per RM", sources);
  struct plot_grid g = plot_grid_make(c->nrms, y2 ? 520 : 430, 350,
                                      y2 ? 95 : 80, y2 ? 85 : 30, 70);
  plot_preamble(gp, cx, NAME, g.w, g.h);
  plot_d_axes(gp, s, y2, 1);
  if(y2)
    buf_printf(gp, "set ylabel '%s'\nset y2label 'proxy  (RM score)'"
               "\nset y2tics nomirror\n",
               s->accuracy ? "gold  (accuracy)" : "gold reward");
  else
    buf_puts(gp, "set ylabel 'reward (accuracy)'\n");
  buf_puts(gp, "set xlabel font ',10'\nset ylabel font ',10'\n"
               "set y2label font ',10'\n"
               "set style fill transparent solid 0.15 noborder\n");
  plot_fit_functions(gp, c);
  buf_puts(gp, "set multiplot\nunset key\n");
  for(size_t i = 0; i < c->nrms; i++)
    panel_gp(gp, c, i, s, &g, y2);
  plot_grid_key_begin(gp, &g);
  buf_printf(gp, ", \\\n"
             "  keyentry with linespoints lt 1 dt 1 lw 1.5 title "
             "'gold reward%s', \\\n"
             "  keyentry with linespoints lt 2 dt (3,3) lw 1.5 title "
             "'proxy reward%s', \\\n"
             "  keyentry with filledcurves lc rgb '#999999' title "
             "'%s bootstrap bands', \\\n"
             "  keyentry with lines lc 1 dt (12,5) lw 2 title "
             "'fitted Gao BoN curve (gold)', \\\n"
             "  keyentry with points pt 12 ps 2.2 lw 2 lc 1 title "
             "'fitted peak n*'\nunset multiplot\n",
             y2 ? " (left axis)" : "", y2 ? " (right axis)" : "",
             cx->level);
}

int plot_fig_proxy_vs_d(struct plot_ctx *cx, const struct plot_curves *c,
                        struct bon_err *err)
{
  struct plot_span s = plot_curve_span(c, 0);
  int any_proxy, y2 = needs_y2(c, &s, &any_proxy);
  if(!any_proxy) {
    plot_note(cx->res, "skipped %s: curves.csv has no proxy values", NAME);
    cx->res->skipped++;
    return 0;
  }
  struct buf dat = BUF_INIT, gp = BUF_INIT;
  char sources[512];
  plot_curve_sources(cx, sources, sizeof(sources));
  plot_curves_dat(&dat, NAME, sources, c);
  proxy_vs_d_gp(&gp, cx, c, &s, y2, sources);
  int rc = plot_emit(cx, NAME, &dat, &gp, err);
  buf_free(&dat);
  buf_free(&gp);
  return rc;
}

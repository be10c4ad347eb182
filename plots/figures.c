/* figures.c - `bonrun plot`: draw every figure whose inputs exist
 * (plot.h).  The figures themselves are in fig_NAME.c, each built as two
 * texts, the data file and the gnuplot script (fig.h). */
#include "plots/plot.h"

#include <stdlib.h>
#include <string.h>

#include "plots/fig.h"
#include "plots/runinfo.h"
#include "plots/text.h"
#include "util/fsutil.h"

/* What plot_figures has seen fail so far: the count and the first error. */
struct fails {
  int n;
  struct bon_err first;
};

static void failed(struct plot_result *res, struct fails *f,
                   const char *fig, const struct bon_err *e)
{
  res->failed++;
  plot_note(res, "failed %s: %s", fig, e->msg);
  if(!f->n++)
    f->first = *e;
}

/* Run one figure, counting it written, skipped (it counted itself) or
 * failed. */
static void one(struct plot_result *res, struct fails *f, const char *fig,
                int rc, const struct bon_err *e, int skipped_before)
{
  if(rc != 0)
    failed(res, f, fig, e);
  else if(res->skipped == skipped_before)
    res->written++;
}

/* Leave out the RMs without any gold value: they have no curve. */
static void drop_goldless(struct plot_result *res, struct plot_curves *c)
{
  size_t k = 0;
  for(size_t i = 0; i < c->nrms; i++) {
    if(PLOT_HAS(&c->rms[i], gold)) {
      c->rms[k++] = c->rms[i];
      continue;
    }
    plot_note(res, "RM '%s' has no gold values: left out of the curve "
              "figures", c->rms[i].name);
    free(c->rms[i].name);
    free(c->rms[i].pts);
  }
  c->nrms = k;
}

/* The three BoN curve figures, from curves.csv (and fits.csv). */
static void curve_figures(struct plot_ctx *cx, struct fails *f)
{
  const struct plot_paths *pp = cx->paths;
  struct plot_result *res = cx->res;
  static const char *const figs[3] = {"gold_vs_d", "proxy_vs_d",
                                      "gold_vs_n"};
  if(!pp->curves) {
    plot_note(res, "skipped gold_vs_d, proxy_vs_d, gold_vs_n: needs "
              "analysis/curves.csv");
    res->skipped += 3;
    return;
  }
  struct plot_curves c = {NULL, 0};
  struct bon_err e;
  if(plot_curves_load(&c, pp->curves, pp->fits, &e)) {
    for(int i = 0; i < 3; i++) {
      res->failed++;
      plot_note(res, "failed %s: %s", figs[i], e.msg);
    }
    if(!f->n++)
      f->first = e;
    return;
  }
  drop_goldless(res, &c);
  if(c.nrms > PLOT_MAX_PANELS) {
    plot_note(res, "skipped gold_vs_d, proxy_vs_d, gold_vs_n: %zu RMs are "
              "too many for one figure (at most %d); plot a subset",
              c.nrms, PLOT_MAX_PANELS);
    res->skipped += 3;
  }
  else if(!c.nrms) {
    plot_note(res, "skipped gold_vs_d, proxy_vs_d, gold_vs_n: no RM has "
              "gold values in %s", pp->curves);
    res->skipped += 3;
  }
  else {
    int before = res->skipped;
    one(res, f, figs[0], plot_fig_gold_vs_d(cx, &c, &e), &e, before);
    before = res->skipped;
    one(res, f, figs[1], plot_fig_proxy_vs_d(cx, &c, &e), &e, before);
    before = res->skipped;
    one(res, f, figs[2], plot_fig_gold_vs_n(cx, &c, &e), &e, before);
  }
  plot_curves_free(&c);
}

int plot_figures(const char *run_dir, const char *format,
                 struct plot_result *res, struct bon_err *err)
{
  struct plot_paths paths;
  struct plot_ctx cx = {&paths, PLOT_PNG, res, ""};
  if(format && plot_fmt_parse(format, &cx.fmt, err))
    return -1;
  if(plot_paths_find(&paths, run_dir, err))
    return -1;
  plot_fmt_level(cx.level, sizeof(cx.level),
                 plot_runinfo_level(paths.runinfo));
  if(fs_mkdirs(paths.plots_dir, err)) {
    plot_paths_free(&paths);
    return -1;
  }
  struct fails f;
  memset(&f, 0, sizeof(f));
  curve_figures(&cx, &f);
  struct bon_err e;
  int before = res->skipped;
  one(res, &f, "bench_vs_gain", plot_fig_bench_vs_gain(&cx, &e), &e,
      before);
  before = res->skipped;
  one(res, &f, "corr_heatmap", plot_fig_corr_heatmap(&cx, &e), &e, before);
  plot_paths_free(&paths);
  if(f.n) {
    if(err)
      *err = f.first;
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

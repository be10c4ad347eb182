/* verdict.c - does a benchmark metric predict the BoN gain (verdict.h). */
#include "plots/verdict.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/text.h"

/* The stats/ evidence of e: its data with corr's figures (names
 * borrowed). */
static struct stats_evidence to_stats(const struct plot_evidence *e)
{
  struct stats_evidence s = e->ev;
  s.corr_ok = e->corr.ok;
  s.corr_n = e->corr.n > 0 ? (size_t)e->corr.n : 0;
  s.r = e->corr.r;
  s.r_lo = e->corr.r_lo;
  s.r_hi = e->corr.r_hi;
  s.level = e->level; /* 0: stats/verdict.h's 0.95 */
  s.gains_ci = 1; /* the report's rule always asks the gains */
  return s;
}

void plot_evidence_set(struct plot_evidence *e, const char *const *rms,
                       const double *x, const double *g, const double *lo,
                       const double *hi, size_t n)
{
  stats_evidence_set(&e->ev, rms, x, g, lo, hi, n);
}

void plot_evidence_join(struct plot_evidence *e,
                        const struct plot_table *bench, const char *xcol,
                        const struct plot_table *gains)
{
  size_t n = gains->nrows;
  const char **rms = xcalloc(n ? n : 1, sizeof(*rms));
  double *v = xcalloc(4 * (n ? n : 1), sizeof(*v));
  double *x = v, *g = v + n, *lo = v + 2 * n, *hi = v + 3 * n;
  int grm = plot_table_col(gains, "rm"), brm = plot_table_col(bench, "rm");
  int bx = plot_table_col(bench, xcol), gd = plot_table_col(gains, "delta");
  int glo = plot_table_col(gains, "delta_lo");
  int ghi = plot_table_col(gains, "delta_hi");
  for(size_t r = 0; r < n; r++) {
    rms[r] = plot_table_str(gains, r, grm);
    x[r] = NAN;
    for(size_t q = 0; grm >= 0 && brm >= 0 && q < bench->nrows; q++)
      if(!strcmp(plot_table_str(bench, q, brm), rms[r])) {
        x[r] = plot_table_num(bench, q, bx);
        break;
      }
    g[r] = plot_table_num(gains, r, gd);
    lo[r] = plot_table_num(gains, r, glo);
    hi[r] = plot_table_num(gains, r, ghi);
  }
  plot_evidence_set(e, rms, x, g, lo, hi, n);
  free(rms);
  free(v);
}

enum plot_verdict_kind plot_verdict_judge(const struct plot_evidence *e,
                                          enum plot_verdict_why *why)
{
  struct stats_evidence s = to_stats(e);
  enum stats_verdict_why w;
  enum stats_verdict k = stats_verdict_judge(&s, &w);
  if(why)
    *why = (enum plot_verdict_why)w;
  return (enum plot_verdict_kind)k;
}

/* ---- the sentences ------------------------------------------------------ */

/* One sentence on metric e (which has a correlation row or data), named
 * name. */
static void sentence(struct buf *b, const struct plot_evidence *e,
                     const char *name)
{
  if(plot_verdict_judge(e, NULL) == PLOT_V_ABSENT) {
    if(*name)
      buf_putc(b, (char)toupper((unsigned char)*name));
    buf_printf(b, "%s: no correlation is available (correlations.csv has "
               "no row for it).", *name ? name + 1 : "");
    return;
  }
  struct stats_evidence s = to_stats(e);
  stats_verdict_sentence(b, &s, name, 1, "the BoN gain", plot_md_cell);
}

void plot_verdict(struct buf *b, const struct plot_evidence *e,
                  const char *const *names, int m)
{
  int said = 0, wide = 0, nmin = 1 << 30;
  for(int i = 0; i < m; i++) {
    if(!e[i].corr.ok && !e[i].ev.have_data)
      continue; /* nothing to say */
    if(said++)
      buf_putc(b, ' ');
    sentence(b, &e[i], names[i]);
    const struct plot_corr *c = &e[i].corr;
    if(c->ok && isfinite(c->r_lo) && isfinite(c->r_hi)) {
      wide++;
      if(c->n < nmin)
        nmin = c->n;
    }
  }
  if(!said) {
    buf_puts(b, "No correlation between a benchmark and the BoN gain is "
                "available (correlation/correlations.csv is absent).");
    return;
  }
  if(!wide || nmin >= 10)
    return;
  buf_printf(b, " With only %d RMs the interval%s of r %s wide (width ",
             nmin, wide > 1 ? "s" : "", wide > 1 ? "are" : "is");
  int j = 0;
  for(int i = 0; i < m; i++) {
    const struct plot_corr *c = &e[i].corr;
    if(!c->ok || !isfinite(c->r_lo) || !isfinite(c->r_hi))
      continue;
    if(j++)
      buf_puts(b, j == wide ? " and " : ", ");
    plot_fmt_num(b, c->r_hi - c->r_lo, 2);
  }
  buf_puts(b, "): add RMs before drawing firm conclusions.");
}

void plot_verdict_rule(struct buf *b, double level)
{
  char lv[16];
  plot_fmt_level(lv, sizeof(lv), level);
  buf_printf(b, "How the verdict is reached: a metric *predicts* the gain "
             "when the %s interval of Pearson r across RMs excludes 0 "
             "and the gains themselves differ beyond their bootstrap "
             "noise, that is, the bootstrap intervals of the gains "
             "(analysis/gains.csv) of at least two RMs do not overlap. "
             "Otherwise it is *inconclusive*, with the reason: an interval "
             "of r that includes 0 is no evidence either way, and gains "
             "that stay within each other's noise leave nothing to "
             "predict. It is *undefined* when r is not a number: fewer "
             "than 3 RMs, or a metric or gain that is the same for every "
             "RM.", lv);
}

/* verdict.c - does a benchmark metric predict the BoN gain (verdict.h). */
#include "plots/verdict.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plots/text.h"

void plot_evidence_set(struct plot_evidence *e, const char *const *rms,
                       const double *x, const double *g, const double *lo,
                       const double *hi, size_t n)
{
  e->have_data = 1;
  e->nrms = e->ncis = 0;
  e->metric_varies = e->gain_varies = 0;
  e->top_lo = -INFINITY;
  e->low_hi = INFINITY;
  e->top_rm = e->low_rm = NULL;
  double x0 = NAN, g0 = NAN;
  for(size_t i = 0; i < n; i++) {
    if(!isfinite(x[i]) || !isfinite(g[i]))
      continue;
    if(!e->nrms++) {
      x0 = x[i];
      g0 = g[i];
    }
    e->metric_varies |= x[i] != x0;
    e->gain_varies |= g[i] != g0;
    if(!isfinite(lo[i]) || !isfinite(hi[i]))
      continue;
    e->ncis++;
    if(lo[i] > e->top_lo) {
      e->top_lo = lo[i];
      e->top_rm = rms[i];
    }
    if(hi[i] < e->low_hi) {
      e->low_hi = hi[i];
      e->low_rm = rms[i];
    }
  }
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

/* Why r is not a number. */
static enum plot_verdict_why why_undefined(const struct plot_evidence *e)
{
  size_t n = e->have_data ? e->nrms : (size_t)e->corr.n;
  if(n < 3)
    return PLOT_WHY_FEW_RMS;
  if(e->have_data && !e->metric_varies)
    return PLOT_WHY_FLAT_METRIC;
  if(e->have_data && !e->gain_varies)
    return PLOT_WHY_FLAT_GAIN;
  return PLOT_WHY_NAN;
}

enum plot_verdict_kind plot_verdict_judge(const struct plot_evidence *e,
                                          enum plot_verdict_why *why)
{
  enum plot_verdict_why w = PLOT_WHY_NONE;
  enum plot_verdict_kind k;
  const struct plot_corr *c = &e->corr;
  if(!c->ok) {
    k = e->have_data && e->nrms < 3 ? PLOT_V_UNDEFINED : PLOT_V_ABSENT;
    if(k == PLOT_V_UNDEFINED)
      w = PLOT_WHY_FEW_RMS;
  }
  else if(!isfinite(c->r)) {
    k = PLOT_V_UNDEFINED;
    w = why_undefined(e);
  }
  else {
    k = PLOT_V_INCONCLUSIVE;
    if(!isfinite(c->r_lo) || !isfinite(c->r_hi))
      w = PLOT_WHY_NO_CI;
    else if(!(c->r_lo > 0) && !(c->r_hi < 0))
      w = PLOT_WHY_CI_ZERO;
    else if(e->ncis < 2)
      w = PLOT_WHY_GAINS_NO_CI;
    else if(!(e->top_lo > e->low_hi))
      w = PLOT_WHY_GAINS_NOISE;
    else
      k = c->r_lo > 0 ? PLOT_V_PREDICTS : PLOT_V_NEGATIVE;
  }
  if(why)
    *why = w;
  return k;
}

/* ---- the sentences ------------------------------------------------------ */

/* "Pearson r = 0.91, 95% CI [0.57, 0.98]" (or without the interval). */
static void r_text(struct buf *b, const struct plot_corr *c)
{
  buf_puts(b, "Pearson r = ");
  plot_fmt_num(b, c->r, 2);
  if(isfinite(c->r_lo) && isfinite(c->r_hi)) {
    buf_puts(b, ", 95% CI [");
    plot_fmt_num(b, c->r_lo, 2);
    buf_puts(b, ", ");
    plot_fmt_num(b, c->r_hi, 2);
    buf_puts(b, "]");
  }
}

/* The metric's name with a capital first letter. */
static void capital(struct buf *b, const char *name)
{
  if(*name)
    buf_putc(b, (char)toupper((unsigned char)*name++));
  buf_puts(b, name);
}

static size_t rms_of(const struct plot_evidence *e)
{
  return e->corr.ok && e->corr.n > 0 ? (size_t)e->corr.n : e->nrms;
}

static void undefined_text(struct buf *b, const struct plot_evidence *e,
                           enum plot_verdict_why w, const char *name)
{
  buf_puts(b, ": undefined (");
  if(w == PLOT_WHY_FEW_RMS)
    buf_printf(b, "only %zu RM%s %s both the metric and a gain; a "
               "correlation needs at least 3)", rms_of(e),
               rms_of(e) == 1 ? "" : "s", rms_of(e) == 1 ? "has" : "have");
  else if(w == PLOT_WHY_FLAT_METRIC)
    buf_printf(b, "Pearson r is not a number: the %s is the same for "
               "every RM)", name);
  else if(w == PLOT_WHY_FLAT_GAIN)
    buf_puts(b, "Pearson r is not a number: the gain is the same for every "
                "RM)");
  else
    buf_puts(b, "Pearson r is not a number)");
}

static void inconclusive_text(struct buf *b, const struct plot_evidence *e,
                              enum plot_verdict_why w)
{
  if(w == PLOT_WHY_CI_ZERO)
    buf_puts(b, ": inconclusive, no evidence either way");
  else
    buf_puts(b, ": inconclusive");
  buf_printf(b, " across %zu RMs (", rms_of(e));
  r_text(b, &e->corr);
  if(w == PLOT_WHY_CI_ZERO)
    buf_puts(b, ", which includes 0)");
  else if(w == PLOT_WHY_NO_CI)
    buf_puts(b, ", but no interval for r is available)");
  else if(w == PLOT_WHY_GAINS_NO_CI)
    buf_puts(b, ", but the gains have no bootstrap intervals to tell them "
                "from noise)");
  else
    buf_puts(b, ", but the gains do not differ beyond their bootstrap "
                "noise: every two of their intervals overlap)");
}

/* One sentence on metric e (which has a correlation row or data), named
 * name. */
static void sentence(struct buf *b, const struct plot_evidence *e,
                     const char *name)
{
  enum plot_verdict_why w;
  enum plot_verdict_kind k = plot_verdict_judge(e, &w);
  capital(b, name);
  if(k == PLOT_V_ABSENT)
    buf_puts(b, ": no correlation is available (correlations.csv has no "
                "row for it)");
  else if(k == PLOT_V_UNDEFINED)
    undefined_text(b, e, w, name);
  else if(k == PLOT_V_INCONCLUSIVE)
    inconclusive_text(b, e, w);
  else {
    buf_printf(b, " %s the BoN gain across %zu RMs (",
               k == PLOT_V_PREDICTS ? "predicts" : "is negatively related "
                                                   "to", rms_of(e));
    r_text(b, &e->corr);
    buf_puts(b, "), and the gains differ beyond their bootstrap noise (the "
                "intervals of ");
    plot_md_cell(b, e->top_rm);
    buf_puts(b, " and ");
    plot_md_cell(b, e->low_rm);
    buf_puts(b, " do not overlap)");
  }
  buf_puts(b, ".");
}

void plot_verdict(struct buf *b, const struct plot_evidence *e,
                  const char *const *names, int m)
{
  int said = 0, wide = 0, nmin = 1 << 30;
  for(int i = 0; i < m; i++) {
    if(!e[i].corr.ok && !e[i].have_data)
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

void plot_verdict_rule(struct buf *b)
{
  buf_puts(b, "How the verdict is reached: a metric *predicts* the gain "
              "when the 95% interval of Pearson r across RMs excludes 0 "
              "and the gains themselves differ beyond their bootstrap "
              "noise, that is, the bootstrap intervals of the gains "
              "(analysis/gains.csv) of at least two RMs do not overlap. "
              "Otherwise it is *inconclusive*, with the reason: an interval "
              "of r that includes 0 is no evidence either way, and gains "
              "that stay within each other's noise leave nothing to "
              "predict. It is *undefined* when r is not a number: fewer "
              "than 3 RMs, or a metric or gain that is the same for every "
              "RM.");
}

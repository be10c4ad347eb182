/* verdict.c - does a metric predict a gain (verdict.h). */
#include "stats/verdict.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

void stats_evidence_set(struct stats_evidence *e, const char *const *rms,
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
    if(!lo || !hi || !isfinite(lo[i]) || !isfinite(hi[i]))
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

/* Why r is not a number. */
static enum stats_verdict_why why_undefined(const struct stats_evidence *e)
{
  size_t n = e->have_data ? e->nrms : e->corr_n;
  if(n < 3)
    return STATS_WHY_FEW_RMS;
  if(e->have_data && !e->metric_varies)
    return STATS_WHY_FLAT_METRIC;
  if(e->have_data && !e->gain_varies)
    return STATS_WHY_FLAT_GAIN;
  return STATS_WHY_NAN;
}

enum stats_verdict stats_verdict_judge(const struct stats_evidence *e,
                                       enum stats_verdict_why *why)
{
  enum stats_verdict_why w = STATS_WHY_NONE;
  enum stats_verdict k;
  if(!e->corr_ok) {
    k = e->have_data && e->nrms < 3 ? STATS_V_UNDEFINED : STATS_V_ABSENT;
    if(k == STATS_V_UNDEFINED)
      w = STATS_WHY_FEW_RMS;
  }
  else if(!isfinite(e->r)) {
    k = STATS_V_UNDEFINED;
    w = why_undefined(e);
  }
  else {
    k = STATS_V_INCONCLUSIVE;
    if(!isfinite(e->r_lo) || !isfinite(e->r_hi))
      w = STATS_WHY_NO_CI;
    else if(!(e->r_lo > 0) && !(e->r_hi < 0))
      w = STATS_WHY_CI_ZERO;
    else if(e->gains_ci && e->ncis < 2)
      w = STATS_WHY_GAINS_NO_CI;
    else if(e->gains_ci && !(e->top_lo > e->low_hi))
      w = STATS_WHY_GAINS_NOISE;
    else
      k = e->r_lo > 0 ? STATS_V_PREDICTS : STATS_V_NEGATIVE;
  }
  if(why)
    *why = w;
  return k;
}

const char *stats_verdict_word(enum stats_verdict k)
{
  switch(k) {
  case STATS_V_UNDEFINED: return "undefined";
  case STATS_V_PREDICTS: return "predicts";
  case STATS_V_NEGATIVE: return "negatively related";
  case STATS_V_INCONCLUSIVE: return "inconclusive";
  default: return "absent";
  }
}

const char *stats_verdict_reason(enum stats_verdict_why w)
{
  switch(w) {
  case STATS_WHY_FEW_RMS: return "fewer than 3 RMs";
  case STATS_WHY_FLAT_METRIC: return "the metric is the same for every RM";
  case STATS_WHY_FLAT_GAIN: return "the gain is the same for every RM";
  case STATS_WHY_NAN: return "Pearson r is not a number";
  case STATS_WHY_NO_CI: return "no interval for r";
  case STATS_WHY_CI_ZERO:
    return "the interval of r includes 0: no evidence either way";
  case STATS_WHY_GAINS_NO_CI: return "the gains have no bootstrap intervals";
  case STATS_WHY_GAINS_NOISE:
    return "the gains do not differ beyond their bootstrap noise";
  default: return "";
  }
}

/* ---- the sentence ------------------------------------------------------ */

/* A number with 2 decimals, "n/a" when not finite, no "-0.00". */
static void num2(struct buf *b, double v)
{
  if(!isfinite(v)) {
    buf_puts(b, "n/a");
    return;
  }
  if(fabs(v) < 0.005)
    v = 0;
  buf_printf(b, "%.2f", v);
}

/* "Pearson r = 0.91, 95% CI [0.57, 0.98]" (or without the interval; a
 * level of 0.975 is "97.5%", never rounded to "98%"). */
static void r_text(struct buf *b, const struct stats_evidence *e)
{
  buf_puts(b, "Pearson r = ");
  num2(b, e->r);
  if(isfinite(e->r_lo) && isfinite(e->r_hi)) {
    buf_printf(b, ", %.4g%% CI [", 100 * (e->level > 0 ? e->level : 0.95));
    num2(b, e->r_lo);
    buf_puts(b, ", ");
    num2(b, e->r_hi);
    buf_puts(b, "]");
  }
}

static size_t rms_of(const struct stats_evidence *e)
{
  return e->corr_ok && e->corr_n > 0 ? e->corr_n : e->nrms;
}

static void undefined_text(struct buf *b, const struct stats_evidence *e,
                           enum stats_verdict_why w, const char *name)
{
  size_t n = rms_of(e);
  buf_puts(b, ": undefined (");
  if(w == STATS_WHY_FEW_RMS)
    buf_printf(b, "only %zu RM%s %s both the metric and a gain; a "
               "correlation needs at least 3)", n, n == 1 ? "" : "s",
               n == 1 ? "has" : "have");
  else if(w == STATS_WHY_FLAT_METRIC)
    buf_printf(b, "Pearson r is not a number: the %s is the same for "
               "every RM)", name);
  else if(w == STATS_WHY_FLAT_GAIN)
    buf_puts(b, "Pearson r is not a number: the gain is the same for every "
                "RM)");
  else
    buf_puts(b, "Pearson r is not a number)");
}

static void inconclusive_text(struct buf *b, const struct stats_evidence *e,
                              enum stats_verdict_why w)
{
  if(w == STATS_WHY_CI_ZERO)
    buf_puts(b, ": inconclusive, no evidence either way");
  else
    buf_puts(b, ": inconclusive");
  buf_printf(b, " across %zu RMs (", rms_of(e));
  r_text(b, e);
  if(w == STATS_WHY_CI_ZERO)
    buf_puts(b, ", which includes 0)");
  else if(w == STATS_WHY_NO_CI)
    buf_puts(b, ", but no interval for r is available)");
  else if(w == STATS_WHY_GAINS_NO_CI)
    buf_puts(b, ", but the gains have no bootstrap intervals to tell them "
                "from noise)");
  else
    buf_puts(b, ", but the gains do not differ beyond their bootstrap "
                "noise: every two of their intervals overlap)");
}

static void put_plain(struct buf *b, const char *s)
{
  buf_puts(b, s);
}

void stats_verdict_sentence(struct buf *b, const struct stats_evidence *e,
                            const char *name, int capital,
                            const char *target,
                            void (*put_rm)(struct buf *, const char *))
{
  enum stats_verdict_why w;
  enum stats_verdict k = stats_verdict_judge(e, &w);
  if(!put_rm)
    put_rm = put_plain;
  if(capital && *name) {
    buf_putc(b, (char)toupper((unsigned char)*name));
    buf_puts(b, name + 1);
  }
  else
    buf_puts(b, name);
  if(k == STATS_V_ABSENT)
    buf_puts(b, ": no correlation is available");
  else if(k == STATS_V_UNDEFINED)
    undefined_text(b, e, w, name);
  else if(k == STATS_V_INCONCLUSIVE)
    inconclusive_text(b, e, w);
  else {
    buf_printf(b, " %s %s across %zu RMs (", k == STATS_V_PREDICTS
               ? "predicts" : "is negatively related to", target,
               rms_of(e));
    r_text(b, e);
    buf_puts(b, ")");
    if(e->gains_ci) {
      buf_puts(b, ", and the gains differ beyond their bootstrap noise "
                  "(the intervals of ");
      put_rm(b, e->top_rm);
      buf_puts(b, " and ");
      put_rm(b, e->low_rm);
      buf_puts(b, " do not overlap)");
    }
  }
  buf_puts(b, ".");
}

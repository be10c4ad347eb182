/* verdict.h - the verdict of report.md: does a benchmark metric predict
 * the BoN gain across RMs?  The rule and its words are stats/verdict.h's
 * (undefined / predicts / negatively related / inconclusive, with the
 * reason; `bonrun correlate` says the same), with the gains' bootstrap
 * intervals (gains.csv delta_lo, delta_hi) always part of the evidence:
 * "predicts" needs the interval of r above 0 AND two RMs whose gain
 * intervals do not overlap.  Stated in report.md too (plot_verdict_rule)
 * and in plots/README.md. */
#ifndef BON_PLOT_VERDICT_H
#define BON_PLOT_VERDICT_H

#include <stddef.h>

#include "plots/csvtab.h"
#include "plots/rundata.h"
#include "stats/verdict.h"
#include "util/buf.h"

/* What the verdict on one benchmark metric rests on. */
struct plot_evidence {
  struct plot_corr corr;    /* its correlations.csv row (corr.ok = 0: none) */
  struct stats_evidence ev; /* the data part: the metric and the gains
                               joined (plot_evidence_set / _join; its
                               correlation fields are corr's) */
  double level;             /* of corr's and the gains' intervals, as the
                               sentences state it (0: 0.95) */
};

/* The kinds and reasons of stats/verdict.h under the report's names. */
enum plot_verdict_kind {
  PLOT_V_ABSENT = STATS_V_ABSENT,       /* no correlation to judge */
  PLOT_V_UNDEFINED = STATS_V_UNDEFINED,
  PLOT_V_PREDICTS = STATS_V_PREDICTS,
  PLOT_V_NEGATIVE = STATS_V_NEGATIVE,
  PLOT_V_INCONCLUSIVE = STATS_V_INCONCLUSIVE,
};

enum plot_verdict_why {
  PLOT_WHY_NONE = STATS_WHY_NONE,
  PLOT_WHY_FEW_RMS = STATS_WHY_FEW_RMS,
  PLOT_WHY_FLAT_METRIC = STATS_WHY_FLAT_METRIC,
  PLOT_WHY_FLAT_GAIN = STATS_WHY_FLAT_GAIN,
  PLOT_WHY_NAN = STATS_WHY_NAN,
  PLOT_WHY_NO_CI = STATS_WHY_NO_CI,
  PLOT_WHY_CI_ZERO = STATS_WHY_CI_ZERO,
  PLOT_WHY_GAINS_NO_CI = STATS_WHY_GAINS_NO_CI,
  PLOT_WHY_GAINS_NOISE = STATS_WHY_GAINS_NOISE,
};

/* Fill the data part of e (e->ev, stats_evidence_set) from the RMs rms[i]
 * with metric
 * x[i] and gain g[i] in [lo[i], hi[i]], i < n; RMs whose x or g is not
 * finite are left out; an interval counts when both ends are finite.  The
 * names are borrowed. */
void plot_evidence_set(struct plot_evidence *e, const char *const *rms,
                       const double *x, const double *g, const double *lo,
                       const double *hi, size_t n);
/* The same from the rows of a benchmark.csv (rm, column xcol) joined on
 * rm with gains.csv (delta, delta_lo, delta_hi).  Names are borrowed from
 * gains. */
void plot_evidence_join(struct plot_evidence *e,
                        const struct plot_table *bench, const char *xcol,
                        const struct plot_table *gains);

/* Apply the rule above (stats_verdict_judge); *why (non-NULL) says
 * why. */
enum plot_verdict_kind plot_verdict_judge(const struct plot_evidence *e,
                                          enum plot_verdict_why *why);

/* Append the verdict: one sentence per metric i < m whose e[i] has a
 * correlation row or joined data, named names[i] (e.g. "one-to-many
 * accuracy"), then, when fewer than 10 RMs back an interval of r, a
 * sentence on their width.  A sentence saying so when no metric has
 * anything to judge. */
void plot_verdict(struct buf *b, const struct plot_evidence *e,
                  const char *const *names, int m);

/* Append the rule above in two sentences of plain prose, for the report,
 * with the level of the intervals (0.95: "95%"). */
void plot_verdict_rule(struct buf *b, double level);

#endif

/* verdict.h - the verdict of report.md: does a benchmark metric predict
 * the BoN gain across RMs?  The rule, stated in report.md too and in
 * plots/README.md:
 *
 *   undefined     Pearson r is not a number: fewer than 3 RMs have both
 *                 the metric and a gain, or the metric (or the gain) is
 *                 the same for every RM.
 *   predicts      the interval of r lies above 0, AND the gains differ
 *                 across the RMs beyond their bootstrap noise: the gain
 *                 intervals of at least two of these RMs do not overlap
 *                 (the highest lower end exceeds the lowest upper end).
 *   negatively related   the same, with the interval of r below 0.
 *   inconclusive  otherwise, with the reason: r has no interval; its
 *                 interval includes 0 ("no evidence either way": never
 *                 "does not predict"); the gains have no intervals; or
 *                 every two gain intervals overlap, so the gains do not
 *                 differ beyond their noise and there is nothing for a
 *                 metric to predict. */
#ifndef BON_PLOT_VERDICT_H
#define BON_PLOT_VERDICT_H

#include <stddef.h>

#include "plots/csvtab.h"
#include "plots/rundata.h"
#include "util/buf.h"

/* What the verdict on one benchmark metric rests on. */
struct plot_evidence {
  struct plot_corr corr; /* its correlations.csv row (corr.ok = 0: none) */
  int have_data;         /* the metric and the gains were joined below */
  size_t nrms;           /* RMs with a finite metric and a finite gain */
  int metric_varies;     /* the metric is not the same for all of them */
  int gain_varies;       /* nor the gain */
  size_t ncis;           /* of them, gains with a finite interval */
  double top_lo, low_hi; /* the highest lower end, the lowest upper end */
  const char *top_rm, *low_rm; /* whose they are (borrowed) */
};

enum plot_verdict_kind {
  PLOT_V_ABSENT,       /* no correlation to judge */
  PLOT_V_UNDEFINED,
  PLOT_V_PREDICTS,
  PLOT_V_NEGATIVE,
  PLOT_V_INCONCLUSIVE,
};

enum plot_verdict_why {
  PLOT_WHY_NONE,         /* predicts / negatively related / absent */
  PLOT_WHY_FEW_RMS,      /* undefined: fewer than 3 RMs */
  PLOT_WHY_FLAT_METRIC,  /* undefined: the metric is constant */
  PLOT_WHY_FLAT_GAIN,    /* undefined: the gain is constant */
  PLOT_WHY_NAN,          /* undefined: r is not a number, cause unknown */
  PLOT_WHY_NO_CI,        /* inconclusive: r has no interval */
  PLOT_WHY_CI_ZERO,      /* inconclusive: the interval of r includes 0 */
  PLOT_WHY_GAINS_NO_CI,  /* inconclusive: fewer than 2 gain intervals */
  PLOT_WHY_GAINS_NOISE,  /* inconclusive: every two gain intervals meet */
};

/* Fill the data part of e (not e->corr) from the RMs rms[i] with metric
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

/* Apply the rule above; *why (non-NULL) says why. */
enum plot_verdict_kind plot_verdict_judge(const struct plot_evidence *e,
                                          enum plot_verdict_why *why);

/* Append the verdict: one sentence per metric i < m whose e[i] has a
 * correlation row or joined data, named names[i] (e.g. "one-to-many
 * accuracy"), then, when fewer than 10 RMs back an interval of r, a
 * sentence on their width.  A sentence saying so when no metric has
 * anything to judge. */
void plot_verdict(struct buf *b, const struct plot_evidence *e,
                  const char *const *names, int m);

/* Append the rule above in two sentences of plain prose, for the report. */
void plot_verdict_rule(struct buf *b);

#endif

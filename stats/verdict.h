/* verdict.h - does a metric predict a gain across RMs?  The one rule, and
 * its words, for `bonrun correlate`'s summary and report.md's verdict
 * (plots/verdict.h):
 *
 *   undefined     Pearson r is not a number: fewer than 3 RMs have both
 *                 the metric and a gain, or the metric (or the gain) is
 *                 the same for every RM.
 *   predicts      the interval of r lies above 0, AND (when the gains'
 *                 intervals are part of the evidence) the gains differ
 *                 across the RMs beyond their bootstrap noise: the gain
 *                 intervals of at least two of these RMs do not overlap
 *                 (the highest lower end exceeds the lowest upper end).
 *   negatively related   the same, with the interval of r below 0.
 *   inconclusive  otherwise, with the reason: r has no interval; its
 *                 interval includes 0 ("no evidence either way": never
 *                 "does not predict"); the gains have no intervals; or
 *                 every two gain intervals overlap, so the gains do not
 *                 differ beyond their noise and there is nothing for a
 *                 metric to predict.
 * Pure: no I/O. */
#ifndef BON_STATS_VERDICT_H
#define BON_STATS_VERDICT_H

#include <stddef.h>

#include "util/buf.h"

/* What the verdict on one metric rests on. */
struct stats_evidence {
  /* the correlation */
  int corr_ok;           /* a correlation was computed (else: none) */
  size_t corr_n;         /* the RMs it was computed over */
  double r, r_lo, r_hi;  /* Pearson r and its interval (NaN: none) */
  double level;          /* the interval's level (0: 0.95) */
  /* the data (stats_evidence_set) */
  int have_data;         /* the metric and the gains were joined */
  int gains_ci;          /* the gains' intervals are part of the rule */
  size_t nrms;           /* RMs with a finite metric and a finite gain */
  int metric_varies;     /* the metric is not the same for all of them */
  int gain_varies;       /* nor the gain */
  size_t ncis;           /* of them, gains with a finite interval */
  double top_lo, low_hi; /* the highest lower end, the lowest upper end */
  const char *top_rm, *low_rm; /* whose they are (borrowed) */
};

enum stats_verdict {
  STATS_V_ABSENT,       /* no correlation to judge */
  STATS_V_UNDEFINED,
  STATS_V_PREDICTS,
  STATS_V_NEGATIVE,
  STATS_V_INCONCLUSIVE,
};

enum stats_verdict_why {
  STATS_WHY_NONE,         /* predicts / negatively related / absent */
  STATS_WHY_FEW_RMS,      /* undefined: fewer than 3 RMs */
  STATS_WHY_FLAT_METRIC,  /* undefined: the metric is constant */
  STATS_WHY_FLAT_GAIN,    /* undefined: the gain is constant */
  STATS_WHY_NAN,          /* undefined: r is not a number, cause unknown */
  STATS_WHY_NO_CI,        /* inconclusive: r has no interval */
  STATS_WHY_CI_ZERO,      /* inconclusive: the interval of r includes 0 */
  STATS_WHY_GAINS_NO_CI,  /* inconclusive: fewer than 2 gain intervals */
  STATS_WHY_GAINS_NOISE,  /* inconclusive: every two gain intervals meet */
};

/* Fill the data part of e (not the correlation, not gains_ci) from the
 * RMs rms[i] with metric x[i] and gain g[i] in [lo[i], hi[i]], i < n;
 * RMs whose x or g is not finite are left out; an interval counts when
 * both ends are finite (lo and hi may be NULL: no intervals).  The names
 * are borrowed. */
void stats_evidence_set(struct stats_evidence *e, const char *const *rms,
                        const double *x, const double *g, const double *lo,
                        const double *hi, size_t n);

/* Apply the rule above; *why (non-NULL) says why.  The gains' intervals
 * count only when e->gains_ci is set. */
enum stats_verdict stats_verdict_judge(const struct stats_evidence *e,
                                       enum stats_verdict_why *why);

/* Append the verdict on e as one sentence that starts with `name` (its
 * first letter in capitals when `capital`) and ends with a full stop,
 * e.g. "NAME predicts TARGET across 12 RMs (Pearson r = 0.99, 95% CI
 * [0.62, 1.00]), and the gains differ beyond their bootstrap noise (the
 * intervals of d and a do not overlap)."; "NAME: inconclusive, no
 * evidence either way across 9 RMs (..., which includes 0)."; "NAME:
 * undefined (...)."  target names what is predicted ("the BoN gain");
 * put_rm appends an RM name (NULL: as is), so that report.md can escape
 * markdown. */
void stats_verdict_sentence(struct buf *b, const struct stats_evidence *e,
                            const char *name, int capital,
                            const char *target,
                            void (*put_rm)(struct buf *, const char *));

/* The verdict as one word or two ("undefined", "predicts", "negatively
 * related", "inconclusive"; "absent"), and its reason in a few words
 * ("" for none): for correlation.json. */
const char *stats_verdict_word(enum stats_verdict k);
const char *stats_verdict_reason(enum stats_verdict_why w);

#endif

/* steps.h - aggregating the per-step scores of a process reward model:
 * the one vocabulary of `bonrun analyze --steps`, `bonrun bench --steps`
 * and the `aggregate` key of the HTTP process-RM backends (proxy/).
 *
 * A process RM (PRM) scores every step of a solution; one score per
 * candidate is an aggregation of them (docs/methods.md).  In analyze and
 * bench the aggregation becomes part of the RM name in every output:
 * `rm/min`, `rm/mean_logit`.
 *
 *   min, max, mean, sum    of the step scores (any reals)
 *   first, last            the first / last step's score (any reals)
 *   prod                   product of the step probabilities
 *   gmean                  geometric mean: exp(mean log p); 0 if a p is 0
 *                          (also spelled geometric_mean and geomean)
 *   mean_logit             mean of log(p/(1-p))
 *   mean_odds              mean of p/(1-p) (also spelled mean_odd, as
 *                          the RewardMATH scorer does)
 * prod, gmean, mean_logit and mean_odds read the steps as probabilities
 * that the step is right, so they need every step in [0,1]: a step outside
 * is an error (a raw logit where a probability was expected is a setup
 * mistake, not a score).  For mean_logit and mean_odds each p is first
 * clamped into [STATS_STEP_EPS, 1 - STATS_STEP_EPS] so a step of exactly 0
 * or 1 stays finite (logit at most about +-13.8, odds at most about 1e6).
 * Pure: no I/O. */
#ifndef BON_STATS_STEPS_H
#define BON_STATS_STEPS_H

#include <stddef.h>

#include "util/err.h"

#define STATS_STEP_EPS 1e-6

enum stats_step_agg {
  STATS_AGG_MIN,
  STATS_AGG_MAX,
  STATS_AGG_PROD,
  STATS_AGG_MEAN,
  STATS_AGG_GMEAN,
  STATS_AGG_LAST,
  STATS_AGG_MEAN_LOGIT,
  STATS_AGG_MEAN_ODDS,
  STATS_AGG_SUM,
  STATS_AGG_FIRST,
  STATS_AGG_COUNT
};

/* Every accepted spelling, canonical names first, then the aliases;
 * NULL-terminated (for config schemas that list the allowed values). */
extern const char *const stats_step_agg_names[];

/* The aggregation named `name` (any spelling above).  0, or -1 with err
 * listing the names. */
int stats_step_agg_parse(const char *name, enum stats_step_agg *out,
                         struct bon_err *err);

/* The canonical name of agg (static string). */
const char *stats_step_agg_name(enum stats_step_agg agg);

/* 1 if agg reads its inputs as probabilities in [0,1]. */
int stats_step_agg_needs_prob(enum stats_step_agg agg);

/* Check that n steps suit agg: 0, or -1 with err saying what is wrong (no
 * step; or the first bad step, 1-based, and its value: no score, or
 * outside [0,1] for an aggregation that needs probabilities). */
int stats_steps_check(enum stats_step_agg agg, const double *p, size_t n,
                      struct bon_err *err);

/* Aggregate n step scores.  NaN exactly when stats_steps_check fails (the
 * caller counts it as a missing score, or reports the check's message).
 * Cannot fail. */
double stats_step_aggregate(enum stats_step_agg agg, const double *p,
                            size_t n);

/* Parse a step list as the scores tables spell it: reals separated by ';'
 * or ',', optionally inside [ ] (a JSON array), blanks ignored, numbers as
 * stats/numparse.h reads them.  An empty list is no step; an empty item or
 * a missing word (nan, null, ...) is a step without a score (NaN).  Into
 * *v, grown with realloc as needed (*cap = its capacity; caller frees).
 * Returns the number of steps, or -1 when an item is not a finite number. */
long stats_steps_parse(const char *s, size_t n, double **v, size_t *cap);

#endif

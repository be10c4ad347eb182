/* steps.h - aggregating the per-step scores of a process reward model.
 *
 * A process RM (PRM) scores every step of a solution; one score per
 * candidate is an aggregation of them.  The aggregation becomes part of the
 * RM name in every output: `rm/min`, `rm/mean_logit`.
 *
 *   min, max, mean, last   of the step scores (any reals)
 *   prod                   product of the step probabilities
 *   gmean                  geometric mean: exp(mean log p); 0 if a p is 0
 *   mean_logit             mean of log(p/(1-p))
 *   mean_odds              mean of p/(1-p)
 * prod, gmean, mean_logit and mean_odds need probabilities in [0,1]; for
 * mean_logit and mean_odds each p is first clamped into
 * [STATS_STEP_EPS, 1 - STATS_STEP_EPS] so a step of exactly 0 or 1 stays
 * finite (logit at most about +-13.8, odds at most about 1e6). */
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
  STATS_AGG_COUNT
};

/* The aggregation named `name` ("min", "max", "prod", "mean", "gmean",
 * "last", "mean_logit", "mean_odds"; also "geomean" for gmean).  Returns 0,
 * or -1 with err listing the known names. */
int stats_step_agg_parse(const char *name, enum stats_step_agg *out,
                         struct bon_err *err);

/* The canonical name of agg (static string). */
const char *stats_step_agg_name(enum stats_step_agg agg);

/* 1 if agg reads its inputs as probabilities in [0,1]. */
int stats_step_agg_needs_prob(enum stats_step_agg agg);

/* Aggregate n step scores.  NaN when n = 0, when a step is NaN, or when agg
 * needs probabilities and a step lies outside [0,1] (the caller counts it
 * as a missing score; stats_steps_check tells why).  Cannot fail. */
double stats_step_aggregate(enum stats_step_agg agg, const double *p,
                            size_t n);

/* Check that n steps suit agg: 0, or -1 with err naming the first bad step
 * (1-based) and its value. */
int stats_steps_check(enum stats_step_agg agg, const double *p, size_t n,
                      struct bon_err *err);

/* Parse a `;`-separated list of reals ("0.9;0.8;0.75"; spaces allowed, an
 * empty string is no step) into a fresh array (*out, caller frees; NULL
 * when *n = 0).  Returns 0, or -1 with err naming the bad item. */
int stats_steps_parse(const char *s, double **out, size_t *n,
                      struct bon_err *err);

#endif

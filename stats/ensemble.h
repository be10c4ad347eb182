/* ensemble.h - ensembles of proxy reward models (Coste et al. 2024;
 * Eisenstein et al. 2023; docs/methods.md).  Internal to stats/ (and its
 * tests): other parts get ensembles through stats/derive.h.
 *
 * Scores of different RMs live on different scales, so every member is
 * first STANDARDISED over the pool: z = (s - mean) / sd with the mean and
 * the population sd (divide by n) of all its present scores; a member with
 * sd = 0 contributes z = 0.  Then, per candidate, over the m members:
 *   mean      mean of the z
 *   min       the smallest z (worst case)
 *   median    the median z (mean of the middle two for even m)
 *   uwoL      mean - L * variance of the z (population variance, divide by
 *             m; uncertainty-weighted optimisation); L = 0 is exactly mean.
 * A candidate with a missing score (NaN) in any member gets a missing
 * ensemble score.
 *
 * Spec syntax: [NAME=]KIND:RM1,RM2[,...], KIND one of mean, min, median,
 * uwoL (e.g. uwo0.5 for L = 0.5).  The default name is ens-KIND(RM1,RM2).
 * RM names may contain anything but ',' (a '/' from step aggregations
 * is fine). */
#ifndef BON_STATS_ENSEMBLE_H
#define BON_STATS_ENSEMBLE_H

#include <stddef.h>

#include "util/err.h"

enum stats_ens_kind {
  STATS_ENS_MEAN,
  STATS_ENS_MIN,
  STATS_ENS_MEDIAN,
  STATS_ENS_UWO
};

struct stats_ens_spec {
  enum stats_ens_kind kind;
  double lambda; /* uwo only */
  char *name;    /* owned */
  char **rms;    /* owned, nrms names */
  size_t nrms;
};

/* Parse a spec (see above) into *out (free with stats_ens_spec_free).
 * Needs at least 2 distinct members.  Returns 0, or -1 with err quoting the
 * spec and saying what is wrong. */
int stats_ens_parse(const char *spec, struct stats_ens_spec *out,
                    struct bon_err *err);
void stats_ens_spec_free(struct stats_ens_spec *s);

/* Standardise n scores in place: (s - mean) / sd over the present ones
 * (population sd); NaN stays NaN; sd = 0 gives 0.  Cannot fail. */
void stats_standardise(double *s, size_t n);

/* The ensemble of m members whose scores scores[j][0..n) are aligned on
 * the same n candidates: standardises a copy of each member, combines them
 * as spec->kind says (spec->name and ->rms are not used) and writes n
 * scores to out.  Returns the number of missing ensemble scores. */
size_t stats_ens_combine(const struct stats_ens_spec *spec,
                         const double *const *scores, size_t m, size_t n,
                         double *out);

#endif

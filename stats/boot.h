/* boot.h - bootstrap over problems, paired and thread-count independent
 * (docs/methods.md).  Internal to stats/ (and its tests).
 *
 * Every statistic the analysis reports is a mean over problems of a
 * per-problem value, so a replicate needs only the multiplicities of the
 * resampled problems: replicate b draws P problem indices with replacement
 * from the stream rng_seed(seed, b, 0) and every statistic (every RM, every
 * n) is the weighted mean with those same multiplicities.  This pairs the
 * RMs, and since the stream depends only on (seed, b) the replicates are
 * identical for any thread count. */
#ifndef BON_STATS_BOOT_H
#define BON_STATS_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct stats_boot_opts {
  size_t B;       /* replicates (>= 1) */
  uint64_t seed;  /* master seed */
  int threads;    /* worker threads; 0 = all cores */
};

/* vals: nstat rows of P per-problem values (row-major, vals[k * P + p]).
 * Writes reps[b * nstat + k] = mean of row k under replicate b.  Returns
 * 0, or -1 with err (no problem or no replicate). */
int stats_boot_means(const double *vals, int nstat, int P,
                     const struct stats_boot_opts *o, double *reps,
                     struct bon_err *err);

/* Percentile interval of column k of reps (B rows of nstat): the
 * (1 - level)/2 and (1 + level)/2 quantiles (stats/order.h).  NaN entries
 * are ignored; all-NaN gives NaN. */
void stats_boot_interval(const double *reps, size_t B, int nstat, int k,
                         double level, double *lo, double *hi);

#endif

/* boot.h - bootstrap over problems, paired and thread-count independent.
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

#include <stdint.h>

#include "util/err.h"

struct stats_boot_opts {
  int B;          /* replicates (>= 1) */
  uint64_t seed;  /* master seed */
  int threads;    /* worker threads; 0 = all cores */
};

/* vals: nstat rows of P per-problem values (row-major, vals[k * P + p]).
 * Writes reps[b * nstat + k] = mean of row k under replicate b.  Returns
 * 0, or -1 with err (bad sizes, thread creation failure). */
int stats_boot_means(const double *vals, int nstat, int P,
                     const struct stats_boot_opts *o, double *reps,
                     struct bon_err *err);

/* Percentile interval of column k of reps (B rows of nstat): the
 * (1 - level)/2 and (1 + level)/2 quantiles, linear interpolation between
 * order statistics.  NaN entries are ignored; all-NaN gives NaN. */
void stats_boot_interval(const double *reps, int B, int nstat, int k,
                         double level, double *lo, double *hi);

/* Quantile q in [0, 1] of v[0..n-1] (sorted in place), as above. */
double stats_quantile(double *v, int n, double q);

/* Number of online cores (>= 1). */
int stats_ncores(void);

#endif

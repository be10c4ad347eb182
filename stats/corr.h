/* corr.h - does a benchmark metric predict a policy gain?  Correlation of
 * two paired arrays over reward models (pure cores, no I/O).
 *
 *   Pearson r, its two-sided t-test p-value (t = r sqrt((n-2)/(1-r^2)),
 *   n-2 degrees of freedom) and Fisher-z interval (tanh(atanh r -+ q/
 *   sqrt(n-3)), q the normal quantile); r^2; Spearman rho (Pearson of
 *   average ranks, so ties share the mean of their ranks); Kendall tau-b
 *   ((concordant - discordant) / sqrt((n0-n1)(n0-n2)), n1 and n2 the pairs
 *   tied in x and in y).
 *   Permutation p-values (two-sided, |stat| >= |observed|): y is permuted
 *   against x; exact enumeration of all n! orders when n <= 8, else
 *   Monte Carlo with opts->permutations orders, p = (1 + hits) / (1 + P).
 *   Bootstrap percentile intervals over RMs: replicate b resamples n RMs
 *   with replacement (stream rng_seed(seed, STATS_CORR_BOOT_STREAM, b));
 *   a replicate where a statistic is undefined (all x or all y equal) is
 *   left out of that statistic's interval.
 *   Leave-one-RM-out: every statistic with RM i dropped.
 * Everything is deterministic given opts->seed. */
#ifndef BON_STATS_CORR_H
#define BON_STATS_CORR_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define STATS_CORR_BOOT_STREAM 0x636f7262ULL /* "corb" */
#define STATS_CORR_PERM_STREAM 0x636f7270ULL /* "corp" */
#define STATS_CORR_EXACT_MAX 8 /* exact permutation test up to this n */
#define STATS_CORR_FEW 10      /* below this n, warn that intervals are wide */

/* Pearson r of n pairs; NaN when n < 2 or x or y is constant. */
double stats_pearson(const double *x, const double *y, size_t n);
/* Average ranks (1-based; ties share the mean of their ranks) of n
 * values into rank[0..n).  Cannot fail. */
void stats_avg_ranks(const double *x, size_t n, double *rank);
/* Spearman rho: Pearson r of the average ranks.  NaN as for Pearson. */
double stats_spearman(const double *x, const double *y, size_t n);
/* Kendall tau-b with the tie correction; NaN when all x or all y tie. */
double stats_kendall_tau_b(const double *x, const double *y, size_t n);
/* Two-sided t-test p-value of Pearson r over n pairs (n >= 3); 0 when
 * |r| = 1; NaN when r is NaN or n < 3. */
double stats_pearson_p(double r, size_t n);
/* Fisher-z interval of r at level (e.g. 0.95); NaN bounds when n <= 3 or
 * r is NaN. */
void stats_fisher_ci(double r, size_t n, double level, double *lo,
                     double *hi);

struct stats_corr_opts {
  uint64_t seed;
  size_t permutations; /* Monte Carlo orders when n > 8 (0: no test
                        * then; n <= 8 is always tested exactly) */
  size_t bootstrap;    /* replicates; 0 = no bootstrap intervals */
  double level;        /* interval level, e.g. 0.95 */
};
/* The defaults: seed 1, 10000 permutations, 1000 bootstrap replicates,
 * level 0.95. */
void stats_corr_opts_init(struct stats_corr_opts *o);

/* One statistic with its bootstrap interval and permutation p-value. */
struct stats_corr_stat {
  double value;
  double p_perm;
  double boot_lo, boot_hi;
  size_t boot_valid; /* replicates where it was defined */
};

struct stats_corr {
  size_t n;
  struct stats_corr_stat pearson, spearman, kendall;
  double pearson_p;          /* t-test */
  double fisher_lo, fisher_hi;
  double r2;
  int perm_exact;            /* 1: all n! orders enumerated */
  size_t perm_count;         /* orders evaluated */
  double *loo_r, *loo_rho, *loo_tau; /* n each (owned): RM i left out */
  double interval_width;     /* fisher_hi - fisher_lo */
  char warning[160];         /* "" or the few-RMs note */
};

/* Every statistic above for n pairs (x[i], y[i]).  Returns 0, or -1 with
 * err when n < 3 or a value is not finite (naming its 0-based position).
 * Free *out with stats_corr_free. */
int stats_correlate(const double *x, const double *y, size_t n,
                    const struct stats_corr_opts *opts,
                    struct stats_corr *out, struct bon_err *err);
void stats_corr_free(struct stats_corr *c);

#endif

/* analyze.h - `bonrun analyze`: BoN curves, KL, fits and gains per RM from
 * a scores table, with paired bootstrap intervals over problems.
 *
 * stats_analyze computes (no I/O); stats_analyze_write writes curves.csv,
 * fits.csv, gains.csv and summary.json (stats/formats.md) from its result.
 *
 * Conventions (beyond docs/methods.md):
 *   - a (rm, problem) pool is the problem's candidates with a score from
 *     that RM (missing scores drop out).  A problem where some RM scored
 *     nothing is dropped for every RM (counted, warned), so all RMs share
 *     the same problems and the bootstrap stays paired;
 *   - N is the smallest pool; the default grid is 1, 2, 4, ... < N, N; a
 *     given grid is sorted, deduplicated, always gets n = 1, and drops
 *     n > N with a warning; a warning lists the n > N/4;
 *   - samples (gains.csv) = N; tie_rate (gains.csv) = tie rate at the
 *     largest n; auc = trapezoid area of gold(n) - gold(1) over log2 n
 *     divided by log2 of the largest n; proxy_gap = the proxy gain minus
 *     the gold gain, each divided by its mean within-problem standard
 *     deviation (standardised units);
 *   - fits use the points n > 1 with weights 1 / bootstrap variance of
 *     f(n) - f(1) (unit weights without bootstrap); the extrapolation check
 *     fits on KL <= extrap_kl (default: the KL of the middle grid point,
 *     i.e. the lower half of the grid) and scores the rest;
 *   - fit intervals (fits.csv alpha_lo .. n_star_hi): each bootstrap
 *     replicate curve is recentred and refitted (stats_fit_ab, the same
 *     points and weights); percentile intervals, failed fits left out;
 *   - majority / weighted vote: see stats_vote in bon.h (Monte Carlo
 *     estimates for large C(N, n), seeded from (seed, rm, problem, n));
 *   - every number is identical for any thread count.
 */
#ifndef BON_STATS_ANALYZE_H
#define BON_STATS_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "stats/fit.h"
#include "stats/table.h"
#include "util/err.h"

/* Below this many problems a bootstrap over problems is meaningless: the
 * analysis adds a warning (summary.json "warnings") when B > 0. */
#define STATS_MIN_BOOT_PROBLEMS 10

struct stats_analyze_opts {
  size_t bootstrap;       /* replicates B; 0 = no intervals (NaN) */
  uint64_t seed;
  int threads;            /* 0 = all cores */
  const int *n_grid;      /* NULL = default grid */
  int n_grid_len;
  double level;           /* interval level, in (0, 1) */
  double extrap_kl;       /* <= 0 = default (lower half of the grid) */
  const char *input_name; /* for summary.json (NULL = table->source) */
  /* Optional progress report: stage name and fraction done in [0, 1].
   * Called from the calling thread only. */
  void (*progress)(void *ctx, const char *stage, double frac);
  void *progress_ctx;
};

/* The defaults: B = 1000, seed 1, all cores, the default grid, level
 * 0.95, the default extrapolation split, no progress report. */
void stats_analyze_opts_init(struct stats_analyze_opts *o);

/* One point of a curve (a row of curves.csv): means over problems at n,
 * with bootstrap percentile intervals for gold, proxy and oracle (NaN
 * without bootstrap). */
struct stats_curve_point {
  int n;
  double kl, kl_plugin, d;
  double gold, gold_lo, gold_hi;
  double proxy, proxy_lo, proxy_hi;
  double oracle, oracle_lo, oracle_hi;
  double gold_pess, gold_opt, majority, weighted_vote, tie_rate;
};

/* Everything about one RM. */
struct stats_rm_result {
  char *rm;                 /* a copy of the RM name */
  struct stats_curve_point *curve; /* [n_grid] */
  /* gains.csv */
  double gold1, goldN, goldN_lo, goldN_hi;
  double delta, delta_lo, delta_hi;
  double peak_gold;
  int peak_n;
  double auc, norm_gain, proxy_gap, tie_rate;
  /* fits.csv: [0 gold, 1 proxy][STATS_FIT_BON, STATS_FIT_RL]; fit_ci
   * holds alpha_lo, alpha_hi, beta_lo, beta_hi, d_star_lo, d_star_hi,
   * n_star_lo, n_star_hi (NaN without B > 1) */
  struct stats_fit fit[2][2];
  double fit_ci[2][2][8];
  double d_star, kl_star, n_star, r2; /* = fit[0][STATS_FIT_BON]'s */
};

/* What summary.json records about the input and the options. */
struct stats_analysis_inputs {
  char *name;               /* the scores table, as given */
  size_t bootstrap;
  uint64_t seed;
  int threads;
  double level, extrap_kl;
  int n_problems;           /* problems in the table */
  size_t n_cands;
  int gold_binary, has_answer;
  struct stats_table_counts counts;
};

struct stats_analysis {
  int n_rms;
  struct stats_rm_result *rm; /* [n_rms] */
  int n_grid;
  int *grid;                  /* [n_grid] the n used */
  int problems;               /* problems used */
  int problems_dropped;       /* some RM scored none of their candidates */
  int pool;                   /* N */
  size_t n_warnings;
  char **warnings;
  struct stats_analysis_inputs in;
};

/* Analyse a loaded table into *res (free with stats_analysis_free).  Pure
 * computation: no file is read or written.  0, or -1 with err (no usable
 * problem, bad options) and *res zeroed. */
int stats_analyze(const struct stats_analyze_opts *o,
                  const struct stats_table *t, struct stats_analysis *res,
                  struct bon_err *err);

/* Write curves.csv, fits.csv, gains.csv and summary.json into dir
 * (created if needed; each file written atomically).  0, or -1 with err
 * naming the file. */
int stats_analyze_write(const struct stats_analysis *a, const char *dir,
                        struct bon_err *err);

void stats_analysis_free(struct stats_analysis *res);

#endif

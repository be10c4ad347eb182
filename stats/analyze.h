/* analyze.h - `bonrun analyze`: BoN curves, KL, fits and gains per RM from
 * a scores table, with paired bootstrap intervals over problems.
 *
 * Outputs (stats/formats.md): curves.csv, fits.csv, gains.csv and
 * summary.json in opts->out_dir.
 *
 * Conventions (beyond methods.md):
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
 *     computed after the bootstrap on one thread, so thread-count free;
 *   - majority / weighted vote: see stats_vote in bon.h (Monte Carlo
 *     estimates for large C(N, n), seeded from (seed, rm, problem, n)).
 */
#ifndef BON_STATS_ANALYZE_H
#define BON_STATS_ANALYZE_H

#include <stdint.h>

#include "stats/table.h"
#include "util/err.h"

/* Below this many problems a bootstrap over problems is meaningless: the
 * analysis adds a warning (summary.json "warnings") when B > 0. */
#define STATS_MIN_BOOT_PROBLEMS 10

struct stats_analyze_opts {
  const char *out_dir;    /* required */
  int bootstrap;          /* replicates B; 0 = no intervals (NaN) */
  uint64_t seed;
  int threads;            /* 0 = all cores */
  const int *n_grid;      /* NULL = default grid */
  int n_grid_len;
  double level;           /* interval level; 0 = 0.95 */
  double extrap_kl;       /* <= 0 = default (lower half of the grid) */
  const char *input_name; /* for summary.json (NULL = table->source) */
  /* Optional progress report: stage name and fraction done in [0, 1].
   * Called from the calling thread only. */
  void (*progress)(void *ctx, const char *stage, double frac);
  void *progress_ctx;
};

/* Per-RM highlights (what the command prints). */
struct stats_rm_result {
  const char *rm;         /* a copy of the RM name */
  double gold1, goldN, goldN_lo, goldN_hi;
  double delta, delta_lo, delta_hi;
  double peak_gold;
  int peak_n;
  double d_star, kl_star, n_star, r2; /* gold curve, bon form */
};

struct stats_analysis {
  int n_rms;
  struct stats_rm_result *rm; /* [n_rms] */
  int n_grid;
  int *grid;                  /* [n_grid] the n used */
  int problems;               /* problems used */
  int pool;                   /* N */
  int n_warnings;
  char **warnings;
};

/* Analyse a loaded table and write the outputs.  res may be NULL; else it
 * receives the highlights (caller frees with stats_analysis_free).  -1 with
 * err on failure (no usable problem, bad options, cannot write); res is
 * then left untouched. */
int stats_analyze(const struct stats_analyze_opts *o,
                  const struct stats_table *t, struct stats_analysis *res,
                  struct bon_err *err);

/* Convenience: read the table at path (topts may be NULL) then analyse. */
int stats_analyze_file(const char *path, const struct stats_table_opts *topts,
                       const struct stats_analyze_opts *o,
                       struct stats_analysis *res, struct bon_err *err);

void stats_analysis_free(struct stats_analysis *res);

#endif

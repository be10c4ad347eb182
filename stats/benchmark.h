/* benchmark.h - the library behind `bonrun bench` and `bonrun correlate`
 * (the runner calls these directly; the command files only parse options
 * and print).
 *
 * bench: every problem of a long scores table (stats/table.h) must have
 * exactly one correct candidate (correct = 1) and k >= 1 incorrect ones
 * (correct = 0).  For each RM -- the table's own, the step aggregations
 * `rm/agg` of RMs with per-step scores, and ensembles -- the metrics of
 * stats/metrics.h with bootstrap intervals over problems (the same
 * resampled problems for every RM in a replicate).  An RM named in
 * `pairwise` is a pairwise judge: the score of each incorrect candidate is
 * the outcome of the A/B comparison of the correct one against it (1 win,
 * 0 loss, 0.5 tie); the correct candidate's own score is ignored.
 *
 * correlate: joins small CSV tables on column `rm` and correlates every
 * (x, y) pair of columns with stats/corr.h. */
#ifndef BON_STATS_BENCHMARK_H
#define BON_STATS_BENCHMARK_H

#include <stddef.h>
#include <stdint.h>

#include "stats/corr.h"
#include "stats/metrics.h"
#include "stats/table.h"
#include "util/buf.h"
#include "util/err.h"

/* ---- Derived RMs: step aggregations and ensembles ------------------ */

/* Score arrays over a table's candidates (n_cands each) for RMs the table
 * does not hold yet. */
struct stats_derived {
  size_t n;
  char **names;    /* [n] owned */
  double **scores; /* [n][n_cands] owned; NaN = missing */
  size_t *missing; /* [n] missing scores of each */
  int *kind;       /* [n] STATS_DERIVED_STEPS or STATS_DERIVED_ENSEMBLE */
};
#define STATS_DERIVED_STEPS 1
#define STATS_DERIVED_ENSEMBLE 2

/* Derive, in this order: for every aggregation in steps (comma-separated
 * names such as "min,prod"; NULL or "" for none) and every RM of t with
 * per-step scores, `rm/agg`; then every ensemble spec (stats/ensemble.h),
 * whose members may be table RMs, step aggregations or earlier ensembles.
 * A candidate without steps gets a missing score.  Returns 0, or -1 with
 * err: an unknown aggregation or member RM (the message lists the RMs), a
 * name already taken, steps requested from a table without a steps
 * column, or a step outside [0,1] for an aggregation that needs
 * probabilities (naming the RM, problem and sample).  *d is empty on
 * failure; free it with stats_derived_free. */
int stats_derive_rms(const struct stats_table *t, const char *steps,
                     const char *const *specs, size_t n_specs,
                     struct stats_derived *d, struct bon_err *err);
void stats_derived_free(struct stats_derived *d);

/* A new table holding t's rows plus the derived RMs (appended after t's
 * RMs, with no steps), so an ensemble or aggregation is one more proxy
 * anywhere a table goes.  t is not changed.  NULL with err on failure. */
struct stats_table *stats_table_with_derived(const struct stats_table *t,
                                             const struct stats_derived *d,
                                             struct bon_err *err);

/* Convenience: derive (steps, specs) from *tp and append them to *tp in
 * place with stats_table_add_rm (no rebuild: the cost is the derivation
 * plus one copy of the score cube; *tp keeps its address).  0, or -1 with
 * err and *tp unchanged. */
int stats_table_add_derived(struct stats_table **tp, const char *steps,
                            const char *const *specs, size_t n_specs,
                            struct bon_err *err);

/* ---- bench --------------------------------------------------------- */

struct stats_bench_opts {
  struct stats_table_opts table; /* column overrides and format */
  size_t bootstrap;              /* replicates (default 1000; 0 = none) */
  uint64_t seed;                 /* default 1 */
  double level;                  /* interval level (default 0.95) */
  const char *steps;             /* "min,prod" or NULL */
  const char *const *ensembles;  /* specs */
  size_t n_ensembles;
  const char *const *pairwise;   /* RMs that are pairwise judges */
  size_t n_pairwise;
  enum stats_missing missing;    /* default STATS_MISSING_WORST */
  int skip_bad;                  /* skip (and count) malformed problems */
  int threads;                   /* bootstrap threads; 0 = all cores */
};
/* Fill the defaults. */
void stats_bench_opts_init(struct stats_bench_opts *o);

/* One output row: an RM and its metrics. */
struct stats_bench_row {
  char *rm;
  const char *kind; /* "score", "pairwise", "steps" or "ensemble" */
  struct stats_bench_metrics m;
};

struct stats_bench_report {
  char *source;             /* the scores file, or the table's source */
  size_t rows_read;         /* data rows of the input */
  size_t problems_total;    /* problems in the table */
  size_t problems_used;     /* with one correct and >= 1 incorrect */
  size_t problems_skipped;  /* malformed and skipped (skip_bad) */
  size_t k_min, k_max;      /* incorrect candidates per used problem */
  struct stats_bench_row *rms;
  size_t n_rms;
  char **warnings;          /* one line each, for stderr and summary */
  size_t n_warnings;
  struct stats_bench_opts opts; /* as given (pointers borrowed) */
};

/* The metrics of every RM of t (plus derived ones, per opts) into *rep
 * (free with stats_bench_report_free).  A problem with no correct
 * candidate, more than one, no incorrect one, or a correct value other
 * than 0/1 is an error naming the problem id, unless opts->skip_bad (then
 * it is skipped, counted and warned about).  0, or -1 with err. */
int stats_bench_table(const struct stats_table *t,
                      const struct stats_bench_opts *opts,
                      struct stats_bench_report *rep, struct bon_err *err);

/* Read the scores file and run stats_bench_table; a malformed problem's
 * message also gives its first line in the file ("FILE:LINE: problem
 * 'p7' has 2 correct candidates ..."). */
int stats_bench_file(const char *path, const struct stats_bench_opts *opts,
                     struct stats_bench_report *rep, struct bon_err *err);

/* Write benchmark.csv and summary.json into dir (created if needed;
 * atomic writes).  0, or -1 with err naming the file. */
int stats_bench_write(const struct stats_bench_report *rep, const char *dir,
                      struct bon_err *err);

/* A short human-readable table of the results (for stdout). */
void stats_bench_format(const struct stats_bench_report *rep,
                        struct buf *out);

void stats_bench_report_free(struct stats_bench_report *rep);

/* The metrics of nrm RMs over the same np problems at once: identical to
 * stats_bench_aggregate on each pm[r] (to the last bit, whatever the
 * thread count), but each replicate's indices are drawn once for all RMs
 * and replicates are shared among `threads` threads (0 = all cores). */
void stats_bench_aggregate_multi(const struct stats_problem_metric *const *pm,
                                 size_t nrm, size_t np, size_t B,
                                 uint64_t seed, double level, int threads,
                                 struct stats_bench_metrics *out);

/* ---- correlate ----------------------------------------------------- */

struct stats_corr_pair {
  char *x, *y;        /* FILE:COLUMN as given */
  size_t n;
  char **rms;         /* [n] the common RMs, in the x table's order */
  double *xv, *yv;    /* [n] */
  struct stats_corr c;
};

struct stats_corr_report {
  struct stats_corr_pair *pairs;
  size_t n_pairs;
  char **warnings;
  size_t n_warnings;
  struct stats_corr_opts opts;
};

/* Correlate every (x, y) pair (xs and ys are FILE:COLUMN, split at the
 * last ':', e.g. "bench/benchmark.csv:accuracy") across the RMs present in both tables
 * (joined on column `rm`).  An RM in one table only is dropped with a
 * warning.  Errors (-1 with err naming FILE and COLUMN): an unreadable
 * file, no `rm` column, an absent column (the message lists the columns),
 * a value that is not a number or `nan` (naming the line), an RM listed
 * twice, fewer than 3 common RMs with values on both sides.  An RM whose
 * value is nan on either side is dropped with a warning. */
int stats_correlate_files(const char *const *xs, size_t nx,
                          const char *const *ys, size_t ny,
                          const struct stats_corr_opts *opts,
                          struct stats_corr_report *rep,
                          struct bon_err *err);

/* Write correlation.json and correlations.csv into dir.  0 or -1. */
int stats_corr_write(const struct stats_corr_report *rep, const char *dir,
                     struct bon_err *err);

/* The figures of every pair, human-readable (for stdout). */
void stats_corr_format(const struct stats_corr_report *rep,
                       struct buf *out);

void stats_corr_report_free(struct stats_corr_report *rep);

#endif

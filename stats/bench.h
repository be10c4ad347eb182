/* bench.h - `bonrun bench`: reward-model benchmark metrics from a long
 * scores table (the runner calls these; the command only parses options
 * and prints).
 *
 * Every problem of the table (stats/table.h) must have exactly one correct
 * candidate (correct = 1) and k >= 1 incorrect ones (correct = 0).  For
 * each RM -- the table's own, the step aggregations `rm/agg` of RMs with
 * per-step scores, and ensembles (stats/derive.h) -- the metrics of
 * stats/metrics.h with bootstrap intervals over problems (the same
 * resampled problems for every RM in a replicate).  An RM named in
 * `pairwise` is a pairwise judge: the score of each incorrect candidate is
 * the outcome of the A/B comparison of the correct one against it (1 win,
 * 0 loss, 0.5 tie); the correct candidate's own score is ignored.
 * Outputs (stats/formats.md): benchmark.csv and summary.json. */
#ifndef BON_STATS_BENCH_H
#define BON_STATS_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "stats/metrics.h"
#include "stats/table.h"
#include "util/buf.h"
#include "util/err.h"

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
/* Fill the defaults (those given above; the table's as
 * stats_table_opts_init). */
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

/* What stats_bench_table and stats_bench_file return for a malformed
 * problem (no correct candidate, more than one, no incorrect one, or a
 * correct value other than 0/1) when skip_bad is off, so that the caller
 * can add its own remedy to the message. */
#define STATS_BENCH_MALFORMED (-2)

/* The metrics of every RM of t (plus derived ones, per opts) into *rep
 * (free with stats_bench_report_free).  0; STATS_BENCH_MALFORMED with err
 * naming the problem ("problem 'p7' has 2 correct candidates; ..."); or -1
 * with err for any other failure (an unknown pairwise RM, a bad step
 * aggregation or ensemble, no usable problem). */
int stats_bench_table(const struct stats_table *t,
                      const struct stats_bench_opts *opts,
                      struct stats_bench_report *rep, struct bon_err *err);

/* Read the scores file and run stats_bench_table (the same returns); a
 * malformed problem's message also gives its first line in the file
 * ("FILE:LINE: problem 'p7' has 2 correct candidates ..."). */
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

#endif

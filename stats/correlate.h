/* correlate.h - `bonrun correlate`: join small CSV tables on column `rm`
 * and correlate every (x, y) pair of columns with stats/corr.h.
 * Outputs (stats/formats.md): correlation.json and correlations.csv. */
#ifndef BON_STATS_CORRELATE_H
#define BON_STATS_CORRELATE_H

#include <stddef.h>

#include "stats/corr.h"
#include "stats/verdict.h"
#include "util/buf.h"
#include "util/err.h"

struct stats_corr_pair {
  char *x, *y;        /* FILE:COLUMN as given */
  size_t n;
  char **rms;         /* [n] the common RMs, in the x table's order */
  double *xv, *yv;    /* [n] */
  double *ylo, *yhi;  /* [n] y's interval (columns COLUMN_lo, COLUMN_hi of
                         the y table) or NULL when it has none */
  struct stats_corr c;
  struct stats_evidence ev;    /* what the verdict rests on (names
                                  borrowed from rms) */
  enum stats_verdict verdict;  /* stats/verdict.h */
  enum stats_verdict_why why;
};

/* Which RMs enter the join: only those in rms (n_rms > 0), and none in
 * exclude.  Names are borrowed. */
struct stats_corr_select {
  const char *const *rms;
  size_t n_rms;
  const char *const *exclude;
  size_t n_exclude;
};

struct stats_corr_report {
  struct stats_corr_pair *pairs;
  size_t n_pairs;
  char **warnings;
  size_t n_warnings;
  struct stats_corr_opts opts;
};

/* Correlate every (x, y) pair (xs and ys are FILE:COLUMN, split at the
 * last ':', e.g. "bench/benchmark.csv:accuracy") across the RMs present in
 * both tables (joined on column `rm`) that sel lets in (NULL: all).
 * Dropped with a warning: an RM in one table only; an RM whose value is
 * nan on either side; an RM that has no scores in a benchmark.csv (the
 * rule of stats/derive.h: a row whose `missing` count is every one of its
 * problems x (k + 1) candidates, or whose every problem was dropped for
 * missing scores, is no RM of its own; a process RM enters as its
 * aggregations).  A selected RM in neither table is warned about.  Each
 * pair gets its verdict (stats/verdict.h; the y column's COLUMN_lo and
 * COLUMN_hi, when the y table has both, are the gains' intervals).
 * Errors (-1 with err naming FILE and COLUMN): no x or no y, an
 * unreadable file, no `rm` column, an absent column (the message lists
 * the columns), a value that is not a number or `nan` (naming the line),
 * an RM listed twice, fewer than 3 common RMs with values on both
 * sides. */
int stats_correlate_files(const char *const *xs, size_t nx,
                          const char *const *ys, size_t ny,
                          const struct stats_corr_opts *opts,
                          const struct stats_corr_select *sel,
                          struct stats_corr_report *rep,
                          struct bon_err *err);

void stats_corr_report_free(struct stats_corr_report *rep);

/* ---- output (correlate_out.c) ---- */

/* Write correlation.json and correlations.csv into dir (created if
 * needed).  0, or -1 with err naming the file. */
int stats_corr_write(const struct stats_corr_report *rep, const char *dir,
                     struct bon_err *err);
/* The figures of every pair, human-readable (for stdout). */
void stats_corr_format(const struct stats_corr_report *rep,
                       struct buf *out);

#endif

/* correlate.h - `bonrun correlate`: join small CSV tables on column `rm`
 * and correlate every (x, y) pair of columns with stats/corr.h.
 * Outputs (stats/formats.md): correlation.json and correlations.csv. */
#ifndef BON_STATS_CORRELATE_H
#define BON_STATS_CORRELATE_H

#include <stddef.h>

#include "stats/corr.h"
#include "util/buf.h"
#include "util/err.h"

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
 * last ':', e.g. "bench/benchmark.csv:accuracy") across the RMs present in
 * both tables (joined on column `rm`).  An RM in one table only is dropped
 * with a warning.  Errors (-1 with err naming FILE and COLUMN): no x or no
 * y, an unreadable file, no `rm` column, an absent column (the message
 * lists the columns), a value that is not a number or `nan` (naming the
 * line), an RM listed twice, fewer than 3 common RMs with values on both
 * sides.  An RM whose value is nan on either side is dropped with a
 * warning. */
int stats_correlate_files(const char *const *xs, size_t nx,
                          const char *const *ys, size_t ny,
                          const struct stats_corr_opts *opts,
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

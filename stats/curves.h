/* curves.h - Gao et al. fits of curves that come with their own KL (an RL
 * run's checkpoints, or BoN curves computed elsewhere), without a scores
 * table (`bonrun analyze --curves`).
 *
 * Input: a CSV (or TSV) with columns `rm`, `kl`, `gold` and optional
 * `proxy`, one row per point; other columns are ignored.  kl is in nats
 * (KL from the initial policy), >= 0; gold and proxy are reals (proxy may
 * be empty or `nan`: the point then drops out of the proxy fit only).
 *
 * Per RM (in order of first appearance), the points are ordered by kl
 * (ties keep the file order).  The reference is the first point with the
 * smallest kl (normally kl = 0): gold0 = its gold (and proxy0 its proxy).
 * Every other point gives d = sqrt(kl) and R = f - f0, and both forms of
 * stats/fit.h (bon and rl) are fitted with unit weights to the points with
 * d > 0.  When the smallest kl is above 0 its point stands in for kl = 0
 * (a warning says so).  The extrapolation check fits on kl <= extrap_kl
 * (default per RM: the kl of the middle point, i.e. the lower half).
 * n_star is the BoN n with KL_bon(n) = KL* (a KL yardstick, also for RL).
 *
 * Outputs (stats/formats.md): fits.csv (the same columns as analyze's;
 * the bootstrap interval columns are nan) and summary.json. */
#ifndef BON_STATS_CURVES_H
#define BON_STATS_CURVES_H

#include <stddef.h>

#include "stats/fit.h"
#include "util/err.h"

struct stats_curves_opts {
  double extrap_kl;       /* <= 0: per-RM default (lower half) */
  const char *input_name; /* for summary.json (NULL = the file name) */
  const char *const *rms; /* keep only these RMs (NULL or 0 = all) */
  int n_rms;
};
/* The defaults: the default split, the file name, every RM. */
void stats_curves_opts_init(struct stats_curves_opts *o);

struct stats_curves_rm {
  char *rm;
  int points;             /* rows of this RM, reference included */
  size_t line;            /* first line of the RM in the file */
  double kl_ref, kl_max;  /* smallest and largest kl */
  double gold0, proxy0;   /* at the reference point (proxy0 NaN if none) */
  struct stats_fit fit[2][2]; /* [0 gold, 1 proxy][STATS_FIT_BON/RL] */
};

struct stats_curves_result {
  char *source;
  char *input_name;       /* for summary.json */
  double extrap_kl;       /* the option as given (NaN: per-RM default) */
  size_t rows;
  int has_proxy;          /* the input has a proxy column */
  int n_rms;
  struct stats_curves_rm *rm;
  size_t n_warnings;
  char **warnings;
};

/* Parse and fit len bytes of CSV (need not be NUL-terminated; name for
 * messages; o may be NULL for the defaults).  Pure: no I/O.  0, or -1
 * with err "NAME:LINE: ..." and *res zeroed: a missing column (the
 * message lists the columns), a kl, gold or proxy that is not a number, a
 * negative or non-finite kl, a non-finite gold, an RM with fewer than 3
 * points (naming its first line), no rows. */
int stats_curves_fit(const char *data, size_t len, const char *name,
                     const struct stats_curves_opts *o,
                     struct stats_curves_result *res, struct bon_err *err);

/* Write fits.csv and summary.json into dir (created).  0 or -1 with
 * err. */
int stats_curves_write(const struct stats_curves_result *res,
                       const char *dir, struct bon_err *err);

/* Read path, fit, write into dir.  res may be NULL.  0 or -1 with err. */
int stats_curves_file(const char *path, const struct stats_curves_opts *o,
                      const char *dir, struct stats_curves_result *res,
                      struct bon_err *err);

void stats_curves_free(struct stats_curves_result *res);

#endif

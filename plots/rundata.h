/* rundata.h - find and load the inputs of the figures and the report.
 *
 * A run directory (stats/formats.md) keeps them in RUN/analysis/,
 * RUN/benchmarks/one_to_many/, RUN/benchmarks/one_to_one/ and
 * RUN/correlation/; a plain `analyze --out` folder has curves.csv (and
 * perhaps benchmark.csv, correlations.csv) directly inside.  Absent files
 * are not errors: their path is left NULL and the figures that need them
 * are skipped. */
#ifndef BON_PLOT_RUNDATA_H
#define BON_PLOT_RUNDATA_H

#include <stddef.h>

#include "plots/csvtab.h"
#include "util/err.h"

/* Paths of the inputs that exist (NULL when absent); all owned. */
struct plot_paths {
  char *run_dir;
  char *curves, *fits, *gains;  /* analyze outputs */
  char *bench[2];               /* benchmark.csv: [0] one-to-many, [1] 1:1 */
  char *corr;                   /* correlations.csv */
  char *runinfo;                /* run.json (runinfo.h) */
  char *plots_dir;              /* RUN/plots (not created here) */
};

/* Fill p for run_dir.  -1 and err when run_dir is not a folder or holds
 * neither layout's files.  In a plain folder a benchmark.csv counts as
 * one-to-one when its `k` column is 1, else one-to-many. */
int plot_paths_find(struct plot_paths *p, const char *run_dir,
                    struct bon_err *err);
void plot_paths_free(struct plot_paths *p);

/* One point of a BoN curve (curves.csv); NAN where the file has nan or
 * lacks the column. */
struct plot_point {
  double n, kl, d, gold, gold_lo, gold_hi, proxy, proxy_lo, proxy_hi,
      oracle, majority;
};

/* The Gao BoN fit of the gold curve (fits.csv, curve=gold, form=bon). */
struct plot_fit {
  int ok; /* a row was found */
  double alpha, beta, r2, d_star, n_star, r_star, gold0;
};

struct plot_rm {
  char *name;
  struct plot_point *pts; /* n ascending */
  size_t npts, cap;
  struct plot_fit fit;
};

/* The RMs in order of first appearance in curves.csv. */
struct plot_curves {
  struct plot_rm *rms;
  size_t nrms;
};

/* The most RMs one curves.csv may hold. */
#define PLOT_MAX_RMS 1000

/* Load curves.csv and, when fits_path is non-NULL, the gold BoN fits.
 * -1 and err (naming file and column) when a required column (rm, n, gold,
 * and d or kl) is missing, a row has no valid n, the file is empty, or it
 * holds more than PLOT_MAX_RMS RMs. */
int plot_curves_load(struct plot_curves *c, const char *curves_path,
                     const char *fits_path, struct bon_err *err);
void plot_curves_free(struct plot_curves *c);
/* The largest n over all RMs (NAN when none). */
double plot_curves_max_n(const struct plot_curves *c);

/* One row of correlations.csv. */
struct plot_corr {
  int ok; /* found */
  int n;  /* number of RMs */
  double r, r_lo, r_hi, rho, rho_lo, rho_hi, tau, tau_lo, tau_hi;
};

/* Find the row of correlations table t whose x names benchmark `which`
 * (0: one_to_many, 1: one_to_one; matched as a substring of the FILE part,
 * `-` and `_` alike) with column xcol, and whose y column is ycol.  When
 * ycol is NULL, prefer delta, then the first gain column.  Fills *out
 * (out->ok = 0 when no row matches). */
void plot_corr_find(const struct plot_table *t, int which, const char *xcol,
                    const char *ycol, struct plot_corr *out);

/* Split "FILE:COLUMN" (the last ':') and return a short human label:
 * "one-to-many accuracy", "gain at largest n" ... (caller frees). */
char *plot_metric_label(const char *spec);

#endif

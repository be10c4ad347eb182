/* plot.h - `bonrun plot`: every figure of a run, regenerated from its CSVs.
 *
 * For each figure NAME the folder RUN/plots/ receives NAME.dat (the numbers,
 * one gnuplot index block per RM or panel), NAME.gp (a self-contained
 * gnuplot script that reads NAME.dat by relative path and writes the image)
 * and NAME.png / .svg / .pdf.  Rerunning `gnuplot NAME.gp` inside plots/
 * redraws one figure after a hand edit.  The figures:
 *
 *   gold_vs_d      gold reward vs d = sqrt(KL_bon) per RM: bootstrap band,
 *                  fitted Gao BoN curve, its peak, n on the upper axis
 *                  (one panel per RM when there are more than 6 RMs)
 *   proxy_vs_d     one panel per RM: gold and proxy reward vs d (proxy on
 *                  the right axis when its scale is not the gold's)
 *   gold_vs_n      gold vs log2 n with the oracle (pass@n) ceiling and the
 *                  majority-vote baseline; KL in nats on the upper axis
 *   bench_vs_gain  benchmark accuracy vs BoN gain across RMs, one panel per
 *                  benchmark (one-to-many, one-to-one), regression line,
 *                  RM labels, Pearson r / Spearman rho / Kendall tau with
 *                  intervals in the key
 *   corr_heatmap   Pearson r of every (benchmark metric, gain) pair from
 *                  correlations.csv, values and intervals in the cells
 *
 * Output is deterministic: the same inputs give the same bytes (fixed
 * terminal size and font, no dates; PDF creation dates are pinned). */
#ifndef BON_PLOT_H
#define BON_PLOT_H

#include "util/buf.h"
#include "util/err.h"

/* What plot_figures did. */
struct plot_result {
  int written;         /* figures drawn */
  int skipped;         /* figures skipped: inputs absent */
  int failed;          /* figures that failed (bad input, gnuplot error) */
  struct buf notes;    /* one line per skipped or failed figure */
  struct buf warnings; /* gnuplot's stderr, each line prefixed "NAME.gp: " */
};

#define PLOT_RESULT_INIT {0, 0, 0, BUF_INIT, BUF_INIT}

/* Draw every figure whose inputs exist in run_dir (a run directory or a
 * plain analyze output folder) into run_dir/plots/, in format "png", "svg"
 * or "pdf" (NULL means png).  Figures whose inputs are absent are skipped
 * with a line in res->notes.  Returns 0 when no figure failed (gnuplot
 * warnings alone do not fail: they are in res->warnings for the caller to
 * print or to treat as fatal); -1 and err (the first failure) otherwise,
 * after trying every figure.  res is filled in both cases; free it with
 * plot_result_free. */
int plot_figures(const char *run_dir, const char *format,
                 struct plot_result *res, struct bon_err *err);
void plot_result_free(struct plot_result *res);

#endif

/* report.h - RUN/report.md.
 *
 * The report says what was run (run.json in brief: runinfo.h), warns at
 * the top when too many samples have no extractable answer, states the
 * verdict on whether the benchmarks predict the BoN gain (verdict.h) with
 * its rule, shows the main table (per RM: the benchmark scores, the BoN
 * gain at the largest n with its interval, the peak, the fit), under it
 * the RMs that have benchmark metrics but no BoN gain (pairwise judges),
 * and links the figures of plots/.  Intervals are stated at run.json's
 * level (95 % when it has none). */
#ifndef BON_PLOT_REPORT_H
#define BON_PLOT_REPORT_H

#include "util/err.h"

/* Write run_dir/report.md from the files present (any may be absent: its
 * section then says so; a missing or unreadable run.json takes one line).
 * format ("png", "svg", "pdf"; NULL = png) picks the image links
 * (plots/NAME.FORMAT, only for images that exist).  The text is
 * deterministic (no dates).  A CSV input that exists but cannot be parsed
 * is named in a "Problems" section and left out.  0, or -1 and err when
 * run_dir is not a folder (or holds no input at all) or report.md cannot
 * be written. */
int plot_report(const char *run_dir, const char *format, struct bon_err *err);

#endif

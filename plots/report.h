/* report.h - RUN/report.md, and the text helpers it is built from.
 *
 * The report says what was run (config.json in brief), shows the main
 * table (per RM: the benchmark scores, the BoN gain at the largest n with
 * its interval, the peak, the fit), links the figures of plots/, and states
 * the correlation verdict in one sentence generated from the numbers. */
#ifndef BON_PLOT_REPORT_H
#define BON_PLOT_REPORT_H

#include "plots/rundata.h"
#include "util/buf.h"
#include "util/err.h"

/* Write run_dir/report.md from the files present (any may be absent: its
 * section then says so).  format ("png", "svg", "pdf"; NULL = png) picks
 * the image links (plots/NAME.FORMAT, only for images that exist).  The
 * text is deterministic (no dates).  An input that exists but cannot be
 * parsed is named in a "Problems" section and left out.  0, or -1 and err
 * when run_dir is not a folder (or holds no input at all) or report.md
 * cannot be written. */
int plot_report(const char *run_dir, const char *format, struct bon_err *err);

/* Append a number with `digits` decimals, "n/a" when not finite. */
void plot_fmt_num(struct buf *b, double v, int digits);
/* Append "v [lo, hi]" ("v" alone when an end is not finite; "n/a" when v
 * is not). */
void plot_fmt_ci(struct buf *b, double v, double lo, double hi, int digits);
/* Append s for a markdown table cell: `|` and `\` escaped, control bytes
 * as spaces. */
void plot_md_cell(struct buf *b, const char *s);

/* The verdict on whether benchmark metrics predict the BoN gain, one
 * sentence, e.g. "Across 8 RMs, one-to-many accuracy predicts the BoN gain
 * (Pearson r = 0.91, 95% CI [0.57, 0.98]); one-to-one accuracy does not
 * (r = 0.12, 95% CI [-0.60, 0.70])."  A metric "predicts" when the lower
 * end of its interval is above 0, is "negatively related" when the upper
 * end is below 0, and otherwise "does not reliably predict".  names[i]
 * labels c[i]; entries with c[i].ok == 0 are left out; m is 1 or 2.  When
 * fewer than 10 RMs back a correlation a second sentence warns that the
 * intervals are wide and gives their widths.  Appends to b; appends a
 * sentence saying so when no entry is usable. */
void plot_verdict(struct buf *b, const struct plot_corr *c,
                  const char *const *names, int m);

#endif

/* text.h - how report.md writes numbers, intervals and table cells. */
#ifndef BON_PLOT_TEXT_H
#define BON_PLOT_TEXT_H

#include <stddef.h>

#include "util/buf.h"

/* Append a number with `digits` decimals, "n/a" when not finite (and no
 * "-0.00"). */
void plot_fmt_num(struct buf *b, double v, int digits);
/* Append "v [lo, hi]" ("v" alone when an end is not finite; "n/a" when v
 * is not). */
void plot_fmt_ci(struct buf *b, double v, double lo, double hi, int digits);
/* An interval level as a percentage into out: "95%", "90%", "97.5%"
 * (at most 4 significant digits). */
void plot_fmt_level(char *out, size_t len, double level);
/* Append s for a markdown table cell or text: markdown's special
 * characters (| \ * _ ` [ ] < >) escaped, control bytes as spaces. */
void plot_md_cell(struct buf *b, const char *s);

#endif

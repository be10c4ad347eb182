/* gp.h - writing gnuplot scripts and running gnuplot.
 *
 * Every string that comes from data (RM names, file names) enters a script
 * only through plot_gp_str, as a single-quoted gnuplot literal: gnuplot does
 * no backquote, macro or backslash processing inside those, and the scripts
 * set `noenhanced` text so `_`, `^`, `{` and `@` print as themselves. */
#ifndef BON_PLOT_GP_H
#define BON_PLOT_GP_H

#include "util/buf.h"
#include "util/err.h"

enum plot_fmt { PLOT_PNG, PLOT_SVG, PLOT_PDF };

/* "png", "svg" or "pdf" (case-sensitive) into *f: 0, else -1 and err. */
int plot_fmt_parse(const char *s, enum plot_fmt *f, struct bon_err *err);
/* The file extension of a format, without the dot ("png"). */
const char *plot_fmt_ext(enum plot_fmt f);

/* Append s as a single-quoted gnuplot string: ' doubled, control bytes
 * (newline, tab, ...) replaced by a space, so the literal stays on one line
 * and means exactly s. */
void plot_gp_str(struct buf *b, const char *s);

/* Append the fixed preamble of every script: encoding, a terminal of w x h
 * pixels (pngcairo, svg, or pdfcairo at 100 px per inch) with a fixed font,
 * `noenhanced`, the output file name, and the colour-blind-safe line types
 * 1..8 (Okabe-Ito colours, each with its own dash and point type). */
void plot_gp_preamble(struct buf *b, enum plot_fmt f, int w, int h,
                      const char *image_name);

/* The colour of line type i (0-based, cycles through 8) as "#rrggbb". */
const char *plot_gp_color(int i);

/* The longest one gnuplot run may take, in seconds. */
#ifndef PLOT_GP_TIMEOUT_S
#define PLOT_GP_TIMEOUT_S 120
#endif

/* Run `gnuplot SCRIPT` with DIR as its working directory, stdin from
 * /dev/null, and TZ=UTC, LC_ALL=C.  Whatever gnuplot writes on stderr (its
 * warnings) is appended to `warn`.  The gnuplot program is $BONRUN_GNUPLOT
 * when set, else `gnuplot` on the PATH.  Returns 0 when gnuplot exited 0;
 * -1 and err (with gnuplot's last stderr line) when it could not be
 * started, was killed, ran past PLOT_GP_TIMEOUT_S (then it is killed), or
 * failed. */
int plot_gp_run(const char *dir, const char *script, struct buf *warn,
                struct bon_err *err);

/* Make a PDF written by cairo reproducible: overwrite the digits of its
 * /CreationDate with a fixed date in place (same length, so the byte
 * offsets of the cross-reference table stay right).  0 also when there is
 * no date; -1 and err when the file cannot be read or written. */
int plot_pdf_fix_date(const char *path, struct bon_err *err);

#endif

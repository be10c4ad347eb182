/* fig.h - what the figure files of plots/ share (internal to plots/).
 *
 * Each figure lives in its own file, fig_NAME.c, as two halves: one
 * function writes NAME.dat (the numbers; names only in comments), another
 * writes NAME.gp (the gnuplot script that reads NAME.dat by relative path).
 * plot_emit() then writes both into plots/ and runs gnuplot there.  Strings
 * from the data reach a script only through plot_gp_str (gp.h). */
#ifndef BON_PLOT_FIG_H
#define BON_PLOT_FIG_H

#include <stddef.h>

#include "plots/gp.h"
#include "plots/plot.h"
#include "plots/rundata.h"
#include "util/buf.h"
#include "util/err.h"

#define PLOT_MAX_OVERLAY 6 /* more RMs than this: small multiples */
#define PLOT_MAX_PANELS 64 /* more RMs than this: no curve figures */

/* One `bonrun plot` call: where the inputs are, the image format, the
 * level of the intervals in the tables (run.json's, runinfo.h) and the
 * result being filled (borrowed, not owned). */
struct plot_ctx {
  const struct plot_paths *paths;
  enum plot_fmt fmt;
  struct plot_result *res;
  char level[16]; /* "95%" (plot_fmt_level) */
};

/* ---- fig_common.c: writing the files --------------------------------- */

/* Append prefix, s and a newline, as a comment line s cannot break out of:
 * control bytes become spaces, backquotes apostrophes. */
void plot_comment(struct buf *b, const char *prefix, const char *s);
/* path relative to the run directory (a suffix of path; for comments). */
const char *plot_rel(const struct plot_ctx *cx, const char *path);
/* Append one printf-formatted line to res->notes. */
void plot_note(struct plot_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A readable n into out: "3.9", "10", "2.6e+06". */
void plot_fmt_n(char *out, size_t len, double n);
/* The three comment lines that open every script. */
void plot_script_head(struct buf *gp, const char *name, const char *what,
                      const char *sources);
/* plot_gp_preamble for the image NAME.FORMAT of w x h pixels. */
void plot_preamble(struct buf *gp, const struct plot_ctx *cx,
                   const char *name, int w, int h);
/* Write NAME.dat and NAME.gp into plots/, run gnuplot there (its stderr
 * goes to res->warnings, one "NAME.gp: " line each), check that the image
 * exists and is not empty, and pin a PDF's date.  0, or -1 and err. */
int plot_emit(struct plot_ctx *cx, const char *name, const struct buf *dat,
              const struct buf *gp, struct bon_err *err);

/* ---- fig_curves.c: what the three BoN curve figures share ------------ */

/* Columns of the curve data files (1-based, as gnuplot counts). */
enum { PLOT_C_N = 1, PLOT_C_LOG2N, PLOT_C_KL, PLOT_C_D, PLOT_C_GOLD,
       PLOT_C_GLO, PLOT_C_GHI, PLOT_C_PROXY, PLOT_C_PLO, PLOT_C_PHI,
       PLOT_C_ORACLE, PLOT_C_MAJ };

/* The data half of the curve figures: NAME.dat with one block per RM
 * (gnuplot index 0, 1, ...) and the 12 columns above.  src names the
 * inputs in the header comment. */
void plot_curves_dat(struct buf *b, const char *name, const char *src,
                     const struct plot_curves *c);
/* "curves.csv and fits.csv" relative to the run, into out. */
void plot_curve_sources(const struct plot_ctx *cx, char *out, size_t len);

/* Does some point of rm have finite values at both members (byte offsets
 * into struct plot_point)? */
int plot_rm_has(const struct plot_rm *rm, size_t off1, size_t off2);
#define PLOT_HAS(rm, f) plot_rm_has(rm, offsetof(struct plot_point, f), \
                                    offsetof(struct plot_point, f))
#define PLOT_HAS2(rm, f, g) plot_rm_has(rm, offsetof(struct plot_point, f), \
                                        offsetof(struct plot_point, g))

/* The Gao fit of rm can be drawn (alpha, beta, gold0 finite). */
int plot_fit_usable(const struct plot_rm *rm);
/* The extent of the curves. */
struct plot_span {
  double dmax, maxn, ymin, ymax;
  size_t maxpts; /* the most points of one RM */
  int accuracy;  /* every gold value in [0, 1] */
};

/* The span of every RM's gold values (and oracle when with_oracle). */
struct plot_span plot_curve_span(const struct plot_curves *c,
                                 int with_oracle);
/* Fix the y range when the values do not vary (gnuplot would widen it
 * with a warning). */
void plot_flat_yrange(struct buf *gp, const struct plot_span *s);
/* Room above and below the data in a panel. */
double plot_ypad(const struct plot_span *s);
/* PI = a point marker every PI points, so long curves stay readable. */
void plot_point_interval(struct buf *gp, const struct plot_span *s);
/* The d axis: range, labels, and n on the upper axis; y2: a right axis is
 * in use; grid: small panels. */
void plot_d_axes(struct buf *gp, const struct plot_span *s, int y2,
                 int grid);
/* Append the RM's name and its fitted peak: "NAME (peak n* ≈ 10)",
 * "NAME (peak n* > 64)", "NAME (no peak: β ≤ 0)", or "NAME" alone. */
void plot_rm_label(struct buf *t, const struct plot_rm *rm,
                   const struct plot_span *s);
/* "set title 'LABEL'" and a newline (plot_rm_label), for rm's panel. */
void plot_panel_title(struct buf *gp, const struct plot_rm *rm,
                      const struct plot_span *s);
/* The plot items that draw every RM but i in light grey behind panel i
 * (x from column xcol of NAME.dat, gold on y). */
void plot_grey_others(struct buf *gp, const char *name, size_t nrms,
                      size_t i, int xcol);
/* gnuplot functions fI(x) of the usable Gao fits. */
void plot_fit_functions(struct buf *gp, const struct plot_curves *c);
/* The peak marker of RM i (line type lt, or colour when non-NULL). */
void plot_peak_label(struct buf *gp, const struct plot_rm *rm, size_t i,
                     int lt, double dmax, const char *color);

/* Small multiples: a grid of panels of pw x ph pixels each, placed by
 * explicit margins (so labels get the room they need), above a strip of
 * keypx pixels that holds one shared key. */
struct plot_grid {
  int cols, rows, w, h, pw, ph, inl, inr, inb, intop, keypx;
};

struct plot_grid plot_grid_make(size_t k, int pw, int ph, int inl, int inr,
                                int keypx);
/* The preamble of a curve figure: one 960 x 680 overlay of every RM, or,
 * for more than PLOT_MAX_OVERLAY RMs, small multiples of 430 x 350 panels
 * (then the grid is returned; else a zero grid, cols = 0). */
struct plot_grid plot_curve_preamble(struct buf *gp,
                                     const struct plot_ctx *cx,
                                     const char *name, size_t nrms);
/* Margins of panel i (row-major from the top left). */
void plot_grid_panel(struct buf *gp, const struct plot_grid *g, size_t i);
/* Start the last, empty plot that only draws the shared key in the strip
 * below the grid; the caller appends `, keyentry ...` items and a newline,
 * then `unset multiplot`. */
void plot_grid_key_begin(struct buf *gp, const struct plot_grid *g);

/* ---- the figures (fig_NAME.c): 0, or -1 and err; a figure whose inputs
 * are absent notes why in cx->res and counts itself skipped. ----------- */

int plot_fig_gold_vs_d(struct plot_ctx *cx, const struct plot_curves *c,
                       struct bon_err *err);
int plot_fig_proxy_vs_d(struct plot_ctx *cx, const struct plot_curves *c,
                        struct bon_err *err);
int plot_fig_gold_vs_n(struct plot_ctx *cx, const struct plot_curves *c,
                       struct bon_err *err);
int plot_fig_bench_vs_gain(struct plot_ctx *cx, struct bon_err *err);
int plot_fig_corr_heatmap(struct plot_ctx *cx, struct bon_err *err);

#endif

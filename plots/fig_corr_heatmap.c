/* fig_corr_heatmap.c - Pearson r of every (benchmark metric, gain) pair of
 * correlations.csv, with the value and its interval in each cell
 * (plot.h). */
#include "plots/fig.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/csvtab.h"
#include "util/buf.h"
#include "util/num.h"

#define NAME "corr_heatmap"
#define MAX_CELLS 400

/* The grid of cells: x = benchmark metrics, y = gains, in order of first
 * appearance; cell[(i * ny + j) * 3 + 0..2] = r, lo, hi (NAN: absent). */
struct heat {
  struct plot_table t;
  const char **xs, **ys; /* borrowed from t */
  size_t nx, ny;
  double *cell;
};

static void heat_free(struct heat *h)
{
  free(h->cell);
  free(h->xs);
  free(h->ys);
  plot_table_free(&h->t);
}

/* Index of s in list (appending it when new). */
static size_t intern(const char ***list, size_t *n, const char *s)
{
  for(size_t i = 0; i < *n; i++)
    if(!strcmp((*list)[i], s))
      return i;
  *list = xrealloc(*list, (*n + 1) * sizeof(**list));
  (*list)[*n] = s;
  return (*n)++;
}

static int skip(struct plot_ctx *cx)
{
  cx->res->skipped++;
  return 1;
}

/* Read correlations.csv into h.  1 when the figure is skipped (noted), 0
 * when h is ready, -1 and err on a bad file; free h with heat_free in
 * every case. */
static int heat_load(struct plot_ctx *cx, struct heat *h,
                     struct bon_err *err)
{
  memset(h, 0, sizeof(*h));
  if(!cx->paths->corr) {
    plot_note(cx->res, "skipped %s: needs correlation/correlations.csv",
              NAME);
    return skip(cx);
  }
  struct plot_table *t = &h->t;
  if(plot_table_read(t, cx->paths->corr, err))
    return -1;
  int cxs = plot_table_col(t, "x"), cys = plot_table_col(t, "y");
  int cr = plot_table_col(t, "pearson"), clo = plot_table_col(t,
                                                              "pearson_lo");
  int chi = plot_table_col(t, "pearson_hi");
  if(cxs < 0 || cys < 0 || cr < 0)
    return bon_errf(err, "%s: needs the columns x, y, pearson "
                    "(stats/formats.md)", cx->paths->corr);
  if(!t->nrows) {
    plot_note(cx->res, "skipped %s: %s has no rows", NAME,
              plot_rel(cx, cx->paths->corr));
    return skip(cx);
  }
  for(size_t r = 0; r < t->nrows && h->nx <= MAX_CELLS &&
                    h->ny <= MAX_CELLS; r++) {
    intern(&h->xs, &h->nx, plot_table_str(t, r, cxs));
    intern(&h->ys, &h->ny, plot_table_str(t, r, cys));
  }
  if(h->nx * h->ny > MAX_CELLS) {
    plot_note(cx->res, "skipped %s: %zu x %zu metrics are too many for a "
              "heatmap (at most %d cells)", NAME, h->nx, h->ny, MAX_CELLS);
    return skip(cx);
  }
  h->cell = xmalloc(h->nx * h->ny * 3 * sizeof(double));
  for(size_t i = 0; i < h->nx * h->ny * 3; i++)
    h->cell[i] = NAN;
  for(size_t r = 0; r < t->nrows; r++) {
    size_t i = intern(&h->xs, &h->nx, plot_table_str(t, r, cxs));
    size_t j = intern(&h->ys, &h->ny, plot_table_str(t, r, cys));
    double *v = &h->cell[(i * h->ny + j) * 3];
    v[0] = plot_table_num(t, r, cr);
    v[1] = plot_table_num(t, r, clo);
    v[2] = plot_table_num(t, r, chi);
  }
  return 0;
}

/* The data half: one line per cell. */
static void heat_dat(struct buf *dat, const struct heat *h, const char *src)
{
  buf_printf(dat, "# %s.dat - ", NAME);
  plot_comment(dat, "Pearson r of benchmark metrics (x) vs gains (y), "
               "from ", src);
  buf_puts(dat, "# columns: 1 x index  2 y row (0 = bottom)  3 r  4 r_lo  "
                "5 r_hi\n");
  for(size_t i = 0; i < h->nx; i++) {
    buf_printf(dat, "# x %zu: ", i);
    plot_comment(dat, "", h->xs[i]);
  }
  for(size_t j = 0; j < h->ny; j++) {
    buf_printf(dat, "# y %zu: ", j);
    plot_comment(dat, "", h->ys[j]);
  }
  for(size_t i = 0; i < h->nx; i++)
    for(size_t j = 0; j < h->ny; j++) {
      const double *v = &h->cell[(i * h->ny + j) * 3];
      buf_printf(dat, "%zu %zu ", i, h->ny - 1 - j);
      num_put(dat, v[0]);
      buf_putc(dat, ' ');
      num_put(dat, v[1]);
      buf_putc(dat, ' ');
      num_put(dat, v[2]);
      buf_putc(dat, '\n');
    }
}

/* `set xtics (...)` or ytics with the readable metric names. */
static void metric_tics(struct buf *gp, const char *axis,
                        const char *const *names, size_t n, int flip)
{
  buf_printf(gp, "set %stics (", axis);
  for(size_t i = 0; i < n; i++) {
    char *lab = plot_metric_label(names[i]);
    buf_puts(gp, i ? ", " : "");
    plot_gp_str(gp, lab);
    buf_printf(gp, " %zu", flip ? n - 1 - i : i);
    free(lab);
  }
  buf_puts(gp, ")\n");
}

/* The value and interval labels of every cell. */
static void cell_labels(struct buf *gp, const struct heat *h)
{
  for(size_t i = 0; i < h->nx; i++)
    for(size_t j = 0; j < h->ny; j++) {
      const double *v = &h->cell[(i * h->ny + j) * 3];
      size_t row = h->ny - 1 - j;
      const char *tc = isfinite(v[0]) && fabs(v[0]) > 0.6 ? "#ffffff"
                                                          : "#000000";
      if(!isfinite(v[0])) {
        buf_printf(gp, "set label 'n/a' at %zu, %zu center tc rgb '#666666'"
                   " front\n", i, row);
        continue;
      }
      buf_printf(gp, "set label '%.2f' at %zu, %zu center offset 0,0.45 "
                 "tc rgb '%s' font ',13' front\n", v[0], i, row, tc);
      if(isfinite(v[1]) && isfinite(v[2]))
        buf_printf(gp, "set label '[%.2f, %.2f]' at %zu, %zu center "
                   "offset 0,-0.75 tc rgb '%s' font ',9' front\n", v[1],
                   v[2], i, row, tc);
    }
}

/* The script half. */
static void heat_gp(struct buf *gp, const struct plot_ctx *cx,
                    const struct heat *h, const char *src)
{
  plot_script_head(gp, NAME, "Pearson r between benchmark metrics and BoN "
                   "gains across RMs", src);
  int W = 330 + 190 * (int)h->nx, H = 200 + 80 * (int)h->ny;
  if(W < 760)
    W = 760;
  if(H < 460)
    H = 460;
  plot_preamble(gp, cx, NAME, W, H);
  buf_printf(gp, "set xrange [-0.5:%.1f]\nset yrange [-0.5:%.1f]\n"
             "set tics scale 0\nunset grid\nset border lw 1\n",
             h->nx - 0.5, h->ny - 0.5);
  buf_puts(gp, "set palette defined (-1 '#0072B2', 0 '#f7f7f7', 1 "
               "'#D55E00')\nset cbrange [-1:1]\nset cbtics 0.5\n"
               "set cblabel 'Pearson r across RMs'\nunset key\n"
               "set title 'Does the benchmark predict the BoN gain? "
               "Pearson r [");
  buf_printf(gp, "%s interval]'\n", cx->level);
  buf_puts(gp, "set xlabel 'benchmark metric'\nset ylabel 'policy gain'\n");
  metric_tics(gp, "x", h->xs, h->nx, 0);
  metric_tics(gp, "y", h->ys, h->ny, 1);
  if(h->nx > 4)
    buf_puts(gp, "set xtics rotate by 25 right\n");
  cell_labels(gp, h);
  buf_printf(gp, "plot '%s.dat' using 1:2:(0.5):(0.5):3 with boxxyerror "
             "fs solid 1.0 border lc rgb '#ffffff' fc palette\n", NAME);
}

int plot_fig_corr_heatmap(struct plot_ctx *cx, struct bon_err *err)
{
  struct heat h;
  int rc = heat_load(cx, &h, err);
  if(rc) {
    heat_free(&h);
    return rc < 0 ? -1 : 0;
  }
  struct buf dat = BUF_INIT, gp = BUF_INIT;
  const char *src = plot_rel(cx, cx->paths->corr);
  heat_dat(&dat, &h, src);
  heat_gp(&gp, cx, &h, src);
  rc = plot_emit(cx, NAME, &dat, &gp, err);
  buf_free(&dat);
  buf_free(&gp);
  heat_free(&h);
  return rc;
}

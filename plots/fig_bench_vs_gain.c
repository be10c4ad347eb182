/* fig_bench_vs_gain.c - benchmark accuracy vs BoN gain across RMs, one
 * panel per benchmark (one-to-many, one-to-one), with the least-squares
 * line, RM labels placed to avoid each other, and the correlations of
 * correlations.csv in the key (plot.h). */
#include "plots/fig.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plots/csvtab.h"
#include "util/buf.h"
#include "util/num.h"

#define NAME "bench_vs_gain"

struct bpoint {
  const char *rm; /* borrowed from the gains table */
  double x, xlo, xhi, y, ylo, yhi;
};

/* Join benchmark.csv (accuracy) and gains.csv (delta) on rm, in the order
 * of gains.csv.  Returns the number of points with finite x and y. */
static size_t join_bench(const struct plot_table *b,
                         const struct plot_table *gn,
                         struct bpoint *out, double *k)
{
  int brm = plot_table_col(b, "rm"), ba = plot_table_col(b, "accuracy");
  int blo = plot_table_col(b, "accuracy_lo");
  int bhi = plot_table_col(b, "accuracy_hi"), bk = plot_table_col(b, "k");
  int grm = plot_table_col(gn, "rm"), gd = plot_table_col(gn, "delta");
  int glo = plot_table_col(gn, "delta_lo");
  int ghi = plot_table_col(gn, "delta_hi");
  size_t m = 0;
  *k = NAN;
  if(brm < 0 || ba < 0 || grm < 0 || gd < 0)
    return 0;
  for(size_t r = 0; r < gn->nrows; r++) {
    const char *rm = plot_table_str(gn, r, grm);
    for(size_t q = 0; q < b->nrows; q++) {
      if(strcmp(plot_table_str(b, q, brm), rm))
        continue;
      struct bpoint p = {rm, plot_table_num(b, q, ba),
                         plot_table_num(b, q, blo), plot_table_num(b, q, bhi),
                         plot_table_num(gn, r, gd), plot_table_num(gn, r, glo),
                         plot_table_num(gn, r, ghi)};
      if(isnan(*k))
        *k = plot_table_num(b, q, bk);
      if(isfinite(p.x) && isfinite(p.y))
        out[m++] = p;
      break;
    }
  }
  return m;
}

/* Least squares y = a + b x; 0 when the x values do not vary. */
static int ols(const struct bpoint *p, size_t n, double *a, double *b)
{
  double mx = 0, my = 0, sxx = 0, sxy = 0;
  if(n < 2)
    return 0;
  for(size_t i = 0; i < n; i++) {
    mx += p[i].x;
    my += p[i].y;
  }
  mx /= n;
  my /= n;
  for(size_t i = 0; i < n; i++) {
    sxx += (p[i].x - mx) * (p[i].x - mx);
    sxy += (p[i].x - mx) * (p[i].y - my);
  }
  if(!(sxx > 1e-300))
    return 0;
  *b = sxy / sxx;
  *a = my - *b * mx;
  return 1;
}

static void range_of(const struct bpoint *p, size_t n, int ycoord,
                     double *lo, double *hi)
{
  *lo = INFINITY;
  *hi = -INFINITY;
  for(size_t i = 0; i < n; i++) {
    double v[3] = {ycoord ? p[i].y : p[i].x, ycoord ? p[i].ylo : p[i].xlo,
                   ycoord ? p[i].yhi : p[i].xhi};
    for(int k = 0; k < 3; k++)
      if(isfinite(v[k])) {
        *lo = fmin(*lo, v[k]);
        *hi = fmax(*hi, v[k]);
      }
  }
  double span = *hi - *lo;
  if(!(span > 1e-9))
    span = fmax(fabs(*hi), 0.1);
  *lo -= 0.12 * span;
  *hi += 0.12 * span;
}

/* Label boxes in pixels: x0, x1, y0, y1. */
struct box {
  double x0, x1, y0, y1;
};

static double overlap(struct box a, struct box b)
{
  double w = fmin(a.x1, b.x1) - fmax(a.x0, b.x0);
  double h = fmin(a.y1, b.y1) - fmax(a.y0, b.y0);
  return w > 0 && h > 0 ? w * h : 0;
}

/* Number of UTF-8 characters of s. */
static size_t u8len(const char *s)
{
  size_t n = 0;
  for(; *s; s++)
    n += ((unsigned char)*s & 0xc0) != 0x80;
  return n;
}

/* Place the RM labels of one panel so they avoid each other, the points
 * and the frame: for each point try eight positions around it and keep the
 * one with the least overlap.  Writes `set label` commands. */
static void place_labels(struct buf *gp, const struct bpoint *p, size_t n,
                         double x0, double x1, double y0, double y1,
                         struct box area, double W, double H)
{
  const double cw = 6.4, ch = 13, gap = 7; /* font 9: char w, h, gap */
  struct box *placed = xcalloc(n ? n : 1, sizeof(*placed));
  static const struct {
    double dx, dy; /* direction */
    const char *just;
  } cand[8] = {
    {1, 0, "left"}, {-1, 0, "right"}, {0, 1, "center"}, {0, -1, "center"},
    {1, 1, "left"}, {1, -1, "left"}, {-1, 1, "right"}, {-1, -1, "right"},
  };
  double *px = xmalloc((n ? n : 1) * sizeof(double));
  double *py = xmalloc((n ? n : 1) * sizeof(double));
#define X(v) (area.x0 + ((v) - x0) / (x1 - x0) * (area.x1 - area.x0))
#define Y(v) (area.y0 + ((v) - y0) / (y1 - y0) * (area.y1 - area.y0))
  for(size_t i = 0; i < n; i++) {
    px[i] = X(p[i].x);
    py[i] = Y(p[i].y);
  }
  for(size_t i = 0; i < n; i++) {
    double w = cw * (double)u8len(p[i].rm) + 2;
    double best = INFINITY;
    int bc = 0;
    struct box bb = {0, 0, 0, 0};
    for(int c = 0; c < 8; c++) {
      struct box b;
      double cx = px[i] + cand[c].dx * gap, cy = py[i] + cand[c].dy * gap;
      if(cand[c].dx > 0)
        b.x0 = cx, b.x1 = cx + w;
      else if(cand[c].dx < 0)
        b.x0 = cx - w, b.x1 = cx;
      else
        b.x0 = cx - w / 2, b.x1 = cx + w / 2;
      if(cand[c].dy > 0)
        b.y0 = cy, b.y1 = cy + ch;
      else if(cand[c].dy < 0)
        b.y0 = cy - ch, b.y1 = cy;
      else
        b.y0 = cy - ch / 2, b.y1 = cy + ch / 2;
      double cost = 0;
      for(size_t j = 0; j < i; j++)
        cost += overlap(b, placed[j]);
      for(size_t j = 0; j < n; j++) {
        struct box pt = {px[j] - 5, px[j] + 5, py[j] - 5, py[j] + 5};
        cost += 2 * overlap(b, pt);
        /* the error bars, as thin boxes */
        if(isfinite(p[j].xlo) && isfinite(p[j].xhi)) {
          struct box eb = {X(p[j].xlo), X(p[j].xhi), py[j] - 2, py[j] + 2};
          cost += overlap(b, eb);
        }
        if(isfinite(p[j].ylo) && isfinite(p[j].yhi)) {
          struct box eb = {px[j] - 2, px[j] + 2, Y(p[j].ylo), Y(p[j].yhi)};
          cost += overlap(b, eb);
        }
      }
      /* Outside the frame counts like overlap. */
      double area_in = overlap(b, area);
      cost += 3 * ((b.x1 - b.x0) * (b.y1 - b.y0) - area_in);
      cost += c * 0.01; /* prefer the earlier candidates on ties */
      if(cost < best) {
        best = cost;
        bc = c;
        bb = b;
      }
    }
    placed[i] = bb;
    buf_puts(gp, "set label ");
    plot_gp_str(gp, p[i].rm);
    /* The anchor is the point, shifted by the gap in pixels (screen). */
    buf_printf(gp, " at %.10g, %.10g %s font ',9' offset screen %.5f, %.5f "
               "front\n", p[i].x, p[i].y, cand[bc].just,
               cand[bc].dx * gap / W, cand[bc].dy * (gap + ch / 2) / H);
  }
#undef X
#undef Y
  free(placed);
  free(px);
  free(py);
}

/* "0.91 [0.57, 0.98]" or "n/a". */
static void stat_ci(char *out, size_t len, double v, double lo, double hi)
{
  if(!isfinite(v))
    snprintf(out, len, "n/a");
  else if(isfinite(lo) && isfinite(hi))
    snprintf(out, len, "%.2f  [%.2f, %.2f]", v, lo, hi);
  else
    snprintf(out, len, "%.2f", v);
}

/* The inputs of the figure: the gains, one or two benchmark tables joined
 * with them (a panel each when it has points), the correlations. */
struct bvg {
  struct plot_table gn, bt[2], corr;
  int have_corr, nb;      /* nb: benchmark tables read */
  struct bpoint *pts[2];  /* joined points of bt[i] (borrowing from gn) */
  size_t np[2];
  double kk[2];           /* k of a one-to-many benchmark (NAN: unknown) */
  int which[2];           /* 0 one-to-many, 1 one-to-one */
  int panels;             /* tables with at least one point */
  double maxn;            /* the largest n of curves.csv (NAN: unknown) */
};

static void bvg_free(struct bvg *v)
{
  plot_table_free(&v->gn);
  plot_table_free(&v->corr);
  for(int i = 0; i < 2; i++) {
    plot_table_free(&v->bt[i]);
    free(v->pts[i]);
  }
}

static int skip(struct plot_ctx *cx)
{
  cx->res->skipped++;
  return 1;
}

/* Read and join the inputs.  1 when the figure is skipped (noted), 0 when
 * v is ready, -1 and err on a file that cannot be read.  v is to be freed
 * with bvg_free in every case. */
static int bvg_load(struct plot_ctx *cx, struct bvg *v, struct bon_err *err)
{
  const struct plot_paths *pp = cx->paths;
  memset(v, 0, sizeof(*v));
  v->kk[0] = v->kk[1] = v->maxn = NAN;
  if(!pp->gains || (!pp->bench[0] && !pp->bench[1])) {
    plot_note(cx->res, "skipped %s: needs %s", NAME,
              !pp->gains ? "analysis/gains.csv"
                         : "benchmarks/one_to_many/ or "
                           "one_to_one/benchmark.csv");
    return skip(cx);
  }
  if(plot_table_read(&v->gn, pp->gains, err))
    return -1;
  if(v->gn.nrows > PLOT_MAX_RMS) {
    plot_note(cx->res, "skipped %s: %zu RMs in gains.csv are too many (at "
              "most %d)", NAME, v->gn.nrows, PLOT_MAX_RMS);
    return skip(cx);
  }
  if(pp->corr) {
    if(plot_table_read(&v->corr, pp->corr, err))
      return -1;
    v->have_corr = 1;
  }
  for(int b = 0; b < 2; b++) {
    if(!pp->bench[b])
      continue;
    int i = v->nb;
    if(plot_table_read(&v->bt[i], pp->bench[b], err))
      return -1;
    v->pts[i] = xcalloc(v->gn.nrows + 1, sizeof(struct bpoint));
    if(v->bt[i].nrows <= PLOT_MAX_RMS)
      v->np[i] = join_bench(&v->bt[i], &v->gn, v->pts[i], &v->kk[i]);
    else
      plot_note(cx->res, "%s: %zu RMs in %s are too many (at most %d): "
                "panel left out", NAME, v->bt[i].nrows,
                plot_rel(cx, pp->bench[b]), PLOT_MAX_RMS);
    v->which[i] = b;
    v->nb++;
    v->panels += v->np[i] > 0;
  }
  if(!v->panels) {
    plot_note(cx->res, "skipped %s: no RM has both a benchmark accuracy "
              "and a gain (columns rm, accuracy in benchmark.csv; rm, delta "
              "in gains.csv)", NAME);
    return skip(cx);
  }
  struct plot_curves c;
  struct bon_err e2;
  if(pp->curves && !plot_curves_load(&c, pp->curves, NULL, &e2)) {
    v->maxn = plot_curves_max_n(&c);
    plot_curves_free(&c);
  }
  return 0;
}

/* ---- the data half ------------------------------------------------------ */

/* Blocks 2p (the RMs) and 2p+1 (the least-squares line) of panel p. */
static void panel_dat(struct buf *dat, const struct bpoint *pt, size_t n,
                      int p, int which)
{
  double a = 0, b = 0;
  int line = ols(pt, n, &a, &b);
  if(p)
    buf_puts(dat, "\n\n");
  buf_printf(dat, "# index %d: %s benchmark, RMs\n", 2 * p,
             which ? "one-to-one" : "one-to-many");
  for(size_t j = 0; j < n; j++) {
    plot_comment(dat, "# ", pt[j].rm);
    double v[6] = {pt[j].x, pt[j].xlo, pt[j].xhi, pt[j].y, pt[j].ylo,
                   pt[j].yhi};
    for(int k = 0; k < 6; k++) {
      if(k)
        buf_putc(dat, ' ');
      num_put(dat, v[k]);
    }
    buf_putc(dat, '\n');
  }
  buf_printf(dat, "\n\n# index %d: least-squares line y = a + b x over "
             "the RMs' accuracies\n", 2 * p + 1);
  double lx0 = INFINITY, lx1 = -INFINITY;
  for(size_t j = 0; j < n; j++) {
    lx0 = fmin(lx0, pt[j].x);
    lx1 = fmax(lx1, pt[j].x);
  }
  num_put(dat, lx0);
  buf_putc(dat, ' ');
  num_put(dat, line ? a + b * lx0 : NAN);
  buf_putc(dat, '\n');
  num_put(dat, lx1);
  buf_putc(dat, ' ');
  num_put(dat, line ? a + b * lx1 : NAN);
  buf_putc(dat, '\n');
}

static void bvg_dat(struct buf *dat, const struct bvg *v, const char *src)
{
  buf_printf(dat, "# %s.dat - ", NAME);
  plot_comment(dat, "benchmark accuracy vs BoN gain, from ", src);
  buf_puts(dat, "# per panel two blocks: index 2p = the RMs (columns: 1 "
                "accuracy 2 accuracy_lo 3 accuracy_hi\n# 4 delta 5 "
                "delta_lo 6 delta_hi), index 2p+1 = the least-squares line "
                "(x y)\n");
  int p = 0;
  for(int i = 0; i < v->nb; i++)
    if(v->np[i])
      panel_dat(dat, v->pts[i], v->np[i], p++, v->which[i]);
}

/* ---- the script half ---------------------------------------------------- */

/* Title, axis labels, the zero line and the chance line of a panel. */
static void panel_frame(struct buf *gp, int which, double k, const char *ylab,
                        double x0, double x1, double y0, double y1)
{
  buf_printf(gp, "unset label\nunset arrow\nset xrange [%.6g:%.6g]\n"
             "set yrange [%.6g:%.6g]\n", x0, x1, y0, y1);
  if(which)
    buf_puts(gp, "set title 'One-to-one benchmark (chosen vs rejected "
                 "pairs)'\nset xlabel 'one-to-one accuracy  (fraction of "
                 "pairs won)'\n");
  else {
    char ks[32] = "";
    if(isfinite(k))
      snprintf(ks, sizeof(ks), ", k = %.0f", k);
    buf_printf(gp, "set title 'One-to-many benchmark (1 correct vs k "
               "incorrect%s)'\nset xlabel 'one-to-many accuracy  "
               "(fraction of problems won)'\n", ks);
  }
  buf_puts(gp, "set ylabel ");
  plot_gp_str(gp, ylab);
  buf_putc(gp, '\n');
  if(y0 < 0 && y1 > 0)
    buf_puts(gp, "set arrow from graph 0, first 0 to graph 1, first 0 "
                 "nohead lc rgb '#888888' dt (4,4) lw 1 back\n");
  if(isfinite(k) && k >= 1) {
    double chance = 1 / (k + 1);
    if(chance > x0 && chance < x1)
      buf_printf(gp, "set arrow from %.6g, graph 0 to %.6g, graph 1 "
                 "nohead lc rgb '#888888' dt (2,3) lw 1 back\n"
                 "set label 'chance' at %.6g, graph 0.97 left offset "
                 "0.5,0 tc rgb '#666666' font ',9'\n", chance, chance,
                 chance);
  }
}

/* The key entries of r, rho and tau (or a line saying they are absent),
 * their intervals at level ("95%"). */
static void corr_key(struct buf *gp, const struct plot_corr *pc,
                     const char *level)
{
  char t1[64], t2[64], t3[64], line_s[200];
  if(!pc->ok) {
    buf_puts(gp, ", \\\n  keyentry with points pt -1 lc rgb '#ffffff' "
                 "title 'r, \xcf\x81, \xcf\x84: not in "
                 "correlation/correlations.csv (run bonrun correlate)'");
    return;
  }
  stat_ci(t1, sizeof(t1), pc->r, pc->r_lo, pc->r_hi);
  stat_ci(t2, sizeof(t2), pc->rho, pc->rho_lo, pc->rho_hi);
  stat_ci(t3, sizeof(t3), pc->tau, pc->tau_lo, pc->tau_hi);
  const char *lab[3] = {"Pearson r = ", "Spearman \xcf\x81 = ",
                        "Kendall \xcf\x84 = "};
  const char *val[3] = {t1, t2, t3};
  for(int k = 0; k < 3; k++) {
    snprintf(line_s, sizeof(line_s), "%s%s", lab[k], val[k]);
    buf_puts(gp, ", \\\n  keyentry with points pt -1 lc rgb '#ffffff'"
                 " title ");
    plot_gp_str(gp, line_s);
  }
  snprintf(line_s, sizeof(line_s), "%d RMs, %s intervals%s", pc->n, level,
           pc->n < 10 ? " (few RMs: intervals are wide)" : "");
  buf_puts(gp, ", \\\n  keyentry with points pt -1 lc rgb '#ffffff' "
               "title ");
  plot_gp_str(gp, line_s);
}

/* Panel p of `panels` in a W x H image, for benchmark table i; the
 * intervals at level ("95%"). */
static void panel_gp(struct buf *gp, const struct bvg *v, int i, int p,
                     int panels, const char *ylab, const char *level)
{
  const int W = panels == 2 ? 1280 : 700, H = 720;
  const struct bpoint *pt = v->pts[i];
  size_t n = v->np[i];
  double x0, x1, y0, y1, a = 0, b = 0;
  range_of(pt, n, 0, &x0, &x1);
  range_of(pt, n, 1, &y0, &y1);
  int line = ols(pt, n, &a, &b);
  double l = (p * (double)W / panels + 85) / W;
  double r = ((p + 1) * (double)W / panels - 25) / W;
  double bot = 250.0 / H, top = 1 - 50.0 / H;
  buf_printf(gp, "\n# ---- panel %d: %s\n", p + 1,
             v->which[i] ? "one-to-one" : "one-to-many");
  buf_printf(gp, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
             "set bmargin at screen %.4f\nset tmargin at screen %.4f\n",
             l, r, bot, top);
  panel_frame(gp, v->which[i], v->kk[i], ylab, x0, x1, y0, y1);
  struct box area = {l * W, r * W, bot * H, top * H};
  place_labels(gp, pt, n, x0, x1, y0, y1, area, W, H);
  buf_printf(gp, "set key at screen %.4f, %.4f left top vertical "
             "Left reverse samplen 2.5 spacing 1.25 box lc rgb '#bbbbbb' "
             "width 1\n",
             l, bot - 85.0 / H);
  struct plot_corr pc = {0};
  if(v->have_corr)
    plot_corr_find(&v->corr, v->which[i], "accuracy", "delta", &pc);
  buf_printf(gp, "plot \\\n  '%s.dat' index %d using 1:4:2:3:5:6 with "
             "xyerrorbars lt 1 lw 1.2 title 'RMs (bars: %s intervals)'",
             NAME, 2 * p, level);
  if(line)
    buf_printf(gp, ", \\\n  '%s.dat' index %d using 1:2 with lines lc 2 "
               "dt (12,5) lw 2 title 'least-squares line'", NAME,
               2 * p + 1);
  corr_key(gp, &pc, level);
  buf_putc(gp, '\n');
}

static void bvg_gp(struct buf *gp, const struct plot_ctx *cx,
                   const struct bvg *v, const char *src)
{
  plot_script_head(gp, NAME, "benchmark accuracy vs BoN gain across RMs, "
                   "one panel per benchmark", src);
  plot_preamble(gp, cx, NAME, v->panels == 2 ? 1280 : 700, 720);
  buf_puts(gp, "set multiplot\nset grid\nset ytics mirror\n"
               "set xtics mirror\n");
  char ylab[160];
  if(isfinite(v->maxn))
    snprintf(ylab, sizeof(ylab), "BoN gain: gold(n = %.0f) - gold(1)  "
             "(accuracy)", v->maxn);
  else
    snprintf(ylab, sizeof(ylab), "BoN gain: gold(largest n) - gold(1)");
  int p = 0;
  for(int i = 0; i < v->nb; i++)
    if(v->np[i])
      panel_gp(gp, v, i, p++, v->panels, ylab, cx->level);
  buf_puts(gp, "unset multiplot\n");
}

int plot_fig_bench_vs_gain(struct plot_ctx *cx, struct bon_err *err)
{
  struct bvg v;
  int rc = bvg_load(cx, &v, err);
  if(rc) {
    bvg_free(&v);
    return rc < 0 ? -1 : 0;
  }
  const struct plot_paths *pp = cx->paths;
  struct buf src = BUF_INIT;
  buf_puts(&src, plot_rel(cx, pp->gains));
  for(int i = 0; i < v.nb; i++)
    buf_printf(&src, ", %s", plot_rel(cx, pp->bench[v.which[i]]));
  if(v.have_corr)
    buf_printf(&src, ", %s", plot_rel(cx, pp->corr));
  struct buf dat = BUF_INIT, gp = BUF_INIT;
  bvg_dat(&dat, &v, buf_str(&src));
  bvg_gp(&gp, cx, &v, buf_str(&src));
  rc = plot_emit(cx, NAME, &dat, &gp, err);
  buf_free(&src);
  buf_free(&dat);
  buf_free(&gp);
  bvg_free(&v);
  return rc;
}

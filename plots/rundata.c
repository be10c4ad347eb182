/* rundata.c - locating and loading the CSV inputs of bonrun plot. */
#include "plots/rundata.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "stats/bon.h"
#include "util/fsutil.h"

static char *exists_or_null(const char *dir, const char *name)
{
  char *p = fs_join(dir, name);
  if(fs_exists(p))
    return p;
  free(p);
  return NULL;
}

int plot_paths_find(struct plot_paths *p, const char *run_dir,
                    struct bon_err *err)
{
  memset(p, 0, sizeof(*p));
  struct stat st;
  if(stat(run_dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return bon_errf(err, "%s: not a folder; give a run directory or an "
                    "analyze output folder", run_dir);
  p->run_dir = xstrdup(run_dir);
  p->plots_dir = fs_join(run_dir, "plots");
  p->runinfo = exists_or_null(run_dir, "run.json");
  char *an = fs_join(run_dir, "analysis");
  char *plain_curves = exists_or_null(run_dir, "curves.csv");
  char *run_curves = exists_or_null(an, "curves.csv");
  if(run_curves || !plain_curves) { /* run layout */
    p->curves = run_curves;
    p->fits = exists_or_null(an, "fits.csv");
    p->gains = exists_or_null(an, "gains.csv");
    p->bench[0] = exists_or_null(run_dir,
                                 "benchmarks/one_to_many/benchmark.csv");
    p->bench[1] = exists_or_null(run_dir,
                                 "benchmarks/one_to_one/benchmark.csv");
    p->corr = exists_or_null(run_dir, "correlation/correlations.csv");
    free(plain_curves);
  }
  else { /* a plain analyze folder */
    p->curves = plain_curves;
    p->fits = exists_or_null(run_dir, "fits.csv");
    p->gains = exists_or_null(run_dir, "gains.csv");
    p->corr = exists_or_null(run_dir, "correlations.csv");
    char *b = exists_or_null(run_dir, "benchmark.csv");
    if(b) {
      struct plot_table t;
      struct bon_err e2;
      int which = 0;
      if(!plot_table_read(&t, b, &e2)) {
        int k = plot_table_col(&t, "k");
        if(t.nrows && plot_table_num(&t, 0, k) == 1)
          which = 1;
        plot_table_free(&t);
      }
      p->bench[which] = b;
    }
  }
  free(an);
  if(!p->curves && !p->gains && !p->bench[0] && !p->bench[1] && !p->corr) {
    bon_errf(err, "%s: no analysis/curves.csv, benchmarks/*/benchmark.csv, "
             "correlation/correlations.csv nor curves.csv: is this a run "
             "directory?", run_dir);
    plot_paths_free(p);
    return -1;
  }
  return 0;
}

void plot_paths_free(struct plot_paths *p)
{
  free(p->run_dir);
  free(p->curves);
  free(p->fits);
  free(p->gains);
  free(p->bench[0]);
  free(p->bench[1]);
  free(p->corr);
  free(p->runinfo);
  free(p->plots_dir);
  memset(p, 0, sizeof(*p));
}

static int cmp_point(const void *a, const void *b)
{
  double x = ((const struct plot_point *)a)->n;
  double y = ((const struct plot_point *)b)->n;
  return x < y ? -1 : x > y;
}

static struct plot_rm *find_rm(struct plot_curves *c, const char *name)
{
  for(size_t i = 0; i < c->nrms; i++)
    if(!strcmp(c->rms[i].name, name))
      return &c->rms[i];
  return NULL;
}

static int load_fits(struct plot_curves *c, const char *path,
                     struct bon_err *err)
{
  struct plot_table t;
  if(plot_table_read(&t, path, err))
    return -1;
  int crm = plot_table_col(&t, "rm"), ccurve = plot_table_col(&t, "curve");
  int cform = plot_table_col(&t, "form"), ca = plot_table_col(&t, "alpha");
  int cb = plot_table_col(&t, "beta");
  if(crm < 0 || ccurve < 0 || cform < 0 || ca < 0 || cb < 0) {
    bon_errf(err, "%s: needs the columns rm, curve, form, alpha, beta "
             "(stats/formats.md)", path);
    plot_table_free(&t);
    return -1;
  }
  int cr2 = plot_table_col(&t, "r2"), cd = plot_table_col(&t, "d_star");
  int cn = plot_table_col(&t, "n_star"), crs = plot_table_col(&t, "r_star");
  int cg0 = plot_table_col(&t, "gold0");
  for(size_t r = 0; r < t.nrows; r++) {
    if(strcmp(plot_table_str(&t, r, ccurve), "gold") ||
       strcmp(plot_table_str(&t, r, cform), "bon"))
      continue;
    struct plot_rm *rm = find_rm(c, plot_table_str(&t, r, crm));
    if(!rm || rm->fit.ok)
      continue;
    struct plot_fit *f = &rm->fit;
    f->ok = 1;
    f->alpha = plot_table_num(&t, r, ca);
    f->beta = plot_table_num(&t, r, cb);
    f->r2 = plot_table_num(&t, r, cr2);
    f->d_star = plot_table_num(&t, r, cd);
    f->n_star = plot_table_num(&t, r, cn);
    f->r_star = plot_table_num(&t, r, crs);
    f->gold0 = plot_table_num(&t, r, cg0);
    /* Fill what a writer left out, from the formulas of docs/methods.md. */
    if(isnan(f->d_star) && f->beta > 0)
      f->d_star = f->alpha / (2 * f->beta);
    if(isnan(f->n_star) && f->d_star >= 0)
      f->n_star = stats_kl_bon_inverse(f->d_star * f->d_star);
    if(isnan(f->gold0) && rm->npts && rm->pts[0].n == 1)
      f->gold0 = rm->pts[0].gold;
  }
  plot_table_free(&t);
  return 0;
}

int plot_curves_load(struct plot_curves *c, const char *curves_path,
                     const char *fits_path, struct bon_err *err)
{
  memset(c, 0, sizeof(*c));
  struct plot_table t;
  if(plot_table_read(&t, curves_path, err))
    return -1;
  int col[11];
  static const char *const names[11] = {
    "n", "kl", "d", "gold", "gold_lo", "gold_hi", "proxy", "proxy_lo",
    "proxy_hi", "oracle", "majority",
  };
  for(int i = 0; i < 11; i++)
    col[i] = plot_table_col(&t, names[i]);
  int crm = plot_table_col(&t, "rm");
  const char *missing = crm < 0 ? "rm" : col[0] < 0 ? "n"
                        : col[3] < 0 ? "gold"
                        : col[1] < 0 && col[2] < 0 ? "d" : NULL;
  if(missing) {
    bon_errf(err, "%s: no column '%s' (stats/formats.md lists the columns "
             "of curves.csv)", curves_path, missing);
    plot_table_free(&t);
    return -1;
  }
  if(!t.nrows) {
    bon_errf(err, "%s: no rows", curves_path);
    plot_table_free(&t);
    return -1;
  }
  size_t cap = 0;
  struct plot_rm *last = NULL;
  for(size_t r = 0; r < t.nrows; r++) {
    struct plot_point p;
    double *v[11] = {&p.n, &p.kl, &p.d, &p.gold, &p.gold_lo, &p.gold_hi,
                     &p.proxy, &p.proxy_lo, &p.proxy_hi, &p.oracle,
                     &p.majority};
    for(int i = 0; i < 11; i++)
      *v[i] = plot_table_num(&t, r, col[i]);
    if(!(p.n >= 1) || isinf(p.n)) {
      bon_errf(err, "%s: line %zu: n = '%s' is not a number >= 1",
               curves_path, r + 2, plot_table_str(&t, r, col[0]));
      plot_table_free(&t);
      plot_curves_free(c);
      return -1;
    }
    if(isnan(p.kl))
      p.kl = isnan(p.d) ? stats_kl_bon(p.n) : p.d * p.d;
    if(isnan(p.d))
      p.d = sqrt(p.kl);
    const char *name = plot_table_str(&t, r, crm);
    /* Rows usually come grouped by RM: try the last one first. */
    struct plot_rm *rm = last && !strcmp(last->name, name) ? last
                                                           : find_rm(c, name);
    if(!rm && c->nrms == PLOT_MAX_RMS) {
      bon_errf(err, "%s: more than %d RMs; split the table", curves_path,
               PLOT_MAX_RMS);
      plot_table_free(&t);
      plot_curves_free(c);
      return -1;
    }
    if(!rm) {
      if(c->nrms == cap) {
        cap = cap ? cap * 2 : 8;
        c->rms = xrealloc(c->rms, cap * sizeof(*c->rms));
      }
      rm = &c->rms[c->nrms++];
      memset(rm, 0, sizeof(*rm));
      rm->name = xstrdup(name);
    }
    if(rm->npts == rm->cap) {
      rm->cap = rm->cap ? rm->cap * 2 : 16;
      rm->pts = xrealloc(rm->pts, rm->cap * sizeof(*rm->pts));
    }
    rm->pts[rm->npts++] = p;
    last = rm;
  }
  plot_table_free(&t);
  for(size_t i = 0; i < c->nrms; i++)
    qsort(c->rms[i].pts, c->rms[i].npts, sizeof(struct plot_point),
          cmp_point);
  if(fits_path && load_fits(c, fits_path, err)) {
    plot_curves_free(c);
    return -1;
  }
  return 0;
}

void plot_curves_free(struct plot_curves *c)
{
  for(size_t i = 0; i < c->nrms; i++) {
    free(c->rms[i].name);
    free(c->rms[i].pts);
  }
  free(c->rms);
  memset(c, 0, sizeof(*c));
}

double plot_curves_max_n(const struct plot_curves *c)
{
  double m = NAN;
  for(size_t i = 0; i < c->nrms; i++)
    for(size_t j = 0; j < c->rms[i].npts; j++)
      if(isnan(m) || c->rms[i].pts[j].n > m)
        m = c->rms[i].pts[j].n;
  return m;
}

/* Does the FILE part of spec name benchmark `which`? */
static int names_bench(const char *spec, int which)
{
  const char *colon = strrchr(spec, ':');
  size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
  const char *want = which ? "one_to_one" : "one_to_many";
  size_t wl = strlen(want);
  for(size_t i = 0; i + wl <= len; i++) {
    size_t k = 0;
    while(k < wl && (spec[i + k] == want[k] ||
                     (want[k] == '_' && spec[i + k] == '-')))
      k++;
    if(k == wl)
      return 1;
  }
  return 0;
}

static const char *column_of(const char *spec)
{
  const char *colon = strrchr(spec, ':');
  return colon ? colon + 1 : spec;
}

void plot_corr_find(const struct plot_table *t, int which, const char *xcol,
                    const char *ycol, struct plot_corr *out)
{
  memset(out, 0, sizeof(*out));
  int cx = plot_table_col(t, "x"), cy = plot_table_col(t, "y");
  if(cx < 0 || cy < 0)
    return;
  static const char *const prefer[] = {"delta", NULL};
  long best = -1;
  int best_rank = 1 << 30;
  for(size_t r = 0; r < t->nrows; r++) {
    const char *x = plot_table_str(t, r, cx), *y = plot_table_str(t, r, cy);
    if(!names_bench(x, which) || strcmp(column_of(x), xcol))
      continue;
    int rank;
    if(ycol)
      rank = strcmp(column_of(y), ycol) ? -1 : 0;
    else
      rank = prefer[0] && !strcmp(column_of(y), prefer[0]) ? 0
                                                           : 1 + (int)r;
    if(rank >= 0 && rank < best_rank) {
      best_rank = rank;
      best = (long)r;
    }
  }
  if(best < 0)
    return;
  size_t r = (size_t)best;
  static const char *const cols[9] = {
    "pearson", "pearson_lo", "pearson_hi", "spearman", "spearman_lo",
    "spearman_hi", "kendall", "kendall_lo", "kendall_hi",
  };
  double *v[9] = {&out->r, &out->r_lo, &out->r_hi, &out->rho, &out->rho_lo,
                  &out->rho_hi, &out->tau, &out->tau_lo, &out->tau_hi};
  for(int i = 0; i < 9; i++)
    *v[i] = plot_table_num(t, r, plot_table_col(t, cols[i]));
  double n = plot_table_num(t, r, plot_table_col(t, "n"));
  out->n = n >= 0 && n < 1e9 ? (int)n : 0;
  out->ok = 1;
}

char *plot_metric_label(const char *spec)
{
  static const struct {
    const char *col, *label;
  } known[] = {
    {"delta", "gain at largest n"},
    {"auc", "mean gain over log2 n"},
    {"norm_gain", "normalised gain"},
    {"peak_gold", "peak gold"},
    {"goldN", "gold at largest n"},
    {"accuracy", "accuracy"},
    {"accuracy_ties", "accuracy (ties win)"},
    {"mrr", "MRR"},
  };
  const char *col = column_of(spec);
  const char *label = col;
  for(size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
    if(!strcmp(col, known[i].col))
      label = known[i].label;
  const char *prefix = names_bench(spec, 0)   ? "one-to-many "
                       : names_bench(spec, 1) ? "one-to-one "
                                              : "";
  size_t n = strlen(prefix) + strlen(label) + 1;
  char *s = xmalloc(n);
  snprintf(s, n, "%s%s", prefix, label);
  return s;
}

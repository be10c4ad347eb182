/* corr.c - correlations across reward models; see corr.h. */
#include "stats/corr.h"

#include "stats/order.h"
#include "util/rng.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void stats_corr_opts_init(struct stats_corr_opts *o)
{
  o->seed = 1;
  o->permutations = 10000;
  o->bootstrap = 1000;
  o->level = 0.95;
}

double stats_pearson(const double *x, const double *y, size_t n)
{
  if(n < 2)
    return NAN;
  double mx = 0, my = 0;
  for(size_t i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= (double)n;
  my /= (double)n;
  double sxx = 0, syy = 0, sxy = 0;
  for(size_t i = 0; i < n; i++) {
    double dx = x[i] - mx, dy = y[i] - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if(!(sxx > 0) || !(syy > 0))
    return NAN;
  double r = sxy / sqrt(sxx * syy);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

struct ival {
  double v;
  size_t i;
};

static int ival_cmp(const void *a, const void *b)
{
  const struct ival *p = a, *q = b;
  if(p->v != q->v)
    return p->v < q->v ? -1 : 1;
  return (p->i > q->i) - (p->i < q->i);
}

void stats_avg_ranks(const double *x, size_t n, double *rank)
{
  if(!n)
    return;
  struct ival *v = xmalloc(n * sizeof *v);
  for(size_t i = 0; i < n; i++) {
    v[i].v = x[i];
    v[i].i = i;
  }
  qsort(v, n, sizeof *v, ival_cmp);
  for(size_t a = 0; a < n;) {
    size_t b = a + 1;
    while(b < n && v[b].v == v[a].v)
      b++;
    double r = (double)(a + 1 + b) / 2; /* mean of ranks a+1 .. b */
    for(size_t j = a; j < b; j++)
      rank[v[j].i] = r;
    a = b;
  }
  free(v);
}

double stats_spearman(const double *x, const double *y, size_t n)
{
  if(n < 2)
    return NAN;
  double *rx = xmalloc(2 * n * sizeof *rx), *ry = rx + n;
  stats_avg_ranks(x, n, rx);
  stats_avg_ranks(y, n, ry);
  double r = stats_pearson(rx, ry, n);
  free(rx);
  return r;
}

static int sgn(double d)
{
  return (d > 0) - (d < 0);
}

double stats_kendall_tau_b(const double *x, const double *y, size_t n)
{
  long long s = 0, nx = 0, ny = 0;
  for(size_t i = 0; i < n; i++)
    for(size_t j = i + 1; j < n; j++) {
      int a = sgn(x[i] - x[j]), b = sgn(y[i] - y[j]);
      s += a * b;
      nx += a != 0;
      ny += b != 0;
    }
  if(!nx || !ny)
    return NAN;
  return (double)s / sqrt((double)nx * (double)ny);
}

double stats_pearson_p(double r, size_t n)
{
  if(isnan(r) || n < 3)
    return NAN;
  if(fabs(r) >= 1)
    return 0;
  double df = (double)n - 2;
  double t = fabs(r) * sqrt(df / (1 - r * r));
  return 2 * gsl_cdf_tdist_Q(t, df);
}

void stats_fisher_ci(double r, size_t n, double level, double *lo,
                     double *hi)
{
  if(isnan(r) || n <= 3) {
    *lo = *hi = NAN;
    return;
  }
  double q = gsl_cdf_ugaussian_Pinv(1 - (1 - level) / 2);
  double z = atanh(r), se = 1 / sqrt((double)n - 3);
  *lo = tanh(z - q * se);
  *hi = tanh(z + q * se);
}

/* ---- permutation test ---------------------------------------------- */

/* Everything the permutation statistics need, precomputed once:
 * standardised values and ranks (so r = dot product) and the sign
 * matrices of x and y (so the Kendall numerator is a sum of products). */
struct perm_ctx {
  size_t n;
  double *xs, *ys, *xr, *yr;
  signed char *sx, *sy; /* n*n */
  double obs_r, obs_rho;
  long long obs_s;
  int have_r, have_rho, have_tau;
  size_t hit_r, hit_rho, hit_tau;
};

/* Centre and scale v to unit sum of squares; 0 if v is constant. */
static int unitise(const double *v, size_t n, double *out)
{
  double m = 0, ss = 0;
  for(size_t i = 0; i < n; i++)
    m += v[i];
  m /= (double)n;
  for(size_t i = 0; i < n; i++) {
    out[i] = v[i] - m;
    ss += out[i] * out[i];
  }
  if(!(ss > 0))
    return 0;
  double s = 1 / sqrt(ss);
  for(size_t i = 0; i < n; i++)
    out[i] *= s;
  return 1;
}

static long long kendall_s(const struct perm_ctx *c, const size_t *perm)
{
  long long s = 0;
  size_t n = c->n;
  for(size_t i = 0; i < n; i++) {
    const signed char *sxi = c->sx + i * n;
    const signed char *syi = c->sy + perm[i] * n;
    for(size_t j = i + 1; j < n; j++)
      s += sxi[j] * syi[perm[j]];
  }
  return s;
}

#define PERM_TOL 1e-12

static void perm_eval(struct perm_ctx *c, const size_t *perm)
{
  size_t n = c->n;
  if(c->have_r || c->have_rho) {
    double r = 0, rho = 0;
    for(size_t i = 0; i < n; i++) {
      r += c->xs[i] * c->ys[perm[i]];
      rho += c->xr[i] * c->yr[perm[i]];
    }
    c->hit_r += c->have_r && fabs(r) >= fabs(c->obs_r) - PERM_TOL;
    c->hit_rho += c->have_rho && fabs(rho) >= fabs(c->obs_rho) - PERM_TOL;
  }
  if(c->have_tau) {
    long long s = kendall_s(c, perm);
    c->hit_tau += llabs(s) >= llabs(c->obs_s);
  }
}

/* The observed statistics and the sign tables of the permutation test. */
static void perm_setup(struct perm_ctx *c, const double *x, const double *y,
                       size_t n, const struct stats_corr *out, size_t *perm)
{
  memset(c, 0, sizeof *c);
  c->n = n;
  c->xs = xmalloc(4 * n * sizeof *c->xs);
  c->ys = c->xs + n;
  c->xr = c->xs + 2 * n;
  c->yr = c->xs + 3 * n;
  c->sx = xmalloc(2 * n * n);
  c->sy = c->sx + n * n;
  c->have_r = unitise(x, n, c->xs) && unitise(y, n, c->ys);
  stats_avg_ranks(x, n, c->xr);
  stats_avg_ranks(y, n, c->yr);
  c->have_rho = unitise(c->xr, n, c->xr) && unitise(c->yr, n, c->yr);
  for(size_t i = 0; i < n; i++)
    for(size_t j = 0; j < n; j++) {
      c->sx[i * n + j] = (signed char)sgn(x[i] - x[j]);
      c->sy[i * n + j] = (signed char)sgn(y[i] - y[j]);
    }
  c->have_tau = !isnan(out->kendall.value);
  for(size_t i = 0; i < n; i++)
    perm[i] = i;
  c->obs_s = kendall_s(c, perm);
  c->obs_r = 0;
  c->obs_rho = 0;
  for(size_t i = 0; i < n; i++) {
    c->obs_r += c->xs[i] * c->ys[i];
    c->obs_rho += c->xr[i] * c->yr[i];
  }
}

/* Heap's algorithm: every one of the n! orders exactly once.  Returns
 * the number of orders. */
static double perm_all(struct perm_ctx *c, size_t *perm)
{
  size_t cnt[STATS_CORR_EXACT_MAX] = {0};
  perm_eval(c, perm);
  double total = 1;
  for(size_t i = 1; i < c->n;) {
    if(cnt[i] < i) {
      size_t j = i % 2 ? cnt[i] : 0, t = perm[j];
      perm[j] = perm[i];
      perm[i] = t;
      perm_eval(c, perm);
      total++;
      cnt[i]++;
      i = 1;
    }
    else
      cnt[i++] = 0;
  }
  return total;
}

/* Monte Carlo: o->permutations shuffles from the permutation stream. */
static void perm_sample(struct perm_ctx *c, size_t *perm,
                        const struct stats_corr_opts *o)
{
  struct rng r;
  rng_seed(&r, o->seed, STATS_CORR_PERM_STREAM, 0);
  for(size_t p = 0; p < o->permutations; p++) {
    for(size_t i = c->n - 1; i > 0; i--) {
      size_t j = (size_t)rng_below(&r, i + 1), t = perm[j];
      perm[j] = perm[i];
      perm[i] = t;
    }
    perm_eval(c, perm);
  }
}

static void perm_test(const double *x, const double *y, size_t n,
                      const struct stats_corr_opts *o, struct stats_corr *out)
{
  struct perm_ctx c;
  size_t *perm = xmalloc(n * sizeof *perm);
  perm_setup(&c, x, y, n, out, perm);
  double total, add = 0;
  if(n <= STATS_CORR_EXACT_MAX) {
    total = perm_all(&c, perm);
    out->perm_exact = 1;
    out->perm_count = (size_t)total;
  }
  else {
    perm_sample(&c, perm, o);
    total = (double)o->permutations + 1;
    add = 1;
    out->perm_exact = 0;
    out->perm_count = o->permutations;
  }
  out->pearson.p_perm = c.have_r ? (c.hit_r + add) / total : NAN;
  out->spearman.p_perm = c.have_rho ? (c.hit_rho + add) / total : NAN;
  out->kendall.p_perm = c.have_tau ? (c.hit_tau + add) / total : NAN;
  free(perm);
  free(c.xs);
  free(c.sx);
}

/* ---- bootstrap and leave-one-out ------------------------------------ */

static void interval(double *v, size_t nv, double level,
                     struct stats_corr_stat *s)
{
  double a = (1 - level) / 2;
  s->boot_valid = nv;
  double q[2] = {a, 1 - a}, r[2];
  stats_quantiles(v, nv, q, 2, NULL, r);
  s->boot_lo = r[0];
  s->boot_hi = r[1];
}

static void bootstrap(const double *x, const double *y, size_t n,
                      const struct stats_corr_opts *o, struct stats_corr *out)
{
  size_t B = o->bootstrap;
  double *bx = xmalloc(2 * n * sizeof *bx), *by = bx + n;
  double *vr = xmalloc(3 * (B ? B : 1) * sizeof *vr);
  double *vrho = vr + B, *vtau = vr + 2 * B;
  size_t nr = 0, nrho = 0, ntau = 0;
  for(size_t b = 0; b < B; b++) {
    struct rng r;
    rng_seed(&r, o->seed, STATS_CORR_BOOT_STREAM, b);
    for(size_t i = 0; i < n; i++) {
      size_t j = (size_t)rng_below(&r, n);
      bx[i] = x[j];
      by[i] = y[j];
    }
    double v = stats_pearson(bx, by, n);
    if(!isnan(v))
      vr[nr++] = v;
    v = stats_spearman(bx, by, n);
    if(!isnan(v))
      vrho[nrho++] = v;
    v = stats_kendall_tau_b(bx, by, n);
    if(!isnan(v))
      vtau[ntau++] = v;
  }
  interval(vr, nr, o->level, &out->pearson);
  interval(vrho, nrho, o->level, &out->spearman);
  interval(vtau, ntau, o->level, &out->kendall);
  free(bx);
  free(vr);
}

static void leave_one_out(const double *x, const double *y, size_t n,
                          struct stats_corr *out)
{
  double *lx = xmalloc(2 * n * sizeof *lx), *ly = lx + n;
  out->loo_r = xmalloc(3 * n * sizeof *out->loo_r);
  out->loo_rho = out->loo_r + n;
  out->loo_tau = out->loo_r + 2 * n;
  for(size_t d = 0; d < n; d++) {
    size_t m = 0;
    for(size_t i = 0; i < n; i++)
      if(i != d) {
        lx[m] = x[i];
        ly[m++] = y[i];
      }
    out->loo_r[d] = stats_pearson(lx, ly, m);
    out->loo_rho[d] = stats_spearman(lx, ly, m);
    out->loo_tau[d] = stats_kendall_tau_b(lx, ly, m);
  }
  free(lx);
}

void stats_corr_free(struct stats_corr *c)
{
  if(!c)
    return;
  free(c->loo_r); /* one block holds all three */
  c->loo_r = c->loo_rho = c->loo_tau = NULL;
}

int stats_correlate(const double *x, const double *y, size_t n,
                    const struct stats_corr_opts *opts,
                    struct stats_corr *out, struct bon_err *err)
{
  memset(out, 0, sizeof *out);
  if(n < 3)
    return bon_errf(err, "%zu paired values: a correlation needs at least 3",
                    n);
  for(size_t i = 0; i < n; i++) {
    if(!isfinite(x[i]))
      return bon_errf(err, "x value %zu is not a finite number", i);
    if(!isfinite(y[i]))
      return bon_errf(err, "y value %zu is not a finite number", i);
  }
  out->n = n;
  out->pearson.value = stats_pearson(x, y, n);
  out->spearman.value = stats_spearman(x, y, n);
  out->kendall.value = stats_kendall_tau_b(x, y, n);
  out->r2 = out->pearson.value * out->pearson.value;
  out->pearson_p = stats_pearson_p(out->pearson.value, n);
  stats_fisher_ci(out->pearson.value, n, opts->level, &out->fisher_lo,
                  &out->fisher_hi);
  out->interval_width = out->fisher_hi - out->fisher_lo;
  out->pearson.p_perm = out->spearman.p_perm = out->kendall.p_perm = NAN;
  if(n <= STATS_CORR_EXACT_MAX || opts->permutations)
    perm_test(x, y, n, opts, out);
  out->pearson.boot_lo = out->pearson.boot_hi = NAN;
  out->spearman.boot_lo = out->spearman.boot_hi = NAN;
  out->kendall.boot_lo = out->kendall.boot_hi = NAN;
  if(opts->bootstrap)
    bootstrap(x, y, n, opts, out);
  leave_one_out(x, y, n, out);
  int xconst = 1, yconst = 1;
  for(size_t i = 1; i < n; i++) {
    xconst &= x[i] == x[0];
    yconst &= y[i] == y[0];
  }
  if(xconst || yconst)
    snprintf(out->warning, sizeof out->warning,
             "%s the same value for every RM: no correlation is defined "
             "(nan)", xconst && yconst ? "x and y take" : xconst ? "x takes"
                                                                : "y takes");
  else if(n < STATS_CORR_FEW) {
    if(isnan(out->interval_width))
      snprintf(out->warning, sizeof out->warning,
               "intervals are wide with few RMs (n = %zu; no Fisher "
               "interval below n = 4)", n);
    else
      snprintf(out->warning, sizeof out->warning,
               "intervals are wide with few RMs (n = %zu: the %g%% "
               "interval of Pearson r is %.2f wide)", n, opts->level * 100,
               out->interval_width);
  }
  return 0;
}

/* Unit tests of stats/corr: closed forms, published values, brute-force
 * Kendall and full permutation enumeration written independently here. */
#include "tests/unit/test.h"
#include "stats/corr.h"
#include "util/rng.h"

#include <stdlib.h>

TEST(corr_perfect_linear_and_monotone)
{
  double x[] = {1, 2, 3, 4, 5, 6}, y[6], z[6], e[6];
  for(int i = 0; i < 6; i++) {
    y[i] = 3 * x[i] - 2;
    z[i] = -0.5 * x[i];
    e[i] = exp(x[i]); /* monotone, not linear */
  }
  CHECK_NEAR(stats_pearson(x, y, 6), 1, 1e-15);
  CHECK_NEAR(stats_pearson(x, z, 6), -1, 1e-15);
  CHECK_NEAR(stats_spearman(x, e, 6), 1, 1e-15);
  CHECK_NEAR(stats_kendall_tau_b(x, e, 6), 1, 1e-15);
  CHECK_NEAR(stats_kendall_tau_b(x, z, 6), -1, 1e-15);
  CHECK(stats_pearson(x, e, 6) < 0.95);
  double c[] = {2, 2, 2, 2, 2, 2};
  CHECK(isnan(stats_pearson(x, c, 6)));
  CHECK(isnan(stats_kendall_tau_b(c, x, 6)));
}

TEST(corr_anscombe_published_r)
{
  /* Anscombe (1973), set I: r = 0.816 (0.8164205 to 7 digits). */
  double x[] = {10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5};
  double y[] = {8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84,
                4.82, 5.68};
  CHECK_NEAR(stats_pearson(x, y, 11), 0.8164205, 5e-7);
  /* No ties: Spearman by the closed form 1 - 6 sum d^2 / (n (n^2 - 1)),
   * ranks by counting. */
  double d2 = 0;
  for(int i = 0; i < 11; i++) {
    int rx = 1, ry = 1;
    for(int j = 0; j < 11; j++) {
      rx += x[j] < x[i];
      ry += y[j] < y[i];
    }
    d2 += (double)(rx - ry) * (rx - ry);
  }
  CHECK_NEAR(stats_spearman(x, y, 11), 1 - 6 * d2 / (11 * 120.0), 1e-14);
}

TEST(corr_published_tie_examples)
{
  /* SciPy documentation examples (kendalltau, spearmanr), both with ties:
   * tau-b = -0.47140452079103173, rho = 0.8207826816681233. */
  double x[] = {12, 2, 1, 12, 2}, y[] = {1, 4, 7, 1, 0};
  CHECK_NEAR(stats_kendall_tau_b(x, y, 5), -0.47140452079103173, 1e-14);
  double a[] = {1, 2, 3, 4, 5}, b[] = {5, 6, 7, 8, 7};
  CHECK_NEAR(stats_spearman(a, b, 5), 0.8207826816681233, 1e-14);
}

TEST(corr_average_ranks)
{
  double x[] = {10, 20, 10, 30, 20, 20}, r[6];
  stats_avg_ranks(x, 6, r);
  double want[] = {1.5, 4, 1.5, 6, 4, 4};
  for(int i = 0; i < 6; i++)
    CHECK_NEAR(r[i], want[i], 0);
}

/* tau-b by counting pair types: (C - D) / sqrt((C+D+Ty)(C+D+Tx)) with Tx
 * the pairs tied in x only and Ty those tied in y only. */
static double brute_tau_b(const double *x, const double *y, int n)
{
  long c = 0, d = 0, tx = 0, ty = 0;
  for(int i = 0; i < n; i++)
    for(int j = 0; j < n; j++) {
      if(j <= i)
        continue;
      if(x[i] == x[j] && y[i] == y[j])
        continue;
      if(x[i] == x[j])
        tx++;
      else if(y[i] == y[j])
        ty++;
      else if((x[i] < x[j]) == (y[i] < y[j]))
        c++;
      else
        d++;
    }
  return (c - d) / sqrt((double)(c + d + ty) * (double)(c + d + tx));
}

TEST(corr_kendall_tau_b_with_ties_against_brute_force)
{
  struct rng r;
  rng_seed(&r, 11, 0, 0);
  for(int t = 0; t < 200; t++) {
    int n = 3 + (int)rng_below(&r, 30);
    double x[40], y[40];
    for(int i = 0; i < n; i++) {
      x[i] = (double)rng_below(&r, 5); /* many ties */
      y[i] = (double)rng_below(&r, 4) + (rng_below(&r, 2) ? 0 : x[i]);
    }
    double a = stats_kendall_tau_b(x, y, (size_t)n), b = brute_tau_b(x, y, n);
    if(isnan(b))
      CHECK(isnan(a));
    else
      CHECK_NEAR(a, b, 1e-12);
  }
}

TEST(corr_pearson_p_closed_forms)
{
  /* n = 3: t has 1 df (Cauchy), p = 1 - 2 atan(t) / pi. */
  double r = 0.6, t = r * sqrt(1 / (1 - r * r));
  CHECK_NEAR(stats_pearson_p(r, 3), 1 - 2 * atan(t) / M_PI, 1e-12);
  /* n = 4: 2 df, p = 1 - t / sqrt(2 + t^2). */
  r = -0.8;
  t = fabs(r) * sqrt(2 / (1 - r * r));
  CHECK_NEAR(stats_pearson_p(r, 4), 1 - t / sqrt(2 + t * t), 1e-12);
  CHECK_NEAR(stats_pearson_p(1, 10), 0, 0);
  CHECK_NEAR(stats_pearson_p(0, 10), 1, 1e-12);
  CHECK(isnan(stats_pearson_p(0.5, 2)));
}

TEST(corr_fisher_interval_formula)
{
  double lo, hi, r = 0.5, q = 1.959963984540054;
  stats_fisher_ci(r, 12, 0.95, &lo, &hi);
  double z = 0.5 * log((1 + r) / (1 - r)), se = 1 / 3.0;
  CHECK_NEAR(lo, tanh(z - q * se), 1e-12);
  CHECK_NEAR(hi, tanh(z + q * se), 1e-12);
  stats_fisher_ci(r, 3, 0.95, &lo, &hi);
  CHECK(isnan(lo) && isnan(hi));
}

/* Two-sided permutation p-values by recursive enumeration of all orders
 * (a different algorithm from the library's Heap's method). */
struct brute {
  const double *x, *y;
  int n;
  double obs[3];
  long hits[3], total;
  double py[10];
  int used[10];
};

static void brute_rec(struct brute *b, int k)
{
  if(k == b->n) {
    double s[3] = {stats_pearson(b->x, b->py, (size_t)b->n),
                   stats_spearman(b->x, b->py, (size_t)b->n),
                   stats_kendall_tau_b(b->x, b->py, (size_t)b->n)};
    for(int i = 0; i < 3; i++)
      b->hits[i] += fabs(s[i]) >= fabs(b->obs[i]) - 1e-12;
    b->total++;
    return;
  }
  for(int i = 0; i < b->n; i++)
    if(!b->used[i]) {
      b->used[i] = 1;
      b->py[k] = b->y[i];
      brute_rec(b, k + 1);
      b->used[i] = 0;
    }
}

static void brute_perm(const double *x, const double *y, int n, double *p)
{
  struct brute b;
  memset(&b, 0, sizeof b);
  b.x = x;
  b.y = y;
  b.n = n;
  b.obs[0] = stats_pearson(x, y, (size_t)n);
  b.obs[1] = stats_spearman(x, y, (size_t)n);
  b.obs[2] = stats_kendall_tau_b(x, y, (size_t)n);
  brute_rec(&b, 0);
  for(int i = 0; i < 3; i++)
    p[i] = (double)b.hits[i] / (double)b.total;
}

TEST(corr_exact_permutation_against_enumeration)
{
  double x[] = {0.61, 0.55, 0.72, 0.55, 0.80, 0.43, 0.67};
  double y[] = {0.05, 0.02, 0.09, 0.04, 0.08, 0.01, 0.02};
  struct stats_corr_opts o;
  stats_corr_opts_init(&o);
  o.bootstrap = 0;
  for(int n = 3; n <= 7; n++) {
    struct stats_corr c;
    struct bon_err err;
    CHECK(stats_correlate(x, y, (size_t)n, &o, &c, &err) == 0);
    double p[3];
    brute_perm(x, y, n, p);
    CHECK_INT(c.perm_exact, 1);
    double fact = 1;
    for(int i = 2; i <= n; i++)
      fact *= i;
    CHECK_NEAR((double)c.perm_count, fact, 0);
    CHECK_NEAR(c.pearson.p_perm, p[0], 1e-12);
    CHECK_NEAR(c.spearman.p_perm, p[1], 1e-12);
    CHECK_NEAR(c.kendall.p_perm, p[2], 1e-12);
    stats_corr_free(&c);
  }
}

TEST(corr_monte_carlo_permutation_near_exact)
{
  /* n = 9: Monte Carlo with 20000 orders vs full enumeration (362880). */
  double x[] = {1, 3, 2, 5, 4, 7, 6, 9, 8};
  double y[] = {2, 1, 4, 3, 7, 5, 6, 6, 9};
  double p[3];
  brute_perm(x, y, 9, p);
  struct stats_corr_opts o = {7, 20000, 0, 0.95};
  struct stats_corr c;
  struct bon_err err;
  CHECK(stats_correlate(x, y, 9, &o, &c, &err) == 0);
  CHECK_INT(c.perm_exact, 0);
  double se = sqrt(p[0] * (1 - p[0]) / 20000) + 1e-4;
  CHECK_NEAR(c.pearson.p_perm, p[0], 4 * se);
  se = sqrt(p[1] * (1 - p[1]) / 20000) + 1e-4;
  CHECK_NEAR(c.spearman.p_perm, p[1], 4 * se);
  se = sqrt(p[2] * (1 - p[2]) / 20000) + 1e-4;
  CHECK_NEAR(c.kendall.p_perm, p[2], 4 * se);
  CHECK(c.pearson.p_perm > 0);
  stats_corr_free(&c);
}

TEST(corr_bootstrap_loo_and_warning)
{
  double x[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
  double y[8];
  for(int i = 0; i < 8; i++)
    y[i] = 2 * x[i] + 1;
  struct stats_corr_opts o = {3, 1000, 500, 0.95};
  struct stats_corr c, d;
  struct bon_err err;
  CHECK(stats_correlate(x, y, 8, &o, &c, &err) == 0);
  /* every defined replicate of a perfect line has r = 1 */
  CHECK_NEAR(c.pearson.boot_lo, 1, 1e-12);
  CHECK_NEAR(c.pearson.boot_hi, 1, 1e-12);
  CHECK(c.pearson.boot_valid > 490);
  CHECK_NEAR(c.r2, 1, 1e-12);
  CHECK_NEAR(c.pearson.p_perm, 2.0 / 40320, 1e-15); /* +-identity order */
  CHECK(strstr(c.warning, "wide") != NULL);
  stats_corr_free(&c);
  /* noisy data: deterministic, LOO matches a recomputation */
  double yn[] = {0.3, 0.1, 0.5, 0.2, 0.9, 0.4, 0.6, 0.8};
  CHECK(stats_correlate(x, yn, 8, &o, &c, &err) == 0);
  CHECK(stats_correlate(x, yn, 8, &o, &d, &err) == 0);
  CHECK(c.spearman.boot_lo == d.spearman.boot_lo);
  CHECK(c.kendall.boot_hi == d.kendall.boot_hi);
  CHECK(c.spearman.boot_lo <= c.spearman.value);
  CHECK(c.spearman.value <= c.spearman.boot_hi);
  for(int drop = 0; drop < 8; drop++) {
    double lx[7], ly[7];
    for(int i = 0, m = 0; i < 8; i++)
      if(i != drop) {
        lx[m] = x[i];
        ly[m++] = yn[i];
      }
    CHECK_NEAR(c.loo_r[drop], stats_pearson(lx, ly, 7), 0);
    CHECK_NEAR(c.loo_tau[drop], brute_tau_b(lx, ly, 7), 1e-12);
  }
  stats_corr_free(&c);
  stats_corr_free(&d);
}

TEST(corr_rejects_bad_input)
{
  double x[] = {1, 2, NAN, 4}, y[] = {1, 2, 3, 4};
  struct stats_corr_opts o;
  stats_corr_opts_init(&o);
  struct stats_corr c;
  struct bon_err err;
  CHECK(stats_correlate(x, y, 4, &o, &c, &err) < 0);
  CHECK(strstr(err.msg, "x value 2") != NULL);
  CHECK(stats_correlate(y, y, 2, &o, &c, &err) < 0);
  /* constant x: defined call, undefined statistics */
  double k[] = {1, 1, 1, 1};
  CHECK(stats_correlate(k, y, 4, &o, &c, &err) == 0);
  CHECK(isnan(c.pearson.value) && isnan(c.pearson.p_perm));
  stats_corr_free(&c);
}

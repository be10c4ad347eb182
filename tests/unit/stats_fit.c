/* Unit tests of stats/fit and stats/boot: recovery of known (alpha, beta)
 * for both forms, and a bootstrap that is identical for any thread count. */
#include "tests/unit/test.h"
#include "stats/bon.h"
#include "stats/boot.h"
#include "stats/order.h"
#include "stats/fit.h"
#include "util/rng.h"

#include <stdlib.h>

static void grid_d(double *d, int *m)
{
  int k = 0;
  for(int n = 1; n <= 1024; n *= 2)
    d[k++] = sqrt(stats_kl_bon(n));
  *m = k;
}

TEST(fit_recovers_exact_curves_both_forms)
{
  double d[16], y[16];
  int m;
  grid_d(d, &m);
  for(int form = 0; form < 2; form++) {
    double a = 0.3, b = form ? 0.12 : 0.07;
    for(int i = 0; i < m; i++)
      y[i] = stats_fit_eval(form, a, b, d[i]);
    struct stats_fit f;
    stats_fit_curve(form, m, d, y, NULL, &f);
    CHECK_INT(f.points, m - 1); /* n = 1 has d = 0 */
    CHECK_NEAR(f.alpha, a, 1e-9);
    CHECK_NEAR(f.beta, b, 1e-9);
    CHECK_NEAR(f.r2, 1, 1e-9);
    double ds = form ? exp(a / b - 1) : a / (2 * b);
    CHECK_NEAR(f.d_star, ds, 1e-7);
    CHECK_NEAR(f.kl_star, ds * ds, 1e-6);
    CHECK_NEAR(stats_kl_bon(f.n_star), ds * ds, 1e-6);
    CHECK_NEAR(f.r_star, stats_fit_eval(form, a, b, ds), 1e-9);
    CHECK_NEAR(stats_fit_extrap(form, m, d, y, NULL, 1.0), 0, 1e-9);
  }
}

TEST(fit_noisy_recovery_within_errors)
{
  double d[16], y[16], var[16];
  int m, ok = 0, trials = 200;
  grid_d(d, &m);
  struct rng r;
  rng_seed(&r, 77, 0, 0);
  for(int t = 0; t < trials; t++) {
    for(int i = 0; i < m; i++) {
      double sd = 0.002 * (1 + d[i]);
      var[i] = sd * sd;
      y[i] = stats_fit_eval(STATS_FIT_BON, 0.25, 0.05, d[i]) +
             (i ? sd * rng_normal(&r) : 0);
    }
    struct stats_fit f;
    stats_fit_curve(STATS_FIT_BON, m, d, y, var, &f);
    ok += fabs(f.alpha - 0.25) < 1.96 * f.alpha_se;
  }
  /* a 95% interval should cover about 95% of the time */
  CHECK(ok > trials * 0.88 && ok < trials * 0.995);
}

TEST(fit_degenerate_inputs)
{
  double d[2] = {0, 1}, y[2] = {0, 1};
  struct stats_fit f;
  stats_fit_curve(STATS_FIT_BON, 2, d, y, NULL, &f);
  CHECK_INT(f.points, 1);
  CHECK(isnan(f.alpha));
  /* increasing curve: no peak */
  double d3[4] = {0, 1, 2, 3}, y3[4] = {0, 1, 2.5, 4.5};
  stats_fit_curve(STATS_FIT_BON, 4, d3, y3, NULL, &f);
  CHECK(f.beta < 0 && isinf(f.d_star));
}

TEST(boot_identical_for_any_thread_count_and_paired)
{
  int P = 97, nstat = 6, B = 300;
  double *v = malloc(sizeof(double) * nstat * P);
  struct rng r;
  rng_seed(&r, 1, 0, 0);
  for(int i = 0; i < nstat * P; i++)
    v[i] = rng_normal(&r);
  /* rows 4 and 5 equal rows 0 and 1 shifted: paired replicates keep the
   * differences exactly */
  for(int p = 0; p < P; p++) {
    v[4 * P + p] = v[0 * P + p] + 1;
    v[5 * P + p] = v[1 * P + p];
  }
  double *r1 = malloc(sizeof(double) * nstat * B);
  double *r2 = malloc(sizeof(double) * nstat * B);
  double *r3 = malloc(sizeof(double) * nstat * B);
  struct bon_err err;
  struct stats_boot_opts o = {.B = B, .seed = 42, .threads = 1};
  CHECK(stats_boot_means(v, nstat, P, &o, r1, &err) == 0);
  o.threads = 2;
  CHECK(stats_boot_means(v, nstat, P, &o, r2, &err) == 0);
  o.threads = 7;
  CHECK(stats_boot_means(v, nstat, P, &o, r3, &err) == 0);
  CHECK(!memcmp(r1, r2, sizeof(double) * nstat * B));
  CHECK(!memcmp(r1, r3, sizeof(double) * nstat * B));
  int paired = 1;
  for(int b = 0; b < B; b++) {
    paired &= fabs(r1[b * nstat + 4] - r1[b * nstat + 0] - 1) < 1e-12;
    paired &= r1[b * nstat + 5] == r1[b * nstat + 1];
  }
  CHECK(paired);
  /* the interval of a mean of N(0,1) over 97 problems: about +-0.2 */
  double lo, hi;
  stats_boot_interval(r1, B, nstat, 2, 0.95, &lo, &hi);
  CHECK(lo < hi && hi - lo > 0.25 && hi - lo < 0.6);
  o.seed = 43;
  CHECK(stats_boot_means(v, nstat, P, &o, r3, &err) == 0);
  CHECK(memcmp(r1, r3, sizeof(double) * nstat * B) != 0);
  free(v);
  free(r1);
  free(r2);
  free(r3);
}

TEST(boot_quantile)
{
  double v[5] = {5, 1, 4, 2, 3};
  CHECK_NEAR(stats_quantile(v, 5, 0.5), 3, 1e-15);
  CHECK_NEAR(stats_quantile(v, 5, 0.125), 1.5, 1e-15);
  CHECK_NEAR(stats_quantile(v, 5, 1), 5, 1e-15);
  CHECK(isnan(stats_quantile(v, 0, 0.5)));
}

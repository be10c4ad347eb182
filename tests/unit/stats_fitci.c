/* Unit tests of the bootstrap intervals of the fits (fits.csv columns
 * alpha_lo .. n_star_hi): the closed-form refit, quantiles with infinite
 * values, and the intervals against a brute-force recomputation. */
#include "tests/unit/test.h"
#include "stats/analyze.h"
#include "stats/bon.h"
#include "stats/boot.h"
#include "stats/order.h"
#include "stats/csv.h"
#include "stats/fit.h"
#include "util/fsutil.h"
#include "util/rng.h"

#include <stdio.h>
#include <stdlib.h>

TEST(fit_ab_matches_gsl_fit)
{
  struct rng r;
  rng_seed(&r, 21, 0, 0);
  for(int trial = 0; trial < 200; trial++) {
    int m = 3 + (int)rng_below(&r, 10);
    double d[16], y[16], var[16];
    for(int i = 0; i < m; i++) {
      d[i] = i == 0 ? 0 : 0.1 + 3 * rng_unif(&r);
      y[i] = rng_normal(&r);
      var[i] = 0.01 + rng_unif(&r);
    }
    if(trial % 5 == 0)
      y[m - 1] = NAN; /* skipped by both */
    for(int form = 0; form < 2; form++)
      for(int w = 0; w < 2; w++) {
        struct stats_fit f;
        double a, b;
        stats_fit_curve(form, m, d, y, w ? var : NULL, &f);
        stats_fit_ab(form, m, d, y, w ? var : NULL, &a, &b);
        if(isnan(f.alpha)) {
          CHECK(isnan(a));
          continue;
        }
        CHECK_NEAR(a, f.alpha, 1e-9 * (1 + fabs(f.alpha)));
        CHECK_NEAR(b, f.beta, 1e-9 * (1 + fabs(f.beta)));
        double ds = stats_fit_d_star(form, a, b);
        if(isinf(f.d_star))
          CHECK(isinf(ds));
        else
          CHECK_NEAR(ds, f.d_star, 1e-8 * (1 + f.d_star));
      }
  }
  /* fewer than 2 usable points */
  double d[2] = {0, 1}, y[2] = {0, 1}, a, b;
  stats_fit_ab(STATS_FIT_BON, 2, d, y, NULL, &a, &b);
  CHECK(isnan(a) && isnan(b));
  CHECK(stats_fit_n_star(0) == 1);
  CHECK(isinf(stats_fit_n_star(INFINITY)));
  CHECK_NEAR(stats_kl_bon(stats_fit_n_star(1.5)), 2.25, 1e-9);
}

TEST(quantile_with_infinite_values)
{
  double v[] = {INFINITY, 1, INFINITY, 2};
  CHECK(isinf(stats_quantile(v, 4, 0.975)));
  double w[] = {INFINITY, 1, INFINITY, 2};
  CHECK_NEAR(stats_quantile(w, 4, 0), 1, 0);
  double x[] = {INFINITY, 1, 2, 3};
  CHECK(isinf(stats_quantile(x, 4, 0.9))); /* between 3 and inf */
  double z[] = {-INFINITY, 1, 2, 3};
  CHECK(isinf(stats_quantile(z, 4, 0.1)) && stats_quantile(z, 4, 0.1) < 0);
  double u[] = {4, 1, 2, 3};
  CHECK_NEAR(stats_quantile(u, 4, 0.5), 2.5, 1e-15);
}

static double col(struct stats_csv *c, size_t row, const char *name)
{
  int k = stats_csv_col(c, name);
  return k < 0 ? NAN : atof(stats_csv_get(c, row, (size_t)k));
}

/* The interval columns of fits.csv against a recomputation: the same
 * replicate curves from stats_boot_means, refitted with the GSL fit. */
TEST(analyze_fit_intervals_match_brute_force)
{
  enum { P = 25, N = 16, B = 300 };
  struct stats_builder *bl = stats_builder_new(NULL);
  struct rng r;
  rng_seed(&r, 8, 0, 0);
  struct bon_err err;
  for(int p = 0; p < P; p++) {
    double q = rng_unif(&r);
    for(int s = 0; s < N; s++) {
      int c = rng_unif(&r) < q;
      char pid[16], sid[16];
      snprintf(pid, sizeof(pid), "p%d", p);
      snprintf(sid, sizeof(sid), "%d", s);
      /* overoptimised: a length-like nuisance wins at large n */
      double sc = 0.8 * c + rng_normal(&r) + (rng_unif(&r) < 0.1 ? 3 : 0);
      struct stats_row row = {pid, sid, "rm", sc, c, NULL, NULL, 0};
      stats_builder_add(bl, &row, &err);
    }
  }
  struct stats_table *t = stats_builder_finish(bl, &err);
  CHECK(t != NULL);
  if(!t)
    return;
  char dir[600];
  snprintf(dir, sizeof(dir), "%s/o", test_tmpdir());
  struct stats_analyze_opts o;
  stats_analyze_opts_init(&o);
  o.bootstrap = (size_t)B;
  o.seed = 17;
  o.threads = 2;
  o.level = 0.9;
  struct stats_analysis a;
  CHECK_MSG(stats_analyze(&o, t, &a, &err) == 0, "%s", err.msg);
  CHECK_MSG(stats_analyze_write(&a, dir, &err) == 0, "%s", err.msg);
  stats_analysis_free(&a);
  /* brute force: per-problem gold at every n, replicate means, refit */
  int grid[] = {1, 2, 4, 8, 16}, G = 5;
  double *V = malloc((size_t)G * P * sizeof(double));
  for(int p = 0; p < P; p++) {
    struct stats_pool pool;
    stats_pool_init(&pool, N, stats_table_scores(t, 0, p),
                    t->gold + t->cand_off[p], NULL);
    for(int g = 0; g < G; g++) {
      struct stats_bon_point pt;
      stats_bon_at(&pool, grid[g], &pt);
      V[(size_t)g * P + p] = pt.gold;
    }
    stats_pool_free(&pool);
  }
  double *reps = malloc((size_t)B * G * sizeof(double));
  struct stats_boot_opts bo = {.B = (size_t)B, .seed = 17, .threads = 1};
  CHECK(stats_boot_means(V, G, P, &bo, reps, &err) == 0);
  double d[5], var[5], yb[5];
  double *ra = malloc(B * sizeof(double)), *rb = malloc(B * sizeof(double));
  double *rd = malloc(B * sizeof(double)), *rn = malloc(B * sizeof(double));
  for(int g = 0; g < G; g++) {
    d[g] = sqrt(stats_kl_bon(grid[g]));
    double m = 0, v = 0;
    for(int b = 0; b < B; b++)
      m += reps[(size_t)b * G + g] - reps[(size_t)b * G];
    m /= B;
    for(int b = 0; b < B; b++) {
      double e = reps[(size_t)b * G + g] - reps[(size_t)b * G] - m;
      v += e * e;
    }
    var[g] = v / (B - 1);
  }
  char *path = fs_join(dir, "fits.csv");
  struct stats_csv *c = stats_csv_read(path, &err);
  free(path);
  CHECK(c != NULL);
  for(int form = 0; c && form < 2; form++) {
    int k = 0;
    for(int b = 0; b < B; b++) {
      for(int g = 0; g < G; g++)
        yb[g] = reps[(size_t)b * G + g] - reps[(size_t)b * G];
      struct stats_fit f;
      stats_fit_curve(form, G, d, yb, var, &f);
      if(isnan(f.alpha))
        continue;
      ra[k] = f.alpha;
      rb[k] = f.beta;
      rd[k] = f.d_star;
      rn[k] = f.n_star;
      k++;
    }
    CHECK(k > B / 2);
    double want[8] = {
      stats_quantile(ra, k, 0.05), stats_quantile(ra, k, 0.95),
      stats_quantile(rb, k, 0.05), stats_quantile(rb, k, 0.95),
      stats_quantile(rd, k, 0.05), stats_quantile(rd, k, 0.95),
      stats_quantile(rn, k, 0.05), stats_quantile(rn, k, 0.95)};
    static const char *names[8] = {"alpha_lo", "alpha_hi", "beta_lo",
                                   "beta_hi", "d_star_lo", "d_star_hi",
                                   "n_star_lo", "n_star_hi"};
    size_t row = form; /* rows: rm gold bon, rm gold rl, ... */
    CHECK_STR(stats_csv_get(c, row, 2), form ? "rl" : "bon");
    for(int i = 0; i < 8; i++) {
      double got = col(c, row, names[i]);
      if(isinf(want[i]))
        CHECK_MSG(isinf(got) && (got > 0) == (want[i] > 0), "%s %s: %g",
                  form ? "rl" : "bon", names[i], got);
      else
        CHECK_MSG(fabs(got - want[i]) <= 1e-7 * (1 + fabs(want[i])),
                  "%s %s: %.10g vs %.10g", form ? "rl" : "bon", names[i],
                  got, want[i]);
    }
    /* the estimate lies inside its own interval here */
    CHECK(col(c, row, "alpha_lo") <= col(c, row, "alpha") &&
          col(c, row, "alpha") <= col(c, row, "alpha_hi"));
  }
  /* the proxy rows have intervals too; the file has 24 columns */
  if(c) {
    CHECK_INT(c->ncols, 24);
    CHECK(!isnan(col(c, 2, "alpha_lo")));
  }
  stats_csv_free(c);
  free(V);
  free(reps);
  free(ra);
  free(rb);
  free(rd);
  free(rn);
  stats_table_free(t);
}

/* Unit tests of stats/order: the one type-7 quantile (finite values,
 * infinities, edges) and its mapped form on sorted data. */
#include "tests/unit/test.h"
#include "stats/fit.h"
#include "stats/order.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

TEST(order_quantile_type7)
{
  double v[] = {4, 1, 3, 2};
  CHECK_NEAR(stats_quantile(v, 4, 0.5), 2.5, 1e-15);
  CHECK_NEAR(stats_quantile(v, 4, 0.25), 1.75, 1e-15);
  CHECK_NEAR(stats_quantile(v, 4, 0), 1, 0);
  CHECK_NEAR(stats_quantile(v, 4, 1), 4, 0);
  CHECK_NEAR(stats_quantile(v, 4, -0.5), 1, 0); /* clamped */
  CHECK_NEAR(stats_quantile(v, 4, 1.5), 4, 0);
  double w[] = {7};
  CHECK_NEAR(stats_quantile(w, 1, 0.3), 7, 0);
  CHECK(isnan(stats_quantile(w, 0, 0.3)));
}

/* The same as R's quantile(type = 7) / numpy's default on random data:
 * h = q (n - 1), x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]). */
TEST(order_quantile_against_definition)
{
  double v[37], s[37];
  for(int rep = 0; rep < 20; rep++) {
    for(int i = 0; i < 37; i++)
      v[i] = s[i] = (double)((rep * 7919 + i * 104729) % 1000) / 7.0;
    /* an insertion sort as the oracle of the order */
    for(int i = 1; i < 37; i++)
      for(int j = i; j > 0 && s[j - 1] > s[j]; j--) {
        double t = s[j];
        s[j] = s[j - 1];
        s[j - 1] = t;
      }
    double q = (rep + 0.5) / 20;
    double h = q * 36, f = floor(h);
    double want = s[(int)f] + (h - f) * (s[(int)f + 1] - s[(int)f]);
    CHECK_NEAR(stats_quantile(v, 37, q), want, 1e-12);
    for(int i = 0; i < 37; i++)
      CHECK(v[i] == s[i]); /* sorted in place */
  }
}

TEST(order_quantile_sorted_maps_the_two_neighbours)
{
  /* d* values; n* of d* is non-decreasing, so the mapped quantile is the
   * quantile of the mapped values */
  double d[] = {0, 0.5, 1, 2, INFINITY};
  double n[5];
  for(int i = 0; i < 5; i++)
    n[i] = stats_fit_n_star(d[i]);
  for(double q = 0; q <= 1; q += 0.125) {
    double a = stats_quantile_sorted(d, 5, q, stats_fit_n_star);
    double b = stats_quantile_sorted(n, 5, q, NULL);
    CHECK_MSG(a == b || (isinf(a) && isinf(b)), "q %g: %g vs %g", q, a, b);
  }
  CHECK(isinf(stats_quantile_sorted(d, 5, 0.9, NULL)));
}

/* Selection gives the numbers (bits) the sort gives: random sizes, many
 * repeats, infinities, and -0 next to +0. */
TEST(order_quantiles_by_selection_equal_sorting)
{
  uint64_t x = 12345;
  double v[700], w[700], a[4], b[4];
  const double q[4] = {0.025, 0.975, 0.5, 0.1};
  for(int rep = 0; rep < 300; rep++) {
    size_t n = 1 + (size_t)(rep * 7 % 700);
    int kind = rep % 4;
    for(size_t i = 0; i < n; i++) {
      x = x * 6364136223846793005ULL + 1442695040888963407ULL;
      double u = (double)(x >> 11) / 9007199254740992.0;
      v[i] = kind == 0 ? u : kind == 1 ? floor(u * 5) : u - 0.5;
      if(kind == 2 && x % 17 == 0)
        v[i] = x % 2 ? INFINITY : -INFINITY;
      if(kind == 3 && x % 5 == 0)
        v[i] = x % 3 ? 0.0 : -0.0;
      w[i] = v[i];
    }
    stats_quantiles(v, n, q, 4, NULL, a);
    stats_sort_doubles(w, n);
    for(int j = 0; j < 4; j++) {
      b[j] = stats_quantile_sorted(w, n, q[j], NULL);
      CHECK_MSG(!memcmp(&a[j], &b[j], sizeof(double)) ||
                (isnan(a[j]) && isnan(b[j])), "rep %d n %zu q %g: %.17g vs "
                "%.17g", rep, n, q[j], a[j], b[j]);
    }
  }
}

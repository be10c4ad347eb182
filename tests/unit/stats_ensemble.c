/* Unit tests of stats/ensemble: standardisation, the four combinations by
 * hand, lambda = 0 equals mean, spec parsing and names. */
#include "tests/unit/test.h"
#include "stats/ensemble.h"

#include <stdlib.h>

TEST(ensemble_standardise_mean0_sd1)
{
  double s[] = {2, 4, 4, 4, 5, 5, 7, 9, NAN}; /* mean 5, pop sd 2 */
  stats_standardise(s, 9);
  CHECK_NEAR(s[0], -1.5, 1e-15);
  CHECK_NEAR(s[7], 2, 1e-15);
  CHECK(isnan(s[8]));
  double m = 0, v = 0;
  for(int i = 0; i < 8; i++)
    m += s[i];
  for(int i = 0; i < 8; i++)
    v += (s[i] - m / 8) * (s[i] - m / 8);
  CHECK_NEAR(m / 8, 0, 1e-15);
  CHECK_NEAR(v / 8, 1, 1e-15);
  double c[] = {3, 3, 3};
  stats_standardise(c, 3);
  CHECK_NEAR(c[0], 0, 0);
}

static struct stats_ens_spec spec_of(const char *s)
{
  struct stats_ens_spec sp;
  struct bon_err err;
  if(stats_ens_parse(s, &sp, &err) < 0) {
    test_fail(__FILE__, __LINE__, "parse %s: %s", s, err.msg);
    memset(&sp, 0, sizeof sp);
  }
  return sp;
}

TEST(ensemble_combinations_by_hand)
{
  /* Three RMs on four candidates, each already standardised except for
   * scale and offset: A = z*1, B = z*10 + 3, C = -z (on purpose). */
  double za[] = {-1, -1, 1, 1};     /* mean 0, pop sd 1 */
  double zb[] = {-1.5, 0.5, -0.5, 1.5}; /* sd of this is sqrt(1.25) */
  double a[4], b[4], c[4], out[4];
  double sb = sqrt(1.25);
  for(int i = 0; i < 4; i++) {
    a[i] = za[i];
    b[i] = zb[i] * 10 + 3;
    c[i] = -za[i] * 7;
  }
  const double *m[] = {a, b, c};
  double zbs[4];
  for(int i = 0; i < 4; i++)
    zbs[i] = zb[i] / sb;
  struct stats_ens_spec sp = spec_of("mean:a,b,c");
  CHECK_INT(stats_ens_combine(&sp, m, 3, 4, out), 0);
  for(int i = 0; i < 4; i++)
    CHECK_NEAR(out[i], (za[i] + zbs[i] - za[i]) / 3, 1e-12);
  stats_ens_spec_free(&sp);
  sp = spec_of("min:a,b,c");
  stats_ens_combine(&sp, m, 3, 4, out);
  for(int i = 0; i < 4; i++)
    CHECK_NEAR(out[i], fmin(fmin(za[i], zbs[i]), -za[i]), 1e-12);
  stats_ens_spec_free(&sp);
  sp = spec_of("median:a,b,c");
  stats_ens_combine(&sp, m, 3, 4, out);
  /* |z| = 1 for a and c, and |zbs| < 1.35; the median is the middle one */
  CHECK_NEAR(out[0], fmax(-1, fmin(1, zbs[0])), 1e-12);
  CHECK_NEAR(out[1], zbs[1], 1e-12);
  stats_ens_spec_free(&sp);
  sp = spec_of("uwo0.5:a,b,c");
  CHECK_NEAR(sp.lambda, 0.5, 0);
  stats_ens_combine(&sp, m, 3, 4, out);
  for(int i = 0; i < 4; i++) {
    double v[3] = {za[i], zbs[i], -za[i]}, mu = (v[0] + v[1] + v[2]) / 3;
    double var = 0;
    for(int j = 0; j < 3; j++)
      var += (v[j] - mu) * (v[j] - mu) / 3;
    CHECK_NEAR(out[i], mu - 0.5 * var, 1e-12);
  }
  stats_ens_spec_free(&sp);
}

TEST(ensemble_lambda0_equals_mean_and_median_even)
{
  double a[] = {0.1, 0.9, 0.4, 0.3, 0.8}, b[] = {5, 1, 2, 8, 3};
  double c[] = {-1, 0, 2, 2, 7}, d[] = {9, 8, 7, 1, 2};
  const double *m[] = {a, b, c, d};
  double o1[5], o2[5], o3[5];
  struct stats_ens_spec s1 = spec_of("mean:a,b,c,d");
  struct stats_ens_spec s2 = spec_of("uwo0:a,b,c,d");
  stats_ens_combine(&s1, m, 4, 5, o1);
  stats_ens_combine(&s2, m, 4, 5, o2);
  for(int i = 0; i < 5; i++)
    CHECK(o1[i] == o2[i]);
  struct stats_ens_spec s3 = spec_of("median:a,b,c,d");
  stats_ens_combine(&s3, m, 4, 5, o3);
  /* even m: mean of the middle two standardised scores */
  double z[4][5];
  for(int j = 0; j < 4; j++) {
    memcpy(z[j], m[j], sizeof z[j]);
    stats_standardise(z[j], 5);
  }
  for(int i = 0; i < 5; i++) {
    double v[4] = {z[0][i], z[1][i], z[2][i], z[3][i]};
    for(int x = 0; x < 4; x++) /* insertion sort */
      for(int y = x; y > 0 && v[y] < v[y - 1]; y--) {
        double t = v[y];
        v[y] = v[y - 1];
        v[y - 1] = t;
      }
    CHECK_NEAR(o3[i], (v[1] + v[2]) / 2, 1e-12);
  }
  stats_ens_spec_free(&s1);
  stats_ens_spec_free(&s2);
  stats_ens_spec_free(&s3);
}

TEST(ensemble_missing_member_score_is_missing)
{
  double a[] = {1, 2, NAN}, b[] = {3, 1, 2}, out[3];
  const double *m[] = {a, b};
  struct stats_ens_spec s = spec_of("mean:a,b");
  CHECK_INT(stats_ens_combine(&s, m, 2, 3, out), 1);
  CHECK(isnan(out[2]));
  CHECK(!isnan(out[0]));
  stats_ens_spec_free(&s);
}

TEST(ensemble_spec_names_and_errors)
{
  struct stats_ens_spec s = spec_of("mean:rmA,rmB,rmC");
  CHECK_STR(s.name, "ens-mean(rmA,rmB,rmC)");
  CHECK_INT(s.nrms, 3);
  CHECK_STR(s.rms[2], "rmC");
  stats_ens_spec_free(&s);
  s = spec_of("safe=uwo0.5:prm/min,orm");
  CHECK_STR(s.name, "safe");
  CHECK_INT(s.kind, STATS_ENS_UWO);
  CHECK_STR(s.rms[0], "prm/min");
  stats_ens_spec_free(&s);
  s = spec_of("uwo1.5:a,b");
  CHECK_STR(s.name, "ens-uwo1.5(a,b)");
  stats_ens_spec_free(&s);
  struct bon_err err;
  const char *bad[] = {"mean", "avg:a,b", "mean:a", "mean:a,,b",
                       "mean:a,a", "uwo:a,b", "uwo-1:a,b", "=mean:a,b",
                       "uwoX:a,b", "mean:"};
  for(size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    CHECK_MSG(stats_ens_parse(bad[i], &s, &err) < 0, "accepted %s", bad[i]);
    CHECK(strstr(err.msg, bad[i]) != NULL);
  }
}

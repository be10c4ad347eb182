/* Unit tests of stats/steps: process-RM step aggregations by hand. */
#include "tests/unit/test.h"
#include "stats/steps.h"

#include <stdlib.h>

static double agg(const char *name, const double *p, size_t n)
{
  enum stats_step_agg a;
  struct bon_err err;
  if(stats_step_agg_parse(name, &a, &err) < 0)
    return -999;
  return stats_step_aggregate(a, p, n);
}

TEST(steps_aggregations_by_hand)
{
  double p[] = {0.9, 0.5, 0.8};
  CHECK_NEAR(agg("min", p, 3), 0.5, 0);
  CHECK_NEAR(agg("max", p, 3), 0.9, 0);
  CHECK_NEAR(agg("prod", p, 3), 0.36, 1e-15);
  CHECK_NEAR(agg("mean", p, 3), 2.2 / 3, 1e-15);
  CHECK_NEAR(agg("gmean", p, 3), cbrt(0.36), 1e-15);
  CHECK_NEAR(agg("geomean", p, 3), cbrt(0.36), 1e-15);
  CHECK_NEAR(agg("last", p, 3), 0.8, 0);
  /* logits ln 9, 0, ln 4; odds 9, 1, 4 */
  CHECK_NEAR(agg("mean_logit", p, 3), log(36) / 3, 1e-12);
  CHECK_NEAR(agg("mean_odds", p, 3), 14.0 / 3, 1e-9);
}

TEST(steps_clamp_zero_and_one)
{
  double one[] = {1.0}, zero[] = {0.0, 0.5};
  double e = STATS_STEP_EPS;
  CHECK_NEAR(agg("mean_logit", one, 1), log((1 - e) / e), 1e-9);
  CHECK(isfinite(agg("mean_odds", one, 1)));
  CHECK_NEAR(agg("mean_odds", one, 1), (1 - e) / e, 1e-3);
  CHECK_NEAR(agg("mean_logit", zero, 2), log(e / (1 - e)) / 2, 1e-9);
  CHECK_NEAR(agg("gmean", zero, 2), 0, 0);
  CHECK_NEAR(agg("prod", zero, 2), 0, 0);
}

TEST(steps_bad_inputs_are_missing)
{
  double out[] = {0.5, 1.5}, none[] = {0};
  CHECK(isnan(agg("prod", out, 2)));
  CHECK_NEAR(agg("max", out, 2), 1.5, 0); /* unbounded aggregations ok */
  CHECK(isnan(agg("min", none, 0)));
  double nanv[] = {0.5, NAN};
  CHECK(isnan(agg("mean", nanv, 2)));
  struct bon_err err;
  CHECK(stats_steps_check(STATS_AGG_MEAN_LOGIT, out, 2, &err) < 0);
  CHECK(strstr(err.msg, "step 2") != NULL);
  enum stats_step_agg a;
  CHECK(stats_step_agg_parse("median", &a, &err) < 0);
  CHECK(strstr(err.msg, "median") != NULL);
}

TEST(steps_names_roundtrip)
{
  for(int i = 0; i < STATS_AGG_COUNT; i++) {
    enum stats_step_agg a;
    struct bon_err err;
    const char *n = stats_step_agg_name((enum stats_step_agg)i);
    CHECK(stats_step_agg_parse(n, &a, &err) == 0);
    CHECK_INT(a, i);
  }
}

TEST(steps_parse_lists)
{
  double *v;
  size_t n;
  struct bon_err err;
  CHECK(stats_steps_parse(" 0.9; 0.5 ;0.75", &v, &n, &err) == 0);
  CHECK_INT(n, 3);
  if(n == 3) {
    CHECK_NEAR(v[0], 0.9, 0);
    CHECK_NEAR(v[1], 0.5, 0);
    CHECK_NEAR(v[2], 0.75, 0);
  }
  free(v);
  CHECK(stats_steps_parse("", &v, &n, &err) == 0);
  CHECK_INT(n, 0);
  CHECK(v == NULL);
  CHECK(stats_steps_parse("0.5;;0.7", &v, &n, &err) < 0);
  CHECK(strstr(err.msg, "step 2") != NULL);
  CHECK(stats_steps_parse("0.5;abc", &v, &n, &err) < 0);
  CHECK(strstr(err.msg, "abc") != NULL);
  CHECK(stats_steps_parse("0.5;", &v, &n, &err) < 0);
}

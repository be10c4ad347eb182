/* Unit tests of stats/steps: process-RM step aggregations by hand. */
#include "tests/unit/test.h"
#include "stats/steps.h"

#include <stdlib.h>
#include <string.h>

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

TEST(steps_one_vocabulary_with_aliases)
{
  /* the spellings of both former vocabularies (analyze --steps and the
   * proxies' "aggregate") name one implementation */
  double p[] = {0.9, 0.5, 0.8};
  CHECK_NEAR(agg("geometric_mean", p, 3), agg("gmean", p, 3), 0);
  CHECK_NEAR(agg("geomean", p, 3), agg("gmean", p, 3), 0);
  /* the RewardMATH scorer's spelling */
  CHECK_NEAR(agg("mean_odd", p, 3), agg("mean_odds", p, 3), 0);
  CHECK_NEAR(agg("sum", p, 3), 2.2, 1e-15);
  CHECK_NEAR(agg("first", p, 3), 0.9, 0);
  int n = 0;
  for(const char *const *k = stats_step_agg_names; *k; k++, n++) {
    enum stats_step_agg a;
    struct bon_err err;
    CHECK_MSG(stats_step_agg_parse(*k, &a, &err) == 0, "%s", *k);
  }
  CHECK_INT(n, STATS_AGG_COUNT + 3);
  /* the canonical name of an alias is gmean */
  enum stats_step_agg a;
  struct bon_err err;
  CHECK(stats_step_agg_parse("geometric_mean", &a, &err) == 0);
  CHECK_STR(stats_step_agg_name(a), "gmean");
}

TEST(steps_probability_domain)
{
  /* prod, gmean, mean_logit and mean_odds read steps as probabilities:
   * a step outside [0,1] (a raw logit above 1, a negative score) is an
   * error, never a silently folded number */
  double logit[] = {0.5, 1.7}, neg[] = {0.5, -0.2};
  const char *prob[] = {"prod", "gmean", "mean_logit", "mean_odds"};
  for(int i = 0; i < 4; i++) {
    CHECK_MSG(isnan(agg(prob[i], logit, 2)), "%s", prob[i]);
    CHECK_MSG(isnan(agg(prob[i], neg, 2)), "%s", prob[i]);
  }
  struct bon_err err;
  CHECK(stats_steps_check(STATS_AGG_GMEAN, logit, 2, &err) < 0);
  CHECK(strstr(err.msg, "step 2 score 1.7 is outside [0,1]") != NULL);
  CHECK(strstr(err.msg, "gmean") != NULL);
  /* the others take any real */
  const char *any[] = {"min", "max", "mean", "sum", "first", "last"};
  for(int i = 0; i < 6; i++)
    CHECK_MSG(isfinite(agg(any[i], neg, 2)), "%s", any[i]);
}

/* stats_steps_parse: the grammar of the steps column of every scores
 * table reader (CSV, TSV, JSON lines). */
static long parse(const char *s, double **v, size_t *cap)
{
  return stats_steps_parse(s, strlen(s), v, cap);
}

TEST(steps_parse_lists)
{
  double *v = NULL;
  size_t cap = 0;
  CHECK_INT(parse(" 0.9; 0.5 ;0.75", &v, &cap), 3);
  CHECK(v && v[0] == 0.9 && v[1] == 0.5 && v[2] == 0.75);
  CHECK_INT(parse("[0.25, 0.5]", &v, &cap), 2); /* a JSON array */
  CHECK(v[0] == 0.25 && v[1] == 0.5);
  CHECK_INT(parse("", &v, &cap), 0);
  CHECK_INT(parse("[]", &v, &cap), 0);
  /* an empty item or a missing word is a step without a score */
  CHECK_INT(parse("0.5;;0.7", &v, &cap), 3);
  CHECK(isnan(v[1]) && v[2] == 0.7);
  CHECK_INT(parse("0.5;null", &v, &cap), 2);
  CHECK(isnan(v[1]));
  CHECK_INT(parse("0.5;", &v, &cap), 2);
  CHECK(isnan(v[1]));
  /* not a number, or not finite */
  CHECK(parse("0.5;abc", &v, &cap) < 0);
  CHECK(parse("0.5;inf", &v, &cap) < 0);
  CHECK(parse("1e999", &v, &cap) < 0);
  /* many steps grow the buffer */
  char big[4096] = "";
  for(int i = 0; i < 500; i++)
    strcat(big, i ? ";0.5" : "0.5");
  CHECK_INT(parse(big, &v, &cap), 500);
  CHECK(cap >= 500 && v[499] == 0.5);
  free(v);
}

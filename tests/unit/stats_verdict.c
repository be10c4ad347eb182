/* Unit tests of stats/verdict.c beyond what plots_verdict.c covers through
 * the report: the rule without gain intervals (correlate on two
 * benchmark metrics), the interval level in words, and the one-word
 * verdicts of correlation.json. */
#include "tests/unit/test.h"
#include "stats/verdict.h"

static const char *const rms[4] = {"a", "b", "c", "d"};
static const double x4[4] = {0.60, 0.70, 0.80, 0.90};

static struct stats_evidence ev(double r, double lo, double hi,
                                const double *y, int gains_ci)
{
  struct stats_evidence e;
  memset(&e, 0, sizeof(e));
  stats_evidence_set(&e, rms, x4, y, NULL, NULL, 4);
  e.corr_ok = 1;
  e.corr_n = 4;
  e.r = r;
  e.r_lo = lo;
  e.r_hi = hi;
  e.gains_ci = gains_ci;
  return e;
}

TEST(stats_verdict_without_gain_intervals)
{
  static const double y[4] = {0.1, 0.2, 0.3, 0.45};
  enum stats_verdict_why w;
  /* no intervals given for y: the interval of r alone decides */
  struct stats_evidence e = ev(0.99, 0.5, 1.0, y, 0);
  CHECK_INT(e.ncis, 0);
  CHECK_INT(stats_verdict_judge(&e, &w), STATS_V_PREDICTS);
  CHECK_INT(w, STATS_WHY_NONE);
  struct buf b = BUF_INIT;
  stats_verdict_sentence(&b, &e, "m.csv:accuracy", 0, "g.csv:delta", NULL);
  CHECK_STR(buf_str(&b), "m.csv:accuracy predicts g.csv:delta across 4 RMs "
                         "(Pearson r = 0.99, 95% CI [0.50, 1.00]).");
  /* ... but when the rule asks for them, none is inconclusive */
  e.gains_ci = 1;
  CHECK_INT(stats_verdict_judge(&e, &w), STATS_V_INCONCLUSIVE);
  CHECK_INT(w, STATS_WHY_GAINS_NO_CI);
  /* an interval through 0 is no evidence either way, never "does not" */
  e = ev(0.5468, -0.006, 0.844, y, 0);
  e.corr_n = 13;
  e.level = 0.9;
  CHECK_INT(stats_verdict_judge(&e, &w), STATS_V_INCONCLUSIVE);
  CHECK_INT(w, STATS_WHY_CI_ZERO);
  buf_reset(&b);
  stats_verdict_sentence(&b, &e, "x", 1, "y", NULL);
  CHECK_STR(buf_str(&b), "X: inconclusive, no evidence either way across "
                         "13 RMs (Pearson r = 0.55, 90% CI [-0.01, 0.84], "
                         "which includes 0).");
  CHECK(!strstr(buf_str(&b), "not predict"));
  CHECK_STR(stats_verdict_word(STATS_V_INCONCLUSIVE), "inconclusive");
  CHECK(strstr(stats_verdict_reason(w), "no evidence either way"));
  CHECK_STR(stats_verdict_reason(STATS_WHY_NONE), "");
  /* negatively related */
  e = ev(-0.9, -0.99, -0.2, y, 0);
  CHECK_INT(stats_verdict_judge(&e, &w), STATS_V_NEGATIVE);
  CHECK_STR(stats_verdict_word(STATS_V_NEGATIVE), "negatively related");
  buf_free(&b);
}

TEST(stats_verdict_undefined_says_why)
{
  static const double flat[4] = {0.3, 0.3, 0.3, 0.3};
  enum stats_verdict_why w;
  struct stats_evidence e = ev(NAN, NAN, NAN, flat, 0);
  CHECK_INT(stats_verdict_judge(&e, &w), STATS_V_UNDEFINED);
  CHECK_INT(w, STATS_WHY_FLAT_GAIN);
  struct buf b = BUF_INIT;
  stats_verdict_sentence(&b, &e, "x", 0, "y", NULL);
  CHECK_STR(buf_str(&b), "x: undefined (Pearson r is not a number: the "
                         "gain is the same for every RM).");
  CHECK(!strstr(buf_str(&b), "0.00"));
  buf_free(&b);
  CHECK_STR(stats_verdict_word(STATS_V_UNDEFINED), "undefined");
}

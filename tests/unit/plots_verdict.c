/* Unit tests of plots/verdict.c: the rule that says whether a benchmark
 * metric predicts the BoN gain (predicts / negatively related /
 * inconclusive / undefined), on small fixtures both ways, and the
 * sentences of report.md. */
#include "tests/unit/test.h"
#include "plots/csvtab.h"
#include "plots/verdict.h"
#include "util/buf.h"

#include <math.h>
#include <string.h>

static const char *const rms4[4] = {"a", "b", "c", "d"};
static const double acc4[4] = {0.60, 0.70, 0.80, 0.90};

static struct plot_corr corr(int n, double r, double lo, double hi)
{
  struct plot_corr c;
  memset(&c, 0, sizeof(c));
  c.ok = 1;
  c.n = n;
  c.r = r;
  c.r_lo = lo;
  c.r_hi = hi;
  return c;
}

/* Evidence of 4 RMs (a..d) with metric x, gains g and intervals g +- hw
 * (hw NAN: no intervals), and correlation c. */
static struct plot_evidence ev4(struct plot_corr c, const double *x,
                                const double *g, double hw)
{
  struct plot_evidence e;
  memset(&e, 0, sizeof(e));
  double lo[4], hi[4];
  for(int i = 0; i < 4; i++) {
    lo[i] = g[i] - hw;
    hi[i] = g[i] + hw;
  }
  plot_evidence_set(&e, rms4, x, g, lo, hi, 4);
  e.corr = c;
  return e;
}

static enum plot_verdict_kind judge(const struct plot_evidence *e,
                                    enum plot_verdict_why want_why)
{
  enum plot_verdict_why why;
  enum plot_verdict_kind k = plot_verdict_judge(e, &why);
  CHECK_INT(why, want_why);
  return k;
}

/* The case: r = 0.99 from gains of +-0.005 whose intervals all
 * overlap: inconclusive, not "predicts". */
TEST(plot_verdict_tiny_gains_are_inconclusive)
{
  static const double g[4] = {0.001, 0.002, 0.004, 0.005};
  struct plot_evidence e = ev4(corr(4, 0.99, 0.62, 1.0), acc4, g, 0.005);
  CHECK_INT(e.ev.nrms, 4);
  CHECK_INT(e.ev.ncis, 4);
  CHECK_NEAR(e.ev.top_lo, 0.0, 1e-12);
  CHECK_NEAR(e.ev.low_hi, 0.006, 1e-12);
  CHECK_INT(judge(&e, PLOT_WHY_GAINS_NOISE), PLOT_V_INCONCLUSIVE);
  struct plot_evidence two[2];
  memset(two, 0, sizeof(two));
  two[1] = e;
  static const char *const names[2] = {"one-to-many accuracy",
                                       "one-to-one accuracy"};
  struct buf b = BUF_INIT;
  plot_verdict(&b, two, names, 2);
  CHECK_STR(buf_str(&b),
            "One-to-one accuracy: inconclusive across 4 RMs (Pearson r = "
            "0.99, 95% CI [0.62, 1.00], but the gains do not differ beyond "
            "their bootstrap noise: every two of their intervals overlap). "
            "With only 4 RMs the interval of r is wide (width 0.38): add "
            "RMs before drawing firm conclusions.");
  CHECK(!strstr(buf_str(&b), "predicts"));
  buf_free(&b);
}

/* The same r with gains that differ beyond their noise: predicts. */
TEST(plot_verdict_distinct_gains_predict)
{
  static const double g[4] = {0.0, 0.05, 0.10, 0.15};
  struct plot_evidence e = ev4(corr(12, 0.99, 0.62, 1.0), acc4, g, 0.02);
  CHECK_INT(judge(&e, PLOT_WHY_NONE), PLOT_V_PREDICTS);
  CHECK_STR(e.ev.top_rm, "d"); /* [0.13, 0.17] */
  CHECK_STR(e.ev.low_rm, "a"); /* [-0.02, 0.02] */
  static const char *const name[1] = {"one-to-many accuracy"};
  struct buf b = BUF_INIT;
  plot_verdict(&b, &e, name, 1);
  CHECK_STR(buf_str(&b),
            "One-to-many accuracy predicts the BoN gain across 12 RMs "
            "(Pearson r = 0.99, 95% CI [0.62, 1.00]), and the gains differ "
            "beyond their bootstrap noise (the intervals of d and a do not "
            "overlap).");
  buf_free(&b);
  /* Intervals that only touch are not apart: a [0.125, 0.375] and
   * b..d [0.375, 0.625] meet at 0.375 (exact binary fractions). */
  static const double g2[4] = {0.25, 0.5, 0.5, 0.5};
  e = ev4(corr(12, 0.9, 0.5, 0.97), acc4, g2, 0.125);
  CHECK_INT(judge(&e, PLOT_WHY_GAINS_NOISE), PLOT_V_INCONCLUSIVE);
}

TEST(plot_verdict_negative_and_interval_through_zero)
{
  static const double g[4] = {0.15, 0.10, 0.05, 0.0};
  struct plot_evidence e = ev4(corr(5, -0.95, -0.99, -0.4), acc4, g, 0.02);
  CHECK_INT(judge(&e, PLOT_WHY_NONE), PLOT_V_NEGATIVE);
  /* A wide interval is no evidence either way, whatever the gains. */
  e = ev4(corr(9, 0.19, -0.54, 0.76), acc4, g, 0.02);
  CHECK_INT(judge(&e, PLOT_WHY_CI_ZERO), PLOT_V_INCONCLUSIVE);
  static const char *const name[1] = {"one-to-one accuracy"};
  struct buf b = BUF_INIT;
  plot_verdict(&b, &e, name, 1);
  CHECK_STR(buf_str(&b),
            "One-to-one accuracy: inconclusive, no evidence either way "
            "across 9 RMs (Pearson r = 0.19, 95% CI [-0.54, 0.76], which "
            "includes 0). With only 9 RMs the interval of r is wide (width "
            "1.30): add RMs before drawing firm conclusions.");
  CHECK(!strstr(buf_str(&b), "does not"));
  buf_free(&b);
  /* An end exactly at 0 does not exclude it. */
  e = ev4(corr(9, 0.5, 0.0, 0.8), acc4, g, 0.02);
  CHECK_INT(judge(&e, PLOT_WHY_CI_ZERO), PLOT_V_INCONCLUSIVE);
}

TEST(plot_verdict_without_intervals_is_inconclusive)
{
  static const double g[4] = {0.0, 0.05, 0.10, 0.15};
  struct plot_evidence e = ev4(corr(4, 0.9, NAN, NAN), acc4, g, 0.02);
  CHECK_INT(judge(&e, PLOT_WHY_NO_CI), PLOT_V_INCONCLUSIVE);
  /* gains without bootstrap intervals (bootstrap 0) */
  e = ev4(corr(12, 0.9, 0.6, 0.97), acc4, g, NAN);
  CHECK_INT(e.ev.ncis, 0);
  CHECK_INT(judge(&e, PLOT_WHY_GAINS_NO_CI), PLOT_V_INCONCLUSIVE);
  static const char *const name[1] = {"one-to-many accuracy"};
  struct buf b = BUF_INIT;
  plot_verdict(&b, &e, name, 1);
  CHECK_STR(buf_str(&b),
            "One-to-many accuracy: inconclusive across 12 RMs (Pearson r = "
            "0.90, 95% CI [0.60, 0.97], but the gains have no bootstrap "
            "intervals to tell them from noise).");
  buf_free(&b);
}

TEST(plot_verdict_undefined_says_why)
{
  static const double g[4] = {0.0, 0.05, 0.10, 0.15};
  static const double flat[4] = {0.5, 0.5, 0.5, 0.5};
  static const char *const name[1] = {"one-to-one accuracy"};
  struct buf b = BUF_INIT;
  /* the metric is the same for every RM */
  struct plot_evidence e = ev4(corr(4, NAN, NAN, NAN), flat, g, 0.02);
  CHECK(!e.ev.metric_varies && e.ev.gain_varies);
  CHECK_INT(judge(&e, PLOT_WHY_FLAT_METRIC), PLOT_V_UNDEFINED);
  plot_verdict(&b, &e, name, 1);
  CHECK_STR(buf_str(&b),
            "One-to-one accuracy: undefined (Pearson r is not a number: the "
            "one-to-one accuracy is the same for every RM).");
  CHECK(!strstr(buf_str(&b), "0.00"));
  /* the gain is */
  e = ev4(corr(4, NAN, NAN, NAN), acc4, flat, 0.02);
  CHECK_INT(judge(&e, PLOT_WHY_FLAT_GAIN), PLOT_V_UNDEFINED);
  /* fewer than 3 RMs, with or without a correlation row */
  double lo[2] = {-0.1, 0.0}, hi[2] = {0.1, 0.2};
  memset(&e, 0, sizeof(e));
  plot_evidence_set(&e, rms4, acc4, g, lo, hi, 2);
  CHECK_INT(judge(&e, PLOT_WHY_FEW_RMS), PLOT_V_UNDEFINED);
  buf_reset(&b);
  plot_verdict(&b, &e, name, 1);
  CHECK_STR(buf_str(&b),
            "One-to-one accuracy: undefined (only 2 RMs have both the "
            "metric and a gain; a correlation needs at least 3).");
  e.corr = corr(2, NAN, NAN, NAN);
  CHECK_INT(judge(&e, PLOT_WHY_FEW_RMS), PLOT_V_UNDEFINED);
  /* a NaN r whose cause the report cannot see */
  memset(&e, 0, sizeof(e));
  e.corr = corr(7, NAN, NAN, NAN);
  CHECK_INT(judge(&e, PLOT_WHY_NAN), PLOT_V_UNDEFINED);
  buf_free(&b);
}

TEST(plot_verdict_absent_and_nothing)
{
  static const char *const names[2] = {"one-to-many accuracy",
                                       "one-to-one accuracy"};
  struct plot_evidence e[2];
  memset(e, 0, sizeof(e));
  struct buf b = BUF_INIT;
  plot_verdict(&b, e, names, 2);
  CHECK(strstr(buf_str(&b), "No correlation") == buf_str(&b));
  /* data for 4 RMs, but no correlation row */
  static const double g[4] = {0.0, 0.05, 0.10, 0.15};
  e[0] = ev4(corr(4, 0, 0, 0), acc4, g, 0.02);
  e[0].corr.ok = 0;
  CHECK_INT(judge(&e[0], PLOT_WHY_NONE), PLOT_V_ABSENT);
  buf_reset(&b);
  plot_verdict(&b, e, names, 2);
  CHECK_STR(buf_str(&b), "One-to-many accuracy: no correlation is "
                         "available (correlations.csv has no row for it).");
  buf_free(&b);
}

/* The join of report.md: benchmark.csv and gains.csv on rm; RMs missing
 * from either, or with nan, are left out. */
TEST(plot_evidence_join_tables)
{
  struct plot_table bt, gt;
  struct bon_err err;
  /* judge: a pairwise judge, with benchmark metrics but no gain */
  const char *bench = "rm,accuracy,kind\nx,0.5,score\ny,0.7,score\n"
                      "judge,0.95,pairwise\nz,nan,score\nw,0.9,score\n";
  const char *gains = "rm,delta,delta_lo,delta_hi\n"
                      "w,0.30,0.25,0.35\nx,0.10,0.05,0.15\nz,0.2,0.1,0.3\n"
                      "y,0.20,nan,0.25\nq,0.5,0.4,0.6\n";
  CHECK_INT(plot_table_parse(&bt, bench, strlen(bench), "b.csv", &err), 0);
  CHECK_INT(plot_table_parse(&gt, gains, strlen(gains), "g.csv", &err), 0);
  struct plot_evidence e;
  memset(&e, 0, sizeof(e));
  plot_evidence_join(&e, &bt, "accuracy", &gt);
  CHECK(e.ev.have_data);
  CHECK_INT(e.ev.nrms, 3);  /* w, x, y (z: nan accuracy; q: no benchmark;
                               judge: no gain) */
  CHECK_INT(e.ev.ncis, 2);  /* y has no lower end */
  CHECK(e.ev.metric_varies && e.ev.gain_varies);
  CHECK_STR(e.ev.top_rm, "w");
  CHECK_STR(e.ev.low_rm, "x");
  CHECK_NEAR(e.ev.top_lo, 0.25, 1e-12);
  CHECK_NEAR(e.ev.low_hi, 0.15, 1e-12);
  plot_table_free(&bt);
  plot_table_free(&gt);
}

/* The sentences and the rule state the level they are given (run.json's),
 * 95 % when it is 0. */
TEST(plot_verdict_states_the_level)
{
  static const double g[4] = {0.0, 0.05, 0.10, 0.15};
  static const char *const name[1] = {"one-to-many accuracy"};
  struct plot_evidence e = ev4(corr(12, 0.9, 0.6, 0.97), acc4, g, 0.02);
  struct buf b = BUF_INIT;
  e.level = 0.9;
  plot_verdict(&b, &e, name, 1);
  CHECK_MSG(strstr(buf_str(&b), "Pearson r = 0.90, 90% CI [0.60, 0.97]")
            != NULL, "%s", buf_str(&b));
  buf_reset(&b);
  e.level = 0.975; /* not rounded to 98 % */
  plot_verdict(&b, &e, name, 1);
  CHECK(strstr(buf_str(&b), ", 97.5% CI [0.60, 0.97]") != NULL);
  buf_reset(&b);
  e.level = 0;
  plot_verdict(&b, &e, name, 1);
  CHECK(strstr(buf_str(&b), ", 95% CI [0.60, 0.97]") != NULL);
  buf_reset(&b);
  plot_verdict_rule(&b, 0.9);
  CHECK(strstr(buf_str(&b), "when the 90% interval of Pearson r") != NULL);
  CHECK(strstr(buf_str(&b), "95%") == NULL);
  buf_reset(&b);
  plot_verdict_rule(&b, 0.95);
  CHECK(strstr(buf_str(&b), "when the 95% interval of Pearson r") != NULL);
  buf_free(&b);
}

/* Unit tests of stats/metrics: benchmark metrics by hand-checked small
 * problems, ties, missing scores, pairwise judges and random baselines. */
#include "tests/unit/test.h"
#include "stats/metrics.h"
#include "util/rng.h"

#include <stdlib.h>

TEST(metrics_clear_win)
{
  struct stats_problem_metric m;
  double inc[] = {1, 2};
  stats_problem_scores(3, inc, 2, STATS_MISSING_WORST, &m);
  CHECK_NEAR(m.acc, 1, 0);
  CHECK_NEAR(m.acc_ties, 1, 0);
  CHECK_NEAR(m.acc_random, 1, 0);
  CHECK_NEAR(m.mrr, 1, 0);
  CHECK_NEAR(m.mrr_random, 1, 0);
  CHECK_INT(m.tie_top, 0);
  CHECK_INT(m.missing, 0);
  CHECK_NEAR(m.base_acc, 1.0 / 3, 1e-15);
  CHECK_NEAR(m.base_mrr, (1 + 1.0 / 2 + 1.0 / 3) / 3, 1e-15);
}

TEST(metrics_ties_below_the_top)
{
  /* one incorrect above, two tied: the correct one holds ranks 2..4 */
  struct stats_problem_metric m;
  double inc[] = {3, 2, 1, 2};
  stats_problem_scores(2, inc, 4, STATS_MISSING_WORST, &m);
  CHECK_NEAR(m.acc, 0, 0);
  CHECK_NEAR(m.acc_ties, 0, 0);
  CHECK_NEAR(m.acc_random, 0, 0);
  CHECK_NEAR(m.mrr, 0.25, 1e-15);
  CHECK_NEAR(m.mrr_random, (1.0 / 2 + 1.0 / 3 + 1.0 / 4) / 3, 1e-15);
  CHECK_INT(m.tie_top, 0);
}

TEST(metrics_tie_at_the_top_is_a_strict_failure)
{
  struct stats_problem_metric m;
  double inc[] = {5, 1};
  stats_problem_scores(5, inc, 2, STATS_MISSING_WORST, &m);
  CHECK_NEAR(m.acc, 0, 0);
  CHECK_NEAR(m.acc_ties, 1, 0);
  CHECK_NEAR(m.acc_random, 0.5, 1e-15);
  CHECK_NEAR(m.mrr, 0.5, 1e-15);
  CHECK_NEAR(m.mrr_random, 0.75, 1e-15);
  CHECK_INT(m.tie_top, 1);
}

TEST(metrics_one_to_one_pairs)
{
  struct stats_problem_metric m;
  double r = 0.2;
  stats_problem_scores(0.7, &r, 1, STATS_MISSING_WORST, &m);
  CHECK_NEAR(m.acc, 1, 0);
  CHECK_NEAR(m.base_acc, 0.5, 0);
  CHECK_NEAR(m.base_mrr, 0.75, 1e-15);
  stats_problem_scores(0.1, &r, 1, STATS_MISSING_WORST, &m);
  CHECK_NEAR(m.acc, 0, 0);
  CHECK_NEAR(m.mrr, 0.5, 0);
}

TEST(metrics_all_tied_k9_gives_the_random_baseline)
{
  struct stats_problem_metric m;
  double inc[9];
  for(int i = 0; i < 9; i++)
    inc[i] = 0.5;
  stats_problem_scores(0.5, inc, 9, STATS_MISSING_WORST, &m);
  double h10 = 7381.0 / 2520.0; /* H_10 */
  CHECK_NEAR(m.acc_random, 0.1, 1e-15);
  CHECK_NEAR(m.mrr_random, h10 / 10, 1e-15);
  CHECK_NEAR(m.mrr_random, 0.29289682539682538, 1e-15);
  CHECK_NEAR(m.base_acc, 0.1, 1e-15);
  CHECK_NEAR(m.base_mrr, h10 / 10, 1e-15);
  CHECK_NEAR(stats_random_mrr(10), h10 / 10, 1e-15);
  CHECK_NEAR(m.acc, 0, 0);
  CHECK_NEAR(m.mrr, 0.1, 1e-15);
}

TEST(metrics_random_scorer_k9_matches_baselines)
{
  /* An RM scoring uniformly at random: 10% accuracy, MRR 29.29%. */
  size_t np = 200000;
  struct stats_problem_metric *pm = malloc(np * sizeof *pm);
  struct rng r;
  rng_seed(&r, 5, 0, 0);
  for(size_t p = 0; p < np; p++) {
    double inc[9];
    for(int i = 0; i < 9; i++)
      inc[i] = rng_unif(&r);
    stats_problem_scores(rng_unif(&r), inc, 9, STATS_MISSING_WORST, pm + p);
  }
  struct stats_bench_metrics b;
  stats_bench_aggregate(pm, np, 0, 1, 0.95, &b);
  /* standard errors: sqrt(.09/2e5) = .00067 and about .0006 */
  CHECK_NEAR(b.accuracy, 0.1, 0.003);
  CHECK_NEAR(b.mrr, 0.29289682539682538, 0.003);
  CHECK_NEAR(b.baseline_accuracy, 0.1, 1e-12);
  CHECK_NEAR(b.baseline_mrr, 0.29289682539682538, 1e-12);
  CHECK_NEAR(b.k, 9, 0);
  CHECK(isnan(b.accuracy_lo));
  free(pm);
}

TEST(metrics_missing_scores_rank_last_or_drop)
{
  struct stats_problem_metric m;
  double inc[] = {1, NAN, 2};
  stats_problem_scores(1.5, inc, 3, STATS_MISSING_WORST, &m);
  CHECK_INT(m.missing, 1);
  CHECK_NEAR(m.mrr, 0.5, 0); /* only 2 above */
  stats_problem_scores(NAN, inc, 3, STATS_MISSING_WORST, &m);
  CHECK_INT(m.missing, 2);
  /* 2 present scores above, tied with the missing one: ranks 3..4 */
  CHECK_NEAR(m.mrr, 0.25, 0);
  CHECK_NEAR(m.mrr_random, (1.0 / 3 + 1.0 / 4) / 2, 1e-15);
  CHECK_NEAR(m.acc_ties, 0, 0);
  stats_problem_scores(NAN, inc, 3, STATS_MISSING_DROP, &m);
  CHECK_INT(m.dropped, 1);
  CHECK_INT(m.missing, 2);
  struct stats_problem_metric pm[2];
  double inc2[] = {0};
  stats_problem_scores(1, inc2, 1, STATS_MISSING_DROP, pm);
  pm[1] = m;
  struct stats_bench_metrics b;
  stats_bench_aggregate(pm, 2, 50, 1, 0.95, &b);
  CHECK_INT(b.problems, 1);
  CHECK_INT(b.dropped, 1);
  CHECK_INT(b.missing, 2);
  CHECK_NEAR(b.accuracy, 1, 0);
  CHECK_NEAR(b.accuracy_lo, 1, 0);
}

TEST(metrics_pairwise_judge)
{
  struct stats_problem_metric m;
  double all[] = {1, 1, 1};
  stats_problem_pairwise(all, 3, STATS_MISSING_WORST, &m);
  CHECK_NEAR(m.acc, 1, 0);
  CHECK_NEAR(m.mrr, 1, 0);
  double one_loss[] = {1, 0, 1};
  stats_problem_pairwise(one_loss, 3, STATS_MISSING_WORST, &m);
  CHECK_NEAR(m.acc, 0, 0);
  CHECK_NEAR(m.mrr, 0.5, 0);
  double loss_tie[] = {1, 0, 0.5};
  stats_problem_pairwise(loss_tie, 3, STATS_MISSING_WORST, &m);
  CHECK_NEAR(m.mrr, 1.0 / 3, 1e-15);
  CHECK_NEAR(m.mrr_random, 0.5 / 2 + 0.5 / 3, 1e-15);
  CHECK_NEAR(m.acc_ties, 0, 0);
  double tie[] = {1, 0.5};
  stats_problem_pairwise(tie, 2, STATS_MISSING_WORST, &m);
  CHECK_NEAR(m.acc, 0, 0);
  CHECK_NEAR(m.acc_ties, 1, 0);
  CHECK_NEAR(m.acc_random, 0.5, 0);
  CHECK_NEAR(m.mrr_random, 0.75, 1e-15);
  double miss[] = {1, NAN};
  stats_problem_pairwise(miss, 2, STATS_MISSING_WORST, &m);
  CHECK_INT(m.missing, 1);
  CHECK_NEAR(m.mrr, 0.5, 0);
}

/* E[1/(1+L+X)], X ~ Bin(t, 1/2), by enumerating all 2^t coin outcomes. */
static double brute_coin(int L, int t)
{
  double s = 0;
  for(unsigned mask = 0; mask < (1u << t); mask++)
    s += 1.0 / (1 + L + __builtin_popcount(mask));
  return s / (1u << t);
}

TEST(metrics_pairwise_random_ties_against_enumeration)
{
  for(int L = 0; L < 4; L++)
    for(int t = 0; t < 11; t++) {
      double o[20];
      int k = 0;
      for(int i = 0; i < L; i++)
        o[k++] = 0;
      for(int i = 0; i < t; i++)
        o[k++] = 0.5;
      o[k++] = 1;
      struct stats_problem_metric m;
      stats_problem_pairwise(o, (size_t)k, STATS_MISSING_WORST, &m);
      CHECK_NEAR(m.mrr_random, brute_coin(L, t), 1e-12);
      CHECK_NEAR(m.acc_random, L ? 0 : 1.0 / (1u << t), 1e-15);
      /* a coin-flipping judge on k comparisons */
      CHECK_NEAR(m.base_mrr, brute_coin(0, k), 1e-12);
      CHECK_NEAR(m.base_acc, 1.0 / (1u << k), 1e-15);
    }
}

TEST(metrics_bootstrap_deterministic_paired_and_sized)
{
  size_t np = 1000;
  struct stats_problem_metric *a = malloc(np * sizeof *a);
  struct stats_problem_metric *b = malloc(np * sizeof *b);
  struct rng r;
  rng_seed(&r, 9, 0, 0);
  for(size_t p = 0; p < np; p++) {
    double inc = rng_unif(&r), c = rng_unif(&r) + 0.25;
    stats_problem_scores(c, &inc, 1, STATS_MISSING_WORST, a + p);
    /* b: a's exact complement on every problem */
    double c2 = inc, inc2 = c;
    stats_problem_scores(c2, &inc2, 1, STATS_MISSING_WORST, b + p);
  }
  struct stats_bench_metrics m1, m2, mb;
  stats_bench_aggregate(a, np, 400, 3, 0.95, &m1);
  stats_bench_aggregate(a, np, 400, 3, 0.95, &m2);
  stats_bench_aggregate(b, np, 400, 3, 0.95, &mb);
  CHECK(m1.accuracy_lo == m2.accuracy_lo && m1.mrr_hi == m2.mrr_hi);
  CHECK(m1.accuracy_lo <= m1.accuracy && m1.accuracy <= m1.accuracy_hi);
  /* Same resampled problems for both RMs: accuracies sum to 1 in every
   * replicate, so the intervals mirror each other exactly. */
  CHECK_NEAR(m1.accuracy_lo + mb.accuracy_hi, 1, 1e-12);
  CHECK_NEAR(m1.accuracy_hi + mb.accuracy_lo, 1, 1e-12);
  /* Width near 2 * 1.96 * sqrt(p(1-p)/n). */
  double p = m1.accuracy, w = 2 * 1.96 * sqrt(p * (1 - p) / np);
  CHECK_NEAR(m1.accuracy_hi - m1.accuracy_lo, w, 0.25 * w);
  free(a);
  free(b);
}

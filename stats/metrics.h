/* metrics.h - reward-model benchmark metrics (pure cores, no I/O).
 *
 * A benchmark problem has one correct candidate and k incorrect ones
 * (RewardMATH: k = 9; k = 1 is a one-to-one chosen/rejected pair).  An RM
 * scores every candidate; the metrics say how the correct one ranks:
 *
 *   g = number of incorrect candidates scored strictly above the correct one
 *   t = number of incorrect candidates tied with it
 *   accuracy (strict)   1 if g = 0 and t = 0 (a tie is a failure)
 *   accuracy_ties       1 if g = 0 (ties count as wins)
 *   accuracy_random     1/(t+1) if g = 0, else 0: the expectation when ties
 *                       are broken uniformly at random
 *   mrr (pessimistic)   1/(1+g+t): the correct one ranked below all its ties
 *   mrr_random          mean of 1/r over r = g+1 .. g+t+1 (random ties)
 *   baseline_*          what an RM scoring uniformly at random gets on the
 *                       problem: 1/(k+1) and H_(k+1)/(k+1)
 *
 * Missing scores (NaN) rank below every present score and tie with each
 * other (STATS_MISSING_WORST, the default: a missing score on the correct
 * candidate is a loss), or drop the problem for this RM
 * (STATS_MISSING_DROP).  Either way they are counted.
 *
 * Pairwise judges compare the correct candidate with each incorrect one
 * (A/B): outcome 1 = the correct one wins, 0 = it loses, 0.5 = a tie, NaN =
 * missing (a loss under WORST).  A problem is won when the correct one wins
 * all k comparisons; MRR = 1/(1 + losses) (ties count as losses in the
 * pessimistic figures and as fair coin flips in the random ones). */
#ifndef BON_STATS_METRICS_H
#define BON_STATS_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum stats_missing {
  STATS_MISSING_WORST = 0, /* a missing score ranks last */
  STATS_MISSING_DROP = 1   /* a problem with a missing score is dropped */
};

/* The metrics of one problem for one RM. */
struct stats_problem_metric {
  double acc;        /* strict accuracy, 0 or 1 */
  double acc_ties;   /* ties as wins, 0 or 1 */
  double acc_random; /* random-tie expectation */
  double mrr;        /* pessimistic reciprocal rank */
  double mrr_random; /* random-tie expectation of the reciprocal rank */
  double base_acc;   /* random-scorer baseline 1/(k+1) */
  double base_mrr;   /* random-scorer baseline H_(k+1)/(k+1) */
  int tie_top;       /* 1 if the correct one is tied at the top (g=0,t>0) */
  int missing;       /* missing scores among the k+1 candidates */
  int dropped;       /* 1 if dropped (STATS_MISSING_DROP and missing > 0) */
  int k;             /* incorrect candidates */
};

/* Metrics of one problem from the correct candidate's score and the k
 * incorrect scores.  k may be 0 (then every accuracy is 1).  Cannot fail. */
void stats_problem_scores(double correct, const double *incorrect, size_t k,
                          enum stats_missing missing,
                          struct stats_problem_metric *out);

/* Metrics of one problem from k pairwise outcomes of the correct candidate
 * against each incorrect one (1 win, 0 loss, 0.5 tie, NaN missing; other
 * values are read as win if > 0.5, loss if < 0.5).  Cannot fail. */
void stats_problem_pairwise(const double *outcomes, size_t k,
                            enum stats_missing missing,
                            struct stats_problem_metric *out);

/* H_m / m: the expected reciprocal rank of a uniformly random rank in
 * 1..m.  m = 10 gives 0.29289682539682538. */
double stats_random_mrr(size_t m);

/* Aggregate metrics of one RM over a set of problems. */
struct stats_bench_metrics {
  size_t problems;   /* problems counted (not dropped) */
  size_t dropped;    /* problems dropped for missing scores */
  size_t missing;    /* missing scores in all problems */
  double k;          /* mean k over counted problems */
  double accuracy, accuracy_lo, accuracy_hi;
  double accuracy_ties, accuracy_random;
  double mrr, mrr_lo, mrr_hi, mrr_random;
  double baseline_accuracy, baseline_mrr;
  double tie_rate;   /* share of problems with the correct one tied on top */
};

/* Mean metrics over the np problems of pm, with bootstrap percentile
 * intervals (level, e.g. 0.95) over problems for accuracy and mrr:
 * replicate b draws np problem indices with replacement from the stream
 * rng_seed(seed, STATS_BENCH_STREAM, b), so every RM with the same np gets
 * the same resampled indices in a replicate (paired).  A dropped problem
 * drawn in a replicate is left out of that replicate's mean.  B = 0 gives
 * NaN intervals; so does a set with no counted problem.  Deterministic.
 * Cannot fail. */
#define STATS_BENCH_STREAM 0x62656e6368ULL /* "bench" */
void stats_bench_aggregate(const struct stats_problem_metric *pm, size_t np,
                           size_t B, uint64_t seed, double level,
                           struct stats_bench_metrics *out);

/* The metrics of nrm RMs over the same np problems at once: identical to
 * stats_bench_aggregate on each pm[r] (to the last bit, whatever the
 * thread count), but each replicate's indices are drawn once for all RMs
 * and replicates are shared among `threads` threads (0 = all cores). */
void stats_bench_aggregate_multi(const struct stats_problem_metric *const *pm,
                                 size_t nrm, size_t np, size_t B,
                                 uint64_t seed, double level, int threads,
                                 struct stats_bench_metrics *out);

#endif

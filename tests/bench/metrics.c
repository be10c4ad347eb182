/* Benchmarks of the benchmark metrics and correlations:
 *   - per-problem metrics, 100k problems x 10 candidates x 20 RMs
 *   - paired bootstrap (B = 1000) over those problems for all 20 RMs
 *   - the whole bench library on a 2M-row table (10k problems x 10 x 20)
 *   - correlation of 20 RMs with 10,000 permutations + 1000 bootstrap. */
#include "tests/bench/bench.h"
#include "stats/bench.h"
#include "stats/corr.h"
#include "stats/derive.h"
#include "stats/metrics.h"
#include "util/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define NP 100000
#define NC 10
#define NRM 20

struct mctx {
  double *scores; /* [NRM][NP][NC], candidate 0 correct */
  struct stats_problem_metric *pm[NRM];
  struct stats_bench_metrics out[NRM];
  size_t B;
};

static void per_problem(void *v)
{
  struct mctx *c = v;
  for(size_t r = 0; r < NRM; r++)
    for(size_t p = 0; p < NP; p++) {
      const double *s = c->scores + (r * NP + p) * NC;
      stats_problem_scores(s[0], s + 1, NC - 1, STATS_MISSING_WORST,
                           c->pm[r] + p);
    }
}

static void bootstrap(void *v)
{
  struct mctx *c = v;
  stats_bench_aggregate_multi((const struct stats_problem_metric *const *)
                                  c->pm,
                              NRM, NP, c->B, 1, 0.95, 0, c->out);
}

BENCH(metrics_problems)
{
  struct mctx c;
  c.scores = malloc(sizeof(double) * NRM * NP * NC);
  struct rng g;
  rng_seed(&g, 1, 0, 0);
  for(size_t i = 0; i < (size_t)NRM * NP * NC; i++) /* coarse: many ties */
    c.scores[i] = (double)rng_below(&g, 20) + (i % NC == 0 ? 2 : 0);
  for(int r = 0; r < NRM; r++)
    c.pm[r] = malloc(NP * sizeof **c.pm);
  double t = bench_time_median(5, per_problem, &c);
  bench_report("per-problem metrics (k=9), problem x RM", (double)NP * NRM,
               t, "problems");
  c.B = 1000;
  t = bench_time_median(3, bootstrap, &c);
  bench_report("paired bootstrap B=1000, 100k problems x 20 RMs",
               (double)NP * NRM * c.B, t, "draws");
  printf("  (accuracy of RM 0: %.4f [%.4f, %.4f])\n", c.out[0].accuracy,
         c.out[0].accuracy_lo, c.out[0].accuracy_hi);
  for(int r = 0; r < NRM; r++)
    free(c.pm[r]);
  free(c.scores);
}

struct tctx {
  struct stats_table *t;
  struct stats_bench_opts o;
};

static void whole(void *v)
{
  struct tctx *c = v;
  struct stats_bench_report rep;
  struct bon_err err;
  if(stats_bench_table(c->t, &c->o, &rep, &err) < 0)
    fprintf(stderr, "bench: %s\n", err.msg);
  stats_bench_report_free(&rep);
}

BENCH(metrics_bench_table)
{
  size_t np = 10000;
  struct stats_builder *b = stats_builder_new(NULL);
  struct rng g;
  rng_seed(&g, 2, 0, 0);
  struct bon_err err;
  char pid[32], sid[32], rid[32];
  for(int r = 0; r < NRM; r++)
    for(size_t p = 0; p < np; p++)
      for(int s = 0; s < NC; s++) {
        snprintf(pid, sizeof pid, "p%zu", p);
        snprintf(sid, sizeof sid, "%d", s);
        snprintf(rid, sizeof rid, "rm%02d", r);
        struct stats_row row = {0};
        row.problem = pid;
        row.sample = sid;
        row.rm = rid;
        row.score = rng_unif(&g) + (s == 0 ? 0.1 * r / NRM : 0);
        row.correct = s == 0;
        if(stats_builder_add(b, &row, &err) < 0) {
          fprintf(stderr, "%s\n", err.msg);
          stats_builder_free(b);
          return;
        }
      }
  struct tctx c;
  c.t = stats_builder_finish(b, &err);
  if(!c.t)
    return;
  stats_bench_opts_init(&c.o);
  const char *ens[] = {"mean:rm00,rm01,rm02,rm03", "uwo0.5:rm04,rm05,rm06"};
  c.o.ensembles = ens;
  c.o.n_ensembles = 2;
  double t = bench_time_median(3, whole, &c);
  bench_report("bench 10k problems x 10 x 20 RMs + 2 ens, B=1000",
               (double)np, t, "problems");
  double a = bench_now();
  if(stats_table_add_derived(&c.t, NULL, ens, 2, &err) < 0)
    fprintf(stderr, "append: %s\n", err.msg);
  bench_report("append 2 ensembles to the table (2.2M rows)",
               (double)c.t->n_cands * c.t->n_rms, bench_now() - a, "rows");
  stats_table_free(c.t);
}

struct cctx {
  double x[NRM], y[NRM];
  struct stats_corr_opts o;
};

static void corr_once(void *v)
{
  struct cctx *c = v;
  struct stats_corr r;
  struct bon_err err;
  if(stats_correlate(c->x, c->y, NRM, &c->o, &r, &err) == 0)
    stats_corr_free(&r);
}

BENCH(metrics_correlation)
{
  struct cctx c;
  struct rng g;
  rng_seed(&g, 3, 0, 0);
  for(int i = 0; i < NRM; i++) {
    c.x[i] = rng_unif(&g);
    c.y[i] = c.x[i] + 0.3 * rng_normal(&g);
  }
  stats_corr_opts_init(&c.o); /* 10000 permutations, B = 1000 */
  double t = bench_time_median(5, corr_once, &c);
  bench_report("correlate 20 RMs, 10k perms + 1000 boot", 1, t, "pairs");
  c.o.permutations = 0;
  c.o.bootstrap = 0;
  double t0 = bench_time_median(5, corr_once, &c);
  c.o.permutations = 10000;
  t = bench_time_median(5, corr_once, &c) - t0;
  bench_report("  of which permutations (3 statistics)", 10000, t, "orders");
  c.o.permutations = 0;
  c.o.bootstrap = 1000;
  t = bench_time_median(5, corr_once, &c) - t0;
  bench_report("  of which bootstrap (3 statistics)", 1000, t,
               "replicates");
  double x8[8], y8[8];
  for(int i = 0; i < 8; i++) {
    x8[i] = c.x[i];
    y8[i] = c.y[i];
  }
  struct stats_corr r;
  struct bon_err err;
  double a = bench_now();
  struct stats_corr_opts o;
  stats_corr_opts_init(&o);
  stats_correlate(x8, y8, 8, &o, &r, &err);
  bench_report("exact test n = 8 (40320 orders) + 1000 boot", 1,
               bench_now() - a, "pairs");
  stats_corr_free(&r);
}

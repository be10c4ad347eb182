/* Benchmarks of stats/: the scores-table reader, the BoN estimator, the
 * bootstrap, and `analyze` end to end on a 10.24M-row table (500 problems
 * x 1024 samples x 20 RMs), generated once into build/ by a fast writer. */
#include "tests/bench/bench.h"
#include "stats/analyze.h"
#include "stats/bon.h"
#include "stats/boot.h"
#include "stats/table.h"
#include "util/fsutil.h"
#include "util/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define BIG "build/bench_scores.csv"
enum { BP = 500, BS = 1024, BR = 20 };

static char *put_u(char *o, unsigned long v)
{
  char t[24];
  int n = 0;
  do {
    t[n++] = (char)('0' + v % 10);
    v /= 10;
  } while(v);
  while(n)
    *o++ = t[--n];
  return o;
}

static char *put_fix6(char *o, double x)
{
  if(x < 0) {
    *o++ = '-';
    x = -x;
  }
  long m = lround(x * 1e6);
  o = put_u(o, (unsigned long)(m / 1000000));
  *o++ = '.';
  long f = m % 1000000;
  for(long d = 100000; d; d /= 10)
    *o++ = (char)('0' + (f / d) % 10);
  return o;
}

/* Synthetic pools: per-problem difficulty, binary gold, answers (the
 * correct one shared, wrong ones from a few distractors), and RMs from
 * weak to strong with a shared nuisance feature. */
static int generate(const char *path)
{
  FILE *f = fopen(path, "w");
  if(!f)
    return -1;
  struct rng r;
  rng_seed(&r, 1, 2, 3);
  fputs("problem_id,sample_id,rm,score,correct,answer\n", f);
  size_t cap = 1 << 22;
  char *buf = malloc(cap), *o = buf;
  for(int p = 0; p < BP; p++) {
    double q = rng_unif(&r);
    for(int s = 0; s < BS; s++) {
      int c = rng_unif(&r) < q;
      int ans = c ? 1000 + p : (int)rng_below(&r, 8);
      double z = rng_normal(&r);
      for(int m = 0; m < BR; m++) {
        double sc = (0.2 + 0.05 * m) * c + 0.5 * z + rng_normal(&r);
        *o++ = 'p';
        o = put_u(o, (unsigned long)p);
        *o++ = ',';
        o = put_u(o, (unsigned long)s);
        memcpy(o, ",rm", 3);
        o += 3;
        o = put_u(o, (unsigned long)m);
        *o++ = ',';
        o = put_fix6(o, sc);
        *o++ = ',';
        *o++ = (char)('0' + c);
        *o++ = ',';
        o = put_u(o, (unsigned long)ans);
        *o++ = '\n';
        if((size_t)(o - buf) > cap - 256) {
          fwrite(buf, 1, (size_t)(o - buf), f);
          o = buf;
        }
      }
    }
  }
  fwrite(buf, 1, (size_t)(o - buf), f);
  free(buf);
  return fclose(f);
}

static int ensure_big(void)
{
  if(fs_exists(BIG))
    return 0;
  double t0 = bench_now();
  if(generate(BIG) != 0) {
    printf("  cannot write %s\n", BIG);
    return -1;
  }
  bench_report("generate table (rows)", (double)BP * BS * BR,
               bench_now() - t0, "rows");
  return 0;
}

static void peak_mem(void)
{
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  printf("  peak resident memory so far: %.0f MiB\n", u.ru_maxrss / 1024.0);
}

static void read_once(void *ctx)
{
  struct bon_err err;
  struct stats_table *t = stats_table_read(BIG, NULL, &err);
  if(!t)
    printf("  %s\n", err.msg);
  *(size_t *)ctx = t ? t->counts.rows : 0;
  stats_table_free(t);
}

BENCH(stats_table_read)
{
  if(ensure_big() < 0)
    return;
  size_t rows = 0;
  double s = bench_time_median(3, read_once, &rows);
  bench_report("read 10.24M-row CSV", (double)rows, s, "rows");
  peak_mem();
}

static void analyze_once(void *ctx)
{
  (void)ctx;
  struct stats_analyze_opts o;
  stats_analyze_opts_init(&o);
  o.bootstrap = 1000;
  o.seed = 1;
  o.threads = 2;
  struct bon_err err;
  struct stats_analysis a;
  struct stats_table *t = stats_table_read(BIG, NULL, &err);
  if(!t || stats_analyze(&o, t, &a, &err) < 0 ||
     stats_analyze_write(&a, "build/bench_analyze", &err) < 0)
    printf("  %s\n", err.msg);
  else
    stats_analysis_free(&a);
  stats_table_free(t);
}

BENCH(stats_analyze_end_to_end)
{
  if(ensure_big() < 0)
    return;
  double s = bench_time_median(3, analyze_once, NULL);
  bench_report("read + analyze, B = 1000, 2 threads (rows)",
               (double)BP * BS * BR, s, "rows");
  printf("  read + analyze wall time: %.2f s (target < 8 s)\n", s);
  peak_mem();
}

struct est_ctx {
  int P, N;
  double *s, *g;
  int32_t *a;
  int votes;
};

static void est_once(void *ctx)
{
  struct est_ctx *c = ctx;
  volatile double sink = 0;
  for(int p = 0; p < c->P; p++) {
    struct stats_pool pool;
    size_t off = (size_t)p * c->N;
    stats_pool_init(&pool, c->N, c->s + off, c->g + off, c->a + off);
    for(int n = 1; n <= c->N; n *= 2) {
      if(c->votes)
        sink += stats_vote(&pool, n, 1, 1, 2, (uint64_t)n);
      else {
        struct stats_bon_point o;
        stats_bon_at(&pool, n, &o);
        sink += o.gold;
      }
    }
    stats_pool_free(&pool);
  }
  (void)sink;
}

BENCH(stats_estimator)
{
  struct est_ctx c = {500, 1024, NULL, NULL, NULL, 0};
  size_t tot = (size_t)c.P * c.N;
  c.s = malloc(tot * sizeof(double));
  c.g = malloc(tot * sizeof(double));
  c.a = malloc(tot * sizeof(int32_t));
  struct rng r;
  rng_seed(&r, 4, 0, 0);
  for(size_t i = 0; i < tot; i++) {
    c.g[i] = rng_unif(&r) < 0.4;
    c.s[i] = c.g[i] + rng_normal(&r);
    c.a[i] = c.g[i] ? 0 : (int32_t)rng_below(&r, 8) + 1;
  }
  double s = bench_time_median(3, est_once, &c);
  bench_report("BoN curves (N = 1024, 11 n, sort included)", c.P, s,
               "curves");
  c.votes = 1;
  s = bench_time_median(3, est_once, &c);
  bench_report("weighted-vote curves (N = 1024, 11 n)", c.P, s, "curves");
  free(c.s);
  free(c.g);
  free(c.a);
}

struct boot_ctx {
  double *v, *reps;
  int nstat, P;
};

static void boot_once(void *ctx)
{
  struct boot_ctx *c = ctx;
  struct stats_boot_opts o = {.B = 1000, .seed = 1, .threads = 2};
  struct bon_err err;
  stats_boot_means(c->v, c->nstat, c->P, &o, c->reps, &err);
}

BENCH(stats_bootstrap)
{
  struct boot_ctx c = {NULL, NULL, 3 * 20 * 11, 500};
  c.v = malloc(sizeof(double) * c.nstat * c.P);
  c.reps = malloc(sizeof(double) * c.nstat * 1000);
  for(int i = 0; i < c.nstat * c.P; i++)
    c.v[i] = ((long)i * 7919 % 1000) / 1000.0;
  double s = bench_time_median(3, boot_once, &c);
  bench_report("bootstrap, 660 stats x 500 problems, 2 threads", 1000, s,
               "replicates");
  free(c.v);
  free(c.reps);
}

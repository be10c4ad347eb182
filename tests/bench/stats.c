/* Benchmarks of stats/: `analyze` end to end against its floors (the time
 * to read the table's bytes, a minimal parse, a minimal program doing the
 * curves and the bootstrap: floor.c) on the tables of issue 14 (100 or 500
 * problems x 1024 samples x 20 RMs, no answer column, generated once into
 * build/), the BoN estimator and the bootstrap. */
#include "tests/bench/bench.h"
#include "tests/bench/floor.h"
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

#define BIG "build/bench_10m.csv"
#define SMALL "build/bench_2m.csv"
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

/* Synthetic pools: per-problem difficulty, binary gold, and RMs from weak
 * to strong with a shared nuisance feature.  The shape of issue 14's
 * tables: P problems x 1024 samples x 20 RMs, no answer column. */
static int generate(const char *path, int P)
{
  FILE *f = fopen(path, "w");
  if(!f)
    return -1;
  struct rng r;
  rng_seed(&r, 1, 2, 3);
  fputs("problem_id,sample_id,rm,score,correct\n", f);
  size_t cap = 1 << 22;
  char *buf = malloc(cap), *o = buf;
  for(int p = 0; p < P; p++) {
    double q = rng_unif(&r);
    for(int s = 0; s < BS; s++) {
      int c = rng_unif(&r) < q;
      (void)rng_below(&r, 8); /* the answer draw of earlier tables */
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

static int ensure(const char *path, int P)
{
  if(fs_exists(path))
    return 0;
  double t0 = bench_now();
  if(generate(path, P) != 0) {
    printf("  cannot write %s\n", path);
    return -1;
  }
  bench_report("generate table (rows)", (double)P * BS * BR,
               bench_now() - t0, "rows");
  return 0;
}

static void peak_mem(void)
{
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  printf("  peak resident memory so far: %.0f MiB\n", u.ru_maxrss / 1024.0);
}

/* ---- the analysis against its floors (issue 14) ---- */

struct an {
  const char *path;
  int threads;
  double gold_n; /* bonrun's gold at the largest n of the first RM */
};

/* The table at a->path, read with a->threads. */
static struct stats_table *read_table(const struct an *a, struct bon_err *err)
{
  struct stats_table_opts to;
  stats_table_opts_init(&to);
  to.threads = a->threads;
  return stats_table_read(a->path, &to, err);
}

static void analyze_once(void *ctx)
{
  struct an *a = ctx;
  struct stats_analyze_opts o;
  stats_analyze_opts_init(&o);
  o.bootstrap = 1000;
  o.threads = a->threads;
  struct bon_err err;
  struct stats_analysis res;
  struct stats_table *t = read_table(a, &err);
  if(!t || stats_analyze(&o, t, &res, &err) < 0 ||
     stats_analyze_write(&res, "build/bench_analyze", &err) < 0) {
    printf("  %s\n", err.msg);
    stats_table_free(t);
    return;
  }
  a->gold_n = res.rm[0].goldN;
  stats_analysis_free(&res);
  stats_table_free(t);
}

static void read_once(void *ctx)
{
  struct bon_err err;
  struct stats_table *t = read_table(ctx, &err);
  if(!t)
    printf("  %s\n", err.msg);
  stats_table_free(t);
}

struct fctx {
  const char *path;
  enum floor_kind kind;
  int threads;
  double gold_n;
};

static void floor_once(void *ctx)
{
  struct fctx *f = ctx;
  if(floor_run(f->path, f->kind, 1000, f->threads, &f->gold_n) < 0)
    printf("  cannot read %s\n", f->path);
}

/* Median seconds of reps runs of each of n variants, interleaved (one run
 * of each in turn), so a busy machine slows them all alike. */
static void interleaved(int n, void (*const fn[])(void *), void *const ctx[],
                        int reps, double *med)
{
  double t[8][16];
  for(int r = 0; r < reps; r++)
    for(int i = 0; i < n; i++) {
      double t0 = bench_now();
      fn[i](ctx[i]);
      t[i][r] = bench_now() - t0;
    }
  for(int i = 0; i < n; i++) {
    for(int a = 1; a < reps; a++) /* insertion sort of a few timings */
      for(int b = a; b > 0 && t[i][b - 1] > t[i][b]; b--) {
        double x = t[i][b];
        t[i][b] = t[i][b - 1];
        t[i][b - 1] = x;
      }
    med[i] = t[i][reps / 2];
  }
}

static void analysis_vs_floors(const char *path, double rows, int threads)
{
  struct fctx fb = {path, FLOOR_BYTES, threads, 0};
  struct fctx fp = {path, FLOOR_PARSE, threads, 0};
  struct fctx fc = {path, FLOOR_CURVES, threads, 0};
  struct an rd = {path, threads, 0}, an = {path, threads, 0};
  void (*const fn[])(void *) = {floor_once, floor_once, floor_once,
                                read_once, analyze_once};
  void *const ctx[] = {&fb, &fp, &fc, &rd, &an};
  double m[5];
  interleaved(5, fn, ctx, 5, m);
  printf("  %d thread%s, medians of 5 interleaved runs:\n", threads,
         threads == 1 ? "" : "s");
  bench_report("floor: read the table's bytes", rows, m[0], "rows");
  bench_report("floor: minimal parse", rows, m[1], "rows");
  bench_report("floor: parse + gold/proxy curves + B=1000", rows, m[2],
               "rows");
  bench_report("bonrun: read the table (stats_table_read)", rows, m[3],
               "rows");
  bench_report("bonrun: analyze (read, compute, write)", rows, m[4], "rows");
  printf("  analyze / floor curves = %.2f; read / minimal parse = %.2f; "
         "gold(N) %.6f vs floor %.6f\n", m[4] / m[2], m[3] / m[1],
         an.gold_n, fc.gold_n);
}

BENCH(stats_analysis_2m)
{
  if(ensure(SMALL, 100) < 0)
    return;
  analysis_vs_floors(SMALL, 100.0 * BS * BR, 0);
  peak_mem();
}

BENCH(stats_analysis_10m)
{
  if(ensure(BIG, BP) < 0)
    return;
  analysis_vs_floors(BIG, (double)BP * BS * BR, 0);
  analysis_vs_floors(BIG, (double)BP * BS * BR, 1);
  peak_mem();
}

struct est_ctx {
  int P, N;
  double *s, *g;
  int32_t *a;
  int mode; /* 0 stats_bon_at per n, 1 shared weights, 2 votes */
};

static void est_once(void *ctx)
{
  struct est_ctx *c = ctx;
  volatile double sink = 0;
  int grid[16], G = 0;
  for(int n = 1; n <= c->N; n *= 2)
    grid[G++] = n;
  struct stats_bon_weights w;
  stats_bon_weights_init(&w, c->N, grid, G);
  struct stats_pool pool;
  memset(&pool, 0, sizeof(pool));
  for(int p = 0; p < c->P; p++) {
    size_t off = (size_t)p * c->N;
    stats_pool_set(&pool, c->N, c->s + off, c->g + off, c->a + off);
    struct stats_bon_point o[16];
    if(c->mode == 1) {
      stats_bon_curve(&pool, &w, o);
      sink += o[G - 1].gold;
      continue;
    }
    for(int k = 0; k < G; k++) {
      if(c->mode == 2)
        sink += stats_vote(&pool, grid[k], 1, 1, 2, (uint64_t)grid[k]);
      else {
        stats_bon_at(&pool, grid[k], &o[0]);
        sink += o[0].gold;
      }
    }
  }
  stats_pool_free(&pool);
  stats_bon_weights_free(&w);
  (void)sink;
}

BENCH(stats_estimator)
{
  struct est_ctx c = {500, 1024, NULL, NULL, NULL, 0};
  /* one pool per problem, answers on: the vote path's input */
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
  bench_report("BoN curves, stats_bon_at per n (N = 1024, 11 n)", c.P, s,
               "curves");
  c.mode = 1;
  s = bench_time_median(3, est_once, &c);
  bench_report("BoN curves, weights shared per (N, n)", c.P, s, "curves");
  c.mode = 2;
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

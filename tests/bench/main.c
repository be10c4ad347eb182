/* The benchmark runner: `tests/bench [FILTER...]`. */
#include "tests/bench/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BENCH 256

static struct {
  const char *name;
  bench_fn fn;
} benches[MAX_BENCH];
static int nbench;

void bench_register(const char *name, bench_fn fn)
{
  if(nbench < MAX_BENCH) {
    benches[nbench].name = name;
    benches[nbench].fn = fn;
    nbench++;
  }
}

double bench_now(void)
{
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int dcmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double bench_time_median(int reps, void (*fn)(void *ctx), void *ctx)
{
  double t[64];
  if(reps > 64)
    reps = 64;
  if(reps < 1)
    reps = 1;
  for(int i = 0; i < reps; i++) {
    double t0 = bench_now();
    fn(ctx);
    t[i] = bench_now() - t0;
  }
  qsort(t, (size_t)reps, sizeof(double), dcmp);
  return t[reps / 2];
}

void bench_report(const char *what, double items, double seconds,
                  const char *unit)
{
  printf("  %-44s %12.0f %s in %8.4f s = %14.0f %s/s\n", what, items, unit,
         seconds, seconds > 0 ? items / seconds : 0.0, unit);
  fflush(stdout);
}

static int cmp(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int main(int argc, char **argv)
{
  qsort(benches, (size_t)nbench, sizeof(benches[0]), cmp);
  for(int i = 0; i < nbench; i++) {
    int want = argc < 2;
    for(int a = 1; a < argc; a++)
      if(strstr(benches[i].name, argv[a]))
        want = 1;
    if(!want)
      continue;
    printf("%s\n", benches[i].name);
    fflush(stdout);
    benches[i].fn();
  }
  return 0;
}

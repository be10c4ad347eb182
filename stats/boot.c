/* boot.c - paired bootstrap of means over problems (see boot.h). */
#include "stats/boot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/order.h"
#include "stats/runtime.h"
#include "util/rng.h"

struct job {
  const double *vals;
  int nstat, P;
  uint64_t seed;
  double *reps;
  double **cnt; /* [workers][P] scratch */
};

/* Replicate b: multiplicities from its own stream, then every mean. */
static void replicate(void *arg, size_t b, int w)
{
  struct job *j = arg;
  int P = j->P;
  double *cnt = j->cnt[w];
  struct rng r;
  rng_seed(&r, j->seed, (uint64_t)b, 0);
  memset(cnt, 0, (size_t)P * sizeof(double));
  for(int i = 0; i < P; i++)
    cnt[rng_below(&r, (uint64_t)P)] += 1;
  double *out = j->reps + b * (size_t)j->nstat;
  for(int k = 0; k < j->nstat; k++) {
    const double *v = j->vals + (size_t)k * P;
    double s = 0;
    for(int p = 0; p < P; p++)
      s += cnt[p] * v[p];
    out[k] = s / P;
  }
}

int stats_boot_means(const double *vals, int nstat, int P,
                     const struct stats_boot_opts *o, double *reps,
                     struct bon_err *err)
{
  if(P < 1 || nstat < 0 || o->B < 1)
    return bon_errf(err, "bootstrap: need at least one problem and one "
                    "replicate");
  int nw = stats_workers(o->threads, o->B);
  struct job j = {vals, nstat, P, o->seed, reps,
                  xmalloc((size_t)nw * sizeof(double *))};
  for(int w = 0; w < nw; w++)
    j.cnt[w] = xmalloc((size_t)P * sizeof(double));
  stats_parallel(o->B, o->threads, replicate, &j);
  for(int w = 0; w < nw; w++)
    free(j.cnt[w]);
  free(j.cnt);
  return 0;
}

void stats_boot_interval(const double *reps, size_t B, int nstat, int k,
                         double level, double *lo, double *hi)
{
  double *v = xmalloc((B > 0 ? B : 1) * sizeof(double));
  size_t n = 0;
  for(size_t b = 0; b < B; b++) {
    double x = reps[b * (size_t)nstat + (size_t)k];
    if(!isnan(x))
      v[n++] = x;
  }
  stats_sort_doubles(v, n);
  *lo = stats_quantile_sorted(v, n, (1 - level) / 2, NULL);
  *hi = stats_quantile_sorted(v, n, (1 + level) / 2, NULL);
  free(v);
}

/* boot.c - paired bootstrap of means over problems (see boot.h). */
#include "stats/boot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/order.h"
#include "stats/runtime.h"
#include "util/rng.h"

struct job {
  const double *vt;   /* [P][nstat]: the values transposed */
  int nstat, P;
  int finite;         /* every value is finite */
  uint64_t seed;
  double *reps;
  double **cnt;       /* [workers][P] scratch */
};

/* out[k] += c * v[k] for k < n: one term more in every statistic's sum */
static void add_scaled(double *restrict out, const double *restrict v,
                       double c, int n)
{
  for(int k = 0; k < n; k++)
    out[k] += c * v[k];
}

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
  /* every statistic's sum runs over the problems in order, as
   * sum_p cnt[p] v[k][p]; a problem not drawn adds 0 * v = +-0, which
   * changes no sum (a sum is never -0), so it is skipped when v is finite */
  double *out = j->reps + b * (size_t)j->nstat;
  memset(out, 0, (size_t)j->nstat * sizeof(double));
  for(int p = 0; p < P; p++)
    if(cnt[p] != 0 || !j->finite)
      add_scaled(out, j->vt + (size_t)p * j->nstat, cnt[p], j->nstat);
  for(int k = 0; k < j->nstat; k++)
    out[k] /= P;
}

int stats_boot_means(const double *vals, int nstat, int P,
                     const struct stats_boot_opts *o, double *reps,
                     struct bon_err *err)
{
  if(P < 1 || nstat < 0 || o->B < 1)
    return bon_errf(err, "bootstrap: need at least one problem and one "
                    "replicate");
  int nw = stats_workers(o->threads, o->B);
  double *vt = xmalloc((size_t)P * (size_t)(nstat ? nstat : 1) *
                       sizeof(double));
  int finite = 1;
  for(int k = 0; k < nstat; k++)
    for(int p = 0; p < P; p++) {
      double v = vals[(size_t)k * P + p];
      vt[(size_t)p * nstat + k] = v;
      finite &= isfinite(v) != 0;
    }
  struct job j = {vt, nstat, P, finite, o->seed, reps,
                  xmalloc((size_t)nw * sizeof(double *))};
  for(int w = 0; w < nw; w++)
    j.cnt[w] = xmalloc((size_t)P * sizeof(double));
  stats_parallel(o->B, o->threads, replicate, &j);
  for(int w = 0; w < nw; w++)
    free(j.cnt[w]);
  free(j.cnt);
  free(vt);
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
  double q[2] = {(1 - level) / 2, (1 + level) / 2}, r[2];
  stats_quantiles(v, n, q, 2, NULL, r);
  *lo = r[0];
  *hi = r[1];
  free(v);
}

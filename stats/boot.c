/* boot.c - paired bootstrap of means over problems (see boot.h). */
#include "stats/boot.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"
#include "util/rng.h"

int stats_ncores(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

struct job {
  const double *vals;
  int nstat, P, b0, b1;
  uint64_t seed;
  double *reps;
};

static void *worker(void *arg)
{
  struct job *j = arg;
  int P = j->P;
  double *cnt = xmalloc((size_t)P * sizeof(double));
  for(int b = j->b0; b < j->b1; b++) {
    struct rng r;
    rng_seed(&r, j->seed, (uint64_t)b, 0);
    memset(cnt, 0, (size_t)P * sizeof(double));
    for(int i = 0; i < P; i++)
      cnt[rng_below(&r, (uint64_t)P)] += 1;
    double *out = j->reps + (size_t)b * j->nstat;
    for(int k = 0; k < j->nstat; k++) {
      const double *v = j->vals + (size_t)k * P;
      double s = 0;
      for(int p = 0; p < P; p++)
        s += cnt[p] * v[p];
      out[k] = s / P;
    }
  }
  free(cnt);
  return NULL;
}

int stats_boot_means(const double *vals, int nstat, int P,
                     const struct stats_boot_opts *o, double *reps,
                     struct bon_err *err)
{
  if(P < 1 || nstat < 0 || o->B < 1)
    return bon_errf(err, "bootstrap: need at least one problem and one "
                    "replicate");
  int T = o->threads > 0 ? o->threads : stats_ncores();
  if(T > o->B)
    T = o->B;
  struct job *jobs = xcalloc((size_t)T, sizeof(*jobs));
  pthread_t *th = xcalloc((size_t)T, sizeof(*th));
  int rc = 0, started = 0;
  for(int t = 0; t < T; t++) {
    jobs[t] = (struct job){vals, nstat, P, (int)((long)o->B * t / T),
                           (int)((long)o->B * (t + 1) / T), o->seed, reps};
    if(t == 0)
      continue;
    if(pthread_create(&th[t], NULL, worker, &jobs[t]) != 0) {
      rc = bon_errf(err, "bootstrap: cannot start a thread");
      break;
    }
    started = t;
  }
  if(!rc)
    worker(&jobs[0]);
  for(int t = 1; t <= started; t++)
    pthread_join(th[t], NULL);
  free(jobs);
  free(th);
  return rc;
}

static int dcmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double stats_quantile(double *v, int n, double q)
{
  if(n < 1)
    return NAN;
  qsort(v, (size_t)n, sizeof(double), dcmp);
  double h = q * (n - 1);
  int i = (int)floor(h);
  if(i < 0)
    i = 0;
  if(i >= n - 1)
    return v[n - 1];
  /* no 0 * inf or inf - inf: an infinite neighbour is the answer */
  if(h == i || v[i] == v[i + 1] || isinf(v[i]))
    return v[i];
  if(isinf(v[i + 1]))
    return v[i + 1];
  return v[i] + (h - i) * (v[i + 1] - v[i]);
}

void stats_boot_interval(const double *reps, int B, int nstat, int k,
                         double level, double *lo, double *hi)
{
  double *v = xmalloc((size_t)(B > 0 ? B : 1) * sizeof(double));
  int n = 0;
  for(int b = 0; b < B; b++) {
    double x = reps[(size_t)b * nstat + k];
    if(!isnan(x))
      v[n++] = x;
  }
  *lo = stats_quantile(v, n, (1 - level) / 2);
  *hi = stats_quantile(v, n, (1 + level) / 2);
  free(v);
}

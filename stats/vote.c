/* vote.c - majority and score-weighted votes over answer classes of a
 * pool, expected over its n-subsets (see stats_vote in bon.h). */
#include "stats/bon.h"

#include <math.h>
#include <string.h>

#include "util/rng.h"

int stats_vote_draws(int n)
{
  int d = 2048 / (n > 0 ? n : 1);
  return d < 8 ? 8 : d;
}

/* Value of the vote on a subset given by sorted positions sub[0..n-1].
 * cnt (ints, zero on entry and on exit) and wsum (zero likewise) are
 * indexed by class. */
static double vote_value(struct stats_pool *p, const int *sub, int n,
                         int weighted, double shift, int *cnt, double *wsum)
{
  double best = -INFINITY, val = 0;
  int nbest = 0;
  for(int k = 0; k < n; k++) {
    int c = p->cls[sub[k]];
    cnt[c]++;
    wsum[c] += p->s[sub[k]] - shift;
  }
  for(int k = 0; k < n; k++) {
    int c = p->cls[sub[k]];
    if(cnt[c] < 0)
      continue; /* already counted */
    double v = weighted ? wsum[c] : (double)cnt[c];
    if(v > best) {
      best = v;
      val = p->cls_val[c];
      nbest = 1;
    }
    else if(v == best) {
      val += p->cls_val[c];
      nbest++;
    }
    cnt[c] = -1;
  }
  for(int k = 0; k < n; k++) {
    int c = p->cls[sub[k]];
    cnt[c] = 0;
    wsum[c] = 0;
  }
  return val / nbest;
}

static double ln_choose(int n, int k)
{
  return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0);
}

double stats_vote(struct stats_pool *p, int n, int weighted, uint64_t seed,
                  uint64_t a, uint64_t b)
{
  int N = p->N;
  if(n < 1 || n > N)
    return NAN;
  stats_pool_classes(p);
  double shift = p->s[0] < 0 ? p->s[0] : 0;
  int *cnt = p->tmp + 2 * N, *sub = p->tmp;
  double *wsum = p->tmpd;
  memset(cnt, 0, (size_t)p->ncls * sizeof(int));
  for(int c = 0; c < p->ncls; c++)
    wsum[c] = 0;
  if(n == 1) {
    double s = 0;
    for(int i = 0; i < N; i++)
      s += p->cls_val[p->cls[i]];
    return s / N;
  }
  if(n == N || ln_choose(N, n) <= log((double)STATS_VOTE_EXACT)) {
    /* enumerate all n-subsets in lexicographic order */
    for(int k = 0; k < n; k++)
      sub[k] = k;
    double s = 0;
    long count = 0;
    for(;;) {
      s += vote_value(p, sub, n, weighted, shift, cnt, wsum);
      count++;
      int k = n - 1;
      while(k >= 0 && sub[k] == N - n + k)
        k--;
      if(k < 0)
        break;
      sub[k]++;
      for(int j = k + 1; j < n; j++)
        sub[j] = sub[j - 1] + 1;
    }
    return s / count;
  }
  /* Monte Carlo: partial Fisher-Yates draws from a fixed stream */
  struct rng r;
  rng_seed(&r, seed, a, b);
  int *idx = p->tmp + N;
  for(int i = 0; i < N; i++)
    idx[i] = i;
  int draws = stats_vote_draws(n);
  double s = 0;
  for(int d = 0; d < draws; d++) {
    for(int k = 0; k < n; k++) {
      int j = k + (int)rng_below(&r, (uint64_t)(N - k));
      int t = idx[k];
      idx[k] = idx[j];
      idx[j] = t;
    }
    s += vote_value(p, idx, n, weighted, shift, cnt, wsum);
  }
  return s / draws;
}

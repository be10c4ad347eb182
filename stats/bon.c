/* bon.c - the unbiased best-of-n estimator, votes and KL (see bon.h). */
#include "stats/bon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/order.h"
#include "util/err.h"
#include "util/rng.h"

struct item {
  double s, g;
  int i;
};

static inline int item_lt(const struct item *a, const struct item *b)
{
  if(a->s != b->s)
    return a->s < b->s;
  if(a->g != b->g)
    return a->g < b->g;
  return a->i < b->i;
}

/* Introsort-free quicksort with insertion sort for short runs: faster
 * than qsort's indirect calls on the millions of small pools we sort. */
static void sort_items(struct item *v, int n)
{
  while(n > 16) {
    struct item *a = &v[0], *b = &v[n / 2], *c = &v[n - 1], t;
    /* median of three to v[0] */
    if(item_lt(b, a)) {
      t = *a; *a = *b; *b = t;
    }
    if(item_lt(c, b)) {
      t = *b; *b = *c; *c = t;
      if(item_lt(b, a)) {
        t = *a; *a = *b; *b = t;
      }
    }
    t = v[0]; v[0] = v[n / 2]; v[n / 2] = t;
    struct item piv = v[0];
    int i = 0, j = n;
    for(;;) {
      do
        i++;
      while(i < n && item_lt(&v[i], &piv));
      do
        j--;
      while(item_lt(&piv, &v[j]));
      if(i >= j)
        break;
      t = v[i]; v[i] = v[j]; v[j] = t;
    }
    v[0] = v[j];
    v[j] = piv;
    /* recurse on the smaller part */
    if(j < n - j - 1) {
      sort_items(v, j);
      v += j + 1;
      n -= j + 1;
    }
    else {
      sort_items(v + j + 1, n - j - 1);
      n = j;
    }
  }
  for(int i = 1; i < n; i++) {
    struct item x = v[i];
    int j = i - 1;
    while(j >= 0 && item_lt(&x, &v[j])) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}

int stats_pool_init(struct stats_pool *p, int N, const double *score,
                    const double *gold, const int32_t *answer)
{
  memset(p, 0, sizeof(*p));
  if(N < 1)
    return -1;
  p->N = N;
  struct item *it = xmalloc((size_t)N * sizeof(*it));
  for(int i = 0; i < N; i++) {
    it[i].s = score[i];
    it[i].g = gold[i];
    it[i].i = i;
  }
  sort_items(it, N);
  p->s = xmalloc((size_t)N * sizeof(double));
  p->g = xmalloc((size_t)N * sizeof(double));
  p->perm = xmalloc((size_t)N * sizeof(int));
  p->bstart = xmalloc((size_t)(N + 1) * sizeof(int));
  for(int i = 0; i < N; i++) {
    p->s[i] = it[i].s;
    p->g[i] = it[i].g;
    p->perm[i] = it[i].i;
    if(i == 0 || it[i].s != it[i - 1].s)
      p->bstart[p->nblk++] = i;
  }
  p->bstart[p->nblk] = N;
  free(it);
  p->gsort = xmalloc((size_t)N * sizeof(double));
  memcpy(p->gsort, gold, (size_t)N * sizeof(double));
  stats_sort_doubles(p->gsort, (size_t)N);
  /* answer classes: relabel densely in order of first sorted position */
  p->cls = xmalloc((size_t)N * sizeof(int));
  if(answer) {
    int32_t amax = -1;
    for(int i = 0; i < N; i++)
      if(answer[i] > amax)
        amax = answer[i];
    int *map = xmalloc((size_t)(amax + 1 > 0 ? amax + 1 : 1) * sizeof(int));
    for(int32_t a = 0; a <= amax; a++)
      map[a] = -1;
    for(int i = 0; i < N; i++) {
      int32_t a = answer[p->perm[i]];
      if(a < 0)
        p->cls[i] = p->ncls++;
      else {
        if(map[a] < 0)
          map[a] = p->ncls++;
        p->cls[i] = map[a];
      }
    }
    free(map);
  }
  else
    for(int i = 0; i < N; i++)
      p->cls[i] = p->ncls++;
  p->cls_cnt = xcalloc((size_t)p->ncls, sizeof(int));
  p->cls_val = xcalloc((size_t)p->ncls, sizeof(double));
  for(int i = 0; i < N; i++) {
    p->cls_cnt[p->cls[i]]++;
    p->cls_val[p->cls[i]] += p->g[i];
  }
  for(int c = 0; c < p->ncls; c++)
    p->cls_val[c] /= p->cls_cnt[c];
  p->F = xmalloc((size_t)(N + 1) * sizeof(double));
  p->q = xmalloc((size_t)p->ncls * sizeof(double));
  p->tmp = xmalloc((size_t)(2 * N + p->ncls) * sizeof(int));
  p->tmpd = xmalloc((size_t)p->ncls * sizeof(double));
  return 0;
}

void stats_pool_free(struct stats_pool *p)
{
  free(p->s);
  free(p->g);
  free(p->perm);
  free(p->bstart);
  free(p->gsort);
  free(p->cls);
  free(p->cls_cnt);
  free(p->cls_val);
  free(p->F);
  free(p->q);
  free(p->tmp);
  free(p->tmpd);
  free(p->lx);
  memset(p, 0, sizeof(*p));
}

/* F[b] = C(b, n) / C(N, n) for b = 0..N; returns the lowest b with
 * F[b] > 0 (below it F is 0 or negligible, < 1e-20). */
static int fill_F(double *F, int N, int n)
{
  F[N] = 1;
  int b = N;
  while(b > 0) {
    double next = F[b] * (double)(b - n) / (double)b;
    if(b - n <= 0 || next < 1e-20)
      break;
    F[b - 1] = next;
    b--;
  }
  for(int k = 0; k < b; k++)
    F[k] = 0;
  return b;
}

void stats_bon_at(struct stats_pool *p, int n, struct stats_bon_point *o)
{
  int N = p->N;
  if(n < 1 || n > N) {
    o->gold = o->proxy = o->gold_pess = o->gold_opt = NAN;
    o->tie_rate = o->oracle = o->kl_plugin = NAN;
    return;
  }
  double *F = p->F;
  int lo = fill_F(F, N, n);
  double gold = 0, proxy = 0, pess = 0, opt = 0, tie = 0, orc = 0;
  for(int k = p->nblk - 1; k >= 0; k--) {
    int a0 = p->bstart[k], b0 = p->bstart[k + 1], m = b0 - a0;
    if(b0 < lo)
      break;
    double W = F[b0] - F[a0];
    if(m == 1) {
      gold += W * p->g[a0];
      proxy += W * p->s[a0];
      pess += W * p->g[a0];
      opt += W * p->g[a0];
      continue;
    }
    double gs = 0;
    for(int i = a0; i < b0; i++) {
      double wi = F[i + 1] - F[i];
      gs += p->g[i];
      opt += wi * p->g[i];
      pess += wi * p->g[b0 - 1 - (i - a0)];
    }
    gold += W * gs / m;
    proxy += W * p->s[a0];
    /* P(exactly one block member in the subset, none above) = m w_a with
     * w_a = C(a-1, n-1) / C(N, n) = F_a n / a (a = a0 + 1, 1-based) */
    double wa = F[a0 + 1] * n / (double)(a0 + 1);
    double t = W - m * wa;
    tie += t > 0 ? t : 0;
  }
  for(int i = N - 1; i >= 0 && i >= lo - 1; i--)
    orc += (F[i + 1] - F[i]) * p->gsort[i];
  o->gold = gold;
  o->proxy = proxy;
  o->gold_pess = pess;
  o->gold_opt = opt;
  o->tie_rate = tie;
  o->oracle = orc;
  /* plug-in KL on atoms, BoN with replacement from the pool:
   * G_b = (b / N)^n, a tie block shares G_b - G_(a-1) evenly. */
  double *q = p->q;
  for(int c = 0; c < p->ncls; c++)
    q[c] = 0;
  if(!p->lx) {
    p->lx = xmalloc((size_t)(N + 1) * sizeof(double));
    for(int b = 1; b <= N; b++)
      p->lx[b] = log((double)b / N);
  }
  double Gb = 1;
  for(int k = p->nblk - 1; k >= 0; k--) {
    int a0 = p->bstart[k], b0 = p->bstart[k + 1], m = b0 - a0;
    /* below G = e^-46 (1e-20) the remaining atoms carry nothing */
    double e = a0 ? (double)n * p->lx[a0] : -INFINITY;
    double Ga = e > -46 ? exp(e) : 0;
    double share = (Gb - Ga) / m;
    for(int i = a0; i < b0; i++)
      q[p->cls[i]] += share;
    Gb = Ga;
    if(Ga == 0)
      break;
  }
  double kl = 0;
  for(int c = 0; c < p->ncls; c++)
    if(q[c] > 0)
      kl += q[c] * log(q[c] * N / p->cls_cnt[c]);
  o->kl_plugin = kl > 0 ? kl : 0;
}

/* ---- votes ---- */

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

double stats_kl_bon(double n)
{
  return log(n) - (n - 1) / n;
}

double stats_kl_bon_inverse(double kl)
{
  if(!(kl >= 0))
    return NAN;
  if(kl == 0)
    return 1;
  if(isinf(kl))
    return INFINITY;
  /* kl_bon is increasing for n >= 1; bracket on log n and bisect */
  double lo = 0, hi = 1;
  while(stats_kl_bon(exp(hi)) < kl && hi < 700)
    hi *= 2;
  if(hi >= 700)
    return INFINITY;
  for(int it = 0; it < 200; it++) {
    double mid = 0.5 * (lo + hi);
    if(stats_kl_bon(exp(mid)) < kl)
      lo = mid;
    else
      hi = mid;
  }
  return exp(0.5 * (lo + hi));
}

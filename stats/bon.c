/* bon.c - the unbiased best-of-n estimator and KL (see bon.h; votes are
 * vote.c's). */
#include "stats/bon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/order.h"
#include "util/err.h"

/* ---- sorting a pool: by score, then gold, then input position ----
 *
 * A bucket sort (or a radix sort of the scores' order-preserving keys,
 * stats/order.h), stable from the input order: equal scores come out in
 * input order.  Runs of equal
 * scores (rare) are then ordered by gold, then position, by insertion.
 * The result is the one order (score, gold, position), whatever the sort,
 * so it is the order every version of the estimator used. */

/* Usually faster than the radix sort: the scores go to N buckets by a
 * monotone map of their range (equal scores share a bucket), then the
 * array is finished by insertion, which moves each score within its
 * bucket only; both steps are stable.  Into p->s and p->perm.  0 when
 * the scores are too clustered for it (a bucket of more than 32): the
 * caller sorts by radix instead.  The order is the same either way. */
static int bucket_sort(struct stats_pool *p, const double *score)
{
  int n = p->N;
  uint32_t *cnt = p->cnt, *bk = p->idx;
  double mn = score[0], mx = score[0];
  for(int i = 1; i < n; i++) {
    mn = score[i] < mn ? score[i] : mn;
    mx = score[i] > mx ? score[i] : mx;
  }
  double scale = (double)(n - 1) / (mx - mn);
  if(!(mx > mn) || !(scale > 0) || !isfinite(scale))
    return 0;
  memset(cnt, 0, ((size_t)n + 1) * sizeof(*cnt));
  for(int i = 0; i < n; i++) {
    uint32_t b = (uint32_t)((score[i] - mn) * scale);
    b = b < (uint32_t)n ? b : (uint32_t)n - 1;
    bk[i] = b;
    cnt[b + 1]++;
  }
  for(int b = 0; b < n; b++) {
    if(cnt[b + 1] > 32)
      return 0;
    cnt[b + 1] += cnt[b];
  }
  for(int i = 0; i < n; i++) {
    uint32_t o = cnt[bk[i]]++;
    p->s[o] = score[i];
    p->perm[o] = i;
  }
  for(int i = 1; i < n; i++) {
    double x = p->s[i];
    int y = p->perm[i], j = i;
    for(; j > 0 && p->s[j - 1] > x; j--) {
      p->s[j] = p->s[j - 1];
      p->perm[j] = p->perm[j - 1];
    }
    p->s[j] = x;
    p->perm[j] = y;
  }
  return 1;
}

/* Order the equal-score run [a, b) of the pool by gold, then position
 * (the scores move along: -0 and +0 are equal but not the same bits). */
static void sort_run(struct stats_pool *p, int a, int b)
{
  for(int i = a + 1; i < b; i++) {
    double g = p->g[i], s = p->s[i];
    int k = p->perm[i], j = i - 1;
    while(j >= a && (p->g[j] > g || (p->g[j] == g && p->perm[j] > k))) {
      p->g[j + 1] = p->g[j];
      p->s[j + 1] = p->s[j];
      p->perm[j + 1] = p->perm[j];
      j--;
    }
    p->g[j + 1] = g;
    p->s[j + 1] = s;
    p->perm[j + 1] = k;
  }
}

/* s, g, perm in sorted order, and the tie blocks. */
static void sort_pool(struct stats_pool *p, const double *score,
                      const double *gold)
{
  int N = p->N;
  if(!bucket_sort(p, score)) {
    uint64_t *key = p->key;
    uint32_t *idx = p->idx;
    for(int i = 0; i < N; i++) {
      key[i] = stats_dkey(score[i]);
      idx[i] = (uint32_t)i;
    }
    stats_radix_sort(key, idx, (size_t)N, key + p->cap, idx + p->cap);
    for(int i = 0; i < N; i++) {
      p->perm[i] = (int)idx[i];
      p->s[i] = score[idx[i]];
    }
  }
  p->nblk = 0;
  for(int i = 0; i < N; i++) {
    p->g[i] = gold[p->perm[i]];
    if(i == 0 || p->s[i] != p->s[i - 1]) { /* -0 == +0: one block */
      if(p->nblk && i - p->bstart[p->nblk - 1] > 1)
        sort_run(p, p->bstart[p->nblk - 1], i);
      p->bstart[p->nblk++] = i;
    }
  }
  if(N - p->bstart[p->nblk - 1] > 1)
    sort_run(p, p->bstart[p->nblk - 1], N);
  p->bstart[p->nblk] = N;
}

/* gold ascending, for the oracle; with binary gold only the number of
 * ones counts (gsort then is 0 ... 0 1 ... 1 and is not filled) */
static void sort_gold(struct stats_pool *p, const double *gold)
{
  int N = p->N, ones = 0;
  p->binary = 1;
  for(int i = 0; i < N && p->binary; i++) {
    p->binary = gold[i] == 0 || gold[i] == 1;
    ones += gold[i] == 1;
  }
  p->ones = ones;
  if(p->binary)
    return;
  memcpy(p->gsort, gold, (size_t)N * sizeof(double));
  stats_sort_doubles(p->gsort, (size_t)N);
}

/* E[max gold of the subset] from the weights F (lo as fill_F): the sum of
 * W_i gsort_i from the top rank down.  With binary gold the terms below
 * the ones are W_i * 0 and add nothing, so the sum stops there. */
static double oracle(const struct stats_pool *p, const double *F, int lo)
{
  double orc = 0;
  int N = p->N;
  if(p->binary)
    for(int i = N - 1; i >= lo - 1 && i >= N - p->ones; i--)
      orc += F[i + 1] - F[i];
  else
    for(int i = N - 1; i >= 0 && i >= lo - 1; i--)
      orc += (F[i + 1] - F[i]) * p->gsort[i];
  return orc;
}

/* answer classes: relabel densely in order of first sorted position;
 * without answers every candidate is its own class (filled lazily, by
 * stats_pool_classes, for the few uses that need the arrays) */
static void set_classes(struct stats_pool *p, const int32_t *answer)
{
  int N = p->N;
  p->ncls = 0;
  p->cls_ready = answer != NULL;
  if(!answer) {
    p->ncls = N;
    return;
  }
  else {
    int32_t amax = -1;
    for(int i = 0; i < N; i++)
      amax = answer[i] > amax ? answer[i] : amax;
    if(amax + 1 > p->map_cap) {
      p->map_cap = amax + 1;
      p->map = xrealloc(p->map, (size_t)p->map_cap * sizeof(int));
    }
    for(int32_t a = 0; a <= amax; a++)
      p->map[a] = -1;
    for(int i = 0; i < N; i++) {
      int32_t a = answer[p->perm[i]];
      if(a < 0)
        p->cls[i] = p->ncls++;
      else {
        if(p->map[a] < 0)
          p->map[a] = p->ncls++;
        p->cls[i] = p->map[a];
      }
    }
  }
  memset(p->cls_cnt, 0, (size_t)p->ncls * sizeof(int));
  memset(p->cls_val, 0, (size_t)p->ncls * sizeof(double));
  for(int i = 0; i < N; i++) {
    p->cls_cnt[p->cls[i]]++;
    p->cls_val[p->cls[i]] += p->g[i];
  }
  for(int c = 0; c < p->ncls; c++)
    p->cls_val[c] /= p->cls_cnt[c];
}

void stats_pool_classes(struct stats_pool *p)
{
  if(p->cls_ready)
    return;
  for(int i = 0; i < p->N; i++) {
    p->cls[i] = i;
    p->cls_cnt[i] = 1;
    p->cls_val[i] = p->g[i] / 1;
  }
  p->cls_ready = 1;
}

/* Room for pools of N candidates. */
static void reserve(struct stats_pool *p, int N)
{
  if(N <= p->cap)
    return;
  size_t n = (size_t)N;
  p->cap = N;
  p->s = xrealloc(p->s, n * sizeof(double));
  p->g = xrealloc(p->g, n * sizeof(double));
  p->perm = xrealloc(p->perm, n * sizeof(int));
  p->bstart = xrealloc(p->bstart, (n + 1) * sizeof(int));
  p->gsort = xrealloc(p->gsort, n * sizeof(double));
  p->cls = xrealloc(p->cls, n * sizeof(int));
  p->cls_cnt = xrealloc(p->cls_cnt, n * sizeof(int));
  p->cls_val = xrealloc(p->cls_val, n * sizeof(double));
  p->F = xrealloc(p->F, (n + 1) * sizeof(double));
  p->q = xrealloc(p->q, n * sizeof(double));
  p->tmp = xrealloc(p->tmp, 3 * n * sizeof(int));
  p->tmpd = xrealloc(p->tmpd, n * sizeof(double));
  p->key = xrealloc(p->key, 2 * n * sizeof(uint64_t));
  p->idx = xrealloc(p->idx, 2 * n * sizeof(uint32_t));
  p->cnt = xrealloc(p->cnt, (n + 1) * sizeof(uint32_t));
}

int stats_pool_set(struct stats_pool *p, int N, const double *score,
                   const double *gold, const int32_t *answer)
{
  if(N < 1)
    return -1;
  reserve(p, N);
  p->N = N;
  sort_pool(p, score, gold);
  sort_gold(p, gold);
  set_classes(p, answer);
  return 0;
}

int stats_pool_init(struct stats_pool *p, int N, const double *score,
                    const double *gold, const int32_t *answer)
{
  memset(p, 0, sizeof(*p));
  return stats_pool_set(p, N, score, gold, answer);
}

void stats_pool_free(struct stats_pool *p)
{
  void *owned[] = {p->s, p->g, p->perm, p->bstart, p->gsort, p->cls,
                   p->cls_cnt, p->cls_val, p->F, p->q, p->tmp, p->tmpd,
                   p->lx, p->key, p->idx, p->map, p->cnt};
  for(size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
    free(owned[i]);
  memset(p, 0, sizeof(*p));
}

/* ---- the estimator ---- */

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

/* log(b / N) for b = 1..N into lx. */
static void fill_lx(double *lx, int N)
{
  lx[0] = -INFINITY;
  for(int b = 1; b <= N; b++)
    lx[b] = log((double)b / N);
}

/* Without ties: every block one candidate, so the pessimistic and
 * optimistic golds are the gold (the same sums in the same order) and no
 * subset has a tie at the top. */
static void est_distinct(const struct stats_pool *p, const double *F,
                         int lo, struct stats_bon_point *o)
{
  double gold = 0, proxy = 0;
  int N = p->N;
  for(int i = N - 1; i >= lo - 1; i--) {
    double W = F[i + 1] - F[i];
    gold += W * p->g[i];
    proxy += W * p->s[i];
  }
  o->gold = o->gold_pess = o->gold_opt = gold;
  o->proxy = proxy;
  o->tie_rate = 0;
}

/* Everything but the plug-in KL, from the weights F (lo as fill_F). */
static void est_core(const struct stats_pool *p, const double *F, int lo,
                     int n, struct stats_bon_point *o)
{
  if(p->nblk == p->N) {
    est_distinct(p, F, lo, o);
    return;
  }
  double gold = 0, proxy = 0, pess = 0, opt = 0, tie = 0;
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
  o->gold = gold;
  o->proxy = proxy;
  o->gold_pess = pess;
  o->gold_opt = opt;
  o->tie_rate = tie;
}

/* Plug-in KL on atoms, BoN with replacement from the pool: G_b = (b/N)^n,
 * a tie block shares G_b - G_(a-1) evenly.  lx: log(b / N). */
static double kl_plugin(struct stats_pool *p, int n, const double *lx)
{
  double *q = p->q;
  stats_pool_classes(p);
  for(int c = 0; c < p->ncls; c++)
    q[c] = 0;
  double Gb = 1;
  for(int k = p->nblk - 1; k >= 0; k--) {
    int a0 = p->bstart[k], b0 = p->bstart[k + 1], m = b0 - a0;
    /* below G = e^-46 (1e-20) the remaining atoms carry nothing */
    double e = a0 ? (double)n * lx[a0] : -INFINITY;
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
      kl += q[c] * log(q[c] * p->N / p->cls_cnt[c]);
  return kl > 0 ? kl : 0;
}

static void set_nan(struct stats_bon_point *o)
{
  o->gold = o->proxy = o->gold_pess = o->gold_opt = NAN;
  o->tie_rate = o->oracle = o->kl_plugin = NAN;
}

void stats_bon_at(struct stats_pool *p, int n, struct stats_bon_point *o)
{
  int N = p->N;
  if(n < 1 || n > N) {
    set_nan(o);
    return;
  }
  int lo = fill_F(p->F, N, n);
  est_core(p, p->F, lo, n, o);
  o->oracle = oracle(p, p->F, lo);
  if(!p->lx || p->lx_n != N) {
    p->lx = xrealloc(p->lx, ((size_t)N + 1) * sizeof(double));
    fill_lx(p->lx, N);
    p->lx_n = N;
  }
  o->kl_plugin = kl_plugin(p, n, p->lx);
}

/* 1 when every candidate is its own atom and no two scores tie: the
 * plug-in KL is then the same for every pool of N candidates. */
static int distinct_atoms(const struct stats_pool *p)
{
  return p->nblk == p->N && p->ncls == p->N;
}

/* The plug-in KL of a pool whose candidates are their own atoms, with tie
 * blocks: the terms of single ranks are shared (kl_term), a block's
 * computed; the same sum, in the same order, as kl_plugin's. */
static double kl_own_atoms(const struct stats_pool *p,
                           const struct stats_bon_weights *w, int g)
{
  int N = p->N;
  const double *G = w->Gt + (size_t)g * (N + 1);
  const double *t = w->kl_term + (size_t)g * N;
  double kl = 0;
  for(int k = 0; k < p->nblk; k++) {
    int a0 = p->bstart[k], b0 = p->bstart[k + 1], m = b0 - a0;
    if(m == 1) {
      kl += t[a0];
      continue;
    }
    double share = (G[b0] - G[a0]) / m;
    if(!(share > 0))
      continue;
    double term = share * log(share * N / 1);
    for(int i = a0; i < b0; i++)
      kl += term;
  }
  return kl > 0 ? kl : 0;
}

void stats_bon_curve(struct stats_pool *p, const struct stats_bon_weights *w,
                     struct stats_bon_point *out)
{
  int distinct = distinct_atoms(p), own = p->ncls == p->N, N = p->N;
  for(int g = 0; g < w->G; g++) {
    int n = w->n[g];
    if(n < 1 || n > p->N) {
      set_nan(&out[g]);
      continue;
    }
    const double *F = w->F + (size_t)g * (w->N + 1);
    est_core(p, F, w->lo[g], n, &out[g]);
    /* binary gold: the same sum for every pool with as many ones */
    out[g].oracle = p->binary ? w->orc[(size_t)g * (w->N + 1) +
                                       (size_t)(p->ones < N - w->lo[g] + 1
                                                  ? p->ones
                                                  : N - w->lo[g] + 1)]
                              : oracle(p, F, w->lo[g]);
    out[g].kl_plugin = distinct ? w->kl_distinct[g]
                       : own ? kl_own_atoms(p, w, g)
                             : kl_plugin(p, n, w->lx);
  }
}

/* orc[k]: the binary-gold oracle of a pool with k ones, summed as
 * oracle() sums it (top rank first, none below lo - 1). */
static void fill_oracle(struct stats_bon_weights *w, int g)
{
  int N = w->N, lo = w->lo[g];
  const double *F = w->F + (size_t)g * (N + 1);
  double *orc = w->orc + (size_t)g * (N + 1);
  orc[0] = 0;
  for(int k = 1; k <= N; k++) {
    int i = N - k;
    orc[k] = i >= lo - 1 ? orc[k - 1] + (F[i + 1] - F[i]) : orc[k - 1];
  }
}

/* G_b and the KL term of a single rank, exactly as kl_plugin computes
 * them (G_N = 1; G_b = e^(n log(b/N)) above e^-46, else 0). */
static void fill_kl_terms(struct stats_bon_weights *w, int g)
{
  int N = w->N, n = w->n[g];
  double *G = w->Gt + (size_t)g * (N + 1), *t = w->kl_term + (size_t)g * N;
  G[N] = 1;
  for(int b = 0; b < N; b++) {
    double e = b ? (double)n * w->lx[b] : -INFINITY;
    G[b] = e > -46 ? exp(e) : 0;
  }
  for(int i = 0; i < N; i++) {
    double q = (G[i + 1] - G[i]) / 1;
    t[i] = q > 0 ? q * log(q * N / 1) : 0;
  }
}

void stats_bon_weights_init(struct stats_bon_weights *w, int N,
                            const int *grid, int G)
{
  memset(w, 0, sizeof(*w));
  w->N = N;
  w->G = G;
  w->n = xmalloc((size_t)(G ? G : 1) * sizeof(int));
  w->F = xcalloc((size_t)(G ? G : 1) * ((size_t)N + 1), sizeof(double));
  w->lo = xcalloc((size_t)(G ? G : 1), sizeof(int));
  w->lx = xmalloc(((size_t)N + 1) * sizeof(double));
  w->kl_distinct = xmalloc((size_t)(G ? G : 1) * sizeof(double));
  w->Gt = xcalloc((size_t)(G ? G : 1) * ((size_t)N + 1), sizeof(double));
  w->orc = xcalloc((size_t)(G ? G : 1) * ((size_t)N + 1), sizeof(double));
  w->kl_term = xcalloc((size_t)(G ? G : 1) * (size_t)N, sizeof(double));
  fill_lx(w->lx, N);
  /* a pool of N distinct atoms: the same arithmetic as any such pool */
  struct stats_pool id;
  memset(&id, 0, sizeof(id));
  reserve(&id, N);
  id.N = id.nblk = id.ncls = N;
  id.cls_ready = 1;
  for(int i = 0; i < N; i++) {
    id.bstart[i] = id.cls[i] = i;
    id.cls_cnt[i] = 1;
  }
  id.bstart[N] = N;
  for(int g = 0; g < G; g++) {
    w->n[g] = grid[g];
    if(grid[g] < 1 || grid[g] > N)
      continue;
    w->lo[g] = fill_F(w->F + (size_t)g * ((size_t)N + 1), N, grid[g]);
    w->kl_distinct[g] = kl_plugin(&id, grid[g], w->lx);
    fill_kl_terms(w, g);
    fill_oracle(w, g);
  }
  stats_pool_free(&id);
}

void stats_bon_weights_free(struct stats_bon_weights *w)
{
  free(w->n);
  free(w->F);
  free(w->lo);
  free(w->lx);
  free(w->kl_distinct);
  free(w->Gt);
  free(w->kl_term);
  free(w->orc);
  memset(w, 0, sizeof(*w));
}

/* ---- KL of best-of-n ---- */

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

/* metrics.c - reward-model benchmark metrics; see metrics.h. */
#include "stats/metrics.h"

#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/order.h"
#include "stats/runtime.h"
#include "util/cores.h"
#include "util/rng.h"

double stats_random_mrr(size_t m)
{
  if(!m)
    return NAN;
  double h = 0;
  for(size_t r = m; r >= 1; r--) /* small terms first */
    h += 1.0 / (double)r;
  return h / (double)m;
}

/* Mean of 1/r over r = a .. b (a >= 1). */
static double mean_recip(size_t a, size_t b)
{
  double s = 0;
  for(size_t r = b; r >= a; r--)
    s += 1.0 / (double)r;
  return s / (double)(b - a + 1);
}

/* E[1/(1+X)] for X ~ Binomial(n, 1/2). */
static double binom_half_recip(size_t n)
{
  if(n == 0)
    return 1;
  return 2.0 * (1.0 - ldexp(1.0, -(int)(n < 2000 ? n + 1 : 2000))) /
         (double)(n + 1);
}

/* E[1/(1+L+X)] for X ~ Binomial(t, 1/2). */
static double shifted_binom_recip(size_t L, size_t t)
{
  if(L == 0)
    return binom_half_recip(t);
  double s = 0;
  for(size_t j = 0; j <= t; j++) {
    double lp = gsl_sf_lnchoose((unsigned)t, (unsigned)j) - t * M_LN2;
    s += exp(lp) / (double)(1 + L + j);
  }
  return s;
}

static void base_fill(struct stats_problem_metric *out, size_t k)
{
  out->k = (int)k;
  out->base_acc = 1.0 / (double)(k + 1);
  out->base_mrr = stats_random_mrr(k + 1);
}

static void drop(struct stats_problem_metric *out)
{
  out->dropped = 1;
  out->acc = out->acc_ties = out->acc_random = NAN;
  out->mrr = out->mrr_random = NAN;
  out->tie_top = 0;
}

void stats_problem_scores(double correct, const double *incorrect, size_t k,
                          enum stats_missing missing,
                          struct stats_problem_metric *out)
{
  size_t g = 0, t = 0;
  int nmiss = isnan(correct);
  for(size_t i = 0; i < k; i++) {
    double s = incorrect[i];
    if(isnan(s)) {
      nmiss++;
      if(isnan(correct))
        t++;
    }
    else if(isnan(correct) || s > correct)
      g++;
    else if(s == correct)
      t++;
  }
  base_fill(out, k);
  out->missing = nmiss;
  out->dropped = 0;
  if(nmiss && missing == STATS_MISSING_DROP) {
    drop(out);
    return;
  }
  out->acc = g == 0 && t == 0;
  out->acc_ties = g == 0;
  out->acc_random = g == 0 ? 1.0 / (double)(t + 1) : 0.0;
  out->mrr = 1.0 / (double)(1 + g + t);
  out->mrr_random = mean_recip(g + 1, g + t + 1);
  out->tie_top = g == 0 && t > 0;
}

void stats_problem_pairwise(const double *outcomes, size_t k,
                            enum stats_missing missing,
                            struct stats_problem_metric *out)
{
  size_t L = 0, t = 0;
  int nmiss = 0;
  for(size_t i = 0; i < k; i++) {
    double o = outcomes[i];
    if(isnan(o)) {
      nmiss++;
      L++;
    }
    else if(o < 0.5)
      L++;
    else if(o == 0.5)
      t++;
  }
  out->k = (int)k;
  /* A judge flipping a fair coin for every comparison. */
  out->base_acc = ldexp(1.0, -(int)(k < 2000 ? k : 2000));
  out->base_mrr = binom_half_recip(k);
  out->missing = nmiss;
  out->dropped = 0;
  if(nmiss && missing == STATS_MISSING_DROP) {
    drop(out);
    return;
  }
  out->acc = L == 0 && t == 0;
  out->acc_ties = L == 0;
  out->acc_random = L == 0 ? ldexp(1.0, -(int)(t < 2000 ? t : 2000)) : 0.0;
  out->mrr = 1.0 / (double)(1 + L + t);
  out->mrr_random = shifted_binom_recip(L, t);
  out->tie_top = L == 0 && t > 0;
}

/* The percentile intervals of accuracy and mrr from the na and nm
 * replicate means in ba and bm (sorted in place). */
static void set_intervals(struct stats_bench_metrics *out, double *ba,
                          size_t na, double *bm, size_t nm, double level)
{
  double alpha = (1 - level) / 2, q[2] = {alpha, 1 - alpha}, r[2];
  stats_quantiles(ba, na, q, 2, NULL, r);
  out->accuracy_lo = r[0];
  out->accuracy_hi = r[1];
  stats_quantiles(bm, nm, q, 2, NULL, r);
  out->mrr_lo = r[0];
  out->mrr_hi = r[1];
}

void stats_bench_aggregate(const struct stats_problem_metric *pm, size_t np,
                           size_t B, uint64_t seed, double level,
                           struct stats_bench_metrics *out)
{
  double sa = 0, sat = 0, sar = 0, sm = 0, smr = 0, sba = 0, sbm = 0;
  double sk = 0, stie = 0;
  size_t cnt = 0, dropped = 0, missing = 0;
  for(size_t i = 0; i < np; i++) {
    missing += (size_t)pm[i].missing;
    if(pm[i].dropped) {
      dropped++;
      continue;
    }
    cnt++;
    sa += pm[i].acc;
    sat += pm[i].acc_ties;
    sar += pm[i].acc_random;
    sm += pm[i].mrr;
    smr += pm[i].mrr_random;
    sba += pm[i].base_acc;
    sbm += pm[i].base_mrr;
    sk += pm[i].k;
    stie += pm[i].tie_top;
  }
  out->problems = cnt;
  out->dropped = dropped;
  out->missing = missing;
  double c = cnt ? (double)cnt : NAN;
  out->k = sk / c;
  out->accuracy = sa / c;
  out->accuracy_ties = sat / c;
  out->accuracy_random = sar / c;
  out->mrr = sm / c;
  out->mrr_random = smr / c;
  out->baseline_accuracy = sba / c;
  out->baseline_mrr = sbm / c;
  out->tie_rate = stie / c;
  out->accuracy_lo = out->accuracy_hi = NAN;
  out->mrr_lo = out->mrr_hi = NAN;
  if(!B || !cnt)
    return;
  double *ba = xmalloc(B * sizeof *ba), *bm = xmalloc(B * sizeof *bm);
  size_t nb = 0;
  for(size_t b = 0; b < B; b++) {
    struct rng r;
    rng_seed(&r, seed, STATS_BENCH_STREAM, b);
    double a = 0, m = 0;
    size_t n = 0;
    for(size_t i = 0; i < np; i++) {
      size_t j = (size_t)rng_below(&r, np);
      if(pm[j].dropped)
        continue;
      a += pm[j].acc;
      m += pm[j].mrr;
      n++;
    }
    if(!n)
      continue;
    ba[nb] = a / (double)n;
    bm[nb] = m / (double)n;
    nb++;
  }
  set_intervals(out, ba, nb, bm, nb, level);
  free(ba);
  free(bm);
}

/* ---- many RMs at once ----
 *
 * Every metric here is a function of the pessimistic rank q of the
 * correct candidate: mrr = 1/q and accuracy = (q == 1).  So the fast path
 * stores one 16-bit rank per (problem, RM), 0 for a dropped problem: 2
 * bytes instead of 17, which keeps the randomly accessed table in cache.
 * The sums are taken in the same order with the same terms as
 * stats_bench_aggregate, so the results are identical.  When a metric is
 * not of that form (never, for the metrics above) the general path reads
 * doubles. */
struct multi {
  const uint16_t *rank;      /* [np][nrm] fast path, or NULL */
  const double *val;         /* [np][nrm][2]: acc, mrr (0 when dropped) */
  const unsigned char *use;  /* [np][nrm] or NULL when nothing dropped */
  const double *inv;         /* inv[q] = 1/q, inv[0] = 0 */
  size_t nrm, np, B;
  uint64_t seed;
  double *ba, *bm;           /* [nrm][B], NaN when no problem counted */
  double **sum;              /* [workers][2 nrm] scratch */
  size_t **cnt;              /* [workers][2 nrm] scratch */
};

/* Add drawn problem k to the sums of every RM. */
static void multi_add(const struct multi *j, size_t k, double *sum,
                      size_t *cnt)
{
  size_t nrm = j->nrm;
  if(j->rank) {
    const uint16_t *q = j->rank + k * nrm;
    for(size_t r = 0; r < nrm; r++) {
      sum[r] += j->inv[q[r]];
      cnt[r] += q[r] != 0;
      cnt[nrm + r] += q[r] == 1;
    }
    return;
  }
  const double *v = j->val + k * 2 * nrm;
  for(size_t r = 0; r < nrm; r++) {
    sum[nrm + r] += v[2 * r];
    sum[r] += v[2 * r + 1];
    cnt[r] += j->use ? j->use[k * nrm + r] : 1;
  }
}

/* Replicate b of every RM. */
static void multi_replicate(void *arg, size_t b, int w)
{
  struct multi *j = arg;
  size_t nrm = j->nrm;
  double *sum = j->sum[w];
  size_t *cnt = j->cnt[w]; /* [r]: used, [nrm + r]: wins */
  struct rng g;
  rng_seed(&g, j->seed, STATS_BENCH_STREAM, b);
  memset(sum, 0, 2 * nrm * sizeof *sum);
  memset(cnt, 0, 2 * nrm * sizeof *cnt);
  for(size_t i = 0; i < j->np; i++)
    multi_add(j, (size_t)rng_below(&g, j->np), sum, cnt);
  for(size_t r = 0; r < nrm; r++) {
    double n = (double)cnt[r];
    double acc = j->rank ? (double)cnt[nrm + r] : sum[nrm + r];
    j->ba[r * j->B + b] = n > 0 ? acc / n : NAN;
    j->bm[r * j->B + b] = n > 0 ? sum[r] / n : NAN;
  }
}

/* The fast path's ranks (problem-major) and use flags; returns 1 when
 * every counted metric is of the rank form, *maxq the largest rank. */
static int pack_ranks(const struct stats_problem_metric *const *pm,
                      size_t nrm, size_t np, uint16_t *rank,
                      unsigned char *use, size_t *maxq, int *any_drop)
{
  int fast = 1;
  for(size_t i = 0; i < np && fast; i++)
    for(size_t r = 0; r < nrm; r++) {
      const struct stats_problem_metric *m = &pm[r][i];
      uint16_t q = 0;
      if(!m->dropped) {
        double qd = 1 / m->mrr;
        fast = qd >= 1 && qd < 65535 && qd == floor(qd) &&
               1.0 / qd == m->mrr && m->acc == (qd == 1);
        q = fast ? (uint16_t)qd : 0;
        *maxq = q > *maxq ? q : *maxq;
      }
      rank[i * nrm + r] = q;
      use[i * nrm + r] = !m->dropped;
      *any_drop |= m->dropped;
    }
  return fast;
}

/* The general path's values (problem-major). */
static double *pack_values(const struct stats_problem_metric *const *pm,
                           size_t nrm, size_t np, unsigned char *use,
                           int *any_drop)
{
  double *val = xmalloc(np * nrm * 2 * sizeof *val);
  for(size_t i = 0; i < np; i++)
    for(size_t r = 0; r < nrm; r++) {
      int u = !pm[r][i].dropped;
      use[i * nrm + r] = (unsigned char)u;
      val[(i * nrm + r) * 2] = u ? pm[r][i].acc : 0;
      val[(i * nrm + r) * 2 + 1] = u ? pm[r][i].mrr : 0;
      *any_drop |= !u;
    }
  return val;
}

/* Drop the NaN entries of v[0..n) in place; returns how many are left. */
static size_t compact(double *v, size_t n)
{
  size_t m = 0;
  for(size_t i = 0; i < n; i++)
    if(!isnan(v[i]))
      v[m++] = v[i];
  return m;
}

/* Run the replicates on the threads the work is worth. */
static void multi_run(struct multi *j, int threads)
{
  if((double)j->np * (double)j->nrm * (double)j->B < 4e6)
    threads = 1; /* a thread costs more than it saves */
  else if(threads > 64 || (threads <= 0 && cores_online() > 64))
    threads = 64;
  int nw = stats_workers(threads, j->B);
  j->sum = xmalloc((size_t)nw * sizeof(*j->sum));
  j->cnt = xmalloc((size_t)nw * sizeof(*j->cnt));
  for(int w = 0; w < nw; w++) {
    j->sum[w] = xmalloc(2 * j->nrm * sizeof(double));
    j->cnt[w] = xmalloc(2 * j->nrm * sizeof(size_t));
  }
  stats_parallel(j->B, threads, multi_replicate, j);
  for(int w = 0; w < nw; w++) {
    free(j->sum[w]);
    free(j->cnt[w]);
  }
  free(j->sum);
  free(j->cnt);
}

void stats_bench_aggregate_multi(const struct stats_problem_metric *const *pm,
                                 size_t nrm, size_t np, size_t B,
                                 uint64_t seed, double level, int threads,
                                 struct stats_bench_metrics *out)
{
  for(size_t r = 0; r < nrm; r++)
    stats_bench_aggregate(pm[r], np, 0, seed, level, out + r);
  if(!B || !np || !nrm)
    return;
  uint16_t *rank = xmalloc(np * nrm * sizeof *rank);
  unsigned char *use = xmalloc(np * nrm);
  size_t maxq = 1;
  int any_drop = 0;
  int fast = pack_ranks(pm, nrm, np, rank, use, &maxq, &any_drop);
  double *val = fast ? NULL : pack_values(pm, nrm, np, use, &any_drop);
  double *inv = xmalloc((maxq + 1) * sizeof *inv);
  inv[0] = 0;
  for(size_t q = 1; q <= maxq; q++)
    inv[q] = 1.0 / (double)q;
  struct multi j = {.rank = fast ? rank : NULL, .val = val,
                    .use = any_drop ? use : NULL, .inv = inv, .nrm = nrm,
                    .np = np, .B = B, .seed = seed,
                    .ba = xmalloc(nrm * B * sizeof(double)),
                    .bm = xmalloc(nrm * B * sizeof(double))};
  multi_run(&j, threads);
  for(size_t r = 0; r < nrm; r++) {
    if(!out[r].problems)
      continue;
    size_t na = compact(j.ba + r * B, B), nm = compact(j.bm + r * B, B);
    set_intervals(&out[r], j.ba + r * B, na, j.bm + r * B, nm, level);
  }
  free(val);
  free(rank);
  free(inv);
  free(use);
  free(j.ba);
  free(j.bm);
}

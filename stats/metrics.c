/* metrics.c - reward-model benchmark metrics; see metrics.h. */
#include "stats/metrics.h"

#include "util/rng.h"

#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>

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

static int dcmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

double stats_metrics_quantile(double *v, size_t n, double q)
{
  if(!n)
    return NAN;
  qsort(v, n, sizeof *v, dcmp);
  if(q <= 0)
    return v[0];
  if(q >= 1)
    return v[n - 1];
  double h = (double)(n - 1) * q;
  size_t lo = (size_t)floor(h);
  if(lo + 1 >= n)
    return v[n - 1];
  return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
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
  double alpha = (1 - level) / 2;
  out->accuracy_lo = stats_metrics_quantile(ba, nb, alpha);
  out->accuracy_hi = stats_metrics_quantile(ba, nb, 1 - alpha);
  out->mrr_lo = stats_metrics_quantile(bm, nb, alpha);
  out->mrr_hi = stats_metrics_quantile(bm, nb, 1 - alpha);
  free(ba);
  free(bm);
}

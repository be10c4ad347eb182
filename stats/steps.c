/* steps.c - process-RM step aggregations; see steps.h. */
#include "stats/steps.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/numparse.h"

const char *const stats_step_agg_names[] = {
  "min", "max", "prod", "mean", "gmean", "last", "mean_logit", "mean_odds",
  "sum", "first", "geometric_mean", "geomean", "mean_odd", NULL,
};

/* The aggregation of each alias (after the STATS_AGG_COUNT canonical
 * names). */
static const enum stats_step_agg alias_of[] = {STATS_AGG_GMEAN,
                                               STATS_AGG_GMEAN,
                                               STATS_AGG_MEAN_ODDS};

int stats_step_agg_parse(const char *name, enum stats_step_agg *out,
                         struct bon_err *err)
{
  for(int i = 0; stats_step_agg_names[i]; i++)
    if(!strcmp(name, stats_step_agg_names[i])) {
      *out = i < STATS_AGG_COUNT ? (enum stats_step_agg)i
                                 : alias_of[i - STATS_AGG_COUNT];
      return 0;
    }
  return bon_errf(err, "unknown step aggregation '%s' (use min, max, mean, "
                  "sum, first, last, prod, gmean, mean_logit or mean_odds; "
                  "also spelled geometric_mean, geomean, mean_odd)", name);
}

const char *stats_step_agg_name(enum stats_step_agg agg)
{
  return (unsigned)agg < STATS_AGG_COUNT ? stats_step_agg_names[agg] : "?";
}

int stats_step_agg_needs_prob(enum stats_step_agg agg)
{
  return agg == STATS_AGG_PROD || agg == STATS_AGG_GMEAN ||
         agg == STATS_AGG_MEAN_LOGIT || agg == STATS_AGG_MEAN_ODDS;
}

static double clampp(double p)
{
  if(p < STATS_STEP_EPS)
    return STATS_STEP_EPS;
  if(p > 1 - STATS_STEP_EPS)
    return 1 - STATS_STEP_EPS;
  return p;
}

int stats_steps_check(enum stats_step_agg agg, const double *p, size_t n,
                      struct bon_err *err)
{
  if(!n)
    return bon_errf(err, "no step scores to aggregate");
  int prob = stats_step_agg_needs_prob(agg);
  for(size_t i = 0; i < n; i++) {
    if(isnan(p[i]))
      return bon_errf(err, "step %zu has no score", i + 1);
    if(prob && !(p[i] >= 0 && p[i] <= 1))
      return bon_errf(err, "step %zu score %g is outside [0,1], which "
                      "aggregation %s needs (min, max, mean, sum, first and "
                      "last take any real)", i + 1, p[i],
                      stats_step_agg_name(agg));
  }
  return 0;
}

static double fold_min_max(int max, const double *p, size_t n)
{
  double acc = p[0];
  for(size_t i = 1; i < n; i++)
    acc = max ? (p[i] > acc ? p[i] : acc) : (p[i] < acc ? p[i] : acc);
  return acc;
}

static double fold_sum(const double *p, size_t n)
{
  double acc = 0;
  for(size_t i = 0; i < n; i++)
    acc += p[i];
  return acc;
}

static double fold_gmean(const double *p, size_t n)
{
  double acc = 0;
  for(size_t i = 0; i < n; i++) {
    if(p[i] == 0)
      return 0;
    acc += log(p[i]);
  }
  return exp(acc / (double)n);
}

/* mean of log(q/(1-q)) (logit) or of q/(1-q) (odds), q = clamped p */
static double fold_mean_odds(int logit, const double *p, size_t n)
{
  double acc = 0;
  for(size_t i = 0; i < n; i++) {
    double q = clampp(p[i]);
    acc += logit ? log(q / (1 - q)) : q / (1 - q);
  }
  return acc / (double)n;
}

double stats_step_aggregate(enum stats_step_agg agg, const double *p,
                            size_t n)
{
  if(stats_steps_check(agg, p, n, NULL) < 0)
    return NAN;
  switch(agg) {
  case STATS_AGG_MIN: return fold_min_max(0, p, n);
  case STATS_AGG_MAX: return fold_min_max(1, p, n);
  case STATS_AGG_SUM: return fold_sum(p, n);
  case STATS_AGG_MEAN: return fold_sum(p, n) / (double)n;
  case STATS_AGG_GMEAN: return fold_gmean(p, n);
  case STATS_AGG_FIRST: return p[0];
  case STATS_AGG_LAST: return p[n - 1];
  case STATS_AGG_MEAN_LOGIT: return fold_mean_odds(1, p, n);
  case STATS_AGG_MEAN_ODDS: return fold_mean_odds(0, p, n);
  case STATS_AGG_PROD: {
    double acc = 1;
    for(size_t i = 0; i < n; i++)
      acc *= p[i];
    return acc;
  }
  default:
    return NAN;
  }
}

long stats_steps_parse(const char *s, size_t n, double **v, size_t *cap)
{
  while(n && (s[0] == ' ' || s[0] == '['))
    s++, n--;
  while(n && (s[n - 1] == ' ' || s[n - 1] == ']' || s[n - 1] == '\r'))
    n--;
  if(!n)
    return 0;
  size_t k = 0;
  for(size_t i = 0; i <= n;) {
    size_t j = i;
    while(j < n && s[j] != ';' && s[j] != ',')
      j++;
    double x = NAN;
    int rc = stats_parse_num(s + i, j - i, &x);
    if(rc < 0)
      return -1;
    if(k == *cap) {
      *cap = *cap ? *cap * 2 : 64;
      *v = xrealloc(*v, *cap * sizeof(double));
    }
    (*v)[k++] = rc == 1 ? NAN : x;
    i = j + 1;
  }
  return (long)k;
}

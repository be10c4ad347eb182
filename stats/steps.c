/* steps.c - process-RM step aggregations; see steps.h. */
#include "stats/steps.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *names[STATS_AGG_COUNT] = {
  "min", "max", "prod", "mean", "gmean", "last", "mean_logit", "mean_odds",
};

int stats_step_agg_parse(const char *name, enum stats_step_agg *out,
                         struct bon_err *err)
{
  for(int i = 0; i < STATS_AGG_COUNT; i++)
    if(!strcmp(name, names[i])) {
      *out = (enum stats_step_agg)i;
      return 0;
    }
  if(!strcmp(name, "geomean")) {
    *out = STATS_AGG_GMEAN;
    return 0;
  }
  return bon_errf(err, "unknown step aggregation '%s' (use min, max, prod, "
                  "mean, gmean, last, mean_logit or mean_odds)", name);
}

const char *stats_step_agg_name(enum stats_step_agg agg)
{
  return (unsigned)agg < STATS_AGG_COUNT ? names[agg] : "?";
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
                      "aggregation %s needs (use min, max, mean or last "
                      "for unbounded scores)", i + 1, p[i], names[agg]);
  }
  return 0;
}

double stats_step_aggregate(enum stats_step_agg agg, const double *p,
                            size_t n)
{
  if(stats_steps_check(agg, p, n, NULL) < 0)
    return NAN;
  double acc;
  switch(agg) {
  case STATS_AGG_MIN:
    acc = p[0];
    for(size_t i = 1; i < n; i++)
      acc = p[i] < acc ? p[i] : acc;
    return acc;
  case STATS_AGG_MAX:
    acc = p[0];
    for(size_t i = 1; i < n; i++)
      acc = p[i] > acc ? p[i] : acc;
    return acc;
  case STATS_AGG_PROD:
    acc = 1;
    for(size_t i = 0; i < n; i++)
      acc *= p[i];
    return acc;
  case STATS_AGG_MEAN:
    acc = 0;
    for(size_t i = 0; i < n; i++)
      acc += p[i];
    return acc / (double)n;
  case STATS_AGG_GMEAN:
    acc = 0;
    for(size_t i = 0; i < n; i++) {
      if(p[i] == 0)
        return 0;
      acc += log(p[i]);
    }
    return exp(acc / (double)n);
  case STATS_AGG_LAST:
    return p[n - 1];
  case STATS_AGG_MEAN_LOGIT:
    acc = 0;
    for(size_t i = 0; i < n; i++) {
      double q = clampp(p[i]);
      acc += log(q / (1 - q));
    }
    return acc / (double)n;
  case STATS_AGG_MEAN_ODDS:
    acc = 0;
    for(size_t i = 0; i < n; i++) {
      double q = clampp(p[i]);
      acc += q / (1 - q);
    }
    return acc / (double)n;
  default:
    return NAN;
  }
}

int stats_steps_parse(const char *s, double **out, size_t *n,
                      struct bon_err *err)
{
  size_t cap = 0, cnt = 0;
  double *v = NULL;
  const char *p = s;
  *out = NULL;
  *n = 0;
  while(*p == ' ' || *p == '\t')
    p++;
  if(!*p)
    return 0;
  for(size_t item = 1;; item++) {
    while(*p == ' ' || *p == '\t')
      p++;
    const char *end = p;
    while(*end && *end != ';')
      end++;
    const char *e = end;
    while(e > p && (e[-1] == ' ' || e[-1] == '\t'))
      e--;
    char tmp[64];
    size_t len = (size_t)(e - p);
    char *stop = NULL;
    double x = NAN;
    if(len > 0 && len < sizeof tmp) {
      memcpy(tmp, p, len);
      tmp[len] = '\0';
      errno = 0;
      x = strtod(tmp, &stop);
    }
    if(len == 0 || len >= sizeof tmp || *stop || isinf(x)) {
      free(v);
      return bon_errf(err, "step %zu: '%.*s' is not a number (steps are "
                      "';'-separated reals like 0.9;0.8)", item,
                      (int)(len > 40 ? 40 : len), p);
    }
    if(cnt == cap) {
      cap = cap ? cap * 2 : 8;
      v = xrealloc(v, cap * sizeof *v);
    }
    v[cnt++] = x;
    if(!*end)
      break;
    p = end + 1;
  }
  *out = v;
  *n = cnt;
  return 0;
}

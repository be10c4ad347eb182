/* ensemble.c - ensembles of proxy RMs over standardised scores; see
 * ensemble.h. */
#include "stats/ensemble.h"

#include "stats/order.h"
#include "util/buf.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void stats_ens_spec_free(struct stats_ens_spec *s)
{
  if(!s)
    return;
  for(size_t i = 0; i < s->nrms; i++)
    free(s->rms[i]);
  free(s->rms);
  free(s->name);
  memset(s, 0, sizeof *s);
}

static int parse_kind(const char *k, size_t len, struct stats_ens_spec *out)
{
  out->lambda = 0;
  if(len == 4 && !strncmp(k, "mean", 4))
    out->kind = STATS_ENS_MEAN;
  else if(len == 3 && !strncmp(k, "min", 3))
    out->kind = STATS_ENS_MIN;
  else if(len == 6 && !strncmp(k, "median", 6))
    out->kind = STATS_ENS_MEDIAN;
  else if(len > 3 && len < 40 && !strncmp(k, "uwo", 3)) {
    char tmp[40], *end;
    memcpy(tmp, k + 3, len - 3);
    tmp[len - 3] = '\0';
    errno = 0;
    double l = strtod(tmp, &end);
    if(*end || errno || !isfinite(l) || l < 0)
      return -1;
    out->kind = STATS_ENS_UWO;
    out->lambda = l;
  }
  else
    return -1;
  return 0;
}

int stats_ens_parse(const char *spec, struct stats_ens_spec *out,
                    struct bon_err *err)
{
  memset(out, 0, sizeof *out);
  const char *colon = strchr(spec, ':');
  if(!colon)
    return bon_errf(err, "ensemble '%s': expected [NAME=]KIND:RM1,RM2 "
                    "(KIND mean, min, median or uwoLAMBDA)", spec);
  const char *kind = spec;
  const char *eq = memchr(spec, '=', (size_t)(colon - spec));
  if(eq) {
    const char *e2;
    while((e2 = memchr(eq + 1, '=', (size_t)(colon - eq - 1))))
      eq = e2;
    if(eq == spec)
      return bon_errf(err, "ensemble '%s': empty name before '='", spec);
    out->name = xstrndup(spec, (size_t)(eq - spec));
    kind = eq + 1;
  }
  if(parse_kind(kind, (size_t)(colon - kind), out) < 0) {
    stats_ens_spec_free(out);
    return bon_errf(err, "ensemble '%s': unknown kind '%.*s' (use mean, min, "
                    "median or uwoLAMBDA such as uwo0.5)", spec,
                    (int)(colon - kind), kind);
  }
  const char *p = colon + 1;
  for(;;) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    if(!len) {
      stats_ens_spec_free(out);
      return bon_errf(err, "ensemble '%s': empty RM name in the member "
                      "list", spec);
    }
    for(size_t i = 0; i < out->nrms; i++)
      if(strlen(out->rms[i]) == len && !strncmp(out->rms[i], p, len)) {
        stats_ens_spec_free(out);
        return bon_errf(err, "ensemble '%s': RM '%.*s' listed twice", spec,
                        (int)len, p);
      }
    out->rms = xrealloc(out->rms, (out->nrms + 1) * sizeof *out->rms);
    out->rms[out->nrms++] = xstrndup(p, len);
    if(!c)
      break;
    p = c + 1;
  }
  if(out->nrms < 2) {
    stats_ens_spec_free(out);
    return bon_errf(err, "ensemble '%s': needs at least 2 RMs", spec);
  }
  if(!out->name) {
    struct buf b = BUF_INIT;
    buf_puts(&b, "ens-");
    buf_append(&b, kind, (size_t)(colon - kind));
    buf_putc(&b, '(');
    buf_puts(&b, colon + 1);
    buf_putc(&b, ')');
    out->name = b.data;
  }
  return 0;
}

void stats_standardise(double *s, size_t n)
{
  double mean = 0, m2 = 0;
  size_t c = 0;
  for(size_t i = 0; i < n; i++) /* Welford: stable for large offsets */
    if(!isnan(s[i])) {
      c++;
      double d = s[i] - mean;
      mean += d / (double)c;
      m2 += d * (s[i] - mean);
    }
  double sd = c ? sqrt(m2 / (double)c) : 0;
  for(size_t i = 0; i < n; i++)
    if(!isnan(s[i]))
      s[i] = sd > 0 ? (s[i] - mean) / sd : 0;
}

size_t stats_ens_combine(const struct stats_ens_spec *spec,
                         const double *const *scores, size_t m, size_t n,
                         double *out)
{
  double *z = xmalloc((m && n ? m * n : 1) * sizeof *z);
  double *v = xmalloc((m ? m : 1) * sizeof *v);
  for(size_t j = 0; j < m; j++) {
    memcpy(z + j * n, scores[j], n * sizeof *z);
    stats_standardise(z + j * n, n);
  }
  size_t nmiss = 0;
  for(size_t i = 0; i < n; i++) {
    int miss = !m;
    for(size_t j = 0; j < m; j++) {
      v[j] = z[j * n + i];
      miss |= isnan(v[j]);
    }
    if(miss) {
      out[i] = NAN;
      nmiss++;
      continue;
    }
    double r = 0;
    if(spec->kind == STATS_ENS_MIN) {
      r = v[0];
      for(size_t j = 1; j < m; j++)
        r = v[j] < r ? v[j] : r;
    }
    else if(spec->kind == STATS_ENS_MEDIAN) {
      stats_sort_doubles(v, m);
      r = m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
    }
    else {
      double mean = 0;
      for(size_t j = 0; j < m; j++)
        mean += v[j];
      mean /= (double)m;
      r = mean;
      if(spec->kind == STATS_ENS_UWO && spec->lambda != 0) {
        double var = 0;
        for(size_t j = 0; j < m; j++)
          var += (v[j] - mean) * (v[j] - mean);
        r = mean - spec->lambda * var / (double)m;
      }
    }
    out[i] = r;
  }
  free(z);
  free(v);
  return nmiss;
}

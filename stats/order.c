/* order.c - sorting and quantiles of doubles (see order.h). */
#include "stats/order.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

/* The unsigned key of v: ascending keys <=> ascending doubles, and -0
 * the same key as +0 (they compare equal). */
static uint64_t key_of(double v)
{
  v += 0.0;
  uint64_t u;
  memcpy(&u, &v, sizeof(u));
  return u >> 63 ? ~u : u | 1ULL << 63;
}

/* A stable LSD radix sort on the keys, one pass per byte in which the
 * keys differ: equal values keep their order, as in a stable comparison
 * sort, so -0 and +0 come out as they went in. */
void stats_sort_doubles(double *v, size_t n)
{
  if(n < 2)
    return;
  if(n < 64) { /* insertion sort: stable too */
    for(size_t i = 1; i < n; i++) {
      double x = v[i];
      size_t j = i;
      for(; j > 0 && v[j - 1] > x; j--)
        v[j] = v[j - 1];
      v[j] = x;
    }
    return;
  }
  uint64_t *k = xmalloc(2 * n * sizeof(*k)), *kt = k + n;
  double *vt = xmalloc(n * sizeof(*vt));
  size_t (*cnt)[256] = xcalloc(8, sizeof(*cnt));
  for(size_t i = 0; i < n; i++) {
    k[i] = key_of(v[i]);
    for(int d = 0; d < 8; d++)
      cnt[d][k[i] >> (8 * d) & 255]++;
  }
  for(int d = 0; d < 8; d++) {
    size_t *c = cnt[d], sum = 0;
    if(c[k[0] >> (8 * d) & 255] == n)
      continue;
    for(int b = 0; b < 256; b++) {
      size_t t = c[b];
      c[b] = sum;
      sum += t;
    }
    for(size_t i = 0; i < n; i++) {
      size_t o = c[k[i] >> (8 * d) & 255]++;
      kt[o] = k[i];
      vt[o] = v[i];
    }
    memcpy(k, kt, n * sizeof(*k));
    memcpy(v, vt, n * sizeof(*v));
  }
  free(k);
  free(vt);
  free(cnt);
}

double stats_quantile_sorted(const double *v, size_t n, double q,
                             double (*map)(double))
{
  if(n < 1)
    return NAN;
  if(!(q > 0))
    q = 0;
  double h = q * (double)(n - 1);
  size_t i = (size_t)floor(h);
  double a = map ? map(v[i < n ? i : n - 1]) : v[i < n ? i : n - 1];
  if(i >= n - 1 || h == (double)i)
    return a;
  double c = map ? map(v[i + 1]) : v[i + 1];
  /* no 0 * inf or inf - inf: an infinite neighbour is the answer */
  if(a == c || isinf(a))
    return a;
  if(isinf(c))
    return c;
  return a + (h - (double)i) * (c - a);
}

double stats_quantile(double *v, size_t n, double q)
{
  stats_sort_doubles(v, n);
  return stats_quantile_sorted(v, n, q, NULL);
}

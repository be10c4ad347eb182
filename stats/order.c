/* order.c - sorting and quantiles of doubles (see order.h). */
#include "stats/order.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

uint64_t stats_dkey(double v)
{
  v += 0.0; /* -0 becomes +0 */
  uint64_t u;
  memcpy(&u, &v, sizeof(u));
  return u >> 63 ? ~u : u | 1ULL << 63;
}

void stats_radix_sort(uint64_t *key, uint32_t *pay, size_t n, uint64_t *kt,
                      uint32_t *pt)
{
  size_t cnt[8][256];
  if(n < 2)
    return;
  memset(cnt, 0, sizeof(cnt));
  for(size_t i = 0; i < n; i++)
    for(int d = 0; d < 8; d++)
      cnt[d][key[i] >> (8 * d) & 255]++;
  for(int d = 0; d < 8; d++) {
    size_t *c = cnt[d], sum = 0;
    if(c[key[0] >> (8 * d) & 255] == n)
      continue; /* every key has this byte */
    for(int b = 0; b < 256; b++) {
      size_t t = c[b];
      c[b] = sum;
      sum += t;
    }
    for(size_t i = 0; i < n; i++) {
      size_t o = c[key[i] >> (8 * d) & 255]++;
      kt[o] = key[i];
      pt[o] = pay[i];
    }
    memcpy(key, kt, n * sizeof(*key));
    memcpy(pay, pt, n * sizeof(*pay));
  }
}

/* Stable: equal values, -0 and +0 among them, keep their order, as in a
 * stable comparison sort. */
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
  uint64_t *k = xmalloc(2 * n * sizeof(*k));
  uint32_t *ix = xmalloc(2 * n * sizeof(*ix));
  double *vt = xmalloc(n * sizeof(*vt));
  for(size_t i = 0; i < n; i++) {
    k[i] = stats_dkey(v[i]);
    ix[i] = (uint32_t)i;
  }
  stats_radix_sort(k, ix, n, k + n, ix + n);
  for(size_t i = 0; i < n; i++)
    vt[i] = v[ix[i]];
  memcpy(v, vt, n * sizeof(*v));
  free(k);
  free(ix);
  free(vt);
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

static double med3(double x, double y, double z)
{
  if(x < y)
    return y < z ? y : (x < z ? z : x);
  return x < z ? x : (y < z ? z : y);
}

/* Place the k-th smallest of v[lo..hi) at v[k], none larger before it and
 * none smaller after it (Hoare partitions around a median of three). */
static void select_k(double *v, size_t lo, size_t hi, size_t k)
{
  while(hi - lo > 2) {
    double piv = med3(v[lo], v[lo + (hi - lo) / 2], v[hi - 1]);
    size_t i = lo, j = hi - 1;
    for(;;) {
      while(v[i] < piv)
        i++;
      while(v[j] > piv)
        j--;
      if(i >= j)
        break;
      double t = v[i];
      v[i++] = v[j];
      v[j--] = t;
    }
    /* v[lo..j] <= piv <= v[j + 1..hi) */
    if(j + 1 >= hi) { /* no progress (cannot happen): sort the rest */
      stats_sort_doubles(v + lo, hi - lo);
      return;
    }
    if(k <= j)
      hi = j + 1;
    else
      lo = j + 1;
  }
  if(hi - lo == 2 && v[lo] > v[lo + 1]) {
    double t = v[lo];
    v[lo] = v[lo + 1];
    v[lo + 1] = t;
  }
}

void stats_quantiles(double *v, size_t n, const double *q, int nq,
                     double (*map)(double), double *out)
{
  int zero = 0;
  for(size_t i = 0; i < n; i++)
    zero |= v[i] == 0;
  if(zero) { /* -0 and +0: the order a stable sort gives decides */
    stats_sort_doubles(v, n);
    for(int j = 0; j < nq; j++)
      out[j] = stats_quantile_sorted(v, n, q[j], map);
    return;
  }
  size_t pos[16];
  int np = 0;
  for(int j = 0; j < nq && n; j++) { /* the order statistics needed */
    double h = (q[j] > 0 ? q[j] : 0) * (double)(n - 1);
    size_t i = (size_t)floor(h);
    i = i < n ? i : n - 1;
    for(size_t p = i; p <= i + 1 && p < n && np < 16; p++)
      pos[np++] = p;
  }
  for(int a = 1; a < np; a++) /* ascending */
    for(int b = a; b > 0 && pos[b - 1] > pos[b]; b--) {
      size_t t = pos[b];
      pos[b] = pos[b - 1];
      pos[b - 1] = t;
    }
  size_t lo = 0;
  for(int a = 0; a < np; a++)
    if(pos[a] >= lo) {
      select_k(v, lo, n, pos[a]);
      lo = pos[a] + 1;
    }
  for(int j = 0; j < nq; j++)
    out[j] = stats_quantile_sorted(v, n, q[j], map);
}

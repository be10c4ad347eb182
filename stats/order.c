/* order.c - sorting and quantiles of doubles (see order.h). */
#include "stats/order.h"

#include <math.h>
#include <stdlib.h>

static int dcmp(const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

void stats_sort_doubles(double *v, size_t n)
{
  if(n > 1)
    qsort(v, n, sizeof(double), dcmp);
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

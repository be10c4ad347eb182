/* order.h - sorting and quantiles of doubles: the one comparator and the
 * one quantile of stats/.  Internal to stats/ (and its tests).
 *
 * The quantile is type 7 of Hyndman and Fan (linear interpolation between
 * order statistics, the R and numpy default; docs/methods.md).  An
 * infinite neighbour is the answer itself (no inf - inf or 0 * inf), so the
 * quantile of values that include inf (a fit that never turns down) is
 * defined.  Pure: no I/O. */
#ifndef BON_STATS_ORDER_H
#define BON_STATS_ORDER_H

#include <stddef.h>

#include <stdint.h>

/* The order-preserving unsigned key of a double: ascending keys <=>
 * ascending values, and -0 the same key as +0 (they compare equal). */
uint64_t stats_dkey(double v);

/* Sort key[0..n) ascending with pay[] alongside, stably (LSD radix, one
 * pass per byte in which the keys differ); kt, pt: scratch of n each. */
void stats_radix_sort(uint64_t *key, uint32_t *pay, size_t n, uint64_t *kt,
                      uint32_t *pt);

/* Sort v[0..n) ascending, stably (equal values, such as -0 and +0, keep
 * their order).  NaN must have been removed (they have no place in the
 * order).  Cannot fail. */
void stats_sort_doubles(double *v, size_t n);

/* Quantile q in [0, 1] of v[0..n), sorting v in place.  q <= 0 gives the
 * smallest value, q >= 1 the largest, n = 0 NaN.  NaN values must have
 * been removed. */
double stats_quantile(double *v, size_t n, double q);

/* The same on v already sorted, each of the two order statistics used
 * first mapped through map (NULL = identity).  For a map that is
 * non-decreasing (such as n* of d*) this is the quantile of the mapped
 * values, at the cost of two map calls. */
double stats_quantile_sorted(const double *v, size_t n, double q,
                             double (*map)(double));

/* The quantiles q[0..nq) of v[0..n) (reordered) into out, each mapped as
 * stats_quantile_sorted maps: the same numbers as sorting v and calling
 * stats_quantile_sorted, found by selection in linear time. */
void stats_quantiles(double *v, size_t n, const double *q, int nq,
                     double (*map)(double), double *out);

#endif

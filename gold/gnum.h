/* gnum.h - exact rationals for the gold verifier: int64 fast path, GMP
 * fallback, hard bounds on size.
 *
 * A gnum is a reduced fraction n/d (d > 0).  While numerator and
 * denominator fit in 62 bits it lives in the two int64 fields and no GMP
 * call is made; past that the value moves to an mpq_t slot of a gnum_pool
 * (big != NULL).  Slots are owned by the pool: they are recycled with
 * gnum_pool_release() and freed by gnum_pool_free(), never one by one.
 * Every operation returns a status: GN_OK, or GN_BIG when the result would
 * exceed GNUM_MAX_BITS bits or the pool is full, GN_UNDEF (division by zero,
 * 0^negative), GN_INEXACT (an irrational root).  No operation allocates
 * more than a bounded amount of memory or runs unbounded. */
#ifndef BON_GOLD_GNUM_H
#define BON_GOLD_GNUM_H

#include <gmp.h>
#include <stdint.h>

#define GNUM_MAX_BITS 40000 /* about 12,000 decimal digits */
#define GNUM_POOL 192

enum { GN_OK = 0, GN_INEXACT = 1, GN_BIG = 2, GN_UNDEF = 3 };

struct gnum {
  int64_t n, d;
  mpq_ptr big; /* NULL: the value is n/d */
};

struct gnum_pool {
  mpq_t q[GNUM_POOL];
  int used;   /* slots handed out */
  int inited; /* slots with mpq_init done */
};

void gnum_pool_init(struct gnum_pool *p);
void gnum_pool_free(struct gnum_pool *p);
/* Mark / release: slots handed out after a mark are reused after release. */
static inline int gnum_pool_mark(const struct gnum_pool *p)
{
  return p->used;
}
static inline void gnum_pool_release(struct gnum_pool *p, int mark)
{
  p->used = mark;
}

static inline struct gnum gnum_int(int64_t v)
{
  struct gnum g = {v, 1, NULL};
  return g;
}

/* Value of a decimal literal: digits (only '0'-'9', ndig of them) with
 * `frac` of them after the point, times 10^exp10. */
int gnum_from_dec(struct gnum_pool *p, const char *digits, int ndig, int frac,
                  int exp10, struct gnum *out);

int gnum_add(struct gnum_pool *p, struct gnum a, struct gnum b,
             struct gnum *out);
int gnum_sub(struct gnum_pool *p, struct gnum a, struct gnum b,
             struct gnum *out);
int gnum_mul(struct gnum_pool *p, struct gnum a, struct gnum b,
             struct gnum *out);
int gnum_div(struct gnum_pool *p, struct gnum a, struct gnum b,
             struct gnum *out);
struct gnum gnum_neg_small(struct gnum a); /* only for a.big == NULL */
int gnum_neg(struct gnum_pool *p, struct gnum a, struct gnum *out);
int gnum_abs(struct gnum_pool *p, struct gnum a, struct gnum *out);
/* a^e for an integer exponent e. */
int gnum_pow(struct gnum_pool *p, struct gnum a, int64_t e, struct gnum *out);
/* The exact k-th root (k >= 2) when it is rational, else GN_INEXACT. */
int gnum_root(struct gnum_pool *p, struct gnum a, int64_t k, struct gnum *out);
/* floor (dir < 0) or ceiling (dir > 0). */
int gnum_round(struct gnum_pool *p, struct gnum a, int dir, struct gnum *out);
/* n! for an integer n >= 0, binomial(n, k). */
int gnum_fact(struct gnum_pool *p, struct gnum a, struct gnum *out);
/* The double factorial n!! = n (n-2) (n-4) ... for an integer n >= 0
 * (GN_BIG past n = 3000, as n!). */
int gnum_fact2(struct gnum_pool *p, struct gnum a, struct gnum *out);
int gnum_binom(struct gnum_pool *p, struct gnum n, struct gnum k,
               struct gnum *out);

int gnum_cmp(struct gnum a, struct gnum b); /* -1, 0, 1 */
int gnum_sign(struct gnum a);
int gnum_is_int(struct gnum a);
/* The integer value when it fits in int64 (returns 1), else 0. */
int gnum_get_i64(struct gnum a, int64_t *v);
double gnum_to_double(struct gnum a);
/* Bits of numerator plus denominator (a size measure). */
long gnum_bits(struct gnum a);

#endif

/* gnum.c - exact rationals: int64 fast path, mpq fallback, bounded. */
#include "gold/gnum.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

#define SMALL_MAX ((int64_t)1 << 62)

void gnum_pool_init(struct gnum_pool *p)
{
  p->used = 0;
  p->inited = 0;
}

void gnum_pool_free(struct gnum_pool *p)
{
  for(int i = 0; i < p->inited; i++)
    mpq_clear(p->q[i]);
  p->inited = 0;
  p->used = 0;
}

static mpq_ptr slot(struct gnum_pool *p)
{
  if(p->used >= GNUM_POOL)
    return NULL;
  if(p->used == p->inited)
    mpq_init(p->q[p->inited++]);
  return p->q[p->used++];
}

static u128 gcd128(u128 a, u128 b)
{
  while(b) {
    u128 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static long qbits(mpq_srcptr q)
{
  return (long)mpz_sizeinbase(mpq_numref(q), 2) +
         (long)mpz_sizeinbase(mpq_denref(q), 2);
}

long gnum_bits(struct gnum a)
{
  if(a.big)
    return qbits(a.big);
  uint64_t n = a.n < 0 ? -(uint64_t)a.n : (uint64_t)a.n;
  long b = 0;
  while(n) {
    b++;
    n >>= 1;
  }
  uint64_t d = (uint64_t)a.d;
  while(d) {
    b++;
    d >>= 1;
  }
  return b;
}

static void mpz_set_u128(mpz_ptr z, u128 v)
{
  uint64_t w[2] = {(uint64_t)v, (uint64_t)(v >> 64)};
  mpz_import(z, 2, -1, sizeof(uint64_t), 0, 0, w);
}

/* Finish a big result: size check, then demote to small when it fits. */
static int finish(struct gnum_pool *p, mpq_ptr r, struct gnum *out)
{
  if(qbits(r) > GNUM_MAX_BITS)
    return GN_BIG;
  if(mpz_sizeinbase(mpq_numref(r), 2) < 62 &&
     mpz_sizeinbase(mpq_denref(r), 2) < 62) {
    out->n = mpz_get_si(mpq_numref(r));
    out->d = mpz_get_si(mpq_denref(r));
    out->big = NULL;
    if(p->used > 0 && p->q[p->used - 1] == r)
      p->used--;
    return GN_OK;
  }
  out->big = r;
  out->n = 0;
  out->d = 1;
  return GN_OK;
}

/* n/d from 128-bit parts (d != 0), reduced; small when it fits. */
static int from128(struct gnum_pool *p, i128 n, i128 d, struct gnum *out)
{
  if(d < 0) {
    n = -n;
    d = -d;
  }
  u128 un = n < 0 ? -(u128)n : (u128)n;
  u128 g = gcd128(un, (u128)d);
  if(g > 1) {
    un /= g;
    d /= (i128)g;
  }
  if(un < (u128)SMALL_MAX && d < (i128)SMALL_MAX) {
    out->n = n < 0 ? -(int64_t)un : (int64_t)un;
    out->d = (int64_t)d;
    out->big = NULL;
    return GN_OK;
  }
  mpq_ptr r = slot(p);
  if(!r)
    return GN_BIG;
  mpz_set_u128(mpq_numref(r), un);
  if(n < 0)
    mpz_neg(mpq_numref(r), mpq_numref(r));
  mpz_set_u128(mpq_denref(r), (u128)d);
  out->big = r;
  out->n = 0;
  out->d = 1;
  return GN_OK;
}

static void to_mpq(mpq_ptr q, struct gnum a)
{
  if(a.big)
    mpq_set(q, a.big);
  else
    mpq_set_si(q, (long)a.n, (unsigned long)a.d);
}

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV };

static int big_op(struct gnum_pool *p, struct gnum a, struct gnum b, int op,
                  struct gnum *out)
{
  long ba = gnum_bits(a), bb = gnum_bits(b);
  if(ba + bb > GNUM_MAX_BITS + 64)
    return GN_BIG;
  mpq_ptr r = slot(p);
  if(!r)
    return GN_BIG;
  mpq_t ta, tb;
  mpq_init(ta);
  mpq_init(tb);
  to_mpq(ta, a);
  to_mpq(tb, b);
  switch(op) {
  case OP_ADD: mpq_add(r, ta, tb); break;
  case OP_SUB: mpq_sub(r, ta, tb); break;
  case OP_MUL: mpq_mul(r, ta, tb); break;
  default: mpq_div(r, ta, tb); break;
  }
  mpq_clear(ta);
  mpq_clear(tb);
  return finish(p, r, out);
}

int gnum_add(struct gnum_pool *p, struct gnum a, struct gnum b,
             struct gnum *out)
{
  if(a.big || b.big)
    return big_op(p, a, b, OP_ADD, out);
  if(a.d == 1 && b.d == 1)
    return from128(p, (i128)a.n + b.n, 1, out);
  return from128(p, (i128)a.n * b.d + (i128)b.n * a.d, (i128)a.d * b.d, out);
}

int gnum_sub(struct gnum_pool *p, struct gnum a, struct gnum b,
             struct gnum *out)
{
  if(a.big || b.big)
    return big_op(p, a, b, OP_SUB, out);
  if(a.d == 1 && b.d == 1)
    return from128(p, (i128)a.n - b.n, 1, out);
  return from128(p, (i128)a.n * b.d - (i128)b.n * a.d, (i128)a.d * b.d, out);
}

int gnum_mul(struct gnum_pool *p, struct gnum a, struct gnum b,
             struct gnum *out)
{
  if(a.big || b.big)
    return big_op(p, a, b, OP_MUL, out);
  if(a.d == 1 && b.d == 1)
    return from128(p, (i128)a.n * b.n, 1, out);
  return from128(p, (i128)a.n * b.n, (i128)a.d * b.d, out);
}

int gnum_div(struct gnum_pool *p, struct gnum a, struct gnum b,
             struct gnum *out)
{
  if(gnum_sign(b) == 0)
    return GN_UNDEF;
  if(a.big || b.big)
    return big_op(p, a, b, OP_DIV, out);
  return from128(p, (i128)a.n * b.d, (i128)a.d * b.n, out);
}

struct gnum gnum_neg_small(struct gnum a)
{
  a.n = -a.n;
  return a;
}

int gnum_neg(struct gnum_pool *p, struct gnum a, struct gnum *out)
{
  if(!a.big) {
    *out = gnum_neg_small(a);
    return GN_OK;
  }
  mpq_ptr r = slot(p);
  if(!r)
    return GN_BIG;
  mpq_neg(r, a.big);
  return finish(p, r, out);
}

int gnum_abs(struct gnum_pool *p, struct gnum a, struct gnum *out)
{
  if(gnum_sign(a) >= 0) {
    *out = a;
    return GN_OK;
  }
  return gnum_neg(p, a, out);
}

int gnum_sign(struct gnum a)
{
  if(a.big)
    return mpq_sgn(a.big);
  return (a.n > 0) - (a.n < 0);
}

int gnum_is_int(struct gnum a)
{
  if(a.big)
    return mpz_cmp_ui(mpq_denref(a.big), 1) == 0;
  return a.d == 1;
}

int gnum_get_i64(struct gnum a, int64_t *v)
{
  if(a.big) {
    if(!gnum_is_int(a) || !mpz_fits_slong_p(mpq_numref(a.big)))
      return 0;
    *v = mpz_get_si(mpq_numref(a.big));
    return 1;
  }
  if(a.d != 1)
    return 0;
  *v = a.n;
  return 1;
}

int gnum_cmp(struct gnum a, struct gnum b)
{
  if(!a.big && !b.big) {
    i128 x = (i128)a.n * b.d, y = (i128)b.n * a.d;
    return (x > y) - (x < y);
  }
  mpq_t ta, tb;
  mpq_init(ta);
  mpq_init(tb);
  to_mpq(ta, a);
  to_mpq(tb, b);
  int c = mpq_cmp(ta, tb);
  mpq_clear(ta);
  mpq_clear(tb);
  return (c > 0) - (c < 0);
}

double gnum_to_double(struct gnum a)
{
  if(a.big)
    return mpq_get_d(a.big);
  if(a.d == 1)
    return (double)a.n;
  return (double)a.n / (double)a.d;
}

int gnum_pow(struct gnum_pool *p, struct gnum a, int64_t e, struct gnum *out)
{
  int s = gnum_sign(a);
  if(e == 0) {
    *out = gnum_int(1);
    return GN_OK;
  }
  if(s == 0) {
    if(e < 0)
      return GN_UNDEF;
    *out = gnum_int(0);
    return GN_OK;
  }
  if(e < 0) {
    if(e < -1000000)
      return GN_BIG;
    struct gnum inv;
    int st = gnum_div(p, gnum_int(1), a, &inv);
    if(st)
      return st;
    a = inv;
    e = -e;
  }
  /* |a| == 1 stays small whatever e is. */
  if(!a.big && a.d == 1 && (a.n == 1 || a.n == -1)) {
    *out = gnum_int((e & 1) ? a.n : 1);
    return GN_OK;
  }
  long bits = gnum_bits(a);
  if(e > GNUM_MAX_BITS || (bits - 1) * e > GNUM_MAX_BITS)
    return GN_BIG;
  if(!a.big) {
    i128 rn = 1, rd = 1, bn = a.n, bd = a.d;
    int64_t k = e;
    int ok = 1;
    while(k && ok) {
      if(k & 1) {
        rn *= bn;
        rd *= bd;
        if(rn > SMALL_MAX || rn < -SMALL_MAX || rd > SMALL_MAX)
          ok = 0;
      }
      k >>= 1;
      if(k && ok) {
        bn *= bn;
        bd *= bd;
        if(bn > SMALL_MAX || bd > SMALL_MAX)
          ok = 0;
      }
    }
    if(ok) {
      out->n = (int64_t)rn;
      out->d = (int64_t)rd;
      out->big = NULL;
      return GN_OK;
    }
  }
  mpq_ptr r = slot(p);
  if(!r)
    return GN_BIG;
  mpq_t t;
  mpq_init(t);
  to_mpq(t, a);
  mpz_pow_ui(mpq_numref(r), mpq_numref(t), (unsigned long)e);
  mpz_pow_ui(mpq_denref(r), mpq_denref(t), (unsigned long)e);
  mpq_clear(t);
  return finish(p, r, out);
}

/* Exact k-th root of x >= 0 in 64 bits, or -1. */
static int64_t iroot64(uint64_t x, int64_t k)
{
  if(x < 2)
    return (int64_t)x;
  if(k >= 64)
    return -1;
  double g = pow((double)x, 1.0 / (double)k);
  int64_t r0 = (int64_t)llround(g);
  for(int64_t r = r0 - 1; r <= r0 + 1; r++) {
    if(r < 1)
      continue;
    u128 v = 1;
    int over = 0;
    for(int64_t i = 0; i < k && !over; i++) {
      v *= (u128)r;
      if(v > (u128)x)
        over = 1;
    }
    if(!over && v == (u128)x)
      return r;
  }
  return -1;
}

int gnum_root(struct gnum_pool *p, struct gnum a, int64_t k, struct gnum *out)
{
  if(k < 1)
    return GN_UNDEF;
  if(k == 1) {
    *out = a;
    return GN_OK;
  }
  int s = gnum_sign(a);
  if(s == 0) {
    *out = gnum_int(0);
    return GN_OK;
  }
  if(s < 0) {
    if(!(k & 1))
      return GN_INEXACT;
    struct gnum m, r;
    int st = gnum_neg(p, a, &m);
    if(!st)
      st = gnum_root(p, m, k, &r);
    if(!st)
      st = gnum_neg(p, r, out);
    return st;
  }
  if(!a.big) {
    int64_t rn = iroot64((uint64_t)a.n, k), rd = iroot64((uint64_t)a.d, k);
    if(rn < 0 || rd < 0)
      return GN_INEXACT;
    out->n = rn;
    out->d = rd;
    out->big = NULL;
    return GN_OK;
  }
  if(k > 100000)
    return GN_INEXACT;
  mpq_ptr r = slot(p);
  if(!r)
    return GN_BIG;
  if(!mpz_root(mpq_numref(r), mpq_numref(a.big), (unsigned long)k) ||
     !mpz_root(mpq_denref(r), mpq_denref(a.big), (unsigned long)k))
    return GN_INEXACT;
  return finish(p, r, out);
}

int gnum_round(struct gnum_pool *p, struct gnum a, int dir, struct gnum *out)
{
  if(!a.big) {
    int64_t q = a.n / a.d, m = a.n % a.d;
    if(m != 0 && dir < 0 && a.n < 0)
      q--;
    if(m != 0 && dir > 0 && a.n > 0)
      q++;
    *out = gnum_int(q);
    return GN_OK;
  }
  mpq_ptr r = slot(p);
  if(!r)
    return GN_BIG;
  if(dir < 0)
    mpz_fdiv_q(mpq_numref(r), mpq_numref(a.big), mpq_denref(a.big));
  else
    mpz_cdiv_q(mpq_numref(r), mpq_numref(a.big), mpq_denref(a.big));
  mpz_set_ui(mpq_denref(r), 1);
  return finish(p, r, out);
}

int gnum_fact(struct gnum_pool *p, struct gnum a, struct gnum *out)
{
  int64_t n;
  if(!gnum_is_int(a))
    return GN_INEXACT;
  if(!gnum_get_i64(a, &n))
    return GN_BIG;
  if(n < 0)
    return GN_UNDEF;
  if(n <= 20) {
    int64_t f = 1;
    for(int64_t i = 2; i <= n; i++)
      f *= i;
    *out = gnum_int(f);
    return GN_OK;
  }
  if(n > 3000)
    return GN_BIG;
  mpq_ptr r = slot(p);
  if(!r)
    return GN_BIG;
  mpz_fac_ui(mpq_numref(r), (unsigned long)n);
  mpz_set_ui(mpq_denref(r), 1);
  return finish(p, r, out);
}

int gnum_fact2(struct gnum_pool *p, struct gnum a, struct gnum *out)
{
  int64_t n;
  if(!gnum_is_int(a))
    return GN_INEXACT;
  if(!gnum_get_i64(a, &n))
    return GN_BIG;
  if(n < 0)
    return GN_UNDEF;
  if(n <= 33) { /* 33!! < 2^63 */
    int64_t f = 1;
    for(int64_t i = n; i > 1; i -= 2)
      f *= i;
    *out = gnum_int(f);
    return GN_OK;
  }
  if(n > 3000)
    return GN_BIG;
  mpq_ptr r = slot(p);
  if(!r)
    return GN_BIG;
  mpz_2fac_ui(mpq_numref(r), (unsigned long)n);
  mpz_set_ui(mpq_denref(r), 1);
  return finish(p, r, out);
}

int gnum_binom(struct gnum_pool *p, struct gnum n, struct gnum k,
               struct gnum *out)
{
  int64_t nn, kk;
  if(!gnum_is_int(n) || !gnum_is_int(k))
    return GN_INEXACT;
  if(!gnum_get_i64(n, &nn) || !gnum_get_i64(k, &kk))
    return GN_BIG;
  if(kk < 0 || nn < 0) {
    if(nn < 0)
      return GN_INEXACT;
    *out = gnum_int(0);
    return GN_OK;
  }
  if(kk > nn) {
    *out = gnum_int(0);
    return GN_OK;
  }
  if(nn > 12000) /* C(n, n/2) has about n bits; bounded time */
    return GN_BIG;
  if(kk > nn - kk)
    kk = nn - kk;
  if(nn <= 60) {
    u128 r = 1;
    for(int64_t i = 0; i < kk; i++)
      r = r * (u128)(nn - i) / (u128)(i + 1);
    *out = gnum_int((int64_t)r);
    return GN_OK;
  }
  mpq_ptr r = slot(p);
  if(!r)
    return GN_BIG;
  mpz_bin_uiui(mpq_numref(r), (unsigned long)nn, (unsigned long)kk);
  mpz_set_ui(mpq_denref(r), 1);
  return finish(p, r, out);
}

int gnum_from_dec(struct gnum_pool *p, const char *digits, int ndig, int frac,
                  int exp10, struct gnum *out)
{
  while(ndig > 1 && digits[0] == '0') {
    digits++;
    ndig--;
  }
  long e = (long)exp10 - frac;
  if(ndig == 1 && digits[0] == '0') {
    *out = gnum_int(0);
    return GN_OK;
  }
  if(e > 12000 || e < -12000 || ndig > 12000)
    return GN_BIG;
  if(ndig <= 18 && e > -19 && e < 19) {
    int64_t v = 0;
    for(int i = 0; i < ndig; i++)
      v = v * 10 + (digits[i] - '0');
    i128 n = v, d = 1;
    for(long i = 0; i < e; i++)
      n *= 10;
    for(long i = 0; i < -e; i++)
      d *= 10;
    return from128(p, n, d, out);
  }
  mpq_ptr r = slot(p);
  if(!r)
    return GN_BIG;
  char tmp[256];
  char *s = ndig < (int)sizeof(tmp) ? tmp : malloc((size_t)ndig + 1);
  if(!s)
    return GN_BIG;
  memcpy(s, digits, (size_t)ndig);
  s[ndig] = '\0';
  mpz_set_str(mpq_numref(r), s, 10);
  if(s != tmp)
    free(s);
  mpz_set_ui(mpq_denref(r), 1);
  if(e > 0) {
    mpz_t t;
    mpz_init(t);
    mpz_ui_pow_ui(t, 10, (unsigned long)e);
    mpz_mul(mpq_numref(r), mpq_numref(r), t);
    mpz_clear(t);
  }
  else if(e < 0)
    mpz_ui_pow_ui(mpq_denref(r), 10, (unsigned long)-e);
  mpq_canonicalize(r);
  return finish(p, r, out);
}

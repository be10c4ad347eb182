/* eval.c - evaluate expression trees exactly (rationals) or in complex
 * double precision, at deterministic pseudo-random points.
 *
 * A variable's value at point j depends only on its name and j, so the two
 * sides of a comparison see the same values without sharing a table.
 * Signs (see gint.h): all positive, all negative, then from the name, so
 * that |x| != x and |xy| != xy are seen.  The first GOLD_POS_POINTS float
 * points are positive (square roots and logarithms of variables on their
 * real branch; an expression such as sqrt(1 - x^2) past its domain is
 * compared through its principal complex value, the same on both sides);
 * at the signed ones, a root or logarithm of a negative variable
 * expression marks the point as outside the real domain (c->dom), and the
 * comparison skips it: functions are compared on their common real
 * domain.  Every node visit counts against GOLD_MAX_WORK. */
#include "gold/gint.h"

#include <complex.h>
#include <math.h>

static uint64_t mix(uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/* Is the variable negative at signed point j (0, 1, 2, 3)? */
static int var_neg(uint64_t h, int j)
{
  switch(j) {
  case 0: return 0;
  case 1: return 1;
  case 2: return (int)(h & 1);
  default: return (int)((h >> 1) & 1);
  }
}

static struct gnum var_exact(uint64_t h, int j)
{
  uint64_t u = mix(h ^ ((uint64_t)(j + 1) * 0x632be59bd9b4e019ULL));
  int64_t num = 2 + (int64_t)(u % 97);
  int64_t den = 1 + (int64_t)((u >> 20) % 11);
  if(var_neg(h, j))
    num = -num;
  /* reduce */
  int64_t a = num < 0 ? -num : num, b = den;
  while(b) {
    int64_t t = a % b;
    a = b;
    b = t;
  }
  struct gnum g = {num / a, den / a, NULL};
  return g;
}

static double var_float(uint64_t h, int j)
{
  uint64_t u = mix(h ^ ((uint64_t)(j + 7) * 0x9e3779b97f4a7c15ULL));
  double x = 0.4 + (double)(u % 1000003) / 1000003.0 * 1.7;
  return j >= GOLD_POS_POINTS && var_neg(h, j - GOLD_POS_POINTS + 1) ? -x
                                                                      : x;
}

/* A real value as a complex with +0 imaginary part: -x computed as
 * -(x + 0i) carries -0i, which would put csqrt / clog / cpow on the other
 * side of their branch cut (sqrt(-1) = -i). */
static double complex canon(double complex z)
{
  return cimag(z) == 0.0 ? (double complex)creal(z) : z; /* +0i */
}

/* A negative real argument of a root, logarithm or fractional power that
 * depends on a variable: the point is outside the real domain. */
static void domain(struct gctx *c, const struct side *s, int n,
                   double complex a)
{
  if(cimag(a) == 0.0 && creal(a) < 0 && s->nd[n].hv)
    c->dom = 1;
}

static int work(struct gctx *c)
{
  if(++c->work > GOLD_MAX_WORK) {
    c->over = 1;
    return -1;
  }
  return 0;
}

int gold_ev_exact(struct gctx *c, struct side *s, int n, int j,
                  uint32_t mask, struct gnum *out)
{
  if(n < 0)
    return GN_UNDEF;
  if(work(c) < 0)
    return GN_BIG;
  const struct node *nd = &s->nd[n];
  struct gnum_pool *p = &c->pool;
  struct gnum a, b;
  int st;
  switch(nd->kind) {
  case N_NUM:
    *out = s->lit[nd->lit].q;
    return GN_OK;
  case N_VAR:
    *out = var_exact(nd->var, j);
    return GN_OK;
  case N_PI: case N_E: case N_I: case N_FUNC:
    return GN_INEXACT;
  case N_INF:
    return GN_UNDEF;
  case N_NEG: case N_ABS: case N_FLOOR: case N_CEIL: case N_FACT:
    if((st = gold_ev_exact(c, s, nd->a, j, mask, &a)))
      return st;
    switch(nd->kind) {
    case N_NEG: return gnum_neg(p, a, out);
    case N_ABS: return gnum_abs(p, a, out);
    case N_FLOOR: return gnum_round(p, a, -1, out);
    case N_CEIL: return gnum_round(p, a, 1, out);
    default:
      return nd->fn == 2 ? gnum_fact2(p, a, out) : gnum_fact(p, a, out);
    }
  case N_PM: {
    int neg = (mask >> nd->pm) & 1;
    if(nd->fn)
      neg = !neg;
    if((st = gold_ev_exact(c, s, nd->b, j, mask, &b)))
      return st;
    if(neg && (st = gnum_neg(p, b, &b)))
      return st;
    if(nd->a < 0) {
      *out = b;
      return GN_OK;
    }
    if((st = gold_ev_exact(c, s, nd->a, j, mask, &a)))
      return st;
    return gnum_add(p, a, b, out);
  }
  case N_ROOT: {
    int64_t k = 2;
    if(nd->b >= 0) {
      if((st = gold_ev_exact(c, s, nd->b, j, mask, &b)))
        return st;
      if(!gnum_get_i64(b, &k) || k < 1)
        return GN_INEXACT;
    }
    if((st = gold_ev_exact(c, s, nd->a, j, mask, &a)))
      return st;
    return gnum_root(p, a, k, out);
  }
  case N_POW: {
    if((st = gold_ev_exact(c, s, nd->b, j, mask, &b)))
      return st;
    if((st = gold_ev_exact(c, s, nd->a, j, mask, &a)))
      return st;
    int64_t e;
    if(gnum_get_i64(b, &e))
      return gnum_pow(p, a, e, out);
    if(gnum_is_int(b))
      return GN_BIG;
    /* rational exponent p/q: the q-th root, when exact, to the p */
    if(b.big || b.d > 1000 || b.n > 100000 || b.n < -100000)
      return GN_INEXACT;
    struct gnum r;
    if((st = gnum_root(p, a, b.d, &r)))
      return st;
    return gnum_pow(p, r, b.n, out);
  }
  default:
    if((st = gold_ev_exact(c, s, nd->a, j, mask, &a)))
      return st;
    if((st = gold_ev_exact(c, s, nd->b, j, mask, &b)))
      return st;
    switch(nd->kind) {
    case N_ADD: return gnum_add(p, a, b, out);
    case N_SUB: return gnum_sub(p, a, b, out);
    case N_MUL: return gnum_mul(p, a, b, out);
    case N_DIV: return gnum_div(p, a, b, out);
    case N_BINOM: return gnum_binom(p, a, b, out);
    }
  }
  return GN_UNDEF;
}

static int is_real(double complex z)
{
  return cimag(z) == 0.0;
}

static double complex cpow_real(struct gctx *c, const struct side *s,
                                int n, double complex a, double complex b)
{
  double br = creal(b);
  if(is_real(b) && br == floor(br) && fabs(br) <= 64) {
    double complex r = 1;
    double complex x = br < 0 ? 1.0 / a : a;
    for(int k = (int)fabs(br); k > 0; k >>= 1) {
      if(k & 1)
        r *= x;
      x *= x;
    }
    return r;
  }
  if(is_real(a) && is_real(b) && creal(a) >= 0)
    return pow(creal(a), br);
  domain(c, s, n, a);
  return cpow(canon(a), b);
}

/* x! = Gamma(x + 1) off the integers too ((n-k)! at any point), with
 * poles at the negative integers; n!! (dbl) on integers only. */
static double complex fact_f(double complex a, int dbl)
{
  if(!is_real(a) || creal(a) > 170 ||
     (creal(a) < 0 && creal(a) == floor(creal(a))))
    return NAN;
  if(dbl) {
    double x = creal(a), f = 1;
    if(x != floor(x) || x < 0)
      return NAN;
    for(; x > 1; x -= 2)
      f *= x;
    return f;
  }
  return tgamma(creal(a) + 1);
}

/* C(x, y): exact products for small integers, Gamma beyond. */
static double complex binom_f(double complex a, double complex b)
{
  if(!is_real(a) || !is_real(b))
    return NAN;
  double x = creal(a), y = creal(b);
  if(x == floor(x) && y == floor(y) && x >= 0 && x <= 1000) {
    if(y < 0 || y > x)
      return 0;
    double r = 1;
    for(double i = 0; i < y; i++)
      r = r * (x - i) / (i + 1);
    return r;
  }
  return tgamma(x + 1) / (tgamma(y + 1) * tgamma(x - y + 1));
}

static double complex ev_f(struct gctx *c, struct side *s, int n, int j,
                           uint32_t mask);

/* A named function of node nd at point j (its argument, and the base of
 * a log, evaluated here). */
static double complex func_f(struct gctx *c, struct side *s,
                             const struct node *nd, int j, uint32_t mask)
{
  double complex a = canon(ev_f(c, s, nd->a, j, mask)), b;
  if(nd->fn == F_LN || nd->fn == F_LOG)
    domain(c, s, nd->a, a);
  switch(nd->fn) {
  case F_SIN: return csin(a);
  case F_COS: return ccos(a);
  case F_TAN: return ctan(a);
  case F_SEC: return 1.0 / ccos(a);
  case F_CSC: return 1.0 / csin(a);
  case F_COT: return 1.0 / ctan(a);
  case F_ASIN: return casin(a);
  case F_ACOS: return cacos(a);
  case F_ATAN: return catan(a);
  case F_SINH: return csinh(a);
  case F_COSH: return ccosh(a);
  case F_TANH: return ctanh(a);
  case F_EXP: return cexp(a);
  case F_LN: return is_real(a) && creal(a) > 0 ? log(creal(a)) : clog(a);
  case F_LOG: {
    double complex la = is_real(a) && creal(a) > 0 ? log(creal(a))
                                                   : clog(a);
    if(nd->b < 0)
      return la / log(10.0);
    b = canon(ev_f(c, s, nd->b, j, mask));
    domain(c, s, nd->b, b);
    return la / (is_real(b) && creal(b) > 0 ? log(creal(b)) : clog(b));
  }
  }
  return NAN;
}

static double complex ev_f(struct gctx *c, struct side *s, int n, int j,
                           uint32_t mask)
{
  if(n < 0 || work(c) < 0)
    return NAN;
  const struct node *nd = &s->nd[n];
  double complex a, b;
  switch(nd->kind) {
  case N_NUM: return s->lit[nd->lit].f;
  case N_VAR: return var_float(nd->var, j);
  case N_PI: return M_PI;
  case N_E: return M_E;
  case N_I: return I;
  case N_INF: return INFINITY;
  case N_NEG: return -ev_f(c, s, nd->a, j, mask);
  case N_ABS: return cabs(ev_f(c, s, nd->a, j, mask));
  case N_FLOOR: return floor(creal(ev_f(c, s, nd->a, j, mask)));
  case N_CEIL: return ceil(creal(ev_f(c, s, nd->a, j, mask)));
  case N_FACT: return fact_f(ev_f(c, s, nd->a, j, mask), nd->fn == 2);
  case N_PM: {
    int neg = (mask >> nd->pm) & 1;
    if(nd->fn)
      neg = !neg;
    b = ev_f(c, s, nd->b, j, mask);
    if(neg)
      b = -b;
    return nd->a < 0 ? b : ev_f(c, s, nd->a, j, mask) + b;
  }
  case N_ROOT: {
    double k = 2;
    if(nd->b >= 0) {
      b = ev_f(c, s, nd->b, j, mask);
      if(!is_real(b))
        return NAN;
      k = creal(b);
    }
    a = ev_f(c, s, nd->a, j, mask);
    if(is_real(a)) {
      double x = creal(a);
      if(x >= 0)
        return k == 2 ? sqrt(x) : pow(x, 1.0 / k);
      if(fmod(k, 2.0) == 1.0)
        return -pow(-x, 1.0 / k);
    }
    domain(c, s, nd->a, a);
    a = canon(a);
    return k == 2 ? csqrt(a) : cpow(a, 1.0 / k);
  }
  case N_POW:
    a = ev_f(c, s, nd->a, j, mask);
    b = ev_f(c, s, nd->b, j, mask);
    return cpow_real(c, s, nd->a, a, b);
  case N_FUNC: return func_f(c, s, nd, j, mask);
  case N_BINOM:
    return binom_f(ev_f(c, s, nd->a, j, mask), ev_f(c, s, nd->b, j, mask));
  default:
    a = ev_f(c, s, nd->a, j, mask);
    b = ev_f(c, s, nd->b, j, mask);
    switch(nd->kind) {
    case N_ADD: return a + b;
    case N_SUB: return a - b;
    case N_MUL: return a * b;
    case N_DIV:
      if(b == 0)
        return NAN;
      if(is_real(a) && is_real(b))
        return creal(a) / creal(b);
      return a / b;
    }
  }
  return NAN;
}

int gold_ev_float(struct gctx *c, struct side *s, int n, int j,
                  uint32_t mask, double *re, double *im)
{
  c->dom = 0;
  double complex z = ev_f(c, s, n, j, mask);
  *re = creal(z);
  *im = cimag(z);
  if(c->over)
    return GN_BIG;
  if(c->dom && j >= GOLD_POS_POINTS)
    return GN_UNDEF;
  if(!isfinite(*re) || !isfinite(*im))
    return isnan(*re) || isnan(*im) ? GN_UNDEF : GN_BIG;
  return GN_OK;
}

int gold_has_var(const struct side *s, int n)
{
  return n >= 0 && s->nd[n].hv;
}

static int has_inf(const struct side *s, int n)
{
  return n >= 0 && s->nd[n].hinf;
}

int gold_inf_sign(const struct side *s, int n)
{
  const struct node *nd = &s->nd[n];
  if(nd->kind == N_INF)
    return 1;
  if(nd->kind == N_NEG && s->nd[nd->a].kind == N_INF)
    return -1;
  return has_inf(s, n) ? 2 : 0;
}

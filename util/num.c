/* num.c - number formatting for output files (see num.h). */
#include "util/num.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

void num_put(struct buf *b, double v)
{
  if(isfinite(v))
    buf_printf(b, "%.10g", v);
  else
    buf_puts(b, "nan");
}

void num_put_inf(struct buf *b, double v)
{
  if(isnan(v))
    buf_puts(b, "nan");
  else
    buf_printf(b, "%.10g", v);
}

void num_put_json(struct buf *b, double v)
{
  if(isfinite(v))
    buf_printf(b, "%.10g", v);
  else
    buf_puts(b, "null");
}

/* ---- "%.17g" without printf ------------------------------------------- */

static const uint64_t pow10_u64[] = {
  1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
  10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
  100000000000ULL, 1000000000000ULL, 10000000000000ULL,
  100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
  100000000000000000ULL,
};

static const uint64_t pow5_u64[] = {
  1ULL, 5ULL, 25ULL, 125ULL, 625ULL, 3125ULL, 15625ULL, 78125ULL, 390625ULL,
  1953125ULL, 9765625ULL, 48828125ULL, 244140625ULL, 1220703125ULL,
  6103515625ULL, 30517578125ULL, 152587890625ULL, 762939453125ULL,
  3814697265625ULL, 19073486328125ULL, 95367431640625ULL, 476837158203125ULL,
  2384185791015625ULL, 11920928955078125ULL, 59604644775390625ULL,
  298023223876953125ULL, 1490116119384765625ULL, 7450580596923828125ULL
};

/* round-half-even(m * 2^e2 * 10^k) for 0 <= k <= 27, exact (5^k < 2^63,
 * m < 2^53); *below says whether the exact value was under 10^16 and
 * *above whether it was 10^17 or more (then the result is not used). */
static uint64_t scaled(uint64_t m, int e2, int k, int *below, int *above)
{
  unsigned __int128 p = (unsigned __int128)m * pow5_u64[k];
  int s = e2 + k;
  uint64_t q;
  int up = 0;
  if(s >= 0) {
    if(s > 8) {  /* m * 5^k * 2^9 > 2^61: far above 10^17 */
      *below = 0;
      *above = 1;
      return 0;
    }
    p <<= s;
    q = p > ~(uint64_t)0 ? ~(uint64_t)0 : (uint64_t)p;
  }
  else {
    int r = -s;
    if(r >= 127) {
      *below = 1;
      *above = 0;
      return 0;
    }
    unsigned __int128 rem = p & (((unsigned __int128)1 << r) - 1);
    unsigned __int128 hb = (unsigned __int128)1 << (r - 1);
    unsigned __int128 qq = p >> r;
    q = qq > ~(uint64_t)0 ? ~(uint64_t)0 : (uint64_t)qq;
    up = rem > hb || (rem == hb && (q & 1));
  }
  *below = q < pow10_u64[16];
  *above = q >= pow10_u64[17];
  q += (uint64_t)up;
  return q;
}

/* 17 significant digits of a (finite, normal, > 0) and its decimal
 * exponent, rounded half to even as printf does; 0 when the fast path does
 * not apply (the caller falls back to printf). */
static int digits17(double a, uint64_t *d, int *x)
{
  uint64_t bits;
  memcpy(&bits, &a, 8);
  int be = (int)(bits >> 52 & 0x7ff);
  if(be == 0 || be == 0x7ff)
    return 0;
  uint64_t m = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
  int e2 = be - 1075;
  /* floor(log10(a)) within one: log10(2) ~ 0.30103 */
  int est = (int)floor((double)(e2 + 52) * 0.30102999566398120);
  for(int tries = 0; tries < 3; tries++) {
    int k = 16 - est;
    if(k < 0 || k > 27)
      return 0;
    int below, above;
    uint64_t q = scaled(m, e2, k, &below, &above);
    if(below) {
      est--;
      continue;
    }
    if(above) {
      est++;
      continue;
    }
    if(q == pow10_u64[17]) {  /* 9.99..95 rounded up to the next decade */
      q = pow10_u64[16];
      est++;
    }
    *d = q;
    *x = est;
    return 1;
  }
  return 0;
}

void num_put_g17(struct buf *b, double v)
{
  uint64_t d;
  int x;
  if(v == 0 || !isfinite(v) || !digits17(fabs(v), &d, &x)) {
    buf_printf(b, "%.17g", v);
    return;
  }
  char dig[17], out[48];
  for(int i = 16; i >= 0; i--, d /= 10)
    dig[i] = (char)('0' + d % 10);
  int nd = 17;
  while(nd > 1 && dig[nd - 1] == '0')
    nd--;
  size_t n = 0;
  if(signbit(v))
    out[n++] = '-';
  if(x < -4 || x >= 17) {
    out[n++] = dig[0];
    if(nd > 1) {
      out[n++] = '.';
      memcpy(out + n, dig + 1, (size_t)nd - 1);
      n += (size_t)nd - 1;
    }
    int ax = x < 0 ? -x : x;
    out[n++] = 'e';
    out[n++] = x < 0 ? '-' : '+';
    if(ax >= 100)
      out[n++] = (char)('0' + ax / 100);
    out[n++] = (char)('0' + ax / 10 % 10);
    out[n++] = (char)('0' + ax % 10);
  }
  else if(x >= 0) {
    memcpy(out + n, dig, (size_t)x + 1);
    n += (size_t)x + 1;
    if(nd > x + 1) {
      out[n++] = '.';
      memcpy(out + n, dig + x + 1, (size_t)(nd - x - 1));
      n += (size_t)(nd - x - 1);
    }
  }
  else {
    out[n++] = '0';
    out[n++] = '.';
    for(int i = 0; i < -x - 1; i++)
      out[n++] = '0';
    memcpy(out + n, dig, (size_t)nd);
    n += (size_t)nd;
  }
  buf_append(b, out, n);
}

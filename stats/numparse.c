/* numparse.c - numbers of input tables (see numparse.h). */
#include "stats/numparse.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

static const double pow10_tab[23] = {
  1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int is_missing_word(const char *s, size_t n)
{
  static const char *const w[] = {"nan", "NaN", "NAN", "NA", "null", "None",
                                  "-nan"};
  for(size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
    if(strlen(w[i]) == n && !memcmp(w[i], s, n))
      return 1;
  return 0;
}

/* The digits at *pp (up to e) into *m; their count. */
static int digits(const char **pp, const char *e, uint64_t *m)
{
  const char *p = *pp;
  uint64_t v = *m;
  for(; p < e && (unsigned)(*p - '0') <= 9; p++)
    v = v * 10 + (uint64_t)(*p - '0');
  int n = (int)(p - *pp);
  *pp = p;
  *m = v;
  return n;
}

/* The exact fast path: [sign] digits [. digits] [e [sign] digits] with at
 * most 19 digits, a mantissa up to 2^53 and |exponent| <= 22.  1 with *out
 * set, 0 when the spelling is not of that form. */
static int parse_fast(const char *p, const char *e, double *out)
{
  int neg = *p == '-';
  p += *p == '-' || *p == '+';
  uint64_t m = 0;
  int nd = digits(&p, e, &m), ex = 0;
  if(p < e && *p == '.') {
    p++;
    ex = -digits(&p, e, &m);
    nd -= ex;
  }
  if(!nd)
    return 0;
  if(p < e && (*p == 'e' || *p == 'E')) {
    const char *q = p + 1;
    int eneg = q < e && *q == '-', ev = 0, edig = 0;
    q += q < e && (*q == '-' || *q == '+');
    for(; q < e && (unsigned)(*q - '0') <= 9 && ev < 10000; q++, edig = 1)
      ev = ev * 10 + (*q - '0');
    if(edig) {
      ex += eneg ? -ev : ev;
      p = q;
    }
  }
  if(p != e || nd > 19 || m > (1ULL << 53) || ex < -22 || ex > 22)
    return 0;
  double v = (double)m;
  v = ex >= 0 ? v * pow10_tab[ex] : v / pow10_tab[-ex];
  *out = neg ? -v : v;
  return 1;
}

/* Everything else: strtod on a NUL-terminated copy. */
static int parse_slow(const char *s, size_t n, double *out)
{
  if(is_missing_word(s, n))
    return 1;
  char small[64], *tmp = n < sizeof(small) ? small : xmalloc(n + 1);
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  char *end;
  errno = 0;
  double v = strtod(tmp, &end);
  int ok = end == tmp + n && end != tmp;
  if(tmp != small)
    free(tmp);
  if(!ok)
    return -1;
  if(isnan(v))
    return 1;
  if(isinf(v)) /* "inf", or an overflow such as 1e999 */
    return -1;
  *out = v;
  return 0;
}

int stats_parse_num(const char *s, size_t n, double *out)
{
  if(n && parse_fast(s, s + n, out)) /* the usual number, no blanks */
    return 0;
  while(n && (*s == ' ' || *s == '\t')) {
    s++;
    n--;
  }
  while(n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    n--;
  if(!n)
    return 1;
  if(parse_fast(s, s + n, out))
    return 0;
  return parse_slow(s, n, out);
}

int stats_parse_gold(const char *s, size_t n, double *out)
{
  if(n == 1 && (*s == '0' || *s == '1')) { /* the usual gold */
    *out = *s - '0';
    return 0;
  }
  if(n == 4 && !memcmp(s, "true", 4)) {
    *out = 1;
    return 0;
  }
  if(n == 5 && !memcmp(s, "false", 5)) {
    *out = 0;
    return 0;
  }
  return stats_parse_num(s, n, out);
}

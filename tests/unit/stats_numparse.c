/* Unit tests of stats/numparse: the numbers of input tables are strtod's,
 * bit for bit, whether the exact fast path or strtod reads them; the
 * missing words; what is refused. */
#include "tests/unit/test.h"
#include "stats/numparse.h"
#include "util/rng.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* stats_parse_num of s must be strtod's value, bit for bit. */
static void same_as_strtod(const char *s)
{
  double got = 12345, want = strtod(s, NULL);
  int rc = stats_parse_num(s, strlen(s), &got);
  CHECK_MSG(rc == 0, "'%s': rc %d", s, rc);
  CHECK_MSG(!memcmp(&got, &want, sizeof(double)), "'%s': %.17g (%a) vs "
            "strtod %.17g (%a)", s, got, got, want, want);
}

TEST(numparse_edge_cases_equal_strtod)
{
  static const char *const cases[] = {
    "0", "-0", "+0", "-0.0", "0.000", "1", "-1.329714", "0.1", "0.3",
    "1.", ".5", "-.5", "00001", "1e22", "1e23", "1e-22", "1e-23",
    "9007199254740992", "9007199254740993", "18446744073709551615",
    "1234567890123456789", "12345678901234567890",
    "123456789012345678901234567890", "0.1234567890123456789",
    "3.141592653589793238462643383279", "1E5", "1e+5", "1e-5", "2.5e-3",
    "4.9e-324", "5e-324", "2.2250738585072011e-308",
    "2.2250738585072014e-308", "1.7976931348623157e308", "1e308",
    "0x1p-3", "0x1.8p1", "1.5 ", " 1.5", "\t-2\t", "1.5\r",
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    same_as_strtod(cases[i]);
}

/* Random decimals: up to 22 digits, a point anywhere, exponents from -40
 * to 40 -- both sides of the fast path's limits. */
TEST(numparse_random_decimals_equal_strtod)
{
  struct rng r;
  rng_seed(&r, 314, 15, 92);
  char s[64];
  for(int k = 0; k < 200000; k++) {
    int n = 1 + (int)rng_below(&r, 22), dot = (int)rng_below(&r, n + 1);
    size_t j = 0;
    if(rng_below(&r, 3) == 0)
      s[j++] = rng_below(&r, 2) ? '-' : '+';
    for(int d = 0; d < n; d++) {
      if(d == dot && rng_below(&r, 2))
        s[j++] = '.';
      s[j++] = (char)('0' + rng_below(&r, 10));
    }
    if(rng_below(&r, 3) == 0)
      j += (size_t)snprintf(s + j, sizeof(s) - j, "e%d",
                            (int)rng_below(&r, 81) - 40);
    s[j] = '\0';
    same_as_strtod(s);
  }
}

TEST(numparse_missing_and_refused)
{
  static const char *const missing[] = {"", "  ", "nan", "NaN", "NAN", "NA",
                                        "null", "None", "-nan", " nan "};
  static const char *const bad[] = {"inf", "-inf", "Infinity", "1e999",
                                    "-1e999", "abc", "1e", "1e+", ".", "-",
                                    "1.5.2", "1,5", "0x", "--1", "1 2"};
  double v = 7;
  for(size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
    CHECK_MSG(stats_parse_num(missing[i], strlen(missing[i]), &v) == 1,
              "'%s'", missing[i]);
    CHECK(v == 7); /* untouched */
  }
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    CHECK_MSG(stats_parse_num(bad[i], strlen(bad[i]), &v) < 0, "'%s'",
              bad[i]);
  /* not NUL-terminated: only the n bytes count */
  CHECK(stats_parse_num("2.5e7", 3, &v) == 0 && v == 2.5);
  /* gold: true / false and the numbers */
  CHECK(stats_parse_gold("true", 4, &v) == 0 && v == 1);
  CHECK(stats_parse_gold("false", 5, &v) == 0 && v == 0);
  CHECK(stats_parse_gold("1", 1, &v) == 0 && v == 1);
  CHECK(stats_parse_gold("0", 1, &v) == 0 && v == 0 && !signbit(v));
  CHECK(stats_parse_gold("-0", 2, &v) == 0 && v == 0 && signbit(v));
  CHECK(stats_parse_gold("0.75", 4, &v) == 0 && v == 0.75);
}

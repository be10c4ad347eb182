/* test.h - a tiny unit-test harness.
 *
 *   TEST(parses_fractions) { CHECK(x == 1); CHECK_NEAR(a, b, 1e-9); }
 *
 * Tests register themselves (a constructor per TEST), so a new file in
 * tests/unit/ needs no table edit.  `tests/unit [FILTER...]` runs every test whose
 * name contains one of the filters.  A failed CHECK reports file:line and
 * the expression, and the test goes on so one run shows every failure. */
#ifndef BON_TEST_H
#define BON_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, const char *file, test_fn fn);
/* Count one failed check (used by the macros). */
void test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Path of a scratch folder for the running test, created fresh. */
const char *test_tmpdir(void);

#define TEST(name)                                                      \
  static void test_##name(void);                                        \
  __attribute__((constructor)) static void test_reg_##name(void)        \
  {                                                                     \
    test_register(#name, __FILE__, test_##name);                        \
  }                                                                     \
  static void test_##name(void)

#define CHECK(cond)                                                     \
  do {                                                                  \
    if(!(cond))                                                         \
      test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                \
  } while(0)

#define CHECK_MSG(cond, ...)                                            \
  do {                                                                  \
    if(!(cond))                                                         \
      test_fail(__FILE__, __LINE__, __VA_ARGS__);                       \
  } while(0)

#define CHECK_INT(a, b)                                                 \
  do {                                                                  \
    long long a_ = (long long)(a), b_ = (long long)(b);                 \
    if(a_ != b_)                                                        \
      test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b,   \
                a_, b_);                                                \
  } while(0)

#define CHECK_NEAR(a, b, tol)                                           \
  do {                                                                  \
    double a_ = (double)(a), b_ = (double)(b);                          \
    if(!(fabs(a_ - b_) <= (tol)) || a_ != a_ || b_ != b_)               \
      test_fail(__FILE__, __LINE__, "%s ~ %s: %.17g vs %.17g (tol %g)", \
                #a, #b, a_, b_, (double)(tol));                         \
  } while(0)

#define CHECK_STR(a, b)                                                 \
  do {                                                                  \
    const char *a_ = (a), *b_ = (b);                                    \
    if(!a_ || !b_ || strcmp(a_, b_) != 0)                               \
      test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", #a,   \
                #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)");            \
  } while(0)

#endif

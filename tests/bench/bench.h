/* bench.h - the `make bench` harness.
 *
 *   BENCH(verifier_pairs) { ... bench_report("pairs", n, seconds); }
 *
 * Benchmarks register themselves like tests.  Each prints throughput lines
 * through bench_report; bench_time_median runs a body several times and
 * returns the median wall time, which is what we quote on shared machines. */
#ifndef BON_BENCH_H
#define BON_BENCH_H

#include <stddef.h>

typedef void (*bench_fn)(void);
void bench_register(const char *name, bench_fn fn);
/* Seconds on a monotonic clock. */
double bench_now(void);
/* Median of `reps` timings of fn(ctx), in seconds. */
double bench_time_median(int reps, void (*fn)(void *ctx), void *ctx);
/* Print "name: items in seconds s = rate unit/s". */
void bench_report(const char *what, double items, double seconds,
                  const char *unit);

#define BENCH(name)                                                 \
  static void bench_##name(void);                                   \
  __attribute__((constructor)) static void bench_reg_##name(void)   \
  {                                                                 \
    bench_register(#name, bench_##name);                            \
  }                                                                 \
  static void bench_##name(void)

#endif

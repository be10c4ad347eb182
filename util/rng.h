/* rng.h - small, fast, deterministic random numbers.
 *
 * Every random stream in bonrun is derived from (master seed, stream ids),
 * never from time or thread order, so any run is reproducible from its config
 * and seed whatever the thread count.  The generator is xoshiro256**, seeded
 * through splitmix64. */
#ifndef BON_RNG_H
#define BON_RNG_H

#include <stdint.h>

struct rng {
  uint64_t s[4];
};

/* A stream for (seed, a, b): distinct (a, b) give independent streams. */
void rng_seed(struct rng *r, uint64_t seed, uint64_t a, uint64_t b);
uint64_t rng_u64(struct rng *r);
/* Uniform in [0, 1). */
double rng_unif(struct rng *r);
/* Uniform integer in [0, n), unbiased; n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Standard normal (Box-Muller, one value per call). */
double rng_normal(struct rng *r);
/* splitmix64 finaliser: a good 64-bit mixing function. */
uint64_t mix64(uint64_t x);

#endif

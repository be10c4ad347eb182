#include "util/rng.h"

#include <math.h>

uint64_t mix64(uint64_t x)
{
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void rng_seed(struct rng *r, uint64_t seed, uint64_t a, uint64_t b)
{
  uint64_t x = mix64(seed) ^ mix64(a * 0x632be59bd9b4e019ULL + 1) ^
               mix64(b * 0x85157af5ULL + 0x7f4a7c15ULL);
  for(int i = 0; i < 4; i++) {
    x = mix64(x + (uint64_t)i);
    r->s[i] = x;
  }
  if(!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
    r->s[0] = 1;
}

static inline uint64_t rotl(uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

uint64_t rng_u64(struct rng *r)
{
  uint64_t *s = r->s;
  uint64_t result = rotl(s[1] * 5, 7) * 9;
  uint64_t t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 45);
  return result;
}

double rng_unif(struct rng *r)
{
  return (double)(rng_u64(r) >> 11) * 0x1.0p-53;
}

uint64_t rng_below(struct rng *r, uint64_t n)
{
  uint64_t lim = UINT64_MAX - UINT64_MAX % n;
  uint64_t x;
  do
    x = rng_u64(r);
  while(x >= lim);
  return x % n;
}

double rng_normal(struct rng *r)
{
  double u1 = rng_unif(r), u2 = rng_unif(r);
  if(u1 < 1e-300)
    u1 = 1e-300;
  return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

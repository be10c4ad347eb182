#include "util/hash.h"
#include "util/rng.h"

#include <string.h>

uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
  const unsigned char *s = p;
  for(size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

/* Fold the 8-byte words of s[0..n) into h; *done: the bytes they took. */
static uint64_t fold_words(uint64_t h, const unsigned char *s, size_t n,
                           size_t *done)
{
  size_t i = 0;
  for(; i + 8 <= n; i += 8) {
    uint64_t v;
    memcpy(&v, s + i, 8);
    h = (h ^ v) * 0x100000001b3ULL;
    h ^= h >> 29;
  }
  *done = i;
  return h;
}

uint64_t hash_bulk(uint64_t h, const void *p, size_t n)
{
  const unsigned char *s = p;
  size_t i;
  h = fold_words(h, s, n, &i);
  return hash_bytes(hash_u64(h, n), s + i, n - i);
}

uint64_t hash_mem(const void *p, size_t n)
{
  const unsigned char *s = p;
  size_t i;
  uint64_t h = fold_words(HASH_INIT, s, n, &i);
  for(; i < n; i++)
    h = (h ^ s[i]) * 0x100000001b3ULL;
  return mix64(h ^ n);
}

uint64_t hash_str(uint64_t h, const char *s)
{
  return hash_bytes(h, s, strlen(s) + 1);
}

uint64_t hash_u64(uint64_t h, uint64_t v)
{
  return hash_bytes(h, &v, sizeof(v));
}

void hash_hex(uint64_t h, char out[17])
{
  static const char hex[] = "0123456789abcdef";
  h = mix64(h);
  for(int i = 15; i >= 0; i--) {
    out[i] = hex[h & 15];
    h >>= 4;
  }
  out[16] = '\0';
}

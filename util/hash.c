#include "util/hash.h"
#include "util/rng.h"

#include <string.h>

#define FNV_PRIME 0x100000001b3ULL

/* One FNV-1a step per byte: the values are fixed (they are stored as
 * record keys), so only the way the bytes are fetched may change. */
#define FNV1(h, c) ((h) = ((h) ^ (unsigned char)(c)) * FNV_PRIME)

/* The 8 bytes at p, least significant first whatever the byte order. */
static uint64_t load_le(const unsigned char *p)
{
  uint64_t w;
  memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  w = __builtin_bswap64(w);
#endif
  return w;
}

uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
  const unsigned char *s = p;
  size_t i = 0;
  for(; i + 8 <= n; i += 8) {
    uint64_t w = load_le(s + i);
    for(int k = 0; k < 8; k++, w >>= 8)
      FNV1(h, w);
  }
  for(; i < n; i++)
    FNV1(h, s[i]);
  return h;
}

/* Four chains over the same bytes at once: each chain waits on its own
 * multiply, so the four overlap. */
static void fnv4(uint64_t *h, const unsigned char *s, size_t n)
{
  uint64_t a = h[0], b = h[1], c = h[2], d = h[3];
  size_t i = 0;
  for(; i + 8 <= n; i += 8) {
    uint64_t w = load_le(s + i);
    for(int k = 0; k < 8; k++, w >>= 8) {
      FNV1(a, w);
      FNV1(b, w);
      FNV1(c, w);
      FNV1(d, w);
    }
  }
  for(; i < n; i++) {
    FNV1(a, s[i]);
    FNV1(b, s[i]);
    FNV1(c, s[i]);
    FNV1(d, s[i]);
  }
  h[0] = a;
  h[1] = b;
  h[2] = c;
  h[3] = d;
}

void hash_bytes_lanes(uint64_t *h, size_t nh, const void *p, size_t n)
{
  size_t k = 0;
  for(; k + 4 <= nh; k += 4)
    fnv4(h + k, p, n);
  for(; k < nh; k++)
    h[k] = hash_bytes(h[k], p, n);
}

void hash_str_lanes(uint64_t *h, size_t nh, const char *s)
{
  hash_bytes_lanes(h, nh, s, strlen(s) + 1);
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

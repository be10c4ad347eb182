/* Unit tests of util/: buffers, RNG streams, hashing, files. */
#include "tests/unit/test.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/num.h"
#include "util/rng.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

TEST(buf_json_escapes)
{
  struct buf b = BUF_INIT;
  buf_json_str(&b, "a\"b\\c\n\x01");
  CHECK_STR(buf_str(&b), "\"a\\\"b\\\\c\\n\\u0001\"");
  buf_free(&b);
}

TEST(rng_streams_are_reproducible_and_distinct)
{
  struct rng a, b, c;
  rng_seed(&a, 42, 1, 2);
  rng_seed(&b, 42, 1, 2);
  rng_seed(&c, 42, 2, 1);
  int same = 1, differ = 0;
  for(int i = 0; i < 100; i++) {
    uint64_t x = rng_u64(&a), y = rng_u64(&b), z = rng_u64(&c);
    same &= x == y;
    differ |= x != z;
  }
  CHECK(same);
  CHECK(differ);
}

TEST(rng_unif_mean_and_below_range)
{
  struct rng r;
  rng_seed(&r, 7, 0, 0);
  double s = 0;
  int n = 100000, bad = 0;
  for(int i = 0; i < n; i++) {
    s += rng_unif(&r);
    bad += rng_below(&r, 7) >= 7;
  }
  CHECK_NEAR(s / n, 0.5, 0.01);
  CHECK_INT(bad, 0);
}

TEST(hash_separates_fields)
{
  uint64_t a = hash_str(hash_str(HASH_INIT, "ab"), "c");
  uint64_t b = hash_str(hash_str(HASH_INIT, "a"), "bc");
  CHECK(a != b);
  char hex[17];
  hash_hex(a, hex);
  CHECK_INT(strlen(hex), 16);
}

TEST(fs_write_atomic_roundtrip)
{
  struct bon_err err;
  char *dir = fs_join(test_tmpdir(), "x/y");
  CHECK(fs_mkdirs(dir, &err) == 0);
  char *f = fs_join(dir, "f.txt");
  CHECK(fs_write_atomic(f, "hello", 5, &err) == 0);
  size_t n = 0;
  char *s = fs_read_file(f, &n, &err);
  CHECK_STR(s, "hello");
  CHECK_INT(n, 5);
  free(s);
  CHECK(fs_read_file("/nonexistent/zz", NULL, &err) == NULL);
  CHECK(strstr(err.msg, "/nonexistent/zz") != NULL);
  free(f);
  free(dir);
}

#include "util/u64map.h"

TEST(u64map_against_a_plain_array)
{
  struct u64map m = U64MAP_INIT;
  enum { N = 20000 };
  static uint64_t keys[N];
  struct rng r;
  rng_seed(&r, 5, 0, 0);
  for(int i = 0; i < N; i++) {
    keys[i] = rng_u64(&r) | 1;
    int fresh;
    struct u64map_slot *s = u64map_put(&m, keys[i], &fresh);
    CHECK(fresh);
    s->a = (uint64_t)i;
  }
  CHECK_INT(m.n, N);
  int fresh = 1;
  u64map_put(&m, keys[7], &fresh)->b = 99; /* present: not fresh */
  CHECK(!fresh);
  CHECK_INT(m.n, N);
  int bad = 0;
  for(int i = 0; i < N; i++) {
    const struct u64map_slot *s = u64map_get(&m, keys[i]);
    bad += !s || s->a != (uint64_t)i;
  }
  CHECK_INT(bad, 0);
  CHECK_INT(u64map_get(&m, keys[7])->b, 99);
  CHECK(u64map_get(&m, 2) == NULL); /* even keys were never added */
  u64map_free(&m);
  CHECK(u64map_get(&m, keys[0]) == NULL);
}

/* The byte-at-a-time FNV-1a that record keys were made with: the word-at-
 * a-time and multi-chain versions must give its values exactly. */
static uint64_t fnv_ref(uint64_t h, const unsigned char *s, size_t n)
{
  for(size_t i = 0; i < n; i++) {
    h ^= s[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}

TEST(hash_keeps_the_fnv_values)
{
  /* a key as stored by earlier versions: sample "p1"'s first record */
  CHECK(hash_str(HASH_INIT, "") == 0xaf63bd4c8601b7dfULL);
  CHECK(hash_str(HASH_INIT, "sample") == fnv_ref(HASH_INIT,
        (const unsigned char *)"sample", 7));
  unsigned char data[300];
  struct rng r;
  rng_seed(&r, 7, 1, 2);
  for(size_t i = 0; i < sizeof(data); i++)
    data[i] = (unsigned char)rng_below(&r, 256);
  for(size_t n = 0; n <= sizeof(data); n += n < 20 ? 1 : 37) {
    for(size_t off = 0; off < 8 && off + n <= sizeof(data); off++) {
      uint64_t want = fnv_ref(12345, data + off, n);
      CHECK(hash_bytes(12345, data + off, n) == want);
      uint64_t h[9], w[9];
      for(size_t k = 0; k < 9; k++) {
        h[k] = HASH_INIT + k * 977;
        w[k] = fnv_ref(h[k], data + off, n);
      }
      for(size_t nh = 0; nh <= 9; nh++) {
        uint64_t g[9];
        memcpy(g, h, sizeof(g));
        hash_bytes_lanes(g, nh, data + off, n);
        for(size_t k = 0; k < 9; k++)
          CHECK(g[k] == (k < nh ? w[k] : h[k]));
      }
    }
  }
  uint64_t l[5] = {1, 2, 3, 4, 5};
  hash_str_lanes(l, 5, "score");
  for(int k = 0; k < 5; k++)
    CHECK(l[k] == hash_str((uint64_t)k + 1, "score"));
}

static void check_g17(double v)
{
  char want[64];
  snprintf(want, sizeof(want), "%.17g", v);
  struct buf b = BUF_INIT;
  num_put_g17(&b, v);
  CHECK_MSG(!strcmp(buf_str(&b), want), "%%.17g of %a: \"%s\" != \"%s\"",
            v, buf_str(&b), want);
  buf_free(&b);
}

TEST(num_put_g17_is_printf)
{
  static const double fixed[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, 1e-5, 1e-4, 9.9999e-5,
    1e16, 1e17, 9.999999999999999e16, 99999999999999999.0, 1e-11, 1e-12,
    123456789012345678.0, 3.0 / 7, -2.0 / 3, 5e-324, 2.2250738585072014e-308,
    1.7976931348623157e308, 0.30000000000000004, 4503599627370496.5,
    9007199254740993.0, 1e22, 1e23, 0.001, 0.0001, 0.00001234,
  };
  for(size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
    check_g17(fixed[i]);
  check_g17(INFINITY);
  check_g17(-INFINITY);
  check_g17(NAN);
  struct rng r;
  rng_seed(&r, 11, 2, 3);
  for(int i = 0; i < 100000; i++) {
    uint64_t bits = rng_u64(&r);
    double v;
    memcpy(&v, &bits, 8);
    check_g17(v);                                   /* any double */
    check_g17(ldexp(rng_unif(&r) - 0.5, (int)rng_below(&r, 90) - 45));
    check_g17((double)(int64_t)(rng_u64(&r) >> 20) / 1024);  /* ties */
    check_g17(floor(rng_unif(&r) * 1e6) / 1e3);     /* short decimals */
  }
}

TEST(buf_put_u64_is_printf)
{
  static const unsigned long long v[] = {0, 1, 9, 10, 99, 100, 12345,
                                         4294967296ULL,
                                         18446744073709551615ULL};
  for(size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
    struct buf b = BUF_INIT;
    char want[32];
    snprintf(want, sizeof(want), "%llu", v[i]);
    buf_put_u64(&b, v[i]);
    CHECK_STR(buf_str(&b), want);
    buf_free(&b);
  }
}

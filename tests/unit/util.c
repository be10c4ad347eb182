/* Unit tests of util/: buffers, RNG streams, hashing, files. */
#include "tests/unit/test.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/rng.h"

#include <stdlib.h>

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

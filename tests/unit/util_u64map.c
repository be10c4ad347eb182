/* Unit tests of util/u64map.c's u64map_reserve: room made once keeps
 * every key and is not grown again by the keys it was made for. */
#include "tests/unit/test.h"
#include "util/u64map.h"

TEST(u64map_reserve_then_fill)
{
  struct u64map m = U64MAP_INIT;
  int fresh;
  for(uint64_t k = 1; k <= 100; k++)
    u64map_put(&m, k * 0x10001, &fresh)->a = k;
  u64map_reserve(&m, 5000);
  size_t cap = m.cap;
  CHECK(cap * 7 >= 5000 * 10);
  for(uint64_t k = 1; k <= 100; k++) {
    const struct u64map_slot *s = u64map_get(&m, k * 0x10001);
    CHECK(s && s->a == k);
  }
  for(uint64_t k = 101; k <= 5000; k++) {
    u64map_put(&m, k * 0x10001, &fresh)->a = k;
    CHECK(fresh);
  }
  CHECK_INT(m.cap, cap); /* no growth */
  CHECK_INT(m.n, 5000);
  for(uint64_t k = 1; k <= 5000; k++) {
    const struct u64map_slot *s = u64map_get(&m, k * 0x10001);
    CHECK_MSG(s && s->a == k, "key %llu", (unsigned long long)k);
  }
  u64map_reserve(&m, 10); /* never shrinks */
  CHECK_INT(m.cap, cap);
  u64map_free(&m);
}

/* Unit tests of util/hash.c's hash_bulk: what a file's fingerprint needs
 * (equal bytes, equal hash; any one byte changed anywhere, or a length
 * changed, another hash). */
#include "tests/unit/test.h"
#include "util/hash.h"

#include <stdlib.h>

TEST(hash_bulk_sees_every_byte)
{
  enum { N = 1000 };
  unsigned char *a = malloc(N), *b = malloc(N);
  for(int i = 0; i < N; i++)
    a[i] = b[i] = (unsigned char)(i * 7 + 3);
  uint64_t h = hash_bulk(HASH_INIT, a, N);
  CHECK(h == hash_bulk(HASH_INIT, b, N));
  /* every position, in the 8-byte words and in the tail */
  for(int i = 0; i < N; i++) {
    b[i] ^= 1;
    CHECK_MSG(hash_bulk(HASH_INIT, b, N) != h, "byte %d unseen", i);
    b[i] ^= 1;
  }
  for(int n = 0; n < 24; n++)
    CHECK_MSG(hash_bulk(HASH_INIT, a, (size_t)n) !=
              hash_bulk(HASH_INIT, a, (size_t)n + 1), "length %d", n);
  /* zero bytes count too */
  unsigned char z[16] = {0};
  CHECK(hash_bulk(HASH_INIT, z, 8) != hash_bulk(HASH_INIT, z, 16));
  CHECK(hash_bulk(1, a, N) != h);
  free(a);
  free(b);
}

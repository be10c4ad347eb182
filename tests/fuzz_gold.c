/* libFuzzer target over the gold verifier: extraction, parsing and
 * equivalence.  The input is split at the first 0x1f byte into gold and
 * pred (no separator: the whole input is both); each is judged against
 * the other both ways, and extracted alone.  Seeds: tests/fuzz/fuzz_gold/
 * (made from tests/gold_cases.txt by tests/fuzz/fuzz_gold/gen.sh). */
#include "gold/gold.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *buf = malloc(size + 1);
  if(!buf)
    return 0;
  memcpy(buf, data, size);
  buf[size] = '\0';
  char *sep = memchr(buf, 0x1f, size);
  const char *g = buf, *p = buf;
  if(sep) {
    *sep = '\0';
    p = sep + 1;
  }
  struct gold_verdict v;
  gold_judge(g, p, &v);
  if(!v.reason || !v.gold_type || !v.pred_type)
    abort();
  if(strlen(v.gold_answer) >= sizeof(v.gold_answer))
    abort();
  gold_judge(p, g, &v);
  /* a text always equals itself unless refused before comparison */
  gold_judge(g, g, &v);
  char out[64];
  int n = gold_extract(p, out, sizeof(out));
  if(n >= 0 && strlen(out) > (size_t)n)
    abort();
  free(buf);
  return 0;
}

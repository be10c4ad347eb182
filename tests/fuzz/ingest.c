/* tests/fuzz/ingest.c - libFuzzer target: the data-file readers of
 * ingest/ on arbitrary bytes.  Bit 0 of the first byte turns a filter on,
 * bit 1 group keys, bit 2 a limit; the rest is the file, read as records
 * and as a problem set.  A set that loads is checked for its invariants. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/problems.h"
#include "ingest/records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *ctx, const cJSON *rec, size_t line, size_t index,
                 struct bon_err *err)
{
  (void)err;
  size_t *n = ctx;
  if(!cJSON_IsObject(rec) || line < 1 || index != *n)
    abort();
  (*n)++;
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size < 1)
    return 0;
  const char *text = (const char *)data + 1;
  size_t len = size - 1;
  struct bon_err err;
  size_t n = 0;
  ingest_records(text, len, "fuzz", count, &n, &err);
  static const char *const keys[] = {"feature.level", "data_source"};
  cJSON *filter = NULL;
  struct ingest_problem_opts o;
  memset(&o, 0, sizeof(o));
  if(data[0] & 1) {
    filter = cJSON_Parse("{\"data_source\":[\"MATH\",1],\"a.b\":true}");
    o.filter = filter;
  }
  if(data[0] & 2) {
    o.group_keys = keys;
    o.ngroups = 2;
  }
  if(data[0] & 4)
    o.limit = 3;
  struct ingest_problem *ps;
  size_t np;
  if(ingest_problems(text, len, "fuzz", &o, &ps, &np, &err) == 0) {
    if(!np || (o.limit && np > o.limit))
      abort();
    for(size_t i = 0; i < np; i++)
      if(!ps[i].id[0] || !ps[i].question[0] || !ps[i].answer[0] ||
         strpbrk(ps[i].id, ",\"\n\r"))
        abort();
    ingest_problems_free(ps, np, o.ngroups);
  }
  cJSON_Delete(filter);
  return 0;
}

/* tests/fuzz/ingest.c - libFuzzer target: the data-file readers of
 * ingest/ on arbitrary bytes.  Bit 0 of the first byte turns a filter on,
 * bit 1 group keys (and set keys for completions), bit 2 a limit; the rest
 * is the file, read as records, as a problem set, as an official result
 * file, as replayed completions and as benchmark candidates (bits 3-5 pick
 * the format, bit 6 an exclusion, bit 7 a subset).  What loads is checked
 * for its invariants. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/bench.h"
#include "ingest/completions.h"
#include "ingest/official.h"
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

/* Every problem: one correct candidate, at least one incorrect one. */
static void check_bench(const struct ingest_bench *b)
{
  if(!b->nproblems)
    abort();
  for(size_t p = 0; p < b->nproblems; p++) {
    size_t good = 0, bad = 0;
    for(size_t i = 0; i < b->ncands; i++)
      if(b->cands[i].problem == p) {
        good += b->cands[i].correct;
        bad += !b->cands[i].correct;
        if(!b->cands[i].sol.text)
          abort();
      }
    const char *first = NULL;
    for(size_t i = 0; i < b->npairs; i++) {
      const struct ingest_pair *q = &b->pairs[i];
      if(q->problem != p)
        continue;
      bad++;
      /* every comparison shows the same correct solution */
      const char *ok = q->correct_is_a ? q->a.text : q->b.text;
      if(first && strcmp(first, ok))
        abort();
      first = ok;
    }
    if((b->npairs ? 0 : good != 1) || !bad)
      abort();
  }
}

static void fuzz_bench(uint8_t bits, const char *text, size_t len)
{
  static const char *const ex[] = {"gen-a"}, *const sub[] = {"math-prm"};
  struct ingest_bench_opts o = {(enum ingest_bench_format)((bits >> 3) % 5),
                                (bits & 128) ? sub : NULL, (bits >> 7) & 1,
                                (bits & 64) ? ex : NULL, (bits >> 6) & 1};
  struct ingest_bench b;
  struct bon_err err;
  if(ingest_bench_read(text, len, "fuzz", &o, &b, &err) == 0) {
    check_bench(&b);
    ingest_bench_free(&b);
  }
}

/* Sorted by id, ranks 0, 1, ... per problem, find() agrees. */
static void fuzz_completions(uint8_t bits, const char *text, size_t len)
{
  struct ingest_completion_opts set = {"id", "out.text", "k", "seed"};
  struct ingest_completions s;
  struct bon_err err;
  if(ingest_completions_read(text, len, "fuzz", (bits & 2) ? &set : NULL,
                             &s, &err))
    return;
  size_t problems = 0;
  if(!s.n)
    abort();
  for(size_t i = 0; i < s.n; i++) {
    const struct ingest_completion *c = &s.c[i];
    int same = i && !strcmp(c[-1].problem_id, c->problem_id);
    if(!c->problem_id[0] || !c->text || (i && !same &&
       strcmp(c[-1].problem_id, c->problem_id) > 0) ||
       c->rank != (same ? c[-1].rank + 1 : 0))
      abort();
    problems += !same;
    size_t first, n = ingest_completions_find(&s, c->problem_id, &first);
    if(first > i || i - first != c->rank || c->rank >= n)
      abort();
  }
  if(problems != s.nproblems)
    abort();
  ingest_completions_free(&s);
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
  fuzz_bench(data[0], text, len);
  fuzz_completions(data[0], text, len);
  struct ingest_scores sc;
  memset(&sc, 0, sizeof(sc));
  if(ingest_official(text, len, "fuzz", &sc, &err) == 0 && !sc.nrows)
    abort();
  ingest_scores_free(&sc);
  return 0;
}

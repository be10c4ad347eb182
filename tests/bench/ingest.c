/* Benchmarks of ingest/'s replayed completions: reading a file of 100k
 * completions (1000 problems x 100, ~400-byte texts, JSON lines) and
 * looking every (problem, sample) up, as the "file" policy does. */
#include "ingest/completions.h"
#include "tests/bench/bench.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ictx {
  struct buf text;
  struct ingest_completions set;
  size_t n;
};

static void run_read(void *p)
{
  struct ictx *c = p;
  struct bon_err err;
  ingest_completions_free(&c->set);
  if(ingest_completions_read(c->text.data, c->text.len, "bench.jsonl", NULL,
                             &c->set, &err)) {
    fprintf(stderr, "bench: %s\n", err.msg);
    abort();
  }
}

static void run_find(void *p)
{
  struct ictx *c = p;
  size_t found = 0, first;
  char id[32];
  for(size_t i = 0; i < c->n; i++) {
    snprintf(id, sizeof(id), "test/%zu.json", i / 100);
    found += ingest_completions_find(&c->set, id, &first) > i % 100;
  }
  if(found != c->n)
    abort();
}

BENCH(ingest_completions)
{
  struct ictx c;
  memset(&c, 0, sizeof(c));
  c.n = 100000;
  for(size_t i = 0; i < c.n; i++) {
    buf_printf(&c.text, "{\"problem_id\":\"test/%zu.json\",\"sample\":%zu,"
               "\"seed\":%zu,\"text\":\"", i / 100, i % 100, i);
    for(int k = 0; k < 8; k++)
      buf_puts(&c.text, "We compute $3 \\\\times 4 = 12$ and go on. ");
    buf_printf(&c.text, "The answer is $\\\\boxed{%zu}$.\"}\n", i % 97);
  }
  double t = bench_time_median(3, run_read, &c);
  bench_report("read 100k completions (JSON lines)", (double)c.n, t,
               "completions");
  bench_report("read 100k completions (JSON lines)",
               (double)c.text.len / 1048576.0, t, "MiB");
  t = bench_time_median(5, run_find, &c);
  bench_report("look up 100k (problem, sample)", (double)c.n, t, "lookups");
  ingest_completions_free(&c.set);
  buf_free(&c.text);
}

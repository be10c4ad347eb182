/* Unit tests of the parallel table reader (stats/table_par.c,
 * table_join.c): for any thread count, the table is the one the
 * sequential reader gives, field by field, whatever the row order, the
 * format, the filter; and a bad input gives the sequential reader's
 * message. */
#include "tests/unit/test.h"
#include "stats/table.h"
#include "stats/table_int.h"
#include "util/buf.h"
#include "util/fsutil.h"

#include <stdlib.h>

/* A table of P problems x S samples x R RMs, large enough for several
 * chunks.  order 0: by candidate (the usual); 1: RM-major (every
 * candidate in R separate runs); 2: samples shuffled within problems. */
static void gen(struct buf *b, int fmt, int order, int P, int S, int R)
{
  const char *sep = fmt == 1 ? "\t" : ",";
  if(fmt != 2)
    buf_printf(b, "problem_id%ssample_id%srm%sscore%scorrect%sanswer%skind\n",
               sep, sep, sep, sep, sep, sep);
  int n = P * S * R;
  for(int i = 0; i < n; i++) {
    int p, s, m;
    if(order == 1) {
      m = i / (P * S);
      p = i / S % P;
      s = i % S;
    }
    else {
      p = i / (S * R);
      s = i / R % S;
      m = i % R;
      if(order == 2)
        s = (s * 7 + p) % S; /* a permutation of the samples */
    }
    int c = (p * 31 + s * 17) % 3 == 0;
    double sc = (double)((p * 131 + s * 71 + m * 13) % 1000) / 250.0 - 2;
    const char *ans = c ? "42" : (s % 4 ? "7" : "");
    if(fmt == 2) {
      buf_printf(b, "{\"problem_id\": \"q%d\", \"sample_id\": %d, \"rm\": "
                 "\"r%d\", \"score\": ", p, s, m);
      if(i % 97)
        buf_printf(b, "%.6f", sc);
      else
        buf_puts(b, "null");
      buf_printf(b, ", \"correct\": %d, \"answer\": \"%s\"}\n", c, ans);
      continue;
    }
    buf_printf(b, "q%d%s%d%sr%d%s", p, sep, s, sep, m, sep);
    if(i % 97)
      buf_printf(b, "%.6f", sc);
    buf_printf(b, "%s%d%s%s%s%s\n", sep, c, sep, ans, sep,
               m == 1 ? "pairwise" : m == 2 && s % 2 ? "score" : "");
  }
}

static void opts(struct stats_table_opts *o, int threads,
                 const char *const *keep)
{
  stats_table_opts_init(o);
  o->threads = threads;
  if(keep) {
    o->rms = keep;
    o->n_rms = 2;
  }
}

static struct stats_table *parse(const struct buf *b, const char *name,
                                 int threads, const char *const *keep,
                                 struct bon_err *err)
{
  struct stats_table_opts o;
  opts(&o, threads, keep);
  return stats_table_parse(b->data, b->len, name, &o, err);
}

/* The parallel reader itself: NULL when it gives up. */
static struct stats_table *parse_par(const struct buf *b, const char *name,
                                     int threads, const char *const *keep)
{
  struct stats_table_opts o;
  opts(&o, threads, keep);
  return stats_table_parse_par(b->data, b->data + b->len,
                               stats_table_format(name, b->data, b->len, &o),
                               name, &o, 4096, 0);
}

TEST(table_parallel_reader_equals_sequential)
{
  static const char *const names[3] = {"t.csv", "t.tsv", "t.jsonl"};
  static const char *const keep[] = {"r1", "r3"};
  for(int fmt = 0; fmt < 3; fmt++)
    for(int order = 0; order < 3; order++)
      for(int filter = 0; filter < 2; filter++) {
        struct buf b = BUF_INIT;
        gen(&b, fmt, order, 12, 16, 5);
        CHECK_MSG(b.len > 4u * 4096, "%zu bytes", b.len); /* 4+ chunks */
        struct bon_err e1, e2;
        const char *const *k = filter ? keep : NULL;
        struct stats_table *seq = parse(&b, names[fmt], 1, k, &e1);
        CHECK_MSG(seq != NULL, "%s", e1.msg);
        for(int th = 2; seq && th <= 7; th++) {
          /* the parallel reader does read it, and reads the same */
          struct stats_table *par = parse_par(&b, names[fmt], th, k);
          CHECK_MSG(par && stats_table_equal(seq, par), "format %d order %d "
                    "filter %d threads %d", fmt, order, filter, th);
          stats_table_free(par);
        }
        (void)e2;
        stats_table_free(seq);
        buf_free(&b);
      }
}

/* A fault far from the start (so in a later chunk, or between chunks):
 * the parallel reader gives up and the message is the sequential
 * reader's, line number included. */
TEST(table_parallel_reader_errors_as_sequential)
{
  static const char *const faults[] = {
    "q0,0,r0,0.5,0,,\n",             /* the triple again: duplicate */
    "q1,3,r2,0.5,1,42,\n",           /* same candidate, other gold */
    "q11,15,r0,1.5,0,9,\n",          /* ... or other answer */
    "q2,1,r1,abc,0,,pairwise\n",     /* a bad number */
    "q13,0,r0,0.5,1,,\n",            /* a new candidate: ragged pools */
    "q3,4,r1,0.5\n",                 /* too few fields */
    "q11,15,r4,0.5,0,7,pairwise\n",  /* again, and with another kind */
  };
  for(size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
    struct buf b = BUF_INIT;
    gen(&b, 0, 0, 12, 16, 5);
    buf_puts(&b, faults[i]);
    struct bon_err e1, e2;
    struct stats_table *seq = parse(&b, "f.csv", 1, NULL, &e1);
    struct stats_table *par = parse(&b, "f.csv", 3, NULL, &e2);
    CHECK_MSG(!seq && !par, "fault %zu read", i);
    CHECK(parse_par(&b, "f.csv", 3, NULL) == NULL); /* it gives up */
    struct stats_table *ok = NULL;
    if(i == 0) { /* the same file without the fault: read in parallel */
      b.len -= strlen(faults[i]);
      ok = parse_par(&b, "f.csv", 3, NULL);
      CHECK(ok != NULL);
    }
    stats_table_free(ok);
    if(!seq && !par)
      CHECK_STR(e1.msg, e2.msg);
    stats_table_free(seq);
    stats_table_free(par);
    buf_free(&b);
  }
}

/* A table file larger than the windows of the reader, read from its
 * mapping with the pages given back behind the workers: the same table as
 * from a copy in memory, and a file with a quote read sequentially. */
TEST(table_read_file_gives_pages_back_and_reads_the_same)
{
  for(int quoted = 0; quoted < 2; quoted++) {
    struct buf b = BUF_INIT;
    gen(&b, 0, 0, 300, 256, 4);  /* ~9 MB: several 4 MiB windows */
    for(int m = 0; quoted && m < 4; m++)
      buf_printf(&b, "q0,999,r%d,1,0,\"1,5\",%s\n", m,
                 m == 1 ? "pairwise" : "");
    char *path = fs_join(test_tmpdir(), "big.csv");
    struct bon_err err;
    CHECK_INT(fs_write_atomic(path, b.data, b.len, &err), 0);
    struct stats_table *mem = parse(&b, path, 1, NULL, &err);
    CHECK_MSG(mem != NULL, "%s", err.msg);
    struct stats_table_opts o;
    opts(&o, 3, NULL);
    struct stats_table *file = stats_table_read(path, &o, &err);
    CHECK_MSG(file != NULL, "%s", err.msg);
    CHECK(mem && file && stats_table_equal(mem, file));
    stats_table_free(mem);
    stats_table_free(file);
    free(path);
    buf_free(&b);
  }
}

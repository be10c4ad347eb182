/* table_par.c - reading a large scores table in parallel (see
 * stats_table_parse_par in table_int.h).
 *
 * The rows after the header are cut into one chunk per worker at line
 * boundaries; each worker reads its chunk with the sequential row reader
 * into a deferred builder of its own; the builders are joined in chunk
 * order, which is the order of the rows, so the strings, candidates and
 * RMs keep their order of first appearance (table_join.c).  Anything
 * unusual -- a quote in a CSV (a quoted field may span lines, so a line
 * need not be a row), any error in a chunk, a disagreement between
 * chunks, ragged pools, no rows, step scores -- gives up: the caller reads
 * the input sequentially, for the table or for the exact message. */
#include "stats/table_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stats/runtime.h"

struct chunk {
  const char *p, *e;
  struct stats_reader rd;
  int rc;
};

struct par {
  struct chunk *ch;
  const struct stats_reader *head; /* the header's reader (CSV, TSV) */
  enum stats_format fmt;
  const char *name;
  const struct stats_table_opts *o;
  int release;  /* the input is a read-only file mapping: give its pages
                   back behind the reader */
};

#define WINDOW (4u << 20)  /* bytes read between releases */

/* Drop the whole pages of [*from, to) from the process (they stay in the
 * page cache; touching them again reads them back): a gigabyte table then
 * costs a few windows of resident memory, not its size.  *from moves on. */
static void release_pages(const char **from, const char *to)
{
  uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);
  uintptr_t a = ((uintptr_t)*from + pg - 1) & ~(pg - 1);
  uintptr_t b = (uintptr_t)to & ~(pg - 1);
  if(b > a)
    madvise((void *)a, b - a, MADV_DONTNEED);
  if(b > (uintptr_t)*from)
    *from = (const char *)b;
}

/* The rows of a CSV or TSV chunk, a window at a time (releasing what is
 * read when pa->release).  0, or -1 when the chunk is not one to read in
 * parallel (a quote in a CSV) or a row is wrong. */
static int delim_chunk(struct par *pa, struct chunk *c)
{
  struct bon_err err;
  const char *a = c->p, *done = c->p;
  while(a < c->e) {
    const char *b = c->e;
    if(pa->release && (size_t)(c->e - a) > WINDOW) {
      const char *nl = memchr(a + WINDOW, '\n', (size_t)(c->e - a - WINDOW));
      b = nl ? nl + 1 : c->e;
    }
    if(pa->fmt == STATS_FMT_CSV && memchr(a, '"', (size_t)(b - a)))
      return -1; /* a quoted field may span lines: not a chunk's to read */
    if(stats_delim_rows(&c->rd, a, b, 0, &err))
      return -1;
    if(pa->release)
      release_pages(&done, b);
    a = b;
  }
  return 0;
}

static void read_chunk(void *arg, size_t k, int w)
{
  struct par *pa = arg;
  struct chunk *c = &pa->ch[k];
  struct bon_err err;
  (void)w;
  stats_reader_init(&c->rd, pa->name, pa->o);
  c->rd.b->deferred = 1;
  if(pa->fmt == STATS_FMT_JSONL) {
    c->rc = stats_read_jsonl(&c->rd, c->p, c->e, &err);
    return;
  }
  c->rd.sep = pa->head->sep;
  c->rd.nh = pa->head->nh;
  c->rd.roles = pa->head->roles;
  c->rc = delim_chunk(pa, c);
}

/* Cut [p, e) into n chunks that end after a newline (or at e). */
static void cut(struct chunk *ch, int n, const char *p, const char *e)
{
  const char *a = p;
  for(int k = 0; k < n; k++) {
    const char *b = k == n - 1 ? e : p + (e - p) / n * (k + 1);
    if(b < a)
      b = a;
    const char *nl = b < e ? memchr(b, '\n', (size_t)(e - b)) : NULL;
    b = nl ? nl + 1 : e;
    ch[k].p = a;
    ch[k].e = b;
    a = b;
  }
}

struct stats_table *stats_table_parse_par(const char *p, const char *e,
                                          enum stats_format fmt,
                                          const char *name,
                                          const struct stats_table_opts *o,
                                          size_t min_chunk, int release)
{
  int n = stats_workers(o->threads, (size_t)(e - p) / (min_chunk ? min_chunk
                                                                 : 1));
  if(n < 2)
    return NULL;
  struct stats_reader head;
  struct bon_err err;
  size_t line;
  stats_reader_init(&head, name, o);
  if(fmt != STATS_FMT_JSONL &&
     stats_delim_header(&head, &p, e, fmt == STATS_FMT_TSV ? '\t' : ',',
                        &line, &err) < 0) {
    stats_builder_free(head.b);
    stats_reader_free(&head);
    return NULL;
  }
  struct par pa = {xcalloc((size_t)n, sizeof(*pa.ch)), &head, fmt, name, o,
                   release};
  cut(pa.ch, n, p, e);
  stats_parallel((size_t)n, n, read_chunk, &pa);
  int ok = 1;
  struct stats_builder **b = xmalloc((size_t)n * sizeof(*b));
  for(int k = 0; k < n; k++) {
    ok &= pa.ch[k].rc == 0;
    b[k] = pa.ch[k].rd.b;
    stats_reader_free(&pa.ch[k].rd);
  }
  struct stats_table *t = NULL;
  if(ok)
    t = stats_builder_join(b, n, o->threads); /* frees the builders */
  else
    for(int k = 0; k < n; k++)
      stats_builder_free(b[k]);
  free(b);
  free(pa.ch);
  stats_builder_free(head.b);
  stats_reader_free(&head);
  return t;
}

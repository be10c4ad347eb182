/* runbench.c - the benchmarks of a run: candidates (simulated, or a
 * dataset's texts) scored by every RM into a table the bench stage reads
 * (run_int.h). */
#include "runner/run_int.h"
#include "runner/benchset.h"
#include "stats/csv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- benchmarks -------------------------------------------------------- */

/* The candidates of benchmark problems p with p % N == K - 1 (a shard's
 * slice), rows and comparisons; the caller frees both lists. */
static void bench_slice(const struct runner *r, const struct benchset *bs,
                        struct proxy_item **items, size_t *n,
                        struct proxy_item **cmps, size_t *ncmp)
{
  size_t k = (size_t)r->o->shard_k, sn = (size_t)r->o->shard_n;
  *items = xcalloc(bs->n + 1, sizeof(**items));
  *cmps = xcalloc(bs->ncmp + 1, sizeof(**cmps));
  *n = *ncmp = 0;
  for(size_t i = 0; i < bs->n; i++)
    if(bs->prob[i] % sn == k)
      (*items)[(*n)++] = bs->items[i];
  for(size_t j = 0; j < bs->ncmp; j++)
    if(bs->prob[bs->cmps[j].tag] % sn == k)
      (*cmps)[(*ncmp)++] = bs->cmps[j];
}

/* A partial merge: leave out of candidates.csv (text of `csv`) the rows
 * of benchmark problems that lack a score, saying how many. */
static void bench_drop_gaps(const struct runner *r, const char *name,
                            const struct benchset *bs, const char *absent,
                            struct buf *csv)
{
  char *gap = xcalloc(bs->nprob + 1, 1);
  size_t ngap = 0;
  for(size_t i = 0; i < bs->n; i++)
    if(absent[i] && !gap[bs->prob[i]]) {
      gap[bs->prob[i]] = 1;
      ngap++;
    }
  if(ngap) {
    struct buf keep = BUF_INIT, id = BUF_INIT;
    const char *p = buf_str(csv), *nl = strchr(p, '\n');
    buf_append(&keep, p, nl ? (size_t)(nl - p) + 1 : strlen(p));
    for(p = nl ? nl + 1 : p + strlen(p); *p; p = nl ? nl + 1 : p + strlen(p)) {
      nl = strchr(p, '\n');
      size_t len = nl ? (size_t)(nl - p) + 1 : strlen(p), row;
      int drop = 0;
      for(row = 0; row < bs->n && !drop; row++) {
        if(!gap[bs->prob[row]])
          continue;
        buf_reset(&id);
        stats_csv_put(&id, bs->pids[row]);
        buf_putc(&id, ',');
        drop = !strncmp(p, buf_str(&id), id.len);
      }
      if(!drop)
        buf_append(&keep, p, len);
    }
    buf_free(csv);
    *csv = keep;
    buf_free(&id);
    if(!r->o->quiet)
      fprintf(stderr, "%-12s %zu of %zu benchmark problems left out: their "
                      "shards are missing\n", name, ngap, bs->nprob);
  }
  free(gap);
}

/* Score every candidate of a benchmark with RM k into out[0..n) (NAN:
 * missing): a pairwise judge scores the comparisons, and its verdict on
 * each becomes the outcome (1: the correct solution won) on the
 * incorrect candidate's row; *unparsed counts comparisons without one. */
static int bench_score(struct runner *r, struct store *st,
                       const struct benchset *bs, size_t k,
                       struct progress *prog, double *out, size_t *news,
                       size_t *unparsed, char *absent)
{
  struct scoring sc = {st, r->rms[k], k, r->o->retry_failed, r->err, prog,
                       bs->pids, bs->sids, out, 0, 0, 0,
                       r->o->analyze_only, 0, absent, NULL, BUF_INIT};
  for(size_t i = 0; i < bs->n; i++)
    out[i] = NAN;
  int rc;
  struct proxy_item *items = bs->items, *cmps = bs->cmps;
  size_t n = bs->n, ncmp = bs->ncmp;
  if(r->o->shard_n > 1) /* a shard scores its slice of the problems */
    bench_slice(r, bs, &items, &n, &cmps, &ncmp);
  if(!proxy_pairwise(r->rms[k]))
    rc = run_score_all(&sc, items, n);
  else {
    rc = run_score_all(&sc, cmps, ncmp);
    for(size_t j = 0; j < bs->ncmp; j++) {
      size_t row = bs->cmps[j].tag;
      out[row] = benchset_outcome(bs, j, out[row]);
      *unparsed += isnan(out[row]);
    }
  }
  if(items != bs->items) {
    free(items);
    free(cmps);
  }
  *news += sc.news;
  if(!rc && sc.missing && !r->partial)
    rc = bon_errf(r->err, "%s: %zu benchmark scores of %s are missing, and "
                          "--analyze-only computes none: merge the shards "
                          "that hold them, or run without --analyze-only",
                  r->dir, sc.missing, proxy_name(r->rms[k]));
  return rc;
}

/* Tell how many comparisons of each pairwise judge got no verdict. */
static void report_unparsed(const struct runner *r, const char *name,
                            const size_t *unparsed, size_t ncmp)
{
  for(size_t k = 0; k < r->nrms && !r->o->quiet; k++)
    if(proxy_pairwise(r->rms[k]))
      fprintf(stderr, "%-12s %s: %zu of %zu comparisons without a verdict "
                      "(counted as losses)\n", name, proxy_name(r->rms[k]),
              unparsed[k], ncmp);
}

/* Score the candidates of a "sim" or "dataset" benchmark with every RM
 * into RUN/benchmarks/NAME/ (scores.jsonl, candidates.jsonl and the long
 * table candidates.csv, whose path goes to *table). */
static int bench_candidates(struct runner *r, const char *name,
                            int one_to_one, const struct bench_config *b,
                            const char *dir, char **table)
{
  char *spath = fs_join(dir, "scores.jsonl");
  struct store *st = store_open(spath, r->err);
  free(spath);
  if(!st)
    return -1;
  struct benchset bs;
  benchset_build(&bs, b, one_to_one, r->c->seed, r->npairwise > 0);
  double *scores = xcalloc(bs.n * r->nrms + 1, sizeof(double));
  size_t *unparsed = xcalloc(r->nrms, sizeof(size_t));
  char *absent = xcalloc(bs.n + 1, 1);
  struct progress prog;
  progress_start(&prog, name, bs.n * (r->nrms - r->npairwise) +
                                  bs.ncmp * r->npairwise, r->o->quiet);
  size_t news = 0;
  int rc = 0;
  for(size_t k = 0; k < r->nrms && !rc; k++)
    rc = bench_score(r, st, &bs, k, &prog, scores + k * bs.n, &news,
                     &unparsed[k], absent);
  char note[64];
  snprintf(note, sizeof(note), "%zu new scores", news);
  progress_end(&prog, note);
  if(!rc && r->o->shard_n <= 1) { /* a shard only scores its slice */
    report_unparsed(r, name, unparsed, bs.ncmp);
    struct buf jl = BUF_INIT, csv = BUF_INIT;
    benchset_jsonl(&bs, &jl);
    benchset_csv(&bs, r->rms, r->nrms, scores, &csv);
    if(r->partial)
      bench_drop_gaps(r, name, &bs, absent, &csv);
    char *jp = fs_join(dir, "candidates.jsonl");
    char *cp = fs_join(dir, "candidates.csv");
    rc = fs_write_atomic(jp, jl.data, jl.len, r->err);
    if(!rc)
      rc = fs_write_atomic(cp, csv.data, csv.len, r->err);
    if(!rc)
      *table = cp;
    else
      free(cp);
    free(jp);
    buf_free(&jl);
    buf_free(&csv);
  }
  free(unparsed);
  free(absent);
  free(scores);
  benchset_free(&bs);
  store_close(st);
  return rc;
}

int run_bench(struct runner *r, const char *name, int one_to_one,
              const struct bench_config *b, char **table)
{
  *table = NULL;
  if(!strcmp(b->source, "none"))
    return 0;
  if(!strcmp(b->source, "file")) {
    *table = r->o->shard_n > 1 ? NULL : xstrdup(b->path);
    return 0;
  }
  char sub[64];
  snprintf(sub, sizeof(sub), "benchmarks/%s", name);
  char *dir = fs_join(r->dir, sub);
  int rc = fs_mkdirs(dir, r->err);
  if(!rc)
    rc = bench_candidates(r, name, one_to_one, b, dir, table);
  free(dir);
  return rc;
}


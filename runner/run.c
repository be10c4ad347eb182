#include "runner/run.h"
#include "policy/http.h"
#include "policy/policy.h"
#include "proxy/http_rm.h"
#include "proxy/proxy.h"
#include "runner/commands.h"
#include "runner/judge.h"
#include "runner/merge.h"
#include "runner/shard.h"
#include "runner/runinfo.h"
#include "runner/stages.h"
#include "runner/store.h"
#include "sim/bench.h"
#include "sim/problems.h"
#include "stats/csv.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/progress.h"
#include "util/rng.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct runner {
  struct run_config *c;
  const struct run_options *o;
  struct policy *policy;
  struct proxy **rms;
  size_t nrms;
  char *dir;
  struct store *samples, *scores;
  struct progress prog;
  size_t new_samples, new_scores, failed_samples, failed_scores;
  size_t missing_samples, missing_scores;  /* --analyze-only: not there */
  size_t all_problems;         /* of the experiment, before sharding */
  int partial;                 /* analysing a partial merge */
  char hash[17];               /* the config hash (shard.json) */
  size_t no_answer;            /* samples with no extractable answer */
  struct runinfo_counts cnt;  /* run.json's sample counts */
  /* the chunk being sampled */
  size_t p0, np;               /* first problem, problems in the chunk */
  char **texts;                /* [np * N] completion or NULL */
  struct bon_err *err;
  int failed;
};

/* Per-sample seed: consecutive within a problem (so a server's `n` with
 * seed + i semantics reproduces them), 31-bit for every server's sake. */
static uint64_t sample_seed(uint64_t master, const char *question, size_t j)
{
  uint64_t base = mix64(master ^ hash_str(HASH_INIT, question)) & 0x3fffffff;
  return (base + j) & 0x7fffffff;
}

static uint64_t sample_key(const struct policy *p, const char *question,
                           uint64_t seed)
{
  uint64_t h = hash_str(HASH_INIT, "sample");
  h = hash_str(h, policy_cache_key(p));
  h = hash_str(h, question);
  return hash_u64(h, seed);
}

static uint64_t score_key(const struct proxy *p, const char *question,
                          const char *response)
{
  uint64_t h = hash_str(HASH_INIT, "score");
  h = hash_str(h, proxy_cache_key(p));
  h = hash_str(h, question);
  return hash_str(h, response);
}

/* ---- sampling ---------------------------------------------------------- */

static int on_sample(void *ctx, const struct policy_job *job,
                     const char *text, const char *error, int permanent)
{
  struct runner *r = ctx;
  size_t i = job->tag, N = r->c->samples;
  const struct run_problem *pr = &r->c->problems[r->p0 + i / N];
  struct buf b = BUF_INIT;
  buf_puts(&b, ",\"problem_id\":");
  buf_json_str(&b, pr->id);
  buf_printf(&b, ",\"sample\":%zu,\"seed\":%llu", i % N,
             (unsigned long long)job->seed);
  if(text) {
    char ans[256];
    const char *reason;
    int ok = judge(pr->answer, text, r->c->gold_strict, ans, sizeof(ans),
                   &reason);
    buf_puts(&b, ",\"text\":");
    buf_json_str(&b, text);
    buf_puts(&b, ",\"answer\":");
    buf_json_str(&b, ans);
    buf_printf(&b, ",\"correct\":%s,\"reason\":", ok ? "true" : "false");
    buf_json_str(&b, reason);
    r->texts[i] = xstrdup(text);
    r->new_samples++;
  }
  else {
    buf_puts(&b, ",\"error\":");
    buf_json_str(&b, error);
    buf_printf(&b, ",\"permanent\":%s", permanent ? "true" : "false");
    r->failed_samples++;
  }
  buf_putc(&b, '}');
  int rc = store_put(r->samples, sample_key(r->policy, pr->question,
                                            job->seed), buf_str(&b), r->err);
  buf_free(&b);
  progress_add(&r->prog, 1, 0);
  if(rc)
    r->failed = 1;
  return rc;
}

static int sample_chunk(struct runner *r)
{
  size_t N = r->c->samples, n = r->np * N, njobs = 0;
  struct policy_job *jobs = xcalloc(n, sizeof(*jobs));
  for(size_t i = 0; i < n; i++) {
    const struct run_problem *pr = &r->c->problems[r->p0 + i / N];
    uint64_t seed = sample_seed(r->c->seed, pr->question, i % N);
    cJSON *rec = store_get(r->samples,
                           sample_key(r->policy, pr->question, seed));
    const char *text = rec ? cJSON_GetStringValue(
                               cJSON_GetObjectItem(rec, "text")) : NULL;
    int permanent = rec && cJSON_IsTrue(cJSON_GetObjectItem(rec,
                                                            "permanent"));
    /* analysing only, a failure stays a failure: nothing is retried */
    if(text || permanent || (rec && r->o->analyze_only)) {
      if(text)
        r->texts[i] = xstrdup(text);
      else
        r->failed_samples++;
      progress_add(&r->prog, 1, 1);
    }
    else if(r->o->analyze_only) {
      r->missing_samples++;
      progress_add(&r->prog, 1 + r->nrms, 1);
    }
    else
      jobs[njobs++] = (struct policy_job){.question = pr->question,
                                          .reference = pr->final,
                                          .seed = seed, .tag = i};
    cJSON_Delete(rec);
  }
  int rc = 0;
  if(njobs)
    rc = policy_generate(r->policy, jobs, njobs, on_sample, r, r->err);
  free(jobs);
  return rc || r->failed ? -1 : 0;
}

/* ---- scoring ----------------------------------------------------------- */

/* One RM scoring a list of items against a store.  Item tags index the
 * per-item arrays: problem id, sample id, and the score written out. */
struct scoring {
  struct store *store;
  struct proxy *rm;
  struct bon_err *err;
  struct progress *prog;
  const char *const *pids;
  const size_t *sids;
  double *out;
  size_t news, fails;
  int failed;
  int lookup_only;            /* compute nothing: count what is missing */
  size_t missing;
  char *absent;               /* lookup_only: [tag] = 1 if missing, or NULL */
};

static int on_score(void *ctx, const struct proxy_item *item, double score,
                    const double *steps, size_t nsteps, const char *error,
                    int permanent)
{
  struct scoring *sc = ctx;
  size_t i = item->tag;
  struct buf b = BUF_INIT;
  buf_puts(&b, ",\"rm\":");
  buf_json_str(&b, proxy_name(sc->rm));
  buf_puts(&b, ",\"problem_id\":");
  buf_json_str(&b, sc->pids[i]);
  buf_printf(&b, ",\"sample\":%zu", sc->sids[i]);
  if(!error && isfinite(score)) {
    buf_printf(&b, ",\"score\":%.17g", score);
    if(steps && nsteps) {
      buf_puts(&b, ",\"steps\":[");
      for(size_t k = 0; k < nsteps; k++)
        buf_printf(&b, "%s%.17g", k ? "," : "", steps[k]);
      buf_putc(&b, ']');
    }
    sc->out[i] = score;
    sc->news++;
  }
  else {
    buf_puts(&b, ",\"error\":");
    buf_json_str(&b, error ? error : "score is not a finite number");
    buf_printf(&b, ",\"permanent\":%s", permanent ? "true" : "false");
    sc->fails++;
  }
  buf_putc(&b, '}');
  int rc = store_put(sc->store, score_key(sc->rm, item->question,
                                          item->response), buf_str(&b),
                     sc->err);
  buf_free(&b);
  progress_add(sc->prog, 1, 0);
  if(rc)
    sc->failed = 1;
  return rc;
}

struct keyed {
  uint64_t key;
  size_t idx;
};

static int cmp_keyed(const void *a, const void *b)
{
  const struct keyed *x = a, *y = b;
  if(x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Score items[0..n) (reusing the store), writing sc->out[tag]; a missing
 * score stays NAN. */
static int score_all(struct scoring *sc, const struct proxy_item *items,
                     size_t n)
{
  struct proxy_item *todo = xcalloc(n ? n : 1, sizeof(*todo));
  size_t ntodo = 0;
  for(size_t i = 0; i < n; i++) {
    size_t t = items[i].tag;
    sc->out[t] = NAN;
    cJSON *rec = store_get(sc->store, score_key(sc->rm, items[i].question,
                                                items[i].response));
    cJSON *s = rec ? cJSON_GetObjectItem(rec, "score") : NULL;
    if(cJSON_IsNumber(s)) {
      sc->out[t] = s->valuedouble;
      progress_add(sc->prog, 1, 1);
    }
    else if(rec && (sc->lookup_only ||
                    cJSON_IsTrue(cJSON_GetObjectItem(rec, "permanent")))) {
      sc->fails++;
      progress_add(sc->prog, 1, 1);
    }
    else if(sc->lookup_only) {
      sc->missing++;
      if(sc->absent)
        sc->absent[t] = 1;
      progress_add(sc->prog, 1, 1);
    }
    else
      todo[ntodo++] = items[i];
    cJSON_Delete(rec);
  }
  /* The same response twice (same key): score it once, so the store never
     holds two records of one key and an interrupted run, which reuses the
     first on resume, ends with the same records as an uninterrupted one. */
  struct keyed *ks = xcalloc(ntodo ? ntodo : 1, sizeof(*ks));
  for(size_t i = 0; i < ntodo; i++)
    ks[i] = (struct keyed){score_key(sc->rm, todo[i].question,
                                     todo[i].response), i};
  qsort(ks, ntodo, sizeof(*ks), cmp_keyed);
  size_t *dup_of = xcalloc(ntodo ? ntodo : 1, sizeof(*dup_of));
  char *dup = xcalloc(ntodo ? ntodo : 1, 1);
  for(size_t i = 1, first = ntodo ? ks[0].idx : 0; i < ntodo; i++) {
    if(ks[i].key != ks[i - 1].key) {
      first = ks[i].idx;
      continue;
    }
    dup[ks[i].idx] = 1;
    dup_of[ks[i].idx] = todo[first].tag;
  }
  size_t nuniq = 0;
  struct proxy_item *uniq = xcalloc(ntodo ? ntodo : 1, sizeof(*uniq));
  for(size_t i = 0; i < ntodo; i++)
    if(!dup[i])
      uniq[nuniq++] = todo[i];
  int rc = 0;
  if(nuniq)
    rc = proxy_score(sc->rm, uniq, nuniq, on_score, sc, sc->err);
  for(size_t i = 0; i < ntodo && !rc; i++)
    if(dup[i]) {
      sc->out[todo[i].tag] = sc->out[dup_of[i]];
      if(!isfinite(sc->out[todo[i].tag]))
        sc->fails++;
      progress_add(sc->prog, 1, 1);
    }
  free(uniq);
  free(dup);
  free(dup_of);
  free(ks);
  free(todo);
  return rc || sc->failed ? -1 : 0;
}

/* ---- the pool ---------------------------------------------------------- */

static int run_pool(struct runner *r, struct buf *csv)
{
  struct run_config *c = r->c;
  size_t N = c->samples, chunk = 16384 / N;
  if(chunk < 1)
    chunk = 1;
  progress_start(&r->prog, "sample+score", c->nproblems * N * (1 + r->nrms),
                 r->o->quiet);
  size_t cap = chunk * N;
  r->texts = xcalloc(cap, sizeof(char *));
  char **answers = xcalloc(cap, sizeof(char *));
  int *correct = xcalloc(cap, sizeof(int));
  double *scores = xcalloc(cap * r->nrms, sizeof(double));
  const char **pids = xcalloc(cap, sizeof(char *));
  size_t *sids = xcalloc(cap, sizeof(size_t));
  struct proxy_item *items = xcalloc(cap, sizeof(*items));
  int rc = 0;
  buf_puts(csv, "problem_id,sample_id,rm,score,correct,answer\n");
  for(size_t p0 = 0; p0 < c->nproblems && !rc; p0 += chunk) {
    size_t np = c->nproblems - p0 < chunk ? c->nproblems - p0 : chunk;
    r->p0 = p0;
    r->np = np;
    rc = sample_chunk(r);
    if(rc)
      break;
    size_t nitems = 0;
    for(size_t i = 0; i < np * N; i++) {
      if(!r->texts[i])
        continue;
      const struct run_problem *pr = &c->problems[p0 + i / N];
      char ans[256];
      const char *reason;
      correct[i] = judge(pr->answer, r->texts[i], c->gold_strict, ans,
                         sizeof(ans), &reason);
      answers[i] = xstrdup(ans);
      r->no_answer += !ans[0];
      pids[i] = pr->id;
      sids[i] = i % N;
      items[nitems++] = (struct proxy_item){pr->question, r->texts[i], i};
    }
    for(size_t k = 0; k < r->nrms && !rc; k++) {
      struct scoring sc = {r->scores, r->rms[k], r->err, &r->prog, pids,
                           sids, scores + k * cap, 0, 0, 0,
                           r->o->analyze_only, 0, NULL};
      rc = score_all(&sc, items, nitems);
      r->new_scores += sc.news;
      r->failed_scores += sc.fails;
      r->missing_scores += sc.missing;
    }
    for(size_t i = 0; i < np * N && !rc; i++) {
      if(!r->texts[i])
        continue;
      for(size_t k = 0; k < r->nrms; k++) {
        double s = scores[k * cap + i];
        stats_csv_put(csv, pids[i]);
        buf_printf(csv, ",%zu,", sids[i]);
        stats_csv_put(csv, proxy_name(r->rms[k]));
        if(isfinite(s))
          buf_printf(csv, ",%.17g,%d,", s, correct[i]);
        else
          buf_printf(csv, ",,%d,", correct[i]);
        stats_csv_put(csv, answers[i]);
        buf_putc(csv, '\n');
      }
    }
    for(size_t i = 0; i < np * N; i++) {
      free(r->texts[i]);
      free(answers[i]);
      r->texts[i] = answers[i] = NULL;
    }
  }
  char note[160];
  snprintf(note, sizeof(note), "%zu new samples, %zu new scores, %zu failed "
                               "samples, %zu failed scores", r->new_samples,
           r->new_scores, r->failed_samples, r->failed_scores);
  progress_end(&r->prog, note);
  free(r->texts);
  r->texts = NULL;
  free(answers);
  free(correct);
  free(scores);
  free(pids);
  free(sids);
  free(items);
  if(!rc && (r->missing_samples || r->missing_scores))
    rc = bon_errf(r->err, "%s: %zu samples and %zu scores are missing, and "
                          "--analyze-only computes none: merge the shards "
                          "that hold them, or run without --analyze-only "
                          "to compute them", r->dir, r->missing_samples,
                  r->missing_scores);
  return rc;
}

/* ---- benchmarks -------------------------------------------------------- */

/* The candidates of a benchmark, and their scores by RM. */
struct bench_set {
  size_t count, per, n;        /* problems, candidates each, in all */
  struct sim_problem *ps;
  char **texts;
  int *correct;
  const char **pids;
  size_t *sids;
  struct proxy_item *items;
  double *scores;              /* [nrms * n] */
  char *absent;                /* [n] no score record (--analyze-only) */
};

static void bench_build(struct runner *r, const struct bench_config *b,
                        int one_to_one, struct bench_set *bs, struct buf *jl)
{
  bs->count = b->count;
  bs->per = one_to_one ? 2 : (size_t)b->incorrect + 1;
  size_t n = bs->n = b->count * bs->per;
  bs->ps = sim_problems(r->c->seed, one_to_one ? 2 : 1, b->count);
  bs->texts = xcalloc(n, sizeof(char *));
  bs->correct = xcalloc(n, sizeof(int));
  bs->pids = xcalloc(n, sizeof(char *));
  bs->sids = xcalloc(n, sizeof(size_t));
  bs->items = xcalloc(n, sizeof(*bs->items));
  bs->scores = xcalloc(n * r->nrms, sizeof(double));
  bs->absent = xcalloc(n ? n : 1, 1);
  for(size_t i = 0; i < n; i++) {
    const struct sim_problem *p = &bs->ps[i / bs->per];
    bs->texts[i] = sim_bench_candidate(one_to_one, p->question,
                                       r->c->seed, i % bs->per,
                                       &bs->correct[i]);
    bs->pids[i] = p->id;
    bs->sids[i] = i % bs->per;
    bs->items[i] = (struct proxy_item){p->question, bs->texts[i], i};
    buf_puts(jl, "{\"problem_id\":");
    buf_json_str(jl, p->id);
    buf_printf(jl, ",\"sample_id\":%zu,\"correct\":%d,\"question\":",
               i % bs->per, bs->correct[i]);
    buf_json_str(jl, p->question);
    buf_puts(jl, ",\"text\":");
    buf_json_str(jl, bs->texts[i]);
    buf_puts(jl, "}\n");
  }
}

static void bench_free(struct bench_set *bs)
{
  for(size_t i = 0; i < bs->n; i++)
    free(bs->texts[i]);
  free(bs->texts);
  free(bs->correct);
  free(bs->pids);
  free(bs->sids);
  free(bs->items);
  free(bs->scores);
  free(bs->absent);
  sim_problems_free(bs->ps, bs->count);
}

/* Score the candidates with every RM; a shard scores only its slice (the
 * candidates of benchmark problems b with b % N == K - 1). */
static int bench_score(struct runner *r, const char *name, struct store *st,
                       struct bench_set *bs)
{
  const struct run_options *o = r->o;
  struct proxy_item *sel = bs->items;
  size_t nsel = bs->n;
  if(o->shard_n > 1) {
    sel = xcalloc(bs->n ? bs->n : 1, sizeof(*sel));
    nsel = 0;
    for(size_t i = 0; i < bs->n; i++)
      if((i / bs->per) % (size_t)o->shard_n == (size_t)o->shard_k)
        sel[nsel++] = bs->items[i];
  }
  struct progress prog;
  progress_start(&prog, name, nsel * r->nrms, o->quiet);
  size_t news = 0, missing = 0;
  int rc = 0;
  for(size_t k = 0; k < r->nrms && !rc; k++) {
    struct scoring sc = {st, r->rms[k], r->err, &prog, bs->pids, bs->sids,
                         bs->scores + k * bs->n, 0, 0, 0, o->analyze_only,
                         0, bs->absent};
    rc = score_all(&sc, sel, nsel);
    news += sc.news;
    missing += sc.missing;
  }
  char note[64];
  snprintf(note, sizeof(note), "%zu new scores", news);
  progress_end(&prog, note);
  if(sel != bs->items)
    free(sel);
  if(!rc && missing && !r->partial)
    rc = bon_errf(r->err, "%s/benchmarks/%s: %zu scores are missing, and "
                          "--analyze-only computes none: merge the shards "
                          "that hold them, or run without --analyze-only",
                  r->dir, name, missing);
  return rc;
}

/* 1 if benchmark problem p lacks a score (a partial merge). */
static int bench_gap(const struct bench_set *bs, size_t p)
{
  for(size_t i = p * bs->per; i < (p + 1) * bs->per; i++)
    if(bs->absent[i])
      return 1;
  return 0;
}

static int bench_write(struct runner *r, const char *dir,
                       const struct bench_set *bs, const struct buf *jl,
                       char **table)
{
  struct buf csv = BUF_INIT;
  size_t gaps = 0;
  for(size_t p = 0; p < bs->count; p++)
    gaps += (size_t)bench_gap(bs, p);
  if(gaps && !r->o->quiet)
    fprintf(stderr, "bonrun: %s: %zu of %zu benchmark problems left out: "
                    "their shards are missing\n", dir, gaps, bs->count);
  buf_puts(&csv, "problem_id,sample_id,rm,score,correct\n");
  for(size_t k = 0; k < r->nrms; k++)
    for(size_t i = 0; i < bs->n; i++) {
      double s = bs->scores[k * bs->n + i];
      if(gaps && bench_gap(bs, i / bs->per))
        continue;
      stats_csv_put(&csv, bs->pids[i]);
      buf_printf(&csv, ",%zu,", bs->sids[i]);
      stats_csv_put(&csv, proxy_name(r->rms[k]));
      if(isfinite(s))
        buf_printf(&csv, ",%.17g,%d\n", s, bs->correct[i]);
      else
        buf_printf(&csv, ",,%d\n", bs->correct[i]);
    }
  char *jp = fs_join(dir, "candidates.jsonl");
  char *cp = fs_join(dir, "candidates.csv");
  int rc = fs_write_atomic(jp, jl->data, jl->len, r->err);
  if(!rc)
    rc = fs_write_atomic(cp, csv.data, csv.len, r->err);
  if(!rc)
    *table = cp;
  else
    free(cp);
  free(jp);
  buf_free(&csv);
  return rc;
}

static int run_bench(struct runner *r, const char *name, int one_to_one,
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
  char *spath = fs_join(dir, "scores.jsonl");
  struct store *st = rc ? NULL : store_open(spath, r->err);
  free(spath);
  if(!st) {
    free(dir);
    return -1;
  }
  struct bench_set bs;
  struct buf jl = BUF_INIT;
  bench_build(r, b, one_to_one, &bs, &jl);
  rc = bench_score(r, name, st, &bs);
  if(!rc && r->o->shard_n <= 1)
    rc = bench_write(r, dir, &bs, &jl, table);
  bench_free(&bs);
  buf_free(&jl);
  store_close(st);
  free(dir);
  return rc;
}

/* ---- the experiment ---------------------------------------------------- */

static void keep_shard(struct run_config *c, int k, int n)
{
  size_t m = 0;
  for(size_t p = 0; p < c->nproblems; p++) {
    if((int)(p % (size_t)n) == k)
      c->problems[m++] = c->problems[p];
    else
      run_problem_free(&c->problems[p]);
  }
  c->nproblems = m;
}

static int write_problems(struct runner *r)
{
  struct buf b = BUF_INIT;
  for(size_t i = 0; i < r->c->nproblems; i++) {
    const struct run_problem *p = &r->c->problems[i];
    buf_puts(&b, "{\"problem_id\":");
    buf_json_str(&b, p->id);
    buf_puts(&b, ",\"question\":");
    buf_json_str(&b, p->question);
    buf_puts(&b, ",\"answer\":");
    buf_json_str(&b, p->answer);
    buf_puts(&b, "}\n");
  }
  char *path = fs_join(r->dir, "problems.jsonl");
  int rc = fs_write_atomic(path, buf_str(&b), b.len, r->err);
  free(path);
  buf_free(&b);
  return rc;
}

static int open_models(struct runner *r)
{
  struct run_config *c = r->c;
  r->policy = policy_open(c->policy, c->file, r->err);
  if(!r->policy)
    return -1;
  size_t n = (size_t)cJSON_GetArraySize(c->proxies);
  r->rms = xcalloc(n, sizeof(*r->rms));
  cJSON *sec;
  cJSON_ArrayForEach(sec, c->proxies) {
    char path[32];
    snprintf(path, sizeof(path), "proxies[%zu]", r->nrms);
    struct proxy *p = proxy_open(sec, c->file, path, r->err);
    if(!p)
      return -1;
    r->rms[r->nrms++] = p;
    for(size_t k = 0; k + 1 < r->nrms; k++)
      if(!strcmp(proxy_name(r->rms[k]), proxy_name(p)))
        return bon_errf(r->err, "%s: %s.name: \"%s\" is already the name of "
                                "proxies[%zu]: names must be unique",
                        c->file, path, proxy_name(p), k);
  }
  return 0;
}

/* The HTTP backends' error summary (status counts, retries, timeouts). */
static void print_http_stats(struct runner *r)
{
  struct buf b = BUF_INIT;
  if(policy_http_stats(r->policy, &b) == 0)
    fprintf(stderr, "policy       %s\n", buf_str(&b));
  for(size_t k = 0; k < r->nrms; k++) {
    buf_reset(&b);
    if(proxy_http_stats(r->rms[k], &b) == 0)
      fprintf(stderr, "rm %-9s %s\n", proxy_name(r->rms[k]), buf_str(&b));
  }
  buf_free(&b);
}

static void close_models(struct runner *r)
{
  policy_close(r->policy);
  for(size_t k = 0; k < r->nrms; k++)
    proxy_close(r->rms[k]);
  free(r->rms);
}

static int is_run_dir(const char *dir)
{
  char *a = fs_join(dir, "config.json"), *b = fs_join(dir, "samples.jsonl");
  int yes = fs_exists(a) && fs_exists(b);
  free(a);
  free(b);
  return yes;
}

/* Refuse to write a run inside another run's folder: it would mix two
 * experiments' files. */
static int check_inside(const struct run_config *c, struct bon_err *err)
{
  char *up = xstrdup(c->out);
  size_t n = strlen(up);
  while(n > 1 && up[n - 1] == '/')
    up[--n] = '\0';
  for(;;) {
    char *slash = strrchr(up, '/');
    if(slash == up)
      break;
    if(slash)
      *slash = '\0';
    else
      strcpy(up, ".");
    if(is_run_dir(up)) {
      bon_errf(err, "%s: output \"%s\" is inside the run folder \"%s\" of "
                    "another experiment: choose an output outside it",
               c->file, c->out, up);
      free(up);
      return -1;
    }
    if(!slash)
      break;
  }
  free(up);
  return 0;
}

/* Refuse to write over a run of another experiment (another name). */
static int check_name(const struct run_config *c, const char *dir,
                      struct bon_err *err)
{
  char *path = fs_join(dir, "config.json");
  int rc = 0;
  if(fs_exists(path)) {
    struct bon_err e2;
    char *text = fs_read_file(path, NULL, &e2);
    cJSON *old = text ? cJSON_Parse(text) : NULL;
    const char *name = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(old, "name"));
    if(name && strcmp(name, c->name))
      rc = bon_errf(err, "%s: output \"%s\" already holds the run \"%s\" "
                         "(see %s): give this experiment (\"%s\") another "
                         "output, or the name \"%s\" to continue that run",
                    c->file, dir, name, path, c->name, name);
    cJSON_Delete(old);
    free(text);
  }
  free(path);
  return rc;
}

/* ---- shards and the manifest ------------------------------------------- */

/* The config hash: everything that decides the records (the models as
 * their cache keys, seed, N, the problems, the benchmarks); not the
 * output, the servers' addresses and limits, or the analysis options. */
static void records_hash(struct runner *r)
{
  const struct run_config *c = r->c;
  uint64_t h = hash_str(HASH_INIT, SHARD_FORMAT);
  h = hash_u64(hash_u64(h, c->seed), c->samples);
  h = hash_str(h, policy_cache_key(r->policy));
  for(size_t k = 0; k < r->nrms; k++)
    h = hash_str(hash_str(h, proxy_name(r->rms[k])),
                 proxy_cache_key(r->rms[k]));
  h = hash_u64(h, c->nproblems);
  for(size_t i = 0; i < c->nproblems; i++) {
    const struct run_problem *p = &c->problems[i];
    h = hash_str(hash_str(hash_str(h, p->id), p->question), p->answer);
  }
  const struct bench_config *b[2] = {&c->one_to_many, &c->one_to_one};
  for(int i = 0; i < 2; i++) {
    h = hash_str(h, b[i]->source);
    h = hash_u64(hash_u64(h, b[i]->count), (uint64_t)b[i]->incorrect);
    h = hash_str(h, b[i]->path ? b[i]->path : "");
  }
  hash_hex(h, r->hash);
  r->all_problems = c->nproblems;
}

/* Write the folder's shard.json: keep (a merge's manifest, or NULL) gives
 * what a merge recorded; the rest is this run. */
static int write_manifest(struct runner *r, int complete,
                          const struct shard_manifest *keep)
{
  struct shard_manifest m;
  memset(&m, 0, sizeof(m));
  if(keep)
    m = *keep;
  m.k = r->o->shard_n > 1 ? r->o->shard_k + 1 : 1;
  m.n = r->o->shard_n > 1 ? r->o->shard_n : 1;
  memcpy(m.hash, r->hash, sizeof(m.hash));
  m.problems = r->all_problems;
  m.complete = complete;
  m.counted = complete;
  m.total = r->cnt.total;
  m.errors = r->cnt.errors;
  m.no_answer = r->cnt.no_answer;
  if(r->o->array)
    m.array = *r->o->array;
  cJSON *j = shard_manifest_json(&m);
  cJSON_AddNumberToObject(j, "shard_problems", (double)r->c->nproblems);
  shard_manifest_add_info(j, BONRUN_VERSION);
  if(complete) {
    cJSON *n = cJSON_AddObjectToObject(j, "this_run");
    cJSON_AddNumberToObject(n, "new_samples", (double)r->new_samples);
    cJSON_AddNumberToObject(n, "new_scores", (double)r->new_scores);
    cJSON_AddNumberToObject(n, "failed_samples", (double)r->failed_samples);
    cJSON_AddNumberToObject(n, "failed_scores", (double)r->failed_scores);
  }
  int rc = shard_manifest_write(r->dir, j, r->err);
  cJSON_Delete(j);
  return rc;
}

/* --analyze-only: join OUTPUT/shards into OUTPUT first, unless OUTPUT
 * holds a whole run of its own. */
static int join_shards(struct runner *r)
{
  char **dirs;
  struct shard_manifest *ms, m;
  size_t n;
  if(shard_scan(r->dir, &dirs, &ms, &n, r->err))
    return -1;
  int rc = n ? shard_manifest_read(r->dir, &m, r->err) : 0;
  if(rc == 0 && n && !m.merged) {
    if(!r->o->quiet)
      fprintf(stderr, "bonrun: %s holds a whole run: its shards (%s/shards) "
                      "are not merged into it\n", r->dir, r->dir);
  }
  else if(rc >= 0 && n) {
    struct merge_result res;
    rc = merge_shards(r->dir, dirs, ms, n, r->o->partial, &res, r->err);
    if(!rc && !r->o->quiet) {
      struct buf b = BUF_INIT;
      merge_summary(r->dir, &res, &b);
      fprintf(stderr, "%s", buf_str(&b));
      buf_free(&b);
    }
  }
  for(size_t i = 0; i < n; i++)
    free(dirs[i]);
  free(dirs);
  free(ms);
  return rc < 0 ? -1 : 0;
}

/* --analyze-only: 1 if the folder's manifest says every record of this
 * config is in and scores.csv holds them (m: the manifest). */
static int pool_done(struct runner *r, struct shard_manifest *m)
{
  struct bon_err e2;
  if(shard_manifest_read(r->dir, m, &e2)) {
    memset(m, 0, sizeof(*m));
    return 0;
  }
  char *p = fs_join(r->dir, "scores.csv");
  int done = m->complete && m->counted && m->n == 1 &&
             !strcmp(m->hash, r->hash) && fs_exists(p);
  free(p);
  if(done)
    r->cnt = (struct runinfo_counts){m->total, m->errors, m->no_answer};
  return done;
}

/* The folder, config.json, problems.jsonl and the open stores. */
static int prepare(struct runner *r, int done)
{
  int rc = fs_mkdirs(r->dir, r->err);
  if(rc)
    return rc;
  char *k = cJSON_Print(r->c->root);
  char *path = fs_join(r->dir, "config.json");
  struct buf text = BUF_INIT;
  buf_puts(&text, k);
  buf_putc(&text, '\n');
  rc = fs_write_atomic(path, text.data, text.len, r->err);
  buf_free(&text);
  cJSON_free(k);
  free(path);
  if(rc || done || (rc = write_problems(r)))
    return rc;
  if(!r->o->analyze_only && (rc = write_manifest(r, 0, NULL)))
    return rc;
  path = fs_join(r->dir, "samples.jsonl");
  r->samples = store_open(path, r->err);
  free(path);
  path = fs_join(r->dir, "scores.jsonl");
  r->scores = r->samples ? store_open(path, r->err) : NULL;
  free(path);
  return r->samples && r->scores ? 0 : -1;
}

static int pool(struct runner *r)
{
  const struct run_config *c = r->c;
  struct buf csv = BUF_INIT;
  if(!r->o->quiet)
    fprintf(stderr, "bonrun: %s: %zu problems x %zu samples, policy %s, "
                    "%zu reward models -> %s\n", c->name, c->nproblems,
            c->samples, policy_describe(r->policy), r->nrms, r->dir);
  int rc = run_pool(r, &csv);
  r->cnt = (struct runinfo_counts){c->nproblems * c->samples,
                                   r->failed_samples, r->no_answer};
  if(!r->o->quiet)
    print_http_stats(r);
  if(!rc) {
    char *path = fs_join(r->dir, "scores.csv");
    rc = fs_write_atomic(path, csv.data, csv.len, r->err);
    free(path);
  }
  buf_free(&csv);
  return rc;
}

/* "merged from 3 of 4 shards (missing: 4)", for a partial merge. */
static void partial_note(const struct shard_manifest *m, char *out,
                         size_t cap)
{
  out[0] = '\0';
  if(m->merged && m->partial)
    snprintf(out, cap, "merged on purpose from an incomplete set of the %d "
             "shards (missing: %s); every figure covers only the problems "
             "of the shards that are there", m->merged, m->missing);
}

int run_experiment(struct run_config *c, const struct run_options *o,
                   struct bon_err *err)
{
  struct runner r;
  memset(&r, 0, sizeof(r));
  r.c = c;
  r.o = o;
  r.err = err;
  char *otm = NULL, *oto = NULL, note[400] = "";
  struct shard_manifest m;
  memset(&m, 0, sizeof(m));
  int done = 0, rc = open_models(&r);
  if(rc)
    goto out;
  records_hash(&r);
  if(o->shard_n > 1) {
    keep_shard(c, o->shard_k, o->shard_n);
    if(!c->nproblems) {
      rc = bon_errf(err, "shard %d/%d holds no problems (the config has "
                         "%zu): use fewer shards", o->shard_k + 1,
                    o->shard_n, r.all_problems);
      goto out;
    }
  }
  if((rc = check_inside(c, err)))
    goto out;
  if(o->shard_n > 1) {
    char sub[64];
    snprintf(sub, sizeof(sub), "shards/%d-of-%d", o->shard_k + 1,
             o->shard_n);
    r.dir = fs_join(c->out, sub);
  }
  else
    r.dir = xstrdup(c->out);
  if((rc = check_name(c, r.dir, err)))
    goto out;
  if(o->analyze_only && (rc = join_shards(&r)))
    goto out;
  done = o->analyze_only && pool_done(&r, &m);
  r.partial = o->analyze_only && m.merged && m.partial;
  /* Everything is checked: from here on we write. */
  if((rc = prepare(&r, done)) || (!done && (rc = pool(&r))))
    goto out;
  rc = run_bench(&r, "one_to_many", 0, &c->one_to_many, &otm);
  if(!rc)
    rc = run_bench(&r, "one_to_one", 1, &c->one_to_one, &oto);
  if(!rc)
    rc = runinfo_write(r.dir, c, o, r.rms, r.nrms, &r.cnt, err);
  if(!rc && !done) /* the completion mark, last */
    rc = write_manifest(&r, 1, o->analyze_only && m.merged ? &m : NULL);
  if(rc)
    goto out;
  runinfo_warn(stderr, &r.cnt);
  if(o->shard_n > 1) {
    if(!o->quiet)
      fprintf(stderr, "bonrun: shard %d/%d done; once all %d are, `bonrun "
                      "run --analyze-only CONFIG` (or `bonrun merge %s`) "
                      "joins them\n", o->shard_k + 1, o->shard_n,
              o->shard_n, c->out);
    goto out;
  }
  if(o->analyze_only)
    partial_note(&m, note, sizeof(note));
  rc = run_stages(r.dir, c, otm, oto, note[0] ? note : NULL, o->quiet,
                  err);
out:
  free(otm);
  free(oto);
  store_close(r.samples);
  store_close(r.scores);
  close_models(&r);
  free(r.dir);
  return rc;
}

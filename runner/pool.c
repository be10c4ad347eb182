/* pool.c - the pool of a run: each chunk of problems sampled, judged and
 * scored by every RM, its records stored and its rows of scores.csv
 * written (run_int.h). */
#include "runner/run_int.h"
#include "net/openai.h"
#include "policy/http.h"
#include "proxy/http_rm.h"
#include "runner/judge.h"
#include "runner/remedy.h"
#include "stats/csv.h"
#include "util/hash.h"
#include "util/num.h"
#include "util/rng.h"

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Records that a backend computing in this process (the sim) makes are
 * computed again identically and cheaply by the next run if a kill loses
 * them from the store's buffer: they go to disk in large writes.  A served
 * model's results (and replayed ones) are written one by one as they
 * come. */
#define LOCAL_BUFFER (1u << 20)

static int in_process(const char *backend)
{
  return !strcmp(backend, "sim");
}

/* Per-sample seed: consecutive within a problem (so a server's `n` with
 * seed + i semantics reproduces them), 31-bit for every server's sake. */
static uint64_t sample_seed(uint64_t master, const char *question, size_t j)
{
  uint64_t base = mix64(master ^ hash_str(HASH_INIT, question)) & 0x3fffffff;
  return (base + j) & 0x7fffffff;
}

/* salt: policy_job_salt's (0 for generating policies, whose keys it thus
   leaves as they always were). */
static uint64_t sample_key(const struct policy *p, const char *question,
                           uint64_t seed, uint64_t salt)
{
  uint64_t h = hash_str(HASH_INIT, "sample");
  h = hash_str(h, policy_cache_key(p));
  h = hash_str(h, question);
  h = hash_u64(h, seed);
  return salt ? hash_u64(h, salt) : h;
}

/* The start of every score key of RM p on a question. */
static uint64_t score_prefix(const struct proxy *p, const char *question)
{
  uint64_t h = hash_str(HASH_INIT, "score");
  h = hash_str(h, proxy_cache_key(p));
  return hash_str(h, question);
}

/* The key of an RM's score of an item: its question and response, and
 * (only when present, so plain items keep their keys) the steps a process
 * RM reads and the second solution a pairwise judge reads. */
static uint64_t score_key(const struct proxy *p, const struct proxy_item *it)
{
  uint64_t h = hash_str(score_prefix(p, it->question), it->response);
  if(it->steps) {
    h = hash_u64(hash_str(h, "steps"), it->nsteps);
    for(size_t k = 0; k < it->nsteps; k++)
      h = hash_str(h, it->steps[k]);
  }
  if(it->response_b)
    h = hash_str(hash_str(h, "response_b"), it->response_b);
  return h;
}

/* The working arrays of one chunk of problems (cap = problems * N). */
struct pool {
  size_t cap;
  char **answers;                /* judged answers, NULL: not judged yet */
  int *correct;
  double *scores;                /* [rm * cap + i] */
  uint64_t *keys;                /* [rm * cap + i] score keys */
  const char **pids;
  size_t *sids;
  struct proxy_item *items;      /* final texts */
  struct proxy_item *full;       /* full texts (score_text "full") */
  char **fulltext;
  size_t nitems;
};
/* ---- the pool ---------------------------------------------------------- */

/* The verifier's verdict on sample i, kept for the scores table. */
static void pool_judged(struct pool *pl, size_t i, int ok, const char *ans)
{
  free(pl->answers[i]);
  pl->answers[i] = xstrdup(ans);
  pl->correct[i] = ok;
}

/* ---- sampling ---------------------------------------------------------- */

/* The fields of a completion in its record: the final text, and what a
 * reasoning model or a served policy tells besides (absent when unknown,
 * so a sim record and an old record read the same way). */
static void put_result(struct buf *b, const struct policy_result *res)
{
  buf_puts(b, ",\"text\":");
  buf_json_str(b, res->text);
  if(res->reasoning) {
    buf_puts(b, ",\"reasoning\":");
    buf_json_str(b, res->reasoning);
  }
  if(res->finish_reason) {
    buf_puts(b, ",\"finish_reason\":");
    buf_json_str(b, res->finish_reason);
  }
  if(res->completion_tokens >= 0) {
    buf_puts(b, ",\"completion_tokens\":");
    buf_put_u64(b, (unsigned long long)res->completion_tokens);
  }
}

static int is_truncated(const char *finish_reason)
{
  return finish_reason && !strcmp(finish_reason, "length");
}

static int on_sample(void *ctx, const struct policy_job *job,
                     const struct policy_result *res, const char *error,
                     int permanent)
{
  struct runner *r = ctx;
  size_t i = job->tag, N = r->c->samples;
  const struct run_problem *pr = &r->c->problems[r->p0 + i / N];
  struct buf *b = &r->rec;
  buf_reset(b);
  buf_puts(b, ",\"problem_id\":");
  buf_json_str(b, pr->id);
  buf_puts(b, ",\"sample\":");
  buf_put_u64(b, i % N);
  buf_puts(b, ",\"seed\":");
  buf_put_u64(b, job->seed);
  if(res) {
    char ans[256];
    const char *reason;
    int ok = judge(pr->answer, res->text, r->c->gold_strict, ans,
                   sizeof(ans), &reason);
    put_result(b, res);
    buf_puts(b, ",\"answer\":");
    buf_json_str(b, ans);
    buf_puts(b, ok ? ",\"correct\":true,\"reason\":" :
                     ",\"correct\":false,\"reason\":");
    buf_json_str(b, reason);
    pool_judged(r->pl, i, ok, ans);
    r->texts[i] = xstrdup(res->text);
    r->reasons[i] = res->reasoning ? xstrdup(res->reasoning) : NULL;
    r->truncated += is_truncated(res->finish_reason);
    r->finish_known += res->finish_reason != NULL;
    r->new_samples++;
  }
  else {
    buf_puts(b, ",\"error\":");
    buf_json_str(b, error);
    buf_puts(b, permanent ? ",\"permanent\":true" : ",\"permanent\":false");
    r->failed_samples++;
  }
  buf_putc(b, '}');
  int rc = store_put_n(r->samples, r->keys[i], b->data, b->len, r->err);
  progress_add(&r->prog, 1, 0);
  if(rc)
    r->failed = 1;
  return rc;
}

/* Take a stored sample record: 1 when it is done with (a completion, or
 * a permanent failure unless --retry-failed), 0 when it must be drawn. */
static int reuse_sample(struct runner *r, size_t i, const cJSON *rec)
{
  const char *text = cJSON_GetStringValue(cJSON_GetObjectItem(rec, "text"));
  if(text) {
    const char *rs = cJSON_GetStringValue(cJSON_GetObjectItem(rec,
                                                               "reasoning"));
    r->texts[i] = xstrdup(text);
    r->reasons[i] = rs ? xstrdup(rs) : NULL;
    const char *fr = cJSON_GetStringValue(cJSON_GetObjectItem(
        rec, "finish_reason"));
    r->truncated += is_truncated(fr);
    r->finish_known += fr != NULL;
    return 1;
  }
  /* analysing only, a recorded failure stays a failure */
  if(rec && (r->o->analyze_only ||
             (cJSON_IsTrue(cJSON_GetObjectItem(rec, "permanent")) &&
              !r->o->retry_failed))) {
    r->failed_samples++;
    return 1;
  }
  return 0;
}

/* The policy stopped the run: say which, and what to change. */
static void policy_stopped(struct runner *r)
{
  bon_err_prefix(r->err, "policy (%s)", policy_describe(r->policy));
  run_remedy(r->err, policy_http_cause(r->policy), "policy", 0);
}

static int sample_chunk(struct runner *r)
{
  size_t N = r->c->samples, n = r->np * N, njobs = 0;
  struct policy_job *jobs = xcalloc(n, sizeof(*jobs));
  for(size_t i = 0; i < n; i++) {
    const struct run_problem *pr = &r->c->problems[r->p0 + i / N];
    struct policy_job job = {
      .problem_id = pr->id, .sample = i % N, .question = pr->question,
      .reference = pr->final,
      .seed = sample_seed(r->c->seed, pr->question, i % N), .tag = i};
    uint64_t salt = policy_job_salt(r->policy, &job);
    r->keys[i] = sample_key(r->policy, pr->question, job.seed, salt);
    cJSON *rec = store_get(r->samples, r->keys[i]);
    if(rec && reuse_sample(r, i, rec))
      progress_add(&r->prog, 1, 1);
    else if(r->o->analyze_only) {
      r->missing_samples++;
      progress_add(&r->prog, 1 + r->nrms - r->npairwise, 1);
    }
    else
      jobs[njobs++] = job;
    cJSON_Delete(rec);
  }
  int rc = 0;
  if(njobs)
    rc = policy_generate(r->policy, jobs, njobs, on_sample, r, r->err);
  if(rc && !r->failed)
    policy_stopped(r);
  free(jobs);
  return rc || r->failed ? -1 : 0;
}

/* ---- scoring ----------------------------------------------------------- */

static uint64_t item_key(const struct scoring *sc, const struct proxy_item *it)
{
  return sc->keys ? sc->keys[it->tag] : score_key(sc->rm, it);
}

static int on_score(void *ctx, const struct proxy_item *item, double score,
                    const double *steps, size_t nsteps, const char *error,
                    int permanent)
{
  struct scoring *sc = ctx;
  size_t i = item->tag;
  struct buf *b = &sc->rec;
  buf_reset(b);
  buf_puts(b, ",\"rm\":");
  buf_json_str(b, proxy_name(sc->rm));
  buf_puts(b, ",\"problem_id\":");
  buf_json_str(b, sc->pids[i]);
  buf_puts(b, ",\"sample\":");
  buf_put_u64(b, sc->sids[i]);
  if(!error && isfinite(score)) {
    buf_puts(b, ",\"score\":");
    num_put_g17(b, score);
    if(item->response_b)
      buf_puts(b, score >= 0.5 ? ",\"verdict\":\"A\"" :
                                 ",\"verdict\":\"B\"");
    if(steps && nsteps) {
      buf_puts(b, ",\"steps\":[");
      for(size_t k = 0; k < nsteps; k++) {
        if(k)
          buf_putc(b, ',');
        num_put_g17(b, steps[k]);
      }
      buf_putc(b, ']');
    }
    sc->out[i] = score;
    sc->news++;
  }
  else {
    buf_puts(b, ",\"error\":");
    buf_json_str(b, error ? error : "score is not a finite number");
    buf_puts(b, permanent ? ",\"permanent\":true" : ",\"permanent\":false");
    sc->fails++;
  }
  buf_putc(b, '}');
  int rc = store_put_n(sc->store, item_key(sc, item), b->data, b->len,
                       sc->err);
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
int run_score_all(struct scoring *sc, const struct proxy_item *items,
                  size_t n)
{
  struct proxy_item *todo = xcalloc(n ? n : 1, sizeof(*todo));
  size_t ntodo = 0;
  for(size_t i = 0; i < n; i++) {
    size_t t = items[i].tag;
    sc->out[t] = NAN;
    cJSON *rec = store_get(sc->store, item_key(sc, &items[i]));
    cJSON *s = rec ? cJSON_GetObjectItem(rec, "score") : NULL;
    if(cJSON_IsNumber(s)) {
      sc->out[t] = s->valuedouble;
      progress_add(sc->prog, 1, 1);
    }
    else if(rec && (sc->lookup_only ||
                    (cJSON_IsTrue(cJSON_GetObjectItem(rec, "permanent")) &&
                     !sc->retry_failed))) {
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
    ks[i] = (struct keyed){item_key(sc, &todo[i]), i};
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
  if(store_set_buffer(sc->store, in_process(sc->rm->backend->name) ?
                      LOCAL_BUFFER : 0, sc->err))
    rc = sc->failed = -1;
  if(nuniq && !rc)
    rc = proxy_score(sc->rm, uniq, nuniq, on_score, sc, sc->err);
  if(!rc && store_flush(sc->store, sc->err))
    rc = sc->failed = -1;
  buf_free(&sc->rec);
  if(rc && !sc->failed) {
    /* the RM stopped the run: say which, and what to change */
    char path[32];
    snprintf(path, sizeof(path), "proxies[%zu]", sc->index);
    bon_err_prefix(sc->err, "%s (%s)", path, proxy_describe(sc->rm));
    run_remedy(sc->err, proxy_http_cause(sc->rm), path, 1);
  }
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

/* ---- the chunk --------------------------------------------------------- */

/* Judge the chunk's completions not judged as they came (those read back
 * from the store) and list them as RM items: the final text, and (when an
 * RM wants it) the full text with the reasoning. */
static void chunk_items(struct runner *r, struct pool *pl, int want_full)
{
  struct run_config *c = r->c;
  size_t N = c->samples;
  pl->nitems = 0;
  for(size_t i = 0; i < r->np * N; i++) {
    if(!r->texts[i])
      continue;
    const struct run_problem *pr = &c->problems[r->p0 + i / N];
    if(!pl->answers[i]) {
      char ans[256];
      const char *reason;
      int ok = judge(pr->answer, r->texts[i], c->gold_strict, ans,
                     sizeof(ans), &reason);
      pool_judged(pl, i, ok, ans);
    }
    r->no_answer += !pl->answers[i][0];
    pl->pids[i] = pr->id;
    pl->sids[i] = i % N;
    pl->items[pl->nitems] = (struct proxy_item){
        .question = pr->question, .response = r->texts[i], .tag = i};
    if(want_full) {
      struct buf b = BUF_INIT;
      net_join_reasoning(r->reasons[i], r->texts[i], &b);
      pl->fulltext[i] = xstrdup(buf_str(&b));
      buf_free(&b);
      pl->full[pl->nitems] = (struct proxy_item){
          .question = pr->question, .response = pl->fulltext[i], .tag = i};
    }
    pl->nitems++;
  }
}

/* The score keys of the chunk's items for every RM (score_key's values):
 * score_prefix once per problem and RM, then each text folded into the
 * chains of all RMs that read it at once. */
static void chunk_keys(struct runner *r, struct pool *pl)
{
  size_t nk = r->nrms, N = r->c->samples, last = (size_t)-1;
  uint64_t *pre = xcalloc(2 * nk + 1, sizeof(uint64_t));
  uint64_t *h = pre + nk;
  size_t *rm_of = xcalloc(nk + 1, sizeof(size_t));
  for(size_t j = 0; j < pl->nitems; j++) {
    size_t i = pl->items[j].tag;
    if(i / N != last) {
      last = i / N;
      for(size_t k = 0; k < nk; k++)
        pre[k] = score_prefix(r->rms[k], pl->items[j].question);
    }
    for(int full = 0; full < 2; full++) {
      size_t m = 0;
      for(size_t k = 0; k < nk; k++)
        if(!proxy_pairwise(r->rms[k]) && proxy_full_text(r->rms[k]) == full) {
          rm_of[m] = k;
          h[m++] = pre[k];
        }
      if(!m)
        continue;
      hash_str_lanes(h, m, full ? pl->full[j].response :
                                  pl->items[j].response);
      for(size_t q = 0; q < m; q++)
        pl->keys[rm_of[q] * pl->cap + i] = h[q];
    }
  }
  free(pre);
  free(rm_of);
}

/* Append the chunk's rows to scores.csv (an empty score when missing). */
static int chunk_csv(struct runner *r, const struct pool *pl)
{
  struct buf *csv = &r->csvbuf;
  buf_reset(csv);
  for(size_t i = 0; i < r->np * r->c->samples; i++) {
    if(!r->texts[i])
      continue;
    for(size_t k = 0; k < r->nrms; k++) {
      if(proxy_pairwise(r->rms[k]))
        continue;  /* benchmarks only */
      double s = pl->scores[k * pl->cap + i];
      stats_csv_put(csv, pl->pids[i]);
      buf_putc(csv, ',');
      buf_put_u64(csv, pl->sids[i]);
      buf_putc(csv, ',');
      stats_csv_put(csv, proxy_name(r->rms[k]));
      buf_putc(csv, ',');
      if(isfinite(s))
        num_put_g17(csv, s);
      buf_puts(csv, pl->correct[i] ? ",1," : ",0,");
      stats_csv_put(csv, pl->answers[i]);
      buf_putc(csv, '\n');
    }
  }
  return fs_stream_write(r->csv, csv->data, csv->len, r->err);
}

static void pool_clear(struct runner *r, struct pool *pl)
{
  for(size_t i = 0; i < r->np * r->c->samples; i++) {
    free(r->texts[i]);
    free(r->reasons[i]);
    free(pl->answers[i]);
    free(pl->fulltext[i]);
    r->texts[i] = r->reasons[i] = pl->answers[i] = pl->fulltext[i] = NULL;
  }
}

/* The problem ids of the chunk, for the stores' index. */
static int chunk_select(struct runner *r)
{
  const char **ids = xcalloc(r->np, sizeof(char *));
  for(size_t p = 0; p < r->np; p++)
    ids[p] = r->c->problems[r->p0 + p].id;
  int rc = store_select(r->samples, ids, r->np, r->err);
  if(!rc)
    rc = store_select(r->scores, ids, r->np, r->err);
  free(ids);
  return rc;
}

/* Sample one chunk of problems, then let every RM score it. */
static int run_chunk(struct runner *r, struct pool *pl, int want_full)
{
  int rc = chunk_select(r);
  if(!rc)
    rc = sample_chunk(r);
  if(!rc) {
    chunk_items(r, pl, want_full);
    chunk_keys(r, pl);
  }
  for(size_t k = 0; k < r->nrms && !rc; k++) {
    if(proxy_pairwise(r->rms[k]))
      continue;  /* benchmarks only: it cannot score one completion */
    int full = proxy_full_text(r->rms[k]);
    struct scoring sc = {r->scores, r->rms[k], k, r->o->retry_failed,
                         r->err, &r->prog, pl->pids, pl->sids,
                         pl->scores + k * pl->cap, 0, 0, 0,
                         r->o->analyze_only, 0, NULL,
                         pl->keys + k * pl->cap, BUF_INIT};
    rc = run_score_all(&sc, full ? pl->full : pl->items, pl->nitems);
    r->new_scores += sc.news;
    r->failed_scores += sc.fails;
    r->missing_scores += sc.missing;
  }
  if(!rc)
    rc = chunk_csv(r, pl);
  pool_clear(r, pl);
  return rc;
}

static void pool_init(struct runner *r, struct pool *pl, size_t cap)
{
  memset(pl, 0, sizeof(*pl));
  pl->cap = cap;
  r->texts = xcalloc(cap, sizeof(char *));
  r->reasons = xcalloc(cap, sizeof(char *));
  r->keys = xcalloc(cap, sizeof(uint64_t));
  pl->answers = xcalloc(cap, sizeof(char *));
  pl->correct = xcalloc(cap, sizeof(int));
  pl->scores = xcalloc(cap * r->nrms + 1, sizeof(double));
  pl->keys = xcalloc(cap * r->nrms + 1, sizeof(uint64_t));
  pl->pids = xcalloc(cap, sizeof(char *));
  pl->sids = xcalloc(cap, sizeof(size_t));
  pl->items = xcalloc(cap, sizeof(*pl->items));
  pl->full = xcalloc(cap, sizeof(*pl->full));
  pl->fulltext = xcalloc(cap, sizeof(char *));
  r->pl = pl;
}

static void pool_free(struct runner *r, struct pool *pl)
{
  free(r->texts);
  free(r->reasons);
  free(r->keys);
  r->texts = r->reasons = NULL;
  r->keys = NULL;
  r->pl = NULL;
  free(pl->answers);
  free(pl->correct);
  free(pl->scores);
  free(pl->keys);
  free(pl->pids);
  free(pl->sids);
  free(pl->items);
  free(pl->full);
  free(pl->fulltext);
}

/* Remove what killed runs left of their PATH.tmp.PID (a scores.csv being
 * written can be a gigabyte); two runs never share a folder. */
static void drop_stale_tmp(const char *path)
{
  struct buf pat = BUF_INIT;
  buf_puts(&pat, path);
  buf_puts(&pat, ".tmp.*");
  glob_t g;
  if(glob(buf_str(&pat), GLOB_NOSORT, NULL, &g) == 0) {
    for(size_t i = 0; i < g.gl_pathc; i++)
      unlink(g.gl_pathv[i]);
    globfree(&g);
  }
  buf_free(&pat);
}

/* Sample and score every problem chunk by chunk, writing scores.csv as it
 * goes (in place once every chunk is done). */
int run_pool(struct runner *r)
{
  struct run_config *c = r->c;
  size_t N = c->samples, chunk = 16384 / N;
  if(chunk < 1)
    chunk = 1;
  char *path = fs_join(r->dir, "scores.csv");
  drop_stale_tmp(path);
  r->csv = fs_stream_open(path, r->err);
  free(path);
  if(!r->csv)
    return -1;
  progress_start(&r->prog, "sample+score",
                 c->nproblems * N * (1 + r->nrms - r->npairwise),
                 r->o->quiet);
  struct pool pl;
  pool_init(r, &pl, chunk * N);
  int want_full = 0;
  for(size_t k = 0; k < r->nrms; k++)
    want_full |= proxy_full_text(r->rms[k]);
  static const char head[] = "problem_id,sample_id,rm,score,correct,answer\n";
  int rc = fs_stream_write(r->csv, head, sizeof(head) - 1, r->err);
  if(!rc)
    rc = store_set_buffer(r->samples, in_process(r->policy->backend->name) ?
                          LOCAL_BUFFER : 0, r->err);
  for(size_t p0 = 0; p0 < c->nproblems && !rc; p0 += chunk) {
    r->p0 = p0;
    r->np = c->nproblems - p0 < chunk ? c->nproblems - p0 : chunk;
    rc = run_chunk(r, &pl, want_full);
  }
  if(!rc)
    rc = store_flush(r->samples, r->err);
  char note[200];
  int n = snprintf(note, sizeof(note), "%zu new samples, %zu new scores, "
                   "%zu failed samples, %zu failed scores", r->new_samples,
                   r->new_scores, r->failed_samples, r->failed_scores);
  if(r->truncated && n > 0 && (size_t)n < sizeof(note))
    snprintf(note + n, sizeof(note) - (size_t)n, ", %zu samples stopped "
             "at max_tokens", r->truncated);
  progress_end(&r->prog, note);
  pool_free(r, &pl);
  buf_free(&r->csvbuf);
  if(!rc && (r->missing_samples || r->missing_scores))
    rc = bon_errf(r->err, "%s: %zu samples and %zu scores are missing, and "
                          "--analyze-only computes none: merge the shards "
                          "that hold them, or run without --analyze-only "
                          "to compute them", r->dir, r->missing_samples,
                  r->missing_scores);
  if(!rc)
    rc = fs_stream_commit(r->csv, r->err);
  else
    fs_stream_abort(r->csv);
  r->csv = NULL;
  return rc;
}


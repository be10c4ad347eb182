#include "runner/run.h"
#include "policy/http.h"
#include "policy/policy.h"
#include "proxy/http_rm.h"
#include "proxy/proxy.h"
#include "runner/benchset.h"
#include "net/openai.h"
#include "runner/commands.h"
#include "runner/judge.h"
#include "runner/merge.h"
#include "runner/remedy.h"
#include "runner/replay.h"
#include "runner/runinfo.h"
#include "runner/shard.h"
#include "runner/stages.h"
#include "runner/store.h"
#include "stats/csv.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/num.h"
#include "util/progress.h"
#include "util/rng.h"

#include <glob.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct runner {
  struct run_config *c;
  const struct run_options *o;
  struct policy *policy;
  struct proxy **rms;
  size_t nrms;
  size_t npairwise;            /* pairwise judges among them */
  char *dir;
  struct store *samples, *scores;
  struct progress prog;
  size_t new_samples, new_scores, failed_samples, failed_scores;
  size_t truncated;            /* samples that stopped at max_tokens */
  size_t finish_known;         /* samples whose record says why it stopped */
  size_t no_answer;            /* samples with no extractable answer */
  size_t missing_samples, missing_scores;  /* --analyze-only: not there */
  size_t all_problems;         /* of the experiment, before sharding */
  int partial;                 /* analysing a partial merge */
  char hash[17];               /* the config hash (shard.json) */
  struct runinfo_counts cnt;   /* run.json's sample counts */
  /* the chunk being sampled */
  size_t p0, np;               /* first problem, problems in the chunk */
  char **texts;                /* [np * N] final text or NULL */
  char **reasons;              /* [np * N] reasoning or NULL */
  uint64_t *keys;              /* [np * N] the samples' store keys */
  struct replay_plan replay;   /* policy "file": what the file covers */
  struct pool *pl;             /* the chunk's working arrays */
  struct buf rec;              /* a record being written */
  struct fs_stream *csv;       /* scores.csv, written chunk by chunk */
  struct buf csvbuf;           /* the chunk's rows of it */
  struct bon_err *err;
  int failed;
};

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

/* The key of an RM's score of an item: its question and response, and
 * (only when present, so plain items keep their keys) the steps a process
 * RM reads and the second solution a pairwise judge reads. */
static uint64_t score_key(const struct proxy *p, const struct proxy_item *it)
{
  uint64_t h = hash_str(HASH_INIT, "score");
  h = hash_str(h, proxy_cache_key(p));
  h = hash_str(h, it->question);
  h = hash_str(h, it->response);
  if(it->steps) {
    h = hash_u64(hash_str(h, "steps"), it->nsteps);
    for(size_t k = 0; k < it->nsteps; k++)
      h = hash_str(h, it->steps[k]);
  }
  if(it->response_b)
    h = hash_str(hash_str(h, "response_b"), it->response_b);
  return h;
}

/* ---- the pool ---------------------------------------------------------- */

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

/* One RM scoring a list of items against a store.  Item tags index the
 * per-item arrays: problem id, sample id, and the score written out. */
struct scoring {
  struct store *store;
  struct proxy *rm;
  size_t index;          /* the RM's place in "proxies", for messages */
  int retry_failed;      /* send permanent failures again */
  struct bon_err *err;
  struct progress *prog;
  const char *const *pids;
  const size_t *sids;
  double *out;
  size_t news, fails;
  int failed;
  int lookup_only;       /* compute nothing: count what is missing */
  size_t missing;
  char *absent;          /* lookup_only: [tag] = 1 if missing, or NULL */
  const uint64_t *keys;  /* the items' keys by tag, or NULL: computed */
  struct buf rec;        /* a record being written */
};

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
static int score_all(struct scoring *sc, const struct proxy_item *items,
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
 * "score", the RM's cache key and the question folded once per problem,
 * then each text folded into the chains of all RMs that read it at once. */
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
        pre[k] = hash_str(hash_str(hash_str(HASH_INIT, "score"),
                                   proxy_cache_key(r->rms[k])),
                          pl->items[j].question);
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
    rc = score_all(&sc, full ? pl->full : pl->items, pl->nitems);
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
static int run_pool(struct runner *r)
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
    rc = score_all(&sc, items, n);
  else {
    rc = score_all(&sc, cmps, ncmp);
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
  if(!rc)
    rc = bench_candidates(r, name, one_to_one, b, dir, table);
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
    if(r->c->ngroups) {
      buf_puts(&b, ",\"groups\":{");
      for(size_t g = 0; g < r->c->ngroups; g++) {
        buf_puts(&b, g ? "," : "");
        buf_json_str(&b, r->c->group_keys[g]);
        buf_putc(&b, ':');
        buf_json_str(&b, p->groups[g]);
      }
      buf_putc(&b, '}');
    }
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
    r->npairwise += proxy_pairwise(p);
    for(size_t k = 0; k + 1 < r->nrms; k++)
      if(!strcmp(proxy_name(r->rms[k]), proxy_name(p)))
        return bon_errf(r->err, "%s: %s.name: \"%s\" is already the name of "
                                "proxies[%zu]: names must be unique",
                        c->file, path, proxy_name(p), k);
  }
  if(r->npairwise == r->nrms)
    return bon_errf(r->err, "%s: proxies: every proxy is a pairwise judge, "
                            "which scores benchmarks only: best-of-n needs "
                            "at least one reward model that scores one "
                            "completion", c->file);
  return 0;
}

/* The names of the pairwise judges (borrowed; caller frees the array). */
static const char **pairwise_names(const struct runner *r)
{
  const char **names = xcalloc(r->npairwise + 1, sizeof(char *));
  for(size_t k = 0, i = 0; k < r->nrms; k++)
    if(proxy_pairwise(r->rms[k]))
      names[i++] = proxy_name(r->rms[k]);
  return names;
}

/* The HTTP backends' error summary (status counts, retries, timeouts):
 * after the pool the policy and the RMs that score it, after the
 * benchmarks (`judges`) the pairwise judges, which score only those. */
static void print_http_stats(struct runner *r, int judges)
{
  struct buf b = BUF_INIT;
  if(!judges && policy_http_stats(r->policy, &b) == 0)
    fprintf(stderr, "policy       %s\n", buf_str(&b));
  for(size_t k = 0; k < r->nrms; k++) {
    buf_reset(&b);
    if(proxy_pairwise(r->rms[k]) == judges &&
       proxy_http_stats(r->rms[k], &b) == 0)
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
  h = hash_u64(h, (uint64_t)c->gold_strict);
  const struct bench_config *b[2] = {&c->one_to_many, &c->one_to_one};
  for(int i = 0; i < 2; i++) {
    h = hash_str(h, b[i]->source);
    h = hash_u64(hash_u64(h, b[i]->count), (uint64_t)b[i]->incorrect);
    h = hash_str(h, b[i]->path ? b[i]->path : "");
    h = hash_str(h, b[i]->format ? b[i]->format : "");
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
  m.truncated = r->cnt.truncated;
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
    r->cnt = (struct runinfo_counts){m->total, m->errors, m->no_answer,
                                     m->truncated, &r->replay};
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
  r->samples = store_open_grouped(path, "problem_id", r->err);
  free(path);
  path = fs_join(r->dir, "scores.jsonl");
  r->scores = r->samples ? store_open_grouped(path, "problem_id", r->err)
                         : NULL;
  free(path);
  return r->samples && r->scores ? 0 : -1;
}

static int pool(struct runner *r)
{
  const struct run_config *c = r->c;
  if(!r->o->quiet)
    fprintf(stderr, "bonrun: %s: %zu problems x %zu samples, policy %s, "
                    "%zu reward models -> %s\n", c->name, c->nproblems,
            c->samples, policy_describe(r->policy), r->nrms, r->dir);
  replay_print(stderr, &r->replay, c->samples, r->o->quiet);
  int rc = run_pool(r);
  size_t done = c->nproblems * c->samples - r->failed_samples;
  r->cnt = (struct runinfo_counts){
      c->nproblems * c->samples, r->failed_samples, r->no_answer,
      r->finish_known == done ? (long long)r->truncated : -1, &r->replay};
  if(!r->o->quiet)
    print_http_stats(r, 0);
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
  if(rc || (rc = replay_plan(c, r.policy, &r.replay, err)))
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
  if(!o->quiet && r.npairwise)
    print_http_stats(&r, 1);
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
  const char **pw = pairwise_names(&r);
  rc = run_stages(r.dir, c, otm, oto, pw, r.npairwise,
                  note[0] ? note : NULL, o->quiet, err);
  free(pw);
out:
  buf_free(&r.rec);
  free(otm);
  free(oto);
  store_close(r.samples);
  store_close(r.scores);
  close_models(&r);
  replay_plan_free(&r.replay);
  free(r.dir);
  return rc;
}

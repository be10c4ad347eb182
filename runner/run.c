/* run.c - `bonrun run`: the experiment from its config: output checks,
 * the models, the pool and the benchmarks, shards, the analysis stages
 * (run.h; the pieces in pool.c and runbench.c share run_int.h). */
#include "runner/run_int.h"
#include "policy/http.h"
#include "proxy/http_rm.h"
#include "runner/commands.h"
#include "runner/merge.h"
#include "runner/stages.h"
#include "util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* file.c - the "file" policy backend: replayed completions (file.h). */
#include "policy/file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/completions.h"
#include "ingest/records.h"
#include "util/cfg.h"
#include "util/hash.h"

static const struct cfg_field file_fields[] = {
  {"backend", CFG_STRING, 1, NULL, 0, 0, NULL, "the policy backend"},
  {"samples", CFG_INT, 0, NULL, 1, 1e6, NULL,
   "completions per problem, N (absent: decided from the file)"},
  {"path", CFG_STRING, 1, NULL, 0, 0, NULL,
   "the completions: JSON lines or a JSON array, gzip too"},
  {"id_key", CFG_STRING, 0, NULL, 0, 0, NULL,
   "field with the problem id (default: problem_id, unique_id, id or "
   "idx)"},
  {"text_key", CFG_STRING, 0, NULL, 0, 0, NULL,
   "field with the completion (default: text, completion, response or "
   "output)"},
  {"sample_key", CFG_STRING, 0, NULL, 0, 0, NULL,
   "field with the sample index (default: sample, sample_index or "
   "sample_id; none: file order)"},
  {"seed_key", CFG_STRING, 0, NULL, 0, 0, NULL,
   "field with the seed the completion was drawn with (default: seed)"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

struct replay {
  char *path;
  struct ingest_completions set;
};

/* The completion of job's (problem, sample), or NULL. */
static const struct ingest_completion *lookup(const struct replay *r,
                                              const struct policy_job *job)
{
  size_t first;
  if(!job->problem_id)
    return NULL;
  size_t n = ingest_completions_find(&r->set, job->problem_id, &first);
  return job->sample < n ? &r->set.c[first + job->sample] : NULL;
}

static uint64_t file_salt(const struct policy *p, struct policy_job *job)
{
  const struct ingest_completion *c = lookup(p->state, job);
  uint64_t h = hash_str(HASH_INIT, "replay");
  h = hash_str(h, job->problem_id ? job->problem_id : "");
  h = hash_u64(h, (uint64_t)job->sample);
  if(!c)
    h = hash_str(h, "(none)");
  else {
    if(c->has_seed)
      job->seed = c->seed;
    h = hash_u64(h, c->has_seed ? c->seed + 1 : 0);
    h = hash_str(h, c->text);
    h = hash_str(hash_u64(h, !!c->reasoning), c->reasoning ? c->reasoning
                                                           : "");
    h = hash_str(hash_u64(h, !!c->finish_reason),
                 c->finish_reason ? c->finish_reason : "");
    h = hash_u64(h, (uint64_t)c->completion_tokens);
  }
  return h ? h : 1;
}

static int file_open(struct policy *p, cJSON *section, const char *file,
                     struct bon_err *err)
{
  if(cfg_check(section, file_fields, file, "policy", err))
    return -1;
  const char *path = cfg_str(section, "path");
  size_t len;
  char *text = ingest_read(path, &len, err);
  if(!text)
    return bon_err_prefix(err, "%s: policy.path", file);
  struct ingest_completion_opts o = {
    cfg_str(section, "id_key"), cfg_str(section, "text_key"),
    cfg_str(section, "sample_key"), cfg_str(section, "seed_key")};
  struct replay *r = xcalloc(1, sizeof(*r));
  int rc = ingest_completions_read(text, len, path, &o, &r->set, err);
  free(text);
  if(rc) {
    free(r);
    return bon_err_prefix(err, "%s: policy.path", file);
  }
  r->path = xstrdup(path);
  p->state = r;
  p->salt = file_salt;
  p->cache_key = xstrdup("file");
  char d[512];
  snprintf(d, sizeof(d), "file %s (%zu completions of %zu problems)", path,
           r->set.n, r->set.nproblems);
  p->describe = xstrdup(d);
  return 0;
}

static int file_generate(struct policy *p, const struct policy_job *jobs,
                         size_t njobs, policy_sink sink, void *ctx,
                         struct bon_err *err)
{
  (void)err;
  const struct replay *r = p->state;
  for(size_t i = 0; i < njobs; i++) {
    const struct ingest_completion *c = lookup(r, &jobs[i]);
    char msg[640] = "";
    if(!c)
      snprintf(msg, sizeof(msg), "%s has no completion %zu of problem "
               "\"%.200s\"", r->path, jobs[i].sample,
               jobs[i].problem_id ? jobs[i].problem_id : "(no id)");
    struct policy_result res = {NULL, NULL, NULL, -1};
    if(c)
      res = (struct policy_result){c->text, c->reasoning, c->finish_reason,
                                   c->completion_tokens};
    if(sink(ctx, &jobs[i], c ? &res : NULL, c ? NULL : msg, 1))
      break;
  }
  return 0;
}

static void file_close(struct policy *p)
{
  struct replay *r = p->state;
  if(!r)
    return;
  ingest_completions_free(&r->set);
  free(r->path);
  free(r);
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int policy_file_counts(const struct policy *p, const char *const *ids,
                       size_t n, size_t *counts,
                       struct policy_file_coverage *cov)
{
  if(p->backend != &policy_file_backend)
    return -1;
  const struct replay *r = p->state;
  memset(cov, 0, sizeof(*cov));
  cov->path = r->path;
  cov->completions = r->set.n;
  cov->problems = r->set.nproblems;
  size_t first;
  for(size_t i = 0; i < n; i++)
    counts[i] = ingest_completions_find(&r->set, ids[i], &first);
  const char **sorted = xcalloc(n ? n : 1, sizeof(*sorted));
  memcpy(sorted, ids, n * sizeof(*sorted));
  qsort(sorted, n, sizeof(*sorted), cmp_str);
  for(size_t i = 0; i < r->set.n; i++) {
    const char *id = r->set.c[i].problem_id;
    if(n && bsearch(&id, sorted, n, sizeof(*sorted), cmp_str))
      continue;
    cov->unknown_completions++;
    cov->unknown_problems += r->set.c[i].rank == 0;
    if(!cov->first_unknown)
      cov->first_unknown = id;
  }
  free(sorted);
  return 0;
}

const struct policy_backend policy_file_backend = {
  "file", file_open, file_generate, file_close,
};

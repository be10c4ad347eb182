/* runinfo.c - writing RUN/run.json (runinfo.h). */
#include "runner/runinfo.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "plots/runinfo.h"
#include "runner/commands.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/fsutil.h"

static void add_str_or_null(cJSON *o, const char *key, const char *s)
{
  if(s)
    cJSON_AddStringToObject(o, key, s);
  else
    cJSON_AddNullToObject(o, key);
}

/* {"backend": ..., "model": ...} of a policy or proxy section (whose
 * defaults the backend has filled in); "name" first when given. */
static cJSON *model(const cJSON *sec, const char *name)
{
  cJSON *o = cJSON_CreateObject();
  if(name)
    cJSON_AddStringToObject(o, "name", name);
  const char *be = cfg_str(sec, "backend");
  cJSON_AddStringToObject(o, "backend", be ? be : "sim");
  add_str_or_null(o, "model", cfg_str(sec, "model"));
  return o;
}

static cJSON *bench(const struct bench_config *b)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "source", b->source);
  add_str_or_null(o, "path", b->data || !strcmp(b->source, "file")
                               ? b->path : NULL);
  if(b->data)
    cJSON_AddNumberToObject(o, "count", (double)b->data->nproblems);
  else if(!strcmp(b->source, "sim"))
    cJSON_AddNumberToObject(o, "count", (double)b->count);
  else
    cJSON_AddNullToObject(o, "count");
  if(b->data)
    cJSON_AddStringToObject(o, "format", b->format);
  return o;
}

static cJSON *samples(const struct runinfo_counts *n)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddNumberToObject(o, "total", (double)n->total);
  cJSON_AddNumberToObject(o, "completed", (double)(n->total - n->errors));
  cJSON_AddNumberToObject(o, "no_answer", (double)n->no_answer);
  cJSON_AddNumberToObject(o, "errors", (double)n->errors);
  if(n->truncated >= 0)
    cJSON_AddNumberToObject(o, "truncated", (double)n->truncated);
  else
    cJSON_AddNullToObject(o, "truncated");
  return o;
}

/* What a replay covered (replay.h), or null. */
static cJSON *replay(const struct replay_plan *p)
{
  if(!p || !p->active)
    return cJSON_CreateNull();
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "path", p->path);
  cJSON_AddNumberToObject(o, "completions", (double)p->completions);
  cJSON_AddNumberToObject(o, "file_problems", (double)p->file_problems);
  cJSON_AddNumberToObject(o, "dataset_problems",
                          (double)p->dataset_problems);
  cJSON_AddNumberToObject(o, "problems_without", (double)p->without);
  cJSON_AddNumberToObject(o, "unknown_problems",
                          (double)p->unknown_problems);
  cJSON_AddNumberToObject(o, "unknown_completions",
                          (double)p->unknown_completions);
  cJSON_AddNumberToObject(o, "fewest", (double)p->fewest);
  cJSON_AddNumberToObject(o, "most", (double)p->most);
  cJSON_AddNumberToObject(o, "unused", (double)p->unused);
  cJSON_AddStringToObject(o, "n_rule", p->n_asked ? "policy.samples"
                                                  : "fewest");
  return o;
}

static cJSON *build(const struct run_config *c, const struct run_options *o,
                    struct proxy *const *rms, size_t nrms,
                    const struct runinfo_counts *n)
{
  cJSON *r = cJSON_CreateObject();
  cJSON_AddNumberToObject(r, "format", PLOT_RUNINFO_FORMAT);
  cJSON_AddStringToObject(r, "bonrun", BONRUN_VERSION);
  cJSON_AddStringToObject(r, "name", c->name);
  cJSON_AddNumberToObject(r, "seed", (double)c->seed);
  cJSON_AddNumberToObject(r, "samples_per_problem", (double)c->samples);
  cJSON_AddNumberToObject(r, "problems", (double)c->nproblems);
  const cJSON *ds = cJSON_GetObjectItemCaseSensitive(c->root, "dataset");
  const char *src = cfg_str(ds, "source");
  cJSON *d = cJSON_AddObjectToObject(r, "dataset");
  cJSON_AddStringToObject(d, "source", src ? src : "sim");
  add_str_or_null(d, "path", src && !strcmp(src, "file")
                               ? cfg_str(ds, "path") : NULL);
  cJSON_AddItemToObject(r, "policy", model(c->policy, NULL));
  cJSON *arr = cJSON_AddArrayToObject(r, "rms");
  for(size_t i = 0; i < nrms; i++)
    cJSON_AddItemToArray(arr, model(cJSON_GetArrayItem(c->proxies, (int)i),
                                    proxy_name(rms[i])));
  cJSON *b = cJSON_AddObjectToObject(r, "benchmarks");
  cJSON_AddItemToObject(b, "one_to_many", bench(&c->one_to_many));
  cJSON_AddItemToObject(b, "one_to_one", bench(&c->one_to_one));
  cJSON_AddNumberToObject(r, "level", c->level);
  cJSON_AddItemToObject(r, "samples", samples(n));
  cJSON_AddItemToObject(r, "replay", replay(n->replay));
  if(o->shard_n > 1) {
    cJSON *s = cJSON_AddObjectToObject(r, "shard");
    cJSON_AddNumberToObject(s, "k", o->shard_k + 1);
    cJSON_AddNumberToObject(s, "n", o->shard_n);
  }
  else
    cJSON_AddNullToObject(r, "shard");
  return r;
}

int runinfo_write(const char *dir, const struct run_config *c,
                  const struct run_options *o, struct proxy *const *rms,
                  size_t nrms, const struct runinfo_counts *n,
                  struct bon_err *err)
{
  cJSON *r = build(c, o, rms, nrms, n);
  char *text = cJSON_Print(r);
  cJSON_Delete(r);
  struct buf b = BUF_INIT;
  buf_puts(&b, text);
  buf_putc(&b, '\n');
  cJSON_free(text);
  char *path = fs_join(dir, "run.json");
  int rc = fs_write_atomic(path, b.data, b.len, err);
  free(path);
  buf_free(&b);
  return rc;
}

int runinfo_warn(FILE *f, const struct runinfo_counts *n)
{
  size_t done = n->total - n->errors;
  if(!plot_runinfo_no_answer_high((long long)n->no_answer, (long long)done))
    return 0;
  fprintf(f, "bonrun: warning: %zu of %zu completed samples (%.1f%%) have "
          "no extractable final answer (more than %d%%): check the "
          "policy's prompt template and max_tokens\n",
          n->no_answer, done, 100.0 * (double)n->no_answer / (double)done,
          PLOT_NO_ANSWER_PERCENT);
  return 1;
}

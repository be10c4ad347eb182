/* runinfo.c - reading RUN/run.json (runinfo.h). */
#include "plots/runinfo.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/cfg.h"
#include "util/fsutil.h"

/* Where a field is read from, for messages: the file and the key path of
 * the enclosing object ("" at the top). */
struct at {
  const char *file;
  const char *path;
  struct bon_err *err;
};

static int bad(const struct at *a, const char *key, const char *want,
               const cJSON *v)
{
  return bon_errf(a->err, "%s: %s%s%s: expected %s, got %s", a->file,
                  a->path, *a->path ? "." : "", key, want,
                  v ? cfg_type_name(v) : "nothing (the key is missing)");
}

static const cJSON *item(const cJSON *o, const char *key)
{
  return cJSON_GetObjectItemCaseSensitive(o, key);
}

/* A string, or (when nullable) null into NULL. */
static int get_str(const struct at *a, const cJSON *o, const char *key,
                   int nullable, char **out)
{
  const cJSON *v = item(o, key);
  *out = NULL;
  if(nullable && cJSON_IsNull(v))
    return 0;
  if(!cJSON_IsString(v))
    return bad(a, key, nullable ? "a string or null" : "a string", v);
  *out = xstrdup(v->valuestring);
  return 0;
}

/* An integer in [lo, 2^53], or (when nullable) null into -1. */
static int get_int(const struct at *a, const cJSON *o, const char *key,
                   long long lo, int nullable, long long *out)
{
  const cJSON *v = item(o, key);
  *out = -1;
  if(nullable && cJSON_IsNull(v))
    return 0;
  double d = cJSON_IsNumber(v) ? v->valuedouble : NAN;
  if(!(d >= (double)lo && d <= 9007199254740992.0 && d == floor(d))) {
    char want[64];
    snprintf(want, sizeof(want), "an integer >= %lld%s", lo,
             nullable ? " or null" : "");
    return bad(a, key, want, v);
  }
  *out = (long long)d;
  return 0;
}

/* The object o.key, with a->path extended into path (of size cap). */
static const cJSON *get_obj(const struct at *a, const cJSON *o,
                            const char *key, struct at *sub, char *path,
                            size_t cap)
{
  const cJSON *v = item(o, key);
  if(!cJSON_IsObject(v)) {
    bad(a, key, "an object", v);
    return NULL;
  }
  snprintf(path, cap, "%s%s%s", a->path, *a->path ? "." : "", key);
  *sub = (struct at){a->file, path, a->err};
  return v;
}

/* {"backend": ..., "model": ...} (and "name" for an RM). */
static int get_model(const struct at *a, const cJSON *o, int named,
                     struct plot_runinfo_model *m)
{
  if(named && get_str(a, o, "name", 0, &m->name))
    return -1;
  return get_str(a, o, "backend", 0, &m->backend) ||
         get_str(a, o, "model", 1, &m->model) ? -1 : 0;
}

/* {"source": ..., "path": ..., "count": ...}; count may be absent. */
static int get_source(const struct at *a, const cJSON *o, const char *key,
                      struct plot_runinfo_source *s)
{
  struct at sub;
  char path[128];
  const cJSON *v = get_obj(a, o, key, &sub, path, sizeof(path));
  s->count = -1;
  if(!v || get_str(&sub, v, "source", 0, &s->source) ||
     get_str(&sub, v, "path", 1, &s->path))
    return -1;
  return item(v, "count") ? get_int(&sub, v, "count", 0, 1, &s->count) : 0;
}

static int get_rms(const struct at *a, const cJSON *root,
                   struct plot_runinfo *r)
{
  const cJSON *v = item(root, "rms");
  if(!cJSON_IsArray(v))
    return bad(a, "rms", "an array", v);
  size_t n = (size_t)cJSON_GetArraySize(v);
  r->rms = xcalloc(n ? n : 1, sizeof(*r->rms));
  const cJSON *e;
  cJSON_ArrayForEach(e, v) {
    char path[32];
    snprintf(path, sizeof(path), "rms[%zu]", r->nrms);
    struct at sub = {a->file, path, a->err};
    if(!cJSON_IsObject(e))
      return bon_errf(a->err, "%s: %s: expected an object, got %s", a->file,
                      path, cfg_type_name(e));
    if(get_model(&sub, e, 1, &r->rms[r->nrms++]))
      return -1;
  }
  return 0;
}

static int get_samples(const struct at *a, const cJSON *root,
                       struct plot_runinfo *r)
{
  struct at sub;
  char path[32];
  const cJSON *s = get_obj(a, root, "samples", &sub, path, sizeof(path));
  if(!s || get_int(&sub, s, "total", 0, 0, &r->total) ||
     get_int(&sub, s, "completed", 0, 0, &r->completed) ||
     get_int(&sub, s, "no_answer", 0, 0, &r->no_answer) ||
     get_int(&sub, s, "errors", 0, 0, &r->errors) ||
     get_int(&sub, s, "truncated", 0, 1, &r->truncated))
    return -1;
  if(r->completed > r->total || r->no_answer > r->completed)
    return bon_errf(a->err, "%s: samples: the counts do not add up "
                    "(completed %lld of %lld, %lld without an answer)",
                    a->file, r->completed, r->total, r->no_answer);
  return 0;
}

static int get_shard(const struct at *a, const cJSON *root,
                     struct plot_runinfo *r)
{
  const cJSON *v = item(root, "shard");
  if(!v || cJSON_IsNull(v))
    return 0;
  struct at sub;
  char path[16];
  long long k, n;
  if(!get_obj(a, root, "shard", &sub, path, sizeof(path)) ||
     get_int(&sub, v, "k", 1, 0, &k) || get_int(&sub, v, "n", 1, 0, &n))
    return -1;
  if(k > n || n > 1000000000)
    return bon_errf(a->err, "%s: shard: k = %lld of n = %lld: expected "
                    "1 <= k <= n <= 1e9", a->file, k, n);
  r->shard_k = (int)k;
  r->shard_n = (int)n;
  return 0;
}

/* "replay": absent or null (a policy that drew its own), or the object
 * runner/runinfo.c writes. */
static int get_replay(const struct at *a, const cJSON *root,
                      struct plot_runinfo *r)
{
  const cJSON *v = item(root, "replay");
  if(!v || cJSON_IsNull(v))
    return 0;
  struct at sub;
  char path[16];
  struct plot_runinfo_replay *p = &r->replay;
  if(!get_obj(a, root, "replay", &sub, path, sizeof(path)) ||
     get_str(&sub, v, "path", 0, &p->path) ||
     get_str(&sub, v, "n_rule", 0, &p->n_rule))
    return -1;
  static const char *const keys[] = {
    "completions", "file_problems", "dataset_problems", "problems_without",
    "unknown_problems", "unknown_completions", "fewest", "most", "unused"};
  long long *dst[] = {&p->completions, &p->file_problems,
                      &p->dataset_problems, &p->without,
                      &p->unknown_problems, &p->unknown_completions,
                      &p->fewest, &p->most, &p->unused};
  for(size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
    if(get_int(&sub, v, keys[i], 0, 0, dst[i]))
      return -1;
  p->present = 1;
  return 0;
}

/* "level": absent (older runs) means PLOT_LEVEL_DEFAULT. */
static int get_level(const struct at *a, const cJSON *root,
                     struct plot_runinfo *r)
{
  const cJSON *v = item(root, "level");
  r->level = PLOT_LEVEL_DEFAULT;
  if(!v)
    return 0;
  if(!cJSON_IsNumber(v) || !(v->valuedouble > 0 && v->valuedouble < 1))
    return bad(a, "level", "a number between 0 and 1", v);
  r->level = v->valuedouble;
  return 0;
}

/* Every field of a parsed root into r.  0, or -1 and err. */
static int fill(const struct at *a, const cJSON *root, struct plot_runinfo *r)
{
  long long format;
  if(!cJSON_IsObject(root))
    return bon_errf(a->err, "%s: not a JSON object", a->file);
  if(get_int(a, root, "format", 1, 0, &format))
    return -1;
  if(format != PLOT_RUNINFO_FORMAT)
    return bon_errf(a->err, "%s: format %lld: this bonrun reads format %d",
                    a->file, format, PLOT_RUNINFO_FORMAT);
  const cJSON *seed = item(root, "seed");
  if(!cJSON_IsNumber(seed))
    return bad(a, "seed", "a number", seed);
  r->seed = seed->valuedouble;
  struct at sub;
  char path[32];
  const cJSON *pol, *bench;
  if(get_str(a, root, "bonrun", 0, &r->bonrun) ||
     get_str(a, root, "name", 0, &r->name) ||
     get_int(a, root, "samples_per_problem", 1, 0,
             &r->samples_per_problem) ||
     get_int(a, root, "problems", 0, 0, &r->problems) ||
     get_source(a, root, "dataset", &r->dataset) ||
     !(pol = get_obj(a, root, "policy", &sub, path, sizeof(path))) ||
     get_model(&sub, pol, 0, &r->policy) || get_rms(a, root, r) ||
     !(bench = get_obj(a, root, "benchmarks", &sub, path, sizeof(path))) ||
     get_source(&sub, bench, "one_to_many", &r->bench[0]) ||
     get_source(&sub, bench, "one_to_one", &r->bench[1]) ||
     get_samples(a, root, r) || get_shard(a, root, r) ||
     get_level(a, root, r) || get_replay(a, root, r))
    return -1;
  return 0;
}

int plot_runinfo_parse(struct plot_runinfo *r, const char *text,
                       size_t len, const char *name, struct bon_err *err)
{
  memset(r, 0, sizeof(*r));
  r->truncated = -1;
  r->level = PLOT_LEVEL_DEFAULT;
  r->dataset.count = r->bench[0].count = r->bench[1].count = -1;
  cJSON *root = cJSON_ParseWithLength(text, len);
  if(!root)
    return bon_errf(err, "%s: not valid JSON", name);
  struct at a = {name, "", err};
  int rc = fill(&a, root, r);
  cJSON_Delete(root);
  if(rc)
    plot_runinfo_free(r);
  return rc;
}

int plot_runinfo_read(struct plot_runinfo *r, const char *path,
                      struct bon_err *err)
{
  size_t len;
  memset(r, 0, sizeof(*r));
  char *text = fs_read_file(path, &len, err);
  if(!text)
    return -1;
  int rc = plot_runinfo_parse(r, text, len, path, err);
  free(text);
  return rc;
}

static void free_model(struct plot_runinfo_model *m)
{
  free(m->name);
  free(m->backend);
  free(m->model);
}

static void free_source(struct plot_runinfo_source *s)
{
  free(s->source);
  free(s->path);
}

void plot_runinfo_free(struct plot_runinfo *r)
{
  free(r->bonrun);
  free(r->name);
  free_source(&r->dataset);
  free_model(&r->policy);
  for(size_t i = 0; i < r->nrms; i++)
    free_model(&r->rms[i]);
  free(r->rms);
  free_source(&r->bench[0]);
  free_source(&r->bench[1]);
  free(r->replay.path);
  free(r->replay.n_rule);
  memset(r, 0, sizeof(*r));
  r->truncated = -1;
  r->level = PLOT_LEVEL_DEFAULT;
}

double plot_runinfo_level(const char *path)
{
  struct plot_runinfo r;
  struct bon_err e;
  if(!path || plot_runinfo_read(&r, path, &e))
    return PLOT_LEVEL_DEFAULT;
  double level = r.level;
  plot_runinfo_free(&r);
  return level;
}

int plot_runinfo_no_answer_high(long long no_answer, long long completed)
{
  return completed > 0 &&
         no_answer * 100 > completed * (long long)PLOT_NO_ANSWER_PERCENT;
}

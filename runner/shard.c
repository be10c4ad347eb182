/* shard.c - shard K/N from the command line or a job array's environment,
 * the run folder's manifest, and the checks a merge makes (see shard.h). */
#include "runner/shard.h"
#include "runner/cli.h"
#include "runner/limits.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A non-negative decimal (digits only) up to max into *out.  0 or -1. */
static int parse_num(const char *s, long max, long *out)
{
  return s && cli_long(s, 0, max, out) == CLI_OK ? 0 : -1;
}

/* "K/N" with 1 <= K <= N <= BON_SHARDS_MAX.  0, or -1. */
static int parse_pair(const char *s, int *k, int *n)
{
  long kv, nv;
  if(cli_pair(s, BON_SHARDS_MAX, &kv, &nv) != CLI_OK)
    return -1;
  *k = (int)kv;
  *n = (int)nv;
  return 0;
}

/* ---- the environment --------------------------------------------------- */

static const char *env(shard_env_fn get, void *ctx, const char *name)
{
  const char *v = get(name, ctx);
  return v && *v ? v : NULL;
}

static int from_kubernetes(shard_env_fn get, void *ctx, const char *idx,
                           struct shard_spec *sp, struct bon_err *err)
{
  const char *ns = env(get, ctx, "BONRUN_SHARDS");
  long i, n;
  if(parse_num(idx, BON_SHARDS_MAX - 1, &i))
    return bon_errf(err, "JOB_COMPLETION_INDEX=\"%s\" is not an index "
                         "(0, 1, 2, ...)", idx);
  if(!ns)
    return bon_errf(err, "JOB_COMPLETION_INDEX=%ld (a Kubernetes Indexed "
                         "Job) does not say how many shards there are: set "
                         "BONRUN_SHARDS to the Job's completions", i);
  if(parse_num(ns, BON_SHARDS_MAX, &n) || n < 1)
    return bon_errf(err, "BONRUN_SHARDS=\"%s\" is not a number of shards "
                         "(1 to %d)", ns, BON_SHARDS_MAX);
  if(i >= n)
    return bon_errf(err, "JOB_COMPLETION_INDEX=%ld is not below "
                         "BONRUN_SHARDS=%ld: set BONRUN_SHARDS to the Job's "
                         "completions", i, n);
  sp->k = (int)i + 1;
  sp->n = (int)n;
  snprintf(sp->from, sizeof(sp->from), "JOB_COMPLETION_INDEX=%ld and "
           "BONRUN_SHARDS=%ld", i, n);
  return 0;
}

/* A Slurm array from id, min, max, step, count. */
static void array_set(struct shard_array *a, const long v[5])
{
  a->slurm = 1;
  a->id = v[0];
  a->min = v[1];
  a->max = v[2];
  a->step = v[3];
  a->count = v[4];
}

static int from_slurm(shard_env_fn get, void *ctx, struct shard_spec *sp,
                      struct bon_err *err)
{
  static const char *const names[] = {
    "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX",
    "SLURM_ARRAY_TASK_STEP", "SLURM_ARRAY_TASK_COUNT"};
  long v[5];
  for(int i = 0; i < 5; i++) {
    const char *s = env(get, ctx, names[i]);
    if(!s)
      return bon_errf(err, "SLURM_ARRAY_TASK_ID is set but %s is not (Slurm "
                           "before 18.08?): give --shard K/N", names[i]);
    if(parse_num(s, LONG_MAX / 4, &v[i]))
      return bon_errf(err, "%s=\"%s\" is not a number", names[i], s);
  }
  struct shard_array *a = &sp->array;
  array_set(a, v);
  const char *job = env(get, ctx, "SLURM_ARRAY_JOB_ID");
  snprintf(a->job, sizeof(a->job), "%s", job ? job : "");
  if(a->step < 1 || a->count < 1 || a->id < a->min || a->id > a->max ||
     a->count > BON_SHARDS_MAX)
    return bon_errf(err, "SLURM_ARRAY_TASK_ID=%ld, _MIN=%ld, _MAX=%ld, "
                         "_STEP=%ld, _COUNT=%ld do not describe an array "
                         "holding this task: give --shard K/N", a->id,
                    a->min, a->max, a->step, a->count);
  int range = a->max == a->min + (a->count - 1) * a->step &&
              (a->id - a->min) % a->step == 0;
  snprintf(sp->from, sizeof(sp->from), "SLURM_ARRAY_TASK_ID=%ld of the "
           "array %ld-%ld:%ld, %ld task%s", a->id, a->min, a->max, a->step,
           a->count, a->count == 1 ? "" : "s");
  if(range && a->count > 1) {
    sp->k = (int)((a->id - a->min) / a->step) + 1;
    sp->n = (int)a->count;
  }
  return 0;
}

int shard_from_env(shard_env_fn get, void *ctx, struct shard_spec *sp,
                   struct bon_err *err)
{
  memset(sp, 0, sizeof(*sp));
  const char *bs = env(get, ctx, "BONRUN_SHARD");
  const char *sid = env(get, ctx, "SLURM_ARRAY_TASK_ID");
  const char *jci = env(get, ctx, "JOB_COMPLETION_INDEX");
  if(!bs && !sid && !jci) {
    if(env(get, ctx, "SLURM_JOB_ID"))
      return bon_errf(err, "--shard auto: this Slurm job is not an array "
                           "task (SLURM_ARRAY_TASK_ID is unset): submit it "
                           "with sbatch --array=0-3 (4 shards), or give "
                           "--shard K/N");
    return bon_errf(err, "--shard auto: no shard in the environment: "
                         "expected SLURM_ARRAY_TASK_ID (a Slurm job array), "
                         "JOB_COMPLETION_INDEX with BONRUN_SHARDS (a "
                         "Kubernetes Indexed Job) or BONRUN_SHARD=K/N");
  }
  if(!!bs + !!sid + !!jci > 1)
    return bon_errf(err, "--shard auto: the environment names more than one "
                         "shard (%s%s%s%s%s): unset all but one",
                    bs ? "BONRUN_SHARD" : "", bs && (sid || jci) ? ", " : "",
                    sid ? "SLURM_ARRAY_TASK_ID" : "", sid && jci ? ", " : "",
                    jci ? "JOB_COMPLETION_INDEX" : "");
  if(bs) {
    if(parse_pair(bs, &sp->k, &sp->n))
      return bon_errf(err, "BONRUN_SHARD=\"%s\": expected K/N with 1 <= K "
                           "<= N", bs);
    snprintf(sp->from, sizeof(sp->from), "BONRUN_SHARD=%d/%d", sp->k,
             sp->n);
    return 0;
  }
  if(jci)
    return from_kubernetes(get, ctx, jci, sp, err);
  return from_slurm(get, ctx, sp, err);
}

/* ---- resubmitted arrays ------------------------------------------------ */

static int same_geometry(const struct shard_array *a,
                         const struct shard_array *b)
{
  return a->min == b->min && a->step == b->step && a->count == b->count;
}

/* 1 if task id is one of the array's tasks. */
static int on_array(const struct shard_array *g, long id)
{
  return id >= g->min && (id - g->min) % g->step == 0 &&
         (id - g->min) / g->step < g->count;
}

static void describe_known(struct buf *b, const struct shard_manifest *m,
                           const char *dir)
{
  buf_printf(b, "%s holds shards of %d", dir, m->n);
  if(m->array.slurm)
    buf_printf(b, " (the array %ld-%ld:%ld)", m->array.min, m->array.max,
               m->array.step);
}

static int refuse_known(const struct shard_spec *sp,
                        const struct shard_manifest *m, const char *dir,
                        struct bon_err *err)
{
  struct buf b = BUF_INIT;
  describe_known(&b, m, dir);
  if(sp->array.slurm)
    buf_printf(&b, "; this task (%s) is none of them: resubmit tasks of "
                   "that array (they map onto its shards), or start a new "
                   "split in another output (-o) or after removing %s",
               sp->from, dir);
  else
    buf_printf(&b, "; this run is shard %d/%d (%s): one output holds one "
                   "split: use another output (-o) or remove %s", sp->k,
               sp->n, sp->from[0] ? sp->from : "--shard", dir);
  bon_errf(err, "%s", buf_str(&b));
  buf_free(&b);
  return -1;
}

int shard_resolve(struct shard_spec *sp, const struct shard_manifest *known,
                  size_t nknown, const char *dir, struct bon_err *err)
{
  const struct shard_array *e = &sp->array;
  for(size_t i = 1; i < nknown; i++)
    if(known[i].n != known[0].n)
      return bon_errf(err, "%s holds shards of %d and of %d: one output "
                           "holds one split: remove the stale ones",
                      dir, known[0].n, known[i].n);
  if(!e->slurm) {
    if(nknown && known[0].n != sp->n)
      return refuse_known(sp, &known[0], dir, err);
    return 0;
  }
  if(!nknown) {
    if(sp->n)
      return 0;
    if(e->count == 1)
      return bon_errf(err, "--shard auto: a one-task array (task %ld, "
                           "SLURM_ARRAY_TASK_COUNT=1) cannot say which shard "
                           "of how many, and %s holds no shards to learn it "
                           "from: submit the whole array (sbatch "
                           "--array=0-3), or give --shard K/N", e->id, dir);
    return bon_errf(err, "--shard auto: SLURM_ARRAY_TASK_* describe %ld "
                         "tasks from %ld to %ld, not a range with one step: "
                         "submit a range (--array=0-3 or 0-6:2), or give "
                         "--shard K/N", e->count, e->min, e->max);
  }
  const struct shard_array *g = NULL;
  for(size_t i = 0; i < nknown; i++) {
    const struct shard_array *a = &known[i].array;
    if(!a->slurm)
      continue;
    if(g && !same_geometry(g, a))
      return bon_errf(err, "%s holds shards of two arrays (%ld-%ld:%ld and "
                           "%ld-%ld:%ld): remove the stale ones", dir,
                      g->min, g->max, g->step, a->min, a->max, a->step);
    g = a;
  }
  if(g && same_geometry(g, e) && sp->n == known[0].n)
    return 0;
  if(!g && sp->n == known[0].n)
    return 0; /* shards run with --shard K/N, and an array of the same N */
  if(g && e->count < g->count && on_array(g, e->id) &&
     g->count == known[0].n) {
    sp->k = (int)((e->id - g->min) / g->step) + 1;
    sp->n = (int)g->count;
    snprintf(sp->from, sizeof(sp->from), "task %ld of a resubmitted array "
             "of %ld: shard %d/%d of the array %ld-%ld:%ld recorded in %s",
             e->id, e->count, sp->k, sp->n, g->min, g->max, g->step, dir);
    /* the shard belongs to the recorded array: record that one */
    struct shard_array task = *e;
    sp->array = *g;
    sp->array.id = task.id;
    memcpy(sp->array.job, task.job, sizeof(task.job));
    return 0;
  }
  for(size_t i = 0; i < nknown; i++)
    if(&known[i].array == g)
      return refuse_known(sp, &known[i], dir, err);
  return refuse_known(sp, &known[0], dir, err);
}

/* ---- the manifest ------------------------------------------------------ */

static int is_hex16(const char *s)
{
  if(!s || strlen(s) != 16)
    return 0;
  for(; *s; s++)
    if(!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
      return 0;
  return 1;
}

/* An integer field in [lo, hi]; absent: def (or an error when required). */
static int get_int(const cJSON *j, const char *key, long lo, long hi,
                   int required, long def, long *out, const char *path,
                   struct bon_err *err)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
  if(!v && !required) {
    *out = def;
    return 0;
  }
  if(!cJSON_IsNumber(v) || v->valuedouble != (double)(long)v->valuedouble ||
     v->valuedouble < (double)lo || v->valuedouble > (double)hi)
    return bon_errf(err, "%s: \"%s\" must be an integer from %ld to %ld",
                    path, key, lo, hi);
  *out = (long)v->valuedouble;
  return 0;
}

static int get_str(const cJSON *j, const char *key, char *out, size_t cap,
                   const char *path, struct bon_err *err)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
  out[0] = '\0';
  if(!v)
    return 0;
  if(!cJSON_IsString(v) || strlen(v->valuestring) >= cap)
    return bon_errf(err, "%s: \"%s\" must be a string (under %zu bytes)",
                    path, key, cap);
  memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
  return 0;
}

static int parse_array(const cJSON *a, const char *path, struct shard_array *g,
                       struct bon_err *err)
{
  long v[5];
  static const char *const keys[] = {"id", "min", "max", "step", "count"};
  if(!a)
    return 0;
  if(!cJSON_IsObject(a))
    return bon_errf(err, "%s: \"array\" must be an object", path);
  for(int i = 0; i < 5; i++)
    if(get_int(a, keys[i], i == 3 || i == 4, LONG_MAX / 4, 1, 0, &v[i],
               path, err))
      return bon_err_prefix(err, "array");
  if(v[1] > v[0] || v[0] > v[2] || v[4] > BON_SHARDS_MAX)
    return bon_errf(err, "%s: \"array\" does not hold its own task", path);
  array_set(g, v);
  return get_str(a, "job", g->job, sizeof(g->job), path, err);
}

/* "samples": {"total", "errors", "no_answer"}, optional. */
static int parse_counts(const cJSON *s, const char *path,
                        struct shard_manifest *m, struct bon_err *err)
{
  long v[4];
  static const char *const keys[] = {"total", "errors", "no_answer",
                                     "truncated"};
  if(!s)
    return 0;
  if(!cJSON_IsObject(s))
    return bon_errf(err, "%s: \"samples\" must be an object", path);
  for(int i = 0; i < 4; i++)
    if(get_int(s, keys[i], i == 3 ? -1 : 0, 100000000000000L, i < 3, -1,
               &v[i], path, err))
      return bon_err_prefix(err, "samples");
  if(v[1] > v[0] || v[2] > v[0] - v[1])
    return bon_errf(err, "%s: \"samples\": more failed than there are",
                    path);
  m->counted = 1;
  m->total = (size_t)v[0];
  m->errors = (size_t)v[1];
  m->no_answer = (size_t)v[2];
  m->truncated = v[3];
  return 0;
}

int shard_manifest_parse(const char *text, const char *path,
                         struct shard_manifest *m, struct bon_err *err)
{
  memset(m, 0, sizeof(*m));
  cJSON *j = cJSON_Parse(text);
  int rc = 0;
  long k, n, p, merged;
  const char *fmt = cJSON_GetStringValue(
      cJSON_GetObjectItemCaseSensitive(j, "format"));
  if(!cJSON_IsObject(j) || !fmt || strcmp(fmt, SHARD_FORMAT)) {
    rc = bon_errf(err, "%s: not a bonrun shard manifest (\"format\": \"%s\" "
                       "expected)", path, SHARD_FORMAT);
    goto out;
  }
  if(get_int(j, "of", 1, BON_SHARDS_MAX, 1, 0, &n, path, err) ||
     get_int(j, "shard", 1, n, 1, 0, &k, path, err) ||
     get_int(j, "problems", 0, 100000000000L, 1, 0, &p, path, err) ||
     get_int(j, "merged", 0, BON_SHARDS_MAX, 0, 0, &merged, path, err)) {
    rc = -1;
    goto out;
  }
  m->k = (int)k;
  m->n = (int)n;
  m->problems = (size_t)p;
  m->merged = (int)merged;
  const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "complete");
  const cJSON *pa = cJSON_GetObjectItemCaseSensitive(j, "partial");
  if(!cJSON_IsBool(c) || (pa && !cJSON_IsBool(pa))) {
    rc = bon_errf(err, "%s: \"complete\" (and \"partial\") must be true or "
                       "false", path);
    goto out;
  }
  m->complete = cJSON_IsTrue(c);
  m->partial = cJSON_IsTrue(pa);
  if(get_str(j, "config_hash", m->hash, sizeof(m->hash), path, err) ||
     get_str(j, "sources", m->sources, sizeof(m->sources), path, err) ||
     get_str(j, "missing", m->missing, sizeof(m->missing), path, err) ||
     parse_array(cJSON_GetObjectItemCaseSensitive(j, "array"), path,
                 &m->array, err)) {
    rc = -1;
    goto out;
  }
  if(!is_hex16(m->hash) || (m->sources[0] && !is_hex16(m->sources))) {
    rc = bon_errf(err, "%s: \"config_hash\" (and \"sources\") must be 16 "
                       "hex digits", path);
    goto out;
  }
  rc = parse_counts(cJSON_GetObjectItemCaseSensitive(j, "samples"), path, m,
                    err);
out:
  cJSON_Delete(j);
  return rc;
}

cJSON *shard_manifest_json(const struct shard_manifest *m)
{
  cJSON *j = cJSON_CreateObject();
  cJSON_AddStringToObject(j, "format", SHARD_FORMAT);
  cJSON_AddNumberToObject(j, "shard", m->k);
  cJSON_AddNumberToObject(j, "of", m->n);
  cJSON_AddStringToObject(j, "config_hash", m->hash);
  cJSON_AddNumberToObject(j, "problems", (double)m->problems);
  if(m->array.slurm) {
    cJSON *a = cJSON_AddObjectToObject(j, "array");
    cJSON_AddStringToObject(a, "job", m->array.job);
    cJSON_AddNumberToObject(a, "id", (double)m->array.id);
    cJSON_AddNumberToObject(a, "min", (double)m->array.min);
    cJSON_AddNumberToObject(a, "max", (double)m->array.max);
    cJSON_AddNumberToObject(a, "step", (double)m->array.step);
    cJSON_AddNumberToObject(a, "count", (double)m->array.count);
  }
  if(m->merged) {
    cJSON_AddNumberToObject(j, "merged", m->merged);
    cJSON_AddBoolToObject(j, "partial", m->partial);
    cJSON_AddStringToObject(j, "missing", m->missing);
    cJSON_AddStringToObject(j, "sources", m->sources);
  }
  if(m->counted) {
    cJSON *s = cJSON_AddObjectToObject(j, "samples");
    cJSON_AddNumberToObject(s, "total", (double)m->total);
    cJSON_AddNumberToObject(s, "errors", (double)m->errors);
    cJSON_AddNumberToObject(s, "no_answer", (double)m->no_answer);
    cJSON_AddNumberToObject(s, "truncated", (double)m->truncated);
  }
  cJSON_AddBoolToObject(j, "complete", m->complete);
  return j;
}

void shard_manifest_add_info(cJSON *j, const char *version)
{
  char host[256];
  cJSON_AddStringToObject(j, "bonrun", version);
  if(gethostname(host, sizeof(host)) == 0) {
    host[sizeof(host) - 1] = '\0';
    cJSON_AddStringToObject(j, "host", host);
  }
  static const char *const vars[][2] = {
    {"SLURM_JOB_ID", "slurm_job_id"},
    {"SLURM_RESTART_COUNT", "slurm_restart_count"}};
  for(int i = 0; i < 2; i++) {
    const char *v = getenv(vars[i][0]);
    if(v && *v)
      cJSON_AddStringToObject(j, vars[i][1], v);
  }
}

int shard_manifest_read(const char *dir, struct shard_manifest *m,
                        struct bon_err *err)
{
  char *path = fs_join(dir, SHARD_FILE);
  memset(m, 0, sizeof(*m));
  int rc = 1;
  if(fs_exists(path)) {
    char *text = fs_read_file(path, NULL, err);
    rc = text ? shard_manifest_parse(text, path, m, err) : -1;
    free(text);
  }
  free(path);
  return rc;
}

int shard_manifest_write(const char *dir, const cJSON *j,
                         struct bon_err *err)
{
  char *text = cJSON_Print(j);
  struct buf b = BUF_INIT;
  buf_puts(&b, text);
  buf_putc(&b, '\n');
  cJSON_free(text);
  char *path = fs_join(dir, SHARD_FILE);
  int rc = fs_write_atomic(path, b.data, b.len, err);
  free(path);
  buf_free(&b);
  return rc;
}

/* ---- the shards of a folder -------------------------------------------- */

struct found {
  char *dir;
  struct shard_manifest m;
};

static int cmp_found(const void *a, const void *b)
{
  const struct found *x = a, *y = b;
  if(x->m.n != y->m.n)
    return x->m.n < y->m.n ? -1 : 1;
  return (x->m.k > y->m.k) - (x->m.k < y->m.k);
}

/* k, n from a folder name "K-of-N".  0 or -1. */
static int name_kn(const char *name, int *k, int *n)
{
  char spec[32];
  const char *of = strstr(name, "-of-");
  size_t kl = of ? (size_t)(of - name) : 0, nl = of ? strlen(of + 4) : 0;
  if(!of || kl + nl + 2 > sizeof(spec))
    return -1;
  memcpy(spec, name, kl);
  spec[kl] = '/';
  memcpy(spec + kl + 1, of + 4, nl + 1);
  return parse_pair(spec, k, n);
}

int shard_scan(const char *out, char ***dirs, struct shard_manifest **ms,
               size_t *n, struct bon_err *err)
{
  *dirs = NULL;
  *ms = NULL;
  *n = 0;
  char *top = fs_join(out, "shards");
  DIR *d = opendir(top);
  if(!d) {
    int rc = errno == ENOENT ? 0 : bon_errf(err, "%s: cannot list: %s", top,
                                            strerror(errno));
    free(top);
    return rc;
  }
  struct found *f = NULL;
  size_t nf = 0, cap = 0;
  int rc = 0;
  struct dirent *e;
  while(!rc && (e = readdir(d))) {
    int k, kn;
    if(name_kn(e->d_name, &k, &kn))
      continue;
    if(nf == cap) {
      cap = cap ? 2 * cap : 8;
      f = xrealloc(f, cap * sizeof(*f));
    }
    f[nf].dir = fs_join(top, e->d_name);
    rc = shard_manifest_read(f[nf].dir, &f[nf].m, err);
    if(rc == 1) {
      f[nf].m.k = k;
      f[nf].m.n = kn;
      rc = 0;
    }
    else if(!rc && (f[nf].m.k != k || f[nf].m.n != kn))
      rc = bon_errf(err, "%s/%s says shard %d/%d, but the folder is "
                         "shard %d/%d: move it back where it belongs",
                    f[nf].dir, SHARD_FILE, f[nf].m.k, f[nf].m.n, k, kn);
    nf++;
  }
  closedir(d);
  free(top);
  if(!rc) {
    qsort(f, nf, sizeof(*f), cmp_found);
    *dirs = xcalloc(nf ? nf : 1, sizeof(char *));
    *ms = xcalloc(nf ? nf : 1, sizeof(**ms));
    for(size_t i = 0; i < nf; i++) {
      (*dirs)[i] = f[i].dir;
      (*ms)[i] = f[i].m;
    }
    *n = nf;
  }
  else
    for(size_t i = 0; i < nf; i++)
      free(f[i].dir);
  free(f);
  return rc;
}

/* ---- a set of shards for a merge --------------------------------------- */

static int check_each(const struct shard_manifest *ms,
                      const char *const *dirs, size_t count,
                      struct bon_err *err)
{
  const char *hash = NULL;
  size_t hi = 0;
  for(size_t i = 0; i < count; i++) {
    if(ms[i].merged)
      return bon_errf(err, "%s is a merge (of %d shards), not a shard: merge "
                           "the shard folders themselves", dirs[i],
                      ms[i].merged);
    if(ms[i].n != ms[0].n)
      return bon_errf(err, "shards of different N: %s is shard %d/%d, %s "
                           "is shard %d/%d: merge the shards of one split",
                      dirs[0], ms[0].k, ms[0].n, dirs[i], ms[i].k, ms[i].n);
    if(!ms[i].complete)
      continue;
    if(hash && strcmp(hash, ms[i].hash))
      return bon_errf(err, "%s and %s were run with different configs "
                           "(config hash %s and %s): rerun the stale shard "
                           "with the config of the others", dirs[hi],
                      dirs[i], hash, ms[i].hash);
    if(!hash) {
      hash = ms[i].hash;
      hi = i;
    }
    for(size_t j = 0; j < i; j++)
      if(ms[j].complete && ms[j].k == ms[i].k)
        return bon_errf(err, "%s and %s both hold shard %d/%d: merge one "
                             "of them", dirs[j], dirs[i], ms[i].k, ms[i].n);
  }
  return 0;
}

int shard_check_set(const struct shard_manifest *ms, const char *const *dirs,
                    size_t count, int partial, struct shard_set *set,
                    struct bon_err *err)
{
  memset(set, 0, sizeof(*set));
  if(!count)
    return bon_errf(err, "no shard folders to merge");
  if(check_each(ms, dirs, count, err))
    return -1;
  int n = ms[0].n;
  set->n = n;
  set->pick = xcalloc((size_t)n, sizeof(size_t));
  for(size_t i = 0; i < count; i++)
    if(ms[i].complete)
      set->pick[ms[i].k - 1] = i + 1;
  struct buf why = BUF_INIT, list = BUF_INIT;
  for(int k = 1; k <= n; k++) {
    if(set->pick[k - 1])
      continue;
    const char *dir = NULL;
    for(size_t i = 0; i < count && !dir; i++)
      if(ms[i].k == k)
        dir = dirs[i];
    buf_printf(&list, "%s%d", set->nmissing ? ", " : "", k);
    if(set->nmissing < 8) {
      if(dir)
        buf_printf(&why, "%s%d/%d (%s: not complete, its run did not "
                         "finish)", set->nmissing ? ", " : "", k, n, dir);
      else
        buf_printf(&why, "%s%d/%d (no folder)", set->nmissing ? ", " : "",
                   k, n);
    }
    set->nmissing++;
  }
  snprintf(set->missing, sizeof(set->missing), "%s", buf_str(&list));
  int rc = 0;
  if(set->nmissing == n)
    rc = bon_errf(err, "none of the %d shards is complete: %s", n,
                  buf_str(&why));
  else if(set->nmissing && !partial)
    rc = bon_errf(err, "%d of %d shards missing: %s%s; rerun or requeue "
                       "them and merge again, or merge what is there on "
                       "purpose with --partial", set->nmissing, n,
                  buf_str(&why), set->nmissing > 8 ? ", ..." : "");
  buf_free(&why);
  buf_free(&list);
  if(rc) {
    free(set->pick);
    set->pick = NULL;
  }
  return rc;
}

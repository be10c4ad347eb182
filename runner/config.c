#include "runner/config.h"
#include "runner/limits.h"
#include "gold/gold.h"
#include "ingest/bench.h"
#include "ingest/problems.h"
#include "ingest/records.h"
#include "sim/problems.h"
#include "util/cfg.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const dataset_sources[] = {"sim", "file", NULL};
static const char *const bench_sources[] = {"sim", "file", "dataset", "none",
                                            NULL};
static const char *const judges[] = {"verifier", NULL};
static const char *const extracts[] = {"lenient", "strict", NULL};
static const char *const formats[] = {"png", "svg", "pdf", NULL};

static const struct cfg_field top_fields[] = {
  {"name", CFG_STRING, 0, NULL, 0, 0, NULL, "a short name for the run"},
  {"seed", CFG_INT, 0, "1", 0, BON_JSON_INT_MAX, NULL,
   "master seed of every random stream"},
  {"output", CFG_STRING, 0, NULL, 0, 0, NULL,
   "output folder (default runs/<name>)"},
  {"dataset", CFG_OBJECT, 0, "{}", 0, 0, NULL, "where the problems come from"},
  {"policy", CFG_OBJECT, 0, "{}", 0, 0, NULL, "the policy that samples"},
  {"proxies", CFG_ARRAY, 1, NULL, 0, 0, NULL,
   "a list of proxy reward models, each {\"name\": ..., \"backend\": ...}"},
  {"gold", CFG_OBJECT, 0, "{}", 0, 0, NULL, "the gold judge"},
  {"benchmarks", CFG_OBJECT, 0, "{}", 0, 0, NULL,
   "the one-to-many and one-to-one benchmarks"},
  {"analysis", CFG_OBJECT, 0, "{}", 0, 0, NULL, "statistics options"},
  {"plots", CFG_OBJECT, 0, "{}", 0, 0, NULL, "figure options"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

static const struct cfg_field dataset_fields[] = {
  {"source", CFG_STRING, 0, "\"sim\"", 0, 0, dataset_sources,
   "sim (generated problems) or file (JSON lines or a JSON array, gzip "
   "too)"},
  {"problems", CFG_INT, 0, "100", 0, BON_PROBLEMS_MAX, NULL,
   "number of problems (sim), or the first so many of the file (0 = all)"},
  {"path", CFG_STRING, 0, NULL, 0, 0, NULL,
   "file of problems, for source \"file\""},
  {"id_key", CFG_STRING, 0, NULL, 0, 0, NULL,
   "field holding a problem's id (default: unique_id, id or idx; absent: "
   "line-N)"},
  {"question_key", CFG_STRING, 0, NULL, 0, 0, NULL,
   "field holding the problem text (default: problem or question)"},
  {"answer_key", CFG_STRING, 0, NULL, 0, 0, NULL,
   "field holding the reference answer or solution (default: answer or "
   "ground_truth)"},
  {"filter", CFG_OBJECT, 0, NULL, 0, 0, NULL,
   "keep the records whose fields match, e.g. {\"data_source\": \"MATH\"} "
   "(dotted paths reach nested fields; a list matches any value)"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

static const struct cfg_field gold_fields[] = {
  {"judge", CFG_STRING, 0, "\"verifier\"", 0, 0, judges,
   "how completions are judged: the answer verifier"},
  {"extract", CFG_STRING, 0, "\"lenient\"", 0, 0, extracts,
   "where a completion's answer may come from: lenient (box, answer "
   "phrase, math span, bare text, last number) or strict (box or answer "
   "phrase only)"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

#define BENCH_SOURCE_FIELDS                                                 \
  {"source", CFG_STRING, 0, "\"sim\"", 0, 0, bench_sources,                \
   "sim, file (a long table of candidate scores), dataset (candidate "     \
   "texts every proxy scores) or none"},                                    \
  {"path", CFG_STRING, 0, NULL, 0, 0, NULL,                                 \
   "file: the table of candidate scores; dataset: the file of candidate "  \
   "texts (JSON lines or a JSON array, gzip too)"},                        \
  {"format", CFG_STRING, 0, NULL, 0, 0, NULL,                               \
   "dataset: rewardmath, rewardmath_pairwise, rewardbench, rewardbench2 "  \
   "or candidates"},                                                        \
  {"subsets", CFG_ARRAY, 0, NULL, 0, 0, NULL,                               \
   "dataset, rewardbench formats: keep the rows of these subsets, e.g. "   \
   "[\"math-prm\"]"},                                                      \
  {"exclude_sources", CFG_ARRAY, 0, NULL, 0, 0, NULL,                       \
   "dataset: drop the incorrect candidates (comparisons) of these "        \
   "generators (solution_reference)"}

static const struct cfg_field otm_fields[] = {
  BENCH_SOURCE_FIELDS,
  {"problems", CFG_INT, 0, "200", 1, BON_BENCH_PROBLEMS_MAX, NULL,
   "benchmark problems (sim)"},
  {"incorrect", CFG_INT, 0, "9", 1, BON_BENCH_INCORRECT_MAX, NULL,
   "incorrect candidates per problem (sim)"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

static const struct cfg_field oto_fields[] = {
  BENCH_SOURCE_FIELDS,
  {"pairs", CFG_INT, 0, "200", 1, BON_BENCH_PROBLEMS_MAX, NULL,
   "chosen/rejected pairs (sim)"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

static const struct cfg_field bench_fields[] = {
  {"one_to_many", CFG_OBJECT, 0, "{}", 0, 0, NULL,
   "one correct against k incorrect solutions, one style (RewardMATH)"},
  {"one_to_one", CFG_OBJECT, 0, "{}", 0, 0, NULL,
   "chosen against rejected, styles differ (RewardBench math)"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

static const struct cfg_field analysis_fields[] = {
  {"n_grid", CFG_ANY, 0, "\"auto\"", 0, 0, NULL,
   "\"auto\" (powers of two up to N, plus N) or a list of n"},
  {"bootstrap", CFG_INT, 0, "1000", 0, BON_BOOTSTRAP_MAX, NULL,
   "bootstrap replicates over problems (0 = no intervals)"},
  {"level", CFG_NUMBER, 0, "0.95", BON_LEVEL_MIN, BON_LEVEL_MAX, NULL,
   "confidence level of every interval"},
  {"threads", CFG_INT, 0, "0", 0, BON_THREADS_MAX, NULL,
   "threads (0 = all cores)"},
  {"ensembles", CFG_ARRAY, 0, "[]", 0, 0, NULL,
   "ensembles of proxies, e.g. \"mean:careful,lenient\""},
  {"group_by", CFG_ANY, 0, NULL, 0, 0, NULL,
   "a field of the dataset's records, or a list of them (dotted paths, "
   "e.g. \"feature.level\"): BoN curves and gains per group"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

static const struct cfg_field plot_fields[] = {
  {"enabled", CFG_BOOL, 0, "true", 0, 0, NULL, "draw the figures"},
  {"format", CFG_STRING, 0, "\"png\"", 0, 0, formats, "png, svg or pdf"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

static cJSON *section(cJSON *root, const char *key)
{
  return cJSON_GetObjectItemCaseSensitive(root, key);
}

/* A group key that no problem has is a typo, not a group: every problem
 * would land in INGEST_GROUP_MISSING. */
static int check_groups(const struct run_config *c, const char *path,
                        struct bon_err *err)
{
  for(size_t g = 0; g < c->ngroups; g++) {
    size_t i = 0;
    while(i < c->nproblems &&
          !strcmp(c->problems[i].groups[g], INGEST_GROUP_MISSING))
      i++;
    if(i == c->nproblems)
      return bon_errf(err, "%s: analysis.group_by: no problem of %s has the "
                           "field \"%s\" (a dotted path reaches a nested "
                           "field, e.g. \"feature.level\")", c->file, path,
                      c->group_keys[g]);
  }
  return 0;
}

/* The problems of a data file (ingest/problems.h), in the run's shape. */
static int load_problems_file(struct run_config *c, cJSON *ds,
                              size_t limit, struct bon_err *err)
{
  const char *path = cfg_str(ds, "path");
  if(!path)
    return bon_errf(err, "%s: dataset.path: missing (source \"file\" needs "
                         "a JSON-lines or JSON-array file of problems)",
                    c->file);
  size_t len;
  char *text = ingest_read(path, &len, err);
  if(!text)
    return bon_err_prefix(err, "%s: dataset.path", c->file);
  struct ingest_problem_opts o;
  memset(&o, 0, sizeof(o));
  o.id_key = cfg_str(ds, "id_key");
  o.question_key = cfg_str(ds, "question_key");
  o.answer_key = cfg_str(ds, "answer_key");
  o.filter = cJSON_GetObjectItemCaseSensitive(ds, "filter");
  o.limit = limit;
  o.group_keys = c->group_keys;
  o.ngroups = c->ngroups;
  if(ingest_filter_check(o.filter, err)) {
    free(text);
    return bon_err_prefix(err, "%s: dataset.filter", c->file);
  }
  struct ingest_problem *ps;
  size_t n;
  int rc = ingest_problems(text, len, path, &o, &ps, &n, err);
  free(text);
  if(rc)
    return -1;
  c->problems = xcalloc(n, sizeof(*c->problems));
  for(size_t i = 0; i < n; i++) {
    c->problems[i].id = ps[i].id;
    c->problems[i].question = ps[i].question;
    c->problems[i].answer = ps[i].answer;
    ps[i].id = ps[i].question = ps[i].answer = NULL;
    if(c->ngroups) {
      c->problems[i].groups = xcalloc(c->ngroups + 1, sizeof(char *));
      memcpy(c->problems[i].groups, ps[i].groups,
             c->ngroups * sizeof(char *));
      memset(ps[i].groups, 0, c->ngroups * sizeof(char *));
    }
  }
  c->nproblems = n;
  ingest_problems_free(ps, n, c->ngroups);
  return check_groups(c, path, err);
}

/* Each reference's final answer, as the verifier reads it. */
static void extract_finals(struct run_config *c)
{
  for(size_t i = 0; i < c->nproblems; i++) {
    char small[256];
    int n = gold_extract(c->problems[i].answer, small, sizeof(small));
    if(n < 0)
      continue;
    if((size_t)n < sizeof(small)) {
      c->problems[i].final = xstrdup(small);
      continue;
    }
    char *big = xmalloc((size_t)n + 1);
    gold_extract(c->problems[i].answer, big, (size_t)n + 1);
    c->problems[i].final = big;
  }
}

static int load_problems(struct run_config *c, cJSON *ds,
                         struct bon_err *err)
{
  const char *src = cfg_str(ds, "source");
  size_t count = (size_t)cfg_int(ds, "problems", 100);
  if(!strcmp(src, "sim")) {
    if(count == 0)
      return bon_errf(err, "%s: dataset.problems: must be at least 1 for "
                           "source \"sim\"", c->file);
    struct sim_problem *sp = sim_problems(c->seed, 0, count);
    c->problems = xcalloc(count, sizeof(*c->problems));
    for(size_t i = 0; i < count; i++) {
      c->problems[i].id = xstrdup(sp[i].id);
      c->problems[i].question = xstrdup(sp[i].question);
      c->problems[i].answer = xstrdup(sp[i].answer);
    }
    c->nproblems = count;
    sim_problems_free(sp, count);
    return 0;
  }
  return load_problems_file(c, ds, count, err);
}

/* The strings of the list sec.key (absent: none) into a fresh array of
 * borrowed pointers (*out, caller frees; NULL when empty).  0, or -1 and
 * err naming the entry that is not a non-empty string. */
static int str_list(const struct run_config *c, const cJSON *sec,
                    const char *path, const char *key, const char ***out,
                    size_t *n, struct bon_err *err)
{
  const cJSON *l = cJSON_GetObjectItemCaseSensitive(sec, key);
  *out = NULL;
  *n = 0;
  size_t cnt = (size_t)cJSON_GetArraySize(l), i = 0;
  if(!cnt)
    return 0;
  *out = xcalloc(cnt, sizeof(char *));
  const cJSON *e;
  cJSON_ArrayForEach(e, l) {
    if(!cJSON_IsString(e) || !e->valuestring[0])
      return bon_errf(err, "%s: %s.%s[%zu]: expected a non-empty string",
                      c->file, path, key, i);
    (*out)[i++] = e->valuestring;
  }
  *n = cnt;
  return 0;
}

/* A one-to-one benchmark holds pairs: one incorrect candidate (or one
 * comparison) per problem.  0, or -1 and err naming the first problem
 * with more. */
static int check_one_to_one(const struct run_config *c, const char *path,
                            const struct bench_config *b,
                            struct bon_err *err)
{
  const struct ingest_bench *d = b->data;
  size_t *k = xcalloc(d->nproblems ? d->nproblems : 1, sizeof(*k));
  size_t bad = SIZE_MAX, line = 0;
  for(size_t i = 0; i < d->ncands; i++)
    if(!d->cands[i].correct && ++k[d->cands[i].problem] == 2 &&
       bad == SIZE_MAX) {
      bad = d->cands[i].problem;
      line = d->cands[i].line;
    }
  for(size_t i = 0; i < d->npairs; i++)
    if(++k[d->pairs[i].problem] == 2 && bad == SIZE_MAX) {
      bad = d->pairs[i].problem;
      line = d->pairs[i].line;
    }
  free(k);
  if(bad == SIZE_MAX)
    return 0;
  return bon_errf(err, "%s: %s: %s:%zu: problem \"%s\" has a second "
                       "incorrect candidate, but a one-to-one benchmark "
                       "holds one correct against one incorrect: use this "
                       "file as benchmarks.one_to_many", c->file, path,
                  b->path, line, d->problems[bad].id);
}

/* source "dataset": read and check every candidate of the file now, so a
 * bad record stops the run before anything is sampled. */
static int load_bench_data(struct run_config *c, cJSON *sec, const char *path,
                           struct bench_config *b, int one_to_one,
                           struct bon_err *err)
{
  if(!b->path)
    return bon_errf(err, "%s: %s.path: missing (source \"dataset\" needs "
                         "a file of candidate texts)", c->file, path);
  b->format = cfg_str(sec, "format");
  int f = ingest_bench_format(b->format);
  if(f < 0)
    return bon_errf(err, "%s: %s.format: %s%s%s: expected one of %s",
                    c->file, path, b->format ? "\"" : "",
                    b->format ? b->format : "missing",
                    b->format ? "\"" : "", ingest_bench_format_names());
  struct ingest_bench_opts o;
  memset(&o, 0, sizeof(o));
  o.format = (enum ingest_bench_format)f;
  const char **subsets = NULL, **exclude = NULL;
  int rc = str_list(c, sec, path, "subsets", &subsets, &o.nsubsets, err);
  if(!rc)
    rc = str_list(c, sec, path, "exclude_sources", &exclude, &o.nexclude,
                  err);
  if(!rc && o.nsubsets && f != INGEST_REWARDBENCH &&
     f != INGEST_REWARDBENCH2)
    rc = bon_errf(err, "%s: %s.subsets: applies to the formats "
                       "rewardbench and rewardbench2 only (this one is "
                       "\"%s\")", c->file, path, b->format);
  o.subsets = subsets;
  o.exclude = exclude;
  size_t len;
  char *text = rc ? NULL : ingest_read(b->path, &len, err);
  if(!rc && !text)
    rc = bon_err_prefix(err, "%s: %s.path", c->file, path);
  if(!rc) {
    b->data = xcalloc(1, sizeof(*b->data));
    rc = ingest_bench_read(text, len, b->path, &o, b->data, err);
    if(rc) {
      free(b->data);
      b->data = NULL;
      bon_err_prefix(err, "%s: %s", c->file, path);
    }
  }
  free(text);
  free(subsets);
  free(exclude);
  if(!rc && one_to_one)
    rc = check_one_to_one(c, path, b, err);
  return rc;
}

static int load_bench(struct run_config *c, cJSON *sec, const char *path,
                      const struct cfg_field *fields, struct bench_config *b,
                      struct bon_err *err)
{
  if(cfg_check(sec, fields, c->file, path, err))
    return -1;
  b->source = cfg_str(sec, "source");
  b->count = (size_t)cfg_int(sec, fields == otm_fields ? "problems" : "pairs",
                             200);
  b->incorrect = fields == otm_fields ? (int)cfg_int(sec, "incorrect", 9) : 1;
  b->path = cfg_str(sec, "path");
  if(!strcmp(b->source, "dataset"))
    return load_bench_data(c, sec, path, b, fields == oto_fields, err);
  static const char *const only_dataset[] = {"format", "subsets",
                                             "exclude_sources"};
  for(size_t i = 0; i < 3; i++)
    if(cJSON_GetObjectItemCaseSensitive(sec, only_dataset[i]))
      return bon_errf(err, "%s: %s.%s: applies to source \"dataset\" only "
                           "(this benchmark's source is \"%s\")", c->file,
                      path, only_dataset[i], b->source);
  if(!strcmp(b->source, "file")) {
    if(!b->path)
      return bon_errf(err, "%s: %s.path: missing (source \"file\" needs a "
                           "table of candidate scores)", c->file, path);
    if(!fs_exists(b->path))
      return bon_errf(err, "%s: %s.path: %s: no such file", c->file, path,
                      b->path);
  }
  return 0;
}

/* Every n of a given grid is at most N. */
static int check_grid(const struct run_config *c, struct bon_err *err)
{
  for(size_t i = 0; i < c->n_grid_len; i++)
    if((size_t)c->n_grid[i] > c->samples)
      return bon_errf(err, "%s: analysis.n_grid[%zu]: %d is more than "
                           "policy.samples (N = %zu)", c->file, i,
                      c->n_grid[i], c->samples);
  return 0;
}

static int parse_grid(struct run_config *c, cJSON *an, struct bon_err *err)
{
  cJSON *g = cJSON_GetObjectItemCaseSensitive(an, "n_grid");
  if(cJSON_IsString(g) && !strcmp(g->valuestring, "auto"))
    return 0;
  if(!cJSON_IsArray(g) || cJSON_GetArraySize(g) == 0)
    return bon_errf(err, "%s: analysis.n_grid: expected \"auto\" or a "
                         "non-empty list of integers, got %s", c->file,
                    cfg_type_name(g));
  size_t n = (size_t)cJSON_GetArraySize(g), i = 0;
  c->n_grid = xcalloc(n, sizeof(int));
  cJSON *it;
  cJSON_ArrayForEach(it, g) {
    if(!cJSON_IsNumber(it) || it->valuedouble < 1 ||
       it->valuedouble > BON_SAMPLES_MAX ||
       it->valuedouble != (double)(int)it->valuedouble)
      return bon_errf(err, "%s: analysis.n_grid[%zu]: expected an integer "
                           "from 1 to policy.samples", c->file, i);
    if(i && it->valuedouble <= c->n_grid[i - 1])
      return bon_errf(err, "%s: analysis.n_grid[%zu]: the list must be "
                           "strictly increasing", c->file, i);
    c->n_grid[i++] = (int)it->valuedouble;
  }
  c->n_grid_len = n;
  return c->samples ? check_grid(c, err) : 0;
}

/* analysis.group_by: a string or a non-empty list of distinct non-empty
 * strings, for problems read from a file. */
static int parse_group_by(struct run_config *c, cJSON *an, cJSON *ds,
                          struct bon_err *err)
{
  cJSON *g = cJSON_GetObjectItemCaseSensitive(an, "group_by");
  if(!g)
    return 0;
  size_t n = cJSON_IsArray(g) ? (size_t)cJSON_GetArraySize(g) : 1;
  if(!(cJSON_IsString(g) || (cJSON_IsArray(g) && n)))
    return bon_errf(err, "%s: analysis.group_by: expected a field name such "
                         "as \"subject\" or a non-empty list of them, got "
                         "%s", c->file, cfg_type_name(g));
  if(strcmp(cfg_str(ds, "source"), "file"))
    return bon_errf(err, "%s: analysis.group_by: needs dataset.source "
                         "\"file\" (the simulated problems have no fields "
                         "to group by)", c->file);
  c->group_keys = xcalloc(n, sizeof(char *));
  const cJSON *it = cJSON_IsArray(g) ? g->child : g;
  for(size_t i = 0; i < n; i++, it = it->next) {
    const char *k = cJSON_GetStringValue(it);
    char at[32] = "";
    if(cJSON_IsArray(g))
      snprintf(at, sizeof(at), "[%zu]", i);
    if(!k || !*k || strlen(k) > 200)
      return bon_errf(err, "%s: analysis.group_by%s: expected a field name "
                           "(a non-empty string of at most 200 bytes)",
                      c->file, at);
    for(size_t j = 0; j < i; j++)
      if(!strcmp(c->group_keys[j], k))
        return bon_errf(err, "%s: analysis.group_by: \"%s\" is named "
                             "twice", c->file, k);
    c->group_keys[c->ngroups++] = k;
  }
  return 0;
}

int run_config_set_samples(struct run_config *c, size_t n,
                           struct bon_err *err)
{
  c->samples = n;
  cJSON_DeleteItemFromObjectCaseSensitive(c->policy, "samples");
  cJSON_AddNumberToObject(c->policy, "samples", (double)n);
  return check_grid(c, err);
}

/* A key given twice in one object: cJSON keeps the first silently, so
   "seed": 1, ..., "seed": 2 would run with 1.  Reject it, naming both. */
static int check_dup_keys(const cJSON *o, const char *file, char *at,
                          size_t cap, struct bon_err *err)
{
  size_t len = strlen(at);
  size_t i = 0;
  const cJSON *it;
  cJSON_ArrayForEach(it, o) {
    if(cJSON_IsObject(o) && it->string)
      for(const cJSON *p = o->child; p != it; p = p->next)
        if(!strcmp(p->string, it->string))
          return bon_errf(err, "%s: %s%s%s: key given twice in the same "
                               "object: keep one", file, at, *at ? "." : "",
                          it->string);
    if(cJSON_IsObject(it) || cJSON_IsArray(it)) {
      if(cJSON_IsObject(o))
        snprintf(at + len, cap - len, "%s%s", len ? "." : "", it->string);
      else
        snprintf(at + len, cap - len, "[%zu]", i);
      if(check_dup_keys(it, file, at, cap, err))
        return -1;
      at[len] = '\0';
    }
    i++;
  }
  return 0;
}

int run_config_load(const char *path, struct run_config *c,
                    struct bon_err *err)
{
  memset(c, 0, sizeof(*c));
  c->file = xstrdup(path);
  char *text = fs_read_file(path, NULL, err);
  if(!text)
    return -1;
  if(!text[strspn(text, " \t\r\n")]) {
    free(text);
    return bon_errf(err, "%s: empty file: expected a JSON object (see "
                    "configs/README.md)", path);
  }
  c->root = cfg_parse(text, path, err);
  free(text);
  if(!c->root)
    return -1;
  cJSON *r = c->root;
  char at[512] = "";
  if(check_dup_keys(r, path, at, sizeof(at), err))
    return -1;
  if(cfg_check(r, top_fields, path, "", err))
    return -1;
  if(!cfg_str(r, "name")) {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char nm[256];
    snprintf(nm, sizeof(nm), "%s", base);
    char *dot = strrchr(nm, '.');
    if(dot && dot != nm)
      *dot = '\0';
    cJSON_AddStringToObject(r, "name", nm);
  }
  c->name = cfg_str(r, "name");
  if(!*c->name || strpbrk(c->name, "/\\"))
    return bon_errf(err, "%s: name: \"%s\" must be non-empty with no "
                         "slashes (it names the output folder)", path,
                    c->name);
  if(!cfg_str(r, "output")) {
    char out[512];
    snprintf(out, sizeof(out), "runs/%s", c->name);
    cJSON_AddStringToObject(r, "output", out);
  }
  c->out = cfg_str(r, "output");
  c->seed = (uint64_t)cfg_int(r, "seed", 1);

  cJSON *ds = section(r, "dataset");
  if(cfg_check(ds, dataset_fields, path, "dataset", err))
    return -1;
  c->policy = section(r, "policy");
  cJSON *samples = cJSON_GetObjectItemCaseSensitive(c->policy, "samples");
  char numstr[40];
  snprintf(numstr, sizeof(numstr), "%.17g",
           samples ? samples->valuedouble : 0.0);
  if(samples && (!cJSON_IsNumber(samples) || samples->valuedouble < 1 ||
                 samples->valuedouble > BON_SAMPLES_MAX ||
                 samples->valuedouble != (double)(long)samples->valuedouble))
    return bon_errf(err, "%s: policy.samples: expected an integer from 1 to "
                         "%d (completions per problem, N), got %s", path,
                    BON_SAMPLES_MAX, cJSON_IsNumber(samples) ? numstr
                                              : cfg_type_name(samples));
  /* replayed completions without samples: the run decides N from the
     file (runner/replay.h) */
  const char *pb = cJSON_IsObject(c->policy) ? cfg_str(c->policy, "backend")
                                             : NULL;
  int replay = pb && !strcmp(pb, "file");
  if(!samples && !replay)
    cJSON_AddNumberToObject(c->policy, "samples", 16);
  c->samples = (size_t)cfg_int(c->policy, "samples", 0);
  c->proxies = section(r, "proxies");
  if(cJSON_GetArraySize(c->proxies) == 0)
    return bon_errf(err, "%s: proxies: the list is empty: name at least one "
                         "reward model", path);
  cJSON *gold = section(r, "gold");
  if(cfg_check(gold, gold_fields, path, "gold", err))
    return -1;
  const char *ex = cfg_str(gold, "extract");
  c->gold_strict = ex && !strcmp(ex, "strict");
  cJSON *bs = section(r, "benchmarks");
  if(cfg_check(bs, bench_fields, path, "benchmarks", err) ||
     load_bench(c, section(bs, "one_to_many"), "benchmarks.one_to_many",
                otm_fields, &c->one_to_many, err) ||
     load_bench(c, section(bs, "one_to_one"), "benchmarks.one_to_one",
                oto_fields, &c->one_to_one, err))
    return -1;
  cJSON *an = section(r, "analysis");
  if(cfg_check(an, analysis_fields, path, "analysis", err) ||
     parse_grid(c, an, err))
    return -1;
  c->bootstrap = (int)cfg_int(an, "bootstrap", 1000);
  c->level = cfg_num(an, "level", 0.95);
  c->threads = (int)cfg_int(an, "threads", 0);
  c->ensembles = section(an, "ensembles");
  cJSON *e;
  size_t ei = 0;
  cJSON_ArrayForEach(e, c->ensembles) {
    if(!cJSON_IsString(e))
      return bon_errf(err, "%s: analysis.ensembles[%zu]: expected a string "
                           "such as \"mean:rmA,rmB\"", path, ei);
    ei++;
  }
  if(parse_group_by(c, an, ds, err))
    return -1;
  cJSON *pl = section(r, "plots");
  if(cfg_check(pl, plot_fields, path, "plots", err))
    return -1;
  c->plots = cfg_bool(pl, "enabled", 1);
  c->plot_format = cfg_str(pl, "format");
  if(load_problems(c, ds, err))
    return -1;
  extract_finals(c);
  return 0;
}

void run_problem_free(struct run_problem *p)
{
  free(p->id);
  free(p->question);
  free(p->answer);
  free(p->final);
  for(size_t g = 0; p->groups && p->groups[g]; g++)
    free(p->groups[g]);
  free(p->groups);
  memset(p, 0, sizeof(*p));
}

void run_config_free(struct run_config *c)
{
  for(size_t i = 0; i < c->nproblems; i++)
    run_problem_free(&c->problems[i]);
  free(c->problems);
  free(c->n_grid);
  free(c->group_keys);
  struct bench_config *bs[2] = {&c->one_to_many, &c->one_to_one};
  for(int i = 0; i < 2; i++)
    if(bs[i]->data) {
      ingest_bench_free(bs[i]->data);
      free(bs[i]->data);
    }
  cJSON_Delete(c->root);
  free(c->file);
  memset(c, 0, sizeof(*c));
}

/* official.c - RewardMATH's official result files (official.h). */
#include "ingest/official.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "ingest/records.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/u64map.h"

/* The generator label of the correct solution in the release. */
#define CORRECT_LABEL "human_to_GPT-4"

enum layout { L_UNKNOWN, L_LIST, L_PAIRWISE, L_FLAT };

struct reader {
  const char *name;
  struct ingest_scores *out;
  enum layout layout;
  struct u64map seen;    /* problem (list layouts) or solution (flat) ->
                            first row + 1, row count */
};

static void push(struct ingest_scores *s, const char *pid, const char *sid,
                 double score, const double *steps, size_t nsteps,
                 int correct)
{
  if(s->nrows == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 1024;
    s->rows = xrealloc(s->rows, s->cap * sizeof(*s->rows));
  }
  struct ingest_score *r = &s->rows[s->nrows++];
  r->problem_id = xstrdup(pid);
  r->sample_id = xstrdup(sid);
  r->score = score;
  r->steps = NULL;
  r->nsteps = nsteps;
  if(nsteps) {
    r->steps = xmalloc(nsteps * sizeof(double));
    memcpy(r->steps, steps, nsteps * sizeof(double));
  }
  r->correct = correct;
}

static void drop_rows(struct ingest_scores *s, size_t from)
{
  while(s->nrows > from) {
    struct ingest_score *r = &s->rows[--s->nrows];
    free(r->problem_id);
    free(r->sample_id);
    free(r->steps);
  }
}

static void problem_id(const char *text, char *buf, size_t size)
{
  snprintf(buf, size, "p%012llx", (unsigned long long)(
           hash_str(HASH_INIT, text) & 0xffffffffffffULL));
}

/* Rows [a, a+n) and [b, b+n) hold the same scores. */
static int same_rows(const struct ingest_scores *s, size_t a, size_t b,
                     size_t n)
{
  for(size_t i = 0; i < n; i++) {
    const struct ingest_score *x = &s->rows[a + i], *y = &s->rows[b + i];
    if(strcmp(x->sample_id, y->sample_id) || x->correct != y->correct ||
       x->nsteps != y->nsteps ||
       !(x->score == y->score || (isnan(x->score) && isnan(y->score))))
      return 0;
    for(size_t k = 0; k < x->nsteps; k++)
      if(x->steps[k] != y->steps[k])
        return 0;
  }
  return 1;
}

/* After a record added rows [from, nrows): drop them when an earlier
 * record of the same key holds the same rows (counted), fail when it holds
 * others. */
static int dedupe(struct reader *r, uint64_t key, size_t from, size_t line,
                  struct bon_err *err)
{
  struct ingest_scores *s = r->out;
  int fresh;
  struct u64map_slot *slot = u64map_put(&r->seen, key | 1, &fresh);
  size_t n = s->nrows - from;
  if(fresh) {
    slot->a = from;
    slot->b = (uint32_t)n;
    return 0;
  }
  size_t first = (size_t)slot->a;
  if(slot->b != n || !same_rows(s, first, from, n))
    return bon_errf(err, "%s:%zu: the record repeats an earlier problem "
                         "with other scores", r->name, line);
  drop_rows(s, from);
  s->duplicates++;
  return 0;
}

/* A score: a number, or (a process RM) a non-empty list of numbers. */
static int read_score(const struct reader *r, const cJSON *v, size_t line,
                      size_t j, double *score, double **steps,
                      size_t *nsteps, struct bon_err *err)
{
  *score = NAN;
  *steps = NULL;
  *nsteps = 0;
  if(cJSON_IsNumber(v)) {
    *score = v->valuedouble;
    return 0;
  }
  if(cJSON_IsArray(v) && cJSON_GetArraySize(v) > 0) {
    size_t n = (size_t)cJSON_GetArraySize(v), k = 0;
    *steps = xcalloc(n, sizeof(double));
    const cJSON *e;
    cJSON_ArrayForEach(e, v) {
      if(!cJSON_IsNumber(e)) {
        free(*steps);
        *steps = NULL;
        return bon_errf(err, "%s:%zu: score %zu: step %zu is not a number",
                        r->name, line, j, k + 1);
      }
      (*steps)[k++] = e->valuedouble;
    }
    *nsteps = n;
    return 0;
  }
  return bon_errf(err, "%s:%zu: score %zu is not a number or a list of "
                       "step scores", r->name, line, j);
}

/* The sample id of candidate j: chosen/rejected in a pair, else the
 * generator label ("#P" when empty, P = j + off its position among the
 * problem's candidates), with "#2", "#3" ... appended when earlier
 * candidates of the record have the same label (counted). */
static void sample_id(struct reader *r, const cJSON *labels, size_t n,
                      size_t j, size_t off, int correct, char *buf,
                      size_t size)
{
  const cJSON *l = cJSON_GetArrayItem(labels, (int)j);
  if(n == 2) {
    snprintf(buf, size, "%s", correct ? "chosen" : "rejected");
    return;
  }
  if(!cJSON_IsString(l) || !l->valuestring[0]) {
    snprintf(buf, size, "#%zu", j + off);
    r->out->empty_labels++;
    return;
  }
  size_t same = 0;
  for(size_t i = 0; i < j; i++) {
    const char *o = cJSON_GetStringValue(cJSON_GetArrayItem(labels,
                                                            (int)i));
    same += o && !strcmp(o, l->valuestring);
  }
  if(same) {
    snprintf(buf, size, "%s#%zu", l->valuestring, same + 1);
    r->out->repeated_labels++;
  }
  else
    snprintf(buf, size, "%s", l->valuestring);
}

/* {problem, solution_reference[], score[]}: RewardMATH or a RewardBench
 * pair. */
static int rec_list(struct reader *r, const cJSON *rec, size_t line,
                    struct bon_err *err)
{
  const cJSON *q = cJSON_GetObjectItemCaseSensitive(rec, "problem");
  const cJSON *labels = cJSON_GetObjectItemCaseSensitive(
      rec, "solution_reference");
  const cJSON *scores = cJSON_GetObjectItemCaseSensitive(rec, "score");
  if(!cJSON_IsString(q) || !cJSON_IsArray(labels) || !cJSON_IsArray(scores))
    return bon_errf(err, "%s:%zu: expected problem (a string), "
                         "solution_reference and score (lists)", r->name,
                    line);
  size_t n = (size_t)cJSON_GetArraySize(scores);
  if(n < 2 || (size_t)cJSON_GetArraySize(labels) != n)
    return bon_errf(err, "%s:%zu: score and solution_reference must be "
                         "lists of the same length, at least 2", r->name,
                    line);
  size_t good = n;
  for(size_t j = 0; j < n && good == n; j++) {
    const char *l = cJSON_GetStringValue(cJSON_GetArrayItem(labels, (int)j));
    if(l && (!strcmp(l, CORRECT_LABEL) || !strcmp(l, "chosen")))
      good = j;
  }
  if(good == n)
    return bon_errf(err, "%s:%zu: no candidate labelled \"%s\" or "
                         "\"chosen\": which one is correct?", r->name, line,
                    CORRECT_LABEL);
  char pid[32], sid[256];
  problem_id(q->valuestring, pid, sizeof(pid));
  size_t from = r->out->nrows;
  for(size_t j = 0; j < n; j++) {
    double score, *steps;
    size_t ns;
    if(read_score(r, cJSON_GetArrayItem(scores, (int)j), line, j, &score,
                  &steps, &ns, err)) {
      drop_rows(r->out, from);
      return -1;
    }
    r->out->steps |= ns > 0;
    sample_id(r, labels, n, j, 0, j == good, sid, sizeof(sid));
    push(r->out, pid, sid, score, steps, ns, j == good);
    free(steps);
  }
  return dedupe(r, hash_str(HASH_INIT, pid), from, line, err);
}

/* {problem, solution_reference[9], score[9] (A, B or null),
 * chosen_position[9]}: the correct one against each incorrect one. */
static int rec_pairwise(struct reader *r, const cJSON *rec, size_t line,
                        struct bon_err *err)
{
  const cJSON *q = cJSON_GetObjectItemCaseSensitive(rec, "problem");
  const cJSON *labels = cJSON_GetObjectItemCaseSensitive(
      rec, "solution_reference");
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, "score");
  const cJSON *pos = cJSON_GetObjectItemCaseSensitive(rec, "chosen_position");
  size_t n = (size_t)cJSON_GetArraySize(v);
  if(!cJSON_IsString(q) || !cJSON_IsArray(v) || !cJSON_IsArray(pos) ||
     !cJSON_IsArray(labels) || !n ||
     (size_t)cJSON_GetArraySize(pos) != n ||
     (size_t)cJSON_GetArraySize(labels) != n)
    return bon_errf(err, "%s:%zu: expected problem, and solution_reference, "
                         "score and chosen_position as lists of one "
                         "length", r->name, line);
  char pid[32], sid[256];
  problem_id(q->valuestring, pid, sizeof(pid));
  size_t from = r->out->nrows;
  push(r->out, pid, CORRECT_LABEL, NAN, NULL, 0, 1);
  for(size_t j = 0; j < n; j++) {
    const cJSON *vj = cJSON_GetArrayItem(v, (int)j);
    const char *pj = cJSON_GetStringValue(cJSON_GetArrayItem(pos, (int)j));
    if(!pj || (strcmp(pj, "A") && strcmp(pj, "B")) ||
       !(cJSON_IsNull(vj) || cJSON_IsString(vj))) {
      drop_rows(r->out, from);
      return bon_errf(err, "%s:%zu: comparison %zu: expected a verdict "
                           "\"A\", \"B\" or null and a chosen_position A or "
                           "B", r->name, line, j);
    }
    int win = cJSON_IsString(vj) && !strcmp(vj->valuestring, pj);
    r->out->null_verdicts += cJSON_IsNull(vj);
    /* the correct one is position 0, as in the direct files */
    sample_id(r, labels, n + 1, j, 1, 0, sid, sizeof(sid));
    push(r->out, pid, sid, win ? 1.0 : 0.0, NULL, 0, 0);
  }
  r->out->pairwise = 1;
  return dedupe(r, hash_str(HASH_INIT, pid), from, line, err);
}

/* {problem, solution_type, output: {step_scores}}: one solution of a
 * RewardBench pair scored by a process RM. */
static int rec_flat(struct reader *r, const cJSON *rec, size_t line,
                    struct bon_err *err)
{
  const cJSON *q = cJSON_GetObjectItemCaseSensitive(rec, "problem");
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(rec, "solution_type");
  const cJSON *o = cJSON_GetObjectItemCaseSensitive(rec, "output");
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "step_scores");
  const char *type = cJSON_GetStringValue(t);
  if(!cJSON_IsString(q) || !type ||
     (strcmp(type, "chosen") && strcmp(type, "rejected")))
    return bon_errf(err, "%s:%zu: expected problem (a string) and "
                         "solution_type chosen or rejected", r->name, line);
  double score, *steps;
  size_t ns;
  if(read_score(r, st, line, 0, &score, &steps, &ns, err) || !ns) {
    free(steps);
    return bon_errf(err, "%s:%zu: output.step_scores: expected a list of "
                         "step scores (numbers)", r->name, line);
  }
  char pid[32];
  problem_id(q->valuestring, pid, sizeof(pid));
  int correct = !strcmp(type, "chosen");
  size_t from = r->out->nrows;
  push(r->out, pid, correct ? "chosen" : "rejected", NAN, steps, ns,
       correct);
  free(steps);
  r->out->steps = 1;
  uint64_t key = hash_str(hash_str(HASH_INIT, pid), type);
  return dedupe(r, key, from, line, err);
}

static int on_record(void *ctx, const cJSON *rec, size_t line, size_t index,
                     struct bon_err *err)
{
  (void)index;
  struct reader *r = ctx;
  enum layout l =
      cJSON_GetObjectItemCaseSensitive(rec, "chosen_position") ? L_PAIRWISE
      : cJSON_GetObjectItemCaseSensitive(rec, "output") ? L_FLAT : L_LIST;
  if(r->layout == L_UNKNOWN)
    r->layout = l;
  else if(l != r->layout)
    return bon_errf(err, "%s:%zu: this record's layout differs from the "
                         "first record's", r->name, line);
  int rc = l == L_PAIRWISE ? rec_pairwise(r, rec, line, err)
           : l == L_FLAT ? rec_flat(r, rec, line, err)
           : rec_list(r, rec, line, err);
  return rc ? -1 : 0;
}

/* Problems: the distinct problem ids among rows [from, nrows). */
static size_t count_problems(const struct ingest_scores *s, size_t from)
{
  struct u64map m = U64MAP_INIT;
  size_t n = 0;
  for(size_t i = from; i < s->nrows; i++) {
    int fresh;
    u64map_put(&m, hash_str(HASH_INIT, s->rows[i].problem_id) | 1, &fresh);
    n += fresh;
  }
  u64map_free(&m);
  return n;
}

int ingest_official(const char *text, size_t len, const char *name,
                    struct ingest_scores *out, struct bon_err *err)
{
  struct reader r;
  memset(&r, 0, sizeof(r));
  r.name = name;
  r.out = out;
  size_t from = out->nrows;
  int rc = ingest_records(text, len, name, on_record, &r, err);
  u64map_free(&r.seen);
  if(!rc && out->nrows == from)
    rc = bon_errf(err, "%s: no records", name);
  if(rc) {
    drop_rows(out, from);
    return -1;
  }
  out->problems += count_problems(out, from);
  return 0;
}

void ingest_scores_free(struct ingest_scores *s)
{
  drop_rows(s, 0);
  free(s->rows);
  memset(s, 0, sizeof(*s));
}

/* The release's file names (the part before "_reward.json", without
 * "rewardbench_") and the models they stand for (the Hugging Face model
 * or API model name without its organisation, as the release's scripts
 * name them), so that one model has one name in both benchmarks.  The
 * RewardBench files spell four models otherwise than the RewardMATH ones;
 * the GRM checkpoints are not named in the release. */
static const struct ingest_official_name names[] = {
  /* classifier RMs */
  {"ArmoRM", "ArmoRM-Llama3-8B-v0.1"},
  {"Eurus-RM", "Eurus-RM-7b"},
  {"GRM-Llama3-8B", "GRM-Llama3-8B"},
  {"GRM_Gemma_2B", "GRM-Gemma-2B"},
  {"Skywork-Llama-3.1-8B", "Skywork-Reward-Llama-3.1-8B"},
  {"beaver", "beaver-7b-v2.0-reward"},
  {"grm_gemma", "GRM-Gemma-2B"},
  {"grm_llama3", "GRM-Llama3-8B"},
  {"internlm2", "internlm2-7b-reward"},
  {"internlm2-20b", "internlm2-20b-reward"},
  {"internlm2_20b", "internlm2-20b-reward"},
  {"oasst-rm", "oasst-rm-2.1-pythia-1.4b-epoch-2.5"},
  {"skywork_llama3", "Skywork-Reward-Llama-3.1-8B"},
  /* process RMs */
  {"Easy_to_hard", "llemma-7b-prm-prm800k-level-1to3-hf"},
  {"Math_Shepherd", "math-shepherd-mistral-7b-prm"},
  {"ReasonEval_34B", "ReasonEval-34B"},
  {"ReasonEval_7B", "ReasonEval-7B"},
  /* LLM judges; their *_pairwise files get INGEST_OFFICIAL_PAIRWISE */
  {"chatgpt", "gpt-3.5-turbo-0125"},
  {"gpt4", "gpt-4-0125-preview"},
  {"gpt4o", "gpt-4o-2024-05-13"},
  {"llama3_70B", "Meta-Llama-3-70B-Instruct"},
  {"llama3_8B", "Meta-Llama-3-8B-Instruct"},
  {"opus", "claude-3-opus-20240229"},
  {"prometheus_7B", "prometheus-7b-v2.0"},
  {"prometheus_8x7B", "prometheus-8x7b-v2.0"},
  {"sonnet-3-5", "claude-3-5-sonnet-20240620"},
};

const struct ingest_official_name *ingest_official_names(size_t *n)
{
  *n = sizeof(names) / sizeof(names[0]);
  return names;
}

char *ingest_official_rm_name(const char *path)
{
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  if(!strncmp(base, "rewardbench_", 12))
    base += 12;
  size_t n = strlen(base);
  if(n > 3 && !strncmp(base + n - 3, ".gz", 3))
    n -= 3;
  if(n > 5 && !strncmp(base + n - 5, ".json", 5))
    n -= 5;
  if(n > 7 && !strncmp(base + n - 7, "_reward", 7))
    n -= 7;
  int pairwise = n > 9 && !strncmp(base + n - 9, "_pairwise", 9);
  size_t stem = pairwise ? n - 9 : n;
  for(size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
    if(strlen(names[i].release) == stem &&
       !strncmp(names[i].release, base, stem)) {
      struct buf b = BUF_INIT;
      buf_printf(&b, "%s%s", names[i].name,
                 pairwise ? INGEST_OFFICIAL_PAIRWISE : "");
      return b.data; /* the buffer's storage, now the caller's */
    }
  return xstrndup(base, n);
}

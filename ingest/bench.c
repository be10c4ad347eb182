/* bench.c - benchmark candidates from data files (bench.h). */
#include "ingest/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/records.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/u64map.h"

static const char *const format_names[] = {
  "rewardmath", "rewardmath_pairwise", "rewardbench", "rewardbench2",
  "candidates", NULL,
};

/* The chosen solution of a RewardMATH-shaped file without solution_type. */
#define CHOSEN_REFERENCE "human_to_GPT-4"

int ingest_bench_format(const char *name)
{
  for(int i = 0; name && format_names[i]; i++)
    if(!strcmp(name, format_names[i]))
      return i;
  return -1;
}

const char *ingest_bench_format_names(void)
{
  return "rewardmath, rewardmath_pairwise, rewardbench, rewardbench2, "
         "candidates";
}

struct reader {
  const struct ingest_bench_opts *o;
  const char *name;
  struct ingest_bench *b;
  struct u64map ids;       /* hash of a problem id -> index + 1 */
  size_t cap_p, cap_c, cap_pairs;
  int *ncorrect;           /* per problem */
  size_t *nwrong, *first_line;
};

/* ---- fields -------------------------------------------------------------- */

/* A required non-empty string field. */
static const char *str_field(const struct reader *r, const cJSON *rec,
                             const char *key, size_t line,
                             struct bon_err *err)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
  if(!cJSON_IsString(v)) {
    bon_errf(err, "%s:%zu: field \"%s\" is %s", r->name, line, key,
             v ? "not a string" : "missing");
    return NULL;
  }
  if(!v->valuestring[0]) {
    bon_errf(err, "%s:%zu: field \"%s\" is empty", r->name, line, key);
    return NULL;
  }
  return v->valuestring;
}

/* An id field: a string or an integer, as text. */
static int id_field(const struct reader *r, const cJSON *rec, const char *key,
                    size_t line, char *buf, size_t size, struct bon_err *err)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
  int rc = ingest_id(v, r->name, line, key, buf, size, err);
  if(rc > 0)
    return bon_errf(err, "%s:%zu: field \"%s\" is %s", r->name, line, key,
                    v ? "not a string or number" : "missing");
  return rc;
}

/* A solution: a list of non-empty step strings, or one string. */
static int text_field(const struct reader *r, const cJSON *rec,
                      const char *key, size_t line, struct ingest_text *t,
                      struct bon_err *err)
{
  memset(t, 0, sizeof(*t));
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
  if(cJSON_IsString(v) && v->valuestring[0]) {
    t->text = xstrdup(v->valuestring);
    return 0;
  }
  if(!cJSON_IsArray(v) || !cJSON_GetArraySize(v))
    return bon_errf(err, "%s:%zu: field \"%s\" is %s", r->name, line, key,
                    !v ? "missing" : cJSON_IsArray(v) ? "an empty list"
                       : "not a string or a list of steps");
  size_t n = (size_t)cJSON_GetArraySize(v), i = 0;
  t->steps = xcalloc(n, sizeof(char *));
  struct buf b = BUF_INIT;
  const cJSON *s;
  cJSON_ArrayForEach(s, v) {
    if(!cJSON_IsString(s)) {
      t->nsteps = i;
      buf_free(&b);
      return bon_errf(err, "%s:%zu: field \"%s\": step %zu is not a string",
                      r->name, line, key, i + 1);
    }
    t->steps[i++] = xstrdup(s->valuestring);
    if(i > 1)
      buf_puts(&b, "\n");
    buf_puts(&b, s->valuestring);
  }
  t->nsteps = n;
  t->text = xstrdup(buf_str(&b));
  buf_free(&b);
  return 0;
}

static void text_free(struct ingest_text *t)
{
  for(size_t i = 0; i < t->nsteps; i++)
    free(t->steps[i]);
  free(t->steps);
  free(t->text);
  memset(t, 0, sizeof(*t));
}

/* 1 when src is one of the excluded generators. */
static int excluded(const struct reader *r, const char *src)
{
  for(size_t i = 0; i < r->o->nexclude; i++)
    if(!strcmp(r->o->exclude[i], src))
      return 1;
  return 0;
}

/* ---- problems and candidates ------------------------------------------- */

/* The index of problem `id`, added (with question q) when new. */
static int problem_of(struct reader *r, const char *id, const char *q,
                      size_t line, size_t *out, struct bon_err *err)
{
  struct ingest_bench *b = r->b;
  uint64_t h = hash_str(HASH_INIT, id) | 1;
  int fresh;
  struct u64map_slot *s = u64map_put(&r->ids, h, &fresh);
  if(!fresh) {
    *out = (size_t)s->a;
    if(strcmp(b->problems[*out].id, id))
      return bon_errf(err, "%s:%zu: problem ids \"%s\" and \"%s\" collide "
                           "in a 64-bit hash: rename one", r->name, line,
                      id, b->problems[*out].id);
    return 0;
  }
  if(b->nproblems == r->cap_p) {
    r->cap_p = r->cap_p ? 2 * r->cap_p : 64;
    b->problems = xrealloc(b->problems, r->cap_p * sizeof(*b->problems));
    r->ncorrect = xrealloc(r->ncorrect, r->cap_p * sizeof(int));
    r->nwrong = xrealloc(r->nwrong, r->cap_p * sizeof(size_t));
    r->first_line = xrealloc(r->first_line, r->cap_p * sizeof(size_t));
  }
  size_t i = b->nproblems++;
  b->problems[i].id = xstrdup(id);
  b->problems[i].question = xstrdup(q);
  r->ncorrect[i] = 0;
  r->nwrong[i] = 0;
  r->first_line[i] = line;
  s->a = i;
  *out = i;
  return 0;
}

/* Add one candidate (taking sol); 0, or -1 and err for a second correct
 * one. */
static int add_cand(struct reader *r, size_t p, int correct,
                    const char *source, struct ingest_text *sol,
                    size_t line, struct bon_err *err)
{
  struct ingest_bench *b = r->b;
  if(!correct && excluded(r, source)) {
    text_free(sol);
    b->excluded++;
    return 0;
  }
  if(correct && r->ncorrect[p]) {
    text_free(sol);
    return bon_errf(err, "%s:%zu: problem \"%s\" has a second correct "
                         "candidate (one correct against k incorrect)",
                    r->name, line, b->problems[p].id);
  }
  if(b->ncands == r->cap_c) {
    r->cap_c = r->cap_c ? 2 * r->cap_c : 256;
    b->cands = xrealloc(b->cands, r->cap_c * sizeof(*b->cands));
  }
  struct ingest_cand *c = &b->cands[b->ncands++];
  c->problem = p;
  c->correct = correct;
  c->source = xstrdup(source);
  c->sol = *sol;
  c->line = line;
  memset(sol, 0, sizeof(*sol));
  if(correct)
    r->ncorrect[p] = 1;
  else
    r->nwrong[p]++;
  return 0;
}

/* ---- one record per format ---------------------------------------------- */

static int rec_rewardmath(struct reader *r, const cJSON *rec, size_t line,
                          struct bon_err *err)
{
  char pid[128];
  const char *q = str_field(r, rec, "problem", line, err);
  if(!q || id_field(r, rec, "problem_id", line, pid, sizeof(pid), err))
    return -1;
  const cJSON *src = cJSON_GetObjectItemCaseSensitive(rec,
                                                      "solution_reference");
  const char *source = cJSON_IsString(src) ? src->valuestring : "";
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(rec, "solution_type");
  int correct;
  if(!type)
    correct = !strcmp(source, CHOSEN_REFERENCE);
  else if(cJSON_IsString(type) && !strcmp(type->valuestring, "chosen"))
    correct = 1;
  else if(cJSON_IsString(type) && !strcmp(type->valuestring, "rejected"))
    correct = 0;
  else
    return bon_errf(err, "%s:%zu: field \"solution_type\": expected "
                         "\"chosen\" or \"rejected\"", r->name, line);
  struct ingest_text sol;
  size_t p;
  if(text_field(r, rec, "eval_solution", line, &sol, err)) {
    text_free(&sol);
    return -1;
  }
  if(problem_of(r, pid, q, line, &p, err)) {
    text_free(&sol);
    return -1;
  }
  return add_cand(r, p, correct, source, &sol, line, err);
}

static int rec_pairwise(struct reader *r, const cJSON *rec, size_t line,
                        struct bon_err *err)
{
  char pid[128];
  const char *q = str_field(r, rec, "problem", line, err);
  const char *pos = q ? str_field(r, rec, "chosen_position", line, err)
                      : NULL;
  if(!pos || id_field(r, rec, "problem_id", line, pid, sizeof(pid), err))
    return -1;
  if(strcmp(pos, "A") && strcmp(pos, "B"))
    return bon_errf(err, "%s:%zu: field \"chosen_position\": expected "
                         "\"A\" or \"B\"", r->name, line);
  const cJSON *src = cJSON_GetObjectItemCaseSensitive(rec,
                                                      "solution_reference");
  const char *source = cJSON_IsString(src) ? src->valuestring : "";
  struct ingest_pair pr;
  memset(&pr, 0, sizeof(pr));
  if(text_field(r, rec, "eval_solution_A", line, &pr.a, err) ||
     text_field(r, rec, "eval_solution_B", line, &pr.b, err) ||
     problem_of(r, pid, q, line, &pr.problem, err)) {
    text_free(&pr.a);
    text_free(&pr.b);
    return -1;
  }
  if(excluded(r, source)) {
    text_free(&pr.a);
    text_free(&pr.b);
    r->b->excluded++;
    return 0;
  }
  pr.correct_is_a = !strcmp(pos, "A");
  pr.source = xstrdup(source);
  pr.line = line;
  struct ingest_bench *b = r->b;
  if(b->npairs == r->cap_pairs) {
    r->cap_pairs = r->cap_pairs ? 2 * r->cap_pairs : 256;
    b->pairs = xrealloc(b->pairs, r->cap_pairs * sizeof(*b->pairs));
  }
  b->pairs[b->npairs++] = pr;
  r->ncorrect[pr.problem] = 1;
  r->nwrong[pr.problem]++;
  return 0;
}

/* 1 when the row's subset is wanted (no subsets given: every row). */
static int subset_wanted(const struct reader *r, const cJSON *rec)
{
  if(!r->o->nsubsets)
    return 1;
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(rec, "subset");
  for(size_t i = 0; cJSON_IsString(s) && i < r->o->nsubsets; i++)
    if(!strcmp(r->o->subsets[i], s->valuestring))
      return 1;
  return 0;
}

/* One text of a RewardBench row as a candidate (a non-empty string). */
static int add_row_text(struct reader *r, size_t p, int correct,
                        const cJSON *v, const char *key, size_t line,
                        struct bon_err *err)
{
  if(!cJSON_IsString(v) || !v->valuestring[0])
    return bon_errf(err, "%s:%zu: field \"%s\": expected a non-empty "
                         "string", r->name, line, key);
  struct ingest_text t = {xstrdup(v->valuestring), NULL, 0};
  return add_cand(r, p, correct, "", &t, line, err);
}

/* RewardBench (one chosen string, one rejected) and RewardBench 2 (a list
 * of one chosen, a list of rejected): every row is its own problem. */
static int rec_rewardbench(struct reader *r, const cJSON *rec, size_t line,
                           int two, struct bon_err *err)
{
  if(!subset_wanted(r, rec)) {
    r->b->skipped++;
    return 0;
  }
  char pid[128];
  const char *q = str_field(r, rec, "prompt", line, err);
  size_t p;
  if(!q || id_field(r, rec, "id", line, pid, sizeof(pid), err) ||
     problem_of(r, pid, q, line, &p, err))
    return -1;
  if(r->ncorrect[p])
    return bon_errf(err, "%s:%zu: id \"%s\" appears twice (line %zu)",
                    r->name, line, pid, r->first_line[p]);
  const cJSON *ch = cJSON_GetObjectItemCaseSensitive(rec, "chosen");
  const cJSON *rj = cJSON_GetObjectItemCaseSensitive(rec, "rejected");
  if(!two)
    return add_row_text(r, p, 1, ch, "chosen", line, err) ||
           add_row_text(r, p, 0, rj, "rejected", line, err) ? -1 : 0;
  if(!cJSON_IsArray(ch) || cJSON_GetArraySize(ch) != 1)
    return bon_errf(err, "%s:%zu: field \"chosen\": expected a list of one "
                         "string (rows with several chosen answers are not "
                         "one correct against k)", r->name, line);
  if(!cJSON_IsArray(rj) || !cJSON_GetArraySize(rj))
    return bon_errf(err, "%s:%zu: field \"rejected\": expected a non-empty "
                         "list of strings", r->name, line);
  if(add_row_text(r, p, 1, ch->child, "chosen", line, err))
    return -1;
  const cJSON *v;
  cJSON_ArrayForEach(v, rj) if(add_row_text(r, p, 0, v, "rejected", line,
                                            err))
    return -1;
  return 0;
}

static int rec_candidates(struct reader *r, const cJSON *rec, size_t line,
                          struct bon_err *err)
{
  char pid[128];
  const char *q = str_field(r, rec, "question", line, err);
  if(!q || id_field(r, rec, "problem_id", line, pid, sizeof(pid), err))
    return -1;
  const cJSON *cv = cJSON_GetObjectItemCaseSensitive(rec, "correct");
  int correct;
  if(cJSON_IsBool(cv))
    correct = cJSON_IsTrue(cv);
  else if(cJSON_IsNumber(cv) && (cv->valuedouble == 0 ||
                                 cv->valuedouble == 1))
    correct = cv->valuedouble == 1;
  else
    return bon_errf(err, "%s:%zu: field \"correct\": expected true/false "
                         "or 1/0", r->name, line);
  const cJSON *src = cJSON_GetObjectItemCaseSensitive(rec, "source");
  if(src && !cJSON_IsString(src))
    return bon_errf(err, "%s:%zu: field \"source\": expected a string",
                    r->name, line);
  int has_steps = cJSON_GetObjectItemCaseSensitive(rec, "steps") != NULL;
  if(has_steps == (cJSON_GetObjectItemCaseSensitive(rec, "response") != NULL))
    return bon_errf(err, "%s:%zu: expected exactly one of \"response\" (a "
                         "string) and \"steps\" (a list)", r->name, line);
  const char *key = has_steps ? "steps" : "response";
  if(has_steps != cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(rec, key)))
    return bon_errf(err, "%s:%zu: field \"%s\": expected %s", r->name, line,
                    key, has_steps ? "a list of steps" : "a string");
  struct ingest_text sol;
  size_t p;
  if(text_field(r, rec, key, line, &sol, err) ||
     problem_of(r, pid, q, line, &p, err)) {
    text_free(&sol);
    return -1;
  }
  return add_cand(r, p, correct, src ? src->valuestring : "", &sol, line,
                  err);
}

static int on_record(void *ctx, const cJSON *rec, size_t line, size_t index,
                     struct bon_err *err)
{
  (void)index;
  struct reader *r = ctx;
  switch(r->o->format) {
  case INGEST_REWARDMATH: return rec_rewardmath(r, rec, line, err) ? -1 : 0;
  case INGEST_REWARDMATH_PAIRWISE:
    return rec_pairwise(r, rec, line, err) ? -1 : 0;
  case INGEST_REWARDBENCH:
    return rec_rewardbench(r, rec, line, 0, err) ? -1 : 0;
  case INGEST_REWARDBENCH2:
    return rec_rewardbench(r, rec, line, 1, err) ? -1 : 0;
  default: return rec_candidates(r, rec, line, err) ? -1 : 0;
  }
}

/* The correct solution of a comparison. */
static const struct ingest_text *pair_correct(const struct ingest_pair *p)
{
  return p->correct_is_a ? &p->a : &p->b;
}

static int same_text(const struct ingest_text *x,
                     const struct ingest_text *y)
{
  if(strcmp(x->text, y->text) || x->nsteps != y->nsteps)
    return 0;
  for(size_t i = 0; i < x->nsteps; i++)
    if(strcmp(x->steps[i], y->steps[i]))
      return 0;
  return 1;
}

/* Pairwise: every comparison of a problem shows the same correct
 * solution (it is one candidate, against k incorrect ones). */
static int check_pairs(const struct reader *r, struct bon_err *err)
{
  const struct ingest_bench *b = r->b;
  size_t *first = xcalloc(b->nproblems ? b->nproblems : 1, sizeof(*first));
  int rc = 0;
  for(size_t i = 0; i < b->npairs && !rc; i++) {
    const struct ingest_pair *p = &b->pairs[i];
    if(!first[p->problem]) {
      first[p->problem] = i + 1;
      continue;
    }
    const struct ingest_pair *f = &b->pairs[first[p->problem] - 1];
    if(!same_text(pair_correct(p), pair_correct(f)))
      rc = bon_errf(err, "%s:%zu: field \"eval_solution_%s\": the correct "
                         "solution of problem \"%s\" differs from the one "
                         "at line %zu (every comparison of a problem shows "
                         "the same correct solution)", r->name, p->line,
                    p->correct_is_a ? "A" : "B", b->problems[p->problem].id,
                    f->line);
  }
  free(first);
  return rc;
}

/* Every problem: one correct candidate and at least one incorrect one. */
static int check_problems(const struct reader *r, struct bon_err *err)
{
  const struct ingest_bench *b = r->b;
  if(!b->nproblems)
    return bon_errf(err, "%s: no candidates%s", r->name,
                    b->skipped ? " in the subsets asked for" : "");
  for(size_t i = 0; i < b->nproblems; i++) {
    if(!r->ncorrect[i])
      return bon_errf(err, "%s:%zu: problem \"%s\" has no correct "
                           "candidate", r->name, r->first_line[i],
                      b->problems[i].id);
    if(!r->nwrong[i])
      return bon_errf(err, "%s:%zu: problem \"%s\" has no incorrect "
                           "candidate%s", r->name, r->first_line[i],
                      b->problems[i].id,
                      b->excluded ? " left after exclude_sources" : "");
  }
  return b->format == INGEST_REWARDMATH_PAIRWISE ? check_pairs(r, err) : 0;
}

int ingest_bench_read(const char *text, size_t len, const char *name,
                      const struct ingest_bench_opts *o,
                      struct ingest_bench *b, struct bon_err *err)
{
  struct reader r;
  memset(&r, 0, sizeof(r));
  memset(b, 0, sizeof(*b));
  b->format = o->format;
  r.o = o;
  r.name = name;
  r.b = b;
  int rc = ingest_records(text, len, name, on_record, &r, err);
  if(!rc)
    rc = check_problems(&r, err);
  u64map_free(&r.ids);
  free(r.ncorrect);
  free(r.nwrong);
  free(r.first_line);
  if(rc)
    ingest_bench_free(b);
  return rc;
}

void ingest_bench_free(struct ingest_bench *b)
{
  for(size_t i = 0; i < b->nproblems; i++) {
    free(b->problems[i].id);
    free(b->problems[i].question);
  }
  for(size_t i = 0; i < b->ncands; i++) {
    free(b->cands[i].source);
    text_free(&b->cands[i].sol);
  }
  for(size_t i = 0; i < b->npairs; i++) {
    free(b->pairs[i].source);
    text_free(&b->pairs[i].a);
    text_free(&b->pairs[i].b);
  }
  free(b->problems);
  free(b->cands);
  free(b->pairs);
  memset(b, 0, sizeof(*b));
}

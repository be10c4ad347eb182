/* completions.c - completions drawn elsewhere (completions.h). */
#include "ingest/completions.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/records.h"

static const char *const id_names[] = {"problem_id", "unique_id", "id",
                                       "idx", NULL};
static const char *const text_names[] = {"text", "completion", "response",
                                         "output", NULL};
static const char *const sample_names[] = {"sample", "sample_index",
                                           "sample_id", NULL};
static const char *const seed_names[] = {"seed", NULL};

/* 2^53: the largest integer a JSON number carries exactly through cJSON. */
#define EXACT_MAX 9007199254740992.0

struct reader {
  const struct ingest_completion_opts *o;
  const char *name;
  const char *idk, *tk, *sk, *seedk;   /* resolved from the first record */
  struct ingest_completion *c;
  size_t n, cap;
};

/* The keys, from the options or the first record: id and text must be
 * there; a sample index or a seed may be absent from the whole file. */
static int resolve(struct reader *r, const cJSON *rec, size_t line,
                   struct bon_err *err)
{
  const struct ingest_completion_opts *o = r->o;
  r->idk = o && o->id_key ? o->id_key : ingest_find_key(rec, id_names);
  r->tk = o && o->text_key ? o->text_key : ingest_find_key(rec, text_names);
  r->sk = o && o->sample_key ? o->sample_key
                             : ingest_find_key(rec, sample_names);
  r->seedk = o && o->seed_key ? o->seed_key
                              : ingest_find_key(rec, seed_names);
  if(!r->idk)
    return bon_errf(err, "%s:%zu: no problem id field (looked for "
                         "\"problem_id\", \"unique_id\", \"id\" and \"idx\"; "
                         "set the key)", r->name, line);
  if(!r->tk)
    return bon_errf(err, "%s:%zu: no completion text field (looked for "
                         "\"text\", \"completion\", \"response\" and "
                         "\"output\"; set the key)", r->name, line);
  return 0;
}

/* An integer from 0 to 2^53 at key (required: a resolved key is in every
 * record).  0, or -1 and err. */
static int count_field(const struct reader *r, const cJSON *rec,
                       const char *key, const char *what, size_t line,
                       double *out, struct bon_err *err)
{
  const cJSON *v = ingest_path(rec, key);
  if(!v)
    return bon_errf(err, "%s:%zu: %s field \"%s\" is missing (the first "
                         "record has one, so every record needs one)",
                    r->name, line, what, key);
  double d = cJSON_IsNumber(v) ? v->valuedouble : -1;
  if(!(d >= 0 && d <= EXACT_MAX && d == floor(d)))
    return bon_errf(err, "%s:%zu: %s field \"%s\": expected an integer from "
                         "0 to 2^53, got %s", r->name, line, what, key,
                    cJSON_IsNumber(v) ? "another number" :
                    cJSON_IsString(v) ? "a string" : "another value");
  *out = d;
  return 0;
}

static char *id_field(const struct reader *r, const cJSON *rec, size_t line,
                      struct bon_err *err)
{
  const cJSON *v = ingest_path(rec, r->idk);
  char buf[512];
  if(!v) {
    bon_errf(err, "%s:%zu: problem id field \"%s\" is missing", r->name,
             line, r->idk);
    return NULL;
  }
  if((!cJSON_IsString(v) && !cJSON_IsNumber(v)) ||
     ingest_scalar(v, buf, sizeof(buf)) || !buf[0]) {
    bon_errf(err, "%s:%zu: problem id field \"%s\": expected a non-empty "
                  "string or a number", r->name, line, r->idk);
    return NULL;
  }
  if(cJSON_IsString(v) && strlen(v->valuestring) >= sizeof(buf)) {
    bon_errf(err, "%s:%zu: problem id field \"%s\": longer than %zu bytes",
             r->name, line, r->idk, sizeof(buf) - 1);
    return NULL;
  }
  return xstrdup(buf);
}

/* An optional string field: NULL when absent or null. */
static int opt_str(const struct reader *r, const cJSON *rec, const char *key,
                   size_t line, char **out, struct bon_err *err)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
  *out = NULL;
  if(!v || cJSON_IsNull(v))
    return 0;
  if(!cJSON_IsString(v))
    return bon_errf(err, "%s:%zu: field \"%s\" is not a string", r->name,
                    line, key);
  *out = xstrdup(v->valuestring);
  return 0;
}

/* reasoning, finish_reason and completion_tokens, when the record has
 * them (the names of a run's samples.jsonl). */
static int extras(const struct reader *r, const cJSON *rec, size_t line,
                  struct ingest_completion *c, struct bon_err *err)
{
  double d;
  c->completion_tokens = -1;
  const cJSON *n = cJSON_GetObjectItemCaseSensitive(rec, "completion_tokens");
  if(n && !cJSON_IsNull(n)) {
    if(count_field(r, rec, "completion_tokens", "token count", line, &d,
                   err))
      return -1;
    c->completion_tokens = (long)d;
  }
  if(opt_str(r, rec, "reasoning", line, &c->reasoning, err) ||
     opt_str(r, rec, "finish_reason", line, &c->finish_reason, err)) {
    free(c->reasoning);
    c->reasoning = NULL;
    return -1;
  }
  return 0;
}

static int on_record(void *ctx, const cJSON *rec, size_t line, size_t index,
                     struct bon_err *err)
{
  struct reader *r = ctx;
  if(index == 0 && resolve(r, rec, line, err))
    return -1;
  struct ingest_completion c;
  memset(&c, 0, sizeof(c));
  c.line = line;
  c.sample = -1;
  const cJSON *t = ingest_path(rec, r->tk);
  if(!cJSON_IsString(t))
    return bon_errf(err, "%s:%zu: text field \"%s\" is %s", r->name, line,
                    r->tk, t ? "not a string" : "missing");
  double d;
  if(r->sk) {
    if(count_field(r, rec, r->sk, "sample index", line, &d, err))
      return -1;
    c.sample = (long long)d;
  }
  if(r->seedk) {
    if(count_field(r, rec, r->seedk, "seed", line, &d, err))
      return -1;
    c.has_seed = 1;
    c.seed = (uint64_t)d;
  }
  if(!(c.problem_id = id_field(r, rec, line, err)))
    return -1;
  if(extras(r, rec, line, &c, err)) {
    free(c.problem_id);
    return -1;
  }
  c.text = xstrdup(t->valuestring);
  if(r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 256;
    r->c = xrealloc(r->c, r->cap * sizeof(*r->c));
  }
  r->c[r->n++] = c;
  return 0;
}

static int cmp_completion(const void *a, const void *b)
{
  const struct ingest_completion *x = a, *y = b;
  int c = strcmp(x->problem_id, y->problem_id);
  if(c)
    return c;
  if(x->sample != y->sample)
    return x->sample < y->sample ? -1 : 1;
  return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort, rank within each problem, count problems; two completions of a
 * problem with one sample index are an error. */
static int organise(struct reader *r, struct ingest_completions *out,
                    struct bon_err *err)
{
  qsort(r->c, r->n, sizeof(*r->c), cmp_completion);
  size_t problems = 0;
  for(size_t i = 0; i < r->n; i++) {
    struct ingest_completion *c = &r->c[i];
    int same = i && !strcmp(c[-1].problem_id, c->problem_id);
    if(same && c->sample >= 0 && c[-1].sample == c->sample)
      return bon_errf(err, "%s:%zu: problem \"%s\" has sample %lld twice "
                           "(lines %zu and %zu): keep one", r->name,
                      c->line, c->problem_id, c->sample, c[-1].line,
                      c->line);
    c->rank = same ? c[-1].rank + 1 : 0;
    problems += !same;
  }
  out->c = r->c;
  out->n = r->n;
  out->nproblems = problems;
  return 0;
}

int ingest_completions_read(const char *text, size_t len, const char *name,
                            const struct ingest_completion_opts *o,
                            struct ingest_completions *out,
                            struct bon_err *err)
{
  struct reader r;
  memset(&r, 0, sizeof(r));
  memset(out, 0, sizeof(*out));
  r.o = o;
  r.name = name;
  int rc = ingest_records(text, len, name, on_record, &r, err);
  if(!rc && !r.n)
    rc = bon_errf(err, "%s: no completions in the file", name);
  if(!rc)
    rc = organise(&r, out, err);
  if(rc) {
    struct ingest_completions tmp = {r.c, r.n, 0};
    ingest_completions_free(&tmp);
    memset(out, 0, sizeof(*out));
    return -1;
  }
  return 0;
}

size_t ingest_completions_find(const struct ingest_completions *s,
                               const char *problem_id, size_t *first)
{
  size_t lo = 0, hi = s->n;
  while(lo < hi) {    /* the first completion whose id is >= problem_id */
    size_t mid = lo + (hi - lo) / 2;
    if(strcmp(s->c[mid].problem_id, problem_id) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  *first = lo;
  size_t n = 0;
  while(lo + n < s->n && !strcmp(s->c[lo + n].problem_id, problem_id))
    n++;
  return n;
}

void ingest_completions_free(struct ingest_completions *s)
{
  if(!s)
    return;
  for(size_t i = 0; i < s->n; i++) {
    free(s->c[i].problem_id);
    free(s->c[i].text);
    free(s->c[i].reasoning);
    free(s->c[i].finish_reason);
  }
  free(s->c);
  memset(s, 0, sizeof(*s));
}

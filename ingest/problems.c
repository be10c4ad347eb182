/* problems.c - problem sets from data files (problems.h). */
#include "ingest/problems.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/records.h"

static const char *const question_names[] = {"problem", "question", NULL};
static const char *const answer_names[] = {"answer", "ground_truth", NULL};
static const char *const id_names[] = {"unique_id", "id", "idx", NULL};

struct reader {
  const struct ingest_problem_opts *o;
  const char *name;
  const char *qk, *ak, *idk;   /* resolved from the first record */
  int resolved;
  struct ingest_problem *ps;
  size_t n, cap;
};

int ingest_filter_check(const cJSON *filter, struct bon_err *err)
{
  if(!filter)
    return 0;
  if(!cJSON_IsObject(filter))
    return bon_errf(err, "expected an object of field: value");
  const cJSON *f;
  char tmp[8];
  cJSON_ArrayForEach(f, filter) {
    if(cJSON_IsArray(f)) {
      if(!cJSON_GetArraySize(f))
        return bon_errf(err, "%s: an empty list matches nothing", f->string);
      const cJSON *e;
      cJSON_ArrayForEach(e, f) if(ingest_scalar(e, tmp, sizeof(tmp)))
        return bon_errf(err, "%s: list values must be strings, numbers or "
                             "booleans", f->string);
    }
    else if(ingest_scalar(f, tmp, sizeof(tmp)))
      return bon_errf(err, "%s: expected a string, number, boolean or a "
                           "list of them", f->string);
  }
  return 0;
}

static int same(const cJSON *want, const char *have)
{
  char w[512];
  return !ingest_scalar(want, w, sizeof(w)) && !strcmp(w, have);
}

int ingest_filter_match(const cJSON *filter, const cJSON *rec)
{
  const cJSON *f;
  cJSON_ArrayForEach(f, filter) {
    char have[512];
    if(ingest_scalar(ingest_path(rec, f->string), have, sizeof(have)))
      return 0;
    int hit = 0;
    if(cJSON_IsArray(f)) {
      const cJSON *e;
      cJSON_ArrayForEach(e, f) hit |= same(e, have);
    }
    else
      hit = same(f, have);
    if(!hit)
      return 0;
  }
  return 1;
}

/* Resolve the three keys from the first record kept. */
static int resolve(struct reader *r, const cJSON *rec, size_t line,
                   struct bon_err *err)
{
  const struct ingest_problem_opts *o = r->o;
  r->qk = o->question_key ? o->question_key
                          : ingest_find_key(rec, question_names);
  r->ak = o->answer_key ? o->answer_key : ingest_find_key(rec, answer_names);
  r->idk = o->id_key ? o->id_key : ingest_find_key(rec, id_names);
  if(!r->qk)
    return bon_errf(err, "%s:%zu: no question field (looked for "
                         "\"problem\" and \"question\"; set the key)",
                    r->name, line);
  if(!r->ak)
    return bon_errf(err, "%s:%zu: no reference answer field (looked for "
                         "\"answer\" and \"ground_truth\"; set the key)",
                    r->name, line);
  r->resolved = 1;
  return 0;
}

/* A required text field: a non-empty string, or a number. */
static char *text_field(const struct reader *r, const cJSON *rec,
                        const char *key, const char *what, size_t line,
                        struct bon_err *err)
{
  const cJSON *v = ingest_path(rec, key);
  char num[64];
  const char *s = NULL;
  if(cJSON_IsString(v))
    s = v->valuestring;
  else if(cJSON_IsNumber(v) && !ingest_scalar(v, num, sizeof(num)))
    s = num;
  if(!s) {
    bon_errf(err, "%s:%zu: %s field \"%s\" is %s", r->name, line, what, key,
             v ? "not a string" : "missing");
    return NULL;
  }
  const char *t = s;
  while(*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
    t++;
  if(!*t) {
    bon_errf(err, "%s:%zu: %s field \"%s\" is empty", r->name, line, what,
             key);
    return NULL;
  }
  return xstrdup(s);
}

static char *id_field(const struct reader *r, const cJSON *rec, size_t line,
                      struct bon_err *err)
{
  char buf[128];
  const cJSON *v = r->idk ? ingest_path(rec, r->idk) : NULL;
  int rc = ingest_id(v, r->name, line, "problem id", buf, sizeof(buf), err);
  if(rc < 0)
    return NULL;
  if(rc > 0)
    snprintf(buf, sizeof(buf), "line-%zu", line);
  return xstrdup(buf);
}

static int on_record(void *ctx, const cJSON *rec, size_t line, size_t index,
                     struct bon_err *err)
{
  (void)index;
  struct reader *r = ctx;
  const struct ingest_problem_opts *o = r->o;
  if(o->filter && !ingest_filter_match(o->filter, rec))
    return 0;
  if(o->limit && r->n >= o->limit)
    return 1;
  if(!r->resolved && resolve(r, rec, line, err))
    return -1;
  struct ingest_problem p = {NULL, NULL, NULL, NULL};
  if(!(p.question = text_field(r, rec, r->qk, "question", line, err)) ||
     !(p.answer = text_field(r, rec, r->ak, "reference answer", line,
                             err)) ||
     !(p.id = id_field(r, rec, line, err))) {
    free(p.question);
    free(p.answer);
    return -1;
  }
  p.groups = xcalloc(o->ngroups ? o->ngroups : 1, sizeof(char *));
  for(size_t g = 0; g < o->ngroups; g++) {
    char buf[256];
    if(ingest_scalar(ingest_path(rec, o->group_keys[g]), buf, sizeof(buf)))
      snprintf(buf, sizeof(buf), "%s", INGEST_GROUP_MISSING);
    p.groups[g] = xstrdup(buf);
  }
  if(r->n == r->cap) {
    r->cap = r->cap ? r->cap * 2 : 64;
    r->ps = xrealloc(r->ps, r->cap * sizeof(*r->ps));
  }
  r->ps[r->n++] = p;
  return 0;
}

static int cmp_id(const void *a, const void *b)
{
  return strcmp((*(const struct ingest_problem *const *)a)->id,
                (*(const struct ingest_problem *const *)b)->id);
}

/* Ids must be unique: they key every record of the run. */
static int check_unique(const struct reader *r, struct bon_err *err)
{
  if(r->n < 2)
    return 0;
  const struct ingest_problem **by = xcalloc(r->n, sizeof(*by));
  for(size_t i = 0; i < r->n; i++)
    by[i] = &r->ps[i];
  qsort(by, r->n, sizeof(*by), cmp_id);
  int rc = 0;
  for(size_t i = 1; i < r->n && !rc; i++)
    if(!strcmp(by[i - 1]->id, by[i]->id))
      rc = bon_errf(err, "%s: problem id \"%s\" appears twice (ids must be "
                         "unique: set the id key to a unique field)",
                    r->name, by[i]->id);
  free(by);
  return rc;
}

int ingest_problems(const char *text, size_t len, const char *name,
                    const struct ingest_problem_opts *o,
                    struct ingest_problem **out, size_t *n,
                    struct bon_err *err)
{
  struct reader r;
  memset(&r, 0, sizeof(r));
  r.o = o;
  r.name = name;
  *out = NULL;
  *n = 0;
  if(ingest_filter_check(o->filter, err))
    return bon_err_prefix(err, "%s: filter", name);
  int rc = ingest_records(text, len, name, on_record, &r, err);
  if(!rc && !r.n)
    rc = bon_errf(err, "%s: no problems%s", name,
                  o->filter ? " match the filter" : " in the file");
  if(!rc)
    rc = check_unique(&r, err);
  if(rc) {
    ingest_problems_free(r.ps, r.n, o->ngroups);
    return -1;
  }
  *out = r.ps;
  *n = r.n;
  return 0;
}

void ingest_problems_free(struct ingest_problem *p, size_t n,
                          size_t ngroups)
{
  if(!p)
    return;
  for(size_t i = 0; i < n; i++) {
    free(p[i].id);
    free(p[i].question);
    free(p[i].answer);
    for(size_t g = 0; g < ngroups; g++)
      free(p[i].groups[g]);
    free(p[i].groups);
  }
  free(p);
}

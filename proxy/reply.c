/* reply.c - inputs of process RMs and the replies of RM servers
 * (reply.h). */
#include "proxy/reply.h"

#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "net/openai.h"
#include "stats/steps.h"

int proxy_http_aggregate(const char *how, const double *v, size_t n,
                         double *out)
{
  enum stats_step_agg a;
  if(stats_step_agg_parse(how, &a, NULL) < 0 ||
     stats_steps_check(a, v, n, NULL) < 0)
    return -1;
  *out = stats_step_aggregate(a, v, n);
  return 0;
}

int proxy_http_blank(const char *s, size_t n)
{
  for(size_t i = 0; i < n; i++)
    if(!isspace((unsigned char)s[i]))
      return 0;
  return 1;
}

/* Append [s, s+n) trimmed of whitespace and then the tag: 1, or 0 when
 * nothing is left. */
static size_t put_step(const char *s, size_t n, const char *tag,
                       struct buf *out)
{
  while(n && isspace((unsigned char)*s)) {
    s++;
    n--;
  }
  while(n && isspace((unsigned char)s[n - 1]))
    n--;
  if(!n)
    return 0;
  if(out) {
    buf_append(out, s, n);
    buf_puts(out, tag);
  }
  return 1;
}

size_t proxy_http_tag_steps(const char *const *steps, size_t n,
                            const char *tag, struct buf *out)
{
  size_t count = 0;
  for(size_t i = 0; i < n; i++)
    count += put_step(steps[i], strlen(steps[i]), tag, out);
  return count;
}

size_t proxy_http_join_steps(const char *response, const char *split,
                             const char *tag, struct buf *out)
{
  int lines = !strcmp(split, "\n");
  size_t count = 0;
  const char *step = response;   /* start of the step being built */
  const char *p = response;
  for(;;) {
    const char *nl = strchr(p, '\n');
    const char *end = nl ? nl : p + strlen(p);
    if(lines) {
      count += put_step(p, (size_t)(end - p), tag, out);
      step = nl ? nl + 1 : end;
    }
    else if(proxy_http_blank(p, (size_t)(end - p))) {
      /* a blank line ends the step before it */
      count += put_step(step, (size_t)(p - step), tag, out);
      step = nl ? nl + 1 : end;
    }
    if(!nl)
      break;
    p = nl + 1;
  }
  count += put_step(step, strlen(step), tag, out);
  return count;
}

int proxy_http_expect_steps(struct proxy_http_out *o, size_t want,
                            const char *tag)
{
  if(want && (o->error || o->nsteps == want))
    return 0;
  char m[300];
  if(!want)
    snprintf(m, sizeof(m), "the response has no steps (nothing but "
             "whitespace): a PRM cannot score it");
  else
    snprintf(m, sizeof(m), "the PRM returned %zu step outputs for %zu "
             "steps sent: is step_tag \"%.40s\" the PRM's step token, and "
             "is it absent from the template and question?", o->nsteps,
             want, tag);
  free(o->steps);
  free(o->error);
  o->steps = NULL;
  o->nsteps = 0;
  o->error = xstrdup(m);
  return -1;
}

/* The first group of the first (or last) match of regex in text, copied
 * into buf (truncated to size).  0, or -1 and err naming `what` ("judge
 * rating") when nothing matches. */
static int find_group(const char *text, const char *regex, int last,
                      const char *what, char *buf, size_t size,
                      struct bon_err *err)
{
  regex_t re;
  if(regcomp(&re, regex, REG_EXTENDED) != 0)
    return bon_errf(err, "rating_regex \"%s\" does not compile", regex);
  if(re.re_nsub < 1) {
    regfree(&re);
    return bon_errf(err, "rating_regex \"%s\" has no group", regex);
  }
  regmatch_t m[2], best[2];
  int found = 0;
  const char *p = text;
  while(*p && regexec(&re, p, 2, m, p == text ? 0 : REG_NOTBOL) == 0) {
    if(m[1].rm_so >= 0) {
      best[0].rm_so = m[1].rm_so + (p - text);
      best[0].rm_eo = m[1].rm_eo + (p - text);
      found = 1;
      if(!last)
        break;
    }
    p += m[0].rm_eo > m[0].rm_so ? m[0].rm_eo : m[0].rm_so + 1;
  }
  regfree(&re);
  if(!found) {
    size_t n = strlen(text);
    return bon_errf(err, "unparsable %s (no match of the pattern) in "
                         "reply ending \"%.80s\"", what,
                    text + (n > 80 ? n - 80 : 0));
  }
  size_t n = (size_t)(best[0].rm_eo - best[0].rm_so);
  if(n >= size)
    n = size - 1;
  memcpy(buf, text + best[0].rm_so, n);
  buf[n] = '\0';
  return 0;
}

int proxy_http_rating(const char *text, const char *regex, int last,
                      double *out, struct bon_err *err)
{
  char num[64];
  if(find_group(text, regex, last, "judge rating", num, sizeof(num), err))
    return -1;
  char *end;
  double v = strtod(num, &end);
  if(end == num || *end || !isfinite(v))
    return bon_errf(err, "unparsable judge rating \"%s\"", num);
  *out = v;
  return 0;
}

int proxy_http_verdict(const char *text, const char *regex, int last,
                       double *out, struct bon_err *err)
{
  char v[64];
  if(find_group(text, regex, last, "pairwise verdict", v, sizeof(v), err))
    return -1;
  if(strcmp(v, "A") && strcmp(v, "B"))
    return bon_errf(err, "unparsable pairwise verdict \"%s\" (expected A "
                         "or B)", v);
  *out = !strcmp(v, "A");
  return 0;
}

void proxy_http_out_free(struct proxy_http_out *o, size_t n)
{
  for(size_t i = 0; i < n; i++) {
    free(o[i].steps);
    free(o[i].error);
    o[i].steps = NULL;
    o[i].error = NULL;
  }
}

static const cJSON *pick(const cJSON *row, int label)
{
  int n = cJSON_GetArraySize(row);
  int i = label < 0 ? n - 1 : label;
  return i >= 0 && i < n ? cJSON_GetArrayItem(row, i) : NULL;
}

static void set_err(struct proxy_http_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* o's per-item error, formatted. */
static void set_err(struct proxy_http_out *o, const char *fmt, ...)
{
  char m[200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(m, sizeof(m), fmt, ap);
  va_end(ap);
  o->error = xstrdup(m);
}

/* The score of an item from its steps, folded by aggregation agg (a name
 * the config check accepted); a step the aggregation cannot take (outside
 * [0,1] for prod, gmean, mean_logit, mean_odds) is the item's error. */
static void fold_steps(const char *agg, const double *st, size_t n,
                       struct proxy_http_out *o)
{
  struct bon_err e;
  enum stats_step_agg a;
  if(stats_step_agg_parse(agg, &a, &e) < 0 ||
     stats_steps_check(a, st, n, &e) < 0) {
    o->error = xstrdup(e.msg);
    return;
  }
  o->score = stats_step_aggregate(a, st, n);
}

/* data[i].probs / data[i].data for vLLM, in index order. */
static int parse_vllm(const cJSON *j, size_t n, int pooling, int label,
                      int steps, const char *agg, struct proxy_http_out *out,
                      struct bon_err *err)
{
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(j, "data");
  if(!cJSON_IsArray(data))
    return bon_errf(err, "no \"data\" array in the answer");
  const cJSON **by = xcalloc(n ? n : 1, sizeof(*by));
  size_t have = 0;
  for(const cJSON *d = data->child; d; d = d->next) {
    const cJSON *ix = cJSON_GetObjectItemCaseSensitive(d, "index");
    if(!cJSON_IsNumber(ix) || ix->valuedouble < 0 ||
       ix->valuedouble >= (double)n || ix->valuedouble != ix->valueint ||
       by[ix->valueint]) {
      free(by);
      return bon_errf(err, "data entry with a bad or repeated index");
    }
    by[ix->valueint] = cJSON_GetObjectItemCaseSensitive(
        d, pooling ? "data" : "probs");
    if(!cJSON_IsArray(by[ix->valueint])) {
      free(by);
      return bon_errf(err, "data[%d] has no %s array", ix->valueint,
                      pooling ? "data" : "probs");
    }
    have++;
  }
  if(have != n) {
    free(by);
    return bon_errf(err, "expected %zu results, got %zu", n, have);
  }
  for(size_t i = 0; i < n; i++) {
    const cJSON *a = by[i];
    out[i].steps = NULL;
    out[i].nsteps = 0;
    out[i].error = NULL;
    int twod = cJSON_IsArray(a->child);
    if(pooling && steps && !twod && a->child) {
      set_err(&out[i], "the output is not one row per step (%d numbers "
              "in a flat list): is the server's pooling STEP?",
              cJSON_GetArraySize(a));
      continue;
    }
    if(!pooling || !twod) {
      const cJSON *v = pick(a, label);
      if(!cJSON_IsNumber(v))
        set_err(&out[i], "no number at column %d of the output", label);
      else
        out[i].score = v->valuedouble;
      continue;
    }
    size_t rows = (size_t)cJSON_GetArraySize(a);
    if(!rows) {
      set_err(&out[i], steps ? "no step outputs (%d rows)"
                             : "empty output (%d rows)", 0);
      continue;
    }
    if(!steps) {
      const cJSON *v = pick(cJSON_GetArrayItem(a, (int)rows - 1), label);
      if(!cJSON_IsNumber(v))
        set_err(&out[i], "no number at column %d of the last row", label);
      else
        out[i].score = v->valuedouble;
      continue;
    }
    double *st = xcalloc(rows, sizeof(*st));
    size_t k = 0;
    for(const cJSON *r = a->child; r; r = r->next, k++) {
      const cJSON *v = pick(r, label);
      if(!cJSON_IsNumber(v))
        break;
      st[k] = v->valuedouble;
    }
    if(k != rows) {
      free(st);
      set_err(&out[i], "step %d has no number at the label column",
              (int)k);
      continue;
    }
    out[i].steps = st;
    out[i].nsteps = rows;
    fold_steps(agg, st, rows, &out[i]);
  }
  free(by);
  return 0;
}

int proxy_http_parse(enum proxy_http_kind kind, const char *body,
                     size_t len, size_t n, int label, int steps,
                     const char *agg, const char *rating_regex,
                     int rating_last, struct proxy_http_out *out,
                     struct bon_err *err)
{
  if(kind == PROXY_HTTP_JUDGE || kind == PROXY_HTTP_PAIR_JUDGE) {
    struct net_completion c;
    if(n != 1)
      return bon_errf(err, "a judge request holds one item");
    if(net_openai_parse(NET_GEN_CHAT, body, len, 1, &c, err))
      return -1;
    /* a reasoning judge's rating is in its final text */
    struct bon_err e;
    memset(&out[0], 0, sizeof(out[0]));
    int bad = kind == PROXY_HTTP_PAIR_JUDGE
        ? proxy_http_verdict(c.text, rating_regex ? rating_regex
                                                  : net_pair_regex,
                             rating_last, &out[0].score, &e)
        : proxy_http_rating(c.text, rating_regex ? rating_regex
                                                 : net_judge_regex,
                            rating_last, &out[0].score, &e);
    if(bad)
      out[0].error = xstrdup(e.msg);
    net_completion_free(&c);
    return 0;
  }
  cJSON *j = cJSON_ParseWithLength(body, len);
  if(!j)
    return bon_errf(err, "response is not valid JSON");
  int rc = 0;
  if(kind == PROXY_HTTP_VLLM_CLASSIFY || kind == PROXY_HTTP_VLLM_POOLING) {
    rc = parse_vllm(j, n, kind == PROXY_HTTP_VLLM_POOLING, label, steps,
                    agg, out, err);
    cJSON_Delete(j);
    return rc;
  }
  if(!cJSON_IsArray(j) || (size_t)cJSON_GetArraySize(j) != n) {
    cJSON_Delete(j);
    return bon_errf(err, "expected a list of %zu results", n);
  }
  size_t i = 0;
  for(const cJSON *e = j->child; e; e = e->next, i++) {
    memset(&out[i], 0, sizeof(out[i]));
    if(kind == PROXY_HTTP_SGLANG) {
      const cJSON *emb = cJSON_GetObjectItemCaseSensitive(e, "embedding");
      const cJSON *v = cJSON_IsArray(emb) ? pick(emb, label) : NULL;
      if(!cJSON_IsNumber(v)) {
        rc = bon_errf(err, "result %zu has no embedding[%d] number", i,
                      label);
        break;
      }
      out[i].score = v->valuedouble;
      continue;
    }
    /* TEI: [{score,label}...] sorted by score; find LABEL_k */
    if(!cJSON_IsArray(e) || !e->child) {
      rc = bon_errf(err, "result %zu is not a list of {score, label}", i);
      break;
    }
    char want[32];
    snprintf(want, sizeof(want), "LABEL_%d", label < 0 ? 0 : label);
    const cJSON *hit = NULL;
    for(const cJSON *s = e->child; s; s = s->next) {
      const cJSON *l = cJSON_GetObjectItemCaseSensitive(s, "label");
      if(cJSON_IsString(l) && !strcmp(l->valuestring, want))
        hit = s;
    }
    if(!hit && !e->child->next)
      hit = e->child;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(hit, "score");
    if(!cJSON_IsNumber(v)) {
      rc = bon_errf(err, "result %zu has no score for %s", i, want);
      break;
    }
    out[i].score = v->valuedouble;
  }
  if(rc)
    proxy_http_out_free(out, i);
  cJSON_Delete(j);
  return rc;
}

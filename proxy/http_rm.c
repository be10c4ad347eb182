#include "proxy/http_rm.h"

#include <ctype.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "net/client.h"
#include "net/netcfg.h"
#include "net/openai.h"
#include "util/cfg.h"
#include "util/hash.h"

static const char *const inputs_vllm[] = {"text", "messages", NULL};
static const char *const inputs_tei[] = {"text", "pair", NULL};
static const char *const poolings[] = {"last", "steps", NULL};
static const char *const aggs[] = {
  "min", "max", "mean", "prod", "sum", "last", "first", "geometric_mean",
  NULL,
};
static const char *const picks[] = {"last", "first", NULL};
static const char *const splits[] = {"\n\n", "\n", NULL};

#define RM_COMMON_FIELDS                                                    \
  {"name", CFG_STRING, 1, NULL, 0, 0, NULL, "the RM's name"},               \
  {"backend", CFG_STRING, 1, NULL, 0, 0, NULL, "the RM backend"},           \
  {"extra", CFG_OBJECT, 0, NULL, 0, 0, NULL,                                \
   "extra fields merged into every request body"},                          \
  NET_CFG_FIELDS

#define RM_TEMPLATE(def)                                                    \
  {"template", CFG_STRING, 0, def, 0, 0, NULL,                              \
   "input text built from {question} and {response}"}

#define RM_MODEL(req)                                                       \
  {"model", CFG_STRING, req, NULL, 0, 0, NULL,                              \
   "model name as the server knows it"}

#define RM_BATCH                                                            \
  {"batch", CFG_INT, 0, "16", 1, 4096, NULL, "inputs per request"}

#define RM_LABEL(def)                                                       \
  {"label", CFG_INT, 0, def, -1, 1e6, NULL,                                 \
   "which output column is the score (-1 = the last)"}

#define END {NULL, 0, 0, NULL, 0, 0, NULL, NULL}

static const struct cfg_field classify_fields[] = {
  RM_COMMON_FIELDS, RM_MODEL(1), RM_TEMPLATE(NET_RM_TEMPLATE_JSON),
  RM_BATCH, RM_LABEL("0"),
  {"input", CFG_STRING, 0, "\"text\"", 0, 0, inputs_vllm,
   "text: send the templated string; messages: send [system?, user, "
   "assistant] and let the server apply the RM's chat template"},
  {"system", CFG_STRING, 0, NULL, 0, 0, NULL, "system message (messages)"},
  {"add_special_tokens", CFG_BOOL, 0, "false", 0, 0, NULL,
   "let the server add BOS to a text input (false: the template has it)"},
  {"use_activation", CFG_BOOL, 0, "false", 0, 0, NULL,
   "false: raw logits; true: sigmoid/softmax as the server applies it"},
  END,
};

static const struct cfg_field pooling_fields[] = {
  RM_COMMON_FIELDS, RM_MODEL(1), RM_TEMPLATE(NET_RM_TEMPLATE_JSON),
  RM_BATCH, RM_LABEL("-1"),
  {"input", CFG_STRING, 0, "\"text\"", 0, 0, inputs_vllm,
   "text or messages (see vllm-classify)"},
  {"system", CFG_STRING, 0, NULL, 0, 0, NULL, "system message (messages)"},
  {"add_special_tokens", CFG_BOOL, 0, "false", 0, 0, NULL,
   "let the server add BOS to a text input"},
  {"use_activation", CFG_BOOL, 0, "false", 0, 0, NULL,
   "false: raw outputs; true: probabilities (usual for PRMs)"},
  {"pooling", CFG_STRING, 0, "\"last\"", 0, 0, poolings,
   "last: the last row is the score; steps: one row per step"},
  {"aggregate", CFG_STRING, 0, "\"min\"", 0, 0, aggs,
   "how step scores fold into one score"},
  {"step_split", CFG_STRING, 0, "\"\\n\\n\"", 0, 0, splits,
   "steps: \"\\n\\n\" cuts the response at blank lines, \"\\n\" at "
   "every line break"},
  {"step_tag", CFG_STRING, 0, "\"" NET_PRM_STEP_TAG "\"", 0, 0, NULL,
   "steps: the PRM's step token, put after every step"},
  {"step_label", CFG_INT, 0, "1", -1, 1e6, NULL,
   "steps: column of each step's output that is the step score (1 = "
   "p_good of [p_bad, p_good]; -1 = the last)"},
  END,
};

static const struct cfg_field sglang_fields[] = {
  RM_COMMON_FIELDS, RM_MODEL(1), RM_TEMPLATE(NET_RM_TEMPLATE_JSON),
  RM_BATCH, RM_LABEL("0"),
  END,
};

static const struct cfg_field tei_fields[] = {
  RM_COMMON_FIELDS, RM_MODEL(0), RM_TEMPLATE(NET_RM_TEMPLATE_JSON),
  RM_BATCH, RM_LABEL("0"),
  {"input", CFG_STRING, 0, "\"text\"", 0, 0, inputs_tei,
   "text: the templated string; pair: [question, response]"},
  {"use_activation", CFG_BOOL, 0, "false", 0, 0, NULL,
   "false sends raw_scores:true"},
  END,
};

static const struct cfg_field judge_fields[] = {
  RM_COMMON_FIELDS, RM_MODEL(1),
  {"template", CFG_STRING, 0, NULL, 0, 0, NULL,
   "user message from {question} and {response} (default: a numbered "
   "single-answer rating prompt)"},
  {"system", CFG_STRING, 0, NULL, 0, 0, NULL,
   "system message (default: rate 1 to 10 as \"Rating: [[5]]\")"},
  {"temperature", CFG_NUMBER, 0, "0", 0, 10, NULL, "judge temperature"},
  {"max_tokens", CFG_INT, 0, "1024", 1, 1e7, NULL, "judge reply length"},
  {"seed", CFG_INT, 0, NULL, 0, 2147483647, NULL,
   "seed sent with every judge request (optional)"},
  {"rating_regex", CFG_STRING, 0, NULL, 0, 0, NULL,
   "POSIX extended regex whose first group is the rating"},
  {"rating_pick", CFG_STRING, 0, "\"last\"", 0, 0, picks,
   "which match counts when there are several"},
  {"rating_min", CFG_NUMBER, 0, NULL, 0, 0, NULL,
   "smallest valid rating (outside: unparsable)"},
  {"rating_max", CFG_NUMBER, 0, NULL, 0, 0, NULL, "largest valid rating"},
  END,
};

/* ---- pure pieces ------------------------------------------------------ */

int proxy_http_aggregate(const char *how, const double *v, size_t n,
                         double *out)
{
  if(!n)
    return -1;
  double r;
  if(!strcmp(how, "min") || !strcmp(how, "max")) {
    r = v[0];
    for(size_t i = 1; i < n; i++)
      r = how[1] == 'i' ? fmin(r, v[i]) : fmax(r, v[i]);
  }
  else if(!strcmp(how, "mean") || !strcmp(how, "sum")) {
    r = 0;
    for(size_t i = 0; i < n; i++)
      r += v[i];
    if(how[1] == 'e')
      r /= (double)n;
  }
  else if(!strcmp(how, "prod")) {
    r = 1;
    for(size_t i = 0; i < n; i++)
      r *= v[i];
  }
  else if(!strcmp(how, "geometric_mean")) {
    r = 0;
    for(size_t i = 0; i < n; i++)
      r += log(v[i]);
    r = exp(r / (double)n);
  }
  else if(!strcmp(how, "last"))
    r = v[n - 1];
  else if(!strcmp(how, "first"))
    r = v[0];
  else
    return -1;
  *out = r;
  return 0;
}

static int blank(const char *s, size_t n)
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
    else if(blank(p, (size_t)(end - p))) {
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

int proxy_http_rating(const char *text, const char *regex, int last,
                      double *out, struct bon_err *err)
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
    return bon_errf(err, "unparsable judge rating (no match of the rating "
                         "pattern) in reply ending \"%.80s\"",
                    text + (n > 80 ? n - 80 : 0));
  }
  char num[64];
  size_t n = (size_t)(best[0].rm_eo - best[0].rm_so);
  if(n >= sizeof(num))
    n = sizeof(num) - 1;
  memcpy(num, text + best[0].rm_so, n);
  num[n] = '\0';
  char *end;
  double v = strtod(num, &end);
  if(end == num || *end || !isfinite(v))
    return bon_errf(err, "unparsable judge rating \"%s\"", num);
  *out = v;
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
    if(proxy_http_aggregate(agg, st, rows, &out[i].score))
      set_err(&out[i], "cannot aggregate %d steps", (int)rows);
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
  if(kind == PROXY_HTTP_JUDGE) {
    char *text = NULL;
    size_t trunc;
    if(n != 1)
      return bon_errf(err, "a judge request holds one item");
    if(net_openai_parse(NET_GEN_CHAT, body, len, 1, &text, &trunc,
                         err))
      return -1;
    struct bon_err e;
    memset(&out[0], 0, sizeof(out[0]));
    if(proxy_http_rating(text, rating_regex ? rating_regex :
                         net_judge_regex, rating_last,
                         &out[0].score, &e))
      out[0].error = xstrdup(e.msg);
    free(text);
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

/* ---- the backend ------------------------------------------------------ */

struct hr {
  enum proxy_http_kind kind;
  char *model;
  char *tmpl;
  char *system;
  int messages, pair;
  int label, steps;
  char *agg;
  char *split, *tag;   /* pooling "steps" */
  int step_label;
  int add_special, use_activation;
  size_t batch;
  /* judge */
  double temperature;
  long long max_tokens;
  long long seed;
  int has_seed;
  char *rx;
  int pick_last;
  int has_min, has_max;
  double rmin, rmax;
  char *extra_json;
  struct net_client *client;
  uint64_t unparsable, item_errors;
};

/* A judge's defaults (template, system message, rating pattern) written
 * into its section, so the resolved config shows what was sent. */
static void judge_defaults(cJSON *sec)
{
  if(!cfg_str(sec, "template"))
    cJSON_AddStringToObject(sec, "template", net_judge_template);
  if(!cfg_str(sec, "system"))
    cJSON_AddStringToObject(sec, "system", net_judge_system);
  if(!cfg_str(sec, "rating_regex"))
    cJSON_AddStringToObject(sec, "rating_regex", net_judge_regex);
}

/* Pooling "steps" (a process RM): the step token, split and label, and
 * the PRM's own system prompt for chat input.  0, or -1 and err. */
static int open_steps(struct hr *h, cJSON *sec, const char *file,
                      const char *path, struct bon_err *err)
{
  const char *tag = cfg_str(sec, "step_tag");
  if(!tag || !*tag || blank(tag, strlen(tag)))
    return bon_errf(err, "%s: %s.step_tag: the step token may not be "
                         "empty (Qwen2.5-Math-PRM: \"%s\")", file, path,
                    net_prm_step_tag);
  h->tag = xstrdup(tag);
  h->split = xstrdup(cfg_str(sec, "step_split"));
  h->step_label = (int)cfg_int(sec, "step_label", 1);
  if(h->messages && !cfg_str(sec, "system")) {
    cJSON_AddStringToObject(sec, "system", net_prm_system);
    free(h->system);
    h->system = xstrdup(net_prm_system);
  }
  if(h->system && !*h->system) {
    free(h->system);
    h->system = NULL;
  }
  return 0;
}

/* A judge's sampling and rating keys.  0, or -1 and err for a rating
 * pattern that does not compile or has no group. */
static int open_judge(struct hr *h, cJSON *sec, const char *file,
                      const char *path, struct bon_err *err)
{
  h->temperature = cfg_num(sec, "temperature", 0);
  h->max_tokens = cfg_int(sec, "max_tokens", 1024);
  h->has_seed = cJSON_GetObjectItemCaseSensitive(sec, "seed") != NULL;
  h->seed = cfg_int(sec, "seed", 0);
  h->pick_last = !cfg_str(sec, "rating_pick") ||
                 !strcmp(cfg_str(sec, "rating_pick"), "last");
  h->has_min = cJSON_GetObjectItemCaseSensitive(sec, "rating_min") != NULL;
  h->has_max = cJSON_GetObjectItemCaseSensitive(sec, "rating_max") != NULL;
  h->rmin = cfg_num(sec, "rating_min", 0);
  h->rmax = cfg_num(sec, "rating_max", 0);
  if(h->kind != PROXY_HTTP_JUDGE)
    return 0;
  const char *rx = cfg_str(sec, "rating_regex");
  regex_t re;
  if(regcomp(&re, rx, REG_EXTENDED) != 0)
    return bon_errf(err, "%s: %s.rating_regex: \"%s\" is not a valid "
                         "POSIX extended regex", file, path, rx);
  size_t groups = re.re_nsub;
  regfree(&re);
  if(groups < 1)
    return bon_errf(err, "%s: %s.rating_regex: needs a (group) around "
                         "the number", file, path);
  h->rx = xstrdup(rx);
  return 0;
}

/* The cache key: every key that can change a score, and no transport
 * key (url, timeouts, api key: net/netcfg.h). */
static char *rm_cache_key(const struct hr *h, const cJSON *sec)
{
  cJSON *k = cJSON_CreateObject();
  static const char *const keyed[] = {
    "backend", "model", "template", "input", "system", "label",
    "add_special_tokens", "use_activation", "pooling", "aggregate",
    "temperature", "max_tokens", "seed", "rating_regex", "rating_pick",
    "rating_min", "rating_max", "extra", NULL,
  };
  /* only PRMs: the cache of an outcome RM stays valid */
  static const char *const keyed_steps[] = {
    "step_split", "step_tag", "step_label", NULL,
  };
  for(int i = 0; keyed[i]; i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, keyed[i]);
    if(v)
      cJSON_AddItemToObject(k, keyed[i], cJSON_Duplicate(v, 1));
  }
  for(int i = 0; h->steps && keyed_steps[i]; i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, keyed_steps[i]);
    if(v)
      cJSON_AddItemToObject(k, keyed_steps[i], cJSON_Duplicate(v, 1));
  }
  char *key = net_json_print(k);
  cJSON_Delete(k);
  return key;
}

/* The HTTP client of the section's url(s) and transport keys. */
static int open_client(struct proxy *p, struct hr *h, cJSON *sec,
                       const char *file, const char *path,
                       struct bon_err *err)
{
  struct net_opts o;
  const char **urls;
  if(net_cfg_opts(sec, file, path, &o, &urls, err))
    return -1;
  o.jitter_seed = hash_str(HASH_INIT, p->name);
  h->client = net_client_new(&o, err);
  free(urls);
  if(!h->client)
    return bon_err_prefix(err, "%s: %s", file, path);
  return 0;
}

static int rm_open(struct proxy *p, cJSON *sec, const char *file,
                   const char *path, struct bon_err *err,
                   enum proxy_http_kind kind,
                   const struct cfg_field *fields)
{
  if(cfg_check(sec, fields, file, path, err))
    return -1;
  struct hr *h = xcalloc(1, sizeof(*h));
  p->state = h;
  h->kind = kind;
  if(kind == PROXY_HTTP_JUDGE)
    judge_defaults(sec);
  const char *model = cfg_str(sec, "model");
  h->model = model ? xstrdup(model) : NULL;
  h->tmpl = xstrdup(cfg_str(sec, "template"));
  const char *sys = cfg_str(sec, "system");
  h->system = sys ? xstrdup(sys) : NULL;
  const char *input = cfg_str(sec, "input");
  h->messages = input && !strcmp(input, "messages");
  h->pair = input && !strcmp(input, "pair");
  if(!h->messages && !h->pair && !strstr(h->tmpl, "{response}"))
    return bon_errf(err, "%s: %s.template: \"%s\" has no {response}", file,
                    path, h->tmpl);
  h->label = (int)cfg_int(sec, "label", 0);
  const char *pool = cfg_str(sec, "pooling");
  h->steps = pool && !strcmp(pool, "steps");
  if(h->steps && open_steps(h, sec, file, path, err))
    return -1;
  h->agg = xstrdup(cfg_str(sec, "aggregate") ? cfg_str(sec, "aggregate")
                                             : "min");
  h->add_special = cfg_bool(sec, "add_special_tokens", 0);
  h->use_activation = cfg_bool(sec, "use_activation", 0);
  h->batch = (size_t)cfg_int(sec, "batch", 1);
  if(h->messages || kind == PROXY_HTTP_JUDGE)
    h->batch = 1;
  if(open_judge(h, sec, file, path, err))
    return -1;
  const cJSON *extra = cJSON_GetObjectItemCaseSensitive(sec, "extra");
  if(extra && extra->child) {
    char *s = net_json_print(extra);
    h->extra_json = xstrndup(s + 1, strlen(s) - 2);
    free(s);
  }
  if(open_client(p, h, sec, file, path, err))
    return -1;
  p->cache_key = rm_cache_key(h, sec);
  struct buf d = BUF_INIT;
  buf_printf(&d, "%s %s (", cfg_str(sec, "backend"),
             h->model ? h->model : "");
  net_cfg_urls(sec, &d);
  buf_puts(&d, ")");
  p->describe = xstrdup(buf_str(&d));
  buf_free(&d);
  return 0;
}

#define OPENER(fn, kind, fields)                                          \
  static int fn(struct proxy *p, cJSON *sec, const char *file,            \
                const char *path, struct bon_err *err)                    \
  {                                                                       \
    return rm_open(p, sec, file, path, err, kind, fields);                \
  }

OPENER(classify_open, PROXY_HTTP_VLLM_CLASSIFY, classify_fields)
OPENER(pooling_open, PROXY_HTTP_VLLM_POOLING, pooling_fields)
OPENER(sglang_open, PROXY_HTTP_SGLANG, sglang_fields)
OPENER(tei_open, PROXY_HTTP_TEI, tei_fields)
OPENER(judge_open, PROXY_HTTP_JUDGE, judge_fields)

static void rm_close(struct proxy *p)
{
  struct hr *h = p->state;
  if(!h)
    return;
  net_client_free(h->client);
  free(h->rx);
  free(h->model);
  free(h->tmpl);
  free(h->system);
  free(h->agg);
  free(h->split);
  free(h->tag);
  free(h->extra_json);
  free(h);
}

struct sc {
  struct hr *h;
  const struct proxy_item *items;
  size_t n, next;
  proxy_sink sink;
  void *ctx;
  struct buf tmp, joined;
  int stopped;
};

/* The item as the RM sees it: a PRM gets its response cut into steps,
 * each followed by the step tag (the buffer holds the text). */
static const struct proxy_item *as_sent(const struct hr *h,
                                        const struct proxy_item *it,
                                        struct proxy_item *tmp,
                                        struct buf *joined)
{
  if(!h->steps)
    return it;
  buf_reset(joined);
  proxy_http_join_steps(it->response, h->split, h->tag, joined);
  *tmp = *it;
  tmp->response = buf_str(joined);
  return tmp;
}

/* Fill {question} and {response} in the RM's template. */
static void fill(const char *tmpl, const struct proxy_item *it,
                 struct buf *out)
{
  struct buf q = BUF_INIT;
  net_openai_fill(tmpl, it->question, NULL, &q);
  /* {response} after {question}: the question cannot inject a marker */
  const char *p = buf_str(&q);
  for(;;) {
    const char *m = strstr(p, "{response}");
    if(!m) {
      buf_puts(out, p);
      break;
    }
    buf_append(out, p, (size_t)(m - p));
    buf_puts(out, it->response);
    p = m + 10;
  }
  buf_free(&q);
}

static void put_messages(struct buf *b, const struct hr *h,
                         const struct proxy_item *it, struct buf *tmp,
                         int judge)
{
  buf_puts(b, ",\"messages\":[");
  if(h->system) {
    buf_puts(b, "{\"role\":\"system\",\"content\":");
    buf_json_str(b, h->system);
    buf_puts(b, "},");
  }
  buf_puts(b, "{\"role\":\"user\",\"content\":");
  if(judge) {
    buf_reset(tmp);
    fill(h->tmpl, it, tmp);
    buf_json_str(b, buf_str(tmp));
    buf_puts(b, "}]");
    return;
  }
  buf_json_str(b, it->question);
  buf_puts(b, "},{\"role\":\"assistant\",\"content\":");
  buf_json_str(b, it->response);
  buf_puts(b, "}]");
}

static int feed(void *ctx, struct net_req *req)
{
  struct sc *s = ctx;
  const struct hr *h = s->h;
  if(s->stopped || s->next >= s->n)
    return 0;
  size_t k = s->n - s->next;
  if(k > h->batch)
    k = h->batch;
  req->first = s->next;
  req->count = k;
  s->next += k;
  const struct proxy_item *it = &s->items[req->first];
  struct buf *b = &req->body;
  buf_putc(b, '{');
  if(h->model) {
    buf_puts(b, "\"model\":");
    buf_json_str(b, h->model);
  }
  switch(h->kind) {
  case PROXY_HTTP_VLLM_CLASSIFY:
  case PROXY_HTTP_VLLM_POOLING:
    req->path = h->kind == PROXY_HTTP_VLLM_CLASSIFY ? "/classify"
                                                    : "/pooling";
    if(h->messages) {
      struct proxy_item one;
      put_messages(b, h, as_sent(h, it, &one, &s->joined), &s->tmp, 0);
      buf_puts(b, ",\"add_generation_prompt\":false");
    }
    else {
      buf_puts(b, ",\"input\":[");
      for(size_t i = 0; i < k; i++) {
        struct proxy_item one;
        buf_reset(&s->tmp);
        fill(h->tmpl, as_sent(h, &it[i], &one, &s->joined), &s->tmp);
        if(i)
          buf_putc(b, ',');
        buf_json_str(b, buf_str(&s->tmp));
      }
      buf_printf(b, "],\"add_special_tokens\":%s",
                 h->add_special ? "true" : "false");
    }
    buf_printf(b, ",\"use_activation\":%s",
               h->use_activation ? "true" : "false");
    break;
  case PROXY_HTTP_SGLANG:
    req->path = "/classify";
    buf_puts(b, ",\"text\":[");
    for(size_t i = 0; i < k; i++) {
      buf_reset(&s->tmp);
      fill(h->tmpl, &it[i], &s->tmp);
      if(i)
        buf_putc(b, ',');
      buf_json_str(b, buf_str(&s->tmp));
    }
    buf_putc(b, ']');
    break;
  case PROXY_HTTP_TEI:
    req->path = "/predict";
    buf_puts(b, h->model ? ",\"inputs\":[" : "\"inputs\":[");
    for(size_t i = 0; i < k; i++) {
      if(i)
        buf_putc(b, ',');
      buf_putc(b, '[');
      if(h->pair) {
        buf_json_str(b, it[i].question);
        buf_putc(b, ',');
        buf_json_str(b, it[i].response);
      }
      else {
        buf_reset(&s->tmp);
        fill(h->tmpl, &it[i], &s->tmp);
        buf_json_str(b, buf_str(&s->tmp));
      }
      buf_putc(b, ']');
    }
    buf_printf(b, "],\"raw_scores\":%s",
               h->use_activation ? "false" : "true");
    break;
  case PROXY_HTTP_JUDGE:
    req->path = "/v1/chat/completions";
    put_messages(b, h, it, &s->tmp, 1);
    buf_printf(b, ",\"temperature\":%.17g,\"max_tokens\":%lld,\"n\":1",
               h->temperature, h->max_tokens);
    if(h->has_seed)
      buf_printf(b, ",\"seed\":%lld", h->seed);
    break;
  }
  if(h->extra_json)
    buf_printf(b, ",%s", h->extra_json);
  buf_putc(b, '}');
  return 1;
}

static int deliver(struct sc *s, const struct proxy_item *it, double score,
                   const double *steps, size_t nsteps, const char *error,
                   int permanent)
{
  if(!s->stopped &&
     s->sink(s->ctx, it, score, steps, nsteps, error, permanent))
    s->stopped = 1;
  return s->stopped;
}

static int done(void *ctx, struct net_req *req, struct net_result *r)
{
  struct sc *s = ctx;
  struct hr *h = s->h;
  size_t k = req->count;
  const struct proxy_item *it = &s->items[req->first];
  if(r->error) {
    for(size_t i = 0; i < k; i++)
      deliver(s, &it[i], NAN, NULL, 0, r->error, r->permanent);
    return s->stopped ? NET_STOP : NET_ACCEPT;
  }
  struct proxy_http_out stack[16];
  struct proxy_http_out *out = k <= 16 ? stack : xcalloc(k, sizeof(*out));
  struct bon_err e;
  if(proxy_http_parse(h->kind, r->body, r->len, k,
                      h->steps ? h->step_label : h->label, h->steps,
                      h->agg, h->rx, h->pick_last, out, &e)) {
    snprintf(r->why, sizeof(r->why), "%.200s", e.msg);
    if(out != stack)
      free(out);
    return NET_RETRY;
  }
  for(size_t i = 0; i < k; i++) {
    if(h->steps)
      proxy_http_expect_steps(&out[i], proxy_http_join_steps(
                                  it[i].response, h->split, h->tag, NULL),
                              h->tag);
    if(h->kind == PROXY_HTTP_JUDGE && !out[i].error &&
       ((h->has_min && out[i].score < h->rmin) ||
        (h->has_max && out[i].score > h->rmax))) {
      char m[160];
      snprintf(m, sizeof(m), "judge rating %.17g outside [%g, %g]",
               out[i].score, h->has_min ? h->rmin : -INFINITY,
               h->has_max ? h->rmax : INFINITY);
      out[i].error = xstrdup(m);
    }
    if(out[i].error) {
      if(h->kind == PROXY_HTTP_JUDGE)
        h->unparsable++;
      else
        h->item_errors++;
      deliver(s, &it[i], NAN, NULL, 0, out[i].error, 1);
    }
    else
      deliver(s, &it[i], out[i].score, out[i].steps, out[i].nsteps, NULL,
              0);
  }
  proxy_http_out_free(out, k);
  if(out != stack)
    free(out);
  return s->stopped ? NET_STOP : NET_ACCEPT;
}

static int rm_score(struct proxy *p, const struct proxy_item *items,
                    size_t n, proxy_sink sink, void *ctx,
                    struct bon_err *err)
{
  struct sc s = {p->state, items, n, 0, sink, ctx, BUF_INIT, BUF_INIT, 0};
  int rc = net_run(s.h->client, feed, done, &s, err);
  buf_free(&s.tmp);
  buf_free(&s.joined);
  return rc;
}

int proxy_http_stats(const struct proxy *p, struct buf *out)
{
  if(!p || (p->backend != &proxy_vllm_classify_backend &&
            p->backend != &proxy_vllm_pooling_backend &&
            p->backend != &proxy_sglang_backend &&
            p->backend != &proxy_tei_backend &&
            p->backend != &proxy_judge_backend))
    return -1;
  const struct hr *h = p->state;
  net_stats_summary(net_client_stats(h->client), out);
  if(h->item_errors)
    buf_printf(out, "; %llu items without a score",
               (unsigned long long)h->item_errors);
  if(h->unparsable)
    buf_printf(out, "; %llu unparsable judge ratings (missing scores)",
               (unsigned long long)h->unparsable);
  return 0;
}

const struct proxy_backend proxy_vllm_classify_backend = {
  "vllm-classify", classify_open, rm_score, rm_close,
};
const struct proxy_backend proxy_vllm_pooling_backend = {
  "vllm-pooling", pooling_open, rm_score, rm_close,
};
const struct proxy_backend proxy_sglang_backend = {
  "sglang", sglang_open, rm_score, rm_close,
};
const struct proxy_backend proxy_tei_backend = {
  "tei", tei_open, rm_score, rm_close,
};
const struct proxy_backend proxy_judge_backend = {
  "judge", judge_open, rm_score, rm_close,
};

#include "policy/http.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "net/client.h"
#include "net/netcfg.h"
#include "net/openai.h"
#include "util/cfg.h"
#include "util/hash.h"
#include "util/notice.h"

static const char *const endpoints[] = {"completions", "chat", NULL};
static const char *const seed_modes[] = {"job", "none", NULL};
static const char *const dialects[] = {
  "generic", "vllm", "llamacpp", "sglang", "openai", "bonrun", NULL,
};

#define POLICY_COMMON_FIELDS                                                \
  {"backend", CFG_STRING, 1, NULL, 0, 0, NULL, "the policy backend"},       \
  {"samples", CFG_INT, 0, "16", 1, 1e6, NULL, "completions per problem, N"},\
  {"model", CFG_STRING, 1, NULL, 0, 0, NULL,                                \
   "model name as the server knows it"},                                    \
  {"template", CFG_STRING, 0, "\"{question}\"", 0, 0, NULL,                 \
   "prompt built from {question} (and {system})"},                          \
  {"system", CFG_STRING, 0, NULL, 0, 0, NULL, "system prompt (optional)"},  \
  {"temperature", CFG_NUMBER, 0, "1.0", 0, 10, NULL,                        \
   "sampling temperature (dialect openai: not sent unless set)"},           \
  {"top_p", CFG_NUMBER, 0, "1.0", 0, 1, NULL,                               \
   "nucleus sampling (dialect openai: not sent unless set)"},               \
  {"top_k", CFG_INT, 0, NULL, -1, 1e6, NULL,                                \
   "top-k (sent only when set; -1 or 0 = off)"},                            \
  {"min_p", CFG_NUMBER, 0, NULL, 0, 1, NULL, "min-p (sent only when set)"}, \
  {"max_tokens", CFG_INT, 0, "1024", 1, 1e7, NULL,                          \
   "most tokens per completion"},                                           \
  {"stop", CFG_ANY, 0, NULL, 0, 0, NULL,                                    \
   "stop string or list of stop strings"},                                  \
  {"logprobs", CFG_INT, 0, "0", 0, 20, NULL,                                \
   "top logprobs to request (0 = none; not stored)"},                       \
  {"seed_mode", CFG_STRING, 0, "\"job\"", 0, 0, seed_modes,                 \
   "job: send each sample's seed; none: send no seed"},                     \
  {"seed_bits", CFG_INT, 0, "31", 16, 63, NULL,                             \
   "seeds are sent modulo 2^seed_bits (31 is exact on every server)"},      \
  {"extra", CFG_OBJECT, 0, NULL, 0, 0, NULL,                                \
   "extra fields merged into every request body (server-specific)"},        \
  NET_CFG_FIELDS

static const struct cfg_field openai_fields[] = {
  POLICY_COMMON_FIELDS,
  {"endpoint", CFG_STRING, 0, "\"completions\"", 0, 0, endpoints,
   "completions: /v1/completions with the templated prompt; chat: "
   "/v1/chat/completions"},
  {"n_per_request", CFG_INT, 0, "1", 1, 1024, NULL,
   "samples of one question per request (needs a dialect where child i "
   "uses seed + i)"},
  {"dialect", CFG_STRING, 0, "\"generic\"", 0, 0, dialects,
   "the server: generic, vllm, llamacpp, sglang, openai, bonrun"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

static const struct cfg_field ollama_fields[] = {
  POLICY_COMMON_FIELDS,
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

struct hp {
  enum net_gen_kind kind;
  char *model;
  char *tmpl;
  char *system;
  double temperature, top_p, min_p;
  long long top_k;
  int has_temperature, has_top_p, has_top_k, has_min_p;
  int openai;          /* dialect openai: max_completion_tokens */
  long long max_tokens;
  char *stop_json;     /* JSON array text, or NULL */
  char *extra_json;    /* "k":v,... (no braces), or NULL */
  int logprobs;
  int send_seed;
  uint64_t seed_mask;
  size_t n_per_request;
  struct net_client *client;
  uint64_t truncated, reasoning;
};

/* ---- open ------------------------------------------------------------- */

static int has_key(const cJSON *sec, const char *key)
{
  return cJSON_GetObjectItemCaseSensitive(sec, key) != NULL;
}

/* Config checks that cfg_check cannot make: the template, stop, the
 * grouping of samples, and what the OpenAI API refuses.  0, or -1 and err
 * naming file and key. */
static int check_section(cJSON *sec, const char *file,
                         struct bon_err *err)
{
  const char *tmpl = cfg_str(sec, "template");
  if(!strstr(tmpl, "{question}"))
    return bon_errf(err, "%s: policy.template: \"%s\" has no {question}",
                    file, tmpl);
  const cJSON *stop = cJSON_GetObjectItemCaseSensitive(sec, "stop");
  if(stop && !cJSON_IsString(stop)) {
    int ok = cJSON_IsArray(stop);
    for(const cJSON *it = ok ? stop->child : NULL; it; it = it->next)
      ok &= cJSON_IsString(it);
    if(!ok)
      return bon_errf(err, "%s: policy.stop: expected a string or a list "
                           "of strings", file);
  }
  long long npr = cfg_int(sec, "n_per_request", 1);
  const char *dialect = cfg_str(sec, "dialect");
  if(npr > 1 && dialect && strcmp(dialect, "vllm") &&
     strcmp(dialect, "llamacpp") && strcmp(dialect, "bonrun"))
    return bon_errf(err, "%s: policy.n_per_request: %lld needs a server "
                         "whose child i uses seed + i: set \"dialect\" to "
                         "vllm, llamacpp (builds from 2026 on) or bonrun, "
                         "or use 1 (one request per sample)", file, npr);
  if(npr > 1 && !strcmp(cfg_str(sec, "seed_mode"), "none"))
    return bon_errf(err, "%s: policy.n_per_request: needs seed_mode "
                         "\"job\"", file);
  static const char *const refused[] = {"top_k", "min_p", NULL};
  for(int i = 0; dialect && !strcmp(dialect, "openai") && refused[i]; i++)
    if(has_key(sec, refused[i]))
      return bon_errf(err, "%s: policy.%s: the OpenAI API refuses %s "
                           "(400 \"Unrecognized request argument\"): "
                           "remove it, or set \"dialect\" to the server "
                           "you use", file, refused[i], refused[i]);
  if(dialect && !strcmp(dialect, "sglang") &&
     !strcmp(cfg_str(sec, "seed_mode"), "job"))
    bon_notice(BON_NOTICE_WARNING, "%s: policy: SGLang's OpenAI-compatible "
               "endpoints ignore \"seed\" (docs/serving.md): samples are "
               "not reproducible per seed, and a rerun draws new ones for "
               "whatever is missing", file);
  return 0;
}

/* Sampling keys into h.  On dialect openai, temperature and top_p are
 * sent only when the config set them (`had_*`: present before
 * cfg_check filled the defaults); their defaults are then taken out of
 * the section so the resolved config and the cache key say so. */
static void read_sampling(struct hp *h, cJSON *sec, int had_temp,
                          int had_top_p)
{
  const char *dialect = cfg_str(sec, "dialect");
  h->openai = dialect && !strcmp(dialect, "openai");
  if(h->openai && !had_temp)
    cJSON_DeleteItemFromObjectCaseSensitive(sec, "temperature");
  if(h->openai && !had_top_p)
    cJSON_DeleteItemFromObjectCaseSensitive(sec, "top_p");
  h->has_temperature = has_key(sec, "temperature");
  h->has_top_p = has_key(sec, "top_p");
  h->temperature = cfg_num(sec, "temperature", 1);
  h->top_p = cfg_num(sec, "top_p", 1);
  h->has_top_k = has_key(sec, "top_k");
  h->top_k = cfg_int(sec, "top_k", -1);
  h->has_min_p = has_key(sec, "min_p");
  h->min_p = cfg_num(sec, "min_p", 0);
  h->max_tokens = cfg_int(sec, "max_tokens", 1024);
  h->logprobs = (int)cfg_int(sec, "logprobs", 0);
  h->send_seed = !strcmp(cfg_str(sec, "seed_mode"), "job");
  int bits = (int)cfg_int(sec, "seed_bits", 31);
  h->seed_mask = (bits >= 64) ? UINT64_MAX : ((1ULL << bits) - 1);
  h->n_per_request = (size_t)cfg_int(sec, "n_per_request", 1);
  const cJSON *stop = cJSON_GetObjectItemCaseSensitive(sec, "stop");
  if(stop) {
    cJSON *arr = cJSON_IsString(stop) ? cJSON_CreateArray() : NULL;
    if(arr)
      cJSON_AddItemToArray(arr, cJSON_CreateString(stop->valuestring));
    h->stop_json = net_json_print(arr ? arr : stop);
    cJSON_Delete(arr);
  }
  const cJSON *extra = cJSON_GetObjectItemCaseSensitive(sec, "extra");
  if(extra && extra->child) {
    char *s = net_json_print(extra);
    size_t n = strlen(s);
    h->extra_json = xstrndup(s + 1, n - 2);  /* strip the braces */
    free(s);
  }
}

/* The cache key (everything that can change a completion, nothing else)
 * and the description for progress lines. */
static void describe(struct policy *p, const struct hp *h, const cJSON *sec)
{
  const char *ep = h->kind == NET_GEN_CHAT ? "chat" :
                   h->kind == NET_GEN_OLLAMA ? "generate" : "completions";
  cJSON *k = cJSON_CreateObject();
  cJSON_AddStringToObject(k, "backend", cfg_str(sec, "backend"));
  cJSON_AddStringToObject(k, "endpoint", ep);
  static const char *const keyed[] = {
    "model", "template", "system", "temperature", "top_p", "top_k", "min_p",
    "max_tokens", "stop", "seed_mode", "seed_bits", "extra", NULL,
  };
  for(int i = 0; keyed[i]; i++) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(sec, keyed[i]);
    if(v)
      cJSON_AddItemToObject(k, keyed[i], cJSON_Duplicate(v, 1));
  }
  p->cache_key = net_json_print(k);
  cJSON_Delete(k);
  struct buf d = BUF_INIT;
  buf_printf(&d, "%s:%s %s (", cfg_str(sec, "backend"), ep, h->model);
  net_cfg_urls(sec, &d);
  buf_puts(&d, ")");
  p->describe = xstrdup(buf_str(&d));
  buf_free(&d);
}

static int http_open(struct policy *p, cJSON *sec, const char *file,
                     struct bon_err *err, enum net_gen_kind kind,
                     const struct cfg_field *fields)
{
  int had_temp = has_key(sec, "temperature");
  int had_top_p = has_key(sec, "top_p");
  if(cfg_check(sec, fields, file, "policy", err))
    return -1;
  const char *ep = cfg_str(sec, "endpoint");
  if(kind != NET_GEN_OLLAMA && ep && !strcmp(ep, "chat"))
    kind = NET_GEN_CHAT;
  if(check_section(sec, file, err))
    return -1;
  struct hp *h = xcalloc(1, sizeof(*h));
  p->state = h;
  h->kind = kind;
  h->model = xstrdup(cfg_str(sec, "model"));
  h->tmpl = xstrdup(cfg_str(sec, "template"));
  h->system = cfg_str(sec, "system") ? xstrdup(cfg_str(sec, "system")) : NULL;
  read_sampling(h, sec, had_temp, had_top_p);

  struct net_opts o;
  const char **urls;
  if(net_cfg_opts(sec, file, "policy", &o, &urls, err))
    return -1;
  o.jitter_seed = hash_str(HASH_INIT, h->model);
  /* llama.cpp, vLLM, SGLang: /health; Ollama: "/"; the OpenAI API has
   * none (docs/serving.md, "Readiness") */
  o.health_path = kind == NET_GEN_OLLAMA ? "/" : h->openai ? NULL
                                                         : "/health";
  h->client = net_client_new(&o, err);
  free(urls);
  if(!h->client)
    return bon_err_prefix(err, "%s: policy", file);
  describe(p, h, sec);
  return 0;
}

static int openai_open(struct policy *p, cJSON *sec, const char *file,
                       struct bon_err *err)
{
  return http_open(p, sec, file, err, NET_GEN_COMPLETIONS,
                   openai_fields);
}

static int ollama_open(struct policy *p, cJSON *sec, const char *file,
                       struct bon_err *err)
{
  return http_open(p, sec, file, err, NET_GEN_OLLAMA, ollama_fields);
}

static void http_close(struct policy *p)
{
  struct hp *h = p->state;
  if(!h)
    return;
  net_client_free(h->client);
  free(h->model);
  free(h->tmpl);
  free(h->system);
  free(h->stop_json);
  free(h->extra_json);
  free(h);
}

/* ---- generate --------------------------------------------------------- */

struct gen {
  struct hp *h;
  const struct policy_job *jobs;
  size_t njobs, next;
  policy_sink sink;
  void *ctx;
  struct buf prompt;
  int stopped;
};

static uint64_t wire_seed(const struct hp *h, uint64_t seed)
{
  return seed & h->seed_mask;
}

/* How many jobs from i on can share one request. */
static size_t group(const struct gen *g, size_t i)
{
  const struct hp *h = g->h;
  size_t k = 1;
  uint64_t s0 = wire_seed(h, g->jobs[i].seed);
  while(k < h->n_per_request && i + k < g->njobs) {
    const struct policy_job *j = &g->jobs[i + k];
    if(j->seed != g->jobs[i].seed + k || wire_seed(h, j->seed) != s0 + k ||
       (j->question != g->jobs[i].question &&
        strcmp(j->question, g->jobs[i].question)))
      break;
    k++;
  }
  return k;
}

/* The sampling fields (comma-separated, no leading comma) of a request of
 * n samples; `ollama`: as Ollama's options (num_predict). */
static void put_sampling(struct buf *b, const struct hp *h, uint64_t seed,
                         size_t n, int ollama)
{
  const char *max = ollama ? "num_predict" : h->openai ?
                    "max_completion_tokens" : "max_tokens";
  buf_printf(b, "\"%s\":%lld", max, h->max_tokens);
  if(h->has_temperature)
    buf_printf(b, ",\"temperature\":%.17g", h->temperature);
  if(h->has_top_p)
    buf_printf(b, ",\"top_p\":%.17g", h->top_p);
  if(h->has_top_k)
    buf_printf(b, ",\"top_k\":%lld", h->top_k);
  if(h->has_min_p)
    buf_printf(b, ",\"min_p\":%.17g", h->min_p);
  if(h->stop_json)
    buf_printf(b, ",\"stop\":%s", h->stop_json);
  if(h->send_seed)
    buf_printf(b, ",\"seed\":%llu", (unsigned long long)seed);
  if(n > 1)
    buf_printf(b, ",\"n\":%zu", n);
}

/* net_feed: the next group of jobs (group()) as one request body of the
 * endpoint's shape; 0 when every job was fed or the sink said stop. */
static int feed(void *ctx, struct net_req *req)
{
  struct gen *g = ctx;
  const struct hp *h = g->h;
  if(g->stopped || g->next >= g->njobs)
    return 0;
  size_t i = g->next, k = group(g, i);
  g->next += k;
  req->first = i;
  req->count = k;
  const struct policy_job *j = &g->jobs[i];
  uint64_t seed = wire_seed(h, j->seed);
  struct buf *b = &req->body;
  buf_puts(b, "{\"model\":");
  buf_json_str(b, h->model);
  switch(h->kind) {
  case NET_GEN_CHAT:
    req->path = "/v1/chat/completions";
    buf_puts(b, ",\"messages\":[");
    if(h->system) {
      buf_puts(b, "{\"role\":\"system\",\"content\":");
      buf_json_str(b, h->system);
      buf_puts(b, "},");
    }
    buf_reset(&g->prompt);
    net_openai_fill(h->tmpl, j->question, h->system, &g->prompt);
    buf_puts(b, "{\"role\":\"user\",\"content\":");
    buf_json_str(b, buf_str(&g->prompt));
    buf_puts(b, "}],");
    put_sampling(b, h, seed, k, 0);
    if(h->logprobs)
      buf_printf(b, ",\"logprobs\":true,\"top_logprobs\":%d", h->logprobs);
    break;
  case NET_GEN_COMPLETIONS:
    req->path = "/v1/completions";
    buf_reset(&g->prompt);
    net_openai_fill(h->tmpl, j->question, h->system, &g->prompt);
    buf_puts(b, ",\"prompt\":");
    buf_json_str(b, buf_str(&g->prompt));
    buf_putc(b, ',');
    put_sampling(b, h, seed, k, 0);
    if(h->logprobs)
      buf_printf(b, ",\"logprobs\":%d", h->logprobs);
    break;
  case NET_GEN_OLLAMA:
    req->path = "/api/generate";
    buf_reset(&g->prompt);
    net_openai_fill(h->tmpl, j->question, h->system, &g->prompt);
    buf_puts(b, ",\"prompt\":");
    buf_json_str(b, buf_str(&g->prompt));
    /* truncate false: an over-long prompt is an error, not silently cut
     * (docs/serving.md, "Silent truncation") */
    buf_puts(b, ",\"raw\":true,\"stream\":false,\"truncate\":false,"
                "\"options\":{");
    put_sampling(b, h, seed, 1, 1);
    buf_putc(b, '}');
    if(h->logprobs)
      buf_printf(b, ",\"logprobs\":true,\"top_logprobs\":%d", h->logprobs);
    break;
  }
  if(h->extra_json)
    buf_printf(b, ",%s", h->extra_json);
  buf_putc(b, '}');
  return 1;
}

/* net_done: a failure goes to every job of the request (permanent when
 * the server refused the item); a 2xx is parsed into one completion per
 * job (NET_RETRY with the reason when it cannot be), counted (cut at
 * max_tokens, with reasoning) and handed to the sink. */
static int done(void *ctx, struct net_req *req, struct net_result *r)
{
  struct gen *g = ctx;
  size_t k = req->count;
  if(r->error) {
    for(size_t i = 0; i < k && !g->stopped; i++)
      if(g->sink(g->ctx, &g->jobs[req->first + i], NULL, r->error,
                 r->cls == NET_CLASS_ITEM))
        g->stopped = 1;
    return g->stopped ? NET_STOP : NET_ACCEPT;
  }
  struct net_completion stack[16];
  struct net_completion *out = k <= 16 ? stack : xcalloc(k, sizeof(*out));
  struct bon_err e;
  if(net_openai_parse(g->h->kind, r->body, r->len, k, out, &e)) {
    snprintf(r->why, sizeof(r->why), "%.200s", e.msg);
    if(out != stack)
      free(out);
    return NET_RETRY;
  }
  for(size_t i = 0; i < k; i++) {
    g->h->truncated += net_completion_truncated(&out[i]);
    g->h->reasoning += out[i].reasoning != NULL;
    struct policy_result res = {out[i].text, out[i].reasoning,
                                out[i].finish, out[i].tokens};
    if(!g->stopped && g->sink(g->ctx, &g->jobs[req->first + i], &res,
                              NULL, 0))
      g->stopped = 1;
    net_completion_free(&out[i]);
  }
  if(out != stack)
    free(out);
  return g->stopped ? NET_STOP : NET_ACCEPT;
}

static int http_generate(struct policy *p, const struct policy_job *jobs,
                         size_t njobs, policy_sink sink, void *ctx,
                         struct bon_err *err)
{
  struct gen g = {p->state, jobs, njobs, 0, sink, ctx, BUF_INIT, 0};
  int rc = net_run(g.h->client, feed, done, &g, err);
  buf_free(&g.prompt);
  return rc;
}

int policy_http_stats(const struct policy *p, struct buf *out)
{
  if(!p || (p->backend != &policy_openai_backend &&
            p->backend != &policy_ollama_backend))
    return -1;
  const struct hp *h = p->state;
  net_stats_summary(net_client_stats(h->client), out);
  if(h->truncated)
    buf_printf(out, "; %llu completions stopped at max_tokens",
               (unsigned long long)h->truncated);
  if(h->reasoning)
    buf_printf(out, "; %llu with reasoning kept apart",
               (unsigned long long)h->reasoning);
  return 0;
}

enum net_cause policy_http_cause(const struct policy *p)
{
  if(!p || (p->backend != &policy_openai_backend &&
            p->backend != &policy_ollama_backend) || !p->state)
    return NET_CAUSE_NONE;
  const struct hp *h = p->state;
  return net_client_cause(h->client);
}

const struct policy_backend policy_openai_backend = {
  "openai", openai_open, http_generate, http_close,
};

const struct policy_backend policy_ollama_backend = {
  "ollama", ollama_open, http_generate, http_close,
};

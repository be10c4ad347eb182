#include "proxy/http_rm.h"

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "net/client.h"
#include "net/netcfg.h"
#include "net/openai.h"
#include "stats/steps.h"
#include "util/cfg.h"
#include "util/hash.h"
#include "util/notice.h"

static const char *const inputs_vllm[] = {"text", "messages", NULL};
static const char *const inputs_tei[] = {"text", "pair", NULL};
const char *const proxy_poolings[] = {"last", "steps", NULL};
static const char *const picks[] = {"last", "first", NULL};
const char *const proxy_step_splits[] = {"\n\n", "\n", NULL};

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

#define RM_SERVER_RAW                                                       \
  {"server_raw_scores", CFG_BOOL, 0, "false", 0, 0, NULL,                   \
   "the vLLM server (before 0.10) was started with --override-pooler-config"\
   " so it answers raw scores: skip the version check"}

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
  RM_SERVER_RAW,
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
  RM_SERVER_RAW,
  {"pooling", CFG_STRING, 0, "\"last\"", 0, 0, proxy_poolings,
   "last: the last row is the score; steps: one row per step"},
  {"aggregate", CFG_STRING, 0, "\"min\"", 0, 0, stats_step_agg_names,
   "how step scores fold into one score (stats/steps.h)"},
  {"step_split", CFG_STRING, 0, "\"\\n\\n\"", 0, 0, proxy_step_splits,
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
  {"pairwise", CFG_BOOL, 0, "false", 0, 0, NULL,
   "a pairwise judge: sees two solutions ({response_a}, {response_b}) "
   "and names the better one as [[A]] or [[B]] (benchmarks only)"},
  {"temperature", CFG_NUMBER, 0, "0", 0, 10, NULL, "judge temperature"},
  {"max_tokens", CFG_INT, 0, "1024", 1, 1e7, NULL, "judge reply length"},
  {"seed", CFG_INT, 0, NULL, 0, 2147483647, NULL,
   "seed sent with every judge request (optional)"},
  {"rating_regex", CFG_STRING, 0, NULL, 0, 0, NULL,
   "POSIX extended regex whose first group is the rating (pairwise: the "
   "verdict, A or B)"},
  {"rating_pick", CFG_STRING, 0, "\"last\"", 0, 0, picks,
   "which match counts when there are several"},
  {"rating_min", CFG_NUMBER, 0, NULL, 0, 0, NULL,
   "smallest valid rating (outside: unparsable)"},
  {"rating_max", CFG_NUMBER, 0, NULL, 0, 0, NULL, "largest valid rating"},
  END,
};

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
  uint64_t unparsable, item_errors, splits;
  /* vLLM: the server's own activation switch (0.10: "activation" on
   * /classify, "softmax" on /pooling), found by check_version */
  int server_raw;      /* server_raw_scores: trust the server as it is */
  int old_switch;      /* send the 0.10 field as well */
  int version_checked;
};

/* A judge's defaults (template, system message, rating pattern) written
 * into its section, so the resolved config shows what was sent. */
static void judge_defaults(cJSON *sec, int pairwise)
{
  if(!cfg_str(sec, "template"))
    cJSON_AddStringToObject(sec, "template", pairwise ? net_pair_template
                                                      : net_judge_template);
  if(!cfg_str(sec, "system"))
    cJSON_AddStringToObject(sec, "system", pairwise ? net_pair_system
                                                    : net_judge_system);
  if(!cfg_str(sec, "rating_regex"))
    cJSON_AddStringToObject(sec, "rating_regex", pairwise ? net_pair_regex
                                                          : net_judge_regex);
}

/* A pairwise judge's template shows both solutions and takes no rating
 * bounds.  0, or -1 and err. */
static int check_pairwise(const struct hr *h, const cJSON *sec,
                          const char *file, const char *path,
                          struct bon_err *err)
{
  if(!strstr(h->tmpl, "{response_a}") || !strstr(h->tmpl, "{response_b}"))
    return bon_errf(err, "%s: %s.template: a pairwise judge's template "
                         "needs both {response_a} and {response_b}", file,
                    path);
  if(cJSON_GetObjectItemCaseSensitive(sec, "rating_min") ||
     cJSON_GetObjectItemCaseSensitive(sec, "rating_max"))
    return bon_errf(err, "%s: %s: rating_min and rating_max do not apply "
                         "to a pairwise judge (its verdict is A or B)",
                    file, path);
  return 0;
}

/* Pooling "steps" (a process RM): the step token, split and label, and
 * the PRM's own system prompt for chat input.  0, or -1 and err. */
static int open_steps(struct hr *h, cJSON *sec, const char *file,
                      const char *path, struct bon_err *err)
{
  const char *tag = cfg_str(sec, "step_tag");
  if(!tag || !*tag || proxy_http_blank(tag, strlen(tag)))
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
  if(h->kind != PROXY_HTTP_JUDGE && h->kind != PROXY_HTTP_PAIR_JUDGE)
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
                         "the %s", file, path,
                    h->kind == PROXY_HTTP_JUDGE ? "number" : "verdict");
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
    "rating_min", "rating_max", "extra", "pairwise", NULL,
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
  o.health_path = "/health";  /* vLLM, SGLang, TEI, llama.cpp */
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
  if(kind == PROXY_HTTP_JUDGE && cfg_bool(sec, "pairwise", 0))
    kind = PROXY_HTTP_PAIR_JUDGE;
  h->kind = kind;
  p->pairwise = kind == PROXY_HTTP_PAIR_JUDGE;
  if(kind == PROXY_HTTP_JUDGE || kind == PROXY_HTTP_PAIR_JUDGE)
    judge_defaults(sec, p->pairwise);
  const char *model = cfg_str(sec, "model");
  h->model = model ? xstrdup(model) : NULL;
  h->tmpl = xstrdup(cfg_str(sec, "template"));
  const char *sys = cfg_str(sec, "system");
  h->system = sys ? xstrdup(sys) : NULL;
  const char *input = cfg_str(sec, "input");
  h->messages = input && !strcmp(input, "messages");
  h->pair = input && !strcmp(input, "pair");
  if(p->pairwise) {
    if(check_pairwise(h, sec, file, path, err))
      return -1;
  }
  else if(!h->messages && !h->pair && !strstr(h->tmpl, "{response}"))
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
  h->server_raw = cfg_bool(sec, "server_raw_scores", 0);
  h->batch = (size_t)cfg_int(sec, "batch", 1);
  if(h->messages || kind == PROXY_HTTP_JUDGE ||
     kind == PROXY_HTTP_PAIR_JUDGE)
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

/* A span of items to send again on their own (half of a refused batch). */
struct span {
  size_t first, count;
};

struct sc {
  struct hr *h;
  const struct proxy_item *items;
  size_t n, next;
  proxy_sink sink;
  void *ctx;
  struct buf tmp, joined;
  struct span *todo;     /* halves of refused batches, sent first (LIFO) */
  size_t ntodo, captodo;
  int stopped;
};

/* The steps a PRM is sent for an item: its own steps when it has them,
 * else its response cut at step_split; each followed by the step tag
 * (appended to out; NULL: only count).  Returns the count. */
static size_t item_steps(const struct hr *h, const struct proxy_item *it,
                         struct buf *out)
{
  if(it->steps)
    return proxy_http_tag_steps(it->steps, it->nsteps, h->tag, out);
  return proxy_http_join_steps(it->response, h->split, h->tag, out);
}

/* The item as the RM sees it: a PRM gets its steps, each followed by the
 * step tag (the buffer holds the text). */
static const struct proxy_item *as_sent(const struct hr *h,
                                        const struct proxy_item *it,
                                        struct proxy_item *tmp,
                                        struct buf *joined)
{
  if(!h->steps)
    return it;
  buf_reset(joined);
  item_steps(h, it, joined);
  *tmp = *it;
  tmp->response = buf_str(joined);
  return tmp;
}

/* Fill {question} and {response} (a pairwise item: {response_a} and
 * {response_b}) in the RM's template, in one pass (net/openai.h). */
static void fill(const char *tmpl, const struct proxy_item *it,
                 struct buf *out)
{
  const struct net_slot one[] = {
    {"{question}", it->question}, {"{response}", it->response},
  };
  const struct net_slot two[] = {
    {"{question}", it->question}, {"{response}", it->response},
    {"{response_a}", it->response}, {"{response_b}", it->response_b},
  };
  if(it->response_b)
    net_openai_fill_slots(tmpl, two, 4, out);
  else
    net_openai_fill_slots(tmpl, one, 2, out);
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

/* vLLM /classify and /pooling: messages (one item) or a list of
 * templated inputs, and the activation switch the server understands. */
static void put_vllm(struct sc *s, struct net_req *req,
                     const struct proxy_item *it, size_t k)
{
  const struct hr *h = s->h;
  struct buf *b = &req->body;
  int pooling = h->kind == PROXY_HTTP_VLLM_POOLING;
  req->path = pooling ? "/pooling" : "/classify";
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
  const char *on = h->use_activation ? "true" : "false";
  buf_printf(b, ",\"use_activation\":%s", on);
  if(h->old_switch)
    buf_printf(b, ",\"%s\":%s", pooling ? "softmax" : "activation", on);
}

/* SGLang native /classify and TEI /predict: a list of inputs. */
static void put_list(struct sc *s, struct net_req *req,
                     const struct proxy_item *it, size_t k)
{
  const struct hr *h = s->h;
  struct buf *b = &req->body;
  int tei = h->kind == PROXY_HTTP_TEI;
  req->path = tei ? "/predict" : "/classify";
  if(tei)
    buf_puts(b, h->model ? ",\"inputs\":[" : "\"inputs\":[");
  else
    buf_puts(b, ",\"text\":[");
  for(size_t i = 0; i < k; i++) {
    if(i)
      buf_putc(b, ',');
    if(tei)
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
    if(tei)
      buf_putc(b, ']');
  }
  buf_putc(b, ']');
  /* truncate false: an over-long input is an error, not a score of its
   * beginning (docs/serving.md, "Silent truncation") */
  if(tei)
    buf_printf(b, ",\"raw_scores\":%s,\"truncate\":false",
               h->use_activation ? "false" : "true");
}

/* Build the request for items [first, first + k). */
static void build(struct sc *s, struct net_req *req, size_t first, size_t k)
{
  const struct hr *h = s->h;
  req->first = first;
  req->count = k;
  const struct proxy_item *it = &s->items[first];
  struct buf *b = &req->body;
  buf_putc(b, '{');
  if(h->model) {
    buf_puts(b, "\"model\":");
    buf_json_str(b, h->model);
  }
  switch(h->kind) {
  case PROXY_HTTP_VLLM_CLASSIFY:
  case PROXY_HTTP_VLLM_POOLING:
    put_vllm(s, req, it, k);
    break;
  case PROXY_HTTP_SGLANG:
  case PROXY_HTTP_TEI:
    put_list(s, req, it, k);
    break;
  case PROXY_HTTP_JUDGE:
  case PROXY_HTTP_PAIR_JUDGE:
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
}

/* net_feed: the halves of refused batches first, then the next `batch`
 * items; 0 when none is left or the sink said stop (called again after a
 * request finishes: a split may have queued halves). */
static int feed(void *ctx, struct net_req *req)
{
  struct sc *s = ctx;
  if(s->stopped)
    return 0;
  if(s->ntodo) {
    struct span sp = s->todo[--s->ntodo];
    build(s, req, sp.first, sp.count);
    return 1;
  }
  if(s->next >= s->n)
    return 0;
  size_t k = s->n - s->next;
  if(k > s->h->batch)
    k = s->h->batch;
  build(s, req, s->next, k);
  s->next += k;
  return 1;
}

static void push_span(struct sc *s, size_t first, size_t count)
{
  if(s->ntodo == s->captodo) {
    s->captodo = s->captodo ? 2 * s->captodo : 8;
    s->todo = xrealloc(s->todo, s->captodo * sizeof(*s->todo));
  }
  s->todo[s->ntodo++] = (struct span){first, count};
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

/* A failed request: a batch the server refused for one of its items
 * (input too long) is sent again in two halves, down to single items, so
 * only the offending items are recorded; any other failure goes to every
 * item of the request. */
static int failed(struct sc *s, struct net_req *req, struct net_result *r)
{
  size_t k = req->count;
  if(r->cls == NET_CLASS_ITEM && k > 1) {
    s->h->splits++;
    push_span(s, req->first + k / 2, k - k / 2);
    push_span(s, req->first, k / 2);
    return NET_ACCEPT;
  }
  for(size_t i = 0; i < k; i++)
    deliver(s, &s->items[req->first + i], NAN, NULL, 0, r->error,
            r->cls == NET_CLASS_ITEM);
  return s->stopped ? NET_STOP : NET_ACCEPT;
}

/* Per-item checks of a parsed answer: a PRM's step count, a judge's
 * rating range.  Turns out[i] into an error when they fail. */
static void check_item(struct hr *h, const struct proxy_item *it,
                       struct proxy_http_out *o)
{
  if(h->steps)
    proxy_http_expect_steps(o, item_steps(h, it, NULL), h->tag);
  if(h->kind == PROXY_HTTP_JUDGE && !o->error &&
     ((h->has_min && o->score < h->rmin) ||
      (h->has_max && o->score > h->rmax))) {
    char m[160];
    snprintf(m, sizeof(m), "judge rating %.17g outside [%g, %g]",
             o->score, h->has_min ? h->rmin : -INFINITY,
             h->has_max ? h->rmax : INFINITY);
    o->error = xstrdup(m);
  }
}

/* net_done: a failure goes to failed(); a 2xx is parsed into one result
 * per item (NET_RETRY when the body is malformed), checked per item
 * (steps, rating range) and handed to the sink. */
static int done(void *ctx, struct net_req *req, struct net_result *r)
{
  struct sc *s = ctx;
  struct hr *h = s->h;
  size_t k = req->count;
  const struct proxy_item *it = &s->items[req->first];
  if(r->error)
    return failed(s, req, r);
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
    check_item(h, &it[i], &out[i]);
    if(out[i].error) {
      if(h->kind == PROXY_HTTP_JUDGE || h->kind == PROXY_HTTP_PAIR_JUDGE)
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

/* vLLM classify/pooling with raw scores wanted: ask /version once (after
 * the server is ready).  Before 0.10 there is no per-request switch: stop
 * (cause NET_CAUSE_OLD_SERVER) unless server_raw_scores; 0.10 takes
 * "activation" / "softmax" (old_switch); later builds, or no /version,
 * take use_activation.  0, or -1 and err. */
static int check_version(struct hr *h, struct bon_err *err)
{
  if(h->version_checked || h->use_activation || h->server_raw ||
     (h->kind != PROXY_HTTP_VLLM_CLASSIFY &&
      h->kind != PROXY_HTTP_VLLM_POOLING))
    return 0;
  if(net_client_ready(h->client, err))
    return -1;
  long st = 0;
  struct buf b = BUF_INIT;
  struct bon_err e2;
  int major = -1, minor = -1;
  if(net_client_get(h->client, "/version", &st, &b, &e2) == 0 &&
     st == 200) {
    cJSON *j = cJSON_ParseWithLength(buf_str(&b), b.len);
    const char *v = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(j, "version"));
    if(!v || sscanf(v, "%d.%d", &major, &minor) != 2)
      major = minor = -1;
    buf_reset(&b);
    buf_puts(&b, v ? v : "?");
    cJSON_Delete(j);
  }
  int rc = 0;
  if(major == 0 && minor < 10) {
    rc = bon_errf(err, "vLLM %s has no per-request switch for the "
                       "activation (use_activation came later): its %s "
                       "scores would be sigmoid/softmax outputs, not the "
                       "raw scores asked for", buf_str(&b),
                  h->kind == PROXY_HTTP_VLLM_CLASSIFY ? "/classify"
                                                      : "/pooling");
    net_client_set_cause(h->client, NET_CAUSE_OLD_SERVER);
  }
  else if(major == 0 && minor == 10) {
    h->old_switch = 1;
    bon_notice(BON_NOTICE_PROGRESS, "vLLM %s: sending \"%s\": false as "
               "well (use_activation is newer)", buf_str(&b),
               h->kind == PROXY_HTTP_VLLM_CLASSIFY ? "activation"
                                                   : "softmax");
  }
  h->version_checked = !rc;
  buf_free(&b);
  return rc;
}

static int rm_score(struct proxy *p, const struct proxy_item *items,
                    size_t n, proxy_sink sink, void *ctx,
                    struct bon_err *err)
{
  struct sc s = {p->state, items, n, 0, sink, ctx, BUF_INIT, BUF_INIT,
                 NULL, 0, 0, 0};
  if(check_version(s.h, err))
    return -1;
  struct proxy_item *pairs = NULL;
  if(p->pairwise) {
    /* a pairwise judge compares two solutions: an item with one is its
       own error, never sent */
    pairs = xcalloc(n ? n : 1, sizeof(*pairs));
    size_t m = 0;
    for(size_t i = 0; i < n && !s.stopped; i++) {
      if(items[i].response_b)
        pairs[m++] = items[i];
      else
        deliver(&s, &items[i], NAN, NULL, 0, "a pairwise judge compares "
                "two solutions: this item has one", 1);
    }
    s.items = pairs;
    s.n = s.stopped ? 0 : m;
  }
  int rc = s.n ? net_run(s.h->client, feed, done, &s, err) : 0;
  free(pairs);
  buf_free(&s.tmp);
  buf_free(&s.joined);
  free(s.todo);
  return rc;
}

static int is_http(const struct proxy *p)
{
  return p && p->state && (p->backend == &proxy_vllm_classify_backend ||
                           p->backend == &proxy_vllm_pooling_backend ||
                           p->backend == &proxy_sglang_backend ||
                           p->backend == &proxy_tei_backend ||
                           p->backend == &proxy_judge_backend);
}

int proxy_http_stats(const struct proxy *p, struct buf *out)
{
  if(!is_http(p))
    return -1;
  const struct hr *h = p->state;
  net_stats_summary(net_client_stats(h->client), out);
  if(h->item_errors)
    buf_printf(out, "; %llu items without a score",
               (unsigned long long)h->item_errors);
  if(h->unparsable && h->kind == PROXY_HTTP_PAIR_JUDGE)
    buf_printf(out, "; %llu unparsable pairwise verdicts (losses)",
               (unsigned long long)h->unparsable);
  else if(h->unparsable)
    buf_printf(out, "; %llu unparsable judge ratings (missing scores)",
               (unsigned long long)h->unparsable);
  if(h->splits)
    buf_printf(out, "; %llu refused batches split to isolate their bad "
                    "items", (unsigned long long)h->splits);
  return 0;
}

enum net_cause proxy_http_cause(const struct proxy *p)
{
  if(!is_http(p))
    return NET_CAUSE_NONE;
  const struct hr *h = p->state;
  return net_client_cause(h->client);
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

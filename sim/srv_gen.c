/* srv_gen.c - the generation routes of the simulated server (srv.h):
 * /v1/completions, /v1/chat/completions (the policy, or a judge when the
 * model names a sim RM) and Ollama's /api/generate, with the reasoning
 * shapes, max_tokens cuts and `n` limits of real servers
 * (docs/serving.md). */
#include "sim/srv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/judge.h"
#include "sim/rm.h"
#include "sim/solve.h"

/* What a reasoning policy thinks before it answers. */
static const char think_text[] =
    "Let me think about this step by step and check each result before I "
    "answer.";

/* The exact seed: cJSON holds numbers as doubles, so read the digits. */
static uint64_t body_seed(const char *body, const cJSON *j)
{
  const cJSON *sd = cJSON_GetObjectItemCaseSensitive(j, "seed");
  if(!cJSON_IsNumber(sd))
    return 0;
  const char *p = body;
  while((p = strstr(p, "\"seed\""))) {
    if(p > body && p[-1] == '\\') {
      p += 6;
      continue;
    }
    const char *q = p + 6;
    while(*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
      q++;
    if(*q == ':') {
      q++;
      while(*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
        q++;
      if(*q >= '0' && *q <= '9')
        return strtoull(q, NULL, 10);
    }
    p += 6;
  }
  return sd->valuedouble > 0 ? (uint64_t)sd->valuedouble : 0;
}

/* The question inside a prompt built with the policy template: {system}
 * filled in, {question} recovered as sim_server_split recovers a
 * response.  A fresh string. */
static char *question_of(const struct sim_server *s, const char *prompt)
{
  const char *t = s->o.policy_template;
  if(!t)
    return xstrdup(prompt);
  struct buf tm = BUF_INIT;
  for(const char *p = t; *p;) {
    if(!strncmp(p, "{system}", 8)) {
      buf_puts(&tm, s->o.policy_system ? s->o.policy_system : "");
      p += 8;
    }
    else if(!strncmp(p, "{question}", 10)) {
      buf_puts(&tm, "{response}");
      p += 10;
    }
    else
      buf_putc(&tm, *p++);
  }
  size_t len;
  const char *q = sim_server_split(buf_str(&tm), prompt, &len);
  char *r = xstrndup(q, len);
  buf_free(&tm);
  return r;
}

/* One reply: the final text (or null), the reasoning and the field that
 * carries it, why it stopped, and its tokens. */
struct reply {
  struct buf text, reasoning;
  int text_null;
  const char *field;    /* "reasoning_content", "reasoning", "thinking" */
  const char *finish;
  size_t tokens;
};

/* Cut b to `budget` tokens (words); 1 if it was cut. */
static int cut(struct buf *b, size_t *budget)
{
  size_t n = sim_tokens(buf_str(b));
  if(n <= *budget) {
    *budget -= n;
    return 0;
  }
  size_t keep = sim_tokens_prefix(buf_str(b), *budget);
  b->data[keep] = '\0';
  b->len = keep;
  *budget = 0;
  return 1;
}

/* Shape the policy's solution (in r->text) as the server and the
 * reasoning mode would: thinking first, max_tokens (< 0: none) spent on
 * the thinking then on the answer. */
static void shape(const struct sim_server *s, enum srv_gen_route route,
                  long max_tokens, struct reply *r)
{
  enum sim_reasoning mode = s->o.reasoning;
  size_t budget = max_tokens < 0 ? (size_t)-1 : (size_t)max_tokens;
  r->finish = "stop";
  if(mode == SIM_REASON_NONE) {
    if(cut(&r->text, &budget))
      r->finish = "length";
    return;
  }
  buf_puts(&r->reasoning, think_text);
  if(mode == SIM_REASON_NULL) {
    /* the thinking ran out of tokens: everything is reasoning */
    buf_printf(&r->reasoning, "\n%s", buf_str(&r->text));
    buf_reset(&r->text);
    r->text_null = 1;
    r->finish = "length";
  }
  else if(cut(&r->reasoning, &budget) || cut(&r->text, &budget))
    r->finish = "length";
  int raw = route == SRV_COMPLETIONS || mode == SIM_REASON_THINK;
  if(route == SRV_OLLAMA)
    r->field = "thinking";
  else if(raw) {
    /* no reasoning parser: the tags stay in the text */
    struct buf t = BUF_INIT;
    buf_printf(&t, "<think>\n%s", buf_str(&r->reasoning));
    if(!r->text_null)
      buf_printf(&t, "\n</think>\n\n%s", buf_str(&r->text));
    buf_free(&r->text);
    r->text = t;
    r->text_null = 0;
    buf_reset(&r->reasoning);
  }
  else
    r->field = mode == SIM_REASON_NAMED ? "reasoning" : "reasoning_content";
  if(route == SRV_OLLAMA)
    r->text_null = 0;
}

static int cmp_ref(const void *key, const void *elem)
{
  return strcmp(key, ((const struct sim_server_ref *)elem)->question);
}

/* The reference final answer of question q, or NULL. */
static const char *reference_of(const struct sim_server *s, const char *q)
{
  const struct sim_server_ref *r = s->o.nrefs ?
      bsearch(q, s->o.refs, s->o.nrefs, sizeof(*r), cmp_ref) : NULL;
  return r ? r->reference : NULL;
}

/* The reply of choice i: a judge's rating or verdict (sim/judge.h), or
 * the policy's solution. */
static void make_reply(const struct sim_server *s, enum srv_gen_route route,
                       const char *prompt, const struct sim_rm_params *judge,
                       uint64_t seed, long max_tokens, struct reply *r)
{
  if(judge) {
    sim_judge_reply(judge, s->o.judge_template, s->o.pair_template, prompt,
                    &r->text);
    r->finish = "stop";
  }
  else {
    char *q = question_of(s, prompt);
    sim_solve_ref(&s->o.policy, q, reference_of(s, q), seed, SIM_NATURAL,
                  SIM_STYLE_MODEL, &r->text);
    free(q);
    shape(s, route, max_tokens, r);
  }
  r->tokens = sim_tokens(buf_str(&r->text)) +
              sim_tokens(buf_str(&r->reasoning));
}

static void put_choice(struct buf *b, enum srv_gen_route route, size_t idx,
                       const struct reply *r)
{
  buf_printf(b, "%s{\"index\":%zu,", idx ? "," : "", idx);
  if(route == SRV_CHAT) {
    buf_puts(b, "\"message\":{\"role\":\"assistant\",\"content\":");
    if(r->text_null)
      buf_puts(b, "null");
    else
      buf_json_str(b, buf_str(&r->text));
    if(r->field) {
      buf_printf(b, ",\"%s\":", r->field);
      buf_json_str(b, buf_str(&r->reasoning));
    }
    buf_putc(b, '}');
  }
  else {
    buf_puts(b, "\"text\":");
    buf_json_str(b, buf_str(&r->text));
    buf_puts(b, ",\"logprobs\":null");
  }
  buf_printf(b, ",\"finish_reason\":\"%s\",\"stop_reason\":null}",
             r->finish);
}

/* The prompts of a request: chat's last user message, or `prompt` (a
 * string or a list).  0, or an error message for a 400. */
static const char *prompts_of(const cJSON *j, enum srv_gen_route route,
                              const char **one, const cJSON **list)
{
  *one = NULL;
  *list = NULL;
  if(route == SRV_CHAT) {
    const cJSON *m;
    cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(j, "messages")) {
      const char *role = srv_str(m, "role"), *content = srv_str(m,
                                                               "content");
      if(role && content && !strcmp(role, "user"))
        *one = content;
    }
    return *one ? NULL : "messages: no user message with string content";
  }
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(j, "prompt");
  if(cJSON_IsString(p)) {
    *one = p->valuestring;
    return NULL;
  }
  if(route == SRV_OLLAMA || !cJSON_IsArray(p) || !p->child)
    return "prompt: expected a string or a list of strings";
  const cJSON *e;
  cJSON_ArrayForEach(e, p) if(!cJSON_IsString(e))
    return "prompt: expected strings";
  *list = p;
  return NULL;
}

/* `n` as the server takes it: 1 to 1024; old llama.cpp refuses n > 1
 * with a 500, new llama.cpp refuses n above its slots with a 400.  0, or
 * 1 with *ret set when it answered. */
static int check_n(struct sim_server *s, struct MHD_Connection *c, long n,
                   enum MHD_Result *ret)
{
  char m[200];
  if(n < 1 || n > 1024)
    *ret = srv_error(s, c, 400, "BadRequestError", "n must be 1 to 1024");
  else if(s->o.single_choice && n > 1)
    *ret = srv_error_body(s, c, 500, "{\"error\":{\"code\":500,\"message\":"
                          "\"Only one completion choice is allowed\","
                          "\"type\":\"server_error\"}}");
  else if(s->o.max_n > 0 && n > s->o.max_n) {
    snprintf(m, sizeof(m), "{\"error\":{\"code\":400,\"message\":\"n_cmpl "
             "cannot be greater than the number of slots, please increase "
             "-np\",\"type\":\"invalid_request_error\"}}");
    *ret = srv_error_body(s, c, 400, m);
  }
  else
    return 0;
  return 1;
}

/* Ollama /api/generate: one reply; an over-long prompt is cut at its
 * front and answered 200 (Ollama's default), or refused when the request
 * says "truncate": false. */
static enum MHD_Result ollama(struct sim_server *s, struct MHD_Connection *c,
                              const char *body, const cJSON *j,
                              const char *prompt)
{
  const cJSON *opt = cJSON_GetObjectItemCaseSensitive(j, "options");
  const cJSON *np = cJSON_GetObjectItemCaseSensitive(opt, "num_predict");
  size_t plen = strlen(prompt), used = plen;
  if(srv_too_long(s, prompt)) {
    if(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "truncate"))) {
      char m[200];
      snprintf(m, sizeof(m), "{\"error\":\"request (%zu tokens) exceeds "
               "the available context size (%ld tokens), try increasing "
               "it\"}", plen, s->o.max_prompt);
      return srv_error_body(s, c, 400, m);
    }
    used = (size_t)s->o.max_prompt;
    prompt += plen - used;  /* the front is dropped, silently */
  }
  struct reply r = {BUF_INIT, BUF_INIT, 0, NULL, NULL, 0};
  make_reply(s, SRV_OLLAMA, prompt, NULL, body_seed(body, opt),
             cJSON_IsNumber(np) ? (long)np->valuedouble : -1, &r);
  struct buf b = BUF_INIT;
  buf_puts(&b, "{\"model\":");
  buf_json_str(&b, srv_str(j, "model"));
  buf_puts(&b, ",\"created_at\":\"2026-01-01T00:00:00Z\",\"response\":");
  buf_json_str(&b, buf_str(&r.text));
  if(r.field) {
    buf_puts(&b, ",\"thinking\":");
    buf_json_str(&b, buf_str(&r.reasoning));
  }
  buf_printf(&b, ",\"done\":true,\"done_reason\":\"%s\",\"prompt_eval_"
                 "count\":%zu,\"eval_count\":%zu}", r.finish, used,
             r.tokens);
  buf_free(&r.text);
  buf_free(&r.reasoning);
  s->n_ok++;
  return srv_send(c, 200, &b, -1);
}

/* The model a request names: the policy's (NULL *judge), or for chat a
 * sim RM as a judge.  0, or 1 with *ret set (404). */
static int pick_model(struct sim_server *s, struct MHD_Connection *c,
                      const char *model, enum srv_gen_route route,
                      const struct sim_rm_params **judge,
                      struct sim_rm_params *tmp, enum MHD_Result *ret)
{
  const char *tmpl;
  *judge = NULL;
  if(model && !strcmp(model, s->o.model))
    return 0;
  if(route == SRV_CHAT && (*judge = srv_find_rm(s, model, tmp, &tmpl)))
    return 0;
  char m[300];
  snprintf(m, sizeof(m), "The model `%.200s` does not exist.",
           model ? model : "");
  *ret = srv_error(s, c, 404, "NotFoundError", m);
  return 1;
}

/* Every choice of an OpenAI-shaped answer into b; 0, or 1 with *ret set
 * when a prompt is over the context. */
static int choices(struct sim_server *s, struct MHD_Connection *c,
                   enum srv_gen_route route, const char *one,
                   const cJSON *list, const struct sim_rm_params *judge,
                   uint64_t seed, long n, long max_tokens, struct buf *b,
                   size_t *tokens, enum MHD_Result *ret)
{
  const cJSON *pe = list ? list->child : NULL;
  size_t idx = 0, np = list ? (size_t)cJSON_GetArraySize(list) : 1;
  for(size_t pi = 0; pi < np; pi++, pe = pe ? pe->next : NULL) {
    const char *prompt = pe ? pe->valuestring : one;
    if(srv_too_long(s, prompt)) {
      *ret = srv_context_error(s, c, strlen(prompt));
      return 1;
    }
    for(long i = 0; i < n; i++, idx++) {
      struct reply r = {BUF_INIT, BUF_INIT, 0, NULL, NULL, 0};
      make_reply(s, route, prompt, judge, seed + (uint64_t)i, max_tokens,
                 &r);
      put_choice(b, route, idx, &r);
      *tokens += r.tokens;
      buf_free(&r.text);
      buf_free(&r.reasoning);
    }
  }
  return 0;
}

enum MHD_Result srv_generate(struct sim_server *s, struct MHD_Connection *c,
                             const char *body, const cJSON *j,
                             enum srv_gen_route route)
{
  enum MHD_Result ret;
  const char *model = srv_str(j, "model"), *one, *bad;
  const cJSON *list;
  struct sim_rm_params tmp;
  const struct sim_rm_params *judge;
  if(pick_model(s, c, model, route, &judge, &tmp, &ret))
    return ret;
  if((bad = prompts_of(j, route, &one, &list)))
    return srv_error(s, c, 400, "BadRequestError", bad);
  if(route == SRV_OLLAMA)
    return ollama(s, c, body, j, one);
  const cJSON *nj = cJSON_GetObjectItemCaseSensitive(j, "n");
  long n = cJSON_IsNumber(nj) ? (long)nj->valuedouble : 1;
  if(check_n(s, c, n, &ret))
    return ret;
  const cJSON *mt = cJSON_GetObjectItemCaseSensitive(j, "max_tokens");
  if(!cJSON_IsNumber(mt))
    mt = cJSON_GetObjectItemCaseSensitive(j, "max_completion_tokens");
  struct buf b = BUF_INIT;
  buf_printf(&b, "{\"id\":\"%s-%ld\",\"object\":\"%s\",\"created\":0,"
                 "\"model\":", route == SRV_CHAT ? "chatcmpl" : "cmpl",
             (long)s->requests,
             route == SRV_CHAT ? "chat.completion" : "text_completion");
  buf_json_str(&b, model);
  buf_puts(&b, ",\"choices\":[");
  size_t tokens = 0;
  if(choices(s, c, route, one, list, judge, body_seed(body, j), n,
             cJSON_IsNumber(mt) ? (long)mt->valuedouble : -1, &b, &tokens,
             &ret)) {
    buf_free(&b);
    return ret;
  }
  buf_printf(&b, "],\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":"
                 "%zu,\"total_tokens\":%zu}}", tokens, tokens);
  s->n_ok++;
  return srv_send(c, 200, &b, -1);
}

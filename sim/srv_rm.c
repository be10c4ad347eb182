/* srv_rm.c - the reward-model routes of the simulated server (srv.h):
 * vLLM /classify and /pooling, SGLang's native /classify and TEI's
 * /predict, with the batch limits, context errors, silent truncation and
 * version-dependent activation switches of the real servers
 * (docs/serving.md). */
#include "sim/srv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rm.h"

/* The response an RM scores, from a text input built with tmpl. */
static char *response_of(const char *tmpl, const char *text)
{
  size_t len;
  const char *r = sim_server_split(tmpl, text, &len);
  return xstrndup(r, len);
}

/* Whether vLLM applies its activation (sigmoid for one label) to a
 * /classify answer: current builds follow use_activation, 0.10 follows
 * activation, older ones always apply it; absent fields mean "apply". */
static int vllm_activates(const struct sim_server *s, const cJSON *j)
{
  const char *v = s->o.vllm_version;
  int major = -1, minor = -1;
  if(v && sscanf(v, "%d.%d", &major, &minor) == 2 && major == 0 &&
     minor < 10)
    return 1;
  const char *field = major == 0 && minor == 10 ? "activation"
                                                : "use_activation";
  return !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, field));
}

/* The inputs of a vLLM request: a string, a list of strings, or chat
 * messages (one item).  *n set; an error message for a 400, or NULL. */
static const char *vllm_inputs(const cJSON *j, const cJSON **in,
                               const cJSON **msgs, size_t *n)
{
  *in = cJSON_GetObjectItemCaseSensitive(j, "input");
  *msgs = cJSON_GetObjectItemCaseSensitive(j, "messages");
  if(cJSON_IsString(*in)) {
    *n = 1;
    return NULL;
  }
  if(cJSON_IsArray(*in) && (*in)->child) {
    const cJSON *e;
    cJSON_ArrayForEach(e, *in) if(!cJSON_IsString(e))
      return "input: expected strings";
    *n = (size_t)cJSON_GetArraySize(*in);
    return NULL;
  }
  if(cJSON_IsArray(*msgs)) {
    *in = NULL;
    *n = 1;
    return NULL;
  }
  return "expected \"input\" (string or list) or \"messages\"";
}

/* The assistant message of a chat input, or NULL. */
static const char *assistant_of(const cJSON *msgs)
{
  const char *a = NULL;
  const cJSON *m;
  cJSON_ArrayForEach(m, msgs) {
    const char *role = srv_str(m, "role"), *content = srv_str(m, "content");
    if(role && content && !strcmp(role, "assistant"))
      a = content;
  }
  return a;
}

/* /pooling rows of one response: one [p_bad, p_good] per step tag (a
 * process RM), else one [score] per line, the score of the text so far. */
static void pooling_rows(const struct sim_server *s,
                         const struct sim_rm_params *rm, char *resp,
                         struct buf *b)
{
  if(s->o.step_tag && *s->o.step_tag && strstr(resp, s->o.step_tag)) {
    double *pg;
    size_t ns = sim_rm_step_scores(rm, resp, s->o.step_tag, &pg);
    for(size_t k = 0; k < ns; k++)
      buf_printf(b, "%s[%.17g,%.17g]", k ? "," : "", 1.0 - pg[k], pg[k]);
    free(pg);
    return;
  }
  size_t L = strlen(resp);
  int first = 1;
  for(size_t k = 0; k <= L; k++)
    if(k == L || resp[k] == '\n') {
      if(k < L && k + 1 == L)
        continue;
      char save = resp[k];
      resp[k] = '\0';
      buf_printf(b, "%s[%.17g]", first ? "" : ",", sim_rm_score(rm, "",
                                                                resp));
      resp[k] = save;
      first = 0;
    }
}

enum MHD_Result srv_classify(struct sim_server *s, struct MHD_Connection *c,
                             const cJSON *j, int pooling)
{
  const char *model = srv_str(j, "model"), *tmpl, *bad;
  struct sim_rm_params tmp;
  const struct sim_rm_params *rm = srv_find_rm(s, model, &tmp, &tmpl);
  if(!rm)
    return srv_error(s, c, 404, "NotFoundError",
                     "The model does not exist.");
  const cJSON *in, *msgs;
  size_t n;
  if((bad = vllm_inputs(j, &in, &msgs, &n)))
    return srv_error(s, c, 400, "BadRequestError", bad);
  if(s->o.max_batch > 0 && (long)n > s->o.max_batch)
    return srv_batch_error(s, c, n);
  const cJSON *e = cJSON_IsArray(in) ? in->child : in;
  for(const cJSON *x = e; x; x = cJSON_IsArray(in) ? x->next : NULL)
    if(srv_too_long(s, x->valuestring))
      return srv_context_error(s, c, strlen(x->valuestring));
  int act = !pooling && vllm_activates(s, j);
  struct buf b = BUF_INIT;
  buf_printf(&b, "{\"id\":\"%s-%ld\",\"object\":\"list\",\"created\":0,"
                 "\"model\":", pooling ? "pool" : "classify",
             (long)s->requests);
  buf_json_str(&b, model);
  buf_puts(&b, ",\"data\":[");
  for(size_t i = 0; i < n; i++, e = e ? e->next : NULL) {
    const char *a = e ? NULL : assistant_of(msgs);
    if(!e && !a) {
      buf_free(&b);
      return srv_error(s, c, 400, "BadRequestError",
                       "messages: no assistant message");
    }
    char *resp = e ? response_of(tmpl, e->valuestring) : xstrdup(a);
    if(i)
      buf_putc(&b, ',');
    if(!pooling) {
      double sc = sim_rm_score(rm, "", resp);
      buf_printf(&b, "{\"index\":%zu,\"label\":\"LABEL_0\",\"probs\":"
                     "[%.17g],\"num_classes\":1}", i,
                 act ? 1 / (1 + exp(-sc)) : sc);
    }
    else {
      buf_printf(&b, "{\"index\":%zu,\"object\":\"pooling\",\"data\":[", i);
      pooling_rows(s, rm, resp, &b);
      buf_puts(&b, "]}");
    }
    free(resp);
  }
  buf_puts(&b, "],\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0,"
               "\"total_tokens\":0}}");
  s->n_ok++;
  return srv_send(c, 200, &b, -1);
}

/* A list of strings of n >= 1 items at key, or NULL. */
static const cJSON *string_list(const cJSON *j, const char *key)
{
  const cJSON *l = cJSON_GetObjectItemCaseSensitive(j, key), *e;
  if(!cJSON_IsArray(l) || !l->child)
    return NULL;
  cJSON_ArrayForEach(e, l) if(!cJSON_IsString(e))
    return NULL;
  return l;
}

enum MHD_Result srv_sglang(struct sim_server *s, struct MHD_Connection *c,
                           const cJSON *j)
{
  const char *tmpl;
  struct sim_rm_params tmp;
  const struct sim_rm_params *rm = srv_find_rm(s, srv_str(j, "model"),
                                               &tmp, &tmpl);
  const cJSON *l = string_list(j, "text"), *e;
  if(!rm || !l)
    return srv_error(s, c, !rm ? 404 : 400, "BadRequest",
                     !rm ? "The model does not exist."
                         : "text: expected a list of strings");
  size_t n = (size_t)cJSON_GetArraySize(l), i = 0;
  if(s->o.max_batch > 0 && (long)n > s->o.max_batch)
    return srv_batch_error(s, c, n);
  cJSON_ArrayForEach(e, l) if(srv_too_long(s, e->valuestring)) {
    char m[300];
    snprintf(m, sizeof(m), "{\"object\":\"error\",\"message\":\"The input "
             "(%zu tokens) is longer than the model's context length (%ld "
             "tokens).\",\"type\":\"BadRequest\",\"param\":null,\"code\":"
             "400}", strlen(e->valuestring), s->o.max_prompt);
    return srv_error_body(s, c, 400, m);
  }
  struct buf b = BUF_INIT;
  buf_putc(&b, '[');
  cJSON_ArrayForEach(e, l) {
    char *resp = response_of(tmpl, e->valuestring);
    buf_printf(&b, "%s{\"embedding\":[%.17g],\"meta_info\":{\"id\":\"%zu\"}}",
               i ? "," : "", sim_rm_score(rm, "", resp), i);
    free(resp);
    i++;
  }
  buf_putc(&b, ']');
  s->n_ok++;
  return srv_send(c, 200, &b, -1);
}

/* One TEI input: [text] or [question, response] (pair).  The text the RM
 * scores, cut at max_prompt characters from the right when the request
 * lets TEI truncate; NULL with *too_long set when it is over the limit
 * and the request says "truncate": false. */
static char *tei_response(const struct sim_server *s, const char *tmpl,
                          const cJSON *in, int truncate, size_t *too_long)
{
  const cJSON *a = cJSON_IsArray(in) ? in->child : in;
  const cJSON *b2 = a ? a->next : NULL;
  *too_long = 0;
  if(!cJSON_IsString(a) || (b2 && !cJSON_IsString(b2)))
    return NULL;
  size_t len = strlen(a->valuestring) + (b2 ? strlen(b2->valuestring) : 0);
  if(s->o.max_prompt > 0 && (long)len > s->o.max_prompt && !truncate) {
    *too_long = len;
    return NULL;
  }
  char *text = b2 ? xstrdup(b2->valuestring)
                  : response_of(tmpl, a->valuestring);
  if(s->o.max_prompt > 0 && (long)len > s->o.max_prompt) {
    /* TEI's auto-truncate: the end of the input is gone, silently */
    size_t cutlen = len - (size_t)s->o.max_prompt;
    size_t tl = strlen(text);
    text[tl > cutlen ? tl - cutlen : 0] = '\0';
  }
  return text;
}

enum MHD_Result srv_predict(struct sim_server *s, struct MHD_Connection *c,
                            const cJSON *j)
{
  const char *tmpl;
  struct sim_rm_params tmp;
  const char *model = srv_str(j, "model");
  const struct sim_rm_params *rm = srv_find_rm(s, model ? model : "careful",
                                               &tmp, &tmpl);
  const cJSON *l = cJSON_GetObjectItemCaseSensitive(j, "inputs"), *e;
  if(!rm || !cJSON_IsArray(l) || !l->child)
    return srv_error_body(s, c, 422, "{\"error\":\"expected inputs: a list "
                          "of [text] or [text, text]\",\"error_type\":"
                          "\"validation\"}");
  size_t n = (size_t)cJSON_GetArraySize(l), i = 0;
  if(s->o.max_batch > 0 && (long)n > s->o.max_batch)
    return srv_batch_error(s, c, n);
  int truncate = !cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j,
                                                                 "truncate"));
  int raw = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "raw_scores"));
  struct buf b = BUF_INIT;
  buf_putc(&b, '[');
  cJSON_ArrayForEach(e, l) {
    size_t over;
    char *resp = tei_response(s, tmpl, e, truncate, &over);
    if(!resp) {
      char m[200];
      snprintf(m, sizeof(m), "{\"error\":\"`inputs` must have less than "
               "%ld tokens. Given: %zu\",\"error_type\":\"validation\"}",
               s->o.max_prompt, over);
      buf_free(&b);
      return srv_error_body(s, c, 422, over ? m :
                            "{\"error\":\"inputs: expected strings\","
                            "\"error_type\":\"validation\"}");
    }
    double sc = sim_rm_score(rm, "", resp);
    buf_printf(&b, "%s[{\"score\":%.17g,\"label\":\"LABEL_0\"}]",
               i++ ? "," : "", raw ? sc : 1 / (1 + exp(-sc)));
    free(resp);
  }
  buf_putc(&b, ']');
  s->n_ok++;
  return srv_send(c, 200, &b, -1);
}

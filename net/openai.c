/* openai.c - shared request/response shapes and protocol constants
 * (openai.h). */
#include "net/openai.h"

#include <stdlib.h>
#include <string.h>

const char net_rm_template[] = NET_RM_TEMPLATE;
const char net_prm_step_tag[] = NET_PRM_STEP_TAG;
const char net_prm_system[] =
    "Please reason step by step, and put your final answer within "
    "\\boxed{}.";
const char net_judge_system[] =
    "Please act as an impartial judge and evaluate the correctness of the "
    "response provided by an AI assistant to the math problem displayed "
    "below. Check every step. Begin your evaluation with a short "
    "explanation. After providing your explanation, rate the response on a "
    "scale of 1 to 10 by strictly following this format: \"Rating: "
    "[[5]]\".";
const char net_judge_template[] =
    "[Question]\n{question}\n\n[The Start of Assistant's Answer]\n"
    "{response}\n[The End of Assistant's Answer]";
const char net_judge_regex[] =
    "\\[\\[(-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?)\\]\\]";

char *net_json_print(const cJSON *v)
{
  char *s = v ? cJSON_PrintUnformatted(v) : NULL;
  char *r = xstrdup(s ? s : "null");
  cJSON_free(s);
  return r;
}

void net_openai_fill(const char *tmpl, const char *question,
                     const char *system, struct buf *out)
{
  const char *p = tmpl;
  for(;;) {
    const char *q = strchr(p, '{');
    if(!q) {
      buf_puts(out, p);
      return;
    }
    buf_append(out, p, (size_t)(q - p));
    if(!strncmp(q, "{question}", 10)) {
      buf_puts(out, question);
      p = q + 10;
    }
    else if(!strncmp(q, "{system}", 8)) {
      buf_puts(out, system ? system : "");
      p = q + 8;
    }
    else {
      buf_putc(out, '{');
      p = q + 1;
    }
  }
}

int net_openai_parse(enum net_gen_kind kind, const char *body, size_t len,
                     size_t n, char **texts, size_t *ntrunc,
                     struct bon_err *err)
{
  cJSON *j = cJSON_ParseWithLength(body, len);
  if(!j)
    return bon_errf(err, "response is not valid JSON");
  *ntrunc = 0;
  if(kind == NET_GEN_OLLAMA) {
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "response");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
    if(n != 1 || !cJSON_IsString(r)) {
      bon_errf(err, "no \"response\" string in the answer%s%s",
               cJSON_IsString(e) ? ": " : "",
               cJSON_IsString(e) ? e->valuestring : "");
      cJSON_Delete(j);
      return -1;
    }
    const cJSON *dr = cJSON_GetObjectItemCaseSensitive(j, "done_reason");
    *ntrunc = cJSON_IsString(dr) && !strcmp(dr->valuestring, "length");
    texts[0] = xstrdup(r->valuestring);
    cJSON_Delete(j);
    return 0;
  }
  const cJSON *ch = cJSON_GetObjectItemCaseSensitive(j, "choices");
  if(!cJSON_IsArray(ch)) {
    cJSON_Delete(j);
    return bon_errf(err, "no \"choices\" array in the answer");
  }
  const char **got = xcalloc(n ? n : 1, sizeof(*got));
  size_t have = 0, trunc = 0;
  int bad = 0;
  for(const cJSON *c = ch->child; c && !bad; c = c->next) {
    const cJSON *ix = cJSON_GetObjectItemCaseSensitive(c, "index");
    const cJSON *t;
    if(kind == NET_GEN_CHAT) {
      const cJSON *m = cJSON_GetObjectItemCaseSensitive(c, "message");
      t = cJSON_GetObjectItemCaseSensitive(m, "content");
    }
    else
      t = cJSON_GetObjectItemCaseSensitive(c, "text");
    if(!cJSON_IsNumber(ix) || ix->valuedouble < 0 ||
       ix->valuedouble >= (double)n || ix->valuedouble != ix->valueint) {
      bad = bon_errf(err, "choice with a missing or out-of-range index "
                          "(expected 0 to %zu)", n ? n - 1 : 0);
      break;
    }
    if(!cJSON_IsString(t)) {
      bad = bon_errf(err, "choice %d has no %s string", ix->valueint,
                     kind == NET_GEN_CHAT ? "message.content" : "text");
      break;
    }
    if(got[ix->valueint]) {
      bad = bon_errf(err, "choice index %d appears twice", ix->valueint);
      break;
    }
    got[ix->valueint] = t->valuestring;
    have++;
    const cJSON *fr = cJSON_GetObjectItemCaseSensitive(c, "finish_reason");
    trunc += cJSON_IsString(fr) && !strcmp(fr->valuestring, "length");
  }
  if(!bad && have != n)
    bad = bon_errf(err, "expected %zu choices, got %zu", n, have);
  if(!bad) {
    for(size_t i = 0; i < n; i++)
      texts[i] = xstrdup(got[i]);
    *ntrunc = trunc;
  }
  free(got);
  cJSON_Delete(j);
  return bad ? -1 : 0;
}

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

const char net_pair_system[] =
    "Please act as an impartial judge and evaluate the solutions provided "
    "by two AI assistants to the math problem displayed below. You should "
    "choose the assistant that solves the problem correctly: check every "
    "step of both solutions and their final answers. Begin your "
    "evaluation by comparing the two solutions and provide a short "
    "explanation. Avoid "
    "any position biases and ensure that the order in which the solutions "
    "were presented does not influence your decision. Do not allow the "
    "length of the solutions to influence your evaluation. Be as objective "
    "as possible. After providing your explanation, output your final "
    "verdict by strictly following this format: \"[[A]]\" if assistant A "
    "is better, \"[[B]]\" if assistant B is better.";
const char net_pair_template[] =
    "[User Question]\n{question}\n\n[The Start of Assistant A's Answer]\n"
    "{response_a}\n[The End of Assistant A's Answer]\n\n[The Start of "
    "Assistant B's Answer]\n{response_b}\n[The End of Assistant B's "
    "Answer]";
const char net_pair_regex[] = "\\[\\[([AB])\\]\\]";

char *net_json_print(const cJSON *v)
{
  char *s = v ? cJSON_PrintUnformatted(v) : NULL;
  char *r = xstrdup(s ? s : "null");
  cJSON_free(s);
  return r;
}

void net_openai_fill_slots(const char *tmpl, const struct net_slot *slots,
                           size_t n, struct buf *out)
{
  const char *p = tmpl;
  for(;;) {
    const char *q = strchr(p, '{');
    if(!q) {
      buf_puts(out, p);
      return;
    }
    buf_append(out, p, (size_t)(q - p));
    size_t i = 0, len = 0;
    for(; i < n; i++) {
      len = strlen(slots[i].name);
      if(!strncmp(q, slots[i].name, len))
        break;
    }
    if(i < n) {
      buf_puts(out, slots[i].value ? slots[i].value : "");
      p = q + len;
    }
    else {
      buf_putc(out, '{');
      p = q + 1;
    }
  }
}

void net_openai_fill(const char *tmpl, const char *question,
                     const char *system, struct buf *out)
{
  const struct net_slot slots[] = {
    {"{question}", question}, {"{system}", system},
  };
  net_openai_fill_slots(tmpl, slots, 2, out);
}

void net_completion_free(struct net_completion *c)
{
  if(!c)
    return;
  free(c->text);
  free(c->reasoning);
  free(c->finish);
  memset(c, 0, sizeof(*c));
}

int net_completion_truncated(const struct net_completion *c)
{
  return c->finish && !strcmp(c->finish, "length");
}

static const char *skip_blanks(const char *s)
{
  while(*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
    s++;
  return s;
}

void net_split_think(const char *text, char **final, char **reasoning)
{
  static const char open_tag[] = "<think>", close_tag[] = "</think>";
  const char *p = skip_blanks(text);
  const char *end = NULL, *body = NULL;
  if(!strncmp(p, open_tag, sizeof(open_tag) - 1)) {
    body = p + sizeof(open_tag) - 1;
    end = strstr(body, close_tag);
    if(!end) {
      *reasoning = xstrdup(body);
      *final = xstrdup("");
      return;
    }
  }
  else if((end = strstr(text, close_tag)) && !strstr(text, open_tag))
    body = text;
  if(!body || !end) {
    *final = xstrdup(text);
    *reasoning = NULL;
    return;
  }
  *reasoning = xstrndup(body, (size_t)(end - body));
  *final = xstrdup(skip_blanks(end + sizeof(close_tag) - 1));
}

void net_join_reasoning(const char *reasoning, const char *text,
                        struct buf *out)
{
  if(reasoning) {
    buf_puts(out, "<think>");
    buf_puts(out, reasoning);
    buf_puts(out, "</think>\n\n");
  }
  buf_puts(out, text);
}

static char *str_or_null(const cJSON *j, const char *key)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
  return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

/* Fill one completion from its final text (or NULL: empty) and explicit
 * reasoning (or NULL: look for a <think> block in the text). */
static void fill_completion(struct net_completion *c, const char *text,
                            const char *reasoning)
{
  if(reasoning && *reasoning) {
    c->text = xstrdup(text ? skip_blanks(text) : "");
    c->reasoning = xstrdup(reasoning);
  }
  else
    net_split_think(text ? text : "", &c->text, &c->reasoning);
}

/* Ollama /api/generate: one completion from response, thinking,
 * done_reason, eval_count.  0, or -1 and err. */
static int parse_ollama(const cJSON *j, size_t n, struct net_completion *out,
                        struct bon_err *err)
{
  const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "response");
  const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
  if(n != 1 || !cJSON_IsString(r))
    return bon_errf(err, "no \"response\" string in the answer%s%s",
                    cJSON_IsString(e) ? ": " : "",
                    cJSON_IsString(e) ? e->valuestring : "");
  const cJSON *th = cJSON_GetObjectItemCaseSensitive(j, "thinking");
  memset(&out[0], 0, sizeof(out[0]));
  fill_completion(&out[0], r->valuestring,
                  cJSON_IsString(th) ? th->valuestring : NULL);
  out[0].finish = str_or_null(j, "done_reason");
  const cJSON *ec = cJSON_GetObjectItemCaseSensitive(j, "eval_count");
  out[0].tokens = cJSON_IsNumber(ec) ? (long)ec->valuedouble : -1;
  return 0;
}

/* The text and reasoning of one choice: chat message content (null is
 * empty) and reasoning_content / reasoning; completions text.  0, or -1
 * and err when the choice has neither shape. */
static int choice_text(enum net_gen_kind kind, const cJSON *c, int ix,
                       const char **text, const char **reasoning,
                       struct bon_err *err)
{
  *text = *reasoning = NULL;
  if(kind == NET_GEN_COMPLETIONS) {
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "text");
    if(!cJSON_IsString(t))
      return bon_errf(err, "choice %d has no text string", ix);
    *text = t->valuestring;
    return 0;
  }
  const cJSON *m = cJSON_GetObjectItemCaseSensitive(c, "message");
  const cJSON *t = cJSON_GetObjectItemCaseSensitive(m, "content");
  if(!cJSON_IsObject(m) || (t && !cJSON_IsString(t) && !cJSON_IsNull(t)))
    return bon_errf(err, "choice %d has no message with string or null "
                         "content", ix);
  *text = cJSON_IsString(t) ? t->valuestring : NULL;
  const cJSON *rc = cJSON_GetObjectItemCaseSensitive(m, "reasoning_content");
  if(!cJSON_IsString(rc))
    rc = cJSON_GetObjectItemCaseSensitive(m, "reasoning");
  *reasoning = cJSON_IsString(rc) ? rc->valuestring : NULL;
  return 0;
}

/* The choices of an OpenAI-shaped answer, by index, into out[0..n).  0,
 * or -1 and err (a missing, repeated or out-of-range index, a choice of
 * the wrong shape, a count other than n); out untouched on failure. */
static int parse_choices(enum net_gen_kind kind, const cJSON *j, size_t n,
                         struct net_completion *out, struct bon_err *err)
{
  const cJSON *ch = cJSON_GetObjectItemCaseSensitive(j, "choices");
  if(!cJSON_IsArray(ch))
    return bon_errf(err, "no \"choices\" array in the answer");
  const cJSON **got = xcalloc(n ? n : 1, sizeof(*got));
  size_t have = 0;
  int bad = 0;
  for(const cJSON *c = ch->child; c && !bad; c = c->next) {
    const cJSON *ix = cJSON_GetObjectItemCaseSensitive(c, "index");
    const char *t, *r;
    if(!cJSON_IsNumber(ix) || ix->valuedouble < 0 ||
       ix->valuedouble >= (double)n || ix->valuedouble != ix->valueint)
      bad = bon_errf(err, "choice with a missing or out-of-range index "
                          "(expected 0 to %zu)", n ? n - 1 : 0);
    else if(choice_text(kind, c, ix->valueint, &t, &r, err))
      bad = -1;
    else if(got[ix->valueint])
      bad = bon_errf(err, "choice index %d appears twice", ix->valueint);
    else {
      got[ix->valueint] = c;
      have++;
    }
  }
  if(!bad && have != n)
    bad = bon_errf(err, "expected %zu choices, got %zu", n, have);
  const cJSON *usage = cJSON_GetObjectItemCaseSensitive(j, "usage");
  const cJSON *ct = cJSON_GetObjectItemCaseSensitive(usage,
                                                     "completion_tokens");
  for(size_t i = 0; i < n && !bad; i++) {
    const char *t, *r;
    choice_text(kind, got[i], (int)i, &t, &r, err);
    memset(&out[i], 0, sizeof(out[i]));
    fill_completion(&out[i], t, r);
    out[i].finish = str_or_null(got[i], "finish_reason");
    out[i].tokens = n == 1 && cJSON_IsNumber(ct) ? (long)ct->valuedouble
                                                 : -1;
  }
  free(got);
  return bad ? -1 : 0;
}

int net_openai_parse(enum net_gen_kind kind, const char *body, size_t len,
                     size_t n, struct net_completion *out,
                     struct bon_err *err)
{
  cJSON *j = cJSON_ParseWithLength(body, len);
  if(!j)
    return bon_errf(err, "response is not valid JSON");
  int rc = kind == NET_GEN_OLLAMA ? parse_ollama(j, n, out, err)
                                  : parse_choices(kind, j, n, out, err);
  cJSON_Delete(j);
  return rc;
}

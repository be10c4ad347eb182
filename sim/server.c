/* server.c - the simulator behind an OpenAI/vLLM-compatible HTTP server
 * on 127.0.0.1 (server.h). */
#include "sim/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "sim/rm.h"
#include "sim/solve.h"
#include "util/hash.h"
#include "util/rng.h"

#define MAX_REQ_BODY (64u << 20)

void sim_server_opts_init(struct sim_server_opts *o)
{
  memset(o, 0, sizeof(*o));
  o->threads = 4;
  o->model = "sim";
  sim_params_default(&o->policy);
  o->retry_after = 0;
}

struct sim_server {
  struct sim_server_opts o;
  struct MHD_Daemon *d;
  int port;
  /* fault bookkeeping: how often each body was seen */
  pthread_mutex_t mu;
  uint64_t *seen_keys;
  uint32_t *seen_counts;
  size_t seen_cap, seen_n;
  atomic_long requests, answered;
  atomic_long n_ok, n_429, n_503, n_500, n_drop, n_malformed, n_4xx;
  atomic_int stopping;
};

/* ---- helpers ---------------------------------------------------------- */

const char *sim_server_split(const char *tmpl, const char *text,
                             size_t *len)
{
  size_t tl = strlen(text);
  *len = tl;
  if(!tmpl)
    return text;
  const char *r = strstr(tmpl, "{response}");
  const char *q = strstr(tmpl, "{question}");
  if(!r)
    return text;
  if(!q || q > r) {
    /* L0 {response} L1 [{question} L2] */
    size_t l0 = (size_t)(r - tmpl);
    if(strncmp(text, tmpl, l0))
      return text;
    const char *after = r + 10;
    size_t l1 = q ? (size_t)(q - after) : strlen(after);
    if(!q) {
      if(tl < l0 + l1 || strcmp(text + tl - l1, after))
        return text;
      *len = tl - l0 - l1;
      return text + l0;
    }
    if(!l1)
      return text;
    char *lit = xstrndup(after, l1);
    const char *m = strstr(text + l0, lit);
    free(lit);
    if(!m)
      return text;
    *len = (size_t)(m - (text + l0));
    return text + l0;
  }
  /* L0 {question} L1 {response} L2 */
  size_t l0 = (size_t)(q - tmpl);
  if(strncmp(text, tmpl, l0))
    return text;
  const char *mid = q + 10;
  size_t l1 = (size_t)(r - mid);
  const char *tail = r + 10;
  size_t l2 = strlen(tail);
  if(!l1 || tl < l0 + l1 + l2 || strcmp(text + tl - l2, tail))
    return text;
  char *lit = xstrndup(mid, l1);
  const char *m = strstr(text + l0, lit);
  free(lit);
  if(!m || (size_t)(m - text) + l1 > tl - l2)
    return text;
  *len = tl - l2 - (size_t)(m + l1 - text);
  return m + l1;
}

/* The sim RM a request names: one of the server's RMs, else the preset of
 * that name (its stream: the hash of the name, as a config RM's).  NULL
 * when neither exists. */
static const struct sim_rm_params *find_rm(const struct sim_server *s,
                                           const char *name,
                                           struct sim_rm_params *tmp)
{
  if(!name)
    return NULL;
  for(size_t i = 0; i < s->o.nrms; i++)
    if(!strcmp(s->o.rms[i].name, name))
      return &s->o.rms[i].params;
  if(sim_rm_preset(name, tmp) != 0)
    return NULL;
  tmp->id = hash_str(HASH_INIT, name);
  return tmp;
}

/* How many times this body was seen before (then counts it). */
static uint32_t seen(struct sim_server *s, uint64_t key)
{
  pthread_mutex_lock(&s->mu);
  if(s->seen_n * 2 >= s->seen_cap) {
    size_t nc = s->seen_cap ? s->seen_cap * 2 : 1024;
    uint64_t *k = xcalloc(nc, sizeof(*k));
    uint32_t *c = xcalloc(nc, sizeof(*c));
    for(size_t i = 0; i < s->seen_cap; i++)
      if(s->seen_counts[i]) {
        size_t j = s->seen_keys[i] & (nc - 1);
        while(c[j])
          j = (j + 1) & (nc - 1);
        k[j] = s->seen_keys[i];
        c[j] = s->seen_counts[i];
      }
    free(s->seen_keys);
    free(s->seen_counts);
    s->seen_keys = k;
    s->seen_counts = c;
    s->seen_cap = nc;
  }
  size_t j = key & (s->seen_cap - 1);
  while(s->seen_counts[j] && s->seen_keys[j] != key)
    j = (j + 1) & (s->seen_cap - 1);
  uint32_t before = 0;
  if(s->seen_counts[j])
    before = s->seen_counts[j]++;
  else {
    s->seen_keys[j] = key;
    s->seen_counts[j] = 1;
    s->seen_n++;
  }
  pthread_mutex_unlock(&s->mu);
  return before;
}

enum fault { F_NONE, F_DROP, F_429, F_503, F_500, F_MALFORMED };

static enum fault draw_fault(struct sim_server *s, const char *body,
                             size_t len)
{
  const struct sim_server_opts *o = &s->o;
  double total = o->drop + o->fail_429 + o->fail_503 + o->fail_500 +
                 o->malformed;
  if(total <= 0)
    return F_NONE;
  uint64_t key = hash_bytes(HASH_INIT, body, len);
  uint32_t k = seen(s, key);
  struct rng r;
  rng_seed(&r, o->seed, key, k);
  double u = rng_unif(&r);
  if((u -= o->drop) < 0)
    return F_DROP;
  if((u -= o->fail_429) < 0)
    return F_429;
  if((u -= o->fail_503) < 0)
    return F_503;
  if((u -= o->fail_500) < 0)
    return F_500;
  if((u -= o->malformed) < 0)
    return F_MALFORMED;
  return F_NONE;
}

struct conn {
  struct buf body;
  int too_big;
};

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned code,
                                 struct buf *b, double retry_after)
{
  size_t len = b->len;
  char *data = b->data ? b->data : xstrdup("");
  b->data = NULL;
  b->len = b->cap = 0;
  struct MHD_Response *r = MHD_create_response_from_buffer(
      len, data, MHD_RESPMEM_MUST_FREE);
  MHD_add_response_header(r, "Content-Type", "application/json");
  if(retry_after >= 0 && (code == 429 || code == 503)) {
    char v[32];
    snprintf(v, sizeof(v), "%.0f", retry_after);
    MHD_add_response_header(r, "Retry-After", v);
  }
  enum MHD_Result ret = MHD_queue_response(c, code, r);
  MHD_destroy_response(r);
  return ret;
}

static enum MHD_Result send_error(struct sim_server *s,
                                  struct MHD_Connection *c, unsigned code,
                                  const char *type, const char *msg)
{
  struct buf b = BUF_INIT;
  buf_puts(&b, "{\"error\":{\"message\":");
  buf_json_str(&b, msg);
  buf_printf(&b, ",\"type\":\"%s\",\"param\":null,\"code\":%u}}", type,
             code);
  if(code == 429)
    s->n_429++;
  else if(code == 503)
    s->n_503++;
  else if(code >= 500)
    s->n_500++;
  else
    s->n_4xx++;
  return send_json(c, code, &b, s->o.retry_after);
}

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

static void usage_tail(struct buf *b)
{
  buf_puts(b, ",\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0,"
              "\"total_tokens\":0}}");
}

static int too_long(const struct sim_server *s, const char *prompt)
{
  return s->o.max_prompt > 0 && (long)strlen(prompt) > s->o.max_prompt;
}

static enum MHD_Result context_error(struct sim_server *s,
                                     struct MHD_Connection *c,
                                     const char *prompt)
{
  char m[256];
  snprintf(m, sizeof(m), "This model's maximum context length is %ld "
                         "tokens. However, you requested %zu tokens. Please "
                         "reduce the length of the messages or completion.",
           s->o.max_prompt, strlen(prompt));
  return send_error(s, c, 400, "BadRequestError", m);
}

static enum MHD_Result completions(struct sim_server *s,
                                   struct MHD_Connection *c,
                                   const char *body, const cJSON *j,
                                   int chat)
{
  const char *model = cJSON_GetStringValue(
      cJSON_GetObjectItemCaseSensitive(j, "model"));
  const cJSON *nj = cJSON_GetObjectItemCaseSensitive(j, "n");
  long n = cJSON_IsNumber(nj) ? (long)nj->valuedouble : 1;
  if(n < 1 || n > 1024)
    return send_error(s, c, 400, "BadRequestError", "n must be 1 to 1024");
  uint64_t seed = body_seed(body, j);
  const char *prompts[1] = {""};
  const cJSON *plist = NULL;
  size_t np = 1;
  struct sim_rm_params tmp;
  const struct sim_rm_params *judge = NULL;
  if(chat) {
    const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(j, "messages");
    const char *last = NULL;
    const cJSON *m;
    cJSON_ArrayForEach(m, msgs) {
      const char *role = cJSON_GetStringValue(
          cJSON_GetObjectItemCaseSensitive(m, "role"));
      const char *content = cJSON_GetStringValue(
          cJSON_GetObjectItemCaseSensitive(m, "content"));
      if(role && content && !strcmp(role, "user"))
        last = content;
    }
    if(!last)
      return send_error(s, c, 400, "BadRequestError",
                        "messages: no user message with string content");
    prompts[0] = last;
    if(!model || strcmp(model, s->o.model)) {
      judge = find_rm(s, model, &tmp);
      if(!judge)
        return send_error(s, c, 404, "NotFoundError",
                          "The model does not exist.");
    }
  }
  else {
    if(!model || strcmp(model, s->o.model))
      return send_error(s, c, 404, "NotFoundError",
                        "The model does not exist.");
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(j, "prompt");
    if(cJSON_IsString(p))
      prompts[0] = p->valuestring;
    else if(cJSON_IsArray(p) && cJSON_GetArraySize(p) > 0) {
      plist = p;
      np = (size_t)cJSON_GetArraySize(p);
      const cJSON *e;
      cJSON_ArrayForEach(e, p) if(!cJSON_IsString(e))
        return send_error(s, c, 400, "BadRequestError",
                          "prompt: expected strings");
    }
    else
      return send_error(s, c, 400, "BadRequestError",
                        "prompt: expected a string or a list of strings");
  }
  struct buf b = BUF_INIT, t = BUF_INIT;
  buf_printf(&b, "{\"id\":\"%s-%ld\",\"object\":\"%s\",\"created\":0,"
                 "\"model\":", chat ? "chatcmpl" : "cmpl",
             (long)s->requests, chat ? "chat.completion" : "text_completion");
  buf_json_str(&b, model);
  buf_puts(&b, ",\"choices\":[");
  const cJSON *pe = plist ? plist->child : NULL;
  size_t idx = 0;
  for(size_t pi = 0; pi < np; pi++) {
    const char *prompt = plist ? pe->valuestring : prompts[0];
    if(plist)
      pe = pe->next;
    if(too_long(s, prompt)) {
      buf_free(&b);
      buf_free(&t);
      return context_error(s, c, prompt);
    }
    for(long i = 0; i < n; i++, idx++) {
      buf_reset(&t);
      if(judge) {
        size_t len;
        const char *r = sim_server_split(s->o.judge_template, prompt, &len);
        char *resp = xstrndup(r, len);
        buf_printf(&t, "The answer was checked step by step.\n\nRating: "
                       "[[%.17g]]", sim_rm_score(judge, "", resp));
        free(resp);
      }
      else
        sim_solve(&s->o.policy, prompt, seed + (uint64_t)i, SIM_NATURAL,
                  SIM_STYLE_MODEL, &t);
      if(idx)
        buf_putc(&b, ',');
      buf_printf(&b, "{\"index\":%zu,", idx);
      if(chat) {
        buf_puts(&b, "\"message\":{\"role\":\"assistant\",\"content\":");
        buf_json_str(&b, buf_str(&t));
        buf_putc(&b, '}');
      }
      else {
        buf_puts(&b, "\"text\":");
        buf_json_str(&b, buf_str(&t));
        buf_puts(&b, ",\"logprobs\":null");
      }
      buf_puts(&b, ",\"finish_reason\":\"stop\",\"stop_reason\":null}");
    }
  }
  buf_putc(&b, ']');
  usage_tail(&b);
  buf_free(&t);
  s->n_ok++;
  return send_json(c, 200, &b, -1);
}

static enum MHD_Result classify(struct sim_server *s,
                                struct MHD_Connection *c, const cJSON *j,
                                int pooling)
{
  const char *model = cJSON_GetStringValue(
      cJSON_GetObjectItemCaseSensitive(j, "model"));
  struct sim_rm_params tmp;
  const struct sim_rm_params *rm = find_rm(s, model, &tmp);
  if(!rm)
    return send_error(s, c, 404, "NotFoundError",
                      "The model does not exist.");
  const cJSON *in = cJSON_GetObjectItemCaseSensitive(j, "input");
  const cJSON *msgs = cJSON_GetObjectItemCaseSensitive(j, "messages");
  size_t n;
  if(cJSON_IsString(in))
    n = 1;
  else if(cJSON_IsArray(in) && cJSON_GetArraySize(in) > 0) {
    n = (size_t)cJSON_GetArraySize(in);
    const cJSON *e;
    cJSON_ArrayForEach(e, in) if(!cJSON_IsString(e))
      return send_error(s, c, 400, "BadRequestError",
                        "input: expected strings");
  }
  else if(cJSON_IsArray(msgs))
    n = 1;
  else
    return send_error(s, c, 400, "BadRequestError",
                      "expected \"input\" (string or list) or \"messages\"");
  struct buf b = BUF_INIT;
  buf_printf(&b, "{\"id\":\"%s-%ld\",\"object\":\"list\",\"created\":0,"
                 "\"model\":", pooling ? "pool" : "classify",
             (long)s->requests);
  buf_json_str(&b, model);
  buf_puts(&b, ",\"data\":[");
  const cJSON *e = cJSON_IsArray(in) ? in->child : in;
  for(size_t i = 0; i < n; i++) {
    char *resp;
    if(e) {
      const char *r;
      size_t len;
      r = sim_server_split(s->o.rm_template, e->valuestring, &len);
      resp = xstrndup(r, len);
      if(too_long(s, e->valuestring)) {
        free(resp);
        buf_free(&b);
        return context_error(s, c, e->valuestring);
      }
      e = e->next;
    }
    else {
      const char *a = NULL;
      const cJSON *m;
      cJSON_ArrayForEach(m, msgs) {
        const char *role = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(m, "role"));
        const char *content = cJSON_GetStringValue(
            cJSON_GetObjectItemCaseSensitive(m, "content"));
        if(role && content && !strcmp(role, "assistant"))
          a = content;
      }
      if(!a) {
        buf_free(&b);
        return send_error(s, c, 400, "BadRequestError",
                          "messages: no assistant message");
      }
      resp = xstrdup(a);
    }
    if(i)
      buf_putc(&b, ',');
    if(!pooling)
      buf_printf(&b, "{\"index\":%zu,\"label\":\"LABEL_0\",\"probs\":"
                     "[%.17g],\"num_classes\":1}", i,
                 sim_rm_score(rm, "", resp));
    else if(s->o.step_tag && *s->o.step_tag &&
            strstr(resp, s->o.step_tag)) {
      /* a process RM: one [p_bad, p_good] per step tag */
      double *pg;
      size_t ns = sim_rm_step_scores(rm, resp, s->o.step_tag, &pg);
      buf_printf(&b, "{\"index\":%zu,\"object\":\"pooling\",\"data\":[", i);
      for(size_t k = 0; k < ns; k++)
        buf_printf(&b, "%s[%.17g,%.17g]", k ? "," : "", 1.0 - pg[k], pg[k]);
      buf_puts(&b, "]}");
      free(pg);
    }
    else {
      /* one row per line: the score of the text up to that line's end */
      buf_printf(&b, "{\"index\":%zu,\"object\":\"pooling\",\"data\":[", i);
      size_t L = strlen(resp);
      int first = 1;
      for(size_t k = 0; k <= L; k++)
        if(k == L || resp[k] == '\n') {
          if(k < L && k + 1 == L)
            continue;
          char save = resp[k];
          resp[k] = '\0';
          buf_printf(&b, "%s[%.17g]", first ? "" : ",",
                     sim_rm_score(rm, "", resp));
          resp[k] = save;
          first = 0;
        }
      buf_puts(&b, "]}");
    }
    free(resp);
  }
  buf_putc(&b, ']');
  usage_tail(&b);
  s->n_ok++;
  return send_json(c, 200, &b, -1);
}

static void nap(struct sim_server *s, int ms)
{
  while(ms > 0 && !s->stopping) {
    int step = ms > 20 ? 20 : ms;
    struct timespec ts = {0, step * 1000000L};
    nanosleep(&ts, NULL);
    ms -= step;
  }
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
                              const char *url, const char *method,
                              const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
  (void)version;
  struct sim_server *s = cls;
  struct conn *cn = *con_cls;
  if(!cn) {
    cn = xcalloc(1, sizeof(*cn));
    *con_cls = cn;
    return MHD_YES;
  }
  if(*upload_size) {
    if(cn->body.len + *upload_size > MAX_REQ_BODY)
      cn->too_big = 1;
    else
      buf_append(&cn->body, upload, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  s->requests++;
  struct buf b = BUF_INIT;
  if(!strcmp(method, "GET")) {
    if(!strcmp(url, "/health")) {
      buf_puts(&b, "{\"status\":\"ok\"}");
      return send_json(c, 200, &b, -1);
    }
    if(!strcmp(url, "/v1/models")) {
      buf_puts(&b, "{\"object\":\"list\",\"data\":[{\"id\":");
      buf_json_str(&b, s->o.model);
      buf_puts(&b, ",\"object\":\"model\",\"owned_by\":\"bonrun\"}");
      for(size_t i = 0; i < s->o.nrms; i++) {
        buf_puts(&b, ",{\"id\":");
        buf_json_str(&b, s->o.rms[i].name);
        buf_puts(&b, ",\"object\":\"model\",\"owned_by\":\"bonrun\"}");
      }
      buf_puts(&b, "]}");
      return send_json(c, 200, &b, -1);
    }
    return send_error(s, c, 404, "NotFoundError", "no such route");
  }
  if(strcmp(method, "POST"))
    return send_error(s, c, 405, "MethodNotAllowed", "use POST");
  if(cn->too_big)
    return send_error(s, c, 413, "BadRequestError", "body too large");
  if(s->o.delay_ms > 0)
    nap(s, s->o.delay_ms);
  enum fault f = draw_fault(s, buf_str(&cn->body), cn->body.len);
  switch(f) {
  case F_DROP:
    s->n_drop++;
    return MHD_NO;  /* closes the connection: no answer at all */
  case F_429:
    return send_error(s, c, 429, "TooManyRequests", "injected fault");
  case F_503:
    return send_error(s, c, 503, "ServiceUnavailable", "injected fault");
  case F_500:
    return send_error(s, c, 500, "InternalServerError", "injected fault");
  case F_MALFORMED:
    s->n_malformed++;
    buf_puts(&b, "{\"id\":\"cmpl-broken\",\"choices\":[{\"index\":0,\"te");
    return send_json(c, 200, &b, -1);
  case F_NONE:
    break;
  }
  cJSON *j = cJSON_ParseWithLength(buf_str(&cn->body), cn->body.len);
  if(!cJSON_IsObject(j)) {
    cJSON_Delete(j);
    return send_error(s, c, 400, "BadRequestError",
                      "body is not a JSON object");
  }
  enum MHD_Result r;
  if(!strcmp(url, "/v1/completions"))
    r = completions(s, c, buf_str(&cn->body), j, 0);
  else if(!strcmp(url, "/v1/chat/completions"))
    r = completions(s, c, buf_str(&cn->body), j, 1);
  else if(!strcmp(url, "/classify") || !strcmp(url, "/v1/classify"))
    r = classify(s, c, j, 0);
  else if(!strcmp(url, "/pooling"))
    r = classify(s, c, j, 1);
  else
    r = send_error(s, c, 404, "NotFoundError", "no such route");
  cJSON_Delete(j);
  return r;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
  (void)c;
  (void)toe;
  struct sim_server *s = cls;
  struct conn *cn = *con_cls;
  if(cn) {
    buf_free(&cn->body);
    free(cn);
    *con_cls = NULL;
    s->answered++;
  }
}

struct sim_server *sim_server_start(const struct sim_server_opts *o,
                                    struct bon_err *err)
{
  struct sim_server *s = xcalloc(1, sizeof(*s));
  s->o = *o;
  pthread_mutex_init(&s->mu, NULL);
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)o->port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;
  if(o->delay_ms > 0)
    flags |= MHD_USE_THREAD_PER_CONNECTION;
  else
    flags |= MHD_USE_EPOLL;
  int threads = o->threads > 0 ? o->threads : 1;
  if(o->delay_ms > 0)
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, handle, s,
                            MHD_OPTION_SOCK_ADDR, &sa,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, s,
                            MHD_OPTION_CONNECTION_LIMIT, 4096u,
                            MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
                            MHD_OPTION_END);
  else
    s->d = MHD_start_daemon(flags, 0, NULL, NULL, handle, s,
                            MHD_OPTION_SOCK_ADDR, &sa,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, s,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
                            MHD_OPTION_CONNECTION_LIMIT, 4096u,
                            MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
                            MHD_OPTION_END);
  if(!s->d) {
    bon_errf(err, "cannot listen on 127.0.0.1:%d (port in use?)", o->port);
    sim_server_stop(s);
    return NULL;
  }
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
  s->port = info ? info->port : o->port;
  return s;
}

int sim_server_port(const struct sim_server *s)
{
  return s->port;
}

int sim_server_finished(const struct sim_server *s)
{
  return s->o.max_requests > 0 && s->requests >= s->o.max_requests;
}

void sim_server_stats(const struct sim_server *s, struct buf *out)
{
  buf_printf(out, "%ld requests: %ld ok, %ld 429, %ld 503, %ld 500, %ld "
                  "dropped, %ld malformed, %ld other 4xx",
             (long)s->requests, (long)s->n_ok, (long)s->n_429,
             (long)s->n_503, (long)s->n_500, (long)s->n_drop,
             (long)s->n_malformed, (long)s->n_4xx);
}

void sim_server_stop(struct sim_server *s)
{
  if(!s)
    return;
  s->stopping = 1;
  if(s->d)
    MHD_stop_daemon(s->d);
  free(s->seen_keys);
  free(s->seen_counts);
  pthread_mutex_destroy(&s->mu);
  free(s);
}

/* server.c - the simulator behind an OpenAI/vLLM-compatible HTTP server
 * on 127.0.0.1 (server.h): lifecycle, faults, the behaviours of real
 * servers that apply to every request, and routing.  The routes are in
 * srv_gen.c (generation) and srv_rm.c (reward models). */
#include "sim/server.h"
#include "sim/srv.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "sim/rm.h"
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

static double mono_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

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

const struct sim_rm_params *srv_find_rm(const struct sim_server *s,
                                        const char *name,
                                        struct sim_rm_params *tmp,
                                        const char **tmpl)
{
  *tmpl = s->o.rm_template;
  if(!name)
    return NULL;
  for(size_t i = 0; i < s->o.nrms; i++)
    if(!strcmp(s->o.rms[i].name, name)) {
      if(s->o.rms[i].rm_template)
        *tmpl = s->o.rms[i].rm_template;
      return &s->o.rms[i].params;
    }
  if(sim_rm_preset(name, tmp) != 0)
    return NULL;
  tmp->id = hash_str(HASH_INIT, name);
  return tmp;
}

const char *srv_str(const cJSON *j, const char *key)
{
  return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, key));
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

enum fault { F_NONE, F_DROP, F_429, F_503, F_500, F_424, F_MALFORMED };

static enum fault draw_fault(struct sim_server *s, const char *body,
                             size_t len)
{
  const struct sim_server_opts *o = &s->o;
  double total = o->drop + o->fail_429 + o->fail_503 + o->fail_500 +
                 o->fail_424 + o->malformed;
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
  if((u -= o->fail_424) < 0)
    return F_424;
  if((u -= o->malformed) < 0)
    return F_MALFORMED;
  return F_NONE;
}

struct conn {
  struct buf body;
  int too_big;
};

enum MHD_Result srv_send(struct MHD_Connection *c, unsigned code,
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

enum MHD_Result srv_error_body(struct sim_server *s,
                               struct MHD_Connection *c, unsigned code,
                               const char *body)
{
  struct buf b = BUF_INIT;
  buf_puts(&b, body);
  if(code == 429)
    s->n_429++;
  else if(code == 503)
    s->n_503++;
  else if(code >= 500)
    s->n_500++;
  else
    s->n_4xx++;
  return srv_send(c, code, &b, s->o.retry_after);
}

enum MHD_Result srv_error(struct sim_server *s, struct MHD_Connection *c,
                          unsigned code, const char *type, const char *msg)
{
  struct buf b = BUF_INIT;
  buf_puts(&b, "{\"error\":{\"message\":");
  buf_json_str(&b, msg);
  buf_printf(&b, ",\"type\":\"%s\",\"param\":null,\"code\":%u}}", type,
             code);
  enum MHD_Result r = srv_error_body(s, c, code, buf_str(&b));
  buf_free(&b);
  return r;
}

int srv_too_long(const struct sim_server *s, const char *text)
{
  return s->o.max_prompt > 0 && (long)strlen(text) > s->o.max_prompt;
}

enum MHD_Result srv_context_error(struct sim_server *s,
                                  struct MHD_Connection *c, size_t n)
{
  char m[256];
  snprintf(m, sizeof(m), "This model's maximum context length is %ld "
                         "tokens. However, you requested %zu tokens. Please "
                         "reduce the length of the messages or completion.",
           s->o.max_prompt, n);
  return srv_error(s, c, 400, "BadRequestError", m);
}

enum MHD_Result srv_batch_error(struct sim_server *s,
                                struct MHD_Connection *c, size_t n)
{
  char m[160];
  snprintf(m, sizeof(m), "{\"error\":\"batch size %zu > maximum allowed "
                         "batch size %ld\",\"error_type\":\"validation\"}",
           n, s->o.max_batch);
  return srv_error_body(s, c, 422, m);
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

static int loading(const struct sim_server *s)
{
  return s->o.loading_s > 0 && mono_s() - s->t_start < s->o.loading_s;
}

/* llama.cpp's answer while the model loads. */
static enum MHD_Result loading_error(struct sim_server *s,
                                     struct MHD_Connection *c)
{
  return srv_error_body(s, c, 503, "{\"error\":{\"code\":503,\"message\":"
                        "\"Loading model\",\"type\":\"unavailable_error\"}}");
}

/* --request-error: the body each status gets, in the words of a server
 * that answers it (docs/serving.md). */
static enum MHD_Result request_error(struct sim_server *s,
                                     struct MHD_Connection *c)
{
  switch(s->o.request_error) {
  case 401:
    return srv_error_body(s, c, 401, "{\"error\":{\"message\":\"Incorrect "
                          "API key provided\",\"type\":\"invalid_request_"
                          "error\",\"param\":null,\"code\":\"invalid_api_"
                          "key\"}}");
  case 404:
    return srv_error(s, c, 404, "NotFoundError",
                     "The model `x` does not exist.");
  case 405:
    return srv_error_body(s, c, 405, "{\"detail\":\"Method Not Allowed\"}");
  case 413:
    return srv_error_body(s, c, 413, "{\"error\":\"Payload Too Large\","
                          "\"error_type\":\"payload_limit\"}");
  case 422:
    return srv_error_body(s, c, 422, "{\"error\":\"Input validation error:"
                          " `top_p` must be > 0.0 and < 1.0\",\"error_"
                          "type\":\"validation\"}");
  default:
    return srv_error(s, c, (unsigned)s->o.request_error,
                     "BadRequestError", "Invalid request: a field has a "
                     "value this server does not take");
  }
}

/* 1 if `name` is one of the comma-separated names of `list`. */
static int in_list(const char *list, const char *name)
{
  size_t n = strlen(name);
  for(const char *p = list; p && (p = strstr(p, name)); p += n)
    if((p == list || p[-1] == ',') && (p[n] == ',' || !p[n]))
      return 1;
  return 0;
}

/* --reject-param: the OpenAI API's 400 for the first refused field the
 * body holds.  1 with *ret set when there is one, else 0. */
static int refused_param(struct sim_server *s, struct MHD_Connection *c,
                         const cJSON *j, enum MHD_Result *ret)
{
  for(const cJSON *f = j->child; s->o.reject_params && f; f = f->next) {
    if(!in_list(s->o.reject_params, f->string))
      continue;
    struct buf b = BUF_INIT;
    if(!strcmp(f->string, "max_tokens"))
      buf_puts(&b, "{\"error\":{\"message\":\"Unsupported parameter: "
                   "'max_tokens' is not supported with this model. Use "
                   "'max_completion_tokens' instead.\",\"type\":\"invalid_"
                   "request_error\",\"param\":\"max_tokens\",\"code\":"
                   "\"unsupported_parameter\"}}");
    else
      buf_printf(&b, "{\"error\":{\"message\":\"Unrecognized request "
                     "argument supplied: %s\",\"type\":\"invalid_request_"
                     "error\",\"param\":null,\"code\":null}}", f->string);
    *ret = srv_error_body(s, c, 400, buf_str(&b));
    buf_free(&b);
    return 1;
  }
  return 0;
}

/* The behaviours of real servers that hold for every POST, before its
 * route: a loading phase, a forced request-level error, a quota.  1 with
 * *ret set when the request was answered here. */
static int preflight(struct sim_server *s, struct MHD_Connection *c,
                     enum MHD_Result *ret)
{
  if(loading(s)) {
    *ret = loading_error(s, c);
    return 1;
  }
  if(s->o.request_error) {
    *ret = request_error(s, c);
    return 1;
  }
  long n = ++s->posts;
  if(s->o.quota_after > 0 && n > s->o.quota_after) {
    *ret = srv_error_body(s, c, 429, "{\"error\":{\"message\":\"You "
                          "exceeded your current quota, please check your "
                          "plan and billing details.\",\"type\":"
                          "\"insufficient_quota\",\"param\":null,\"code\":"
                          "\"insufficient_quota\"}}");
    return 1;
  }
  return 0;
}

/* An injected fault: 1 with *ret set when it answered the request. */
static int injected(struct sim_server *s, struct MHD_Connection *c,
                    struct conn *cn, enum MHD_Result *ret)
{
  struct buf b = BUF_INIT;
  switch(draw_fault(s, buf_str(&cn->body), cn->body.len)) {
  case F_DROP:
    s->n_drop++;
    *ret = MHD_NO;  /* closes the connection: no answer at all */
    return 1;
  case F_429:
    *ret = srv_error(s, c, 429, "TooManyRequests", "injected fault");
    return 1;
  case F_503:
    *ret = srv_error(s, c, 503, "ServiceUnavailable", "injected fault");
    return 1;
  case F_500:
    *ret = srv_error(s, c, 500, "InternalServerError", "injected fault");
    return 1;
  case F_424:
    *ret = srv_error_body(s, c, 424, "{\"error\":\"injected backend "
                          "fault\",\"error_type\":\"backend\"}");
    return 1;
  case F_MALFORMED:
    s->n_malformed++;
    buf_puts(&b, "{\"id\":\"cmpl-broken\",\"choices\":[{\"index\":0,\"te");
    *ret = srv_send(c, 200, &b, -1);
    return 1;
  case F_NONE:
    break;
  }
  return 0;
}

/* GET routes: /health (503 while loading), /version, /v1/models, and
 * Ollama's "/". */
static enum MHD_Result get_route(struct sim_server *s,
                                 struct MHD_Connection *c, const char *url)
{
  struct buf b = BUF_INIT;
  if(!strcmp(url, "/health")) {
    if(loading(s))
      return loading_error(s, c);
    buf_puts(&b, "{\"status\":\"ok\"}");
    return srv_send(c, 200, &b, -1);
  }
  if(!strcmp(url, "/")) {
    buf_puts(&b, "Ollama is running");
    return srv_send(c, 200, &b, -1);
  }
  if(!strcmp(url, "/version")) {
    buf_puts(&b, "{\"version\":");
    buf_json_str(&b, s->o.vllm_version ? s->o.vllm_version : "bonrun-sim");
    buf_putc(&b, '}');
    return srv_send(c, 200, &b, -1);
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
    return srv_send(c, 200, &b, -1);
  }
  return srv_error(s, c, 404, "NotFoundError", "no such route");
}

/* The route of a parsed POST body. */
static enum MHD_Result route(struct sim_server *s, struct MHD_Connection *c,
                             const char *url, const char *body,
                             const cJSON *j)
{
  if(!strcmp(url, "/v1/completions"))
    return srv_generate(s, c, body, j, SRV_COMPLETIONS);
  if(!strcmp(url, "/v1/chat/completions"))
    return srv_generate(s, c, body, j, SRV_CHAT);
  if(!strcmp(url, "/api/generate"))
    return srv_generate(s, c, body, j, SRV_OLLAMA);
  if(!strcmp(url, "/classify") && cJSON_GetObjectItemCaseSensitive(j, "text"))
    return srv_sglang(s, c, j);
  if(!strcmp(url, "/classify") || !strcmp(url, "/v1/classify"))
    return srv_classify(s, c, j, 0);
  if(!strcmp(url, "/pooling"))
    return srv_classify(s, c, j, 1);
  if(!strcmp(url, "/predict"))
    return srv_predict(s, c, j);
  return srv_error(s, c, 404, "NotFoundError", "no such route");
}

/* A POST with its whole body: the behaviours of real servers, faults,
 * then the route. */
static enum MHD_Result post_route(struct sim_server *s,
                                  struct MHD_Connection *c, const char *url,
                                  struct conn *cn)
{
  enum MHD_Result r;
  if(cn->too_big)
    return srv_error(s, c, 413, "BadRequestError", "body too large");
  if(s->o.delay_ms > 0)
    nap(s, s->o.delay_ms);
  if(preflight(s, c, &r) || injected(s, c, cn, &r))
    return r;
  cJSON *j = cJSON_ParseWithLength(buf_str(&cn->body), cn->body.len);
  if(!cJSON_IsObject(j))
    r = srv_error(s, c, 400, "BadRequestError", "body is not a JSON object");
  else if(!refused_param(s, c, j, &r))
    r = route(s, c, url, buf_str(&cn->body), j);
  cJSON_Delete(j);
  return r;
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
  if(!strcmp(method, "GET"))
    return get_route(s, c, url);
  if(strcmp(method, "POST"))
    return srv_error(s, c, 405, "MethodNotAllowed", "use POST");
  return post_route(s, c, url, cn);
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
  s->t_start = mono_s();
  pthread_mutex_init(&s->mu, NULL);
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof(sa));
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)o->port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  /* Not MHD_USE_EPOLL: libmicrohttpd's epoll loop (0.9.75) takes ready
   * connections 128 at a time and, after a full batch, calls epoll_wait
   * again with the same unbounded timeout before serving the batch, so
   * with exactly 128 * k connections ready and no further event a thread
   * sleeps with their requests unread (tests/e2e/serve_conns.sh).  poll()
   * is level-triggered and has no such loop. */
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD;
  if(o->delay_ms > 0)
    flags |= MHD_USE_THREAD_PER_CONNECTION;
  else
    flags |= MHD_USE_POLL;
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

#include "net/client.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "net/evloop.h"
#include "util/notice.h"
#include "util/rng.h"

#define MAX_BODY (256u << 20)  /* responses larger than this are refused */

void net_opts_default(struct net_opts *o)
{
  memset(o, 0, sizeof(*o));
  o->in_flight = 64;
  o->connect_timeout_s = 10;
  o->timeout_s = 600;
  o->retries = 5;
  o->backoff_base_s = 0.5;
  o->backoff_max_s = 30;
  o->retry_after_max_s = 120;
  o->abort_after = 32;
  o->ready_timeout_s = 600;
}

/* ---- pure pieces ------------------------------------------------------ */

double net_backoff(int attempt, double base, double cap, double u)
{
  if(attempt < 0)
    attempt = 0;
  double ceil = base * ldexp(1.0, attempt > 60 ? 60 : attempt);
  if(ceil > cap)
    ceil = cap;
  return u * ceil;
}

static const char *const months[] = {
  "Jan", "Feb", "Mar", "Apr", "May", "Jun",
  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static int month_of(const char *s)
{
  for(int i = 0; i < 12; i++)
    if(!strncasecmp(s, months[i], 3))
      return i;
  return -1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), no time zone. */
static long long days_from_civil(long long y, int m, int d)
{
  y -= m <= 2;
  long long era = (y >= 0 ? y : y - 399) / 400;
  long long yoe = y - era * 400;
  long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* Parse the three HTTP date forms; -1 on failure. */
static long long http_date(const char *s)
{
  char wd[16], mon[4], tz[8];
  int d, y, hh, mm, ss;
  /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
  if(sscanf(s, "%15[A-Za-z], %d %3s %d %d:%d:%d %7s", wd, &d, mon, &y, &hh,
            &mm, &ss, tz) == 8) {
  }
  /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
  else if(sscanf(s, "%15[A-Za-z], %d-%3[A-Za-z]-%d %d:%d:%d %7s", wd, &d,
                 mon, &y, &hh, &mm, &ss, tz) == 8) {
    if(y < 100)
      y += y < 70 ? 2000 : 1900;
  }
  /* asctime: Sun Nov  6 08:49:37 1994 */
  else if(sscanf(s, "%15[A-Za-z] %3s %d %d:%d:%d %d", wd, mon, &d, &hh, &mm,
                 &ss, &y) == 7) {
    strcpy(tz, "GMT");
  }
  else
    return -1;
  int m = month_of(mon);
  if(m < 0 || d < 1 || d > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
     ss < 0 || ss > 60 || y < 1970 || y > 9999 ||
     (strcasecmp(tz, "GMT") && strcasecmp(tz, "UTC")))
    return -1;
  return days_from_civil(y, m + 1, d) * 86400LL + hh * 3600LL + mm * 60LL +
         ss;
}

double net_retry_after(const char *value, time_t now)
{
  if(!value)
    return -1;
  while(isspace((unsigned char)*value))
    value++;
  if(isdigit((unsigned char)*value)) {
    char *end;
    double v = strtod(value, &end);
    while(isspace((unsigned char)*end))
      end++;
    if(*end == '\0' && v >= 0 && isfinite(v))
      return v;
  }
  long long t = http_date(value);
  if(t < 0)
    return -1;
  double d = (double)(t - (long long)now);
  return d > 0 ? d : 0;
}

static const char *json_msg(const cJSON *e)
{
  if(cJSON_IsString(e))
    return e->valuestring;
  if(cJSON_IsObject(e)) {
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "message");
    if(cJSON_IsString(m))
      return m->valuestring;
  }
  return NULL;
}

void net_error_message(const char *body, size_t len, struct buf *out)
{
  cJSON *j = body && len ? cJSON_ParseWithLength(body, len) : NULL;
  const char *msg = NULL;
  if(cJSON_IsObject(j)) {
    msg = json_msg(cJSON_GetObjectItemCaseSensitive(j, "error"));
    if(!msg)
      msg = json_msg(j);
    if(!msg) {
      const cJSON *d = cJSON_GetObjectItemCaseSensitive(j, "detail");
      msg = json_msg(d);
    }
  }
  if(msg)
    buf_puts(out, msg);
  else if(body && len) {
    size_t n = len > 200 ? 200 : len;
    for(size_t i = 0; i < n; i++)
      buf_putc(out, isprint((unsigned char)body[i]) ? body[i] : ' ');
    if(n < len)
      buf_puts(out, "...");
  }
  else
    buf_puts(out, "(empty body)");
  if(cJSON_IsObject(j)) {
    /* keep the machine-readable code: "context_length_exceeded" */
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(
        cJSON_IsObject(e) ? e : j, "code");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(
        cJSON_IsObject(e) ? e : j, "type");
    if(cJSON_IsString(c))
      buf_printf(out, " [%s]", c->valuestring);
    else if(cJSON_IsString(t) && strstr(t->valuestring, "context"))
      buf_printf(out, " [%s]", t->valuestring);
  }
  cJSON_Delete(j);
}

/* 1 if an error message says the input was longer than the context. */
static int is_context_error(const char *msg)
{
  /* docs/serving.md, "Context too long": every wording bonrun knows */
  static const char *const pats[] = {
    "maximum context length",                 /* vLLM, OpenAI, SGLang */
    "context_length_exceeded",                /* OpenAI's code */
    "longer than the model's context length", /* SGLang */
    "longer than the maximum model length",   /* vLLM V1 engine */
    "exceeds the available context size",     /* llama.cpp, Ollama */
    "exceed_context_size_error",              /* llama.cpp's type */
    "Requested token count exceeds",          /* SGLang */
    "`inputs` tokens + `max_new_tokens` must be <=", /* TGI */
    "`inputs` must have less than",           /* TEI, TGI (no truncate) */
    "exceeds the context length",             /* Ollama embed */
    "longer than the context length",         /* Ollama, shift off */
    "Context size has been exceeded",         /* llama.cpp, mid-answer */
    NULL,
  };
  if(!msg)
    return 0;
  for(int i = 0; pats[i]; i++)
    if(strcasestr(msg, pats[i]))
      return 1;
  return 0;
}

/* The classification table: the first row whose status range holds the
 * status and whose pattern (case-insensitive, NULL = any) occurs in the
 * message wins.  net/README.md shows it per server; docs/serving.md says
 * where each wording comes from. */
#define CONTEXT_PATTERN ((const char *)1)  /* is_context_error() */
static const struct rule {
  long lo, hi;
  const char *pattern;
  enum net_class cls;
  enum net_cause cause;
} rules[] = {
  {200, 299, NULL, NET_CLASS_OK, NET_CAUSE_NONE},
  {401, 401, NULL, NET_CLASS_REQUEST, NET_CAUSE_AUTH},
  {403, 403, NULL, NET_CLASS_REQUEST, NET_CAUSE_AUTH},
  {429, 429, "insufficient_quota", NET_CLASS_REQUEST, NET_CAUSE_QUOTA},
  {400, 599, "Only one completion choice", NET_CLASS_REQUEST,
   NET_CAUSE_SINGLE_CHOICE},
  {400, 599, CONTEXT_PATTERN, NET_CLASS_ITEM, NET_CAUSE_CONTEXT},
  {400, 499, "cannot be empty", NET_CLASS_ITEM, NET_CAUSE_EMPTY_INPUT},
  {400, 499, "batch size", NET_CLASS_REQUEST, NET_CAUSE_BATCH_SIZE},
  {413, 413, NULL, NET_CLASS_REQUEST, NET_CAUSE_TOO_LARGE},
  {404, 404, NULL, NET_CLASS_REQUEST, NET_CAUSE_NOT_FOUND},
  {405, 405, NULL, NET_CLASS_REQUEST, NET_CAUSE_METHOD},
  {400, 599, "n_cmpl", NET_CLASS_REQUEST, NET_CAUSE_N_LIMIT},
  {400, 499, "`n`", NET_CLASS_REQUEST, NET_CAUSE_N_LIMIT},
  {400, 499, "n must be", NET_CLASS_REQUEST, NET_CAUSE_N_LIMIT},
  {400, 499, "Unrecognized request argument", NET_CLASS_REQUEST,
   NET_CAUSE_PARAM},
  {400, 499, "Unsupported param", NET_CLASS_REQUEST, NET_CAUSE_PARAM},
  {400, 499, "unsupported_parameter", NET_CLASS_REQUEST, NET_CAUSE_PARAM},
  {400, 499, "Unsupported value", NET_CLASS_REQUEST, NET_CAUSE_PARAM},
  {400, 499, "unsupported_value", NET_CLASS_REQUEST, NET_CAUSE_PARAM},
  {400, 499, "Extra inputs are not permitted", NET_CLASS_REQUEST,
   NET_CAUSE_PARAM},
  {400, 499, "unknown field", NET_CLASS_REQUEST, NET_CAUSE_PARAM},
  {424, 424, NULL, NET_CLASS_RETRY_ONCE, NET_CAUSE_BACKEND},
  {408, 409, NULL, NET_CLASS_RETRY, NET_CAUSE_RATE},
  {425, 425, NULL, NET_CLASS_RETRY, NET_CAUSE_RATE},
  {429, 429, NULL, NET_CLASS_RETRY, NET_CAUSE_RATE},
  {502, 504, NULL, NET_CLASS_RETRY, NET_CAUSE_UNAVAILABLE},
  {500, 599, NULL, NET_CLASS_RETRY, NET_CAUSE_SERVER},
  {400, 499, NULL, NET_CLASS_REQUEST, NET_CAUSE_OTHER_4XX},
  {300, 399, NULL, NET_CLASS_REQUEST, NET_CAUSE_REDIRECT},
};

struct net_verdict net_classify(long status, const char *msg)
{
  for(size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
    const struct rule *r = &rules[i];
    if(status < r->lo || status > r->hi)
      continue;
    if(r->pattern == CONTEXT_PATTERN ? !is_context_error(msg) :
       r->pattern && !(msg && strcasestr(msg, r->pattern)))
      continue;
    return (struct net_verdict){r->cls, r->cause};
  }
  /* 1xx or a status out of range: nothing sensible can follow */
  return (struct net_verdict){NET_CLASS_REQUEST, NET_CAUSE_OTHER_4XX};
}

const char *net_cause_name(enum net_cause cause)
{
  static const char *const names[] = {
    "none", "context", "empty input", "auth", "quota", "not found",
    "method", "too large", "batch size", "n limit", "single choice",
    "parameter", "other 4xx", "redirect", "rate", "unavailable", "server",
    "backend", "transport", "tls", "not ready", "old server",
  };
  size_t i = (size_t)cause;
  return i < sizeof(names) / sizeof(names[0]) ? names[i] : "?";
}

char *net_base_url(const char *url, struct bon_err *err)
{
  if(!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8))) {
    bon_errf(err, "url \"%s\": expected http://HOST:PORT or https://...",
             url ? url : "");
    return NULL;
  }
  const char *host = strstr(url, "://") + 3;
  if(!*host || *host == '/' || strpbrk(url, " \t\r\n\"")) {
    bon_errf(err, "url \"%s\": no host, or a blank or quote in it", url);
    return NULL;
  }
  size_t n = strlen(url);
  while(n > 0 && url[n - 1] == '/')
    n--;
  if(n >= 3 && !strncmp(url + n - 3, "/v1", 3) && url + n - 3 > host)
    n -= 3;
  while(n > 0 && url[n - 1] == '/')
    n--;
  return xstrndup(url, n);
}

/* ---- the engine ------------------------------------------------------- */

struct endpoint {
  char *base;
  int active;
};

enum slot_state { SLOT_FREE, SLOT_ACTIVE, SLOT_WAITING };

struct slot {
  struct net_req req;
  enum slot_state state;
  CURL *easy;
  int ep;                /* endpoint of the current/last attempt */
  struct buf url;
  struct buf resp;
  char retry_after[64];  /* last Retry-After header value */
  char retry_after_ms[32];
  double due;            /* when SLOT_WAITING: monotonic time to resend */
  char errbuf[CURL_ERROR_SIZE];
  struct buf last_error; /* description of the last failed attempt */
  int too_big;
  size_t idx;            /* its place in the client's slots */
  CURLcode result;       /* of the attempt just completed */
};

struct net_client {
  struct net_opts o;
  struct endpoint *eps;
  size_t neps;
  struct slot *slots;
  size_t nslots;
  size_t *free_stk;      /* free slots (a stack of indices) */
  size_t nfree;
  size_t *heap;          /* waiting slots, a min-heap on due */
  size_t *done_stk;      /* completed slots of one wake-up */
  size_t nheap;
  size_t nactive;        /* slots with a transfer in curl */
  struct net_evloop *loop;
  CURLM *multi;
  struct curl_slist *headers;
  struct rng jitter;
  struct net_stats stats;
  int no_answer_run;     /* requests in a row that got no answer */
  int ready;             /* net_client_ready succeeded */
  enum net_cause cause;  /* why the last net_run stopped */
};

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static size_t on_write(char *p, size_t size, size_t n, void *ud)
{
  struct slot *s = ud;
  size_t len = size * n;
  if(s->resp.len + len > MAX_BODY) {
    s->too_big = 1;
    return 0;
  }
  buf_append(&s->resp, p, len);
  return len;
}

static void header_value(const char *p, size_t len, const char *name,
                         char *out, size_t outlen)
{
  size_t nl = strlen(name);
  if(len <= nl + 1 || strncasecmp(p, name, nl) || p[nl] != ':')
    return;
  p += nl + 1;
  len -= nl + 1;
  while(len && (*p == ' ' || *p == '\t'))
    p++, len--;
  while(len && (p[len - 1] == '\r' || p[len - 1] == '\n' ||
                p[len - 1] == ' '))
    len--;
  if(len >= outlen)
    len = outlen - 1;
  memcpy(out, p, len);
  out[len] = '\0';
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
  struct slot *s = ud;
  size_t len = size * n;
  header_value(p, len, "retry-after", s->retry_after,
               sizeof(s->retry_after));
  header_value(p, len, "retry-after-ms", s->retry_after_ms,
               sizeof(s->retry_after_ms));
  return len;
}

/* Set up one easy handle for a slot: callbacks, headers, timeouts, TLS
 * always verified.  0, or -1 when libcurl cannot make a handle. */
static int setup_easy(struct net_client *c, struct slot *s)
{
  s->easy = curl_easy_init();
  if(!s->easy)
    return -1;
  curl_easy_setopt(s->easy, CURLOPT_PRIVATE, s);
  curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
  curl_easy_setopt(s->easy, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(s->easy, CURLOPT_HEADERDATA, s);
  curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, c->headers);
  curl_easy_setopt(s->easy, CURLOPT_ERRORBUFFER, s->errbuf);
  curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(s->easy, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(s->easy, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(s->easy, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(s->easy, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(s->easy, CURLOPT_CONNECTTIMEOUT_MS,
                   (long)(c->o.connect_timeout_s * 1000));
  curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS,
                   (long)(c->o.timeout_s * 1000));
  curl_easy_setopt(s->easy, CURLOPT_ACCEPT_ENCODING, "");
  net_evloop_attach(c->loop, s->easy);
  return 0;
}

struct net_client *net_client_new(const struct net_opts *o,
                                  struct bon_err *err)
{
  static int global_done;
  if(!global_done) {
    if(curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      bon_errf(err, "cannot initialise libcurl");
      return NULL;
    }
    global_done = 1;
  }
  if(!o->nurls) {
    bon_errf(err, "no url given");
    return NULL;
  }
  if(o->in_flight < 1 || o->in_flight > 100000 || o->retries < 0 ||
     !(o->timeout_s > 0) || !(o->connect_timeout_s > 0)) {
    bon_errf(err, "in_flight must be >= 1, retries >= 0, timeouts > 0");
    return NULL;
  }
  struct net_client *c = xcalloc(1, sizeof(*c));
  c->o = *o;
  c->o.urls = NULL;
  c->o.api_key = NULL;
  c->o.health_path = o->health_path ? xstrdup(o->health_path) : NULL;
  c->neps = o->nurls;
  c->eps = xcalloc(c->neps, sizeof(*c->eps));
  for(size_t i = 0; i < c->neps; i++) {
    c->eps[i].base = net_base_url(o->urls[i], err);
    if(!c->eps[i].base) {
      net_client_free(c);
      return NULL;
    }
  }
  c->nslots = c->neps * (size_t)o->in_flight;
  c->slots = xcalloc(c->nslots, sizeof(*c->slots));
  c->free_stk = xcalloc(c->nslots, sizeof(size_t));
  c->heap = xcalloc(c->nslots, sizeof(size_t));
  c->done_stk = xcalloc(c->nslots, sizeof(size_t));
  for(size_t i = 0; i < c->nslots; i++) {
    c->slots[i].idx = i;
    c->free_stk[i] = c->nslots - 1 - i;
  }
  c->nfree = c->nslots;
  c->multi = curl_multi_init();
  c->loop = c->multi ? net_evloop_new(c->multi) : NULL;
  if(!c->loop) {
    bon_errf(err, "cannot set up the event loop (curl multi, epoll)");
    net_client_free(c);
    return NULL;
  }
  curl_multi_setopt(c->multi, CURLMOPT_MAXCONNECTS, (long)c->nslots + 8);
  c->headers = curl_slist_append(NULL, "Content-Type: application/json");
  c->headers = curl_slist_append(c->headers, "Expect:");
  c->headers = curl_slist_append(c->headers, "Accept: application/json");
  if(o->api_key && *o->api_key) {
    struct buf h = BUF_INIT;
    buf_printf(&h, "Authorization: Bearer %s", o->api_key);
    c->headers = curl_slist_append(c->headers, buf_str(&h));
    memset(h.data, 0, h.len);
    buf_free(&h);
  }
  rng_seed(&c->jitter, o->jitter_seed, 0x6e6574ULL, 0);
  for(size_t i = 0; i < c->nslots; i++)
    if(setup_easy(c, &c->slots[i])) {
      bon_errf(err, "cannot create a curl handle");
      net_client_free(c);
      return NULL;
    }
  return c;
}

void net_client_free(struct net_client *c)
{
  if(!c)
    return;
  for(size_t i = 0; i < c->nslots; i++) {
    struct slot *s = &c->slots[i];
    if(s->easy) {
      if(s->state == SLOT_ACTIVE)
        curl_multi_remove_handle(c->multi, s->easy);
      curl_easy_cleanup(s->easy);
    }
    buf_free(&s->req.body);
    buf_free(&s->url);
    buf_free(&s->resp);
    buf_free(&s->last_error);
  }
  free(c->slots);
  free(c->free_stk);
  free(c->heap);
  free(c->done_stk);
  if(c->multi)
    curl_multi_cleanup(c->multi);
  net_evloop_free(c->loop);
  if(c->headers) {
    /* wipe the key from memory before giving it back */
    for(struct curl_slist *l = c->headers; l; l = l->next)
      memset(l->data, 0, strlen(l->data));
    curl_slist_free_all(c->headers);
  }
  for(size_t i = 0; i < c->neps; i++)
    free(c->eps[i].base);
  free(c->eps);
  free((char *)c->o.health_path);
  free(c);
}

const struct net_stats *net_client_stats(const struct net_client *c)
{
  return &c->stats;
}

void net_stats_summary(const struct net_stats *s, struct buf *out)
{
  buf_printf(out, "%llu requests, %llu ok, %llu failed (%llu permanent)",
             (unsigned long long)s->requests, (unsigned long long)s->ok,
             (unsigned long long)s->failed,
             (unsigned long long)s->permanent);
  const char *sep = "; HTTP ";
  for(int i = 0; i < 600; i++)
    if(s->by_status[i]) {
      buf_printf(out, "%s%d: %llu", sep, i,
                 (unsigned long long)s->by_status[i]);
      sep = ", ";
    }
  if(s->timeouts)
    buf_printf(out, "; %llu timeouts", (unsigned long long)s->timeouts);
  if(s->conn_errors)
    buf_printf(out, "; %llu connection errors",
               (unsigned long long)s->conn_errors);
  if(s->malformed)
    buf_printf(out, "; %llu malformed", (unsigned long long)s->malformed);
  if(s->retried)
    buf_printf(out, "; %llu retried", (unsigned long long)s->retried);
}


enum net_cause net_client_cause(const struct net_client *c)
{
  return c->cause;
}

void net_client_set_cause(struct net_client *c, enum net_cause cause)
{
  c->cause = cause;
}

static size_t pick_endpoint(struct net_client *c)
{
  size_t best = 0;
  for(size_t i = 1; i < c->neps; i++)
    if(c->eps[i].active < c->eps[best].active)
      best = i;
  return best;
}

static void start(struct net_client *c, struct slot *s)
{
  size_t e = pick_endpoint(c);
  s->ep = (int)e;
  c->eps[e].active++;
  buf_reset(&s->url);
  buf_puts(&s->url, c->eps[e].base);
  buf_puts(&s->url, s->req.path ? s->req.path : "/");
  buf_reset(&s->resp);
  s->retry_after[0] = s->retry_after_ms[0] = '\0';
  s->errbuf[0] = '\0';
  s->too_big = 0;
  curl_easy_setopt(s->easy, CURLOPT_URL, buf_str(&s->url));
  curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, buf_str(&s->req.body));
  curl_easy_setopt(s->easy, CURLOPT_POSTFIELDSIZE_LARGE,
                   (curl_off_t)s->req.body.len);
  s->req.attempts++;
  c->stats.attempts++;
  s->state = SLOT_ACTIVE;
  c->nactive++;
  curl_multi_add_handle(c->multi, s->easy);
}

/* ---- waiting slots: a min-heap on their due time ---------------------- */

static int due_before(const struct net_client *c, size_t a, size_t b)
{
  return c->slots[c->heap[a]].due < c->slots[c->heap[b]].due;
}

static void heap_swap(struct net_client *c, size_t a, size_t b)
{
  size_t t = c->heap[a];
  c->heap[a] = c->heap[b];
  c->heap[b] = t;
}

static void heap_push(struct net_client *c, struct slot *s)
{
  size_t i = c->nheap++;
  c->heap[i] = s->idx;
  while(i > 0 && due_before(c, i, (i - 1) / 2)) {
    heap_swap(c, i, (i - 1) / 2);
    i = (i - 1) / 2;
  }
}

static struct slot *heap_pop(struct net_client *c)
{
  struct slot *top = &c->slots[c->heap[0]];
  c->heap[0] = c->heap[--c->nheap];
  for(size_t i = 0;;) {
    size_t l = 2 * i + 1, m = i;
    if(l < c->nheap && due_before(c, l, m))
      m = l;
    if(l + 1 < c->nheap && due_before(c, l + 1, m))
      m = l + 1;
    if(m == i)
      break;
    heap_swap(c, i, m);
    i = m;
  }
  return top;
}

/* Fatal transport errors: nothing a retry could fix, for any request. */
static int fatal_curl(CURLcode rc)
{
  return rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL ||
         rc == CURLE_PEER_FAILED_VERIFICATION ||
         rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_SSL_CERTPROBLEM ||
         rc == CURLE_SSL_CIPHER || rc == CURLE_SSL_ENGINE_NOTFOUND ||
         rc == CURLE_NOT_BUILT_IN;
}

/* Why net_run is leaving its loop. */
enum run_stop {
  RUN_GOING,       /* keep going */
  RUN_STOP_ASKED,  /* done() said NET_STOP: return 0 */
  RUN_STOP_FATAL   /* err is set: return -1 */
};

struct run {
  struct net_client *c;
  net_done done;
  void *ctx;
  struct bon_err *err;
  enum run_stop stop;
};

static void release(struct net_client *c, struct slot *s)
{
  s->state = SLOT_FREE;
  buf_reset(&s->req.body);
  c->free_stk[c->nfree++] = s->idx;
}

/* Stop the whole run for s's last error (err set from it, `why` added);
 * s is released and nothing is handed to done(). */
static void stop_fatal(struct run *r, struct slot *s, enum net_cause cause,
                       const char *why)
{
  if(r->stop != RUN_STOP_FATAL) {
    bon_errf(r->err, "%s%s", buf_str(&s->last_error), why ? why : "");
    r->c->cause = cause;
    r->stop = RUN_STOP_FATAL;
  }
  release(r->c, s);
}

/* Count a final outcome toward abort_after: a request that got no answer
 * (no_answer) extends the run of such requests, one the server answered
 * ends it.  Stops the run once abort_after requests in a row got none. */
static void count_answer(struct run *r, struct slot *s, int no_answer)
{
  struct net_client *c = r->c;
  if(!no_answer) {
    c->no_answer_run = 0;
    return;
  }
  c->no_answer_run++;
  if(c->o.abort_after > 0 && c->no_answer_run >= c->o.abort_after &&
     r->stop == RUN_GOING) {
    bon_errf(r->err, "%s: %d requests in a row got no answer after %d "
                     "attempts each; last: %s.  Is the server up, "
                     "reachable and done loading?", c->eps[s->ep].base,
             c->no_answer_run, s->req.attempts, buf_str(&s->last_error));
    c->cause = NET_CAUSE_TRANSPORT;
    r->stop = RUN_STOP_FATAL;
  }
}

/* Hand s's final failure to done(): cls NET_CLASS_ITEM (the server refused
 * the item) or NET_CLASS_RETRY (retries ran out), then release s. */
static void give_up(struct run *r, struct slot *s, long status,
                    struct net_verdict v)
{
  struct net_client *c = r->c;
  struct net_result res;
  memset(&res, 0, sizeof(res));
  res.status = status;
  res.body = buf_str(&s->resp);
  res.len = s->resp.len;
  res.error = buf_str(&s->last_error);
  res.cls = v.cls == NET_CLASS_ITEM ? NET_CLASS_ITEM : NET_CLASS_RETRY;
  res.cause = v.cause;
  res.endpoint = c->eps[s->ep].base;
  c->stats.failed++;
  if(res.cls == NET_CLASS_ITEM)
    c->stats.permanent++;
  if(r->done(r->ctx, &s->req, &res) == NET_STOP && r->stop == RUN_GOING)
    r->stop = RUN_STOP_ASKED;
  count_answer(r, s, v.cause == NET_CAUSE_TRANSPORT ||
                         v.cause == NET_CAUSE_UNAVAILABLE);
  release(r->c, s);
}

/* Seconds to wait before resending s: full-jitter backoff, or the
 * server's Retry-After (retry-after-ms first) when longer, capped. */
static double retry_wait(struct net_client *c, struct slot *s)
{
  double wait = net_backoff(s->req.attempts - 1, c->o.backoff_base_s,
                            c->o.backoff_max_s, rng_unif(&c->jitter));
  double ra = -1;
  if(s->retry_after_ms[0]) {
    char *end;
    double v = strtod(s->retry_after_ms, &end);
    if(end != s->retry_after_ms && v >= 0)
      ra = v / 1000;
  }
  if(ra < 0 && s->retry_after[0])
    ra = net_retry_after(s->retry_after, time(NULL));
  if(ra > c->o.retry_after_max_s)
    ra = c->o.retry_after_max_s;
  return ra > wait ? ra : wait;
}

/* Retry s later if attempts remain (one retry at most for
 * NET_CLASS_RETRY_ONCE), else give up on it. */
static void retry_or_give_up(struct run *r, struct slot *s, long status,
                             struct net_verdict v)
{
  struct net_client *c = r->c;
  int limit = c->o.retries;
  if(v.cls == NET_CLASS_RETRY_ONCE && limit > 1)
    limit = 1;
  if(s->req.attempts > limit) {
    buf_printf(&s->last_error, " (after %d attempt%s)", s->req.attempts,
               s->req.attempts == 1 ? "" : "s");
    give_up(r, s, status, v);
    return;
  }
  c->stats.retried++;
  s->due = now_s() + retry_wait(c, s);
  s->state = SLOT_WAITING;
  heap_push(c, s);
}

/* An attempt that got no HTTP answer (rc != CURLE_OK): a response over
 * MAX_BODY stops the run (the request asks too much); a bad URL or TLS
 * failure stops it too; timeouts and connection errors are retried. */
static void finished_transport(struct run *r, struct slot *s, CURLcode rc)
{
  struct net_client *c = r->c;
  const char *base = c->eps[s->ep].base;
  if(s->too_big) {
    buf_printf(&s->last_error, "%s%s: response larger than %u MiB", base,
               s->req.path ? s->req.path : "", MAX_BODY >> 20);
    stop_fatal(r, s, NET_CAUSE_TOO_LARGE, NULL);
    return;
  }
  if(rc == CURLE_OPERATION_TIMEDOUT) {
    c->stats.timeouts++;
    buf_printf(&s->last_error, "%s: no complete answer within %g s "
                               "(timeout_s)", base, c->o.timeout_s);
  }
  else {
    c->stats.conn_errors++;
    buf_printf(&s->last_error, "%s: %s", base,
               s->errbuf[0] ? s->errbuf : curl_easy_strerror(rc));
  }
  if(fatal_curl(rc)) {
    stop_fatal(r, s, NET_CAUSE_TLS, NULL);
    return;
  }
  retry_or_give_up(r, s, 0,
                   (struct net_verdict){NET_CLASS_RETRY,
                                        NET_CAUSE_TRANSPORT});
}

/* A 2xx: done() takes it, or asks for a retry (unusable body). */
static void finished_ok(struct run *r, struct slot *s, long status)
{
  struct net_client *c = r->c;
  struct net_result res;
  memset(&res, 0, sizeof(res));
  res.status = status;
  res.body = buf_str(&s->resp);
  res.len = s->resp.len;
  res.endpoint = c->eps[s->ep].base;
  int v = r->done(r->ctx, &s->req, &res);
  if(v == NET_RETRY) {
    c->stats.malformed++;
    buf_printf(&s->last_error, "%s: unusable response: %s",
               c->eps[s->ep].base, res.why[0] ? res.why : "malformed");
    retry_or_give_up(r, s, status,
                     (struct net_verdict){NET_CLASS_RETRY,
                                          NET_CAUSE_SERVER});
    return;
  }
  c->stats.ok++;
  c->no_answer_run = 0;
  if(v == NET_STOP && r->stop == RUN_GOING)
    r->stop = RUN_STOP_ASKED;
  release(r->c, s);
}

/* One attempt of s is over: count it, classify the answer and act on its
 * class (deliver, retry, give up, or stop the run). */
static void finished(struct run *r, struct slot *s, CURLcode rc)
{
  struct net_client *c = r->c;
  c->eps[s->ep].active--;
  c->nactive--;
  long status = 0;
  curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
  buf_reset(&s->last_error);
  if(rc != CURLE_OK) {
    finished_transport(r, s, rc);
    return;
  }
  if(status >= 0 && status < 600)
    c->stats.by_status[status]++;
  if(status >= 200 && status < 300) {
    finished_ok(r, s, status);
    return;
  }
  struct buf msg = BUF_INIT;
  net_error_message(buf_str(&s->resp), s->resp.len, &msg);
  buf_printf(&s->last_error, "%s%s: HTTP %ld: %s", c->eps[s->ep].base,
             s->req.path ? s->req.path : "", status, buf_str(&msg));
  struct net_verdict v = net_classify(status, buf_str(&msg));
  buf_free(&msg);
  switch(v.cls) {
  case NET_CLASS_REQUEST:
    stop_fatal(r, s, v.cause, " [a request-level error: no item was "
                              "recorded]");
    break;
  case NET_CLASS_ITEM:
    give_up(r, s, status, v);
    break;
  case NET_CLASS_RETRY:
  case NET_CLASS_RETRY_ONCE:
  case NET_CLASS_OK:
    retry_or_give_up(r, s, status, v);
    break;
  }
}

/* Resend what is due, then feed new requests into free slots (unless the
 * feed said it has nothing: *fed_all).  No scan: the free slots are a
 * stack, the waiting ones a heap. */
static void fill_slots(struct net_client *c, net_feed feed, void *ctx,
                       int *fed_all)
{
  double t = now_s();
  while(c->nheap && c->slots[c->heap[0]].due <= t)
    start(c, heap_pop(c));
  while(c->nfree && !*fed_all) {
    struct slot *s = &c->slots[c->free_stk[c->nfree - 1]];
    buf_reset(&s->req.body);
    s->req.path = NULL;
    s->req.user = NULL;
    s->req.first = s->req.count = 0;
    s->req.attempts = 0;
    if(feed(ctx, &s->req)) {
      c->nfree--;
      c->stats.requests++;
      start(c, s);
    }
    else
      *fed_all = 1;
  }
}

/* Finish every transfer curl has completed.  Returns how many.  The
 * messages are all read before any handle is removed: removing one scans
 * the messages not read yet, so reading as we go costs the square of a
 * wake-up's completions. */
static int reap(struct run *r)
{
  struct net_client *c = r->c;
  int n = 0, left;
  CURLMsg *m;
  while((m = curl_multi_info_read(c->multi, &left))) {
    if(m->msg != CURLMSG_DONE)
      continue;
    struct slot *s = NULL;
    curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
    s->result = m->data.result;
    c->done_stk[n++] = s->idx;
  }
  for(int i = 0; i < n && r->stop == RUN_GOING; i++) {
    struct slot *s = &c->slots[c->done_stk[i]];
    curl_multi_remove_handle(c->multi, s->easy);
    finished(r, s, s->result);
  }
  return n;
}

/* Sleep until a socket is ready, curl's timer or the next resend is due
 * (at most 1 s), and let curl act on what is ready. */
static void idle(struct net_client *c)
{
  int wait_ms = 1000;
  if(c->nheap) {
    double d = (c->slots[c->heap[0]].due - now_s()) * 1000;
    wait_ms = d < 0 ? 0 : d > 1000 ? 1000 : (int)d + 1;
  }
  net_evloop_wait(c->loop, wait_ms);
}

int net_run(struct net_client *c, net_feed feed, net_done done, void *ctx,
            struct bon_err *err)
{
  struct run r = {c, done, ctx, err, RUN_GOING};
  if(c->nfree != c->nslots)
    return bon_errf(err, "net_run: client is busy");
  c->cause = NET_CAUSE_NONE;
  if(net_client_ready(c, err))
    return -1;
  int fed_all = 0;
  while(r.stop == RUN_GOING) {
    fill_slots(c, feed, ctx, &fed_all);
    if(!c->nactive && !c->nheap && fed_all)
      break;
    idle(c);
    /* a finished request may have queued more work: ask the feed again */
    if(reap(&r) > 0)
      fed_all = 0;
  }
  /* stopping: drop whatever is still in flight or waiting */
  for(size_t i = 0; i < c->nslots; i++) {
    struct slot *s = &c->slots[i];
    if(s->state == SLOT_ACTIVE) {
      curl_multi_remove_handle(c->multi, s->easy);
      c->eps[s->ep].active--;
      c->nactive--;
    }
    if(s->state != SLOT_FREE)
      release(c, s);
  }
  c->nheap = 0;
  return r.stop == RUN_STOP_FATAL ? -1 : 0;
}

/* ---- one-off GETs: readiness and version ------------------------------ */

/* GET base+path once with a plain easy handle.  Returns the HTTP status,
 * or 0 when no answer came (errbuf then says why); body gets the answer. */
static long get_once(struct net_client *c, const char *base,
                     const char *path, struct buf *body, char *errbuf)
{
  struct slot tmp;
  memset(&tmp, 0, sizeof(tmp));
  CURL *h = curl_easy_init();
  if(!h) {
    snprintf(errbuf, CURL_ERROR_SIZE, "cannot create a curl handle");
    return 0;
  }
  struct buf url = BUF_INIT;
  buf_printf(&url, "%s%s", base, path);
  errbuf[0] = '\0';
  curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &tmp);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->headers);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                   (long)(c->o.connect_timeout_s * 1000));
  double t = c->o.timeout_s < 10 ? c->o.timeout_s : 10;
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)(t * 1000));
  long status = 0;
  CURLcode rc = curl_easy_perform(h);
  if(rc == CURLE_OK)
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  else if(!errbuf[0])
    snprintf(errbuf, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
  buf_append(body, buf_str(&tmp.resp), tmp.resp.len);
  buf_free(&tmp.resp);
  buf_free(&url);
  curl_easy_cleanup(h);
  return status;
}

int net_client_get(struct net_client *c, const char *path, long *status,
                   struct buf *body, struct bon_err *err)
{
  char eb[CURL_ERROR_SIZE];
  *status = get_once(c, c->eps[0].base, path, body, eb);
  if(!*status)
    return bon_errf(err, "%s%s: %s", c->eps[0].base, path, eb);
  return 0;
}

/* 1 if a health answer means "up": 2xx, or a 4xx other than 408, 425
 * and 429 (the server answers: it may have no such route, or want a key
 * for it), or 501.  No answer, 5xx and "busy" mean not yet. */
static int ready_status(long status)
{
  if(status >= 200 && status < 300)
    return 1;
  if(status >= 400 && status < 500)
    return status != 408 && status != 425 && status != 429;
  return status == 501;
}

/* Poll one endpoint's health path until it is ready or `deadline`
 * (monotonic seconds) passes; t0 is when the wait began.  0 when ready,
 * -1 and err (naming the last answer) on timeout. */
static int wait_endpoint(struct net_client *c, const char *base,
                         double t0, double deadline, struct bon_err *err)
{
  const char *path = c->o.health_path;
  double pause = 0.25, last_note = t0;
  int waited = 0;
  struct buf body = BUF_INIT, why = BUF_INIT;
  for(;;) {
    char eb[CURL_ERROR_SIZE];
    buf_reset(&body);
    long st = get_once(c, base, path, &body, eb);
    if(ready_status(st))
      break;
    buf_reset(&why);
    if(st) {
      buf_printf(&why, "HTTP %ld: ", st);
      net_error_message(buf_str(&body), body.len, &why);
    }
    else
      buf_puts(&why, eb);
    double t = now_s();
    if(t >= deadline) {
      bon_errf(err, "%s%s was not ready after %.0f s (last: %s)", base,
               path, t - t0, buf_str(&why));
      buf_free(&body);
      buf_free(&why);
      return -1;
    }
    if(t - last_note >= 10) {
      bon_notice(BON_NOTICE_PROGRESS, "waiting for %s%s to be ready (%s),"
                 " %.0f s of %.0f s", base, path, buf_str(&why), t - t0,
                 c->o.ready_timeout_s);
      last_note = t;
    }
    waited = 1;
    double nap = pause < deadline - t ? pause : deadline - t;
    struct timespec ts = {(time_t)nap, (long)((nap - (time_t)nap) * 1e9)};
    nanosleep(&ts, NULL);
    pause = pause * 2 > 2 ? 2 : pause * 2;
  }
  if(waited && now_s() - t0 >= 1)
    bon_notice(BON_NOTICE_PROGRESS, "%s is ready after %.0f s", base,
               now_s() - t0);
  buf_free(&body);
  buf_free(&why);
  return 0;
}

int net_client_ready(struct net_client *c, struct bon_err *err)
{
  if(c->ready || !c->o.health_path || !(c->o.ready_timeout_s > 0)) {
    c->ready = 1;
    return 0;
  }
  double t0 = now_s(), deadline = t0 + c->o.ready_timeout_s;
  for(size_t i = 0; i < c->neps; i++)
    if(wait_endpoint(c, c->eps[i].base, t0, deadline, err)) {
      c->cause = NET_CAUSE_NOT_READY;
      return -1;
    }
  c->ready = 1;
  return 0;
}

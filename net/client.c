#include "net/client.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

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

int net_status_retryable(long status)
{
  return status == 408 || status == 409 || status == 425 || status == 429 ||
         (status >= 500 && status <= 599);
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

int net_is_context_error(const char *msg)
{
  static const char *const pats[] = {
    "maximum context length", "longer than the model's context length",
    "exceeds the available context size", "context_length_exceeded",
    "Requested token count exceeds", "exceed_context_size_error",
    "must be <= ", NULL,
  };
  if(!msg)
    return 0;
  for(int i = 0; pats[i]; i++)
    if(strstr(msg, pats[i]))
      return 1;
  return 0;
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
};

struct net_client {
  struct net_opts o;
  struct endpoint *eps;
  size_t neps;
  struct slot *slots;
  size_t nslots;
  CURLM *multi;
  struct curl_slist *headers;
  struct rng jitter;
  struct net_stats stats;
  int consecutive_fail;
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
  c->multi = curl_multi_init();
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
  for(size_t i = 0; i < c->nslots; i++) {
    struct slot *s = &c->slots[i];
    s->easy = curl_easy_init();
    if(!s->easy) {
      bon_errf(err, "cannot create a curl handle");
      net_client_free(c);
      return NULL;
    }
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
                     (long)(o->connect_timeout_s * 1000));
    curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS,
                     (long)(o->timeout_s * 1000));
    curl_easy_setopt(s->easy, CURLOPT_ACCEPT_ENCODING, "");
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
  if(c->multi)
    curl_multi_cleanup(c->multi);
  if(c->headers) {
    /* wipe the key from memory before giving it back */
    for(struct curl_slist *l = c->headers; l; l = l->next)
      memset(l->data, 0, strlen(l->data));
    curl_slist_free_all(c->headers);
  }
  for(size_t i = 0; i < c->neps; i++)
    free(c->eps[i].base);
  free(c->eps);
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
  curl_multi_add_handle(c->multi, s->easy);
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

struct run {
  struct net_client *c;
  net_done done;
  void *ctx;
  struct bon_err *err;
  int stop;    /* 1: done said stop; 2: fatal (err set) */
};

static void release(struct slot *s)
{
  s->state = SLOT_FREE;
  buf_reset(&s->req.body);
}

/* Deliver a final error for s. */
static void fail(struct run *r, struct slot *s, long status, int permanent,
                 int transport)
{
  struct net_client *c = r->c;
  struct net_result res;
  memset(&res, 0, sizeof(res));
  res.status = status;
  res.body = buf_str(&s->resp);
  res.len = s->resp.len;
  res.error = buf_str(&s->last_error);
  res.permanent = permanent;
  res.context_length = permanent && net_is_context_error(res.error);
  res.endpoint = c->eps[s->ep].base;
  c->stats.failed++;
  if(permanent)
    c->stats.permanent++;
  if(r->done(r->ctx, &s->req, &res) == NET_STOP && !r->stop)
    r->stop = 1;
  if(transport) {
    c->consecutive_fail++;
    if(c->o.abort_after > 0 && c->consecutive_fail >= c->o.abort_after &&
       !r->stop) {
      bon_errf(r->err, "%s: %d requests in a row failed after %d attempts "
                       "each; last: %s.  Is the server up and reachable?",
               c->eps[s->ep].base, c->consecutive_fail, s->req.attempts,
               res.error);
      r->stop = 2;
    }
  }
  release(s);
}

/* Retry s later if attempts remain, else fail it. */
static void retry_or_fail(struct run *r, struct slot *s, long status,
                          int transport)
{
  struct net_client *c = r->c;
  if(s->req.attempts > c->o.retries) {
    struct buf m = BUF_INIT;
    buf_printf(&m, "%s (after %d attempt%s)", buf_str(&s->last_error),
               s->req.attempts, s->req.attempts == 1 ? "" : "s");
    buf_reset(&s->last_error);
    buf_puts(&s->last_error, buf_str(&m));
    buf_free(&m);
    fail(r, s, status, 0, transport);
    return;
  }
  c->stats.retried++;
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
  if(ra > wait)
    wait = ra;
  s->due = now_s() + wait;
  s->state = SLOT_WAITING;
}

static void finished(struct run *r, struct slot *s, CURLcode rc)
{
  struct net_client *c = r->c;
  c->eps[s->ep].active--;
  long status = 0;
  curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &status);
  buf_reset(&s->last_error);
  const char *base = c->eps[s->ep].base;
  if(rc != CURLE_OK) {
    if(s->too_big) {
      buf_printf(&s->last_error, "%s: response larger than %u MiB", base,
                 MAX_BODY >> 20);
      fail(r, s, status, 1, 0);
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
      bon_errf(r->err, "%s", buf_str(&s->last_error));
      r->stop = 2;
      release(s);
      return;
    }
    retry_or_fail(r, s, 0, 1);
    return;
  }
  if(status >= 0 && status < 600)
    c->stats.by_status[status]++;
  if(status >= 200 && status < 300) {
    struct net_result res;
    memset(&res, 0, sizeof(res));
    res.status = status;
    res.body = buf_str(&s->resp);
    res.len = s->resp.len;
    res.endpoint = base;
    int v = r->done(r->ctx, &s->req, &res);
    if(v == NET_RETRY) {
      c->stats.malformed++;
      buf_printf(&s->last_error, "%s: unusable response: %s", base,
                 res.why[0] ? res.why : "malformed");
      retry_or_fail(r, s, status, 0);
      return;
    }
    c->stats.ok++;
    c->consecutive_fail = 0;
    if(v == NET_STOP && !r->stop)
      r->stop = 1;
    release(s);
    return;
  }
  struct buf msg = BUF_INIT;
  net_error_message(buf_str(&s->resp), s->resp.len, &msg);
  buf_printf(&s->last_error, "%s: HTTP %ld: %s", base, status,
             buf_str(&msg));
  buf_free(&msg);
  if(status == 401 || status == 403) {
    bon_errf(r->err, "%s (check the API key: api_key_env)",
             buf_str(&s->last_error));
    r->stop = 2;
    release(s);
    return;
  }
  if(status == 429 && strstr(buf_str(&s->resp), "insufficient_quota")) {
    fail(r, s, status, 1, 0);
    return;
  }
  if(net_status_retryable(status)) {
    retry_or_fail(r, s, status, 0);
    return;
  }
  fail(r, s, status, 1, 0);
}

int net_run(struct net_client *c, net_feed feed, net_done done, void *ctx,
            struct bon_err *err)
{
  struct run r = {c, done, ctx, err, 0};
  int fed_all = 0;
  size_t nfree = 0, nactive = 0;
  for(size_t i = 0; i < c->nslots; i++)
    nfree += c->slots[i].state == SLOT_FREE;
  if(nfree != c->nslots)
    return bon_errf(err, "net_run: client is busy");
  while(!r.stop) {
    double t = now_s();
    double next_due = -1;
    nactive = 0;
    int waiting = 0;
    /* resend what is due, then feed new requests into free slots */
    for(size_t i = 0; i < c->nslots; i++) {
      struct slot *s = &c->slots[i];
      if(s->state == SLOT_WAITING) {
        if(s->due <= t)
          start(c, s);
        else {
          waiting++;
          if(next_due < 0 || s->due < next_due)
            next_due = s->due;
        }
      }
      if(s->state == SLOT_FREE && !fed_all) {
        buf_reset(&s->req.body);
        s->req.path = NULL;
        s->req.user = NULL;
        s->req.first = s->req.count = 0;
        s->req.attempts = 0;
        if(feed(ctx, &s->req)) {
          c->stats.requests++;
          start(c, s);
        }
        else
          fed_all = 1;
      }
      nactive += s->state == SLOT_ACTIVE;
    }
    if(!nactive && !waiting && fed_all)
      break;
    int running = 0;
    curl_multi_perform(c->multi, &running);
    CURLMsg *m;
    int left;
    while((m = curl_multi_info_read(c->multi, &left))) {
      if(m->msg != CURLMSG_DONE)
        continue;
      struct slot *s = NULL;
      CURLcode rc = m->data.result;
      curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&s);
      curl_multi_remove_handle(c->multi, m->easy_handle);
      finished(&r, s, rc);
      if(r.stop)
        break;
    }
    if(r.stop)
      break;
    /* something freed (and more to feed) or nothing left in flight:
     * loop at once to refill or to finish */
    int any_free = 0, any_active = 0;
    for(size_t i = 0; i < c->nslots; i++) {
      any_free |= c->slots[i].state == SLOT_FREE && !fed_all;
      any_active |= c->slots[i].state == SLOT_ACTIVE;
    }
    if(any_free || (!any_active && next_due < 0))
      continue;
    int wait_ms = 1000;
    if(next_due >= 0) {
      double d = (next_due - now_s()) * 1000;
      wait_ms = d < 0 ? 0 : d > 1000 ? 1000 : (int)d + 1;
    }
    curl_multi_poll(c->multi, NULL, 0, wait_ms, NULL);
  }
  /* stopping: drop whatever is still in flight or waiting */
  for(size_t i = 0; i < c->nslots; i++) {
    struct slot *s = &c->slots[i];
    if(s->state == SLOT_ACTIVE) {
      curl_multi_remove_handle(c->multi, s->easy);
      c->eps[s->ep].active--;
    }
    if(s->state != SLOT_FREE)
      release(s);
  }
  return r.stop == 2 ? -1 : 0;
}

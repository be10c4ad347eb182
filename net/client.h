/* client.h - the HTTP engine behind every served model.
 *
 * One client talks to one model served at one or more endpoints (base URLs
 * such as "http://10.0.0.5:8000").  Before its first request it waits,
 * bounded, until every endpoint answers its health path.  net_run() keeps
 * up to `in_flight` requests in flight per endpoint with the curl multi
 * interface, sends each new or retried request to the endpoint with the
 * fewest in flight, and pulls requests from the caller's feed only as
 * slots free up, so memory is flat in the number of jobs.
 *
 * Every answer is classified by net_classify() (docs/serving.md, the table
 * in net/README.md): transient failures (408, 409, 425, 429, 5xx,
 * connection errors) are retried with exponential backoff and full jitter,
 * honouring Retry-After / retry-after-ms up to a cap; an error about the
 * item itself (its input is longer than the context) is final for that
 * request; an error about the request, the configuration or the account
 * (404, 405, 413, 401/403, a batch or `n` limit, an unknown parameter, an
 * exhausted quota, any other 4xx) stops net_run at once: nothing is handed
 * to `done`, so nothing is recorded and a rerun after the fix resumes.
 * Every other result, good or bad, goes to the caller's `done` callback in
 * the thread that called net_run(), so the runner can append it to disk.
 *
 * The API key is held in memory and sent as "Authorization: Bearer"; it is
 * never copied into an error message, a description or the statistics.
 * TLS certificates are always verified. */
#ifndef BON_NET_CLIENT_H
#define BON_NET_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "util/buf.h"
#include "util/err.h"

struct net_opts {
  const char *const *urls;  /* base URLs (http:// or https://), >= 1 */
  size_t nurls;
  int in_flight;            /* requests in flight per endpoint, >= 1 */
  double connect_timeout_s; /* per attempt, to open a connection */
  double timeout_s;         /* per attempt, whole request */
  int retries;              /* attempts after the first, >= 0 */
  double backoff_base_s;    /* first backoff ceiling (doubles each retry) */
  double backoff_max_s;     /* cap of the backoff ceiling */
  double retry_after_max_s; /* cap on a server's Retry-After */
  int abort_after;          /* stop net_run after this many requests in a
                               row got no answer after all retries
                               (timeout, refused, reset, or HTTP 502, 503,
                               504: down or still loading); 0 never */
  const char *api_key;      /* NULL or "": no Authorization header */
  uint64_t jitter_seed;     /* seeds the backoff jitter */
  const char *health_path;  /* GET path that answers 2xx once the server
                               is ready ("/health"); NULL: do not wait */
  double ready_timeout_s;   /* wait at most this long; <= 0: do not wait */
};

/* Defaults: in_flight 64, connect 10 s, total 600 s, 5 retries, backoff
 * 0.5 s doubling to 30 s, Retry-After capped at 120 s, abort_after 32, no
 * health path, ready_timeout_s 600. */
void net_opts_default(struct net_opts *o);

/* One request.  The feed fills `path`, `body` (already reset) and the
 * caller's fields `user`, `first`, `count`; the engine fills the rest. */
struct net_req {
  const char *path;   /* appended to the endpoint's base: "/v1/completions" */
  struct buf body;    /* JSON body to POST */
  void *user;         /* caller's */
  size_t first;       /* caller's: e.g. index of the first job */
  size_t count;       /* caller's: e.g. number of jobs in this request */
  int attempts;       /* attempts made so far (engine) */
};

/* What the engine does with an answer (net_classify). */
enum net_class {
  NET_CLASS_OK,         /* 2xx: handed to done() */
  NET_CLASS_RETRY,      /* transient: again after a backoff while retries
                           last, then a non-permanent failure */
  NET_CLASS_RETRY_ONCE, /* as RETRY but one retry at most (TEI/TGI 424) */
  NET_CLASS_ITEM,       /* the item itself was refused (input longer than
                           the context): final, permanent for its items */
  NET_CLASS_REQUEST     /* the request, config or account is wrong: stop
                           the run, hand nothing to done() */
};

/* Why: what a caller needs to name the remedy (runner/) or to count. */
enum net_cause {
  NET_CAUSE_NONE,
  NET_CAUSE_CONTEXT,       /* item: input longer than the context */
  NET_CAUSE_EMPTY_INPUT,   /* item: the server refuses an empty input */
  NET_CAUSE_AUTH,          /* 401, 403 */
  NET_CAUSE_QUOTA,         /* 429 insufficient_quota: account, not rate */
  NET_CAUSE_NOT_FOUND,     /* 404: model or route */
  NET_CAUSE_METHOD,        /* 405: no POST at that path */
  NET_CAUSE_TOO_LARGE,     /* 413, or an answer over the size limit */
  NET_CAUSE_BATCH_SIZE,    /* more inputs than the server takes at once */
  NET_CAUSE_N_LIMIT,       /* `n` above the server's limit */
  NET_CAUSE_SINGLE_CHOICE, /* old llama.cpp: one choice per request only */
  NET_CAUSE_PARAM,         /* an unknown or unsupported parameter */
  NET_CAUSE_OTHER_4XX,     /* any other 4xx: cannot be told item-level */
  NET_CAUSE_REDIRECT,      /* 3xx: the URL points elsewhere */
  NET_CAUSE_RATE,          /* 408, 409, 425, 429 */
  NET_CAUSE_UNAVAILABLE,   /* 502, 503, 504: down, loading or full */
  NET_CAUSE_SERVER,        /* other 5xx */
  NET_CAUSE_BACKEND,       /* 424: TEI/TGI backend error */
  NET_CAUSE_TRANSPORT,     /* no HTTP answer: refused, reset, timeout */
  NET_CAUSE_TLS,           /* bad URL, TLS failure: nothing can work */
  NET_CAUSE_NOT_READY,     /* the health path never answered in time */
  NET_CAUSE_OLD_SERVER     /* set by callers: a server too old for a
                              setting (net_client_set_cause) */
};

struct net_verdict {
  enum net_class cls;
  enum net_cause cause;
};

/* What came back for a request.  On success (error NULL) `cls` is
 * NET_CLASS_OK, `status` 2xx and body holds the response.  On a final
 * failure `error` says what happened ("HTTP 503 ... (after 6 attempts)",
 * "no complete answer within 30 s ...") and `cls` is NET_CLASS_ITEM (the
 * server refused the item: permanent) or NET_CLASS_RETRY (retries ran out:
 * a later run may succeed). */
struct net_result {
  long status;          /* HTTP status, 0 if no response */
  const char *body;     /* response body, NUL-terminated ("" if none) */
  size_t len;
  const char *error;
  enum net_class cls;
  enum net_cause cause;
  const char *endpoint; /* base URL that answered (or failed last) */
  char why[256];        /* done() writes here when it returns NET_RETRY */
};

enum {
  NET_ACCEPT = 0,  /* result taken */
  NET_RETRY = 1,   /* 2xx but unusable (malformed): retry, reason in why */
  NET_STOP = -1    /* stop the whole run now (net_run returns 0) */
};

/* Fill *req and return 1, or return 0 when there is nothing to send now.
 * After a 0 the feed is called again only once a request has finished
 * (its done() may have queued more work, e.g. the halves of a batch). */
typedef int (*net_feed)(void *ctx, struct net_req *req);
/* Called once per final outcome of a request (and once per 2xx, which may
 * ask for a retry).  When r->error is set the return value only matters if
 * it is NET_STOP. */
typedef int (*net_done)(void *ctx, struct net_req *req,
                        struct net_result *r);

/* Counters over the client's life. */
struct net_stats {
  uint64_t requests;    /* requests fed */
  uint64_t attempts;    /* HTTP attempts made */
  uint64_t ok;          /* requests that ended in an accepted 2xx */
  uint64_t retried;     /* attempts that were retried */
  uint64_t failed;      /* requests that ended in an error */
  uint64_t permanent;   /* ... of which permanent (the item refused) */
  uint64_t malformed;   /* 2xx bodies the caller could not use */
  uint64_t timeouts;    /* attempts that timed out */
  uint64_t conn_errors; /* attempts with another transport error */
  uint64_t by_status[600]; /* attempts by HTTP status */
};

struct net_client;

/* Check the options and set up.  NULL and err on a bad URL or option. */
struct net_client *net_client_new(const struct net_opts *o,
                                  struct bon_err *err);
/* Wait until every endpoint answers o->health_path (once per client; later
 * calls return 0 at once): 2xx, or a 4xx but 408/425/429 (the server
 * answers; it may have no such route), or 501 means ready; no answer, 5xx,
 * 408, 425 or 429 means not yet.
 * Polls every 0.25 s growing to 2 s, with a notice (util/notice.h) every
 * 10 s.  0, or -1 and err (cause NET_CAUSE_NOT_READY) after
 * ready_timeout_s. */
int net_client_ready(struct net_client *c, struct bon_err *err);
/* Send everything the feed gives (after net_client_ready).  Returns 0 when
 * the feed has nothing more and every request has had its final done() (or
 * done() said NET_STOP); -1 with err when the run cannot go on: a
 * request-level error (err holds the server's message; see
 * net_client_cause), a bad URL or TLS failure, or `abort_after` requests
 * in a row without an answer. */
int net_run(struct net_client *c, net_feed feed, net_done done, void *ctx,
            struct bon_err *err);
/* One GET of `path` at the first endpoint, no retry (for /version and the
 * like).  0 with *status and body filled (any status), or -1 and err when
 * no HTTP answer came. */
int net_client_get(struct net_client *c, const char *path, long *status,
                   struct buf *body, struct bon_err *err);
/* Why the last net_run or net_client_ready failed (NET_CAUSE_NONE when
 * none did), for the runner to name the remedy. */
enum net_cause net_client_cause(const struct net_client *c);
/* Callers that stop for a reason of their own record it here. */
void net_client_set_cause(struct net_client *c, enum net_cause cause);
const struct net_stats *net_client_stats(const struct net_client *c);
/* One line: "1200 requests, 1180 ok, 20 failed; HTTP 200: 1203, 429: 12;
 * 3 timeouts; 5 retried".  Never contains the API key. */
void net_stats_summary(const struct net_stats *s, struct buf *out);
void net_client_free(struct net_client *c);

/* ---- pure pieces, exposed for tests ----------------------------------- */

/* Seconds to wait from a Retry-After value: delta-seconds ("120") or an
 * HTTP date (IMF-fixdate, RFC 850 or asctime) relative to `now`; a date in
 * the past gives 0.  -1 when the value is neither. */
double net_retry_after(const char *value, time_t now);
/* Full-jitter backoff before retry number `attempt` (0 = first retry):
 * u * min(cap, base * 2^attempt) with u in [0, 1). */
double net_backoff(int attempt, double base, double cap, double u);
/* Classify an HTTP answer from its status and the message that
 * net_error_message() makes of its body (first matching row of the table
 * in net/client.c, mirrored in net/README.md; the context-length wordings
 * of vLLM, SGLang, llama.cpp, TGI, TEI, Ollama and OpenAI are item-level
 * at any 4xx/5xx status).  Pure. */
struct net_verdict net_classify(long status, const char *msg);
/* "context", "quota", ...: a short name of a cause, for messages. */
const char *net_cause_name(enum net_cause cause);
/* Append the human message of an error body (OpenAI/vLLM nested or flat
 * envelope, TGI/TEI/Ollama {"error": "..."}); the raw body, shortened, if
 * it is none of those. */
void net_error_message(const char *body, size_t len, struct buf *out);
/* Normalise a base URL: drop trailing '/' and a trailing "/v1" (paths are
 * always given in full).  Returns a fresh string, or NULL and err when the
 * URL is not http:// or https://. */
char *net_base_url(const char *url, struct bon_err *err);

#endif

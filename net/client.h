/* client.h - the HTTP engine behind every served model.
 *
 * One client talks to one model served at one or more endpoints (base URLs
 * such as "http://10.0.0.5:8000").  net_run() keeps up to `in_flight`
 * requests in flight per endpoint with the curl multi interface, sends each
 * new or retried request to the endpoint with the fewest in flight, and
 * pulls requests from the caller's feed only as slots free up, so memory is
 * flat in the number of jobs.  Failed attempts are retried with
 * exponential backoff and full jitter (408, 409, 425, 429, 5xx and
 * connection errors), honouring Retry-After / retry-after-ms up to a cap;
 * 400, 404, 422 and other 4xx are permanent for that request.  Every
 * result, good or bad, goes to the caller's `done` callback in the thread
 * that called net_run(), so the runner can append it to disk at once.
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
                               row failed for transport reasons (timeout,
                               refused, reset) after all retries; 0 never */
  const char *api_key;      /* NULL or "": no Authorization header */
  uint64_t jitter_seed;     /* seeds the backoff jitter */
};

/* Defaults: in_flight 64, connect 10 s, total 600 s, 5 retries, backoff
 * 0.5 s doubling to 30 s, Retry-After capped at 120 s, abort_after 32. */
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

/* What came back for a request.  On success (error NULL) `status` is 2xx
 * and body holds the response.  On a final failure `error` says what
 * happened ("HTTP 503 after 6 attempts: ...", "timed out after 30 s ...")
 * and `permanent` says a retry would not help (4xx). */
struct net_result {
  long status;          /* HTTP status, 0 if no response */
  const char *body;     /* response body, NUL-terminated ("" if none) */
  size_t len;
  const char *error;
  int permanent;
  int context_length;   /* a permanent error about a too-long input */
  const char *endpoint; /* base URL that answered (or failed last) */
  char why[256];        /* done() writes here when it returns NET_RETRY */
};

enum {
  NET_ACCEPT = 0,  /* result taken */
  NET_RETRY = 1,   /* 2xx but unusable (malformed): retry, reason in why */
  NET_STOP = -1    /* stop the whole run now (net_run returns 0) */
};

/* Fill *req and return 1, or return 0 when there is nothing more to send
 * (the feed is then not called again in this net_run). */
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
  uint64_t permanent;   /* ... of which permanent (4xx) */
  uint64_t malformed;   /* 2xx bodies the caller could not use */
  uint64_t timeouts;    /* attempts that timed out */
  uint64_t conn_errors; /* attempts with another transport error */
  uint64_t by_status[600]; /* attempts by HTTP status */
};

struct net_client;

/* Check the options and set up.  NULL and err on a bad URL or option. */
struct net_client *net_client_new(const struct net_opts *o,
                                  struct bon_err *err);
/* Send everything the feed gives.  Returns 0 when the feed is exhausted
 * and every request has had its final done() (or done() said NET_STOP);
 * -1 with err when the run cannot go on: a fatal error (bad URL, TLS
 * failure, 401/403) or `abort_after` consecutive transport failures. */
int net_run(struct net_client *c, net_feed feed, net_done done, void *ctx,
            struct bon_err *err);
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
/* 1 if an HTTP status is worth retrying (408, 409, 425, 429, 5xx). */
int net_status_retryable(long status);
/* Append the human message of an error body (OpenAI/vLLM nested or flat
 * envelope, TGI/TEI/Ollama {"error": "..."}); the raw body, shortened, if
 * it is none of those. */
void net_error_message(const char *body, size_t len, struct buf *out);
/* 1 if an error message says the input was longer than the context. */
int net_is_context_error(const char *msg);
/* Normalise a base URL: drop trailing '/' and a trailing "/v1" (paths are
 * always given in full).  Returns a fresh string, or NULL and err when the
 * URL is not http:// or https://. */
char *net_base_url(const char *url, struct bon_err *err);

#endif

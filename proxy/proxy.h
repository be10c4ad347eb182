/* proxy.h - proxy reward models: score (question, response) pairs.
 *
 * Each RM is one entry of the config's "proxies" list, opened by name and
 * backend.  Like the policy, an RM scores a batch and hands each score to a
 * sink as soon as it has it.  Backends: "sim" (built in; proxy/sim.h) and
 * the HTTP backends of proxy/http_rm.h.  A score that could not be had (an
 * unparsable judge rating, a permanent server error) is an error string,
 * never a default number.
 *
 * Process RMs score steps: an item of a benchmark dataset carries the
 * dataset's own steps, which a process RM scores as given (an outcome RM
 * reads `response`, the steps joined by a blank line); an item without
 * steps is cut into steps by the RM.  A pairwise judge (proxy_pairwise)
 * scores comparisons instead: items with `response` as solution A and
 * `response_b` as solution B, and a score of 1 when it prefers A, 0 when
 * it prefers B; it cannot score one response alone (an item without
 * response_b is that item's error). */
#ifndef BON_PROXY_H
#define BON_PROXY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/err.h"

struct proxy_item {
  const char *question;
  const char *response;  /* the text the RM scores: the final text of a
                            completion, or its full text (reasoning and
                            final text, net_join_reasoning) when
                            proxy_full_text() says so */
  size_t tag;            /* caller's index, handed back to the sink */
  const char *const *steps;  /* the response's own steps (NULL: cut by
                                the RM); response is then their join */
  size_t nsteps;
  const char *response_b;    /* pairwise judges: solution B (response is
                                A); NULL otherwise */
};

/* One result.  Exactly one of (score valid) / error: when error is NULL,
 * `score` is the RM's scalar; `steps` (may be NULL) are per-step scores of
 * a process RM, already folded into `score` by the RM's aggregation.
 * Return non-zero to stop. */
typedef int (*proxy_sink)(void *ctx, const struct proxy_item *item,
                          double score, const double *steps, size_t nsteps,
                          const char *error, int permanent);

struct proxy;

/* Check one "proxies[i]" section (defaults filled in place) and open it.
 * `path` is "proxies[2]" for messages.  NULL and err on a bad section.
 * The key "score_text" ("final", the default, or "full") is read here for
 * every backend; "full" enters the cache key. */
struct proxy *proxy_open(cJSON *section, const char *file, const char *path,
                         struct bon_err *err);
int proxy_score(struct proxy *p, const struct proxy_item *items, size_t n,
                proxy_sink sink, void *ctx, struct bon_err *err);
const char *proxy_name(const struct proxy *p);
/* Changes whenever a score could change: part of every cache key. */
const char *proxy_cache_key(const struct proxy *p);
const char *proxy_describe(const struct proxy *p);
/* 1 when p is a pairwise judge (see above), else 0. */
int proxy_pairwise(const struct proxy *p);
/* 1 if the RM scores a completion's full text (its reasoning and final
 * text: score_text "full"), 0 for the final text alone. */
int proxy_full_text(const struct proxy *p);
void proxy_close(struct proxy *p);

struct proxy_backend {
  const char *name;
  int (*open)(struct proxy *p, cJSON *section, const char *file,
              const char *path, struct bon_err *err);
  int (*score)(struct proxy *p, const struct proxy_item *items, size_t n,
               proxy_sink sink, void *ctx, struct bon_err *err);
  void (*close)(struct proxy *p);
};

struct proxy {
  const struct proxy_backend *backend;
  void *state;
  char *name;
  char *cache_key;
  char *describe;
  int pairwise;          /* set by the backend's open */
  int full_text;        /* score_text "full" */
};

#endif

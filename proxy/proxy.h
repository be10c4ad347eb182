/* proxy.h - proxy reward models: score (question, response) pairs.
 *
 * Each RM is one entry of the config's "proxies" list, opened by name and
 * backend.  Like the policy, an RM scores a batch and hands each score to a
 * sink as soon as it has it.  Backends: "sim" (built in; proxy/sim.h) and
 * the HTTP backends of proxy/http_rm.h.  A score that could not be had (an
 * unparsable judge rating, a permanent server error) is an error string,
 * never a default number. */
#ifndef BON_PROXY_H
#define BON_PROXY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/err.h"

struct proxy_item {
  const char *question;
  const char *response;
  size_t tag;            /* caller's index, handed back to the sink */
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
 * `path` is "proxies[2]" for messages.  NULL and err on a bad section. */
struct proxy *proxy_open(cJSON *section, const char *file, const char *path,
                         struct bon_err *err);
int proxy_score(struct proxy *p, const struct proxy_item *items, size_t n,
                proxy_sink sink, void *ctx, struct bon_err *err);
const char *proxy_name(const struct proxy *p);
/* Changes whenever a score could change: part of every cache key. */
const char *proxy_cache_key(const struct proxy *p);
const char *proxy_describe(const struct proxy *p);
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
};

#endif

/* policy.h - the policy under study: draws completions for prompts.
 *
 * A policy is opened from its config section (`"policy": {...}`) and then
 * asked for a batch of jobs; each finished job is handed to a sink as soon
 * as it is done, so the runner can append it to disk at once.  Backends:
 * "sim" (built in, offline; policy/sim.h) and the HTTP backends of
 * policy/http.h.  Results depend only on the config and each job's seed. */
#ifndef BON_POLICY_H
#define BON_POLICY_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "util/err.h"

/* One completion to draw. */
struct policy_job {
  const char *question;   /* the problem text, before any prompt template */
  const char *reference;  /* its reference final answer, or NULL: only the
                             simulated policy reads it (to write solutions
                             of problems it did not make) */
  uint64_t seed;          /* per-sample seed */
  size_t tag;             /* caller's index, handed back to the sink */
};

/* Called once per job, from the thread that called policy_generate().
 * Exactly one of text / error is non-NULL; `permanent` says a retry would
 * not help (bad request, context too long).  Return non-zero to stop. */
typedef int (*policy_sink)(void *ctx, const struct policy_job *job,
                           const char *text, const char *error,
                           int permanent);

struct policy;

/* Check the section (filling defaults in place) and open the backend.
 * NULL and err on a bad section.  `file` names the config in messages. */
struct policy *policy_open(cJSON *section, const char *file,
                           struct bon_err *err);
/* Draw every job; the sink sees each result once.  Returns 0, or -1 when
 * the run cannot go on (err set); per-job failures go to the sink. */
int policy_generate(struct policy *p, const struct policy_job *jobs,
                    size_t njobs, policy_sink sink, void *ctx,
                    struct bon_err *err);
/* A string that changes whenever an output could change (backend, model,
 * sampling parameters, template): part of every cache key. */
const char *policy_cache_key(const struct policy *p);
/* Short description for progress lines ("sim", "openai:http://..."). */
const char *policy_describe(const struct policy *p);
void policy_close(struct policy *p);

/* The backend table: every backend implements these. */
struct policy_backend {
  const char *name;
  int (*open)(struct policy *p, cJSON *section, const char *file,
              struct bon_err *err);
  int (*generate)(struct policy *p, const struct policy_job *jobs,
                  size_t njobs, policy_sink sink, void *ctx,
                  struct bon_err *err);
  void (*close)(struct policy *p);
};

struct policy {
  const struct policy_backend *backend;
  void *state;          /* the backend's own */
  char *cache_key;      /* set by the backend's open */
  char *describe;
};

#endif

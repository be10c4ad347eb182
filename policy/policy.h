/* policy.h - the policy under study: draws completions for prompts.
 *
 * A policy is opened from its config section (`"policy": {...}`) and then
 * asked for a batch of jobs; each finished job is handed to a sink as soon
 * as it is done, so the runner can append it to disk at once.  Backends:
 * "sim" (built in, offline; policy/sim.h), the HTTP backends of
 * policy/http.h, and "file" (completions made elsewhere, replayed;
 * policy/file.h).  Results depend only on the config and each job's seed,
 * and for "file" on the file's content for the job (policy_job_salt). */
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
  const char *problem_id; /* the problem's id (only a replaying backend,
                             "file", reads it; NULL: none) */
  size_t sample;          /* the sample's index i within its problem, from
                             0 (only a replaying backend reads it) */
};

/* A completion.  `text` is the final text (what the verifier judges and
 * reward models score by default); a reasoning model's thinking is kept
 * apart in `reasoning` (docs/serving.md). */
struct policy_result {
  const char *text;           /* never NULL */
  const char *reasoning;      /* NULL: none */
  const char *finish_reason;  /* "stop", "length" (cut at max_tokens)...;
                                 NULL: unknown */
  long completion_tokens;     /* -1: unknown */
};

/* Called once per job, from the thread that called policy_generate().
 * Exactly one of res / error is non-NULL; `permanent` says a retry would
 * not help (the server refused the item: its prompt is longer than the
 * context).  Return non-zero to stop. */
typedef int (*policy_sink)(void *ctx, const struct policy_job *job,
                           const struct policy_result *res,
                           const char *error, int permanent);

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
/* Fix what a job replays, before it is keyed.  A backend whose outputs
 * depend only on policy_cache_key() and the job's seed (every generating
 * backend) leaves the job alone and returns 0.  A backend that replays
 * completions made elsewhere ("file", policy/file.h) sets job->seed to the
 * seed its file records for the job (when it records one) and returns a
 * non-zero hash of what it will hand back for it (problem, sample, seed
 * and text), which the caller folds into the sample's cache key: a changed
 * file is replayed anew, an unchanged one is reused. */
uint64_t policy_job_salt(const struct policy *p, struct policy_job *job);
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
  /* set by a replaying backend's open (NULL: policy_job_salt is 0) */
  uint64_t (*salt)(const struct policy *p, struct policy_job *job);
};

#endif

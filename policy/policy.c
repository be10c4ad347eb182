#include "policy/policy.h"
#include "policy/file.h"
#include "policy/http.h"
#include "policy/sim.h"
#include "util/cfg.h"

#include <stdlib.h>
#include <string.h>

static const struct policy_backend *const backends[] = {
  &policy_sim_backend, &policy_openai_backend, &policy_ollama_backend,
  &policy_file_backend,
};

struct policy *policy_open(cJSON *section, const char *file,
                           struct bon_err *err)
{
  if(!cJSON_IsObject(section)) {
    bon_errf(err, "%s: policy: expected an object, got %s", file,
             cfg_type_name(section));
    return NULL;
  }
  int i = cfg_backend(section, file, "policy",
                      (const void *const *)backends,
                      sizeof(backends) / sizeof(backends[0]), err);
  if(i < 0)
    return NULL;
  const struct policy_backend *b = backends[i];
  struct policy *p = xcalloc(1, sizeof(*p));
  p->backend = b;
  if(b->open(p, section, file, err) != 0) {
    policy_close(p);
    return NULL;
  }
  if(!p->cache_key || !p->describe) {
    /* every backend sets both: a cache key made here could hold
     * transport keys (url, timeouts) that must never enter a key */
    bon_errf(err, "internal error: %s backend \"%s\" set no cache key",
             "policy", b->name);
    policy_close(p);
    return NULL;
  }
  return p;
}

int policy_generate(struct policy *p, const struct policy_job *jobs,
                    size_t njobs, policy_sink sink, void *ctx,
                    struct bon_err *err)
{
  return p->backend->generate(p, jobs, njobs, sink, ctx, err);
}

const char *policy_cache_key(const struct policy *p)
{
  return p->cache_key;
}

uint64_t policy_job_salt(const struct policy *p, struct policy_job *job)
{
  return p->salt ? p->salt(p, job) : 0;
}

const char *policy_describe(const struct policy *p)
{
  return p->describe;
}

void policy_close(struct policy *p)
{
  if(!p)
    return;
  if(p->backend && p->backend->close)
    p->backend->close(p);
  free(p->cache_key);
  free(p->describe);
  free(p);
}

#include "proxy/proxy.h"
#include "proxy/http_rm.h"
#include "proxy/sim.h"
#include "util/cfg.h"

#include <stdlib.h>
#include <string.h>

static const struct proxy_backend *const backends[] = {
  &proxy_sim_backend, &proxy_vllm_classify_backend,
  &proxy_vllm_pooling_backend, &proxy_sglang_backend, &proxy_tei_backend,
  &proxy_judge_backend,
};

/* The section's score_text: *full = 1 for "full", 0 for "final" or
 * absent.  0, or -1 and err for another value. */
static int score_text(const cJSON *section, const char *file,
                      const char *path, int *full, struct bon_err *err)
{
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(section, "score_text");
  *full = 0;
  if(!v)
    return 0;
  if(cJSON_IsString(v) && !strcmp(v->valuestring, "final"))
    return 0;
  if(cJSON_IsString(v) && !strcmp(v->valuestring, "full")) {
    *full = 1;
    return 0;
  }
  return bon_errf(err, "%s: %s.score_text: expected \"final\" (the final "
                       "text of a completion, the default) or \"full\" "
                       "(its reasoning and final text)", file, path);
}

struct proxy *proxy_open(cJSON *section, const char *file, const char *path,
                         struct bon_err *err)
{
  if(!cJSON_IsObject(section)) {
    bon_errf(err, "%s: %s: expected an object, got %s", file, path,
             cfg_type_name(section));
    return NULL;
  }
  const char *name = cfg_str(section, "name");
  if(!name || !*name) {
    bon_errf(err, "%s: %s.name: missing required key (a unique name for "
                  "this reward model, used in every output)", file, path);
    return NULL;
  }
  if(strpbrk(name, ",\"\n\r\t")) {
    bon_errf(err, "%s: %s.name: \"%s\" may not contain commas, quotes or "
                  "control characters", file, path, name);
    return NULL;
  }
  int i = cfg_backend(section, file, path, (const void *const *)backends,
                      sizeof(backends) / sizeof(backends[0]), err);
  if(i < 0)
    return NULL;
  int full;
  if(score_text(section, file, path, &full, err))
    return NULL;
  const struct proxy_backend *b = backends[i];
  struct proxy *p = xcalloc(1, sizeof(*p));
  p->backend = b;
  p->name = xstrdup(name);
  p->full_text = full;
  /* the backends' key tables do not know score_text: hide it from them */
  cJSON *st = cJSON_DetachItemFromObjectCaseSensitive(section, "score_text");
  int rc = b->open(p, section, file, path, err);
  if(st)
    cJSON_AddItemToObject(section, "score_text", st);
  if(rc != 0) {
    proxy_close(p);
    return NULL;
  }
  if(!p->cache_key || !p->describe) {
    /* every backend sets both: a cache key made here could hold
     * transport keys (url, timeouts) that must never enter a key */
    bon_errf(err, "internal error: %s backend \"%s\" set no cache key",
             "proxy", b->name);
    proxy_close(p);
    return NULL;
  }
  if(full) {
    /* only "full" is keyed: the scores of the final text keep their key */
    size_t n = strlen(p->cache_key);
    p->cache_key = xrealloc(p->cache_key, n + 20);
    memcpy(p->cache_key + n, "|score_text:full", 17);
  }
  return p;
}

int proxy_score(struct proxy *p, const struct proxy_item *items, size_t n,
                proxy_sink sink, void *ctx, struct bon_err *err)
{
  return p->backend->score(p, items, n, sink, ctx, err);
}

const char *proxy_name(const struct proxy *p)
{
  return p->name;
}

const char *proxy_cache_key(const struct proxy *p)
{
  return p->cache_key;
}

const char *proxy_describe(const struct proxy *p)
{
  return p->describe;
}

int proxy_pairwise(const struct proxy *p)
{
  return p->pairwise;
}

int proxy_full_text(const struct proxy *p)
{
  return p->full_text;
}

void proxy_close(struct proxy *p)
{
  if(!p)
    return;
  if(p->backend && p->backend->close)
    p->backend->close(p);
  free(p->name);
  free(p->cache_key);
  free(p->describe);
  free(p);
}

#include "net/netcfg.h"

#include <stdlib.h>
#include <string.h>

int net_cfg_opts(const cJSON *sec, const char *file, const char *path,
                 struct net_opts *o, const char ***urls,
                 struct bon_err *err)
{
  net_opts_default(o);
  *urls = NULL;
  const cJSON *u = cJSON_GetObjectItemCaseSensitive(sec, "url");
  size_t n = 0;
  if(cJSON_IsString(u))
    n = 1;
  else if(cJSON_IsArray(u))
    n = (size_t)cJSON_GetArraySize(u);
  if(!n)
    return bon_errf(err, "%s: %s.url: expected a URL string or a non-empty "
                         "list of them, got %s", file, path,
                    cfg_type_name(u));
  const char **list = xcalloc(n, sizeof(*list));
  size_t i = 0;
  if(cJSON_IsString(u))
    list[i++] = u->valuestring;
  else
    for(const cJSON *it = u->child; it; it = it->next) {
      if(!cJSON_IsString(it)) {
        free(list);
        return bon_errf(err, "%s: %s.url[%zu]: expected a string, got %s",
                        file, path, i, cfg_type_name(it));
      }
      list[i++] = it->valuestring;
    }
  for(i = 0; i < n; i++) {
    struct bon_err e2;
    char *b = net_base_url(list[i], &e2);
    if(!b) {
      free(list);
      return bon_errf(err, "%s: %s.url: %s", file, path, e2.msg);
    }
    free(b);
  }
  o->urls = list;
  o->nurls = n;
  o->in_flight = (int)cfg_int(sec, "in_flight", o->in_flight);
  o->timeout_s = cfg_num(sec, "timeout_s", o->timeout_s);
  o->connect_timeout_s = cfg_num(sec, "connect_timeout_s",
                                 o->connect_timeout_s);
  o->retries = (int)cfg_int(sec, "retries", o->retries);
  o->backoff_base_s = cfg_num(sec, "backoff_s", o->backoff_base_s);
  o->backoff_max_s = cfg_num(sec, "backoff_max_s", o->backoff_max_s);
  o->retry_after_max_s = cfg_num(sec, "retry_after_max_s",
                                 o->retry_after_max_s);
  o->abort_after = (int)cfg_int(sec, "abort_after", o->abort_after);
  o->ready_timeout_s = cfg_num(sec, "ready_timeout_s", o->ready_timeout_s);
  const char *env = cfg_str(sec, "api_key_env");
  if(env) {
    const char *key = getenv(env);
    if(!key || !*key) {
      free(list);
      o->urls = NULL;
      return bon_errf(err, "%s: %s.api_key_env: the environment variable "
                           "%s is not set (export it before the run)",
                      file, path, env);
    }
    o->api_key = key;
  }
  *urls = list;
  return 0;
}

void net_cfg_urls(const cJSON *sec, struct buf *out)
{
  const cJSON *u = cJSON_GetObjectItemCaseSensitive(sec, "url");
  if(cJSON_IsString(u)) {
    buf_puts(out, u->valuestring);
    return;
  }
  const char *sep = "";
  for(const cJSON *it = u ? u->child : NULL; it; it = it->next)
    if(cJSON_IsString(it)) {
      buf_printf(out, "%s%s", sep, it->valuestring);
      sep = ",";
    }
}

/* netcfg.h - the config keys every HTTP backend shares.
 *
 * Policy and reward-model sections that talk to a server list
 * NET_CFG_FIELDS in their cfg_field table, then call net_cfg_opts() after
 * cfg_check() to get the client options.  None of these keys can change an
 * output, so none of them belongs in a cache key. */
#ifndef BON_NET_NETCFG_H
#define BON_NET_NETCFG_H

#include <cjson/cJSON.h>

#include "net/client.h"
#include "util/cfg.h"
#include "util/err.h"

#define NET_CFG_FIELDS                                                      \
  {"url", CFG_ANY, 1, NULL, 0, 0, NULL,                                     \
   "base URL of the server, or a list of them to spread the load over, "   \
   "e.g. \"http://127.0.0.1:8000\""},                                       \
  {"in_flight", CFG_INT, 0, "64", 1, 100000, NULL,                          \
   "requests kept in flight per URL"},                                      \
  {"timeout_s", CFG_NUMBER, 0, "600", 0.001, 86400, NULL,                   \
   "seconds one attempt may take, queueing included"},                      \
  {"connect_timeout_s", CFG_NUMBER, 0, "10", 0.001, 3600, NULL,             \
   "seconds to open a connection"},                                         \
  {"retries", CFG_INT, 0, "5", 0, 1000, NULL,                               \
   "retries of a request after 408/429/5xx or a connection error"},         \
  {"backoff_s", CFG_NUMBER, 0, "0.5", 0, 3600, NULL,                        \
   "first backoff ceiling in seconds (doubles per retry, full jitter)"},    \
  {"backoff_max_s", CFG_NUMBER, 0, "30", 0, 86400, NULL,                    \
   "largest backoff ceiling in seconds"},                                   \
  {"retry_after_max_s", CFG_NUMBER, 0, "120", 0, 86400, NULL,               \
   "cap on a server's Retry-After"},                                        \
  {"abort_after", CFG_INT, 0, "32", 0, 1000000, NULL,                       \
   "stop the run after this many requests in a row got no answer "         \
   "(refused, timed out, or 502/503/504) after all retries (0 = never)"},  \
  {"ready_timeout_s", CFG_NUMBER, 0, "600", 0, 86400, NULL,                 \
   "before the first request, wait this long at most for the server to "   \
   "be ready (its health path answers 200; 0 = do not wait)"},              \
  {"api_key_env", CFG_STRING, 0, NULL, 0, 0, NULL,                          \
   "name of the environment variable holding the API key (sent as "        \
   "Authorization: Bearer; never written anywhere)"}

/* Read the shared keys of a checked section into *o (net_opts_default
 * first).  The URL strings and the key stay owned by the section and the
 * environment; *urls (caller frees the array only) lists the URLs.
 * -1 and err (naming file and path) on a bad url or a missing key. */
int net_cfg_opts(const cJSON *sec, const char *file, const char *path,
                 struct net_opts *o, const char ***urls,
                 struct bon_err *err);

/* "http://a:8000,http://b:8000": the URLs, for describe strings. */
void net_cfg_urls(const cJSON *sec, struct buf *out);

#endif

/* srv.h - internal: what the parts of the simulated server share
 * (server.c: lifecycle, faults, routing; srv_gen.c: the generation
 * routes; srv_rm.c: the reward-model routes).  Not for use outside sim/. */
#ifndef BON_SIM_SRV_H
#define BON_SIM_SRV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <cjson/cJSON.h>
#include <microhttpd.h>

#include "sim/server.h"
#include "util/buf.h"

struct sim_server {
  struct sim_server_opts o;
  struct MHD_Daemon *d;
  int port;
  double t_start;            /* monotonic seconds at start */
  /* fault bookkeeping: how often each body was seen */
  pthread_mutex_t mu;
  uint64_t *seen_keys;
  uint32_t *seen_counts;
  size_t seen_cap, seen_n;
  atomic_long requests, answered, posts;
  atomic_long n_ok, n_429, n_503, n_500, n_drop, n_malformed, n_4xx;
  atomic_int stopping;
};

/* Queue a JSON answer (b's data is taken over; b is left empty), with a
 * Retry-After header on 429/503 when retry_after >= 0. */
enum MHD_Result srv_send(struct MHD_Connection *c, unsigned code,
                         struct buf *b, double retry_after);
/* An error in vLLM's nested envelope {"error":{message,type,param,code}},
 * counted by class. */
enum MHD_Result srv_error(struct sim_server *s, struct MHD_Connection *c,
                          unsigned code, const char *type, const char *msg);
/* An error with a body given whole (other servers' envelopes), counted
 * by class. */
enum MHD_Result srv_error_body(struct sim_server *s,
                               struct MHD_Connection *c, unsigned code,
                               const char *body);
/* 1 if a text is longer than max_prompt (when set). */
int srv_too_long(const struct sim_server *s, const char *text);
/* vLLM's 400 context error for an input of n characters. */
enum MHD_Result srv_context_error(struct sim_server *s,
                                  struct MHD_Connection *c, size_t n);
/* The sim RM a request names (one of the server's, else a preset of that
 * name, with its own stream) and the template its text inputs were built
 * with; NULL when neither exists. */
const struct sim_rm_params *srv_find_rm(const struct sim_server *s,
                                        const char *name,
                                        struct sim_rm_params *tmp,
                                        const char **tmpl);
/* The string value of key in j, or NULL. */
const char *srv_str(const cJSON *j, const char *key);
/* "inputs" of a request that holds a list of n > max_batch: TEI's 422. */
enum MHD_Result srv_batch_error(struct sim_server *s,
                                struct MHD_Connection *c, size_t n);

/* The routes (body: the raw request text; j: it parsed). */
enum srv_gen_route { SRV_COMPLETIONS, SRV_CHAT, SRV_OLLAMA };
enum MHD_Result srv_generate(struct sim_server *s, struct MHD_Connection *c,
                             const char *body, const cJSON *j,
                             enum srv_gen_route route);
enum MHD_Result srv_classify(struct sim_server *s, struct MHD_Connection *c,
                             const cJSON *j, int pooling);
enum MHD_Result srv_sglang(struct sim_server *s, struct MHD_Connection *c,
                           const cJSON *j);
enum MHD_Result srv_predict(struct sim_server *s, struct MHD_Connection *c,
                            const cJSON *j);

#endif

/* server.h - `bonrun serve`: the simulator behind an OpenAI-compatible
 * HTTP server on 127.0.0.1, so the real client path can be tested and
 * benchmarked without a GPU.
 *
 * Routes (vLLM shapes):
 *   POST /v1/completions       the sim policy; `prompt` (string or list),
 *                              `n`, `seed` (child i uses seed + i, as vLLM)
 *   POST /v1/chat/completions  model = the policy: the last user message is
 *                              the prompt; model = a sim RM: a judge reply
 *                              "Rating: [[score]]" for the answer found
 *                              between "[The Start of Assistant's Answer]\n"
 *                              and "\n[The End of Assistant's Answer]"
 *   POST /classify, /v1/classify  sim RM scores: data[i].probs[0]
 *   POST /pooling              data[i].data = one row [score] per line of
 *                              the response (score of the text so far);
 *                              when the response holds `step_tag`, one row
 *                              [p_bad, p_good] per tag from
 *                              sim_rm_step_scores (a process RM)
 *   GET  /health, /v1/models
 * A sim RM is a config proxy of that name, else the preset of that name.
 * Text inputs are split with `rm_template` to recover the response (a sim
 * RM scores the response alone), so a served score equals the in-process
 * one exactly.  Faults are drawn from (seed, request body, how many times
 * that body was seen), so a test sees the same faults in every run. */
#ifndef BON_NET_SERVER_H
#define BON_NET_SERVER_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "policy/sim.h"
#include "util/buf.h"
#include "util/err.h"

struct net_server_opts {
  int port;                  /* 0: any free port */
  int threads;               /* worker threads (thread pool) */
  const char *model;         /* the policy's model name ("sim") */
  struct sim_params policy;  /* the sim policy */
  cJSON *proxies;            /* config "proxies" list (sim ones used), or
                                NULL; borrowed for the server's life */
  const char *config_file;   /* for messages */
  const char *rm_template;   /* "{question}\n\n{response}" */
  const char *step_tag;      /* "<extra_0>": PRM step token on /pooling */
  double fail_429, fail_503, fail_500, drop, malformed; /* probabilities */
  double retry_after;        /* seconds sent with 429/503 (< 0: none) */
  int delay_ms;              /* answer each request this much later */
  uint64_t seed;             /* fault draws */
  long max_requests;         /* stop after this many (0: no limit) */
  long max_prompt;           /* longer prompts get a 400 context error */
};

void net_server_opts_default(struct net_server_opts *o);

struct net_server;

/* Start listening on 127.0.0.1.  NULL and err on failure. */
struct net_server *net_server_start(const struct net_server_opts *o,
                                    struct bon_err *err);
int net_server_port(const struct net_server *s);
/* 1 once max_requests requests have been answered. */
int net_server_finished(const struct net_server *s);
/* "1200 requests: 1100 ok, 60 429, ...". */
void net_server_stats(const struct net_server *s, struct buf *out);
/* Stop listening, wait for workers, free. */
void net_server_stop(struct net_server *s);

/* Recover {response} from text made with tmpl ({question}, {response});
 * the whole text when it does not match.  Returns a pointer into text and
 * the length in *len. */
const char *net_server_split(const char *tmpl, const char *text,
                             size_t *len);

#endif

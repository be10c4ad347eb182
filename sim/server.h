/* server.h - the simulator behind an OpenAI/vLLM-compatible HTTP server on
 * 127.0.0.1 (`bonrun serve`), so the real client path can be tested and
 * benchmarked without a GPU.
 *
 * Routes (vLLM shapes):
 *   POST /v1/completions       the sim policy; `prompt` (string or list),
 *                              `n`, `seed` (child i uses seed + i, as vLLM)
 *   POST /v1/chat/completions  model = the policy: the last user message is
 *                              the prompt; model = a sim RM: a judge reply
 *                              "Rating: [[score]]" for the response
 *                              recovered with `judge_template`
 *   POST /classify, /v1/classify  sim RM scores: data[i].probs[0]
 *   POST /pooling              data[i].data = one row [score] per line of
 *                              the response (score of the text so far);
 *                              when the response holds `step_tag`, one row
 *                              [p_bad, p_good] per tag from
 *                              sim_rm_step_scores (a process RM)
 *   GET  /health, /v1/models
 * A sim RM is one of `rms` of that name, else the preset of that name.
 * Text inputs are split with `rm_template` to recover the response (a sim
 * RM scores the response alone), so a served score equals the in-process
 * one exactly.  The templates and the step tag are the client's (the
 * runner passes net/openai.h's), so both sides agree by construction.  Faults are drawn from (seed, request body, how many times
 * that body was seen), so a test sees the same faults in every run. */
#ifndef BON_SIM_SERVER_H
#define BON_SIM_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "sim/rm.h"
#include "sim/solve.h"
#include "util/buf.h"
#include "util/err.h"

/* A named sim RM the server answers for. */
struct sim_server_rm {
  const char *name;
  struct sim_rm_params params;
};

struct sim_server_opts {
  int port;                  /* 0: any free port */
  int threads;               /* worker threads (thread pool) */
  const char *model;         /* the policy's model name ("sim") */
  struct sim_params policy;  /* the sim policy */
  const struct sim_server_rm *rms;  /* borrowed for the server's life */
  size_t nrms;
  const char *rm_template;   /* how RM text inputs were built from
                                {question} and {response}; NULL: the
                                input is the response */
  const char *judge_template; /* the same for judge prompts */
  const char *step_tag;      /* PRM step token on /pooling; NULL: none */
  double fail_429, fail_503, fail_500, drop, malformed; /* probabilities */
  double retry_after;        /* seconds sent with 429/503 (< 0: none) */
  int delay_ms;              /* answer each request this much later */
  uint64_t seed;             /* fault draws */
  long max_requests;         /* stop after this many (0: no limit) */
  long max_prompt;           /* longer prompts get a 400 context error */
};

/* Defaults: 4 threads, model "sim", default sim policy, no RMs of its
 * own, no templates, no faults. */
void sim_server_opts_init(struct sim_server_opts *o);

struct sim_server;

/* Start listening on 127.0.0.1.  NULL and err on failure. */
struct sim_server *sim_server_start(const struct sim_server_opts *o,
                                    struct bon_err *err);
int sim_server_port(const struct sim_server *s);
/* 1 once max_requests requests have been answered. */
int sim_server_finished(const struct sim_server *s);
/* "1200 requests: 1100 ok, 60 429, ...". */
void sim_server_stats(const struct sim_server *s, struct buf *out);
/* Stop listening, wait for workers, free. */
void sim_server_stop(struct sim_server *s);

/* Recover {response} from text made with tmpl ({question}, {response});
 * the whole text when it does not match or tmpl is NULL.  Returns a
 * pointer into text and the length in *len. */
const char *sim_server_split(const char *tmpl, const char *text,
                             size_t *len);

#endif

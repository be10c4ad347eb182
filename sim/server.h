/* server.h - the simulator behind the HTTP shapes of real servers on
 * 127.0.0.1 (`bonrun serve`), so the real client path can be tested and
 * benchmarked without a GPU.
 *
 * Routes:
 *   POST /v1/completions       the sim policy; `prompt` (string or list),
 *                              `n`, `seed` (child i uses seed + i, as vLLM),
 *                              max_tokens / max_completion_tokens (a
 *                              solution longer than that many words is cut,
 *                              finish_reason "length")
 *   POST /v1/chat/completions  model = the policy: the last user message is
 *                              the prompt; model = a sim RM: a judge reply
 *                              "Rating: [[score]]" for the response
 *                              recovered with `judge_template`, or when
 *                              the prompt matches `pair_template` a
 *                              verdict "[[A]]" / "[[B]]" (sim/judge.h)
 *   POST /api/generate         Ollama's shape (response, done_reason,
 *                              prompt_eval_count, eval_count, thinking)
 *   POST /classify, /v1/classify  sim RM scores: data[i].probs[0] (vLLM;
 *                              sigmoid unless the activation switch of the
 *                              served vLLM version says raw); a `text` list
 *                              gets SGLang's [{embedding:[score]}]
 *   POST /pooling              data[i].data = one row [score] per line of
 *                              the response (score of the text so far);
 *                              when the response holds `step_tag`, one row
 *                              [p_bad, p_good] per tag from
 *                              sim_rm_step_scores (a process RM)
 *   POST /predict              TEI's [[{score, label}]] (raw_scores)
 *   GET  /health, /version, /v1/models, / (Ollama's "Ollama is running")
 * A sim RM is one of `rms` of that name, else the preset of that name.
 * Text inputs are split with `rm_template` to recover the response (a sim
 * RM scores the response alone), and prompts with `policy_template` to
 * recover the question, so a served score or sample equals the in-process
 * one exactly.  The templates and the step tag are the client's (the
 * runner passes net/openai.h's), so both sides agree by construction.
 *
 * Faults are drawn from (seed, request body, how many times that body was
 * seen), so a test sees the same faults in every run.  The behaviours of
 * real servers (docs/serving.md) are options: request-level errors, batch
 * and `n` limits, refused parameters, a used-up quota, a loading phase,
 * silent truncation of over-long inputs where the server does it (TEI,
 * Ollama: unless the request says "truncate": false), reasoning replies,
 * and old vLLM versions. */
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
  const char *rm_template;   /* how its text inputs were built; NULL: the
                                server's rm_template */
};

/* A real problem the policy can answer (a config's dataset, for `bonrun
 * serve --config`): its text and its reference final answer, for
 * sim_solve_ref. */
struct sim_server_ref {
  const char *question;
  const char *reference;
};

/* How the policy's replies carry reasoning (docs/serving.md). */
enum sim_reasoning {
  SIM_REASON_NONE,    /* plain replies */
  SIM_REASON_FIELD,   /* chat: content + reasoning_content (vLLM, SGLang) */
  SIM_REASON_NAMED,   /* chat: content + reasoning (newer vLLM) */
  SIM_REASON_NULL,    /* chat: content null, all in reasoning_content,
                         finish "length" (thinking ran out of tokens) */
  SIM_REASON_THINK    /* a raw "<think>...</think>" before the answer */
};

struct sim_server_opts {
  int port;                  /* 0: any free port */
  int threads;               /* worker threads (thread pool) */
  const char *model;         /* the policy's model name ("sim") */
  struct sim_params policy;  /* the sim policy */
  const char *policy_template; /* how prompts were built from {question}
                                  and {system}; NULL: prompt = question */
  const char *policy_system; /* {system} in policy_template */
  const struct sim_server_rm *rms;  /* borrowed for the server's life */
  size_t nrms;
  const struct sim_server_ref *refs; /* sorted by question (strcmp),
                                        borrowed; a question among them
                                        is answered around its reference,
                                        any other only if the simulator
                                        made it */
  size_t nrefs;
  const char *rm_template;   /* how RM text inputs were built from
                                {question} and {response}; NULL: the
                                input is the response */
  const char *judge_template; /* the same for judge prompts */
  const char *pair_template;  /* pairwise judge prompts ({question},
                                 {response_a}, {response_b}); NULL: none */
  const char *step_tag;      /* PRM step token on /pooling; NULL: none */
  double fail_429, fail_503, fail_500, fail_424, drop, malformed;
                             /* probabilities per request */
  double retry_after;        /* seconds sent with 429/503 (< 0: none) */
  int delay_ms;              /* answer each request this much later */
  uint64_t seed;             /* fault draws */
  long max_requests;         /* stop after this many (0: no limit) */
  long max_prompt;           /* inputs longer than this (characters) are
                                over the context: an error in the server's
                                words, or cut where the server does that */
  /* real servers' behaviours (0 / NULL: off) */
  int request_error;         /* every POST gets this status (400, 401,
                                404, 405, 413, 422) with a fitting body */
  long max_batch;            /* more inputs per request: TEI's 422 */
  long max_n;                /* `n` above this: llama.cpp's 400 */
  int single_choice;         /* `n` > 1: old llama.cpp's 500 */
  const char *reject_params; /* comma-separated body fields the OpenAI API
                                refuses with 400 */
  long quota_after;          /* after this many POSTs: 429
                                insufficient_quota */
  double loading_s;          /* for this long after start: 503 "Loading
                                model" on /health and every POST */
  enum sim_reasoning reasoning;
  const char *vllm_version;  /* /version; "0.9.x": /classify ignores
                                use_activation and activation, "0.10.x":
                                takes only activation; NULL: current */
};

/* Defaults: 4 threads, model "sim", default sim policy, no RMs of its
 * own, no templates, no faults, the behaviours of current servers. */
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

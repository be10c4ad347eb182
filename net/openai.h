/* openai.h - the request and response shapes of OpenAI-compatible
 * servers (vLLM, SGLang, llama.cpp, TGI, Ollama, OpenAI, bonrun serve)
 * that the policy and the reward-model clients share, and the protocol
 * constants both bonrun's clients and its simulated server must agree on.
 * Pure functions: no I/O.  See net/README.md for each server's shapes. */
#ifndef BON_NET_OPENAI_H
#define BON_NET_OPENAI_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/err.h"

/* What a generation endpoint answers. */
enum net_gen_kind {
  NET_GEN_COMPLETIONS,  /* /v1/completions: choices[i].text by index */
  NET_GEN_CHAT,         /* /v1/chat/completions: choices[i].message.content */
  NET_GEN_OLLAMA        /* Ollama /api/generate: response */
};

/* Parse a 2xx generation body holding n completions.  On success texts[i]
 * (caller frees each) is the completion of index i and *ntrunc counts
 * those that stopped at max_tokens.  -1 and err when the body is not what
 * the endpoint returns (texts then untouched). */
int net_openai_parse(enum net_gen_kind kind, const char *body, size_t len,
                     size_t n, char **texts, size_t *ntrunc,
                     struct bon_err *err);

/* Apply a prompt template: each "{question}" becomes question, each
 * "{system}" becomes system (or ""); any other brace is kept. */
void net_openai_fill(const char *tmpl, const char *question,
                     const char *system, struct buf *out);

/* A JSON value printed compactly into a fresh string (caller frees);
 * "null" for NULL.  Cannot fail. */
char *net_json_print(const cJSON *v);

/* The default input of a text reward model: built from {question} and
 * {response}; the simulated server splits it back. */
#define NET_RM_TEMPLATE "{question}\n\n{response}"
/* The same as a JSON string literal, for config defaults (a unit test
 * checks that the two agree). */
#define NET_RM_TEMPLATE_JSON "\"{question}\\n\\n{response}\""
extern const char net_rm_template[];

/* Qwen2.5-Math-PRM's step tag and system prompt (docs/serving.md): the
 * defaults of a process RM's step_tag and, for chat input, of system. */
#define NET_PRM_STEP_TAG "<extra_0>"
extern const char net_prm_step_tag[];
extern const char net_prm_system[];

/* The default judge prompt (system message and user template with
 * {question} and {response}) and the pattern of its rating. */
extern const char net_judge_system[];
extern const char net_judge_template[];
extern const char net_judge_regex[];

#endif

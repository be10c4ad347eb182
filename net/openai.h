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

/* One completion as the server returned it (docs/serving.md, "Reasoning
 * models").  The final text is what the verifier judges and what reward
 * models score by default; the reasoning comes from `reasoning_content`
 * (vLLM, SGLang, DeepSeek), `reasoning` (newer vLLM, OpenRouter), Ollama's
 * `thinking`, or a raw "<think>...</think>" block at the start. */
struct net_completion {
  char *text;       /* final text, never NULL ("" when content is null) */
  char *reasoning;  /* NULL when there is none */
  char *finish;     /* finish_reason / done_reason; NULL when absent */
  long tokens;      /* completion tokens when the answer says so for this
                       completion alone (a request of one completion:
                       usage.completion_tokens, Ollama eval_count); -1 */
};
void net_completion_free(struct net_completion *c);
/* 1 if the completion stopped at max_tokens (finish "length"). */
int net_completion_truncated(const struct net_completion *c);

/* Parse a 2xx generation body holding n completions into out[0..n) (by
 * choice index; caller frees each with net_completion_free).  A null or
 * missing message.content is an empty final text, not an error.  -1 and
 * err when the body is not what the endpoint returns (out untouched). */
int net_openai_parse(enum net_gen_kind kind, const char *body, size_t len,
                     size_t n, struct net_completion *out,
                     struct bon_err *err);

/* Split a raw "<think>R</think>T" (leading blanks allowed) into the final
 * text T (leading blanks dropped) and the reasoning R; an unclosed <think>
 * is all reasoning (final ""); a "</think>" with no opening tag (the chat
 * template opened it) ends the reasoning.  No tag: *final = a copy of
 * text, *reasoning = NULL.  Fresh strings (caller frees).  Cannot fail. */
void net_split_think(const char *text, char **final, char **reasoning);
/* The full text of a completion: "<think>R</think>\n\nT" when there is
 * reasoning R, else T (the inverse of net_split_think). */
void net_join_reasoning(const char *reasoning, const char *text,
                        struct buf *out);

/* One placeholder of a template: its text ("{question}") and value (NULL
 * is ""). */
struct net_slot {
  const char *name;
  const char *value;
};

/* Apply a template in one pass: each placeholder of slots[0..n) becomes
 * its value, any other brace is kept.  Values are never rescanned, so a
 * question or response holding "{response}" cannot inject anything. */
void net_openai_fill_slots(const char *tmpl, const struct net_slot *slots,
                           size_t n, struct buf *out);

/* A prompt template: "{question}" and "{system}" (NULL system is ""). */
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

/* The default pairwise judge prompt, in the style of MT-bench's pairwise
 * prompt (as RewardBench uses it): a system message and a user template
 * with {question}, {response_a} and {response_b}; the reply names the
 * better solution as "[[A]]" or "[[B]]", which the pattern's first group
 * captures. */
extern const char net_pair_system[];
extern const char net_pair_template[];
extern const char net_pair_regex[];

#endif

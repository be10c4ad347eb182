/* http.h - policy backends that draw completions from a served model.
 *
 *   "openai"  any OpenAI-compatible server (vLLM, SGLang, llama.cpp,
 *             bonrun serve, OpenAI): endpoint "completions" posts a prompt
 *             built from `template` to /v1/completions; "chat" posts
 *             messages (optional system prompt) to /v1/chat/completions.
 *   "ollama"  Ollama's native /api/generate (raw prompt, stream off).
 *
 * Reasoning models: the final text and the reasoning come back apart
 * (net_openai_parse).  dialect "openai" sends max_completion_tokens and
 * temperature/top_p only when set, and refuses top_k/min_p at open;
 * dialect "sglang" with seeds warns that samples are not reproducible;
 * Ollama gets "truncate": false so an over-long prompt is an error.
 * Before the first request the client waits for /health ("/" on Ollama).
 *
 * Each job's seed is sent as the request seed (reduced to seed_bits bits,
 * 31 by default: exact on every server).  With n_per_request > 1 and a
 * dialect whose child i uses seed + i (vLLM, llama.cpp, bonrun serve),
 * consecutive jobs of one question with consecutive seeds share one
 * request with `n`; otherwise every job is its own request, so a sample
 * never depends on how the jobs were grouped.
 *
 * Config keys (policy section; see net/README.md): backend, samples, url,
 * model, endpoint, template, system, temperature, top_p, top_k, min_p,
 * max_tokens, stop, logprobs, seed_mode, seed_bits, n_per_request,
 * dialect, extra, and the shared keys of net/netcfg.h (in_flight,
 * timeout_s, connect_timeout_s, retries, backoff_s, backoff_max_s,
 * retry_after_max_s, abort_after, api_key_env).  The cache key holds every
 * key that can change a completion and none of the others. */
#ifndef BON_POLICY_HTTP_H
#define BON_POLICY_HTTP_H

#include <stddef.h>

#include "net/client.h"
#include "policy/policy.h"
#include "util/buf.h"
#include "util/err.h"

extern const struct policy_backend policy_openai_backend;
extern const struct policy_backend policy_ollama_backend;

/* Append the client's statistics ("1200 requests, ...; 12 truncated") if p
 * is an HTTP policy; returns 0, or -1 (nothing appended) for others. */
int policy_http_stats(const struct policy *p, struct buf *out);
/* Why the last policy_generate of an HTTP policy stopped (a request-level
 * error, a server never ready...); NET_CAUSE_NONE for other backends or
 * when it did not stop.  The runner names the remedy from it. */
enum net_cause policy_http_cause(const struct policy *p);

#endif

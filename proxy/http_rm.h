/* http_rm.h - reward models behind an HTTP server.
 *
 *   "vllm-classify"  vLLM POST /classify; score = data[i].probs[label]
 *                    (send use_activation:false for the raw logit).
 *   "vllm-pooling"   vLLM POST /pooling; data[i].data is a row per token or
 *                    per step: pooling "last" takes the last row's [label]
 *                    (outcome RMs with ALL pooling), pooling "steps" takes
 *                    [step_label] of every row as a step score (process
 *                    RMs) and folds them with `aggregate`: the response is
 *                    cut into steps at `step_split`, each followed by
 *                    `step_tag`, and the server must return one row per
 *                    step (else a permanent per-item error).
 *   "sglang"         SGLang native POST /classify; score =
 *                    [i].embedding[label].
 *   "tei"            HF TEI POST /predict with raw_scores; score of LABEL_k.
 *   "judge"          an LLM judge on /v1/chat/completions: the rating is
 *                    parsed from the reply with `rating_regex`; a reply with
 *                    no rating is a missing score (an error to the sink,
 *                    counted), never a default number.  With "pairwise":
 *                    true a pairwise judge (proxy_pairwise): the template
 *                    shows {response_a} and {response_b}, the verdict
 *                    pattern's group is A (score 1) or B (score 0); a reply
 *                    without a verdict is the item's error, counted.
 *
 * A process RM (pooling "steps") sends an item's own steps when it has
 * them (proxy_item.steps), else its response cut at `step_split`.
 *
 * Inputs are built from `template` ({question}, {response}) or, for vLLM,
 * sent as chat messages (input "messages") so the server applies the RM's
 * own chat template.  Several inputs share a request (`batch`) where the
 * server takes a list; a batch the server refuses for one of its items
 * (input longer than the context) is sent again in halves, down to single
 * items, so only the offending items get an error.  TEI gets
 * "truncate": false (an over-long input is an error, not a score of its
 * beginning).  vLLM RMs that want raw scores ask /version first: 0.10
 * gets the older "activation"/"softmax" field too, older builds stop the
 * run unless server_raw_scores.  Before the first request the client waits
 * for /health.  Shared HTTP keys: net/netcfg.h. */
#ifndef BON_PROXY_HTTP_RM_H
#define BON_PROXY_HTTP_RM_H

#include <stddef.h>

#include "net/client.h"
#include "proxy/proxy.h"
#include "proxy/reply.h"
#include "util/buf.h"
#include "util/err.h"

extern const struct proxy_backend proxy_vllm_classify_backend;
extern const struct proxy_backend proxy_vllm_pooling_backend;
extern const struct proxy_backend proxy_sglang_backend;
extern const struct proxy_backend proxy_tei_backend;
extern const struct proxy_backend proxy_judge_backend;

/* The values of the process-RM keys "pooling" (last, steps) and
 * "step_split" ("\n\n", "\n"), NULL-terminated; the sim backend takes
 * the same keys. */
extern const char *const proxy_poolings[];
extern const char *const proxy_step_splits[];

/* Append the client's statistics if p is an HTTP RM; -1 otherwise. */
int proxy_http_stats(const struct proxy *p, struct buf *out);
/* Why the last proxy_score of an HTTP RM stopped (a request-level error,
 * a server never ready, a vLLM too old for raw scores: NET_CAUSE_OLD_SERVER);
 * NET_CAUSE_NONE otherwise.  The runner names the remedy from it. */
enum net_cause proxy_http_cause(const struct proxy *p);

#endif

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

enum proxy_http_kind {
  PROXY_HTTP_VLLM_CLASSIFY,
  PROXY_HTTP_VLLM_POOLING,
  PROXY_HTTP_SGLANG,
  PROXY_HTTP_TEI,
  PROXY_HTTP_JUDGE,
  PROXY_HTTP_PAIR_JUDGE   /* "judge" with "pairwise": true */
};

/* One parsed result.  error non-NULL (static text or owned by `owned`)
 * means the server answered but this item has no score. */
struct proxy_http_out {
  double score;
  double *steps;     /* owned; NULL unless pooling "steps" */
  size_t nsteps;
  char *error;       /* owned, or NULL */
};

/* Fold step scores with an aggregation of stats/steps.h (any spelling of
 * stats_step_agg_names: min, max, mean, sum, first, last, prod, gmean or
 * geometric_mean, mean_logit, mean_odds).  -1 for an unknown name, no
 * steps, or a step the aggregation cannot take (outside [0,1] for those
 * that read probabilities). */
int proxy_http_aggregate(const char *how, const double *v, size_t n,
                         double *out);

/* Parse a 2xx body holding n results of `kind` into out[0..n).  `label`
 * picks the column (-1 = the last one); `steps` selects pooling "steps"
 * with aggregation `agg` (the caller then checks the number of rows with
 * proxy_http_expect_steps).  For PROXY_HTTP_JUDGE the body is a chat
 * completion whose text goes through proxy_http_rating with the given
 * pattern (NULL: the default) and rating_last; for PROXY_HTTP_PAIR_JUDGE
 * through proxy_http_verdict (NULL: net_pair_regex).  -1 and err when the body
 * is malformed (out untouched, nothing to free); per-item problems go to
 * out[i].error instead. */
int proxy_http_parse(enum proxy_http_kind kind, const char *body,
                     size_t len, size_t n, int label, int steps,
                     const char *agg, const char *rating_regex,
                     int rating_last, struct proxy_http_out *out,
                     struct bon_err *err);
void proxy_http_out_free(struct proxy_http_out *o, size_t n);

/* Process RMs (vllm-pooling, pooling "steps").  Cut `response` into
 * steps (`split` "\n\n": blank lines, i.e. lines of whitespace only, end a
 * step; "\n": every line is a step), trim each of whitespace, drop empty
 * ones, and append each step followed by `tag` to out (NULL: only count):
 * "s1<extra_0>s2<extra_0>" as Qwen2.5-Math-PRM expects.  Returns the
 * number of steps (0 for a response of whitespace only).  Cannot fail. */
size_t proxy_http_join_steps(const char *response, const char *split,
                             const char *tag, struct buf *out);

/* The same for a response's own steps (a dataset's): each step trimmed of
 * whitespace and followed by `tag`, empty ones dropped.  Returns the
 * number of steps appended.  Cannot fail. */
size_t proxy_http_tag_steps(const char *const *steps, size_t n,
                            const char *tag, struct buf *out);

/* Check a parsed PRM result against the `want` steps that were sent: a
 * different count (or want = 0) becomes a per-item error naming both
 * counts and the tag (steps freed, error owned by o); an error already
 * there stays.  0 when o is fine or already an error, -1 when it became
 * one. */
int proxy_http_expect_steps(struct proxy_http_out *o, size_t want,
                            const char *tag);

/* Find a rating in a judge's text with a POSIX extended regex whose first
 * group is the number (`last`: the last match, else the first).  0 and
 * *out, or -1 and err (unparsable: no match, not a number). */
int proxy_http_rating(const char *text, const char *regex, int last,
                      double *out, struct bon_err *err);

/* Find a pairwise judge's verdict in its text with a POSIX extended regex
 * whose first group is "A" or "B" (`last`: the last match, else the
 * first).  0 and *out = 1 for A, 0 for B; -1 and err when nothing matches
 * or the group is something else (unparsable: a loss for the caller). */
int proxy_http_verdict(const char *text, const char *regex, int last,
                       double *out, struct bon_err *err);

/* Append the client's statistics if p is an HTTP RM; -1 otherwise. */
int proxy_http_stats(const struct proxy *p, struct buf *out);
/* Why the last proxy_score of an HTTP RM stopped (a request-level error,
 * a server never ready, a vLLM too old for raw scores: NET_CAUSE_OLD_SERVER);
 * NET_CAUSE_NONE otherwise.  The runner names the remedy from it. */
enum net_cause proxy_http_cause(const struct proxy *p);

#endif

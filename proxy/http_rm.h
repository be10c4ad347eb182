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
 *                    counted), never a default number.
 *
 * Inputs are built from `template` ({question}, {response}) or, for vLLM,
 * sent as chat messages (input "messages") so the server applies the RM's
 * own chat template.  Several inputs share a request (`batch`) where the
 * server takes a list.  Shared HTTP keys: net/netcfg.h. */
#ifndef BON_PROXY_HTTP_RM_H
#define BON_PROXY_HTTP_RM_H

#include <stddef.h>

#include "proxy/proxy.h"
#include "util/buf.h"
#include "util/err.h"

extern const struct proxy_backend proxy_vllm_classify_backend;
extern const struct proxy_backend proxy_vllm_pooling_backend;
extern const struct proxy_backend proxy_sglang_backend;
extern const struct proxy_backend proxy_tei_backend;
extern const struct proxy_backend proxy_judge_backend;

enum proxy_http_kind {
  PROXY_HTTP_VLLM_CLASSIFY,
  PROXY_HTTP_VLLM_POOLING,
  PROXY_HTTP_SGLANG,
  PROXY_HTTP_TEI,
  PROXY_HTTP_JUDGE
};

/* One parsed result.  error non-NULL (static text or owned by `owned`)
 * means the server answered but this item has no score. */
struct proxy_http_out {
  double score;
  double *steps;     /* owned; NULL unless pooling "steps" */
  size_t nsteps;
  char *error;       /* owned, or NULL */
};

/* Fold step scores with one of min, max, mean, prod, sum, last, first,
 * geometric_mean.  -1 for an unknown name or no steps. */
int proxy_http_aggregate(const char *how, const double *v, size_t n,
                         double *out);

/* Parse a 2xx body holding n results of `kind` into out[0..n).  `label`
 * picks the column (-1 = the last one); `steps` selects pooling "steps"
 * with aggregation `agg` (the caller then checks the number of rows with
 * proxy_http_expect_steps).  For PROXY_HTTP_JUDGE the body is a chat
 * completion whose text goes through proxy_http_rating with the given
 * pattern (NULL: the default) and rating_last.  -1 and err when the body
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

/* Append the client's statistics if p is an HTTP RM; -1 otherwise. */
int proxy_http_stats(const struct proxy *p, struct buf *out);

#endif

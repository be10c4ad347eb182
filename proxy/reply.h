/* reply.h - the pure pieces of the HTTP reward-model backends: the inputs
 * a process RM's steps become, and what each server's reply means (scores,
 * step scores, a judge's rating or A/B verdict).  No I/O; the backends of
 * http_rm.h send and receive, this reads.  Shapes per server:
 * docs/serving.md. */
#ifndef BON_PROXY_REPLY_H
#define BON_PROXY_REPLY_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

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

/* 1 when s[0..n) is white space only. */
int proxy_http_blank(const char *s, size_t n);

#endif

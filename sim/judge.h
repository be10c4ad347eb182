/* judge.h - the simulated LLM judges of `bonrun serve`: a sim RM answering
 * a judge prompt, either as a single-answer judge (a rating) or as a
 * pairwise judge (a verdict naming the better of two solutions).
 *
 * The prompts are recovered with the client's templates (the runner passes
 * net/openai.h's), so a served judge reads exactly the solutions bonrun
 * sent: {response} of the single-answer template, {response_a} and
 * {response_b} of the pairwise one ({question} may appear in both). */
#ifndef BON_SIM_JUDGE_H
#define BON_SIM_JUDGE_H

#include <stddef.h>

#include "sim/rm.h"
#include "util/buf.h"

/* Recover the two solutions of a pairwise prompt made with tmpl (which
 * holds {response_a} and {response_b} once each, and at most one
 * {question}; the text between two markers may not be empty).  0 with
 * *a, *alen, *b, *blen pointing into text; -1 when tmpl is NULL, lacks a
 * marker or text does not match it.  Cannot fail otherwise. */
int sim_judge_split_pair(const char *tmpl, const char *text, const char **a,
                         size_t *alen, const char **b, size_t *blen);

/* Append the reply of judge rm to the user prompt `prompt`: when it
 * matches pair_tmpl (non-NULL), a verdict "[[A]]" or "[[B]]" for the
 * solution the RM scores higher (A on a tie); else a rating
 * "Rating: [[score]]" of the response recovered with tmpl
 * (sim_server_split), where score is sim_rm_score of that response. */
void sim_judge_reply(const struct sim_rm_params *rm, const char *tmpl,
                     const char *pair_tmpl, const char *prompt,
                     struct buf *out);

#endif

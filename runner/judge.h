/* judge.h - the gold judge of a run: the answer verifier of gold/. */
#ifndef BON_JUDGE_H
#define BON_JUDGE_H

#include <stddef.h>

/* Judge `text` (a completion) against `reference` (an answer or a whole
 * solution); strict: the completion's answer comes from a box or an answer
 * phrase only (config gold.extract "strict").  Writes the extracted final
 * answer of text into answer ("" when none) and a short reason.  Returns
 * 1 correct, 0 not. */
int judge(const char *reference, const char *text, int strict, char *answer,
          size_t answer_len, const char **reason);

#endif

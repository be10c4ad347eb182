/* judge.c - the run's gold judge: the answer verifier of gold/. */
#include "runner/judge.h"
#include "gold/gold.h"

#include <stdio.h>

int judge(const char *reference, const char *text, int strict, char *answer,
          size_t answer_len, const char **reason)
{
  struct gold_verdict v;
  gold_judge_ex(reference, text, strict ? GOLD_STRICT : 0, &v);
  snprintf(answer, answer_len, "%s", v.pred_answer);
  *reason = v.reason;
  return v.correct;
}

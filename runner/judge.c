/* judge.c - the run's gold judge: the answer verifier of gold/. */
#include "runner/judge.h"
#include "gold/gold.h"

#include <stdio.h>

int judge(const char *reference, const char *text, char *answer,
          size_t answer_len, const char **reason)
{
  struct gold_verdict v;
  gold_judge(reference, text, &v);
  snprintf(answer, answer_len, "%s", v.pred_answer);
  *reason = v.reason;
  return v.correct;
}

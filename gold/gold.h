/* gold.h - the gold verifier: is a completion's final answer the same as
 * the reference answer?  (the rules: docs/answers.md; how they are
 * implemented: gold/README.md)
 *
 * The core is pure: no I/O, no global mutable state, thread-safe.  Every
 * call is bounded in time and memory whatever the input (inputs are capped
 * in length, nesting depth, exponent size and work); past a bound the
 * verdict says so in its reason ("too long", "too large", "too complex"). */
#ifndef BON_GOLD_H
#define BON_GOLD_H

#include <stddef.h>

#define GOLD_ANSWER_DISPLAY 256

struct gold_verdict {
  int correct;                            /* 1 equal, 0 not */
  char gold_answer[GOLD_ANSWER_DISPLAY];  /* extracted (truncated) */
  char pred_answer[GOLD_ANSWER_DISPLAY];
  /* Static strings: "integer", "rational", "decimal", "real", "complex",
   * "expr", "equation", "inequality", "interval", "tuple", "set", "list",
   * "union", "matrix", "text", "choice", "none" (no answer), "error". */
  const char *gold_type;
  const char *pred_type;
  /* Static string: "equal", "equal (same text)", "equal (rounded)",
   * "no answer", "no gold answer", "unterminated box", "parse error",
   * "numeric mismatch", "expression mismatch", "type mismatch",
   * "relation mismatch", "text mismatch", "choice mismatch",
   * "length mismatch", "bracket mismatch", "element mismatch",
   * "too long", "too large", "too deep", "too complex".  When the
   * completion's answer was only its last number (the lowest extraction
   * rule), the comparison's reason carries " (last number)": "equal (last
   * number)", "numeric mismatch (last number)", ... */
  const char *reason;
};

/* Flags of gold_judge_ex. */
#define GOLD_STRICT 1 /* the completion's answer: box or answer phrase only */

/* Judge pred (a completion or a bare answer) against gold (a reference
 * answer or a whole reference solution).  Fills *v completely and returns
 * v->correct (1 or 0).  NULL strings count as empty (no answer).  flags:
 * 0 (the full extraction order) or GOLD_STRICT (applies to pred only: a
 * reference is always read with the full order). */
int gold_judge_ex(const char *gold, const char *pred, int flags,
                  struct gold_verdict *v);

/* gold_judge_ex with flags 0. */
int gold_judge(const char *gold, const char *pred, struct gold_verdict *v);

/* Extract the final answer of a text (docs/answers.md "Extraction", the
 * full order) into out,
 * NUL-terminated and truncated to outlen - 1 bytes.  Returns the length of
 * the whole answer (which may exceed outlen - 1) or -1 for no answer
 * (out is then ""). */
int gold_extract(const char *text, char *out, size_t outlen);

#endif

/* solve.h - the simulated policy: step-by-step solutions to the
 * simulator's problems, with realistic mistakes and styles.
 *
 * The model: each problem has a difficulty drawn from the hash of its
 * text; a sample is correct with probability sigmoid(skill - difficulty).
 * A wrong sample carries one realistic mistake: an arithmetic slip (a
 * false equation such as 17 \times 23 = 381, which a careful reader can
 * catch) or a misread number (every equation true, the answer still wrong:
 * nobody can catch it from the text).  Style is drawn per sample: filler
 * sentences (length), confident phrases and markdown formatting; a share
 * `bluff` of wrong samples is written in a loud, confident, formatted
 * style.  That spurious link between style and wrongness is what a biased
 * reward model exploits under best-of-n.
 *
 * Everything is a pure function of (parameters, question text, seed), so a
 * solution drawn in process and one served over HTTP are identical. */
#ifndef BON_SIM_SOLVE_H
#define BON_SIM_SOLVE_H

#include <stdint.h>

#include "util/buf.h"

struct sim_params {
  double skill;      /* mean logit of solving a problem */
  double spread;     /* sd of per-problem difficulty (logits) */
  double bluff;      /* share of wrong samples in the loud, confident style */
  double misread;    /* share of wrong samples that misread a number */
  double verbosity;  /* mean number of filler sentences */
  double variety;    /* share of correct answers in a non-canonical form */
};

/* The defaults of the "policy" section for backend "sim". */
void sim_params_default(struct sim_params *pp);

enum sim_force {
  SIM_NATURAL,    /* correct with the problem's probability */
  SIM_CORRECT,
  SIM_WRONG,      /* slip or misread, as the parameters say */
  SIM_WRONG_SLIP  /* always an arithmetic slip */
};

enum sim_style {
  SIM_STYLE_MODEL,  /* the policy's own style, drawn per sample */
  SIM_STYLE_HUMAN,  /* terse, plain: how a person writes a solution */
  SIM_STYLE_PLAIN,  /* model style with no confident phrases or markdown */
  SIM_STYLE_LOUD    /* model style, verbose, confident and formatted */
};

/* Append a solution of `question` to out.  Returns 1 if the solution is
 * meant to be correct, 0 if it carries a mistake, -1 if the question is not
 * one the simulator writes (out then gets a polite non-answer). */
int sim_solve(const struct sim_params *pp, const char *question,
              uint64_t seed, enum sim_force force, enum sim_style style,
              struct buf *out);

/* The simulator's tokens: whitespace-separated words.  The number of
 * tokens of text, and the length in bytes of its first `max` tokens (the
 * whole text when it has no more), so a served completion can stop at
 * max_tokens as a real server's does. */
size_t sim_tokens(const char *text);
size_t sim_tokens_prefix(const char *text, size_t max);

/* sim_solve for any problem: one of the simulator's own as sim_solve does;
 * any other (a real dataset's) when `reference` (its final answer, as the
 * verifier extracts it) is given: correct with the same probability, the
 * reference boxed at the end; wrong with one false product (a slip) or
 * none (a misread), and a plausible different answer; in the same styles.
 * Returns 1, 0, or -1 with the polite non-answer when reference is NULL
 * or empty. */
int sim_solve_ref(const struct sim_params *pp, const char *question,
                  const char *reference, uint64_t seed, enum sim_force force,
                  enum sim_style style, struct buf *out);

#endif

/* rm.h - the simulated reward models, of graded quality.
 *
 * A sim RM reads a solution the way a hurried grader does: it checks the
 * arithmetic of each equation it finds ("$17 \times 23 = 381$",
 * "$\sqrt{64} = 9$"), catching a false one with probability `check` and
 * wrongly flagging a true one with probability `false_alarm`; it pays
 * `w_correct` to a solution with nothing flagged.  On top of that it may
 * reward spurious features: length (per doubling over 800 characters),
 * confident phrases and markdown formatting; plus its own idiosyncratic
 * noise, and optional rounding to a quantum (which creates ties).  A
 * misread number leaves every equation true, so no sim RM can catch it.
 *
 * Scores are a pure function of (parameters, name, response). */
#ifndef BON_SIM_RM_H
#define BON_SIM_RM_H

#include <stdint.h>

#include <stddef.h>

struct sim_rm_params {
  double check;        /* P(catch a false equation) */
  double false_alarm;  /* P(flag a true equation) */
  double w_correct;    /* reward when nothing is flagged */
  double w_length;     /* per doubling of length over 800 characters */
  double w_confident;  /* per confident phrase */
  double w_format;     /* per markdown marker, at most 4 counted */
  double noise;        /* sd of the RM's own noise */
  double quantum;      /* round scores to multiples of this; 0 = off */
  uint64_t id;         /* the RM's own random stream (hash of its name) */
};

/* Fill *out with the preset `name`; -1 if there is no such preset. */
int sim_rm_preset(const char *name, struct sim_rm_params *out);
/* Comma-separated preset names, for messages and docs. */
const char *sim_rm_preset_names(void);
/* The score of a response. */
double sim_rm_score(const struct sim_rm_params *rp, const char *question,
                    const char *response);

/* The sim RM as a process RM.  `text` holds steps each followed by `tag`
 * ("s1<extra_0>s2<extra_0>"; text after the last tag is no step).  Step k
 * (trimmed) gets p(good) = sigmoid(z): z = +w_correct, or -w_correct when
 * the RM flags an equation of that step (a false one with probability
 * `check`, a true one with `false_alarm`), plus w_confident per confident
 * phrase, w_format per markdown marker (at most 4) and noise * N(0,1).
 * The draws come from (the RM's id, the step's text) alone, so a step
 * scores the same wherever it stands; no length term, no quantum.  Returns
 * the number of steps (tags) and sets *p_good to a fresh array of them
 * (caller frees; NULL when 0).  Cannot fail. */
size_t sim_rm_step_scores(const struct sim_rm_params *rp, const char *text,
                          const char *tag, double **p_good);

#endif

/* question.h - internal to sim/: the six kinds of simulated problem, read
 * from and written to question text, and their answers.  Shared by
 * problems.c (drawing problems) and solve.c (writing solutions). */
#ifndef BON_SIM_QUESTION_H
#define BON_SIM_QUESTION_H

#include "util/buf.h"

enum sim_kind { K_ARITH, K_FRAC, K_RAD, K_LIN, K_EXP, K_WORD, K_COUNT };

/* One problem: its kind and up to four numbers. */
struct sim_q {
  enum sim_kind kind;
  long v[4];
};

/* The values a solution computes: intermediate results and the answer. */
struct sim_work {
  long r[6];     /* results of the checkable steps */
  int nsteps;
};

/* Append the question text of p. */
void sim_q_write(const struct sim_q *p, struct buf *b);

/* Find one of the question forms anywhere in text (a prompt template may
 * surround it).  0, or -1 when text holds none. */
int sim_q_parse(const char *text, struct sim_q *p);

/* The exact results of p (what a solution without mistakes computes). */
void sim_q_solve(const struct sim_q *p, struct sim_work *w);

/* Append the answer that work w gives for p, in LaTeX; `form` picks one of
 * the equivalent spellings (0 = canonical). */
void sim_q_answer(const struct sim_q *p, const struct sim_work *w, int form,
                  struct buf *b);

/* The fraction n/d reduced, in spelling `form` (0 \frac, 1 \dfrac, 2 a/b). */
void sim_q_fraction(struct buf *b, long n, long d, int form);

/* Largest k with k^2 | n. */
long sim_q_square_part(long n);

#endif

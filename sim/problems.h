/* problems.h - the simulated problem sets: competition-style arithmetic,
 * fractions, radicals, linear equations, expansions and word problems,
 * each with an exact reference answer in LaTeX.  Pure functions of the
 * seed: the same (seed, stream, count) gives the same problems anywhere. */
#ifndef BON_SIM_PROBLEMS_H
#define BON_SIM_PROBLEMS_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

struct sim_problem {
  char id[32];      /* "sim-000042" (stream 0) or "bench-000042" */
  char *question;
  char *answer;     /* reference answer in LaTeX, canonical form */
};

/* `count` distinct problems drawn from (seed, stream); distinct streams
 * give distinct problem sets (the policy's problems, each benchmark's).
 * Caller frees with sim_problems_free.  Cannot fail. */
struct sim_problem *sim_problems(uint64_t seed, uint64_t stream, size_t count);
void sim_problems_free(struct sim_problem *p, size_t count);

/* Reference answer of a question the simulator writes, appended to out
 * (canonical LaTeX).  -1 (out untouched) if the question is not one of
 * its own. */
int sim_reference(const char *question, struct buf *out);

#endif

/* bench.h - candidates of the simulated benchmarks.
 *
 * One-to-many puts one correct solution against k incorrect ones, all in
 * the policy's own style; one-to-one puts a terse human-style correct
 * solution against a plain model-style one with an arithmetic slip
 * (styles differ, as in RewardBench's math subset).  So the first measures
 * what best-of-n exploits, the second mostly taste in length. */
#ifndef BON_SIM_BENCH_H
#define BON_SIM_BENCH_H

#include <stddef.h>
#include <stdint.h>

/* Candidate j of `question` in a one-to-one (else one-to-many) benchmark
 * drawn with `seed`: candidate 0 is the correct one (*correct = 1), every
 * other one carries a mistake (*correct = 0).  A fresh string the caller
 * frees.  Cannot fail. */
char *sim_bench_candidate(int one_to_one, const char *question,
                          uint64_t seed, size_t j, int *correct);

#endif

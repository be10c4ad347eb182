/* bench.c - candidates of the simulated benchmarks (bench.h). */
#include "sim/bench.h"

#include "sim/solve.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/hash.h"
#include "util/rng.h"

char *sim_bench_candidate(int one_to_one, const char *question,
                          uint64_t seed, size_t j, int *correct)
{
  struct sim_params pp;
  sim_params_default(&pp);
  struct buf t = BUF_INIT;
  uint64_t s = mix64(seed ^ hash_str(HASH_INIT, question)) + j;
  if(one_to_one) {
    if(j == 0)
      sim_solve(&pp, question, s, SIM_CORRECT, SIM_STYLE_HUMAN, &t);
    else
      sim_solve(&pp, question, s, SIM_WRONG_SLIP, SIM_STYLE_PLAIN, &t);
  }
  else
    sim_solve(&pp, question, s, j == 0 ? SIM_CORRECT : SIM_WRONG,
              SIM_STYLE_MODEL, &t);
  *correct = j == 0;
  char *out = xstrdup(buf_str(&t));
  buf_free(&t);
  return out;
}

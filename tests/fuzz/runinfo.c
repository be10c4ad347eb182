/* tests/fuzz/runinfo.c - libFuzzer target: the report's reader of
 * RUN/run.json (plot_runinfo_parse).  Whatever the bytes, it returns 0
 * with every required field set and the counts consistent, or -1 with a
 * message. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "plots/runinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct plot_runinfo r;
  struct bon_err err;
  if(plot_runinfo_parse(&r, (const char *)data, size, "run.json", &err)) {
    if(!err.msg[0])
      abort();
    return 0;
  }
  if(!r.name || !r.bonrun || !r.policy.backend || !r.dataset.source ||
     !r.bench[0].source || !r.bench[1].source ||
     r.samples_per_problem < 1 || r.completed > r.total ||
     r.no_answer > r.completed || (r.shard_n && r.shard_k > r.shard_n) ||
     !(r.level > 0 && r.level < 1))
    abort();
  for(size_t i = 0; i < r.nrms; i++)
    if(!r.rms[i].name || !r.rms[i].backend)
      abort();
  (void)plot_runinfo_no_answer_high(r.no_answer, r.completed);
  plot_runinfo_free(&r);
  return 0;
}

/* run.h - `bonrun run`: the whole experiment, from config to report.
 *
 * Stages, each reusing what the run directory already holds:
 *   1. sample   the policy draws N completions per problem (samples.jsonl)
 *   2. judge    the gold verifier judges every completion
 *   3. score    every proxy RM scores every completion (scores.jsonl)
 *   4. bench    the RMs score the one-to-many and one-to-one benchmarks
 *   5. analyze  BoN curves, KL, fits, gains (stats/), benchmark metrics,
 *               correlation of benchmark metrics with gains
 *   6. plot     figures and report.md (plots/)
 * Records are appended as they arrive and keyed by content, so an
 * interrupted run resumes where it stopped and a finished one recomputes
 * nothing.  The folder's shard.json (shard.h) says, last, that every
 * record is in; a shard (shard_n > 1) stops after its records: its slice
 * of the problems and of the benchmark candidates. */
#ifndef BON_RUN_H
#define BON_RUN_H

#include "runner/config.h"
#include "runner/shard.h"
#include "util/err.h"

struct run_options {
  int quiet;          /* no progress on stderr */
  int shard_k;        /* run only problems with index % shard_n == shard_k */
  int shard_n;        /* 0 or 1: no sharding; else OUTPUT/shards/K-of-N */
  const struct shard_array *array; /* the job array of the shard, or NULL */
  int analyze_only;   /* sample and score nothing: join OUTPUT/shards (see
                         merge.h), fail on a missing record, analyse */
  int partial;        /* analyze_only: join the complete shards there are */
  int retry_failed;   /* send again every recorded failure, permanent ones
                         included (after the cause is fixed) */
};

/* Run the experiment of a loaded config.  0, or -1 with err. */
int run_experiment(struct run_config *c, const struct run_options *o,
                   struct bon_err *err);

#endif

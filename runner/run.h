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
 * nothing. */
#ifndef BON_RUN_H
#define BON_RUN_H

#include "runner/config.h"
#include "util/err.h"

struct run_options {
  int quiet;          /* no progress on stderr */
  int shard_k;        /* run only problems with index % shard_n == shard_k */
  int shard_n;        /* 0 or 1: no sharding */
  int retry_failed;   /* send again every recorded failure, permanent ones
                         included (after the cause is fixed) */
};

/* Run the experiment of a loaded config.  0, or -1 with err. */
int run_experiment(struct run_config *c, const struct run_options *o,
                   struct bon_err *err);

#endif

/* runinfo.h - RUN/run.json: the fixed summary of a run that report.md
 * describes the run from (format: stats/formats.md, "run.json"; reader:
 * plots/runinfo.h), and the terminal warning on samples without an
 * answer. */
#ifndef BON_RUNINFO_H
#define BON_RUNINFO_H

#include <stddef.h>
#include <stdio.h>

#include "proxy/proxy.h"
#include "runner/config.h"
#include "runner/replay.h"
#include "runner/run.h"
#include "util/err.h"

/* The samples of a run (or of a shard). */
struct runinfo_counts {
  size_t total;     /* problems x N */
  size_t errors;    /* without a text: the policy failed on them */
  size_t no_answer; /* with a text, but no extractable final answer */
  long long truncated; /* with a text, stopped at the token limit
                          (finish_reason "length"); -1 when some record
                          does not say why it stopped (older records) */
  const struct replay_plan *replay; /* NULL or inactive: not a replay */
};

/* Write dir/run.json for config c (its problems as run: a shard's only),
 * the opened RMs rms[0..nrms) (in config order), the shard of o and the
 * counts n.  Deterministic: the same run gives the same bytes.  0, or -1
 * and err. */
int runinfo_write(const char *dir, const struct run_config *c,
                  const struct run_options *o, struct proxy *const *rms,
                  size_t nrms, const struct runinfo_counts *n,
                  struct bon_err *err);

/* When more than PLOT_NO_ANSWER_PERCENT % of the completed samples have no
 * extractable answer (the report's rule), print one warning line on f and
 * return 1; else 0. */
int runinfo_warn(FILE *f, const struct runinfo_counts *n);

#endif

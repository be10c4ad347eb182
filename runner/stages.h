/* stages.h - the analysis end of `bonrun run`: statistics, benchmark
 * metrics, correlation, figures and report, each skipped when its inputs
 * have not changed since it last ran. */
#ifndef BON_STAGES_H
#define BON_STAGES_H

#include "runner/config.h"
#include "util/err.h"

/* Analyse the run directory `dir` whose scores.csv is written.  otm / oto
 * are the candidate tables of the benchmarks (NULL when absent).  partial
 * (NULL for a whole result) is a sentence saying what the data leaves out
 * (a merge of some of the shards): it opens report.md and the summary. */
int run_stages(const char *dir, const struct run_config *c, const char *otm,
               const char *oto, const char *partial, int quiet,
               struct bon_err *err);

#endif

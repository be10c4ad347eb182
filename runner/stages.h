/* stages.h - the analysis end of `bonrun run`: statistics, benchmark
 * metrics, correlation, figures and report, each skipped when its inputs
 * have not changed since it last ran. */
#ifndef BON_STAGES_H
#define BON_STAGES_H

#include "runner/config.h"
#include "util/err.h"

/* Analyse the run directory `dir` whose scores.csv is written.  otm / oto
 * are the candidate tables of the benchmarks (NULL when absent); the RMs
 * named in pairwise[0..npairwise) are pairwise judges, whose scores in
 * the tables the run wrote (sources "sim" and "dataset", not "file") are
 * the outcomes of comparisons (stats/bench.h). */
int run_stages(const char *dir, const struct run_config *c, const char *otm,
               const char *oto, const char *const *pairwise,
               size_t npairwise, int quiet, struct bon_err *err);

#endif

/* stages.h - the analysis end of `bonrun run`: statistics, benchmark
 * metrics, correlation, figures and report, each skipped when its inputs
 * have not changed since it last ran. */
#ifndef BON_STAGES_H
#define BON_STAGES_H

#include <stddef.h>
#include <stdint.h>

#include "runner/config.h"
#include "stats/analyze.h"
#include "stats/table.h"
#include "util/err.h"

/* Analyse the run directory `dir` whose scores.csv is written.  otm / oto
 * are the candidate tables of the benchmarks (NULL when absent); the RMs
 * named in pairwise[0..npairwise) are pairwise judges, whose scores in
 * the tables the run wrote (sources "sim" and "dataset", not "file") are
 * the outcomes of comparisons (stats/bench.h).  partial (NULL for a
 * whole result) is a sentence saying what the data leaves out (a merge of
 * some of the shards): it opens report.md and the summary. */
int run_stages(const char *dir, const struct run_config *c, const char *otm,
               const char *oto, const char *const *pairwise,
               size_t npairwise, const char *partial, int quiet,
               struct bon_err *err);

/* ---- shared by the stages (stages.c, groups.c) ---- */

/* Fold the contents of a file into h (a missing file folds its absence). */
uint64_t hash_file(uint64_t h, const char *path);
/* Fold the analysis options of c (seed, bootstrap, level, grid,
 * ensembles) into h. */
uint64_t hash_config(uint64_t h, const struct run_config *c);
/* 1 if dir/.inputs holds h and every output (relative to dir) exists. */
int stage_fresh(const char *dir, uint64_t h, const char *const *outputs);
/* Record h in dir/.inputs.  0, or -1 and err. */
int stage_done(const char *dir, uint64_t h, struct bon_err *err);
/* The ensemble specs of c as a fresh array of borrowed strings (*n of
 * them; free the array). */
const char **ensemble_specs(const struct run_config *c, size_t *n);
/* Add analysis.ensembles to *t as more RMs, and apply the process-RM rule
 * (stats_table_add_derived, even without ensembles).  0, or -1 and err
 * (*t unchanged). */
int add_ensembles(struct stats_table **t, const struct run_config *c,
                  struct bon_err *err);
/* The analysis options of c: bootstrap, seed, threads, grid, level. */
void analyze_opts(const struct run_config *c, struct stats_analyze_opts *o);

#endif

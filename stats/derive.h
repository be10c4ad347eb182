/* derive.h - derived RMs: step aggregations of process RMs (steps.h) and
 * ensembles of RMs (ensemble.h), as one more score per candidate of a
 * scores table, so they are analysed and benchmarked like any other RM.
 * Pure: no I/O. */
#ifndef BON_STATS_DERIVE_H
#define BON_STATS_DERIVE_H

#include <stddef.h>

#include "stats/table.h"
#include "util/buf.h"
#include "util/err.h"

/* ---- process RMs: one rule for analyze, bench and correlate ----
 * An RM of a scores table that has per-step scores and no score at all
 * (every score missing) is a process RM.  It is never an RM of its own:
 * it enters every analysis only through its step aggregations `rm/agg`
 * (steps.h), by default STATS_STEPS_DEFAULT when none is asked for, the
 * aggregation RewardMATH uses for Math-Shepherd (docs/methods.md). */
#define STATS_STEPS_DEFAULT "prod"

/* 1 if RM r of t is a process RM (above). */
int stats_rm_is_process(const struct stats_table *t, int r);

/* Append to b one sentence naming the process RMs of t and the names
 * they enter under with the aggregations `steps` (NULL or "": the
 * default), e.g. "RMs with step scores only enter through their step
 * aggregations: ms as ms/prod"; nothing when t has none.  Returns their
 * number. */
size_t stats_process_note(const struct stats_table *t, const char *steps,
                          struct buf *b);

/* Score arrays over a table's candidates (n_cands each) for RMs the table
 * does not hold yet. */
struct stats_derived {
  size_t n;
  size_t n_process; /* the process RMs of the table: they are left out */
  int *process;     /* [n_process] their table indices (owned) */
  char **names;    /* [n] owned */
  double **scores; /* [n][n_cands] owned; NaN = missing */
  size_t *missing; /* [n] missing scores of each */
  int *kind;       /* [n] STATS_DERIVED_STEPS or STATS_DERIVED_ENSEMBLE */
};
#define STATS_DERIVED_STEPS 1
#define STATS_DERIVED_ENSEMBLE 2

/* Derive, in this order: for every aggregation in steps (comma-separated
 * names such as "min,prod") and every RM of t with per-step scores,
 * `rm/agg` (steps NULL or "": STATS_STEPS_DEFAULT for the process RMs of
 * t alone, nothing when it has none); then every ensemble spec
 * (stats/ensemble.h), whose members may be table RMs, step aggregations
 * or earlier ensembles.  d->process lists the process RMs, which callers
 * leave out.  A candidate without steps gets a missing score.  Returns 0,
 * or -1 with err: an unknown aggregation or member RM (the message lists
 * the RMs), an ensemble member that is a process RM or a pairwise judge,
 * a name already taken, steps requested from a table without a steps
 * column, or a step outside [0,1] for an aggregation that needs
 * probabilities (naming the RM, problem and sample).  *d is empty on
 * failure; free it with stats_derived_free. */
int stats_derive_rms(const struct stats_table *t, const char *steps,
                     const char *const *specs, size_t n_specs,
                     struct stats_derived *d, struct bon_err *err);
void stats_derived_free(struct stats_derived *d);

/* Derive (steps, specs) from *tp and append them to *tp in place with
 * stats_table_add_rm (no rebuild: the cost is the derivation plus one copy
 * of the score cube; *tp keeps its address), then remove the process RMs
 * (stats_table_remove_rm), so that what is left holds every RM the rule
 * above lets in, and only those.  Call it even with no steps and no specs
 * when a table may hold process RMs.  0, or -1 with err and *tp
 * unchanged. */
int stats_table_add_derived(struct stats_table **tp, const char *steps,
                            const char *const *specs, size_t n_specs,
                            struct bon_err *err);

#endif

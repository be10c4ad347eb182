/* derive.h - derived RMs: step aggregations of process RMs (steps.h) and
 * ensembles of RMs (ensemble.h), as one more score per candidate of a
 * scores table, so they are analysed and benchmarked like any other RM.
 * Pure: no I/O. */
#ifndef BON_STATS_DERIVE_H
#define BON_STATS_DERIVE_H

#include <stddef.h>

#include "stats/table.h"
#include "util/err.h"

/* Score arrays over a table's candidates (n_cands each) for RMs the table
 * does not hold yet. */
struct stats_derived {
  size_t n;
  char **names;    /* [n] owned */
  double **scores; /* [n][n_cands] owned; NaN = missing */
  size_t *missing; /* [n] missing scores of each */
  int *kind;       /* [n] STATS_DERIVED_STEPS or STATS_DERIVED_ENSEMBLE */
};
#define STATS_DERIVED_STEPS 1
#define STATS_DERIVED_ENSEMBLE 2

/* Derive, in this order: for every aggregation in steps (comma-separated
 * names such as "min,prod"; NULL or "" for none) and every RM of t with
 * per-step scores, `rm/agg`; then every ensemble spec (stats/ensemble.h),
 * whose members may be table RMs, step aggregations or earlier ensembles.
 * A candidate without steps gets a missing score.  Returns 0, or -1 with
 * err: an unknown aggregation or member RM (the message lists the RMs), a
 * name already taken, steps requested from a table without a steps
 * column, or a step outside [0,1] for an aggregation that needs
 * probabilities (naming the RM, problem and sample).  *d is empty on
 * failure; free it with stats_derived_free. */
int stats_derive_rms(const struct stats_table *t, const char *steps,
                     const char *const *specs, size_t n_specs,
                     struct stats_derived *d, struct bon_err *err);
void stats_derived_free(struct stats_derived *d);

/* Derive (steps, specs) from *tp and append them to *tp in place with
 * stats_table_add_rm (no rebuild: the cost is the derivation plus one copy
 * of the score cube; *tp keeps its address).  0, or -1 with err and *tp
 * unchanged. */
int stats_table_add_derived(struct stats_table **tp, const char *steps,
                            const char *const *specs, size_t n_specs,
                            struct bon_err *err);

#endif

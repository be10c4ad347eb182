/* groups.h - the report's per-group gains (analysis.group_by): one compact
 * table per key from RUN/analysis/gains_by_group.csv and
 * RUN/analysis/groups/groups.csv (stats/formats.md). */
#ifndef BON_PLOT_GROUPS_H
#define BON_PLOT_GROUPS_H

#include "util/buf.h"

/* Append "## Gains by group" to b when run_dir has per-group results: per
 * key a table of its values (problems, gold at n = 1, each RM's gain at
 * the largest n with its interval at `level`, e.g. "95%"), the groups
 * whose analysis warned or was skipped, and what the numbers mean.
 * Nothing when the run has no groups; one line naming the file when a
 * table cannot be read. */
void plot_groups_section(struct buf *b, const char *run_dir,
                         const char *level);

#endif

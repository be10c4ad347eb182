/* groups.h - the analysis per group of problems (analysis.group_by).
 *
 * For each key of analysis.group_by and each of its values (a problem
 * without the field is in the group "(missing)"), the problems of that
 * value go through the run's own analysis (the same options, ensembles
 * and warnings) as a table of their own: a sub-table of scores.csv built
 * here, so stats/ stays unaware of groups.  Outputs (stats/formats.md):
 *   analysis/groups/KEY/VALUE/   curves.csv, fits.csv, gains.csv,
 *                                summary.json, as analysis/ has them
 *   analysis/groups/groups.csv   one row per group: key, value, dir,
 *                                problems, status, warnings
 *   analysis/gains_by_group.csv  key, value, then the columns of each
 *                                group's gains.csv, one row per (group, RM)
 * Skipped, like every stage, when neither scores.csv, the analysis options
 * nor the problems' groups have changed.  Without group_by the two tables
 * are removed, so a report never shows groups of an older config. */
#ifndef BON_GROUPS_H
#define BON_GROUPS_H

#include "runner/config.h"
#include "util/err.h"

/* Analyse the groups of run directory dir (its scores.csv written).  A
 * group whose analysis fails (no usable problem) is recorded as skipped
 * with the reason and the others go on.  0, or -1 and err when scores.csv
 * cannot be read or an output cannot be written. */
int stage_groups(const char *dir, const struct run_config *c, int quiet,
                 struct bon_err *err);

#endif

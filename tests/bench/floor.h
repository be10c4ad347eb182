/* floor.h - the floors of the analysis benchmark (see floor.c). */
#ifndef BON_BENCH_FLOOR_H
#define BON_BENCH_FLOOR_H

#include <stddef.h>

enum floor_kind {
  FLOOR_BYTES,  /* read the file's bytes */
  FLOOR_PARSE,  /* ... and parse every row (fixed layout) */
  FLOOR_CURVES  /* ... and gold + proxy curves + bootstrap */
};

/* Run one floor on the table at path with `threads` workers (0 = all
 * cores) and B bootstrap replicates.  gold_n (may be NULL) gets the mean
 * gold at the largest n of the first RM (FLOOR_CURVES), to check against
 * bonrun.  0, or -1 when the file cannot be read. */
int floor_run(const char *path, enum floor_kind kind, size_t B, int threads,
              double *gold_n);

#endif

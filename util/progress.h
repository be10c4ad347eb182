/* progress.h - progress of long work on stderr.
 *
 * On a terminal: one line redrawn at most ten times a second, with count,
 * percentage, rate and time left.  Elsewhere (logs, CI): a single summary
 * line when the stage ends.  `quiet` silences both. */
#ifndef BON_PROGRESS_H
#define BON_PROGRESS_H

#include <stddef.h>

struct progress {
  const char *label;
  size_t total, done, cached;
  double t0, last;
  int tty, quiet;
};

void progress_start(struct progress *p, const char *label, size_t total,
                    int quiet);
/* Count n more items done; `cached` of them were reused, not computed. */
void progress_add(struct progress *p, size_t n, size_t cached);
/* Finish the stage with a summary line ("... note"). */
void progress_end(struct progress *p, const char *note);

#endif

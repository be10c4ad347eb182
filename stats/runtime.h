/* runtime.h - process-wide set-up of stats/ and its worker threads.
 *
 * stats_init: GSL's default error handler aborts the process; stats/ wants
 * a status code instead (a fit that fails is reported as NaN, never a
 * crash).  The handler is process-wide, so it is switched off once: the
 * runner calls stats_init() at start-up, and the stats functions that call
 * GSL in a way data can make fail (stats_fit_curve) call it too, so a
 * program that forgets it behaves the same.  Thread-safe, idempotent.
 *
 * stats_parallel: the one thread pool of stats/.  Tasks are numbered; a
 * task must write only its own outputs, so results never depend on the
 * thread count or on which worker ran a task. */
#ifndef BON_STATS_RUNTIME_H
#define BON_STATS_RUNTIME_H

#include <stddef.h>

/* Switch GSL's abort-on-error handler off, once per process. */
void stats_init(void);

/* Workers stats_parallel uses for ntasks tasks: threads (0 = all cores),
 * at most ntasks, at least 1. */
int stats_workers(int threads, size_t ntasks);

/* Run fn(ctx, k, w) for every task k in [0, ntasks) on stats_workers(
 * threads, ntasks) workers, w in [0, workers) naming the worker (for
 * per-worker scratch; the calling thread is worker 0).  Tasks are handed
 * out in increasing order, one at a time.  A thread that cannot be started
 * leaves its share to the others.  Returns when every task is done; cannot
 * fail. */
void stats_parallel(size_t ntasks, int threads,
                    void (*fn)(void *ctx, size_t k, int w), void *ctx);

#endif

/* ordered.h - compute items in parallel, hand them over in order.
 *
 * The in-process backends (the sim policy and RMs) compute each result as
 * a pure function of its item, and the runner takes results one by one in
 * the calling thread (it appends them to its stores).  ordered_run lets
 * the other cores compute blocks of items ahead while the calling thread
 * delivers the finished blocks in item order; when the next block is not
 * finished, the calling thread computes one itself.  Results, and the
 * order in which deliver sees them, do not depend on the number of cores. */
#ifndef BON_ORDERED_H
#define BON_ORDERED_H

#include <stddef.h>

/* Compute items [i0, i1) (any thread; writes only their own results). */
typedef void (*ordered_compute)(void *ctx, size_t i0, size_t i1);
/* Take items [i0, i1), computed (the calling thread, in order).  Non-zero
 * stops: nothing after them is delivered. */
typedef int (*ordered_deliver)(void *ctx, size_t i0, size_t i1);

/* Run compute over [0, n) in blocks of `block` items on up to all cores
 * and deliver each block in order.  Returns what the last deliver
 * returned (0 when every block was delivered).  Threads that cannot be
 * started leave the work to the caller. */
int ordered_run(size_t n, size_t block, ordered_compute compute,
                ordered_deliver deliver, void *ctx);

#endif

/* ordered.c - parallel compute, in-order delivery (see ordered.h). */
#include "util/ordered.h"
#include "util/cores.h"
#include "util/err.h"

#include <pthread.h>
#include <stdlib.h>

#define MAX_HELPERS 64

struct ord {
  size_t n, block, nblocks;
  ordered_compute compute;
  void *ctx;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t next;          /* next block to claim */
  unsigned char *done;  /* [nblocks] */
  int stop;
};

/* Claim the next block: its number, or nblocks when none is left. */
static size_t claim(struct ord *o)
{
  pthread_mutex_lock(&o->mu);
  size_t b = o->stop ? o->nblocks : o->next;
  if(b < o->nblocks)
    o->next++;
  pthread_mutex_unlock(&o->mu);
  return b;
}

static void run_block(struct ord *o, size_t b)
{
  size_t i0 = b * o->block, i1 = i0 + o->block < o->n ? i0 + o->block : o->n;
  o->compute(o->ctx, i0, i1);
  pthread_mutex_lock(&o->mu);
  o->done[b] = 1;
  pthread_cond_broadcast(&o->cv);
  pthread_mutex_unlock(&o->mu);
}

static void *helper(void *arg)
{
  struct ord *o = arg;
  for(size_t b; (b = claim(o)) < o->nblocks;)
    run_block(o, b);
  return NULL;
}

/* Wait until block d is computed, computing unclaimed blocks meanwhile. */
static void await_block(struct ord *o, size_t d)
{
  for(;;) {
    pthread_mutex_lock(&o->mu);
    int ready = o->done[d];
    pthread_mutex_unlock(&o->mu);
    if(ready)
      return;
    size_t b = claim(o);
    if(b < o->nblocks) {
      run_block(o, b);
      continue;
    }
    pthread_mutex_lock(&o->mu);
    while(!o->done[d])
      pthread_cond_wait(&o->cv, &o->mu);
    pthread_mutex_unlock(&o->mu);
    return;
  }
}

int ordered_run(size_t n, size_t block, ordered_compute compute,
                ordered_deliver deliver, void *ctx)
{
  if(!n)
    return 0;
  if(!block)
    block = 1;
  struct ord o = {n, block, (n + block - 1) / block, compute, ctx,
                  PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0,
                  NULL, 0};
  o.done = xcalloc(o.nblocks, 1);
  size_t want = (size_t)cores_online() - 1;
  if(want > o.nblocks - 1)
    want = o.nblocks - 1;
  if(want > MAX_HELPERS)
    want = MAX_HELPERS;
  pthread_t th[MAX_HELPERS];
  size_t started = 0;
  for(size_t k = 0; k < want; k++)
    if(pthread_create(&th[started], NULL, helper, &o) == 0)
      started++;
  int rc = 0;
  for(size_t d = 0; d < o.nblocks && !rc; d++) {
    await_block(&o, d);
    size_t i0 = d * block, i1 = i0 + block < n ? i0 + block : n;
    rc = deliver(ctx, i0, i1);
  }
  pthread_mutex_lock(&o.mu);
  o.stop = 1;
  pthread_mutex_unlock(&o.mu);
  for(size_t k = 0; k < started; k++)
    pthread_join(th[k], NULL);
  pthread_mutex_destroy(&o.mu);
  pthread_cond_destroy(&o.cv);
  free(o.done);
  return rc;
}

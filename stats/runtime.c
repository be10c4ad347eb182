/* runtime.c - GSL set-up, core count and the thread pool (see runtime.h). */
#include "stats/runtime.h"

#include <gsl/gsl_errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "util/cores.h"
#include "util/err.h"

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_gsl(void)
{
  gsl_set_error_handler_off();
}

void stats_init(void)
{
  pthread_once(&init_once, init_gsl);
}

int stats_workers(int threads, size_t ntasks)
{
  size_t w = threads > 0 ? (size_t)threads : (size_t)cores_online();
  if(w > ntasks)
    w = ntasks;
  return w ? (int)w : 1;
}

struct pool {
  void (*fn)(void *ctx, size_t k, int w);
  void *ctx;
  size_t ntasks;
  atomic_size_t next;
};

struct worker {
  struct pool *pool;
  int id;
};

static void *work(void *arg)
{
  struct worker *w = arg;
  struct pool *p = w->pool;
  for(;;) {
    size_t k = atomic_fetch_add(&p->next, 1);
    if(k >= p->ntasks)
      break;
    p->fn(p->ctx, k, w->id);
  }
  return NULL;
}

void stats_parallel(size_t ntasks, int threads,
                    void (*fn)(void *ctx, size_t k, int w), void *ctx)
{
  int nw = stats_workers(threads, ntasks);
  struct pool p = {.fn = fn, .ctx = ctx, .ntasks = ntasks};
  atomic_init(&p.next, 0);
  struct worker *ws = xcalloc((size_t)nw, sizeof(*ws));
  pthread_t *th = xcalloc((size_t)nw, sizeof(*th));
  int started = 0;
  for(int i = 0; i < nw; i++) {
    ws[i].pool = &p;
    ws[i].id = i;
  }
  for(int i = 1; i < nw; i++) {
    if(pthread_create(&th[i], NULL, work, &ws[i]) != 0)
      break;
    started = i;
  }
  work(&ws[0]);
  for(int i = 1; i <= started; i++)
    pthread_join(th[i], NULL);
  free(ws);
  free(th);
}

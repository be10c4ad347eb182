/* problems.c - drawing simulated problem sets (problems.h). */
#include "sim/problems.h"

#include <stdio.h>
#include <stdlib.h>

#include "sim/question.h"
#include "util/err.h"
#include "util/hash.h"
#include "util/rng.h"

static long range(struct rng *r, long lo, long hi)
{
  return lo + (long)rng_below(r, (uint64_t)(hi - lo + 1));
}

static long nonzero(struct rng *r, long lo, long hi)
{
  long v;
  do
    v = range(r, lo, hi);
  while(v == 0);
  return v;
}

static void draw_problem(struct rng *r, struct sim_q *p)
{
  static const long squarefree[] = {2, 3, 5, 6, 7, 10, 11, 13, 14, 15};
  p->kind = (enum sim_kind)rng_below(r, K_COUNT);
  switch(p->kind) {
  case K_ARITH:
    p->v[0] = range(r, 11, 99);
    p->v[1] = range(r, 11, 99);
    p->v[2] = range(r, 10, 999);
    break;
  case K_FRAC:
    p->v[1] = range(r, 2, 12);
    p->v[0] = range(r, 1, p->v[1] - 1);
    p->v[3] = range(r, 2, 12);
    p->v[2] = range(r, 1, p->v[3] - 1);
    break;
  case K_RAD: {
    long k = range(r, 2, 12), m = squarefree[rng_below(r, 10)];
    p->v[0] = k * k * m;
    break;
  }
  case K_LIN:
    p->v[0] = range(r, 2, 9);
    p->v[1] = nonzero(r, -20, 20);
    p->v[2] = range(r, -30, 30);
    break;
  case K_EXP:
    p->v[0] = nonzero(r, -9, 9);
    p->v[1] = nonzero(r, -9, 9);
    break;
  default:
    p->v[0] = range(r, 3, 12);
    p->v[1] = range(r, 6, 24);
    p->v[2] = range(r, 1, p->v[0] * p->v[1] - 1);
    break;
  }
}

int sim_reference(const char *question, struct buf *out)
{
  struct sim_q p;
  if(sim_q_parse(question, &p) != 0)
    return -1;
  struct sim_work w;
  sim_q_solve(&p, &w);
  sim_q_answer(&p, &w, 0, out);
  return 0;
}

struct sim_problem *sim_problems(uint64_t seed, uint64_t stream, size_t count)
{
  struct sim_problem *ps = xcalloc(count ? count : 1, sizeof(*ps));
  struct rng r;
  struct buf b = BUF_INIT;
  rng_seed(&r, seed, 0x70726f62ULL, stream);
  /* distinct questions only: a set of their hashes */
  size_t cap = 64;
  while(cap < 2 * count + 2)
    cap *= 2;
  uint64_t *seen = xcalloc(cap, sizeof(uint64_t));
  for(size_t i = 0; i < count; i++) {
    struct sim_q p;
    for(int tries = 0;; tries++) {
      draw_problem(&r, &p);
      buf_reset(&b);
      sim_q_write(&p, &b);
      uint64_t h = hash_str(HASH_INIT, buf_str(&b)) | 1;
      size_t k = (size_t)(h % cap);
      while(seen[k] && seen[k] != h)
        k = (k + 1) % cap;
      if(!seen[k] || tries > 100) {
        seen[k] = h;
        break;
      }
    }
    snprintf(ps[i].id, sizeof(ps[i].id), "%s-%06zu",
             stream ? "bench" : "sim", i);
    ps[i].question = xstrdup(buf_str(&b));
    buf_reset(&b);
    sim_reference(ps[i].question, &b);
    ps[i].answer = xstrdup(buf_str(&b));
  }
  free(seen);
  buf_free(&b);
  return ps;
}

void sim_problems_free(struct sim_problem *p, size_t count)
{
  if(!p)
    return;
  for(size_t i = 0; i < count; i++) {
    free(p[i].question);
    free(p[i].answer);
  }
  free(p);
}

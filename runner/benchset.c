/* benchset.c - the candidates of one benchmark, laid out for scoring
 * (benchset.h). */
#include "runner/benchset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/bench.h"
#include "sim/problems.h"
#include "stats/csv.h"
#include "util/hash.h"
#include "util/num.h"
#include "util/rng.h"

static void alloc_rows(struct benchset *s, size_t n)
{
  s->n = n;
  size_t m = n ? n : 1;
  s->pids = xcalloc(m, sizeof(*s->pids));
  s->sids = xcalloc(m, sizeof(*s->sids));
  s->correct = xcalloc(m, sizeof(*s->correct));
  s->sources = xcalloc(m, sizeof(*s->sources));
  s->prob = xcalloc(m, sizeof(*s->prob));
  s->items = xcalloc(m, sizeof(*s->items));
  s->owned = xcalloc(m, sizeof(*s->owned));
  s->cmps = xcalloc(m, sizeof(*s->cmps));
  s->correct_is_a = xcalloc(m, sizeof(*s->correct_is_a));
}

static void set_row(struct benchset *s, size_t row, size_t prob,
                    const char *pid, size_t sid, int correct,
                    const char *source, const char *question,
                    const struct ingest_text *t)
{
  s->prob[row] = prob;
  s->pids[row] = pid;
  s->sids[row] = sid;
  s->correct[row] = correct;
  s->sources[row] = source;
  s->items[row] = (struct proxy_item){
      .question = question, .response = t->text, .tag = row,
      .steps = (const char *const *)t->steps, .nsteps = t->nsteps};
}

/* The simulated benchmark: b->count problems of `per` candidates. */
static void build_sim(struct benchset *s, const struct bench_config *b,
                      int one_to_one, uint64_t seed)
{
  size_t per = one_to_one ? 2 : (size_t)b->incorrect + 1;
  struct sim_problem *ps = sim_problems(seed, one_to_one ? 2 : 1, b->count);
  s->sim = ps;
  s->nsim = b->count;
  s->nprob = b->count;
  alloc_rows(s, b->count * per);
  for(size_t i = 0; i < s->n; i++) {
    const struct sim_problem *p = &ps[i / per];
    int ok;
    s->owned[i] = sim_bench_candidate(one_to_one, p->question, seed,
                                      i % per, &ok);
    struct ingest_text t = {s->owned[i], NULL, 0};
    set_row(s, i, i / per, p->id, i % per, ok, "", p->question, &t);
  }
}

/* A dataset of candidates, in file order. */
static void build_cands(struct benchset *s, const struct ingest_bench *d)
{
  size_t *next = xcalloc(d->nproblems ? d->nproblems : 1, sizeof(*next));
  s->nprob = d->nproblems;
  alloc_rows(s, d->ncands);
  for(size_t i = 0; i < d->ncands; i++) {
    const struct ingest_cand *c = &d->cands[i];
    const struct ingest_problem_ref *p = &d->problems[c->problem];
    set_row(s, i, c->problem, p->id, next[c->problem]++, c->correct,
            c->source, p->question, &c->sol);
  }
  free(next);
}

/* A pairwise dataset: the correct solution of a problem once (at its
 * first comparison), then the incorrect one of every comparison, each
 * comparison as given. */
static void build_pairs(struct benchset *s, const struct ingest_bench *d)
{
  size_t np = d->nproblems ? d->nproblems : 1;
  size_t *next = xcalloc(np, sizeof(*next));
  char *seen = xcalloc(np, 1);
  s->nprob = d->nproblems;
  alloc_rows(s, d->npairs + d->nproblems);
  size_t row = 0;
  for(size_t i = 0; i < d->npairs; i++) {
    const struct ingest_pair *q = &d->pairs[i];
    const struct ingest_problem_ref *p = &d->problems[q->problem];
    const struct ingest_text *ok = q->correct_is_a ? &q->a : &q->b;
    const struct ingest_text *bad = q->correct_is_a ? &q->b : &q->a;
    if(!seen[q->problem]) {
      seen[q->problem] = 1;
      set_row(s, row++, q->problem, p->id, next[q->problem]++, 1, "",
              p->question, ok);
    }
    s->cmps[s->ncmp] = (struct proxy_item){
        .question = p->question, .response = q->a.text, .tag = row,
        .response_b = q->b.text};
    s->correct_is_a[s->ncmp++] = q->correct_is_a;
    set_row(s, row++, q->problem, p->id, next[q->problem]++, 0, q->source,
            p->question, bad);
  }
  s->n = row;
  free(seen);
  free(next);
}

/* Comparisons of the correct candidate against each incorrect one, the
 * correct one's position drawn from a hash. */
static void pair_up(struct benchset *s, uint64_t seed)
{
  size_t *crow = xcalloc(s->nprob ? s->nprob : 1, sizeof(*crow));
  for(size_t r = 0; r < s->n; r++)
    if(s->correct[r])
      crow[s->prob[r]] = r + 1;
  for(size_t r = 0; r < s->n; r++) {
    if(s->correct[r] || !crow[s->prob[r]])
      continue;  /* (every problem has its correct candidate) */
    size_t c = crow[s->prob[r]] - 1;
    uint64_t h = hash_u64(hash_str(hash_u64(hash_str(HASH_INIT,
                                                     "ab-position"),
                                            seed), s->pids[r]),
                          s->sids[r]);
    int a = (int)(mix64(h) & 1);
    const char *ct = s->items[c].response, *it = s->items[r].response;
    s->cmps[s->ncmp] = (struct proxy_item){
        .question = s->items[r].question, .response = a ? ct : it,
        .tag = r, .response_b = a ? it : ct};
    s->correct_is_a[s->ncmp++] = a;
  }
  free(crow);
}

void benchset_build(struct benchset *s, const struct bench_config *b,
                    int one_to_one, uint64_t seed, int comparisons)
{
  memset(s, 0, sizeof(*s));
  if(!b->data)
    build_sim(s, b, one_to_one, seed);
  else if(b->data->format == INGEST_REWARDMATH_PAIRWISE)
    build_pairs(s, b->data);
  else
    build_cands(s, b->data);
  if(!comparisons)
    s->ncmp = 0;
  else if(!b->data || b->data->format != INGEST_REWARDMATH_PAIRWISE)
    pair_up(s, seed);
}

double benchset_outcome(const struct benchset *s, size_t j, double verdict)
{
  if(!isfinite(verdict))
    return NAN;
  return (verdict >= 0.5) == (s->correct_is_a[j] != 0) ? 1.0 : 0.0;
}

void benchset_jsonl(const struct benchset *s, struct buf *out)
{
  const char **pos = xcalloc(s->n ? s->n : 1, sizeof(*pos));
  for(size_t j = 0; j < s->ncmp; j++)
    pos[s->cmps[j].tag] = s->correct_is_a[j] ? "A" : "B";
  for(size_t i = 0; i < s->n; i++) {
    const struct proxy_item *it = &s->items[i];
    buf_puts(out, "{\"problem_id\":");
    buf_json_str(out, s->pids[i]);
    buf_printf(out, ",\"sample_id\":%zu,\"correct\":%d,\"question\":",
               s->sids[i], s->correct[i]);
    buf_json_str(out, it->question);
    buf_puts(out, ",\"text\":");
    buf_json_str(out, it->response);
    if(s->sources[i][0]) {
      buf_puts(out, ",\"source\":");
      buf_json_str(out, s->sources[i]);
    }
    if(it->steps) {
      buf_puts(out, ",\"steps\":[");
      for(size_t k = 0; k < it->nsteps; k++) {
        if(k)
          buf_putc(out, ',');
        buf_json_str(out, it->steps[k]);
      }
      buf_putc(out, ']');
    }
    if(pos[i])
      buf_printf(out, ",\"correct_position\":\"%s\"", pos[i]);
    buf_puts(out, "}\n");
  }
  free(pos);
}

void benchset_csv(const struct benchset *s, struct proxy *const *rms,
                  size_t nrms, const double *scores, struct buf *out)
{
  buf_puts(out, "problem_id,sample_id,rm,score,correct\n");
  for(size_t k = 0; k < nrms; k++)
    for(size_t i = 0; i < s->n; i++) {
      double v = scores[k * s->n + i];
      stats_csv_put(out, s->pids[i]);
      buf_printf(out, ",%zu,", s->sids[i]);
      stats_csv_put(out, proxy_name(rms[k]));
      buf_putc(out, ',');
      if(isfinite(v))
        num_put_g17(out, v);
      buf_printf(out, ",%d\n", s->correct[i]);
    }
}

void benchset_free(struct benchset *s)
{
  for(size_t i = 0; s->owned && i < s->n; i++)
    free(s->owned[i]);
  if(s->sim)
    sim_problems_free(s->sim, s->nsim);
  free(s->pids);
  free(s->sids);
  free(s->correct);
  free(s->sources);
  free(s->prob);
  free(s->items);
  free(s->owned);
  free(s->cmps);
  free(s->correct_is_a);
  memset(s, 0, sizeof(*s));
}

/* sim.c - the "sim" policy backend: the simulated policy of sim/solve.h
 * behind the policy interface. */
#include "policy/sim.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/buf.h"
#include "util/cfg.h"
#include "util/ordered.h"

static const struct cfg_field sim_fields[] = {
  {"backend", CFG_STRING, 0, "\"sim\"", 0, 0, NULL, "the policy backend"},
  {"samples", CFG_INT, 0, "16", 1, 1e6, NULL,
   "completions per problem, N"},
  {"skill", CFG_NUMBER, 0, "0.3", -10, 10, NULL,
   "mean logit of solving a problem"},
  {"spread", CFG_NUMBER, 0, "1.5", 0, 10, NULL,
   "sd of per-problem difficulty, in logits"},
  {"bluff", CFG_NUMBER, 0, "0.35", 0, 1, NULL,
   "share of wrong samples written in a loud, confident style"},
  {"misread", CFG_NUMBER, 0, "0.25", 0, 1, NULL,
   "share of wrong samples that misread a number"},
  {"verbosity", CFG_NUMBER, 0, "1.0", 0, 20, NULL,
   "mean number of filler sentences"},
  {"variety", CFG_NUMBER, 0, "0.3", 0, 1, NULL,
   "share of correct answers written in a non-canonical form"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

static int sim_open(struct policy *p, cJSON *section, const char *file,
                    struct bon_err *err)
{
  if(cfg_check(section, sim_fields, file, "policy", err))
    return -1;
  struct sim_params *pp = xcalloc(1, sizeof(*pp));
  pp->skill = cfg_num(section, "skill", 0);
  pp->spread = cfg_num(section, "spread", 0);
  pp->bluff = cfg_num(section, "bluff", 0);
  pp->misread = cfg_num(section, "misread", 0);
  pp->verbosity = cfg_num(section, "verbosity", 0);
  pp->variety = cfg_num(section, "variety", 0);
  p->state = pp;
  char key[256];
  snprintf(key, sizeof(key), "sim:%.17g:%.17g:%.17g:%.17g:%.17g:%.17g",
           pp->skill, pp->spread, pp->bluff, pp->misread, pp->verbosity,
           pp->variety);
  p->cache_key = xstrdup(key);
  p->describe = xstrdup("sim (built-in simulated policy)");
  return 0;
}

/* A batch of solutions, written on every core (ordered_run) and handed
 * to the sink in job order. */
struct gen_batch {
  const struct sim_params *pp;
  const struct policy_job *jobs;
  char **text;
  policy_sink sink;
  void *ctx;
};

static void gen_compute(void *arg, size_t i0, size_t i1)
{
  struct gen_batch *g = arg;
  struct buf b = BUF_INIT;
  for(size_t i = i0; i < i1; i++) {
    buf_reset(&b);
    sim_solve_ref(g->pp, g->jobs[i].question, g->jobs[i].reference,
                  g->jobs[i].seed, SIM_NATURAL, SIM_STYLE_MODEL, &b);
    g->text[i] = xstrdup(buf_str(&b));
  }
  buf_free(&b);
}

static int gen_deliver(void *arg, size_t i0, size_t i1)
{
  struct gen_batch *g = arg;
  int stop = 0;
  for(size_t i = i0; i < i1; i++) {
    /* as bonrun serve answers it: a whole solution, "stop" */
    struct policy_result res = {g->text[i], NULL, "stop",
                                (long)sim_tokens(g->text[i])};
    if(!stop)
      stop = g->sink(g->ctx, &g->jobs[i], &res, NULL, 0);
    free(g->text[i]);
    g->text[i] = NULL;
  }
  return stop;
}

static int sim_generate(struct policy *p, const struct policy_job *jobs,
                        size_t njobs, policy_sink sink, void *ctx,
                        struct bon_err *err)
{
  (void)err;
  struct gen_batch g = {p->state, jobs, xcalloc(njobs ? njobs : 1,
                                                sizeof(char *)), sink, ctx};
  ordered_run(njobs, 32, gen_compute, gen_deliver, &g);
  for(size_t i = 0; i < njobs; i++)  /* computed past a stop */
    free(g.text[i]);
  free(g.text);
  return 0;
}

static void sim_close(struct policy *p)
{
  free(p->state);
}

int policy_sim_params(const struct policy *p, struct sim_params *out)
{
  if(p->backend != &policy_sim_backend)
    return -1;
  *out = *(const struct sim_params *)p->state;
  return 0;
}

const struct policy_backend policy_sim_backend = {
  "sim", sim_open, sim_generate, sim_close,
};

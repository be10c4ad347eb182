/* sim.c - the "sim" RM backend: the simulated reward models of sim/rm.h
 * behind the proxy interface. */
#include "proxy/sim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/openai.h"
#include "proxy/http_rm.h"
#include "stats/steps.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/hash.h"
#include "util/ordered.h"

static const struct cfg_field sim_rm_fields[] = {
  {"name", CFG_STRING, 1, NULL, 0, 0, NULL, "the RM's name"},
  {"backend", CFG_STRING, 0, "\"sim\"", 0, 0, NULL, "the RM backend"},
  {"preset", CFG_STRING, 0, NULL, 0, 0, NULL,
   "a preset: careful, thorough, lenient, verbose, confident, formatted, "
   "coarse, noisy, shallow"},
  {"check", CFG_NUMBER, 0, NULL, 0, 1, NULL,
   "chance of catching a false equation"},
  {"false_alarm", CFG_NUMBER, 0, NULL, 0, 1, NULL,
   "chance of flagging a true equation"},
  {"w_correct", CFG_NUMBER, 0, NULL, -100, 100, NULL,
   "reward when nothing is flagged"},
  {"w_length", CFG_NUMBER, 0, NULL, -100, 100, NULL,
   "reward per doubling of length"},
  {"w_confident", CFG_NUMBER, 0, NULL, -100, 100, NULL,
   "reward per confident phrase"},
  {"w_format", CFG_NUMBER, 0, NULL, -100, 100, NULL,
   "reward per markdown marker"},
  {"noise", CFG_NUMBER, 0, NULL, 0, 100, NULL, "sd of the RM's own noise"},
  {"quantum", CFG_NUMBER, 0, NULL, 0, 100, NULL,
   "round scores to multiples of this (0 = off)"},
  {"pooling", CFG_STRING, 0, "\"last\"", 0, 0, proxy_poolings,
   "last: an outcome RM (one score per response); steps: a process RM "
   "(one score per step, folded by aggregate)"},
  {"aggregate", CFG_STRING, 0, "\"min\"", 0, 0, stats_step_agg_names,
   "steps: how step scores fold into one score (stats/steps.h)"},
  {"step_split", CFG_STRING, 0, "\"\\n\\n\"", 0, 0, proxy_step_splits,
   "steps: where a response without steps of its own is cut (\"\\n\\n\": "
   "blank lines, \"\\n\": every line)"},
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
};

/* An open sim RM: its parameters and, as a process RM, how it reads
 * steps (agg NULL: an outcome RM). */
struct sim_rm {
  struct sim_rm_params rp;
  char *agg, *split;
};

static void fill(cJSON *sec, const char *key, double *v)
{
  cJSON *j = cJSON_GetObjectItemCaseSensitive(sec, key);
  if(j)
    *v = j->valuedouble;
  else
    cJSON_AddNumberToObject(sec, key, *v);
}

static int sim_open(struct proxy *p, cJSON *sec, const char *file,
                    const char *path, struct bon_err *err)
{
  if(cfg_check(sec, sim_rm_fields, file, path, err))
    return -1;
  const char *preset = cfg_str(sec, "preset");
  struct sim_rm_params rp;
  if(!preset) {
    preset = sim_rm_preset(p->name, &rp) == 0 ? p->name : "careful";
    cJSON_AddStringToObject(sec, "preset", preset);
    preset = cfg_str(sec, "preset");
  }
  if(sim_rm_preset(preset, &rp) != 0)
    return bon_errf(err, "%s: %s.preset: unknown preset \"%s\": expected "
                         "one of %s", file, path, preset,
                    sim_rm_preset_names());
  fill(sec, "check", &rp.check);
  fill(sec, "false_alarm", &rp.false_alarm);
  fill(sec, "w_correct", &rp.w_correct);
  fill(sec, "w_length", &rp.w_length);
  fill(sec, "w_confident", &rp.w_confident);
  fill(sec, "w_format", &rp.w_format);
  fill(sec, "noise", &rp.noise);
  fill(sec, "quantum", &rp.quantum);
  rp.id = hash_str(HASH_INIT, p->name);
  struct sim_rm *st = xcalloc(1, sizeof(*st));
  st->rp = rp;
  p->state = st;
  int steps = !strcmp(cfg_str(sec, "pooling"), "steps");
  if(steps) {
    st->agg = xstrdup(cfg_str(sec, "aggregate"));
    st->split = xstrdup(cfg_str(sec, "step_split"));
  }
  char key[600];
  int n = snprintf(key, sizeof(key),
                   "sim-rm:%s:%.17g:%.17g:%.17g:%.17g:%.17g:%.17g:%.17g:"
                   "%.17g", p->name, rp.check, rp.false_alarm, rp.w_correct,
                   rp.w_length, rp.w_confident, rp.w_format, rp.noise,
                   rp.quantum);
  /* only a process RM adds to the key: an outcome RM's cache stays valid */
  if(steps && n > 0 && (size_t)n < sizeof(key))
    snprintf(key + n, sizeof(key) - (size_t)n, ":steps:%s:%s", st->agg,
             st->split[1] ? "blank" : "line");
  p->cache_key = xstrdup(key);
  snprintf(key, sizeof(key), "sim (%s%s)", preset,
           steps ? ", process RM" : "");
  p->describe = xstrdup(key);
  return 0;
}

/* A process RM's score of one item: its own steps, or its response cut
 * at step_split, tagged as a PRM server gets them (so a served PRM on
 * `bonrun serve` scores the same), scored by sim_rm_step_scores and
 * folded.  0, or -1 with *why for an item with no steps. */
static int step_score(const struct sim_rm *st, const struct proxy_item *it,
                      double *score, double **steps, size_t *nsteps,
                      const char **why)
{
  struct buf b = BUF_INIT;
  if(it->steps)
    proxy_http_tag_steps(it->steps, it->nsteps, NET_PRM_STEP_TAG, &b);
  else
    proxy_http_join_steps(it->response, st->split, NET_PRM_STEP_TAG, &b);
  *nsteps = sim_rm_step_scores(&st->rp, buf_str(&b), NET_PRM_STEP_TAG,
                               steps);
  buf_free(&b);
  if(!*nsteps) {
    *why = "the response has no steps (nothing but whitespace): a PRM "
           "cannot score it";
    return -1;
  }
  if(proxy_http_aggregate(st->agg, *steps, *nsteps, score)) {
    *why = "the steps cannot be aggregated";
    return -1;
  }
  return 0;
}

/* Outcome scores of a batch, computed on every core (ordered_run) and
 * handed to the sink in item order. */
struct outcome_batch {
  const struct sim_rm *st;
  const struct proxy_item *items;
  double *score;
  proxy_sink sink;
  void *ctx;
};

static void outcome_compute(void *arg, size_t i0, size_t i1)
{
  struct outcome_batch *ob = arg;
  for(size_t i = i0; i < i1; i++)
    ob->score[i] = sim_rm_score(&ob->st->rp, ob->items[i].question,
                                ob->items[i].response);
}

static int outcome_deliver(void *arg, size_t i0, size_t i1)
{
  struct outcome_batch *ob = arg;
  for(size_t i = i0; i < i1; i++)
    if(ob->sink(ob->ctx, &ob->items[i], ob->score[i], NULL, 0, NULL, 0))
      return 1;
  return 0;
}

static int sim_score(struct proxy *p, const struct proxy_item *items,
                     size_t n, proxy_sink sink, void *ctx,
                     struct bon_err *err)
{
  (void)err;
  const struct sim_rm *st = p->state;
  if(!st->agg) {
    struct outcome_batch ob = {st, items, xmalloc((n ? n : 1) *
                                                  sizeof(double)),
                               sink, ctx};
    ordered_run(n, 64, outcome_compute, outcome_deliver, &ob);
    free(ob.score);
    return 0;
  }
  for(size_t i = 0; i < n; i++) {
    double s = NAN, *steps = NULL;
    size_t ns = 0;
    const char *why = NULL;
    int bad = step_score(st, &items[i], &s, &steps, &ns, &why);
    int stop = bad ? sink(ctx, &items[i], NAN, NULL, 0, why, 1)
                   : sink(ctx, &items[i], s, steps, ns, NULL, 0);
    free(steps);
    if(stop)
      break;
  }
  return 0;
}

static void sim_close(struct proxy *p)
{
  struct sim_rm *st = p->state;
  if(!st)
    return;
  free(st->agg);
  free(st->split);
  free(st);
}

int proxy_sim_params(const struct proxy *p, struct sim_rm_params *out)
{
  if(p->backend != &proxy_sim_backend)
    return -1;
  *out = ((const struct sim_rm *)p->state)->rp;
  return 0;
}

const struct proxy_backend proxy_sim_backend = {
  "sim", sim_open, sim_score, sim_close,
};

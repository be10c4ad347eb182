/* sim.c - the "sim" RM backend: the simulated reward models of sim/rm.h
 * behind the proxy interface. */
#include "proxy/sim.h"

#include <stdio.h>
#include <stdlib.h>

#include "util/cfg.h"
#include "util/hash.h"

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
  {NULL, 0, 0, NULL, 0, 0, NULL, NULL},
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
  struct sim_rm_params *st = xmalloc(sizeof(*st));
  *st = rp;
  p->state = st;
  char key[512];
  snprintf(key, sizeof(key),
           "sim-rm:%s:%.17g:%.17g:%.17g:%.17g:%.17g:%.17g:%.17g:%.17g",
           p->name, rp.check, rp.false_alarm, rp.w_correct, rp.w_length,
           rp.w_confident, rp.w_format, rp.noise, rp.quantum);
  p->cache_key = xstrdup(key);
  snprintf(key, sizeof(key), "sim (%s)", preset);
  p->describe = xstrdup(key);
  return 0;
}

static int sim_score(struct proxy *p, const struct proxy_item *items,
                     size_t n, proxy_sink sink, void *ctx,
                     struct bon_err *err)
{
  (void)err;
  const struct sim_rm_params *rp = p->state;
  for(size_t i = 0; i < n; i++) {
    double s = sim_rm_score(rp, items[i].question, items[i].response);
    if(sink(ctx, &items[i], s, NULL, 0, NULL, 0))
      break;
  }
  return 0;
}

static void sim_close(struct proxy *p)
{
  free(p->state);
}

int proxy_sim_params(const struct proxy *p, struct sim_rm_params *out)
{
  if(p->backend != &proxy_sim_backend)
    return -1;
  *out = *(const struct sim_rm_params *)p->state;
  return 0;
}

const struct proxy_backend proxy_sim_backend = {
  "sim", sim_open, sim_score, sim_close,
};

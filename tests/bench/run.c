/* Benchmarks of the run pipeline's own hot paths: the simulator and the
 * record store (the HTTP path is in bench_net / tests/bench/http.sh). */
#include "sim/problems.h"
#include "sim/rm.h"
#include "sim/solve.h"
#include "runner/store.h"
#include "tests/bench/bench.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct simctx {
  struct sim_problem *ps;
  size_t n;
  char **texts;
};

static void run_solve(void *p)
{
  struct simctx *c = p;
  struct sim_params pp;
  sim_params_default(&pp);
  struct buf b = BUF_INIT;
  for(size_t i = 0; i < c->n; i++) {
    buf_reset(&b);
    sim_solve(&pp, c->ps[i % 1000].question, i, SIM_NATURAL, SIM_STYLE_MODEL,
              &b);
    if(c->texts && !c->texts[i])
      c->texts[i] = xstrdup(buf_str(&b));
  }
  buf_free(&b);
}

static void run_score(void *p)
{
  struct simctx *c = p;
  struct sim_rm_params rp;
  sim_rm_preset("coarse", &rp);
  volatile double sink = 0;
  for(size_t i = 0; i < c->n; i++)
    sink += sim_rm_score(&rp, "", c->texts[i]);
  (void)sink;
}

BENCH(sim_policy_and_rm)
{
  struct simctx c = {sim_problems(1, 0, 1000), 50000, NULL};
  c.texts = xcalloc(c.n, sizeof(char *));
  run_solve(&c);
  double t = bench_time_median(5, run_solve, &c);
  bench_report("sim policy: completions", (double)c.n, t, "completions");
  t = bench_time_median(5, run_score, &c);
  bench_report("sim RM: scores", (double)c.n, t, "scores");
  for(size_t i = 0; i < c.n; i++)
    free(c.texts[i]);
  free(c.texts);
  sim_problems_free(c.ps, 1000);
}

struct storectx {
  const char *path;
  size_t n;
};

static void run_put(void *p)
{
  struct storectx *c = p;
  struct bon_err err;
  unlink(c->path);
  struct store *s = store_open(c->path, &err);
  char body[600];
  snprintf(body, sizeof(body), ",\"text\":\"%0500d\"}", 0);
  for(size_t i = 0; i < c->n; i++)
    store_put(s, i * 2654435761u + 1, body, &err);
  store_close(s);
}

static void run_reopen_get(void *p)
{
  struct storectx *c = p;
  struct bon_err err;
  struct store *s = store_open(c->path, &err);
  for(size_t i = 0; i < c->n; i++)
    cJSON_Delete(store_get(s, i * 2654435761u + 1));
  store_close(s);
}

BENCH(record_store)
{
  struct bon_err err;
  fs_mkdirs("build/benchtmp", &err);
  struct storectx c = {"build/benchtmp/store.jsonl", 200000};
  double t = bench_time_median(3, run_put, &c);
  bench_report("store: append 0.5 KB records", (double)c.n, t, "records");
  t = bench_time_median(3, run_reopen_get, &c);
  bench_report("store: reopen + read back", (double)c.n, t, "records");
  unlink(c.path);
}

/* Benchmarks of the run pipeline's own hot paths: the simulator and the
 * record store (the HTTP path is in bench_net / tests/bench/http.sh). */
#include "policy/policy.h"
#include "proxy/proxy.h"
#include "runner/judge.h"
#include "sim/problems.h"
#include "sim/rm.h"
#include "sim/solve.h"
#include "runner/store.h"
#include "tests/bench/bench.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* ---- the floor of `bonrun run` on the simulator ------------------------ */

struct floorctx {
  struct policy *policy;
  struct proxy *rms[9];
  struct sim_problem *ps;
  size_t P, N;
  char **texts;
  int judge;        /* judge every completion too */
};

static int floor_sample(void *ctx, const struct policy_job *job,
                        const struct policy_result *res, const char *error,
                        int permanent)
{
  struct floorctx *f = ctx;
  (void)error;
  (void)permanent;
  if(res)
    f->texts[job->tag] = xstrdup(res->text);
  return 0;
}

static int floor_score(void *ctx, const struct proxy_item *it, double score,
                       const double *steps, size_t nsteps, const char *error,
                       int permanent)
{
  (void)ctx;
  (void)it;
  (void)score;
  (void)steps;
  (void)nsteps;
  (void)error;
  (void)permanent;
  return 0;
}

/* The simulation alone, as `bonrun run` drives it (the same backends,
 * chunks of 16 problems, every core), with nothing recorded. */
static void run_floor(void *p)
{
  struct floorctx *f = p;
  struct bon_err err;
  size_t chunk = 16, cap = chunk * f->N;
  struct policy_job *jobs = xcalloc(cap, sizeof(*jobs));
  struct proxy_item *items = xcalloc(cap, sizeof(*items));
  f->texts = xcalloc(cap, sizeof(char *));
  for(size_t p0 = 0; p0 < f->P; p0 += chunk) {
    size_t np = f->P - p0 < chunk ? f->P - p0 : chunk, n = np * f->N;
    for(size_t i = 0; i < n; i++) {
      const struct sim_problem *pr = &f->ps[p0 + i / f->N];
      jobs[i] = (struct policy_job){.question = pr->question,
                                    .seed = (uint64_t)(p0 * f->N + i),
                                    .tag = i};
    }
    policy_generate(f->policy, jobs, n, floor_sample, f, &err);
    for(size_t i = 0; i < n; i++) {
      items[i] = (struct proxy_item){.question = jobs[i].question,
                                     .response = f->texts[i], .tag = i};
      if(f->judge) {
        char ans[256];
        const char *why;
        judge(f->ps[p0 + i / f->N].answer, f->texts[i], 0, ans,
              sizeof(ans), &why);
      }
    }
    for(int k = 0; k < 9; k++)
      proxy_score(f->rms[k], items, n, floor_score, f, &err);
    for(size_t i = 0; i < n; i++) {
      free(f->texts[i]);
      f->texts[i] = NULL;
    }
  }
  free(f->texts);
  free(jobs);
  free(items);
}

/* The floor beside tests/bench/pipeline.sh's `bonrun run`: microseconds
 * per sample of the simulation alone (policy and 9 RMs of
 * configs/demo.json), and with the gold verifier. */
BENCH(sim_pipeline_floor)
{
  static const char *const presets[9] = {"careful", "thorough", "lenient",
    "verbose", "confident", "formatted", "coarse", "noisy", "shallow"};
  const char *env = getenv("BONRUN_BENCH_PIPE_PROBLEMS");
  struct floorctx f;
  memset(&f, 0, sizeof(f));
  f.P = env ? (size_t)atol(env) : 100;
  f.N = 1024;
  struct bon_err err;
  cJSON *ps = cJSON_Parse("{\"backend\":\"sim\",\"samples\":1024}");
  f.policy = policy_open(ps, "bench", &err);
  cJSON *rs[9];
  for(int k = 0; k < 9; k++) {
    char cfg[96];
    snprintf(cfg, sizeof(cfg), "{\"name\":\"%s\",\"backend\":\"sim\"}",
             presets[k]);
    rs[k] = cJSON_Parse(cfg);
    f.rms[k] = proxy_open(rs[k], "bench", "proxies[0]", &err);
  }
  struct sim_problem *pr = sim_problems(2024, 0, f.P);
  f.ps = pr;
  double t = bench_time_median(3, run_floor, &f);
  printf("  floor: the simulation alone (policy + 9 RMs)  %8.2f us per "
         "sample (%zu x %zu, median of 3)\n", t / (double)(f.P * f.N) * 1e6,
         f.P, f.N);
  f.judge = 1;
  t = bench_time_median(3, run_floor, &f);
  printf("  floor: ... and the gold verifier             %8.2f us per "
         "sample\n", t / (double)(f.P * f.N) * 1e6);
  fflush(stdout);
  sim_problems_free(pr, f.P);
  policy_close(f.policy);
  for(int k = 0; k < 9; k++) {
    proxy_close(f.rms[k]);
    cJSON_Delete(rs[k]);
  }
  cJSON_Delete(ps);
}

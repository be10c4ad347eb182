/* The real HTTP client against the in-process `bonrun serve` server on
 * 127.0.0.1: results through HTTP equal the in-process simulator exactly,
 * with and without injected faults; permanent errors reach the sink once;
 * a silent server gives a clear error after the timeout. */
#include "tests/unit/test.h"
#include "tests/unit/net_helpers.h"
#include "net/client.h"
#include "net/openai.h"
#include "sim/problems.h"
#include "sim/server.h"
#include "policy/http.h"
#include "policy/policy.h"
#include "policy/sim.h"
#include "proxy/http_rm.h"
#include "proxy/proxy.h"
#include "proxy/sim.h"
#include "util/hash.h"

#include <stdlib.h>
#include <time.h>

/* Run the policy section `cfg` against jobs; compare with sim_solve. */
static void policy_matches_sim(const char *cfg, int port, int expect_ok)
{
  struct bon_err err;
  cJSON *sec = th_json(cfg, port);
  struct policy *p = policy_open(sec, "test.json", &err);
  CHECK_MSG(p != NULL, "%s", err.msg);
  if(!p) {
    cJSON_Delete(sec);
    return;
  }
  struct policy_job jobs[NPROB * NSAMP];
  struct sim_problem *pr = th_jobs(jobs);
  struct th_got g;
  memset(&g, 0, sizeof(g));
  int rc = policy_generate(p, jobs, NPROB * NSAMP, th_on_text, &g, &err);
  CHECK_MSG(rc == 0, "%s", err.msg);
  CHECK_INT(g.calls, NPROB * NSAMP);
  struct sim_params pp;
  sim_params_default(&pp);
  struct buf b = BUF_INIT;
  int ok = 0;
  for(int i = 0; i < NPROB * NSAMP; i++) {
    buf_reset(&b);
    sim_solve(&pp, jobs[i].question, jobs[i].seed, SIM_NATURAL,
              SIM_STYLE_MODEL, &b);
    if(g.text[i]) {
      CHECK_STR(g.text[i], buf_str(&b));
      ok++;
    }
  }
  CHECK_INT(ok, expect_ok);
  buf_free(&b);
  th_got_free(&g);
  sim_problems_free(pr, NPROB);
  policy_close(p);
  cJSON_Delete(sec);
}

TEST(net_http_policy_equals_sim)
{
  struct sim_server_opts o;
  th_opts(&o);
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  int port = sim_server_port(s);
  policy_matches_sim("{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:%d"
                     "\",\"model\":\"sim\",\"in_flight\":4}", port,
                     NPROB * NSAMP);
  policy_matches_sim("{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:%d"
                     "/v1\",\"model\":\"sim\",\"endpoint\":\"chat\","
                     "\"system\":\"Be careful.\",\"template\":\"Problem: "
                     "{question}\"}", port, NPROB * NSAMP);
  /* n per request: fewer requests, the same samples */
  long before = 0;
  struct buf st = BUF_INIT;
  sim_server_stats(s, &st);
  sscanf(buf_str(&st), "%ld", &before);
  policy_matches_sim("{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:%d"
                     "\",\"model\":\"sim\",\"n_per_request\":3,"
                     "\"dialect\":\"bonrun\"}", port, NPROB * NSAMP);
  buf_reset(&st);
  sim_server_stats(s, &st);
  long after = 0;
  sscanf(buf_str(&st), "%ld", &after);
  /* 5 samples a problem in groups of 3: 2 requests a problem, and the
   * new client's one GET /health before it sends */
  CHECK_INT(after - before, NPROB * 2 + 1);
  buf_free(&st);
  sim_server_stop(s);
}

TEST(net_http_policy_survives_faults)
{
  struct sim_server_opts o;
  th_opts(&o);
  o.fail_429 = 0.15;
  o.fail_503 = 0.1;
  o.fail_500 = 0.05;
  o.drop = 0.1;
  o.malformed = 0.1;
  o.seed = 3;
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  policy_matches_sim("{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:%d"
                     "\",\"model\":\"sim\",\"in_flight\":8,\"retries\":30,"
                     "\"backoff_s\":0.002,\"backoff_max_s\":0.02}",
                     sim_server_port(s), NPROB * NSAMP);
  struct buf st = BUF_INIT;
  sim_server_stats(s, &st);
  long req = 0, ok = 0;
  sscanf(buf_str(&st), "%ld requests: %ld ok", &req, &ok);
  CHECK_INT(ok, NPROB * NSAMP);
  CHECK_MSG(req > ok, "no faults were injected: %s", buf_str(&st));
  buf_free(&st);
  sim_server_stop(s);
}

TEST(net_http_permanent_errors_not_retried)
{
  struct sim_server_opts o;
  th_opts(&o);
  o.max_prompt = 10;  /* every prompt is "too long" */
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  int port = sim_server_port(s);
  struct bon_err err;
  cJSON *sec = th_json("{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:%d"
                    "\",\"model\":\"sim\"}", port);
  struct policy *p = policy_open(sec, "t.json", &err);
  struct policy_job jobs[NPROB * NSAMP];
  struct sim_problem *pr = th_jobs(jobs);
  struct th_got g;
  memset(&g, 0, sizeof(g));
  CHECK(p && policy_generate(p, jobs, NPROB * NSAMP, th_on_text, &g, &err) == 0);
  CHECK_INT(g.calls, NPROB * NSAMP);
  for(int i = 0; i < NPROB * NSAMP; i++) {
    CHECK(g.error[i] && strstr(g.error[i], "maximum context length"));
    CHECK(g.permanent[i]);
  }
  struct buf st = BUF_INIT;
  policy_http_stats(p, &st);
  CHECK_MSG(strstr(buf_str(&st), "HTTP 400: 30") != NULL, "%s",
            buf_str(&st));
  CHECK(strstr(buf_str(&st), "retried") == NULL);
  buf_free(&st);
  th_got_free(&g);
  policy_close(p);
  cJSON_Delete(sec);
  /* an unknown model: 404 is about the request, not the item: the run
   * stops with the server's message and no item hears of it */
  sec = th_json("{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:%d\","
             "\"model\":\"nope\"}", port);
  p = policy_open(sec, "t.json", &err);
  memset(&g, 0, sizeof(g));
  CHECK(p && policy_generate(p, jobs, 4, th_on_text, &g, &err) < 0);
  CHECK_INT(g.calls, 0);
  CHECK_MSG(strstr(err.msg, "HTTP 404") && strstr(err.msg, "does not "
            "exist") && strstr(err.msg, "no item was recorded"), "%s",
            err.msg);
  CHECK_INT(policy_http_cause(p), NET_CAUSE_NOT_FOUND);
  th_got_free(&g);
  policy_close(p);
  cJSON_Delete(sec);
  sim_problems_free(pr, NPROB);
  sim_server_stop(s);
}

TEST(net_http_silent_server_times_out)
{
  struct sim_server_opts o;
  th_opts(&o);
  o.delay_ms = 100000;
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  struct bon_err err;
  cJSON *sec = th_json("{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:%d"
                    "\",\"model\":\"sim\",\"timeout_s\":0.3,\"retries\":1,"
                    "\"backoff_s\":0.01,\"abort_after\":3}",
                    sim_server_port(s));
  struct policy *p = policy_open(sec, "t.json", &err);
  struct policy_job jobs[NPROB * NSAMP];
  struct sim_problem *pr = th_jobs(jobs);
  struct th_got g;
  memset(&g, 0, sizeof(g));
  double t0 = th_now();
  int rc = p ? policy_generate(p, jobs, NPROB * NSAMP, th_on_text, &g, &err)
             : 0;
  double dt = th_now() - t0;
  CHECK(rc < 0);
  CHECK_MSG(strstr(err.msg, "timeout_s") && strstr(err.msg, "in a row"),
            "%s", err.msg);
  CHECK_MSG(dt < 5, "took %g s", dt);
  /* the items that did fail were told so; none got a text */
  for(int i = 0; i < NPROB * NSAMP; i++)
    CHECK(!g.text[i]);
  CHECK(g.calls >= 3);
  th_got_free(&g);
  sim_problems_free(pr, NPROB);
  policy_close(p);
  cJSON_Delete(sec);
  sim_server_stop(s);
}

TEST(net_http_refused_connection_aborts)
{
  /* a port that was just free: nothing listens there */
  struct sim_server_opts o;
  th_opts(&o);
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  int port = sim_server_port(s);
  sim_server_stop(s);
  struct bon_err err;
  cJSON *sec = th_json("{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:%d"
                    "\",\"model\":\"sim\",\"retries\":2,\"backoff_s\":0.01,"
                    "\"abort_after\":2,\"ready_timeout_s\":0}", port);
  struct policy *p = policy_open(sec, "t.json", &err);
  struct policy_job jobs[NPROB * NSAMP];
  struct sim_problem *pr = th_jobs(jobs);
  struct th_got g;
  memset(&g, 0, sizeof(g));
  CHECK(p && policy_generate(p, jobs, NPROB * NSAMP, th_on_text, &g, &err) < 0);
  CHECK_MSG(strstr(err.msg, "Is the server up") != NULL, "%s", err.msg);
  CHECK_INT(policy_http_cause(p), NET_CAUSE_TRANSPORT);
  th_got_free(&g);
  policy_close(p);
  cJSON_Delete(sec);
  /* with a readiness wait: nothing is sent, the run stops once the wait
   * is over, naming the health path and why */
  sec = th_json("{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:%d\","
             "\"model\":\"sim\",\"ready_timeout_s\":0.6}", port);
  p = policy_open(sec, "t.json", &err);
  memset(&g, 0, sizeof(g));
  double t0 = th_now();
  CHECK(p && policy_generate(p, jobs, NPROB * NSAMP, th_on_text, &g, &err) < 0);
  CHECK_MSG(th_now() - t0 < 5, "took %g s", th_now() - t0);
  CHECK_MSG(strstr(err.msg, "/health was not ready after"), "%s", err.msg);
  CHECK_INT(g.calls, 0);
  CHECK_INT(policy_http_cause(p), NET_CAUSE_NOT_READY);
  th_got_free(&g);
  sim_problems_free(pr, NPROB);
  policy_close(p);
  cJSON_Delete(sec);
}

TEST(net_http_api_key_stays_out_of_keys)
{
  setenv("BONRUN_TEST_KEY", "sk-sekret-1234", 1);
  struct bon_err err;
  cJSON *sec = cJSON_Parse("{\"backend\":\"openai\",\"url\":"
                           "\"http://127.0.0.1:9\",\"model\":\"m\","
                           "\"api_key_env\":\"BONRUN_TEST_KEY\"}");
  struct policy *p = policy_open(sec, "t.json", &err);
  CHECK_MSG(p != NULL, "%s", err.msg);
  if(p) {
    CHECK(!strstr(policy_cache_key(p), "sekret"));
    CHECK(!strstr(policy_describe(p), "sekret"));
    CHECK(!strstr(policy_cache_key(p), "127.0.0.1"));
    policy_close(p);
  }
  char *txt = cJSON_PrintUnformatted(sec);
  CHECK(!strstr(txt, "sekret"));
  cJSON_free(txt);
  cJSON_Delete(sec);
  /* an unset variable is a config error naming it */
  sec = cJSON_Parse("{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:9\","
                    "\"model\":\"m\",\"api_key_env\":\"BONRUN_NO_SUCH\"}");
  CHECK(policy_open(sec, "t.json", &err) == NULL);
  CHECK(strstr(err.msg, "BONRUN_NO_SUCH") != NULL);
  cJSON_Delete(sec);
}

TEST(net_http_cache_key_ignores_transport)
{
  struct bon_err err;
  const char *a = "{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:1\","
                  "\"model\":\"m\",\"temperature\":0.7}";
  const char *b = "{\"backend\":\"openai\",\"url\":[\"http://127.0.0.1:2\","
                  "\"http://127.0.0.1:3\"],\"model\":\"m\",\"temperature\":"
                  "0.7,\"in_flight\":256,\"timeout_s\":5,\"retries\":1}";
  const char *c = "{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:1\","
                  "\"model\":\"m\",\"temperature\":0.8}";
  const char *d = "{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:1\","
                  "\"model\":\"m\",\"temperature\":0.7,\"template\":"
                  "\"Q: {question}\"}";
  const char *src[4] = {a, b, c, d};
  struct policy *p[4];
  cJSON *j[4];
  for(int i = 0; i < 4; i++) {
    j[i] = cJSON_Parse(src[i]);
    p[i] = policy_open(j[i], "t.json", &err);
    CHECK_MSG(p[i] != NULL, "%s", err.msg);
  }
  if(p[0] && p[1] && p[2] && p[3]) {
    CHECK_STR(policy_cache_key(p[0]), policy_cache_key(p[1]));
    CHECK(strcmp(policy_cache_key(p[0]), policy_cache_key(p[2])));
    CHECK(strcmp(policy_cache_key(p[0]), policy_cache_key(p[3])));
  }
  for(int i = 0; i < 4; i++) {
    policy_close(p[i]);
    cJSON_Delete(j[i]);
  }
  /* n_per_request > 1 on a server without seed + i children is refused */
  cJSON *x = cJSON_Parse("{\"backend\":\"openai\",\"url\":\"http://h:1\","
                         "\"model\":\"m\",\"n_per_request\":4}");
  CHECK(policy_open(x, "t.json", &err) == NULL);
  CHECK(strstr(err.msg, "dialect") != NULL);
  cJSON_Delete(x);
}

/* ---- reward models ---------------------------------------------------- */

/* Score sim responses through `cfg`; compare with the preset in process. */
static void rm_matches_sim(const char *cfg, int port, const char *preset,
                           int expect_errors, size_t min_steps)
{
  struct bon_err err;
  cJSON *sec = th_json(cfg, port);
  struct proxy *p = proxy_open(sec, "t.json", "proxies[0]", &err);
  CHECK_MSG(p != NULL, "%s", err.msg);
  if(!p) {
    cJSON_Delete(sec);
    return;
  }
  struct policy_job jobs[NPROB * NSAMP];
  struct sim_problem *pr = th_jobs(jobs);
  struct sim_params pp;
  sim_params_default(&pp);
  struct proxy_item items[NPROB * NSAMP];
  struct buf texts[NPROB * NSAMP];
  for(int i = 0; i < NPROB * NSAMP; i++) {
    texts[i] = (struct buf)BUF_INIT;
    sim_solve(&pp, jobs[i].question, jobs[i].seed, SIM_NATURAL,
              SIM_STYLE_MODEL, &texts[i]);
    items[i] = (struct proxy_item){.question = jobs[i].question,
                                   .response = buf_str(&texts[i]),
                                   .tag = (size_t)i};
  }
  struct th_scored sc;
  memset(&sc, 0, sizeof(sc));
  CHECK(proxy_score(p, items, NPROB * NSAMP, th_on_score, &sc, &err) == 0);
  CHECK_INT(sc.calls, NPROB * NSAMP);
  struct sim_rm_params rp;
  sim_rm_preset(preset, &rp);
  rp.id = hash_str(HASH_INIT, preset);
  int errors = 0;
  for(int i = 0; i < NPROB * NSAMP; i++) {
    if(sc.error[i]) {
      errors++;
      CHECK(sc.score[i] != sc.score[i]);  /* NaN, never a default */
      free(sc.error[i]);
      continue;
    }
    double want = sim_rm_score(&rp, items[i].question, items[i].response);
    CHECK_MSG(sc.score[i] == want, "item %d: %.17g vs %.17g", i, sc.score[i],
              want);
    CHECK(sc.nsteps[i] >= min_steps);
  }
  CHECK_INT(errors, expect_errors);
  struct buf st = BUF_INIT;
  CHECK(proxy_http_stats(p, &st) == 0);
  if(expect_errors)
    CHECK_MSG(strstr(buf_str(&st), "unparsable") != NULL, "%s",
              buf_str(&st));
  buf_free(&st);
  for(int i = 0; i < NPROB * NSAMP; i++)
    buf_free(&texts[i]);
  sim_problems_free(pr, NPROB);
  proxy_close(p);
  cJSON_Delete(sec);
}

TEST(net_http_reward_models_equal_sim)
{
  struct sim_server_opts o;
  th_opts(&o);
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  int port = sim_server_port(s);
  rm_matches_sim("{\"name\":\"c\",\"backend\":\"vllm-classify\",\"url\":"
                 "\"http://127.0.0.1:%d\",\"model\":\"careful\",\"batch\":7}",
                 port, "careful", 0, 0);
  rm_matches_sim("{\"name\":\"c\",\"backend\":\"vllm-classify\",\"url\":"
                 "\"http://127.0.0.1:%d\",\"model\":\"verbose\",\"input\":"
                 "\"messages\"}", port, "verbose", 0, 0);
  rm_matches_sim("{\"name\":\"c\",\"backend\":\"vllm-pooling\",\"url\":"
                 "\"http://127.0.0.1:%d\",\"model\":\"confident\"}", port,
                 "confident", 0, 0);
  rm_matches_sim("{\"name\":\"j\",\"backend\":\"judge\",\"url\":"
                 "\"http://127.0.0.1:%d\",\"model\":\"formatted\"}", port,
                 "formatted", 0, 0);
  /* a rating pattern that never matches: every score missing, counted */
  rm_matches_sim("{\"name\":\"j\",\"backend\":\"judge\",\"url\":"
                 "\"http://127.0.0.1:%d\",\"model\":\"formatted\","
                 "\"rating_regex\":\"Score: ([0-9]+)\"}", port, "formatted",
                 NPROB * NSAMP, 0);
  sim_server_stop(s);
}

/* ---- process RMs ------------------------------------------------------ */

struct stepped {
  double score[NPROB * NSAMP];
  double *steps[NPROB * NSAMP];
  size_t nsteps[NPROB * NSAMP];
  char *error[NPROB * NSAMP];
  int permanent[NPROB * NSAMP];
  int calls;
};

static int on_steps(void *ctx, const struct proxy_item *it, double score,
                    const double *steps, size_t nsteps, const char *error,
                    int permanent)
{
  struct stepped *s = ctx;
  s->calls++;
  s->score[it->tag] = score;
  s->nsteps[it->tag] = nsteps;
  if(nsteps) {
    s->steps[it->tag] = malloc(nsteps * sizeof(double));
    memcpy(s->steps[it->tag], steps, nsteps * sizeof(double));
  }
  if(error)
    s->error[it->tag] = strdup(error);
  s->permanent[it->tag] = permanent;
  return 0;
}

/* Score sim responses with the PRM section `cfg` (split `split`, tag
 * `tag`, aggregation `agg`): each step's score must be p_good of
 * sim_rm_step_scores on the steps as split here, the score their fold;
 * or, when `bad_tag`, every item a permanent error about the count. */
static void prm_matches_sim(const char *cfg, int port, const char *preset,
                            const char *split, const char *tag,
                            const char *agg, int bad_tag)
{
  struct bon_err err;
  cJSON *sec = th_json(cfg, port);
  struct proxy *p = proxy_open(sec, "t.json", "proxies[0]", &err);
  CHECK_MSG(p != NULL, "%s", err.msg);
  if(!p) {
    cJSON_Delete(sec);
    return;
  }
  struct policy_job jobs[NPROB * NSAMP];
  struct sim_problem *pr = th_jobs(jobs);
  struct sim_params pp;
  sim_params_default(&pp);
  struct proxy_item items[NPROB * NSAMP];
  struct buf texts[NPROB * NSAMP];
  for(int i = 0; i < NPROB * NSAMP; i++) {
    texts[i] = (struct buf)BUF_INIT;
    sim_solve(&pp, jobs[i].question, jobs[i].seed, SIM_NATURAL,
              SIM_STYLE_MODEL, &texts[i]);
    items[i] = (struct proxy_item){.question = jobs[i].question,
                                   .response = buf_str(&texts[i]),
                                   .tag = (size_t)i};
  }
  struct stepped sc;
  memset(&sc, 0, sizeof(sc));
  CHECK(proxy_score(p, items, NPROB * NSAMP, on_steps, &sc, &err) == 0);
  CHECK_INT(sc.calls, NPROB * NSAMP);
  struct sim_rm_params rp;
  sim_rm_preset(preset, &rp);
  rp.id = hash_str(HASH_INIT, preset);
  struct buf j = BUF_INIT;
  for(int i = 0; i < NPROB * NSAMP; i++) {
    buf_reset(&j);
    size_t ns = proxy_http_join_steps(items[i].response, split,
                                      "<extra_0>", &j);
    CHECK(ns >= 3);
    if(bad_tag) {
      CHECK_MSG(sc.error[i] && sc.permanent[i] &&
                strstr(sc.error[i], "step outputs for") &&
                strstr(sc.error[i], tag), "item %d: %s", i,
                sc.error[i] ? sc.error[i] : "no error");
      CHECK(sc.score[i] != sc.score[i] && sc.nsteps[i] == 0);
    }
    else {
      double *want;
      CHECK_INT(sim_rm_step_scores(&rp, buf_str(&j), "<extra_0>", &want),
                ns);
      CHECK_MSG(!sc.error[i], "item %d: %s", i, sc.error[i]);
      CHECK_INT(sc.nsteps[i], ns);
      for(size_t k = 0; k < ns && k < sc.nsteps[i]; k++)
        CHECK_MSG(sc.steps[i][k] == want[k], "item %d step %zu: %.17g vs "
                  "%.17g", i, k, sc.steps[i][k], want[k]);
      double fold;
      CHECK(proxy_http_aggregate(agg, want, ns, &fold) == 0);
      CHECK(sc.score[i] == fold);
      free(want);
    }
    free(sc.steps[i]);
    free(sc.error[i]);
  }
  buf_free(&j);
  for(int i = 0; i < NPROB * NSAMP; i++)
    buf_free(&texts[i]);
  sim_problems_free(pr, NPROB);
  proxy_close(p);
  cJSON_Delete(sec);
}

TEST(net_http_prm_steps_through_pooling)
{
  struct sim_server_opts o;
  th_opts(&o);
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  int port = sim_server_port(s);
  /* text input, batched, default split "\n\n" and tag */
  prm_matches_sim("{\"name\":\"p\",\"backend\":\"vllm-pooling\",\"url\":"
                  "\"http://127.0.0.1:%d\",\"model\":\"lenient\","
                  "\"pooling\":\"steps\",\"batch\":4}", port, "lenient",
                  "\n\n", "<extra_0>", "min", 0);
  /* the Qwen chat format, split at every line, folded by prod */
  prm_matches_sim("{\"name\":\"p\",\"backend\":\"vllm-pooling\",\"url\":"
                  "\"http://127.0.0.1:%d\",\"model\":\"careful\","
                  "\"pooling\":\"steps\",\"input\":\"messages\","
                  "\"step_split\":\"\\n\",\"aggregate\":\"prod\"}", port,
                  "careful", "\n", "<extra_0>", "prod", 0);
  /* a tag the PRM does not know: one row per line comes back, never the
   * number of steps sent: a permanent error per item, no default */
  prm_matches_sim("{\"name\":\"p\",\"backend\":\"vllm-pooling\",\"url\":"
                  "\"http://127.0.0.1:%d\",\"model\":\"careful\","
                  "\"pooling\":\"steps\",\"step_tag\":\"<step>\","
                  "\"step_label\":-1}", port,
                  "careful", "\n\n", "<step>", "min", 1);
  sim_server_stop(s);
}

TEST(net_http_prm_config)
{
  struct bon_err err;
  static const char *const bad[] = {
    "\"step_split\":\"\\t\"", "\"step_tag\":\"\"", "\"step_tag\":\" \"",
    "\"step_label\":-2", "\"step_split\":2",
  };
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    char t[512];
    snprintf(t, sizeof(t), "{\"name\":\"p\",\"backend\":\"vllm-pooling\","
             "\"url\":\"http://127.0.0.1:1\",\"model\":\"m\",\"pooling\":"
             "\"steps\",%s}", bad[i]);
    cJSON *j = cJSON_Parse(t);
    struct proxy *p = proxy_open(j, "t.json", "proxies[0]", &err);
    CHECK_MSG(p == NULL, "accepted %s", bad[i]);
    if(p)
      proxy_close(p);
    else
      CHECK_MSG(strstr(err.msg, "proxies[0].step_") != NULL, "%s", err.msg);
    cJSON_Delete(j);
  }
  /* step keys are in a PRM's cache key (not in an outcome RM's); with
   * messages the Qwen system prompt is the default */
  const char *base = "{\"name\":\"p\",\"backend\":\"vllm-pooling\","
                     "\"url\":\"http://127.0.0.1:1\",\"model\":\"m\"%s}";
  static const char *const var[] = {
    ",\"pooling\":\"steps\"", ",\"pooling\":\"steps\",\"step_split\":\"\\n\"",
    ",\"pooling\":\"steps\",\"step_tag\":\"<s>\"",
    ",\"pooling\":\"steps\",\"step_label\":0", "",
    ",\"pooling\":\"steps\",\"input\":\"messages\"",
  };
  char *keys[6];
  for(int i = 0; i < 6; i++) {
    char t[512];
    snprintf(t, sizeof(t), base, var[i]);
    cJSON *j = cJSON_Parse(t);
    struct proxy *p = proxy_open(j, "t.json", "proxies[0]", &err);
    CHECK_MSG(p != NULL, "%s", err.msg);
    keys[i] = strdup(p ? proxy_cache_key(p) : "");
    if(p)
      proxy_close(p);
    cJSON_Delete(j);
  }
  for(int a = 0; a < 6; a++)
    for(int b = a + 1; b < 6; b++)
      CHECK_MSG(strcmp(keys[a], keys[b]), "%d and %d share %s", a, b,
                keys[a]);
  CHECK(strstr(keys[0], "\"step_tag\":\"<extra_0>\"") != NULL);
  CHECK(strstr(keys[4], "step_") == NULL);
  CHECK(strstr(keys[5], "Please reason step by step") != NULL);
  for(int i = 0; i < 6; i++)
    free(keys[i]);
}

TEST(net_http_spreads_over_endpoints_with_faults)
{
  struct sim_server_opts o;
  th_opts(&o);
  o.fail_503 = 0.2;
  o.drop = 0.1;
  o.malformed = 0.1;
  o.seed = 9;
  struct sim_server *a = th_serve(&o);
  o.seed = 10;
  struct sim_server *b = th_serve(&o);
  if(!a || !b) {
    sim_server_stop(a);
    sim_server_stop(b);
    return;
  }
  char cfg[512];
  snprintf(cfg, sizeof(cfg), "{\"name\":\"c\",\"backend\":\"vllm-classify\","
           "\"url\":[\"http://127.0.0.1:%%d\",\"http://127.0.0.1:%d\"],"
           "\"model\":\"noisy\",\"batch\":1,\"in_flight\":2,\"retries\":40,"
           "\"backoff_s\":0.002,\"backoff_max_s\":0.01}", sim_server_port(b));
  rm_matches_sim(cfg, sim_server_port(a), "noisy", 0, 0);
  struct buf sa = BUF_INIT, sb = BUF_INIT;
  sim_server_stats(a, &sa);
  sim_server_stats(b, &sb);
  long ra = 0, rb = 0, oka = 0, okb = 0;
  sscanf(buf_str(&sa), "%ld requests: %ld ok", &ra, &oka);
  sscanf(buf_str(&sb), "%ld requests: %ld ok", &rb, &okb);
  CHECK_INT(oka + okb, NPROB * NSAMP);
  CHECK_MSG(oka > 3 && okb > 3, "unbalanced: %s | %s", buf_str(&sa),
            buf_str(&sb));
  buf_free(&sa);
  buf_free(&sb);
  sim_server_stop(a);
  sim_server_stop(b);
}

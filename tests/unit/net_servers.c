/* The client against the behaviours of real servers, played by the
 * in-process `bonrun serve` (sim/server.h): request-level errors stop the
 * run with nothing handed to the sinks; a batch refused for one item is
 * split until only the offending items fail; reasoning replies in every
 * shape keep the final text and the reasoning apart; a loading server is
 * waited for, and its 503s count toward abort_after; TEI's 424 is retried
 * once; TEI and Ollama are told not to truncate; old vLLM builds get the
 * activation switch they understand, or the run stops. */
#include "tests/unit/test.h"
#include "tests/unit/net_helpers.h"

#include <math.h>
#include <stdlib.h>

#include "net/client.h"
#include "policy/http.h"
#include "proxy/http_rm.h"
#include "sim/rm.h"
#include "sim/solve.h"
#include "util/hash.h"
#include "util/notice.h"

/* Open a policy section (port filled in) and draw every job.  Returns
 * policy_generate's value; g and err hold the results; *cause the
 * policy's stop cause. */
static int draw(const char *cfg, int port, struct th_got *g,
                struct bon_err *err, enum net_cause *cause)
{
  cJSON *sec = th_json(cfg, port);
  struct policy *p = policy_open(sec, "t.json", err);
  CHECK_MSG(p != NULL, "%s", err->msg);
  int rc = -2;
  if(p) {
    struct policy_job jobs[NJOBS];
    struct sim_problem *pr = th_jobs(jobs);
    memset(g, 0, sizeof(*g));
    rc = policy_generate(p, jobs, NJOBS, th_on_text, g, err);
    *cause = policy_http_cause(p);
    sim_problems_free(pr, NPROB);
  }
  policy_close(p);
  cJSON_Delete(sec);
  return rc;
}

/* Score the sim solutions of the jobs through an RM section. */
static int score(const char *cfg, int port, struct th_scored *sc,
                 struct bon_err *err, enum net_cause *cause,
                 struct buf *stats)
{
  cJSON *sec = th_json(cfg, port);
  struct proxy *p = proxy_open(sec, "t.json", "proxies[0]", err);
  CHECK_MSG(p != NULL, "%s", err->msg);
  int rc = -2;
  if(p) {
    struct policy_job jobs[NJOBS];
    struct sim_problem *pr = th_jobs(jobs);
    struct buf texts[NJOBS];
    struct proxy_item items[NJOBS];
    th_items(jobs, texts, items);
    memset(sc, 0, sizeof(*sc));
    rc = proxy_score(p, items, NJOBS, th_on_score, sc, err);
    *cause = proxy_http_cause(p);
    if(stats)
      proxy_http_stats(p, stats);
    for(int i = 0; i < NJOBS; i++)
      buf_free(&texts[i]);
    sim_problems_free(pr, NPROB);
  }
  proxy_close(p);
  cJSON_Delete(sec);
  return rc;
}

/* The sim policy's solution of job i, and the preset's score of it. */
static void expected(int i, const char *preset, struct buf *text,
                     double *sc)
{
  struct policy_job jobs[NJOBS];
  struct sim_problem *pr = th_jobs(jobs);
  struct sim_params pp;
  sim_params_default(&pp);
  sim_solve(&pp, jobs[i].question, jobs[i].seed, SIM_NATURAL,
            SIM_STYLE_MODEL, text);
  struct sim_rm_params rp;
  sim_rm_preset(preset, &rp);
  rp.id = hash_str(HASH_INIT, preset);
  *sc = sim_rm_score(&rp, jobs[i].question, buf_str(text));
  sim_problems_free(pr, NPROB);
}

#define POLICY "{\"backend\":\"openai\",\"url\":\"http://127.0.0.1:%d\"," \
               "\"model\":\"sim\",\"retries\":1,\"backoff_s\":0.01"

TEST(net_servers_request_level_errors_stop)
{
  static const struct {
    const char *cfg;      /* after POLICY */
    int request_error, single, max_n, quota;
    const char *reject;
    enum net_cause cause;
    const char *needle;
  } cases[] = {
    {"}", 404, 0, 0, 0, NULL, NET_CAUSE_NOT_FOUND, "does not exist"},
    {"}", 405, 0, 0, 0, NULL, NET_CAUSE_METHOD, "Method Not Allowed"},
    {"}", 413, 0, 0, 0, NULL, NET_CAUSE_TOO_LARGE, "Payload Too Large"},
    {"}", 401, 0, 0, 0, NULL, NET_CAUSE_AUTH, "Incorrect API key"},
    {"}", 422, 0, 0, 0, NULL, NET_CAUSE_OTHER_4XX, "top_p"},
    {",\"n_per_request\":5,\"dialect\":\"llamacpp\"}", 0, 1, 0, 0, NULL,
     NET_CAUSE_SINGLE_CHOICE, "Only one completion choice"},
    {",\"n_per_request\":5,\"dialect\":\"llamacpp\"}", 0, 0, 2, 0, NULL,
     NET_CAUSE_N_LIMIT, "n_cmpl cannot be greater"},
    {",\"top_k\":0}", 0, 0, 0, 0, "top_k", NET_CAUSE_PARAM,
     "Unrecognized request argument supplied: top_k"},
    {",\"in_flight\":1}", 0, 0, 0, 7, NULL, NET_CAUSE_QUOTA,
     "exceeded your current quota"},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct sim_server_opts o;
    th_opts(&o);
    o.request_error = cases[i].request_error;
    o.single_choice = cases[i].single;
    o.max_n = cases[i].max_n;
    o.quota_after = cases[i].quota;
    o.reject_params = cases[i].reject;
    struct sim_server *s = th_serve(&o);
    if(!s)
      return;
    char cfg[512];
    snprintf(cfg, sizeof(cfg), "%s%s", POLICY, cases[i].cfg);
    struct th_got g;
    struct bon_err err;
    enum net_cause cause;
    int rc = draw(cfg, sim_server_port(s), &g, &err, &cause);
    CHECK_MSG(rc == -1, "case %zu: rc %d", i, rc);
    CHECK_MSG(cause == cases[i].cause, "case %zu: cause %s", i,
              net_cause_name(cause));
    CHECK_MSG(strstr(err.msg, cases[i].needle) &&
              strstr(err.msg, "no item was recorded"), "case %zu: %s", i,
              err.msg);
    /* the quota case answered its first 7 requests; no error reached a
     * sink in any case */
    int texts = 0;
    for(int k = 0; k < NJOBS; k++) {
      CHECK(g.error[k] == NULL);
      texts += g.text[k] != NULL;
    }
    CHECK_MSG(texts == (cases[i].quota ? cases[i].quota : 0),
              "case %zu: %d texts", i, texts);
    th_got_free(&g);
    sim_server_stop(s);
  }
}

TEST(net_servers_dialect_openai)
{
  /* the OpenAI API of reasoning models: no max_tokens, no top_k/min_p */
  struct sim_server_opts o;
  th_opts(&o);
  o.reject_params = "max_tokens,top_k,min_p,temperature,top_p";
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  struct th_got g;
  struct bon_err err;
  enum net_cause cause;
  CHECK(draw(POLICY ",\"dialect\":\"openai\",\"endpoint\":\"chat\"}",
             sim_server_port(s), &g, &err, &cause) == 0);
  for(int k = 0; k < NJOBS; k++)
    CHECK(g.text[k] != NULL);
  th_got_free(&g);
  /* temperature set on purpose is sent (and this server refuses it) */
  CHECK(draw(POLICY ",\"dialect\":\"openai\",\"temperature\":0.7}",
             sim_server_port(s), &g, &err, &cause) == -1);
  CHECK_INT(cause, NET_CAUSE_PARAM);
  th_got_free(&g);
  sim_server_stop(s);
  /* what the API refuses is refused when the config is read */
  cJSON *sec = th_json(POLICY ",\"dialect\":\"openai\",\"min_p\":0.1}", 1);
  CHECK(policy_open(sec, "t.json", &err) == NULL);
  CHECK_MSG(strstr(err.msg, "policy.min_p") && strstr(err.msg, "refuses"),
            "%s", err.msg);
  cJSON_Delete(sec);
  /* the resolved config says temperature was not sent */
  sec = th_json(POLICY ",\"dialect\":\"openai\"}", 1);
  struct policy *p = policy_open(sec, "t.json", &err);
  CHECK(p && !cJSON_GetObjectItem(sec, "temperature") &&
        !strstr(policy_cache_key(p), "temperature"));
  policy_close(p);
  cJSON_Delete(sec);
}

TEST(net_servers_batch_split_isolates_long_items)
{
  /* which items are over the limit: the template adds the question */
  struct policy_job jobs[NJOBS];
  struct sim_problem *pr = th_jobs(jobs);
  struct buf texts[NJOBS];
  struct proxy_item items[NJOBS];
  th_items(jobs, texts, items);
  size_t len[NJOBS];
  for(int i = 0; i < NJOBS; i++)
    len[i] = strlen(items[i].question) + 2 + strlen(items[i].response);
  size_t sorted[NJOBS];
  memcpy(sorted, len, sizeof(len));
  for(int i = 1; i < NJOBS; i++)
    for(int k = i; k > 0 && sorted[k - 1] > sorted[k]; k--) {
      size_t t = sorted[k];
      sorted[k] = sorted[k - 1];
      sorted[k - 1] = t;
    }
  long limit = (long)sorted[NJOBS - 4];  /* 3 items are longer */
  int nlong = 0;
  for(int i = 0; i < NJOBS; i++)
    nlong += (long)len[i] > limit;
  CHECK(nlong >= 1 && nlong <= 3);
  static const char *const cfgs[] = {
    "{\"name\":\"c\",\"backend\":\"vllm-classify\",\"url\":"
    "\"http://127.0.0.1:%d\",\"model\":\"careful\",\"batch\":8}",
    "{\"name\":\"c\",\"backend\":\"sglang\",\"url\":"
    "\"http://127.0.0.1:%d\",\"model\":\"careful\",\"batch\":16}",
    "{\"name\":\"c\",\"backend\":\"tei\",\"url\":"
    "\"http://127.0.0.1:%d\",\"model\":\"careful\",\"batch\":30}",
  };
  for(size_t c = 0; c < sizeof(cfgs) / sizeof(cfgs[0]); c++) {
    struct sim_server_opts o;
    th_opts(&o);
    o.max_prompt = limit;
    struct sim_server *s = th_serve(&o);
    if(!s)
      break;
    struct th_scored sc;
    struct bon_err err;
    enum net_cause cause;
    struct buf st = BUF_INIT;
    CHECK(score(cfgs[c], sim_server_port(s), &sc, &err, &cause, &st) == 0);
    CHECK_INT(sc.calls, NJOBS);
    for(int i = 0; i < NJOBS; i++) {
      struct buf t = BUF_INIT;
      double want;
      expected(i, "careful", &t, &want);
      if((long)len[i] > limit)
        CHECK_MSG(sc.error[i] && sc.permanent[i] && isnan(sc.score[i]),
                  "cfg %zu item %d (len %zu): not an error", c, i, len[i]);
      else
        CHECK_MSG(!sc.error[i] && sc.score[i] == want,
                  "cfg %zu item %d: %s %.17g vs %.17g", c, i,
                  sc.error[i] ? sc.error[i] : "", sc.score[i], want);
      buf_free(&t);
    }
    CHECK_MSG(strstr(buf_str(&st), "split to isolate"), "%s", buf_str(&st));
    buf_free(&st);
    th_scored_free(&sc);
    sim_server_stop(s);
  }
  for(int i = 0; i < NJOBS; i++)
    buf_free(&texts[i]);
  sim_problems_free(pr, NPROB);
}

TEST(net_servers_batch_limit_stops)
{
  struct sim_server_opts o;
  th_opts(&o);
  o.max_batch = 4;
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  struct th_scored sc;
  struct bon_err err;
  enum net_cause cause;
  CHECK(score("{\"name\":\"t\",\"backend\":\"tei\",\"url\":"
              "\"http://127.0.0.1:%d\",\"batch\":8}", sim_server_port(s),
              &sc, &err, &cause, NULL) == -1);
  CHECK_INT(cause, NET_CAUSE_BATCH_SIZE);
  CHECK_INT(sc.calls, 0);
  /* whichever batch answers first names its own size: 8, or the last
   * batch's remainder */
  CHECK_MSG(strstr(err.msg, "> maximum allowed batch size 4") &&
            !strstr(err.msg, "batch size 4 >"), "%s", err.msg);
  th_scored_free(&sc);
  /* within the limit, every item is scored */
  CHECK(score("{\"name\":\"t\",\"backend\":\"tei\",\"url\":"
              "\"http://127.0.0.1:%d\",\"batch\":4}", sim_server_port(s),
              &sc, &err, &cause, NULL) == 0);
  CHECK_INT(sc.calls, NJOBS);
  th_scored_free(&sc);
  sim_server_stop(s);
}

TEST(net_servers_reasoning_shapes)
{
  static const struct {
    enum sim_reasoning mode;
    const char *cfg;
    int final_empty;
  } cases[] = {
    {SIM_REASON_FIELD, ",\"endpoint\":\"chat\"}", 0},
    {SIM_REASON_NAMED, ",\"endpoint\":\"chat\"}", 0},
    {SIM_REASON_THINK, ",\"endpoint\":\"chat\"}", 0},
    {SIM_REASON_FIELD, "}", 0},   /* /v1/completions: raw <think> tags */
    {SIM_REASON_NULL, ",\"endpoint\":\"chat\"}", 1},
    {SIM_REASON_FIELD, "}", 0},   /* Ollama: `thinking` (below) */
  };
  for(size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
    struct sim_server_opts o;
    th_opts(&o);
    o.reasoning = cases[c].mode;
    struct sim_server *s = th_serve(&o);
    if(!s)
      return;
    char cfg[512];
    snprintf(cfg, sizeof(cfg), "%s%s", c == 5 ?
             "{\"backend\":\"ollama\",\"url\":\"http://127.0.0.1:%d\","
             "\"model\":\"sim\"" : POLICY, cases[c].cfg);
    struct th_got g;
    struct bon_err err;
    enum net_cause cause;
    CHECK_MSG(draw(cfg, sim_server_port(s), &g, &err, &cause) == 0, "%s",
              err.msg);
    for(int i = 0; i < NJOBS; i++) {
      struct buf want = BUF_INIT;
      double unused;
      expected(i, "careful", &want, &unused);
      CHECK_MSG(g.text[i] && g.reasoning[i], "case %zu item %d", c, i);
      if(!g.text[i] || !g.reasoning[i])
        continue;
      if(cases[c].final_empty) {
        /* the thinking ran out of tokens: no final text, stored as such */
        CHECK_STR(g.text[i], "");
        CHECK(strstr(g.reasoning[i], buf_str(&want)) != NULL);
        CHECK_STR(g.finish[i], "length");
      }
      else {
        CHECK_STR(g.text[i], buf_str(&want));
        CHECK(strstr(g.reasoning[i], "step by step") != NULL);
        CHECK_STR(g.finish[i], "stop");
      }
      CHECK(g.tokens[i] > 0);
      buf_free(&want);
    }
    th_got_free(&g);
    sim_server_stop(s);
  }
}

TEST(net_servers_max_tokens_cut_is_reported)
{
  struct sim_server_opts o;
  th_opts(&o);
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  struct th_got g;
  struct bon_err err;
  enum net_cause cause;
  CHECK(draw(POLICY ",\"max_tokens\":12}", sim_server_port(s), &g, &err,
             &cause) == 0);
  for(int i = 0; i < NJOBS; i++) {
    CHECK(g.text[i] && sim_tokens(g.text[i]) == 12);
    CHECK(g.finish[i] && !strcmp(g.finish[i], "length"));
    CHECK_INT(g.tokens[i], 12);
  }
  th_got_free(&g);
  sim_server_stop(s);
}

TEST(net_servers_loading_is_waited_for)
{
  struct sim_server_opts o;
  th_opts(&o);
  o.loading_s = 1.0;
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  /* no wait and few retries: every request gets 503 "Loading model",
   * which counts toward abort_after: the run stops, nothing permanent */
  struct th_got g;
  struct bon_err err;
  enum net_cause cause;
  CHECK(draw(POLICY ",\"ready_timeout_s\":0,\"abort_after\":3,"
             "\"in_flight\":1}", sim_server_port(s), &g, &err,
             &cause) == -1);
  CHECK_INT(cause, NET_CAUSE_TRANSPORT);
  CHECK_MSG(strstr(err.msg, "Loading model") && strstr(err.msg, "in a row"),
            "%s", err.msg);
  for(int i = 0; i < NJOBS; i++)
    CHECK(!g.text[i] && (!g.error[i] || !g.permanent[i]));
  th_got_free(&g);
  /* with the wait (the default): everything is drawn */
  double t0 = th_now();
  CHECK(draw(POLICY "}", sim_server_port(s), &g, &err, &cause) == 0);
  CHECK(th_now() - t0 < 10);
  for(int i = 0; i < NJOBS; i++)
    CHECK(g.text[i] != NULL);
  th_got_free(&g);
  sim_server_stop(s);
}

TEST(net_servers_backend_error_retried_once)
{
  struct sim_server_opts o;
  th_opts(&o);
  o.fail_424 = 1.0;
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  struct th_scored sc;
  struct bon_err err;
  enum net_cause cause;
  struct buf st = BUF_INIT;
  CHECK(score("{\"name\":\"t\",\"backend\":\"tei\",\"url\":"
              "\"http://127.0.0.1:%d\",\"batch\":10,\"retries\":5,"
              "\"backoff_s\":0.001}", sim_server_port(s), &sc, &err, &cause,
              &st) == 0);
  /* 3 requests, each tried twice (not six times), then a failure a later
   * run may retry */
  CHECK_MSG(strstr(buf_str(&st), "HTTP 424: 6") != NULL, "%s",
            buf_str(&st));
  for(int i = 0; i < NJOBS; i++)
    CHECK(sc.error[i] && !sc.permanent[i]);
  buf_free(&st);
  th_scored_free(&sc);
  sim_server_stop(s);
}

TEST(net_servers_vllm_versions)
{
  static const struct {
    const char *version;
    int ok;
  } cases[] = {
    {NULL, 1}, {"0.11.2", 1}, {"0.10.1", 1}, {"0.9.2", 0},
  };
  for(size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
    struct sim_server_opts o;
    th_opts(&o);
    o.vllm_version = cases[c].version;
    struct sim_server *s = th_serve(&o);
    if(!s)
      return;
    struct th_scored sc;
    struct bon_err err;
    enum net_cause cause;
    int rc = score("{\"name\":\"c\",\"backend\":\"vllm-classify\",\"url\":"
                   "\"http://127.0.0.1:%d\",\"model\":\"careful\"}",
                   sim_server_port(s), &sc, &err, &cause, NULL);
    if(cases[c].ok) {
      /* raw logits, as asked: the sim RM's own scores */
      CHECK_MSG(rc == 0, "%s: %s", cases[c].version, err.msg);
      for(int i = 0; i < NJOBS; i++) {
        struct buf t = BUF_INIT;
        double want;
        expected(i, "careful", &t, &want);
        CHECK_MSG(sc.score[i] == want, "%s item %d: %.17g vs %.17g",
                  cases[c].version ? cases[c].version : "current", i,
                  sc.score[i], want);
        buf_free(&t);
      }
    }
    else {
      CHECK(rc == -1 && cause == NET_CAUSE_OLD_SERVER && sc.calls == 0);
      CHECK_MSG(strstr(err.msg, "vLLM 0.9.2"), "%s", err.msg);
    }
    th_scored_free(&sc);
    /* told that the server answers raw scores, the check is skipped */
    if(!cases[c].ok) {
      CHECK(score("{\"name\":\"c\",\"backend\":\"vllm-classify\",\"url\":"
                  "\"http://127.0.0.1:%d\",\"model\":\"careful\","
                  "\"server_raw_scores\":true}", sim_server_port(s), &sc,
                  &err, &cause, NULL) == 0);
      th_scored_free(&sc);
    }
    sim_server_stop(s);
  }
}

TEST(net_servers_no_silent_truncation)
{
  struct sim_server_opts o;
  th_opts(&o);
  o.max_prompt = 60;  /* every prompt is longer */
  struct sim_server *s = th_serve(&o);
  if(!s)
    return;
  /* Ollama would cut the front of each prompt and answer 200: bonrun says
   * "truncate": false, so each one is a permanent error instead */
  struct th_got g;
  struct bon_err err;
  enum net_cause cause;
  CHECK(draw("{\"backend\":\"ollama\",\"url\":\"http://127.0.0.1:%d\","
             "\"model\":\"sim\",\"template\":\"Solve this problem, and "
             "show every step: {question}\"}", sim_server_port(s), &g, &err,
             &cause) == 0);
  for(int i = 0; i < NJOBS; i++)
    CHECK_MSG(!g.text[i] && g.error[i] && g.permanent[i] &&
              strstr(g.error[i], "exceeds the available context size"),
              "item %d: %s", i, g.error[i] ? g.error[i] : g.text[i]);
  th_got_free(&g);
  sim_server_stop(s);
}

struct notes {
  int warnings;
  char last[512];
};

static void keep_note(void *ctx, enum bon_notice_kind kind, const char *msg)
{
  struct notes *n = ctx;
  n->warnings += kind == BON_NOTICE_WARNING;
  snprintf(n->last, sizeof(n->last), "%s", msg);
}

TEST(net_servers_sglang_seed_warning)
{
  struct notes n = {0, ""};
  bon_notice_set(keep_note, &n);
  struct bon_err err;
  cJSON *sec = th_json(POLICY ",\"dialect\":\"sglang\"}", 1);
  struct policy *p = policy_open(sec, "t.json", &err);
  CHECK(p != NULL);
  CHECK_INT(n.warnings, 1);
  CHECK_MSG(strstr(n.last, "not reproducible"), "%s", n.last);
  policy_close(p);
  cJSON_Delete(sec);
  /* no seeds sent: nothing to warn about */
  sec = th_json(POLICY ",\"dialect\":\"sglang\",\"seed_mode\":\"none\"}", 1);
  p = policy_open(sec, "t.json", &err);
  CHECK(p != NULL);
  CHECK_INT(n.warnings, 1);
  policy_close(p);
  cJSON_Delete(sec);
  bon_notice_set(NULL, NULL);
}

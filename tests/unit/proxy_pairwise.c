/* Process RMs on a dataset's own steps and pairwise judges: the verdict
 * parser, the tagging of given steps, the sim RM as a process RM, the
 * simulated pairwise judge of `bonrun serve` (template split, verdict),
 * and a pairwise judge through HTTP against the in-process server. */
#include "tests/unit/test.h"
#include "net/openai.h"
#include "proxy/http_rm.h"
#include "proxy/proxy.h"
#include "proxy/sim.h"
#include "sim/judge.h"
#include "sim/rm.h"
#include "sim/server.h"
#include "util/buf.h"
#include "util/hash.h"

#include <stdlib.h>

TEST(proxy_pairwise_verdict_parser)
{
  struct bon_err err;
  double v = -1;
  const char *rx = net_pair_regex;
  CHECK(proxy_http_verdict("B is wrong at step 2.\n\n[[A]]", rx, 1, &v,
                           &err) == 0);
  CHECK_NEAR(v, 1, 0);
  CHECK(proxy_http_verdict("[[A]] looked fine, but finally [[B]]", rx, 1,
                           &v, &err) == 0);
  CHECK_NEAR(v, 0, 0);
  CHECK(proxy_http_verdict("[[A]] looked fine, but finally [[B]]", rx, 0,
                           &v, &err) == 0);
  CHECK_NEAR(v, 1, 0);
  /* no verdict, a tie, a rating: unparsable, *out untouched */
  v = 42;
  CHECK(proxy_http_verdict("Both are equally good.", rx, 1, &v, &err) < 0);
  CHECK(strstr(err.msg, "unparsable pairwise verdict") != NULL);
  CHECK(proxy_http_verdict("[[C]]", rx, 1, &v, &err) < 0);
  CHECK(proxy_http_verdict("Rating: [[7]]", rx, 1, &v, &err) < 0);
  CHECK_NEAR(v, 42, 0);
  /* a pattern whose group captures something else */
  CHECK(proxy_http_verdict("Judgement: C", "Judgement: ([A-Z])", 1, &v,
                           &err) < 0);
  CHECK(strstr(err.msg, "expected A or B") != NULL);
  CHECK(proxy_http_verdict("Judgement: B", "Judgement: ([A-Z])", 1, &v,
                           &err) == 0);
  CHECK_NEAR(v, 0, 0);
}

TEST(proxy_pairwise_parse_chat_body)
{
  struct bon_err err;
  struct proxy_http_out out[1];
  const char *ok = "{\"choices\":[{\"index\":0,\"message\":{\"role\":"
                   "\"assistant\",\"content\":\"So [[B]]\"}}]}";
  CHECK(proxy_http_parse(PROXY_HTTP_PAIR_JUDGE, ok, strlen(ok), 1, 0, 0,
                         NULL, NULL, 1, out, &err) == 0);
  CHECK(out[0].error == NULL);
  CHECK_NEAR(out[0].score, 0, 0);
  proxy_http_out_free(out, 1);
  const char *bad = "{\"choices\":[{\"index\":0,\"message\":{\"role\":"
                    "\"assistant\",\"content\":\"Rating: [[9]]\"}}]}";
  CHECK(proxy_http_parse(PROXY_HTTP_PAIR_JUDGE, bad, strlen(bad), 1, 0, 0,
                         NULL, NULL, 1, out, &err) == 0);
  CHECK(out[0].error != NULL && strstr(out[0].error, "verdict"));
  proxy_http_out_free(out, 1);
  /* the same reply to a single-answer judge is a rating */
  CHECK(proxy_http_parse(PROXY_HTTP_JUDGE, bad, strlen(bad), 1, 0, 0,
                         NULL, NULL, 1, out, &err) == 0);
  CHECK(out[0].error == NULL);
  CHECK_NEAR(out[0].score, 9, 0);
  proxy_http_out_free(out, 1);
}

TEST(proxy_tag_given_steps)
{
  struct buf b = BUF_INIT;
  const char *steps[] = {"  a = 1.\n\nstill step one ", "", " \n",
                         "b = 2."};
  /* steps are kept as given (a blank line inside one stays), trimmed, and
     empty ones dropped */
  CHECK_INT(proxy_http_tag_steps(steps, 4, "<t>", &b), 2);
  CHECK_STR(buf_str(&b), "a = 1.\n\nstill step one<t>b = 2.<t>");
  CHECK_INT(proxy_http_tag_steps(steps, 4, "<t>", NULL), 2);
  CHECK_INT(proxy_http_tag_steps(steps + 1, 2, "<t>", NULL), 0);
  /* the joined text cut at blank lines would give three steps */
  CHECK_INT(proxy_http_join_steps("a = 1.\n\nstill step one\n\nb = 2.",
                                  "\n\n", "<t>", NULL), 3);
  buf_free(&b);
}

struct got {
  double score[4];
  size_t nsteps[4];
  double steps[4][16];
  char *error[4];
  int calls;
};

static int on_got(void *ctx, const struct proxy_item *it, double score,
                  const double *steps, size_t nsteps, const char *error,
                  int permanent)
{
  (void)permanent;
  struct got *g = ctx;
  g->calls++;
  g->score[it->tag] = score;
  g->nsteps[it->tag] = nsteps;
  for(size_t k = 0; k < nsteps && k < 16; k++)
    g->steps[it->tag][k] = steps[k];
  if(error)
    g->error[it->tag] = strdup(error);
  return 0;
}

static void got_free(struct got *g)
{
  for(int i = 0; i < 4; i++)
    free(g->error[i]);
}

TEST(proxy_sim_process_rm_scores_given_steps)
{
  struct bon_err err;
  cJSON *sec = cJSON_Parse("{\"name\": \"prm\", \"preset\": \"careful\", "
                           "\"pooling\": \"steps\", \"aggregate\": "
                           "\"min\"}");
  cJSON *out = cJSON_Parse("{\"name\": \"prm\", \"preset\": \"careful\"}");
  struct proxy *p = proxy_open(sec, "t.json", "proxies[0]", &err);
  struct proxy *o = proxy_open(out, "t.json", "proxies[1]", &err);
  CHECK_MSG(p && o, "%s", err.msg);
  if(!p || !o)
    goto done;
  /* a process RM's key differs; an outcome RM keeps the old key form */
  CHECK(strcmp(proxy_cache_key(p), proxy_cache_key(o)) != 0);
  CHECK(strstr(proxy_cache_key(o), ":steps") == NULL);
  const char *steps[] = {"We have $7 \\times 8 = 56$.",
                         "So $56 + 4 = 61$.\n\nThus the answer is 61."};
  const char *joined = "We have $7 \\times 8 = 56$.\n\nSo $56 + 4 = 61$."
                       "\n\nThus the answer is 61.";
  struct proxy_item items[3] = {
    {.question = "Q", .response = joined, .tag = 0, .steps = steps,
     .nsteps = 2},
    {.question = "Q", .response = joined, .tag = 1},
    {.question = "Q", .response = " \n\n ", .tag = 2},
  };
  struct got g;
  memset(&g, 0, sizeof(g));
  CHECK(proxy_score(p, items, 3, on_got, &g, &err) == 0);
  CHECK_INT(g.calls, 3);
  /* the dataset's own two steps, not the three a re-split gives */
  CHECK_INT(g.nsteps[0], 2);
  CHECK_INT(g.nsteps[1], 3);
  struct sim_rm_params rp;
  CHECK(proxy_sim_params(p, &rp) == 0);
  double *want;
  struct buf b = BUF_INIT;
  proxy_http_tag_steps(steps, 2, NET_PRM_STEP_TAG, &b);
  size_t n = sim_rm_step_scores(&rp, buf_str(&b), NET_PRM_STEP_TAG, &want);
  CHECK_INT(n, 2);
  double mn = 1;
  for(size_t k = 0; k < n && k < 16; k++) {
    CHECK(g.steps[0][k] == want[k]);
    mn = want[k] < mn ? want[k] : mn;
  }
  CHECK(g.score[0] == mn);
  free(want);
  buf_free(&b);
  /* nothing to score: an error, not a default */
  CHECK(g.error[2] != NULL);
  CHECK(g.score[2] != g.score[2]);
  got_free(&g);
  /* the outcome RM reads the joined text and gives no steps */
  memset(&g, 0, sizeof(g));
  CHECK(proxy_score(o, items, 1, on_got, &g, &err) == 0);
  CHECK_INT(g.nsteps[0], 0);
  CHECK(g.score[0] == sim_rm_score(&rp, "Q", joined));
  got_free(&g);
done:
  proxy_close(p);
  proxy_close(o);
  cJSON_Delete(sec);
  cJSON_Delete(out);
}

/* A pairwise prompt as the judge backend builds it from the default
 * template. */
static void pair_prompt(const char *q, const char *a, const char *b,
                        struct buf *out)
{
  struct buf t = BUF_INIT;
  net_openai_fill(net_pair_template, q, NULL, &t);
  const char *p = buf_str(&t);
  const char *ma = strstr(p, "{response_a}"), *mb = strstr(p, "{response_b}");
  buf_append(out, p, (size_t)(ma - p));
  buf_puts(out, a);
  buf_append(out, ma + 12, (size_t)(mb - ma - 12));
  buf_puts(out, b);
  buf_puts(out, mb + 12);
  buf_free(&t);
}

TEST(sim_judge_split_pair_templates)
{
  const char *a, *b;
  size_t al, bl;
  struct buf p = BUF_INIT;
  pair_prompt("What is 2+2?", "It is 4.\n\nSo 4.", "It is 5.", &p);
  CHECK(sim_judge_split_pair(net_pair_template, buf_str(&p), &a, &al, &b,
                             &bl) == 0);
  CHECK(al == 15 && !strncmp(a, "It is 4.\n\nSo 4.", al));
  CHECK(bl == 8 && !strncmp(b, "It is 5.", bl));
  /* responses first, question last; markers in any order */
  CHECK(sim_judge_split_pair("B: {response_b} | A: {response_a} | "
                             "{question}", "B: no | A: yes | why", &a, &al,
                             &b, &bl) == 0);
  CHECK(al == 3 && !strncmp(a, "yes", 3));
  CHECK(bl == 2 && !strncmp(b, "no", 2));
  /* not a pairwise prompt, or not this template */
  CHECK(sim_judge_split_pair(net_pair_template, "plain text", &a, &al, &b,
                             &bl) < 0);
  CHECK(sim_judge_split_pair(net_judge_template, buf_str(&p), &a, &al, &b,
                             &bl) < 0);
  CHECK(sim_judge_split_pair(NULL, buf_str(&p), &a, &al, &b, &bl) < 0);
  /* adjacent markers cannot be told apart */
  CHECK(sim_judge_split_pair("{response_a}{response_b}", "xy", &a, &al, &b,
                             &bl) < 0);
  buf_free(&p);
}

TEST(sim_judge_reply_verdict_and_rating)
{
  struct sim_rm_params rp;
  sim_rm_preset("careful", &rp);
  rp.id = hash_str(HASH_INIT, "careful");
  const char *good = "We have $7 \\times 8 = 56$, so the answer is 56.";
  const char *bad = "We have $7 \\times 8 = 54$, so the answer is 54.";
  double sg = sim_rm_score(&rp, "", good), sb = sim_rm_score(&rp, "", bad);
  struct buf p = BUF_INIT, out = BUF_INIT;
  for(int swap = 0; swap < 2; swap++) {
    buf_reset(&p);
    buf_reset(&out);
    pair_prompt("Q?", swap ? bad : good, swap ? good : bad, &p);
    sim_judge_reply(&rp, net_judge_template, net_pair_template, buf_str(&p),
                    &out);
    int want_a = swap ? sb >= sg : sg >= sb;
    CHECK_MSG(strstr(buf_str(&out), want_a ? "[[A]]" : "[[B]]") != NULL,
              "swap %d: %s", swap, buf_str(&out));
  }
  /* a single-answer prompt still gets a rating of the response */
  buf_reset(&p);
  buf_reset(&out);
  net_openai_fill(net_judge_template, "Q?", NULL, &p);
  struct buf filled = BUF_INIT;
  const char *m = strstr(buf_str(&p), "{response}");
  buf_append(&filled, buf_str(&p), (size_t)(m - buf_str(&p)));
  buf_puts(&filled, good);
  buf_puts(&filled, m + 10);
  sim_judge_reply(&rp, net_judge_template, net_pair_template,
                  buf_str(&filled), &out);
  char want[64];
  snprintf(want, sizeof(want), "Rating: [[%.17g]]", sg);
  CHECK_MSG(strstr(buf_str(&out), want) != NULL, "%s", buf_str(&out));
  buf_free(&filled);
  buf_free(&p);
  buf_free(&out);
}

TEST(proxy_pairwise_judge_over_http)
{
  struct sim_server_opts o;
  sim_server_opts_init(&o);
  o.rm_template = net_rm_template;
  o.judge_template = net_judge_template;
  o.pair_template = net_pair_template;
  o.step_tag = net_prm_step_tag;
  struct bon_err err;
  struct sim_server *s = sim_server_start(&o, &err);
  CHECK_MSG(s != NULL, "%s", err.msg);
  if(!s)
    return;
  char text[512];
  snprintf(text, sizeof(text), "{\"name\": \"ab\", \"backend\": \"judge\", "
           "\"model\": \"careful\", \"pairwise\": true, \"url\": "
           "\"http://127.0.0.1:%d\", \"retries\": 0}", sim_server_port(s));
  cJSON *sec = cJSON_Parse(text);
  struct proxy *p = proxy_open(sec, "t.json", "proxies[0]", &err);
  CHECK_MSG(p != NULL, "%s", err.msg);
  if(p) {
    CHECK(proxy_pairwise(p) == 1);
    /* the defaults are written into the resolved section */
    CHECK(strstr(cJSON_GetStringValue(cJSON_GetObjectItem(sec, "template")),
                 "{response_b}") != NULL);
    const char *good = "We have $7 \\times 8 = 56$, so the answer is 56.";
    const char *bad = "We have $7 \\times 8 = 54$, so the answer is 54.";
    struct proxy_item items[3] = {
      {.question = "Q?", .response = good, .tag = 0, .response_b = bad},
      {.question = "Q?", .response = bad, .tag = 1, .response_b = good},
      {.question = "Q?", .response = good, .tag = 2},
    };
    struct got g;
    memset(&g, 0, sizeof(g));
    CHECK(proxy_score(p, items, 3, on_got, &g, &err) == 0);
    CHECK_INT(g.calls, 3);
    struct sim_rm_params rp;
    sim_rm_preset("careful", &rp);
    rp.id = hash_str(HASH_INIT, "careful");
    double sg = sim_rm_score(&rp, "", good), sb = sim_rm_score(&rp, "", bad);
    CHECK(g.error[0] == NULL && g.score[0] == (sg >= sb));
    CHECK(g.error[1] == NULL && g.score[1] == (sb >= sg));
    /* one solution: the item's error, never sent */
    CHECK(g.error[2] != NULL && strstr(g.error[2], "two solutions"));
    got_free(&g);
    proxy_close(p);
  }
  cJSON_Delete(sec);
  /* a pairwise template must show both solutions; no rating bounds */
  static const char *const bad_cfg[][2] = {
    {"{\"name\": \"ab\", \"backend\": \"judge\", \"model\": \"m\", "
     "\"pairwise\": true, \"url\": \"http://127.0.0.1:1\", \"template\": "
     "\"{question} {response}\"}", "{response_a} and {response_b}"},
    {"{\"name\": \"ab\", \"backend\": \"judge\", \"model\": \"m\", "
     "\"pairwise\": true, \"url\": \"http://127.0.0.1:1\", \"rating_max\": "
     "10}", "do not apply to a pairwise judge"},
  };
  for(size_t i = 0; i < 2; i++) {
    cJSON *j = cJSON_Parse(bad_cfg[i][0]);
    struct proxy *q = proxy_open(j, "t.json", "proxies[0]", &err);
    CHECK(q == NULL);
    CHECK_MSG(q || strstr(err.msg, bad_cfg[i][1]), "%s", err.msg);
    proxy_close(q);
    cJSON_Delete(j);
  }
  sim_server_stop(s);
}

/* Unit tests of the pure pieces of net/, policy/http and proxy/http_rm:
 * Retry-After, backoff, error envelopes, URL handling, and the parsing of
 * every response and error body of the reference serving examples
 * (net/testdata; their sources in net/testdata/README.md). */
#include "tests/unit/test.h"
#include "net/client.h"
#include "net/openai.h"
#include "sim/server.h"
#include "policy/http.h"
#include "proxy/http_rm.h"
#include "proxy/sim.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdlib.h>
#include <time.h>

static char *example(const char *name, size_t *len)
{
  struct bon_err err;
  char path[256];
  snprintf(path, sizeof(path), "net/testdata/%s", name);
  char *s = fs_read_file(path, len, &err);
  CHECK_MSG(s != NULL, "%s", err.msg);
  return s;
}

TEST(net_retry_after_seconds_and_dates)
{
  time_t now = 1000;
  CHECK_NEAR(net_retry_after("120", now), 120, 0);
  CHECK_NEAR(net_retry_after("  7 ", now), 7, 0);
  CHECK_NEAR(net_retry_after("0", now), 0, 0);
  CHECK_NEAR(net_retry_after("1.5", now), 1.5, 0);
  CHECK(net_retry_after("-3", now) < 0);
  CHECK(net_retry_after("soon", now) < 0);
  CHECK(net_retry_after("", now) < 0);
  CHECK(net_retry_after("12abc", now) < 0);
  CHECK(net_retry_after(NULL, now) < 0);
  /* 1994-11-06 08:49:37 UTC, computed independently with timegm */
  struct tm tm = {0};
  tm.tm_year = 94;
  tm.tm_mon = 10;
  tm.tm_mday = 6;
  tm.tm_hour = 8;
  tm.tm_min = 49;
  tm.tm_sec = 37;
  time_t t = timegm(&tm);
  CHECK_NEAR(net_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", t - 30), 30,
             0);
  CHECK_NEAR(net_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", t - 45), 45,
             0);
  CHECK_NEAR(net_retry_after("Sun Nov  6 08:49:37 1994", t - 5), 5, 0);
  /* a date in the past means "now" */
  CHECK_NEAR(net_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", t + 99), 0, 0);
  CHECK(net_retry_after("Sun, 32 Nov 1994 08:49:37 GMT", t) < 0);
  CHECK(net_retry_after("Sun, 06 Foo 1994 08:49:37 GMT", t) < 0);
  CHECK(net_retry_after("Sun, 06 Nov 1994 08:49:37 CET", t) < 0);
  /* leap day, and a date after 2038 */
  tm.tm_year = 124;
  tm.tm_mon = 1;
  tm.tm_mday = 29;
  tm.tm_hour = 23;
  tm.tm_min = 59;
  tm.tm_sec = 59;
  t = timegm(&tm);
  CHECK_NEAR(net_retry_after("Thu, 29 Feb 2024 23:59:59 GMT", t - 1), 1, 0);
  tm.tm_year = 150;
  tm.tm_mon = 0;
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  t = timegm(&tm);
  CHECK_NEAR(net_retry_after("Sat, 01 Jan 2050 00:00:00 GMT", t - 2), 2, 0);
}

TEST(net_backoff_schedule)
{
  for(int k = 0; k < 12; k++) {
    double ceil = 0.5;
    for(int i = 0; i < k; i++)
      ceil *= 2;
    if(ceil > 30)
      ceil = 30;
    CHECK_NEAR(net_backoff(k, 0.5, 30, 0.999999), ceil * 0.999999, 1e-12);
    CHECK_NEAR(net_backoff(k, 0.5, 30, 0.25), ceil * 0.25, 1e-12);
    CHECK_NEAR(net_backoff(k, 0.5, 30, 0), 0, 0);
  }
  CHECK_NEAR(net_backoff(1000, 0.5, 30, 0.5), 15, 1e-12);
  CHECK_NEAR(net_backoff(-1, 0.5, 30, 1), 0.5, 1e-12);
}

/* The classification table (net/client.c, net/README.md) against the
 * real error bodies: each body as its server sends it, with its status. */
TEST(net_classify_example_bodies)
{
  static const struct {
    const char *file;
    long status;
    enum net_class cls;
    enum net_cause cause;
  } cases[] = {
    /* item-level: the input is longer than the context */
    {"openai_error_400_context_length.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"vllm_error_400_context_v0.10.1_and_later.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"vllm_error_400_context_before_v0.10.1.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"vllm_error_400_context_v1_engine.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"vllm_error_400_max_tokens_too_large.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"sglang_error_400_context.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"sglang_error_400_input_longer.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"llamacpp_error_400_context.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"llamacpp_error_500_context_exceeded.json", 500, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"tgi_error_422_validation.json", 422, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"tei_error_422_input_too_long.json", 422, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"ollama_error_400_context.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"ollama_error_400_embed_context.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_CONTEXT},
    {"tei_error_400_empty.json", 400, NET_CLASS_ITEM,
     NET_CAUSE_EMPTY_INPUT},
    /* request-level: stop the run, record nothing */
    {"tei_error_422_batch_size.json", 422, NET_CLASS_REQUEST,
     NET_CAUSE_BATCH_SIZE},
    {"llamacpp_error_400_n_cmpl.json", 400, NET_CLASS_REQUEST,
     NET_CAUSE_N_LIMIT},
    {"llamacpp_error_n_unsupported_older_builds.json", 500,
     NET_CLASS_REQUEST, NET_CAUSE_SINGLE_CHOICE},
    {"openai_error_429_insufficient_quota.json", 429, NET_CLASS_REQUEST,
     NET_CAUSE_QUOTA},
    {"openai_error_400_unsupported_parameter.json", 400, NET_CLASS_REQUEST,
     NET_CAUSE_PARAM},
    {"openai_error_400_unsupported_value.json", 400, NET_CLASS_REQUEST,
     NET_CAUSE_PARAM},
    {"openai_error_400_unrecognized_argument.json", 400, NET_CLASS_REQUEST,
     NET_CAUSE_PARAM},
    {"vllm_error_404_model.json", 404, NET_CLASS_REQUEST,
     NET_CAUSE_NOT_FOUND},
    {"ollama_error_404.json", 404, NET_CLASS_REQUEST, NET_CAUSE_NOT_FOUND},
    {"vllm_error_405.json", 405, NET_CLASS_REQUEST, NET_CAUSE_METHOD},
    {"llamacpp_error_401.json", 401, NET_CLASS_REQUEST, NET_CAUSE_AUTH},
    /* transient */
    {"openai_error_429_rate_limit.json", 429, NET_CLASS_RETRY,
     NET_CAUSE_RATE},
    {"tei_error_429_overloaded.json", 429, NET_CLASS_RETRY, NET_CAUSE_RATE},
    {"tgi_error_429_overloaded.json", 429, NET_CLASS_RETRY, NET_CAUSE_RATE},
    {"llamacpp_error_503_loading.json", 503, NET_CLASS_RETRY,
     NET_CAUSE_UNAVAILABLE},
    {"ollama_error_503_queue_full.json", 503, NET_CLASS_RETRY,
     NET_CAUSE_UNAVAILABLE},
    {"tei_error_424_backend.json", 424, NET_CLASS_RETRY_ONCE,
     NET_CAUSE_BACKEND},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    size_t len;
    char *body = example(cases[i].file, &len);
    if(!body)
      continue;
    struct buf m = BUF_INIT;
    net_error_message(body, len, &m);
    struct net_verdict v = net_classify(cases[i].status, buf_str(&m));
    CHECK_MSG(v.cls == cases[i].cls && v.cause == cases[i].cause,
              "%s (HTTP %ld, \"%s\"): class %d cause %s, expected class "
              "%d cause %s", cases[i].file, cases[i].status, buf_str(&m),
              v.cls, net_cause_name(v.cause), cases[i].cls,
              net_cause_name(cases[i].cause));
    buf_free(&m);
    free(body);
  }
  /* statuses without a telling body */
  static const struct {
    long status;
    const char *msg;
    enum net_class cls;
    enum net_cause cause;
  } bare[] = {
    {200, "", NET_CLASS_OK, NET_CAUSE_NONE},
    {204, NULL, NET_CLASS_OK, NET_CAUSE_NONE},
    {301, "Moved", NET_CLASS_REQUEST, NET_CAUSE_REDIRECT},
    {400, "something else", NET_CLASS_REQUEST, NET_CAUSE_OTHER_4XX},
    {403, "", NET_CLASS_REQUEST, NET_CAUSE_AUTH},
    {413, "(empty body)", NET_CLASS_REQUEST, NET_CAUSE_TOO_LARGE},
    {418, "", NET_CLASS_REQUEST, NET_CAUSE_OTHER_4XX},
    {408, "", NET_CLASS_RETRY, NET_CAUSE_RATE},
    {409, "", NET_CLASS_RETRY, NET_CAUSE_RATE},
    {425, "", NET_CLASS_RETRY, NET_CAUSE_RATE},
    {500, "boom", NET_CLASS_RETRY, NET_CAUSE_SERVER},
    {502, "", NET_CLASS_RETRY, NET_CAUSE_UNAVAILABLE},
    {504, "", NET_CLASS_RETRY, NET_CAUSE_UNAVAILABLE},
    {599, "", NET_CLASS_RETRY, NET_CAUSE_SERVER},
    {100, "", NET_CLASS_REQUEST, NET_CAUSE_OTHER_4XX},
    /* case does not matter; a context wording wins over the status */
    {422, "MAXIMUM CONTEXT LENGTH is 10", NET_CLASS_ITEM, NET_CAUSE_CONTEXT},
    {400, "Only one completion choice is allowed", NET_CLASS_REQUEST,
     NET_CAUSE_SINGLE_CHOICE},
  };
  for(size_t i = 0; i < sizeof(bare) / sizeof(bare[0]); i++) {
    struct net_verdict v = net_classify(bare[i].status, bare[i].msg);
    CHECK_MSG(v.cls == bare[i].cls && v.cause == bare[i].cause,
              "HTTP %ld \"%s\": class %d cause %s", bare[i].status,
              bare[i].msg ? bare[i].msg : "(null)", v.cls,
              net_cause_name(v.cause));
  }
}

TEST(net_status_classes)
{
  static const long retry[] = {408, 409, 425, 429, 500, 502, 503, 504, 524};
  static const long perm[] = {200, 400, 401, 403, 404, 413, 422, 499};
  for(size_t i = 0; i < sizeof(retry) / sizeof(retry[0]); i++)
    CHECK_MSG(net_classify(retry[i], "").cls == NET_CLASS_RETRY, "%ld",
              retry[i]);
  for(size_t i = 0; i < sizeof(perm) / sizeof(perm[0]); i++)
    CHECK_MSG(net_classify(perm[i], "").cls != NET_CLASS_RETRY, "%ld",
              perm[i]);
}

TEST(net_base_urls)
{
  struct bon_err err;
  static const char *const in[][2] = {
    {"http://127.0.0.1:8000", "http://127.0.0.1:8000"},
    {"http://127.0.0.1:8000/", "http://127.0.0.1:8000"},
    {"http://127.0.0.1:8000/v1", "http://127.0.0.1:8000"},
    {"https://api.openai.com/v1/", "https://api.openai.com"},
    {"http://gw/openai/v1", "http://gw/openai"},
    {"http://h/v1x", "http://h/v1x"},
  };
  for(size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
    char *b = net_base_url(in[i][0], &err);
    CHECK_STR(b, in[i][1]);
    free(b);
  }
  CHECK(net_base_url("ftp://x", &err) == NULL);
  CHECK(net_base_url("http://", &err) == NULL);
  CHECK(net_base_url("127.0.0.1:8000", &err) == NULL);
  CHECK(net_base_url("http://a b", &err) == NULL);
}

/* Every error body of the examples: the message comes out, and context
 * overflows are told apart from the rest. */
TEST(net_error_envelopes)
{
  static const struct {
    const char *file, *needle;
    int context;
  } cases[] = {
    {"openai_error_400_context_length.json", "maximum context length", 1},
    {"openai_error_429_rate_limit.json", "Rate limit reached", 0},
    {"vllm_error_400_context_v0.10.1_and_later.json",
     "maximum context length is 4096", 1},
    {"vllm_error_400_context_before_v0.10.1.json",
     "maximum context length is 4096", 1},
    {"sglang_error_400_context.json", "Requested token count exceeds", 1},
    {"llamacpp_error_400_context.json", "exceeds the available context", 1},
    {"llamacpp_error_503_loading.json", "Loading model", 0},
    {"llamacpp_error_n_unsupported_older_builds.json",
     "Only one completion choice", 0},
    {"tgi_error_422_validation.json", "must be <= 4096", 1},
    {"tgi_error_429_overloaded.json", "Model is overloaded", 0},
    {"tei_error_429_overloaded.json", "Model is overloaded", 0},
    {"tei_error_422_batch_size.json", "batch size 64", 0},
    {"tei_error_422_input_too_long.json", "must have less than 512", 1},
    {"vllm_error_400_context_v1_engine.json", "longer than the maximum", 1},
    {"ollama_error_400_context.json", "exceeds the available context", 1},
    {"ollama_error_400_embed_context.json", "exceeds the context length",
     1},
    {"sglang_error_400_input_longer.json", "longer than the model's", 1},
    {"openai_error_429_insufficient_quota.json", "[insufficient_quota]", 0},
    {"ollama_error_404.json", "not found, try pulling", 0},
    {"ollama_error_503_queue_full.json", "server busy", 0},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    size_t len;
    char *body = example(cases[i].file, &len);
    if(!body)
      continue;
    struct buf m = BUF_INIT;
    net_error_message(body, len, &m);
    CHECK_MSG(strstr(buf_str(&m), cases[i].needle) != NULL, "%s: \"%s\"",
              cases[i].file, buf_str(&m));
    CHECK_MSG((net_classify(400, buf_str(&m)).cause == NET_CAUSE_CONTEXT) ==
              cases[i].context,
              "%s: context %d", cases[i].file, cases[i].context);
    buf_free(&m);
    free(body);
  }
  struct buf m = BUF_INIT;
  net_error_message("<html>Bad Gateway</html>", 24, &m);
  CHECK_STR(buf_str(&m), "<html>Bad Gateway</html>");
  buf_reset(&m);
  net_error_message("", 0, &m);
  CHECK_STR(buf_str(&m), "(empty body)");
  buf_free(&m);
}

static void check_texts(const char *file, enum net_gen_kind kind,
                        size_t n, const char *const *want, size_t trunc)
{
  size_t len;
  char *body = example(file, &len);
  if(!body)
    return;
  struct net_completion c[8];
  struct bon_err err;
  int rc = net_openai_parse(kind, body, len, n, c, &err);
  CHECK_MSG(rc == 0, "%s: %s", file, err.msg);
  if(!rc) {
    size_t nt = 0;
    for(size_t i = 0; i < n; i++) {
      CHECK_STR(c[i].text, want[i]);
      CHECK(c[i].reasoning == NULL);
      nt += net_completion_truncated(&c[i]);
      net_completion_free(&c[i]);
    }
    CHECK_INT(nt, trunc);
  }
  /* asking for a different count is an error, never a partial result */
  CHECK(net_openai_parse(kind, body, len, n + 1, c, &err) < 0);
  free(body);
}

TEST(net_parse_generation_examples)
{
  static const char *const vllm[] = {
    "17×23 = 391. The answer is \\boxed{391}.",
    "17×23 = 17×20 + 17×3 = 340 + 51 = \\boxed{391}",
    "17×23 = 391, so \\boxed{391}.",
    "17×23 ... \\boxed{391}",
  };
  check_texts("vllm_completions.response.json", NET_GEN_COMPLETIONS, 4,
              vllm, 0);
  static const char *const legacy[] = {" 391", " 391."};
  check_texts("openai_completions_legacy.response.json",
              NET_GEN_COMPLETIONS, 2, legacy, 0);
  static const char *const chat[] = {"391", "17*23 = 391"};
  check_texts("openai_chat_completions.response.json", NET_GEN_CHAT, 2,
              chat, 0);
  static const char *const vchat[] = {"391", "391"};
  check_texts("vllm_chat_completions.response.json", NET_GEN_CHAT, 2,
              vchat, 0);
  static const char *const oll[] = {"17×23 = 391. The answer is "
                                    "\\boxed{391}."};
  check_texts("ollama_generate.response.json", NET_GEN_OLLAMA, 1, oll,
              0);
  /* bodies of endpoints bonrun does not call are refused cleanly */
  static const char *const other[] = {
    "llamacpp_completion_native.response.json",
    "tgi_generate.response.json", "sglang_generate_native.response.json",
    "llamacpp_rerank.response.json", "tei_rerank.response.json",
    "vllm_classify_skywork_rm.response.json",
  };
  for(size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
    size_t len;
    char *body = example(other[i], &len);
    struct net_completion t[1];
    struct bon_err err;
    for(int k = 0; k < 3 && body; k++)
      CHECK_MSG(net_openai_parse((enum net_gen_kind)k, body, len, 1, t,
                                  &err) < 0, "%s kind %d", other[i], k);
    free(body);
  }
}

TEST(net_parse_generation_edge_cases)
{
  struct net_completion t[3];
  struct bon_err err;
  /* out of order: matched by index, not position; one stopped at length */
  const char *b = "{\"choices\":[{\"index\":2,\"text\":\"c\"},{\"index\":0,"
                  "\"text\":\"a\",\"finish_reason\":\"length\"},{\"index\":1,"
                  "\"text\":\"b\"}],\"usage\":{\"completion_tokens\":9}}";
  CHECK(net_openai_parse(NET_GEN_COMPLETIONS, b, strlen(b), 3, t,
                          &err) == 0);
  CHECK_STR(t[0].text, "a");
  CHECK_STR(t[1].text, "b");
  CHECK_STR(t[2].text, "c");
  CHECK(net_completion_truncated(&t[0]) && !net_completion_truncated(&t[1]));
  /* usage counts all choices: no per-completion count for n > 1 */
  CHECK_INT(t[0].tokens, -1);
  for(int i = 0; i < 3; i++)
    net_completion_free(&t[i]);
  static const char *const bad[] = {
    "{\"choices\":[{\"index\":0,\"text\":\"a\"},{\"index\":0,\"text\":\"b\"}]}",
    "{\"choices\":[{\"index\":5,\"text\":\"a\"},{\"index\":0,\"text\":\"b\"}]}",
    "{\"choices\":[{\"index\":0,\"text\":null},{\"index\":1,\"text\":\"b\"}]}",
    "{\"choices\":[{\"text\":\"a\"},{\"index\":1,\"text\":\"b\"}]}",
    "{\"choices\":{}}", "{\"id\":\"cmpl-broken\",\"choices\":[{\"index\":0,\"te",
    "", "null", "[]",
  };
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    CHECK_MSG(net_openai_parse(NET_GEN_COMPLETIONS, bad[i],
                                strlen(bad[i]), 2, t, &err) < 0,
              "accepted %s", bad[i]);
  /* chat content null: an empty final text, not an error */
  const char *chatnull = "{\"choices\":[{\"index\":0,\"message\":{\"role\":"
                         "\"assistant\",\"content\":null},\"finish_reason\":"
                         "\"stop\"}],\"usage\":{\"completion_tokens\":0}}";
  CHECK(net_openai_parse(NET_GEN_CHAT, chatnull, strlen(chatnull), 1, t,
                          &err) == 0);
  CHECK_STR(t[0].text, "");
  CHECK(t[0].reasoning == NULL);
  CHECK_STR(t[0].finish, "stop");
  CHECK_INT(t[0].tokens, 0);
  net_completion_free(&t[0]);
  const char *chatnum = "{\"choices\":[{\"index\":0,\"message\":{\"role\":"
                        "\"assistant\",\"content\":5}}]}";
  CHECK(net_openai_parse(NET_GEN_CHAT, chatnum, strlen(chatnum), 1, t,
                          &err) < 0);
  const char *oerr = "{\"error\":\"model not found\"}";
  CHECK(net_openai_parse(NET_GEN_OLLAMA, oerr, strlen(oerr), 1, t,
                          &err) < 0);
  CHECK(strstr(err.msg, "model not found") != NULL);
}

/* Reasoning models: every shape of docs/serving.md, "Reasoning models",
 * from the example bodies in net/testdata. */
TEST(net_parse_reasoning_examples)
{
  static const struct {
    const char *file;
    enum net_gen_kind kind;
    const char *text, *reasoning, *finish;
    long tokens;
  } cases[] = {
    {"vllm_chat_reasoning_content.response.json", NET_GEN_CHAT,
     "The answer is \\boxed{391}.", "17 times 23: 17 times 20 is 340, plus "
     "51 is 391.", "stop", 42},
    {"vllm_chat_reasoning_content_null.response.json", NET_GEN_CHAT, "",
     "17 times 23: 17 times 20 is 340, plus", "length", 16},
    {"vllm_chat_reasoning_field.response.json", NET_GEN_CHAT,
     "The answer is \\boxed{391}.", "17 times 23 is 391.", "stop", 20},
    {"vllm_completions_think_tags.response.json", NET_GEN_COMPLETIONS,
     "The answer is \\boxed{391}.", "\n17 times 23 is 391.\n", "stop", 19},
    {"ollama_generate_thinking.response.json", NET_GEN_OLLAMA,
     "The answer is \\boxed{391}.", "17 times 23 is 391.", "stop", 21},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    size_t len;
    char *body = example(cases[i].file, &len);
    if(!body)
      continue;
    struct net_completion c;
    struct bon_err err;
    int rc = net_openai_parse(cases[i].kind, body, len, 1, &c, &err);
    CHECK_MSG(rc == 0, "%s: %s", cases[i].file, err.msg);
    if(!rc) {
      CHECK_STR(c.text, cases[i].text);
      CHECK_STR(c.reasoning, cases[i].reasoning);
      CHECK_STR(c.finish, cases[i].finish);
      CHECK_MSG(c.tokens == cases[i].tokens, "%s: %ld tokens",
                cases[i].file, c.tokens);
      net_completion_free(&c);
    }
    free(body);
  }
}

TEST(net_split_think_forms)
{
  static const struct {
    const char *in, *final, *reasoning;
  } cases[] = {
    {"<think>a</think>b", "b", "a"},
    {"  \n<think>\nplan\n</think>\n\nThe answer is 4.", "The answer is 4.",
     "\nplan\n"},
    {"<think>cut off at max_tokens", "", "cut off at max_tokens"},
    /* the chat template opened the tag: only the closing one is there */
    {"plan here</think>\n\n4", "4", "plan here"},
    {"no tags at all", "no tags at all", NULL},
    {"text <think>later</think> more", "text <think>later</think> more",
     NULL},
    {"", "", NULL},
    {"<think></think>", "", ""},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *f, *r;
    net_split_think(cases[i].in, &f, &r);
    CHECK_STR(f, cases[i].final);
    if(cases[i].reasoning)
      CHECK_STR(r, cases[i].reasoning);
    else
      CHECK_MSG(r == NULL, "case %zu: reasoning \"%s\"", i, r);
    /* the full text rebuilt from the parts splits back into them */
    struct buf b = BUF_INIT;
    net_join_reasoning(r, f, &b);
    char *f2, *r2;
    net_split_think(buf_str(&b), &f2, &r2);
    CHECK_STR(f2, f);
    CHECK((r == NULL) == (r2 == NULL) && (!r || !strcmp(r, r2)));
    free(f);
    free(r);
    free(f2);
    free(r2);
    buf_free(&b);
  }
}

TEST(net_template_fill)
{
  struct buf b = BUF_INIT;
  net_openai_fill("<s>{system}|Q: {question}\nA:{x}", "2+2?", "Be brief.",
                   &b);
  CHECK_STR(buf_str(&b), "<s>Be brief.|Q: 2+2?\nA:{x}");
  buf_reset(&b);
  /* a question holding a placeholder is not expanded again */
  net_openai_fill("{question}{question}", "{system}", NULL, &b);
  CHECK_STR(buf_str(&b), "{system}{system}");
  buf_free(&b);
}

static void check_scores(const char *file, enum proxy_http_kind kind,
                         size_t n, int label, const double *want)
{
  size_t len;
  char *body = example(file, &len);
  if(!body)
    return;
  struct proxy_http_out out[4];
  struct bon_err err;
  int rc = proxy_http_parse(kind, body, len, n, label, 0, "min", NULL, 1,
                            out, &err);
  CHECK_MSG(rc == 0, "%s: %s", file, err.msg);
  if(!rc) {
    for(size_t i = 0; i < n; i++) {
      CHECK_MSG(out[i].error == NULL, "%s[%zu]: %s", file, i, out[i].error);
      CHECK_NEAR(out[i].score, want[i], 0);
    }
    proxy_http_out_free(out, n);
  }
  CHECK(proxy_http_parse(kind, body, len, n + 1, label, 0, "min", NULL, 1,
                         out, &err) < 0);
  free(body);
}

TEST(net_parse_rm_examples)
{
  static const double sky[] = {7.40625, -3.2421875};
  check_scores("vllm_classify_skywork_rm.response.json",
               PROXY_HTTP_VLLM_CLASSIFY, 2, 0, sky);
  check_scores("sglang_classify_native.response.json", PROXY_HTTP_SGLANG, 2,
               0, sky);
  check_scores("sglang_v1_classify.response.json", PROXY_HTTP_VLLM_CLASSIFY,
               1, 0, sky);
  static const double tei[] = {2.71, -1.35};
  check_scores("tei_predict.response.json", PROXY_HTTP_TEI, 2, 0, tei);
  static const double last[] = {4.71};
  check_scores("vllm_pooling_outcome_rm_qwen2.5-math-rm.response.json",
               PROXY_HTTP_VLLM_POOLING, 1, 0, last);
  check_scores("vllm_pooling_prm_qwen2.5-math-prm.response.json",
               PROXY_HTTP_VLLM_POOLING, 1, -1, (const double[]){0.9792});

  /* the PRM: one step score per row, column 1 = p(good), then folded */
  size_t len;
  char *body = example("vllm_pooling_prm_qwen2.5-math-prm.response.json",
                       &len);
  static const double steps[] = {0.9877, 0.9689, 0.9792};
  static const char *const aggs[] = {"min", "max", "mean", "prod", "sum",
                                     "last", "first", "geometric_mean"};
  const double want[] = {
    0.9689, 0.9877, (0.9877 + 0.9689 + 0.9792) / 3,
    0.9877 * 0.9689 * 0.9792, 0.9877 + 0.9689 + 0.9792, 0.9792, 0.9877,
    cbrt(0.9877 * 0.9689 * 0.9792),
  };
  for(size_t a = 0; body && a < 8; a++) {
    struct proxy_http_out out[1];
    struct bon_err err;
    CHECK(proxy_http_parse(PROXY_HTTP_VLLM_POOLING, body, len, 1, 1, 1,
                           aggs[a], NULL, 1, out, &err) == 0);
    CHECK_INT(out[0].nsteps, 3);
    for(size_t i = 0; i < 3 && out[0].nsteps == 3; i++)
      CHECK_NEAR(out[0].steps[i], steps[i], 0);
    CHECK_MSG(fabs(out[0].score - want[a]) < 1e-12, "%s: %.17g vs %.17g",
              aggs[a], out[0].score, want[a]);
    proxy_http_out_free(out, 1);
  }
  free(body);
  /* TEI's single-pair shape is not the batch shape bonrun asks for */
  body = example("tei_predict_pair.response.json", &len);
  struct proxy_http_out out[1];
  struct bon_err err;
  CHECK(body && proxy_http_parse(PROXY_HTTP_TEI, body, len, 1, 0, 0, "min",
                                 NULL, 1, out, &err) < 0);
  free(body);
  /* a label column that is not there: a per-item error, not a number */
  const char *b = "{\"data\":[{\"index\":0,\"probs\":[1.5]}]}";
  CHECK(proxy_http_parse(PROXY_HTTP_VLLM_CLASSIFY, b, strlen(b), 1, 3, 0,
                         "min", NULL, 1, out, &err) == 0);
  CHECK(out[0].error != NULL);
  proxy_http_out_free(out, 1);
  /* TEI with several labels picks LABEL_k, not the first (sorted) one */
  b = "[[{\"score\":0.9,\"label\":\"LABEL_1\"},"
      "{\"score\":0.1,\"label\":\"LABEL_0\"}]]";
  CHECK(proxy_http_parse(PROXY_HTTP_TEI, b, strlen(b), 1, 0, 0, "min", NULL,
                         1, out, &err) == 0);
  CHECK_NEAR(out[0].score, 0.1, 0);
  proxy_http_out_free(out, 1);
}

TEST(net_aggregate_against_brute_force)
{
  double v[6] = {0.5, 0.25, 0.9, 0.75, 0.125, 0.6};
  for(size_t n = 1; n <= 6; n++) {
    double mn = 1e9, mx = -1e9, s = 0, p = 1, out;
    for(size_t i = 0; i < n; i++) {
      mn = v[i] < mn ? v[i] : mn;
      mx = v[i] > mx ? v[i] : mx;
      s += v[i];
      p *= v[i];
    }
    CHECK(proxy_http_aggregate("min", v, n, &out) == 0 && out == mn);
    CHECK(proxy_http_aggregate("max", v, n, &out) == 0 && out == mx);
    CHECK(proxy_http_aggregate("sum", v, n, &out) == 0 &&
          fabs(out - s) < 1e-15);
    CHECK(proxy_http_aggregate("mean", v, n, &out) == 0 &&
          fabs(out - s / n) < 1e-15);
    CHECK(proxy_http_aggregate("prod", v, n, &out) == 0 &&
          fabs(out - p) < 1e-15);
    CHECK(proxy_http_aggregate("geometric_mean", v, n, &out) == 0 &&
          fabs(out - pow(p, 1.0 / n)) < 1e-12);
    CHECK(proxy_http_aggregate("last", v, n, &out) == 0 && out == v[n - 1]);
  }
  double out;
  CHECK(proxy_http_aggregate("min", v, 0, &out) < 0);
  CHECK(proxy_http_aggregate("median", v, 3, &out) < 0);
}

TEST(net_judge_rating_parser)
{
  struct bon_err err;
  double v = -1;
  const char *rx = net_judge_regex;
  CHECK(proxy_http_rating("Looks right.\nRating: [[7]]", rx, 1, &v, &err) ==
        0);
  CHECK_NEAR(v, 7, 0);
  CHECK(proxy_http_rating("e.g. [[5]] ... final: [[8.5]]", rx, 1, &v, &err)
        == 0);
  CHECK_NEAR(v, 8.5, 0);
  CHECK(proxy_http_rating("e.g. [[5]] ... final: [[8.5]]", rx, 0, &v, &err)
        == 0);
  CHECK_NEAR(v, 5, 0);
  CHECK(proxy_http_rating("Rating: [[-1.25e-3]]", rx, 1, &v, &err) == 0);
  CHECK_NEAR(v, -1.25e-3, 0);
  /* unparsable: an error, never a default */
  v = 42;
  CHECK(proxy_http_rating("I would rate it highly.", rx, 1, &v, &err) < 0);
  CHECK(strstr(err.msg, "unparsable") != NULL);
  CHECK_NEAR(v, 42, 0);
  CHECK(proxy_http_rating("Rating: [[seven]]", rx, 1, &v, &err) < 0);
  CHECK(proxy_http_rating("", rx, 1, &v, &err) < 0);
  /* RewardMATH's "Rating: N" and RewardBench 2's trailing number */
  CHECK(proxy_http_rating("blah\nRating: 9 because", "Rating:[[:space:]]*"
                          "([0-9]+)", 1, &v, &err) == 0);
  CHECK_NEAR(v, 9, 0);
  CHECK(proxy_http_rating("so 3 steps; overall 10", "([1-9]|10)[[:space:]]*$",
                          1, &v, &err) == 0);
  CHECK_NEAR(v, 10, 0);
  CHECK(proxy_http_rating("x", "(", 1, &v, &err) < 0);
  CHECK(proxy_http_rating("x", "x", 1, &v, &err) < 0);
}

TEST(sim_server_split_templates)
{
  size_t n;
  const char *r;
  r = sim_server_split("{question}\n\n{response}", "Q?\n\nA line\n\nmore",
                       &n);
  CHECK(n == 12 && !strncmp(r, "A line\n\nmore", n));
  r = sim_server_split("<u>{question}</u><a>{response}</a>",
                       "<u>Q</u><a>Ans</a>", &n);
  CHECK(n == 3 && !strncmp(r, "Ans", 3));
  r = sim_server_split("{response}", "whole", &n);
  CHECK(n == 5 && !strncmp(r, "whole", 5));
  r = sim_server_split("A: {response} / Q: {question}", "A: yes / Q: why",
                       &n);
  CHECK(n == 3 && !strncmp(r, "yes", 3));
  /* text that does not match the template is taken whole */
  r = sim_server_split("<u>{question}</u><a>{response}</a>", "plain", &n);
  CHECK(n == 5 && !strncmp(r, "plain", 5));
}

/* ---- process RMs: steps out, one score per step back ------------------ */

/* Reference splitter: the response as lines; "\n" keeps every non-blank
 * line, "\n\n" keeps maximal runs of non-blank lines; each trimmed. */
static size_t ref_steps(const char *r, int lines, char out[][64])
{
  char ln[64][64];
  size_t nl = 0;
  const char *p = r;
  for(;;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    memcpy(ln[nl], p, n);
    ln[nl++][n] = '\0';
    if(!e)
      break;
    p = e + 1;
  }
  size_t ns = 0;
  char cur[64] = "";
  int open = 0;
  for(size_t i = 0; i <= nl; i++) {
    int blank_line = 1;
    for(const char *c = i < nl ? ln[i] : ""; *c; c++)
      if(!strchr(" \t\r\f\v", *c))
        blank_line = 0;
    if(i < nl && !blank_line) {
      if(open && !lines)
        strcat(cur, "\n");
      else if(open) {
        strcpy(out[ns++], cur);
        cur[0] = '\0';
      }
      strcat(cur, ln[i]);
      open = 1;
      continue;
    }
    if(open)
      strcpy(out[ns++], cur);
    open = 0;
    cur[0] = '\0';
  }
  /* trim */
  for(size_t k = 0; k < ns; k++) {
    char *s = out[k];
    size_t a = 0, z = strlen(s);
    while(a < z && strchr(" \t\r\f\v", s[a]))
      a++;
    while(z > a && strchr(" \t\r\f\v", s[z - 1]))
      z--;
    memmove(s, s + a, z - a);
    s[z - a] = '\0';
  }
  return ns;
}

TEST(net_prm_join_steps)
{
  struct buf b = BUF_INIT;
  CHECK_INT(proxy_http_join_steps("a = 1.\n\nb = 2.", "\n\n", "<t>", &b), 2);
  CHECK_STR(buf_str(&b), "a = 1.<t>b = 2.<t>");
  buf_reset(&b);
  /* consecutive separators, whitespace-only lines, CRLF, edges */
  CHECK_INT(proxy_http_join_steps("\n\n  one\ntwo  \n\n\n \t\n\r\nthree "
                                  "\r\n\r\n", "\n\n", "|", &b), 2);
  CHECK_STR(buf_str(&b), "one\ntwo|three|");
  buf_reset(&b);
  CHECK_INT(proxy_http_join_steps("one\ntwo\n\nthree", "\n", "|", &b), 3);
  CHECK_STR(buf_str(&b), "one|two|three|");
  buf_reset(&b);
  CHECK_INT(proxy_http_join_steps("", "\n\n", "|", &b), 0);
  CHECK_INT(proxy_http_join_steps(" \n\n\t\n", "\n\n", "|", &b), 0);
  CHECK_INT(proxy_http_join_steps("\n\n\n", "\n", "|", &b), 0);
  CHECK_STR(buf_str(&b), "");
  /* the serving example's request: steps joined AND ended by <extra_0> */
  const char *resp = "17*23 = 17*20 + 17*3.\n\n17*20 = 340 and 17*3 = 51."
                     "\n\n340 + 51 = 391, so the answer is \\boxed{391}.";
  CHECK_INT(proxy_http_join_steps(resp, "\n\n", net_prm_step_tag, &b),
            3);
  CHECK_STR(buf_str(&b),
            "17*23 = 17*20 + 17*3.<extra_0>17*20 = 340 and 17*3 = 51."
            "<extra_0>340 + 51 = 391, so the answer is \\boxed{391}."
            "<extra_0>");
  CHECK_STR(net_prm_system, "Please reason step by step, and put "
            "your final answer within \\boxed{}.");
  /* against the reference on random texts of a, space, \r, \n */
  uint64_t x = 88172645463325252ull;
  for(int t = 0; t < 3000; t++) {
    char r[40];
    size_t n = (size_t)(t % 39);
    for(size_t i = 0; i < n; i++) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      r[i] = "ab \r\n\n"[x % 6];
    }
    r[n] = '\0';
    for(int lines = 0; lines < 2; lines++) {
      char want[64][64];
      size_t nw = ref_steps(r, lines, want);
      struct buf w = BUF_INIT;
      for(size_t k = 0; k < nw; k++) {
        buf_puts(&w, want[k]);
        buf_puts(&w, "<x>");
      }
      buf_reset(&b);
      const char *split = lines ? "\n" : "\n\n";
      size_t got = proxy_http_join_steps(r, split, "<x>", &b);
      CHECK_MSG(got == nw && !strcmp(buf_str(&b), buf_str(&w)),
                "split %d of \"%s\": %zu \"%s\" vs %zu \"%s\"", lines, r,
                got, buf_str(&b), nw, buf_str(&w));
      CHECK_INT(proxy_http_join_steps(r, split, "<x>", NULL), nw);
      buf_free(&w);
    }
  }
  buf_free(&b);
}

TEST(net_prm_step_count_must_match)
{
  size_t len;
  char *body = example("vllm_pooling_prm_qwen2.5-math-prm.response.json",
                       &len);
  if(!body)
    return;
  struct proxy_http_out out[1];
  struct bon_err err;
  /* 3 steps sent, 3 rows back: fine */
  CHECK(proxy_http_parse(PROXY_HTTP_VLLM_POOLING, body, len, 1, 1, 1, "min",
                         NULL, 1, out, &err) == 0);
  CHECK(proxy_http_expect_steps(&out[0], 3, "<extra_0>") == 0);
  CHECK(out[0].error == NULL && out[0].nsteps == 3);
  CHECK_NEAR(out[0].score, 0.9689, 0);
  proxy_http_out_free(out, 1);
  /* 4 or 2 sent: a per-item error naming both counts, no steps */
  for(size_t want = 2; want <= 4; want += 2) {
    CHECK(proxy_http_parse(PROXY_HTTP_VLLM_POOLING, body, len, 1, 1, 1,
                           "min", NULL, 1, out, &err) == 0);
    CHECK(proxy_http_expect_steps(&out[0], want, "<extra_0>") < 0);
    char m[64];
    snprintf(m, sizeof(m), "3 step outputs for %zu steps", want);
    CHECK_MSG(out[0].error && strstr(out[0].error, m) &&
              strstr(out[0].error, "<extra_0>"), "%s", out[0].error);
    CHECK(out[0].steps == NULL && out[0].nsteps == 0);
    proxy_http_out_free(out, 1);
  }
  free(body);
  /* a response with no steps is an error whatever came back */
  const char *b = "{\"data\":[{\"index\":0,\"data\":[]}]}";
  CHECK(proxy_http_parse(PROXY_HTTP_VLLM_POOLING, b, strlen(b), 1, 1, 1,
                         "min", NULL, 1, out, &err) == 0);
  CHECK(out[0].error != NULL);
  CHECK(proxy_http_expect_steps(&out[0], 0, "<extra_0>") < 0);
  CHECK(strstr(out[0].error, "no steps") != NULL);
  proxy_http_out_free(out, 1);
  /* a flat list is not one row per step */
  b = "{\"data\":[{\"index\":0,\"data\":[0.1,0.9]}]}";
  CHECK(proxy_http_parse(PROXY_HTTP_VLLM_POOLING, b, strlen(b), 1, 1, 1,
                         "min", NULL, 1, out, &err) == 0);
  CHECK_MSG(out[0].error && strstr(out[0].error, "row per step"), "%s",
            out[0].error ? out[0].error : "(none)");
  proxy_http_out_free(out, 1);
  /* step_label picks the column: 0 = p_bad */
  b = "{\"data\":[{\"index\":0,\"data\":[[0.25,0.75],[0.5,0.5]]}]}";
  CHECK(proxy_http_parse(PROXY_HTTP_VLLM_POOLING, b, strlen(b), 1, 0, 1,
                         "max", NULL, 1, out, &err) == 0);
  CHECK(proxy_http_expect_steps(&out[0], 2, "<extra_0>") == 0);
  CHECK_NEAR(out[0].score, 0.5, 0);
  proxy_http_out_free(out, 1);
}

TEST(net_sim_rm_step_scores)
{
  /* a grader that always catches, never false-alarms, without noise */
  struct sim_rm_params rp = {1.0, 0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 7};
  const double good = 1 / (1 + exp(-2.0)), bad = 1 / (1 + exp(2.0));
  double *p;
  size_t n = sim_rm_step_scores(
      &rp, "We compute.<t> First $3 \\times 4 = 12$.<t>Then $12 + 5 = 18$."
      "<t>So $\\sqrt{16} = 4$ and $2 - 1 = 1$.<t>trailing, no step", "<t>",
      &p);
  CHECK_INT(n, 4);
  static const int flagged[4] = {0, 0, 1, 0};
  for(size_t k = 0; k < n && k < 4; k++)
    CHECK_MSG(fabs(p[k] - (flagged[k] ? bad : good)) < 1e-15,
              "step %zu: %.17g", k, p[k]);
  free(p);
  CHECK_INT(sim_rm_step_scores(&rp, "no tag here", "<t>", &p), 0);
  CHECK(p == NULL);
  CHECK_INT(sim_rm_step_scores(&rp, "", "<t>", &p), 0);
  /* empty steps exist when tags are adjacent (the client never sends them) */
  CHECK_INT(sim_rm_step_scores(&rp, "<t><t>", "<t>", &p), 2);
  free(p);
  /* spurious features: a confident phrase adds w_confident to the logit */
  rp.w_confident = 1.0;
  n = sim_rm_step_scores(&rp, "Clearly $1 + 1 = 2$.<t>", "<t>", &p);
  CHECK(n == 1 && fabs(p[0] - 1 / (1 + exp(-3.0))) < 1e-15);
  free(p);
  rp.w_confident = 0;
  /* with noise and an imperfect grader: deterministic, position-free, and
   * false steps score lower on average */
  sim_rm_preset("careful", &rp);
  rp.id = 99;
  double sum[2] = {0, 0};
  int cnt[2] = {0, 0};
  struct buf b = BUF_INIT;
  for(int a = 2; a < 60; a++) {
    for(int wrong = 0; wrong < 2; wrong++) {
      buf_reset(&b);
      buf_printf(&b, "Intro.<t>We get $%d \\times 7 = %d$.<t>", a,
                 7 * a + wrong);
      double *q, *r;
      CHECK_INT(sim_rm_step_scores(&rp, buf_str(&b), "<t>", &q), 2);
      CHECK_INT(sim_rm_step_scores(&rp, buf_str(&b), "<t>", &r), 2);
      CHECK(q[0] == r[0] && q[1] == r[1]);
      CHECK(q[0] > 0 && q[0] < 1 && q[1] > 0 && q[1] < 1);
      /* the same step alone (and untrimmed) scores the same */
      const char *second = strstr(buf_str(&b), "<t>") + 3;
      char *alone = xstrdup(second);
      alone[strlen(alone) - 3] = '\0';
      struct buf c = BUF_INIT;
      buf_printf(&c, "  %s \n<t>", alone);
      double *u;
      CHECK_INT(sim_rm_step_scores(&rp, buf_str(&c), "<t>", &u), 1);
      CHECK(u[0] == q[1]);
      sum[wrong] += q[1];
      cnt[wrong]++;
      free(u);
      free(alone);
      buf_free(&c);
      free(q);
      free(r);
    }
  }
  buf_free(&b);
  CHECK_MSG(sum[1] / cnt[1] < 0.3 && sum[0] / cnt[0] > 0.7,
            "mean p_good: false %.3f true %.3f", sum[1] / cnt[1],
            sum[0] / cnt[0]);
}

TEST(net_protocol_constants_agree)
{
  /* the JSON spelling used as a config default is the C constant */
  cJSON *j = cJSON_Parse(NET_RM_TEMPLATE_JSON);
  CHECK(cJSON_IsString(j));
  if(cJSON_IsString(j))
    CHECK_STR(j->valuestring, net_rm_template);
  cJSON_Delete(j);
  CHECK_STR(net_prm_step_tag, NET_PRM_STEP_TAG);
  /* the sim server recovers a response from every default template */
  struct buf b = BUF_INIT;
  const char *tmpls[] = {net_rm_template, net_judge_template};
  for(int i = 0; i < 2; i++) {
    buf_reset(&b);
    const char *t = tmpls[i];
    const char *q = strstr(t, "{question}"), *r = strstr(t, "{response}");
    CHECK(q && r && q < r);
    if(!q || !r)
      continue;
    buf_append(&b, t, (size_t)(q - t));
    buf_puts(&b, "What is 2+2?");
    buf_append(&b, q + 10, (size_t)(r - q - 10));
    buf_puts(&b, "It is 4.\n\nSo $\\boxed{4}$.");
    buf_puts(&b, r + 10);
    size_t n;
    const char *got = sim_server_split(t, buf_str(&b), &n);
    CHECK_INT(n, strlen("It is 4.\n\nSo $\\boxed{4}$."));
    CHECK(!strncmp(got, "It is 4.", 8));
  }
  buf_free(&b);
}

TEST(net_template_slots_are_filled_in_one_pass)
{
  struct buf b = BUF_INIT;
  const struct net_slot s[] = {
    {"{question}", "Q {response} {x}"}, {"{response}", "R {question}"},
    {"{response_b}", NULL},
  };
  net_openai_fill_slots("<{question}|{response}|{response_b}|{other}>", s,
                        3, &b);
  /* values are never rescanned: nothing injects; unknown braces stay */
  CHECK_STR(buf_str(&b), "<Q {response} {x}|R {question}||{other}>");
  buf_free(&b);
}

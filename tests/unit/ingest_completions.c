/* Unit tests of ingest/completions.h: keys by name or set, ranks by sample
 * index or file order, and an error naming file:line for every bad
 * record. */
#include "tests/unit/test.h"
#include "ingest/completions.h"

#include <stdlib.h>

static int load(const char *text, const struct ingest_completion_opts *o,
                struct ingest_completions *s, struct bon_err *err)
{
  return ingest_completions_read(text, strlen(text), "c.jsonl", o, s, err);
}

TEST(ingest_completions_samples_jsonl_shape)
{
  /* a run's own samples.jsonl, out of order: ranks follow "sample" */
  const char *text =
    "{\"key\":\"0000000000000001\",\"problem_id\":\"p2\",\"sample\":1,"
    "\"seed\":11,\"text\":\"b1\",\"answer\":\"1\",\"correct\":true}\n"
    "{\"key\":\"0000000000000002\",\"problem_id\":\"p1\",\"sample\":0,"
    "\"seed\":5,\"text\":\"a0\",\"reasoning\":\"think\","
    "\"finish_reason\":\"stop\",\"completion_tokens\":12}\n"
    "{\"key\":\"0000000000000003\",\"problem_id\":\"p2\",\"sample\":0,"
    "\"seed\":10,\"text\":\"b0\"}\n"
    "{\"key\":\"0000000000000004\",\"problem_id\":\"p2\",\"sample\":7,"
    "\"seed\":17,\"text\":\"\"}\n";
  struct ingest_completions s;
  struct bon_err err;
  CHECK_INT(load(text, NULL, &s, &err), 0);
  CHECK_INT(s.n, 4);
  CHECK_INT(s.nproblems, 2);
  size_t first;
  CHECK_INT(ingest_completions_find(&s, "p2", &first), 3);
  CHECK_STR(s.c[first].text, "b0");
  CHECK_INT(s.c[first].rank, 0);
  CHECK_INT(s.c[first].seed, 10);
  CHECK(s.c[first].has_seed);
  CHECK_STR(s.c[first + 1].text, "b1");
  /* the gap (samples 2-6 absent) closes up: sample 7 is rank 2 */
  CHECK_STR(s.c[first + 2].text, "");
  CHECK_INT(s.c[first + 2].rank, 2);
  CHECK_INT(s.c[first + 2].sample, 7);
  CHECK_INT(s.c[first + 2].line, 4);
  CHECK_INT(ingest_completions_find(&s, "p1", &first), 1);
  CHECK_STR(s.c[first].text, "a0");
  CHECK_STR(s.c[first].reasoning, "think");
  CHECK_STR(s.c[first].finish_reason, "stop");
  CHECK_INT(s.c[first].completion_tokens, 12);
  CHECK(s.c[first + 1].reasoning == NULL);
  CHECK_INT(ingest_completions_find(&s, "p0", &first), 0);
  CHECK_INT(ingest_completions_find(&s, "p3", &first), 0);
  ingest_completions_free(&s);
}

TEST(ingest_completions_file_order_and_other_names)
{
  /* a JSON array, integer ids, "completion", no sample index, no seed */
  const char *text = "[{\"id\": 3, \"completion\": \"x\"},\n"
                     " {\"id\": 1, \"completion\": \"y\"},\n"
                     " {\"id\": 3, \"completion\": \"z\"}]";
  struct ingest_completions s;
  struct bon_err err;
  CHECK_INT(load(text, NULL, &s, &err), 0);
  size_t first;
  CHECK_INT(ingest_completions_find(&s, "3", &first), 2);
  CHECK_STR(s.c[first].text, "x");
  CHECK_STR(s.c[first + 1].text, "z");
  CHECK_INT(s.c[first + 1].rank, 1);
  CHECK_INT(s.c[first + 1].sample, -1);
  CHECK(!s.c[first].has_seed);
  ingest_completions_free(&s);
  /* keys set explicitly (dotted paths) win over the common names */
  struct ingest_completion_opts o = {"meta.pid", "out.text", "k", "s"};
  CHECK_INT(load("{\"meta\":{\"pid\":\"q\"},\"out\":{\"text\":\"t1\"},"
                 "\"k\":1,\"s\":9,\"text\":\"no\",\"problem_id\":\"no\"}\n"
                 "{\"meta\":{\"pid\":\"q\"},\"out\":{\"text\":\"t0\"},"
                 "\"k\":0,\"s\":8}\n", &o, &s, &err), 0);
  CHECK_INT(ingest_completions_find(&s, "q", &first), 2);
  CHECK_STR(s.c[first].text, "t0");
  CHECK_INT(s.c[first].seed, 8);
  CHECK_INT(ingest_completions_find(&s, "no", &first), 0);
  ingest_completions_free(&s);
}

TEST(ingest_completions_errors_name_the_line)
{
  static const char *const cases[][2] = {
    {"", "c.jsonl: no completions"},
    {"{\"problem_id\":\"a\",\"text\":\"x\"}\n{\"problem_id\":\"a\"}\n",
     "c.jsonl:2: text field \"text\" is missing"},
    {"{\"problem_id\":\"a\",\"text\":3}", "c.jsonl:1: text field \"text\" "
                                          "is not a string"},
    {"{\"question\":\"a\",\"text\":\"x\"}", "c.jsonl:1: no problem id"},
    {"{\"problem_id\":\"a\",\"answer\":\"x\"}", "c.jsonl:1: no completion "
                                                "text field"},
    {"{\"problem_id\":\"\",\"text\":\"x\"}", "c.jsonl:1: problem id field "
                                             "\"problem_id\": expected a "
                                             "non-empty"},
    {"{\"problem_id\":null,\"text\":\"x\"}", "c.jsonl:1: problem id"},
    {"{\"problem_id\":\"a\",\"text\":\"x\",\"sample\":0}\n"
     "{\"problem_id\":\"a\",\"text\":\"y\"}", "c.jsonl:2: sample index "
                                            "field \"sample\" is missing"},
    {"{\"problem_id\":\"a\",\"text\":\"x\",\"sample\":-1}",
     "c.jsonl:1: sample index field \"sample\": expected an integer from 0"},
    {"{\"problem_id\":\"a\",\"text\":\"x\",\"sample\":1.5}", "c.jsonl:1: "
                                                         "sample index"},
    {"{\"problem_id\":\"a\",\"text\":\"x\",\"sample\":\"3\"}",
     "got a string"},
    {"{\"problem_id\":\"a\",\"text\":\"x\",\"seed\":1e300}",
     "c.jsonl:1: seed field \"seed\": expected an integer from 0 to 2^53"},
    {"{\"problem_id\":\"a\",\"text\":\"x\",\"sample\":2}\n"
     "{\"problem_id\":\"b\",\"text\":\"x\",\"sample\":2}\n"
     "{\"problem_id\":\"a\",\"text\":\"y\",\"sample\":2}",
     "problem \"a\" has sample 2 twice (lines 1 and 3)"},
    {"{\"problem_id\":\"a\",\"text\":\"x\"}\n[1]\n", "c.jsonl:2:"},
    {"{\"problem_id\":\"a\",\"text\":\"x\",\"reasoning\":3}",
     "c.jsonl:1: field \"reasoning\" is not a string"},
    {"{\"problem_id\":\"a\",\"text\":\"x\",\"finish_reason\":\"stop\","
     "\"completion_tokens\":-3}", "c.jsonl:1: token count field "
                                  "\"completion_tokens\": expected"},
    {"{\"problem_id\":\"a\",\"text\":\"x\"\n", "c.jsonl:1:"},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct ingest_completions s;
    struct bon_err err = {""};
    CHECK_INT(load(cases[i][0], NULL, &s, &err), -1);
    CHECK_MSG(strstr(err.msg, cases[i][1]) != NULL,
              "case %zu: \"%s\" not in \"%s\"", i, cases[i][1], err.msg);
    CHECK(s.n == 0 && s.c == NULL);
  }
}

TEST(ingest_completions_set_key_must_be_there)
{
  struct ingest_completion_opts o = {NULL, "reply", NULL, NULL};
  struct ingest_completions s;
  struct bon_err err = {""};
  CHECK_INT(load("{\"problem_id\":\"a\",\"text\":\"x\"}", &o, &s, &err), -1);
  CHECK(strstr(err.msg, "c.jsonl:1: text field \"reply\" is missing"));
}

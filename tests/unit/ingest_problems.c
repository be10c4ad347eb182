/* Unit tests of ingest/problems.h on small sets and on the shipped
 * RewardMATH best-of-n set (data/rewardmath/bon_problems.json). */
#include "tests/unit/test.h"
#include "ingest/problems.h"
#include "ingest/records.h"

#include <stdlib.h>

#define X10 "xxxxxxxxxx"
#define X140 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10 X10

static int load(const char *text, const struct ingest_problem_opts *o,
                struct ingest_problem **ps, size_t *n, struct bon_err *err)
{
  return ingest_problems(text, strlen(text), "p.jsonl", o, ps, n, err);
}

TEST(ingest_problem_keys_found_by_name)
{
  struct ingest_problem_opts o;
  memset(&o, 0, sizeof(o));
  struct ingest_problem *ps;
  size_t n;
  struct bon_err err;
  /* MATH500's shape */
  CHECK_INT(load("{\"problem\":\"1+1?\",\"solution\":\"s\",\"answer\":\"2\","
                 "\"unique_id\":\"test/algebra/1.json\",\"level\":1}\n",
                 &o, &ps, &n, &err), 0);
  CHECK_INT(n, 1);
  CHECK_STR(ps[0].id, "test/algebra/1.json");
  CHECK_STR(ps[0].question, "1+1?");
  CHECK_STR(ps[0].answer, "2");
  ingest_problems_free(ps, n, 0);
  /* GSM8K's shape: no id (line numbers), a whole solution as reference */
  CHECK_INT(load("{\"question\":\"Q1\",\"answer\":\"so 72\\n#### 72\"}\n\n"
                 "{\"question\":\"Q2\",\"answer\":\"#### 5\"}\n", &o, &ps,
                 &n, &err), 0);
  CHECK_INT(n, 2);
  CHECK_STR(ps[0].id, "line-1");
  CHECK_STR(ps[1].id, "line-3");
  CHECK_STR(ps[0].answer, "so 72\n#### 72");
  ingest_problems_free(ps, n, 0);
  /* ground_truth and integer idx; numbers as references */
  CHECK_INT(load("[{\"question\":\"a\",\"ground_truth\":7,\"idx\":3},"
                 "{\"question\":\"b\",\"ground_truth\":0.5,\"idx\":4}]",
                 &o, &ps, &n, &err), 0);
  CHECK_STR(ps[0].id, "3");
  CHECK_STR(ps[0].answer, "7");
  CHECK_STR(ps[1].answer, "0.5");
  ingest_problems_free(ps, n, 0);
  /* keys set explicitly win */
  o.question_key = "q";
  o.answer_key = "meta.ref";
  o.id_key = "name";
  CHECK_INT(load("{\"q\":\"x\",\"meta\":{\"ref\":\"9\"},\"name\":\"n1\","
                 "\"problem\":\"no\"}", &o, &ps, &n, &err), 0);
  CHECK_STR(ps[0].question, "x");
  CHECK_STR(ps[0].answer, "9");
  CHECK_STR(ps[0].id, "n1");
  ingest_problems_free(ps, n, 0);
}

TEST(ingest_problem_errors_name_the_line)
{
  struct ingest_problem_opts o;
  memset(&o, 0, sizeof(o));
  struct ingest_problem *ps;
  size_t n;
  struct bon_err err;
  static const struct {
    const char *text, *msg;
  } bad[] = {
    {"{\"problem\":\"a\",\"answer\":\"1\"}\n{\"problem\":\"b\","
     "\"answer\":\"  \"}", "p.jsonl:2: reference answer field \"answer\" "
     "is empty"},
    {"{\"problem\":\"a\",\"answer\":\"1\"}\n{\"problem\":\"b\"}",
     "p.jsonl:2: reference answer field \"answer\" is missing"},
    {"[{\"problem\":\"a\",\"answer\":\"1\"},\n{\"problem\":[1],"
     "\"answer\":\"2\"}]", "p.jsonl:2: question field \"problem\" is not a "
     "string"},
    {"{\"text\":\"a\",\"answer\":\"1\"}", "p.jsonl:1: no question field"},
    {"{\"problem\":\"a\",\"sol\":\"1\"}", "p.jsonl:1: no reference answer"},
    {"{\"problem\":\"a\",\"answer\":\"1\",\"id\":\"x,y\"}",
     "p.jsonl:1: problem id \"x,y\" may not contain commas"},
    /* a long id is refused, never cut (two long ids would merge) */
    {"{\"problem\":\"a\",\"answer\":\"1\",\"id\":\"" X140 "\"}",
     "is longer than 127 characters"},
    {"{\"problem\":\"a\",\"answer\":\"1\",\"id\":7}\n"
     "{\"problem\":\"b\",\"answer\":\"1\",\"id\":\"7\"}",
     "problem id \"7\" appears twice"},
    {"", "p.jsonl: no problems in the file"},
  };
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    CHECK_INT(load(bad[i].text, &o, &ps, &n, &err), -1);
    CHECK_MSG(strstr(err.msg, bad[i].msg) != NULL, "case %zu: %s", i,
              err.msg);
  }
}

TEST(ingest_problem_filter_groups_and_limit)
{
  const char *text =
      "[{\"problem\":\"a\",\"answer\":\"1\",\"src\":\"MATH\","
      "\"f\":{\"level\":2}},\n"
      " {\"problem\":\"b\",\"answer\":\"2\",\"src\":\"sat\",\"f\":{}},\n"
      " {\"problem\":\"c\",\"answer\":\"3\",\"src\":\"MATH\","
      "\"f\":{\"level\":5}}]";
  cJSON *f = cJSON_Parse("{\"src\":\"MATH\"}");
  const char *keys[] = {"f.level", "src"};
  struct ingest_problem_opts o;
  memset(&o, 0, sizeof(o));
  o.filter = f;
  o.group_keys = keys;
  o.ngroups = 2;
  struct ingest_problem *ps;
  size_t n;
  struct bon_err err;
  CHECK_INT(load(text, &o, &ps, &n, &err), 0);
  CHECK_INT(n, 2);
  CHECK_STR(ps[1].question, "c");
  CHECK_STR(ps[0].groups[0], "2");
  CHECK_STR(ps[1].groups[0], "5");
  CHECK_STR(ps[1].groups[1], "MATH");
  ingest_problems_free(ps, n, 2);
  /* a list matches any value; numbers match their text */
  cJSON_Delete(f);
  f = cJSON_Parse("{\"f.level\":[5, \"9\"]}");
  o.filter = f;
  o.ngroups = 0;
  CHECK_INT(load(text, &o, &ps, &n, &err), 0);
  CHECK_INT(n, 1);
  CHECK_STR(ps[0].question, "c");
  ingest_problems_free(ps, n, 0);
  /* the limit applies after the filter */
  cJSON_Delete(f);
  o.filter = NULL;
  o.limit = 2;
  CHECK_INT(load(text, &o, &ps, &n, &err), 0);
  CHECK_INT(n, 2);
  ingest_problems_free(ps, n, 0);
  /* a group key that is absent reads "(missing)" */
  o.limit = 0;
  o.group_keys = keys;
  o.ngroups = 1;
  CHECK_INT(load(text, &o, &ps, &n, &err), 0);
  CHECK_STR(ps[1].groups[0], "(missing)");
  ingest_problems_free(ps, n, 1);
  /* nothing left, and bad filters */
  f = cJSON_Parse("{\"src\":\"none\"}");
  o.filter = f;
  CHECK_INT(load(text, &o, &ps, &n, &err), -1);
  CHECK(strstr(err.msg, "no problems match the filter") != NULL);
  cJSON_Delete(f);
  f = cJSON_Parse("{\"src\":{\"x\":1}}");
  o.filter = f;
  CHECK_INT(load(text, &o, &ps, &n, &err), -1);
  CHECK(strstr(err.msg, "src: expected a string") != NULL);
  cJSON_Delete(f);
  f = cJSON_Parse("{\"src\":[]}");
  o.filter = f;
  CHECK_INT(load(text, &o, &ps, &n, &err), -1);
  CHECK(strstr(err.msg, "empty list") != NULL);
  cJSON_Delete(f);
}

TEST(ingest_the_rewardmath_bon_set)
{
  size_t len;
  struct bon_err err;
  char *text = ingest_read("data/rewardmath/bon_problems.json", &len, &err);
  CHECK_MSG(text != NULL, "%s", err.msg);
  if(!text)
    return;
  const char *keys[] = {"data_source", "feature.level"};
  struct ingest_problem_opts o;
  memset(&o, 0, sizeof(o));
  o.group_keys = keys;
  o.ngroups = 2;
  struct ingest_problem *ps;
  size_t n;
  CHECK_INT(ingest_problems(text, len, "bon", &o, &ps, &n, &err), 0);
  CHECK_INT(n, 991);
  size_t math = 0, sat = 0, level5 = 0;
  for(size_t i = 0; i < n; i++) {
    math += !strcmp(ps[i].groups[0], "MATH");
    sat += !strcmp(ps[i].groups[0], "agieval_sat");
    level5 += !strcmp(ps[i].groups[1], "5");
  }
  CHECK_INT(math, 500);
  CHECK_INT(sat, 101);
  CHECK_INT(level5, 134);
  CHECK_STR(ps[0].id, "0");
  CHECK_STR(ps[0].answer, "\\left( 3, \\frac{\\pi}{2} \\right)");
  ingest_problems_free(ps, n, 2);
  cJSON *f = cJSON_Parse("{\"data_source\":\"MATH\"}");
  o.filter = f;
  o.ngroups = 0;
  CHECK_INT(ingest_problems(text, len, "bon", &o, &ps, &n, &err), 0);
  CHECK_INT(n, 500);
  ingest_problems_free(ps, n, 0);
  cJSON_Delete(f);
  free(text);
}

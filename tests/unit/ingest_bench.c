/* Unit tests of ingest/bench.h: every format, on the real RewardMATH
 * samples (tests/data/rewardmath/) and on small rows of each shape. */
#include "tests/unit/test.h"
#include "ingest/bench.h"
#include "ingest/records.h"

#include <stdlib.h>

static int read_file(const char *path, enum ingest_bench_format f,
                     const char *const *exclude, size_t nexclude,
                     struct ingest_bench *b, struct bon_err *err)
{
  size_t len;
  char *text = ingest_read(path, &len, err);
  if(!text)
    return -1;
  struct ingest_bench_opts o = {f, NULL, 0, exclude, nexclude};
  int rc = ingest_bench_read(text, len, path, &o, b, err);
  free(text);
  return rc;
}

static size_t correct_of(const struct ingest_bench *b, size_t p)
{
  size_t n = 0;
  for(size_t i = 0; i < b->ncands; i++)
    n += b->cands[i].problem == p && b->cands[i].correct;
  return n;
}

TEST(ingest_bench_rewardmath_direct_sample)
{
  struct ingest_bench b;
  struct bon_err err;
  CHECK_MSG(read_file("tests/data/rewardmath/RewardMATH_direct.json",
                      INGEST_REWARDMATH, NULL, 0, &b, &err) == 0, "%s",
            err.msg);
  CHECK_INT(b.nproblems, 2);
  CHECK_INT(b.ncands, 20);
  CHECK_STR(b.problems[0].id, "0");
  CHECK_STR(b.problems[1].id, "399");
  CHECK_INT(correct_of(&b, 0), 1);
  CHECK_INT(correct_of(&b, 1), 1);
  /* the candidates keep their own steps; outcome RMs read them joined */
  const struct ingest_cand *c = &b.cands[0];
  CHECK(c->correct);
  CHECK_STR(c->source, "human_to_GPT-4");
  CHECK_INT(c->sol.nsteps, 7);
  CHECK_STR(c->sol.steps[6], "Therefore, the solution for x is "
                             "$\\boxed{1600}$.");
  CHECK(strstr(c->sol.text, "$.\nI can simplify") != NULL);
  CHECK_INT(c->line, 2);
  ingest_bench_free(&b);
  /* exclude_sources drops a generator's incorrect candidates */
  const char *ex[] = {"gpt-3.5-turbo-0125", "human_to_GPT-4"};
  CHECK_INT(read_file("tests/data/rewardmath/RewardMATH_direct.json",
                      INGEST_REWARDMATH, ex, 2, &b, &err), 0);
  CHECK_INT(b.ncands, 18);  /* the correct one is never dropped */
  CHECK_INT(b.excluded, 2);
  ingest_bench_free(&b);
}

TEST(ingest_bench_rewardmath_pairwise_and_rewardbench_prm)
{
  struct ingest_bench b;
  struct bon_err err;
  CHECK_MSG(read_file("tests/data/rewardmath/RewardMATH_pairwise.json",
                      INGEST_REWARDMATH_PAIRWISE, NULL, 0, &b, &err) == 0,
            "%s", err.msg);
  CHECK_INT(b.nproblems, 2);
  CHECK_INT(b.npairs, 18);
  CHECK_INT(b.ncands, 0);
  CHECK(b.pairs[0].correct_is_a);
  CHECK(!b.pairs[1].correct_is_a);
  CHECK_STR(b.pairs[0].source, "modified_with_GPT-4");
  /* the chosen text is the same in each comparison of a problem */
  const struct ingest_text *c0 = &b.pairs[0].a, *c1 = &b.pairs[1].b;
  CHECK_STR(c0->text, c1->text);
  ingest_bench_free(&b);
  /* RewardBench math-prm in RewardMATH's shape: no solution_type */
  CHECK_MSG(read_file("tests/data/rewardmath/rewardbench_math_prm_.json",
                      INGEST_REWARDMATH, NULL, 0, &b, &err) == 0, "%s",
            err.msg);
  CHECK_INT(b.nproblems, 2);
  CHECK_INT(b.ncands, 4);
  CHECK(b.cands[0].correct && !b.cands[1].correct);
  CHECK_STR(b.cands[1].source, "unaligned_GPT-4");
  ingest_bench_free(&b);
}

static int read_text(const char *text, enum ingest_bench_format f,
                     const char *const *subsets, size_t ns,
                     struct ingest_bench *b, struct bon_err *err)
{
  struct ingest_bench_opts o = {f, subsets, ns, NULL, 0};
  return ingest_bench_read(text, strlen(text), "b.jsonl", &o, b, err);
}

TEST(ingest_bench_rewardbench_rows_and_candidates)
{
  struct ingest_bench b;
  struct bon_err err;
  const char *rb =
      "{\"prompt\":\"1+1?\",\"chosen\":\"2\",\"rejected\":\"3\","
      "\"subset\":\"math-prm\",\"id\":30}\n"
      "{\"prompt\":\"hi\",\"chosen\":\"hello\",\"rejected\":\"go\","
      "\"subset\":\"chat\",\"id\":31}\n";
  const char *sub[] = {"math-prm"};
  CHECK_INT(read_text(rb, INGEST_REWARDBENCH, sub, 1, &b, &err), 0);
  CHECK_INT(b.nproblems, 1);
  CHECK_INT(b.ncands, 2);
  CHECK_INT(b.skipped, 1);
  CHECK_STR(b.problems[0].id, "30");
  CHECK_STR(b.cands[1].sol.text, "3");
  ingest_bench_free(&b);
  const char *rb2 =
      "[{\"prompt\":\"p\",\"chosen\":[\"c\"],\"rejected\":[\"r1\",\"r2\","
      "\"r3\"],\"subset\":\"Math\",\"id\":\"a\"}]";
  CHECK_INT(read_text(rb2, INGEST_REWARDBENCH2, NULL, 0, &b, &err), 0);
  CHECK_INT(b.ncands, 4);
  CHECK_STR(b.cands[3].sol.text, "r3");
  ingest_bench_free(&b);
  const char *cands =
      "{\"problem_id\":\"q1\",\"question\":\"Q\",\"steps\":[\"a\",\"b\"],"
      "\"correct\":true,\"source\":\"m1\"}\n"
      "{\"problem_id\":\"q1\",\"question\":\"Q\",\"response\":\"x\","
      "\"correct\":0}\n";
  CHECK_INT(read_text(cands, INGEST_CANDIDATES, NULL, 0, &b, &err), 0);
  CHECK_INT(b.ncands, 2);
  CHECK_INT(b.cands[0].sol.nsteps, 2);
  CHECK_STR(b.cands[0].sol.text, "a\nb");
  CHECK_INT(b.cands[1].sol.nsteps, 0);
  CHECK_STR(b.cands[1].source, "");
  ingest_bench_free(&b);
}

TEST(ingest_bench_errors_name_file_line_and_field)
{
  struct ingest_bench b;
  struct bon_err err;
  static const struct {
    enum ingest_bench_format f;
    const char *text, *msg;
  } bad[] = {
    {INGEST_CANDIDATES,
     "{\"problem_id\":\"q\",\"question\":\"Q\",\"response\":\"x\","
     "\"correct\":1}\n{\"problem_id\":\"q\",\"question\":\"Q\","
     "\"response\":\"y\",\"correct\":1}",
     "b.jsonl:2: problem \"q\" has a second correct candidate"},
    {INGEST_CANDIDATES,
     "{\"problem_id\":\"q\",\"question\":\"Q\",\"response\":\"x\","
     "\"correct\":1}", "b.jsonl:1: problem \"q\" has no incorrect"},
    {INGEST_CANDIDATES,
     "{\"problem_id\":\"q\",\"question\":\"Q\",\"response\":\"x\","
     "\"correct\":0}", "b.jsonl:1: problem \"q\" has no correct"},
    {INGEST_CANDIDATES,
     "{\"problem_id\":\"q\",\"question\":\"Q\",\"response\":\"x\","
     "\"correct\":\"yes\"}", "b.jsonl:1: field \"correct\""},
    {INGEST_CANDIDATES,
     "{\"problem_id\":\"q\",\"question\":\"Q\",\"correct\":1}",
     "b.jsonl:1: expected exactly one of \"response\""},
    {INGEST_CANDIDATES,
     "{\"problem_id\":\"q\",\"question\":\"Q\",\"steps\":\"s\","
     "\"correct\":1}", "b.jsonl:1: field \"steps\": expected a list"},
    {INGEST_REWARDMATH,
     "[{\"problem\":\"p\",\"problem_id\":1,\"eval_solution\":[\"a\",2],"
     "\"solution_type\":\"chosen\"}]", "b.jsonl:1: field "
     "\"eval_solution\": step 2 is not a string"},
    {INGEST_REWARDMATH,
     "[{\"problem\":\"p\",\"problem_id\":1,\"eval_solution\":[],"
     "\"solution_type\":\"chosen\"}]", "field \"eval_solution\" is an "
     "empty list"},
    {INGEST_REWARDMATH,
     "[{\"problem\":\"p\",\"problem_id\":1,\"eval_solution\":[\"a\"],"
     "\"solution_type\":\"best\"}]", "field \"solution_type\": expected"},
    {INGEST_REWARDMATH,
     "[{\"problem\":\"p\",\"eval_solution\":[\"a\"]}]",
     "b.jsonl:1: field \"problem_id\" is missing"},
    {INGEST_REWARDMATH_PAIRWISE,
     "{\"problem\":\"p\",\"problem_id\":1,\"eval_solution_A\":[\"a\"],"
     "\"eval_solution_B\":[\"b\"],\"chosen_position\":\"C\"}",
     "b.jsonl:1: field \"chosen_position\": expected \"A\" or \"B\""},
    {INGEST_REWARDMATH_PAIRWISE,
     "{\"problem\":\"p\",\"problem_id\":1,\"eval_solution_A\":[\"ok\"],"
     "\"eval_solution_B\":[\"x\"],\"chosen_position\":\"A\"}\n"
     "{\"problem\":\"p\",\"problem_id\":1,\"eval_solution_A\":[\"y\"],"
     "\"eval_solution_B\":[\"ok\",\"more\"],\"chosen_position\":\"B\"}",
     "b.jsonl:2: field \"eval_solution_B\": the correct solution of "
     "problem \"1\" differs from the one at line 1"},
    {INGEST_REWARDBENCH,
     "{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"\",\"id\":1}",
     "b.jsonl:1: field \"rejected\": expected a non-empty string"},
    {INGEST_REWARDBENCH,
     "{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\",\"id\":1}\n"
     "{\"prompt\":\"p\",\"chosen\":\"c\",\"rejected\":\"r\",\"id\":1}",
     "b.jsonl:2: id \"1\" appears twice (line 1)"},
    {INGEST_REWARDBENCH2,
     "{\"prompt\":\"p\",\"chosen\":[\"c\",\"d\"],\"rejected\":[\"r\"],"
     "\"id\":1}", "b.jsonl:1: field \"chosen\": expected a list of one"},
    {INGEST_REWARDBENCH, "", "b.jsonl: no candidates"},
  };
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    CHECK_INT(read_text(bad[i].text, bad[i].f, NULL, 0, &b, &err), -1);
    CHECK_MSG(strstr(err.msg, bad[i].msg) != NULL, "case %zu: %s", i,
              err.msg);
  }
  CHECK_INT(ingest_bench_format("rewardbench2"), INGEST_REWARDBENCH2);
  CHECK_INT(ingest_bench_format("nope"), -1);
}

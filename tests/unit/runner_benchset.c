/* Benchmarks of candidate texts in `bonrun run`: the config keys of
 * source "dataset" (every record checked at load, errors naming file, line
 * and field) and the layout of candidates and comparisons
 * (runner/benchset.h), on the real RewardMATH samples of tests/data. */
#include "tests/unit/test.h"
#include "runner/benchset.h"
#include "runner/config.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdlib.h>

#define DATA "tests/data/rewardmath/"

/* The running test's scratch folder: made fresh when `fresh` (once at the
 * start of each test), else the one made last. */
static const char *scratch(int fresh)
{
  static char dir[512];
  if(fresh || !dir[0])
    snprintf(dir, sizeof(dir), "%s", test_tmpdir());
  return dir;
}

/* Load a config whose benchmarks section is `bench` into *c (free it). */
static int load(const char *bench, struct run_config *c, struct bon_err *err)
{
  char text[2048];
  snprintf(text, sizeof(text), "{\"proxies\": [{\"name\": \"careful\"}], "
           "\"dataset\": {\"problems\": 3}, \"benchmarks\": %s}", bench);
  char *path = fs_join(scratch(0), "c.json");
  fs_write_atomic(path, text, strlen(text), err);
  int rc = run_config_load(path, c, err);
  free(path);
  return rc;
}

TEST(config_bench_dataset_loads_every_candidate)
{
  struct bon_err err = {""};
  scratch(1);
  struct run_config c;
  int rc = load("{\"one_to_many\": {\"source\": \"dataset\", \"path\": \""
                DATA "RewardMATH_direct.json\", \"format\": \"rewardmath\", "
                "\"exclude_sources\": [\"gpt-3.5-turbo-0125\"]}, "
                "\"one_to_one\": {\"source\": \"dataset\", \"path\": \""
                DATA "rewardbench_math_prm_.json\", \"format\": "
                "\"rewardmath\"}}", &c, &err);
  CHECK_MSG(rc == 0, "%s", err.msg);
  if(!rc) {
    CHECK(c.one_to_many.data != NULL && c.one_to_one.data != NULL);
    CHECK_STR(c.one_to_many.source, "dataset");
    CHECK_STR(c.one_to_many.format, "rewardmath");
    CHECK_INT(c.one_to_many.data->nproblems, 2);
    /* 20 records, one generator dropped in each of the two problems */
    CHECK_INT(c.one_to_many.data->ncands, 18);
    CHECK_INT(c.one_to_many.data->excluded, 2);
    CHECK_INT(c.one_to_one.data->ncands, 4);
  }
  run_config_free(&c);
}

TEST(config_bench_dataset_errors_name_file_line_field)
{
  struct bon_err err = {""};
  char *bad = fs_join(scratch(1), "bad.jsonl");
  const char *rows =
      "{\"problem\": \"Q\", \"problem_id\": 1, \"solution_type\": "
      "\"chosen\", \"eval_solution\": [\"a\"]}\n"
      "{\"problem\": \"Q\", \"problem_id\": 1, \"solution_type\": "
      "\"rejected\", \"eval_solution\": 7}\n";
  fs_write_atomic(bad, rows, strlen(rows), &err);
  char badcfg[512];
  snprintf(badcfg, sizeof(badcfg), "{\"one_to_many\": {\"source\": "
           "\"dataset\", \"path\": \"%s\", \"format\": \"rewardmath\"}}",
           bad);
  const char *cases[][2] = {
    {badcfg, "bad.jsonl:2: field \"eval_solution\""},
    {"{\"one_to_many\": {\"source\": \"dataset\", \"format\": "
     "\"rewardmath\"}}", "benchmarks.one_to_many.path: missing"},
    {"{\"one_to_many\": {\"source\": \"dataset\", \"path\": \"" DATA
     "RewardMATH_direct.json\"}}", "benchmarks.one_to_many.format: missing"},
    {"{\"one_to_many\": {\"source\": \"dataset\", \"path\": \"" DATA
     "RewardMATH_direct.json\", \"format\": \"rewardmth\"}}",
     "format: \"rewardmth\": expected one of rewardmath, "},
    {"{\"one_to_many\": {\"source\": \"dataset\", \"path\": \"" DATA
     "RewardMATH_direct.json\", \"format\": \"rewardmath_pairwise\"}}",
     "RewardMATH_direct.json:2: field \"chosen_position\" is missing"},
    {"{\"one_to_many\": {\"source\": \"dataset\", \"path\": \"" DATA
     "RewardMATH_direct.json\", \"format\": \"rewardmath\", \"subsets\": "
     "[\"math-prm\"]}}", "subsets: applies to the formats rewardbench"},
    {"{\"one_to_many\": {\"source\": \"dataset\", \"path\": \"" DATA
     "RewardMATH_direct.json\", \"format\": \"rewardmath\", "
     "\"exclude_sources\": [3]}}", "exclude_sources[0]: expected a "
     "non-empty string"},
    {"{\"one_to_one\": {\"source\": \"dataset\", \"path\": \"" DATA
     "RewardMATH_pairwise.json\", \"format\": \"rewardmath_pairwise\"}}",
     "has a second incorrect candidate, but a one-to-one benchmark"},
    {"{\"one_to_many\": {\"source\": \"dataset\", \"path\": "
     "\"/nonexistent/x.json\", \"format\": \"rewardmath\"}}",
     "benchmarks.one_to_many.path: /nonexistent/x.json"},
    {"{\"one_to_one\": {\"source\": \"sim\", \"format\": "
     "\"rewardbench\"}}", "one_to_one.format: applies to source "
     "\"dataset\" only"},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct run_config c;
    CHECK_INT(load(cases[i][0], &c, &err), -1);
    CHECK_MSG(strstr(err.msg, cases[i][1]) != NULL,
              "case %zu: \"%s\" not in \"%s\"", i, cases[i][1], err.msg);
    CHECK_MSG(strstr(err.msg, "c.json") != NULL, "case %zu: no file in "
              "\"%s\"", i, err.msg);
    run_config_free(&c);
  }
  free(bad);
}

/* 1 when two layouts hold the same candidates (problem, correctness,
 * text), each exactly once, in any order. */
static int same_texts(const struct benchset *x, const struct benchset *y)
{
  if(x->n != y->n)
    return 0;
  for(size_t i = 0; i < x->n; i++) {
    size_t hits = 0;
    for(size_t j = 0; j < y->n; j++)
      hits += !strcmp(x->pids[i], y->pids[j]) &&
              x->correct[i] == y->correct[j] &&
              !strcmp(x->items[i].response, y->items[j].response);
    if(hits != 1)
      return 0;
  }
  return 1;
}

TEST(benchset_layouts_of_the_real_samples)
{
  struct bon_err err = {""};
  scratch(1);
  struct run_config c;
  int rc = load("{\"one_to_many\": {\"source\": \"dataset\", \"path\": \""
                DATA "RewardMATH_pairwise.json\", \"format\": "
                "\"rewardmath_pairwise\"}, \"one_to_one\": {\"source\": "
                "\"dataset\", \"path\": \"" DATA "RewardMATH_direct.json\", "
                "\"format\": \"rewardmath\"}}", &c, &err);
  /* the direct file is no one-to-one benchmark: load it as one-to-many */
  CHECK(rc == -1);
  run_config_free(&c);
  rc = load("{\"one_to_many\": {\"source\": \"dataset\", \"path\": \""
            DATA "RewardMATH_pairwise.json\", \"format\": "
            "\"rewardmath_pairwise\"}, \"one_to_one\": {\"source\": "
            "\"none\"}}", &c, &err);
  struct run_config d;
  int rd = load("{\"one_to_many\": {\"source\": \"dataset\", \"path\": \""
                DATA "RewardMATH_direct.json\", \"format\": "
                "\"rewardmath\"}, \"one_to_one\": {\"source\": \"none\"}}",
                &d, &err);
  CHECK_MSG(rc == 0 && rd == 0, "%s", err.msg);
  if(rc == 0 && rd == 0) {
    struct benchset p, q;
    benchset_build(&p, &c.one_to_many, 0, 1, 1);
    benchset_build(&q, &d.one_to_many, 0, 1, 1);
    /* 2 problems: the correct solution once, 9 incorrect ones each */
    CHECK_INT(p.n, 20);
    CHECK_INT(p.ncmp, 18);
    CHECK_INT(q.n, 20);
    CHECK_INT(q.ncmp, 18);
    /* the pairwise release holds the direct file's texts */
    CHECK(same_texts(&p, &q));
    size_t as = 0;
    for(size_t j = 0; j < p.ncmp; j++) {
      const struct proxy_item *m = &p.cmps[j];
      size_t row = m->tag;
      CHECK(!p.correct[row]);
      /* the incorrect row's text is the comparison's incorrect side */
      const char *inc = p.correct_is_a[j] ? m->response_b : m->response;
      const char *cor = p.correct_is_a[j] ? m->response : m->response_b;
      CHECK(!strcmp(inc, p.items[row].response));
      for(size_t r = 0; r < p.n; r++)
        if(p.correct[r] && !strcmp(p.pids[r], p.pids[row]))
          CHECK(!strcmp(cor, p.items[r].response));
      /* the same for the comparisons made from the direct file */
      const struct proxy_item *k = &q.cmps[j];
      CHECK(!q.correct[k->tag]);
      const char *qinc = q.correct_is_a[j] ? k->response_b : k->response;
      CHECK(!strcmp(qinc, q.items[k->tag].response));
      as += q.correct_is_a[j];
    }
    /* positions by hash: both occur (9 of 18 expected) */
    CHECK(as > 2 && as < 16);
    /* process RMs get the dataset's own steps */
    CHECK(p.items[0].steps != NULL && p.items[0].nsteps == 7);
    CHECK(q.items[0].steps != NULL && q.items[0].nsteps == 7);
    /* a verdict becomes an outcome: 1 for the correct side */
    for(size_t j = 0; j < 2; j++) {
      CHECK(benchset_outcome(&p, j, p.correct_is_a[j] ? 1 : 0) == 1);
      CHECK(benchset_outcome(&p, j, p.correct_is_a[j] ? 0 : 1) == 0);
      CHECK(isnan(benchset_outcome(&p, j, NAN)));
    }
    /* candidates.jsonl names where the correct solution stood */
    struct buf jl = BUF_INIT;
    benchset_jsonl(&p, &jl);
    CHECK(strstr(buf_str(&jl), "\"correct_position\":\"A\"") != NULL);
    CHECK(strstr(buf_str(&jl), "\"source\":\"modified_with_GPT-4\"") !=
          NULL);
    buf_free(&jl);
    /* without pairwise judges: no comparisons */
    benchset_free(&q);
    benchset_build(&q, &d.one_to_many, 0, 1, 0);
    CHECK_INT(q.ncmp, 0);
    benchset_free(&p);
    benchset_free(&q);
  }
  run_config_free(&c);
  run_config_free(&d);
}

TEST(benchset_sim_rows_are_unchanged)
{
  /* the sim benchmark as before datasets existed: candidate j of a
     problem, candidate 0 correct */
  struct bench_config b = {"sim", 3, 4, NULL, NULL, NULL};
  struct benchset s;
  benchset_build(&s, &b, 0, 7, 0);
  CHECK_INT(s.n, 15);
  for(size_t i = 0; i < s.n; i++) {
    CHECK_INT(s.sids[i], i % 5);
    CHECK_INT(s.correct[i], i % 5 == 0);
    CHECK(s.items[i].steps == NULL && s.items[i].response_b == NULL);
    CHECK_INT(s.items[i].tag, i);
  }
  benchset_free(&s);
}

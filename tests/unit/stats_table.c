/* Unit tests of stats/table: the long scores table reader and builder. */
#include "tests/unit/test.h"
#include "stats/table.h"
#include "util/rng.h"

#include <stdio.h>
#include <stdlib.h>

static struct stats_table *parse(const char *s, const char *name,
                                 struct bon_err *err)
{
  return stats_table_parse(s, strlen(s), name, NULL, err);
}

static const char *csv_text =
  "problem_id,sample_id,rm,score,correct,answer,steps\n"
  "p1,0,a,0.5,1,42,0.1;0.2\n"
  "p1,0,b,1e-3,1,42,\n"
  "p1,1,a,-2.25,0,\"4,2\",0.3\n"
  "p1,1,b,,0,\"4,2\",\n"
  "p2,x,a,3,0,\"say \"\"hi\"\"\",\n"
  "p2,x,b,7,0,\"say \"\"hi\"\"\",\n";

static const char *tsv_text =
  "problem_id\tsample_id\trm\tscore\tcorrect\tanswer\tsteps\n"
  "p1\t0\ta\t0.5\t1\t42\t0.1;0.2\n"
  "p1\t0\tb\t1e-3\t1\t42\t\n"
  "p1\t1\ta\t-2.25\t0\t4,2\t0.3\n"
  "p1\t1\tb\tnan\t0\t4,2\t\n"
  "p2\tx\ta\t3\t0\tsay \"hi\"\t\n"
  "p2\tx\tb\t7\t0\tsay \"hi\"\t\n";

static const char *jsonl_text =
  "{\"problem_id\": \"p1\", \"sample_id\": 0, \"rm\": \"a\", \"score\": 0.5,"
  " \"correct\": true, \"answer\": \"42\", \"steps\": [0.1, 0.2]}\n"
  "{\"problem_id\": \"p1\", \"sample_id\": 0, \"rm\": \"b\", \"score\": 1e-3,"
  " \"correct\": 1, \"answer\": \"42\", \"steps\": \"\", \"extra\": {\"a\":[1,2]}}\n"
  "\n"
  "{\"rm\": \"a\", \"problem_id\": \"p1\", \"sample_id\": 1, \"score\": -2.25,"
  " \"correct\": 0, \"answer\": \"4,2\", \"steps\": \"0.3\"}\n"
  "{\"problem_id\": \"p1\", \"sample_id\": 1, \"rm\": \"b\", \"score\": null,"
  " \"correct\": false, \"answer\": \"4,2\", \"steps\": []}\n"
  "{\"problem_id\": \"p2\", \"sample_id\": \"x\", \"rm\": \"a\", \"score\": 3,"
  " \"correct\": 0, \"answer\": \"say \\\"hi\\\"\", \"steps\": \"\"}\n"
  "{\"problem_id\": \"p2\", \"sample_id\": \"x\", \"rm\": \"b\", \"score\": 7,"
  " \"correct\": 0, \"answer\": \"say \\u0022hi\\\"\", \"steps\": \"\"}\n";

static int same_num(double a, double b)
{
  return (isnan(a) && isnan(b)) || a == b;
}

static void check_expected(const struct stats_table *t)
{
  CHECK_INT(t->n_problems, 2);
  CHECK_INT(t->n_rms, 2);
  CHECK_INT((long long)t->n_cands, 3);
  CHECK_STR(t->problems[0], "p1");
  CHECK_STR(t->rms[1], "b");
  CHECK_INT((long long)t->cand_off[1], 2);
  CHECK_STR(t->samples[2], "x");
  CHECK(t->has_answer && t->has_steps && t->gold_binary);
  const double *a1 = stats_table_scores(t, 0, 0);
  const double *b1 = stats_table_scores(t, 1, 0);
  CHECK(a1[0] == 0.5 && a1[1] == -2.25);
  CHECK(b1[0] == 0.001 && isnan(b1[1]));
  CHECK(stats_table_scores(t, 1, 1)[0] == 7);
  CHECK(t->gold[0] == 1 && t->gold[1] == 0);
  CHECK_STR(t->answers[t->answer[1]], "4,2");
  CHECK_STR(t->answers[t->answer[2]], "say \"hi\"");
  CHECK_INT((long long)t->counts.missing_scores, 1);
  CHECK_INT((long long)t->counts.rows, 6);
  CHECK_INT((long long)t->counts.problems_no_correct, 1);
  CHECK_INT((long long)t->counts.min_pool, 1);
  CHECK_INT((long long)t->counts.max_pool, 2);
  /* steps of (a, cand 0) = 0.1;0.2, (a, cand 1) = 0.3 */
  size_t o = t->steps_off[0 * t->n_cands + 0];
  CHECK_INT((long long)(t->steps_off[1] - o), 2);
  CHECK(t->steps_val[o] == 0.1 && t->steps_val[o + 1] == 0.2);
  CHECK_INT((long long)(t->steps_off[2] - t->steps_off[1]), 1);
  CHECK_INT((long long)(t->steps_off[4] - t->steps_off[3]), 0);
}

TEST(table_csv_tsv_jsonl_agree)
{
  struct bon_err err = {{0}};
  struct stats_table *c = parse(csv_text, "x.csv", &err);
  CHECK_MSG(c, "%s", err.msg);
  struct stats_table *t = parse(tsv_text, "x.tsv", &err);
  CHECK_MSG(t, "%s", err.msg);
  struct stats_table *j = parse(jsonl_text, "x.jsonl", &err);
  CHECK_MSG(j, "%s", err.msg);
  struct stats_table *all[3] = {c, t, j};
  for(int k = 0; k < 3; k++)
    if(all[k])
      check_expected(all[k]);
  if(c && t && j)
    for(size_t i = 0; i < c->n_cands * 2; i++)
      CHECK(same_num(c->score[i], t->score[i]) &&
            same_num(c->score[i], j->score[i]));
  /* detection by content when the name says nothing */
  struct stats_table *d1 = parse(tsv_text, "noext", &err);
  struct stats_table *d2 = parse(jsonl_text, "noext", &err);
  CHECK(d1 && d2);
  if(d1)
    check_expected(d1);
  if(d2)
    check_expected(d2);
  stats_table_free(c);
  stats_table_free(t);
  stats_table_free(j);
  stats_table_free(d1);
  stats_table_free(d2);
}

TEST(table_read_file_and_overrides)
{
  char path[600];
  snprintf(path, sizeof(path), "%s/t.csv", test_tmpdir());
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if(!f)
    return;
  fputs("q,cand,model,reward,gold\r\nA,1,m,0.25,0.5\r\nA,2,m,0.75,0.9\r\n",
        f);
  fclose(f);
  struct bon_err err = {{0}};
  struct stats_table *t = stats_table_read(path, NULL, &err);
  CHECK(!t);
  CHECK(strstr(err.msg, "t.csv:1:") && strstr(err.msg, "problem_id"));
  struct stats_table_opts o;
  stats_table_opts_init(&o);
  o.col_problem = "q";
  o.col_sample = "cand";
  o.col_rm = "model";
  o.col_score = "reward";
  o.col_correct = "gold";
  t = stats_table_read(path, &o, &err);
  CHECK_MSG(t, "%s", err.msg);
  if(t) {
    CHECK(!t->gold_binary && !t->has_answer && !t->steps_off);
    CHECK(t->gold[1] == 0.9 && t->score[1] == 0.75);
    CHECK_INT(t->answer[0], -1);
  }
  stats_table_free(t);
}

TEST(table_rm_filter)
{
  struct bon_err err = {{0}};
  const char *keep[] = {"b"};
  struct stats_table_opts o;
  stats_table_opts_init(&o);
  o.rms = keep;
  o.n_rms = 1;
  struct stats_table *t =
    stats_table_parse(csv_text, strlen(csv_text), "x.csv", &o, &err);
  CHECK_MSG(t, "%s", err.msg);
  if(t) {
    CHECK_INT(t->n_rms, 1);
    CHECK_STR(t->rms[0], "b");
    CHECK_INT((long long)t->counts.rows_filtered, 3);
  }
  stats_table_free(t);
}

static void expect_err(const char *text, const char *name, const char *want1,
                       const char *want2)
{
  struct bon_err err = {{0}};
  struct stats_table *t = parse(text, name, &err);
  CHECK_MSG(!t, "expected an error for %s", want2);
  CHECK_MSG(strstr(err.msg, want1) && strstr(err.msg, want2),
            "message '%s' lacks '%s' / '%s'", err.msg, want1, want2);
  stats_table_free(t);
}

TEST(table_errors_name_the_line)
{
  const char *h = "problem_id,sample_id,rm,score,correct\n";
  char buf[1024];
  expect_err("problem_id,sample_id,rm,correct\np,1,a,1\n", "f.csv",
             "f.csv:1:", "missing column 'score'");
  snprintf(buf, sizeof(buf), "%sp,1,a,0.5,1\np,2,a,x1,0\n", h);
  expect_err(buf, "f.csv", "f.csv:3:", "bad number 'x1'");
  snprintf(buf, sizeof(buf), "%sp,1,a,0.5,1\np,2,a,0.1,0\np,1,a,1,1\n", h);
  expect_err(buf, "f.csv", "f.csv:4:", "duplicate");
  snprintf(buf, sizeof(buf), "%sp,1,a,0.5,1\n\np,1,b,0.1,0\n", h);
  expect_err(buf, "f.csv", "f.csv:4:", "gold");
  snprintf(buf, sizeof(buf), "%sp,1,a,0.5,1\np,2,a,0.1,0\np,1,b,1,1\n", h);
  expect_err(buf, "f.csv", "f.csv:3:", "ragged");
  snprintf(buf, sizeof(buf), "%sp,1,a,0.5,1\np,2,a,0.1\n", h);
  expect_err(buf, "f.csv", "f.csv:3:", "expected 5 fields");
  snprintf(buf, sizeof(buf), "%sp,1,a,0.5,\n", h);
  expect_err(buf, "f.csv", "f.csv:2:", "missing value");
  snprintf(buf, sizeof(buf), "%sp,\"1,a,0.5,1\n", h);
  expect_err(buf, "f.csv", "f.csv:2:", "unterminated");
  expect_err("problem_id,sample_id,rm,score,correct,answer\n"
             "p,1,a,0.5,1,7\np,1,b,0.5,1,8\n", "f.csv", "f.csv:3:",
             "answer");
  expect_err(h, "f.csv", "f.csv", "no data rows");
  expect_err("", "f.csv", "f.csv", "empty");
  expect_err("{\"problem_id\":\"p\",\"sample_id\":1,\"rm\":\"a\","
             "\"score\":1,\"correct\":1}\n{\"problem_id\":\"p\"}\n",
             "f.jsonl", "f.jsonl:2:", "missing field 'sample_id'");
  expect_err("{\"problem_id\":\"p\",\"sample_id\":1,\"rm\":\"a\","
             "\"score\":1,\"correct\":1\n", "f.jsonl", "f.jsonl:1:",
             "malformed");
  expect_err("{\"problem_id\":\"p\",\"sample_id\":1,\"rm\":\"a\","
             "\"score\":[1],\"correct\":1}\n", "f.jsonl", "f.jsonl:1:",
             "score");
  snprintf(buf, sizeof(buf), "%sp,1,a,0.5,1\n", h);
  struct bon_err err = {{0}};
  const char *keep[] = {"zz"};
  struct stats_table_opts o;
  stats_table_opts_init(&o);
  o.rms = keep;
  o.n_rms = 1;
  CHECK(!stats_table_parse(buf, strlen(buf), "f.csv", &o, &err));
  CHECK(strstr(err.msg, "RM filter") != NULL);
}

TEST(table_numbers_match_strtod)
{
  /* random decimals through the fast path must equal strtod exactly */
  struct rng r;
  rng_seed(&r, 5, 0, 0);
  char buf[1 << 16];
  size_t off = 0;
  enum { n = 1000 };
  static char txt[n][40];
  off += (size_t)snprintf(buf, sizeof(buf),
                          "problem_id,sample_id,rm,score,correct\n");
  for(int i = 0; i < n; i++) {
    int kind = (int)rng_below(&r, 5);
    double v = (rng_unif(&r) - 0.5) * pow(10, (int)rng_below(&r, 12) - 6);
    if(kind == 0)
      snprintf(txt[i], 40, "%.17g", v);
    else if(kind == 1)
      snprintf(txt[i], 40, "%.6f", v);
    else if(kind == 2)
      snprintf(txt[i], 40, "%.3e", v);
    else if(kind == 3)
      snprintf(txt[i], 40, "%d", (int)(v * 1000));
    else
      snprintf(txt[i], 40, "%.25f", v);
    off += (size_t)snprintf(buf + off, sizeof(buf) - off, "p,%d,a,%s,0\n",
                            i, txt[i]);
  }
  struct bon_err err = {{0}};
  struct stats_table *t = stats_table_parse(buf, off, "n.csv", NULL, &err);
  CHECK_MSG(t, "%s", err.msg);
  if(!t)
    return;
  int bad = 0;
  for(int i = 0; i < n; i++)
    bad += t->score[i] != strtod(txt[i], NULL);
  CHECK_INT(bad, 0);
  stats_table_free(t);
}

TEST(table_builder)
{
  struct bon_err err = {{0}};
  struct stats_builder *b = stats_builder_new(NULL);
  const char *rms[2] = {"a", "b"};
  double steps[4] = {0.5, 0.25, 0.125, 1};
  for(int p = 0; p < 3; p++)
    for(int s = 0; s < 4; s++)
      for(int r = 0; r < 2; r++) {
        char pid[16], sid[16];
        snprintf(pid, sizeof(pid), "q%d", p);
        snprintf(sid, sizeof(sid), "%d", s);
        struct stats_row row = {pid, sid, rms[r], p * 10 + s + r,
                                s == p, s % 2 ? "odd" : "even", steps, s};
        CHECK(stats_builder_add(b, &row, &err) == 0);
      }
  struct stats_row dup = {"q0", "1", "a", 1, 0, "odd", NULL, 0};
  CHECK(stats_builder_add(b, &dup, &err) < 0);
  CHECK(strstr(err.msg, "<memory>:row 25") && strstr(err.msg, "duplicate"));
  struct stats_table *t = stats_builder_finish(b, &err);
  CHECK_MSG(t, "%s", err.msg);
  if(!t)
    return;
  CHECK_INT(t->n_problems, 3);
  CHECK_INT((long long)t->n_cands, 12);
  CHECK(stats_table_scores(t, 1, 2)[3] == 24);
  CHECK_INT(t->n_answers, 2);
  CHECK_INT((long long)t->counts.problems_no_correct, 0);
  CHECK_INT((long long)(t->steps_off[4] - t->steps_off[3]), 3);
  CHECK_INT(stats_table_rm_index(t, "b"), 1);
  CHECK_INT(stats_table_rm_index(t, "c"), -1);
  stats_table_free(t);
  /* ragged in memory */
  b = stats_builder_new(NULL);
  struct stats_row r1 = {"q", "1", "a", 1, 0, NULL, NULL, 0};
  struct stats_row r2 = {"q", "2", "b", 1, 0, NULL, NULL, 0};
  stats_builder_add(b, &r1, &err);
  stats_builder_add(b, &r2, &err);
  CHECK(!stats_builder_finish(b, &err));
  CHECK(strstr(err.msg, "ragged") && strstr(err.msg, "row 1"));
}

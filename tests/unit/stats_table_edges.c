/* Regression tests for what the fuzz targets (tests/fuzz/table.c,
 * tests/fuzz/csv.c) found. */
#include "tests/unit/test.h"
#include "stats/table.h"

#include <string.h>

static struct stats_table *parse(const char *text, enum stats_format f,
                                 struct bon_err *err)
{
  struct stats_table_opts o;
  stats_table_opts_init(&o);
  o.format = f;
  return stats_table_parse(text, strlen(text), "f.csv", &o, err);
}

/* fuzz_table: an overflowing number (2e0311) was read as gold = inf, and
 * inf scores broke standardisation (inf - inf); now an error naming the
 * line, in every format and from the builder. */
TEST(fuzzfind_infinite_numbers_are_rejected)
{
  struct bon_err err;
  const char *bad[] = {
    "problem_id,sample_id,rm,score,correct\np,1,a,1,2e0311\n",
    "problem_id,sample_id,rm,score,correct\np,1,a,0.5,1\np,2,a,inf,0\n",
    "problem_id,sample_id,rm,score,correct\np,1,a,-1e999,1\n",
    "problem_id,sample_id,rm,score,correct,steps\np,1,a,1,1,0.5;1e400\n"};
  int line[] = {2, 3, 2, 2};
  for(int i = 0; i < 4; i++) {
    struct stats_table *t = parse(bad[i], STATS_FMT_CSV, &err);
    CHECK_MSG(t == NULL, "case %d accepted", i);
    stats_table_free(t);
    char want[32];
    snprintf(want, sizeof(want), "f.csv:%d:", line[i]);
    CHECK_MSG(strstr(err.msg, want) != NULL, "case %d: %s", i, err.msg);
  }
  struct stats_table *t = parse(
    "{\"problem_id\":\"p\",\"sample_id\":1,\"rm\":\"a\",\"score\":1e999,"
    "\"correct\":1}\n", STATS_FMT_JSONL, &err);
  CHECK(t == NULL);
  stats_table_free(t);
  /* large finite values and missing ones are still fine */
  t = parse("problem_id,sample_id,rm,score,correct\np,1,a,1e300,1\n"
            "p,2,a,nan,0\n", STATS_FMT_CSV, &err);
  CHECK_MSG(t != NULL, "%s", err.msg);
  if(t)
    CHECK(t->score[0] == 1e300 && isnan(t->score[1]));
  stats_table_free(t);
  struct stats_builder *b = stats_builder_new(NULL);
  struct stats_row row = {"p", "1", "a", INFINITY, 1, NULL, NULL, 0};
  CHECK(stats_builder_add(b, &row, &err) < 0);
  row.score = 1;
  row.correct = -INFINITY;
  CHECK(stats_builder_add(b, &row, &err) < 0);
  CHECK(strstr(err.msg, "finite") != NULL);
  stats_builder_free(b);
}

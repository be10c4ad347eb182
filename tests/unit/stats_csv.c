/* Unit tests of stats/csv: the small keyed tables correlate reads. */
#include "tests/unit/test.h"
#include "stats/csv.h"
#include "util/num.h"

#include <stdlib.h>

TEST(csv_quotes_crlf_and_lines)
{
  const char *s = "\xEF\xBB\xBFrm,acc,note\r\n"
                  "a,0.5,plain\r\n"
                  "\r\n"
                  "\"b,2\",0.25,\"two\nlines \"\"q\"\"\"\n"
                  "c,,x";
  struct bon_err err;
  struct stats_csv *c = stats_csv_parse(s, strlen(s), "t.csv", &err);
  CHECK(c != NULL);
  if(!c)
    return;
  CHECK_INT(c->ncols, 3);
  CHECK_INT(c->nrows, 3);
  CHECK_STR(c->header[0], "rm");
  CHECK_INT(stats_csv_col(c, "note"), 2);
  CHECK_INT(stats_csv_col(c, "nope"), -1);
  CHECK_STR(stats_csv_get(c, 1, 0), "b,2");
  CHECK_STR(stats_csv_get(c, 1, 2), "two\nlines \"q\"");
  CHECK_STR(stats_csv_get(c, 2, 1), "");
  CHECK_INT(c->line[0], 2);
  CHECK_INT(c->line[1], 4);
  CHECK_INT(c->line[2], 6);
  stats_csv_free(c);
}

TEST(csv_errors_name_file_and_line)
{
  struct bon_err err;
  const char *ragged = "rm,a\nx,1\ny,2,3\n";
  CHECK(stats_csv_parse(ragged, strlen(ragged), "r.csv", &err) == NULL);
  CHECK(strstr(err.msg, "r.csv:3") != NULL);
  const char *open = "rm,a\nx,\"1\n";
  CHECK(stats_csv_parse(open, strlen(open), "o.csv", &err) == NULL);
  CHECK(strstr(err.msg, "not closed") != NULL);
  CHECK(stats_csv_parse("", 0, "e.csv", &err) == NULL);
  CHECK(strstr(err.msg, "empty") != NULL);
  const char *after = "rm,a\n\"x\"y,1\n";
  CHECK(stats_csv_parse(after, strlen(after), "q.csv", &err) == NULL);
}

TEST(csv_tabs_and_find_first)
{
  const char *s = "problem_id\trm\np1\ta\np2\ta\np2\tb\n";
  struct bon_err err;
  struct stats_csv *c = stats_csv_parse(s, strlen(s), "t.txt", &err);
  CHECK(c && c->ncols == 2 && c->nrows == 3);
  stats_csv_free(c);
  size_t line;
  CHECK(stats_csv_find_first(s, strlen(s), "t.txt", "problem_id", "p2",
                             &line, &err) == 0);
  CHECK_INT(line, 3);
  CHECK(stats_csv_find_first(s, strlen(s), "t.txt", "problem_id", "p9",
                             &line, &err) == 0);
  CHECK_INT(line, 0);
  CHECK(stats_csv_find_first(s, strlen(s), "t.txt", "zz", "p9", &line,
                             &err) < 0);
}

TEST(csv_writing_roundtrips)
{
  struct buf b = BUF_INIT;
  buf_puts(&b, "rm,v\n");
  stats_csv_put(&b, "ens-mean(a,b)");
  buf_putc(&b, ',');
  num_put(&b, NAN);
  buf_puts(&b, "\n");
  stats_csv_put(&b, "say \"hi\"");
  buf_putc(&b, ',');
  num_put(&b, 0.1);
  buf_puts(&b, "\n");
  CHECK_STR(buf_str(&b), "rm,v\n\"ens-mean(a,b)\",nan\n\"say \"\"hi\"\"\",0.1\n");
  struct bon_err err;
  struct stats_csv *c = stats_csv_parse(b.data, b.len, "w.csv", &err);
  CHECK(c != NULL);
  if(c) {
    CHECK_STR(stats_csv_get(c, 0, 0), "ens-mean(a,b)");
    CHECK_STR(stats_csv_get(c, 1, 0), "say \"hi\"");
  }
  stats_csv_free(c);
  buf_free(&b);
}

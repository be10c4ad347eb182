/* Unit tests of runner/verify_line.h: the line protocol of bonrun verify. */
#include "tests/unit/test.h"
#include "runner/verify_line.h"

TEST(runner_verify_line_fields_and_errors)
{
  struct buf b = BUF_INIT;
  const char *in = "{\"id\": 12345678901234567890, \"gold\": \"2\", "
                   "\"pred\": \"\\\\boxed{2}\"}";
  CHECK_INT(verify_line(in, strlen(in), 1, 0, &b), 0);
  CHECK(strstr(buf_str(&b), "\"id\": 12345678901234567890") != NULL);
  CHECK(strstr(buf_str(&b), "\"correct\":true") != NULL);
  buf_reset(&b);
  CHECK_INT(verify_line("{\"gold\": 1", 10, 7, 0, &b), -1);
  CHECK(strstr(buf_str(&b), "line 7") != NULL);
  CHECK(strstr(buf_str(&b), "\"correct\":false") != NULL);
  buf_reset(&b);
  const char *ng = "{\"pred\": \"1\"}";
  CHECK_INT(verify_line(ng, strlen(ng), 3, 0, &b), -1);
  CHECK(strstr(buf_str(&b), "gold") != NULL);
  buf_reset(&b);
  /* a numeric gold (GSM8K style) is accepted; an input "correct" field
   * is replaced, not duplicated */
  const char *num = "{\"gold\": 18, \"pred\": \"#### 18\", \"correct\": 0}";
  CHECK_INT(verify_line(num, strlen(num), 1, 0, &b), 0);
  CHECK(strstr(buf_str(&b), "\"correct\":true") != NULL);
  CHECK(strstr(buf_str(&b), "\"correct\":0") == NULL);
  buf_free(&b);
}

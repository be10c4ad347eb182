/* Unit tests of ingest/records.h: JSON lines and arrays, gzip, lines. */
#include "tests/unit/test.h"
#include "ingest/records.h"
#include "util/fsutil.h"

#include <stdlib.h>
#include <zlib.h>

struct seen {
  size_t n;
  size_t lines[16];
  char first[16][32];
  int stop_at;
};

static int collect(void *ctx, const cJSON *rec, size_t line, size_t index,
                   struct bon_err *err)
{
  struct seen *s = ctx;
  (void)err;
  if(s->n < 16) {
    s->lines[s->n] = line;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(rec, "a");
    snprintf(s->first[s->n], 32, "%s", cJSON_IsString(a) ? a->valuestring
                                                         : "?");
  }
  CHECK_INT(index, s->n);
  s->n++;
  return s->stop_at && (int)s->n == s->stop_at;
}

static int walk(const char *text, struct seen *s, struct bon_err *err)
{
  memset(s, 0, sizeof(*s));
  return ingest_records(text, strlen(text), "f.json", collect, s, err);
}

TEST(ingest_json_lines_and_arrays)
{
  struct seen s;
  struct bon_err err;
  CHECK_INT(walk("{\"a\":\"x\"}\n\n  \r\n{\"a\":\"y\"}\r\n", &s, &err), 0);
  CHECK_INT(s.n, 2);
  CHECK_INT(s.lines[0], 1);
  CHECK_INT(s.lines[1], 4);
  CHECK_STR(s.first[1], "y");
  /* an array: every record knows the line it starts on */
  CHECK_INT(walk("\xef\xbb\xbf [\n {\"a\":\"x\"},\n\n {\"a\":\n\"y\"} ,"
                 "{\"a\":\"z\"}\n]\n", &s, &err), 0);
  CHECK_INT(s.n, 3);
  CHECK_INT(s.lines[0], 2);
  CHECK_INT(s.lines[1], 4);
  CHECK_INT(s.lines[2], 5);
  CHECK_STR(s.first[2], "z");
  CHECK_INT(walk("[]", &s, &err), 0);
  CHECK_INT(s.n, 0);
  CHECK_INT(walk("", &s, &err), 0);
  CHECK_INT(s.n, 0);
  /* the callback may stop early */
  memset(&s, 0, sizeof(s));
  s.stop_at = 1;
  const char *two = "[{\"a\":\"x\"},{\"a\":\"y\"}]";
  CHECK_INT(ingest_records(two, strlen(two), "f", collect, &s, &err), 0);
  CHECK_INT(s.n, 1);
}

TEST(ingest_errors_name_file_and_line)
{
  struct seen s;
  struct bon_err err;
  static const struct {
    const char *text, *msg;
  } bad[] = {
    {"{\"a\":1}\n{\"a\":\n", "f.json:2: not valid JSON"},
    {"{\"a\":1}\n[1]\n", "f.json:2: not a JSON object"},
    {"[\n{\"a\":1},\n 5]", "f.json:3: record 2 is not a JSON object"},
    {"[\n{\"a\":1}\n{\"a\":2}]", "f.json:3: expected ',' or ']' after record 1"},
    {"[{\"a\":1}]\nxyz", "f.json:2: text after the closing ']'"},
    {"[{\"a\":1},\n{\"a\":", "f.json:2: record 2 is not valid JSON"},
  };
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    CHECK_INT(walk(bad[i].text, &s, &err), -1);
    CHECK_MSG(strstr(err.msg, bad[i].msg) != NULL, "case %zu: %s", i,
              err.msg);
  }
}

static void write_gz(const char *path, const char *text, int members)
{
  gzFile f = gzopen(path, "wb");
  CHECK(f != NULL);
  if(!f)
    return;
  size_t half = members > 1 ? strlen(text) / 2 : strlen(text);
  gzwrite(f, text, (unsigned)half);
  gzclose(f);
  if(members > 1) {
    f = gzopen(path, "ab");
    gzwrite(f, text + half, (unsigned)(strlen(text) - half));
    gzclose(f);
  }
}

TEST(ingest_reads_gzip)
{
  const char *dir = test_tmpdir();
  char path[600];
  struct bon_err err;
  const char *text = "{\"a\":\"one\"}\n{\"a\":\"two\"}\n";
  for(int members = 1; members <= 2; members++) {
    snprintf(path, sizeof(path), "%s/p%d.jsonl.gz", dir, members);
    write_gz(path, text, members);
    size_t len;
    char *got = ingest_read(path, &len, &err);
    CHECK_MSG(got != NULL, "%s", err.msg);
    if(got) {
      CHECK_INT(len, strlen(text));
      CHECK_STR(got, text);
    }
    free(got);
  }
  /* truncated: a clear error, no crash */
  snprintf(path, sizeof(path), "%s/p1.jsonl.gz", dir);
  size_t n;
  char *raw = fs_read_file(path, &n, &err);
  CHECK(raw != NULL);
  snprintf(path, sizeof(path), "%s/cut.gz", dir);
  CHECK_INT(fs_write_atomic(path, raw, n - 6, &err), 0);
  free(raw);
  size_t len;
  CHECK(ingest_read(path, &len, &err) == NULL);
  CHECK(strstr(err.msg, "corrupt or truncated gzip") != NULL);
  /* plain files pass through */
  snprintf(path, sizeof(path), "%s/plain.jsonl", dir);
  CHECK_INT(fs_write_atomic(path, text, strlen(text), &err), 0);
  char *got = ingest_read(path, &len, &err);
  CHECK(got && !strcmp(got, text));
  free(got);
}

TEST(ingest_paths_and_scalars)
{
  cJSON *j = cJSON_Parse("{\"feature\":{\"level\":3,\"subject\":\"Algebra\"},"
                         "\"id\":12,\"x\":2.5,\"t\":true,\"n\":null}");
  char b[64];
  CHECK_INT(ingest_scalar(ingest_path(j, "feature.level"), b, sizeof(b)), 0);
  CHECK_STR(b, "3");
  CHECK_INT(ingest_scalar(ingest_path(j, "feature.subject"), b, 64), 0);
  CHECK_STR(b, "Algebra");
  CHECK_INT(ingest_scalar(ingest_path(j, "id"), b, sizeof(b)), 0);
  CHECK_STR(b, "12");
  CHECK_INT(ingest_scalar(ingest_path(j, "x"), b, sizeof(b)), 0);
  CHECK_STR(b, "2.5");
  CHECK_INT(ingest_scalar(ingest_path(j, "t"), b, sizeof(b)), 0);
  CHECK_STR(b, "true");
  CHECK_INT(ingest_scalar(ingest_path(j, "n"), b, sizeof(b)), -1);
  CHECK(ingest_path(j, "feature.level.deeper") == NULL);
  CHECK(ingest_path(j, "nope.level") == NULL);
  CHECK_INT(ingest_scalar(ingest_path(j, "feature"), b, sizeof(b)), -1);
  cJSON_Delete(j);
}

/* Unit tests of runner/: the record store and the config checks. */
#include "runner/config.h"
#include "runner/store.h"
#include "tests/unit/test.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>

TEST(store_roundtrip_and_torn_line)
{
  struct bon_err err;
  char *path = fs_join(test_tmpdir(), "s.jsonl");
  struct store *s = store_open(path, &err);
  CHECK(s != NULL);
  CHECK_INT(store_put(s, 42, ",\"x\":1}", &err), 0);
  CHECK_INT(store_put(s, 43, ",\"x\":2}", &err), 0);
  CHECK_INT(store_put(s, 42, ",\"x\":3}", &err), 0); /* replaces */
  CHECK_INT(store_count(s), 2);
  cJSON *j = store_get(s, 42);
  CHECK(j && cJSON_GetObjectItem(j, "x")->valueint == 3);
  cJSON_Delete(j);
  store_close(s);
  /* a torn record at the end, as after kill -9 mid-write */
  FILE *f = fopen(path, "a");
  fputs("{\"key\":\"00000000000000ff\",\"x\":", f);
  fclose(f);
  s = store_open(path, &err);
  CHECK(s != NULL);
  CHECK_INT(store_count(s), 2);
  CHECK(store_repaired(s) > 0);
  CHECK(!store_has(s, 255));
  CHECK_INT(store_put(s, 44, ",\"x\":4}", &err), 0);
  store_close(s);
  s = store_open(path, &err);
  CHECK_INT(store_count(s), 3);
  j = store_get(s, 44);
  CHECK(j && cJSON_GetObjectItem(j, "x")->valueint == 4);
  cJSON_Delete(j);
  store_close(s);
  free(path);
}

TEST(store_rejects_foreign_file)
{
  struct bon_err err;
  char *path = fs_join(test_tmpdir(), "bad.jsonl");
  fs_write_atomic(path, "{\"a\":1}\n", 8, &err);
  struct store *s = store_open(path, &err);
  CHECK(s == NULL);
  CHECK(strstr(err.msg, "bad.jsonl:1") != NULL);
  free(path);
}

/* Load a config from text; returns 0/-1 and leaves the message in err. */
static int load(const char *text, struct bon_err *err)
{
  char *path = fs_join(test_tmpdir(), "c.json");
  fs_write_atomic(path, text, strlen(text), err);
  struct run_config c;
  int rc = run_config_load(path, &c, err);
  run_config_free(&c);
  free(path);
  return rc;
}

TEST(config_defaults_fill_in)
{
  struct bon_err err = {""};
  char *path = fs_join(test_tmpdir(), "min.json");
  const char *t = "{\"proxies\": [{\"name\": \"careful\"}]}";
  fs_write_atomic(path, t, strlen(t), &err);
  struct run_config c;
  CHECK_INT(run_config_load(path, &c, &err), 0);
  CHECK_STR(c.name, "min");
  CHECK_STR(c.out, "runs/min");
  CHECK_INT(c.samples, 16);
  CHECK_INT(c.nproblems, 100);
  CHECK_INT(c.bootstrap, 1000);
  CHECK_INT(c.one_to_many.incorrect, 9);
  CHECK(c.n_grid == NULL);
  run_config_free(&c);
  free(path);
}

TEST(config_errors_name_the_key)
{
  static const char *const cases[][2] = {
    {"{\"proxies\": [{\"name\":\"a\"}], \"seeed\": 3}",
     "seeed: unknown key (did you mean \"seed\"?)"},
    {"{\"proxies\": [{\"name\":\"a\"}], \"seed\": \"x\"}",
     "seed: expected an integer"},
    {"{\"proxies\": [{\"name\":\"a\"}], \"dataset\": {\"problem\": 3}}",
     "dataset.problem: unknown key (did you mean \"problems\"?)"},
    {"{\"proxies\": [{\"name\":\"a\"}], \"dataset\": {\"source\": \"file\", "
     "\"path\": \"/nonexistent/p.jsonl\"}}", "/nonexistent/p.jsonl"},
    {"{\"proxies\": [{\"name\":\"a\"}], \"dataset\": {\"source\": \"web\"}}",
     "dataset.source: unknown value \"web\""},
    {"{\"dataset\": {}}", "proxies: missing required key"},
    {"{\"proxies\": []}", "proxies: the list is empty"},
    {"{\"proxies\": [{\"name\":\"a\"}], \"analysis\": {\"n_grid\": [4, 2]}}",
     "analysis.n_grid[1]: the list must be strictly increasing"},
    {"{\"proxies\": [{\"name\":\"a\"}], \"policy\": {\"samples\": 0}}",
     "policy.samples: expected an integer"},
    {"{\"proxies\": [{\"name\":\"a\"}],\n \"seed\": 1,,}", "c.json:2:"},
    {"{\"proxies\": [{\"name\":\"a\"}], \"analysis\": {\"group_by\": "
     "\"level\"}}", "analysis.group_by: needs dataset.source \"file\""},
    {"{\"proxies\": [{\"name\":\"a\"}], \"analysis\": {\"group_by\": "
     "[]}}", "analysis.group_by: expected a field name"},
    {"{\"proxies\": [{\"name\":\"a\"}], \"dataset\": {\"source\": "
     "\"file\", \"path\": \"x\"}, \"analysis\": {\"group_by\": "
     "[\"a\", 3]}}", "analysis.group_by[1]: expected a field name"},
    {"{\"proxies\": [{\"name\":\"a\"}], \"dataset\": {\"source\": "
     "\"file\", \"path\": \"x\"}, \"analysis\": {\"group_by\": "
     "[\"a\", \"a\"]}}", "analysis.group_by: \"a\" is named twice"},
    {"{\"proxies\": [{\"name\":\"a\"}], \"policy\": {\"backend\": "
     "\"file\", \"samples\": 4}, \"analysis\": {\"n_grid\": [2, 8]}}",
     "analysis.n_grid[1]: 8 is more than policy.samples (N = 4)"},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    struct bon_err err = {""};
    CHECK_INT(load(cases[i][0], &err), -1);
    CHECK_MSG(strstr(err.msg, cases[i][1]) != NULL,
              "case %zu: \"%s\" not in \"%s\"", i, cases[i][1], err.msg);
    CHECK_MSG(strstr(err.msg, "c.json") != NULL, "case %zu: no file in \"%s\"",
              i, err.msg);
  }
}

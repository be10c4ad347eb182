/* Unit tests of plots/runinfo.c: reading run.json (every field, what is
 * optional, what is refused with the field named) and the no-answer rule
 * shared by the report and the terminal warning. */
#include "tests/unit/test.h"
#include "plots/runinfo.h"
#include "util/buf.h"
#include "util/fsutil.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const good =
  "{\"format\": 1, \"bonrun\": \"0.1.0\", \"name\": \"demo\", "
  "\"seed\": 2024, \"samples_per_problem\": 64, \"problems\": 300, "
  "\"dataset\": {\"source\": \"file\", \"path\": \"d.jsonl\"}, "
  "\"policy\": {\"backend\": \"openai\", \"model\": \"Qwen/Q\"}, "
  "\"rms\": [{\"name\": \"sky\", \"backend\": \"vllm-classify\", "
  "\"model\": \"Skywork/S\"}, {\"name\": \"careful\", \"backend\": \"sim\", "
  "\"model\": null}], "
  "\"benchmarks\": {\"one_to_many\": {\"source\": \"sim\", \"path\": null, "
  "\"count\": 300}, \"one_to_one\": {\"source\": \"file\", "
  "\"path\": \"b.csv\", \"count\": null}}, "
  "\"samples\": {\"total\": 19200, \"completed\": 19190, \"no_answer\": 7, "
  "\"errors\": 10, \"truncated\": null}, \"shard\": null, "
  "\"a_later_key\": [1, 2]}";

static int parse(struct plot_runinfo *r, const char *text,
                 struct bon_err *e)
{
  return plot_runinfo_parse(r, text, strlen(text), "run.json", e);
}

TEST(plot_runinfo_reads_every_field)
{
  struct plot_runinfo r;
  struct bon_err e;
  CHECK_INT(parse(&r, good, &e), 0);
  CHECK_STR(r.bonrun, "0.1.0");
  CHECK_STR(r.name, "demo");
  CHECK_NEAR(r.seed, 2024, 0);
  CHECK_INT(r.samples_per_problem, 64);
  CHECK_INT(r.problems, 300);
  CHECK_STR(r.dataset.source, "file");
  CHECK_STR(r.dataset.path, "d.jsonl");
  CHECK_INT(r.dataset.count, -1);
  CHECK_STR(r.policy.backend, "openai");
  CHECK_STR(r.policy.model, "Qwen/Q");
  CHECK(r.policy.name == NULL);
  CHECK_INT(r.nrms, 2);
  CHECK_STR(r.rms[0].name, "sky");
  CHECK_STR(r.rms[0].model, "Skywork/S");
  CHECK_STR(r.rms[1].backend, "sim");
  CHECK(r.rms[1].model == NULL);
  CHECK_STR(r.bench[0].source, "sim");
  CHECK(r.bench[0].path == NULL);
  CHECK_INT(r.bench[0].count, 300);
  CHECK_STR(r.bench[1].path, "b.csv");
  CHECK_INT(r.bench[1].count, -1);
  CHECK_INT(r.total, 19200);
  CHECK_INT(r.completed, 19190);
  CHECK_INT(r.no_answer, 7);
  CHECK_INT(r.errors, 10);
  CHECK_INT(r.truncated, -1);
  CHECK_INT(r.shard_n, 0);
  CHECK_NEAR(r.level, 0.95, 0); /* no level: the default */
  plot_runinfo_free(&r);
}

/* Replace the first `from` of good by `to` and parse: -1 with a message
 * holding `want`. */
static void refused(const char *from, const char *to, const char *want)
{
  struct buf b = BUF_INIT;
  const char *at = strstr(good, from);
  CHECK_MSG(at != NULL, "no '%s' in the fixture", from);
  if(!at)
    return;
  buf_append(&b, good, (size_t)(at - good));
  buf_puts(&b, to);
  buf_puts(&b, at + strlen(from));
  struct plot_runinfo r;
  struct bon_err e;
  CHECK_INT(parse(&r, buf_str(&b), &e), -1);
  CHECK_MSG(strstr(e.msg, want) != NULL, "'%s' lacks '%s'", e.msg, want);
  CHECK(r.name == NULL && r.rms == NULL);
  buf_free(&b);
}

TEST(plot_runinfo_refuses_with_the_field_named)
{
  refused("\"format\": 1", "\"format\": 2", "run.json: format 2: this "
                                            "bonrun reads format 1");
  refused("\"name\": \"demo\"", "\"name\": 3",
          "run.json: name: expected a string, got a number");
  refused("\"samples_per_problem\": 64", "\"samples_per_problem\": 0",
          "samples_per_problem: expected an integer >= 1");
  refused("\"problems\": 300", "\"problems\": 2.5",
          "problems: expected an integer >= 0");
  refused("\"path\": \"d.jsonl\"", "\"path\": 1",
          "dataset.path: expected a string or null");
  refused("\"model\": \"Skywork/S\"", "\"model\": []",
          "rms[0].model: expected a string or null");
  refused("{\"name\": \"careful\", ", "{", "rms[1].name: expected a "
                                           "string, got nothing");
  refused("\"count\": 300", "\"count\": -1",
          "benchmarks.one_to_many.count: expected an integer >= 0 or null");
  refused("\"no_answer\": 7", "\"no_answer\": 19191",
          "samples: the counts do not add up");
  refused("\"errors\": 10", "\"errors\": \"10\"",
          "samples.errors: expected an integer >= 0, got a string");
  refused("\"shard\": null", "\"shard\": {\"k\": 3, \"n\": 2}",
          "shard: k = 3 of n = 2");
  refused("\"rms\": [", "\"rms\": 1, \"x\": [", "rms: expected an array");
  refused("{\"format\"", "[{\"format\"", "not valid JSON");
  refused("\"shard\": null", "\"shard\": null, \"level\": 1",
          "run.json: level: expected a number between 0 and 1, got a "
          "number");
  refused("\"shard\": null", "\"shard\": null, \"level\": \"0.9\"",
          "level: expected a number between 0 and 1, got a string");
  refused("\"shard\": null", "\"shard\": null, \"level\": 0",
          "level: expected a number between 0 and 1");
  struct plot_runinfo r;
  struct bon_err e;
  CHECK_INT(parse(&r, "[]", &e), -1);
  CHECK_STR(e.msg, "run.json: not a JSON object");
  CHECK_INT(plot_runinfo_parse(&r, "{\"format\": 1}\0x", 15, "r", &e), -1);
  CHECK_INT(plot_runinfo_read(&r, "/nonexistent/run.json", &e), -1);
}

TEST(plot_runinfo_shard)
{
  struct buf b = BUF_INIT;
  const char *at = strstr(good, "\"shard\": null");
  buf_append(&b, good, (size_t)(at - good));
  buf_puts(&b, "\"shard\": {\"k\": 2, \"n\": 4}");
  buf_puts(&b, at + strlen("\"shard\": null"));
  struct plot_runinfo r;
  struct bon_err e;
  CHECK_INT(parse(&r, buf_str(&b), &e), 0);
  CHECK_INT(r.shard_k, 2);
  CHECK_INT(r.shard_n, 4);
  plot_runinfo_free(&r);
  buf_free(&b);
}

/* "replay": absent or null is no replay; the object is read whole; a
 * field of the wrong type is named. */
TEST(plot_runinfo_replay)
{
  struct plot_runinfo r;
  struct bon_err e;
  CHECK_INT(parse(&r, good, &e), 0);
  CHECK(!r.replay.present);
  plot_runinfo_free(&r);
  static const char *const obj =
    "\"replay\": {\"path\": \"c.jsonl\", \"completions\": 12, "
    "\"file_problems\": 6, \"dataset_problems\": 6, "
    "\"problems_without\": 1, \"unknown_problems\": 1, "
    "\"unknown_completions\": 1, \"fewest\": 2, \"most\": 3, "
    "\"unused\": 1, \"n_rule\": \"fewest\"}, \"shard\": null";
  const char *at = strstr(good, "\"shard\": null");
  struct buf b = BUF_INIT;
  buf_append(&b, good, (size_t)(at - good));
  buf_puts(&b, obj);
  buf_puts(&b, at + strlen("\"shard\": null"));
  CHECK_INT(parse(&r, buf_str(&b), &e), 0);
  CHECK(r.replay.present);
  CHECK_STR(r.replay.path, "c.jsonl");
  CHECK_STR(r.replay.n_rule, "fewest");
  CHECK_INT(r.replay.completions, 12);
  CHECK_INT(r.replay.without, 1);
  CHECK_INT(r.replay.unknown_completions, 1);
  CHECK_INT(r.replay.fewest, 2);
  CHECK_INT(r.replay.most, 3);
  CHECK_INT(r.replay.unused, 1);
  plot_runinfo_free(&r);
  char *bad = strstr(b.data, "\"most\": 3, ");
  memcpy(bad, "\"most\":\"3\",", 11);
  CHECK_INT(parse(&r, buf_str(&b), &e), -1);
  CHECK(strstr(e.msg, "run.json: replay.most: expected an integer") != NULL);
  buf_free(&b);
}

/* The level of the intervals: read when given, else 0.95; the same from
 * a file, and 0.95 for no file, a missing or a broken one. */
TEST(plot_runinfo_level)
{
  struct buf b = BUF_INIT;
  const char *at = strstr(good, "\"shard\": null");
  buf_append(&b, good, (size_t)(at - good));
  buf_puts(&b, "\"level\": 0.9, ");
  buf_puts(&b, at);
  struct plot_runinfo r;
  struct bon_err e;
  CHECK_INT(parse(&r, buf_str(&b), &e), 0);
  CHECK_NEAR(r.level, 0.9, 0);
  plot_runinfo_free(&r);
  CHECK_NEAR(PLOT_LEVEL_DEFAULT, 0.95, 0);
  CHECK_NEAR(plot_runinfo_level(NULL), 0.95, 0);
  CHECK_NEAR(plot_runinfo_level("/nonexistent/run.json"), 0.95, 0);
  char *path = fs_join(test_tmpdir(), "run.json");
  CHECK_INT(fs_write_atomic(path, b.data, b.len, &e), 0);
  CHECK_NEAR(plot_runinfo_level(path), 0.9, 0);
  CHECK_INT(fs_write_atomic(path, "{\"format\": 1,", 14, &e), 0);
  CHECK_NEAR(plot_runinfo_level(path), 0.95, 0);
  unlink(path);
  free(path);
  buf_free(&b);
}

/* More than 20 % of the completed samples, not 20 % itself. */
TEST(plot_runinfo_no_answer_rule)
{
  CHECK_INT(PLOT_NO_ANSWER_PERCENT, 20);
  CHECK(!plot_runinfo_no_answer_high(200, 1000));
  CHECK(plot_runinfo_no_answer_high(201, 1000));
  CHECK(plot_runinfo_no_answer_high(7984, 8000));
  CHECK(!plot_runinfo_no_answer_high(0, 0));
  CHECK(!plot_runinfo_no_answer_high(0, 5));
  CHECK(plot_runinfo_no_answer_high(1, 1));
}

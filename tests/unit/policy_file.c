/* Unit tests of the "file" policy backend (policy/file.h): what it hands
 * back per (problem, sample), its counts, and a salt that changes exactly
 * when a sample's content does. */
#include "tests/unit/test.h"
#include "policy/file.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>

static struct policy *open_file(const char *body, struct bon_err *err)
{
  char *path = fs_join(test_tmpdir(), "c.jsonl");
  fs_write_atomic(path, body, strlen(body), err);
  char sec[600];
  snprintf(sec, sizeof(sec), "{\"backend\":\"file\",\"path\":\"%s\"}", path);
  cJSON *s = cJSON_Parse(sec);
  struct policy *p = policy_open(s, "t.json", err);
  cJSON_Delete(s);
  free(path);
  return p;
}

struct got {
  char text[4][32];
  char reasoning[4][32];
  char finish[4][32];
  long tokens[4];
  char error[4][600];
  int permanent[4];
};

static int sink(void *ctx, const struct policy_job *job,
                const struct policy_result *res, const char *error,
                int permanent)
{
  struct got *g = ctx;
  size_t t = job->tag;
  snprintf(g->text[t], sizeof(g->text[0]), "%s", res ? res->text : "-");
  snprintf(g->reasoning[t], sizeof(g->reasoning[0]), "%s",
           res && res->reasoning ? res->reasoning : "-");
  snprintf(g->finish[t], sizeof(g->finish[0]), "%s",
           res && res->finish_reason ? res->finish_reason : "-");
  g->tokens[t] = res ? res->completion_tokens : -2;
  snprintf(g->error[job->tag], sizeof(g->error[0]), "%s",
           error ? error : "");
  g->permanent[job->tag] = permanent;
  return 0;
}

static uint64_t salt_of(struct policy *p, const char *pid, size_t i,
                        uint64_t *seed)
{
  struct policy_job j = {.question = "q", .seed = 77, .problem_id = pid,
                         .sample = i};
  uint64_t s = policy_job_salt(p, &j);
  *seed = j.seed;
  return s;
}

TEST(policy_file_replays_and_counts)
{
  struct bon_err err = {""};
  struct policy *p = open_file(
      "{\"problem_id\":\"a\",\"sample\":1,\"seed\":41,\"text\":\"A1\","
      "\"reasoning\":\"hmm\",\"finish_reason\":\"length\","
      "\"completion_tokens\":7}\n"
      "{\"problem_id\":\"a\",\"sample\":0,\"seed\":40,\"text\":\"A0\"}\n"
      "{\"problem_id\":\"b\",\"sample\":0,\"seed\":50,\"text\":\"B0\"}\n"
      "{\"problem_id\":\"z\",\"sample\":0,\"seed\":9,\"text\":\"Z\"}\n"
      "{\"problem_id\":\"z\",\"sample\":1,\"seed\":9,\"text\":\"Z\"}\n",
      &err);
  CHECK_MSG(p != NULL, "%s", err.msg);
  if(!p)
    return;
  CHECK_STR(policy_cache_key(p), "file");
  const char *ids[] = {"b", "a", "c"};
  size_t counts[3];
  struct policy_file_coverage cov;
  CHECK_INT(policy_file_counts(p, ids, 3, counts, &cov), 0);
  CHECK_INT(counts[0], 1);
  CHECK_INT(counts[1], 2);
  CHECK_INT(counts[2], 0);
  CHECK_INT(cov.completions, 5);
  CHECK_INT(cov.problems, 3);
  CHECK_INT(cov.unknown_problems, 1);
  CHECK_INT(cov.unknown_completions, 2);
  CHECK_STR(cov.first_unknown, "z");
  struct policy_job jobs[4] = {
    {.question = "qa", .problem_id = "a", .sample = 0, .tag = 0},
    {.question = "qa", .problem_id = "a", .sample = 1, .tag = 1},
    {.question = "qb", .problem_id = "b", .sample = 1, .tag = 2},
    {.question = "qc", .problem_id = "c", .sample = 0, .tag = 3}};
  struct got g;
  memset(&g, 0, sizeof(g));
  CHECK_INT(policy_generate(p, jobs, 4, sink, &g, &err), 0);
  CHECK_STR(g.text[0], "A0");
  CHECK_STR(g.text[1], "A1");
  CHECK_STR(g.reasoning[1], "hmm");
  CHECK_STR(g.finish[1], "length");
  CHECK_INT(g.tokens[1], 7);
  CHECK_STR(g.reasoning[0], "-");
  CHECK_STR(g.finish[0], "-");
  CHECK_INT(g.tokens[0], -1);
  CHECK_INT(g.tokens[2], -2);
  CHECK_STR(g.text[2], "-");
  CHECK(strstr(g.error[2], "no completion 1 of problem \"b\"") != NULL);
  CHECK(g.permanent[2]);
  CHECK(strstr(g.error[3], "problem \"c\"") != NULL);
  /* salts: the file's seed is taken, distinct samples differ even with
     the same seed and text (z), a missing one still has a salt */
  uint64_t seed, s0 = salt_of(p, "a", 0, &seed);
  CHECK_INT(seed, 40);
  CHECK(s0 != 0);
  uint64_t s1 = salt_of(p, "a", 1, &seed);
  CHECK(s0 != s1);
  CHECK(salt_of(p, "z", 0, &seed) != salt_of(p, "z", 1, &seed));
  uint64_t none = salt_of(p, "c", 0, &seed);
  CHECK(none != 0);
  CHECK_INT(seed, 77);   /* nothing to replay: the job's seed stays */
  policy_close(p);
  /* the same file with one text changed: only that sample's salt moves */
  p = open_file(
      "{\"problem_id\":\"a\",\"sample\":1,\"seed\":41,\"text\":\"A1\","
      "\"reasoning\":\"hmm\",\"finish_reason\":\"length\","
      "\"completion_tokens\":7}\n"
      "{\"problem_id\":\"a\",\"sample\":0,\"seed\":40,\"text\":\"A0!\"}\n",
      &err);
  CHECK(p != NULL);
  if(!p)
    return;
  uint64_t t0 = salt_of(p, "a", 0, &seed);
  CHECK(t0 != s0);
  CHECK(salt_of(p, "a", 1, &seed) == s1);
  policy_close(p);
}

TEST(policy_file_bad_section_and_file)
{
  struct bon_err err = {""};
  cJSON *s = cJSON_Parse("{\"backend\":\"file\"}");
  CHECK(policy_open(s, "t.json", &err) == NULL);
  CHECK(strstr(err.msg, "policy.path") != NULL);
  cJSON_Delete(s);
  struct policy *p = open_file("{\"problem_id\":\"a\"}\n", &err);
  CHECK(p == NULL);
  CHECK(strstr(err.msg, "t.json: policy.path") != NULL);
  CHECK(strstr(err.msg, "c.jsonl:1: no completion text field") != NULL);
  /* another backend has no counts */
  s = cJSON_Parse("{\"backend\":\"sim\"}");
  p = policy_open(s, "t.json", &err);
  size_t n;
  struct policy_file_coverage cov;
  const char *ids[] = {"a"};
  CHECK(p && policy_file_counts(p, ids, 1, &n, &cov) == -1);
  CHECK(p && policy_job_salt(p, &(struct policy_job){.seed = 1}) == 0);
  policy_close(p);
  cJSON_Delete(s);
}

/* Unit tests of runner/shard.c: K/N from --shard and from the environment
 * of job arrays, resubmitted arrays, the manifest, the checks of a merge;
 * and of the two record-line helpers of runner/store.c a merge uses. */
#include "runner/shard.h"
#include "runner/store.h"
#include "tests/unit/test.h"
#include "util/fsutil.h"

#include <stdlib.h>
#include <string.h>

/* A fake environment: "NAME=value" strings, NULL-terminated. */
static const char *fake_env(const char *name, void *ctx)
{
  size_t n = strlen(name);
  for(const char *const *e = ctx; *e; e++)
    if(!strncmp(*e, name, n) && (*e)[n] == '=')
      return *e + n + 1;
  return NULL;
}

static int from(const char *const *vars, struct shard_spec *sp,
                struct bon_err *err)
{
  err->msg[0] = '\0';
  return shard_from_env(fake_env, (void *)vars, sp, err);
}

TEST(shard_env_slurm_arrays)
{
  struct shard_spec sp;
  struct bon_err err;
  static const char *const plain[] = {
    "SLURM_ARRAY_JOB_ID=17", "SLURM_ARRAY_TASK_ID=2",
    "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_MAX=3",
    "SLURM_ARRAY_TASK_STEP=1", "SLURM_ARRAY_TASK_COUNT=4", NULL};
  CHECK_INT(from(plain, &sp, &err), 0);
  CHECK(sp.k == 3 && sp.n == 4);
  CHECK(sp.array.slurm && !strcmp(sp.array.job, "17"));
  CHECK(strstr(sp.from, "SLURM_ARRAY_TASK_ID=2") != NULL);
  /* --array=0-6:2, task 4: K = (4 - 0) / 2 + 1 */
  static const char *const step[] = {
    "SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_MIN=0",
    "SLURM_ARRAY_TASK_MAX=6", "SLURM_ARRAY_TASK_STEP=2",
    "SLURM_ARRAY_TASK_COUNT=4", NULL};
  CHECK_INT(from(step, &sp, &err), 0);
  CHECK(sp.k == 3 && sp.n == 4);
  /* --array=5-8, task 8 */
  static const char *const base[] = {
    "SLURM_ARRAY_TASK_ID=8", "SLURM_ARRAY_TASK_MIN=5",
    "SLURM_ARRAY_TASK_MAX=8", "SLURM_ARRAY_TASK_STEP=1",
    "SLURM_ARRAY_TASK_COUNT=4", NULL};
  CHECK_INT(from(base, &sp, &err), 0);
  CHECK(sp.k == 4 && sp.n == 4);
  /* --array=3 (a count of 1) and --array=1,3,8 (what Slurm 22.05 sets:
     step 1, max 8, count 3): left to shard_resolve, n = 0 */
  static const char *const one[] = {
    "SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=3",
    "SLURM_ARRAY_TASK_MAX=3", "SLURM_ARRAY_TASK_STEP=1",
    "SLURM_ARRAY_TASK_COUNT=1", NULL};
  CHECK_INT(from(one, &sp, &err), 0);
  CHECK(sp.n == 0 && sp.array.count == 1);
  static const char *const list[] = {
    "SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=1",
    "SLURM_ARRAY_TASK_MAX=8", "SLURM_ARRAY_TASK_STEP=1",
    "SLURM_ARRAY_TASK_COUNT=3", NULL};
  CHECK_INT(from(list, &sp, &err), 0);
  CHECK(sp.n == 0);
}

TEST(shard_env_refuses_to_guess)
{
  struct shard_spec sp;
  struct bon_err err;
  static const char *const none[] = {"HOME=/root", NULL};
  CHECK_INT(from(none, &sp, &err), -1);
  CHECK(strstr(err.msg, "no shard in the environment") != NULL);
  static const char *const job[] = {"SLURM_JOB_ID=5", NULL};
  CHECK_INT(from(job, &sp, &err), -1);
  CHECK(strstr(err.msg, "not an array task") != NULL);
  static const char *const nomin[] = {
    "SLURM_ARRAY_TASK_ID=1", "SLURM_ARRAY_TASK_MAX=3",
    "SLURM_ARRAY_TASK_STEP=1", "SLURM_ARRAY_TASK_COUNT=4", NULL};
  CHECK_INT(from(nomin, &sp, &err), -1);
  CHECK(strstr(err.msg, "SLURM_ARRAY_TASK_MIN") != NULL);
  static const char *const outside[] = {
    "SLURM_ARRAY_TASK_ID=9", "SLURM_ARRAY_TASK_MIN=0",
    "SLURM_ARRAY_TASK_MAX=3", "SLURM_ARRAY_TASK_STEP=1",
    "SLURM_ARRAY_TASK_COUNT=4", NULL};
  CHECK_INT(from(outside, &sp, &err), -1);
  static const char *const junk[] = {
    "SLURM_ARRAY_TASK_ID=1x", "SLURM_ARRAY_TASK_MIN=0",
    "SLURM_ARRAY_TASK_MAX=3", "SLURM_ARRAY_TASK_STEP=1",
    "SLURM_ARRAY_TASK_COUNT=4", NULL};
  CHECK_INT(from(junk, &sp, &err), -1);
  CHECK(strstr(err.msg, "SLURM_ARRAY_TASK_ID=\"1x\"") != NULL);
  static const char *const two[] = {"BONRUN_SHARD=1/2",
                                    "JOB_COMPLETION_INDEX=0", NULL};
  CHECK_INT(from(two, &sp, &err), -1);
  CHECK(strstr(err.msg, "BONRUN_SHARD, JOB_COMPLETION_INDEX") != NULL);
  static const char *const bad[] = {"BONRUN_SHARD=3/2", NULL};
  CHECK_INT(from(bad, &sp, &err), -1);
}

TEST(shard_env_kubernetes_and_explicit)
{
  struct shard_spec sp;
  struct bon_err err;
  static const char *const k8s[] = {"JOB_COMPLETION_INDEX=2",
                                    "BONRUN_SHARDS=4", NULL};
  CHECK_INT(from(k8s, &sp, &err), 0);
  CHECK(sp.k == 3 && sp.n == 4 && !sp.array.slurm);
  static const char *const non[] = {"JOB_COMPLETION_INDEX=2", NULL};
  CHECK_INT(from(non, &sp, &err), -1);
  CHECK(strstr(err.msg, "BONRUN_SHARDS") != NULL);
  static const char *const big[] = {"JOB_COMPLETION_INDEX=4",
                                    "BONRUN_SHARDS=4", NULL};
  CHECK_INT(from(big, &sp, &err), -1);
  static const char *const exp[] = {"BONRUN_SHARD=2/3", NULL};
  CHECK_INT(from(exp, &sp, &err), 0);
  CHECK(sp.k == 2 && sp.n == 3);
}

/* A manifest of shard k of the array min-max:step (count tasks). */
static struct shard_manifest known(int k, long min, long step, long count)
{
  struct shard_manifest m;
  memset(&m, 0, sizeof(m));
  m.k = k;
  m.n = (int)count;
  memcpy(m.hash, "0123456789abcdef", 17);
  m.complete = 1;
  m.array.slurm = 1;
  m.array.min = min;
  m.array.step = step;
  m.array.count = count;
  m.array.max = min + (count - 1) * step;
  m.array.id = min + (k - 1) * step;
  return m;
}

static struct shard_spec slurm(long id, long min, long max, long step,
                               long count)
{
  struct shard_spec sp;
  memset(&sp, 0, sizeof(sp));
  sp.array.slurm = 1;
  sp.array.id = id;
  sp.array.min = min;
  sp.array.max = max;
  sp.array.step = step;
  sp.array.count = count;
  int range = max == min + (count - 1) * step;
  if(range && count > 1) {
    sp.k = (int)((id - min) / step) + 1;
    sp.n = (int)count;
  }
  return sp;
}

TEST(shard_resolve_maps_resubmitted_tasks)
{
  struct bon_err err;
  struct shard_manifest k4[2] = {known(1, 0, 1, 4), known(2, 0, 1, 4)};
  /* sbatch --array=3 of the array 0-3: shard 4/4, recorded as of 0-3 */
  struct shard_spec sp = slurm(3, 3, 3, 1, 1);
  CHECK_INT(shard_resolve(&sp, k4, 2, "out/shards", &err), 0);
  CHECK(sp.k == 4 && sp.n == 4);
  CHECK(sp.array.min == 0 && sp.array.count == 4 && sp.array.id == 3);
  CHECK(strstr(sp.from, "resubmitted") != NULL);
  /* sbatch --array=1,3: task 1 is shard 2/4 */
  sp = slurm(1, 1, 3, 1, 2);
  CHECK_INT(shard_resolve(&sp, k4, 2, "out/shards", &err), 0);
  CHECK(sp.k == 2 && sp.n == 4);
  /* the same array again: as it is */
  sp = slurm(2, 0, 3, 1, 4);
  CHECK_INT(shard_resolve(&sp, k4, 2, "out/shards", &err), 0);
  CHECK(sp.k == 3 && sp.n == 4);
  /* a step array 1-7:2 resubmitted as --array=5: shard 3/4 */
  struct shard_manifest st[1] = {known(1, 1, 2, 4)};
  sp = slurm(5, 5, 5, 1, 1);
  CHECK_INT(shard_resolve(&sp, st, 1, "out/shards", &err), 0);
  CHECK(sp.k == 3 && sp.n == 4);
  sp = slurm(4, 4, 4, 1, 1); /* not on 1-7:2 */
  CHECK_INT(shard_resolve(&sp, st, 1, "out/shards", &err), -1);
}

TEST(shard_resolve_refuses)
{
  struct bon_err err;
  struct shard_spec sp = slurm(3, 3, 3, 1, 1);
  CHECK_INT(shard_resolve(&sp, NULL, 0, "out/shards", &err), -1);
  CHECK(strstr(err.msg, "one-task array") != NULL);
  sp = slurm(3, 1, 8, 1, 3);
  CHECK_INT(shard_resolve(&sp, NULL, 0, "out/shards", &err), -1);
  CHECK(strstr(err.msg, "not a range") != NULL);
  struct shard_manifest k4[1] = {known(1, 0, 1, 4)};
  sp = slurm(5, 0, 7, 1, 8); /* a new, larger split in the same output */
  CHECK_INT(shard_resolve(&sp, k4, 1, "out/shards", &err), -1);
  CHECK(strstr(err.msg, "out/shards holds shards of 4") != NULL);
  sp = slurm(7, 7, 7, 1, 1); /* not a task of 0-3 */
  CHECK_INT(shard_resolve(&sp, k4, 1, "out/shards", &err), -1);
  /* --shard 2/3 where shards of 4 are */
  memset(&sp, 0, sizeof(sp));
  sp.k = 2;
  sp.n = 3;
  CHECK_INT(shard_resolve(&sp, k4, 1, "out/shards", &err), -1);
  CHECK(strstr(err.msg, "one output holds one split") != NULL);
  /* shards run with --shard K/N: an array of the same N is fine, a
     one-task array cannot be mapped */
  struct shard_manifest plain[1];
  memset(plain, 0, sizeof(plain));
  plain[0].k = 1;
  plain[0].n = 4;
  sp = slurm(1, 0, 3, 1, 4);
  CHECK_INT(shard_resolve(&sp, plain, 1, "out/shards", &err), 0);
  CHECK(sp.k == 2);
  sp = slurm(1, 1, 1, 1, 1);
  CHECK_INT(shard_resolve(&sp, plain, 1, "out/shards", &err), -1);
  /* shards of two arrays */
  struct shard_manifest two[2] = {known(1, 0, 1, 4), known(2, 1, 1, 4)};
  sp = slurm(1, 0, 3, 1, 4);
  CHECK_INT(shard_resolve(&sp, two, 2, "out/shards", &err), -1);
  CHECK(strstr(err.msg, "two arrays") != NULL);
}

TEST(shard_manifest_roundtrip)
{
  struct shard_manifest m = known(3, 0, 2, 5), back;
  memcpy(m.array.job, "42", 3);
  m.problems = 123;
  m.complete = 0;
  cJSON *j = shard_manifest_json(&m);
  shard_manifest_add_info(j, "9.9");
  struct bon_err err;
  const char *dir = test_tmpdir(); /* (each call empties it) */
  CHECK_INT(shard_manifest_write(dir, j, &err), 0);
  cJSON_Delete(j);
  CHECK_INT(shard_manifest_read(dir, &back, &err), 0);
  CHECK(back.k == 3 && back.n == 5 && back.problems == 123);
  CHECK(!back.complete && !back.merged && !back.partial);
  CHECK_STR(back.hash, "0123456789abcdef");
  CHECK(back.array.slurm && back.array.step == 2 && back.array.max == 8);
  CHECK_STR(back.array.job, "42");
  /* a merge's fields */
  struct shard_manifest mm;
  memset(&mm, 0, sizeof(mm));
  mm.k = mm.n = 1;
  memcpy(mm.hash, "fedcba9876543210", 17);
  mm.merged = 4;
  mm.partial = 1;
  mm.complete = 1;
  memcpy(mm.missing, "3, 4", 5);
  memcpy(mm.sources, "00000000000000aa", 17);
  j = shard_manifest_json(&mm);
  char *text = cJSON_Print(j);
  cJSON_Delete(j);
  CHECK_INT(shard_manifest_parse(text, "m.json", &back, &err), 0);
  free(text);
  CHECK(back.merged == 4 && back.partial && back.complete);
  CHECK_STR(back.missing, "3, 4");
  CHECK_STR(back.sources, "00000000000000aa");
  char *none = fs_join(dir, "nowhere");
  CHECK_INT(shard_manifest_read(none, &back, &err), 1);
  free(none);
}

TEST(shard_manifest_rejects)
{
  struct shard_manifest m;
  struct bon_err err;
  static const char *const bad[][2] = {
    {"{}", "not a bonrun shard manifest"},
    {"[1]", "not a bonrun shard manifest"},
    {"{\"format\":\"bonrun-shard-1\",\"shard\":1,\"problems\":1,"
     "\"config_hash\":\"0123456789abcdef\",\"complete\":true}", "\"of\""},
    {"{\"format\":\"bonrun-shard-1\",\"shard\":5,\"of\":4,\"problems\":1,"
     "\"config_hash\":\"0123456789abcdef\",\"complete\":true}", "\"shard\""},
    {"{\"format\":\"bonrun-shard-1\",\"shard\":1.5,\"of\":4,\"problems\":1,"
     "\"config_hash\":\"0123456789abcdef\",\"complete\":true}", "\"shard\""},
    {"{\"format\":\"bonrun-shard-1\",\"shard\":1,\"of\":4,\"problems\":1,"
     "\"config_hash\":\"0123\",\"complete\":true}", "config_hash"},
    {"{\"format\":\"bonrun-shard-1\",\"shard\":1,\"of\":4,\"problems\":1,"
     "\"config_hash\":\"0123456789abcdef\",\"complete\":1}", "complete"},
    {"{\"format\":\"bonrun-shard-1\",\"shard\":1,\"of\":4,\"problems\":1,"
     "\"config_hash\":\"0123456789abcdef\",\"complete\":true,"
     "\"array\":{\"id\":9,\"min\":0,\"max\":3,\"step\":1,\"count\":4}}",
     "array"},
    {NULL, NULL}};
  for(int i = 0; bad[i][0]; i++) {
    CHECK_MSG(shard_manifest_parse(bad[i][0], "m.json", &m, &err) == -1,
              "accepted %s", bad[i][0]);
    CHECK_MSG(strstr(err.msg, bad[i][1]) && strstr(err.msg, "m.json"),
              "%s: message \"%s\" lacks %s", bad[i][0], err.msg, bad[i][1]);
  }
}

/* Shards 1..n of N, complete, one hash. */
static void set_of(struct shard_manifest *ms, int n, int N)
{
  for(int i = 0; i < n; i++) {
    memset(&ms[i], 0, sizeof(ms[i]));
    ms[i].k = i + 1;
    ms[i].n = N;
    ms[i].complete = 1;
    memcpy(ms[i].hash, "0123456789abcdef", 17);
  }
}

TEST(shard_check_set_strict_and_partial)
{
  struct shard_manifest ms[4];
  const char *dirs[4] = {"s/1-of-4", "s/2-of-4", "s/3-of-4", "s/4-of-4"};
  struct shard_set set;
  struct bon_err err;
  set_of(ms, 4, 4);
  CHECK_INT(shard_check_set(ms, dirs, 4, 0, &set, &err), 0);
  CHECK(set.n == 4 && set.nmissing == 0 && set.pick[2] == 3);
  free(set.pick);
  /* shard 3 incomplete, shard 4 absent */
  ms[2].complete = 0;
  CHECK_INT(shard_check_set(ms, dirs, 3, 0, &set, &err), -1);
  CHECK(strstr(err.msg, "2 of 4 shards missing") != NULL);
  CHECK(strstr(err.msg, "3/4 (s/3-of-4: not complete") != NULL);
  CHECK(strstr(err.msg, "4/4 (no folder)") != NULL);
  CHECK(strstr(err.msg, "--partial") != NULL);
  CHECK_INT(shard_check_set(ms, dirs, 3, 1, &set, &err), 0);
  CHECK(set.nmissing == 2 && !strcmp(set.missing, "3, 4"));
  CHECK(set.pick[0] == 1 && set.pick[1] == 2 && !set.pick[2]);
  free(set.pick);
  /* none complete: refused even with --partial */
  for(int i = 0; i < 3; i++)
    ms[i].complete = 0;
  CHECK_INT(shard_check_set(ms, dirs, 3, 1, &set, &err), -1);
  CHECK(strstr(err.msg, "none of the 4 shards") != NULL);
}

TEST(shard_check_set_refuses_mixed_sets)
{
  struct shard_manifest ms[3];
  const char *dirs[3] = {"a", "b", "c"};
  struct shard_set set;
  struct bon_err err;
  set_of(ms, 3, 3);
  ms[1].n = 4;
  CHECK_INT(shard_check_set(ms, dirs, 3, 1, &set, &err), -1);
  CHECK(strstr(err.msg, "different N") && strstr(err.msg, "b is shard 2/4"));
  set_of(ms, 3, 3);
  memcpy(ms[2].hash, "fedcba9876543210", 17);
  CHECK_INT(shard_check_set(ms, dirs, 3, 1, &set, &err), -1);
  CHECK(strstr(err.msg, "different configs") != NULL);
  /* an incomplete shard of another config is only missing */
  ms[2].complete = 0;
  CHECK_INT(shard_check_set(ms, dirs, 3, 1, &set, &err), 0);
  free(set.pick);
  set_of(ms, 3, 3);
  ms[2].k = 1;
  CHECK_INT(shard_check_set(ms, dirs, 3, 1, &set, &err), -1);
  CHECK(strstr(err.msg, "a and c both hold shard 1/3") != NULL);
  set_of(ms, 3, 3);
  ms[0].merged = 3;
  CHECK_INT(shard_check_set(ms, dirs, 3, 1, &set, &err), -1);
  CHECK(strstr(err.msg, "is a merge") != NULL);
  CHECK_INT(shard_check_set(ms, dirs, 0, 1, &set, &err), -1);
}

TEST(store_record_line_helpers)
{
  static const char ok[] = "{\"key\":\"00000000000000ff\",\"text\":\"a "
                           "\\\",\\\"error\\\": b\"}\n";
  static const char bad[] = "{\"key\":\"00000000000000ff\",\"problem_id\":"
                            "\"p\",\"error\":\"timeout\",\"permanent\":false}"
                            "\n";
  uint64_t key = 0;
  CHECK_INT(store_line_key(ok, strlen(ok), &key), 0);
  CHECK(key == 255);
  CHECK_INT(store_line_is_error(ok, strlen(ok)), 0);
  CHECK_INT(store_line_is_error(bad, strlen(bad)), 1);
}

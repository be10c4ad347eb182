/* Unit tests of runner/store.c's grouped index and buffered writes: a
 * grouped store finds, for the groups selected, exactly the records a
 * store indexing every key finds; buffered records reach the file whole,
 * and a process killed with records in its buffer leaves whole records
 * only, which a rerun completes without a duplicate. */
#include "runner/store.h"
#include "tests/unit/test.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/rng.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NGROUPS 40
#define NKEYS 3000

/* Group ids with the characters JSON escapes. */
static void group_id(int g, char *out, size_t n)
{
  snprintf(out, n, g % 5 == 0 ? "p\"%d\\x" : g % 7 == 0 ? "p,%d\n" :
           "p%d", g);
}

static void body(struct buf *b, int g, int key, int version)
{
  char id[32];
  group_id(g, id, sizeof(id));
  buf_reset(b);
  buf_puts(b, ",\"problem_id\":");
  buf_json_str(b, id);
  buf_printf(b, ",\"k\":%d,\"v\":%d,\"text\":\"\\\"problem_id\\\":\\\"x\\\"\"}",
             key, version);
}

/* The version of key k in a record, -1 when absent. */
static int version_of(struct store *s, int k)
{
  cJSON *j = store_get(s, (uint64_t)k * 7919 + 3);
  int v = j ? cJSON_GetObjectItem(j, "v")->valueint : -1;
  cJSON_Delete(j);
  return v;
}

/* Records of NKEYS keys spread over NGROUPS groups in random order (a
 * group's records far apart), a quarter of them written twice, and a few
 * records without the group field. */
static void fill(const char *path, int *group_of, int *last)
{
  struct bon_err err;
  struct store *s = store_open(path, &err);
  struct buf b = BUF_INIT;
  struct rng r;
  rng_seed(&r, 3, 4, 5);
  for(int i = 0; i < NKEYS + NKEYS / 4; i++) {
    int k = i < NKEYS ? i : (int)rng_below(&r, NKEYS);
    if(i < NKEYS)
      group_of[k] = (int)rng_below(&r, NGROUPS);
    body(&b, group_of[k], k, i);
    CHECK_INT(store_put(s, (uint64_t)k * 7919 + 3, buf_str(&b), &err), 0);
    last[k] = i;
  }
  CHECK_INT(store_put(s, 1, ",\"other\":1}", &err), 0);
  buf_free(&b);
  store_close(s);
}

TEST(store_grouped_select_finds_what_the_full_index_finds)
{
  char *path = fs_join(test_tmpdir(), "g.jsonl");
  static int group_of[NKEYS], last[NKEYS];
  fill(path, group_of, last);
  struct bon_err err;
  struct store *s = store_open_grouped(path, "problem_id", &err);
  CHECK_MSG(s != NULL, "%s", err.msg);
  CHECK_INT(store_records(s), NKEYS + NKEYS / 4 + 1);
  CHECK_INT(store_count(s), 0);
  /* chunks of 7 groups, as a run selects the problems in flight */
  for(int g0 = 0; s && g0 < NGROUPS; g0 += 7) {
    char ids[7][32];
    const char *p[7];
    int n = 0;
    for(int g = g0; g < g0 + 7 && g < NGROUPS; g++, n++) {
      group_id(g, ids[n], sizeof(ids[n]));
      p[n] = ids[n];
    }
    CHECK_INT(store_select(s, p, (size_t)n, &err), 0);
    for(int k = 0; k < NKEYS; k++)
      if(group_of[k] >= g0 && group_of[k] < g0 + n)
        CHECK_INT(version_of(s, k), last[k]);
  }
  /* new records of a selected group are found at once and after reopen */
  const char *one[] = {"p3"};
  CHECK_INT(store_select(s, one, 1, &err), 0);
  CHECK_INT(store_set_buffer(s, 1 << 16, &err), 0);
  struct buf b = BUF_INIT;
  body(&b, 3, 5, 99999);
  CHECK_INT(store_put(s, 5 * 7919 + 3, buf_str(&b), &err), 0);
  CHECK_INT(version_of(s, 5), 99999);  /* from the buffer */
  store_close(s);
  s = store_open_grouped(path, "problem_id", &err);
  CHECK_INT(store_select(s, one, 1, &err), 0);
  CHECK_INT(version_of(s, 5), 99999);
  buf_free(&b);
  store_close(s);
  free(path);
}

/* Put keys [from, to) with a buffer, one record per key. */
static void put_range(const char *path, int from, int to)
{
  struct bon_err err;
  struct store *s = store_open_grouped(path, "problem_id", &err);
  const char *all[NGROUPS];
  char ids[NGROUPS][32];
  for(int g = 0; g < NGROUPS; g++) {
    group_id(g, ids[g], sizeof(ids[g]));
    all[g] = ids[g];
  }
  store_select(s, all, NGROUPS, &err);
  store_set_buffer(s, 4096, &err);
  struct buf b = BUF_INIT;
  for(int k = from; k < to; k++) {
    if(store_has(s, (uint64_t)k * 7919 + 3))
      continue;  /* done by an earlier run */
    body(&b, k % NGROUPS, k, 0);
    store_put(s, (uint64_t)k * 7919 + 3, buf_str(&b), &err);
  }
  buf_free(&b);
  store_close(s);
}

TEST(store_buffered_kill_loses_whole_records_only)
{
  char *path = fs_join(test_tmpdir(), "k.jsonl");
  fflush(NULL);
  pid_t pid = fork();
  if(pid == 0) {
    /* a run killed with records in its buffer and a torn write */
    struct bon_err err;
    struct store *s = store_open_grouped(path, "problem_id", &err);
    store_set_buffer(s, 4096, &err);
    struct buf b = BUF_INIT;
    for(int k = 0; k < 1000; k++) {
      body(&b, k % NGROUPS, k, 0);
      store_put(s, (uint64_t)k * 7919 + 3, buf_str(&b), &err);
    }
    FILE *f = fopen(path, "a");
    fputs("{\"key\":\"0000000000000abc\",\"problem_id\":\"p", f);
    fclose(f);
    kill(getpid(), SIGKILL);
    _exit(1);
  }
  int st;
  waitpid(pid, &st, 0);
  CHECK(WIFSIGNALED(st));
  struct bon_err err;
  struct store *s = store_open(path, &err);
  CHECK(s != NULL);
  size_t kept = store_records(s);
  CHECK(kept > 0 && kept < 1000);   /* some whole, the buffer lost */
  CHECK(store_repaired(s) > 0);     /* the torn line cut off */
  store_close(s);
  /* the rerun adds exactly what is missing */
  put_range(path, 0, 1000);
  s = store_open(path, &err);
  CHECK_INT(store_records(s), 1000);
  CHECK_INT(store_count(s), 1000);
  for(int k = 0; k < 1000; k++)
    CHECK_INT(version_of(s, k), 0);
  store_close(s);
  free(path);
}

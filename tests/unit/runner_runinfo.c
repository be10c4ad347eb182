/* Unit tests of runner/runinfo.c: run.json as the runner writes it reads
 * back through the report's reader (plots/runinfo.h) field for field, and
 * the terminal warning on samples without an answer. */
#include "plots/runinfo.h"
#include "proxy/proxy.h"
#include "runner/config.h"
#include "runner/runinfo.h"
#include "tests/unit/test.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>

static const char *const cfg_text =
  "{\"name\": \"ri\", \"seed\": 7, \"output\": \"unused\","
  " \"dataset\": {\"source\": \"sim\", \"problems\": 5},"
  " \"policy\": {\"backend\": \"sim\", \"samples\": 8},"
  " \"proxies\": [{\"name\": \"careful\", \"backend\": \"sim\"},"
  "               {\"name\": \"prm/min\", \"backend\": \"sim\"}],"
  " \"benchmarks\": {\"one_to_many\": {\"source\": \"sim\","
  "                                    \"problems\": 12},"
  "                  \"one_to_one\": {\"source\": \"none\"}}}";

TEST(runinfo_written_reads_back)
{
  const char *dir = test_tmpdir();
  struct bon_err err;
  char *cpath = fs_join(dir, "c.json");
  CHECK_INT(fs_write_atomic(cpath, cfg_text, strlen(cfg_text), &err), 0);
  struct run_config c;
  CHECK_MSG(run_config_load(cpath, &c, &err) == 0, "%s", err.msg);
  struct proxy *rms[2] = {NULL, NULL};
  for(int i = 0; i < 2; i++) {
    rms[i] = proxy_open(cJSON_GetArrayItem(c.proxies, i), cpath, "p", &err);
    CHECK_MSG(rms[i] != NULL, "%s", err.msg);
    if(!rms[i])
      goto out;
  }
  struct run_options o = {.quiet = 1, .shard_k = 1, .shard_n = 3};
  struct runinfo_counts n = {40, 3, 9, 4, NULL};
  CHECK_INT(runinfo_write(dir, &c, &o, rms, 2, &n, &err), 0);
  char *rpath = fs_join(dir, "run.json");
  struct plot_runinfo r;
  CHECK_MSG(plot_runinfo_read(&r, rpath, &err) == 0, "%s", err.msg);
  CHECK_STR(r.name, "ri");
  CHECK_NEAR(r.seed, 7, 0);
  CHECK_INT(r.samples_per_problem, 8);
  CHECK_INT(r.problems, 5);
  CHECK_STR(r.dataset.source, "sim");
  CHECK(r.dataset.path == NULL);
  CHECK_STR(r.policy.backend, "sim");
  CHECK(r.policy.model == NULL);
  CHECK_INT(r.nrms, 2);
  CHECK_STR(r.rms[0].name, "careful");
  CHECK_STR(r.rms[1].name, "prm/min");
  CHECK_STR(r.rms[1].backend, "sim");
  CHECK_STR(r.bench[0].source, "sim");
  CHECK_INT(r.bench[0].count, 12);
  CHECK_STR(r.bench[1].source, "none");
  CHECK_INT(r.bench[1].count, -1);
  CHECK_INT(r.total, 40);
  CHECK_INT(r.completed, 37);
  CHECK_INT(r.errors, 3);
  CHECK_INT(r.no_answer, 9);
  CHECK_INT(r.truncated, 4);
  CHECK_INT(r.shard_k, 2);
  CHECK_INT(r.shard_n, 3);
  plot_runinfo_free(&r);
  /* the same run gives the same bytes */
  char *first = fs_read_file(rpath, NULL, &err);
  CHECK_INT(runinfo_write(dir, &c, &o, rms, 2, &n, &err), 0);
  char *second = fs_read_file(rpath, NULL, &err);
  CHECK(first && second && !strcmp(first, second));
  free(first);
  free(second);
  free(rpath);
out:
  for(int i = 0; i < 2; i++)
    if(rms[i])
      proxy_close(rms[i]);
  run_config_free(&c);
  free(cpath);
}

TEST(runinfo_warns_above_a_fifth_without_answer)
{
  char out[512] = "";
  FILE *f = fmemopen(out, sizeof(out), "w");
  struct runinfo_counts ok = {1000, 0, 200, -1, NULL};
  struct runinfo_counts bad = {8000, 0, 7984, -1, NULL};
  CHECK_INT(runinfo_warn(f, &ok), 0);
  CHECK_INT(runinfo_warn(f, &bad), 1);
  fclose(f);
  CHECK_STR(out, "bonrun: warning: 7984 of 8000 completed samples (99.8%) "
                 "have no extractable final answer (more than 20%): check "
                 "the policy's prompt template and max_tokens\n");
  /* errors do not count as completed: 30 of 100 with 60 failed is 75% */
  struct runinfo_counts half = {100, 60, 30, -1, NULL};
  f = fmemopen(out, sizeof(out), "w");
  CHECK_INT(runinfo_warn(f, &half), 1);
  fclose(f);
  CHECK(strstr(out, "30 of 40 completed samples (75.0%)") != NULL);
}

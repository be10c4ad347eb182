/* Unit tests of ingest/official.h on the real RewardMATH result files
 * (tests/data/rewardmath/results/, gzip): the official scorer's figures
 * computed straight from the rows, and the release's quirks. */
#include "tests/unit/test.h"
#include "ingest/official.h"
#include "ingest/records.h"

#include <math.h>
#include <stdlib.h>

#include "util/hash.h"
#include "util/u64map.h"

#define RESULTS "tests/data/rewardmath/results/"

static int load(const char *path, struct ingest_scores *s,
                struct bon_err *err)
{
  size_t len;
  char *text = ingest_read(path, &len, err);
  if(!text)
    return -1;
  int rc = ingest_official(text, len, path, s, err);
  free(text);
  return rc;
}

/* Accuracy (the correct one strictly above every other) and MRR with
 * pessimistic ties, over rows grouped by problem in file order; scores
 * from `agg` of the steps when the rows are step lists. */
static void metrics(const struct ingest_scores *s, int prod, double *acc,
                    double *mrr, size_t *problems)
{
  size_t np = 0, won = 0;
  double rr = 0;
  for(size_t i = 0; i < s->nrows;) {
    size_t j = i;
    while(j < s->nrows && !strcmp(s->rows[j].problem_id,
                                  s->rows[i].problem_id))
      j++;
    double good = NAN;
    for(size_t k = i; k < j; k++) {
      double v = s->rows[k].score;
      if(prod) {
        v = 1;
        for(size_t t = 0; t < s->rows[k].nsteps; t++)
          v *= s->rows[k].steps[t];
      }
      if(s->rows[k].correct)
        good = v;
    }
    size_t above = 0;
    for(size_t k = i; k < j; k++) {
      double v = s->rows[k].score;
      if(prod) {
        v = 1;
        for(size_t t = 0; t < s->rows[k].nsteps; t++)
          v *= s->rows[k].steps[t];
      }
      if(!s->rows[k].correct && !(good > v))
        above++;
    }
    won += above == 0;
    rr += 1.0 / (double)(1 + above);
    np++;
    i = j;
  }
  *acc = (double)won / (double)np;
  *mrr = rr / (double)np;
  *problems = np;
}

TEST(ingest_official_rewardmath_reproduces_the_scorer)
{
  struct ingest_scores s;
  struct bon_err err;
  double acc, mrr;
  size_t np;
  memset(&s, 0, sizeof(s));
  CHECK_MSG(load(RESULTS "RewardMATH/internlm2_reward.json.gz", &s, &err)
            == 0, "%s", err.msg);
  CHECK_INT(s.problems, 483);
  CHECK_INT(s.nrows, 4830);
  CHECK_INT(s.empty_labels, 1);
  /* 147 candidates share a generator label with an earlier one of their
   * problem: LABEL#2 ..., so every (problem, sample) is distinct */
  CHECK_INT(s.repeated_labels, 147);
  CHECK(!s.pairwise && !s.steps);
  metrics(&s, 0, &acc, &mrr, &np);
  CHECK_INT(np, 483);
  CHECK_NEAR(acc * 100, 37.27, 0.005);
  CHECK_NEAR(mrr * 100, 55.17, 0.005);
  ingest_scores_free(&s);
  /* a process RM: step lists, prod aggregation */
  CHECK_INT(load(RESULTS "RewardMATH/Math_Shepherd_reward.json.gz", &s,
                 &err), 0);
  CHECK(s.steps);
  CHECK(isnan(s.rows[0].score) && s.rows[0].nsteps == 7);
  metrics(&s, 1, &acc, &mrr, &np);
  CHECK_NEAR(acc * 100, 17.18, 0.005);
  CHECK_NEAR(mrr * 100, 34.68, 0.005);
  ingest_scores_free(&s);
  /* a pairwise judge: a problem is won when every comparison is won;
   * MRR = 1 / (1 + losses); null verdicts are losses */
  CHECK_INT(load(RESULTS "RewardMATH/gpt4_pairwise_reward.json.gz", &s,
                 &err), 0);
  CHECK(s.pairwise);
  CHECK_INT(s.null_verdicts, 35);
  CHECK_INT(s.nrows, 4830);
  size_t won = 0, p = 0;
  double rr = 0;
  for(size_t i = 0; i < s.nrows; i += 10, p++) {
    int losses = 0;
    for(size_t k = 1; k < 10; k++)
      losses += s.rows[i + k].score == 0;
    won += losses == 0;
    rr += 1.0 / (1 + losses);
  }
  CHECK_NEAR(100.0 * (double)won / (double)p, 29.81, 0.005);
  CHECK_NEAR(100.0 * rr / (double)p, 51.92, 0.005);
  ingest_scores_free(&s);
}

TEST(ingest_official_quirks_and_layouts)
{
  struct ingest_scores s;
  struct bon_err err;
  memset(&s, 0, sizeof(s));
  /* 485 records, the last two repeating problems 481-482: dropped */
  CHECK_INT(load(RESULTS "RewardMATH/gpt4_reward.json.gz", &s, &err), 0);
  CHECK_INT(s.duplicates, 2);
  CHECK_INT(s.problems, 483);
  CHECK_INT(s.nrows, 4830);
  /* two files of one table join on the same problem ids */
  CHECK_INT(load(RESULTS "RewardMATH/internlm2_reward.json.gz", &s, &err),
            0);
  CHECK_INT(s.nrows, 9660);
  CHECK_STR(s.rows[0].problem_id, s.rows[4830].problem_id);
  CHECK_STR(s.rows[1].sample_id, s.rows[4831].sample_id);
  ingest_scores_free(&s);
  /* a judge's pairwise file names its candidates as the direct files do
   * (its correct one, its #J and LABEL#2 ids): every (problem, sample) of
   * one is a candidate of the other, none twice */
  struct ingest_scores d;
  memset(&s, 0, sizeof(s));
  memset(&d, 0, sizeof(d));
  CHECK_INT(load(RESULTS "RewardMATH/gpt4_pairwise_reward.json.gz", &s,
                 &err), 0);
  CHECK_INT(load(RESULTS "RewardMATH/internlm2_reward.json.gz", &d, &err),
            0);
  CHECK_INT(s.repeated_labels, 147);
  CHECK_INT(s.empty_labels, 1);
  struct u64map m = U64MAP_INIT;
  for(size_t i = 0; i < d.nrows; i++) {
    int fresh;
    u64map_put(&m, hash_str(hash_str(HASH_INIT, d.rows[i].problem_id),
                            d.rows[i].sample_id) | 1, &fresh)->b =
        (uint32_t)d.rows[i].correct;
    CHECK(fresh);
  }
  size_t found = 0;
  for(size_t i = 0; i < s.nrows; i++) {
    const struct u64map_slot *sl = u64map_get(
        &m, hash_str(hash_str(HASH_INIT, s.rows[i].problem_id),
                     s.rows[i].sample_id) | 1);
    found += sl && (int)sl->b == s.rows[i].correct;
  }
  CHECK_INT(found, 4830);
  u64map_free(&m);
  ingest_scores_free(&s);
  ingest_scores_free(&d);
  /* RewardBench: both label conventions give chosen/rejected */
  const char *rb[] = {"rewardbench_internlm2", "rewardbench_Eurus-RM",
                      "rewardbench_Math_Shepherd"};
  for(int f = 0; f < 3; f++) {
    char path[200];
    snprintf(path, sizeof(path), RESULTS "Rewardbench/%s.json.gz", rb[f]);
    memset(&s, 0, sizeof(s));
    CHECK_MSG(load(path, &s, &err) == 0, "%s", err.msg);
    CHECK_INT(s.problems, 447);
    CHECK_INT(s.nrows, 894);
    size_t chosen = 0;
    for(size_t i = 0; i < s.nrows; i++)
      chosen += s.rows[i].correct &&
                !strcmp(s.rows[i].sample_id, "chosen");
    CHECK_INT(chosen, 447);
    CHECK(s.steps == (f == 2));
    ingest_scores_free(&s);
  }
}

/* One model, one name: the release's spellings in both benchmarks map to
 * the same RM name; a judge's pairwise file gets "-pairwise"; a file not
 * in the map keeps its stem. */
TEST(ingest_official_rm_names)
{
  static const char *const same[][2] = {
    {"results/RewardMATH/internlm2_20b_reward.json",
     "results/Rewardbench/rewardbench_internlm2-20b.json"},
    {"grm_gemma_reward.json.gz", "rewardbench_GRM_Gemma_2B.json.gz"},
    {"skywork_llama3_reward.json", "rewardbench_Skywork-Llama-3.1-8B.json"},
    {"grm_llama3_reward.json", "rewardbench_GRM-Llama3-8B.json"},
    {"internlm2_reward.json", "rewardbench_internlm2.json"},
    {"Math_Shepherd_reward.json", "rewardbench_Math_Shepherd.json"},
  };
  for(size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
    char *a = ingest_official_rm_name(same[i][0]);
    char *b = ingest_official_rm_name(same[i][1]);
    CHECK_STR(a, b);
    free(a);
    free(b);
  }
  char *n = ingest_official_rm_name("a/b/gpt4_pairwise_reward.json");
  CHECK_STR(n, "gpt-4-0125-preview-pairwise");
  free(n);
  n = ingest_official_rm_name("rewardbench_Skywork-Llama-3.1-8B.json.gz");
  CHECK_STR(n, "Skywork-Reward-Llama-3.1-8B");
  free(n);
  n = ingest_official_rm_name("internlm2_reward.json.gz");
  CHECK_STR(n, "internlm2-7b-reward");
  free(n);
  n = ingest_official_rm_name("x/my_new_rm_reward.json");
  CHECK_STR(n, "my_new_rm");
  free(n);
  /* a name that is also a release stem is that stem's own name (so no
   * file's name can be taken for another model's), and each stem is
   * listed once */
  size_t m;
  const struct ingest_official_name *map = ingest_official_names(&m);
  CHECK(m >= 26);
  for(size_t i = 0; i < m; i++)
    for(size_t j = 0; j < m; j++) {
      CHECK(strcmp(map[i].name, map[j].release) ||
            !strcmp(map[j].name, map[j].release));
      CHECK(i == j || strcmp(map[i].release, map[j].release));
    }
}

TEST(ingest_official_bad_records)
{
  struct ingest_scores s;
  struct bon_err err;
  static const struct {
    const char *text, *msg;
  } bad[] = {
    {"[{\"problem\":\"p\",\"solution_reference\":[\"a\",\"b\"],"
     "\"score\":[1,2]}]", "no candidate labelled"},
    {"[{\"problem\":\"p\",\"solution_reference\":[\"chosen\",\"b\"],"
     "\"score\":[1,\"x\"]}]", "score 1 is not a number"},
    {"[{\"problem\":\"p\",\"solution_reference\":[\"chosen\",\"b\"],"
     "\"score\":[1,2]},\n{\"problem\":\"p\",\"solution_reference\":"
     "[\"chosen\",\"b\"],\"score\":[1,3]}]", "f:2: the record repeats an "
     "earlier problem with other scores"},
    {"[{\"problem\":\"p\",\"solution_reference\":[\"x\"],\"score\":[\"A\"],"
     "\"chosen_position\":[\"C\"]}]", "comparison 0: expected a verdict"},
    {"[{\"problem\":\"p\",\"solution_type\":\"chosen\",\"output\":{}}]",
     "output.step_scores: expected a list"},
    {"[]", "f: no records"},
  };
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    memset(&s, 0, sizeof(s));
    CHECK_INT(ingest_official(bad[i].text, strlen(bad[i].text), "f", &s,
                              &err), -1);
    CHECK_MSG(strstr(err.msg, bad[i].msg) != NULL, "case %zu: %s", i,
              err.msg);
    CHECK_INT(s.nrows, 0);
    ingest_scores_free(&s);
  }
}

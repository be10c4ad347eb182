/* Unit tests of the RMs a scores table marks: the kind column (pairwise
 * judges), the process-RM rule of stats/derive.h (an RM with step scores
 * only enters bench and analyze through its aggregations, prod by
 * default) and stats_table_remove_rm. */
#include "tests/unit/test.h"
#include "stats/bench.h"
#include "stats/derive.h"
#include "stats/table.h"

#include <stdlib.h>

/* orm: scores (and steps, so it is no process RM); prm: steps only;
 * judge: A/B outcomes.  By hand, with prod for prm:
 *   orm    p1 won, p2 third of 3   accuracy 0.5, mrr (1 + 1/3) / 2
 *   prm    p1 0.72 > 0.42 > 0.05 won; p2 0.18 < 0.64: second
 *          accuracy 0.5, mrr 0.75
 *   judge  p1 lost to c; p2 won both   accuracy 0.5, mrr 0.75 */
static const char *table_csv =
  "problem_id,sample_id,rm,score,correct,steps,kind\n"
  "p1,a,orm,0.9,1,0.5;0.5,score\n"
  "p1,b,orm,0.2,0,0.5,\n"
  "p1,c,orm,0.3,0,0.4,score\n"
  "p1,a,prm,,1,0.9;0.8,\n"
  "p1,b,prm,,0,0.5;0.1,\n"
  "p1,c,prm,,0,0.6;0.7,\n"
  "p1,a,judge,,1,,pairwise\n"
  "p1,b,judge,1,0,,pairwise\n"
  "p1,c,judge,0,0,,pairwise\n"
  "p2,a,orm,0.1,1,0.1,\n"
  "p2,b,orm,0.4,0,0.2,\n"
  "p2,c,orm,0.3,0,0.3,\n"
  "p2,a,prm,,1,0.2;0.9,\n"
  "p2,b,prm,,0,0.8;0.8,\n"
  "p2,c,prm,,0,0.1;0.2,\n"
  "p2,a,judge,,1,,pairwise\n"
  "p2,b,judge,1,0,,pairwise\n"
  "p2,c,judge,1,0,,pairwise\n";

static struct stats_table *parse(const char *text, const char *name)
{
  struct bon_err err;
  struct stats_table *t = stats_table_parse(text, strlen(text), name, NULL,
                                            &err);
  CHECK_MSG(t != NULL, "%s", err.msg);
  return t;
}

static const struct stats_bench_row *row_of(
    const struct stats_bench_report *rep, const char *rm)
{
  for(size_t i = 0; i < rep->n_rms; i++)
    if(!strcmp(rep->rms[i].rm, rm))
      return &rep->rms[i];
  return NULL;
}

TEST(table_kind_column_marks_pairwise_judges)
{
  struct stats_table *t = parse(table_csv, "k.csv");
  if(!t)
    return;
  CHECK(t->rm_kind != NULL);
  CHECK_INT(stats_table_rm_kind(t, stats_table_rm_index(t, "judge")),
            STATS_RM_PAIRWISE);
  CHECK_INT(stats_table_rm_kind(t, stats_table_rm_index(t, "orm")),
            STATS_RM_SCORE);
  CHECK_INT(stats_table_rm_kind(t, stats_table_rm_index(t, "prm")),
            STATS_RM_SCORE);
  /* an RM appended later is a score */
  double s[6] = {1, 0, 0, 1, 0, 0};
  struct bon_err err;
  CHECK_INT(stats_table_add_rm(t, "new", s, &err), 0);
  CHECK_INT(stats_table_rm_kind(t, 3), STATS_RM_SCORE);
  stats_table_free(t);
  /* JSON lines: the same key; a table without it has no kinds */
  const char *jl =
    "{\"problem_id\":\"p\",\"sample_id\":\"a\",\"rm\":\"j\",\"score\":null,"
    "\"correct\":1,\"kind\":\"pairwise\"}\n"
    "{\"problem_id\":\"p\",\"sample_id\":\"b\",\"rm\":\"j\",\"score\":1,"
    "\"correct\":0,\"kind\":\"pairwise\"}\n"
    "{\"problem_id\":\"p\",\"sample_id\":\"a\",\"rm\":\"o\",\"score\":1,"
    "\"correct\":1,\"kind\":null}\n"
    "{\"problem_id\":\"p\",\"sample_id\":\"b\",\"rm\":\"o\",\"score\":0,"
    "\"correct\":0}\n";
  t = parse(jl, "k.jsonl");
  if(t) {
    CHECK_INT(stats_table_rm_kind(t, 0), STATS_RM_PAIRWISE);
    CHECK_INT(stats_table_rm_kind(t, 1), STATS_RM_SCORE);
    stats_table_free(t);
  }
  t = parse("problem_id,sample_id,rm,score,correct\np,a,o,1,1\n", "n.csv");
  if(t) {
    CHECK(t->rm_kind == NULL);
    CHECK_INT(stats_table_rm_kind(t, 0), STATS_RM_SCORE);
    stats_table_free(t);
  }
}

TEST(table_kind_errors_name_the_line)
{
  static const struct {
    const char *text, *want;
  } bad[] = {
    {"problem_id,sample_id,rm,score,correct,kind\np,a,o,1,1,judge\n",
     "k.csv:2: kind 'judge' of rm 'o': expected score, pairwise or empty"},
    {"problem_id,sample_id,rm,score,correct,kind\np,a,o,1,1,pairwise\n"
     "p,b,o,1,0,\n",
     "k.csv:3: kind 'score' of rm 'o' differs from 'pairwise' given on "
     "line 2; an RM has one kind"},
  };
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct bon_err err;
    struct stats_table *t = stats_table_parse(bad[i].text,
                                              strlen(bad[i].text), "k.csv",
                                              NULL, &err);
    CHECK(t == NULL);
    CHECK_MSG(t == NULL && strstr(err.msg, bad[i].want), "case %zu: %s", i,
              t ? "(parsed)" : err.msg);
    stats_table_free(t);
  }
}

/* Removing an RM gives the table read without its rows. */
TEST(table_remove_rm_equals_the_table_without_it)
{
  /* the same rows without prm */
  struct buf b = BUF_INIT;
  for(const char *p = table_csv; *p;) {
    const char *e = strchr(p, '\n');
    if(!strstr(p, ",prm,") || strstr(p, ",prm,") > e)
      buf_append(&b, p, (size_t)(e + 1 - p));
    p = e + 1;
  }
  for(int which = 0; which < 3; which++) {
    static const char *const rms[3] = {"orm", "prm", "judge"};
    struct stats_table *t = parse(table_csv, "k.csv");
    if(!t)
      continue;
    stats_table_remove_rm(t, stats_table_rm_index(t, rms[which]));
    CHECK_INT(t->n_rms, 2);
    CHECK_INT(stats_table_rm_index(t, rms[which]), -1);
    for(int r = 0; r < t->n_rms; r++) {
      struct stats_table *all = parse(table_csv, "k.csv");
      int q = stats_table_rm_index(all, t->rms[r]);
      CHECK_INT(stats_table_rm_kind(t, r), stats_table_rm_kind(all, q));
      for(size_t c = 0; c < t->n_cands; c++) {
        double x = t->score[(size_t)r * t->n_cands + c];
        double y = all->score[(size_t)q * all->n_cands + c];
        CHECK(x == y || (isnan(x) && isnan(y)));
        size_t i = (size_t)r * t->n_cands + c, j = (size_t)q * t->n_cands + c;
        size_t n = t->steps_off[i + 1] - t->steps_off[i];
        CHECK_INT(n, all->steps_off[j + 1] - all->steps_off[j]);
        for(size_t k = 0; k < n && n == all->steps_off[j + 1] -
                                        all->steps_off[j]; k++)
          CHECK(t->steps_val[t->steps_off[i] + k] ==
                all->steps_val[all->steps_off[j] + k]);
      }
      stats_table_free(all);
    }
    CHECK_INT(t->steps_off[2 * t->n_cands],
              which == 0 ? 12 : which == 1 ? 7 : 19);
    if(which == 1) {
      struct stats_table *w = parse(buf_str(&b), "w.csv");
      if(w) {
        CHECK_INT(w->n_rms, 2);
        CHECK(!memcmp(w->score, t->score, 2 * t->n_cands * sizeof(double)));
        CHECK(!memcmp(w->steps_off, t->steps_off,
                      (2 * t->n_cands + 1) * sizeof(size_t)));
        stats_table_free(w);
      }
    }
    stats_table_free(t);
  }
  buf_free(&b);
}

TEST(process_rm_enters_bench_as_its_aggregation)
{
  struct stats_table *t = parse(table_csv, "k.csv");
  if(!t)
    return;
  CHECK(stats_rm_is_process(t, stats_table_rm_index(t, "prm")));
  CHECK(!stats_rm_is_process(t, stats_table_rm_index(t, "orm")));
  CHECK(!stats_rm_is_process(t, stats_table_rm_index(t, "judge")));
  struct stats_bench_opts o;
  stats_bench_opts_init(&o);
  o.bootstrap = 0;
  struct stats_bench_report rep;
  struct bon_err err;
  CHECK_MSG(stats_bench_table(t, &o, &rep, &err) == 0, "%s", err.msg);
  /* orm, judge, prm/prod: prm itself is no RM; orm has steps and a score,
   * so it is no process RM and gets no default aggregation */
  CHECK_INT(rep.n_rms, 3);
  CHECK(row_of(&rep, "prm") == NULL);
  CHECK(row_of(&rep, "orm/prod") == NULL);
  const struct stats_bench_row *r = row_of(&rep, "prm/prod");
  CHECK(r && !strcmp(r->kind, "steps"));
  CHECK(r && r->m.accuracy == 0.5 && r->m.mrr == 0.75);
  r = row_of(&rep, "judge");
  CHECK(r && !strcmp(r->kind, "pairwise")); /* no --pairwise needed */
  CHECK(r && r->m.accuracy == 0.5 && r->m.mrr == 0.75 && !r->m.missing);
  r = row_of(&rep, "orm");
  CHECK(r && r->m.accuracy == 0.5);
  CHECK_NEAR(r ? r->m.mrr : 0, 2.0 / 3, 1e-15);
  int noted = 0;
  for(size_t i = 0; i < rep.n_warnings; i++)
    noted |= strstr(rep.warnings[i], "prm as prm/prod") != NULL;
  CHECK(noted);
  stats_bench_report_free(&rep);
  /* asked for aggregations: every RM with steps gets them, prm none of
   * its own and no prod */
  o.steps = "min,max";
  CHECK_MSG(stats_bench_table(t, &o, &rep, &err) == 0, "%s", err.msg);
  CHECK_INT(rep.n_rms, 6); /* orm judge orm/min prm/min orm/max prm/max */
  CHECK(row_of(&rep, "prm") == NULL && row_of(&rep, "prm/prod") == NULL);
  CHECK(row_of(&rep, "prm/min") && row_of(&rep, "orm/max"));
  stats_bench_report_free(&rep);
  /* an ensemble cannot take the process RM or the judge itself */
  const char *e1[] = {"mean:orm,prm"}, *e2[] = {"mean:orm,judge"};
  o.steps = NULL;
  o.ensembles = e1;
  o.n_ensembles = 1;
  CHECK(stats_bench_table(t, &o, &rep, &err) < 0);
  CHECK(strstr(err.msg, "'prm' has step scores only") &&
        strstr(err.msg, "prm/prod"));
  o.ensembles = e2;
  CHECK(stats_bench_table(t, &o, &rep, &err) < 0);
  CHECK(strstr(err.msg, "'judge' is a pairwise judge"));
  const char *e3[] = {"mean:orm,prm/prod"};
  o.ensembles = e3;
  CHECK_MSG(stats_bench_table(t, &o, &rep, &err) == 0, "%s", err.msg);
  CHECK(row_of(&rep, "ens-mean(orm,prm/prod)") != NULL);
  stats_bench_report_free(&rep);
  stats_table_free(t);
}

TEST(process_rm_leaves_the_table_for_analyze)
{
  struct stats_table *t = parse(table_csv, "k.csv");
  if(!t)
    return;
  struct buf note = BUF_INIT;
  CHECK_INT(stats_process_note(t, NULL, &note), 1);
  CHECK_STR(buf_str(&note), "RMs with step scores only enter through "
                            "their step aggregations: prm as prm/prod");
  buf_reset(&note);
  CHECK_INT(stats_process_note(t, "min,gmean", &note), 1);
  CHECK(strstr(buf_str(&note), "prm as prm/min, prm/gmean") != NULL);
  buf_free(&note);
  struct bon_err err;
  CHECK_MSG(stats_table_add_derived(&t, NULL, NULL, 0, &err) == 0, "%s",
            err.msg);
  CHECK_INT(t->n_rms, 3);
  CHECK_INT(stats_table_rm_index(t, "prm"), -1);
  int r = stats_table_rm_index(t, "prm/prod");
  CHECK(r >= 0);
  /* p1: a 0.9 * 0.8 */
  CHECK_NEAR(r >= 0 ? t->score[(size_t)r * t->n_cands] : 0, 0.72, 1e-15);
  for(int q = 0; q < t->n_rms; q++)
    CHECK(!stats_rm_is_process(t, q));
  stats_table_free(t);
  /* a table without process RMs is left as it is */
  t = parse("problem_id,sample_id,rm,score,correct,steps\n"
            "p,a,o,1,1,0.5\np,b,o,0,0,\n", "n.csv");
  if(!t)
    return;
  CHECK_INT(stats_table_add_derived(&t, NULL, NULL, 0, &err), 0);
  CHECK_INT(t->n_rms, 1);
  stats_table_free(t);
}

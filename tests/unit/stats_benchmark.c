/* Unit tests of the bench library (stats/bench.h, stats/derive.h): tables
 * built in memory, derived RMs, malformed problems, multi-RM bootstrap. */
#include "tests/unit/test.h"
#include "stats/bench.h"
#include "stats/derive.h"
#include "stats/ensemble.h"
#include "util/rng.h"

#include <stdlib.h>

struct cand {
  const char *p, *s;
  double correct, a, b;
  const char *steps; /* for rm a */
};

/* A table with RMs "a" (with steps when given) and "b". */
static struct stats_table *mk(const struct cand *c, size_t n)
{
  struct stats_builder *b = stats_builder_new(NULL);
  struct bon_err err;
  for(int rm = 0; rm < 2; rm++)
    for(size_t i = 0; i < n; i++) {
      struct stats_row r = {0};
      double st[8];
      r.problem = c[i].p;
      r.sample = c[i].s;
      r.rm = rm ? "b" : "a";
      r.score = rm ? c[i].b : c[i].a;
      r.correct = c[i].correct;
      if(!rm && c[i].steps) {
        int k = 0;
        for(const char *q = c[i].steps; *q && k < 8; k++) {
          st[k] = strtod(q, (char **)&q);
          if(*q == ';')
            q++;
        }
        r.steps = st;
        r.n_steps = k;
      }
      if(stats_builder_add(b, &r, &err) < 0)
        test_fail(__FILE__, __LINE__, "add: %s", err.msg);
    }
  struct stats_table *t = stats_builder_finish(b, &err);
  if(!t)
    test_fail(__FILE__, __LINE__, "finish: %s", err.msg);
  return t;
}

static const struct cand cands[] = {
  {"p1", "x", 1, 0.9, 1.0, "0.9;0.8"},
  {"p1", "y", 0, 0.2, 1.0, "0.5;0.1"},
  {"p1", "z", 0, 0.3, 0.0, "0.6;0.7"},
  {"p2", "x", 1, 0.1, 0.5, "0.2;0.9"},
  {"p2", "y", 0, 0.4, 0.2, "0.8;0.8"},
  {"p2", "z", 0, 0.3, NAN, "0.1;0.2"},
};

static const struct stats_bench_row *row(const struct stats_bench_report *r,
                                         const char *rm)
{
  for(size_t i = 0; i < r->n_rms; i++)
    if(!strcmp(r->rms[i].rm, rm))
      return r->rms + i;
  test_fail(__FILE__, __LINE__, "no row %s", rm);
  return NULL;
}

TEST(bench_table_by_hand)
{
  struct stats_table *t = mk(cands, 6);
  if(!t)
    return;
  struct stats_bench_opts o;
  stats_bench_opts_init(&o);
  o.bootstrap = 200;
  o.steps = "min,last";
  const char *ens[] = {"mean:a,b"};
  o.ensembles = ens;
  o.n_ensembles = 1;
  struct stats_bench_report rep;
  struct bon_err err;
  CHECK(stats_bench_table(t, &o, &rep, &err) == 0);
  CHECK_INT(rep.n_rms, 5); /* a, b, a/min, a/last, ensemble */
  CHECK_INT(rep.problems_used, 2);
  CHECK_INT(rep.k_min, 2);
  const struct stats_bench_row *a = row(&rep, "a");
  const struct stats_bench_row *b = row(&rep, "b");
  const struct stats_bench_row *amin = row(&rep, "a/min");
  const struct stats_bench_row *alast = row(&rep, "a/last");
  const struct stats_bench_row *e = row(&rep, "ens-mean(a,b)");
  if(a && b && amin && alast && e) {
    /* a: p1 wins; p2 the correct one is last of 3 */
    CHECK_NEAR(a->m.accuracy, 0.5, 1e-15);
    CHECK_NEAR(a->m.mrr, (1 + 1.0 / 3) / 2, 1e-15);
    /* b: p1 tied with one on top; p2 wins (missing ranks last) */
    CHECK_NEAR(b->m.accuracy, 0.5, 1e-15);
    CHECK_NEAR(b->m.accuracy_ties, 1, 1e-15);
    CHECK_NEAR(b->m.accuracy_random, 0.75, 1e-15);
    CHECK_NEAR(b->m.mrr, 0.75, 1e-15);
    CHECK_NEAR(b->m.mrr_random, (0.75 + 1) / 2, 1e-15);
    CHECK_INT(b->m.missing, 1);
    CHECK_STR(b->kind, "score");
    /* a/min: p1 0.8 vs 0.1, 0.6 wins; p2 0.2 vs 0.8, 0.1: rank 2 */
    CHECK_NEAR(amin->m.accuracy, 0.5, 1e-15);
    CHECK_NEAR(amin->m.mrr, 0.75, 1e-15);
    CHECK_STR(amin->kind, "steps");
    /* a/last: p1 0.8 vs 0.1, 0.7 wins; p2 0.9 vs 0.8, 0.2 wins */
    CHECK_NEAR(alast->m.accuracy, 1, 1e-15);
    CHECK_INT(e->m.missing, 1);
    CHECK_STR(e->kind, "ensemble");
    CHECK(a->m.accuracy_lo <= a->m.accuracy);
    CHECK(a->m.accuracy <= a->m.accuracy_hi);
  }
  stats_bench_report_free(&rep);
  stats_table_free(t);
}

TEST(bench_pairwise_rm_from_table)
{
  /* b as a judge: outcome of the correct one vs each incorrect */
  static const struct cand pw[] = {
    {"p1", "x", 1, 0.9, NAN, NULL}, {"p1", "y", 0, 0.2, 1, NULL},
    {"p1", "z", 0, 0.3, 1, NULL},   {"p2", "x", 1, 0.1, NAN, NULL},
    {"p2", "y", 0, 0.4, 0, NULL},   {"p2", "z", 0, 0.3, 0.5, NULL},
  };
  struct stats_table *t = mk(pw, 6);
  if(!t)
    return;
  struct stats_bench_opts o;
  stats_bench_opts_init(&o);
  o.bootstrap = 0;
  const char *p[] = {"b"};
  o.pairwise = p;
  o.n_pairwise = 1;
  struct stats_bench_report rep;
  struct bon_err err;
  CHECK(stats_bench_table(t, &o, &rep, &err) == 0);
  const struct stats_bench_row *b = row(&rep, "b");
  if(b) {
    CHECK_STR(b->kind, "pairwise");
    CHECK_NEAR(b->m.accuracy, 0.5, 1e-15);
    CHECK_NEAR(b->m.mrr, (1 + 1.0 / 3) / 2, 1e-15);
    CHECK_INT(b->m.missing, 0); /* the correct one's own score is unused */
  }
  stats_bench_report_free(&rep);
  stats_table_free(t);
}

TEST(bench_malformed_problems)
{
  static const struct cand bad[] = {
    {"p1", "x", 1, 0.9, 1, NULL}, {"p1", "y", 0, 0.2, 1, NULL},
    {"p2", "x", 1, 0.1, 1, NULL}, {"p2", "y", 1, 0.4, 0, NULL},
    {"p3", "x", 0, 0.1, 1, NULL}, {"p3", "y", 0, 0.4, 0, NULL},
  };
  struct stats_table *t = mk(bad, 6);
  if(!t)
    return;
  struct stats_bench_opts o;
  stats_bench_opts_init(&o);
  o.bootstrap = 10;
  struct stats_bench_report rep;
  struct bon_err err;
  CHECK(stats_bench_table(t, &o, &rep, &err) == STATS_BENCH_MALFORMED);
  CHECK(strstr(err.msg, "'p2'") != NULL);
  CHECK(strstr(err.msg, "2 correct") != NULL);
  /* a fact, no command-line remedy: the caller adds its own */
  CHECK(strstr(err.msg, "--") == NULL);
  o.skip_bad = 1;
  CHECK(stats_bench_table(t, &o, &rep, &err) == 0);
  CHECK_INT(rep.problems_skipped, 2);
  CHECK_INT(rep.problems_used, 1);
  CHECK_INT(rep.n_warnings, 1);
  if(rep.n_warnings)
    CHECK(strstr(rep.warnings[0], "'p3' (has no correct") != NULL);
  stats_bench_report_free(&rep);
  stats_table_free(t);
}

TEST(bench_derived_errors_and_table_append)
{
  struct stats_table *t = mk(cands, 6);
  if(!t)
    return;
  struct stats_derived d;
  struct bon_err err;
  const char *e1[] = {"mean:a,c"};
  CHECK(stats_derive_rms(t, NULL, e1, 1, &d, &err) < 0);
  CHECK(strstr(err.msg, "no RM 'c'") && strstr(err.msg, "a, b"));
  const char *e2[] = {"a=mean:a,b"};
  CHECK(stats_derive_rms(t, NULL, e2, 1, &d, &err) < 0);
  CHECK(strstr(err.msg, "already taken") != NULL);
  CHECK(stats_derive_rms(t, "mean_logit,bogus", NULL, 0, &d, &err) < 0);
  CHECK(strstr(err.msg, "bogus") != NULL);
  /* an ensemble of a step aggregation, appended as RMs of the table */
  const char *e3[] = {"m=min:a/max,b"};
  CHECK(stats_table_add_derived(&t, "max", e3, 1, &err) == 0);
  CHECK_INT(t->n_rms, 4);
  int im = stats_table_rm_index(t, "a/max");
  int ie = stats_table_rm_index(t, "m");
  int ia = stats_table_rm_index(t, "a"), ib = stats_table_rm_index(t, "b");
  CHECK(im >= 0 && ie >= 0 && ia >= 0 && ib >= 0);
  if(im >= 0 && ie >= 0 && ia >= 0 && ib >= 0) {
    /* p1/x steps 0.9;0.8 -> max 0.9 */
    CHECK_NEAR(t->score[(size_t)im * t->n_cands + 0], 0.9, 0);
    CHECK_NEAR(t->score[(size_t)ia * t->n_cands + 4], 0.4, 0);
    /* the ensemble agrees with stats_ens_combine on the same columns */
    struct stats_ens_spec s;
    CHECK(stats_ens_parse("min:x,y", &s, &err) == 0);
    const double *m[] = {t->score + (size_t)im * t->n_cands,
                         t->score + (size_t)ib * t->n_cands};
    double out[6];
    stats_ens_combine(&s, m, 2, 6, out);
    for(int i = 0; i < 6; i++) {
      double v = t->score[(size_t)ie * t->n_cands + (size_t)i];
      CHECK((isnan(out[i]) && isnan(v)) || out[i] == v);
    }
    stats_ens_spec_free(&s);
    CHECK_NEAR(t->gold[3], 1, 0);
  }
  stats_table_free(t);
}

TEST(bench_multi_aggregate_equals_single)
{
  size_t np = 300, nrm = 3;
  struct stats_problem_metric *pm[3];
  struct rng r;
  rng_seed(&r, 21, 0, 0);
  for(size_t k = 0; k < nrm; k++) {
    pm[k] = malloc(np * sizeof **pm);
    for(size_t p = 0; p < np; p++) {
      double inc[4];
      for(int i = 0; i < 4; i++)
        inc[i] = (double)rng_below(&r, 5);
      if(k == 2 && p % 7 == 0)
        inc[1] = NAN;
      stats_problem_scores((double)rng_below(&r, 6), inc, 4,
                           k == 2 ? STATS_MISSING_DROP : STATS_MISSING_WORST,
                           pm[k] + p);
    }
  }
  struct stats_bench_metrics multi[3], one;
  stats_bench_aggregate_multi((const struct stats_problem_metric *const *)pm,
                              nrm, np, 150, 4, 0.9, 0, multi);
  for(size_t k = 0; k < nrm; k++) {
    stats_bench_aggregate(pm[k], np, 150, 4, 0.9, &one);
    CHECK_NEAR(multi[k].accuracy, one.accuracy, 1e-15);
    CHECK_NEAR(multi[k].accuracy_lo, one.accuracy_lo, 1e-12);
    CHECK_NEAR(multi[k].accuracy_hi, one.accuracy_hi, 1e-12);
    CHECK_NEAR(multi[k].mrr_lo, one.mrr_lo, 1e-12);
    CHECK_NEAR(multi[k].mrr_hi, one.mrr_hi, 1e-12);
    CHECK_INT(multi[k].dropped, one.dropped);
    free(pm[k]);
  }
  CHECK(multi[2].dropped > 0);
}

TEST(bench_multi_aggregate_threads_and_general_path)
{
  /* big enough for the threaded path (np * nrm * B >= 4e6), and one RM
   * whose metrics are not functions of a rank (forces the general path) */
  size_t np = 2000, B = 1000;
  struct stats_problem_metric *pm[2];
  struct rng r;
  rng_seed(&r, 22, 0, 0);
  for(int k = 0; k < 2; k++) {
    pm[k] = malloc(np * sizeof **pm);
    for(size_t p = 0; p < np; p++) {
      double inc[3] = {rng_unif(&r), rng_unif(&r), rng_unif(&r)};
      stats_problem_scores(rng_unif(&r) + 0.2, inc, 3, STATS_MISSING_WORST,
                           pm[k] + p);
    }
  }
  struct stats_bench_metrics multi[2], one;
  for(int pass = 0; pass < 2; pass++) {
    if(pass == 1)
      pm[1][7].mrr = 0.4; /* not 1/integer */
    stats_bench_aggregate_multi(
        (const struct stats_problem_metric *const *)pm, 2, np, B, 9, 0.95,
        pass ? 1 : 3, multi);
    for(int k = 0; k < 2; k++) {
      stats_bench_aggregate(pm[k], np, B, 9, 0.95, &one);
      CHECK_NEAR(multi[k].accuracy_lo, one.accuracy_lo, 1e-12);
      CHECK_NEAR(multi[k].accuracy_hi, one.accuracy_hi, 1e-12);
      CHECK_NEAR(multi[k].mrr_lo, one.mrr_lo, 1e-12);
      CHECK_NEAR(multi[k].mrr_hi, one.mrr_hi, 1e-12);
    }
  }
  free(pm[0]);
  free(pm[1]);
}

/* Unit tests of appending RMs to a table (stats_table_add_rm) and of
 * ensembles / step aggregations analysed as RMs. */
#include "tests/unit/test.h"
#include "stats/analyze.h"
#include "stats/derive.h"
#include "stats/csv.h"
#include "stats/table.h"
#include "util/fsutil.h"
#include "util/rng.h"

#include <stdio.h>
#include <stdlib.h>

/* P problems x N samples; RMs "good", "noisy" and "good-copy" (the same
 * scores as "good"); steps on "good" when steps is set. */
static struct stats_table *make(int P, int N, int steps)
{
  struct stats_builder *b = stats_builder_new(NULL);
  struct rng r;
  rng_seed(&r, 11, 0, 0);
  struct bon_err err;
  const char *rms[3] = {"good", "noisy", "good-copy"};
  for(int p = 0; p < P; p++) {
    double q = rng_unif(&r);
    for(int s = 0; s < N; s++) {
      int c = rng_unif(&r) < q;
      double z = rng_normal(&r), noise = rng_normal(&r);
      char pid[16], sid[16];
      snprintf(pid, sizeof(pid), "p%d", p);
      snprintf(sid, sizeof(sid), "s%d", s);
      double st[3] = {0.5 + 0.4 * c, rng_unif(&r), 0.3 + 0.6 * c};
      for(int k = 0; k < 3; k++) {
        double sc = k == 1 ? 0.2 * c + noise : c + 0.5 * z;
        sc = floor(sc * 4) / 4; /* ties */
        struct stats_row row = {pid, sid, rms[k], sc, c, NULL, NULL, 0};
        if(steps && k == 0) {
          row.steps = st;
          row.n_steps = 3;
        }
        stats_builder_add(b, &row, &err);
      }
    }
  }
  return stats_builder_finish(b, &err);
}

TEST(table_add_rm_appends_in_place)
{
  struct stats_table *t = make(5, 6, 1);
  CHECK(t != NULL);
  if(!t)
    return;
  size_t nc = t->n_cands;
  double *s = malloc(nc * sizeof(double));
  for(size_t c = 0; c < nc; c++)
    s[c] = c % 7 == 3 ? NAN : (double)c;
  size_t steps_end = t->steps_off[3 * nc];
  struct bon_err err;
  CHECK(stats_table_add_rm(t, "new", s, &err) == 0);
  CHECK_INT(t->n_rms, 4);
  CHECK_STR(t->rms[3], "new");
  CHECK_INT(stats_table_rm_index(t, "new"), 3);
  int same = 1;
  for(size_t c = 0; c < nc; c++)
    same &= c % 7 == 3 ? isnan(t->score[3 * nc + c])
                       : t->score[3 * nc + c] == (double)c;
  CHECK(same);
  /* the old RMs and their steps are intact; the new one has none */
  CHECK(t->score[0 * nc + 0] == t->score[2 * nc + 0]);
  CHECK(t->steps_off[3 * nc] == steps_end);
  CHECK(t->steps_off[4 * nc] == steps_end);
  CHECK(t->steps_off[nc] - t->steps_off[0] == 3 * nc); /* good: 3 each */
  /* errors leave the table as it was */
  CHECK(stats_table_add_rm(t, "good", s, &err) < 0);
  CHECK(strstr(err.msg, "'good'") && strstr(err.msg, "already"));
  CHECK(stats_table_add_rm(t, "", s, &err) < 0);
  CHECK_INT(t->n_rms, 4);
  free(s);
  stats_table_free(t);
}

/* The oracle of stats_table_add_derived: a new table built row by row
 * through the builder, holding t's rows plus the derived RMs (after t's
 * RMs, with no steps). */
static struct stats_table *rebuilt_with(const struct stats_table *t,
                                        const struct stats_derived *d,
                                        struct bon_err *err)
{
  struct stats_builder *b = stats_builder_new(NULL);
  size_t nr = (size_t)t->n_rms + d->n;
  for(size_t r = 0; r < nr; r++) {
    int own = r < (size_t)t->n_rms;
    const char *name = own ? t->rms[r] : d->names[r - t->n_rms];
    const double *sc = own ? t->score + r * t->n_cands
                           : d->scores[r - t->n_rms];
    for(int p = 0; p < t->n_problems; p++)
      for(size_t c = t->cand_off[p]; c < t->cand_off[p + 1]; c++) {
        struct stats_row row = {0};
        row.problem = t->problems[p];
        row.sample = t->samples[c];
        row.rm = name;
        row.score = sc[c];
        row.correct = t->gold[c];
        row.answer = t->answer[c] >= 0 ? t->answers[t->answer[c]] : NULL;
        if(own && t->steps_off) {
          size_t i = r * t->n_cands + c;
          row.steps = t->steps_val + t->steps_off[i];
          row.n_steps = (int)(t->steps_off[i + 1] - t->steps_off[i]);
        }
        if(stats_builder_add(b, &row, err) < 0) {
          stats_builder_free(b);
          return NULL;
        }
      }
  }
  return stats_builder_finish(b, err);
}

TEST(table_add_derived_matches_rebuilt_table)
{
  struct stats_table *t = make(7, 5, 1);
  CHECK(t != NULL);
  if(!t)
    return;
  const char *specs[] = {"e=mean:good,noisy", "uwo0.5:noisy,good/min"};
  struct stats_derived d;
  struct bon_err err;
  CHECK_MSG(stats_derive_rms(t, "min,prod", specs, 2, &d, &err) == 0, "%s",
            err.msg);
  struct stats_table *rebuilt = rebuilt_with(t, &d, &err);
  stats_derived_free(&d);
  CHECK(rebuilt != NULL);
  struct stats_table *orig = t;
  CHECK_MSG(stats_table_add_derived(&t, "min,prod", specs, 2, &err) == 0,
            "%s", err.msg);
  CHECK(t == orig); /* in place */
  if(rebuilt) {
    CHECK_INT(t->n_rms, rebuilt->n_rms);
    CHECK_INT(t->n_rms, 3 + 2 + 2);
    for(int r = 0; r < t->n_rms && r < rebuilt->n_rms; r++) {
      CHECK_STR(t->rms[r], rebuilt->rms[r]);
      int same = 1;
      for(size_t c = 0; c < t->n_cands; c++) {
        double x = t->score[(size_t)r * t->n_cands + c];
        double y = rebuilt->score[(size_t)r * t->n_cands + c];
        same &= (isnan(x) && isnan(y)) || x == y;
      }
      CHECK_MSG(same, "scores of %s differ", t->rms[r]);
    }
  }
  /* a failing spec leaves the table unchanged */
  const char *bad[] = {"mean:good,nope"};
  CHECK(stats_table_add_derived(&t, NULL, bad, 1, &err) < 0);
  CHECK(strstr(err.msg, "nope") != NULL);
  CHECK_INT(t->n_rms, 7);
  const char *dup[] = {"e=mean:good,noisy"};
  CHECK(stats_table_add_derived(&t, NULL, dup, 1, &err) < 0);
  CHECK_INT(t->n_rms, 7);
  stats_table_free(rebuilt);
  stats_table_free(t);
}

/* column col of the curves.csv row (rm, n = grid index g) */
static const char *cell(struct stats_csv *c, const char *rm, int g,
                        const char *col)
{
  int k = stats_csv_col(c, col), rc = stats_csv_col(c, "rm");
  if(k < 0 || rc < 0)
    return NULL;
  for(size_t i = 0; i < c->nrows; i++)
    if(!strcmp(stats_csv_get(c, i, (size_t)rc), rm) && g-- == 0)
      return stats_csv_get(c, i, (size_t)k);
  return NULL;
}

TEST(analyze_ensemble_of_an_rm_with_itself_is_that_rm)
{
  struct stats_table *t = make(30, 16, 0);
  CHECK(t != NULL);
  if(!t)
    return;
  /* standardisation constants of good, over the whole table */
  double m = 0, v = 0;
  size_t nc = t->n_cands;
  for(size_t c = 0; c < nc; c++)
    m += t->score[c];
  m /= nc;
  for(size_t c = 0; c < nc; c++)
    v += (t->score[c] - m) * (t->score[c] - m);
  double sd = sqrt(v / nc);
  /* good-copy holds the same scores as good under another name: the
   * ensemble of good with itself */
  const char *specs[] = {"self=mean:good,good-copy"};
  struct bon_err err;
  CHECK_MSG(stats_table_add_derived(&t, NULL, specs, 1, &err) == 0, "%s",
            err.msg);
  char dir[600];
  snprintf(dir, sizeof(dir), "%s/o", test_tmpdir());
  struct stats_analyze_opts o;
  stats_analyze_opts_init(&o);
  o.bootstrap = 100;
  o.seed = 3;
  o.threads = 2;
  struct stats_analysis a;
  CHECK_MSG(stats_analyze(&o, t, &a, &err) == 0, "%s", err.msg);
  CHECK_MSG(stats_analyze_write(&a, dir, &err) == 0, "%s", err.msg);
  CHECK_INT(a.n_rms, 4);
  CHECK_STR(a.rm[3].rm, "self");
  char *path = fs_join(dir, "curves.csv");
  struct stats_csv *c = stats_csv_read(path, &err);
  free(path);
  CHECK(c != NULL);
  if(c) {
    const char *same_cols[] = {"gold", "gold_lo", "gold_hi", "oracle",
                               "gold_pess", "gold_opt", "tie_rate",
                               "kl_plugin"};
    for(int g = 0; g < a.n_grid; g++) {
      for(size_t k = 0; k < sizeof(same_cols) / sizeof(*same_cols); k++) {
        const char *x = cell(c, "good", g, same_cols[k]);
        const char *y = cell(c, "self", g, same_cols[k]);
        CHECK_MSG(x && y && !strcmp(x, y), "n = %d %s: %s vs %s",
                  a.grid[g], same_cols[k], x ? x : "-", y ? y : "-");
      }
      /* the proxy curve is good's, standardised */
      const char *x = cell(c, "good", g, "proxy");
      const char *y = cell(c, "self", g, "proxy");
      CHECK(x && y);
      if(x && y)
        CHECK_NEAR(atof(y), (atof(x) - m) / sd, 1e-8);
    }
    stats_csv_free(c);
  }
  CHECK(a.rm[3].gold1 == a.rm[0].gold1 && a.rm[3].goldN == a.rm[0].goldN);
  CHECK(a.rm[3].delta_lo == a.rm[0].delta_lo);
  stats_analysis_free(&a);
  stats_table_free(t);
}

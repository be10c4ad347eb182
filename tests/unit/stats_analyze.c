/* Unit tests of stats/analyze: outputs identical across thread counts,
 * curves that match the estimator, and the documented options. */
#include "tests/unit/test.h"
#include "stats/analyze.h"
#include "stats/bon.h"
#include "util/fsutil.h"
#include "util/rng.h"

#include <stdio.h>
#include <stdlib.h>

static struct stats_table *make_table(int P, int N, int missing)
{
  struct stats_builder *b = stats_builder_new(NULL);
  struct rng r;
  rng_seed(&r, 5, 0, 0);
  struct bon_err err;
  const char *rms[3] = {"good", "noisy", "good-copy"};
  for(int p = 0; p < P; p++) {
    double q = rng_unif(&r);
    for(int s = 0; s < N; s++) {
      int c = rng_unif(&r) < q;
      double z = rng_normal(&r), noise = rng_normal(&r);
      char pid[16], sid[16], ans[16];
      snprintf(pid, sizeof(pid), "p%d", p);
      snprintf(sid, sizeof(sid), "%d", s);
      snprintf(ans, sizeof(ans), "%d", c ? 100 : (int)rng_below(&r, 3));
      for(int k = 0; k < 3; k++) {
        double sc = k == 1 ? 0.2 * c + noise : c + 0.5 * z;
        sc = floor(sc * 4) / 4; /* ties */
        if(missing && k == 1 && s == 0 && p % 3 == 0)
          sc = NAN;
        struct stats_row row = {pid, sid, rms[k], sc, c, ans, NULL, 0};
        stats_builder_add(b, &row, &err);
      }
    }
  }
  return stats_builder_finish(b, &err);
}

/* stats_analyze, then the files into dir. */
static int analyze_to(const struct stats_analyze_opts *o,
                      const struct stats_table *t, const char *dir,
                      struct stats_analysis *a, struct bon_err *err)
{
  if(stats_analyze(o, t, a, err) < 0)
    return -1;
  return stats_analyze_write(a, dir, err);
}

static char *slurp(const char *dir, const char *name)
{
  char *p = fs_join(dir, name);
  char *d = fs_read_file(p, NULL, NULL);
  free(p);
  return d;
}

TEST(analyze_thread_count_does_not_change_outputs)
{
  struct stats_table *t = make_table(40, 24, 1);
  CHECK(t != NULL);
  if(!t)
    return;
  char d1[600], d2[600];
  snprintf(d1, sizeof(d1), "%s/t1", test_tmpdir());
  snprintf(d2, sizeof(d2), "%s/../%s-t2", test_tmpdir(),
           "analyze_thread_count");
  struct stats_analyze_opts o;
  stats_analyze_opts_init(&o);
  o.bootstrap = 200;
  o.seed = 9;
  o.threads = 1;
  o.input_name = "mem";
  struct bon_err err;
  struct stats_analysis a1, a2;
  CHECK_MSG(analyze_to(&o, t, d1, &a1, &err) == 0, "%s", err.msg);
  const char *files[] = {"curves.csv", "fits.csv", "gains.csv"};
  static const int threads[] = {2, 3, 7};
  for(int k = 0; k < 3; k++) {
    o.threads = threads[k];
    if(k)
      stats_analysis_free(&a2);
    CHECK_MSG(analyze_to(&o, t, d2, &a2, &err) == 0, "%s", err.msg);
    for(int i = 0; i < 3; i++) {
      char *x = slurp(d1, files[i]), *y = slurp(d2, files[i]);
      CHECK_MSG(x && y && !strcmp(x, y), "%s differs with %d threads",
                files[i], threads[k]);
      free(x);
      free(y);
    }
  }
  /* summary.json differs only in the threads option */
  CHECK_INT(a1.n_grid, 6); /* 1 2 4 8 16 23 */
  CHECK_INT(a1.grid[5], 23);
  CHECK_INT(a1.pool, 23);
  CHECK(a1.n_warnings >= 2); /* pools differ; n > N/4 */
  /* identical RMs get identical intervals (paired bootstrap) */
  CHECK(a1.rm[0].goldN_lo == a1.rm[2].goldN_lo);
  CHECK(a1.rm[0].delta_hi == a1.rm[2].delta_hi);
  CHECK(a1.rm[0].goldN_lo <= a1.rm[0].goldN &&
        a1.rm[0].goldN <= a1.rm[0].goldN_hi);
  /* gold(1) is the mean gold of the pools */
  double s = 0;
  for(int p = 0; p < t->n_problems; p++) {
    double m = 0;
    size_t n = stats_table_pool_size(t, p);
    for(size_t i = 0; i < n; i++)
      m += t->gold[t->cand_off[p] + i];
    s += m / n;
  }
  CHECK_NEAR(a1.rm[0].gold1, s / t->n_problems, 1e-12);
  stats_analysis_free(&a1);
  stats_analysis_free(&a2);
  stats_table_free(t);
}

TEST(analyze_grid_option_and_errors)
{
  struct stats_table *t = make_table(6, 8, 0);
  char d[600];
  snprintf(d, sizeof(d), "%s/o", test_tmpdir());
  int grid[] = {3, 8, 2, 3, 50};
  struct stats_analyze_opts o;
  stats_analyze_opts_init(&o);
  o.bootstrap = 0;
  o.n_grid = grid;
  o.n_grid_len = 5;
  struct stats_analysis a;
  struct bon_err err;
  CHECK_MSG(analyze_to(&o, t, d, &a, &err) == 0, "%s", err.msg);
  CHECK_INT(a.n_grid, 4);
  CHECK(a.grid[0] == 1 && a.grid[1] == 2 && a.grid[2] == 3 && a.grid[3] == 8);
  CHECK(isnan(a.rm[0].goldN_lo)); /* no bootstrap */
  char *c = slurp(d, "curves.csv");
  CHECK(c && !strncmp(c, "rm,n,kl,kl_plugin,d,gold,gold_lo", 32));
  /* the curve rows match the estimator on each pool */
  double want = 0;
  for(int p = 0; p < t->n_problems; p++) {
    struct stats_pool pool;
    size_t off = t->cand_off[p];
    int N = (int)stats_table_pool_size(t, p);
    stats_pool_init(&pool, N, stats_table_scores(t, 1, p), t->gold + off,
                    NULL);
    struct stats_bon_point pt;
    stats_bon_at(&pool, 3, &pt);
    want += pt.gold / t->n_problems;
    stats_pool_free(&pool);
  }
  char line[64];
  snprintf(line, sizeof(line), "\nnoisy,3,");
  char *row = c ? strstr(c, line) : NULL;
  CHECK(row != NULL);
  if(row) {
    double f[4];
    CHECK(sscanf(row + strlen(line), "%lf,%lf,%lf,%lf", &f[0], &f[1], &f[2],
                 &f[3]) == 4);
    CHECK_NEAR(f[3], want, 1e-9);
  }
  free(c);
  stats_analysis_free(&a);
  int bad[] = {0};
  o.n_grid = bad;
  o.n_grid_len = 1;
  CHECK(stats_analyze(&o, t, &a, &err) < 0);
  CHECK(strstr(err.msg, "n must be >= 1") != NULL);
  CHECK(a.n_rms == 0 && a.rm == NULL); /* zeroed on failure */
  stats_table_free(t);
}

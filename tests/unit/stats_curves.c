/* Unit tests of stats/curves: fits of curves supplied with their own KL. */
#include "tests/unit/test.h"
#include "stats/curves.h"
#include "util/buf.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <stdlib.h>

/* rm "a" follows the BoN form, rm "b" the RL form (gold), both from a
 * reference point at kl = 0; proxy = p0 + 2 d (bon form, beta = 0). */
static void gen(struct buf *b, double aa, double ab, double ba, double bb)
{
  static const double kl[] = {0, 0.25, 0.5, 1, 2, 3, 5, 8};
  buf_puts(b, "step,rm,kl,gold,proxy\n");
  for(int r = 0; r < 2; r++)
    for(int i = 7; i >= 0; i--) { /* out of order on purpose */
      double d = sqrt(kl[i]);
      double g = r ? 0.3 + d * (ba - bb * (d > 0 ? log(d) : 0))
                   : 0.2 + d * (aa - ab * d);
      buf_printf(b, "%d,%s,%.17g,%.17g,%.17g\n", i, r ? "b" : "a", kl[i], g,
                 0.1 + 2 * d);
    }
}

static int fit_text(const char *text, struct stats_curves_result *r,
                    struct bon_err *err)
{
  return stats_curves_fit(text, strlen(text), "c.csv", NULL, r, err);
}

TEST(curves_fit_recovers_both_forms)
{
  struct buf b = BUF_INIT;
  gen(&b, 0.8, 0.3, 0.5, 0.4);
  struct stats_curves_result r;
  struct bon_err err;
  CHECK_MSG(fit_text(buf_str(&b), &r, &err) == 0, "%s", err.msg);
  CHECK_INT(r.n_rms, 2);
  CHECK(r.has_proxy);
  CHECK_INT(r.n_warnings, 0);
  if(r.n_rms == 2) {
    struct stats_curves_rm *a = &r.rm[0], *c = &r.rm[1];
    CHECK_STR(a->rm, "a");
    CHECK_INT(a->points, 8);
    CHECK_NEAR(a->gold0, 0.2, 1e-15);
    const struct stats_fit *f = &a->fit[0][STATS_FIT_BON];
    CHECK_NEAR(f->alpha, 0.8, 1e-9);
    CHECK_NEAR(f->beta, 0.3, 1e-9);
    CHECK_NEAR(f->d_star, 0.8 / 0.6, 1e-8);
    CHECK_NEAR(f->r_star, 0.64 / 1.2, 1e-8);
    CHECK_NEAR(f->r2, 1, 1e-9);
    CHECK_INT(f->points, 7);
    CHECK_NEAR(f->extrap_rmse, 0, 1e-8);
    /* the wrong form does not fit exactly */
    CHECK(a->fit[0][STATS_FIT_RL].r2 < 1 - 1e-6);
    f = &c->fit[0][STATS_FIT_RL];
    CHECK_STR(c->rm, "b");
    CHECK_NEAR(f->alpha, 0.5, 1e-9);
    CHECK_NEAR(f->beta, 0.4, 1e-9);
    CHECK_NEAR(f->d_star, exp(0.5 / 0.4 - 1), 1e-8);
    CHECK_NEAR(f->kl_star, exp(2 * (0.5 / 0.4 - 1)), 1e-8);
    /* proxy = 0.1 + 2 d: bon alpha 2, beta 0, never turns down */
    f = &a->fit[1][STATS_FIT_BON];
    CHECK_NEAR(a->proxy0, 0.1, 1e-15);
    CHECK_NEAR(f->alpha, 2, 1e-9);
    CHECK_NEAR(f->beta, 0, 1e-9);
  }
  stats_curves_free(&r);
  /* without a proxy column and with the reference at kl > 0 */
  const char *t = "rm,gold,kl\nx,1,0.5\nx,1.25,1\nx,1.3,2\nx,1.2,4\n";
  CHECK_MSG(fit_text(t, &r, &err) == 0, "%s", err.msg);
  CHECK(!r.has_proxy);
  CHECK_INT(r.n_warnings, 1);
  if(r.n_warnings)
    CHECK(strstr(r.warnings[0], "reference") != NULL);
  if(r.n_rms == 1) {
    CHECK_NEAR(r.rm[0].kl_ref, 0.5, 0);
    CHECK_NEAR(r.rm[0].gold0, 1, 0);
    CHECK_INT(r.rm[0].fit[0][0].points, 3);
    CHECK(isnan(r.rm[0].fit[1][0].alpha));
  }
  stats_curves_free(&r);
  buf_free(&b);
}

TEST(curves_errors_name_file_and_line)
{
  struct stats_curves_result r;
  struct bon_err err;
  CHECK(fit_text("rm,gold,proxy\na,1,2\n", &r, &err) < 0);
  CHECK(strstr(err.msg, "c.csv:1:") && strstr(err.msg, "'kl'") &&
        strstr(err.msg, "rm, gold, proxy"));
  CHECK(fit_text("rm,kl\na,1\n", &r, &err) < 0);
  CHECK(strstr(err.msg, "'gold'") != NULL);
  CHECK(fit_text("rm,kl,gold\na,0,1\na,1,2\na,-0.5,3\n", &r, &err) < 0);
  CHECK(strstr(err.msg, "c.csv:4:") && strstr(err.msg, "negative"));
  CHECK(fit_text("rm,kl,gold\na,0,1\na,x,2\na,1,3\n", &r, &err) < 0);
  CHECK(strstr(err.msg, "c.csv:3:") && strstr(err.msg, "kl 'x'"));
  CHECK(fit_text("rm,kl,gold\na,0,1\na,1,\na,2,3\n", &r, &err) < 0);
  CHECK(strstr(err.msg, "c.csv:3:") && strstr(err.msg, "gold"));
  CHECK(fit_text("rm,kl,gold,proxy\na,0,1,\na,1,2,z\n", &r, &err) < 0);
  CHECK(strstr(err.msg, "c.csv:3:") && strstr(err.msg, "proxy 'z'"));
  /* fewer than 3 points: named with the RM's first line */
  CHECK(fit_text("rm,kl,gold\na,0,1\nb,0,1\na,1,2\na,2,2\nb,1,3\n", &r,
                 &err) < 0);
  CHECK(strstr(err.msg, "c.csv:3:") && strstr(err.msg, "'b'") &&
        strstr(err.msg, "2 points"));
  CHECK(fit_text("rm,kl,gold\n", &r, &err) < 0);
  CHECK(strstr(err.msg, "no data rows") != NULL);
  CHECK(r.n_rms == 0 && r.rm == NULL);
}

TEST(curves_file_writes_fits_and_summary)
{
  struct buf b = BUF_INIT;
  gen(&b, 0.8, 0.3, 0.5, 0.4);
  char in[600], out[600];
  snprintf(in, sizeof(in), "%s/c.csv", test_tmpdir());
  snprintf(out, sizeof(out), "%s/o", test_tmpdir());
  struct bon_err err;
  CHECK(fs_write_atomic(in, buf_str(&b), b.len, &err) == 0);
  const char *keep[] = {"b"};
  struct stats_curves_opts o;
  stats_curves_opts_init(&o);
  o.rms = keep;
  o.n_rms = 1;
  struct stats_curves_result r;
  CHECK_MSG(stats_curves_file(in, &o, out, &r, &err) == 0, "%s", err.msg);
  CHECK_INT(r.n_rms, 1);
  stats_curves_free(&r);
  char *p = fs_join(out, "fits.csv");
  char *f = fs_read_file(p, NULL, &err);
  free(p);
  CHECK(f != NULL);
  if(f) {
    CHECK(!strncmp(f, "rm,curve,form,alpha,alpha_se,beta,beta_se,r2,", 45));
    int lines = 0;
    for(char *q = f; *q; q++)
      lines += *q == '\n';
    CHECK_INT(lines, 5); /* header + b x {gold, proxy} x {bon, rl} */
    char *row = strstr(f, "\nb,gold,rl,");
    CHECK(row != NULL);
    if(row)
      CHECK_NEAR(atof(row + 11), 0.5, 1e-8);
    free(f);
  }
  p = fs_join(out, "summary.json");
  f = fs_read_file(p, NULL, &err);
  free(p);
  CHECK(f && strstr(f, "\"curves\":") && strstr(f, "\"rl\": {\"alpha\": "));
  free(f);
  buf_free(&b);
}

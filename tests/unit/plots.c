/* Unit tests of plots/: the CSV reader, gnuplot quoting, the report's text
 * helpers (numbers, intervals, markdown cells), the correlation lookup,
 * input discovery.  The verdict: plots_verdict.c; run.json:
 * plots_runinfo.c. */
#include "tests/unit/test.h"
#include "plots/csvtab.h"
#include "plots/gp.h"
#include "plots/rundata.h"
#include "plots/text.h"
#include "stats/bon.h"
#include "util/buf.h"
#include "util/fsutil.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int parse(struct plot_table *t, const char *text)
{
  struct bon_err e;
  return plot_table_parse(t, text, strlen(text), "t.csv", &e);
}

TEST(plot_csv_quotes_crlf_and_numbers)
{
  struct plot_table t;
  CHECK_INT(parse(&t, "rm,x,y\r\n\"a,\"\"b\"\"\",1,nan\r\n"
                      "\"multi\nline\",inf,\r\nplain,,-2.5e-1\n\n"), 0);
  CHECK_INT(t.ncols, 3);
  CHECK_INT(t.nrows, 3);
  CHECK_STR(plot_table_str(&t, 0, 0), "a,\"b\"");
  CHECK_STR(plot_table_str(&t, 1, 0), "multi\nline");
  CHECK_STR(plot_table_str(&t, 1, 2), "");
  CHECK_INT(plot_table_col(&t, "y"), 2);
  CHECK_INT(plot_table_col(&t, "z"), -1);
  CHECK_NEAR(plot_table_num(&t, 0, 1), 1, 0);
  CHECK(isnan(plot_table_num(&t, 0, 2)));
  CHECK(isinf(plot_table_num(&t, 1, 1)));
  CHECK(isnan(plot_table_num(&t, 2, 1)));   /* empty */
  CHECK_NEAR(plot_table_num(&t, 2, 2), -0.25, 0);
  CHECK(isnan(plot_table_num(&t, 0, 0)));   /* not a number */
  CHECK(isnan(plot_table_num(&t, 0, -1)));  /* absent column */
  CHECK(isnan(plot_table_num(&t, 99, 1)));  /* absent row */
  plot_table_free(&t);
}

TEST(plot_csv_rejects_malformed)
{
  struct plot_table t;
  struct bon_err e;
  CHECK(parse(&t, "") < 0);
  CHECK(parse(&t, "a,b\n\"open,1\n") < 0);
  CHECK(plot_table_parse(&t, "a,b\n1,2,3\n", 10, "x.csv", &e) < 0);
  CHECK(strstr(e.msg, "x.csv:2:") != NULL);
  CHECK(plot_table_parse(&t, "a,b\n1\n", 6, "x.csv", &e) < 0);
  CHECK(plot_table_parse(&t, "a,b\n1\0002\n", 9, "x.csv", &e) < 0);
  CHECK_INT(t.nrows, 0);
}

/* Undo plot_gp_str the way gnuplot reads a single-quoted string. */
static char *gp_unquote(const char *q)
{
  size_t n = strlen(q);
  char *out = xmalloc(n + 1), *o = out;
  if(n < 2 || q[0] != '\'' || q[n - 1] != '\'') {
    free(out);
    return NULL;
  }
  for(size_t i = 1; i + 1 < n; i++) {
    if(q[i] == '\'') {
      if(q[i + 1] != '\'') { /* a lone quote would end the literal */
        free(out);
        return NULL;
      }
      i++;
    }
    *o++ = q[i];
  }
  *o = '\0';
  return out;
}

TEST(plot_gp_str_round_trips_and_stays_on_one_line)
{
  static const char *const names[] = {
    "plain", "it's", "''", "a_b^c{d}@e", "`touch /tmp/x`", "x\ny\tz",
    "Ana's RM, \"big\"", "back\\slash", "",
  };
  for(size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
    struct buf b = BUF_INIT;
    plot_gp_str(&b, names[i]);
    CHECK(strchr(buf_str(&b), '\n') == NULL);
    char *back = gp_unquote(buf_str(&b));
    CHECK_MSG(back != NULL, "bad literal %s", buf_str(&b));
    /* Expected: the name with control bytes as spaces. */
    char *want = xstrdup(names[i]);
    for(char *p = want; *p; p++)
      if((unsigned char)*p < 0x20)
        *p = ' ';
    if(back)
      CHECK_STR(back, want);
    free(back);
    free(want);
    buf_free(&b);
  }
}

TEST(plot_fmt_num_ci_and_md_cell)
{
  struct buf b = BUF_INIT;
  plot_fmt_num(&b, 0.125, 2);
  buf_puts(&b, "|");
  plot_fmt_num(&b, -0.001, 2); /* no "-0.00" */
  buf_puts(&b, "|");
  plot_fmt_num(&b, NAN, 3);
  buf_puts(&b, "|");
  plot_fmt_ci(&b, 0.62, 0.565, 0.675, 3);
  buf_puts(&b, "|");
  plot_fmt_ci(&b, 0.5, NAN, 0.7, 2);
  buf_puts(&b, "|");
  plot_fmt_ci(&b, NAN, 0.1, 0.7, 2);
  CHECK_STR(buf_str(&b), "0.12|0.00|n/a|0.620 [0.565, 0.675]|0.50|n/a");
  buf_reset(&b);
  plot_md_cell(&b, "a|b_c\\d\ne*");
  CHECK_STR(buf_str(&b), "a\\|b\\_c\\\\d e\\*");
  buf_free(&b);
}

TEST(plot_fmt_level_percentages)
{
  static const struct {
    double level;
    const char *want;
  } cases[] = {{0.95, "95%"}, {0.9, "90%"}, {0.975, "97.5%"},
               {0.999, "99.9%"}, {0.5, "50%"}, {0.8, "80%"}};
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char out[16];
    plot_fmt_level(out, sizeof(out), cases[i].level);
    CHECK_STR(out, cases[i].want);
  }
}

TEST(plot_corr_find_matches_benchmark_and_prefers_delta)
{
  struct plot_table t;
  CHECK_INT(parse(&t,
    "x,y,n,pearson,pearson_lo,pearson_hi,pearson_p,r2,spearman,spearman_lo,"
    "spearman_hi,spearman_p,kendall,kendall_lo,kendall_hi,kendall_p\n"
    "run/benchmarks/one_to_many/benchmark.csv:accuracy,gains.csv:auc,"
    "6,0.5,0,0.9,0.1,0.25,0.4,0,0.8,0.2,0.3,0,0.7,0.2\n"
    "run/benchmarks/one_to_many/benchmark.csv:accuracy,gains.csv:delta,"
    "6,0.9,0.5,0.99,0.01,0.81,0.8,0.3,1,0.05,0.6,0.2,1,0.05\n"
    "run/benchmarks/one_to_many/benchmark.csv:mrr,gains.csv:delta,"
    "6,0.1,-0.5,0.6,0.8,0.01,0.1,-0.5,0.6,0.8,0.1,-0.5,0.6,0.8\n"
    "b/one-to-one/benchmark.csv:accuracy,gains.csv:auc,"
    "6,-0.2,-0.8,0.5,0.7,0.04,-0.1,-0.7,0.6,0.8,-0.1,-0.6,0.5,0.8\n"), 0);
  struct plot_corr c;
  plot_corr_find(&t, 0, "accuracy", NULL, &c);
  CHECK(c.ok);
  CHECK_INT(c.n, 6);
  CHECK_NEAR(c.r, 0.9, 0);
  CHECK_NEAR(c.r_lo, 0.5, 0);
  CHECK_NEAR(c.tau_hi, 1, 0);
  CHECK_NEAR(c.rho_lo, 0.3, 0);
  plot_corr_find(&t, 0, "accuracy", "auc", &c);
  CHECK_NEAR(c.r, 0.5, 0);
  plot_corr_find(&t, 1, "accuracy", NULL, &c); /* no delta: first row */
  CHECK(c.ok);
  CHECK_NEAR(c.r, -0.2, 0);
  plot_corr_find(&t, 1, "mrr", NULL, &c);
  CHECK(!c.ok);
  plot_table_free(&t);
  char *l = plot_metric_label("a/one_to_one/benchmark.csv:mrr");
  CHECK_STR(l, "one-to-one MRR");
  free(l);
  l = plot_metric_label("analysis/gains.csv:delta");
  CHECK_STR(l, "gain at largest n");
  free(l);
  l = plot_metric_label("weird");
  CHECK_STR(l, "weird");
  free(l);
}

static void put(const char *dir, const char *name, const char *text)
{
  struct bon_err e;
  char *p = fs_join(dir, name);
  CHECK_INT(fs_write_atomic(p, text, strlen(text), &e), 0);
  free(p);
}

TEST(plot_paths_plain_folder_and_run_layout)
{
  const char *dir = test_tmpdir();
  struct plot_paths p;
  struct bon_err e;
  CHECK(plot_paths_find(&p, dir, &e) < 0); /* nothing there */
  CHECK(strstr(e.msg, "run directory") != NULL);
  put(dir, "curves.csv", "rm,n,d,gold\na,1,0,0.5\n");
  put(dir, "benchmark.csv", "rm,k,accuracy\na,1,0.7\n");
  CHECK_INT(plot_paths_find(&p, dir, &e), 0);
  CHECK(p.curves && strstr(p.curves, "curves.csv"));
  CHECK(p.bench[0] == NULL);
  CHECK(p.bench[1] != NULL); /* k = 1: one-to-one */
  CHECK(p.corr == NULL && p.fits == NULL && p.runinfo == NULL);
  plot_paths_free(&p);
  put(dir, "config.json", "{}"); /* the report does not read it */
  put(dir, "run.json", "{}");
  CHECK_INT(plot_paths_find(&p, dir, &e), 0);
  CHECK(p.runinfo && strstr(p.runinfo, "/run.json"));
  plot_paths_free(&p);
  char *an = fs_join(dir, "analysis");
  CHECK_INT(fs_mkdirs(an, &e), 0);
  put(an, "curves.csv", "rm,n,d,gold\na,1,0,0.5\n");
  CHECK_INT(plot_paths_find(&p, dir, &e), 0);
  CHECK(strstr(p.curves, "analysis/curves.csv") != NULL);
  CHECK(p.bench[1] == NULL); /* run layout: benchmarks/ only */
  plot_paths_free(&p);
  free(an);
  CHECK(plot_paths_find(&p, "/nonexistent/run", &e) < 0);
}

TEST(plot_curves_load_sorts_groups_and_fills_fits)
{
  const char *dir = test_tmpdir();
  put(dir, "curves.csv", "rm,n,kl,gold,proxy\n"
                         "b,4,0.636,0.6,2\nb,1,0,0.5,1\na,2,0.193,0.4,nan\n"
                         "b,2,0.193,0.55,1.5\n");
  put(dir, "fits.csv", "rm,curve,form,alpha,beta,r2\n"
                       "b,proxy,bon,9,9,1\nb,gold,bon,0.2,0.1,0.9\n");
  char *c = fs_join(dir, "curves.csv"), *f = fs_join(dir, "fits.csv");
  struct plot_curves cur;
  struct bon_err e;
  CHECK_INT(plot_curves_load(&cur, c, f, &e), 0);
  CHECK_INT(cur.nrms, 2);
  CHECK_STR(cur.rms[0].name, "b");
  CHECK_INT(cur.rms[0].npts, 3);
  CHECK_NEAR(cur.rms[0].pts[0].n, 1, 0);
  CHECK_NEAR(cur.rms[0].pts[2].n, 4, 0);
  CHECK_NEAR(cur.rms[0].pts[2].d, sqrt(0.636), 1e-12); /* d from kl */
  CHECK(isnan(cur.rms[0].pts[0].oracle));
  CHECK(cur.rms[0].fit.ok);
  CHECK_NEAR(cur.rms[0].fit.alpha, 0.2, 0);   /* the gold row, not proxy */
  CHECK_NEAR(cur.rms[0].fit.d_star, 1.0, 1e-12); /* alpha / (2 beta) */
  CHECK_NEAR(stats_kl_bon(cur.rms[0].fit.n_star), 1.0, 1e-9);
  CHECK_NEAR(cur.rms[0].fit.gold0, 0.5, 0);   /* gold at n = 1 */
  CHECK(!cur.rms[1].fit.ok);
  CHECK_NEAR(plot_curves_max_n(&cur), 4, 0);
  plot_curves_free(&cur);
  put(dir, "curves.csv", "rm,n,d\na,1,0\n");
  CHECK(plot_curves_load(&cur, c, NULL, &e) < 0);
  CHECK(strstr(e.msg, "'gold'") != NULL);
  put(dir, "curves.csv", "rm,n,d,gold\na,zero,0,1\n");
  CHECK(plot_curves_load(&cur, c, NULL, &e) < 0);
  CHECK(strstr(e.msg, "line 2") != NULL);
  free(c);
  free(f);
}

TEST(plot_pdf_fix_date_pins_the_date_in_place)
{
  const char *dir = test_tmpdir();
  const char *pdf = "%PDF-1.5\n<< /CreationDate (D:20261123232544Z) >>\n"
                    "xref 42\n";
  put(dir, "a.pdf", pdf);
  char *p = fs_join(dir, "a.pdf");
  struct bon_err e;
  CHECK_INT(plot_pdf_fix_date(p, &e), 0);
  size_t len;
  char *got = fs_read_file(p, &len, &e);
  CHECK_INT(len, strlen(pdf));
  CHECK(got && strstr(got, "(D:20000101000000Z)") != NULL);
  CHECK(got && strstr(got, "xref 42") != NULL);
  free(got);
  free(p);
}

TEST(plot_fmt_parse_formats)
{
  enum plot_fmt f;
  struct bon_err e;
  CHECK_INT(plot_fmt_parse("svg", &f, &e), 0);
  CHECK_STR(plot_fmt_ext(f), "svg");
  CHECK_INT(plot_fmt_parse("pdf", &f, &e), 0);
  CHECK_STR(plot_fmt_ext(f), "pdf");
  CHECK(plot_fmt_parse("jpeg", &f, &e) < 0);
  CHECK(strstr(e.msg, "png, svg or pdf") != NULL);
}

/* cmd_analyze.c - `bonrun analyze`: BoN curves, KL, fits and gains from a
 * long scores table.  The work is stats_analyze (stats/analyze.h). */
#include "runner/commands.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner/limits.h"

#include "stats/analyze.h"
#include "stats/curves.h"
#include "stats/derive.h"
#include "stats/table.h"

static const char analyze_usage[] =
    "usage: bonrun analyze --scores FILE --out DIR [options]\n"
    "       bonrun analyze --curves FILE --out DIR [--extrap-kl K]\n"
    "                      [--rm NAME]\n"
    "\n"
    "Best-of-n curves (unbiased estimator, exact ties), KL, Gao et al.\n"
    "fits and gains per RM, with paired bootstrap intervals over problems.\n"
    "Writes curves.csv, fits.csv, gains.csv, summary.json in DIR\n"
    "(stats/formats.md).\n\n"
    "With --curves, fits both Gao et al. forms, BoN d(alpha - beta d) and\n"
    "RL d(alpha - beta log d), to curves that come with their own KL (e.g.\n"
    "an RL run): a CSV with columns rm, kl (nats), gold and optional\n"
    "proxy, one row per point; per RM the point at the smallest kl (kl = 0)\n"
    "is the reference.  Writes fits.csv and summary.json in DIR.\n\n"
    "options:\n"
    "  --scores FILE      long scores table (.csv, .tsv, .jsonl)\n"
    "  --curves FILE      curves with their own KL instead (see above)\n"
    "  --out DIR          output folder (created)\n"
    "  --bootstrap B      bootstrap replicates (default 1000; 0 = none;\n"
    "                     at most " CLI_Q(BON_BOOTSTRAP_MAX) ")\n"
    "  --seed S           master seed (default 1)\n"
    "  --threads T        worker threads (default 0 = all cores; at most\n"
    "                     " CLI_Q(BON_THREADS_MAX) ")\n"
    "  --n-grid LIST      comma-separated n values (default 1,2,4,..,N)\n"
    "  --level X          interval level, " CLI_Q(BON_LEVEL_MIN) " to "
    CLI_Q(BON_LEVEL_MAX) " (default 0.95)\n"
    "  --extrap-kl K      fit on KL <= K for the extrapolation check\n"
    "                     (default: the lower half of the grid)\n"
    "  --rm NAME          analyse only this RM (repeatable)\n"
    "  --steps AGG[,AGG]  aggregate per-step scores of process RMs into RMs\n"
    "                     named rm/AGG: min max mean sum first last prod\n"
    "                     gmean mean_logit mean_odds (also spelled\n"
    "                     geometric_mean, geomean, mean_odd).  An RM with\n"
    "                     step scores only is never an RM of its own: it\n"
    "                     enters as rm/prod when --steps is not given\n"
    "  --ensemble SPEC    [NAME=]KIND:RM1,RM2,...; KIND mean, min, median or\n"
    "                     uwoLAMBDA (mean - LAMBDA*variance) over scores\n"
    "                     standardised per RM; repeatable.  Aggregations\n"
    "                     and ensembles are analysed like any other RM\n"
    "  --col-problem NAME, --col-sample NAME, --col-rm NAME,\n"
    "  --col-score NAME, --col-correct NAME, --col-answer NAME,\n"
    "  --col-steps NAME, --col-kind NAME\n"
    "                     column names of the table, when not the defaults\n"
    "                     problem_id, sample_id, rm, score, correct,\n"
    "                     answer, steps, kind (RMs of kind pairwise are\n"
    "                     left out: A/B outcomes pick no best of n)\n"
    "  -q, --quiet        no table on stdout, no progress\n"
    "  -h, --help         this help\n";

static void progress(void *ctx, const char *stage, double frac)
{
  (void)ctx;
  fprintf(stderr, "\ranalyze: %-10s %3.0f%%", stage, 100 * frac);
  if(frac >= 1)
    fputc('\n', stderr);
  fflush(stderr);
}

static void print_num(double x, int w)
{
  if(isnan(x))
    printf(" %*s", w, "nan");
  else
    printf(" %*.4g", w, x);
}

/* What the command line says. */
struct analyze_args {
  const char *scores, *curves, *steps, *out_dir;
  struct stats_analyze_opts ao;
  struct stats_table_opts to;
  struct cli_ints grid;
  struct cli_strs rms, ens;
  int quiet;
};

#define A struct analyze_args
/* The options before A_BOOT also apply to --curves; the rest do not. */
enum { A_SCORES, A_CURVES, A_OUT, A_EXTRAP, A_RM, A_QUIET, A_BOOT };
static const struct cli_opt analyze_opts[] = {
  [A_SCORES] = CLI_OPT_STR("scores", 0, A, scores),
  [A_CURVES] = CLI_OPT_STR("curves", 0, A, curves),
  [A_OUT] = CLI_OPT_STR("out", 0, A, out_dir),
  [A_EXTRAP] = CLI_OPT_POSITIVE("extrap-kl", 0, A, ao.extrap_kl),
  [A_RM] = CLI_OPT_STRS("rm", 0, A, rms),
  [A_QUIET] = CLI_OPT_FLAG("quiet", 'q', A, quiet),
  [A_BOOT] = CLI_OPT_SIZE("bootstrap", 0, A, ao.bootstrap, 0,
                          BON_BOOTSTRAP_MAX),
  CLI_OPT_U64("seed", 0, A, ao.seed),
  CLI_OPT_INT("threads", 0, A, ao.threads, 0, BON_THREADS_MAX),
  CLI_OPT_INTS("n-grid", 0, A, grid, 1, BON_SAMPLES_MAX),
  CLI_OPT_DOUBLE("level", 0, A, ao.level, BON_LEVEL_MIN, BON_LEVEL_MAX),
  CLI_OPT_STR("steps", 0, A, steps),
  CLI_OPT_STRS("ensemble", 0, A, ens),
  CLI_OPT_STR("col-problem", 0, A, to.col_problem),
  CLI_OPT_STR("col-sample", 0, A, to.col_sample),
  CLI_OPT_STR("col-rm", 0, A, to.col_rm),
  CLI_OPT_STR("col-score", 0, A, to.col_score),
  CLI_OPT_STR("col-correct", 0, A, to.col_correct),
  CLI_OPT_STR("col-answer", 0, A, to.col_answer),
  CLI_OPT_STR("col-steps", 0, A, to.col_steps),
  CLI_OPT_STR("col-kind", 0, A, to.col_kind),
  CLI_OPT_END,
};
#undef A

static const struct cli_cmd analyze_cli = {
  "analyze", analyze_usage, analyze_opts, 0, 0, NULL,
};

/* The combinations the table cannot say. */
static int check_args(const struct analyze_args *a,
                      const struct cli_parsed *p)
{
  const char *other = cli_seen_name(&analyze_cli,
                                    p->seen & ~(((uint64_t)1 << A_BOOT) - 1));
  if(a->scores && a->curves)
    return cli_usage_error("analyze", "give either --scores or --curves, "
                           "not both");
  if(a->curves && other)
    return cli_usage_error("analyze", "option '--%s' does not apply to "
                           "--curves (only --out, --extrap-kl, --rm and -q "
                           "do)", other);
  if((!a->scores && !a->curves) || !a->out_dir)
    return cli_usage_error("analyze", "--scores FILE (or --curves FILE) "
                           "and --out DIR are required");
  return CLI_GO;
}

static void warn_missing_rms(const struct analyze_args *a, const char *file,
                             int (*has)(const void *, const char *),
                             const void *ctx)
{
  for(size_t i = 0; i < a->rms.n; i++)
    if(!has(ctx, a->rms.v[i]))
      cli_warn("analyze", "--rm %s: no such RM in %s", a->rms.v[i], file);
}

static int curves_has_rm(const void *ctx, const char *rm)
{
  const struct stats_curves_result *res = ctx;
  for(int r = 0; r < res->n_rms; r++)
    if(!strcmp(res->rm[r].rm, rm))
      return 1;
  return 0;
}

static int table_has_rm(const void *ctx, const char *rm)
{
  return stats_table_rm_index(ctx, rm) >= 0;
}

static void print_curves(const struct stats_curves_result *res,
                         const char *out_dir)
{
  printf("%d RMs, %zu points; wrote %s/\n", res->n_rms, res->rows, out_dir);
  printf("%-20s %6s %9s %9s %9s %9s %9s %9s\n", "rm", "points", "bon a",
         "bon b", "bon d*", "rl a", "rl b", "rl d*");
  for(int r = 0; r < res->n_rms; r++) {
    const struct stats_curves_rm *m = &res->rm[r];
    printf("%-20.20s %6d", m->rm, m->points);
    for(int f = 0; f < 2; f++) {
      print_num(m->fit[0][f].alpha, 9);
      print_num(m->fit[0][f].beta, 9);
      print_num(m->fit[0][f].d_star, 9);
    }
    printf("\n");
  }
}

static int analyze_curves(const struct analyze_args *a)
{
  struct stats_curves_opts co;
  stats_curves_opts_init(&co);
  co.extrap_kl = a->ao.extrap_kl;
  co.input_name = a->curves;
  co.rms = a->rms.v;
  co.n_rms = (int)a->rms.n;
  struct stats_curves_result res;
  struct bon_err err = {{0}};
  if(stats_curves_file(a->curves, &co, a->out_dir, &res, &err) < 0) {
    cli_error("analyze", "%s", err.msg);
    return EXIT_FAIL;
  }
  for(size_t i = 0; i < res.n_warnings; i++)
    cli_warn("analyze", "%s", res.warnings[i]);
  warn_missing_rms(a, a->curves, curves_has_rm, &res);
  if(!a->quiet)
    print_curves(&res, a->out_dir);
  stats_curves_free(&res);
  return EXIT_OK;
}

static void print_analysis(const struct stats_analysis *res,
                           const struct stats_analyze_opts *ao,
                           const char *out_dir)
{
  char iv[32];
  printf("%d problems, pool N = %d, %d RMs, B = %zu; wrote %s/\n",
         res->problems, res->pool, res->n_rms, ao->bootstrap, out_dir);
  printf("%-20s %9s %9s %21s %7s %9s %9s\n", "rm", "gold(1)", "gold(N)",
         "", "peak n", "d*", "R2");
  snprintf(iv, sizeof(iv), "%.4g%% interval", 100 * ao->level);
  printf("%-20s %9s %9s %21s %7s %9s %9s\n", "", "", "", iv, "", "", "");
  for(int r = 0; r < res->n_rms; r++) {
    const struct stats_rm_result *x = &res->rm[r];
    printf("%-20.20s", x->rm);
    print_num(x->gold1, 9);
    print_num(x->goldN, 9);
    printf("  [");
    print_num(x->goldN_lo, 8);
    printf(",");
    print_num(x->goldN_hi, 8);
    printf("]");
    printf(" %7d", x->peak_n);
    print_num(x->d_star, 9);
    print_num(x->r2, 9);
    printf("\n");
  }
}

/* The table with its aggregations and ensembles, or NULL after a
 * message. */
static struct stats_table *read_table(struct analyze_args *a)
{
  struct bon_err err = {{0}};
  a->to.rms = a->rms.v;
  a->to.n_rms = (int)a->rms.n;
  a->to.threads = a->ao.threads; /* the reader's too */
  struct stats_table *t = stats_table_read(a->scores, &a->to, &err);
  if(!t) {
    cli_error("analyze", "%s", err.msg);
    return NULL;
  }
  warn_missing_rms(a, a->scores, table_has_rm, t);
  struct buf note = BUF_INIT;
  size_t npw = 0;
  for(int r = t->n_rms - 1; r >= 0; r--)
    if(stats_table_rm_kind(t, r) == STATS_RM_PAIRWISE) {
      buf_printf(&note, "%s%s", npw++ ? ", " : "", t->rms[r]);
      stats_table_remove_rm(t, r);
    }
  if(npw)
    cli_warn("analyze", "%zu pairwise judge%s (kind pairwise in %s) left "
             "out: A/B outcomes are not scores to pick a best of n with: "
             "%s", npw, npw > 1 ? "s" : "", a->scores, buf_str(&note));
  buf_reset(&note);
  if(stats_process_note(t, a->steps, &note))
    cli_note("analyze", "%s%s", buf_str(&note), a->steps && *a->steps ? ""
             : " (the default aggregation; choose others with --steps)");
  buf_free(&note);
  if(stats_table_add_derived(&t, a->steps, a->ens.v, a->ens.n, &err) < 0) {
    cli_error("analyze", "%s", err.msg);
    stats_table_free(t);
    return NULL;
  }
  if(!t->n_rms) {
    cli_error("analyze", "%s: no RM left to analyse", a->scores);
    stats_table_free(t);
    return NULL;
  }
  if(a->ens.n)
    cli_note("analyze", "ensemble members are standardised per RM over "
             "the whole table before they are combined");
  return t;
}

static int analyze_scores(struct analyze_args *a)
{
  struct stats_table *t = read_table(a);
  if(!t)
    return EXIT_FAIL;
  a->ao.input_name = a->scores;
  a->ao.n_grid = a->grid.v;
  a->ao.n_grid_len = (int)a->grid.n;
  if(!a->quiet && isatty(2))
    a->ao.progress = progress;
  struct stats_analysis res;
  struct bon_err err = {{0}};
  if(stats_analyze(&a->ao, t, &res, &err) < 0) {
    cli_error("analyze", "%s", err.msg);
    stats_table_free(t);
    return EXIT_FAIL;
  }
  if(stats_analyze_write(&res, a->out_dir, &err) < 0) {
    cli_error("analyze", "%s", err.msg);
    stats_analysis_free(&res);
    stats_table_free(t);
    return EXIT_FAIL;
  }
  for(size_t i = 0; i < res.n_warnings; i++)
    cli_warn("analyze", "%s", res.warnings[i]);
  if(!a->quiet)
    print_analysis(&res, &a->ao, a->out_dir);
  stats_analysis_free(&res);
  stats_table_free(t);
  return EXIT_OK;
}

int cmd_analyze(int argc, char **argv)
{
  struct analyze_args a;
  memset(&a, 0, sizeof(a));
  stats_analyze_opts_init(&a.ao);
  stats_table_opts_init(&a.to);
  struct cli_parsed p;
  int rc = cli_parse(&analyze_cli, argc, argv, &a, &p);
  if(rc == CLI_GO)
    rc = check_args(&a, &p);
  if(rc == CLI_GO)
    rc = a.curves ? analyze_curves(&a) : analyze_scores(&a);
  cli_free(&analyze_cli, &a);
  return rc;
}

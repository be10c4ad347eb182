/* cmd_analyze.c - `bonrun analyze`: BoN curves, KL, fits and gains from a
 * long scores table.  The work is stats_analyze (stats/analyze.h). */
#include "runner/commands.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats/analyze.h"
#include "stats/curves.h"
#include "stats/derive.h"
#include "stats/table.h"

static void usage(FILE *f)
{
  fprintf(f,
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
    "  --bootstrap B      bootstrap replicates (default 1000; 0 = none)\n"
    "  --seed S           master seed (default 1)\n"
    "  --threads T        worker threads (default 0 = all cores)\n"
    "  --n-grid LIST      comma-separated n values (default 1,2,4,..,N)\n"
    "  --level X          interval level (default 0.95)\n"
    "  --extrap-kl K      fit on KL <= K for the extrapolation check\n"
    "                     (default: the lower half of the grid)\n"
    "  --rm NAME          analyse only this RM (repeatable)\n"
    "  --steps AGG[,AGG]  aggregate per-step scores of process RMs into RMs\n"
    "                     named rm/AGG: min max mean sum first last prod\n"
    "                     gmean mean_logit mean_odds\n"
    "  --ensemble SPEC    [NAME=]KIND:RM1,RM2,...; KIND mean, min, median or\n"
    "                     uwoLAMBDA (mean - LAMBDA*variance) over scores\n"
    "                     standardised per RM; repeatable.  Aggregations\n"
    "                     and ensembles are analysed like any other RM\n"
    "  --col-problem NAME, --col-sample NAME, --col-rm NAME,\n"
    "  --col-score NAME, --col-correct NAME, --col-answer NAME,\n"
    "  --col-steps NAME   column names of the table, when not the defaults\n"
    "                     problem_id, sample_id, rm, score, correct,\n"
    "                     answer, steps\n"
    "  -q, --quiet        no table on stdout, no progress\n"
    "  -h, --help         this help\n");
}

static void progress(void *ctx, const char *stage, double frac)
{
  (void)ctx;
  fprintf(stderr, "\ranalyze: %-10s %3.0f%%", stage, 100 * frac);
  if(frac >= 1)
    fputc('\n', stderr);
  fflush(stderr);
}

static int parse_grid(const char *s, int **out, int *n)
{
  int cap = 16, k = 0;
  int *v = malloc((size_t)cap * sizeof(int));
  if(!v)
    return -1;
  while(*s) {
    char *end;
    long x = strtol(s, &end, 10);
    if(end == s || *s < '0' || *s > '9' || x < 1 || x > 1000000000 || (*end && *end != ',')) {
      free(v);
      return -1;
    }
    if(k == cap) {
      cap *= 2;
      int *w = realloc(v, (size_t)cap * sizeof(int));
      if(!w) {
        free(v);
        return -1;
      }
      v = w;
    }
    v[k++] = (int)x;
    s = *end ? end + 1 : end;
  }
  *out = v;
  *n = k;
  return k ? 0 : -1;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
  char *end;
  if((*s < '0' || *s > '9') && !(*s == '-' && lo < 0))
    return -1; /* strtol would skip blanks and take a '+' */
  long x = strtol(s, &end, 10);
  if(end == s || *end || x < lo || x > hi)
    return -1;
  *out = x;
  return 0;
}

static void print_num(double x, int w)
{
  if(isnan(x))
    printf(" %*s", w, "nan");
  else
    printf(" %*.4g", w, x);
}

static int analyze_curves(const char *path, const char *out_dir,
                          const struct stats_analyze_opts *ao,
                          const char **rms, int nrms, int quiet)
{
  struct stats_curves_opts co;
  stats_curves_opts_init(&co);
  co.extrap_kl = ao->extrap_kl;
  co.input_name = path;
  co.rms = rms;
  co.n_rms = nrms;
  struct stats_curves_result res;
  struct bon_err err = {{0}};
  if(stats_curves_file(path, &co, out_dir, &res, &err) < 0) {
    cli_error("analyze", "%s", err.msg);
    return EXIT_FAIL;
  }
  for(size_t i = 0; i < res.n_warnings; i++)
    fprintf(stderr, "bonrun analyze: warning: %s\n", res.warnings[i]);
  for(int i = 0; i < nrms; i++) {
    int found = 0;
    for(int r = 0; r < res.n_rms; r++)
      found |= !strcmp(res.rm[r].rm, rms[i]);
    if(!found)
      fprintf(stderr, "bonrun analyze: warning: --rm %s: no such RM in "
              "%s\n", rms[i], path);
  }
  if(!quiet) {
    printf("%d RMs, %zu points; wrote %s/\n", res.n_rms, res.rows,
           out_dir);
    printf("%-20s %6s %9s %9s %9s %9s %9s %9s\n", "rm", "points",
           "bon a", "bon b", "bon d*", "rl a", "rl b", "rl d*");
    for(int r = 0; r < res.n_rms; r++) {
      const struct stats_curves_rm *m = &res.rm[r];
      printf("%-20.20s %6d", m->rm, m->points);
      for(int f = 0; f < 2; f++) {
        print_num(m->fit[0][f].alpha, 9);
        print_num(m->fit[0][f].beta, 9);
        print_num(m->fit[0][f].d_star, 9);
      }
      printf("\n");
    }
  }
  stats_curves_free(&res);
  return EXIT_OK;
}

int cmd_analyze(int argc, char **argv)
{
  enum { O_SCORES = 256, O_OUT, O_BOOT, O_SEED, O_THREADS, O_GRID, O_LEVEL,
         O_EXTRAP, O_RM, O_CP, O_CS, O_CR, O_CSC, O_CC, O_CA, O_CST,
         O_STEPS, O_ENS, O_CURVES };
  static const struct option lo[] = {
    {"scores", required_argument, 0, O_SCORES},
    {"curves", required_argument, 0, O_CURVES},
    {"out", required_argument, 0, O_OUT},
    {"bootstrap", required_argument, 0, O_BOOT},
    {"seed", required_argument, 0, O_SEED},
    {"threads", required_argument, 0, O_THREADS},
    {"n-grid", required_argument, 0, O_GRID},
    {"level", required_argument, 0, O_LEVEL},
    {"extrap-kl", required_argument, 0, O_EXTRAP},
    {"rm", required_argument, 0, O_RM},
    {"steps", required_argument, 0, O_STEPS},
    {"ensemble", required_argument, 0, O_ENS},
    {"col-problem", required_argument, 0, O_CP},
    {"col-sample", required_argument, 0, O_CS},
    {"col-rm", required_argument, 0, O_CR},
    {"col-score", required_argument, 0, O_CSC},
    {"col-correct", required_argument, 0, O_CC},
    {"col-answer", required_argument, 0, O_CA},
    {"col-steps", required_argument, 0, O_CST},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};
  const char *scores = NULL, *curves = NULL, *table_only = NULL;
  const char *out_dir = NULL;
  struct stats_analyze_opts ao;
  struct stats_table_opts to;
  stats_analyze_opts_init(&ao);
  stats_table_opts_init(&to);
  const char **rms = xcalloc((size_t)argc + 1, sizeof(char *));
  const char **ens = xcalloc((size_t)argc + 1, sizeof(char *));
  const char *steps = NULL;
  int nens = 0, nrms = 0, quiet = 0, rc = EXIT_USAGE, *grid = NULL;
  long v;
  char *endp;
  optind = 1;
  opterr = 0;
  int ch;
  int li = -1;
  while((ch = getopt_long(argc, argv, "qh", lo, &li)) != -1) {
    if(ch != O_SCORES && ch != O_CURVES && ch != O_OUT && ch != O_EXTRAP &&
       ch != O_RM && ch >= 256 && li >= 0 && !table_only)
      table_only = lo[li].name;
    switch(ch) {
    case O_SCORES: scores = optarg; break;
    case O_CURVES: curves = optarg; break;
    case O_OUT: out_dir = optarg; break;
    case O_BOOT:
      if(parse_int(optarg, 0, 10000000, &v) < 0) {
        cli_error("analyze", "--bootstrap: expected an integer >= 0, got "
                  "'%s'", optarg);
        goto out;
      }
      ao.bootstrap = (size_t)v;
      break;
    case O_SEED:
      if(cli_parse_u64(optarg, &ao.seed) < 0) {
        cli_error("analyze", "--seed: expected a non-negative integer, "
                  "got '%s'", optarg);
        goto out;
      }
      break;
    case O_THREADS:
      if(parse_int(optarg, 0, 1024, &v) < 0) {
        cli_error("analyze", "--threads: expected 0..1024, got '%s'",
                  optarg);
        goto out;
      }
      ao.threads = (int)v;
      break;
    case O_GRID:
      free(grid);
      grid = NULL;
      if(parse_grid(optarg, &grid, &ao.n_grid_len) < 0) {
        cli_error("analyze", "--n-grid: expected positive integers "
                  "separated by commas, got '%s'", optarg);
        goto out;
      }
      ao.n_grid = grid;
      break;
    case O_LEVEL:
      ao.level = strtod(optarg, &endp);
      if(endp == optarg || *endp || !(ao.level > 0 && ao.level < 1)) {
        cli_error("analyze", "--level: expected a number in (0, 1), got "
                  "'%s'", optarg);
        goto out;
      }
      break;
    case O_EXTRAP:
      ao.extrap_kl = strtod(optarg, &endp);
      if(endp == optarg || *endp || !(ao.extrap_kl > 0) ||
         !isfinite(ao.extrap_kl)) {
        cli_error("analyze", "--extrap-kl: expected a positive number, "
                  "got '%s'", optarg);
        goto out;
      }
      break;
    case O_RM: rms[nrms++] = optarg; break;
    case O_STEPS: steps = optarg; break;
    case O_ENS: ens[nens++] = optarg; break;
    case O_CP: to.col_problem = optarg; break;
    case O_CS: to.col_sample = optarg; break;
    case O_CR: to.col_rm = optarg; break;
    case O_CSC: to.col_score = optarg; break;
    case O_CC: to.col_correct = optarg; break;
    case O_CA: to.col_answer = optarg; break;
    case O_CST: to.col_steps = optarg; break;
    case 'q': quiet = 1; break;
    case 'h':
      usage(stdout);
      rc = EXIT_OK;
      goto out;
    default:
      cli_error("analyze", "unknown or incomplete option '%s' (see "
                "--help)", argv[optind - 1]);
      goto out;
    }
  }
  if(optind < argc) {
    cli_error("analyze", "unexpected argument '%s' (see --help)",
              argv[optind]);
    goto out;
  }
  if(scores && curves) {
    cli_error("analyze", "give either --scores or --curves, not both");
    goto out;
  }
  if(curves && table_only) {
    cli_error("analyze", "option '--%s' does not apply to --curves (only "
              "--out, --extrap-kl, --rm and -q do)", table_only);
    goto out;
  }
  if((!scores && !curves) || !out_dir) {
    cli_error("analyze", "--scores FILE (or --curves FILE) and --out DIR "
              "are required (see --help)");
    goto out;
  }
  if(curves) {
    rc = analyze_curves(curves, out_dir, &ao, rms, nrms, quiet);
    goto out;
  }
  to.rms = rms;
  to.n_rms = nrms;
  to.threads = ao.threads;
  if(!quiet && isatty(2)) {
    ao.progress = progress;
  }
  rc = EXIT_FAIL;
  struct bon_err err = {{0}};
  struct stats_table *t = stats_table_read(scores, &to, &err);
  if(!t) {
    cli_error("analyze", "%s", err.msg);
    goto out;
  }
  if(nrms)
    for(int i = 0; i < nrms; i++)
      if(stats_table_rm_index(t, rms[i]) < 0)
        fprintf(stderr, "bonrun analyze: warning: --rm %s: no such RM in "
                "%s\n", rms[i], scores);
  if((steps && *steps) || nens) {
    if(stats_table_add_derived(&t, steps, ens, (size_t)nens, &err) < 0) {
      cli_error("analyze", "%s", err.msg);
      stats_table_free(t);
      goto out;
    }
    if(nens)
      fprintf(stderr, "bonrun analyze: note: ensemble members are "
              "standardised per RM over the whole table before they are "
              "combined\n");
  }
  ao.input_name = scores;
  struct stats_analysis res;
  if(stats_analyze(&ao, t, &res, &err) < 0) {
    cli_error("analyze", "%s", err.msg);
    stats_table_free(t);
    goto out;
  }
  if(stats_analyze_write(&res, out_dir, &err) < 0) {
    cli_error("analyze", "%s", err.msg);
    stats_analysis_free(&res);
    stats_table_free(t);
    goto out;
  }
  for(size_t i = 0; i < res.n_warnings; i++)
    fprintf(stderr, "bonrun analyze: warning: %s\n", res.warnings[i]);
  if(!quiet) {
    int lvl = (int)lround(100 * ao.level);
    printf("%d problems, pool N = %d, %d RMs, B = %zu; wrote %s/\n",
           res.problems, res.pool, res.n_rms, ao.bootstrap, out_dir);
    printf("%-20s %9s %9s %21s %7s %9s %9s\n", "rm", "gold(1)", "gold(N)",
           "", "peak n", "d*", "R2");
    char iv[32];
    snprintf(iv, sizeof(iv), "%d%% interval", lvl);
    printf("%-20s %9s %9s %21s %7s %9s %9s\n", "", "", "", iv, "", "", "");
    for(int r = 0; r < res.n_rms; r++) {
      struct stats_rm_result *x = &res.rm[r];
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
  stats_analysis_free(&res);
  stats_table_free(t);
  rc = EXIT_OK;
out:
  free(rms);
  free(ens);
  free(grid);
  return rc;
}

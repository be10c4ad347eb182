/* cmd_bench.c - `bonrun bench`: reward-model benchmark metrics from a long
 * scores table.  The work is stats_bench_file (stats/bench.h). */
#include "runner/commands.h"

#include "stats/bench.h"

#include <stdio.h>
#include <stdlib.h>

#include "runner/limits.h"

static const char usage_text[] =
  "usage: bonrun bench --scores FILE [--out DIR] [options]\n"
  "\n"
  "Benchmark metrics of every RM in a long scores table (problem_id,\n"
  "sample_id, rm, score, correct): each problem has one correct candidate\n"
  "(correct=1) and k incorrect ones (correct=0); k = 1 is a one-to-one\n"
  "chosen/rejected pair.  Writes DIR/benchmark.csv and DIR/summary.json\n"
  "(stats/formats.md) and prints a table.\n"
  "\n"
  "  accuracy      correct strictly above every incorrect (a tie fails)\n"
  "  accuracy_ties ties count as wins; *_random ties broken at random\n"
  "  mrr           mean 1/rank of the correct one, ties pessimistic\n"
  "\n"
  "options:\n"
  "  --scores FILE      the long table (CSV, TSV or JSON lines)\n"
  "  --out DIR          output folder (without it: print only)\n"
  "  --bootstrap B      replicates over problems (default 1000; 0 = none;\n"
  "                     at most " CLI_Q(BON_BOOTSTRAP_MAX) ")\n"
  "  --seed S           master seed (default 1)\n"
  "  --level L          interval level, " CLI_Q(BON_LEVEL_MIN) " to "
  CLI_Q(BON_LEVEL_MAX) " (default 0.95)\n"
  "  --steps AGG[,AGG]  aggregate per-step scores of process RMs into RMs\n"
  "                     named rm/AGG: min max mean sum first last prod\n"
  "                     gmean mean_logit mean_odds (also spelled\n"
  "                     geometric_mean, geomean, mean_odd).  An RM with\n"
  "                     step scores only is never an RM of its own: it\n"
  "                     enters as rm/prod when --steps is not given\n"
  "  --ensemble SPEC    [NAME=]KIND:RM1,RM2,...; KIND mean, min, median or\n"
  "                     uwoLAMBDA (mean - LAMBDA*variance) over scores\n"
  "                     standardised per RM; repeatable\n"
  "  --pairwise RM      RM is a pairwise judge: its score on each incorrect\n"
  "                     candidate is the A/B outcome of the correct one\n"
  "                     against it (1 win, 0 loss, 0.5 tie); repeatable.\n"
  "                     Not needed for the RMs of a table whose kind\n"
  "                     column says pairwise (bonrun import writes it)\n"
  "  --missing worst|drop  a missing score ranks last (default) or drops\n"
  "                     the problem for that RM; counted either way\n"
  "  --skip-bad         skip (and count) problems without exactly one\n"
  "                     correct candidate instead of failing\n"
  "  --rm NAME          benchmark only this RM (repeatable)\n"
  "  --threads T        bootstrap threads (default 0 = all cores, at most\n"
  "                     " CLI_Q(BON_THREADS_MAX)
  "; the numbers do not depend on it)\n"
  "  --format csv|tsv|jsonl  input format (default: detect)\n"
  "  --col-problem NAME, --col-sample NAME, --col-rm NAME,\n"
  "  --col-score NAME, --col-correct NAME, --col-answer NAME,\n"
  "  --col-steps NAME, --col-kind NAME\n"
  "                     column names of the input (defaults: problem_id,\n"
  "                     sample_id, rm, score, correct, answer, steps,\n"
  "                     kind)\n"
  "  -q, --quiet        no table on stdout\n"
  "  -h, --help         this help\n";

/* What the command line says. */
struct bench_args {
  const char *scores, *out;
  struct stats_bench_opts o;
  struct cli_strs ens, pairwise, rms;
  int missing, format, quiet; /* format -1: detect */
};

static const char *const missing_words[] = {"worst", "drop", NULL};
static const enum stats_missing missing_values[] = {STATS_MISSING_WORST,
                                                    STATS_MISSING_DROP};
static const char *const format_words[] = {"csv", "tsv", "jsonl", NULL};
static const enum stats_format format_values[] = {
  STATS_FMT_CSV, STATS_FMT_TSV, STATS_FMT_JSONL};

#define A struct bench_args
static const struct cli_opt bench_opts[] = {
  CLI_OPT_STR("scores", 0, A, scores),
  CLI_OPT_STR("out", 0, A, out),
  CLI_OPT_SIZE("bootstrap", 0, A, o.bootstrap, 0, BON_BOOTSTRAP_MAX),
  CLI_OPT_U64("seed", 0, A, o.seed),
  CLI_OPT_DOUBLE("level", 0, A, o.level, BON_LEVEL_MIN, BON_LEVEL_MAX),
  CLI_OPT_STR("steps", 0, A, o.steps),
  CLI_OPT_STRS("ensemble", 0, A, ens),
  CLI_OPT_STRS("pairwise", 0, A, pairwise),
  CLI_OPT_CHOICE("missing", 0, A, missing, missing_words),
  CLI_OPT_FLAG("skip-bad", 0, A, o.skip_bad),
  CLI_OPT_CHOICE("format", 0, A, format, format_words),
  CLI_OPT_STR("col-problem", 0, A, o.table.col_problem),
  CLI_OPT_STR("col-sample", 0, A, o.table.col_sample),
  CLI_OPT_STR("col-rm", 0, A, o.table.col_rm),
  CLI_OPT_STR("col-score", 0, A, o.table.col_score),
  CLI_OPT_STR("col-correct", 0, A, o.table.col_correct),
  CLI_OPT_STR("col-steps", 0, A, o.table.col_steps),
  CLI_OPT_STR("col-answer", 0, A, o.table.col_answer),
  CLI_OPT_STR("col-kind", 0, A, o.table.col_kind),
  CLI_OPT_STRS("rm", 0, A, rms),
  CLI_OPT_INT("threads", 0, A, o.threads, 0, BON_THREADS_MAX),
  CLI_OPT_FLAG("quiet", 'q', A, quiet),
  CLI_OPT_END,
};
#undef A

static const struct cli_cmd bench_cli = {
  "bench", usage_text, bench_opts, 0, 0, NULL,
};

static int bench(struct bench_args *a)
{
  struct stats_bench_opts *o = &a->o;
  struct stats_bench_report rep;
  struct bon_err err;
  o->ensembles = a->ens.v;
  o->n_ensembles = a->ens.n;
  o->pairwise = a->pairwise.v;
  o->n_pairwise = a->pairwise.n;
  o->table.rms = a->rms.v;
  o->table.n_rms = (int)a->rms.n;
  o->missing = missing_values[a->missing];
  o->table.format = a->format < 0 ? STATS_FMT_AUTO
                                  : format_values[a->format];
  int brc = stats_bench_file(a->scores, o, &rep, &err);
  if(brc == STATS_BENCH_MALFORMED) {
    cli_error("bench", "%s; or pass --skip-bad to skip such problems",
              err.msg);
    return EXIT_FAIL;
  }
  if(brc < 0) {
    cli_error("bench", "%s", err.msg);
    return EXIT_FAIL;
  }
  for(size_t i = 0; i < rep.n_warnings; i++)
    cli_warn("bench", "%s", rep.warnings[i]);
  if(!a->quiet) {
    struct buf b = BUF_INIT;
    stats_bench_format(&rep, &b);
    fputs(buf_str(&b), stdout);
    buf_free(&b);
  }
  int rc = EXIT_OK;
  if(a->out && stats_bench_write(&rep, a->out, &err) < 0) {
    cli_error("bench", "%s", err.msg);
    rc = EXIT_FAIL;
  }
  stats_bench_report_free(&rep);
  return rc;
}

int cmd_bench(int argc, char **argv)
{
  struct bench_args a = {.format = -1};
  struct cli_parsed p;
  stats_bench_opts_init(&a.o);
  int rc = cli_parse(&bench_cli, argc, argv, &a, &p);
  if(rc == CLI_GO && !a.scores)
    rc = cli_usage_error("bench", "--scores FILE is required");
  if(rc == CLI_GO)
    rc = bench(&a);
  cli_free(&bench_cli, &a);
  return rc;
}

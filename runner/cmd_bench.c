/* cmd_bench.c - `bonrun bench`: reward-model benchmark metrics from a long
 * scores table.  The work is stats_bench_file (stats/bench.h). */
#include "runner/commands.h"

#include "stats/bench.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  "  --bootstrap B      replicates over problems (default 1000; 0 = none)\n"
  "  --seed S           master seed (default 1)\n"
  "  --level L          interval level (default 0.95)\n"
  "  --steps AGG[,AGG]  aggregate per-step scores of process RMs into RMs\n"
  "                     named rm/AGG: min max mean sum first last prod\n"
  "                     gmean mean_logit mean_odds\n"
  "  --ensemble SPEC    [NAME=]KIND:RM1,RM2,...; KIND mean, min, median or\n"
  "                     uwoLAMBDA (mean - LAMBDA*variance) over scores\n"
  "                     standardised per RM; repeatable\n"
  "  --pairwise RM      RM is a pairwise judge: its score on each incorrect\n"
  "                     candidate is the A/B outcome of the correct one\n"
  "                     against it (1 win, 0 loss, 0.5 tie); repeatable\n"
  "  --missing worst|drop  a missing score ranks last (default) or drops\n"
  "                     the problem for that RM; counted either way\n"
  "  --skip-bad         skip (and count) problems without exactly one\n"
  "                     correct candidate instead of failing\n"
  "  --rm NAME          benchmark only this RM (repeatable)\n"
  "  --threads T        bootstrap threads (default 0 = all cores; the\n"
  "                     numbers do not depend on it)\n"
  "  --format csv|tsv|jsonl  input format (default: detect)\n"
  "  --col-problem NAME, --col-sample NAME, --col-rm NAME,\n"
  "  --col-score NAME, --col-correct NAME, --col-answer NAME,\n"
  "  --col-steps NAME   column names of the input (defaults: problem_id,\n"
  "                     sample_id, rm, score, correct, answer, steps)\n"
  "  -q, --quiet        no table on stdout\n";

int cmd_bench(int argc, char **argv)
{
  enum { O_SCORES = 256, O_OUT, O_BOOT, O_SEED, O_LEVEL, O_STEPS, O_ENS,
         O_PAIR, O_MISSING, O_SKIP, O_FORMAT, O_CPROB, O_CSAMP, O_CRM,
         O_CSCORE, O_CCORR, O_CSTEPS, O_CANS, O_RM, O_THREADS, O_HELP };
  static const struct option lo[] = {
    {"scores", required_argument, 0, O_SCORES},
    {"out", required_argument, 0, O_OUT},
    {"bootstrap", required_argument, 0, O_BOOT},
    {"seed", required_argument, 0, O_SEED},
    {"level", required_argument, 0, O_LEVEL},
    {"steps", required_argument, 0, O_STEPS},
    {"ensemble", required_argument, 0, O_ENS},
    {"pairwise", required_argument, 0, O_PAIR},
    {"missing", required_argument, 0, O_MISSING},
    {"skip-bad", no_argument, 0, O_SKIP},
    {"format", required_argument, 0, O_FORMAT},
    {"col-problem", required_argument, 0, O_CPROB},
    {"col-sample", required_argument, 0, O_CSAMP},
    {"col-rm", required_argument, 0, O_CRM},
    {"col-score", required_argument, 0, O_CSCORE},
    {"col-correct", required_argument, 0, O_CCORR},
    {"col-steps", required_argument, 0, O_CSTEPS},
    {"col-answer", required_argument, 0, O_CANS},
    {"rm", required_argument, 0, O_RM},
    {"threads", required_argument, 0, O_THREADS},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0},
  };
  struct stats_bench_opts o;
  stats_bench_opts_init(&o);
  const char *scores = NULL, *out = NULL;
  const char **ens = xcalloc((size_t)argc + 1, sizeof *ens);
  const char **pw = xcalloc((size_t)argc + 1, sizeof *pw);
  const char **rms = xcalloc((size_t)argc + 1, sizeof *rms);
  int rc = EXIT_USAGE, quiet = 0;
  int c;
  opterr = 0;
  optind = 1;
  while((c = getopt_long(argc, argv, "hq", lo, NULL)) != -1) {
    size_t sz;
    char *end;
    switch(c) {
    case 'h':
    case O_HELP:
      fputs(usage_text, stdout);
      rc = EXIT_OK;
      goto done;
    case O_SCORES: scores = optarg; break;
    case O_OUT: out = optarg; break;
    case O_BOOT:
      if(cli_parse_size(optarg, &o.bootstrap) < 0) {
        cli_error("bench", "--bootstrap '%s': expected a count", optarg);
        goto done;
      }
      break;
    case O_SEED:
      if(cli_parse_size(optarg, &sz) < 0) {
        cli_error("bench", "--seed '%s': expected a non-negative integer",
                  optarg);
        goto done;
      }
      o.seed = sz;
      break;
    case O_LEVEL:
      o.level = strtod(optarg, &end);
      if(*end || !(o.level > 0 && o.level < 1)) {
        cli_error("bench", "--level '%s': expected a number in (0,1) such "
                  "as 0.95", optarg);
        goto done;
      }
      break;
    case O_STEPS: o.steps = optarg; break;
    case O_ENS: ens[o.n_ensembles++] = optarg; break;
    case O_PAIR: pw[o.n_pairwise++] = optarg; break;
    case O_MISSING:
      if(!strcmp(optarg, "worst"))
        o.missing = STATS_MISSING_WORST;
      else if(!strcmp(optarg, "drop"))
        o.missing = STATS_MISSING_DROP;
      else {
        cli_error("bench", "--missing '%s': use worst or drop", optarg);
        goto done;
      }
      break;
    case O_SKIP: o.skip_bad = 1; break;
    case O_FORMAT:
      if(!strcmp(optarg, "csv"))
        o.table.format = STATS_FMT_CSV;
      else if(!strcmp(optarg, "tsv"))
        o.table.format = STATS_FMT_TSV;
      else if(!strcmp(optarg, "jsonl"))
        o.table.format = STATS_FMT_JSONL;
      else {
        cli_error("bench", "--format '%s': use csv, tsv or jsonl", optarg);
        goto done;
      }
      break;
    case O_CPROB: o.table.col_problem = optarg; break;
    case O_CSAMP: o.table.col_sample = optarg; break;
    case O_CRM: o.table.col_rm = optarg; break;
    case O_CSCORE: o.table.col_score = optarg; break;
    case O_CCORR: o.table.col_correct = optarg; break;
    case O_CSTEPS: o.table.col_steps = optarg; break;
    case O_CANS: o.table.col_answer = optarg; break;
    case O_RM: rms[o.table.n_rms++] = optarg; break;
    case 'q': quiet = 1; break;
    case O_THREADS:
      if(cli_parse_size(optarg, &sz) < 0 || sz > 1024) {
        cli_error("bench", "--threads '%s': expected a count (0 = all "
                  "cores)", optarg);
        goto done;
      }
      o.threads = (int)sz;
      break;
    default:
      cli_error("bench", "unknown or incomplete option '%s' (see bonrun "
                "bench --help)", argv[optind - 1]);
      goto done;
    }
  }
  if(optind < argc) {
    cli_error("bench", "unexpected argument '%s'", argv[optind]);
    goto done;
  }
  if(!scores) {
    cli_error("bench", "--scores FILE is required (see bonrun bench "
              "--help)");
    goto done;
  }
  o.ensembles = ens;
  o.pairwise = pw;
  o.table.rms = rms;
  struct stats_bench_report rep;
  struct bon_err err;
  rc = EXIT_FAIL;
  int brc = stats_bench_file(scores, &o, &rep, &err);
  if(brc == STATS_BENCH_MALFORMED) {
    cli_error("bench", "%s; or pass --skip-bad to skip such problems",
              err.msg);
    goto done;
  }
  if(brc < 0) {
    cli_error("bench", "%s", err.msg);
    goto done;
  }
  for(size_t i = 0; i < rep.n_warnings; i++)
    fprintf(stderr, "bonrun bench: warning: %s\n", rep.warnings[i]);
  if(!quiet) {
    struct buf b = BUF_INIT;
    stats_bench_format(&rep, &b);
    fputs(buf_str(&b), stdout);
    buf_free(&b);
  }
  if(out && stats_bench_write(&rep, out, &err) < 0)
    cli_error("bench", "%s", err.msg);
  else
    rc = EXIT_OK;
  stats_bench_report_free(&rep);
done:
  free(ens);
  free(pw);
  free(rms);
  return rc;
}

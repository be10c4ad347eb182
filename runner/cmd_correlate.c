/* cmd_correlate.c - `bonrun correlate`: does a benchmark metric predict a
 * policy gain across RMs?  The work is stats_correlate_files
 * (stats/correlate.h). */
#include "runner/commands.h"

#include "stats/correlate.h"

#include <stdio.h>
#include <string.h>

#include "runner/limits.h"

static const char usage_text[] =
  "usage: bonrun correlate --x FILE:COLUMN --y FILE:COLUMN [options]\n"
  "\n"
  "Correlate a per-RM metric (x, e.g. bench/benchmark.csv:accuracy) with\n"
  "a per-RM gain (y, e.g. analysis/gains.csv:delta) across the RMs present\n"
  "in both tables (joined on column rm).  --x and --y may be repeated:\n"
  "every (x, y) pair is correlated.  Reports Pearson r (t-test p, Fisher-z\n"
  "interval), r^2, Spearman rho, Kendall tau-b, permutation p-values\n"
  "(exact for n <= 8 RMs), bootstrap intervals over RMs and\n"
  "leave-one-RM-out influence.  With fewer than 10 RMs every interval is\n"
  "wide; the output says how wide.\n"
  "\n"
  "Each pair ends with a verdict: \"predicts\" (or \"negatively related\")\n"
  "only when the interval of r excludes 0 and, when the y table has\n"
  "COLUMN_lo and COLUMN_hi (e.g. gains.csv:delta), the y values of two RMs\n"
  "differ beyond those intervals; else \"inconclusive\" with the reason\n"
  "(an interval through 0 is no evidence either way), or \"undefined\"\n"
  "with why r is not a number.  An RM without a single score in a\n"
  "benchmark.csv (a process RM's own row, from before process RMs entered\n"
  "only as RM/prod ...) is left out with a warning.\n"
  "\n"
  "options:\n"
  "  --x FILE:COLUMN     benchmark side (repeatable)\n"
  "  --y FILE:COLUMN     gain side (repeatable)\n"
  "  --out DIR           write correlation.json and correlations.csv\n"
  "  --rm NAME           correlate over this RM (repeatable; default all)\n"
  "  --exclude NAME      leave this RM out (repeatable)\n"
  "  --seed S            master seed (default 1)\n"
  "  --permutations P    Monte Carlo orders when n > 8 (default 10000;\n"
  "                      at most " CLI_Q(BON_PERMUTATIONS_MAX) ")\n"
  "  --bootstrap B       replicates over RMs (default 1000; 0 = none;\n"
  "                      at most " CLI_Q(BON_BOOTSTRAP_MAX) ")\n"
  "  --level L           interval level, " CLI_Q(BON_LEVEL_MIN) " to "
  CLI_Q(BON_LEVEL_MAX) " (default 0.95)\n"
  "  -h, --help          this help\n";

/* What the command line says. */
struct correlate_args {
  struct cli_strs x, y, rms, exclude;
  const char *out;
  struct stats_corr_opts o;
};

#define A struct correlate_args
static const struct cli_opt correlate_opts[] = {
  CLI_OPT_STRS("x", 0, A, x),
  CLI_OPT_STRS("y", 0, A, y),
  CLI_OPT_STR("out", 0, A, out),
  CLI_OPT_STRS("rm", 0, A, rms),
  CLI_OPT_STRS("exclude", 0, A, exclude),
  CLI_OPT_U64("seed", 0, A, o.seed),
  CLI_OPT_SIZE("permutations", 0, A, o.permutations, 0,
               BON_PERMUTATIONS_MAX),
  CLI_OPT_SIZE("bootstrap", 0, A, o.bootstrap, 0, BON_BOOTSTRAP_MAX),
  CLI_OPT_DOUBLE("level", 0, A, o.level, BON_LEVEL_MIN, BON_LEVEL_MAX),
  CLI_OPT_END,
};
#undef A

static const struct cli_cmd correlate_cli = {
  "correlate", usage_text, correlate_opts, 0, 0, NULL,
};

static int correlate(const struct correlate_args *a)
{
  struct stats_corr_report rep;
  struct bon_err err;
  struct stats_corr_select sel = {a->rms.v, a->rms.n, a->exclude.v,
                                  a->exclude.n};
  if(stats_correlate_files(a->x.v, a->x.n, a->y.v, a->y.n, &a->o, &sel,
                           &rep, &err) < 0) {
    cli_error("correlate", "%s", err.msg);
    return EXIT_FAIL;
  }
  for(size_t i = 0; i < rep.n_warnings; i++)
    cli_warn("correlate", "%s", rep.warnings[i]);
  struct buf b = BUF_INIT;
  stats_corr_format(&rep, &b);
  fputs(buf_str(&b), stdout);
  buf_free(&b);
  int rc = EXIT_OK;
  if(a->out && stats_corr_write(&rep, a->out, &err) < 0) {
    cli_error("correlate", "%s", err.msg);
    rc = EXIT_FAIL;
  }
  stats_corr_report_free(&rep);
  return rc;
}

int cmd_correlate(int argc, char **argv)
{
  struct correlate_args a;
  memset(&a, 0, sizeof(a));
  stats_corr_opts_init(&a.o);
  struct cli_parsed p;
  int rc = cli_parse(&correlate_cli, argc, argv, &a, &p);
  if(rc == CLI_GO && (!a.x.n || !a.y.n))
    rc = cli_usage_error("correlate", "need at least one --x FILE:COLUMN "
                         "and one --y FILE:COLUMN");
  if(rc == CLI_GO)
    rc = correlate(&a);
  cli_free(&correlate_cli, &a);
  return rc;
}

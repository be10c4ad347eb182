/* cmd_correlate.c - `bonrun correlate`: does a benchmark metric predict a
 * policy gain across RMs?  The work is stats_correlate_files
 * (stats/correlate.h). */
#include "runner/commands.h"

#include "stats/correlate.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
  "options:\n"
  "  --x FILE:COLUMN     benchmark side (repeatable)\n"
  "  --y FILE:COLUMN     gain side (repeatable)\n"
  "  --out DIR           write correlation.json and correlations.csv\n"
  "  --seed S            master seed (default 1)\n"
  "  --permutations P    Monte Carlo orders when n > 8 (default 10000)\n"
  "  --bootstrap B       replicates over RMs (default 1000; 0 = none)\n"
  "  --level L           interval level (default 0.95)\n";

int cmd_correlate(int argc, char **argv)
{
  enum { O_X = 256, O_Y, O_OUT, O_SEED, O_PERM, O_BOOT, O_LEVEL, O_HELP };
  static const struct option lo[] = {
    {"x", required_argument, 0, O_X},
    {"y", required_argument, 0, O_Y},
    {"out", required_argument, 0, O_OUT},
    {"seed", required_argument, 0, O_SEED},
    {"permutations", required_argument, 0, O_PERM},
    {"bootstrap", required_argument, 0, O_BOOT},
    {"level", required_argument, 0, O_LEVEL},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0},
  };
  struct stats_corr_opts o;
  stats_corr_opts_init(&o);
  const char **xs = xcalloc((size_t)argc + 1, sizeof *xs);
  const char **ys = xcalloc((size_t)argc + 1, sizeof *ys);
  size_t nx = 0, ny = 0, sz;
  const char *out = NULL;
  int rc = EXIT_USAGE, c;
  char *end;
  opterr = 0;
  optind = 1;
  while((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
    switch(c) {
    case 'h':
    case O_HELP:
      fputs(usage_text, stdout);
      rc = EXIT_OK;
      goto done;
    case O_X: xs[nx++] = optarg; break;
    case O_Y: ys[ny++] = optarg; break;
    case O_OUT: out = optarg; break;
    case O_SEED:
      if(cli_parse_size(optarg, &sz) < 0) {
        cli_error("correlate", "--seed '%s': expected a non-negative "
                  "integer", optarg);
        goto done;
      }
      o.seed = sz;
      break;
    case O_PERM:
      if(cli_parse_size(optarg, &o.permutations) < 0) {
        cli_error("correlate", "--permutations '%s': expected a count",
                  optarg);
        goto done;
      }
      break;
    case O_BOOT:
      if(cli_parse_size(optarg, &o.bootstrap) < 0) {
        cli_error("correlate", "--bootstrap '%s': expected a count",
                  optarg);
        goto done;
      }
      break;
    case O_LEVEL:
      o.level = strtod(optarg, &end);
      if(*end || !(o.level > 0 && o.level < 1)) {
        cli_error("correlate", "--level '%s': expected a number in (0,1) "
                  "such as 0.95", optarg);
        goto done;
      }
      break;
    default:
      cli_error("correlate", "unknown or incomplete option '%s' (see "
                "bonrun correlate --help)", argv[optind - 1]);
      goto done;
    }
  }
  if(optind < argc) {
    cli_error("correlate", "unexpected argument '%s'", argv[optind]);
    goto done;
  }
  if(!nx || !ny) {
    cli_error("correlate", "need at least one --x FILE:COLUMN and one --y "
              "FILE:COLUMN (see bonrun correlate --help)");
    goto done;
  }
  struct stats_corr_report rep;
  struct bon_err err;
  rc = EXIT_FAIL;
  if(stats_correlate_files(xs, nx, ys, ny, &o, &rep, &err) < 0) {
    cli_error("correlate", "%s", err.msg);
    goto done;
  }
  for(size_t i = 0; i < rep.n_warnings; i++)
    fprintf(stderr, "bonrun correlate: warning: %s\n", rep.warnings[i]);
  struct buf b = BUF_INIT;
  stats_corr_format(&rep, &b);
  fputs(buf_str(&b), stdout);
  buf_free(&b);
  if(out && stats_corr_write(&rep, out, &err) < 0)
    cli_error("correlate", "%s", err.msg);
  else
    rc = EXIT_OK;
  stats_corr_report_free(&rep);
done:
  free(xs);
  free(ys);
  return rc;
}

/* cmd_plot.c - `bonrun plot RUN_DIR`: regenerate the figures and report.md
 * of a run directory from its CSV files (plots/plot.h, plots/report.h). */
#include "runner/commands.h"
#include "util/fsutil.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "plots/plot.h"
#include "plots/report.h"
#include "plots/runinfo.h"

#include <stdlib.h>

/* report.md notes a run.json that cannot be read in one line; say it on
 * stderr too, with the reason (the figures do not need it). */
static void warn_bad_runinfo(const char *dir)
{
  char *path = fs_join(dir, "run.json");
  struct plot_runinfo ri;
  struct bon_err e;
  if(fs_exists(path)) {
    if(plot_runinfo_read(&ri, path, &e))
      fprintf(stderr, "bonrun plot: warning: %s; report.md leaves the run "
              "description out\n", e.msg);
    else
      plot_runinfo_free(&ri);
  }
  free(path);
}

static void usage(FILE *f)
{
  fprintf(f,
    "usage: bonrun plot RUN_DIR [--format png|svg|pdf] [--strict]\n"
    "\n"
    "Regenerate every figure of a run from its CSV files, without rerunning\n"
    "any model, and write RUN_DIR/report.md.  RUN_DIR is a run directory\n"
    "(analysis/, benchmarks/one_to_many/, benchmarks/one_to_one/,\n"
    "correlation/) or a plain `analyze --out` folder (curves.csv inside).\n"
    "For each figure RUN_DIR/plots/ gets NAME.dat (the numbers), NAME.gp\n"
    "(a gnuplot script: edit it and run `gnuplot NAME.gp` inside plots/ to\n"
    "restyle) and the image.  Figures whose inputs are absent are skipped\n"
    "with a note.  The output is deterministic.\n"
    "\n"
    "figures: gold_vs_d, proxy_vs_d, gold_vs_n, bench_vs_gain, "
    "corr_heatmap\n"
    "\n"
    "options:\n"
    "  -f, --format FMT  png (default), svg or pdf\n"
    "      --strict      exit 1 when gnuplot printed any warning\n"
    "      --no-report   figures only, leave report.md alone\n"
    "  -h, --help        this help\n"
    "\n"
    "Needs gnuplot (with the cairo terminals) on the PATH, or its path in\n"
    "$BONRUN_GNUPLOT.  Exit: 0 ok, 1 failure, 2 usage.\n");
}

int cmd_plot(int argc, char **argv)
{
  static const struct option opts[] = {
    {"format", required_argument, NULL, 'f'},
    {"strict", no_argument, NULL, 's'},
    {"no-report", no_argument, NULL, 'n'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *format = "png";
  int strict = 0, report = 1, c;
  optind = 1;
  while((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
    switch(c) {
    case 'f':
      format = optarg;
      break;
    case 's':
      strict = 1;
      break;
    case 'n':
      report = 0;
      break;
    case 'h':
      usage(stdout);
      return EXIT_OK;
    default:
      usage(stderr);
      return EXIT_USAGE;
    }
  }
  if(optind != argc - 1) {
    cli_error("plot", "expected one RUN_DIR (see bonrun plot --help)");
    return EXIT_USAGE;
  }
  if(strcmp(format, "png") && strcmp(format, "svg") && strcmp(format, "pdf")) {
    cli_error("plot", "unknown --format '%s': use png, svg or pdf", format);
    return EXIT_USAGE;
  }
  const char *dir = argv[optind];
  struct plot_result res = PLOT_RESULT_INIT;
  struct bon_err err;
  int rc = plot_figures(dir, format, &res, &err);
  const char *s = buf_str(&res.notes);
  if(*s)
    fprintf(stderr, "%s", s);
  s = buf_str(&res.warnings);
  if(*s)
    fprintf(stderr, "bonrun plot: gnuplot warnings:\n%s", s);
  int status = EXIT_OK;
  if(rc) {
    cli_error("plot", "%s", err.msg);
    status = EXIT_FAIL;
  }
  else if(strict && *s) {
    cli_error("plot", "gnuplot printed warnings (--strict)");
    status = EXIT_FAIL;
  }
  int written = res.written;
  plot_result_free(&res);
  if(rc && !fs_exists(dir))
    return status; /* nothing to report on: said above */
  if(report) {
    if(plot_report(dir, format, &err)) {
      cli_error("plot", "%s", err.msg);
      return EXIT_FAIL;
    }
    warn_bad_runinfo(dir);
  }
  printf("%d figure%s in %s/plots%s\n", written, written == 1 ? "" : "s",
         dir, report ? "; report.md written" : "");
  return status;
}

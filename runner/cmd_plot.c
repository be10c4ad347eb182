/* cmd_plot.c - `bonrun plot RUN_DIR`: regenerate the figures and report.md
 * of a run directory from its CSV files (plots/plot.h, plots/report.h). */
#include "runner/commands.h"
#include "util/fsutil.h"

#include <stdio.h>
#include <string.h>

#include "plots/plot.h"
#include "plots/report.h"
#include "plots/runinfo.h"

#include <stdlib.h>

/* report.md notes a run.json that cannot be read in one line; say it on
 * stderr too, with the reason (the figures need only its level, which
 * then takes its default). */
static void warn_bad_runinfo(const char *dir)
{
  char *path = fs_join(dir, "run.json");
  struct plot_runinfo ri;
  struct bon_err e;
  if(fs_exists(path)) {
    if(plot_runinfo_read(&ri, path, &e))
      cli_warn("plot", "%s; report.md leaves the run description out and "
               "intervals are labelled at the default level, %g%%", e.msg,
               100 * PLOT_LEVEL_DEFAULT);
    else
      plot_runinfo_free(&ri);
  }
  free(path);
}

static const char plot_usage[] =
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
    "$BONRUN_GNUPLOT.  Exit: 0 ok, 1 failure, 2 usage.\n";

/* What the command line says. */
struct plot_args {
  int format, strict, no_report;
};

static const char *const formats[] = {"png", "svg", "pdf", NULL};

#define A struct plot_args
static const struct cli_opt plot_opts[] = {
  CLI_OPT_CHOICE("format", 'f', A, format, formats),
  CLI_OPT_FLAG("strict", 0, A, strict),
  CLI_OPT_FLAG("no-report", 0, A, no_report),
  CLI_OPT_END,
};
#undef A

static const struct cli_cmd plot_cli = {
  "plot", plot_usage, plot_opts, 1, 1, "expected one RUN_DIR",
};

/* The figures; EXIT_OK, or EXIT_FAIL after a message.  *written: how
 * many. */
static int figures(const char *dir, const struct plot_args *a,
                   int *written)
{
  struct plot_result res = PLOT_RESULT_INIT;
  struct bon_err err;
  int rc = plot_figures(dir, formats[a->format], &res, &err);
  int status = EXIT_OK;
  const char *s = buf_str(&res.notes);
  if(*s)
    fprintf(stderr, "%s", s);
  s = buf_str(&res.warnings);
  size_t len = strlen(s);
  if(len) /* gnuplot's lines, each "NAME.gp: ...\n" */
    cli_warn("plot", "gnuplot printed:\n%.*s", (int)len - (s[len - 1] ==
             '\n'), s);
  if(rc) {
    cli_error("plot", "%s", err.msg);
    status = EXIT_FAIL;
  }
  else if(a->strict && *s) {
    cli_error("plot", "gnuplot printed warnings (--strict)");
    status = EXIT_FAIL;
  }
  *written = res.written;
  plot_result_free(&res);
  return status;
}

static int plot(const char *dir, const struct plot_args *a)
{
  int written;
  int status = figures(dir, a, &written);
  if(status && !fs_exists(dir))
    return status; /* nothing to report on: said above */
  if(!a->no_report) {
    struct bon_err err;
    if(plot_report(dir, formats[a->format], &err)) {
      cli_error("plot", "%s", err.msg);
      return EXIT_FAIL;
    }
    warn_bad_runinfo(dir);
  }
  printf("%d figure%s in %s/plots%s\n", written, written == 1 ? "" : "s",
         dir, a->no_report ? "" : "; report.md written");
  return status;
}

int cmd_plot(int argc, char **argv)
{
  struct plot_args a = {0};
  struct cli_parsed p;
  int rc = cli_parse(&plot_cli, argc, argv, &a, &p);
  if(rc == CLI_GO)
    rc = plot(argv[p.argi], &a);
  cli_free(&plot_cli, &a);
  return rc;
}

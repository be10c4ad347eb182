/* cmd_run.c - `bonrun run CONFIG`: the whole experiment. */
#include "runner/commands.h"
#include "runner/config.h"
#include "runner/run.h"
#include "util/notice.h"

#include <signal.h>
#include <unistd.h>
#include <stdio.h>

#include "runner/limits.h"

static const char run_usage[] =
    "usage: bonrun run [options] CONFIG\n"
    "\n"
    "Run the experiment that CONFIG (a JSON file, see configs/README.md)\n"
    "describes: sample, score, judge, analyse, plot.  Everything goes under\n"
    "the config's output folder; what is already there is reused.\n"
    "\n"
    "options:\n"
    "  -o, --output DIR   write here instead of the config's \"output\"\n"
    "      --shard K/N    run only the K-th of N slices of the problems\n"
    "                     (1 <= K <= N); join them with `bonrun merge`\n"
    "      --retry-failed send again every sample and score recorded as\n"
    "                     failed, permanent failures included (after the\n"
    "                     cause is fixed: a longer context, a judge that\n"
    "                     answers); everything else is kept\n"
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         this help\n";

/* Notices of the library (util/notice.h): progress of waits on stderr
 * unless -q, warnings always. */
static void on_notice(void *ctx, enum bon_notice_kind kind, const char *msg)
{
  const struct run_options *o = ctx;
  if(kind == BON_NOTICE_WARNING)
    cli_warn("run", "%s", msg);
  else if(!o->quiet)
    cli_note("run", "%s", msg);
}

/* Ctrl-C: every record already written is complete (one write each), so
 * there is nothing to flush; say how to go on and leave. */
static void on_interrupt(int sig)
{
  static const char msg[] = "\nbonrun run: interrupted; what is done is "
                            "saved: run the same command again to resume\n";
  ssize_t w = write(2, msg, sizeof(msg) - 1);
  (void)w;
  _exit(128 + sig);
}

/* What the command line says. */
struct run_args {
  const char *output;
  struct cli_pair shard; /* K/N; n = 0: the whole run */
  int quiet;
  int retry_failed;
};

#define A struct run_args
static const struct cli_opt run_opts[] = {
  CLI_OPT_STR("output", 'o', A, output),
  CLI_OPT_PAIR("shard", 0, A, shard, BON_SHARDS_MAX),
  CLI_OPT_FLAG("quiet", 'q', A, quiet),
  CLI_OPT_FLAG("retry-failed", 0, A, retry_failed),
  CLI_OPT_END,
};
#undef A

static const struct cli_cmd run_cli = {
  "run", run_usage, run_opts, 1, 1,
  "expected one CONFIG file (try configs/demo.json)",
};

static int run(const char *config, const struct run_args *a)
{
  struct run_options o = {0, 0, 0, 0};
  struct run_config cfg;
  struct bon_err err = {""};
  o.quiet = a->quiet;
  o.shard_k = a->shard.n ? (int)a->shard.k - 1 : 0;
  o.shard_n = (int)a->shard.n;
  o.retry_failed = a->retry_failed;
  bon_notice_set(on_notice, &o);
  if(run_config_load(config, &cfg, &err) != 0) {
    cli_error("run", "%s", err.msg);
    run_config_free(&cfg);
    bon_notice_set(NULL, NULL);
    return EXIT_FAIL;
  }
  if(a->output) {
    cJSON_ReplaceItemInObject(cfg.root, "output",
                              cJSON_CreateString(a->output));
    cfg.out = cJSON_GetStringValue(cJSON_GetObjectItem(cfg.root, "output"));
  }
  signal(SIGINT, on_interrupt);
  signal(SIGTERM, on_interrupt);
  int rc = run_experiment(&cfg, &o, &err);
  if(rc)
    cli_error("run", "%s", err.msg);
  run_config_free(&cfg);
  bon_notice_set(NULL, NULL);
  return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
  struct run_args a = {0};
  struct cli_parsed p;
  int rc = cli_parse(&run_cli, argc, argv, &a, &p);
  if(rc == CLI_GO)
    rc = run(argv[p.argi], &a);
  cli_free(&run_cli, &a);
  return rc;
}

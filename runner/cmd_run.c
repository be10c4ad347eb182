/* cmd_run.c - `bonrun run CONFIG`: the whole experiment, a shard of it, or
 * the analysis of what its folder holds. */
#include "runner/commands.h"
#include "runner/config.h"
#include "runner/run.h"
#include "runner/shard.h"
#include "util/notice.h"

#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    "      --shard K/N    sample and score only the K-th of N slices of the\n"
    "                     problems (1 <= K <= N), into OUTPUT/shards/K-of-N\n"
    "      --shard auto   K and N from a job array: Slurm's\n"
    "                     SLURM_ARRAY_TASK_ID/_MIN/_STEP/_COUNT, Kubernetes'\n"
    "                     JOB_COMPLETION_INDEX with BONRUN_SHARDS=N, or\n"
    "                     BONRUN_SHARD=K/N; a resubmitted task of an array\n"
    "                     (sbatch --array=3) runs its shard of the original\n"
    "                     array, read from OUTPUT/shards\n"
    "      --analyze-only sample and score nothing: join OUTPUT/shards into\n"
    "                     OUTPUT (strictly: every shard complete), fail if a\n"
    "                     record is missing, then analyse and plot\n"
    "      --partial      with --analyze-only: join the complete shards there\n"
    "                     are, on purpose; the report says the result is\n"
    "                     partial\n"
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

/* Ctrl-C, or SIGTERM from a scheduler: every record already written is
 * complete (one write each), so there is nothing to flush; say how to go
 * on and leave. */
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
  const char *shard;     /* "K/N", "auto" or NULL: the whole run */
  int analyze_only, partial, quiet;
  int retry_failed;
};

#define A struct run_args
static const struct cli_opt run_opts[] = {
  CLI_OPT_STR("output", 'o', A, output),
  CLI_OPT_STR("shard", 0, A, shard),
  CLI_OPT_FLAG("analyze-only", 0, A, analyze_only),
  CLI_OPT_FLAG("partial", 0, A, partial),
  CLI_OPT_FLAG("quiet", 'q', A, quiet),
  CLI_OPT_FLAG("retry-failed", 0, A, retry_failed),
  CLI_OPT_END,
};
#undef A

static const struct cli_cmd run_cli = {
  "run", run_usage, run_opts, 1, 1,
  "expected one CONFIG file (try configs/demo.json)",
};

static const char *real_env(const char *name, void *ctx)
{
  (void)ctx;
  return getenv(name);
}

/* K/N of --shard (spec "auto" or "K/N", checked), against the shards that
 * OUTPUT/shards already holds.  0, or -1 with the message printed. */
static int resolve_shard(const char *spec, const char *out,
                         struct shard_spec *sp, int quiet)
{
  struct bon_err err;
  long k, n;
  memset(sp, 0, sizeof(*sp));
  if(strcmp(spec, "auto")) {
    cli_pair(spec, BON_SHARDS_MAX, &k, &n);
    sp->k = (int)k;
    sp->n = (int)n;
  }
  else if(shard_from_env(real_env, NULL, sp, &err)) {
    cli_error("run", "%s", err.msg);
    return -1;
  }
  char **dirs;
  struct shard_manifest *ms;
  size_t nd;
  char *top = xmalloc(strlen(out) + 8);
  sprintf(top, "%s/shards", out);
  int rc = shard_scan(out, &dirs, &ms, &nd, &err);
  if(!rc)
    rc = shard_resolve(sp, ms, nd, top, &err);
  if(rc)
    cli_error("run", "%s", err.msg);
  else if(!quiet && sp->from[0])
    fprintf(stderr, "bonrun: shard %d/%d (%s)\n", sp->k, sp->n, sp->from);
  for(size_t i = 0; i < nd; i++)
    free(dirs[i]);
  free(dirs);
  free(ms);
  free(top);
  return rc;
}

/* The options that do not go together.  EXIT_OK or EXIT_USAGE. */
static int check_args(const struct run_args *a)
{
  long k, n;
  if(a->shard && strcmp(a->shard, "auto") &&
     cli_pair(a->shard, BON_SHARDS_MAX, &k, &n))
    return cli_usage_error("run", "--shard: expected K/N with 1 <= K <= N "
                           "<= " CLI_Q(BON_SHARDS_MAX) ", or auto, got "
                           "'%s'", a->shard);
  if(a->shard && a->analyze_only)
    return cli_usage_error("run", "--shard and --analyze-only exclude each "
                           "other: a shard samples and scores, the analysis "
                           "joins the shards");
  if(a->partial && !a->analyze_only)
    return cli_usage_error("run", "--partial goes with --analyze-only");
  if(a->retry_failed && a->analyze_only)
    return cli_usage_error("run", "--retry-failed and --analyze-only "
                           "exclude each other: the analysis sends "
                           "nothing");
  return EXIT_OK;
}

static int run(const char *config, const struct run_args *a)
{
  struct run_options o;
  struct run_config cfg;
  struct shard_spec sp;
  struct bon_err err = {""};
  memset(&o, 0, sizeof(o));
  o.quiet = a->quiet;
  o.analyze_only = a->analyze_only;
  o.partial = a->partial;
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
  if(a->shard && resolve_shard(a->shard, cfg.out, &sp, a->quiet)) {
    run_config_free(&cfg);
    bon_notice_set(NULL, NULL);
    return EXIT_FAIL;
  }
  if(a->shard) {
    o.shard_k = sp.k - 1;
    o.shard_n = sp.n;
    o.array = sp.array.slurm ? &sp.array : NULL;
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
  if(rc == CLI_GO && (rc = check_args(&a)) == EXIT_OK)
    rc = run(argv[p.argi], &a);
  cli_free(&run_cli, &a);
  return rc;
}

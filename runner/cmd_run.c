/* cmd_run.c - `bonrun run CONFIG`: the whole experiment, a shard of it, or
 * the analysis of what its folder holds. */
#include "runner/commands.h"
#include "runner/config.h"
#include "runner/run.h"
#include "runner/shard.h"

#include <getopt.h>
#include <signal.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
  fprintf(f,
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
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         this help\n");
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

static const char *real_env(const char *name, void *ctx)
{
  (void)ctx;
  return getenv(name);
}

/* K/N of --shard (spec "auto" or "K/N"), checked against the shards that
 * OUTPUT/shards already holds.  0, or -1 with the message printed. */
static int resolve_shard(const char *spec, const char *out,
                         struct shard_spec *sp, int quiet)
{
  struct bon_err err;
  memset(sp, 0, sizeof(*sp));
  if(strcmp(spec, "auto"))
    shard_parse(spec, &sp->k, &sp->n); /* checked by cmd_run */
  else if(shard_from_env(real_env, NULL, sp, &err)) {
    cli_error("run", "%s", err.msg);
    return -1;
  }
  char **dirs;
  struct shard_manifest *ms;
  size_t n;
  char *top = xmalloc(strlen(out) + 8);
  sprintf(top, "%s/shards", out);
  int rc = shard_scan(out, &dirs, &ms, &n, &err);
  if(!rc)
    rc = shard_resolve(sp, ms, n, top, &err);
  if(rc)
    cli_error("run", "%s", err.msg);
  else if(!quiet && sp->from[0])
    fprintf(stderr, "bonrun: shard %d/%d (%s)\n", sp->k, sp->n, sp->from);
  for(size_t i = 0; i < n; i++)
    free(dirs[i]);
  free(dirs);
  free(ms);
  free(top);
  return rc;
}

int cmd_run(int argc, char **argv)
{
  static const struct option opts[] = {
    {"output", required_argument, NULL, 'o'},
    {"shard", required_argument, NULL, 's'},
    {"analyze-only", no_argument, NULL, 'A'},
    {"partial", no_argument, NULL, 'P'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  struct run_options o;
  memset(&o, 0, sizeof(o));
  const char *output = NULL, *shard = NULL;
  int c;
  optind = 1;
  while((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    switch(c) {
    case 'o': output = optarg; break;
    case 'q': o.quiet = 1; break;
    case 's': shard = optarg; break;
    case 'A': o.analyze_only = 1; break;
    case 'P': o.partial = 1; break;
    case 'h': usage(stdout); return EXIT_OK;
    default: usage(stderr); return EXIT_USAGE;
    }
  }
  if(optind != argc - 1) {
    cli_error("run", "expected one CONFIG file (try configs/demo.json)");
    usage(stderr);
    return EXIT_USAGE;
  }
  if(shard && o.analyze_only) {
    cli_error("run", "--shard and --analyze-only exclude each other: a "
                     "shard samples and scores, the analysis joins them");
    return EXIT_USAGE;
  }
  int sk, sn;
  if(shard && strcmp(shard, "auto") && shard_parse(shard, &sk, &sn)) {
    cli_error("run", "--shard: expected K/N with 1 <= K <= N <= %d, or "
                     "auto, got \"%s\"", SHARD_MAX, shard);
    return EXIT_USAGE;
  }
  if(o.partial && !o.analyze_only) {
    cli_error("run", "--partial goes with --analyze-only");
    return EXIT_USAGE;
  }
  struct run_config cfg;
  struct bon_err err = {""};
  if(run_config_load(argv[optind], &cfg, &err) != 0) {
    cli_error("run", "%s", err.msg);
    run_config_free(&cfg);
    return EXIT_FAIL;
  }
  if(output) {
    cJSON_ReplaceItemInObject(cfg.root, "output",
                              cJSON_CreateString(output));
    cfg.out = cJSON_GetStringValue(cJSON_GetObjectItem(cfg.root, "output"));
  }
  struct shard_spec sp;
  if(shard && resolve_shard(shard, cfg.out, &sp, o.quiet)) {
    run_config_free(&cfg);
    return EXIT_FAIL;
  }
  if(shard) {
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
  return rc ? EXIT_FAIL : EXIT_OK;
}

/* cmd_run.c - `bonrun run CONFIG`: the whole experiment. */
#include "runner/commands.h"
#include "runner/config.h"
#include "runner/run.h"
#include "util/notice.h"

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
    "      --shard K/N    run only the K-th of N slices of the problems\n"
    "                     (1 <= K <= N); join them with `bonrun merge`\n"
    "      --retry-failed send again every sample and score recorded as\n"
    "                     failed, permanent failures included (after the\n"
    "                     cause is fixed: a longer context, a judge that\n"
    "                     answers); everything else is kept\n"
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         this help\n");
}

/* Notices of the library (util/notice.h): progress of waits on stderr
 * unless -q, warnings always. */
static void on_notice(void *ctx, enum bon_notice_kind kind, const char *msg)
{
  const struct run_options *o = ctx;
  if(kind == BON_NOTICE_PROGRESS && o->quiet)
    return;
  fprintf(stderr, "bonrun run: %s%s\n",
          kind == BON_NOTICE_WARNING ? "warning: " : "", msg);
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

int cmd_run(int argc, char **argv)
{
  static const struct option opts[] = {
    {"output", required_argument, NULL, 'o'},
    {"shard", required_argument, NULL, 's'},
    {"retry-failed", no_argument, NULL, 'R'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  struct run_options o = {0, 0, 0, 0};
  const char *output = NULL;
  int c;
  optind = 1;
  while((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
    switch(c) {
    case 'o': output = optarg; break;
    case 'q': o.quiet = 1; break;
    case 'R': o.retry_failed = 1; break;
    case 's': {
      size_t k = 0, n = 0;
      char ks[32];
      const char *sl = strchr(optarg, '/');
      size_t kl = sl ? (size_t)(sl - optarg) : 0;
      if(kl < sizeof(ks)) {
        memcpy(ks, optarg, kl);
        ks[kl] = 0;
      }
      if(!sl || kl >= sizeof(ks) || cli_parse_size(ks, &k) < 0 ||
         cli_parse_size(sl + 1, &n) < 0 || n < 1 || k < 1 || k > n ||
         n > 1000000000) {
        cli_error("run", "--shard: expected K/N with 1 <= K <= N, got "
                         "\"%s\"", optarg);
        return EXIT_USAGE;
      }
      o.shard_k = (int)k - 1;
      o.shard_n = (int)n;
      break;
    }
    case 'h': usage(stdout); return EXIT_OK;
    default: usage(stderr); return EXIT_USAGE;
    }
  }
  if(optind != argc - 1) {
    cli_error("run", "expected one CONFIG file (try configs/demo.json)");
    usage(stderr);
    return EXIT_USAGE;
  }
  bon_notice_set(on_notice, &o);
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
  signal(SIGINT, on_interrupt);
  signal(SIGTERM, on_interrupt);
  int rc = run_experiment(&cfg, &o, &err);
  if(rc)
    cli_error("run", "%s", err.msg);
  run_config_free(&cfg);
  bon_notice_set(NULL, NULL);
  return rc ? EXIT_FAIL : EXIT_OK;
}

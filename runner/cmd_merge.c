/* cmd_merge.c - `bonrun merge OUT [SHARD_DIR...]`: join the folders of the
 * shards of one run into OUT (the work is runner/merge.c's). */
#include "runner/commands.h"
#include "runner/merge.h"
#include "runner/shard.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f)
{
  fprintf(f,
    "usage: bonrun merge [--partial] [-q] OUT [SHARD_DIR...]\n"
    "\n"
    "Join the folders of the shards of one run (`bonrun run --shard`) into\n"
    "OUT.  Without SHARD_DIR: the folders OUT/shards/K-of-N, where `bonrun\n"
    "run --shard` writes them when OUT is the config's output.\n"
    "\n"
    "Strict: every shard 1..N must be complete (its shard.json says so), of\n"
    "one N and one config, and no two shards may hold one record with\n"
    "different results; otherwise nothing is written and the exit code is 1,\n"
    "with a message naming each shard missing or at odds.  OUT gets\n"
    "problems.jsonl and scores.csv in the config's problem order, the\n"
    "records joined by key, config.json (output = OUT) and shard.json.\n"
    "Then `bonrun run --analyze-only OUT/config.json` analyses OUT without\n"
    "sampling, scoring or replaying the records.\n"
    "\n"
    "  --partial     merge the complete shards there are, on purpose: OUT's\n"
    "                shard.json, the run's summary and report.md say which\n"
    "                are missing\n"
    "  -q, --quiet   no summary on stderr\n"
    "  -h, --help    this help\n");
}

/* The folders named: each once (by real path), none equal to OUT, each
 * with a manifest. */
static int named_dirs(const char *out, char **argv, int argc, char ***dirs,
                      struct shard_manifest **ms, size_t *n, int quiet)
{
  char *ro = realpath(out, NULL);
  *dirs = xcalloc((size_t)argc, sizeof(char *));
  *ms = xcalloc((size_t)argc, sizeof(**ms));
  *n = 0;
  int status = EXIT_OK;
  for(int i = 0; i < argc && status == EXIT_OK; i++) {
    char *ri = realpath(argv[i], NULL);
    int dup = 0;
    if(ri && ro && !strcmp(ri, ro)) {
      cli_error("merge", "OUT (%s) may not be one of the shard folders",
                out);
      status = EXIT_USAGE;
    }
    for(int k = 0; ri && k < i && !dup; k++) {
      char *rk = realpath(argv[k], NULL);
      dup = rk && !strcmp(ri, rk);
      if(dup && !quiet)
        fprintf(stderr, "bonrun merge: warning: %s and %s are the same "
                        "folder: merged once\n", argv[k], argv[i]);
      free(rk);
    }
    free(ri);
    if(dup || status != EXIT_OK)
      continue;
    struct bon_err err;
    int rc = shard_manifest_read(argv[i], &(*ms)[*n], &err);
    if(rc) {
      if(rc > 0)
        cli_error("merge", "%s: no %s: not the folder of a shard (`bonrun "
                           "run --shard K/N` writes OUTPUT/shards/K-of-N)",
                  argv[i], SHARD_FILE);
      else
        cli_error("merge", "%s", err.msg);
      status = EXIT_FAIL;
    }
    else
      (*dirs)[(*n)++] = xstrdup(argv[i]);
  }
  free(ro);
  return status;
}

static void report(const char *out, const struct merge_result *r)
{
  struct buf b = BUF_INIT;
  merge_summary(out, r, &b);
  if(!r->fresh)
    buf_printf(&b, "bonrun merge: analyse it with `bonrun run "
                   "--analyze-only %s/config.json` (no sampling, no "
                   "scoring)\n", out);
  fputs(buf_str(&b), stderr);
  buf_free(&b);
}

int cmd_merge(int argc, char **argv)
{
  static const struct option opts[] = {
    {"partial", no_argument, 0, 'p'},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0},
  };
  int quiet = 0, partial = 0, c;
  optind = 1;
  opterr = 0;
  while((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
    if(c == 'h') {
      usage(stdout);
      return EXIT_OK;
    }
    if(c == 'q')
      quiet = 1;
    else if(c == 'p')
      partial = 1;
    else {
      cli_error("merge", "unknown option %s (see bonrun merge --help)",
                argv[optind - 1]);
      return EXIT_USAGE;
    }
  }
  if(argc - optind < 1) {
    cli_error("merge", "expected OUT (see bonrun merge --help)");
    return EXIT_USAGE;
  }
  const char *out = argv[optind];
  char **dirs = NULL;
  struct shard_manifest *ms = NULL;
  size_t n = 0;
  struct bon_err err;
  int status = EXIT_OK;
  if(argc - optind > 1)
    status = named_dirs(out, argv + optind + 1, argc - optind - 1, &dirs,
                        &ms, &n, quiet);
  else if(shard_scan(out, &dirs, &ms, &n, &err)) {
    cli_error("merge", "%s", err.msg);
    status = EXIT_FAIL;
  }
  else if(!n) {
    cli_error("merge", "%s/shards holds no shard folders (K-of-N): name "
                       "the shard folders after OUT", out);
    status = EXIT_FAIL;
  }
  struct merge_result res;
  if(status == EXIT_OK) {
    if(merge_shards(out, dirs, ms, n, partial, &res, &err)) {
      cli_error("merge", "%s", err.msg);
      status = EXIT_FAIL;
    }
    else if(!quiet)
      report(out, &res);
  }
  for(size_t i = 0; i < n; i++)
    free(dirs[i]);
  free(dirs);
  free(ms);
  return status;
}

/* cmd_merge.c - `bonrun merge OUT [SHARD_DIR...]`: join the folders of the
 * shards of one run into OUT (the work is runner/merge.c's). */
#include "runner/commands.h"
#include "runner/merge.h"
#include "runner/shard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char merge_usage[] =
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
  "  -h, --help    this help\n";

/* What the command line says. */
struct merge_args {
  int partial, quiet;
};

static const struct cli_opt merge_opts[] = {
  CLI_OPT_FLAG("partial", 0, struct merge_args, partial),
  CLI_OPT_FLAG("quiet", 'q', struct merge_args, quiet),
  CLI_OPT_END,
};

static const struct cli_cmd merge_cli = {
  "merge", merge_usage, merge_opts, 1, -1, "expected OUT",
};

/* The folders named (argv[0..argc)): each once, by its real path ("a" and
 * "./a/" are one, merged once with a warning), none equal to OUT, each
 * with a manifest.  EXIT_OK, or EXIT_USAGE / EXIT_FAIL after a message. */
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
    if(ri && ro && !strcmp(ri, ro))
      status = cli_usage_error("merge", "OUT (%s) may not be one of the "
                               "shard folders", out);
    for(int k = 0; ri && k < i && !dup; k++) {
      char *rk = realpath(argv[k], NULL);
      dup = rk && !strcmp(ri, rk);
      if(dup && !quiet)
        cli_warn("merge", "%s and %s are the same folder: merged once",
                 argv[k], argv[i]);
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

/* The shard folders: named, or those of OUT/shards. */
static int find_dirs(const char *out, char **argv, int argc, char ***dirs,
                     struct shard_manifest **ms, size_t *n, int quiet)
{
  struct bon_err err;
  if(argc)
    return named_dirs(out, argv, argc, dirs, ms, n, quiet);
  if(shard_scan(out, dirs, ms, n, &err)) {
    cli_error("merge", "%s", err.msg);
    return EXIT_FAIL;
  }
  if(!*n) {
    cli_error("merge", "%s/shards holds no shard folders (K-of-N): name "
                       "the shard folders after OUT", out);
    return EXIT_FAIL;
  }
  return EXIT_OK;
}

int cmd_merge(int argc, char **argv)
{
  struct merge_args a = {0};
  struct cli_parsed p;
  int rc = cli_parse(&merge_cli, argc, argv, &a, &p);
  cli_free(&merge_cli, &a);
  if(rc != CLI_GO)
    return rc;
  const char *out = argv[p.argi];
  char **dirs = NULL;
  struct shard_manifest *ms = NULL;
  size_t n = 0;
  rc = find_dirs(out, argv + p.argi + 1, argc - p.argi - 1, &dirs, &ms, &n,
                 a.quiet);
  struct merge_result res;
  struct bon_err err;
  if(rc == EXIT_OK) {
    if(merge_shards(out, dirs, ms, n, a.partial, &res, &err)) {
      cli_error("merge", "%s", err.msg);
      rc = EXIT_FAIL;
    }
    else if(!a.quiet)
      report(out, &res);
  }
  for(size_t i = 0; i < n; i++)
    free(dirs[i]);
  free(dirs);
  free(ms);
  return rc;
}

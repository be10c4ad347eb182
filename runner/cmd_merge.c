/* cmd_merge.c - `bonrun merge OUT RUN_DIR...`: join the run directories of
 * shards (`bonrun run --shard K/N`) into one.
 *
 * The configs must agree on everything but "output".  samples.jsonl and
 * scores.jsonl are joined by record key: within one file a later record
 * replaces an earlier one (as the store reads it); across folders a record
 * with a result beats one with an error, else the first folder wins.  A
 * torn last line (a shard killed mid-write) is left out.  Memory holds one
 * small index entry per key, not the records.  OUT gets the joined files,
 * problems.jsonl and config.json with "output" set to OUT, so `bonrun run
 * OUT/config.json` then finds every record and runs the analysis. */
#include "runner/commands.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "util/buf.h"
#include "util/cfg.h"
#include "util/err.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/u64map.h"
#include "runner/store.h"

/* The index of one file kind: key -> a: offset of the winning line in
 * its folder's file, b: folder index + 1, c: 1 if the winner is an error
 * record. */

/* The key of a record line, or -1 if the line is not a whole record. */
static int line_key(const char *line, size_t n, uint64_t *key, int *is_error)
{
  if(store_line_key(line, n, key))
    return -1;
  cJSON *j = cJSON_Parse(line);
  if(!cJSON_IsObject(j)) {
    cJSON_Delete(j);
    return -1;
  }
  *is_error = cJSON_GetObjectItemCaseSensitive(j, "error") != NULL;
  cJSON_Delete(j);
  return 0;
}

struct stats {
  size_t lines, torn, repeated;
};

/* Pass 1: index one folder's file. */
static int index_file(struct u64map *ix, const char *path, uint32_t file,
                      struct stats *st, struct bon_err *err)
{
  FILE *f = fopen(path, "r");
  if(!f)
    return bon_errf(err, "%s: cannot open (is it a run folder?)", path);
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  uint64_t off = 0;
  while((n = getline(&line, &cap, f)) > 0) {
    uint64_t key;
    int e;
    int whole = line[n - 1] == '\n';
    if(whole)
      line[n - 1] = '\0';
    if(!whole || line_key(line, (size_t)n - 1, &key, &e)) {
      st->torn++;
      off += (uint64_t)n;
      continue;
    }
    st->lines++;
    int fresh;
    struct u64map_slot *s = u64map_put(ix, key, &fresh);
    /* a later line of the same file replaces (as the store reads it); a
     * result beats an error from another folder; else the first stays */
    if(fresh || s->b == file || (s->c && !e)) {
      s->a = off;
      s->b = file;
      s->c = (uint32_t)e;
    }
    if(!fresh)
      st->repeated++;
    off += (uint64_t)n;
  }
  free(line);
  fclose(f);
  return 0;
}

/* Pass 2: copy the winners, folder by folder, in file order. */
static int write_merged(const struct u64map *ix, char **dirs, size_t ndirs,
                        const char *name, const char *out,
                        struct bon_err *err)
{
  char *dst = fs_join(out, name);
  struct buf tmp = BUF_INIT;
  buf_printf(&tmp, "%s.tmp", dst);
  FILE *o = fopen(buf_str(&tmp), "w");
  if(!o) {
    bon_errf(err, "%s: cannot write", buf_str(&tmp));
    free(dst);
    buf_free(&tmp);
    return -1;
  }
  int rc = 0;
  for(size_t d = 0; d < ndirs && !rc; d++) {
    char *src = fs_join(dirs[d], name);
    FILE *f = fopen(src, "r");
    if(!f)
      rc = bon_errf(err, "%s: cannot open", src);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    uint64_t off = 0;
    while(f && (n = getline(&line, &cap, f)) > 0) {
      uint64_t key;
      const struct u64map_slot *s;
      if(line[n - 1] == '\n' && !store_line_key(line, (size_t)n, &key) &&
         (s = u64map_get(ix, key)) && s->b == d + 1 && s->a == off)
        fwrite(line, 1, (size_t)n, o);
      off += (uint64_t)n;
    }
    free(line);
    if(f)
      fclose(f);
    free(src);
  }
  if(fflush(o) || ferror(o))
    rc = rc ? rc : bon_errf(err, "%s: write failed", buf_str(&tmp));
  fclose(o);
  if(!rc && rename(buf_str(&tmp), dst))
    rc = bon_errf(err, "%s: cannot rename into place", dst);
  free(dst);
  buf_free(&tmp);
  return rc;
}

static cJSON *read_config(const char *dir, struct bon_err *err)
{
  char *path = fs_join(dir, "config.json");
  char *text = fs_read_file(path, NULL, err);
  cJSON *j = text ? cfg_parse(text, path, err) : NULL;
  free(text);
  free(path);
  return j;
}

/* The first top-level key on which a and b differ (output ignored). */
static const char *config_diff(const cJSON *a, const cJSON *b)
{
  const cJSON *it;
  cJSON_ArrayForEach(it, a) {
    if(!strcmp(it->string, "output"))
      continue;
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(b, it->string);
    if(!o || !cJSON_Compare(it, o, 1))
      return it->string;
  }
  cJSON_ArrayForEach(it, b)
    if(strcmp(it->string, "output") &&
       !cJSON_GetObjectItemCaseSensitive(a, it->string))
      return it->string;
  return NULL;
}

/* problems.jsonl: the union by problem_id, in folder order. */
static int merge_problems(char **dirs, size_t ndirs, const char *out,
                          size_t *count, struct bon_err *err)
{
  struct buf all = BUF_INIT;
  struct u64map ids = U64MAP_INIT;
  int rc = 0;
  *count = 0;
  for(size_t d = 0; d < ndirs && !rc; d++) {
    char *path = fs_join(dirs[d], "problems.jsonl");
    char *text = fs_read_file(path, NULL, err);
    if(!text)
      rc = -1;
    for(char *p = text, *nl; p && *p && !rc; p = nl + 1) {
      nl = strchr(p, '\n');
      if(!nl)
        break;
      *nl = '\0';
      cJSON *j = cJSON_Parse(p);
      const char *id = cJSON_GetStringValue(
          cJSON_GetObjectItemCaseSensitive(j, "problem_id"));
      if(!id)
        rc = bon_errf(err, "%s: a line without problem_id", path);
      else {
        int fresh;
        u64map_put(&ids, hash_str(HASH_INIT, id) | 1, &fresh);
        if(fresh) {
          buf_puts(&all, p);
          buf_putc(&all, '\n');
          (*count)++;
        }
      }
      cJSON_Delete(j);
    }
    free(text);
    free(path);
  }
  if(!rc) {
    char *path = fs_join(out, "problems.jsonl");
    rc = fs_write_atomic(path, buf_str(&all), all.len, err);
    free(path);
  }
  u64map_free(&ids);
  buf_free(&all);
  return rc;
}

static int merge_runs(const char *out, char **dirs, size_t ndirs,
                      int quiet, struct bon_err *err)
{
  cJSON *first = read_config(dirs[0], err);
  if(!first)
    return -1;
  int rc = 0;
  for(size_t d = 1; d < ndirs && !rc; d++) {
    cJSON *c = read_config(dirs[d], err);
    if(!c)
      rc = -1;
    else {
      const char *k = config_diff(first, c);
      if(k)
        rc = bon_errf(err, "%s/config.json and %s/config.json differ in "
                           "\"%s\": only shards of one config can be "
                           "merged", dirs[0], dirs[d], k);
      cJSON_Delete(c);
    }
  }
  if(!rc)
    rc = fs_mkdirs(out, err);
  size_t nprob = 0;
  if(!rc)
    rc = merge_problems(dirs, ndirs, out, &nprob, err);
  static const char *const files[] = {"samples.jsonl", "scores.jsonl"};
  struct stats st[2];
  memset(st, 0, sizeof(st));
  size_t kept[2] = {0, 0};
  for(int f = 0; f < 2 && !rc; f++) {
    struct u64map ix = U64MAP_INIT;
    for(size_t d = 0; d < ndirs && !rc; d++) {
      char *path = fs_join(dirs[d], files[f]);
      rc = index_file(&ix, path, (uint32_t)(d + 1), &st[f], err);
      free(path);
    }
    if(!rc)
      rc = write_merged(&ix, dirs, ndirs, files[f], out, err);
    kept[f] = ix.n;
    u64map_free(&ix);
  }
  if(!rc) {
    cJSON_ReplaceItemInObject(first, "output", cJSON_CreateString(out));
    if(!cJSON_GetObjectItemCaseSensitive(first, "output"))
      cJSON_AddStringToObject(first, "output", out);
    char *text = cJSON_Print(first);
    struct buf b = BUF_INIT;
    buf_puts(&b, text);
    buf_putc(&b, '\n');
    cJSON_free(text);
    char *path = fs_join(out, "config.json");
    rc = fs_write_atomic(path, b.data, b.len, err);
    free(path);
    buf_free(&b);
  }
  if(!rc && !quiet) {
    for(int f = 0; f < 2; f++)
      fprintf(stderr, "bonrun merge: %s: %zu records from %zu lines "
                      "(%zu repeated keys, %zu torn lines left out)\n",
              files[f], kept[f], st[f].lines, st[f].repeated, st[f].torn);
    fprintf(stderr, "bonrun merge: %zu problems -> %s; now run `bonrun run "
                    "%s/config.json` to build scores.csv and the analysis "
                    "(nothing is recomputed)\n", nprob, out, out);
  }
  cJSON_Delete(first);
  return rc;
}

static const char merge_usage[] =
  "usage: bonrun merge [-q] OUT RUN_DIR...\n"
  "\n"
  "Join the run folders of shards (`bonrun run --shard K/N`) into OUT.\n"
  "Their config.json must agree on every key but \"output\". "
  "samples.jsonl and\n"
  "scores.jsonl are joined by record key (duplicates kept once, a result "
  "over\n"
  "an error, torn last lines left out); OUT gets config.json with "
  "output = OUT.\n"
  "Then `bonrun run OUT/config.json` builds scores.csv and the analysis\n"
  "without recomputing any sample or score.\n"
  "\n"
  "  -q, --quiet   no summary on stderr\n"
  "  -h, --help    this help\n";

/* What the command line says. */
struct merge_args {
  int quiet;
};

static const struct cli_opt merge_opts[] = {
  CLI_OPT_FLAG("quiet", 'q', struct merge_args, quiet),
  CLI_OPT_END,
};

static const struct cli_cmd merge_cli = {
  "merge", merge_usage, merge_opts, 2, -1,
  "expected OUT and at least one RUN_DIR",
};

/* The run folders argv[1..argc-1] into dirs (argc slots), each folder
 * once: folders are compared by their real path, so "a" and "./a/" are
 * one, merged once with a warning.  EXIT_OK, or EXIT_USAGE after a
 * message when OUT (argv[0]) is one of them. */
static int collect_dirs(int argc, char **argv, int quiet, char **dirs,
                        size_t *ndirs)
{
  const char *out = argv[0];
  int status = EXIT_OK;
  for(int i = 1; i < argc && status == EXIT_OK; i++) {
    char *ri = realpath(argv[i], NULL);
    char *ro = realpath(out, NULL);
    int dup = 0;
    if(ri && ro && !strcmp(ri, ro))
      status = cli_usage_error("merge", "OUT (%s) may not be one of the "
                               "run folders", out);
    for(int k = 1; ri && k < i && !dup; k++) {
      char *rk = realpath(argv[k], NULL);
      dup = rk && !strcmp(ri, rk);
      if(dup && !quiet)
        cli_warn("merge", "%s and %s are the same folder: merged once",
                 argv[k], argv[i]);
      free(rk);
    }
    if(!dup)
      dirs[(*ndirs)++] = argv[i];
    free(ri);
    free(ro);
  }
  return status;
}

int cmd_merge(int argc, char **argv)
{
  struct merge_args a = {0};
  struct cli_parsed p;
  int rc = cli_parse(&merge_cli, argc, argv, &a, &p);
  cli_free(&merge_cli, &a);
  if(rc != CLI_GO)
    return rc;
  char **dirs = xcalloc((size_t)argc, sizeof(char *));
  size_t ndirs = 0;
  const char *out = argv[p.argi];
  struct bon_err err;
  rc = collect_dirs(argc - p.argi, argv + p.argi, a.quiet, dirs, &ndirs);
  if(rc == EXIT_OK && merge_runs(out, dirs, ndirs, a.quiet, &err)) {
    cli_error("merge", "%s", err.msg);
    rc = EXIT_FAIL;
  }
  free(dirs);
  return rc;
}

/* cmd_import.c - `bonrun import rewardmath|rewardbench FILE... --out TABLE`:
 * bonrun's long scores table (stats/formats.md) from the official result
 * files of RewardMATH (Kim et al. 2024), read by ingest/official.h.  The
 * RM names, the quirks handled and the figures `bench` reproduces from the
 * table are in docs/import.md. */
#include "runner/commands.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/official.h"
#include "ingest/records.h"
#include "stats/csv.h"
#include "stats/derive.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/num.h"
#include "util/u64map.h"

static const char usage_text[] =
  "usage: bonrun import rewardmath FILE... --out TABLE [options]\n"
  "       bonrun import rewardbench FILE... --out TABLE [options]\n"
  "       bonrun import --list-names\n"
  "\n"
  "Write bonrun's long scores table (stats/formats.md) from the official\n"
  "result files of RewardMATH (Kim et al. 2024), plain or gzip, one file\n"
  "per RM:\n"
  "  rewardmath   results/RewardMATH/*_reward.json: the scores of the 10\n"
  "               candidates of each of the 483 problems (index 0 correct),\n"
  "               a process RM's step scores (column steps), or a judge's\n"
  "               A/B verdicts (*_pairwise_reward.json: kind pairwise)\n"
  "  rewardbench  results/Rewardbench/rewardbench_*.json: the 447 math-prm\n"
  "               pairs, in either layout of the release\n"
  "Problems join on the hash of their text, candidates on their generator\n"
  "label, so every file must hold the same candidates.  Repeated problem\n"
  "records are dropped (when identical), a null verdict is a loss, an\n"
  "empty generator label becomes #J (J the position), a label repeated\n"
  "within a problem LABEL#2: each is counted and reported.\n"
  "Then `bonrun bench --scores TABLE` gives the official figures (a\n"
  "process RM enters as RM/prod unless --steps says otherwise; pairwise\n"
  "judges are marked in the table).  RM names: the model each release file\n"
  "stands for (--list-names; docs/import.md), the same in both benchmarks.\n"
  "\n"
  "options:\n"
  "  --out TABLE        the table to write: .jsonl (or .json) JSON lines,\n"
  "                     .tsv TSV, anything else CSV\n"
  "  --name FILE=NAME   the RM name of FILE (as given above) instead of\n"
  "                     the release's; repeatable\n"
  "  --list-names       print the release's file names and the RM names\n"
  "                     they get, then exit\n"
  "  -q, --quiet        no table on stdout\n"
  "  -h, --help         this help\n";

struct import_args {
  const char *out;
  struct cli_strs names;
  int list, quiet;
};

#define A struct import_args
static const struct cli_opt import_opts[] = {
  CLI_OPT_STR("out", 0, A, out),
  CLI_OPT_STRS("name", 0, A, names),
  CLI_OPT_FLAG("list-names", 0, A, list),
  CLI_OPT_FLAG("quiet", 'q', A, quiet),
  CLI_OPT_END,
};
#undef A

static const struct cli_cmd import_cli = {
  "import", usage_text, import_opts, 0, -1, NULL,
};

enum bench { B_REWARDMATH, B_REWARDBENCH };
static const char *const bench_words[] = {"rewardmath", "rewardbench",
                                          NULL};

/* One imported file. */
struct source {
  const char *path; /* as given */
  char *rm;         /* its RM name */
  struct ingest_scores s;
};

enum fmt { F_CSV, F_TSV, F_JSONL };

static int ends_with(const char *s, const char *suf)
{
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && !strcasecmp(s + n - m, suf);
}

static enum fmt out_format(const char *path)
{
  if(ends_with(path, ".jsonl") || ends_with(path, ".json") ||
     ends_with(path, ".ndjson"))
    return F_JSONL;
  return ends_with(path, ".tsv") ? F_TSV : F_CSV;
}

/* The RM name of path: its --name (checked by check_names), else the
 * release's.  A fresh string. */
static char *rm_name(const struct import_args *a, const char *path)
{
  for(size_t i = 0; i < a->names.n; i++) {
    const char *eq = strrchr(a->names.v[i], '=');
    size_t n = (size_t)(eq - a->names.v[i]);
    if(strlen(path) == n && !strncmp(path, a->names.v[i], n))
      return xstrdup(eq + 1);
  }
  return ingest_official_rm_name(path);
}

/* Read one file into src.  0, or EXIT_FAIL after a message. */
static int load(enum bench which, struct source *src)
{
  struct bon_err err;
  size_t len;
  char *text = ingest_read(src->path, &len, &err);
  int rc = text ? ingest_official(text, len, src->path, &src->s, &err) : -1;
  free(text);
  if(rc < 0) {
    cli_error("import", "%s", err.msg);
    return EXIT_FAIL;
  }
  int pair = !src->s.pairwise && src->s.nrows == 2 * src->s.problems;
  if(which == B_REWARDBENCH && !pair) {
    cli_error("import", "%s: %s, not the pairs of RewardBench (use bonrun "
              "import rewardmath for it)", src->path, src->s.pairwise
              ? "pairwise verdicts of RewardMATH"
              : "more than 2 candidates per problem: a RewardMATH file");
    return EXIT_FAIL;
  }
  if(which == B_REWARDMATH && pair) {
    cli_error("import", "%s: 2 candidates per problem: a RewardBench "
              "file, not RewardMATH (use bonrun import rewardbench for it)",
              src->path);
    return EXIT_FAIL;
  }
  return 0;
}

static uint64_t cand_key(const struct ingest_score *r)
{
  return hash_str(hash_str(HASH_INIT, r->problem_id), r->sample_id) | 1;
}

/* The candidates of src into m (key -> row + 1 in slot a, correct in
 * b); 0, or EXIT_FAIL after a message when one repeats. */
static int cand_map(const struct source *src, struct u64map *m)
{
  for(size_t i = 0; i < src->s.nrows; i++) {
    const struct ingest_score *r = &src->s.rows[i];
    int fresh;
    struct u64map_slot *slot = u64map_put(m, cand_key(r), &fresh);
    if(!fresh) {
      cli_error("import", "%s: problem %s has two candidates labelled "
                "'%s'", src->path, r->problem_id, r->sample_id);
      return EXIT_FAIL;
    }
    slot->a = i + 1;
    slot->b = (uint32_t)r->correct;
  }
  return 0;
}

/* Every file holds the candidates of the first one, with the same
 * verdicts, and each RM name is given once.  0, or EXIT_FAIL after a
 * message. */
static int check_join(const struct source *src, size_t n)
{
  struct u64map first = U64MAP_INIT, own = U64MAP_INIT;
  int rc = cand_map(&src[0], &first);
  for(size_t f = 1; f < n && !rc; f++) {
    for(size_t g = 0; g < f && !rc; g++)
      if(!strcmp(src[f].rm, src[g].rm)) {
        cli_error("import", "%s and %s both give RM '%s'; name one of them "
                  "with --name FILE=NAME", src[g].path, src[f].path,
                  src[f].rm);
        rc = EXIT_FAIL;
      }
    u64map_free(&own);
    own = (struct u64map)U64MAP_INIT;
    if(!rc)
      rc = cand_map(&src[f], &own);
    for(size_t i = 0; !rc && i < src[f].s.nrows; i++) {
      const struct ingest_score *r = &src[f].s.rows[i];
      const struct u64map_slot *slot = u64map_get(&first, cand_key(r));
      if(slot && (int)slot->b == r->correct)
        continue;
      cli_error("import", "%s: problem %s, candidate '%s' is %s %s; every "
                "file must hold the same candidates", src[f].path,
                r->problem_id, r->sample_id, slot ? "labelled otherwise in"
                : "not in", src[0].path);
      rc = EXIT_FAIL;
    }
    if(!rc && src[f].s.nrows != src[0].s.nrows) {
      cli_error("import", "%s: %zu candidates, but %s has %zu; every file "
                "must hold the same candidates", src[f].path,
                src[f].s.nrows, src[0].path, src[0].s.nrows);
      rc = EXIT_FAIL;
    }
  }
  u64map_free(&first);
  u64map_free(&own);
  return rc;
}

/* A string field; -1 when TSV cannot hold it. */
static int put_str(struct buf *b, enum fmt f, const char *s)
{
  if(f == F_CSV)
    stats_csv_put(b, s);
  else if(f == F_JSONL)
    buf_json_str(b, s);
  else if(strpbrk(s, "\t\r\n"))
    return -1;
  else
    buf_puts(b, s);
  return 0;
}

static void put_steps(struct buf *b, enum fmt f, const struct ingest_score *r)
{
  if(f == F_JSONL)
    buf_putc(b, '[');
  for(size_t k = 0; k < r->nsteps; k++) {
    if(k)
      buf_putc(b, f == F_JSONL ? ',' : ';');
    num_put_g17(b, r->steps[k]);
  }
  if(f == F_JSONL)
    buf_putc(b, ']');
}

/* One row of the table.  -1 when TSV cannot hold a field. */
static int put_row(struct buf *b, enum fmt f, const struct source *src,
                   const struct ingest_score *r)
{
  const char *kind = src->s.pairwise ? "pairwise" : "score";
  char sep = f == F_TSV ? '\t' : ',';
  int rc = 0;
  if(f == F_JSONL) {
    buf_puts(b, "{\"problem_id\":");
    buf_json_str(b, r->problem_id);
    buf_puts(b, ",\"sample_id\":");
    buf_json_str(b, r->sample_id);
    buf_puts(b, ",\"rm\":");
    buf_json_str(b, src->rm);
    if(isnan(r->score))
      buf_puts(b, ",\"score\":null");
    else {
      buf_puts(b, ",\"score\":");
      num_put_g17(b, r->score);
    }
    buf_printf(b, ",\"correct\":%d,\"steps\":", r->correct);
    if(r->nsteps)
      put_steps(b, f, r);
    else
      buf_puts(b, "null");
    buf_printf(b, ",\"kind\":\"%s\"}\n", kind);
    return 0;
  }
  rc |= put_str(b, f, r->problem_id);
  buf_putc(b, sep);
  rc |= put_str(b, f, r->sample_id);
  buf_putc(b, sep);
  rc |= put_str(b, f, src->rm);
  buf_putc(b, sep);
  if(!isnan(r->score))
    num_put_g17(b, r->score);
  buf_printf(b, "%c%d%c", sep, r->correct, sep);
  put_steps(b, f, r);
  buf_printf(b, "%c%s\n", sep, kind);
  return rc;
}

static int write_table(const char *path, const struct source *src, size_t n)
{
  enum fmt f = out_format(path);
  struct buf b = BUF_INIT;
  if(f == F_CSV)
    buf_puts(&b, "problem_id,sample_id,rm,score,correct,steps,kind\n");
  else if(f == F_TSV)
    buf_puts(&b, "problem_id\tsample_id\trm\tscore\tcorrect\tsteps\tkind\n");
  int rc = 0;
  for(size_t i = 0; i < n && !rc; i++)
    for(size_t k = 0; k < src[i].s.nrows && !rc; k++)
      if(put_row(&b, f, &src[i], &src[i].s.rows[k]) < 0) {
        cli_error("import", "%s: RM '%s' or an id of %s holds a tab or a "
                  "line break, which TSV cannot; write .csv or .jsonl",
                  path, src[i].rm, src[i].path);
        rc = EXIT_FAIL;
      }
  struct bon_err err;
  if(!rc && fs_write_atomic(path, buf_str(&b), b.len, &err) < 0) {
    cli_error("import", "%s", err.msg);
    rc = EXIT_FAIL;
  }
  buf_free(&b);
  return rc;
}

/* The quirks the files had, one note per kind of quirk: its count in
 * every file when the same everywhere, else per file. */
static void report_quirks(const struct source *src, size_t n)
{
  static const char *const what[] = {
    "repeated problem records dropped (identical to an earlier record)",
    "null verdicts (unparsable replies) counted as losses, as the "
    "official scorer does",
    "empty generator labels, named #J after the candidate's position J",
    "candidates with the generator label of an earlier candidate of the "
    "problem, told apart as LABEL#2, LABEL#3 ..."};
  for(int q = 0; q < 4; q++) {
    size_t *c = xcalloc(n, sizeof(*c)), with = 0, same = 1;
    for(size_t i = 0; i < n; i++) {
      const struct ingest_scores *s = &src[i].s;
      c[i] = q == 0 ? s->duplicates : q == 1 ? s->null_verdicts
             : q == 2 ? s->empty_labels : s->repeated_labels;
      with += c[i] > 0;
      same &= c[i] == c[0];
    }
    struct buf b = BUF_INIT;
    for(size_t i = 0; i < n && with && !(same && n > 1); i++)
      if(c[i]) {
        const char *base = strrchr(src[i].path, '/');
        buf_printf(&b, "%s%s %zu", b.len ? ", " : "",
                   base ? base + 1 : src[i].path, c[i]);
      }
    if(with && same && n > 1)
      cli_note("import", "%s: %zu in each of the %zu files", what[q], c[0],
               n);
    else if(with)
      cli_note("import", "%s: %s", what[q], buf_str(&b));
    buf_free(&b);
    free(c);
  }
}

static void print_sources(const struct source *src, size_t n,
                          const char *out)
{
  size_t rows = 0;
  printf("%-38s %-9s %8s %6s  %s\n", "rm", "kind", "problems", "rows",
         "file");
  for(size_t i = 0; i < n; i++) {
    const struct ingest_scores *s = &src[i].s;
    printf("%-38s %-9s %8zu %6zu  %s\n", src[i].rm,
           s->pairwise ? "pairwise" : s->steps ? "steps" : "score",
           s->problems, s->nrows, src[i].path);
    rows += s->nrows;
  }
  printf("wrote %s: %zu rows, %zu RM%s, %zu problems\n", out, rows, n,
         n > 1 ? "s" : "", src[0].s.problems);
}

static void list_names(void)
{
  size_t n;
  const struct ingest_official_name *m = ingest_official_names(&n);
  printf("%-22s %s\n", "release file name", "RM name");
  for(size_t i = 0; i < n; i++)
    printf("%-22s %s\n", m[i].release, m[i].name);
  printf("(a judge's NAME_pairwise file: its RM name + \"%s\"; a file not "
         "listed: its own name)\n", INGEST_OFFICIAL_PAIRWISE);
}

static int import(const struct import_args *a, enum bench which,
                  char **files, size_t n)
{
  struct source *src = xcalloc(n, sizeof(*src));
  int rc = 0;
  size_t steps = 0;
  for(size_t i = 0; i < n && !rc; i++) {
    src[i].path = files[i];
    src[i].rm = rm_name(a, files[i]);
    rc = load(which, &src[i]);
    steps += !rc && src[i].s.steps;
  }
  if(!rc)
    rc = check_join(src, n);
  if(!rc)
    rc = write_table(a->out, src, n);
  if(!rc) {
    report_quirks(src, n);
    if(steps)
      cli_note("import", "%zu RM%s with step scores only (process RMs): "
               "bench and analyze take %s as RM/%s unless --steps names "
               "other aggregations", steps, steps > 1 ? "s" : "",
               steps > 1 ? "them" : "it", STATS_STEPS_DEFAULT);
    if(!a->quiet)
      print_sources(src, n, a->out);
  }
  for(size_t i = 0; i < n; i++) {
    free(src[i].rm);
    ingest_scores_free(&src[i].s);
  }
  free(src);
  return rc;
}

/* Every --name names one of the files. */
static int check_names(const struct import_args *a, char **files, size_t n)
{
  for(size_t i = 0; i < a->names.n; i++) {
    const char *v = a->names.v[i], *eq = strrchr(v, '=');
    if(!eq || eq == v || !eq[1])
      return cli_usage_error("import", "--name: expected FILE=NAME, got "
                             "'%s'", v);
    size_t k = 0, len = (size_t)(eq - v);
    while(k < n && !(strlen(files[k]) == len && !strncmp(files[k], v, len)))
      k++;
    if(k == n)
      return cli_usage_error("import", "--name %s: no file '%.*s' among "
                             "those given", v, (int)len, v);
  }
  return CLI_GO;
}

int cmd_import(int argc, char **argv)
{
  struct import_args a;
  memset(&a, 0, sizeof(a));
  struct cli_parsed p;
  int rc = cli_parse(&import_cli, argc, argv, &a, &p);
  int nargs = argc - p.argi, which = 0;
  char **args = argv + p.argi;
  if(rc == CLI_GO && a.list) {
    list_names();
    rc = EXIT_OK;
  }
  if(rc == CLI_GO && nargs < 1)
    rc = cli_usage_error("import", "which benchmark: rewardmath or "
                         "rewardbench");
  if(rc == CLI_GO && cli_choice(args[0], bench_words, &which) != CLI_OK)
    rc = cli_usage_error("import", "'%s': expected rewardmath or "
                         "rewardbench", args[0]);
  if(rc == CLI_GO && nargs < 2)
    rc = cli_usage_error("import", "no result file given");
  if(rc == CLI_GO && !a.out)
    rc = cli_usage_error("import", "--out TABLE is required");
  if(rc == CLI_GO)
    rc = check_names(&a, args + 1, (size_t)nargs - 1);
  if(rc == CLI_GO)
    rc = import(&a, (enum bench)which, args + 1, (size_t)nargs - 1);
  cli_free(&import_cli, &a);
  return rc;
}

/* table.h - the long scores table: one row per (problem, sample, RM).
 *
 * Input format (stats/formats.md): CSV, TSV or JSON lines with columns
 * problem_id, sample_id, rm, score, correct and optional answer, steps,
 * kind.  Column names can be overridden (struct stats_table_opts).
 *
 * After loading, the table is organised for fast access per (RM, problem):
 *
 *   candidates   a candidate is one (problem, sample) pair.  Candidates are
 *                numbered 0..n_cands-1, grouped by problem: the candidates
 *                of problem p are cand_off[p] .. cand_off[p+1]-1, in the
 *                order their first row appeared in the input.
 *   score cube   score[r * n_cands + c] is RM r's score of candidate c
 *                (rm-major, so the pool of (r, p) is one contiguous run:
 *                stats_table_scores(t, r, p)).  NaN = missing score.
 *   gold         gold[c]: the `correct` value (0/1 or a real gold score).
 *   answer       answer[c]: index into answers[] or -1 when the candidate
 *                has no answer (no `answer` column, or an empty field).
 *   steps        per (r, c) a list of per-step scores, CSR:
 *                steps_val[steps_off[r*n_cands+c] .. steps_off[..+1]-1];
 *                steps_off is NULL when the table has no `steps` column.
 *   kind         rm_kind[r]: what RM r's scores are (enum stats_rm_kind,
 *                from the optional `kind` column); NULL when the table
 *                has no such column (every RM a STATS_RM_SCORE).
 *
 * Rules (each violation is an error naming the file and line):
 *   - a required column is missing from the header (or, in JSON lines, a
 *     row lacks a key);
 *   - a number does not parse or is infinite ("inf", "1e999") (score,
 *     correct, a step);
 *   - a (problem, sample, rm) triple appears twice;
 *   - the gold (`correct`) or the answer of one (problem, sample) differs
 *     between RMs;
 *   - a `kind` other than score, pairwise or empty, or two kinds for the
 *     rows of one RM;
 *   - ragged pools: an RM has no row for a candidate that another RM
 *     scored (the message names the first line of that candidate).
 * Tolerated and counted (see struct stats_table_counts):
 *   - a missing score (empty field, `nan`, JSON null): the row is kept as
 *     NaN in the cube, i.e. the candidate drops out of that RM's pool;
 *   - a problem with no correct candidate (binary gold): fine for analyze,
 *     counted in problems_no_correct (and problems_all_correct).
 * Pools may differ in size between problems.
 */
#ifndef BON_STATS_TABLE_H
#define BON_STATS_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

enum stats_format {
  STATS_FMT_AUTO = 0, /* by extension (.csv .tsv .jsonl .json .ndjson),
                         else by content: '{' = JSON lines, a tab in the
                         header = TSV, else CSV */
  STATS_FMT_CSV,
  STATS_FMT_TSV,
  STATS_FMT_JSONL
};

/* Reading options: stats_table_opts_init fills the defaults. */
struct stats_table_opts {
  /* Column-name overrides; NULL keeps the default name given after. */
  const char *col_problem; /* "problem_id" */
  const char *col_sample;  /* "sample_id" */
  const char *col_rm;      /* "rm" */
  const char *col_score;   /* "score" */
  const char *col_correct; /* "correct" */
  const char *col_answer;  /* "answer" (optional column) */
  const char *col_steps;   /* "steps" (optional column) */
  const char *col_kind;    /* "kind" (optional column) */
  /* Keep only rows whose RM is one of these (NULL or 0 = keep all).
   * Filtered rows are still parsed but do not enter the table. */
  const char *const *rms;
  int n_rms;
  enum stats_format format;
  /* Reader threads (0 = all cores).  A large CSV, TSV or JSON-lines input
   * is read in chunks in parallel; the table is the same for any count. */
  int threads;
};

/* The defaults: every column under its default name, no RM filter,
 * format by detection. */
void stats_table_opts_init(struct stats_table_opts *o);

struct stats_table_counts {
  size_t rows;            /* data rows read (blank lines not counted) */
  size_t rows_filtered;   /* rows dropped by the RM filter */
  size_t missing_scores;  /* rows kept with a missing (NaN) score */
  size_t problems_no_correct;  /* binary gold: no candidate has gold 1 */
  size_t problems_all_correct; /* binary gold: every candidate has gold 1 */
  size_t min_pool, max_pool;   /* candidates per problem */
};

/* What an RM's scores are (the `kind` column; stats/formats.md). */
enum stats_rm_kind {
  STATS_RM_SCORE = 0,   /* one score per candidate (empty kind too) */
  STATS_RM_PAIRWISE = 1 /* A/B outcomes of a pairwise judge: on each
                           incorrect candidate 1 if the correct one beat
                           it, 0 if not (stats/metrics.h) */
};

struct stats_table {
  int n_problems, n_rms, n_answers;
  size_t n_cands;
  char **problems;    /* [n_problems] problem ids */
  char **rms;         /* [n_rms] RM names, in order of first appearance */
  char **answers;     /* [n_answers] distinct answer strings */
  size_t *cand_off;   /* [n_problems + 1] candidates of problem p */
  char **samples;     /* [n_cands] sample id of each candidate */
  double *gold;       /* [n_cands] */
  int32_t *answer;    /* [n_cands] index into answers, -1 = none */
  double *score;      /* [n_rms * n_cands] NaN = missing */
  size_t *steps_off;  /* [n_rms * n_cands + 1] or NULL */
  double *steps_val;  /* [steps_off[n_rms * n_cands]] */
  unsigned char *rm_kind; /* [n_rms] enum stats_rm_kind, or NULL */
  int has_answer;     /* the input had an answer column/key */
  int has_steps;      /* the input had a steps column/key */
  int gold_binary;    /* every gold value is 0 or 1 */
  char *source;       /* file name (or "<memory>") for messages */
  struct stats_table_counts counts;
  void *priv_;        /* internal storage (string arena, table_int.h) */
};

/* Pool of (rm, problem): the scores of the problem's candidates, in
 * candidate order (length stats_table_pool_size(t, p)). */
static inline const double *stats_table_scores(const struct stats_table *t,
                                               int rm, int problem)
{
  return t->score + (size_t)rm * t->n_cands + t->cand_off[problem];
}
static inline size_t stats_table_pool_size(const struct stats_table *t,
                                           int problem)
{
  return t->cand_off[problem + 1] - t->cand_off[problem];
}

/* Read a scores table from a file (mmapped; the whole file is parsed in
 * one pass with no per-row allocation).  opts may be NULL for defaults.
 * Returns a new table (free with stats_table_free) or NULL with err
 * filled: "FILE:LINE: what is wrong". */
struct stats_table *stats_table_read(const char *path,
                                     const struct stats_table_opts *opts,
                                     struct bon_err *err);

/* The same from a buffer in memory (need not be NUL-terminated); name is
 * used in messages and for format detection by extension. */
struct stats_table *stats_table_parse(const char *data, size_t len,
                                      const char *name,
                                      const struct stats_table_opts *opts,
                                      struct bon_err *err);

/* The format stats_table_parse reads data[0..len) as: opts->format, or
 * (STATS_FMT_AUTO, or opts NULL) by the name's extension, else by
 * content. */
enum stats_format stats_table_format(const char *name, const char *data,
                                     size_t len,
                                     const struct stats_table_opts *opts);

/* The kind of RM r (STATS_RM_SCORE when the table has no kind column). */
static inline enum stats_rm_kind stats_table_rm_kind(
    const struct stats_table *t, int r)
{
  return t->rm_kind ? (enum stats_rm_kind)t->rm_kind[r] : STATS_RM_SCORE;
}

/* Index of an RM by name, -1 if absent. */
int stats_table_rm_index(const struct stats_table *t, const char *name);

void stats_table_free(struct stats_table *t);

/* Append one RM to t in place: name (copied) and scores[0..n_cands), one
 * score per candidate of t in candidate order (NaN = missing).  The new RM
 * comes last (index n_rms - 1 afterwards) and has no steps (when t has a
 * steps column its step lists are empty).  t's counts are not changed
 * (they describe the input rows).  Costs one copy of the score cube at
 * most (realloc), nothing per row.  0, or -1 with err (t unchanged) when
 * name is empty or already an RM of t.  Its kind is STATS_RM_SCORE. */
int stats_table_add_rm(struct stats_table *t, const char *name,
                       const double *scores, struct bon_err *err);

/* Remove RM r (0 <= r < n_rms) from t in place: its scores, steps and
 * kind; the RMs after it move down by one.  t's counts are not changed.
 * Cannot fail. */
void stats_table_remove_rm(struct stats_table *t, int r);

/* ---- Builder: fill a table in memory without a file. ----
 *
 *   struct stats_builder *b = stats_builder_new(NULL);
 *   stats_builder_add(b, &row, err);   ... for each row
 *   struct stats_table *t = stats_builder_finish(b, err);  (frees b)
 *
 * The same rules and counts apply as for a file; messages name the row
 * number ("<memory>:row N") instead of a line. */
struct stats_row {
  const char *problem, *sample, *rm;
  double score;        /* NaN = missing */
  double correct;
  const char *answer;  /* NULL or "" = none */
  const double *steps; /* NULL when none */
  int n_steps;
};

struct stats_builder;

/* Every RM of a built table is a STATS_RM_SCORE (kinds come from files).
 * opts: only the RM filter is used (NULL = keep all).  Never fails. */
struct stats_builder *stats_builder_new(const struct stats_table_opts *opts);
/* Add one row.  Strings are copied.  -1 with err on a duplicate triple or
 * an inconsistent gold/answer; the builder stays usable. */
int stats_builder_add(struct stats_builder *b, const struct stats_row *row,
                      struct bon_err *err);
/* Finish: checks ragged pools and organises the table.  Always frees b.
 * NULL with err on failure. */
struct stats_table *stats_builder_finish(struct stats_builder *b,
                                         struct bon_err *err);
/* Discard a builder without finishing it. */
void stats_builder_free(struct stats_builder *b);

#endif

/* bench.h - benchmark candidates from a data file: the texts a reward
 * model is asked to rank, one correct solution against k incorrect ones.
 *
 * Formats (every one a JSON array or JSON lines, gzip too; records.h):
 *   "rewardmath"           RewardMATH records, one candidate each: problem,
 *                          eval_solution (list of steps), solution_type
 *                          chosen | rejected, solution_reference (the
 *                          generator), problem_id.  Without solution_type
 *                          (RewardBench math-prm in this shape) the chosen
 *                          one is the record whose solution_reference is
 *                          "human_to_GPT-4", as in the official scorer.
 *   "rewardmath_pairwise"  one A/B comparison per record: eval_solution_A,
 *                          eval_solution_B, chosen_position A | B,
 *                          solution_reference (the rejected one's
 *                          generator), problem_id.
 *   "rewardbench"          RewardBench rows: prompt, chosen, rejected
 *                          (strings), subset, id: one pair per row.
 *   "rewardbench2"         RewardBench 2 rows: prompt, chosen (list of one),
 *                          rejected (list), subset, id.
 *   "candidates"           bonrun's own: problem_id, question, response or
 *                          steps, correct (true/false or 1/0), optional
 *                          source (stats/formats.md).
 * Every record is checked: a bad one names file, line and field. */
#ifndef BON_INGEST_BENCH_H
#define BON_INGEST_BENCH_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/err.h"

enum ingest_bench_format {
  INGEST_REWARDMATH,
  INGEST_REWARDMATH_PAIRWISE,
  INGEST_REWARDBENCH,
  INGEST_REWARDBENCH2,
  INGEST_CANDIDATES
};

/* The format of a name ("rewardmath", ...); -1 for an unknown one. */
int ingest_bench_format(const char *name);
/* The names, comma-separated, for messages. */
const char *ingest_bench_format_names(void);

/* One solution text: the dataset's own steps when it has them (a process
 * RM scores exactly these), and the text an outcome RM reads (the steps
 * joined by line breaks, as the official RewardMATH scorer gives them to
 * classifier RMs, or the dataset's text). */
struct ingest_text {
  char *text;
  char **steps;      /* NULL when the dataset gives one text */
  size_t nsteps;
};

/* One candidate of a problem. */
struct ingest_cand {
  size_t problem;    /* index into ingest_bench.problems */
  int correct;       /* 1: the correct (chosen) one, 0: incorrect */
  char *source;      /* the generator ("" when not given) */
  struct ingest_text sol;
  size_t line;       /* where it was read */
};

/* One A/B comparison of the pairwise format: the correct solution against
 * one incorrect one, in the order shown to the judge. */
struct ingest_pair {
  size_t problem;
  int correct_is_a;  /* 1: A is the correct one */
  char *source;      /* the incorrect one's generator */
  struct ingest_text a, b;
  size_t line;
};

struct ingest_problem_ref {
  char *id;
  char *question;
};

struct ingest_bench {
  enum ingest_bench_format format;
  struct ingest_problem_ref *problems;
  size_t nproblems;
  struct ingest_cand *cands;     /* every format but the pairwise one */
  size_t ncands;
  struct ingest_pair *pairs;     /* the pairwise format */
  size_t npairs;
  size_t excluded;   /* incorrect candidates dropped by exclude_sources */
  size_t skipped;    /* rows outside the subsets asked for */
};

struct ingest_bench_opts {
  enum ingest_bench_format format;
  const char *const *subsets;    /* RewardBench: keep these subsets (NULL:
                                    all) */
  size_t nsubsets;
  const char *const *exclude;    /* drop incorrect candidates (comparisons)
                                    from these generators */
  size_t nexclude;
};

/* Read the candidates of text[0..len) (`name` names the file in messages)
 * into *b (free with ingest_bench_free).  Problems are in order of first
 * appearance, candidates in file order.  Afterwards every problem has
 * exactly one correct candidate and at least one incorrect one (pairwise:
 * at least one comparison, all against the same correct text).  -1 and err
 * naming file:line and field otherwise, or for a malformed record. */
int ingest_bench_read(const char *text, size_t len, const char *name,
                      const struct ingest_bench_opts *o,
                      struct ingest_bench *b, struct bon_err *err);
void ingest_bench_free(struct ingest_bench *b);

#endif

/* problems.h - a problem set from a data file: MATH500, GSM8K, the
 * RewardMATH best-of-n set, or any JSON-lines / JSON-array file of
 * {question, answer, id, ...} records (records.h: gzip too).
 *
 * Keys are found among the common names unless set: the question in
 * "problem" or "question", the reference in "answer" or "ground_truth",
 * the id in "unique_id", "id" or "idx" (a number becomes its digits;
 * absent: "line-N").  A reference may be a bare answer or a whole
 * solution (GSM8K's "... #### 72" included: the verifier reads both).
 * A filter keeps the records whose fields match; group keys (dotted paths
 * such as "feature.level") are read per problem for per-group analysis. */
#ifndef BON_INGEST_PROBLEMS_H
#define BON_INGEST_PROBLEMS_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/err.h"

/* The group value of a problem without the field (or with a null, an
 * object or a list there). */
#define INGEST_GROUP_MISSING "(missing)"

struct ingest_problem {
  char *id;
  char *question;
  char *answer;
  char **groups;    /* one value per group key (INGEST_GROUP_MISSING when
                       absent) */
};

struct ingest_problem_opts {
  const char *id_key;        /* NULL: unique_id, id, idx, else line-N */
  const char *question_key;  /* NULL: problem, question */
  const char *answer_key;    /* NULL: answer, ground_truth */
  const cJSON *filter;       /* NULL, or {"path": value or [values]...} */
  const char *const *group_keys;  /* dotted paths */
  size_t ngroups;
  size_t limit;              /* keep the first so many (after the filter);
                                0 = all */
};

/* Read the problems of text[0..len) (`name` names the file in messages)
 * into a fresh array (*out, *n; free with ingest_problems_free).  -1 and
 * err naming file:line and the field for a malformed record, a missing or
 * empty question or reference, an id holding a comma or quote, a repeated
 * id, a bad filter, or no problem left after the filter. */
int ingest_problems(const char *text, size_t len, const char *name,
                    const struct ingest_problem_opts *o,
                    struct ingest_problem **out, size_t *n,
                    struct bon_err *err);
void ingest_problems_free(struct ingest_problem *p, size_t n,
                          size_t ngroups);

/* Check a filter object once (each value a scalar or a non-empty list of
 * scalars).  0, or -1 and err naming the bad key. */
int ingest_filter_check(const cJSON *filter, struct bon_err *err);

/* 1 when rec matches every key of filter (a list matches any of its
 * values; values compare as text, so 5 matches "5"). */
int ingest_filter_match(const cJSON *filter, const cJSON *rec);

#endif

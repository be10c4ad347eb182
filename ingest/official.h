/* official.h - the official result files of RewardMATH (Kim et al. 2024,
 * kimsh0507/RewardMATH_official): real scores of reward models on the
 * RewardMATH and RewardBench math-prm benchmarks, read into rows of
 * bonrun's long scores table (stats/formats.md).
 *
 *   RewardMATH results/RewardMATH/NAME_reward.json: a list, one record per
 *     problem: problem, solution_reference (the generators, index 0 the
 *     correct solution), score (one number per candidate; a process RM a
 *     list of step scores per candidate).
 *   RewardMATH results/RewardMATH/NAME_pairwise_reward.json: per problem
 *     the A/B verdicts of a judge on the correct solution against each of
 *     the 9 incorrect ones: score ("A", "B" or null) and chosen_position;
 *     the correct one wins a comparison when the verdict is its position;
 *     a null verdict (unparsable reply) is a loss, as in the official
 *     scorer.
 *   RewardBench results/Rewardbench/rewardbench_NAME.json, two layouts:
 *     per pair {problem, solution_reference, score: [a, b]} where the
 *     chosen one is labelled "human_to_GPT-4" or "chosen"; or per solution
 *     {problem, problem_id, solution_type, output: {step_scores}} (process
 *     RMs).
 *
 * Problems are keyed by the hash of their text ("p" + 12 hex digits), so
 * files of different RMs, in any order, join on the same ids; candidates
 * by their generator label (sample_id), so ensembles join them too.  The
 * quirks of the release are handled and counted: records that repeat a
 * problem (the 485-record GPT files) are dropped when identical, an error
 * when not; an empty generator label becomes "#j" (j the candidate's
 * position), a label that an earlier candidate of the problem has too
 * gets "#2", "#3" ... appended; null verdicts count. */
#ifndef BON_INGEST_OFFICIAL_H
#define BON_INGEST_OFFICIAL_H

#include <stddef.h>

#include "util/err.h"

/* One row of the long scores table. */
struct ingest_score {
  char *problem_id;
  char *sample_id;
  double score;      /* NaN: none (a process RM's own row, a pairwise
                        judge's correct candidate) */
  double *steps;     /* a process RM's step scores, or NULL */
  size_t nsteps;
  int correct;
};

struct ingest_scores {
  struct ingest_score *rows;
  size_t nrows, cap;
  int pairwise;          /* scores are A/B outcomes (1 win, 0 loss) */
  int steps;             /* scores are step lists (a process RM) */
  size_t problems;
  size_t duplicates;     /* repeated problem records dropped */
  size_t null_verdicts;  /* pairwise verdicts that are null (losses) */
  size_t empty_labels;   /* generator labels that were empty */
  size_t repeated_labels; /* labels given to an earlier candidate of the
                             same problem too (#2, #3 ... appended) */
};

/* Read one official result file's text (any of the layouts above, told
 * apart by their fields; `name` names the file in messages) and append its
 * rows to *out (zero it first; free with ingest_scores_free).  -1 and err
 * naming file, record and field for anything else. */
int ingest_official(const char *text, size_t len, const char *name,
                    struct ingest_scores *out, struct bon_err *err);
void ingest_scores_free(struct ingest_scores *s);

/* The model a release file name stands for, e.g. {"internlm2_20b",
 * "internlm2-20b-reward"}. */
struct ingest_official_name {
  const char *release; /* the file name's stem */
  const char *name;    /* the RM name bonrun gives it */
};
#define INGEST_OFFICIAL_PAIRWISE "-pairwise"

/* The release's names and the models they stand for: n entries (static;
 * the RewardMATH and RewardBench spellings of one model map to the same
 * name). */
const struct ingest_official_name *ingest_official_names(size_t *n);

/* The RM name a result file stands for: its base name without ".gz",
 * ".json", "_reward" and a "rewardbench_" prefix, mapped through
 * ingest_official_names (a "_pairwise" stem as its model's name +
 * INGEST_OFFICIAL_PAIRWISE: "gpt4_pairwise_reward.json" ->
 * "gpt-4-0125-preview-pairwise"); a stem not in the map is the name
 * itself.  A fresh string. */
char *ingest_official_rm_name(const char *path);

#endif

/* benchset.h - the candidates of one benchmark of `bonrun run`, from the
 * simulator or a dataset file (ingest/bench.h), laid out for scoring: one
 * row per candidate (the texts every RM but a pairwise judge scores) and
 * one comparison per incorrect candidate (the correct solution against
 * it, as a pairwise judge sees them).
 *
 * Comparisons: a pairwise dataset (rewardmath_pairwise) gives its own, in
 * its own A/B order; its rows are the correct solution of each problem
 * once and the incorrect solution of each comparison.  Any other source
 * pairs the correct candidate with each incorrect one, the correct one
 * shown as A or B by a hash of (seed, problem id, candidate id): about
 * half each way, the same in every run. */
#ifndef BON_BENCHSET_H
#define BON_BENCHSET_H

#include <stddef.h>
#include <stdint.h>

#include "proxy/proxy.h"
#include "runner/config.h"
#include "util/buf.h"

struct benchset {
  size_t n;                  /* candidate rows */
  const char **pids;         /* [n] problem id */
  size_t *sids;              /* [n] candidate id within its problem */
  int *correct;              /* [n] 1: the correct candidate */
  const char **sources;      /* [n] generator ("" when unknown) */
  struct proxy_item *items;  /* [n] tag = row; the dataset's own steps */
  size_t ncmp;               /* comparisons (0 unless asked for) */
  struct proxy_item *cmps;   /* [ncmp] response = A, response_b = B, tag =
                                the incorrect candidate's row */
  int *correct_is_a;         /* [ncmp] */
  /* storage */
  size_t *prob;              /* [n] the row's problem (0 .. nprob-1) */
  size_t nprob;
  char **owned;              /* [n] texts made here, or NULL */
  void *sim;                 /* the sim problems */
  size_t nsim;
};

/* Lay out the benchmark b (source "sim" or "dataset") into *s (free with
 * benchset_free), with comparisons when `comparisons` is set.  Sim
 * candidates are drawn with seed, as before datasets existed (so a sim
 * benchmark's rows and cache keys do not change).  Cannot fail. */
void benchset_build(struct benchset *s, const struct bench_config *b,
                    int one_to_one, uint64_t seed, int comparisons);

/* The outcome of a pairwise verdict on comparison j (1 = the judge
 * preferred A): 1 when it picked the correct solution, 0 when not, NAN
 * for no verdict. */
double benchset_outcome(const struct benchset *s, size_t j, double verdict);

/* candidates.jsonl: one line per row (problem_id, sample_id, correct,
 * question, text; source and steps when the dataset gives them; for an
 * incorrect row with a comparison, correct_position "A" or "B"). */
void benchset_jsonl(const struct benchset *s, struct buf *out);

/* candidates.csv, the long scores table of stats/formats.md: one row per
 * (RM, candidate), scores[k * n + row] (NAN: empty). */
void benchset_csv(const struct benchset *s, struct proxy *const *rms,
                  size_t nrms, const double *scores, struct buf *out);

void benchset_free(struct benchset *s);

#endif

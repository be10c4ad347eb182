/* merge.h - join the folders of the shards of a run into one run folder.
 *
 * Strict: every shard 1..N complete (shard.json), one N, one config hash,
 * no record key held by two shards with different results; anything else
 * is refused before OUT is touched, naming what is missing or at odds.
 * With partial set, shards that are missing or incomplete are left out on
 * purpose and OUT's manifest says so.
 *
 * OUT gets what `bonrun run --analyze-only` needs without replaying any
 * record: problems.jsonl and scores.csv interleaved back into the config's
 * problem order (byte for byte what one machine writes), samples.jsonl,
 * scores.jsonl and the benchmark score stores joined by record key (a
 * result beats an error; within one file a later line replaces an earlier
 * one, as the store reads it; a torn last line is left out), config.json
 * with "output" = OUT, and last shard.json (1 of 1, merged = N).  Memory
 * holds one small index entry per key, not the records. */
#ifndef BON_MERGE_H
#define BON_MERGE_H

#include <stddef.h>

#include "runner/shard.h"
#include "util/buf.h"
#include "util/err.h"

struct merge_result {
  int n, joined;            /* N of the split, shards joined */
  int fresh;                /* OUT held this very merge: nothing written */
  int partial;
  char missing[256];        /* the shards left out: "3, 4" */
  size_t problems;          /* problems in OUT */
  size_t records[2];        /* samples, scores kept */
  size_t repeated, torn;    /* repeated keys, torn last lines left out */
};

/* Merge the shard folders dirs[0..n) (their manifests ms[]) into out.
 * 0 with res filled, or -1 and err (OUT untouched when a check fails). */
int merge_shards(const char *out, char *const *dirs,
                 const struct shard_manifest *ms, size_t n, int partial,
                 struct merge_result *res, struct bon_err *err);

/* Append what a merge did, in lines for stderr ("bonrun merge: ..."). */
void merge_summary(const char *out, const struct merge_result *r,
                   struct buf *b);

#endif

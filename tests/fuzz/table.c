/* tests/fuzz/table.c - libFuzzer target: the long scores table reader
 * (stats_table_parse) on arbitrary bytes.  The first byte picks the format
 * (low two bits: auto, CSV, TSV, JSON lines), whether an RM filter is on
 * (bit 2) and whether step aggregations are asked for (bit 3; else
 * process RMs get the default); the rest is the file.  A table that loads
 * is then checked for its invariants and extended with derived RMs, after
 * which no process RM is left; the parallel reader (in chunks of a few
 * bytes) must read the same table or give up. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/derive.h"
#include "stats/table.h"
#include "stats/table_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size < 1)
    return 0;
  static const enum stats_format fmt[4] = {STATS_FMT_AUTO, STATS_FMT_CSV,
                                           STATS_FMT_TSV, STATS_FMT_JSONL};
  static const char *const keep[] = {"a", "b"};
  struct stats_table_opts o;
  stats_table_opts_init(&o);
  o.format = fmt[data[0] & 3];
  if(data[0] & 4) {
    o.rms = keep;
    o.n_rms = 2;
  }
  struct bon_err err;
  struct stats_table *t =
    stats_table_parse((const char *)data + 1, size - 1, "fuzz.csv", &o, &err);
  /* the parallel reader, in chunks of a few bytes, reads the same table
   * or gives up */
  struct stats_table_opts po = o;
  po.threads = 3;
  const char *d = (const char *)data + 1, *e = d + size - 1;
  if(e - d >= 3 && !memcmp(d, "\xef\xbb\xbf", 3))
    d += 3;
  struct stats_table *pt = stats_table_parse_par(
    d, e, stats_table_format("fuzz.csv", d, (size_t)(e - d), &po),
    "fuzz.csv", &po, 8, 0);
  if(pt && (!t || !stats_table_equal(t, pt)))
    abort();
  stats_table_free(pt);
  if(!t)
    return 0;
  /* invariants the rest of stats/ relies on */
  if(t->cand_off[0] != 0 || t->cand_off[t->n_problems] != t->n_cands)
    abort();
  for(int p = 0; p < t->n_problems; p++)
    if(t->cand_off[p + 1] <= t->cand_off[p])
      abort();
  for(size_t c = 0; c < t->n_cands; c++)
    if(t->answer[c] < -1 || t->answer[c] >= t->n_answers ||
       !isfinite(t->gold[c]))
      abort();
  if(t->steps_off)
    for(size_t i = 0; i < (size_t)t->n_rms * t->n_cands; i++)
      if(t->steps_off[i + 1] < t->steps_off[i])
        abort();
  for(int r = 0; r < t->n_rms; r++)
    if(stats_table_rm_kind(t, r) != STATS_RM_SCORE &&
       stats_table_rm_kind(t, r) != STATS_RM_PAIRWISE)
      abort();
  volatile double sink = 0;
  for(size_t i = 0; i < (size_t)t->n_rms * t->n_cands; i++)
    sink += t->score[i];
  (void)sink;
  const char *spec[] = {"fz=mean:a,b"};
  int two = stats_table_rm_index(t, "a") >= 0 &&
            stats_table_rm_index(t, "b") >= 0;
  if(!stats_table_add_derived(&t, t->has_steps && (data[0] & 8)
                                   ? "min,mean_logit" : NULL, spec,
                              two ? 1 : 0, &err))
    for(int r = 0; r < t->n_rms; r++)
      if(stats_rm_is_process(t, r)) /* the rule: none is left */
        abort();
  stats_table_free(t);
  return 0;
}

/* tests/fuzz/csv.c - libFuzzer target: the small keyed CSV reader
 * (stats_csv_parse, stats_csv_find_first) and the curves fitter that sits
 * on it (stats_curves_fit).  The first byte picks the name (bit 0: .tsv or
 * .csv, which chooses the separator); the rest is the file. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/csv.h"
#include "stats/curves.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size < 1)
    return 0;
  const char *name = data[0] & 1 ? "fuzz.tsv" : "fuzz.csv";
  const char *p = (const char *)data + 1;
  size_t n = size - 1;
  struct bon_err err;
  struct stats_csv *c = stats_csv_parse(p, n, name, &err);
  if(c) {
    size_t line0 = 0;
    for(size_t r = 0; r < c->nrows; r++) {
      if(c->line[r] < 2 || c->line[r] < line0)
        abort();
      line0 = c->line[r];
      for(size_t k = 0; k < c->ncols; k++)
        if(!stats_csv_get(c, r, k))
          abort();
    }
    if(c->ncols && stats_csv_col(c, c->header[0]) != 0)
      abort();
    stats_csv_free(c);
  }
  size_t line;
  stats_csv_find_first(p, n, name, "rm", "a", &line, &err);
  struct stats_curves_result res;
  if(stats_curves_fit(p, n, name, NULL, &res, &err) == 0)
    stats_curves_free(&res);
  return 0;
}

/* bench_out.c - the files and the stdout table of `bonrun bench`
 * (stats/formats.md): benchmark.csv and summary.json (see bench.h). */
#include "stats/bench.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stats/csv.h"
#include "stats/out.h"
#include "util/fsutil.h"
#include "util/num.h"

/* benchmark.csv's columns (stats/formats.md) */
static const char csv_header[] =
  "rm,problems,k,accuracy,accuracy_lo,accuracy_hi,accuracy_ties,"
  "accuracy_random,mrr,mrr_lo,mrr_hi,mrr_random,missing,baseline_accuracy,"
  "baseline_mrr,tie_rate,dropped,kind\n";

static int write_csv(const struct stats_bench_report *rep, const char *dir,
                     struct bon_err *err)
{
  struct buf b = BUF_INIT;
  buf_puts(&b, csv_header);
  for(size_t i = 0; i < rep->n_rms; i++) {
    const struct stats_bench_metrics *m = &rep->rms[i].m;
    stats_csv_put(&b, rep->rms[i].rm);
    buf_printf(&b, ",%zu,", m->problems);
    double v[] = {m->k, m->accuracy, m->accuracy_lo, m->accuracy_hi,
                  m->accuracy_ties, m->accuracy_random, m->mrr, m->mrr_lo,
                  m->mrr_hi, m->mrr_random};
    for(size_t j = 0; j < sizeof v / sizeof *v; j++) {
      num_put(&b, v[j]);
      buf_putc(&b, ',');
    }
    buf_printf(&b, "%zu,", m->missing);
    num_put(&b, m->baseline_accuracy);
    buf_putc(&b, ',');
    num_put(&b, m->baseline_mrr);
    buf_putc(&b, ',');
    num_put(&b, m->tie_rate);
    buf_printf(&b, ",%zu,%s\n", m->dropped, rep->rms[i].kind);
  }
  int rc = stats_write_buf(dir, "benchmark.csv", &b, err);
  buf_free(&b);
  return rc;
}

static void json_options(const struct stats_bench_report *rep, cJSON *root)
{
  const struct stats_bench_opts *o = &rep->opts;
  cJSON *op = cJSON_AddObjectToObject(root, "options");
  cJSON_AddNumberToObject(op, "bootstrap", (double)o->bootstrap);
  cJSON_AddNumberToObject(op, "seed", (double)o->seed);
  cJSON_AddNumberToObject(op, "level", o->level);
  cJSON_AddStringToObject(op, "steps", o->steps ? o->steps : "");
  cJSON_AddItemToObject(op, "ensembles",
                        stats_json_strs(o->ensembles, o->n_ensembles));
  cJSON_AddItemToObject(op, "pairwise",
                        stats_json_strs(o->pairwise, o->n_pairwise));
  cJSON_AddStringToObject(op, "missing", o->missing == STATS_MISSING_DROP
                                             ? "drop"
                                             : "worst");
  cJSON_AddBoolToObject(op, "skip_bad", o->skip_bad);
  if(o->table.n_rms)
    cJSON_AddItemToObject(op, "rms", stats_json_strs(o->table.rms,
                                                     (size_t)o->table.n_rms));
}

static void json_counts(const struct stats_bench_report *rep, cJSON *root)
{
  cJSON *cn = cJSON_AddObjectToObject(root, "counts");
  cJSON_AddNumberToObject(cn, "rows", (double)rep->rows_read);
  cJSON_AddNumberToObject(cn, "problems", (double)rep->problems_total);
  cJSON_AddNumberToObject(cn, "problems_used", (double)rep->problems_used);
  cJSON_AddNumberToObject(cn, "problems_skipped",
                          (double)rep->problems_skipped);
  cJSON_AddNumberToObject(cn, "k_min", (double)rep->k_min);
  cJSON_AddNumberToObject(cn, "k_max", (double)rep->k_max);
  cJSON_AddNumberToObject(cn, "rms", (double)rep->n_rms);
}

static cJSON *json_rm(const struct stats_bench_row *row)
{
  const struct stats_bench_metrics *m = &row->m;
  cJSON *x = cJSON_CreateObject();
  cJSON_AddStringToObject(x, "rm", row->rm);
  cJSON_AddStringToObject(x, "kind", row->kind);
  cJSON_AddNumberToObject(x, "problems", (double)m->problems);
  const char *const names[] = {"k", "accuracy", "accuracy_lo",
                               "accuracy_hi", "accuracy_ties",
                               "accuracy_random", "mrr", "mrr_lo", "mrr_hi",
                               "mrr_random", "baseline_accuracy",
                               "baseline_mrr", "tie_rate"};
  double v[] = {m->k, m->accuracy, m->accuracy_lo, m->accuracy_hi,
                m->accuracy_ties, m->accuracy_random, m->mrr, m->mrr_lo,
                m->mrr_hi, m->mrr_random, m->baseline_accuracy,
                m->baseline_mrr, m->tie_rate};
  for(size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
    stats_json_num(x, names[i], v[i]);
  cJSON_AddNumberToObject(x, "missing", (double)m->missing);
  cJSON_AddNumberToObject(x, "dropped", (double)m->dropped);
  return x;
}

int stats_bench_write(const struct stats_bench_report *rep, const char *dir,
                      struct bon_err *err)
{
  if(fs_mkdirs(dir, err) < 0 || write_csv(rep, dir, err) < 0)
    return -1;
  cJSON *root = cJSON_CreateObject();
  cJSON *in = cJSON_AddObjectToObject(root, "inputs");
  cJSON_AddStringToObject(in, "scores", rep->source);
  json_options(rep, root);
  json_counts(rep, root);
  cJSON_AddItemToObject(root, "warnings",
                        stats_json_strs((const char *const *)rep->warnings,
                                         rep->n_warnings));
  cJSON_AddStringToObject(
      root, "conventions",
      "accuracy: correct strictly above every incorrect (a tie fails); "
      "accuracy_ties: ties win; *_random: ties broken uniformly at random; "
      "mrr: ties ranked pessimistically; intervals: bootstrap percentile "
      "over problems, the same resampled problems for every RM; ensembles "
      "combine scores standardised per RM over the pool");
  cJSON *arr = cJSON_AddArrayToObject(root, "rms");
  for(size_t i = 0; i < rep->n_rms; i++)
    cJSON_AddItemToArray(arr, json_rm(&rep->rms[i]));
  int rc = stats_write_json(dir, "summary.json", root, err);
  cJSON_Delete(root);
  return rc;
}

void stats_bench_format(const struct stats_bench_report *rep,
                        struct buf *out)
{
  size_t w = 4;
  for(size_t i = 0; i < rep->n_rms; i++)
    if(strlen(rep->rms[i].rm) > w)
      w = strlen(rep->rms[i].rm);
  if(w > 40)
    w = 40;
  buf_printf(out, "%zu problems (%zu skipped), k = %zu..%zu, %zu RMs\n",
             rep->problems_used, rep->problems_skipped, rep->k_min,
             rep->k_max, rep->n_rms);
  char ha[32], hm[32];
  int lv = (int)lround(rep->opts.level * 100);
  snprintf(ha, sizeof ha, "accuracy [%d%% CI]", lv);
  snprintf(hm, sizeof hm, "mrr [%d%% CI]", lv);
  buf_printf(out, "%-*s  %-23s %6s %6s  %-23s %6s %7s\n", (int)w, "rm", ha,
             "ties", "random", hm, "random", "missing");
  for(size_t i = 0; i < rep->n_rms; i++) {
    const struct stats_bench_metrics *m = &rep->rms[i].m;
    char a[40], r[40];
    snprintf(a, sizeof a, "%.3f [%.3f, %.3f]", m->accuracy, m->accuracy_lo,
             m->accuracy_hi);
    snprintf(r, sizeof r, "%.3f [%.3f, %.3f]", m->mrr, m->mrr_lo, m->mrr_hi);
    buf_printf(out, "%-*.*s  %-23s %6.3f %6.3f  %-23s %6.3f %7zu\n", (int)w,
               (int)w, rep->rms[i].rm, a, m->accuracy_ties,
               m->accuracy_random, r, m->mrr_random, m->missing);
  }
  if(rep->n_rms)
    buf_printf(out, "random baseline: accuracy %.4f, mrr %.4f\n",
               rep->rms[0].m.baseline_accuracy, rep->rms[0].m.baseline_mrr);
}


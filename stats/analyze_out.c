/* analyze_out.c - the files of `bonrun analyze` (stats/formats.md):
 * curves.csv, fits.csv, gains.csv and summary.json, from a computed
 * analysis (see analyze.h). */
#include "stats/analyze.h"

#include <stdlib.h>

#include "stats/csv.h"
#include "stats/out.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/num.h"

/* ",v" with v as util/num.h's num_put_inf ("nan", infinities kept). */
static void col(struct buf *b, double v)
{
  buf_putc(b, ',');
  num_put_inf(b, v);
}

static void curves_csv(const struct stats_analysis *a, struct buf *b)
{
  buf_puts(b, "rm,n,kl,kl_plugin,d,gold,gold_lo,gold_hi,proxy,proxy_lo,"
           "proxy_hi,oracle,oracle_lo,oracle_hi,gold_pess,gold_opt,"
           "majority,weighted_vote,tie_rate\n");
  for(int r = 0; r < a->n_rms; r++)
    for(int g = 0; g < a->n_grid; g++) {
      const struct stats_curve_point *q = &a->rm[r].curve[g];
      double v[] = {q->kl, q->kl_plugin, q->d, q->gold, q->gold_lo,
                    q->gold_hi, q->proxy, q->proxy_lo, q->proxy_hi,
                    q->oracle, q->oracle_lo, q->oracle_hi, q->gold_pess,
                    q->gold_opt, q->majority, q->weighted_vote,
                    q->tie_rate};
      stats_csv_put(b, a->rm[r].rm);
      buf_printf(b, ",%d", q->n);
      for(size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        col(b, v[i]);
      buf_putc(b, '\n');
    }
}

static void fits_csv(const struct stats_analysis *a, struct buf *b)
{
  buf_puts(b, stats_fits_header);
  for(int r = 0; r < a->n_rms; r++) {
    const struct stats_rm_result *x = &a->rm[r];
    for(int cv = 0; cv < 2; cv++)
      for(int form = 0; form < 2; form++)
        stats_fit_csv_row(b, x->rm, cv ? "proxy" : "gold", form,
                          &x->fit[cv][form],
                          cv ? x->curve[0].proxy : x->curve[0].gold,
                          x->fit_ci[cv][form]);
  }
}

static void gains_csv(const struct stats_analysis *a, struct buf *b)
{
  buf_puts(b, "rm,problems,samples,gold1,goldN,delta,delta_lo,delta_hi,"
           "peak_gold,peak_n,auc,norm_gain,proxy_gap,tie_rate\n");
  for(int r = 0; r < a->n_rms; r++) {
    const struct stats_rm_result *x = &a->rm[r];
    double v[] = {x->gold1, x->goldN, x->delta, x->delta_lo, x->delta_hi,
                  x->peak_gold};
    stats_csv_put(b, x->rm);
    buf_printf(b, ",%d,%d", a->problems, a->pool);
    for(size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
      col(b, v[i]);
    buf_printf(b, ",%d", x->peak_n);
    col(b, x->auc);
    col(b, x->norm_gain);
    col(b, x->proxy_gap);
    col(b, x->tie_rate);
    buf_putc(b, '\n');
  }
}

static void summary_counts(const struct stats_analysis *a, struct buf *b)
{
  const struct stats_analysis_inputs *in = &a->in;
  const struct stats_table_counts *n = &in->counts;
  buf_printf(b, "\"rows\": %zu, \"rows_filtered\": %zu, "
             "\"missing_scores\": %zu, \"problems\": %d, "
             "\"problems_used\": %d, \"problems_dropped\": %d, "
             "\"candidates\": %zu, \"rms\": %d, \"pool_min\": %zu, "
             "\"pool_max\": %zu, \"pool_n\": %d, \"gold_binary\": %s, "
             "\"problems_no_correct\": %zu, \"problems_all_correct\": %zu, "
             "\"has_answer\": %s}",
             n->rows, n->rows_filtered, n->missing_scores, in->n_problems,
             a->problems, a->problems_dropped, in->n_cands, a->n_rms,
             n->min_pool, n->max_pool, a->pool,
             in->gold_binary ? "true" : "false", n->problems_no_correct,
             n->problems_all_correct, in->has_answer ? "true" : "false");
}

/* RM rm of the analysis ctx, as a summary object */
static void summary_rm(struct buf *b, const void *ctx, size_t rm)
{
  const struct stats_analysis *a = ctx;
  const struct stats_rm_result *x = &a->rm[rm];
  static const char *const names[] = {"gold1", "goldN", "goldN_lo",
                                      "goldN_hi", "delta", "delta_lo",
                                      "delta_hi", "peak_gold", "d_star",
                                      "kl_star", "n_star", "r2"};
  double vals[] = {x->gold1, x->goldN, x->goldN_lo, x->goldN_hi,
                   x->delta, x->delta_lo, x->delta_hi, x->peak_gold,
                   x->d_star, x->kl_star, x->n_star, x->r2};
  buf_puts(b, "{\"rm\": ");
  buf_json_str(b, x->rm);
  for(size_t k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
    buf_printf(b, ", \"%s\": ", names[k]);
    num_put_json(b, vals[k]);
  }
  buf_printf(b, ", \"peak_n\": %d}", x->peak_n);
}

static void summary_json(const struct stats_analysis *a, struct buf *b)
{
  buf_puts(b, "{\n  \"inputs\": {\"scores\": ");
  buf_json_str(b, a->in.name);
  buf_puts(b, "},\n  \"options\": {");
  buf_printf(b, "\"bootstrap\": %zu, \"seed\": %llu, \"threads\": %d, "
             "\"level\": %.10g, \"extrap_kl\": ", a->in.bootstrap,
             (unsigned long long)a->in.seed, a->in.threads, a->in.level);
  num_put_json(b, a->in.extrap_kl);
  buf_puts(b, ", \"n_grid\": [");
  for(int g = 0; g < a->n_grid; g++)
    buf_printf(b, "%s%d", g ? ", " : "", a->grid[g]);
  buf_puts(b, "]},\n  \"counts\": {");
  summary_counts(a, b);
  buf_puts(b, ",\n  \"warnings\": ");
  stats_json_list(b, a->warnings, a->n_warnings);
  buf_puts(b, ",\n  \"rms\": ");
  stats_json_rows(b, (size_t)a->n_rms, summary_rm, a);
  buf_puts(b, "\n}\n");
}

int stats_analyze_write(const struct stats_analysis *a, const char *dir,
                        struct bon_err *err)
{
  static const struct {
    const char *name;
    void (*fill)(const struct stats_analysis *a, struct buf *b);
  } files[] = {{"curves.csv", curves_csv}, {"fits.csv", fits_csv},
               {"gains.csv", gains_csv}, {"summary.json", summary_json}};
  if(fs_mkdirs(dir, err) < 0)
    return -1;
  struct buf b = BUF_INIT;
  int rc = 0;
  for(size_t i = 0; i < sizeof(files) / sizeof(files[0]) && !rc; i++) {
    buf_reset(&b);
    files[i].fill(a, &b);
    rc = stats_write_buf(dir, files[i].name, &b, err);
  }
  buf_free(&b);
  return rc;
}

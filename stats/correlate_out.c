/* correlate_out.c - the files and the stdout text of `bonrun correlate`
 * (stats/formats.md): correlation.json and correlations.csv (see
 * correlate.h). */
#include "stats/correlate.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdarg.h>

#include "stats/csv.h"
#include "stats/out.h"
#include "util/fsutil.h"
#include "util/num.h"


static cJSON *stat_obj(const char *vname, double v, double p,
                       const char *pname, double lo, double hi)
{
  cJSON *o = cJSON_CreateObject();
  stats_json_num(o, vname, v);
  stats_json_num(o, pname, p);
  stats_json_num(o, "lo", lo);
  stats_json_num(o, "hi", hi);
  return o;
}

/* The bootstrap and permutation facts of a pair. */
static void json_resampling(const struct stats_corr_report *rep,
                            const struct stats_corr *c, cJSON *o)
{
  cJSON *bs = cJSON_AddObjectToObject(o, "bootstrap");
  cJSON_AddNumberToObject(bs, "replicates", (double)rep->opts.bootstrap);
  stats_json_num(bs, "level", rep->opts.level);
  stats_json_num(bs, "pearson_lo", c->pearson.boot_lo);
  stats_json_num(bs, "pearson_hi", c->pearson.boot_hi);
  stats_json_num(bs, "spearman_lo", c->spearman.boot_lo);
  stats_json_num(bs, "spearman_hi", c->spearman.boot_hi);
  stats_json_num(bs, "kendall_lo", c->kendall.boot_lo);
  stats_json_num(bs, "kendall_hi", c->kendall.boot_hi);
  cJSON_AddNumberToObject(bs, "valid_pearson",
                          (double)c->pearson.boot_valid);
  cJSON *pm = cJSON_AddObjectToObject(o, "permutation");
  cJSON_AddBoolToObject(pm, "exact", c->perm_exact);
  cJSON_AddNumberToObject(pm, "orders", (double)c->perm_count);
}

/* One pair of correlation.json. */
static cJSON *json_pair(const struct stats_corr_report *rep,
                        const struct stats_corr_pair *p)
{
  const struct stats_corr *c = &p->c;
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "x", p->x);
  cJSON_AddStringToObject(o, "y", p->y);
  cJSON_AddItemToObject(o, "rms",
                        stats_json_strs((const char *const *)p->rms, p->n));
  cJSON_AddNumberToObject(o, "n", (double)p->n);
  cJSON_AddItemToObject(o, "pearson",
                        stat_obj("r", c->pearson.value, c->pearson_p, "p",
                                 c->fisher_lo, c->fisher_hi));
  stats_json_num(o, "r2", c->r2);
  cJSON_AddItemToObject(o, "spearman",
                        stat_obj("rho", c->spearman.value,
                                 c->spearman.p_perm, "p_perm",
                                 c->spearman.boot_lo, c->spearman.boot_hi));
  cJSON_AddItemToObject(o, "kendall",
                        stat_obj("tau_b", c->kendall.value,
                                 c->kendall.p_perm, "p_perm",
                                 c->kendall.boot_lo, c->kendall.boot_hi));
  stats_json_num(o, "pearson_p_perm", c->pearson.p_perm);
  json_resampling(rep, c, o);
  cJSON *loo = cJSON_AddArrayToObject(o, "loo");
  for(size_t k = 0; k < p->n && c->loo_r; k++) {
    cJSON *l = cJSON_CreateObject();
    cJSON_AddStringToObject(l, "rm", p->rms[k]);
    stats_json_num(l, "r", c->loo_r[k]);
    stats_json_num(l, "rho", c->loo_rho[k]);
    stats_json_num(l, "tau", c->loo_tau[k]);
    cJSON_AddItemToArray(loo, l);
  }
  stats_json_num(o, "interval_width", c->interval_width);
  cJSON *v = cJSON_AddObjectToObject(o, "verdict");
  cJSON_AddStringToObject(v, "verdict", stats_verdict_word(p->verdict));
  if(p->why != STATS_WHY_NONE)
    cJSON_AddStringToObject(v, "reason", stats_verdict_reason(p->why));
  else
    cJSON_AddNullToObject(v, "reason");
  cJSON_AddBoolToObject(v, "y_intervals", p->ev.gains_ci);
  struct buf b = BUF_INIT;
  stats_verdict_sentence(&b, &p->ev, p->x, 0, p->y, NULL);
  cJSON_AddStringToObject(v, "text", buf_str(&b));
  buf_free(&b);
  if(c->warning[0])
    cJSON_AddStringToObject(o, "warning", c->warning);
  else
    cJSON_AddNullToObject(o, "warning");
  return o;
}

/* One row of correlations.csv. */
static void csv_pair(const struct stats_corr_pair *p, struct buf *b)
{
  const struct stats_corr *c = &p->c;
  stats_csv_put(b, p->x);
  buf_putc(b, ',');
  stats_csv_put(b, p->y);
  buf_printf(b, ",%zu", p->n);
  double v[] = {c->pearson.value, c->fisher_lo, c->fisher_hi,
                c->pearson_p, c->r2, c->spearman.value,
                c->spearman.boot_lo, c->spearman.boot_hi,
                c->spearman.p_perm, c->kendall.value, c->kendall.boot_lo,
                c->kendall.boot_hi, c->kendall.p_perm, c->pearson.boot_lo,
                c->pearson.boot_hi, c->pearson.p_perm, c->interval_width};
  for(size_t k = 0; k < sizeof v / sizeof *v; k++) {
    buf_putc(b, ',');
    num_put(b, v[k]);
  }
  buf_putc(b, '\n');
}

int stats_corr_write(const struct stats_corr_report *rep, const char *dir,
                     struct bon_err *err)
{
  if(fs_mkdirs(dir, err) < 0)
    return -1;
  cJSON *root = cJSON_CreateArray();
  struct buf b = BUF_INIT;
  buf_puts(&b, "x,y,n,pearson,pearson_lo,pearson_hi,pearson_p,r2,spearman,"
               "spearman_lo,spearman_hi,spearman_p,kendall,kendall_lo,"
               "kendall_hi,kendall_p,pearson_boot_lo,pearson_boot_hi,"
               "pearson_p_perm,interval_width\n");
  for(size_t i = 0; i < rep->n_pairs; i++) {
    cJSON_AddItemToArray(root, json_pair(rep, rep->pairs + i));
    csv_pair(rep->pairs + i, &b);
  }
  int rc = stats_write_json(dir, "correlation.json", root, err);
  cJSON_Delete(root);
  if(!rc)
    rc = stats_write_buf(dir, "correlations.csv", &b, err);
  buf_free(&b);
  return rc;
}

/* a figure of the stdout table, one double formatted by fmt: "n/a" for
 * NaN (the files keep "nan") */
static void put_fig(struct buf *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void put_fig(struct buf *out, const char *fmt, ...)
{
  va_list ap, cp;
  va_start(ap, fmt);
  va_copy(cp, ap);
  if(isnan(va_arg(cp, double)))
    buf_puts(out, "n/a");
  else
    buf_vprintf(out, fmt, ap);
  va_end(cp);
  va_end(ap);
}

/* " = V  [LO, HI] " with figures as put_fig */
static void put_interval(struct buf *out, double v, double lo, double hi)
{
  buf_puts(out, " = ");
  put_fig(out, "%+.3f", v);
  buf_puts(out, "  [");
  put_fig(out, "%+.3f", lo);
  buf_puts(out, ", ");
  put_fig(out, "%+.3f", hi);
  buf_puts(out, "] ");
}

void stats_corr_format(const struct stats_corr_report *rep,
                       struct buf *out)
{
  for(size_t i = 0; i < rep->n_pairs; i++) {
    const struct stats_corr_pair *p = rep->pairs + i;
    const struct stats_corr *c = &p->c;
    int lv = (int)lround(rep->opts.level * 100);
    buf_printf(out, "%s vs %s (n = %zu RMs)\n", p->x, p->y, p->n);
    buf_puts(out, "  pearson  r  ");
    put_interval(out, c->pearson.value, c->fisher_lo, c->fisher_hi);
    buf_printf(out, "Fisher %d%%, p = ", lv);
    put_fig(out, "%.3g", c->pearson_p);
    buf_puts(out, " (t), ");
    put_fig(out, "%.3g", c->pearson.p_perm);
    buf_puts(out, " (perm), r2 = ");
    put_fig(out, "%.3f", c->r2);
    buf_puts(out, "\n  spearman rho");
    put_interval(out, c->spearman.value, c->spearman.boot_lo,
                 c->spearman.boot_hi);
    buf_puts(out, "bootstrap, p = ");
    put_fig(out, "%.3g", c->spearman.p_perm);
    buf_puts(out, " (perm)\n  kendall  tau");
    put_interval(out, c->kendall.value, c->kendall.boot_lo,
                 c->kendall.boot_hi);
    buf_puts(out, "bootstrap, p = ");
    put_fig(out, "%.3g", c->kendall.p_perm);
    buf_puts(out, " (perm)\n");
    double lo = INFINITY, hi = -INFINITY;
    size_t ilo = 0, ihi = 0;
    for(size_t k = 0; k < p->n && c->loo_r; k++) {
      if(c->loo_r[k] < lo) {
        lo = c->loo_r[k];
        ilo = k;
      }
      if(c->loo_r[k] > hi) {
        hi = c->loo_r[k];
        ihi = k;
      }
    }
    if(p->n && isfinite(lo))
      buf_printf(out, "  leave-one-out r: %+.3f (without %s) .. %+.3f "
                 "(without %s)\n", lo, p->rms[ilo], hi, p->rms[ihi]);
    if(c->warning[0])
      buf_printf(out, "  note: %s\n", c->warning);
    buf_puts(out, "  verdict: ");
    stats_verdict_sentence(out, &p->ev, p->x, 0, p->y, NULL);
    buf_putc(out, '\n');
  }
}

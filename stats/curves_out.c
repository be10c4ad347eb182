/* curves_out.c - the files of `bonrun analyze --curves` (stats/formats.md):
 * fits.csv and summary.json (see curves.h). */
#include "stats/curves.h"

#include <stdlib.h>

#include "stats/out.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/num.h"

static void fits_csv(const struct stats_curves_result *res, struct buf *b)
{
  buf_puts(b, stats_fits_header);
  for(int r = 0; r < res->n_rms; r++) {
    const struct stats_curves_rm *m = &res->rm[r];
    for(int cv = 0; cv < 1 + res->has_proxy; cv++)
      for(int form = 0; form < 2; form++)
        stats_fit_csv_row(b, m->rm, cv ? "proxy" : "gold", form,
                          &m->fit[cv][form], cv ? m->proxy0 : m->gold0,
                          NULL);
  }
}

/* RM rm of the result ctx, as a summary object */
static void summary_rm(struct buf *b, const void *ctx, size_t rm)
{
  const struct stats_curves_rm *m =
    &((const struct stats_curves_result *)ctx)->rm[rm];
  static const char *const fname[2] = {"bon", "rl"};
  static const char *const names[] = {"alpha", "beta", "r2", "d_star",
                                      "kl_star", "n_star", "r_star"};
  buf_puts(b, "{\"rm\": ");
  buf_json_str(b, m->rm);
  buf_printf(b, ", \"points\": %d, \"kl_ref\": ", m->points);
  num_put_json(b, m->kl_ref);
  buf_puts(b, ", \"kl_max\": ");
  num_put_json(b, m->kl_max);
  buf_puts(b, ", \"gold0\": ");
  num_put_json(b, m->gold0);
  for(int form = 0; form < 2; form++) {
    const struct stats_fit *f = &m->fit[0][form];
    double vals[] = {f->alpha, f->beta, f->r2, f->d_star, f->kl_star,
                     f->n_star, f->r_star};
    buf_printf(b, ", \"%s\": {", fname[form]);
    for(size_t k = 0; k < sizeof(vals) / sizeof(vals[0]); k++) {
      buf_printf(b, "%s\"%s\": ", k ? ", " : "", names[k]);
      num_put_json(b, vals[k]);
    }
    buf_putc(b, '}');
  }
  buf_putc(b, '}');
}

static void summary_json(const struct stats_curves_result *res,
                         struct buf *b)
{
  buf_puts(b, "{\n  \"inputs\": {\"curves\": ");
  buf_json_str(b, res->input_name ? res->input_name : res->source);
  buf_puts(b, "},\n  \"options\": {\"extrap_kl\": ");
  num_put_json(b, res->extrap_kl);
  buf_printf(b, "},\n  \"counts\": {\"rows\": %zu, \"rms\": %d, "
             "\"has_proxy\": %s},\n  \"warnings\": ", res->rows,
             res->n_rms, res->has_proxy ? "true" : "false");
  stats_json_list(b, res->warnings, res->n_warnings);
  buf_puts(b, ",\n  \"rms\": ");
  stats_json_rows(b, (size_t)res->n_rms, summary_rm, res);
  buf_puts(b, "\n}\n");
}

int stats_curves_write(const struct stats_curves_result *res,
                       const char *dir, struct bon_err *err)
{
  if(fs_mkdirs(dir, err) < 0)
    return -1;
  struct buf b = BUF_INIT;
  fits_csv(res, &b);
  int rc = stats_write_buf(dir, "fits.csv", &b, err);
  buf_reset(&b);
  if(!rc) {
    summary_json(res, &b);
    rc = stats_write_buf(dir, "summary.json", &b, err);
  }
  buf_free(&b);
  return rc;
}

int stats_curves_file(const char *path, const struct stats_curves_opts *o,
                      const char *dir, struct stats_curves_result *res,
                      struct bon_err *err)
{
  size_t len;
  char *data = fs_read_file(path, &len, err);
  if(!data)
    return -1;
  struct stats_curves_result r;
  int rc = stats_curves_fit(data, len, path, o, &r, err);
  free(data);
  if(rc < 0)
    return -1;
  rc = stats_curves_write(&r, dir, err);
  if(rc == 0 && res)
    *res = r;
  else
    stats_curves_free(&r);
  return rc;
}

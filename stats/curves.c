/* curves.c - fits of curves supplied with their own KL (see curves.h). */
#include "stats/curves.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stats/csv.h"
#include "util/buf.h"
#include "util/fsutil.h"

struct pt {
  double kl, gold, proxy;
  size_t row; /* input order, for stable sorting */
};

static int pt_cmp(const void *a, const void *b)
{
  const struct pt *x = a, *y = b;
  if(x->kl != y->kl)
    return x->kl < y->kl ? -1 : 1;
  return (x->row > y->row) - (x->row < y->row);
}

/* A real, or (when missing_ok) empty / nan / NaN -> NaN.  0 or -1. */
static int num_field(const char *s, int missing_ok, double *out)
{
  while(*s == ' ')
    s++;
  if(!*s || !strcasecmp(s, "nan")) {
    *out = NAN;
    return missing_ok ? 0 : -1;
  }
  char *end;
  *out = strtod(s, &end);
  while(*end == ' ')
    end++;
  return end == s || *end ? -1 : 0;
}

static void warn(struct stats_curves_result *r, const char *msg)
{
  r->warnings = xrealloc(r->warnings,
                         (size_t)(r->n_warnings + 1) * sizeof(char *));
  r->warnings[r->n_warnings++] = xstrdup(msg);
}

void stats_curves_free(struct stats_curves_result *r)
{
  if(!r)
    return;
  for(int i = 0; i < r->n_rms; i++)
    free(r->rm[i].rm);
  free(r->rm);
  for(int i = 0; i < r->n_warnings; i++)
    free(r->warnings[i]);
  free(r->warnings);
  free(r->source);
  memset(r, 0, sizeof(*r));
}

static int kept(const struct stats_curves_opts *o, const char *rm)
{
  if(!o || !o->rms || o->n_rms <= 0)
    return 1;
  for(int i = 0; i < o->n_rms; i++)
    if(!strcmp(o->rms[i], rm))
      return 1;
  return 0;
}

/* Fit one RM's points (sorted by kl; pts[0] is the reference). */
static void fit_rm(struct stats_curves_rm *m, struct pt *pts, int n,
                   int has_proxy, double extrap_kl)
{
  double *d = xmalloc((size_t)n * sizeof(double));
  double *y = xmalloc((size_t)n * sizeof(double));
  m->kl_ref = pts[0].kl;
  m->kl_max = pts[n - 1].kl;
  m->gold0 = pts[0].gold;
  m->proxy0 = has_proxy ? pts[0].proxy : NAN;
  double kx = extrap_kl > 0 ? extrap_kl : pts[(n - 1) / 2].kl;
  for(int cv = 0; cv < 2; cv++) {
    double f0 = cv ? m->proxy0 : m->gold0;
    for(int i = 1; i < n; i++) {
      d[i - 1] = sqrt(pts[i].kl);
      y[i - 1] = (cv ? pts[i].proxy : pts[i].gold) - f0;
    }
    for(int form = 0; form < 2; form++) {
      struct stats_fit *f = &m->fit[cv][form];
      if(cv && !has_proxy) {
        stats_fit_curve(form, 0, d, y, NULL, f);
        continue;
      }
      stats_fit_curve(form, n - 1, d, y, NULL, f);
      f->extrap_kl = kx;
      f->extrap_rmse = stats_fit_extrap(form, n - 1, d, y, NULL, kx);
    }
  }
  free(d);
  free(y);
}

int stats_curves_fit(const char *data, size_t len, const char *name,
                     const struct stats_curves_opts *o,
                     struct stats_curves_result *res, struct bon_err *err)
{
  memset(res, 0, sizeof(*res));
  struct stats_csv *c = stats_csv_parse(data, len, name, err);
  if(!c)
    return -1;
  int rc = -1;
  struct pt *pts = NULL;
  int *grp = NULL, *cnt = NULL, *start = NULL;
  char **names = NULL;
  int ng = 0;
  int crm = stats_csv_col(c, "rm"), ckl = stats_csv_col(c, "kl");
  int cg = stats_csv_col(c, "gold"), cp = stats_csv_col(c, "proxy");
  if(crm < 0 || ckl < 0 || cg < 0) {
    struct buf b = BUF_INIT;
    for(size_t i = 0; i < c->ncols; i++)
      buf_printf(&b, "%s%s", i ? ", " : "", c->header[i]);
    bon_errf(err, "%s:1: no column '%s' (a curves file needs rm, kl, gold "
             "and optionally proxy; the header has: %s)", name,
             crm < 0 ? "rm" : ckl < 0 ? "kl" : "gold", buf_str(&b));
    buf_free(&b);
    goto out;
  }
  res->source = xstrdup(name);
  res->has_proxy = cp >= 0;
  size_t nr = c->nrows;
  pts = xmalloc((nr ? nr : 1) * sizeof(*pts));
  grp = xmalloc((nr ? nr : 1) * sizeof(int));
  names = xmalloc((nr ? nr : 1) * sizeof(char *));
  size_t *first = xmalloc((nr ? nr : 1) * sizeof(size_t));
  size_t np = 0;
  for(size_t i = 0; i < nr; i++) {
    const char *rm = stats_csv_get(c, i, (size_t)crm);
    size_t line = c->line[i];
    if(!*rm) {
      bon_errf(err, "%s:%zu: empty rm", name, line);
      free(first);
      goto out;
    }
    if(!kept(o, rm))
      continue;
    struct pt p = {0, 0, NAN, np};
    const char *kl = stats_csv_get(c, i, (size_t)ckl);
    const char *g = stats_csv_get(c, i, (size_t)cg);
    if(num_field(kl, 0, &p.kl) < 0 || !isfinite(p.kl)) {
      bon_errf(err, "%s:%zu: kl '%s' is not a finite number (KL in nats, "
               ">= 0)", name, line, kl);
      free(first);
      goto out;
    }
    if(p.kl < 0) {
      bon_errf(err, "%s:%zu: kl %s is negative (KL in nats, >= 0)", name,
               line, kl);
      free(first);
      goto out;
    }
    if(num_field(g, 0, &p.gold) < 0 || !isfinite(p.gold)) {
      bon_errf(err, "%s:%zu: gold '%s' is not a finite number", name, line,
               g);
      free(first);
      goto out;
    }
    if(cp >= 0) {
      const char *pv = stats_csv_get(c, i, (size_t)cp);
      if(num_field(pv, 1, &p.proxy) < 0) {
        bon_errf(err, "%s:%zu: proxy '%s' is not a number (leave it empty "
                 "or nan when unknown)", name, line, pv);
        free(first);
        goto out;
      }
    }
    int gi = 0;
    while(gi < ng && strcmp(names[gi], rm))
      gi++;
    if(gi == ng) {
      names[ng] = (char *)rm;
      first[ng] = line;
      ng++;
    }
    grp[np] = gi;
    pts[np++] = p;
  }
  res->rows = np;
  if(!np) {
    bon_errf(err, "%s: no data rows%s", name,
             nr ? " left after the RM filter" : "");
    free(first);
    goto out;
  }
  /* group the points by RM, keeping file order (counting sort) */
  cnt = xcalloc((size_t)ng, sizeof(int));
  start = xcalloc((size_t)ng + 1, sizeof(int));
  for(size_t i = 0; i < np; i++)
    cnt[grp[i]]++;
  for(int g = 0; g < ng; g++) {
    if(cnt[g] < 3) {
      bon_errf(err, "%s:%zu: rm '%s' has %d point%s; a fit needs at least "
               "3 (the reference at the smallest kl and 2 more)", name,
               first[g], names[g], cnt[g], cnt[g] == 1 ? "" : "s");
      free(first);
      goto out;
    }
    start[g + 1] = start[g] + cnt[g];
    /* two parameters need points at two kl values beyond the reference */
    double k0 = INFINITY, k1 = INFINITY;
    int beyond = 0;
    for(size_t i = 0; i < np; i++)
      if(grp[i] == g && pts[i].kl < k0)
        k0 = pts[i].kl;
    for(size_t i = 0; i < np; i++)
      if(grp[i] == g && pts[i].kl > k0 && pts[i].kl < k1)
        k1 = pts[i].kl;
    for(size_t i = 0; i < np; i++)
      beyond |= grp[i] == g && pts[i].kl > k1;
    if(!beyond) {
      bon_errf(err, "%s:%zu: rm '%s' has points at %s kl value%s; a fit "
               "needs at least 3 distinct kl values (the reference at the "
               "smallest and 2 more)", name, first[g], names[g],
               isinf(k1) ? "one" : "only two", isinf(k1) ? "" : "s");
      free(first);
      goto out;
    }
  }
  struct pt *sorted = xmalloc(np * sizeof(*sorted));
  memset(cnt, 0, (size_t)ng * sizeof(int));
  for(size_t i = 0; i < np; i++)
    sorted[start[grp[i]] + cnt[grp[i]]++] = pts[i];
  res->rm = xcalloc((size_t)ng, sizeof(*res->rm));
  res->n_rms = ng;
  char msg[512];
  for(int g = 0; g < ng; g++) {
    struct stats_curves_rm *m = &res->rm[g];
    struct pt *q = sorted + start[g];
    int n = cnt[g];
    qsort(q, (size_t)n, sizeof(*q), pt_cmp);
    m->rm = xstrdup(names[g]);
    m->points = n;
    m->line = first[g];
    fit_rm(m, q, n, res->has_proxy, o ? o->extrap_kl : 0);
    if(q[0].kl > 0) {
      snprintf(msg, sizeof(msg), "rm '%s': no point at kl = 0; the point "
               "at the smallest kl (%.6g) is taken as the reference",
               m->rm, q[0].kl);
      warn(res, msg);
    }
    if(res->has_proxy && isnan(m->proxy0)) {
      snprintf(msg, sizeof(msg), "rm '%s': no proxy value at the "
               "reference point; no proxy fit", m->rm);
      warn(res, msg);
    }
  }
  free(sorted);
  free(first);
  rc = 0;
out:
  free(pts);
  free(grp);
  free(cnt);
  free(start);
  free(names);
  stats_csv_free(c);
  if(rc)
    stats_curves_free(res);
  return rc;
}

static void json_num(struct buf *b, double x)
{
  if(isfinite(x))
    buf_printf(b, "%.10g", x);
  else
    buf_puts(b, "null");
}

static int write_out(const char *dir, const char *name, struct buf *b,
                     struct bon_err *err)
{
  char *path = fs_join(dir, name);
  int rc = fs_write_atomic(path, buf_str(b), b->len, err);
  free(path);
  return rc;
}

int stats_curves_write(const struct stats_curves_result *res,
                       const struct stats_curves_opts *o,
                       struct bon_err *err)
{
  if(!o || !o->out_dir)
    return bon_errf(err, "analyze --curves: no output folder given");
  if(fs_mkdirs(o->out_dir, err) < 0)
    return -1;
  struct buf b = BUF_INIT;
  buf_puts(&b, stats_fits_header);
  for(int r = 0; r < res->n_rms; r++) {
    const struct stats_curves_rm *m = &res->rm[r];
    for(int cv = 0; cv < 1 + res->has_proxy; cv++)
      for(int form = 0; form < 2; form++)
        stats_fit_csv_row(&b, m->rm, cv ? "proxy" : "gold", form,
                          &m->fit[cv][form], cv ? m->proxy0 : m->gold0,
                          NULL);
  }
  int rc = write_out(o->out_dir, "fits.csv", &b, err);
  buf_reset(&b);
  if(rc < 0)
    goto out;
  buf_puts(&b, "{\n  \"inputs\": {\"curves\": ");
  buf_json_str(&b, o->input_name ? o->input_name : res->source);
  buf_puts(&b, "},\n  \"options\": {\"extrap_kl\": ");
  json_num(&b, o->extrap_kl > 0 ? o->extrap_kl : NAN);
  buf_printf(&b, "},\n  \"counts\": {\"rows\": %zu, \"rms\": %d, "
             "\"has_proxy\": %s},\n  \"warnings\": [", res->rows,
             res->n_rms, res->has_proxy ? "true" : "false");
  for(int i = 0; i < res->n_warnings; i++) {
    buf_puts(&b, i ? ", " : "");
    buf_json_str(&b, res->warnings[i]);
  }
  buf_puts(&b, "],\n  \"rms\": [");
  static const char *const fname[2] = {"bon", "rl"};
  for(int r = 0; r < res->n_rms; r++) {
    const struct stats_curves_rm *m = &res->rm[r];
    buf_puts(&b, r ? ",\n    {\"rm\": " : "\n    {\"rm\": ");
    buf_json_str(&b, m->rm);
    buf_printf(&b, ", \"points\": %d, \"kl_ref\": ", m->points);
    json_num(&b, m->kl_ref);
    buf_puts(&b, ", \"kl_max\": ");
    json_num(&b, m->kl_max);
    buf_puts(&b, ", \"gold0\": ");
    json_num(&b, m->gold0);
    for(int form = 0; form < 2; form++) {
      const struct stats_fit *f = &m->fit[0][form];
      buf_printf(&b, ", \"%s\": {", fname[form]);
      const char *names[] = {"alpha", "beta", "r2", "d_star", "kl_star",
                             "n_star", "r_star"};
      double vals[] = {f->alpha, f->beta, f->r2, f->d_star, f->kl_star,
                       f->n_star, f->r_star};
      for(size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        buf_printf(&b, "%s\"%s\": ", i ? ", " : "", names[i]);
        json_num(&b, vals[i]);
      }
      buf_putc(&b, '}');
    }
    buf_putc(&b, '}');
  }
  buf_puts(&b, "\n  ]\n}\n");
  rc = write_out(o->out_dir, "summary.json", &b, err);
out:
  buf_free(&b);
  return rc;
}

int stats_curves_file(const char *path, const struct stats_curves_opts *o,
                      struct stats_curves_result *res, struct bon_err *err)
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
  rc = stats_curves_write(&r, o, err);
  if(rc == 0 && res)
    *res = r;
  else
    stats_curves_free(&r);
  return rc;
}

/* curves.c - fits of curves supplied with their own KL (see curves.h):
 * read the points, check and group them by RM, fit.  The files are
 * curves_out.c's. */
#include "stats/curves.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stats/csv.h"
#include "stats/out.h"
#include "util/buf.h"

struct pt {
  double kl, gold, proxy;
  size_t row; /* input order, for stable sorting */
};

/* The points of the file, grouped: RM g's points are pts[start[g] ..
 * start[g + 1]) in file order. */
struct groups {
  struct pt *pts;   /* [np] in file order */
  int *grp;         /* [np] RM of each point */
  size_t np;
  char **names;     /* [ng] borrowed from the CSV */
  size_t *first;    /* [ng] first line of each RM */
  int ng;
  int *cnt, *start; /* [ng], [ng + 1] */
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

void stats_curves_opts_init(struct stats_curves_opts *o)
{
  memset(o, 0, sizeof(*o));
}

void stats_curves_free(struct stats_curves_result *r)
{
  if(!r)
    return;
  stats_strs_free(r->warnings, r->n_warnings);
  free(r->source);
  free(r->input_name);
  for(int i = 0; i < r->n_rms; i++)
    free(r->rm[i].rm);
  free(r->rm);
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

/* The columns rm, kl, gold (and proxy, -1 if absent): -1 with err naming
 * the first one missing and listing the header. */
static int find_columns(const struct stats_csv *c, const char *name,
                        int col[4], struct bon_err *err)
{
  static const char *const names[4] = {"rm", "kl", "gold", "proxy"};
  for(int i = 0; i < 4; i++)
    col[i] = stats_csv_col(c, names[i]);
  int miss = col[0] < 0 ? 0 : col[1] < 0 ? 1 : col[2] < 0 ? 2 : -1;
  if(miss < 0)
    return 0;
  struct buf b = BUF_INIT;
  for(size_t i = 0; i < c->ncols; i++)
    buf_printf(&b, "%s%s", i ? ", " : "", c->header[i]);
  bon_errf(err, "%s:1: no column '%s' (a curves file needs rm, kl, gold "
           "and optionally proxy; the header has: %s)", name, names[miss],
           buf_str(&b));
  buf_free(&b);
  return -1;
}

/* Row i's point into *p.  0, or -1 with err naming the line. */
static int read_point(const struct stats_csv *c, const char *name,
                      const int col[4], size_t i, struct pt *p,
                      struct bon_err *err)
{
  size_t line = c->line[i];
  const char *kl = stats_csv_get(c, i, (size_t)col[1]);
  const char *g = stats_csv_get(c, i, (size_t)col[2]);
  if(num_field(kl, 0, &p->kl) < 0 || !isfinite(p->kl))
    return bon_errf(err, "%s:%zu: kl '%s' is not a finite number (KL in "
                    "nats, >= 0)", name, line, kl);
  if(p->kl < 0)
    return bon_errf(err, "%s:%zu: kl %s is negative (KL in nats, >= 0)",
                    name, line, kl);
  if(num_field(g, 0, &p->gold) < 0 || !isfinite(p->gold))
    return bon_errf(err, "%s:%zu: gold '%s' is not a finite number", name,
                    line, g);
  if(col[3] < 0)
    return 0;
  const char *pv = stats_csv_get(c, i, (size_t)col[3]);
  if(num_field(pv, 1, &p->proxy) < 0)
    return bon_errf(err, "%s:%zu: proxy '%s' is not a number (leave it "
                    "empty or nan when unknown)", name, line, pv);
  return 0;
}

/* Every kept row's point, and its RM (numbered in order of first
 * appearance).  0 or -1 with err. */
static int read_points(const struct stats_csv *c, const char *name,
                       const int col[4], const struct stats_curves_opts *o,
                       struct groups *G, struct bon_err *err)
{
  size_t nr = c->nrows ? c->nrows : 1;
  G->pts = xmalloc(nr * sizeof(*G->pts));
  G->grp = xmalloc(nr * sizeof(int));
  G->names = xmalloc(nr * sizeof(char *));
  G->first = xmalloc(nr * sizeof(size_t));
  for(size_t i = 0; i < c->nrows; i++) {
    const char *rm = stats_csv_get(c, i, (size_t)col[0]);
    if(!*rm)
      return bon_errf(err, "%s:%zu: empty rm", name, c->line[i]);
    if(!kept(o, rm))
      continue;
    struct pt p = {0, 0, NAN, G->np};
    if(read_point(c, name, col, i, &p, err) < 0)
      return -1;
    int gi = 0;
    while(gi < G->ng && strcmp(G->names[gi], rm))
      gi++;
    if(gi == G->ng) {
      G->names[G->ng] = (char *)rm;
      G->first[G->ng++] = c->line[i];
    }
    G->grp[G->np] = gi;
    G->pts[G->np++] = p;
  }
  if(!G->np)
    return bon_errf(err, "%s: no data rows%s", name,
                    c->nrows ? " left after the RM filter" : "");
  return 0;
}

/* RM g must have 3 points at 3 distinct kl values (the reference and 2
 * more for the two parameters).  0 or -1 with err. */
static int check_group(const struct groups *G, int g, const char *name,
                       struct bon_err *err)
{
  int n = G->cnt[g];
  if(n < 3)
    return bon_errf(err, "%s:%zu: rm '%s' has %d point%s; a fit needs at "
                    "least 3 (the reference at the smallest kl and 2 more)",
                    name, G->first[g], G->names[g], n, n == 1 ? "" : "s");
  double k0 = INFINITY, k1 = INFINITY;
  int beyond = 0;
  for(size_t i = 0; i < G->np; i++)
    if(G->grp[i] == g && G->pts[i].kl < k0)
      k0 = G->pts[i].kl;
  for(size_t i = 0; i < G->np; i++)
    if(G->grp[i] == g && G->pts[i].kl > k0 && G->pts[i].kl < k1)
      k1 = G->pts[i].kl;
  for(size_t i = 0; i < G->np; i++)
    beyond |= G->grp[i] == g && G->pts[i].kl > k1;
  if(beyond)
    return 0;
  return bon_errf(err, "%s:%zu: rm '%s' has points at %s kl value%s; a fit "
                  "needs at least 3 distinct kl values (the reference at "
                  "the smallest and 2 more)", name, G->first[g],
                  G->names[g], isinf(k1) ? "one" : "only two",
                  isinf(k1) ? "" : "s");
}

/* Count the points of every RM and check them. */
static int count_groups(struct groups *G, const char *name,
                        struct bon_err *err)
{
  G->cnt = xcalloc((size_t)G->ng, sizeof(int));
  G->start = xcalloc((size_t)G->ng + 1, sizeof(int));
  for(size_t i = 0; i < G->np; i++)
    G->cnt[G->grp[i]]++;
  for(int g = 0; g < G->ng; g++) {
    if(check_group(G, g, name, err) < 0)
      return -1;
    G->start[g + 1] = G->start[g] + G->cnt[g];
  }
  return 0;
}

/* Group the points by RM (counting sort, file order kept), sort each RM's
 * by kl and fit. */
static void fit_groups(struct groups *G, const struct stats_curves_opts *o,
                       struct stats_curves_result *res)
{
  struct pt *sorted = xmalloc(G->np * sizeof(*sorted));
  memset(G->cnt, 0, (size_t)G->ng * sizeof(int));
  for(size_t i = 0; i < G->np; i++)
    sorted[G->start[G->grp[i]] + G->cnt[G->grp[i]]++] = G->pts[i];
  res->rm = xcalloc((size_t)G->ng, sizeof(*res->rm));
  res->n_rms = G->ng;
  for(int g = 0; g < G->ng; g++) {
    struct stats_curves_rm *m = &res->rm[g];
    struct pt *q = sorted + G->start[g];
    int n = G->cnt[g];
    qsort(q, (size_t)n, sizeof(*q), pt_cmp);
    m->rm = xstrdup(G->names[g]);
    m->points = n;
    m->line = G->first[g];
    fit_rm(m, q, n, res->has_proxy, o ? o->extrap_kl : 0);
    if(q[0].kl > 0)
      stats_warn(&res->warnings, &res->n_warnings, "rm '%s': no point at "
                 "kl = 0; the point at the smallest kl (%.6g) is taken as "
                 "the reference", m->rm, q[0].kl);
    if(res->has_proxy && isnan(m->proxy0))
      stats_warn(&res->warnings, &res->n_warnings, "rm '%s': no proxy value "
                 "at the reference point; no proxy fit", m->rm);
  }
  free(sorted);
}

int stats_curves_fit(const char *data, size_t len, const char *name,
                     const struct stats_curves_opts *o,
                     struct stats_curves_result *res, struct bon_err *err)
{
  memset(res, 0, sizeof(*res));
  struct stats_csv *c = stats_csv_parse(data, len, name, err);
  if(!c)
    return -1;
  struct groups G;
  memset(&G, 0, sizeof(G));
  int col[4], rc = -1;
  if(find_columns(c, name, col, err) < 0)
    goto out;
  res->source = xstrdup(name);
  res->input_name = xstrdup(o && o->input_name ? o->input_name : name);
  res->extrap_kl = o && o->extrap_kl > 0 ? o->extrap_kl : NAN;
  res->has_proxy = col[3] >= 0;
  if(read_points(c, name, col, o, &G, err) < 0)
    goto out;
  res->rows = G.np;
  if(count_groups(&G, name, err) < 0)
    goto out;
  fit_groups(&G, o, res);
  rc = 0;
out:
  free(G.pts);
  free(G.grp);
  free(G.names);
  free(G.first);
  free(G.cnt);
  free(G.start);
  stats_csv_free(c);
  if(rc)
    stats_curves_free(res);
  return rc;
}

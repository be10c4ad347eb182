/* correlate.c - `bonrun correlate` as a library call: join small CSV
 * tables on `rm` and correlate column pairs (see correlate.h; the files
 * are correlate_out.c's). */
#include "stats/correlate.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "stats/csv.h"
#include "stats/out.h"

struct ctab {
  char *file;
  struct stats_csv *csv;
  int rm_col;
};

/* Index in *tabs of the table of file (read on first use), or -1. */
static long ctab_get(struct ctab **tabs, size_t *nt, const char *file,
                     struct bon_err *err)
{
  for(size_t i = 0; i < *nt; i++)
    if(!strcmp((*tabs)[i].file, file))
      return (long)i;
  struct stats_csv *c = stats_csv_read(file, err);
  if(!c)
    return -1;
  int rc = stats_csv_col(c, "rm");
  if(rc < 0) {
    stats_csv_free(c);
    bon_errf(err, "%s: no 'rm' column to join on (the tables must have "
             "one row per RM with its name in column 'rm')", file);
    return -1;
  }
  for(size_t i = 0; i < c->nrows; i++)
    for(size_t j = 0; j < i; j++)
      if(!strcmp(stats_csv_get(c, i, (size_t)rc),
                 stats_csv_get(c, j, (size_t)rc))) {
        bon_errf(err, "%s:%zu: RM '%s' appears twice (first on line %zu)",
                 file, c->line[i], stats_csv_get(c, i, (size_t)rc),
                 c->line[j]);
        stats_csv_free(c);
        return -1;
      }
  *tabs = xrealloc(*tabs, (*nt + 1) * sizeof **tabs);
  struct ctab *t = *tabs + *nt;
  t->file = xstrdup(file);
  t->csv = c;
  t->rm_col = rc;
  return (long)(*nt)++;
}

/* Column values of one FILE:COLUMN side.  vals[i] for row i; NaN for
 * nan/empty. */
static int side_load(struct ctab **tabs, size_t *nt, const char *spec,
                     long *tab, double **vals, struct bon_err *err)
{
  const char *colon = strrchr(spec, ':');
  if(!colon || colon == spec || !colon[1])
    return bon_errf(err, "'%s': expected FILE:COLUMN (e.g. "
                    "bench/benchmark.csv:accuracy)", spec);
  char *file = xstrndup(spec, (size_t)(colon - spec));
  const char *col = colon + 1;
  long ti = ctab_get(tabs, nt, file, err);
  free(file);
  if(ti < 0)
    return -1;
  const struct ctab *t = *tabs + ti;
  int ci = stats_csv_col(t->csv, col);
  if(ci < 0) {
    struct buf b = BUF_INIT;
    for(size_t i = 0; i < t->csv->ncols; i++)
      buf_printf(&b, "%s%s", i ? ", " : "", t->csv->header[i]);
    bon_errf(err, "%s: no column '%s' (the columns are: %s)", t->file, col,
             buf_str(&b));
    buf_free(&b);
    return -1;
  }
  double *v = xmalloc((t->csv->nrows ? t->csv->nrows : 1) * sizeof *v);
  for(size_t i = 0; i < t->csv->nrows; i++) {
    const char *s = stats_csv_get(t->csv, i, (size_t)ci);
    while(*s == ' ')
      s++;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    while(*end == ' ')
      end++;
    if(!*s || !strcasecmp(s, "nan") || !strcasecmp(s, "na") ||
       !strcmp(s, "null"))
      x = NAN;
    else if(*end || errno == ERANGE || isinf(x) || isnan(x)) {
      free(v);
      return bon_errf(err, "%s:%zu: column '%s' of RM '%s': '%s' is not a "
                      "number", t->file, t->csv->line[i], col,
                      stats_csv_get(t->csv, i, (size_t)t->rm_col), s);
    }
    v[i] = x;
  }
  *tab = ti;
  *vals = v;
  return 0;
}

static void list_add(struct buf *b, size_t *n, const char *s)
{
  if(*n < 8)
    buf_printf(b, "%s%s", *n ? ", " : "", s);
  (*n)++;
}

/* The RMs left out of a pair, listed (at most 8 names) for a warning. */
struct dropped {
  struct buf names;
  size_t n;
};

/* Join the x values vx (rows of tx) and y values vy (rows of ty) on the
 * RM name into pr (the x table's order); the RMs in one table only and
 * those with a nan go to the drop lists [0 only x, 1 only y, 2 nan]. */
static void join(const struct ctab *tx, const double *vx,
                 const struct ctab *ty, const double *vy,
                 struct stats_corr_pair *pr, struct dropped *drop)
{
  const struct stats_csv *cx = tx->csv, *cy = ty->csv;
  size_t cap = cx->nrows ? cx->nrows : 1;
  pr->rms = xmalloc(cap * sizeof *pr->rms);
  pr->xv = xmalloc(cap * sizeof *pr->xv);
  pr->yv = xmalloc(cap * sizeof *pr->yv);
  unsigned char *seen = xcalloc(cy->nrows ? cy->nrows : 1, 1);
  for(size_t i = 0; i < cx->nrows; i++) {
    const char *rm = stats_csv_get(cx, i, (size_t)tx->rm_col);
    size_t j = 0;
    while(j < cy->nrows &&
          strcmp(stats_csv_get(cy, j, (size_t)ty->rm_col), rm))
      j++;
    if(j == cy->nrows) {
      list_add(&drop[0].names, &drop[0].n, rm);
      continue;
    }
    seen[j] = 1;
    if(isnan(vx[i]) || isnan(vy[j])) {
      list_add(&drop[2].names, &drop[2].n, rm);
      continue;
    }
    pr->rms[pr->n] = xstrdup(rm);
    pr->xv[pr->n] = vx[i];
    pr->yv[pr->n] = vy[j];
    pr->n++;
  }
  for(size_t k = 0; k < cy->nrows; k++)
    if(!seen[k])
      list_add(&drop[1].names, &drop[1].n,
               stats_csv_get(cy, k, (size_t)ty->rm_col));
  free(seen);
}

static void warn_dropped(struct stats_corr_report *rep, const char *xs,
                         const char *ys, const struct ctab *tx,
                         const struct ctab *ty, struct dropped *drop)
{
  for(int k = 0; k < 2; k++)
    if(drop[k].n)
      stats_warn(&rep->warnings, &rep->n_warnings, "%s vs %s: %zu RM%s "
                 "only in %s, dropped: %s%s", xs, ys, drop[k].n,
                 drop[k].n > 1 ? "s" : "", k ? ty->file : tx->file,
                 buf_str(&drop[k].names), drop[k].n > 8 ? ", ..." : "");
  if(drop[2].n)
    stats_warn(&rep->warnings, &rep->n_warnings, "%s vs %s: %zu RM%s with "
               "a nan value, dropped: %s%s", xs, ys, drop[2].n,
               drop[2].n > 1 ? "s" : "", buf_str(&drop[2].names),
               drop[2].n > 8 ? ", ..." : "");
  for(int k = 0; k < 3; k++)
    buf_free(&drop[k].names);
}

static void pair_free(struct stats_corr_pair *p)
{
  stats_strs_free(p->rms, p->n);
  free(p->xv);
  free(p->yv);
  free(p->x);
  free(p->y);
}

static int make_pair(struct ctab **tabs, size_t *nt, const char *xs,
                     const char *ys, const struct stats_corr_opts *o,
                     struct stats_corr_report *rep, struct bon_err *err)
{
  long ix, iy;
  double *vx = NULL, *vy = NULL;
  if(side_load(tabs, nt, xs, &ix, &vx, err) < 0)
    return -1;
  if(side_load(tabs, nt, ys, &iy, &vy, err) < 0) {
    free(vx);
    return -1;
  }
  /* after both loads: *tabs may have moved during the second */
  const struct ctab *tx = *tabs + ix, *ty = *tabs + iy;
  struct stats_corr_pair pr;
  memset(&pr, 0, sizeof pr);
  pr.x = xstrdup(xs);
  pr.y = xstrdup(ys);
  struct dropped drop[3] = {{BUF_INIT, 0}, {BUF_INIT, 0}, {BUF_INIT, 0}};
  join(tx, vx, ty, vy, &pr, drop);
  warn_dropped(rep, xs, ys, tx, ty, drop);
  free(vx);
  free(vy);
  int rc = 0;
  if(pr.n < 3)
    rc = bon_errf(err, "%s vs %s: %zu RM%s with values in both tables; a "
                  "correlation needs at least 3", xs, ys, pr.n,
                  pr.n == 1 ? "" : "s");
  else if(stats_correlate(pr.xv, pr.yv, pr.n, o, &pr.c, err) < 0)
    rc = bon_err_prefix(err, "%s vs %s", xs, ys);
  if(rc < 0) {
    pair_free(&pr);
    return -1;
  }
  if(pr.c.warning[0])
    stats_warn(&rep->warnings, &rep->n_warnings, "%s vs %s: %s", xs, ys,
               pr.c.warning);
  rep->pairs = xrealloc(rep->pairs, (rep->n_pairs + 1) * sizeof pr);
  rep->pairs[rep->n_pairs++] = pr;
  return 0;
}

void stats_corr_report_free(struct stats_corr_report *rep)
{
  if(!rep)
    return;
  for(size_t i = 0; i < rep->n_pairs; i++) {
    pair_free(rep->pairs + i);
    stats_corr_free(&rep->pairs[i].c);
  }
  free(rep->pairs);
  stats_strs_free(rep->warnings, rep->n_warnings);
  memset(rep, 0, sizeof *rep);
}

int stats_correlate_files(const char *const *xs, size_t nx,
                          const char *const *ys, size_t ny,
                          const struct stats_corr_opts *opts,
                          struct stats_corr_report *rep,
                          struct bon_err *err)
{
  memset(rep, 0, sizeof *rep);
  rep->opts = *opts;
  if(!nx || !ny)
    return bon_errf(err, "need at least one x and one y column "
                    "(FILE:COLUMN) to correlate");
  struct ctab *tabs = NULL;
  size_t nt = 0;
  int rc = 0;
  for(size_t i = 0; i < nx && !rc; i++)
    for(size_t j = 0; j < ny && !rc; j++)
      rc = make_pair(&tabs, &nt, xs[i], ys[j], opts, rep, err);
  for(size_t i = 0; i < nt; i++) {
    free(tabs[i].file);
    stats_csv_free(tabs[i].csv);
  }
  free(tabs);
  if(rc < 0)
    stats_corr_report_free(rep);
  return rc;
}

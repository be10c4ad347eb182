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
  unsigned char *noscore; /* [nrows] 1: the row's RM has no scores, 2:
                             every problem dropped; NULL: no such row */
};

/* A cell as a number: NaN for empty/nan/na/null; -1 when it is not a
 * number. */
static int cell_num(const char *s, double *out)
{
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
  else if(*end || errno == ERANGE || isinf(x) || isnan(x))
    return -1;
  *out = x;
  return 0;
}

/* The rule of stats/derive.h in a benchmark.csv (columns problems, k,
 * missing, dropped): the rows of RMs without a single score.  NULL when
 * the table has none (or is no benchmark.csv). */
static unsigned char *no_scores(const struct stats_csv *c)
{
  int cp = stats_csv_col(c, "problems"), ck = stats_csv_col(c, "k");
  int cm = stats_csv_col(c, "missing"), cd = stats_csv_col(c, "dropped");
  if(cp < 0 || cm < 0 || (ck < 0 && cd < 0))
    return NULL;
  unsigned char *v = NULL;
  for(size_t i = 0; i < c->nrows; i++) {
    double p = NAN, k = NAN, m = NAN, d = NAN;
    cell_num(stats_csv_get(c, i, (size_t)cp), &p);
    cell_num(stats_csv_get(c, i, (size_t)cm), &m);
    if(ck >= 0)
      cell_num(stats_csv_get(c, i, (size_t)ck), &k);
    if(cd >= 0)
      cell_num(stats_csv_get(c, i, (size_t)cd), &d);
    int why = 0;
    if(m > 0 && p > 0 && m + 0.5 >= p * (k + 1))
      why = 1; /* every candidate of every problem missing */
    else if(p == 0 && d > 0)
      why = 2; /* every problem dropped for a missing score */
    if(why && !v)
      v = xcalloc(c->nrows, 1);
    if(why)
      v[i] = (unsigned char)why;
  }
  return v;
}

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
  t->noscore = no_scores(c);
  return (long)(*nt)++;
}

/* The values of column ci of table t (NaN for nan/empty) into a fresh
 * array, or NULL with err naming the line. */
static double *col_values(const struct ctab *t, int ci, const char *col,
                          struct bon_err *err)
{
  double *v = xmalloc((t->csv->nrows ? t->csv->nrows : 1) * sizeof *v);
  for(size_t i = 0; i < t->csv->nrows; i++)
    if(cell_num(stats_csv_get(t->csv, i, (size_t)ci), &v[i]) < 0) {
      bon_errf(err, "%s:%zu: column '%s' of RM '%s': '%s' is not a "
               "number", t->file, t->csv->line[i], col,
               stats_csv_get(t->csv, i, (size_t)t->rm_col),
               stats_csv_get(t->csv, i, (size_t)ci));
      free(v);
      return NULL;
    }
  return v;
}

/* Column values of one FILE:COLUMN side.  vals[i] for row i; NaN for
 * nan/empty.  With lohi (non-NULL), also the columns COLUMN_lo and
 * COLUMN_hi when the table has both (else lohi[0] = lohi[1] = NULL). */
static int side_load(struct ctab **tabs, size_t *nt, const char *spec,
                     long *tab, double **vals, double **lohi,
                     struct bon_err *err)
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
  if(!(*vals = col_values(t, ci, col, err)))
    return -1;
  *tab = ti;
  if(!lohi)
    return 0;
  lohi[0] = lohi[1] = NULL;
  int ends[2];
  for(int k = 0; k < 2; k++) {
    struct buf b = BUF_INIT;
    buf_printf(&b, "%s_%s", col, k ? "hi" : "lo");
    ends[k] = stats_csv_col(t->csv, buf_str(&b));
    buf_free(&b);
  }
  for(int k = 0; k < 2 && ends[0] >= 0 && ends[1] >= 0; k++)
    if(!(lohi[k] = col_values(t, ends[k], col, err))) {
      free(lohi[0]);
      free(*vals);
      return -1;
    }
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
enum { D_ONLY_X, D_ONLY_Y, D_NAN, D_NOSCORE, D_KINDS };

static int in_list(const char *const *v, size_t n, const char *s)
{
  for(size_t i = 0; i < n; i++)
    if(!strcmp(v[i], s))
      return 1;
  return 0;
}

/* sel lets rm in. */
static int selected(const struct stats_corr_select *sel, const char *rm)
{
  if(!sel)
    return 1;
  if(sel->n_rms && !in_list(sel->rms, sel->n_rms, rm))
    return 0;
  return !in_list(sel->exclude, sel->n_exclude, rm);
}

/* One side of a join: its table and values (lo, hi may be NULL). */
struct side {
  const struct ctab *t;
  const double *v, *lo, *hi;
};

/* Join x and y on the RM name into pr (the x table's order), the RMs sel
 * lets in; the others that are left out go to the drop lists. */
static void join(const struct side *x, const struct side *y,
                 const struct stats_corr_select *sel,
                 struct stats_corr_pair *pr, struct dropped *drop)
{
  const struct stats_csv *cx = x->t->csv, *cy = y->t->csv;
  size_t cap = cx->nrows ? cx->nrows : 1;
  pr->rms = xmalloc(cap * sizeof *pr->rms);
  pr->xv = xmalloc(cap * sizeof *pr->xv);
  pr->yv = xmalloc(cap * sizeof *pr->yv);
  if(y->lo) {
    pr->ylo = xmalloc(cap * sizeof *pr->ylo);
    pr->yhi = xmalloc(cap * sizeof *pr->yhi);
  }
  unsigned char *seen = xcalloc(cy->nrows ? cy->nrows : 1, 1);
  for(size_t i = 0; i < cx->nrows; i++) {
    const char *rm = stats_csv_get(cx, i, (size_t)x->t->rm_col);
    size_t j = 0;
    while(j < cy->nrows &&
          strcmp(stats_csv_get(cy, j, (size_t)y->t->rm_col), rm))
      j++;
    if(j < cy->nrows)
      seen[j] = 1;
    int d = !selected(sel, rm) ? -1 : j == cy->nrows ? D_ONLY_X
            : (x->t->noscore && x->t->noscore[i]) ||
              (y->t->noscore && y->t->noscore[j]) ? D_NOSCORE
            : isnan(x->v[i]) || isnan(y->v[j]) ? D_NAN : D_KINDS;
    if(d >= 0 && d < D_KINDS)
      list_add(&drop[d].names, &drop[d].n, rm);
    if(d != D_KINDS)
      continue;
    pr->rms[pr->n] = xstrdup(rm);
    pr->xv[pr->n] = x->v[i];
    pr->yv[pr->n] = y->v[j];
    if(y->lo) {
      pr->ylo[pr->n] = y->lo[j];
      pr->yhi[pr->n] = y->hi[j];
    }
    pr->n++;
  }
  for(size_t k = 0; k < cy->nrows; k++) {
    const char *rm = stats_csv_get(cy, k, (size_t)y->t->rm_col);
    if(!seen[k] && selected(sel, rm))
      list_add(&drop[D_ONLY_Y].names, &drop[D_ONLY_Y].n, rm);
  }
  free(seen);
}

static void warn_dropped(struct stats_corr_report *rep, const char *xs,
                         const char *ys, const struct ctab *tx,
                         const struct ctab *ty, struct dropped *drop)
{
  static const char *const why[D_KINDS] = {
    NULL, NULL, "with a nan value",
    "without a single score (a process RM enters as its step "
    "aggregations, e.g. RM/prod)"};
  for(int k = 0; k < D_KINDS; k++) {
    if(!drop[k].n)
      continue;
    if(k <= D_ONLY_Y)
      stats_warn(&rep->warnings, &rep->n_warnings, "%s vs %s: %zu RM%s "
                 "only in %s, dropped: %s%s", xs, ys, drop[k].n,
                 drop[k].n > 1 ? "s" : "", k ? ty->file : tx->file,
                 buf_str(&drop[k].names), drop[k].n > 8 ? ", ..." : "");
    else
      stats_warn(&rep->warnings, &rep->n_warnings, "%s vs %s: %zu RM%s %s, "
                 "dropped: %s%s", xs, ys, drop[k].n,
                 drop[k].n > 1 ? "s" : "", why[k], buf_str(&drop[k].names),
                 drop[k].n > 8 ? ", ..." : "");
    buf_free(&drop[k].names);
  }
}

static void pair_free(struct stats_corr_pair *p)
{
  stats_strs_free(p->rms, p->n);
  free(p->xv);
  free(p->yv);
  free(p->ylo);
  free(p->yhi);
  free(p->x);
  free(p->y);
}

/* The evidence and verdict of a correlated pair. */
static void judge(struct stats_corr_pair *pr, const struct stats_corr_opts *o)
{
  struct stats_evidence *e = &pr->ev;
  memset(e, 0, sizeof *e);
  stats_evidence_set(e, (const char *const *)pr->rms, pr->xv, pr->yv,
                     pr->ylo, pr->yhi, pr->n);
  e->gains_ci = pr->ylo != NULL;
  e->corr_ok = 1;
  e->corr_n = pr->n;
  e->r = pr->c.pearson.value;
  e->r_lo = pr->c.fisher_lo;
  e->r_hi = pr->c.fisher_hi;
  e->level = o->level;
  pr->verdict = stats_verdict_judge(e, &pr->why);
}

static int make_pair(struct ctab **tabs, size_t *nt, const char *xs,
                     const char *ys, const struct stats_corr_opts *o,
                     const struct stats_corr_select *sel,
                     struct stats_corr_report *rep, struct bon_err *err)
{
  long ix, iy;
  double *vx = NULL, *vy = NULL, *lohi[2] = {NULL, NULL};
  if(side_load(tabs, nt, xs, &ix, &vx, NULL, err) < 0)
    return -1;
  if(side_load(tabs, nt, ys, &iy, &vy, lohi, err) < 0) {
    free(vx);
    return -1;
  }
  /* after both loads: *tabs may have moved during the second */
  struct side x = {*tabs + ix, vx, NULL, NULL};
  struct side y = {*tabs + iy, vy, lohi[0], lohi[1]};
  struct stats_corr_pair pr;
  memset(&pr, 0, sizeof pr);
  pr.x = xstrdup(xs);
  pr.y = xstrdup(ys);
  struct dropped drop[D_KINDS];
  memset(drop, 0, sizeof drop);
  join(&x, &y, sel, &pr, drop);
  warn_dropped(rep, xs, ys, x.t, y.t, drop);
  free(vx);
  free(vy);
  free(lohi[0]);
  free(lohi[1]);
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
  judge(&pr, o);
  rep->pairs = xrealloc(rep->pairs, (rep->n_pairs + 1) * sizeof pr);
  rep->pairs[rep->n_pairs++] = pr;
  return 0;
}

/* A selected RM in none of the tables: a warning each. */
static void warn_unknown(const struct ctab *tabs, size_t nt,
                         const struct stats_corr_select *sel,
                         struct stats_corr_report *rep)
{
  const char *const *v[2] = {sel->rms, sel->exclude};
  size_t n[2] = {sel->n_rms, sel->n_exclude};
  for(int k = 0; k < 2; k++)
    for(size_t i = 0; i < n[k]; i++) {
      int found = 0;
      for(size_t t = 0; t < nt && !found; t++)
        for(size_t r = 0; r < tabs[t].csv->nrows && !found; r++)
          found = !strcmp(stats_csv_get(tabs[t].csv, r,
                                        (size_t)tabs[t].rm_col), v[k][i]);
      if(!found)
        stats_warn(&rep->warnings, &rep->n_warnings, "%s RM '%s' is in "
                   "none of the tables", k ? "excluded" : "selected",
                   v[k][i]);
    }
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
                          const struct stats_corr_select *sel,
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
      rc = make_pair(&tabs, &nt, xs[i], ys[j], opts, sel, rep, err);
  if(!rc && sel)
    warn_unknown(tabs, nt, sel, rep);
  for(size_t i = 0; i < nt; i++) {
    free(tabs[i].file);
    free(tabs[i].noscore);
    stats_csv_free(tabs[i].csv);
  }
  free(tabs);
  if(rc < 0)
    stats_corr_report_free(rep);
  return rc;
}

/* bench.c - `bonrun bench` as a library call: benchmark metrics of every
 * RM of a scores table (see bench.h; the files are bench_out.c's). */
#include "stats/bench.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/csv.h"
#include "stats/derive.h"
#include "stats/out.h"
#include "util/fsutil.h"

void stats_bench_opts_init(struct stats_bench_opts *o)
{
  memset(o, 0, sizeof *o);
  stats_table_opts_init(&o->table);
  o->bootstrap = 1000;
  o->seed = 1;
  o->level = 0.95;
  o->missing = STATS_MISSING_WORST;
}

void stats_bench_report_free(struct stats_bench_report *rep)
{
  if(!rep)
    return;
  for(size_t i = 0; i < rep->n_rms; i++)
    free(rep->rms[i].rm);
  free(rep->rms);
  stats_strs_free(rep->warnings, rep->n_warnings);
  free(rep->source);
  memset(rep, 0, sizeof *rep);
}

/* RM r of t is a pairwise judge: so marked in the table (kind), or named
 * in the options. */
static int is_pairwise(const struct stats_table *t,
                       const struct stats_bench_opts *o, int r)
{
  if(stats_table_rm_kind(t, r) == STATS_RM_PAIRWISE)
    return 1;
  for(size_t i = 0; i < o->n_pairwise; i++)
    if(!strcmp(o->pairwise[i], t->rms[r]))
      return 1;
  return 0;
}

/* Check every problem: one correct, >= 1 incorrect, gold 0/1.  Fills
 * correct[p] (candidate index) or -1 for a skipped problem.  On error
 * (STATS_BENCH_MALFORMED), *bad gets the problem index. */
static int check_problems(const struct stats_table *t,
                          const struct stats_bench_opts *o, long *correct,
                          struct stats_bench_report *rep, int *bad,
                          struct bon_err *err)
{
  size_t skipped = 0;
  struct buf ids = BUF_INIT;
  for(int p = 0; p < t->n_problems; p++) {
    size_t a = t->cand_off[p], e = t->cand_off[p + 1];
    size_t nc = 0, ni = 0;
    long ci = -1;
    const char *why = NULL;
    double odd = 0;
    for(size_t c = a; c < e; c++) {
      if(t->gold[c] == 1) {
        nc++;
        ci = (long)c;
      }
      else if(t->gold[c] == 0)
        ni++;
      else if(!why) {
        why = "has a correct value other than 0 or 1";
        odd = t->gold[c];
      }
    }
    char msg[96];
    if(!why && nc == 0)
      why = "has no correct candidate";
    else if(!why && nc > 1) {
      snprintf(msg, sizeof msg, "has %zu correct candidates", nc);
      why = msg;
    }
    else if(!why && ni == 0)
      why = "has no incorrect candidate";
    if(!why) {
      correct[p] = ci;
      if(rep->k_min == 0 || ni < rep->k_min)
        rep->k_min = ni;
      if(ni > rep->k_max)
        rep->k_max = ni;
      continue;
    }
    correct[p] = -1;
    if(!o->skip_bad) {
      *bad = p;
      buf_free(&ids);
      if(odd != 0)
        bon_errf(err, "problem '%s' %s (%g); a benchmark problem needs "
                 "exactly one candidate with correct=1 and the others 0",
                 t->problems[p], why, odd);
      else
        bon_errf(err, "problem '%s' %s; a benchmark problem needs exactly "
                 "one candidate with correct=1 and at least one with "
                 "correct=0", t->problems[p], why);
      return STATS_BENCH_MALFORMED;
    }
    if(skipped < 5)
      buf_printf(&ids, "%s'%s' (%s)", skipped ? ", " : "", t->problems[p],
                 why);
    skipped++;
  }
  rep->problems_skipped = skipped;
  if(skipped)
    stats_warn(&rep->warnings, &rep->n_warnings,
               "skipped %zu malformed problem%s: %s%s", skipped,
               skipped > 1 ? "s" : "", buf_str(&ids),
               skipped > 5 ? ", ..." : "");
  buf_free(&ids);
  return 0;
}

/* The metrics of RM r (a table RM, or derived RM r - n_rms of d) on
 * every used problem into pm[0..np), and its row of the report.  inc:
 * scratch for the incorrect candidates' scores. */
static void rm_metrics(const struct stats_table *t,
                       const struct stats_bench_opts *o,
                       const struct stats_derived *d, const long *correct,
                       size_t r, struct stats_problem_metric *pm,
                       double *inc, struct stats_bench_row *row)
{
  int base = r < (size_t)t->n_rms;
  const char *name = base ? t->rms[r] : d->names[r - t->n_rms];
  const double *sc = base ? t->score + r * t->n_cands
                          : d->scores[r - t->n_rms];
  int pw = base && is_pairwise(t, o, (int)r);
  row->rm = xstrdup(name);
  row->kind = pw ? "pairwise" : base ? "score"
              : d->kind[r - t->n_rms] == STATS_DERIVED_STEPS ? "steps"
                                                               : "ensemble";
  size_t q = 0;
  for(int p = 0; p < t->n_problems; p++) {
    if(correct[p] < 0)
      continue;
    size_t k = 0;
    for(size_t c = t->cand_off[p]; c < t->cand_off[p + 1]; c++)
      if((long)c != correct[p])
        inc[k++] = sc[c];
    if(pw)
      stats_problem_pairwise(inc, k, o->missing, pm + q);
    else
      stats_problem_scores(sc[correct[p]], inc, k, o->missing, pm + q);
    q++;
  }
}

/* The RMs to benchmark (indices as rm_metrics takes them): the table's
 * but its process RMs, then the derived ones.  Returns their number. */
static size_t bench_rms(const struct stats_table *t,
                        const struct stats_derived *d, size_t *idx)
{
  size_t n = 0, all = (size_t)t->n_rms + d->n;
  for(size_t r = 0; r < all; r++) {
    int skip = 0;
    for(size_t i = 0; i < d->n_process && !skip; i++)
      skip = (size_t)d->process[i] == r;
    if(!skip)
      idx[n++] = r;
  }
  return n;
}

/* The metrics of every RM over the np used problems, with warnings. */
static void all_metrics(const struct stats_table *t,
                        const struct stats_bench_opts *o,
                        const struct stats_derived *d, const long *correct,
                        size_t np, struct stats_bench_report *rep)
{
  size_t *idx = xmalloc(((size_t)t->n_rms + d->n + 1) * sizeof *idx);
  size_t nrm = bench_rms(t, d, idx);
  struct stats_problem_metric **pm = xmalloc((nrm ? nrm : 1) * sizeof *pm);
  rep->rms = xcalloc(nrm ? nrm : 1, sizeof *rep->rms);
  rep->n_rms = nrm;
  double *inc = xmalloc((rep->k_max + 1) * sizeof *inc);
  for(size_t r = 0; r < nrm; r++) {
    pm[r] = xmalloc((np ? np : 1) * sizeof **pm);
    rm_metrics(t, o, d, correct, idx[r], pm[r], inc, &rep->rms[r]);
  }
  free(idx);
  struct stats_bench_metrics *m = xmalloc(nrm * sizeof *m);
  stats_bench_aggregate_multi((const struct stats_problem_metric *const *)pm,
                              nrm, np, o->bootstrap, o->seed, o->level,
                              o->threads, m);
  for(size_t r = 0; r < nrm; r++) {
    rep->rms[r].m = m[r];
    if(m[r].missing)
      stats_warn(&rep->warnings, &rep->n_warnings, "RM %s: %zu missing "
                 "score%s (%s)", rep->rms[r].rm, m[r].missing,
                 m[r].missing > 1 ? "s" : "",
                 o->missing == STATS_MISSING_DROP
                   ? "problems with one are dropped"
                   : "ranked below every present score");
    free(pm[r]);
  }
  if(d->n && o->n_ensembles)
    stats_warn(&rep->warnings, &rep->n_warnings, "ensembles combine "
               "standardised scores (each member z-scored over the pool)");
  free(m);
  free(pm);
  free(inc);
}

static int bench_impl(const struct stats_table *t,
                      const struct stats_bench_opts *o,
                      struct stats_bench_report *rep, int *bad,
                      struct bon_err *err)
{
  memset(rep, 0, sizeof *rep);
  rep->opts = *o;
  rep->source = xstrdup(t->source ? t->source : "<memory>");
  rep->rows_read = t->counts.rows;
  rep->problems_total = (size_t)t->n_problems;
  *bad = -1;
  int rc = 0;
  for(size_t i = 0; i < o->n_pairwise && !rc; i++)
    if(stats_table_rm_index(t, o->pairwise[i]) < 0)
      rc = bon_errf(err, "pairwise judge '%s': no such RM in %s",
                    o->pairwise[i], t->source);
  long *correct = xmalloc((t->n_problems ? t->n_problems : 1) *
                          sizeof *correct);
  struct stats_derived d;
  memset(&d, 0, sizeof d);
  if(!rc)
    rc = check_problems(t, o, correct, rep, bad, err);
  if(!rc)
    rc = stats_derive_rms(t, o->steps, o->ensembles, o->n_ensembles, &d,
                          err);
  if(!rc && d.n_process) {
    struct buf note = BUF_INIT;
    stats_process_note(t, o->steps, &note);
    stats_warn(&rep->warnings, &rep->n_warnings, "%s", buf_str(&note));
    buf_free(&note);
  }
  size_t np = 0;
  for(int p = 0; !rc && p < t->n_problems; p++)
    np += correct[p] >= 0;
  rep->problems_used = np;
  if(!rc && !np)
    rc = bon_errf(err, "%s: no usable problem (each needs one correct and "
                  "at least one incorrect candidate)", t->source);
  if(!rc)
    all_metrics(t, o, &d, correct, np, rep);
  free(correct);
  stats_derived_free(&d);
  if(rc)
    stats_bench_report_free(rep);
  return rc;
}

int stats_bench_table(const struct stats_table *t,
                      const struct stats_bench_opts *opts,
                      struct stats_bench_report *rep, struct bon_err *err)
{
  int bad;
  return bench_impl(t, opts, rep, &bad, err);
}

/* The first line of problem id in a scores file, 0 when not found. */
static size_t problem_line(const char *path, const struct stats_table_opts *o,
                           const char *id)
{
  size_t len, line = 0;
  struct bon_err e2;
  char *data = fs_read_file(path, &len, &e2);
  if(!data)
    return 0;
  const char *col = o->col_problem && *o->col_problem ? o->col_problem
                                                     : "problem_id";
  int json = stats_table_format(path, data, len, o) == STATS_FMT_JSONL;
  if(!json) {
    if(stats_csv_find_first(data, len, path, col, id, &line, &e2) < 0)
      line = 0;
    free(data);
    return line;
  }
  size_t ln = 1;
  for(const char *s = data; s < data + len; ln++) {
    const char *e = memchr(s, '\n', (size_t)(data + len - s));
    if(!e)
      e = data + len;
    cJSON *j = cJSON_ParseWithLength(s, (size_t)(e - s));
    const cJSON *v = j ? cJSON_GetObjectItemCaseSensitive(j, col) : NULL;
    int hit = 0;
    if(cJSON_IsString(v))
      hit = !strcmp(v->valuestring, id);
    else if(cJSON_IsNumber(v)) {
      char *pr = cJSON_PrintUnformatted(v);
      hit = pr && !strcmp(pr, id);
      free(pr);
    }
    cJSON_Delete(j);
    if(hit) {
      line = ln;
      break;
    }
    s = e + 1;
  }
  free(data);
  return line;
}

int stats_bench_file(const char *path, const struct stats_bench_opts *opts,
                     struct stats_bench_report *rep, struct bon_err *err)
{
  struct stats_table *t = stats_table_read(path, &opts->table, err);
  if(!t) {
    memset(rep, 0, sizeof *rep);
    return -1;
  }
  int bad = -1;
  int rc = bench_impl(t, opts, rep, &bad, err);
  if(rc < 0 && bad >= 0) {
    size_t line = problem_line(path, &opts->table, t->problems[bad]);
    if(line)
      bon_err_prefix(err, "%s:%zu", path, line);
    else
      bon_err_prefix(err, "%s", path);
  }
  stats_table_free(t);
  return rc;
}

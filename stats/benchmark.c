/* benchmark.c - `bench` and `correlate` as library calls; see
 * benchmark.h. */
#include "stats/benchmark.h"

#include "stats/csv.h"
#include "stats/ensemble.h"
#include "stats/steps.h"
#include "util/fsutil.h"
#include "util/rng.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* ---- small helpers ------------------------------------------------- */

static void warn(char ***w, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void warn(char ***w, size_t *n, const char *fmt, ...)
{
  struct buf b = BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  *w = xrealloc(*w, (*n + 1) * sizeof **w);
  (*w)[(*n)++] = xstrdup(buf_str(&b));
  buf_free(&b);
}

static void free_strs(char **s, size_t n)
{
  for(size_t i = 0; i < n; i++)
    free(s[i]);
  free(s);
}

/* ---- derived RMs --------------------------------------------------- */

void stats_derived_free(struct stats_derived *d)
{
  if(!d)
    return;
  for(size_t i = 0; i < d->n; i++) {
    free(d->names[i]);
    free(d->scores[i]);
  }
  free(d->names);
  free(d->scores);
  free(d->missing);
  free(d->kind);
  memset(d, 0, sizeof *d);
}

static void derived_add(struct stats_derived *d, char *name, double *scores,
                        size_t n, int kind)
{
  d->names = xrealloc(d->names, (d->n + 1) * sizeof *d->names);
  d->scores = xrealloc(d->scores, (d->n + 1) * sizeof *d->scores);
  d->missing = xrealloc(d->missing, (d->n + 1) * sizeof *d->missing);
  d->kind = xrealloc(d->kind, (d->n + 1) * sizeof *d->kind);
  size_t miss = 0;
  for(size_t i = 0; i < n; i++)
    miss += isnan(scores[i]);
  d->names[d->n] = name;
  d->scores[d->n] = scores;
  d->missing[d->n] = miss;
  d->kind[d->n] = kind;
  d->n++;
}

static long derived_find(const struct stats_derived *d, const char *name)
{
  for(size_t i = 0; i < d->n; i++)
    if(!strcmp(d->names[i], name))
      return (long)i;
  return -1;
}

/* The scores of an RM by name, from the table or the derived ones. */
static const double *rm_scores(const struct stats_table *t,
                               const struct stats_derived *d,
                               const char *name)
{
  int r = stats_table_rm_index(t, name);
  if(r >= 0)
    return t->score + (size_t)r * t->n_cands;
  long i = derived_find(d, name);
  return i >= 0 ? d->scores[i] : NULL;
}

static void list_rms(const struct stats_table *t,
                     const struct stats_derived *d, struct buf *b)
{
  for(int r = 0; r < t->n_rms; r++)
    buf_printf(b, "%s%s", r ? ", " : "", t->rms[r]);
  for(size_t i = 0; i < d->n; i++)
    buf_printf(b, ", %s", d->names[i]);
}

/* hint: what to do about it, for the kind of name being added */
static int name_taken(const struct stats_table *t,
                      const struct stats_derived *d, const char *name,
                      const char *hint, struct bon_err *err)
{
  if(stats_table_rm_index(t, name) >= 0 || derived_find(d, name) >= 0)
    return bon_errf(err, "RM name '%s' is already taken (%s)", name, hint);
  return 0;
}

static int rm_has_steps(const struct stats_table *t, int r)
{
  const size_t *o = t->steps_off + (size_t)r * t->n_cands;
  return o[t->n_cands] > o[0];
}

/* Problem index of every candidate. */
static int *cand_problems(const struct stats_table *t)
{
  int *pc = xmalloc((t->n_cands ? t->n_cands : 1) * sizeof *pc);
  for(int p = 0; p < t->n_problems; p++)
    for(size_t c = t->cand_off[p]; c < t->cand_off[p + 1]; c++)
      pc[c] = p;
  return pc;
}

static int derive_steps(const struct stats_table *t, const char *steps,
                        struct stats_derived *d, struct bon_err *err)
{
  if(!steps || !*steps)
    return 0;
  if(!t->has_steps || !t->steps_off)
    return bon_errf(err, "%s: step aggregations asked for (%s) but the "
                    "table has no steps column", t->source, steps);
  int any = 0;
  for(int r = 0; r < t->n_rms; r++)
    any |= rm_has_steps(t, r);
  if(!any)
    return bon_errf(err, "%s: step aggregations asked for (%s) but no RM "
                    "has per-step scores", t->source, steps);
  int *pc = cand_problems(t);
  const char *p = steps;
  int rc = 0;
  while(!rc) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    char *agname = xstrndup(p, len);
    enum stats_step_agg agg;
    rc = stats_step_agg_parse(agname, &agg, err);
    free(agname);
    for(int r = 0; !rc && r < t->n_rms; r++) {
      if(!rm_has_steps(t, r))
        continue;
      struct buf nb = BUF_INIT;
      buf_printf(&nb, "%s/%s", t->rms[r], stats_step_agg_name(agg));
      if((rc = name_taken(t, d, buf_str(&nb), "list each step aggregation "
                          "once, and rename any RM of the table with that "
                          "name", err)) < 0) {
        buf_free(&nb);
        break;
      }
      double *s = xmalloc((t->n_cands ? t->n_cands : 1) * sizeof *s);
      for(size_t k = 0; k < t->n_cands; k++) {
        size_t i = (size_t)r * t->n_cands + k;
        size_t a = t->steps_off[i], n = t->steps_off[i + 1] - a;
        s[k] = NAN;
        if(!n)
          continue;
        if(stats_steps_check(agg, t->steps_val + a, n, err) < 0) {
          rc = bon_err_prefix(err, "%s: RM %s, problem %s, sample %s",
                              t->source, t->rms[r], t->problems[pc[k]],
                              t->samples[k]);
          break;
        }
        s[k] = stats_step_aggregate(agg, t->steps_val + a, n);
      }
      if(rc) {
        free(s);
        buf_free(&nb);
        break;
      }
      derived_add(d, nb.data, s, t->n_cands, STATS_DERIVED_STEPS);
    }
    if(!c)
      break;
    p = c + 1;
  }
  free(pc);
  return rc;
}

static int derive_ensemble(const struct stats_table *t, const char *spec,
                           struct stats_derived *d, struct bon_err *err)
{
  struct stats_ens_spec s;
  if(stats_ens_parse(spec, &s, err) < 0)
    return -1;
  const double **m = xmalloc(s.nrms * sizeof *m);
  int rc = 0;
  for(size_t j = 0; j < s.nrms && !rc; j++) {
    m[j] = rm_scores(t, d, s.rms[j]);
    if(!m[j]) {
      struct buf b = BUF_INIT;
      list_rms(t, d, &b);
      rc = bon_errf(err, "ensemble '%s': no RM '%s' (the RMs are: %s)",
                    spec, s.rms[j], buf_str(&b));
      buf_free(&b);
    }
  }
  if(!rc)
    rc = name_taken(t, d, s.name, "give the ensemble another name with "
                    "NAME=KIND:...", err);
  if(!rc) {
    double *out = xmalloc((t->n_cands ? t->n_cands : 1) * sizeof *out);
    stats_ens_combine(&s, m, s.nrms, t->n_cands, out);
    derived_add(d, s.name, out, t->n_cands, STATS_DERIVED_ENSEMBLE);
    s.name = NULL; /* now owned by d */
  }
  free(m);
  stats_ens_spec_free(&s);
  return rc;
}

int stats_derive_rms(const struct stats_table *t, const char *steps,
                     const char *const *specs, size_t n_specs,
                     struct stats_derived *d, struct bon_err *err)
{
  memset(d, 0, sizeof *d);
  int rc = derive_steps(t, steps, d, err);
  for(size_t i = 0; !rc && i < n_specs; i++)
    rc = derive_ensemble(t, specs[i], d, err);
  if(rc)
    stats_derived_free(d);
  return rc;
}

struct stats_table *stats_table_with_derived(const struct stats_table *t,
                                             const struct stats_derived *d,
                                             struct bon_err *err)
{
  struct stats_builder *b = stats_builder_new(NULL);
  size_t nr = (size_t)t->n_rms + d->n;
  for(size_t r = 0; r < nr; r++) {
    const char *name = r < (size_t)t->n_rms ? t->rms[r]
                                            : d->names[r - t->n_rms];
    const double *sc = r < (size_t)t->n_rms ? t->score + r * t->n_cands
                                            : d->scores[r - t->n_rms];
    for(int p = 0; p < t->n_problems; p++)
      for(size_t c = t->cand_off[p]; c < t->cand_off[p + 1]; c++) {
        struct stats_row row = {0};
        row.problem = t->problems[p];
        row.sample = t->samples[c];
        row.rm = name;
        row.score = sc[c];
        row.correct = t->gold[c];
        row.answer = t->answer && t->answer[c] >= 0 ? t->answers[t->answer[c]]
                                                    : NULL;
        if(r < (size_t)t->n_rms && t->steps_off) {
          size_t i = r * t->n_cands + c;
          row.steps = t->steps_val + t->steps_off[i];
          row.n_steps = (int)(t->steps_off[i + 1] - t->steps_off[i]);
        }
        if(stats_builder_add(b, &row, err) < 0) {
          stats_builder_free(b);
          return NULL;
        }
      }
  }
  struct stats_table *n = stats_builder_finish(b, err);
  if(n) {
    free(n->source);
    n->source = xstrdup(t->source ? t->source : "<memory>");
    n->counts = t->counts;
  }
  return n;
}

int stats_table_add_derived(struct stats_table **tp, const char *steps,
                            const char *const *specs, size_t n_specs,
                            struct bon_err *err)
{
  struct stats_derived d;
  struct stats_table *t = *tp;
  if(stats_derive_rms(t, steps, specs, n_specs, &d, err) < 0)
    return -1;
  int nr = t->n_rms, rc = 0;
  for(size_t i = 0; i < d.n && !rc; i++)
    rc = stats_table_add_rm(t, d.names[i], d.scores[i], err);
  if(rc)
    t->n_rms = nr; /* drop what was appended: t is as before */
  stats_derived_free(&d);
  return rc;
}

/* ---- bench --------------------------------------------------------- */

void stats_bench_opts_init(struct stats_bench_opts *o)
{
  memset(o, 0, sizeof *o);
  o->bootstrap = 1000;
  o->seed = 1;
  o->level = 0.95;
  o->missing = STATS_MISSING_WORST;
}

/* The replicates [b0, b1) of the paired bootstrap over problems.
 *
 * Every metric here is a function of the pessimistic rank q of the
 * correct candidate: mrr = 1/q and accuracy = (q == 1).  So the fast path
 * stores one 16-bit rank per (problem, RM), 0 for a dropped problem: 2
 * bytes instead of 17, which keeps the randomly accessed table in cache.
 * The sums are taken in the same order with the same terms as
 * stats_bench_aggregate, so the results are identical.  When a metric is
 * not of that form (never, for the metrics of metrics.h) the general path
 * reads doubles. */
struct boot_job {
  const uint16_t *rank;      /* [np][nrm] fast path, or NULL */
  const double *val;         /* [np][nrm][2]: acc, mrr (0 when dropped) */
  const unsigned char *use;  /* [np][nrm] or NULL when nothing dropped */
  const double *inv;         /* inv[q] = 1/q, inv[0] = 0 */
  size_t nrm, np, B, b0, b1;
  uint64_t seed;
  double *ba, *bm;           /* [nrm][B], NaN when no problem counted */
};

static void *boot_run(void *arg)
{
  struct boot_job *j = arg;
  size_t nrm = j->nrm, np = j->np;
  double *sum = xmalloc(2 * nrm * sizeof *sum);
  size_t *cnt = xmalloc(2 * nrm * sizeof *cnt);
  for(size_t b = j->b0; b < j->b1; b++) {
    struct rng g;
    rng_seed(&g, j->seed, STATS_BENCH_STREAM, b);
    memset(sum, 0, 2 * nrm * sizeof *sum);
    memset(cnt, 0, 2 * nrm * sizeof *cnt); /* [r]: used, [nrm + r]: wins */
    for(size_t i = 0; i < np; i++) {
      size_t k = (size_t)rng_below(&g, np);
      if(j->rank) {
        const uint16_t *q = j->rank + k * nrm;
        for(size_t r = 0; r < nrm; r++) {
          sum[r] += j->inv[q[r]];
          cnt[r] += q[r] != 0;
          cnt[nrm + r] += q[r] == 1;
        }
        continue;
      }
      const double *v = j->val + k * 2 * nrm;
      for(size_t r = 0; r < nrm; r++) {
        sum[nrm + r] += v[2 * r];
        sum[r] += v[2 * r + 1];
        cnt[r] += j->use ? j->use[k * nrm + r] : 1;
      }
    }
    for(size_t r = 0; r < nrm; r++) {
      double n = (double)cnt[r];
      double acc = j->rank ? (double)cnt[nrm + r] : sum[nrm + r];
      j->ba[r * j->B + b] = n > 0 ? acc / n : NAN;
      j->bm[r * j->B + b] = n > 0 ? sum[r] / n : NAN;
    }
  }
  free(sum);
  free(cnt);
  return NULL;
}

/* Drop the NaN entries of v[0..n) in place; returns how many are left. */
static size_t compact(double *v, size_t n)
{
  size_t m = 0;
  for(size_t i = 0; i < n; i++)
    if(!isnan(v[i]))
      v[m++] = v[i];
  return m;
}

void stats_bench_aggregate_multi(const struct stats_problem_metric *const *pm,
                                 size_t nrm, size_t np, size_t B,
                                 uint64_t seed, double level, int threads,
                                 struct stats_bench_metrics *out)
{
  for(size_t r = 0; r < nrm; r++)
    stats_bench_aggregate(pm[r], np, 0, seed, level, out + r);
  if(!B || !np || !nrm)
    return;
  /* Problem-major, so one drawn problem is one contiguous block. */
  uint16_t *rank = xmalloc(np * nrm * sizeof *rank);
  unsigned char *use = xmalloc(np * nrm);
  double *val = NULL;
  size_t maxq = 1;
  int any_drop = 0, fast = 1;
  for(size_t i = 0; i < np && fast; i++)
    for(size_t r = 0; r < nrm; r++) {
      const struct stats_problem_metric *m = &pm[r][i];
      uint16_t q = 0;
      if(!m->dropped) {
        double qd = 1 / m->mrr;
        fast = qd >= 1 && qd < 65535 && qd == floor(qd) &&
               1.0 / qd == m->mrr && m->acc == (qd == 1);
        q = fast ? (uint16_t)qd : 0;
        maxq = q > maxq ? q : maxq;
      }
      rank[i * nrm + r] = q;
      use[i * nrm + r] = !m->dropped;
      any_drop |= m->dropped;
    }
  if(!fast) {
    val = xmalloc(np * nrm * 2 * sizeof *val);
    for(size_t i = 0; i < np; i++)
      for(size_t r = 0; r < nrm; r++) {
        int u = !pm[r][i].dropped;
        use[i * nrm + r] = (unsigned char)u;
        val[(i * nrm + r) * 2] = u ? pm[r][i].acc : 0;
        val[(i * nrm + r) * 2 + 1] = u ? pm[r][i].mrr : 0;
        any_drop |= !u;
      }
  }
  double *inv = xmalloc((maxq + 1) * sizeof *inv);
  inv[0] = 0;
  for(size_t q = 1; q <= maxq; q++)
    inv[q] = 1.0 / (double)q;
  double *ba = xmalloc(nrm * B * sizeof *ba);
  double *bm = xmalloc(nrm * B * sizeof *bm);
  /* Replicates are independent streams, so splitting them over threads
   * gives the same numbers as one thread. */
  long ncpu = threads > 0 ? threads : sysconf(_SC_NPROCESSORS_ONLN);
  size_t nt = ncpu > 1 ? (size_t)ncpu : 1;
  if(nt > 64)
    nt = 64;
  if((double)np * (double)nrm * (double)B < 4e6)
    nt = 1;
  if(nt > B)
    nt = B;
  struct boot_job *jobs = xcalloc(nt, sizeof *jobs);
  pthread_t *th = xcalloc(nt, sizeof *th);
  int *started = xcalloc(nt, sizeof *started);
  for(size_t k = 0; k < nt; k++) {
    struct boot_job *j = jobs + k;
    j->rank = fast ? rank : NULL;
    j->val = val;
    j->use = any_drop ? use : NULL;
    j->inv = inv;
    j->nrm = nrm;
    j->np = np;
    j->B = B;
    j->b0 = B * k / nt;
    j->b1 = B * (k + 1) / nt;
    j->seed = seed;
    j->ba = ba;
    j->bm = bm;
    if(k > 0)
      started[k] = pthread_create(th + k, NULL, boot_run, j) == 0;
  }
  boot_run(jobs);
  for(size_t k = 1; k < nt; k++) {
    if(started[k])
      pthread_join(th[k], NULL);
    else
      boot_run(jobs + k); /* no thread: do its share here */
  }
  double al = (1 - level) / 2;
  for(size_t r = 0; r < nrm; r++) {
    if(!out[r].problems)
      continue;
    size_t na = compact(ba + r * B, B), nm = compact(bm + r * B, B);
    out[r].accuracy_lo = stats_metrics_quantile(ba + r * B, na, al);
    out[r].accuracy_hi = stats_metrics_quantile(ba + r * B, na, 1 - al);
    out[r].mrr_lo = stats_metrics_quantile(bm + r * B, nm, al);
    out[r].mrr_hi = stats_metrics_quantile(bm + r * B, nm, 1 - al);
  }
  free(jobs);
  free(th);
  free(started);
  free(val);
  free(rank);
  free(inv);
  free(use);
  free(ba);
  free(bm);
}

void stats_bench_report_free(struct stats_bench_report *rep)
{
  if(!rep)
    return;
  for(size_t i = 0; i < rep->n_rms; i++)
    free(rep->rms[i].rm);
  free(rep->rms);
  free_strs(rep->warnings, rep->n_warnings);
  free(rep->source);
  memset(rep, 0, sizeof *rep);
}

static int is_pairwise(const struct stats_bench_opts *o, const char *rm)
{
  for(size_t i = 0; i < o->n_pairwise; i++)
    if(!strcmp(o->pairwise[i], rm))
      return 1;
  return 0;
}

/* Check every problem: one correct, >= 1 incorrect, gold 0/1.  Fills
 * correct[p] (candidate index) or -1 for a skipped problem.  On error,
 * *bad gets the problem index. */
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
        return bon_errf(err, "problem '%s' %s (%g); bench needs exactly "
                        "one candidate with correct=1 and the others 0 "
                        "(or pass --skip-bad)", t->problems[p], why, odd);
      return bon_errf(err, "problem '%s' %s; bench needs exactly one "
                      "candidate with correct=1 and at least one with "
                      "correct=0 (or pass --skip-bad)", t->problems[p], why);
    }
    if(skipped < 5)
      buf_printf(&ids, "%s'%s' (%s)", skipped ? ", " : "", t->problems[p],
                 why);
    skipped++;
  }
  rep->problems_skipped = skipped;
  if(skipped)
    warn(&rep->warnings, &rep->n_warnings,
         "skipped %zu malformed problem%s (--skip-bad): %s%s", skipped,
         skipped > 1 ? "s" : "", buf_str(&ids), skipped > 5 ? ", ..." : "");
  buf_free(&ids);
  return 0;
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
  for(size_t i = 0; i < o->n_pairwise; i++)
    if(stats_table_rm_index(t, o->pairwise[i]) < 0) {
      stats_bench_report_free(rep);
      return bon_errf(err, "--pairwise %s: no such RM in %s",
                      o->pairwise[i], t->source);
    }
  long *correct = xmalloc((t->n_problems ? t->n_problems : 1) *
                          sizeof *correct);
  struct stats_derived d;
  memset(&d, 0, sizeof d);
  if(check_problems(t, o, correct, rep, bad, err) < 0 ||
     stats_derive_rms(t, o->steps, o->ensembles, o->n_ensembles, &d,
                      err) < 0) {
    free(correct);
    stats_bench_report_free(rep);
    return -1;
  }
  size_t np = 0;
  for(int p = 0; p < t->n_problems; p++)
    np += correct[p] >= 0;
  rep->problems_used = np;
  if(!np) {
    free(correct);
    stats_derived_free(&d);
    stats_bench_report_free(rep);
    return bon_errf(err, "%s: no usable problem (each needs one correct "
                    "and at least one incorrect candidate)", t->source);
  }
  size_t nrm = (size_t)t->n_rms + d.n;
  struct stats_problem_metric **pm = xmalloc(nrm * sizeof *pm);
  rep->rms = xcalloc(nrm, sizeof *rep->rms);
  rep->n_rms = nrm;
  double *inc = xmalloc((rep->k_max + 1) * sizeof *inc);
  for(size_t r = 0; r < nrm; r++) {
    int base = r < (size_t)t->n_rms;
    const char *name = base ? t->rms[r] : d.names[r - t->n_rms];
    const double *sc = base ? t->score + r * t->n_cands
                            : d.scores[r - t->n_rms];
    int pw = base && is_pairwise(o, name);
    rep->rms[r].rm = xstrdup(name);
    rep->rms[r].kind = pw ? "pairwise" : base ? "score"
                       : d.kind[r - t->n_rms] == STATS_DERIVED_STEPS
                           ? "steps"
                           : "ensemble";
    pm[r] = xmalloc(np * sizeof **pm);
    size_t q = 0;
    for(int p = 0; p < t->n_problems; p++) {
      if(correct[p] < 0)
        continue;
      size_t k = 0;
      for(size_t c = t->cand_off[p]; c < t->cand_off[p + 1]; c++)
        if((long)c != correct[p])
          inc[k++] = sc[c];
      if(pw)
        stats_problem_pairwise(inc, k, o->missing, pm[r] + q);
      else
        stats_problem_scores(sc[correct[p]], inc, k, o->missing, pm[r] + q);
      q++;
    }
  }
  struct stats_bench_metrics *m = xmalloc(nrm * sizeof *m);
  stats_bench_aggregate_multi((const struct stats_problem_metric *const *)pm,
                              nrm, np, o->bootstrap, o->seed, o->level,
                              o->threads, m);
  for(size_t r = 0; r < nrm; r++) {
    rep->rms[r].m = m[r];
    if(m[r].missing)
      warn(&rep->warnings, &rep->n_warnings,
           "RM %s: %zu missing score%s (%s)", rep->rms[r].rm, m[r].missing,
           m[r].missing > 1 ? "s" : "",
           o->missing == STATS_MISSING_DROP
               ? "problems with one are dropped"
               : "ranked below every present score");
    free(pm[r]);
  }
  if(d.n && o->n_ensembles)
    warn(&rep->warnings, &rep->n_warnings,
         "ensembles combine standardised scores (each member z-scored "
         "over the pool)");
  free(m);
  free(pm);
  free(inc);
  free(correct);
  stats_derived_free(&d);
  return 0;
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
  const char *col = o->col_problem ? o->col_problem : "problem_id";
  size_t nl = strlen(path);
  const char *p = data;
  while(p < data + len && (*p == ' ' || *p == '\t' || *p == '\n' ||
                           *p == '\r'))
    p++;
  int json = o->format == STATS_FMT_JSONL ||
             (o->format == STATS_FMT_AUTO &&
              ((nl > 6 && !strcmp(path + nl - 6, ".jsonl")) ||
               (nl > 5 && !strcmp(path + nl - 5, ".json")) ||
               (nl > 7 && !strcmp(path + nl - 7, ".ndjson")) ||
               (p < data + len && *p == '{')));
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

static void json_num(cJSON *o, const char *k, double v)
{
  if(isfinite(v))
    cJSON_AddNumberToObject(o, k, v);
  else
    cJSON_AddNullToObject(o, k);
}

static cJSON *json_strs(char **s, size_t n)
{
  cJSON *a = cJSON_CreateArray();
  for(size_t i = 0; i < n; i++)
    cJSON_AddItemToArray(a, cJSON_CreateString(s[i]));
  return a;
}

static int write_json(const char *dir, const char *name, cJSON *root,
                      struct bon_err *err)
{
  char *text = cJSON_Print(root);
  char *path = fs_join(dir, name);
  struct buf b = BUF_INIT;
  buf_puts(&b, text);
  buf_putc(&b, '\n');
  int rc = fs_write_atomic(path, b.data, b.len, err);
  buf_free(&b);
  free(text);
  free(path);
  return rc;
}

static int write_text(const char *dir, const char *name, const struct buf *b,
                      struct bon_err *err)
{
  char *path = fs_join(dir, name);
  int rc = fs_write_atomic(path, buf_str(b), b->len, err);
  free(path);
  return rc;
}

int stats_bench_write(const struct stats_bench_report *rep, const char *dir,
                      struct bon_err *err)
{
  if(fs_mkdirs(dir, err) < 0)
    return -1;
  struct buf b = BUF_INIT;
  buf_puts(&b, "rm,problems,k,accuracy,accuracy_lo,accuracy_hi,"
               "accuracy_ties,accuracy_random,mrr,mrr_lo,mrr_hi,mrr_random,"
               "missing,baseline_accuracy,baseline_mrr,tie_rate,dropped,"
               "kind\n");
  for(size_t i = 0; i < rep->n_rms; i++) {
    const struct stats_bench_metrics *m = &rep->rms[i].m;
    stats_csv_put(&b, rep->rms[i].rm);
    buf_printf(&b, ",%zu,", m->problems);
    double v[] = {m->k, m->accuracy, m->accuracy_lo, m->accuracy_hi,
                  m->accuracy_ties, m->accuracy_random, m->mrr, m->mrr_lo,
                  m->mrr_hi, m->mrr_random};
    for(size_t j = 0; j < sizeof v / sizeof *v; j++) {
      stats_csv_num(&b, v[j]);
      buf_putc(&b, ',');
    }
    buf_printf(&b, "%zu,", m->missing);
    stats_csv_num(&b, m->baseline_accuracy);
    buf_putc(&b, ',');
    stats_csv_num(&b, m->baseline_mrr);
    buf_putc(&b, ',');
    stats_csv_num(&b, m->tie_rate);
    buf_printf(&b, ",%zu,%s\n", m->dropped, rep->rms[i].kind);
  }
  int rc = write_text(dir, "benchmark.csv", &b, err);
  buf_free(&b);
  if(rc < 0)
    return -1;

  const struct stats_bench_opts *o = &rep->opts;
  cJSON *root = cJSON_CreateObject();
  cJSON *in = cJSON_AddObjectToObject(root, "inputs");
  cJSON_AddStringToObject(in, "scores", rep->source);
  cJSON *op = cJSON_AddObjectToObject(root, "options");
  cJSON_AddNumberToObject(op, "bootstrap", (double)o->bootstrap);
  cJSON_AddNumberToObject(op, "seed", (double)o->seed);
  cJSON_AddNumberToObject(op, "level", o->level);
  cJSON_AddStringToObject(op, "steps", o->steps ? o->steps : "");
  cJSON_AddItemToObject(op, "ensembles",
                        json_strs((char **)o->ensembles, o->n_ensembles));
  cJSON_AddItemToObject(op, "pairwise",
                        json_strs((char **)o->pairwise, o->n_pairwise));
  cJSON_AddStringToObject(op, "missing", o->missing == STATS_MISSING_DROP
                                             ? "drop"
                                             : "worst");
  cJSON_AddBoolToObject(op, "skip_bad", o->skip_bad);
  if(o->table.n_rms)
    cJSON_AddItemToObject(op, "rms", json_strs((char **)o->table.rms,
                                               (size_t)o->table.n_rms));
  cJSON *cn = cJSON_AddObjectToObject(root, "counts");
  cJSON_AddNumberToObject(cn, "rows", (double)rep->rows_read);
  cJSON_AddNumberToObject(cn, "problems", (double)rep->problems_total);
  cJSON_AddNumberToObject(cn, "problems_used", (double)rep->problems_used);
  cJSON_AddNumberToObject(cn, "problems_skipped",
                          (double)rep->problems_skipped);
  cJSON_AddNumberToObject(cn, "k_min", (double)rep->k_min);
  cJSON_AddNumberToObject(cn, "k_max", (double)rep->k_max);
  cJSON_AddNumberToObject(cn, "rms", (double)rep->n_rms);
  cJSON_AddItemToObject(root, "warnings",
                        json_strs(rep->warnings, rep->n_warnings));
  cJSON_AddStringToObject(
      root, "conventions",
      "accuracy: correct strictly above every incorrect (a tie fails); "
      "accuracy_ties: ties win; *_random: ties broken uniformly at random; "
      "mrr: ties ranked pessimistically; intervals: bootstrap percentile "
      "over problems, the same resampled problems for every RM; ensembles "
      "combine scores standardised per RM over the pool");
  cJSON *arr = cJSON_AddArrayToObject(root, "rms");
  for(size_t i = 0; i < rep->n_rms; i++) {
    const struct stats_bench_metrics *m = &rep->rms[i].m;
    cJSON *x = cJSON_CreateObject();
    cJSON_AddStringToObject(x, "rm", rep->rms[i].rm);
    cJSON_AddStringToObject(x, "kind", rep->rms[i].kind);
    cJSON_AddNumberToObject(x, "problems", (double)m->problems);
    json_num(x, "k", m->k);
    json_num(x, "accuracy", m->accuracy);
    json_num(x, "accuracy_lo", m->accuracy_lo);
    json_num(x, "accuracy_hi", m->accuracy_hi);
    json_num(x, "accuracy_ties", m->accuracy_ties);
    json_num(x, "accuracy_random", m->accuracy_random);
    json_num(x, "mrr", m->mrr);
    json_num(x, "mrr_lo", m->mrr_lo);
    json_num(x, "mrr_hi", m->mrr_hi);
    json_num(x, "mrr_random", m->mrr_random);
    json_num(x, "baseline_accuracy", m->baseline_accuracy);
    json_num(x, "baseline_mrr", m->baseline_mrr);
    json_num(x, "tie_rate", m->tie_rate);
    cJSON_AddNumberToObject(x, "missing", (double)m->missing);
    cJSON_AddNumberToObject(x, "dropped", (double)m->dropped);
    cJSON_AddItemToArray(arr, x);
  }
  rc = write_json(dir, "summary.json", root, err);
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

/* ---- correlate ----------------------------------------------------- */

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
  const struct stats_csv *cx = tx->csv, *cy = ty->csv;
  struct stats_corr_pair pr;
  memset(&pr, 0, sizeof pr);
  pr.x = xstrdup(xs);
  pr.y = xstrdup(ys);
  size_t cap = cx->nrows ? cx->nrows : 1;
  pr.rms = xmalloc(cap * sizeof *pr.rms);
  pr.xv = xmalloc(cap * sizeof *pr.xv);
  pr.yv = xmalloc(cap * sizeof *pr.yv);
  struct buf only_x = BUF_INIT, only_y = BUF_INIT, nan = BUF_INIT;
  size_t nox = 0, noy = 0, nnan = 0;
  unsigned char *seen = xcalloc(cy->nrows ? cy->nrows : 1, 1);
  for(size_t i = 0; i < cx->nrows; i++) {
    const char *rm = stats_csv_get(cx, i, (size_t)tx->rm_col);
    size_t j = cy->nrows;
    for(size_t k = 0; k < cy->nrows; k++)
      if(!strcmp(stats_csv_get(cy, k, (size_t)ty->rm_col), rm)) {
        j = k;
        break;
      }
    if(j == cy->nrows) {
      list_add(&only_x, &nox, rm);
      continue;
    }
    seen[j] = 1;
    if(isnan(vx[i]) || isnan(vy[j])) {
      list_add(&nan, &nnan, rm);
      continue;
    }
    pr.rms[pr.n] = xstrdup(rm);
    pr.xv[pr.n] = vx[i];
    pr.yv[pr.n] = vy[j];
    pr.n++;
  }
  for(size_t k = 0; k < cy->nrows; k++)
    if(!seen[k])
      list_add(&only_y, &noy, stats_csv_get(cy, k, (size_t)ty->rm_col));
  if(nox)
    warn(&rep->warnings, &rep->n_warnings, "%s vs %s: %zu RM%s only in %s, "
         "dropped: %s%s", xs, ys, nox, nox > 1 ? "s" : "", tx->file,
         buf_str(&only_x), nox > 8 ? ", ..." : "");
  if(noy)
    warn(&rep->warnings, &rep->n_warnings, "%s vs %s: %zu RM%s only in %s, "
         "dropped: %s%s", xs, ys, noy, noy > 1 ? "s" : "", ty->file,
         buf_str(&only_y), noy > 8 ? ", ..." : "");
  if(nnan)
    warn(&rep->warnings, &rep->n_warnings, "%s vs %s: %zu RM%s with a nan "
         "value, dropped: %s%s", xs, ys, nnan, nnan > 1 ? "s" : "",
         buf_str(&nan), nnan > 8 ? ", ..." : "");
  buf_free(&only_x);
  buf_free(&only_y);
  buf_free(&nan);
  free(seen);
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
    free_strs(pr.rms, pr.n);
    free(pr.xv);
    free(pr.yv);
    free(pr.x);
    free(pr.y);
    return -1;
  }
  if(pr.c.warning[0])
    warn(&rep->warnings, &rep->n_warnings, "%s vs %s: %s", xs, ys,
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
    struct stats_corr_pair *p = rep->pairs + i;
    free_strs(p->rms, p->n);
    free(p->xv);
    free(p->yv);
    free(p->x);
    free(p->y);
    stats_corr_free(&p->c);
  }
  free(rep->pairs);
  free_strs(rep->warnings, rep->n_warnings);
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
    return bon_errf(err, "need at least one --x FILE:COLUMN and one --y "
                    "FILE:COLUMN");
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

static cJSON *stat_obj(const char *vname, double v, double p,
                       const char *pname, double lo, double hi)
{
  cJSON *o = cJSON_CreateObject();
  json_num(o, vname, v);
  json_num(o, pname, p);
  json_num(o, "lo", lo);
  json_num(o, "hi", hi);
  return o;
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
    const struct stats_corr_pair *p = rep->pairs + i;
    const struct stats_corr *c = &p->c;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "x", p->x);
    cJSON_AddStringToObject(o, "y", p->y);
    cJSON_AddItemToObject(o, "rms", json_strs(p->rms, p->n));
    cJSON_AddNumberToObject(o, "n", (double)p->n);
    cJSON_AddItemToObject(o, "pearson",
                          stat_obj("r", c->pearson.value, c->pearson_p, "p",
                                   c->fisher_lo, c->fisher_hi));
    json_num(o, "r2", c->r2);
    cJSON_AddItemToObject(o, "spearman",
                          stat_obj("rho", c->spearman.value,
                                   c->spearman.p_perm, "p_perm",
                                   c->spearman.boot_lo,
                                   c->spearman.boot_hi));
    cJSON_AddItemToObject(o, "kendall",
                          stat_obj("tau_b", c->kendall.value,
                                   c->kendall.p_perm, "p_perm",
                                   c->kendall.boot_lo, c->kendall.boot_hi));
    json_num(o, "pearson_p_perm", c->pearson.p_perm);
    cJSON *bs = cJSON_AddObjectToObject(o, "bootstrap");
    cJSON_AddNumberToObject(bs, "replicates", (double)rep->opts.bootstrap);
    json_num(bs, "level", rep->opts.level);
    json_num(bs, "pearson_lo", c->pearson.boot_lo);
    json_num(bs, "pearson_hi", c->pearson.boot_hi);
    json_num(bs, "spearman_lo", c->spearman.boot_lo);
    json_num(bs, "spearman_hi", c->spearman.boot_hi);
    json_num(bs, "kendall_lo", c->kendall.boot_lo);
    json_num(bs, "kendall_hi", c->kendall.boot_hi);
    cJSON_AddNumberToObject(bs, "valid_pearson",
                            (double)c->pearson.boot_valid);
    cJSON *pm = cJSON_AddObjectToObject(o, "permutation");
    cJSON_AddBoolToObject(pm, "exact", c->perm_exact);
    cJSON_AddNumberToObject(pm, "orders", (double)c->perm_count);
    cJSON *loo = cJSON_AddArrayToObject(o, "loo");
    for(size_t k = 0; k < p->n && c->loo_r; k++) {
      cJSON *l = cJSON_CreateObject();
      cJSON_AddStringToObject(l, "rm", p->rms[k]);
      json_num(l, "r", c->loo_r[k]);
      json_num(l, "rho", c->loo_rho[k]);
      json_num(l, "tau", c->loo_tau[k]);
      cJSON_AddItemToArray(loo, l);
    }
    json_num(o, "interval_width", c->interval_width);
    if(c->warning[0])
      cJSON_AddStringToObject(o, "warning", c->warning);
    else
      cJSON_AddNullToObject(o, "warning");
    cJSON_AddItemToArray(root, o);

    stats_csv_put(&b, p->x);
    buf_putc(&b, ',');
    stats_csv_put(&b, p->y);
    buf_printf(&b, ",%zu", p->n);
    double v[] = {c->pearson.value, c->fisher_lo, c->fisher_hi,
                  c->pearson_p, c->r2, c->spearman.value,
                  c->spearman.boot_lo, c->spearman.boot_hi,
                  c->spearman.p_perm, c->kendall.value, c->kendall.boot_lo,
                  c->kendall.boot_hi, c->kendall.p_perm, c->pearson.boot_lo,
                  c->pearson.boot_hi, c->pearson.p_perm, c->interval_width};
    for(size_t k = 0; k < sizeof v / sizeof *v; k++) {
      buf_putc(&b, ',');
      stats_csv_num(&b, v[k]);
    }
    buf_putc(&b, '\n');
  }
  int rc = write_json(dir, "correlation.json", root, err);
  cJSON_Delete(root);
  if(!rc)
    rc = write_text(dir, "correlations.csv", &b, err);
  buf_free(&b);
  return rc;
}

/* a figure of the stdout table: "n/a" for NaN (the files keep "nan") */
static void put_fig(struct buf *out, const char *fmt, double x)
{
  if(isnan(x))
    buf_puts(out, "n/a");
  else
    buf_printf(out, fmt, x);
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
  }
}

/* derive.c - derived RMs: step aggregations and ensembles (see
 * derive.h). */
#include "stats/derive.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/ensemble.h"
#include "stats/steps.h"
#include "util/buf.h"

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

/* `rm/agg` of RM r of t (which has steps) into d.  pc: the problem of
 * every candidate (for messages).  0 or -1 with err. */
static int derive_one(const struct stats_table *t, int r,
                      enum stats_step_agg agg, const int *pc,
                      struct stats_derived *d, struct bon_err *err)
{
  struct buf nb = BUF_INIT;
  buf_printf(&nb, "%s/%s", t->rms[r], stats_step_agg_name(agg));
  if(name_taken(t, d, buf_str(&nb), "list each step aggregation once, and "
                "rename any RM of the table with that name", err) < 0) {
    buf_free(&nb);
    return -1;
  }
  double *s = xmalloc((t->n_cands ? t->n_cands : 1) * sizeof *s);
  for(size_t k = 0; k < t->n_cands; k++) {
    size_t i = (size_t)r * t->n_cands + k;
    size_t a = t->steps_off[i], n = t->steps_off[i + 1] - a;
    s[k] = NAN;
    if(!n)
      continue;
    if(stats_steps_check(agg, t->steps_val + a, n, err) < 0) {
      free(s);
      buf_free(&nb);
      return bon_err_prefix(err, "%s: RM %s, problem %s, sample %s",
                            t->source, t->rms[r], t->problems[pc[k]],
                            t->samples[k]);
    }
    s[k] = stats_step_aggregate(agg, t->steps_val + a, n);
  }
  derived_add(d, nb.data, s, t->n_cands, STATS_DERIVED_STEPS);
  return 0;
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
  int rc = 0;
  for(const char *p = steps; !rc; p++) {
    const char *c = strchr(p, ',');
    size_t len = c ? (size_t)(c - p) : strlen(p);
    char *agname = xstrndup(p, len);
    enum stats_step_agg agg;
    rc = stats_step_agg_parse(agname, &agg, err);
    free(agname);
    for(int r = 0; !rc && r < t->n_rms; r++)
      if(rm_has_steps(t, r))
        rc = derive_one(t, r, agg, pc, d, err);
    if(!c)
      break;
    p = c;
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


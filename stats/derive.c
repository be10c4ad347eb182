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
  free(d->process);
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
  if(!t->steps_off)
    return 0;
  const size_t *o = t->steps_off + (size_t)r * t->n_cands;
  return o[t->n_cands] > o[0];
}

int stats_rm_is_process(const struct stats_table *t, int r)
{
  if(r < 0 || r >= t->n_rms || !rm_has_steps(t, r))
    return 0;
  const double *s = t->score + (size_t)r * t->n_cands;
  for(size_t c = 0; c < t->n_cands; c++)
    if(!isnan(s[c]))
      return 0;
  return 1;
}

size_t stats_process_note(const struct stats_table *t, const char *steps,
                          struct buf *b)
{
  if(!steps || !*steps)
    steps = STATS_STEPS_DEFAULT;
  size_t n = 0;
  for(int r = 0; r < t->n_rms; r++) {
    if(!stats_rm_is_process(t, r))
      continue;
    buf_puts(b, n++ ? "; " : "RMs with step scores only enter through "
                             "their step aggregations: ");
    buf_printf(b, "%s as ", t->rms[r]);
    for(const char *p = steps; *p; p++) {
      const char *c = strchr(p, ',');
      size_t len = c ? (size_t)(c - p) : strlen(p);
      buf_printf(b, "%s%s/%.*s", p == steps ? "" : ", ", t->rms[r],
                 (int)len, p);
      if(!c)
        break;
      p = c;
    }
  }
  return n;
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

/* d->process: the process RMs of t. */
static void find_process(const struct stats_table *t,
                         struct stats_derived *d)
{
  for(int r = 0; r < t->n_rms; r++)
    if(stats_rm_is_process(t, r)) {
      d->process = xrealloc(d->process, (d->n_process + 1) *
                                          sizeof *d->process);
      d->process[d->n_process++] = r;
    }
}

static int derive_steps(const struct stats_table *t, const char *steps,
                        struct stats_derived *d, struct bon_err *err)
{
  int only_process = 0;
  if(!steps || !*steps) {
    if(!d->n_process)
      return 0;
    steps = STATS_STEPS_DEFAULT;
    only_process = 1;
  }
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
      if(only_process ? stats_rm_is_process(t, r) : rm_has_steps(t, r))
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
    int r = stats_table_rm_index(t, s.rms[j]);
    if(stats_rm_is_process(t, r))
      rc = bon_errf(err, "ensemble '%s': RM '%s' has step scores only (a "
                    "process RM), so it has no score of its own; name one "
                    "of its step aggregations instead, e.g. %s/%s", spec,
                    s.rms[j], s.rms[j], STATS_STEPS_DEFAULT);
    else if(r >= 0 && stats_table_rm_kind(t, r) == STATS_RM_PAIRWISE)
      rc = bon_errf(err, "ensemble '%s': RM '%s' is a pairwise judge: its "
                    "values are A/B outcomes, not scores to combine", spec,
                    s.rms[j]);
    else if(!m[j]) {
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
  find_process(t, d);
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
  for(size_t i = d.n_process; !rc && i > 0; i--)
    stats_table_remove_rm(t, d.process[i - 1]);
  stats_derived_free(&d);
  return rc;
}

/* ---- bench --------------------------------------------------------- */


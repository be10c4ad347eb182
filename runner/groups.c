/* groups.c - the analysis per group of problems (groups.h). */
#include "runner/groups.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ingest/problems.h"
#include "runner/stages.h"
#include "stats/analyze.h"
#include "stats/csv.h"
#include "stats/table.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/progress.h"


/* One value of one key. */
struct gval {
  const char *value;   /* borrowed from a run_problem */
  char *dir;           /* its folder name under the key's */
};

/* What the stage writes, across groups. */
struct gout {
  struct buf gains;    /* gains_by_group.csv */
  struct buf index;    /* groups/groups.csv */
  int have_header;     /* gains has its header line */
  char **said;         /* warnings already printed */
  size_t nsaid;
  size_t nmain;        /* said[0..nmain): the whole run's warnings */
  int quiet;
  size_t rootlen;      /* strlen of the run folder + 1: strips it off */
};

/* A number when the whole of s parses as a finite one. */
static int as_number(const char *s, double *x)
{
  char *end;
  *x = strtod(s, &end);
  return *s && !*end && isfinite(*x);
}

/* Numbers in numeric order first, then text, then "(missing)". */
static int cmp_value(const void *a, const void *b)
{
  const char *x = ((const struct gval *)a)->value;
  const char *y = ((const struct gval *)b)->value;
  int mx = !strcmp(x, INGEST_GROUP_MISSING),
      my = !strcmp(y, INGEST_GROUP_MISSING);
  if(mx || my)
    return mx - my;
  double u, v;
  int nx = as_number(x, &u), ny = as_number(y, &v);
  if(nx && ny && u != v)
    return u < v ? -1 : 1;
  if(nx != ny)
    return ny - nx;
  return strcmp(x, y);
}

/* A folder name for s: bytes outside [A-Za-z0-9._+-] become '_', a
 * leading '.' gets a '_' before it, at most 80 bytes; "-2", "-3", ...
 * when one of taken[0..n) already has it. */
static char *dir_name(const char *s, char *const *taken, size_t n)
{
  struct buf b = BUF_INIT;
  if(*s == '.' || !*s)
    buf_putc(&b, '_');
  for(; *s && b.len < 80; s++) {
    unsigned char ch = (unsigned char)*s;
    int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
             (ch >= '0' && ch <= '9') || strchr("._+-", ch);
    buf_putc(&b, ok ? (char)ch : '_');
  }
  size_t base = b.len;
  for(int k = 2;; k++) {
    size_t i = 0;
    while(i < n && strcmp(taken[i], buf_str(&b)))
      i++;
    if(i == n)
      break;
    b.len = base;
    buf_printf(&b, "-%d", k);
  }
  char *d = xstrdup(buf_str(&b));
  buf_free(&b);
  return d;
}

static int cmp_problem(const void *a, const void *b)
{
  return strcmp((*(const struct run_problem *const *)a)->id,
                (*(const struct run_problem *const *)b)->id);
}

/* For each problem of t, its run_problem in c (NULL: not in the config). */
static const struct run_problem **match_problems(const struct stats_table *t,
                                                 const struct run_config *c)
{
  const struct run_problem **by = xcalloc(c->nproblems + 1, sizeof(*by));
  for(size_t i = 0; i < c->nproblems; i++)
    by[i] = &c->problems[i];
  qsort(by, c->nproblems, sizeof(*by), cmp_problem);
  const struct run_problem **of = xcalloc((size_t)t->n_problems + 1,
                                          sizeof(*of));
  for(int p = 0; p < t->n_problems; p++) {
    struct run_problem key = {.id = t->problems[p]};
    const struct run_problem *k = &key, **hit;
    hit = c->nproblems ? bsearch(&k, by, c->nproblems, sizeof(*by),
                                 cmp_problem) : NULL;
    of[p] = hit ? *hit : NULL;
  }
  free(by);
  return of;
}

/* The rows of t's problems with keep[p] set, as a table of their own. */
static struct stats_table *sub_table(const struct stats_table *t,
                                     const char *keep, struct bon_err *err)
{
  struct stats_builder *b = stats_builder_new(NULL);
  for(int p = 0; p < t->n_problems; p++) {
    if(!keep[p])
      continue;
    for(size_t ci = t->cand_off[p]; ci < t->cand_off[p + 1]; ci++)
      for(int r = 0; r < t->n_rms; r++) {
        size_t at = (size_t)r * t->n_cands + ci;
        struct stats_row row = {
          t->problems[p], t->samples[ci], t->rms[r], t->score[at],
          t->gold[ci], NULL, NULL, 0};
        if(t->has_answer)
          row.answer = t->answer[ci] >= 0 ? t->answers[t->answer[ci]] : "";
        if(t->steps_off && t->steps_off[at + 1] > t->steps_off[at]) {
          row.steps = t->steps_val + t->steps_off[at];
          row.n_steps = (int)(t->steps_off[at + 1] - t->steps_off[at]);
        }
        if(stats_builder_add(b, &row, err)) {
          stats_builder_free(b);
          return NULL;
        }
      }
  }
  return stats_builder_finish(b, err);
}

/* Print a group's warning once across groups.  1 when the whole run's
 * analysis does not have it (the group's own), else 0. */
static int say(struct gout *o, const char *key, const char *value,
               const char *w)
{
  for(size_t i = 0; i < o->nsaid; i++)
    if(!strcmp(o->said[i], w))
      return i >= o->nmain;
  o->said = xrealloc(o->said, (o->nsaid + 1) * sizeof(char *));
  o->said[o->nsaid++] = xstrdup(w);
  if(!o->quiet)
    fprintf(stderr, "bonrun: warning: group %s = %s: %s\n", key, value, w);
  return 1;
}

/* The warnings of the whole run's analysis (analysis/summary.json) count
 * as said: a group repeats them only when they differ. */
static void said_already(struct gout *o, const char *dir)
{
  struct bon_err e;
  char *p = fs_join(dir, "analysis/summary.json");
  char *text = fs_read_file(p, NULL, &e);
  cJSON *root = text ? cJSON_Parse(text) : NULL;
  const cJSON *w;
  cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(root, "warnings"))
    if(cJSON_IsString(w)) {
      o->said = xrealloc(o->said, (o->nsaid + 1) * sizeof(char *));
      o->said[o->nsaid++] = xstrdup(w->valuestring);
    }
  o->nmain = o->nsaid;
  cJSON_Delete(root);
  free(text);
  free(p);
}

/* One row of groups.csv. */
static void index_row(struct gout *o, const char *key, const char *value,
                      const char *dir, size_t problems, const char *status,
                      const char *note)
{
  stats_csv_put(&o->index, key);
  buf_putc(&o->index, ',');
  stats_csv_put(&o->index, value);
  buf_putc(&o->index, ',');
  stats_csv_put(&o->index, strlen(dir) > o->rootlen ? dir + o->rootlen
                                                     : dir);
  buf_printf(&o->index, ",%zu,%s,", problems, status);
  stats_csv_put(&o->index, note);
  buf_putc(&o->index, '\n');
}

/* Append the rows of a group's gains.csv, prefixed with key and value. */
static int copy_gains(struct gout *o, const char *gdir, const char *key,
                      const char *value, struct bon_err *err)
{
  char *path = fs_join(gdir, "gains.csv");
  struct stats_csv *g = stats_csv_read(path, err);
  free(path);
  if(!g)
    return -1;
  if(!o->have_header) {
    buf_puts(&o->gains, "key,value");
    for(size_t k = 0; k < g->ncols; k++) {
      buf_putc(&o->gains, ',');
      stats_csv_put(&o->gains, g->header[k]);
    }
    buf_putc(&o->gains, '\n');
    o->have_header = 1;
  }
  for(size_t r = 0; r < g->nrows; r++) {
    stats_csv_put(&o->gains, key);
    buf_putc(&o->gains, ',');
    stats_csv_put(&o->gains, value);
    for(size_t k = 0; k < g->ncols; k++) {
      buf_putc(&o->gains, ',');
      stats_csv_put(&o->gains, stats_csv_get(g, r, k));
    }
    buf_putc(&o->gains, '\n');
  }
  stats_csv_free(g);
  return 0;
}

/* The analysis of one group into gdir.  1 when the group could not be
 * analysed (recorded as skipped), 0 when done, -1 on a write error. */
static int analyse_group(const struct stats_table *t, const char *keep,
                         const struct run_config *c, const char *gdir,
                         const char *key, const char *value,
                         struct gout *o, struct bon_err *err)
{
  struct stats_analysis res;
  struct stats_table *sub = sub_table(t, keep, err);
  int rc = sub ? add_ensembles(&sub, c, err) : -1;
  if(!rc) {
    struct stats_analyze_opts ao;
    analyze_opts(c, &ao);
    struct buf name = BUF_INIT;
    buf_printf(&name, "scores.csv (group %s = %s)", key, value);
    ao.input_name = buf_str(&name);
    rc = stats_analyze(&ao, sub, &res, err);
    buf_free(&name);
  }
  stats_table_free(sub);
  if(rc)
    return 1;  /* the reason is in err */
  rc = stats_analyze_write(&res, gdir, err);
  struct buf notes = BUF_INIT;
  int own = 0;
  for(size_t i = 0; i < res.n_warnings; i++) {
    own |= say(o, key, value, res.warnings[i]);
    buf_printf(&notes, "%s%s", i ? "; " : "", res.warnings[i]);
  }
  if(!rc)
    index_row(o, key, value, gdir, (size_t)res.problems,
              own ? "warning" : "ok", buf_str(&notes));
  buf_free(&notes);
  stats_analysis_free(&res);
  return rc ? -1 : copy_gains(o, gdir, key, value, err);
}

/* The distinct values of key g among t's problems (of[] from
 * match_problems), sorted, with their folder names. */
static struct gval *values_of(const struct stats_table *t,
                              const struct run_problem **of, size_t g,
                              size_t *nv)
{
  struct gval *v = xcalloc((size_t)t->n_problems + 1, sizeof(*v));
  size_t n = 0;
  for(int p = 0; p < t->n_problems; p++) {
    if(!of[p])
      continue;
    size_t i = 0;
    while(i < n && strcmp(v[i].value, of[p]->groups[g]))
      i++;
    if(i == n)
      v[n++].value = of[p]->groups[g];
  }
  qsort(v, n, sizeof(*v), cmp_value);
  char **taken = xcalloc(n + 1, sizeof(char *));
  for(size_t i = 0; i < n; i++)
    taken[i] = v[i].dir = dir_name(v[i].value, taken, i);
  free(taken);
  *nv = n;
  return v;
}

/* Every value of key g: its problems' analysis under kdir. */
static int analyse_key(const struct stats_table *t,
                       const struct run_problem **of,
                       const struct run_config *c, size_t g,
                       const char *kdir, struct gout *o,
                       struct bon_err *err)
{
  size_t nv;
  struct gval *v = values_of(t, of, g, &nv);
  char *keep = xcalloc((size_t)t->n_problems + 1, 1);
  const char *key = c->group_keys[g];
  int rc = 0;
  for(size_t i = 0; i < nv && !rc; i++) {
    size_t np = 0;
    for(int p = 0; p < t->n_problems; p++) {
      keep[p] = of[p] && !strcmp(of[p]->groups[g], v[i].value);
      np += (size_t)keep[p];
    }
    char *gdir = fs_join(kdir, v[i].dir);
    struct bon_err why;
    rc = analyse_group(t, keep, c, gdir, key, v[i].value, o, &why);
    if(rc == 1) {
      say(o, key, v[i].value, why.msg);
      index_row(o, key, v[i].value, gdir, np, "skipped", why.msg);
      rc = 0;
    }
    else if(rc)
      *err = why;
    free(gdir);
  }
  for(size_t i = 0; i < nv; i++)
    free(v[i].dir);
  free(v);
  free(keep);
  return rc;
}

static uint64_t hash_groups(uint64_t h, const struct run_config *c)
{
  for(size_t g = 0; g < c->ngroups; g++)
    h = hash_str(h, c->group_keys[g]);
  for(size_t i = 0; i < c->nproblems; i++) {
    h = hash_str(h, c->problems[i].id);
    for(size_t g = 0; g < c->ngroups; g++)
      h = hash_str(h, c->problems[i].groups[g]);
  }
  return h;
}

/* Every key; then the two tables. */
static int analyse_all(const char *dir, const struct run_config *c,
                       const char *groot, struct gout *o,
                       struct bon_err *err)
{
  char *scores = fs_join(dir, "scores.csv");
  struct stats_table *t = stats_table_read(scores, NULL, err);
  free(scores);
  if(!t)
    return -1;
  const struct run_problem **of = match_problems(t, c);
  char **kdirs = xcalloc(c->ngroups + 1, sizeof(char *));
  struct progress prog;
  progress_start(&prog, "groups", c->ngroups, o->quiet);
  buf_puts(&o->index, "key,value,dir,problems,status,warnings\n");
  int rc = 0;
  for(size_t g = 0; g < c->ngroups && !rc; g++) {
    char *name = dir_name(c->group_keys[g], kdirs, g);
    kdirs[g] = fs_join(groot, name);
    free(name);
    rc = analyse_key(t, of, c, g, kdirs[g], o, err);
    progress_add(&prog, 1, 0);
  }
  progress_end(&prog, rc ? "failed" : "per-group curves and gains");
  for(size_t g = 0; g < c->ngroups; g++)
    free(kdirs[g]);
  free(kdirs);
  free(of);
  stats_table_free(t);
  return rc;
}

static void remove_tables(const char *dir)
{
  static const char *const old[] = {"analysis/gains_by_group.csv",
                                    "analysis/groups/groups.csv",
                                    "analysis/groups/.inputs", NULL};
  for(const char *const *f = old; *f; f++) {
    char *p = fs_join(dir, *f);
    unlink(p);
    free(p);
  }
}

int stage_groups(const char *dir, const struct run_config *c, int quiet,
                 struct bon_err *err)
{
  if(!c->ngroups) {
    remove_tables(dir);
    return 0;
  }
  char *groot = fs_join(dir, "analysis/groups");
  char *scores = fs_join(dir, "scores.csv");
  uint64_t h = hash_file(hash_str(HASH_INIT, "groups"), scores);
  h = hash_groups(hash_config(h, c), c);
  free(scores);
  static const char *const outputs[] = {"groups.csv",
                                        "../gains_by_group.csv", NULL};
  int rc = 0;
  if(stage_fresh(groot, h, outputs)) {
    if(!quiet)
      fprintf(stderr, "%-12s up to date\n", "groups");
    free(groot);
    return 0;
  }
  struct gout o;
  memset(&o, 0, sizeof(o));
  o.quiet = quiet;
  o.rootlen = strlen(dir);
  o.rootlen += o.rootlen && dir[o.rootlen - 1] != '/';
  said_already(&o, dir);
  rc = fs_mkdirs(groot, err);
  if(!rc)
    rc = analyse_all(dir, c, groot, &o, err);
  char *gp = fs_join(groot, "groups.csv");
  char *bp = fs_join(dir, "analysis/gains_by_group.csv");
  if(!o.have_header)  /* no group could be analysed */
    buf_puts(&o.gains, "key,value,rm\n");
  if(!rc)
    rc = fs_write_atomic(gp, o.index.data, o.index.len, err);
  if(!rc)
    rc = fs_write_atomic(bp, o.gains.data, o.gains.len, err);
  if(!rc)
    rc = stage_done(groot, h, err);
  free(gp);
  free(bp);
  for(size_t i = 0; i < o.nsaid; i++)
    free(o.said[i]);
  free(o.said);
  buf_free(&o.gains);
  buf_free(&o.index);
  free(groot);
  return rc;
}

/* table_build.c - the scores-table builder: rows in (from the readers or
 * stats_builder_add), the organised table out (see table.h and
 * table_int.h). */
#include "stats/table_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/runtime.h"
#include "util/hash.h"
#include "util/rng.h"

/* ---- string arena ---- */

struct stats_chunk {
  struct stats_chunk *next;
  size_t used, cap;
  char data[];
};

char *stats_arena_dup(struct stats_arena *a, const char *s, size_t n)
{
  if(!a->head || a->head->cap - a->head->used < n + 1) {
    size_t cap = n + 1 > 65536 ? n + 1 : 65536;
    struct stats_chunk *c = xmalloc(sizeof(*c) + cap);
    c->next = a->head;
    c->used = 0;
    c->cap = cap;
    a->head = c;
  }
  char *d = a->head->data + a->head->used;
  memcpy(d, s, n);
  d[n] = '\0';
  a->head->used += n + 1;
  return d;
}

void stats_arena_free(struct stats_arena *a)
{
  struct stats_chunk *c = a->head;
  while(c) {
    struct stats_chunk *n = c->next;
    free(c);
    c = n;
  }
  a->head = NULL;
}

/* ---- string interner over util/u64map ----
 * The map's key is the string's hash (made odd, so never the empty key 0);
 * two strings with the same hash (never seen in practice, but possible)
 * are told apart by re-hashing the key until a free slot or the string
 * itself is found, so no lookup can ever confuse them. */

long stats_strtab_find(struct stats_strtab *t, struct stats_arena *a,
                       const char *s, size_t n, int add)
{
  uint64_t k = hash_mem(s, n) | 1;
  for(;; k = mix64(k) | 1) {
    struct u64map_slot *slot;
    int fresh = 0;
    if(add)
      slot = u64map_put(&t->map, k, &fresh);
    else if(!(slot = (struct u64map_slot *)u64map_get(&t->map, k)))
      return -1;
    if(!fresh) {
      uint32_t i = slot->b;
      if(t->len[i] == n && !memcmp(t->str[i], s, n))
        return (long)i;
      continue;
    }
    if(t->n == t->cap) {
      t->cap = t->cap ? t->cap * 2 : 64;
      t->str = xrealloc(t->str, t->cap * sizeof(*t->str));
      t->len = xrealloc(t->len, t->cap * sizeof(*t->len));
    }
    slot->b = (uint32_t)t->n;
    t->str[t->n] = stats_arena_dup(a, s, n);
    t->len[t->n] = (uint32_t)n;
    return (long)t->n++;
  }
}

void stats_strtab_free(struct stats_strtab *t)
{
  u64map_free(&t->map);
  free(t->str);
  free(t->len);
  memset(t, 0, sizeof(*t));
}

/* ---- the builder ---- */

#define UNSET_ANSWER (-2)

static void rmcol_resize(struct stats_rmcol *c, size_t old, size_t cap,
                         int steps)
{
  c->score = xrealloc(c->score, cap * sizeof(*c->score));
  c->present = xrealloc(c->present, cap);
  memset(c->present + old, 0, cap - old);
  if(steps) {
    size_t o = c->st_n ? old : 0;
    c->st_off = xrealloc(c->st_off, cap * sizeof(*c->st_off));
    c->st_n = xrealloc(c->st_n, cap * sizeof(*c->st_n));
    memset(c->st_n + o, 0, (cap - o) * sizeof(*c->st_n));
  }
}

struct stats_builder *stats_builder_new(const struct stats_table_opts *o)
{
  struct stats_builder *b = xcalloc(1, sizeof(*b));
  b->name = "<memory>";
  b->memory = 1;
  b->last_problem = b->last_sample = b->last_rm = b->last_cand = -1;
  b->threads = o ? o->threads : 0;
  if(o && o->rms && o->n_rms > 0) {
    b->filtering = 1;
    for(int i = 0; i < o->n_rms; i++)
      stats_strtab_find(&b->filter, &b->arena, o->rms[i], strlen(o->rms[i]),
                        1);
  }
  return b;
}

void stats_builder_free(struct stats_builder *b)
{
  if(!b)
    return;
  for(size_t i = 0; i < b->rms.n; i++) {
    free(b->rm[i].score);
    free(b->rm[i].present);
    free(b->rm[i].st_off);
    free(b->rm[i].st_n);
  }
  stats_strtab_free(&b->problems);
  stats_strtab_free(&b->samples);
  stats_strtab_free(&b->rms);
  stats_strtab_free(&b->answers);
  stats_strtab_free(&b->filter);
  u64map_free(&b->cands);
  free(b->c_problem);
  free(b->c_sample);
  free(b->c_gold);
  free(b->c_answer);
  free(b->c_line);
  free(b->rm);
  free(b->rm_next);
  free(b->steps);
  stats_arena_free(&b->arena);
  free(b);
}

int stats_builder_err(const struct stats_builder *b, size_t line,
                      struct bon_err *err, const char *what)
{
  return bon_errf(err, "%s:%s%zu: %s", b->name, b->memory ? "row " : "",
                  line, what);
}

/* a[0..n) == b[0..n), with loads that stay inside both: overlapping
 * words cover every byte. */
static inline int eq_bytes(const char *a, const char *b, size_t n)
{
  uint64_t x, y, u, v;
  uint32_t x4, y4, u4, v4;
  if(n >= 8 && n <= 16) {
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    memcpy(&u, a + n - 8, 8);
    memcpy(&v, b + n - 8, 8);
    return x == y && u == v;
  }
  if(n >= 4 && n < 8) {
    memcpy(&x4, a, 4);
    memcpy(&y4, b, 4);
    memcpy(&u4, a + n - 4, 4);
    memcpy(&v4, b + n - 4, 4);
    return x4 == y4 && u4 == v4;
  }
  if(n < 4)
    return !n || (a[0] == b[0] && a[n / 2] == b[n / 2] &&
                  a[n - 1] == b[n - 1]);
  return !memcmp(a, b, n);
}

/* Whether string i of t is f. */
static inline int same(const struct stats_strtab *t, long i,
                       struct stats_fld f)
{
  return t->len[i] == f.n && eq_bytes(t->str[i], f.p, f.n);
}

/* Intern with a one-entry cache. */
static long intern(struct stats_strtab *t, struct stats_arena *a, long *last,
                   struct stats_fld f)
{
  if(*last >= 0 && same(t, *last, f))
    return *last;
  *last = stats_strtab_find(t, a, f.p, f.n, 1);
  return *last;
}

/* A column for RM r, just added to b->rms. */
static void add_rm_column(struct stats_builder *b, long r)
{
  if(b->rms.n > b->rm_cap) {
    size_t cap = b->rm_cap ? b->rm_cap * 2 : 8;
    b->rm = xrealloc(b->rm, cap * sizeof(*b->rm));
    b->rm_next = xrealloc(b->rm_next, cap * sizeof(*b->rm_next));
    memset(b->rm + b->rm_cap, 0, (cap - b->rm_cap) * sizeof(*b->rm));
    b->rm_cap = cap;
  }
  b->rm_next[r] = -1;
  rmcol_resize(&b->rm[r], 0, b->cand_cap, b->has_steps);
}

/* The RM index of a row, or -1 when the filter drops it (counted).  Rows
 * usually cycle through the RMs in one order, so the RM that followed the
 * last one the previous time is tried first. */
static long row_rm(struct stats_builder *b, struct stats_fld f)
{
  long last = b->last_rm, r;
  if(last >= 0) {
    r = b->rm_next[last];
    if(r >= 0 && same(&b->rms, r, f))
      return b->last_rm = r;
    if(same(&b->rms, last, f))
      return last;
  }
  if(b->filtering && stats_strtab_find(&b->filter, &b->arena, f.p, f.n,
                                       0) < 0) {
    b->counts.rows_filtered++;
    return -1;
  }
  size_t old = b->rms.n;
  r = b->last_rm = stats_strtab_find(&b->rms, &b->arena, f.p, f.n, 1);
  if(b->rms.n > old)
    add_rm_column(b, r);
  if(last >= 0)
    b->rm_next[last] = (int32_t)r;
  return r;
}

static void grow_cands(struct stats_builder *b)
{
  size_t old = b->cand_cap, cap = old ? old * 2 : 1024;
  b->c_problem = xrealloc(b->c_problem, cap * sizeof(uint32_t));
  b->c_sample = xrealloc(b->c_sample, cap * sizeof(uint32_t));
  b->c_gold = xrealloc(b->c_gold, cap * sizeof(double));
  b->c_answer = xrealloc(b->c_answer, cap * sizeof(int32_t));
  b->c_line = xrealloc(b->c_line, cap * sizeof(size_t));
  for(size_t i = 0; i < b->rms.n; i++)
    rmcol_resize(&b->rm[i], old, cap, b->has_steps);
  b->cand_cap = cap;
}

/* The candidate (problem p, sample s), added with gold and line when new. */
static long row_cand(struct stats_builder *b, long p, long s, double gold,
                     size_t line)
{
  long c = b->last_cand;
  if(c >= 0 && b->c_problem[c] == p && b->c_sample[c] == s)
    return c;
  if(!b->deferred) {
    int fresh;
    uint64_t key = (uint64_t)(p + 1) << 32 | (uint64_t)s;
    struct u64map_slot *slot = u64map_put(&b->cands, key, &fresh);
    if(!fresh)
      return b->last_cand = slot->b;
    slot->b = (uint32_t)b->n_cands;
  }
  c = (long)b->n_cands++;
  if(b->n_cands > b->cand_cap)
    grow_cands(b);
  b->c_problem[c] = (uint32_t)p;
  b->c_sample[c] = (uint32_t)s;
  b->c_gold[c] = gold;
  b->c_answer[c] = UNSET_ANSWER;
  b->c_line[c] = line;
  return b->last_cand = c;
}

/* A row for a candidate seen before must agree with it: no second row for
 * the same RM, the same gold, the same answer.  0 or -1 with err. */
/* Why row w (at line) cannot join candidate c of RM r: kind 0 a second
 * row for the triple, 1 another gold, 2 another answer.  Returns -1. */
static int inconsistent(const struct stats_builder *b, long r, long c,
                        const struct stats_raw_row *w, int kind,
                        size_t line, struct bon_err *err)
{
  char msg[768];
  const char *p = b->problems.str[b->c_problem[c]];
  const char *s = b->samples.str[b->c_sample[c]];
  const char *at = b->memory ? "row " : "line ";
  if(kind == 0)
    snprintf(msg, sizeof(msg), "duplicate row for problem '%s', sample "
             "'%s', rm '%s' (first on %s%zu); keep one row per triple", p, s,
             b->rms.str[r], at, b->c_line[c]);
  else if(kind == 1)
    snprintf(msg, sizeof(msg), "gold (correct) %.17g for problem '%s', "
             "sample '%s' differs from %.17g given for another RM on %s%zu",
             w->gold, p, s, b->c_gold[c], at, b->c_line[c]);
  else
    snprintf(msg, sizeof(msg), "answer for problem '%s', sample '%s' "
             "differs from the one given for another RM on %s%zu", p, s, at,
             b->c_line[c]);
  return stats_builder_err(b, line, err, msg);
}

/* A row for a candidate seen before must agree with it: no second row for
 * the same RM, the same gold, the same answer.  0 or -1 with err. */
static int row_consistent(struct stats_builder *b, long r, long c,
                          const struct stats_raw_row *w, size_t line,
                          struct bon_err *err)
{
  if(b->rm[r].present[c])
    return inconsistent(b, r, c, w, 0, line, err);
  if(!(b->c_gold[c] == w->gold))
    return inconsistent(b, r, c, w, 1, line, err);
  if(!w->answer.p)
    return 0;
  b->has_answer = 1;
  int32_t a = -1, had = b->c_answer[c];
  if(had >= 0 && same(&b->answers, had, w->answer))
    a = had; /* the usual case: the candidate's answer again */
  else if(w->answer.n)
    a = (int32_t)stats_strtab_find(&b->answers, &b->arena, w->answer.p,
                                   w->answer.n, 1);
  if(b->c_answer[c] == UNSET_ANSWER)
    b->c_answer[c] = a;
  else if(b->c_answer[c] != a)
    return inconsistent(b, r, c, w, 2, line, err);
  return 0;
}

/* The first row with steps: give every RM its step index. */
static void enable_steps(struct stats_builder *b)
{
  b->has_steps = 1;
  for(size_t i = 0; i < b->rms.n; i++)
    rmcol_resize(&b->rm[i], b->cand_cap, b->cand_cap, 1);
}

static void row_steps(struct stats_builder *b, struct stats_rmcol *col,
                      long c, const double *steps, size_t n)
{
  if(!b->has_steps)
    enable_steps(b);
  if(b->n_steps + n > b->steps_cap) {
    size_t cap = b->steps_cap ? b->steps_cap * 2 : 4096;
    while(cap < b->n_steps + n)
      cap *= 2;
    b->steps = xrealloc(b->steps, cap * sizeof(double));
    b->steps_cap = cap;
  }
  if(n)
    memcpy(b->steps + b->n_steps, steps, n * sizeof(double));
  col->st_off[c] = b->n_steps;
  col->st_n[c] = (uint32_t)n;
  b->n_steps += n;
}

/* The kind field of a row for RM r: empty, score or pairwise, and the
 * same on every row of the RM.  0 or -1 with err. */
static int row_kind(struct stats_builder *b, long r, struct stats_fld f,
                    size_t line, struct bon_err *err)
{
  static const char *const words[] = {"score", "pairwise"};
  unsigned char k = 1 + STATS_RM_SCORE;
  char msg[512];
  if(f.n) {
    k = 0;
    for(unsigned char i = 0; i < 2 && !k; i++)
      if(strlen(words[i]) == f.n && !memcmp(words[i], f.p, f.n))
        k = 1 + i;
    if(!k) {
      snprintf(msg, sizeof(msg), "kind '%.*s' of rm '%s': expected score, "
               "pairwise or empty", (int)(f.n > 64 ? 64 : f.n), f.p,
               b->rms.str[r]);
      return stats_builder_err(b, line, err, msg);
    }
  }
  b->has_kind = 1;
  struct stats_rmcol *col = &b->rm[r];
  if(!col->kind) {
    col->kind = k;
    col->kind_line = line;
  }
  else if(col->kind != k) {
    snprintf(msg, sizeof(msg), "kind '%s' of rm '%s' differs from '%s' "
             "given on %s%zu; an RM has one kind", words[k - 1],
             b->rms.str[r], words[col->kind - 1], b->memory ? "row "
             : "line ", col->kind_line);
    return stats_builder_err(b, line, err, msg);
  }
  return 0;
}

int stats_builder_row(struct stats_builder *b, const struct stats_raw_row *w,
                      size_t line, struct bon_err *err)
{
  b->counts.rows++;
  long r = row_rm(b, w->rm);
  if(r < 0)
    return 0;
  long p = intern(&b->problems, &b->arena, &b->last_problem, w->problem);
  long s = intern(&b->samples, &b->arena, &b->last_sample, w->sample);
  long c = row_cand(b, p, s, w->gold, line);
  if(row_consistent(b, r, c, w, line, err) < 0)
    return -1;
  if(w->kind.p && row_kind(b, r, w->kind, line, err) < 0)
    return -1;
  struct stats_rmcol *col = &b->rm[r];
  col->present[c] = 1;
  col->score[c] = w->score;
  if(isnan(w->score))
    b->counts.missing_scores++;
  if(w->has_steps)
    row_steps(b, col, c, w->steps, w->n_steps);
  return 0;
}

int stats_builder_add(struct stats_builder *b, const struct stats_row *row,
                      struct bon_err *err)
{
  size_t line = b->rows_added + 1;
  if(!row->problem || !row->sample || !row->rm)
    return stats_builder_err(b, line, err, "problem, sample and rm are "
                             "required");
  if(isnan(row->correct))
    return stats_builder_err(b, line, err, "correct (gold) is missing");
  if(isinf(row->correct) || isinf(row->score))
    return stats_builder_err(b, line, err, "an infinite score or gold: "
                             "every number must be finite");
  for(int i = 0; row->steps && i < row->n_steps; i++)
    if(isinf(row->steps[i]))
      return stats_builder_err(b, line, err, "an infinite step score: "
                               "every number must be finite");
  b->rows_added++;
  struct stats_raw_row w = {
    .problem = {row->problem, strlen(row->problem)},
    .sample = {row->sample, strlen(row->sample)},
    .rm = {row->rm, strlen(row->rm)},
    .answer = {row->answer, row->answer ? strlen(row->answer) : 0},
    .score = row->score,
    .gold = row->correct,
    .steps = row->steps,
    .n_steps = row->steps ? (size_t)row->n_steps : 0,
    .has_steps = row->steps != NULL,
  };
  return stats_builder_row(b, &w, line, err);
}

/* ---- finishing: checks, then the organised table ---- */

/* Ragged pools: an RM without a row for a candidate another RM scored.
 * The message names the earliest such candidate.  0 or -1 with err. */
static int check_ragged(const struct stats_builder *b, struct bon_err *err)
{
  size_t nc = b->n_cands, bad_c = nc, bad_r = 0;
  for(size_t r = 0; r < b->rms.n; r++)
    for(size_t c = 0; c < nc; c++)
      if(!b->rm[r].present[c] && (bad_c == nc ||
                                  b->c_line[c] < b->c_line[bad_c])) {
        bad_c = c;
        bad_r = r;
        break;
      }
  if(bad_c == nc)
    return 0;
  char msg[768];
  snprintf(msg, sizeof(msg), "ragged pools: rm '%s' has no row for problem "
           "'%s', sample '%s' (first given here); every RM must score every "
           "candidate (use an empty score for a missing one)",
           b->rms.str[bad_r], b->problems.str[b->c_problem[bad_c]],
           b->samples.str[b->c_sample[bad_c]]);
  return stats_builder_err(b, b->c_line[bad_c], err, msg);
}

char **stats_strtab_copy(const struct stats_strtab *t)
{
  char **v = xmalloc((t->n ? t->n : 1) * sizeof(char *));
  if(t->n)
    memcpy(v, t->str, t->n * sizeof(char *));
  return v;
}

/* Group candidates by problem (stable counting sort): fills t->cand_off
 * and returns the new index of every builder candidate. */
static size_t *group_by_problem(const struct stats_builder *b,
                                struct stats_table *t)
{
  size_t nc = b->n_cands, np = b->problems.n;
  t->cand_off = xcalloc(np + 1, sizeof(size_t));
  for(size_t c = 0; c < nc; c++)
    t->cand_off[b->c_problem[c] + 1]++;
  for(size_t p = 0; p < np; p++)
    t->cand_off[p + 1] += t->cand_off[p];
  size_t *pos = xmalloc((np ? np : 1) * sizeof(size_t));
  memcpy(pos, t->cand_off, np * sizeof(size_t));
  size_t *newidx = xmalloc(nc * sizeof(size_t));
  for(size_t c = 0; c < nc; c++)
    newidx[c] = pos[b->c_problem[c]]++;
  free(pos);
  return newidx;
}

struct cube_job {
  const struct stats_builder *b;
  struct stats_table *t;
  const size_t *newidx;
};

/* RM r's scores into the cube, in the new candidate order. */
static void copy_column(void *arg, size_t r, int w)
{
  const struct cube_job *j = arg;
  size_t nc = j->b->n_cands;
  double *dst = j->t->score + r * nc;
  const double *src = j->b->rm[r].score;
  (void)w;
  for(size_t c = 0; c < nc; c++)
    dst[j->newidx[c]] = src[c];
}

/* Candidates, gold, answers and the score cube in the new order. */
static void fill_cands(const struct stats_builder *b, struct stats_table *t,
                       const size_t *newidx)
{
  size_t nc = b->n_cands, nr = b->rms.n;
  t->samples = xmalloc(nc * sizeof(char *));
  t->gold = xmalloc(nc * sizeof(double));
  t->answer = xmalloc(nc * sizeof(int32_t));
  t->score = xmalloc(nr * nc * sizeof(double));
  t->gold_binary = 1;
  for(size_t c = 0; c < nc; c++) {
    size_t k = newidx[c];
    t->samples[k] = b->samples.str[b->c_sample[c]];
    t->gold[k] = b->c_gold[c];
    t->answer[k] = b->c_answer[c] == UNSET_ANSWER ? -1 : b->c_answer[c];
    if(b->c_gold[c] != 0 && b->c_gold[c] != 1)
      t->gold_binary = 0;
  }
  struct cube_job j = {b, t, newidx};
  stats_parallel(nr, b->threads, copy_column, &j);
}

static void fill_steps(const struct stats_builder *b, struct stats_table *t,
                       const size_t *newidx)
{
  size_t nc = b->n_cands, nr = b->rms.n, tot = nr * nc;
  t->steps_off = xcalloc(tot + 1, sizeof(size_t));
  for(size_t r = 0; r < nr; r++)
    for(size_t c = 0; c < nc; c++)
      t->steps_off[r * nc + newidx[c] + 1] = b->rm[r].st_n[c];
  for(size_t i = 0; i < tot; i++)
    t->steps_off[i + 1] += t->steps_off[i];
  t->steps_val = xmalloc((t->steps_off[tot] ? t->steps_off[tot] : 1) *
                         sizeof(double));
  for(size_t r = 0; r < nr; r++)
    for(size_t c = 0; c < nc; c++)
      if(b->rm[r].st_n[c])
        memcpy(t->steps_val + t->steps_off[r * nc + newidx[c]],
               b->steps + b->rm[r].st_off[c],
               b->rm[r].st_n[c] * sizeof(double));
}

/* Pool sizes and, for binary gold, problems with no / all correct. */
void stats_table_count_pools(struct stats_table *t)
{
  t->counts.min_pool = (size_t)-1;
  t->counts.max_pool = 0;
  for(int p = 0; p < t->n_problems; p++) {
    size_t a = t->cand_off[p], e = t->cand_off[p + 1];
    if(e - a < t->counts.min_pool)
      t->counts.min_pool = e - a;
    if(e - a > t->counts.max_pool)
      t->counts.max_pool = e - a;
    if(!t->gold_binary)
      continue;
    int any = 0, all = 1;
    for(size_t c = a; c < e; c++) {
      any |= t->gold[c] == 1;
      all &= t->gold[c] == 1;
    }
    t->counts.problems_no_correct += !any;
    t->counts.problems_all_correct += all;
  }
}

struct stats_table *stats_builder_finish(struct stats_builder *b,
                                         struct bon_err *err)
{
  if(!b->n_cands) {
    if(b->counts.rows_filtered)
      bon_errf(err, "%s: no rows left after the RM filter: no rm in the "
               "table matches it (check the spelling against the table's "
               "rm column)", b->name);
    else
      bon_errf(err, "%s: no data rows", b->name);
    stats_builder_free(b);
    return NULL;
  }
  if(check_ragged(b, err) < 0) {
    stats_builder_free(b);
    return NULL;
  }
  struct stats_table *t = xcalloc(1, sizeof(*t));
  t->n_problems = (int)b->problems.n;
  t->n_rms = (int)b->rms.n;
  t->n_cands = b->n_cands;
  t->n_answers = (int)b->answers.n;
  t->has_answer = b->has_answer;
  t->has_steps = b->has_steps;
  t->counts = b->counts;
  t->source = xstrdup(b->name);
  /* names: pointer arrays into the arena, which moves to the table */
  t->problems = stats_strtab_copy(&b->problems);
  t->rms = stats_strtab_copy(&b->rms);
  t->answers = stats_strtab_copy(&b->answers);
  size_t *newidx = group_by_problem(b, t);
  fill_cands(b, t, newidx);
  if(b->has_steps)
    fill_steps(b, t, newidx);
  free(newidx);
  if(b->has_kind) {
    t->rm_kind = xmalloc(b->rms.n ? b->rms.n : 1);
    for(size_t r = 0; r < b->rms.n; r++)
      t->rm_kind[r] = b->rm[r].kind ? b->rm[r].kind - 1 : STATS_RM_SCORE;
  }
  stats_table_count_pools(t);
  struct stats_arena *ar = xmalloc(sizeof(*ar));
  *ar = b->arena;
  b->arena.head = NULL;
  t->priv_ = ar;
  stats_builder_free(b);
  return t;
}

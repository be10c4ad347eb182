/* table.c - the long scores table: reader (CSV, TSV, JSON lines), builder
 * and the (rm, candidate) score cube.  See table.h. */
#include "stats/table.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fsutil.h"
#include "util/hash.h"
#include "util/rng.h"

/* ---- string arena: chunks that never move ---- */

struct chunk {
  struct chunk *next;
  size_t used, cap;
  char data[];
};

struct arena {
  struct chunk *head;
};

static char *arena_dup(struct arena *a, const char *s, size_t n)
{
  if(!a->head || a->head->cap - a->head->used < n + 1) {
    size_t cap = n + 1 > 65536 ? n + 1 : 65536;
    struct chunk *c = xmalloc(sizeof(*c) + cap);
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

static void arena_free(struct arena *a)
{
  struct chunk *c = a->head;
  while(c) {
    struct chunk *n = c->next;
    free(c);
    c = n;
  }
  a->head = NULL;
}

/* ---- string dictionary: dense indices, open addressing ---- */

struct dict {
  uint32_t *slot; /* index + 1, 0 = empty */
  size_t cap;     /* power of two */
  char **str;
  uint32_t *len;
  uint64_t *hash;
  size_t n, ncap;
};

static uint64_t str_hash(const char *s, size_t n)
{
  uint64_t h = HASH_INIT;
  size_t i = 0;
  for(; i + 8 <= n; i += 8) {
    uint64_t v;
    memcpy(&v, s + i, 8);
    h = (h ^ v) * 0x100000001b3ULL;
    h ^= h >> 29;
  }
  for(; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
  return mix64(h ^ n);
}

static void dict_grow(struct dict *d)
{
  size_t cap = d->cap ? d->cap * 2 : 64;
  uint32_t *slot = xcalloc(cap, sizeof(*slot));
  for(size_t i = 0; i < d->n; i++) {
    size_t j = d->hash[i] & (cap - 1);
    while(slot[j])
      j = (j + 1) & (cap - 1);
    slot[j] = (uint32_t)i + 1;
  }
  free(d->slot);
  d->slot = slot;
  d->cap = cap;
}

/* Index of s, or -1 when absent and !add; else added (copied to arena). */
static long dict_find(struct dict *d, struct arena *a, const char *s,
                      size_t n, int add)
{
  if(!d->cap) {
    if(!add)
      return -1;
    dict_grow(d);
  }
  uint64_t h = str_hash(s, n);
  size_t j = h & (d->cap - 1);
  while(d->slot[j]) {
    uint32_t i = d->slot[j] - 1;
    if(d->hash[i] == h && d->len[i] == n && !memcmp(d->str[i], s, n))
      return i;
    j = (j + 1) & (d->cap - 1);
  }
  if(!add)
    return -1;
  if(d->n == d->ncap) {
    d->ncap = d->ncap ? d->ncap * 2 : 64;
    d->str = xrealloc(d->str, d->ncap * sizeof(*d->str));
    d->len = xrealloc(d->len, d->ncap * sizeof(*d->len));
    d->hash = xrealloc(d->hash, d->ncap * sizeof(*d->hash));
  }
  size_t i = d->n++;
  d->str[i] = arena_dup(a, s, n);
  d->len[i] = (uint32_t)n;
  d->hash[i] = h;
  d->slot[j] = (uint32_t)i + 1;
  if(d->n * 2 > d->cap)
    dict_grow(d);
  return (long)i;
}

static void dict_free(struct dict *d)
{
  free(d->slot);
  free(d->str);
  free(d->len);
  free(d->hash);
  memset(d, 0, sizeof(*d));
}

/* ---- u64 -> u32 map for candidates (problem, sample) ---- */

struct cmap {
  uint64_t *key;
  uint32_t *val; /* cand + 1, 0 = empty */
  size_t cap, n;
};

static void cmap_grow(struct cmap *m)
{
  size_t cap = m->cap ? m->cap * 2 : 1024;
  uint64_t *key = xmalloc(cap * sizeof(*key));
  uint32_t *val = xcalloc(cap, sizeof(*val));
  for(size_t i = 0; i < m->cap; i++) {
    if(!m->val[i])
      continue;
    size_t j = mix64(m->key[i]) & (cap - 1);
    while(val[j])
      j = (j + 1) & (cap - 1);
    key[j] = m->key[i];
    val[j] = m->val[i];
  }
  free(m->key);
  free(m->val);
  m->key = key;
  m->val = val;
  m->cap = cap;
}

/* ---- the builder ---- */

#define UNSET_ANSWER (-2)

struct rmcol {
  double *score;     /* [cand_cap] */
  uint8_t *present;  /* [cand_cap] */
  size_t *st_off;    /* [cand_cap] steps start, when steps */
  uint32_t *st_n;    /* [cand_cap] */
};

struct stats_builder {
  struct arena arena;
  struct dict problems, samples, rms, answers, filter;
  int filtering;
  struct cmap cands;
  size_t n_cands, cand_cap;
  uint32_t *c_problem, *c_sample;
  double *c_gold;
  int32_t *c_answer;
  size_t *c_line;
  struct rmcol *rm;
  size_t rm_cap;
  double *steps;
  size_t n_steps, steps_cap;
  int has_answer, has_steps;
  struct stats_table_counts counts;
  const char *name; /* for messages */
  int memory;       /* messages say "row N" instead of line */
  /* caches of the last lookups */
  long last_problem, last_sample, last_rm, last_cand;
  int last_rm_kept;
  size_t rows_added;
};

static void rmcol_resize(struct rmcol *c, size_t old, size_t cap, int steps)
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
  if(o && o->rms && o->n_rms > 0) {
    b->filtering = 1;
    for(int i = 0; i < o->n_rms; i++)
      dict_find(&b->filter, &b->arena, o->rms[i], strlen(o->rms[i]), 1);
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
  dict_free(&b->problems);
  dict_free(&b->samples);
  dict_free(&b->rms);
  dict_free(&b->answers);
  dict_free(&b->filter);
  free(b->cands.key);
  free(b->cands.val);
  free(b->c_problem);
  free(b->c_sample);
  free(b->c_gold);
  free(b->c_answer);
  free(b->c_line);
  free(b->rm);
  free(b->steps);
  arena_free(&b->arena);
  free(b);
}

static int where_err(struct stats_builder *b, size_t line,
                     struct bon_err *err, const char *what)
{
  return bon_errf(err, "%s:%s%zu: %s", b->name, b->memory ? "row " : "",
                  line, what);
}

/* Intern with a one-entry cache: consecutive rows usually repeat. */
static long intern(struct dict *d, struct arena *a, long *last,
                   const char *s, size_t n)
{
  if(*last >= 0 && d->len[*last] == n && !memcmp(d->str[*last], s, n))
    return *last;
  *last = dict_find(d, a, s, n, 1);
  return *last;
}

/* A field as (pointer, length); p == NULL means absent. */
struct fld {
  const char *p;
  size_t n;
};

/* Add one parsed row.  line: input line (or row number). */
static int add_row(struct stats_builder *b, struct fld prob, struct fld samp,
                   struct fld rmf, double score, double gold,
                   struct fld ans, const double *steps, size_t nsteps,
                   int has_steps, size_t line, struct bon_err *err)
{
  char msg[768];
  b->counts.rows++;
  /* RM (and the filter) */
  long r;
  if(b->last_rm >= 0 && b->rms.len[b->last_rm] == rmf.n &&
     !memcmp(b->rms.str[b->last_rm], rmf.p, rmf.n)) {
    r = b->last_rm;
  }
  else {
    if(b->filtering &&
       dict_find(&b->filter, &b->arena, rmf.p, rmf.n, 0) < 0) {
      b->counts.rows_filtered++;
      return 0;
    }
    size_t old = b->rms.n;
    r = dict_find(&b->rms, &b->arena, rmf.p, rmf.n, 1);
    b->last_rm = r;
    if(b->rms.n > old) {
      if(b->rms.n > b->rm_cap) {
        size_t cap = b->rm_cap ? b->rm_cap * 2 : 8;
        b->rm = xrealloc(b->rm, cap * sizeof(*b->rm));
        memset(b->rm + b->rm_cap, 0, (cap - b->rm_cap) * sizeof(*b->rm));
        b->rm_cap = cap;
      }
      rmcol_resize(&b->rm[r], 0, b->cand_cap, b->has_steps);
    }
  }
  long p = intern(&b->problems, &b->arena, &b->last_problem, prob.p, prob.n);
  long s = intern(&b->samples, &b->arena, &b->last_sample, samp.p, samp.n);
  uint64_t key = (uint64_t)p << 32 | (uint64_t)s;
  long c = -1;
  if(b->last_cand >= 0 && b->c_problem[b->last_cand] == p &&
     b->c_sample[b->last_cand] == s)
    c = b->last_cand;
  else {
    struct cmap *m = &b->cands;
    if(!m->cap)
      cmap_grow(m);
    size_t j = mix64(key) & (m->cap - 1);
    while(m->val[j] && m->key[j] != key)
      j = (j + 1) & (m->cap - 1);
    if(m->val[j])
      c = m->val[j] - 1;
    else {
      c = (long)b->n_cands++;
      if(b->n_cands > b->cand_cap) {
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
      b->c_problem[c] = (uint32_t)p;
      b->c_sample[c] = (uint32_t)s;
      b->c_gold[c] = gold;
      b->c_answer[c] = UNSET_ANSWER;
      b->c_line[c] = line;
      m->key[j] = key;
      m->val[j] = (uint32_t)c + 1;
      if(++m->n * 2 > m->cap)
        cmap_grow(m);
    }
    b->last_cand = c;
  }
  struct rmcol *col = &b->rm[r];
  if(col->present[c]) {
    snprintf(msg, sizeof(msg),
             "duplicate row for problem '%s', sample '%s', rm '%s' "
             "(first on %s%zu); keep one row per triple",
             b->problems.str[p], b->samples.str[s], b->rms.str[r],
             b->memory ? "row " : "line ", b->c_line[c]);
    return where_err(b, line, err, msg);
  }
  if(!(b->c_gold[c] == gold)) {
    snprintf(msg, sizeof(msg),
             "gold (correct) %.17g for problem '%s', sample '%s' differs "
             "from %.17g given for another RM on %s%zu",
             gold, b->problems.str[p], b->samples.str[s], b->c_gold[c],
             b->memory ? "row " : "line ", b->c_line[c]);
    return where_err(b, line, err, msg);
  }
  if(ans.p) {
    b->has_answer = 1;
    int32_t a = -1;
    if(ans.n)
      a = (int32_t)dict_find(&b->answers, &b->arena, ans.p, ans.n, 1);
    if(b->c_answer[c] == UNSET_ANSWER)
      b->c_answer[c] = a;
    else if(b->c_answer[c] != a) {
      snprintf(msg, sizeof(msg),
               "answer for problem '%s', sample '%s' differs from the one "
               "given for another RM on %s%zu",
               b->problems.str[p], b->samples.str[s],
               b->memory ? "row " : "line ", b->c_line[c]);
      return where_err(b, line, err, msg);
    }
  }
  col->present[c] = 1;
  col->score[c] = score;
  if(isnan(score))
    b->counts.missing_scores++;
  if(has_steps) {
    if(!b->has_steps) {
      /* first row with steps: give every RM its step index */
      b->has_steps = 1;
      for(size_t i = 0; i < b->rms.n; i++)
        rmcol_resize(&b->rm[i], b->cand_cap, b->cand_cap, 1);
    }
    if(b->n_steps + nsteps > b->steps_cap) {
      size_t cap = b->steps_cap ? b->steps_cap * 2 : 4096;
      while(cap < b->n_steps + nsteps)
        cap *= 2;
      b->steps = xrealloc(b->steps, cap * sizeof(double));
      b->steps_cap = cap;
    }
    if(nsteps)
      memcpy(b->steps + b->n_steps, steps, nsteps * sizeof(double));
    col->st_off[c] = b->n_steps;
    col->st_n[c] = (uint32_t)nsteps;
    b->n_steps += nsteps;
  }
  return 0;
}

int stats_builder_add(struct stats_builder *b, const struct stats_row *row,
                      struct bon_err *err)
{
  size_t line = b->rows_added + 1;
  if(!row->problem || !row->sample || !row->rm)
    return where_err(b, line, err, "problem, sample and rm are required");
  if(isnan(row->correct))
    return where_err(b, line, err, "correct (gold) is missing");
  if(isinf(row->correct) || isinf(row->score))
    return where_err(b, line, err, "an infinite score or gold: every "
                     "number must be finite");
  for(int i = 0; row->steps && i < row->n_steps; i++)
    if(isinf(row->steps[i]))
      return where_err(b, line, err, "an infinite step score: every "
                       "number must be finite");
  b->rows_added++;
  struct fld pr = {row->problem, strlen(row->problem)};
  struct fld sa = {row->sample, strlen(row->sample)};
  struct fld rm = {row->rm, strlen(row->rm)};
  struct fld an = {row->answer, row->answer ? strlen(row->answer) : 0};
  return add_row(b, pr, sa, rm, row->score, row->correct, an, row->steps,
                 row->steps ? (size_t)row->n_steps : 0, row->steps != NULL,
                 line, err);
}

static int cmp_size(const void *a, const void *b)
{
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  return (x > y) - (x < y);
}

struct stats_table *stats_builder_finish(struct stats_builder *b,
                                         struct bon_err *err)
{
  struct stats_table *t = NULL;
  size_t nc = b->n_cands, nr = b->rms.n, np = b->problems.n;
  char msg[768];
  if(!nc) {
    if(b->counts.rows_filtered)
      bon_errf(err, "%s: no rows left after the RM filter: no rm in the "
                    "table matches --rm (check the spelling against the "
                    "table's rm column)", b->name);
    else
      bon_errf(err, "%s: no data rows", b->name);
    goto fail;
  }
  /* ragged pools: report the earliest candidate line with a gap */
  {
    size_t bad_c = nc, bad_r = 0;
    for(size_t r = 0; r < nr; r++)
      for(size_t c = 0; c < nc; c++)
        if(!b->rm[r].present[c] && (bad_c == nc ||
                                    b->c_line[c] < b->c_line[bad_c])) {
          bad_c = c;
          bad_r = r;
          break;
        }
    if(bad_c < nc) {
      snprintf(msg, sizeof(msg),
               "ragged pools: rm '%s' has no row for problem '%s', sample "
               "'%s' (first given here); every RM must score every "
               "candidate (use an empty score for a missing one)",
               b->rms.str[bad_r], b->problems.str[b->c_problem[bad_c]],
               b->samples.str[b->c_sample[bad_c]]);
      where_err(b, b->c_line[bad_c], err, msg);
      goto fail;
    }
  }
  t = xcalloc(1, sizeof(*t));
  t->n_problems = (int)np;
  t->n_rms = (int)nr;
  t->n_cands = nc;
  t->n_answers = (int)b->answers.n;
  t->has_answer = b->has_answer;
  t->has_steps = b->has_steps;
  t->counts = b->counts;
  t->source = xstrdup(b->name);
  /* names: copy pointer arrays; the arena moves to the table */
  t->problems = xmalloc((np ? np : 1) * sizeof(char *));
  memcpy(t->problems, b->problems.str, np * sizeof(char *));
  t->rms = xmalloc((nr ? nr : 1) * sizeof(char *));
  memcpy(t->rms, b->rms.str, nr * sizeof(char *));
  t->answers = xmalloc((b->answers.n ? b->answers.n : 1) * sizeof(char *));
  if(b->answers.n)
    memcpy(t->answers, b->answers.str, b->answers.n * sizeof(char *));
  /* group candidates by problem (stable counting sort) */
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
  for(size_t r = 0; r < nr; r++) {
    double *dst = t->score + r * nc;
    const double *src = b->rm[r].score;
    for(size_t c = 0; c < nc; c++)
      dst[newidx[c]] = src[c];
  }
  if(b->has_steps) {
    size_t tot = nr * nc;
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
  free(newidx);
  /* counts */
  {
    size_t *sz = xmalloc(np * sizeof(size_t));
    for(size_t p = 0; p < np; p++) {
      sz[p] = t->cand_off[p + 1] - t->cand_off[p];
      if(t->gold_binary) {
        int any = 0, all = 1;
        for(size_t c = t->cand_off[p]; c < t->cand_off[p + 1]; c++) {
          any |= t->gold[c] == 1;
          all &= t->gold[c] == 1;
        }
        t->counts.problems_no_correct += !any;
        t->counts.problems_all_correct += all;
      }
    }
    qsort(sz, np, sizeof(size_t), cmp_size);
    t->counts.min_pool = sz[0];
    t->counts.max_pool = sz[np - 1];
    free(sz);
  }
  /* hand the arena over */
  struct arena *ar = xmalloc(sizeof(*ar));
  *ar = b->arena;
  b->arena.head = NULL;
  t->priv_ = ar;
  stats_builder_free(b);
  return t;
fail:
  stats_builder_free(b);
  return NULL;
}

void stats_table_free(struct stats_table *t)
{
  if(!t)
    return;
  if(t->priv_) {
    arena_free(t->priv_);
    free(t->priv_);
  }
  free(t->problems);
  free(t->rms);
  free(t->answers);
  free(t->cand_off);
  free(t->samples);
  free(t->gold);
  free(t->answer);
  free(t->score);
  free(t->steps_off);
  free(t->steps_val);
  free(t->source);
  free(t);
}

int stats_table_rm_index(const struct stats_table *t, const char *name)
{
  for(int r = 0; r < t->n_rms; r++)
    if(!strcmp(t->rms[r], name))
      return r;
  return -1;
}

int stats_table_add_rm(struct stats_table *t, const char *name,
                       const double *scores, struct bon_err *err)
{
  const char *src = t->source ? t->source : "<memory>";
  if(!name || !*name)
    return bon_errf(err, "%s: cannot add an RM without a name", src);
  if(stats_table_rm_index(t, name) >= 0)
    return bon_errf(err, "%s: cannot add rm '%s': the table already has "
                    "an RM of that name", src, name);
  size_t nc = t->n_cands, nr = (size_t)t->n_rms;
  size_t cells = (nr + 1) * nc;
  t->score = xrealloc(t->score, (cells > 0 ? cells : 1) * sizeof(double));
  if(nc)
    memcpy(t->score + nr * nc, scores, nc * sizeof(double));
  t->rms = xrealloc(t->rms, (nr + 1) * sizeof(char *));
  if(!t->priv_)
    t->priv_ = xcalloc(1, sizeof(struct arena));
  t->rms[nr] = arena_dup(t->priv_, name, strlen(name));
  if(t->steps_off) {
    size_t end = t->steps_off[nr * nc];
    t->steps_off = xrealloc(t->steps_off, ((nr + 1) * nc + 1) *
                                            sizeof(size_t));
    for(size_t i = nr * nc + 1; i <= (nr + 1) * nc; i++)
      t->steps_off[i] = end;
  }
  t->n_rms++;
  return 0;
}

/* ---- numbers ---- */

static const double pow10_tab[23] = {
  1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

static int is_missing_word(const char *s, size_t n)
{
  static const char *w[] = {"nan", "NaN", "NAN", "NA", "null", "None",
                            "-nan"};
  for(size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
    if(strlen(w[i]) == n && !memcmp(w[i], s, n))
      return 1;
  return 0;
}

/* Parse a number: 0 ok, 1 missing (empty, nan, NA, null), -1 bad.
 * Plain decimals with <= 19 digits and a small exponent take an exact
 * fast path (one correctly rounded operation); all else goes to strtod. */
static int parse_num(const char *s, size_t n, double *out)
{
  while(n && (*s == ' ' || *s == '\t')) {
    s++;
    n--;
  }
  while(n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
    n--;
  if(!n)
    return 1;
  const char *p = s, *e = s + n;
  int neg = 0;
  if(*p == '-' || *p == '+') {
    neg = *p == '-';
    p++;
  }
  uint64_t m = 0;
  int nd = 0, ex = 0, any = 0;
  while(p < e && *p >= '0' && *p <= '9') {
    m = m * 10 + (uint64_t)(*p - '0');
    nd++;
    any = 1;
    p++;
  }
  if(p < e && *p == '.') {
    p++;
    while(p < e && *p >= '0' && *p <= '9') {
      m = m * 10 + (uint64_t)(*p - '0');
      nd++;
      ex--;
      any = 1;
      p++;
    }
  }
  if(any && p < e && (*p == 'e' || *p == 'E')) {
    const char *q = p + 1;
    int eneg = 0, ev = 0, edig = 0;
    if(q < e && (*q == '-' || *q == '+')) {
      eneg = *q == '-';
      q++;
    }
    while(q < e && *q >= '0' && *q <= '9' && ev < 10000) {
      ev = ev * 10 + (*q - '0');
      edig = 1;
      q++;
    }
    if(edig) {
      ex += eneg ? -ev : ev;
      p = q;
    }
  }
  if(any && p == e && nd <= 19 && m <= (1ULL << 53) && ex >= -22 &&
     ex <= 22) {
    double v = (double)m;
    v = ex >= 0 ? v * pow10_tab[ex] : v / pow10_tab[-ex];
    *out = neg ? -v : v;
    return 0;
  }
  /* slow path */
  if(is_missing_word(s, n))
    return 1;
  char small[64], *tmp = n < sizeof(small) ? small : xmalloc(n + 1);
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  char *end;
  errno = 0;
  double v = strtod(tmp, &end);
  int ok = end == tmp + n && end != tmp;
  if(tmp != small)
    free(tmp);
  if(!ok)
    return -1;
  if(isnan(v))
    return 1;
  if(isinf(v)) /* "inf", or an overflow such as 1e999 */
    return -1;
  *out = v;
  return 0;
}

/* Gold: a number, or true/false. */
static int parse_gold(const char *s, size_t n, double *out)
{
  if(n == 4 && !memcmp(s, "true", 4)) {
    *out = 1;
    return 0;
  }
  if(n == 5 && !memcmp(s, "false", 5)) {
    *out = 0;
    return 0;
  }
  return parse_num(s, n, out);
}

/* ---- the reader ---- */

enum role { R_PROBLEM, R_SAMPLE, R_RM, R_SCORE, R_CORRECT, R_ANSWER,
            R_STEPS, R_COUNT, R_NONE = -1 };

static const char *const default_names[R_COUNT] = {
  "problem_id", "sample_id", "rm", "score", "correct", "answer", "steps"};

struct reader {
  struct stats_builder *b;
  const char *name;
  const char *names[R_COUNT];
  struct fld f[R_COUNT];
  /* scratch for unescaped strings, one per role, reused */
  char *scr[R_COUNT];
  size_t scr_cap[R_COUNT];
  double *steps;
  size_t steps_cap;
};

static char *scratch(struct reader *rd, int role, size_t n)
{
  if(rd->scr_cap[role] < n + 1) {
    size_t cap = rd->scr_cap[role] ? rd->scr_cap[role] : 64;
    while(cap < n + 1)
      cap *= 2;
    rd->scr[role] = xrealloc(rd->scr[role], cap);
    rd->scr_cap[role] = cap;
  }
  return rd->scr[role];
}

static int parse_steps(struct reader *rd, const char *s, size_t n,
                       char sep2, size_t *count)
{
  size_t k = 0;
  size_t i = 0;
  while(n && (s[0] == ' ' || s[0] == '[')) {
    s++;
    n--;
  }
  while(n && (s[n - 1] == ' ' || s[n - 1] == ']' || s[n - 1] == '\r'))
    n--;
  if(!n) {
    *count = 0;
    return 0;
  }
  while(i <= n) {
    size_t j = i;
    while(j < n && s[j] != ';' && s[j] != sep2)
      j++;
    double v;
    int rc = parse_num(s + i, j - i, &v);
    if(rc < 0)
      return -1;
    if(rc == 1)
      v = NAN;
    if(k == rd->steps_cap) {
      rd->steps_cap = rd->steps_cap ? rd->steps_cap * 2 : 64;
      rd->steps = xrealloc(rd->steps, rd->steps_cap * sizeof(double));
    }
    rd->steps[k++] = v;
    i = j + 1;
  }
  *count = k;
  return 0;
}

/* Hand the fields of one row to the builder. */
static int emit_row(struct reader *rd, size_t line, struct bon_err *err)
{
  struct stats_builder *b = rd->b;
  char msg[512];
  for(int r = 0; r <= R_CORRECT; r++)
    if(!rd->f[r].p) {
      snprintf(msg, sizeof(msg), "missing field '%s'", rd->names[r]);
      return where_err(b, line, err, msg);
    }
  double score = NAN, gold;
  int rc = parse_num(rd->f[R_SCORE].p, rd->f[R_SCORE].n, &score);
  if(rc < 0) {
    snprintf(msg, sizeof(msg), "bad number '%.*s' in column '%s' (a "
             "finite real, or empty / nan when missing)",
             (int)(rd->f[R_SCORE].n > 64 ? 64 : rd->f[R_SCORE].n),
             rd->f[R_SCORE].p, rd->names[R_SCORE]);
    return where_err(b, line, err, msg);
  }
  if(rc == 1)
    score = NAN;
  rc = parse_gold(rd->f[R_CORRECT].p, rd->f[R_CORRECT].n, &gold);
  if(rc != 0) {
    snprintf(msg, sizeof(msg), "%s '%.*s' in column '%s' (gold must be "
             "0/1 or a real number)", rc > 0 ? "missing value" : "bad number",
             (int)(rd->f[R_CORRECT].n > 64 ? 64 : rd->f[R_CORRECT].n),
             rd->f[R_CORRECT].p, rd->names[R_CORRECT]);
    return where_err(b, line, err, msg);
  }
  size_t nst = 0;
  if(rd->f[R_STEPS].p &&
     parse_steps(rd, rd->f[R_STEPS].p, rd->f[R_STEPS].n, ',', &nst) < 0) {
    snprintf(msg, sizeof(msg), "bad step score in column '%s': '%.*s'",
             rd->names[R_STEPS],
             (int)(rd->f[R_STEPS].n > 64 ? 64 : rd->f[R_STEPS].n),
             rd->f[R_STEPS].p);
    return where_err(b, line, err, msg);
  }
  return add_row(b, rd->f[R_PROBLEM], rd->f[R_SAMPLE], rd->f[R_RM], score,
                 gold, rd->f[R_ANSWER], rd->steps, nst,
                 rd->f[R_STEPS].p != NULL, line, err);
}

/* One CSV/TSV field starting at *pp: returns its (unescaped) text.
 * *pp is left on the separator, newline or end. */
static struct fld csv_field(struct reader *rd, const char **pp,
                            const char *e, char sep, int role,
                            size_t *line, int *bad)
{
  const char *p = *pp;
  struct fld f = {p, 0};
  if(sep == ',' && p < e && *p == '"') {
    /* quoted: copy with "" -> " */
    const char *q = p + 1;
    size_t n = 0;
    int esc = 0;
    for(;;) {
      if(q >= e) {
        *bad = 1;
        break;
      }
      if(*q == '"') {
        if(q + 1 < e && q[1] == '"') {
          esc = 1;
          q += 2;
          n++;
          continue;
        }
        break;
      }
      if(*q == '\n')
        (*line)++;
      q++;
      n++;
    }
    if(*bad) {
      *pp = e;
      return f;
    }
    if(!esc) {
      f.p = p + 1;
      f.n = n;
    }
    else {
      char *d = scratch(rd, role < 0 ? R_COUNT - 1 : role, n);
      size_t k = 0;
      for(const char *s = p + 1; s < q; s++) {
        d[k++] = *s;
        if(*s == '"')
          s++;
      }
      f.p = d;
      f.n = k;
    }
    q++; /* closing quote */
    if(q < e && *q != sep && *q != '\n' && *q != '\r')
      *bad = 2;
    while(q < e && *q != sep && *q != '\n')
      q++;
    *pp = q;
    return f;
  }
  while(p < e && *p != sep && *p != '\n')
    p++;
  f.n = (size_t)(p - f.p);
  if(f.n && f.p[f.n - 1] == '\r')
    f.n--;
  *pp = p;
  return f;
}

static int map_header(struct reader *rd, struct fld *h, int nh,
                      int *roles, struct bon_err *err)
{
  char msg[512];
  for(int i = 0; i < nh; i++) {
    roles[i] = R_NONE;
    for(int r = 0; r < R_COUNT; r++)
      if(strlen(rd->names[r]) == h[i].n &&
         !memcmp(rd->names[r], h[i].p, h[i].n)) {
        for(int j = 0; j < i; j++)
          if(roles[j] == r) {
            snprintf(msg, sizeof(msg), "column '%s' appears twice in the "
                     "header", rd->names[r]);
            return where_err(rd->b, 1, err, msg);
          }
        roles[i] = r;
      }
  }
  for(int r = 0; r <= R_CORRECT; r++) {
    int found = 0;
    for(int i = 0; i < nh; i++)
      found |= roles[i] == r;
    if(!found) {
      snprintf(msg, sizeof(msg), "missing column '%s' in the header "
               "(rename it, or map it with the column options)",
               rd->names[r]);
      return where_err(rd->b, 1, err, msg);
    }
  }
  return 0;
}

static int read_delim(struct reader *rd, const char *p, const char *e,
                      char sep, struct bon_err *err)
{
  size_t line = 1;
  int nh = 0, hcap = 0, bad = 0;
  struct fld *h = NULL;
  int *roles = NULL, rc = -1;
  /* header */
  for(;;) {
    if(nh == hcap) {
      hcap = hcap ? hcap * 2 : 16;
      h = xrealloc(h, (size_t)hcap * sizeof(*h));
    }
    /* header fields are copied: scratch is reused by later fields */
    struct fld f = csv_field(rd, &p, e, sep, -1, &line, &bad);
    if(bad) {
      where_err(rd->b, 1, err, "unterminated or malformed quoted field "
                "in the header");
      goto out;
    }
    h[nh].p = arena_dup(&rd->b->arena, f.p, f.n);
    h[nh].n = f.n;
    nh++;
    if(p >= e || *p == '\n')
      break;
    p++;
  }
  if(p < e)
    p++;
  line++;
  if(nh == 1 && h[0].n == 0) {
    where_err(rd->b, 1, err, "empty header line");
    goto out;
  }
  roles = xmalloc((size_t)nh * sizeof(int));
  if(map_header(rd, h, nh, roles, err) < 0)
    goto out;
  /* rows */
  while(p < e) {
    size_t start = line;
    if(*p == '\n' || (*p == '\r' && p + 1 < e && p[1] == '\n')) {
      p += *p == '\r' ? 2 : 1;
      line++;
      continue;
    }
    for(int r = 0; r < R_COUNT; r++)
      rd->f[r].p = NULL;
    int i = 0;
    for(;;) {
      int role = i < nh ? roles[i] : R_NONE;
      struct fld f = csv_field(rd, &p, e, sep, role, &line, &bad);
      if(bad) {
        where_err(rd->b, start, err, bad == 1 ?
                  "unterminated quoted field" :
                  "text after the closing quote of a field");
        goto out;
      }
      if(role >= 0)
        rd->f[role] = f;
      i++;
      if(p >= e || *p == '\n')
        break;
      p++;
    }
    if(p < e)
      p++;
    line++;
    if(i != nh) {
      char msg[128];
      snprintf(msg, sizeof(msg), "expected %d fields as in the header, "
               "found %d", nh, i);
      where_err(rd->b, start, err, msg);
      goto out;
    }
    if(emit_row(rd, start, err) < 0)
      goto out;
  }
  rc = 0;
out:
  free(h);
  free(roles);
  return rc;
}

/* ---- JSON lines: flat objects, hand-parsed ---- */

static const char *json_ws(const char *p, const char *e)
{
  while(p < e && (*p == ' ' || *p == '\t' || *p == '\r'))
    p++;
  return p;
}

static int hexval(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* A JSON string at p (on the opening quote).  Unescaped into scratch when
 * needed.  Returns the position after the closing quote, NULL if bad. */
static const char *json_str(struct reader *rd, const char *p, const char *e,
                            int role, struct fld *out)
{
  const char *q = p + 1;
  int esc = 0;
  while(q < e && *q != '"' && *q != '\n') {
    if(*q == '\\') {
      esc = 1;
      q++;
    }
    q++;
  }
  if(q >= e || *q != '"')
    return NULL;
  if(!esc) {
    out->p = p + 1;
    out->n = (size_t)(q - p - 1);
    return q + 1;
  }
  char *d = scratch(rd, role, (size_t)(q - p));
  size_t k = 0;
  for(const char *s = p + 1; s < q; s++) {
    if(*s != '\\') {
      d[k++] = *s;
      continue;
    }
    s++;
    switch(*s) {
    case 'n': d[k++] = '\n'; break;
    case 't': d[k++] = '\t'; break;
    case 'r': d[k++] = '\r'; break;
    case 'b': d[k++] = '\b'; break;
    case 'f': d[k++] = '\f'; break;
    case 'u': {
      if(q - s < 5)
        return NULL;
      unsigned cp = 0;
      for(int i = 1; i <= 4; i++) {
        int h = hexval(s[i]);
        if(h < 0)
          return NULL;
        cp = cp * 16 + (unsigned)h;
      }
      s += 4;
      /* surrogate pairs are kept as two 3-byte sequences: answers are
       * compared as strings, so this is consistent */
      if(cp < 0x80)
        d[k++] = (char)cp;
      else if(cp < 0x800) {
        d[k++] = (char)(0xc0 | cp >> 6);
        d[k++] = (char)(0x80 | (cp & 63));
      }
      else {
        d[k++] = (char)(0xe0 | cp >> 12);
        d[k++] = (char)(0x80 | ((cp >> 6) & 63));
        d[k++] = (char)(0x80 | (cp & 63));
      }
      break;
    }
    default: d[k++] = *s; break;
    }
  }
  out->p = d;
  out->n = k;
  return q + 1;
}

/* Skip any JSON value (for keys we do not use); NULL if malformed. */
static const char *json_skip(struct reader *rd, const char *p, const char *e)
{
  int depth = 0;
  p = json_ws(p, e);
  do {
    if(p >= e || *p == '\n')
      return NULL;
    if(*p == '"') {
      struct fld f;
      p = json_str(rd, p, e, R_COUNT - 1, &f);
      if(!p)
        return NULL;
    }
    else if(*p == '{' || *p == '[') {
      depth++;
      p++;
    }
    else if(*p == '}' || *p == ']') {
      if(!depth)
        return NULL;
      depth--;
      p++;
    }
    else if(depth && (*p == ',' || *p == ':' || *p == ' ' || *p == '\t'))
      p++;
    else {
      const char *s = p;
      while(p < e && *p != ',' && *p != '}' && *p != ']' && *p != '\n' &&
            *p != ' ')
        p++;
      if(p == s)
        return NULL;
    }
  } while(depth);
  return p;
}

static int read_jsonl(struct reader *rd, const char *p, const char *e,
                      struct bon_err *err)
{
  size_t line = 0;
  char msg[512];
  int seen_answer = 0, seen_steps = 0;
  while(p < e) {
    line++;
    const char *eol = memchr(p, '\n', (size_t)(e - p));
    if(!eol)
      eol = e;
    const char *q = json_ws(p, eol);
    if(q == eol) {
      p = eol + 1;
      continue;
    }
    for(int r = 0; r < R_COUNT; r++)
      rd->f[r].p = NULL;
    if(*q != '{')
      return where_err(rd->b, line, err, "expected a JSON object");
    q = json_ws(q + 1, eol);
    if(q < eol && *q == '}')
      q++;
    else
      for(;;) {
        struct fld key;
        if(q >= eol || *q != '"' ||
           !(q = json_str(rd, q, eol, R_COUNT - 1, &key)))
          return where_err(rd->b, line, err, "malformed JSON: expected a "
                           "key string");
        int role = R_NONE;
        for(int r = 0; r < R_COUNT; r++)
          if(strlen(rd->names[r]) == key.n &&
             !memcmp(rd->names[r], key.p, key.n))
            role = r;
        q = json_ws(q, eol);
        if(q >= eol || *q != ':')
          return where_err(rd->b, line, err, "malformed JSON: expected ':'");
        q = json_ws(q + 1, eol);
        if(q >= eol)
          return where_err(rd->b, line, err, "malformed JSON: no value");
        if(role == R_NONE) {
          q = json_skip(rd, q, eol);
          if(!q)
            return where_err(rd->b, line, err, "malformed JSON value");
        }
        else if(*q == '"') {
          q = json_str(rd, q, eol, role, &rd->f[role]);
          if(!q)
            return where_err(rd->b, line, err, "malformed JSON string");
        }
        else if(*q == '[' && role == R_STEPS) {
          const char *s = q;
          while(q < eol && *q != ']')
            q++;
          if(q >= eol)
            return where_err(rd->b, line, err, "unterminated steps array");
          q++;
          rd->f[role].p = s;
          rd->f[role].n = (size_t)(q - s);
        }
        else {
          const char *s = q;
          while(q < eol && *q != ',' && *q != '}' && *q != ' ' &&
                *q != '\t')
            q++;
          if(q == s || *s == '{' || *s == '[') {
            snprintf(msg, sizeof(msg), "key '%s' must hold a string or a "
                     "number", rd->names[role]);
            return where_err(rd->b, line, err, msg);
          }
          rd->f[role].p = s;
          rd->f[role].n = (size_t)(q - s);
          if(q - s == 4 && !memcmp(s, "null", 4)) {
            /* null = missing value (an empty field) */
            rd->f[role].n = 0;
          }
        }
        if(role == R_ANSWER)
          seen_answer = 1;
        if(role == R_STEPS)
          seen_steps = 1;
        q = json_ws(q, eol);
        if(q < eol && *q == ',') {
          q = json_ws(q + 1, eol);
          continue;
        }
        if(q < eol && *q == '}') {
          q++;
          break;
        }
        return where_err(rd->b, line, err, "malformed JSON: expected ',' "
                         "or '}'");
      }
    q = json_ws(q, eol);
    if(q != eol)
      return where_err(rd->b, line, err, "text after the JSON object");
    (void)seen_answer;
    (void)seen_steps;
    if(emit_row(rd, line, err) < 0)
      return -1;
    p = eol + 1;
  }
  return 0;
}

static int has_suffix(const char *s, const char *suf)
{
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && !strcasecmp(s + n - m, suf);
}

static enum stats_format detect(const char *name, const char *p, size_t n)
{
  if(name) {
    if(has_suffix(name, ".tsv"))
      return STATS_FMT_TSV;
    if(has_suffix(name, ".jsonl") || has_suffix(name, ".json") ||
       has_suffix(name, ".ndjson"))
      return STATS_FMT_JSONL;
    if(has_suffix(name, ".csv"))
      return STATS_FMT_CSV;
  }
  size_t i = 0;
  while(i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' ||
                  p[i] == '\t'))
    i++;
  if(i < n && p[i] == '{')
    return STATS_FMT_JSONL;
  for(i = 0; i < n && p[i] != '\n'; i++)
    if(p[i] == '\t')
      return STATS_FMT_TSV;
  return STATS_FMT_CSV;
}

struct stats_table *stats_table_parse(const char *data, size_t len,
                                      const char *name,
                                      const struct stats_table_opts *opts,
                                      struct bon_err *err)
{
  struct stats_table_opts zero = {0};
  if(!opts)
    opts = &zero;
  if(!name)
    name = "<memory>";
  struct reader rd;
  memset(&rd, 0, sizeof(rd));
  rd.b = stats_builder_new(opts);
  rd.b->name = name;
  rd.b->memory = 0;
  const char *over[R_COUNT] = {opts->col_problem, opts->col_sample,
                               opts->col_rm, opts->col_score,
                               opts->col_correct, opts->col_answer,
                               opts->col_steps};
  for(int r = 0; r < R_COUNT; r++)
    rd.names[r] = over[r] && *over[r] ? over[r] : default_names[r];
  const char *p = data, *e = data + len;
  /* UTF-8 byte-order mark */
  if(len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
    p += 3;
  enum stats_format fmt = opts->format;
  if(fmt == STATS_FMT_AUTO)
    fmt = detect(name, p, (size_t)(e - p));
  int rc;
  if(p == e) {
    bon_errf(err, "%s: empty file (expected a header line)", name);
    rc = -1;
  }
  else if(fmt == STATS_FMT_JSONL)
    rc = read_jsonl(&rd, p, e, err);
  else
    rc = read_delim(&rd, p, e, fmt == STATS_FMT_TSV ? '\t' : ',', err);
  for(int r = 0; r < R_COUNT; r++)
    free(rd.scr[r]);
  free(rd.steps);
  if(rc < 0) {
    stats_builder_free(rd.b);
    return NULL;
  }
  struct stats_table *t = stats_builder_finish(rd.b, err);
  if(t && strcmp(t->source, name)) {
    free(t->source);
    t->source = xstrdup(name);
  }
  return t;
}

struct stats_table *stats_table_read(const char *path,
                                     const struct stats_table_opts *opts,
                                     struct bon_err *err)
{
  int fd = open(path, O_RDONLY);
  if(fd < 0) {
    bon_errf(err, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  struct stat st;
  if(fstat(fd, &st) != 0) {
    bon_errf(err, "%s: cannot stat: %s", path, strerror(errno));
    close(fd);
    return NULL;
  }
  if(!S_ISREG(st.st_mode)) {
    /* a pipe or device: read it whole */
    close(fd);
    size_t n;
    char *d = fs_read_file(path, &n, err);
    if(!d)
      return NULL;
    struct stats_table *t = stats_table_parse(d, n, path, opts, err);
    free(d);
    return t;
  }
  size_t n = (size_t)st.st_size;
  if(!n) {
    close(fd);
    bon_errf(err, "%s: empty file (expected a header line)", path);
    return NULL;
  }
  void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if(m == MAP_FAILED) {
    bon_errf(err, "%s: cannot map: %s", path, strerror(errno));
    return NULL;
  }
  madvise(m, n, MADV_SEQUENTIAL);
  struct stats_table *t = stats_table_parse(m, n, path, opts, err);
  munmap(m, n);
  return t;
}

/* table_join.c - the table of the chunks the parallel reader read, each
 * into its own deferred builder (see stats_builder_join in table_int.h).
 *
 * A deferred builder makes a new candidate whenever a row's (problem,
 * sample) is not the previous row's, without looking it up: in the usual
 * layout a candidate's rows are consecutive and no lookup is needed.  The
 * join puts the chunks' strings into the first builder in chunk order
 * (their order of first appearance), keys every chunk candidate by its
 * (problem, sample), sorts the keys (a stable radix sort, so the first
 * appearance of a key comes first) and so finds the candidates that are
 * one.  Each table candidate then collects the scores of its parts, in
 * parallel over the RMs; a cell given twice, a candidate whose parts
 * disagree in gold or answer, or a cell never given means the sequential
 * reader must say what is wrong. */
#include "stats/table_int.h"

#include <stdlib.h>
#include <string.h>

#include "stats/order.h"
#include "stats/runtime.h"

#define UNSET_ANSWER (-2)

struct join {
  struct stats_builder **b;   /* [n] */
  int n;
  size_t *off;                /* [n + 1] first part of each builder */
  uint32_t **mp, **ms, **ma;  /* [n][...] local -> first builder's ids */
  struct stats_strtab rms;    /* the table's RMs (strings in b[0]'s arena) */
  int32_t **rm_of;            /* [n][table RMs] local RM index or -1 */
  uint32_t *gid;              /* [parts] table candidate of each part */
  size_t *newidx;             /* [candidates] position in the table */
  int fail;
};

/* The index in `into` of every string of `from`, added in from's order. */
static uint32_t *join_strs(struct stats_strtab *into, struct stats_arena *a,
                           const struct stats_strtab *from)
{
  uint32_t *m = xmalloc((from->n ? from->n : 1) * sizeof(*m));
  for(size_t i = 0; i < from->n; i++)
    m[i] = (uint32_t)stats_strtab_find(into, a, from->str[i], from->len[i],
                                       1);
  return m;
}

/* Every builder's strings into the first one's tables, and its RMs into
 * the table's (the first builder keeps its own: they index its columns). */
static void join_names(struct join *j)
{
  struct stats_builder *g = j->b[0];
  j->mp = xcalloc((size_t)j->n, sizeof(*j->mp));
  j->ms = xcalloc((size_t)j->n, sizeof(*j->ms));
  j->ma = xcalloc((size_t)j->n, sizeof(*j->ma));
  j->rm_of = xcalloc((size_t)j->n, sizeof(*j->rm_of));
  for(int k = 0; k < j->n; k++) {
    struct stats_builder *f = j->b[k];
    j->mp[k] = join_strs(&g->problems, &g->arena, &f->problems);
    j->ms[k] = join_strs(&g->samples, &g->arena, &f->samples);
    j->ma[k] = join_strs(&g->answers, &g->arena, &f->answers);
    free(join_strs(&j->rms, &g->arena, &f->rms));
  }
  for(int k = 0; k < j->n; k++) { /* now that every RM is known */
    struct stats_builder *f = j->b[k];
    j->rm_of[k] = xmalloc((j->rms.n ? j->rms.n : 1) * sizeof(int32_t));
    for(size_t r = 0; r < j->rms.n; r++)
      j->rm_of[k][r] = -1;
    for(size_t lr = 0; lr < f->rms.n; lr++)
      j->rm_of[k][stats_strtab_find(&j->rms, &g->arena, f->rms.str[lr],
                                    f->rms.len[lr], 0)] = (int32_t)lr;
  }
}

/* The builder and local index of part q. */
static int part_of(const struct join *j, size_t q, size_t *lc)
{
  int k = 0;
  while(q >= j->off[k + 1])
    k++;
  *lc = q - j->off[k];
  return k;
}

/* first[q]: the first part with q's key (q itself when it comes first). */
static uint32_t *first_parts(struct join *j, size_t parts)
{
  uint64_t *key = xmalloc((parts ? parts : 1) * sizeof(*key));
  uint32_t *part = xmalloc((parts ? parts : 1) * sizeof(*part));
  uint32_t *first = xmalloc((parts ? parts : 1) * sizeof(*first));
  for(int k = 0; k < j->n; k++) {
    const struct stats_builder *f = j->b[k];
    for(size_t lc = 0; lc < f->n_cands; lc++) {
      size_t q = j->off[k] + lc;
      key[q] = (uint64_t)(j->mp[k][f->c_problem[lc]] + 1ULL) << 32 |
               j->ms[k][f->c_sample[lc]];
      part[q] = (uint32_t)q;
    }
  }
  uint64_t *kt = xmalloc((parts ? parts : 1) * sizeof(*kt));
  uint32_t *pt = xmalloc((parts ? parts : 1) * sizeof(*pt));
  stats_radix_sort(key, part, parts, kt, pt); /* stable */
  free(kt);
  free(pt);
  for(size_t i = 0; i < parts; i++)
    first[part[i]] = i && key[i] == key[i - 1] ? first[part[i - 1]]
                                                : part[i];
  free(key);
  free(part);
  return first;
}

/* The table candidates: the parts that come first, in part order; the
 * others checked against them (gold, answer) and mapped to them. */
static size_t join_cands(struct join *j, const uint32_t *first, size_t parts,
                         struct stats_table *t, uint32_t **prob,
                         uint32_t **samp)
{
  size_t nc = 0;
  j->gid = xmalloc((parts ? parts : 1) * sizeof(*j->gid));
  t->gold = xmalloc((parts ? parts : 1) * sizeof(double));
  t->answer = xmalloc((parts ? parts : 1) * sizeof(int32_t));
  *prob = xmalloc((parts ? parts : 1) * sizeof(**prob));
  *samp = xmalloc((parts ? parts : 1) * sizeof(**samp));
  for(size_t q = 0; q < parts && !j->fail; q++) {
    size_t lc;
    int k = part_of(j, q, &lc);
    const struct stats_builder *f = j->b[k];
    int32_t a = f->c_answer[lc];
    if(a >= 0)
      a = (int32_t)j->ma[k][a];
    if(first[q] == q) {
      j->gid[q] = (uint32_t)nc;
      t->gold[nc] = f->c_gold[lc];
      t->answer[nc] = a;
      (*prob)[nc] = j->mp[k][f->c_problem[lc]];
      (*samp)[nc++] = j->ms[k][f->c_sample[lc]];
      continue;
    }
    uint32_t c = j->gid[q] = j->gid[first[q]];
    if(!(t->gold[c] == f->c_gold[lc]))
      j->fail = 1;
    else if(a != UNSET_ANSWER && t->answer[c] == UNSET_ANSWER)
      t->answer[c] = a;
    else if(a != UNSET_ANSWER && t->answer[c] != a)
      j->fail = 1;
  }
  return nc;
}

/* Group the candidates by problem (stable counting sort). */
static void group(struct join *j, struct stats_table *t, const uint32_t *prob,
                  const uint32_t *samp, const struct stats_builder *g)
{
  size_t nc = t->n_cands, np = (size_t)t->n_problems;
  t->cand_off = xcalloc(np + 1, sizeof(size_t));
  for(size_t c = 0; c < nc; c++)
    t->cand_off[prob[c] + 1]++;
  for(size_t p = 0; p < np; p++)
    t->cand_off[p + 1] += t->cand_off[p];
  size_t *pos = xmalloc((np ? np : 1) * sizeof(size_t));
  memcpy(pos, t->cand_off, np * sizeof(size_t));
  j->newidx = xmalloc((nc ? nc : 1) * sizeof(size_t));
  double *gold = xmalloc((nc ? nc : 1) * sizeof(double));
  int32_t *ans = xmalloc((nc ? nc : 1) * sizeof(int32_t));
  t->samples = xmalloc((nc ? nc : 1) * sizeof(char *));
  t->gold_binary = 1;
  for(size_t c = 0; c < nc; c++) {
    size_t k = j->newidx[c] = pos[prob[c]]++;
    gold[k] = t->gold[c];
    ans[k] = t->answer[c] == UNSET_ANSWER ? -1 : t->answer[c];
    t->samples[k] = g->samples.str[samp[c]];
    if(gold[k] != 0 && gold[k] != 1)
      t->gold_binary = 0;
  }
  free(pos);
  free(t->gold);
  free(t->answer);
  t->gold = gold;
  t->answer = ans;
}

struct cube {
  struct join *j;
  struct stats_table *t;
  unsigned char **seen; /* [workers][candidates] */
  int *bad;             /* [RMs] */
};

/* RM r's column of the cube from every part; bad when a cell is given
 * twice or never. */
static void fill_rm(void *arg, size_t r, int w)
{
  struct cube *cb = arg;
  struct join *j = cb->j;
  size_t nc = cb->t->n_cands, given = 0;
  unsigned char *seen = cb->seen[w];
  double *dst = cb->t->score + r * nc;
  memset(seen, 0, nc);
  for(int k = 0; k < j->n; k++) {
    int32_t lr = j->rm_of[k][r];
    if(lr < 0)
      continue;
    const struct stats_rmcol *col = &j->b[k]->rm[lr];
    const uint32_t *gid = j->gid + j->off[k];
    for(size_t lc = 0; lc < j->b[k]->n_cands; lc++) {
      if(!col->present[lc])
        continue;
      uint32_t c = gid[lc];
      if(seen[c]) {
        cb->bad[r] = 1;
        return;
      }
      seen[c] = 1;
      given++;
      dst[j->newidx[c]] = col->score[lc];
    }
  }
  cb->bad[r] = given != nc;
}

static int fill_cube(struct join *j, struct stats_table *t, int threads)
{
  size_t nr = (size_t)t->n_rms, nc = t->n_cands;
  int nw = stats_workers(threads, nr);
  struct cube cb = {j, t, xmalloc((size_t)nw * sizeof(*cb.seen)),
                    xcalloc(nr, sizeof(int))};
  size_t cells = nr * nc;
  t->score = xmalloc((cells ? cells : 1) * sizeof(double));
  for(int w = 0; w < nw; w++)
    cb.seen[w] = xmalloc(nc ? nc : 1);
  stats_parallel(nr, threads, fill_rm, &cb);
  int ok = 1;
  for(size_t r = 0; r < nr; r++)
    ok &= !cb.bad[r];
  for(int w = 0; w < nw; w++)
    free(cb.seen[w]);
  free(cb.seen);
  free(cb.bad);
  return ok ? 0 : -1;
}

static void join_free(struct join *j)
{
  for(int k = 0; k < j->n; k++) {
    void *maps[] = {j->mp ? j->mp[k] : NULL, j->ms ? j->ms[k] : NULL,
                    j->ma ? j->ma[k] : NULL, j->rm_of ? j->rm_of[k] : NULL};
    for(size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
      free(maps[i]);
    stats_builder_free(j->b[k]);
  }
  void *own[] = {j->mp, j->ms, j->ma, j->rm_of, j->off, j->gid, j->newidx};
  for(size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
    free(own[i]);
  stats_strtab_free(&j->rms);
}

/* The kind of every RM: the one its parts were given (they must agree;
 * an RM given no kind is a score).  -1 when two parts disagree. */
static int join_kinds(const struct join *j, struct stats_table *t)
{
  int any = 0;
  for(int k = 0; k < j->n; k++)
    any |= j->b[k]->has_kind;
  if(!any)
    return 0;
  t->rm_kind = xmalloc((size_t)(t->n_rms ? t->n_rms : 1));
  for(int r = 0; r < t->n_rms; r++) {
    unsigned char kind = 0;
    for(int k = 0; k < j->n; k++) {
      int32_t lr = j->rm_of[k][r];
      unsigned char g = lr < 0 ? 0 : j->b[k]->rm[lr].kind;
      if(g && kind && g != kind)
        return -1;
      kind = g ? g : kind;
    }
    t->rm_kind[r] = kind ? kind - 1 : STATS_RM_SCORE;
  }
  return 0;
}

/* The facts of the table that are sums or unions over the builders. */
static void join_counts(const struct join *j, struct stats_table *t)
{
  for(int k = 0; k < j->n; k++) {
    const struct stats_builder *f = j->b[k];
    t->counts.rows += f->counts.rows;
    t->counts.rows_filtered += f->counts.rows_filtered;
    t->counts.missing_scores += f->counts.missing_scores;
    t->has_answer |= f->has_answer;
  }
}

struct stats_table *stats_builder_join(struct stats_builder **b, int n,
                                       int threads)
{
  struct join j = {.b = b, .n = n};
  j.off = xcalloc((size_t)n + 1, sizeof(size_t));
  for(int k = 0; k < n; k++) {
    j.off[k + 1] = j.off[k] + b[k]->n_cands;
    j.fail |= b[k]->has_steps;
  }
  struct stats_builder *g = b[0];
  struct stats_table *t = xcalloc(1, sizeof(*t));
  uint32_t *first = NULL, *prob = NULL, *samp = NULL;
  if(j.fail || !j.off[n])
    goto out;
  join_names(&j);
  first = first_parts(&j, j.off[n]);
  t->n_cands = join_cands(&j, first, j.off[n], t, &prob, &samp);
  t->n_problems = (int)g->problems.n;
  t->n_rms = (int)j.rms.n;
  t->n_answers = (int)g->answers.n;
  if(j.fail)
    goto out;
  group(&j, t, prob, samp, g);
  if(fill_cube(&j, t, threads) < 0 || join_kinds(&j, t) < 0)
    goto out;
  join_counts(&j, t);
  t->source = xstrdup(g->name);
  t->problems = stats_strtab_copy(&g->problems);
  t->rms = stats_strtab_copy(&j.rms);
  t->answers = stats_strtab_copy(&g->answers);
  stats_table_count_pools(t);
  t->priv_ = xmalloc(sizeof(struct stats_arena));
  *(struct stats_arena *)t->priv_ = g->arena;
  g->arena.head = NULL;
  free(first);
  free(prob);
  free(samp);
  join_free(&j);
  return t;
out:
  free(first);
  free(prob);
  free(samp);
  join_free(&j);
  stats_table_free(t);
  return NULL;
}

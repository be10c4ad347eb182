/* table.c - reading a scores table (format detection, the fields of a row
 * into the builder) and the finished table's own functions.  See table.h;
 * the builder is table_build.c, the two text formats table_csv.c and
 * table_jsonl.c. */
#include "stats/table_int.h"

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

#include "stats/numparse.h"
#include "stats/steps.h"
#include "util/fsutil.h"

static const char *const default_names[STATS_R_COUNT] = {
  "problem_id", "sample_id", "rm", "score", "correct", "answer", "steps",
  "kind"};

void stats_table_opts_init(struct stats_table_opts *o)
{
  memset(o, 0, sizeof(*o));
  o->format = STATS_FMT_AUTO;
}

/* ---- the reader's shared pieces ---- */

char *stats_reader_scratch(struct stats_reader *rd, int role, size_t n)
{
  if(role < 0 || role > STATS_R_COUNT)
    role = STATS_R_COUNT;
  if(rd->scr_cap[role] < n + 1) {
    size_t cap = rd->scr_cap[role] ? rd->scr_cap[role] : 64;
    while(cap < n + 1)
      cap *= 2;
    rd->scr[role] = xrealloc(rd->scr[role], cap);
    rd->scr_cap[role] = cap;
  }
  return rd->scr[role];
}

int stats_reader_role(const struct stats_reader *rd, const char *s,
                      size_t n)
{
  for(int r = 0; r < STATS_R_COUNT; r++)
    if(strlen(rd->names[r]) == n && !memcmp(rd->names[r], s, n))
      return r;
  return STATS_R_NONE;
}

/* "bad number 'TEXT' in column 'NAME' ..." for the field of role. */
static int field_err(struct stats_reader *rd, size_t line, int role,
                     const char *what, const char *why, struct bon_err *err)
{
  char msg[512];
  const struct stats_fld *f = &rd->f[role];
  snprintf(msg, sizeof(msg), "%s '%.*s' in column '%s'%s", what,
           (int)(f->n > 64 ? 64 : f->n), f->p, rd->names[role], why);
  return stats_builder_err(rd->b, line, err, msg);
}

int stats_reader_emit(struct stats_reader *rd, size_t line,
                      struct bon_err *err)
{
  for(int r = 0; r <= STATS_R_CORRECT; r++)
    if(!rd->f[r].p) {
      char msg[128];
      snprintf(msg, sizeof(msg), "missing field '%s'", rd->names[r]);
      return stats_builder_err(rd->b, line, err, msg);
    }
  struct stats_raw_row w = {.score = NAN};
  const struct stats_fld *sc = &rd->f[STATS_R_SCORE];
  int rc = stats_parse_num(sc->p, sc->n, &w.score);
  if(rc < 0)
    return field_err(rd, line, STATS_R_SCORE, "bad number", " (a finite "
                     "real, or empty / nan when missing)", err);
  const struct stats_fld *g = &rd->f[STATS_R_CORRECT];
  rc = stats_parse_gold(g->p, g->n, &w.gold);
  if(rc != 0)
    return field_err(rd, line, STATS_R_CORRECT, rc > 0 ? "missing value"
                     : "bad number", " (gold must be 0/1 or a real number)",
                     err);
  const struct stats_fld *st = &rd->f[STATS_R_STEPS];
  if(st->p) {
    long k = stats_steps_parse(st->p, st->n, &rd->steps, &rd->steps_cap);
    if(k < 0) {
      char msg[512];
      snprintf(msg, sizeof(msg), "bad step score in column '%s': '%.*s'",
               rd->names[STATS_R_STEPS], (int)(st->n > 64 ? 64 : st->n),
               st->p);
      return stats_builder_err(rd->b, line, err, msg);
    }
    w.steps = rd->steps;
    w.n_steps = (size_t)k;
    w.has_steps = 1;
  }
  w.problem = rd->f[STATS_R_PROBLEM];
  w.sample = rd->f[STATS_R_SAMPLE];
  w.rm = rd->f[STATS_R_RM];
  w.answer = rd->f[STATS_R_ANSWER];
  w.kind = rd->f[STATS_R_KIND];
  return stats_builder_row(rd->b, &w, line, err);
}

/* ---- reading a whole input ---- */

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

enum stats_format stats_table_format(const char *name, const char *data,
                                     size_t len,
                                     const struct stats_table_opts *opts)
{
  if(opts && opts->format != STATS_FMT_AUTO)
    return opts->format;
  if(len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3)) {
    data += 3;
    len -= 3;
  }
  return detect(name, data, len);
}

void stats_reader_init(struct stats_reader *rd, const char *name,
                       const struct stats_table_opts *o)
{
  memset(rd, 0, sizeof(*rd));
  rd->b = stats_builder_new(o);
  rd->b->name = name;
  rd->b->memory = 0;
  const char *over[STATS_R_COUNT] = {o->col_problem, o->col_sample,
                                     o->col_rm, o->col_score,
                                     o->col_correct, o->col_answer,
                                     o->col_steps, o->col_kind};
  for(int r = 0; r < STATS_R_COUNT; r++)
    rd->names[r] = over[r] && *over[r] ? over[r] : default_names[r];
}

void stats_reader_free(struct stats_reader *rd)
{
  for(int r = 0; r <= STATS_R_COUNT; r++)
    free(rd->scr[r]);
  free(rd->steps);
  if(rd->own_roles)
    free(rd->roles);
}

/* stats_table_parse; `mapped`: data is a read-only file mapping that the
 * parallel reader may give back page by page. */
static struct stats_table *parse(const char *data, size_t len,
                                 const char *name,
                                 const struct stats_table_opts *opts,
                                 int mapped, struct bon_err *err)
{
  struct stats_table_opts zero;
  if(!opts) {
    stats_table_opts_init(&zero);
    opts = &zero;
  }
  if(!name)
    name = "<memory>";
  enum stats_format fmt = stats_table_format(name, data, len, opts);
  const char *p = data, *e = data + len;
  if(len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3)) /* UTF-8 byte-order mark */
    p += 3;
  if(p < e) {
    struct stats_table *t = stats_table_parse_par(p, e, fmt, name, opts,
                                                  STATS_PAR_MIN_CHUNK,
                                                  mapped);
    if(t)
      return t;
  }
  struct stats_reader rd;
  stats_reader_init(&rd, name, opts);
  int rc;
  if(p == e)
    rc = bon_errf(err, "%s: empty file (expected a header line)", name);
  else if(fmt == STATS_FMT_JSONL)
    rc = stats_read_jsonl(&rd, p, e, err);
  else
    rc = stats_read_delim(&rd, p, e, fmt == STATS_FMT_TSV ? '\t' : ',',
                          err);
  stats_reader_free(&rd);
  if(rc < 0) {
    stats_builder_free(rd.b);
    return NULL;
  }
  return stats_builder_finish(rd.b, err);
}

struct stats_table *stats_table_parse(const char *data, size_t len,
                                      const char *name,
                                      const struct stats_table_opts *opts,
                                      struct bon_err *err)
{
  return parse(data, len, name, opts, 0, err);
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
  struct stats_table *t = parse(m, n, path, opts, 1, err);
  munmap(m, n);
  return t;
}

/* ---- the finished table ---- */

void stats_table_free(struct stats_table *t)
{
  if(!t)
    return;
  if(t->priv_)
    stats_arena_free(t->priv_);
  void *owned[] = {t->priv_, t->problems, t->rms, t->answers, t->cand_off,
                   t->samples, t->gold, t->answer, t->score, t->steps_off,
                   t->steps_val, t->rm_kind, t->source, t};
  for(size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++)
    free(owned[i]);
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
    t->priv_ = xcalloc(1, sizeof(struct stats_arena));
  t->rms[nr] = stats_arena_dup(t->priv_, name, strlen(name));
  if(t->steps_off) {
    size_t end = t->steps_off[nr * nc];
    t->steps_off = xrealloc(t->steps_off, ((nr + 1) * nc + 1) *
                                            sizeof(size_t));
    for(size_t i = nr * nc + 1; i <= (nr + 1) * nc; i++)
      t->steps_off[i] = end;
  }
  if(t->rm_kind) {
    t->rm_kind = xrealloc(t->rm_kind, nr + 1);
    t->rm_kind[nr] = STATS_RM_SCORE;
  }
  t->n_rms++;
  return 0;
}

void stats_table_remove_rm(struct stats_table *t, int r)
{
  size_t nc = t->n_cands, nr = (size_t)t->n_rms, ri = (size_t)r;
  if(r < 0 || ri >= nr)
    return;
  size_t after = nr - ri - 1;
  memmove(t->score + ri * nc, t->score + (ri + 1) * nc,
          after * nc * sizeof(double));
  memmove(t->rms + ri, t->rms + ri + 1, after * sizeof(char *));
  if(t->rm_kind)
    memmove(t->rm_kind + ri, t->rm_kind + ri + 1, after);
  if(t->steps_off) {
    /* the RM's step values [a, e) go; later offsets move down by e - a */
    size_t *o = t->steps_off;
    size_t a = o[ri * nc], e = o[(ri + 1) * nc], tot = o[nr * nc];
    memmove(t->steps_val + a, t->steps_val + e, (tot - e) * sizeof(double));
    for(size_t i = ri * nc; i + nc <= nr * nc; i++)
      o[i] = o[i + nc] - (e - a);
  }
  t->n_rms--;
}

int stats_table_equal(const struct stats_table *a, const struct stats_table *b)
{
  if(a->n_problems != b->n_problems || a->n_rms != b->n_rms ||
     a->n_answers != b->n_answers || a->n_cands != b->n_cands ||
     a->has_answer != b->has_answer || a->has_steps != b->has_steps ||
     !a->rm_kind != !b->rm_kind ||
     (a->rm_kind && memcmp(a->rm_kind, b->rm_kind, (size_t)a->n_rms)) ||
     a->gold_binary != b->gold_binary ||
     memcmp(&a->counts, &b->counts, sizeof(a->counts)) ||
     strcmp(a->source, b->source))
    return 0;
  for(int p = 0; p < a->n_problems; p++)
    if(strcmp(a->problems[p], b->problems[p]))
      return 0;
  for(int r = 0; r < a->n_rms; r++)
    if(strcmp(a->rms[r], b->rms[r]))
      return 0;
  for(int k = 0; k < a->n_answers; k++)
    if(strcmp(a->answers[k], b->answers[k]))
      return 0;
  size_t nc = a->n_cands, cells = (size_t)a->n_rms * nc;
  if(memcmp(a->cand_off, b->cand_off,
            ((size_t)a->n_problems + 1) * sizeof(size_t)) ||
     memcmp(a->gold, b->gold, nc * sizeof(double)) ||
     memcmp(a->answer, b->answer, nc * sizeof(int32_t)) ||
     memcmp(a->score, b->score, cells * sizeof(double)))
    return 0;
  for(size_t c = 0; c < nc; c++)
    if(strcmp(a->samples[c], b->samples[c]))
      return 0;
  if(!a->steps_off || !b->steps_off)
    return !a->steps_off && !b->steps_off;
  return !memcmp(a->steps_off, b->steps_off, (cells + 1) * sizeof(size_t)) &&
         !memcmp(a->steps_val, b->steps_val,
                 a->steps_off[cells] * sizeof(double));
}

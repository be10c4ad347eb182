/* merge.c - join shard folders into one run folder (see merge.h). */
#include "runner/merge.h"
#include "runner/store.h"
#include "stats/csv.h"
#include "util/buf.h"
#include "util/cfg.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/u64map.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

/* The record stores a merge joins; the first two every shard has. */
static const char *const stores[] = {
  "samples.jsonl", "scores.jsonl", "benchmarks/one_to_many/scores.jsonl",
  "benchmarks/one_to_one/scores.jsonl", NULL};

/* The fields that carry a record's result: two shards that hold one key
 * must agree on them (the rest, such as problem_id, places the record). */
static const char *const sample_result[] = {"text", NULL};
static const char *const score_result[] = {"score", "steps", NULL};

/* The shards joined, in K order. */
struct joining {
  const char *out;
  char **dirs;
  size_t n;                   /* shards joined */
  int split;                  /* N */
  const int *ks;              /* [n] K of each */
  const struct shard_manifest **ms; /* [n] the manifest of each */
  size_t problems;            /* problems of the whole experiment */
  struct merge_result *res;
  struct bon_err *err;
};

/* ---- records ------------------------------------------------------------ */

/* One shard's file of a store: its whole lines, how many of them win, and
 * the bytes up to the end of its last whole line.  When every line wins
 * (no key repeated: the usual case), the file is copied as it is. */
struct tally {
  size_t lines, wins;
  uint64_t good;
};

/* Index of one store over the shards: key -> a: offset of the winning line,
 * b: shard index + 1, c: line length << 1 | is_error. */

static int differ(int fd, const struct u64map_slot *s, const char *line,
                  const char *const *fields, char *what, size_t cap)
{
  size_t len = s->c >> 1;
  char *old = xmalloc(len + 1);
  ssize_t got = pread(fd, old, len, (off_t)s->a);
  old[got > 0 ? (size_t)got : 0] = '\0';
  cJSON *a = cJSON_Parse(old), *b = cJSON_Parse(line);
  int d = !a || !b || got != (ssize_t)len;
  for(const char *const *f = fields; !d && *f; f++) {
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, *f);
    const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, *f);
    d = (x || y) && (!x || !y || !cJSON_Compare(x, y, 1));
    if(d) {
      const char *pid = cJSON_GetStringValue(
          cJSON_GetObjectItemCaseSensitive(b, "problem_id"));
      snprintf(what, cap, "problem %s, \"%s\"", pid ? pid : "?", *f);
    }
  }
  cJSON_Delete(a);
  cJSON_Delete(b);
  free(old);
  return d;
}

/* Add shard f's lines of store `name` to the index. */
static int index_store(struct joining *j, struct u64map *ix, const int *fds,
                       size_t f, const char *name, struct tally *t,
                       struct bon_err *err)
{
  char *path = fs_join(j->dirs[f], name);
  FILE *in = fopen(path, "r");
  const char *const *fields = strcmp(name, "samples.jsonl") ? score_result
                                                            : sample_result;
  int rc = 0;
  if(!in) {
    int e = errno;
    /* a shard with no benchmark slice has no benchmark store */
    if(e != ENOENT || fields == sample_result || !strcmp(name, "scores.jsonl"))
      rc = bon_errf(err, "%s: cannot open: %s", path, strerror(e));
    free(path);
    return rc;
  }
  char *line = NULL, what[160];
  size_t cap = 0, lineno = 0;
  ssize_t n;
  uint64_t off = 0, key;
  while(!rc && (n = getline(&line, &cap, in)) > 0) {
    lineno++;
    if(line[n - 1] != '\n') {
      j->res->torn++; /* a torn last line: its record is not there */
      break;
    }
    if(store_line_key(line, (size_t)n, &key) || n >= INT32_MAX) {
      rc = bon_errf(err, "%s:%zu: not a bonrun record", path, lineno);
      break;
    }
    uint32_t e = (uint32_t)store_line_is_error(line, (size_t)n);
    int fresh;
    struct u64map_slot *s = u64map_put(ix, key, &fresh);
    int take = fresh || s->b == f + 1 || ((s->c & 1) && !e);
    if(!fresh)
      j->res->repeated++;
    if(!fresh && s->b != f + 1 && !(s->c & 1) && !e &&
       differ(fds[s->b - 1], s, line, fields, what, sizeof(what)))
      rc = bon_errf(err, "%s and %s both hold the record %.16s of %s with "
                         "different results (%s): they were computed by "
                         "different models or servers; rerun one of them "
                         "with the other's", j->dirs[s->b - 1], j->dirs[f],
                    line + 8, name, what);
    else if(take) {
      if(!fresh && s->b != f + 1)
        t[s->b - 1].wins--;
      if(fresh || s->b != f + 1)
        t[f].wins++;
      s->a = off;
      s->b = (uint32_t)f + 1;
      s->c = (uint32_t)n << 1 | e;
    }
    off += (uint64_t)n;
    t[f].lines++;
    t[f].good = off;
  }
  free(line);
  fclose(in);
  free(path);
  return rc;
}

/* OUT/name.tmp, where a file is written before the merge is whole. */
static char *tmp_path(const struct joining *j, const char *name)
{
  char *dst = fs_join(j->out, name), *tmp = xmalloc(strlen(dst) + 5);
  sprintf(tmp, "%s.tmp", dst);
  free(dst);
  return tmp;
}

/* Write all of b to fd.  0 or -1. */
static int put_all(int fd, const char *p, size_t n)
{
  while(n) {
    ssize_t w = write(fd, p, n);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0)
      return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Append the first len bytes of file in to out: in the kernel where it
 * can (copy_file_range), else through a buffer.  0 or -1. */
static int copy_bytes(int in, int out, uint64_t len)
{
  off_t off = 0;
  while(len) {
    ssize_t c = copy_file_range(in, &off, out, NULL, len, 0);
    if(c <= 0)
      break;
    len -= (uint64_t)c;
  }
  char buf[1 << 16];
  while(len) {
    ssize_t r = pread(in, buf, len < sizeof(buf) ? len : sizeof(buf), off);
    if(r <= 0 || put_all(out, buf, (size_t)r))
      return -1;
    off += r;
    len -= (uint64_t)r;
  }
  return 0;
}

/* Shard f's winning lines of store `name`, in file order, onto out. */
static int copy_winners(const struct u64map *ix, const char *src, size_t f,
                        int out)
{
  FILE *in = fopen(src, "r");
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  uint64_t off = 0, key;
  struct buf b = BUF_INIT;
  int rc = in ? 0 : -1;
  while(!rc && (n = getline(&line, &cap, in)) > 0 && line[n - 1] == '\n') {
    const struct u64map_slot *s;
    if(!store_line_key(line, (size_t)n, &key) &&
       (s = u64map_get(ix, key)) && s->b == f + 1 && s->a == off)
      buf_append(&b, line, (size_t)n);
    off += (uint64_t)n;
    if(b.len > (1 << 20)) {
      rc = put_all(out, b.data, b.len);
      buf_reset(&b);
    }
  }
  if(!rc)
    rc = put_all(out, b.data, b.len);
  buf_free(&b);
  free(line);
  if(in)
    fclose(in);
  return rc;
}

/* Copy the winning lines of store `name`, shard by shard, in file order,
 * into OUT/name.tmp. */
static int write_store(struct joining *j, const struct u64map *ix,
                       const char *name, const struct tally *t,
                       struct bon_err *err)
{
  char *tmp = tmp_path(j, name);
  int o = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int rc = o >= 0 ? 0 : bon_errf(err, "%s: cannot write: %s", tmp,
                                 strerror(errno));
  for(size_t f = 0; f < j->n && !rc; f++) {
    char *src = fs_join(j->dirs[f], name);
    int in = t[f].lines ? open(src, O_RDONLY) : -1;
    if(in >= 0 && t[f].wins == t[f].lines)
      rc = copy_bytes(in, o, t[f].good);
    else if(in >= 0)
      rc = copy_winners(ix, src, f, o);
    if(rc)
      bon_errf(err, "%s: cannot copy %s: %s", tmp, src, strerror(errno));
    if(in >= 0)
      close(in);
    free(src);
  }
  if(o >= 0 && close(o) && !rc)
    rc = bon_errf(err, "%s: write failed: %s", tmp, strerror(errno));
  free(tmp);
  return rc;
}

/* About how many lines the file behind fd holds, from its size and its
 * first 64 KiB, so the index is sized once. */
static size_t estimate_lines(int fd)
{
  struct stat st;
  static char buf[1 << 16];
  if(fd < 0 || fstat(fd, &st))
    return 0;
  ssize_t r = pread(fd, buf, sizeof(buf), 0);
  size_t nl = 0;
  for(ssize_t i = 0; i < r; i++)
    nl += buf[i] == '\n';
  if(r <= 0 || !nl)
    return 0;
  return (size_t)((double)st.st_size / (double)r * (double)nl * 1.05) + 1;
}

/* Index store `name` over every shard (the checks of a merge).  *any: 1
 * if some shard has the file. */
static int index_all(struct joining *j, const char *name, struct u64map *ix,
                     int *any, struct tally *t, struct bon_err *err)
{
  int *fds = xcalloc(j->n, sizeof(int));
  int rc = 0;
  *any = 0;
  for(size_t f = 0; f < j->n; f++) {
    char *p = fs_join(j->dirs[f], name);
    fds[f] = open(p, O_RDONLY);
    *any |= fds[f] >= 0;
    free(p);
  }
  size_t lines = 0;
  for(size_t f = 0; f < j->n; f++)
    lines += estimate_lines(fds[f]);
  u64map_reserve(ix, lines);
  for(size_t f = 0; f < j->n && !rc; f++)
    rc = index_store(j, ix, fds, f, name, t, err);
  for(size_t f = 0; f < j->n; f++)
    if(fds[f] >= 0)
      close(fds[f]);
  free(fds);
  return rc;
}

/* ---- problems.jsonl and scores.csv, back in problem order ---------------- */

/* One CSV record (a row may hold quoted line breaks) into b; 0 at EOF. */
static int read_row(FILE *f, struct buf *b, char **line, size_t *cap)
{
  size_t quotes = 0;
  ssize_t n;
  buf_reset(b);
  while((n = getline(line, cap, f)) > 0) {
    buf_append(b, *line, (size_t)n);
    for(ssize_t i = 0; i < n; i++)
      quotes += (*line)[i] == '"';
    if(quotes % 2 == 0)
      return 1;
  }
  return b->len > 0;
}

struct stream {
  FILE *prob, *csv;
  struct buf row;             /* the next scores.csv row, not yet copied */
  int have_row;
  char *line;
  size_t cap;
};

static int open_streams(struct joining *j, struct stream *s, FILE **out,
                        struct bon_err *err)
{
  struct buf head = BUF_INIT;
  int rc = 0;
  for(size_t f = 0; f < j->n && !rc; f++) {
    char *p = fs_join(j->dirs[f], "problems.jsonl");
    char *c = fs_join(j->dirs[f], "scores.csv");
    s[f].prob = fopen(p, "r");
    s[f].csv = fopen(c, "r");
    if(!s[f].prob || !s[f].csv)
      rc = bon_errf(err, "%s: cannot open: %s", s[f].prob ? c : p,
                    strerror(errno));
    else if(!read_row(s[f].csv, &s[f].row, &s[f].line, &s[f].cap))
      rc = bon_errf(err, "%s: empty (no header)", c);
    else if(!f)
      buf_append(&head, s[f].row.data, s[f].row.len);
    else if(s[f].row.len != head.len ||
            memcmp(s[f].row.data, head.data, head.len))
      rc = bon_errf(err, "%s: its header differs from %s/scores.csv", c,
                    j->dirs[0]);
    if(!rc && !f)
      fwrite(head.data, 1, head.len, out[1]);
    if(!rc)
      s[f].have_row = read_row(s[f].csv, &s[f].row, &s[f].line, &s[f].cap);
    free(p);
    free(c);
  }
  buf_free(&head);
  return rc;
}

/* Copy problem p's line (the next of its shard) and its rows. */
static int copy_problem(struct joining *j, struct stream *s, size_t f,
                        FILE **out, struct buf *prefix, struct bon_err *err)
{
  ssize_t n = getline(&s->line, &s->cap, s->prob);
  if(n <= 0 || s->line[n - 1] != '\n')
    return bon_errf(err, "%s/problems.jsonl: fewer problems than shard %d/%d "
                         "of %zu holds: the shard's files do not belong "
                         "together", j->dirs[f], j->ks[f], j->split,
                    j->problems);
  fwrite(s->line, 1, (size_t)n, out[0]);
  cJSON *pj = cJSON_Parse(s->line);
  const char *id = cJSON_GetStringValue(
      cJSON_GetObjectItemCaseSensitive(pj, "problem_id"));
  int rc = 0;
  if(!id)
    rc = bon_errf(err, "%s/problems.jsonl: a line without problem_id",
                  j->dirs[f]);
  buf_reset(prefix);
  if(id)
    stats_csv_put(prefix, id);
  buf_putc(prefix, ',');
  cJSON_Delete(pj);
  while(!rc && s->have_row && s->row.len >= prefix->len &&
        !memcmp(s->row.data, prefix->data, prefix->len)) {
    fwrite(s->row.data, 1, s->row.len, out[1]);
    s->have_row = read_row(s->csv, &s->row, &s->line, &s->cap);
  }
  return rc;
}

static int interleave(struct joining *j, struct bon_err *err)
{
  static const char *const names[2] = {"problems.jsonl", "scores.csv"};
  struct stream *s = xcalloc(j->n, sizeof(*s));
  FILE *out[2] = {NULL, NULL};
  char *tmp[2];
  int rc = 0;
  for(int i = 0; i < 2; i++) {
    tmp[i] = tmp_path(j, names[i]);
    if(!(out[i] = fopen(tmp[i], "w")) && !rc)
      rc = bon_errf(err, "%s: cannot write: %s", tmp[i], strerror(errno));
  }
  if(!rc)
    rc = open_streams(j, s, out, err);
  /* shard k holds problems k-1, k-1+N, k-1+2N, ... of the config */
  size_t *of_k = xcalloc((size_t)j->split, sizeof(size_t));
  for(size_t f = 0; f < j->n; f++)
    of_k[j->ks[f] - 1] = f + 1;
  struct buf prefix = BUF_INIT;
  for(size_t p = 0; p < j->problems && !rc; p++) {
    size_t f = of_k[p % (size_t)j->split];
    if(f)
      rc = copy_problem(j, &s[f - 1], f - 1, out, &prefix, err);
    if(f && !rc)
      j->res->problems++;
  }
  for(size_t f = 0; f < j->n && !rc; f++) {
    if(s[f].have_row)
      rc = bon_errf(err, "%s/scores.csv: a row out of problem order (\"%.40s"
                         "\"): the shard's files do not belong together",
                    j->dirs[f], s[f].row.data);
    else if(getline(&s[f].line, &s[f].cap, s[f].prob) > 0)
      rc = bon_errf(err, "%s/problems.jsonl: more problems than shard %d/%d "
                         "of %zu holds", j->dirs[f], j->ks[f], j->split,
                    j->problems);
  }
  for(int i = 0; i < 2; i++) {
    if(out[i] && (fflush(out[i]) || ferror(out[i])) && !rc)
      rc = bon_errf(err, "%s: write failed", tmp[i]);
    if(out[i])
      fclose(out[i]);
    free(tmp[i]);
  }
  for(size_t f = 0; f < j->n; f++) {
    if(s[f].prob)
      fclose(s[f].prob);
    if(s[f].csv)
      fclose(s[f].csv);
    buf_free(&s[f].row);
    free(s[f].line);
  }
  buf_free(&prefix);
  free(of_k);
  free(s);
  return rc;
}

/* ---- the merge ---------------------------------------------------------- */

/* What the joined shards are now: their manifests and the sizes of their
 * files, so a merge of unchanged shards is not done twice. */
static uint64_t fingerprint(struct joining *j)
{
  static const char *const files[] = {
    SHARD_FILE, "problems.jsonl", "scores.csv", "samples.jsonl",
    "scores.jsonl", "benchmarks/one_to_many/scores.jsonl",
    "benchmarks/one_to_one/scores.jsonl", NULL};
  uint64_t h = hash_str(HASH_INIT, "merge");
  for(size_t f = 0; f < j->n; f++) {
    h = hash_str(h, j->dirs[f]);
    for(const char *const *n = files; *n; n++) {
      char *p = fs_join(j->dirs[f], *n);
      struct stat st;
      h = hash_u64(h, stat(p, &st) ? UINT64_MAX : (uint64_t)st.st_size);
      if(n == files) {
        struct bon_err e2;
        size_t len = 0;
        char *text = fs_read_file(p, &len, &e2);
        h = text ? hash_bytes(h, text, len) : h;
        free(text);
      }
      free(p);
    }
  }
  return h;
}

static cJSON *read_config(const char *dir, struct bon_err *err)
{
  char *path = fs_join(dir, "config.json");
  char *text = fs_read_file(path, NULL, err);
  cJSON *j = text ? cfg_parse(text, path, err) : NULL;
  free(text);
  free(path);
  return j;
}

/* OUT may hold an earlier merge (of these shards: 1 when unchanged), never
 * a run of its own or of another experiment.  0, 1 fresh, -1 err. */
static int check_out(struct joining *j, const cJSON *cfg, const char *fp,
                     struct bon_err *err)
{
  struct shard_manifest m;
  int rc = shard_manifest_read(j->out, &m, err);
  if(rc < 0)
    return -1;
  char *cp = fs_join(j->out, "config.json");
  int has_run = fs_exists(cp);
  free(cp);
  if(rc == 0 && !m.merged)
    return bon_errf(err, "%s holds a run of its own (shard %d/%d, not a "
                         "merge): merging into it would replace its "
                         "records: merge into another folder", j->out, m.k,
                    m.n);
  if(rc == 1 && has_run)
    return bon_errf(err, "%s holds a run (config.json) that is not a merge: "
                         "merging into it would replace its records: merge "
                         "into another folder", j->out);
  cJSON *old = has_run ? read_config(j->out, err) : NULL;
  const char *on = cJSON_GetStringValue(
      cJSON_GetObjectItemCaseSensitive(old, "name"));
  const char *nn = cJSON_GetStringValue(
      cJSON_GetObjectItemCaseSensitive(cfg, "name"));
  int bad = on && nn && strcmp(on, nn);
  if(bad)
    bon_errf(err, "%s holds the run \"%s\"; these shards are of \"%s\": "
                  "merge into another folder", j->out, on, nn);
  cJSON_Delete(old);
  if(bad)
    return -1;
  return rc == 0 && m.complete && !strcmp(m.sources, fp) &&
         m.partial == (j->n < (size_t)j->split);
}

static int write_config(struct joining *j, cJSON *cfg, struct bon_err *err)
{
  cJSON_DeleteItemFromObjectCaseSensitive(cfg, "output");
  cJSON_AddStringToObject(cfg, "output", j->out);
  char *text = cJSON_Print(cfg);
  struct buf b = BUF_INIT;
  buf_puts(&b, text);
  buf_putc(&b, '\n');
  cJSON_free(text);
  char *path = fs_join(j->out, "config.json");
  int rc = fs_write_atomic(path, b.data, b.len, err);
  free(path);
  buf_free(&b);
  return rc;
}

/* Move every OUT/name.tmp written into place (rc == 0), or remove them. */
static int settle(struct joining *j, const int *written, int rc,
                  struct bon_err *err)
{
  static const char *const tables[] = {"problems.jsonl", "scores.csv"};
  for(int i = 0; i < 6; i++) {
    const char *name = i < 2 ? tables[i] : stores[i - 2];
    if(i >= 2 && !written[i - 2])
      continue;
    char *tmp = tmp_path(j, name), *dst = fs_join(j->out, name);
    if(rc)
      unlink(tmp);
    else if(rename(tmp, dst))
      rc = bon_errf(err, "%s: cannot rename into place: %s", dst,
                    strerror(errno));
    free(tmp);
    free(dst);
  }
  return rc;
}

static int join(struct joining *j, cJSON *cfg, const struct shard_manifest *m,
                const char *fp, struct bon_err *err)
{
  struct u64map ix[4] = {U64MAP_INIT, U64MAP_INIT, U64MAP_INIT, U64MAP_INIT};
  int any[4] = {0, 0, 0, 0};
  struct tally *t[4];
  int rc = 0;
  for(int i = 0; i < 4; i++)
    t[i] = xcalloc(j->n, sizeof(struct tally));
  /* every check first: nothing in OUT changes until all have passed */
  for(int i = 0; stores[i] && !rc; i++)
    rc = index_all(j, stores[i], &ix[i], &any[i], t[i], err);
  for(int i = 0; stores[i] && !rc; i++) {
    if(!any[i] && i)
      continue;
    char *dir = fs_join(j->out, stores[i]);
    *strrchr(dir, '/') = '\0';
    rc = fs_mkdirs(dir, err);
    free(dir);
  }
  if(!rc)
    rc = interleave(j, err);
  for(int i = 0; stores[i] && !rc; i++)
    if(any[i])
      rc = write_store(j, &ix[i], stores[i], t[i], err);
  j->res->records[0] = ix[0].n;
  j->res->records[1] = ix[1].n;
  for(int i = 0; i < 4; i++) {
    u64map_free(&ix[i]);
    free(t[i]);
  }
  char *old = fs_join(j->out, SHARD_FILE);
  if(!rc)
    unlink(old); /* until the merge is whole, OUT is no merge at all */
  free(old);
  rc = settle(j, any, rc, err);
  if(!rc)
    rc = write_config(j, cfg, err);
  if(rc)
    return rc;
  struct shard_manifest mm;
  memset(&mm, 0, sizeof(mm));
  mm.k = mm.n = 1;
  memcpy(mm.hash, m->hash, sizeof(mm.hash));
  mm.problems = j->problems;
  mm.complete = 1;
  mm.counted = 1;
  for(size_t f = 0; f < j->n; f++) {
    const struct shard_manifest *sm = j->ms[f];
    mm.counted &= sm->counted;
    mm.total += sm->total;
    mm.errors += sm->errors;
    mm.no_answer += sm->no_answer;
    mm.truncated = mm.truncated < 0 || sm->truncated < 0
                   ? -1 : mm.truncated + sm->truncated;
  }
  mm.merged = j->split;
  mm.partial = j->res->partial;
  memcpy(mm.missing, j->res->missing, sizeof(mm.missing));
  memcpy(mm.sources, fp, sizeof(mm.sources));
  cJSON *mj = shard_manifest_json(&mm);
  rc = shard_manifest_write(j->out, mj, err);
  cJSON_Delete(mj);
  return rc;
}

int merge_shards(const char *out, char *const *dirs,
                 const struct shard_manifest *ms, size_t n, int partial,
                 struct merge_result *res, struct bon_err *err)
{
  memset(res, 0, sizeof(*res));
  struct shard_set set;
  if(shard_check_set(ms, (const char *const *)dirs, n, partial, &set, err))
    return -1;
  struct joining j = {out, NULL, 0, set.n, NULL, NULL, 0, res, err};
  j.dirs = xcalloc((size_t)set.n, sizeof(char *));
  const struct shard_manifest **jm = xcalloc((size_t)set.n, sizeof(*jm));
  int *ks = xcalloc((size_t)set.n, sizeof(int));
  const struct shard_manifest *first = NULL;
  for(int k = 1; k <= set.n; k++)
    if(set.pick[k - 1]) {
      size_t i = set.pick[k - 1] - 1;
      first = first ? first : &ms[i];
      j.dirs[j.n] = dirs[i];
      jm[j.n] = &ms[i];
      ks[j.n++] = k;
    }
  j.ks = ks;
  j.ms = jm;
  j.problems = first->problems;
  res->n = set.n;
  res->joined = (int)j.n;
  res->partial = set.nmissing > 0;
  memcpy(res->missing, set.missing, sizeof(res->missing));
  char fp[17];
  hash_hex(fingerprint(&j), fp);
  cJSON *cfg = read_config(j.dirs[0], err);
  int rc = cfg ? check_out(&j, cfg, fp, err) : -1;
  if(rc == 1) {
    res->fresh = 1;
    rc = 0;
  }
  else if(!rc)
    rc = join(&j, cfg, first, fp, err);
  cJSON_Delete(cfg);
  free(set.pick);
  free(j.dirs);
  free(jm);
  free(ks);
  return rc;
}

void merge_summary(const char *out, const struct merge_result *r,
                   struct buf *b)
{
  if(r->fresh) {
    buf_printf(b, "bonrun merge: %s already holds this merge of %d of %d "
                  "shards: nothing to do\n", out, r->joined, r->n);
    return;
  }
  buf_printf(b, "bonrun merge: %s%d of %d shards -> %s: %zu problems, %zu "
                "samples, %zu scores (%zu repeated keys, %zu torn lines "
                "left out)\n", r->partial ? "PARTIAL, " : "", r->joined,
             r->n, out, r->problems, r->records[0], r->records[1],
             r->repeated, r->torn);
  if(r->partial)
    buf_printf(b, "bonrun merge: left out on purpose (--partial): shards "
                  "%s of %d\n", r->missing, r->n);
}

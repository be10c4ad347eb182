/* store.c - the append-only record store (see store.h for the design). */
#include "runner/store.h"
#include "util/buf.h"
#include "util/fsutil.h"
#include "util/hash.h"
#include "util/u64map.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_BLOCK (1u << 20)  /* bytes read at a time when scanning */
#define NO_GROUP 2             /* the group of a record without the field
                                  (real group hashes are odd) */

struct extent {
  uint64_t start, end;         /* [start, end): whole records */
};

struct group {
  struct extent ext[STORE_EXTENTS];  /* in file order */
  int n;
};

struct store {
  int fd;
  char *path;
  char *gpat;                  /* "\"<group>\":\"", or NULL: not grouped */
  size_t gpat_len;
  struct u64map groups;        /* group hash -> a: index into gs */
  struct group *gs;
  size_t ngs, capgs;
  struct u64map index;         /* key -> a: offset, b: line length */
  uint64_t size;               /* bytes in the file and the buffer */
  uint64_t written;            /* bytes in the file */
  struct buf wbuf;             /* records not written yet */
  size_t buffer_max;           /* write when this much waits (0: at once) */
  size_t records, repaired;
};

static uint64_t fix_key(uint64_t k)
{
  return k ? k : 1;
}

static void index_put(struct store *s, uint64_t key, uint64_t off,
                      uint32_t len)
{
  struct u64map_slot *sl = u64map_put(&s->index, key, NULL);
  sl->a = off;
  sl->b = len;
}

static int hexval(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

int store_line_key(const char *p, size_t n, uint64_t *key)
{
  static const char pre[] = "{\"key\":\"";
  if(n < sizeof(pre) - 1 + 17 || memcmp(p, pre, sizeof(pre) - 1))
    return -1;
  p += sizeof(pre) - 1;
  uint64_t k = 0;
  for(int i = 0; i < 16; i++) {
    int v = hexval(p[i]);
    if(v < 0)
      return -1;
    k = k << 4 | (uint64_t)v;
  }
  if(p[16] != '"')
    return -1;
  *key = fix_key(k);
  return 0;
}

int store_line_is_error(const char *p, size_t n)
{
  static const char k[] = ",\"error\":";
  return memmem(p, n, k, sizeof(k) - 1) != NULL;
}

/* ---- groups ------------------------------------------------------------ */

/* The group of a record (n bytes from p): the hash of the raw text of its
 * group field's string, or NO_GROUP.  Inside a JSON string every quote is
 * escaped, so "<field>":" occurs only as a key, and records are flat. */
static uint64_t line_group(const struct store *s, const char *p, size_t n)
{
  const char *v = memmem(p, n, s->gpat, s->gpat_len);
  if(!v)
    return NO_GROUP;
  v += s->gpat_len;
  const char *e = v, *end = p + n;
  while(e < end && *e != '"')
    e += *e == '\\' ? 2 : 1;
  if(e >= end)
    return NO_GROUP;
  return hash_mem(v, (size_t)(e - v)) | 1;
}

/* The group hash of an id as records spell it (JSON-escaped). */
static uint64_t id_group(const char *id, struct buf *scratch)
{
  buf_reset(scratch);
  buf_json_str(scratch, id);
  return hash_mem(scratch->data + 1, scratch->len - 2) | 1;
}

/* Record that [off, off + len) holds a record of group g. */
static void group_add(struct store *s, uint64_t g, uint64_t off,
                      uint64_t len)
{
  int fresh;
  struct u64map_slot *sl = u64map_put(&s->groups, g, &fresh);
  if(fresh) {
    if(s->ngs == s->capgs) {
      s->capgs = s->capgs ? s->capgs * 2 : 64;
      s->gs = xrealloc(s->gs, s->capgs * sizeof(*s->gs));
    }
    sl->a = s->ngs;
    s->gs[s->ngs++].n = 0;
  }
  struct group *gr = &s->gs[sl->a];
  if(gr->n && gr->ext[gr->n - 1].end == off) {
    gr->ext[gr->n - 1].end = off + len;
    return;
  }
  if(gr->n == STORE_EXTENTS) {
    /* merge the two closest neighbours, the new range included */
    struct extent all[STORE_EXTENTS + 1];
    memcpy(all, gr->ext, sizeof(gr->ext));
    all[STORE_EXTENTS] = (struct extent){off, off + len};
    int best = 0;
    for(int i = 1; i < STORE_EXTENTS; i++)
      if(all[i + 1].start - all[i].end < all[best + 1].start - all[best].end)
        best = i;
    all[best].end = all[best + 1].end;
    memmove(all + best + 1, all + best + 2,
            (size_t)(STORE_EXTENTS - best - 1) * sizeof(*all));
    memcpy(gr->ext, all, sizeof(gr->ext));
    return;
  }
  gr->ext[gr->n++] = (struct extent){off, off + len};
}

/* ---- scanning ---------------------------------------------------------- */

/* What a scan does with each record line. */
enum scan_mode { SCAN_OPEN_ALL, SCAN_OPEN_GROUPS, SCAN_INDEX };

/* One record line at off: check it, then index it or note its group. */
static int scan_line(struct store *s, enum scan_mode mode, const char *p,
                     size_t n, uint64_t off, size_t lineno,
                     struct bon_err *err)
{
  uint64_t key;
  if(store_line_key(p, n, &key) != 0 || n > UINT32_MAX)
    return bon_errf(err, "%s:%zu: not a bonrun record (a line must start "
                         "with {\"key\":\"<16 hex digits>\"); move the "
                         "file away or delete this line", s->path, lineno);
  if(mode == SCAN_OPEN_GROUPS)
    group_add(s, line_group(s, p, n), off, n);
  else
    index_put(s, key, off, (uint32_t)n);
  if(mode != SCAN_INDEX)
    s->records++;
  return 0;
}

/* Scan the whole records of [from, to) of the file (to = UINT64_MAX: up
 * to its end).  *good gets the end of the last whole line.  0 or -1. */
static int scan_range(struct store *s, enum scan_mode mode, uint64_t from,
                      uint64_t to, uint64_t *good, struct bon_err *err)
{
  size_t cap = READ_BLOCK, have = 0, lineno = 0;
  char *b = xmalloc(cap);
  uint64_t pos = from, base = from;  /* base: file offset of b[0] */
  int rc = 0;
  for(;;) {
    if(have == cap) {
      cap *= 2;
      b = xrealloc(b, cap);
    }
    size_t want = cap - have;
    if(to != UINT64_MAX && to - pos < want)
      want = (size_t)(to - pos);
    ssize_t got = want ? pread(s->fd, b + have, want, (off_t)pos) : 0;
    if(got < 0 && errno == EINTR)
      continue;
    if(got < 0) {
      rc = bon_errf(err, "%s: read error: %s", s->path, strerror(errno));
      break;
    }
    if(got == 0)
      break;
    pos += (uint64_t)got;
    have += (size_t)got;
    size_t start = 0;
    for(char *nl; rc == 0 && (nl = memchr(b + start, '\n', have - start));) {
      size_t len = (size_t)(nl - (b + start)) + 1;
      rc = scan_line(s, mode, b + start, len, base + start, ++lineno, err);
      start += len;
    }
    if(rc)
      break;
    memmove(b, b + start, have - start);
    have -= start;
    base += start;
  }
  free(b);
  *good = base;
  return rc;
}

static struct store *open_store(const char *path, const char *group,
                                struct bon_err *err)
{
  int fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0644);
  if(fd < 0) {
    bon_errf(err, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  struct store *s = xcalloc(1, sizeof(*s));
  s->fd = fd;
  s->path = xstrdup(path);
  if(group) {
    struct buf p = BUF_INIT;
    buf_json_str(&p, group);
    buf_puts(&p, ":\"");
    s->gpat_len = p.len;
    s->gpat = p.data;
  }
  uint64_t good = 0;
  if(scan_range(s, group ? SCAN_OPEN_GROUPS : SCAN_OPEN_ALL, 0, UINT64_MAX,
                &good, err)) {
    store_close(s);
    return NULL;
  }
  struct stat st;
  if(fstat(fd, &st) == 0 && (uint64_t)st.st_size > good) {
    s->repaired = (size_t)((uint64_t)st.st_size - good);
    if(ftruncate(fd, (off_t)good) != 0) {
      bon_errf(err, "%s: cannot cut off a torn last line: %s", path,
               strerror(errno));
      store_close(s);
      return NULL;
    }
  }
  s->size = s->written = good;
  return s;
}

struct store *store_open(const char *path, struct bon_err *err)
{
  return open_store(path, NULL, err);
}

struct store *store_open_grouped(const char *path, const char *group,
                                 struct bon_err *err)
{
  return open_store(path, group, err);
}

static int cmp_extent(const void *a, const void *b)
{
  const struct extent *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

int store_select(struct store *s, const char *const *ids, size_t n,
                 struct bon_err *err)
{
  if(!s->gpat)
    return 0;
  if(store_flush(s, err))
    return -1;
  u64map_clear(&s->index);
  struct extent *ex = xmalloc((n ? n : 1) * STORE_EXTENTS * sizeof(*ex));
  size_t nex = 0;
  struct buf scratch = BUF_INIT;
  for(size_t i = 0; i < n; i++) {
    const struct u64map_slot *sl = u64map_get(&s->groups,
                                              id_group(ids[i], &scratch));
    if(!sl)
      continue;
    const struct group *g = &s->gs[sl->a];
    memcpy(ex + nex, g->ext, (size_t)g->n * sizeof(*ex));
    nex += (size_t)g->n;
  }
  buf_free(&scratch);
  qsort(ex, nex, sizeof(*ex), cmp_extent);
  int rc = 0;
  for(size_t i = 0; i < nex && !rc; i++) {
    struct extent e = ex[i];
    while(i + 1 < nex && ex[i + 1].start <= e.end)
      e.end = ex[++i].end > e.end ? ex[i].end : e.end;
    uint64_t good;
    rc = scan_range(s, SCAN_INDEX, e.start, e.end, &good, err);
  }
  free(ex);
  return rc;
}

/* ---- reading and writing ----------------------------------------------- */

cJSON *store_get(struct store *s, uint64_t key)
{
  const struct u64map_slot *sl = u64map_get(&s->index, fix_key(key));
  if(!sl)
    return NULL;
  if(sl->a >= s->written)  /* still in the buffer */
    return cJSON_ParseWithLength(s->wbuf.data + (sl->a - s->written),
                                 sl->b);
  char *b = xmalloc((size_t)sl->b + 1);
  ssize_t got = pread(s->fd, b, sl->b, (off_t)sl->a);
  if(got != (ssize_t)sl->b) {
    free(b);
    return NULL;
  }
  b[sl->b] = '\0';
  cJSON *j = cJSON_Parse(b);
  free(b);
  return j;
}

int store_has(const struct store *s, uint64_t key)
{
  return u64map_get(&s->index, fix_key(key)) != NULL;
}

int store_flush(struct store *s, struct bon_err *err)
{
  if(!s->wbuf.len)
    return 0;
  int rc = fs_write_all(s->fd, s->wbuf.data, s->wbuf.len);
  if(rc)
    return bon_errf(err, "%s: write error: %s", s->path, strerror(errno));
  s->written += s->wbuf.len;
  buf_reset(&s->wbuf);
  return 0;
}

int store_set_buffer(struct store *s, size_t bytes, struct bon_err *err)
{
  s->buffer_max = bytes;
  return store_flush(s, err);
}

int store_put_n(struct store *s, uint64_t key, const char *body, size_t n,
                struct bon_err *err)
{
  static const char hex[] = "0123456789abcdef";
  char k[24] = "{\"key\":\"";
  key = fix_key(key);
  for(int i = 0; i < 16; i++)
    k[8 + i] = hex[(key >> (60 - 4 * i)) & 15];
  size_t at = s->wbuf.len;
  buf_append(&s->wbuf, k, 24);
  buf_append(&s->wbuf, "\"", 1);
  buf_append(&s->wbuf, body, n);
  buf_append(&s->wbuf, "\n", 1);
  size_t len = s->wbuf.len - at;
  index_put(s, key, s->size, (uint32_t)len);
  if(s->gpat)
    group_add(s, line_group(s, s->wbuf.data + at, len), s->size, len);
  s->size += len;
  s->records++;
  return s->wbuf.len > s->buffer_max ? store_flush(s, err) : 0;
}

int store_put(struct store *s, uint64_t key, const char *body,
              struct bon_err *err)
{
  return store_put_n(s, key, body, strlen(body), err);
}

size_t store_count(const struct store *s)
{
  return s->index.n;
}

size_t store_records(const struct store *s)
{
  return s->records;
}

size_t store_repaired(const struct store *s)
{
  return s->repaired;
}

void store_close(struct store *s)
{
  if(!s)
    return;
  struct bon_err err;
  store_flush(s, &err);
  if(s->fd >= 0)
    close(s->fd);
  u64map_free(&s->index);
  u64map_free(&s->groups);
  free(s->gs);
  buf_free(&s->wbuf);
  free(s->gpat);
  free(s->path);
  free(s);
}

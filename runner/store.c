#include "runner/store.h"
#include "util/buf.h"
#include "util/u64map.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct store {
  int fd;
  char *path;
  struct u64map index;   /* key -> a: offset, b: line length */
  uint64_t size;         /* file size */
  size_t repaired;
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

struct store *store_open(const char *path, struct bon_err *err)
{
  int fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0644);
  if(fd < 0) {
    bon_errf(err, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  struct store *s = xcalloc(1, sizeof(*s));
  s->fd = fd;
  s->path = xstrdup(path);
  FILE *f = fdopen(dup(fd), "rb");
  if(!f) {
    bon_errf(err, "%s: cannot read: %s", path, strerror(errno));
    store_close(s);
    return NULL;
  }
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  uint64_t off = 0, good = 0;
  size_t lineno = 0;
  while((n = getline(&line, &cap, f)) > 0) {
    lineno++;
    if(line[n - 1] != '\n')
      break; /* torn last record */
    uint64_t key;
    if(store_line_key(line, (size_t)n, &key) != 0) {
      bon_errf(err, "%s:%zu: not a bonrun record (a line must start with "
                    "{\"key\":\"<16 hex digits>\"); move the file away or "
                    "delete this line", path, lineno);
      free(line);
      fclose(f);
      store_close(s);
      return NULL;
    }
    index_put(s, key, off, (uint32_t)n);
    off += (uint64_t)n;
    good = off;
  }
  free(line);
  fclose(f);
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
  s->size = good;
  return s;
}

cJSON *store_get(struct store *s, uint64_t key)
{
  const struct u64map_slot *sl = u64map_get(&s->index, fix_key(key));
  if(!sl)
    return NULL;
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

int store_put(struct store *s, uint64_t key, const char *body,
              struct bon_err *err)
{
  static const char hex[] = "0123456789abcdef";
  struct buf b = BUF_INIT;
  char k[17];
  key = fix_key(key);
  for(int i = 15; i >= 0; i--)
    k[15 - i] = hex[(key >> (4 * i)) & 15];
  k[16] = '\0';
  buf_printf(&b, "{\"key\":\"%s\"", k);
  buf_puts(&b, body);
  buf_putc(&b, '\n');
  size_t off = 0;
  while(off < b.len) {
    ssize_t w = write(s->fd, b.data + off, b.len - off);
    if(w < 0) {
      if(errno == EINTR)
        continue;
      bon_errf(err, "%s: write error: %s", s->path, strerror(errno));
      buf_free(&b);
      return -1;
    }
    off += (size_t)w;
  }
  index_put(s, key, s->size, (uint32_t)b.len);
  s->size += b.len;
  buf_free(&b);
  return 0;
}

size_t store_count(const struct store *s)
{
  return s->index.n;
}

size_t store_repaired(const struct store *s)
{
  return s->repaired;
}

void store_close(struct store *s)
{
  if(!s)
    return;
  if(s->fd >= 0)
    close(s->fd);
  u64map_free(&s->index);
  free(s->path);
  free(s);
}

#include "util/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *fs_read_file(const char *path, size_t *len, struct bon_err *err)
{
  FILE *f = fopen(path, "rb");
  if(!f) {
    bon_errf(err, "%s: cannot open: %s", path, strerror(errno));
    return NULL;
  }
  size_t cap = 65536, n = 0;
  char *data = xmalloc(cap);
  for(;;) {
    if(n + 1 >= cap) {
      cap *= 2;
      data = xrealloc(data, cap);
    }
    size_t got = fread(data + n, 1, cap - n - 1, f);
    n += got;
    if(got == 0)
      break;
  }
  if(ferror(f)) {
    bon_errf(err, "%s: read error: %s", path, strerror(errno));
    fclose(f);
    free(data);
    return NULL;
  }
  fclose(f);
  data[n] = '\0';
  if(len)
    *len = n;
  return data;
}

/* write(2) all of data[0..len), through EINTR and short writes. */
int fs_write_all(int fd, const char *data, size_t len)
{
  size_t off = 0;
  while(off < len) {
    ssize_t w = write(fd, data + off, len - off);
    if(w < 0) {
      if(errno == EINTR)
        continue;
      return -1;
    }
    off += (size_t)w;
  }
  return 0;
}

struct fs_stream {
  int fd;
  char *path, *tmp;
};

struct fs_stream *fs_stream_open(const char *path, struct bon_err *err)
{
  size_t plen = strlen(path);
  char *tmp = xmalloc(plen + 32);
  snprintf(tmp, plen + 32, "%s.tmp.%ld", path, (long)getpid());
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if(fd < 0) {
    bon_errf(err, "%s: cannot create: %s", tmp, strerror(errno));
    free(tmp);
    return NULL;
  }
  struct fs_stream *st = xcalloc(1, sizeof(*st));
  st->fd = fd;
  st->tmp = tmp;
  st->path = xstrdup(path);
  return st;
}

int fs_stream_write(struct fs_stream *st, const char *data, size_t len,
                    struct bon_err *err)
{
  if(fs_write_all(st->fd, data, len) != 0)
    return bon_errf(err, "%s: write error: %s", st->tmp, strerror(errno));
  return 0;
}

void fs_stream_abort(struct fs_stream *st)
{
  if(!st)
    return;
  if(st->fd >= 0) {
    close(st->fd);
    unlink(st->tmp);
  }
  free(st->tmp);
  free(st->path);
  free(st);
}

int fs_stream_commit(struct fs_stream *st, struct bon_err *err)
{
  int rc = 0;
  if(fsync(st->fd) != 0 || close(st->fd) != 0) {
    rc = bon_errf(err, "%s: cannot flush: %s", st->tmp, strerror(errno));
    unlink(st->tmp);
  }
  else if(rename(st->tmp, st->path) != 0) {
    rc = bon_errf(err, "%s: cannot rename into place: %s", st->path,
                  strerror(errno));
    unlink(st->tmp);
  }
  st->fd = -1;
  fs_stream_abort(st);
  return rc;
}

int fs_write_atomic(const char *path, const char *data, size_t len,
                    struct bon_err *err)
{
  struct fs_stream *st = fs_stream_open(path, err);
  if(!st)
    return -1;
  if(fs_stream_write(st, data, len, err)) {
    fs_stream_abort(st);
    return -1;
  }
  return fs_stream_commit(st, err);
}

int fs_mkdirs(const char *path, struct bon_err *err)
{
  char *p = xstrdup(path);
  for(char *s = p + 1; ; s++) {
    if(*s == '/' || *s == '\0') {
      char c = *s;
      *s = '\0';
      if(mkdir(p, 0755) != 0 && errno != EEXIST) {
        bon_errf(err, "%s: cannot create folder: %s", p, strerror(errno));
        free(p);
        return -1;
      }
      *s = c;
      if(!c)
        break;
    }
  }
  struct stat st;
  if(stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
    bon_errf(err, "%s: exists but is not a folder", path);
    free(p);
    return -1;
  }
  free(p);
  return 0;
}

int fs_exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

char *fs_join(const char *dir, const char *name)
{
  size_t a = strlen(dir), b = strlen(name);
  char *s = xmalloc(a + b + 2);
  memcpy(s, dir, a);
  size_t k = a;
  if(a && dir[a - 1] != '/')
    s[k++] = '/';
  memcpy(s + k, name, b + 1);
  return s;
}

#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bon_errf(struct bon_err *err, const char *fmt, ...)
{
  va_list ap;
  if(!err)
    return -1;
  va_start(ap, fmt);
  vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
  va_end(ap);
  return -1;
}

int bon_err_prefix(struct bon_err *err, const char *fmt, ...)
{
  char pre[BON_ERR_LEN / 2], old[BON_ERR_LEN];
  va_list ap;
  if(!err)
    return -1;
  va_start(ap, fmt);
  vsnprintf(pre, sizeof(pre), fmt, ap);
  va_end(ap);
  memcpy(old, err->msg, sizeof(old));
  size_t n = strlen(pre);
  memcpy(err->msg, pre, n);
  memcpy(err->msg + n, ": ", 2);
  size_t room = sizeof(err->msg) - n - 3, m = strlen(old);
  if(m > room)
    m = room;
  memcpy(err->msg + n + 2, old, m);
  err->msg[n + 2 + m] = '\0';
  return -1;
}

static void oom(size_t n)
{
  fprintf(stderr, "bonrun: out of memory (asked for %zu bytes)\n", n);
  abort();
}

void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if(!p)
    oom(n);
  return p;
}

void *xcalloc(size_t n, size_t size)
{
  void *p = calloc(n ? n : 1, size ? size : 1);
  if(!p)
    oom(n * size);
  return p;
}

void *xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if(!q)
    oom(n);
  return q;
}

char *xstrdup(const char *s)
{
  return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

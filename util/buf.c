#include "util/buf.h"
#include "util/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(struct buf *b, size_t extra)
{
  size_t need = b->len + extra + 1;
  if(need <= b->cap)
    return;
  size_t cap = b->cap ? b->cap : 64;
  while(cap < need)
    cap *= 2;
  b->data = xrealloc(b->data, cap);
  b->cap = cap;
}

void buf_append(struct buf *b, const char *s, size_t n)
{
  grow(b, n);
  if(n)
    memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
  buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
  buf_append(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if(n < 0)
    return;
  grow(b, (size_t)n);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(b, fmt, ap);
  va_end(ap);
}

/* 1 for the bytes a JSON string cannot hold as they are. */
static int needs_escape(unsigned char c)
{
  return c < 0x20 || c == '"' || c == '\\';
}

void buf_json_str(struct buf *b, const char *s)
{
  static const char hex[] = "0123456789abcdef";
  buf_putc(b, '"');
  const unsigned char *p = (const unsigned char *)s;
  for(;;) {
    const unsigned char *run = p;
    while(*p && !needs_escape(*p))
      p++;
    if(p > run)
      buf_append(b, (const char *)run, (size_t)(p - run));
    if(!*p)
      break;
    switch(*p) {
    case '"': buf_append(b, "\\\"", 2); break;
    case '\\': buf_append(b, "\\\\", 2); break;
    case '\n': buf_append(b, "\\n", 2); break;
    case '\r': buf_append(b, "\\r", 2); break;
    case '\t': buf_append(b, "\\t", 2); break;
    default: {
      char u[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
      buf_append(b, u, 6);
    }
    }
    p++;
  }
  buf_putc(b, '"');
}

void buf_put_u64(struct buf *b, unsigned long long v)
{
  char d[24];
  int n = 0;
  do {
    d[sizeof(d) - 1 - n++] = (char)('0' + v % 10);
    v /= 10;
  } while(v);
  buf_append(b, d + sizeof(d) - n, (size_t)n);
}

void buf_reset(struct buf *b)
{
  b->len = 0;
  if(b->data)
    b->data[0] = '\0';
}

void buf_free(struct buf *b)
{
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

const char *buf_str(const struct buf *b)
{
  return b->data ? b->data : "";
}

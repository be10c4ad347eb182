/* buf.h - a growable byte buffer, always NUL-terminated. */
#ifndef BON_BUF_H
#define BON_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
  char *data; /* NUL-terminated; NULL until the first append */
  size_t len;
  size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Append s as a JSON string literal, quotes included. */
void buf_json_str(struct buf *b, const char *s);
/* Append v in decimal (as "%llu"). */
void buf_put_u64(struct buf *b, unsigned long long v);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* The contents, "" when empty.  Owned by the buffer. */
const char *buf_str(const struct buf *b);

#endif

/* err.h - the error report every part of bonrun fills in.
 *
 * Functions that can fail take a `struct bon_err *` and return a negative
 * int (or NULL) on failure after writing one line into it: what went wrong,
 * where (file, line, key path) and, where it helps, what to do.  Nothing below
 * runner/ prints or exits; the runner prints err.msg on stderr. */
#ifndef BON_ERR_H
#define BON_ERR_H

#include <stddef.h>

#define BON_ERR_LEN 1024

struct bon_err {
  char msg[BON_ERR_LEN];
};

/* Format a message into err (if non-NULL).  Always returns -1, so a caller
 * can write `return bon_errf(err, "...")`. */
int bon_errf(struct bon_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefix the message already in err with "prefix: ".  Returns -1. */
int bon_err_prefix(struct bon_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Allocation that never returns NULL: on out-of-memory it prints a message
 * and aborts (there is nothing sensible to recover at that point). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif

/* fsutil.h - the few file-system helpers every part needs. */
#ifndef BON_FSUTIL_H
#define BON_FSUTIL_H

#include <stddef.h>

#include "util/err.h"

/* Read a whole file into a fresh NUL-terminated buffer (caller frees).
 * *len gets its length when len is non-NULL.  NULL and err on failure. */
char *fs_read_file(const char *path, size_t *len, struct bon_err *err);
/* Write data to path atomically: a temporary file in the same folder, fsync,
 * then rename over path.  A reader sees the old file or the new, never half. */
int fs_write_atomic(const char *path, const char *data, size_t len,
                    struct bon_err *err);
/* mkdir -p. */
int fs_mkdirs(const char *path, struct bon_err *err);
/* 1 if path exists, else 0. */
int fs_exists(const char *path);
/* Join a folder and a name into a fresh string (caller frees). */
char *fs_join(const char *dir, const char *name);

#endif

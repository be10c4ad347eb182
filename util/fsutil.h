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
/* The same for a file written in pieces (scores.csv as a run produces
 * it): fs_stream_open creates the temporary file (NULL and err on
 * failure), fs_stream_write appends, fs_stream_commit fsyncs and renames
 * it over path (0, or -1 and err, the temporary removed) and frees st;
 * fs_stream_abort removes it and frees st (NULL is fine).  Until the
 * commit, path keeps its old contents. */
struct fs_stream;
struct fs_stream *fs_stream_open(const char *path, struct bon_err *err);
int fs_stream_write(struct fs_stream *st, const char *data, size_t len,
                    struct bon_err *err);
int fs_stream_commit(struct fs_stream *st, struct bon_err *err);
void fs_stream_abort(struct fs_stream *st);
/* write(2) all of data[0..len) to fd, through EINTR and short writes.
 * 0, or -1 with errno set. */
int fs_write_all(int fd, const char *data, size_t len);
/* mkdir -p. */
int fs_mkdirs(const char *path, struct bon_err *err);
/* 1 if path exists, else 0. */
int fs_exists(const char *path);
/* Join a folder and a name into a fresh string (caller frees). */
char *fs_join(const char *dir, const char *name);

#endif

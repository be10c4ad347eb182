/* notice.h - facts the library reports while it works (a server still
 * loading, a setting that makes samples irreproducible), without printing.
 *
 * Code below runner/ calls bon_notice(); the runner installs a sink that
 * prints the line on stderr (or not, with -q).  With no sink installed the
 * notice is dropped, so tests and library users stay quiet.  Like curl's
 * infof() and its debug callback. */
#ifndef BON_NOTICE_H
#define BON_NOTICE_H

enum bon_notice_kind {
  BON_NOTICE_PROGRESS,  /* progress of a wait ("server loading, 12 s") */
  BON_NOTICE_WARNING    /* the user should know: the result may differ */
};

typedef void (*bon_notice_fn)(void *ctx, enum bon_notice_kind kind,
                              const char *msg);

/* Install the sink (NULL: drop notices).  Not thread-safe: call it before
 * any work starts. */
void bon_notice_set(bon_notice_fn fn, void *ctx);
/* Format one line (no trailing newline) and hand it to the sink. */
void bon_notice(enum bon_notice_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif

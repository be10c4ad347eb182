/* notice.c - the notice sink (notice.h). */
#include "util/notice.h"

#include <stdarg.h>
#include <stdio.h>

static bon_notice_fn sink;
static void *sink_ctx;

void bon_notice_set(bon_notice_fn fn, void *ctx)
{
  sink = fn;
  sink_ctx = ctx;
}

void bon_notice(enum bon_notice_kind kind, const char *fmt, ...)
{
  if(!sink)
    return;
  char line[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  sink(sink_ctx, kind, line);
}

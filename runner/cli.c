/* cli.c - helpers shared by the subcommands. */
#include "runner/commands.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void cli_error(const char *cmd, const char *fmt, ...)
{
  va_list ap;
  fprintf(stderr, "bonrun %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

int cli_parse_size(const char *s, size_t *out)
{
  char *end;
  errno = 0;
  if(!*s || *s == '-')
    return -1;
  unsigned long long v = strtoull(s, &end, 10);
  if(*end || errno)
    return -1;
  *out = (size_t)v;
  return 0;
}

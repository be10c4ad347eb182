/* cli.c - helpers shared by the subcommands. */
#include "runner/commands.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
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

int cli_parse_u64(const char *s, uint64_t *out)
{
  char *end;
  /* digits only: strtoull alone would take " 5", "+5" and wrap "-5" */
  if(*s < '0' || *s > '9')
    return -1;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if(*end || errno || v > UINT64_MAX)
    return -1;
  *out = (uint64_t)v;
  return 0;
}

int cli_parse_size(const char *s, size_t *out)
{
  uint64_t v;
  if(cli_parse_u64(s, &v) < 0 || v > SIZE_MAX)
    return -1;
  *out = (size_t)v;
  return 0;
}

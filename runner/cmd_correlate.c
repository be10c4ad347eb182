/* cmd_correlate.c - `bonrun correlate`: placeholder until its issue lands. */
#include "runner/commands.h"

#include <stdio.h>
#include <string.h>

int cmd_correlate(int argc, char **argv)
{
  if(argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    printf("usage: bonrun correlate (not built yet)\n");
    return EXIT_OK;
  }
  cli_error("correlate", "not built yet");
  return EXIT_FAIL;
}

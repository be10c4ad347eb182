/* cmd_bench.c - `bonrun bench`: placeholder until its issue lands. */
#include "runner/commands.h"

#include <stdio.h>
#include <string.h>

int cmd_bench(int argc, char **argv)
{
  if(argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    printf("usage: bonrun bench (not built yet)\n");
    return EXIT_OK;
  }
  cli_error("bench", "not built yet");
  return EXIT_FAIL;
}

/* cmd_merge.c - `bonrun merge`: placeholder until its issue lands. */
#include "runner/commands.h"

#include <stdio.h>
#include <string.h>

int cmd_merge(int argc, char **argv)
{
  if(argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    printf("usage: bonrun merge (not built yet)\n");
    return EXIT_OK;
  }
  cli_error("merge", "not built yet");
  return EXIT_FAIL;
}

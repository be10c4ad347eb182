/* cmd_verify.c - `bonrun verify`: placeholder until its issue lands. */
#include "runner/commands.h"

#include <stdio.h>
#include <string.h>

int cmd_verify(int argc, char **argv)
{
  if(argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    printf("usage: bonrun verify (not built yet)\n");
    return EXIT_OK;
  }
  cli_error("verify", "not built yet");
  return EXIT_FAIL;
}

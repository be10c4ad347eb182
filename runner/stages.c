#include "runner/stages.h"

#include <stdio.h>

int run_stages(const char *dir, const struct run_config *c, const char *otm,
               const char *oto, int quiet, struct bon_err *err)
{
  (void)dir; (void)c; (void)otm; (void)oto; (void)err;
  if(!quiet)
    fprintf(stderr, "bonrun: analysis stages are not wired in yet\n");
  return 0;
}

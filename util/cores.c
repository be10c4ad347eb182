/* cores.c - the number of online cores (cores.h). */
#include "util/cores.h"

#include <unistd.h>

int cores_online(void)
{
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

/* The unit-test runner: runs every registered TEST, prints one line per
 * failure and a closing "unit: N passed, N failed" line. */
#include "tests/unit/test.h"

#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_TESTS 4096

struct test {
  const char *name, *file;
  test_fn fn;
};

static struct test tests[MAX_TESTS];
static int ntests, cur_failures;
static const char *cur_name;
static char tmpdir[512];

void test_register(const char *name, const char *file, test_fn fn)
{
  if(ntests < MAX_TESTS)
    tests[ntests++] = (struct test){name, file, fn};
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
  va_list ap;
  if(cur_failures < 20) {
    fprintf(stdout, "  %s:%d: [%s] ", file, line, cur_name);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
  }
  cur_failures++;
}

const char *test_tmpdir(void)
{
  char cmd[1200];
  snprintf(tmpdir, sizeof(tmpdir), "build/testtmp/%s", cur_name);
  snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", tmpdir, tmpdir);
  if(system(cmd) != 0)
    fprintf(stderr, "cannot make %s\n", tmpdir);
  return tmpdir;
}

static int cmp(const void *a, const void *b)
{
  const struct test *x = a, *y = b;
  int c = strcmp(x->file, y->file);
  return c ? c : strcmp(x->name, y->name);
}

int main(int argc, char **argv)
{
  int passed = 0, failed = 0;
  qsort(tests, (size_t)ntests, sizeof(tests[0]), cmp);
  for(int i = 0; i < ntests; i++) {
    int want = argc < 2;
    for(int a = 1; a < argc; a++)
      if(strstr(tests[i].name, argv[a]) || strstr(tests[i].file, argv[a]))
        want = 1;
    if(!want)
      continue;
    cur_name = tests[i].name;
    cur_failures = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    tests[i].fn();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
    if(cur_failures) {
      printf("FAIL %s (%d failed checks)\n", tests[i].name, cur_failures);
      failed++;
    }
    else {
      printf("ok   %s (%.0f ms)\n", tests[i].name, ms);
      passed++;
    }
    fflush(stdout);
  }
  printf("unit: %d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}

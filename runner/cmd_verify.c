/* cmd_verify.c - `bonrun verify [-j N] [--strict] [FILE]`: judge JSON
 * lines with the gold verifier.  Reads FILE (stdin when absent or "-")
 * in chunks, judges each chunk on N threads, writes one line per input
 * line in input order.
 * The logic of one line lives in runner/verify_line.c. */
#include "gold/gold.h"
#include "runner/commands.h"
#include "runner/limits.h"
#include "runner/verify_line.h"
#include "util/cores.h"
#include "util/buf.h"
#include "util/err.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096 /* lines judged between two writes */
#define MAX_JOBS BON_THREADS_MAX

struct chunk {
  char *line[CHUNK];
  size_t len[CHUNK];
  struct buf out[CHUNK];
  int bad[CHUNK];
  int n;
  long first; /* line number of line[0] */
  int flags;  /* gold_judge_ex flags */
  atomic_int next;
};

static void *worker(void *arg)
{
  struct chunk *c = arg;
  for(;;) {
    int i = atomic_fetch_add(&c->next, 1);
    if(i >= c->n)
      break;
    buf_reset(&c->out[i]);
    c->bad[i] = verify_line(c->line[i], c->len[i], c->first + i,
                                 c->flags, &c->out[i]) < 0;
  }
  return NULL;
}

static const char verify_usage[] =
  "usage: bonrun verify [-j N] [--strict] [FILE]\n\n"
  "Judge answer pairs with the gold verifier.  Reads JSON lines\n"
  "(stdin when FILE is absent or -), each an object with string\n"
  "fields \"gold\" (reference answer or solution) and \"pred\"\n"
  "(completion or answer); other fields are passed through.\n"
  "Writes one JSON line per input line, in order, adding\n"
  "\"correct\", \"gold_answer\", \"pred_answer\", \"gold_type\",\n"
  "\"pred_type\" and \"reason\".  A malformed line gets\n"
  "\"correct\": false, \"reason\": \"malformed input\" and an\n"
  "\"error\"; the run goes on.\n\n"
  "options:\n"
  "  -j, --jobs N   threads (default 1; 0 = all cores; at most "
  CLI_Q(BON_THREADS_MAX) ")\n"
  "  --strict       read a completion's answer from a box or an\n"
  "                 answer phrase only (no math span, bare text\n"
  "                 or last number; config: gold.extract)\n"
  "  -h, --help     this help\n\n"
  "exit: 0 all lines judged, 1 a malformed line or a read error,\n"
  "2 usage error.  Rules: docs/answers.md.\n";

/* Judge the chunk on `jobs` threads and write it; returns malformed
 * count, or -1 on a write error. */
static int run_chunk(struct chunk *c, int jobs, FILE *out)
{
  pthread_t th[MAX_JOBS];
  int nt = jobs < c->n ? jobs : c->n, started = 0;
  atomic_store(&c->next, 0);
  for(int t = 1; t < nt; t++)
    if(!pthread_create(&th[started], NULL, worker, c))
      started++;
  worker(c);
  for(int t = 0; t < started; t++)
    pthread_join(th[t], NULL);
  int bad = 0;
  for(int i = 0; i < c->n; i++) {
    bad += c->bad[i];
    fwrite(buf_str(&c->out[i]), 1, c->out[i].len, out);
    fputc('\n', out);
  }
  if(ferror(out))
    return -1;
  return bad;
}

/* Read up to CHUNK lines into c; 1 at the end of the input, else 0. */
static int read_chunk(struct chunk *c, FILE *in, long *lineno)
{
  c->n = 0;
  c->first = *lineno + 1;
  while(c->n < CHUNK) {
    size_t cap = 0;
    char *l = NULL;
    ssize_t r = getline(&l, &cap, in);
    if(r < 0) {
      free(l);
      return 1;
    }
    c->line[c->n] = l;
    c->len[c->n] = (size_t)r;
    c->n++;
    (*lineno)++;
  }
  return 0;
}

/* Judge every line of in onto stdout; EXIT_OK, or EXIT_FAIL after a
 * message.  *malformed: lines that were not a judgeable pair. */
static int judge_all(FILE *in, const char *path, int jobs, int flags,
                     long *malformed)
{
  struct chunk *c = xcalloc(1, sizeof(*c));
  c->flags = flags;
  long lineno = 0;
  int rc = EXIT_OK, eof = 0;
  while(!eof && rc == EXIT_OK) {
    eof = read_chunk(c, in, &lineno);
    if(c->n > 0) {
      int bad = run_chunk(c, jobs, stdout);
      if(bad < 0) {
        cli_error("verify", "cannot write the output: %s", strerror(errno));
        rc = EXIT_FAIL;
      }
      else
        *malformed += bad;
    }
    for(int i = 0; i < c->n; i++)
      free(c->line[i]);
  }
  if(ferror(in)) {
    cli_error("verify", "cannot read %s: %s", path, strerror(errno));
    rc = EXIT_FAIL;
  }
  for(int i = 0; i < CHUNK; i++)
    buf_free(&c->out[i]);
  free(c);
  return rc;
}

static int verify(const char *path, long jobs, int flags)
{
  if(jobs == 0)
    jobs = cores_online();
  if(jobs < 1)
    jobs = 1;
  if(jobs > MAX_JOBS)
    jobs = MAX_JOBS;
  FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
  if(!in) {
    cli_error("verify", "cannot open %s: %s", path, strerror(errno));
    return EXIT_FAIL;
  }
  long malformed = 0;
  int rc = judge_all(in, path, (int)jobs, flags, &malformed);
  if(in != stdin)
    fclose(in);
  if(fflush(stdout) != 0)
    rc = EXIT_FAIL;
  if(malformed > 0) {
    cli_error("verify", "%ld malformed line%s (see \"error\" in the output)",
              malformed, malformed == 1 ? "" : "s");
    rc = EXIT_FAIL;
  }
  return rc;
}

/* What the command line says. */
struct verify_args {
  long jobs;
  int strict;
};

static const struct cli_opt verify_opts[] = {
  CLI_OPT_LONG("jobs", 'j', struct verify_args, jobs, 0, BON_THREADS_MAX),
  CLI_OPT_FLAG("strict", 0, struct verify_args, strict),
  CLI_OPT_END,
};

static const struct cli_cmd verify_cli = {
  "verify", verify_usage, verify_opts, 0, 1, NULL,
};

int cmd_verify(int argc, char **argv)
{
  struct verify_args a = {.jobs = 1};
  struct cli_parsed p;
  int rc = cli_parse(&verify_cli, argc, argv, &a, &p);
  if(rc == CLI_GO)
    rc = verify(p.argi < argc ? argv[p.argi] : "-", a.jobs,
                a.strict ? GOLD_STRICT : 0);
  cli_free(&verify_cli, &a);
  return rc;
}

/* cmd_verify.c - `bonrun verify [-j N] [FILE]`: judge JSON lines with the
 * gold verifier.  Reads FILE (stdin when absent or "-") in chunks, judges
 * each chunk on N threads, writes one line per input line in input order.
 * The logic of one line lives in gold/jsonl.c (gold_verify_line). */
#include "gold/gold.h"
#include "runner/commands.h"
#include "stats/runtime.h"
#include "util/buf.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096 /* lines judged between two writes */
#define MAX_JOBS 256

struct chunk {
  char *line[CHUNK];
  size_t len[CHUNK];
  struct buf out[CHUNK];
  int bad[CHUNK];
  int n;
  long first; /* line number of line[0] */
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
    c->bad[i] = gold_verify_line(c->line[i], c->len[i], c->first + i,
                                 &c->out[i]) < 0;
  }
  return NULL;
}

static void usage(FILE *f)
{
  fprintf(f,
          "usage: bonrun verify [-j N] [FILE]\n\n"
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
          "  -j, --jobs N   threads (default 1; 0 = all cores)\n"
          "  -h, --help     this help\n\n"
          "exit: 0 all lines judged, 1 a malformed line or a read error,\n"
          "2 usage error.  Policies: gold/README.md.\n");
}

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

int cmd_verify(int argc, char **argv)
{
  static const struct option opts[] = {
    {"jobs", required_argument, NULL, 'j'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};
  long jobs = 1;
  int o;
  optind = 1;
  while((o = getopt_long(argc, argv, "j:h", opts, NULL)) != -1) {
    switch(o) {
    case 'j': {
      char *end;
      errno = 0;
      jobs = strtol(optarg, &end, 10);
      if(*optarg < '0' || *optarg > '9' || errno || *end || jobs < 0) {
        cli_error("verify", "-j wants a number of threads >= 0, got '%s'",
                  optarg);
        return EXIT_USAGE;
      }
      break;
    }
    case 'h':
      usage(stdout);
      return EXIT_OK;
    default:
      usage(stderr);
      return EXIT_USAGE;
    }
  }
  if(argc - optind > 1) {
    cli_error("verify", "at most one input file (got %d)", argc - optind);
    return EXIT_USAGE;
  }
  if(jobs == 0)
    jobs = stats_ncores();
  if(jobs < 1)
    jobs = 1;
  if(jobs > MAX_JOBS)
    jobs = MAX_JOBS;
  const char *path = optind < argc ? argv[optind] : "-";
  FILE *in = strcmp(path, "-") ? fopen(path, "r") : stdin;
  if(!in) {
    cli_error("verify", "cannot open %s: %s", path, strerror(errno));
    return EXIT_FAIL;
  }
  struct chunk *c = calloc(1, sizeof(*c));
  if(!c) {
    cli_error("verify", "out of memory");
    return EXIT_FAIL;
  }
  long lineno = 0, malformed = 0;
  int rc = EXIT_OK, eof = 0;
  while(!eof && rc == EXIT_OK) {
    c->n = 0;
    c->first = lineno + 1;
    while(c->n < CHUNK) {
      size_t cap = 0;
      char *l = NULL;
      ssize_t r = getline(&l, &cap, in);
      if(r < 0) {
        free(l);
        eof = 1;
        break;
      }
      c->line[c->n] = l;
      c->len[c->n] = (size_t)r;
      c->n++;
      lineno++;
    }
    if(c->n > 0) {
      int bad = run_chunk(c, (int)jobs, stdout);
      if(bad < 0) {
        cli_error("verify", "cannot write the output: %s", strerror(errno));
        rc = EXIT_FAIL;
      }
      else
        malformed += bad;
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

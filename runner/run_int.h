/* run_int.h - internal to the run pipeline (run.c, pool.c, runbench.c):
 * the state of one `bonrun run` and the pieces its files share.  Nothing
 * outside these three files includes it. */
#ifndef BON_RUN_INT_H
#define BON_RUN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"
#include "proxy/proxy.h"
#include "runner/config.h"
#include "runner/replay.h"
#include "runner/run.h"
#include "runner/runinfo.h"
#include "runner/store.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/fsutil.h"
#include "util/progress.h"

struct pool;

struct runner {
  struct run_config *c;
  const struct run_options *o;
  struct policy *policy;
  struct proxy **rms;
  size_t nrms;
  size_t npairwise;            /* pairwise judges among them */
  char *dir;
  struct store *samples, *scores;
  struct progress prog;
  size_t new_samples, new_scores, failed_samples, failed_scores;
  size_t truncated;            /* samples that stopped at max_tokens */
  size_t finish_known;         /* samples whose record says why it stopped */
  size_t no_answer;            /* samples with no extractable answer */
  size_t missing_samples, missing_scores;  /* --analyze-only: not there */
  size_t all_problems;         /* of the experiment, before sharding */
  int partial;                 /* analysing a partial merge */
  char hash[17];               /* the config hash (shard.json) */
  struct runinfo_counts cnt;   /* run.json's sample counts */
  /* the chunk being sampled */
  size_t p0, np;               /* first problem, problems in the chunk */
  char **texts;                /* [np * N] final text or NULL */
  char **reasons;              /* [np * N] reasoning or NULL */
  uint64_t *keys;              /* [np * N] the samples' store keys */
  struct replay_plan replay;   /* policy "file": what the file covers */
  struct pool *pl;             /* the chunk's working arrays */
  struct buf rec;              /* a record being written */
  struct fs_stream *csv;       /* scores.csv, written chunk by chunk */
  struct buf csvbuf;           /* the chunk's rows of it */
  struct bon_err *err;
  int failed;
};

/* One RM scoring a list of items against a store.  Item tags index the
 * per-item arrays: problem id, sample id, and the score written out. */
struct scoring {
  struct store *store;
  struct proxy *rm;
  size_t index;          /* the RM's place in "proxies", for messages */
  int retry_failed;      /* send permanent failures again */
  struct bon_err *err;
  struct progress *prog;
  const char *const *pids;
  const size_t *sids;
  double *out;
  size_t news, fails;
  int failed;
  int lookup_only;       /* compute nothing: count what is missing */
  size_t missing;
  char *absent;          /* lookup_only: [tag] = 1 if missing, or NULL */
  const uint64_t *keys;  /* the items' keys by tag, or NULL: computed */
  struct buf rec;        /* a record being written */
};

/* Sample, judge and score every chunk of problems, writing scores.csv as
 * it goes (pool.c).  0, or -1 with r->err. */
int run_pool(struct runner *r);

/* Score items[0..n) with sc->rm against sc->store: what the store holds is
 * reused, the rest computed and appended (pool.c).  0, or -1 with
 * sc->err. */
int run_score_all(struct scoring *sc, const struct proxy_item *items,
                  size_t n);

/* Sample (sim or a dataset) and score benchmark `name`'s candidates and
 * write its table; *table gets the path of the table to bench (caller
 * frees), NULL for source "none" (runbench.c).  0, or -1 with r->err. */
int run_bench(struct runner *r, const char *name, int one_to_one,
              const struct bench_config *b, char **table);

#endif

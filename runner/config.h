/* config.h - the experiment config: one JSON file, checked whole before
 * anything is written.  configs/README.md documents every key.
 *
 * run_config_load() reads the file, rejects unknown keys, wrong types and
 * missing required keys with one line naming the file and the key path,
 * fills every default in place (c->root is then the resolved config that
 * the run writes to RUN/config.json), and loads the problems. */
#ifndef BON_CONFIG_H
#define BON_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "ingest/bench.h"
#include "util/err.h"

struct run_problem {
  char *id;
  char *question;
  char *answer;      /* reference: a bare answer or a whole solution */
  char *final;       /* its final answer as the verifier extracts it
                        (NULL: none), for the simulated policy */
  char **groups;     /* its value of each analysis.group_by key
                        ("(missing)" when absent), NULL-terminated; NULL
                        without group_by */
};

struct bench_config {
  const char *source;   /* "sim", "file", "dataset" or "none" */
  size_t count;         /* problems (one-to-many) or pairs (one-to-one) */
  int incorrect;        /* k: incorrect candidates per problem */
  const char *path;     /* "file": a long table of candidate scores;
                           "dataset": the file of candidate texts */
  const char *format;   /* "dataset": its format (ingest/bench.h) */
  struct ingest_bench *data; /* "dataset": every candidate, read and
                                checked when the config is loaded */
};

struct run_config {
  char *file;
  cJSON *root;          /* the resolved config; owns every string below */
  const char *name;
  uint64_t seed;
  const char *out;      /* output folder */
  size_t samples;       /* N completions per problem; 0 until the run
                           decides it (policy "file" without samples) */
  int gold_strict;      /* gold.extract "strict": box or answer phrase */
  cJSON *policy;        /* the "policy" section (checked by its backend) */
  cJSON *proxies;       /* the "proxies" array (checked by their backends) */
  struct run_problem *problems;
  size_t nproblems;
  struct bench_config one_to_many, one_to_one;
  int *n_grid;          /* NULL: powers of two up to N, plus N */
  size_t n_grid_len;
  int bootstrap;
  double level;
  int threads;
  cJSON *ensembles;     /* array of ensemble specs (strings) */
  const char **group_keys; /* analysis.group_by: dotted paths (strings of
                              root), [ngroups]; NULL when none */
  size_t ngroups;
  int plots;            /* draw figures */
  const char *plot_format;
};

int run_config_load(const char *path, struct run_config *c,
                    struct bon_err *err);
void run_config_free(struct run_config *c);
/* Set N (c->samples) once the run has decided it, writing it into the
 * resolved config (policy.samples) and checking analysis.n_grid against
 * it.  0, or -1 and err naming the grid entry above N. */
int run_config_set_samples(struct run_config *c, size_t n,
                           struct bon_err *err);
/* Free what one problem holds (its strings), leaving it zeroed. */
void run_problem_free(struct run_problem *p);

#endif

/* runinfo.h - reading RUN/run.json, the summary of a run that `bonrun run`
 * writes for the report (format: stats/formats.md, "run.json").  The
 * report describes the run from this file only; it never looks into
 * config.json. */
#ifndef BON_PLOT_RUNINFO_H
#define BON_PLOT_RUNINFO_H

#include <stddef.h>

#include "util/err.h"

/* The format number this reader understands (run.json's "format"). */
#define PLOT_RUNINFO_FORMAT 1

/* A report warns when more than this share of the completed samples has
 * no extractable answer; `bonrun run` warns on the terminal by the same
 * rule (plot_runinfo_no_answer_high). */
#define PLOT_NO_ANSWER_PERCENT 20

/* The level of the intervals when run.json does not say (a run folder
 * from before run.json recorded it, an analyze output folder, a run.json
 * that cannot be read): analysis.level's default. */
#define PLOT_LEVEL_DEFAULT 0.95

struct plot_runinfo_model {
  char *name;    /* an RM's name as the tables show it; NULL for a policy */
  char *backend;
  char *model;   /* the served model, NULL when the backend has none */
};

struct plot_runinfo_source {
  char *source;  /* "sim", "file", "none", ... */
  char *path;    /* NULL unless read from a file */
  long long count; /* problems or pairs (-1: not given) */
};

/* What a run on replayed completions covered (run.json "replay"; see
 * runner/replay.h); present = 0 for a run whose policy drew its own. */
struct plot_runinfo_replay {
  int present;
  char *path;
  char *n_rule;                  /* "policy.samples" or "fewest" */
  long long completions, file_problems, dataset_problems;
  long long without;             /* dataset problems left out */
  long long unknown_problems, unknown_completions;
  long long fewest, most, unused;
};

/* What run.json says; every string owned. */
struct plot_runinfo {
  char *bonrun;            /* the version of bonrun that wrote it */
  char *name;
  double seed;
  long long samples_per_problem; /* N */
  long long problems;
  struct plot_runinfo_source dataset;
  struct plot_runinfo_model policy;
  struct plot_runinfo_model *rms;
  size_t nrms;
  struct plot_runinfo_source bench[2]; /* one-to-many, one-to-one */
  long long total, completed, no_answer, errors;
  long long truncated;     /* -1: not known */
  int shard_k, shard_n;    /* 1-based K of N; 0, 0: not a shard */
  double level;            /* of every interval in the tables, in (0, 1);
                              PLOT_LEVEL_DEFAULT when run.json has none */
  struct plot_runinfo_replay replay;  /* absent or null: not present */
};

/* Parse the text of a run.json (`name` labels messages).  0 and r filled
 * (free it with plot_runinfo_free), or -1 and err naming the field that is
 * missing or of the wrong type (r then empty).  Keys it does not know are
 * ignored, so a newer writer may add some. */
int plot_runinfo_parse(struct plot_runinfo *r, const char *text,
                       size_t len, const char *name, struct bon_err *err);
/* Read and parse a file. */
int plot_runinfo_read(struct plot_runinfo *r, const char *path,
                      struct bon_err *err);
void plot_runinfo_free(struct plot_runinfo *r);

/* The level of the run's intervals that the run.json at path records:
 * PLOT_LEVEL_DEFAULT when path is NULL or the file has no level, cannot be
 * read or is not a valid run.json (the report says why; the figures only
 * need the level). */
double plot_runinfo_level(const char *path);

/* 1 when more than PLOT_NO_ANSWER_PERCENT % of `completed` samples have no
 * extractable answer (no_answer of them), else 0 (also when none was
 * completed). */
int plot_runinfo_no_answer_high(long long no_answer, long long completed);

#endif

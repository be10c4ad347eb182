/* shard.h - which slice of the problems a run computes (shard K of N), where
 * K and N come from, and the manifest every run folder carries.
 *
 * A shard run writes OUTPUT/shards/K-of-N/.  Its manifest, shard.json, says
 * which shard it holds, the hash of everything in the config that decides
 * its records, and, written last, that it is complete.  A whole run writes
 * one too (shard 1 of 1), and so does a merge (1 of 1, "merged" of N).
 *
 * K and N come from `--shard K/N`, or with `--shard auto` from the
 * environment of a job array:
 *   BONRUN_SHARD=K/N                      anywhere
 *   SLURM_ARRAY_TASK_ID/_MIN/_MAX/_STEP/_COUNT   Slurm: K = (ID - MIN) /
 *                                         STEP + 1, N = COUNT
 *   JOB_COMPLETION_INDEX + BONRUN_SHARDS  a Kubernetes Indexed Job: K =
 *                                         index + 1, N given explicitly
 * and nothing is guessed: no source, two sources, a non-range array or a
 * one-task array are refused.  A resubmitted subset of a Slurm array
 * (`sbatch --array=3`: a count of 1) is mapped onto the array recorded in
 * the manifests of OUTPUT/shards (shard_resolve). */
#ifndef BON_SHARD_H
#define BON_SHARD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/err.h"

#define SHARD_FILE "shard.json"
#define SHARD_FORMAT "bonrun-shard-1"

/* The geometry of a Slurm job array (slurm == 0: not from one). */
struct shard_array {
  int slurm;
  long id, min, max, step, count;
  char job[32];               /* SLURM_ARRAY_JOB_ID, "" if unset */
};

/* A shard to run: k of n (1 <= k <= n), and where that came from. */
struct shard_spec {
  int k, n;
  struct shard_array array;
  char from[256];             /* "SLURM_ARRAY_TASK_ID=1 of array 0-3" */
};

/* How shard_from_env() reads a variable: its value or NULL. */
typedef const char *(*shard_env_fn)(const char *name, void *ctx);

/* K and N from the environment (see the top of this file); sp->from says
 * which variables gave them.  A Slurm array is taken at face value here
 * (shard_resolve maps resubmissions): only a count of 1 or a list that is
 * not a range is left for it to decide, with sp->n set to 0.  0, or -1 and
 * err naming the variables and what to do. */
int shard_from_env(shard_env_fn get, void *ctx, struct shard_spec *sp,
                   struct bon_err *err);

/* The manifest of a run folder. */
struct shard_manifest {
  int k, n;                   /* shard k of n; 1 of 1: whole run or merge */
  char hash[17];              /* the config hash, 16 hex digits */
  size_t problems;            /* problems of the whole experiment */
  int complete;               /* written last: every record is in */
  struct shard_array array;   /* the array the shard ran in */
  int merged;                 /* a merge: N of the shards joined, else 0 */
  int partial;                /* a merge that left shards out */
  char missing[256];          /* the shards left out: "3, 4" */
  char sources[17];           /* a merge: fingerprint of the shards joined */
  int counted;                /* the sample counts below are known */
  size_t total, errors, no_answer; /* samples: all, without a text, with
                                      no final answer (run.json's) */
  long long truncated;        /* stopped at max_tokens; -1: unknown */
};

/* Map a Slurm spec onto the shards already in a folder.  known[] are the
 * manifests found in OUTPUT/shards (dir names it in messages).  The array
 * of the environment is used when it matches a recorded one or nothing is
 * recorded; a smaller array (a resubmitted subset) whose task id lies on
 * the one recorded array is mapped onto it, so `sbatch --array=3` of an
 * array 0-3 runs shard 4/4; anything else is refused.  Specs not from Slurm
 * are checked against the recorded N only.  0 with sp->k, sp->n, sp->from
 * final, or -1 and err. */
int shard_resolve(struct shard_spec *sp, const struct shard_manifest *known,
                  size_t nknown, const char *dir, struct bon_err *err);

/* Parse manifest text (path names it in messages).  0, or -1 and err
 * naming the field. */
int shard_manifest_parse(const char *text, const char *path,
                         struct shard_manifest *m, struct bon_err *err);
/* The manifest as a JSON object (caller deletes); callers may add fields
 * for people (host, job ids, counts) before writing it. */
cJSON *shard_manifest_json(const struct shard_manifest *m);
/* Add fields for people to a manifest: the bonrun version, the host, and
 * in a Slurm job its job id and restart count. */
void shard_manifest_add_info(cJSON *j, const char *version);
/* Read dir/shard.json.  1 if there is none (m zeroed), 0 read, -1 err. */
int shard_manifest_read(const char *dir, struct shard_manifest *m,
                        struct bon_err *err);
/* Write j as dir/shard.json, atomically.  0, or -1 and err. */
int shard_manifest_write(const char *dir, const cJSON *j,
                         struct bon_err *err);

/* The shard folders of OUTPUT/shards ("K-of-N"): *dirs (paths, caller frees
 * each and the array) and *ms (their manifests; a folder without one gets
 * k, n from its name and complete = 0), sorted by N then K.  0 (with
 * *n = 0 when there is no such folder), or -1 and err. */
int shard_scan(const char *out, char ***dirs, struct shard_manifest **ms,
               size_t *n, struct bon_err *err);

/* A set of shards checked for merging. */
struct shard_set {
  int n;                      /* N of the set */
  size_t *pick;               /* [n]: index + 1 of shard k's folder, 0 none */
  int nmissing;
  char missing[256];          /* "3, 4" */
};

/* Check shards for a merge: one N, one config hash among the complete
 * ones, no shard twice, no merged folder, and (unless partial) every shard
 * 1..N complete.  dirs[i] names ms[i] in messages.  0 with set filled
 * (free set->pick), or -1 and err naming every folder at fault and what
 * to do. */
int shard_check_set(const struct shard_manifest *ms, const char *const *dirs,
                    size_t count, int partial, struct shard_set *set,
                    struct bon_err *err);

#endif

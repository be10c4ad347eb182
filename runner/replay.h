/* replay.h - a run on completions made elsewhere (policy backend "file",
 * policy/file.h): which problems run, and N.
 *
 * The rule (configs/README.md, "policy"):
 *   - a problem of the dataset with no completion in the file is left out
 *     of the run (counted, warned, in run.json and the report); a file
 *     with no completion of any problem is an error;
 *   - completions of problems not in the dataset are ignored (counted,
 *     warned, in run.json and the report);
 *   - N is policy.samples when it is set, and then a problem with fewer
 *     completions is an error (nobody gets a smaller N than asked for);
 *     unset, N is the fewest completions of a problem that has any, said
 *     on the terminal, written to the resolved config and run.json;
 *   - a problem's completions beyond N are not used (counted, reported):
 *     raising N later uses them. */
#ifndef BON_REPLAY_H
#define BON_REPLAY_H

#include <stddef.h>
#include <stdio.h>

#include "policy/policy.h"
#include "runner/config.h"
#include "util/err.h"

struct replay_plan {
  int active;                  /* the policy replays a file */
  char *path;                  /* the file */
  size_t completions;          /* records in the file */
  size_t file_problems;        /* distinct problem ids in the file */
  size_t dataset_problems;     /* the dataset's problems, before the ones
                                  with no completion are left out */
  size_t without;              /* of them, with no completion: left out */
  char *first_without;         /* the first such id, or NULL */
  size_t unknown_problems;     /* problem ids of the file not in the
                                  dataset */
  size_t unknown_completions;  /* their completions: ignored */
  char *first_unknown;         /* the smallest such id, or NULL */
  size_t fewest, most;         /* completions of a problem that runs */
  size_t more;                 /* problems that run with more than N */
  size_t unused;               /* their completions beyond N */
  int n_asked;                 /* 1: N = policy.samples; 0: N = fewest */
};

/* Plan the run of config c with the opened policy p.  A policy that is not
 * "file": plan->active = 0, nothing changes.  Else count each problem's
 * completions, leave the problems with none out of c (freed), decide N by
 * the rule above and set it (run_config_set_samples).  0, or -1 and err
 * (naming the config key to change) when no problem has a completion or
 * policy.samples asks for more than a problem has.  Free the plan with
 * replay_plan_free in either case. */
int replay_plan(struct run_config *c, const struct policy *p,
                struct replay_plan *plan, struct bon_err *err);

/* Say on f what the plan did: one line on the file and N unless quiet,
 * and a warning line for each of: problems left out, completions ignored,
 * problems with more completions than N. */
void replay_print(FILE *f, const struct replay_plan *plan, size_t n,
                  int quiet);

void replay_plan_free(struct replay_plan *plan);

#endif

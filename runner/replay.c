/* replay.c - a run on completions made elsewhere (replay.h). */
#include "runner/replay.h"

#include <stdlib.h>
#include <string.h>

#include "policy/file.h"

/* Keep the problems with a completion (counts moves along). */
static void leave_out(struct run_config *c, size_t *counts,
                      struct replay_plan *plan)
{
  size_t m = 0;
  for(size_t p = 0; p < c->nproblems; p++) {
    if(counts[p]) {
      counts[m] = counts[p];
      c->problems[m++] = c->problems[p];
      continue;
    }
    if(!plan->without++)
      plan->first_without = xstrdup(c->problems[p].id);
    run_problem_free(&c->problems[p]);
  }
  c->nproblems = m;
}

/* N by the rule of replay.h; -1 and err when a problem has fewer than
 * policy.samples asks for. */
static int decide_n(const struct run_config *c, const size_t *counts,
                    struct replay_plan *plan, size_t *n, struct bon_err *err)
{
  size_t fewest_at = 0;
  plan->fewest = (size_t)-1;
  for(size_t p = 0; p < c->nproblems; p++) {
    if(counts[p] < plan->fewest) {
      plan->fewest = counts[p];
      fewest_at = p;
    }
    if(counts[p] > plan->most)
      plan->most = counts[p];
  }
  plan->n_asked = c->samples > 0;
  *n = plan->n_asked ? c->samples : plan->fewest;
  size_t shorter = 0;
  for(size_t p = 0; p < c->nproblems; p++) {
    shorter += counts[p] < *n;
    if(counts[p] > *n) {
      plan->more++;
      plan->unused += counts[p] - *n;
    }
  }
  if(shorter)
    return bon_errf(err, "%s: policy.samples: %zu of %zu problems have "
                         "fewer than N = %zu completions in %s (the fewest: "
                         "%zu, problem \"%s\"): set policy.samples to at "
                         "most %zu, or leave it unset (N is then the fewest "
                         "completions of a problem)", c->file, shorter,
                    c->nproblems, *n, plan->path, plan->fewest,
                    c->problems[fewest_at].id, plan->fewest);
  return 0;
}

int replay_plan(struct run_config *c, const struct policy *p,
                struct replay_plan *plan, struct bon_err *err)
{
  memset(plan, 0, sizeof(*plan));
  size_t np = c->nproblems;
  const char **ids = xcalloc(np ? np : 1, sizeof(*ids));
  size_t *counts = xcalloc(np ? np : 1, sizeof(*counts));
  for(size_t i = 0; i < np; i++)
    ids[i] = c->problems[i].id;
  struct policy_file_coverage cov;
  int rc = 0;
  if(policy_file_counts(p, ids, np, counts, &cov))
    goto out;
  plan->active = 1;
  plan->path = xstrdup(cov.path);
  plan->completions = cov.completions;
  plan->file_problems = cov.problems;
  plan->dataset_problems = np;
  plan->unknown_problems = cov.unknown_problems;
  plan->unknown_completions = cov.unknown_completions;
  if(cov.first_unknown)
    plan->first_unknown = xstrdup(cov.first_unknown);
  leave_out(c, counts, plan);
  if(!c->nproblems) {
    rc = bon_errf(err, "%s: policy.path: %s holds no completion of any of "
                       "the dataset's %zu problems (its %zu completions are "
                       "of %zu other problems, e.g. \"%s\"): the problem "
                       "ids must match (dataset.id_key, policy.id_key)",
                  c->file, plan->path, np, cov.completions, cov.problems,
                  cov.first_unknown ? cov.first_unknown : "");
    goto out;
  }
  size_t n;
  rc = decide_n(c, counts, plan, &n, err);
  if(!rc)
    rc = run_config_set_samples(c, n, err);
out:
  free(ids);
  free(counts);
  return rc;
}

static const char *plural(size_t n)
{
  return n == 1 ? "" : "s";
}

void replay_print(FILE *f, const struct replay_plan *plan, size_t n,
                  int quiet)
{
  if(!plan->active)
    return;
  if(!quiet)
    fprintf(f, "bonrun: replaying %s: %zu completions of %zu problems; "
               "N = %zu (%s)\n", plan->path, plan->completions,
            plan->file_problems, n, plan->n_asked ? "policy.samples"
            : "the fewest completions of a problem; set policy.samples "
              "to ask for an N");
  if(plan->without)
    fprintf(f, "bonrun: warning: %zu of the dataset's %zu problems ha%s no "
               "completion in %s (first: \"%s\"): left out of the run\n",
            plan->without, plan->dataset_problems,
            plan->without == 1 ? "s" : "ve", plan->path,
            plan->first_without);
  if(plan->unknown_completions)
    fprintf(f, "bonrun: warning: %zu completion%s of %zu problem%s not in "
               "the dataset (first: \"%s\") ignored\n",
            plan->unknown_completions, plural(plan->unknown_completions),
            plan->unknown_problems, plural(plan->unknown_problems),
            plan->first_unknown);
  if(plan->fewest < plan->most)
    fprintf(f, "bonrun: warning: problems have from %zu to %zu completions: "
               "N = %zu; %zu completion%s beyond N (of %zu problem%s) not "
               "used\n", plan->fewest, plan->most, n, plan->unused,
            plural(plan->unused), plan->more, plural(plan->more));
}

void replay_plan_free(struct replay_plan *plan)
{
  free(plan->path);
  free(plan->first_without);
  free(plan->first_unknown);
  memset(plan, 0, sizeof(*plan));
}

/* file.h - the "file" policy backend: completions drawn elsewhere (vLLM
 * offline, another project's outputs, a previous run's samples.jsonl),
 * replayed as the policy's samples, so the rest of the experiment (gold,
 * proxies, analysis, benchmarks) runs on samples of any tool.
 *
 * Config keys (policy section): backend "file", path (required: JSON
 * lines or a JSON array, gzip too; ingest/completions.h), samples
 * (optional: N; the runner decides N when it is absent), id_key,
 * text_key, sample_key, seed_key (default: found by name).
 *
 * Job i of problem P hands back the completion of rank i of P in the file
 * (ingest/completions.h) with what the file says besides (reasoning,
 * finish reason, token count), or a permanent error when the file has
 * none.  The cache key is "file" (moving the file changes nothing); each
 * job's salt (policy_job_salt) hashes its problem, rank and everything
 * the file gives for it, so a sample is replayed anew exactly when its
 * content in the file changes. */
#ifndef BON_POLICY_FILE_H
#define BON_POLICY_FILE_H

#include <stddef.h>

#include "policy/policy.h"

/* What the file holds beside the problems asked about. */
struct policy_file_coverage {
  const char *path;            /* the file (borrowed from the policy) */
  size_t completions;          /* records in the file */
  size_t problems;             /* distinct problem ids in the file */
  size_t unknown_problems;     /* of them, not among the ids asked about */
  size_t unknown_completions;  /* the completions of those */
  const char *first_unknown;   /* the smallest such id (borrowed), or NULL */
};

/* For an open "file" policy: counts[i] = the completions the file holds
 * for problem ids[i] (ids need not be sorted; an id given twice counts
 * twice), and *cov.  0, or -1 (nothing written) for another backend. */
int policy_file_counts(const struct policy *p, const char *const *ids,
                       size_t n, size_t *counts,
                       struct policy_file_coverage *cov);

/* The "file" backend of policy.h. */
extern const struct policy_backend policy_file_backend;

#endif

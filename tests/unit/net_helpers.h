/* net_helpers.h - what the HTTP unit tests share: a simulated server on
 * 127.0.0.1 speaking bonrun's protocol, config sections, jobs as the
 * runner makes them, and sinks that keep every result. */
#ifndef BON_TEST_NET_HELPERS_H
#define BON_TEST_NET_HELPERS_H

#include <cjson/cJSON.h>

#include "policy/policy.h"
#include "proxy/proxy.h"
#include "sim/problems.h"
#include "sim/server.h"
#include "util/buf.h"

#define NPROB 6
#define NSAMP 5
#define NJOBS (NPROB * NSAMP)

/* The protocol bonrun's clients speak (as runner/cmd_serve.c sets it). */
void th_protocol(struct sim_server_opts *o);
/* Default server options speaking that protocol. */
void th_opts(struct sim_server_opts *o);
/* Start a server (a failed CHECK and NULL when it cannot listen). */
struct sim_server *th_serve(struct sim_server_opts *o);
/* A config section from fmt with the port filled in (every %d). */
cJSON *th_json(const char *fmt, int port);
double th_now(void);
/* "N requests: ..." of the server's stats: N. */
long th_requests(struct sim_server *s);

/* Every policy result, by job tag. */
struct th_got {
  char *text[NJOBS];
  char *reasoning[NJOBS];
  char *finish[NJOBS];
  long tokens[NJOBS];
  char *error[NJOBS];
  int permanent[NJOBS];
  int calls;
};
int th_on_text(void *ctx, const struct policy_job *job,
               const struct policy_result *res, const char *error,
               int permanent);
void th_got_free(struct th_got *g);

/* NJOBS jobs as the runner makes them: NSAMP consecutive seeds for each
 * of NPROB sim problems (the caller frees the problems, NPROB). */
struct sim_problem *th_jobs(struct policy_job *jobs);
/* The default sim policy's solutions of the jobs as RM items (texts[i]
 * holds item i's response; caller frees each). */
void th_items(const struct policy_job *jobs, struct buf *texts,
              struct proxy_item *items);

/* Every RM result, by item tag. */
struct th_scored {
  double score[NJOBS];
  size_t nsteps[NJOBS];
  char *error[NJOBS];
  int permanent[NJOBS];
  int calls;
};
int th_on_score(void *ctx, const struct proxy_item *it, double score,
                const double *steps, size_t nsteps, const char *error,
                int permanent);
void th_scored_free(struct th_scored *s);

#endif

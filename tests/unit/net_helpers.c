/* net_helpers.c - shared pieces of the HTTP unit tests (net_helpers.h). */
#include "tests/unit/net_helpers.h"
#include "tests/unit/test.h"

#include <stdlib.h>
#include <time.h>

#include "net/openai.h"
#include "sim/solve.h"
#include "util/hash.h"

void th_protocol(struct sim_server_opts *o)
{
  o->rm_template = net_rm_template;
  o->judge_template = net_judge_template;
  o->step_tag = net_prm_step_tag;
}

void th_opts(struct sim_server_opts *o)
{
  sim_server_opts_init(o);
  th_protocol(o);
}

struct sim_server *th_serve(struct sim_server_opts *o)
{
  struct bon_err err;
  struct sim_server *s = sim_server_start(o, &err);
  CHECK_MSG(s != NULL, "%s", err.msg);
  return s;
}

cJSON *th_json(const char *fmt, int port)
{
  char text[2048];
  snprintf(text, sizeof(text), fmt, port, port, port);
  cJSON *j = cJSON_Parse(text);
  CHECK_MSG(j != NULL, "bad JSON: %s", text);
  return j;
}

double th_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

long th_requests(struct sim_server *s)
{
  struct buf st = BUF_INIT;
  long n = -1;
  sim_server_stats(s, &st);
  sscanf(buf_str(&st), "%ld", &n);
  buf_free(&st);
  return n;
}

static char *dup_or_null(const char *s)
{
  return s ? strdup(s) : NULL;
}

int th_on_text(void *ctx, const struct policy_job *job,
               const struct policy_result *res, const char *error,
               int permanent)
{
  struct th_got *g = ctx;
  size_t i = job->tag;
  g->calls++;
  CHECK((res == NULL) != (error == NULL));
  CHECK(g->text[i] == NULL && g->error[i] == NULL);
  if(res) {
    CHECK(res->text != NULL);
    g->text[i] = dup_or_null(res->text);
    g->reasoning[i] = dup_or_null(res->reasoning);
    g->finish[i] = dup_or_null(res->finish_reason);
    g->tokens[i] = res->completion_tokens;
  }
  else
    g->error[i] = strdup(error);
  g->permanent[i] = permanent;
  return 0;
}

void th_got_free(struct th_got *g)
{
  for(int i = 0; i < NJOBS; i++) {
    free(g->text[i]);
    free(g->reasoning[i]);
    free(g->finish[i]);
    free(g->error[i]);
  }
  memset(g, 0, sizeof(*g));
}

struct sim_problem *th_jobs(struct policy_job *jobs)
{
  struct sim_problem *pr = sim_problems(11, 0, NPROB);
  for(int i = 0; i < NJOBS; i++) {
    const char *q = pr[i / NSAMP].question;
    uint64_t base = (hash_str(HASH_INIT, q) & 0x3fffffff);
    jobs[i] = (struct policy_job){.question = q,
                                  .seed = base + (uint64_t)(i % NSAMP),
                                  .tag = (size_t)i};
  }
  return pr;
}

void th_items(const struct policy_job *jobs, struct buf *texts,
              struct proxy_item *items)
{
  struct sim_params pp;
  sim_params_default(&pp);
  for(int i = 0; i < NJOBS; i++) {
    texts[i] = (struct buf)BUF_INIT;
    sim_solve(&pp, jobs[i].question, jobs[i].seed, SIM_NATURAL,
              SIM_STYLE_MODEL, &texts[i]);
    items[i] = (struct proxy_item){.question = jobs[i].question,
                                   .response = buf_str(&texts[i]),
                                   .tag = (size_t)i};
  }
}

int th_on_score(void *ctx, const struct proxy_item *it, double score,
                const double *steps, size_t nsteps, const char *error,
                int permanent)
{
  (void)steps;
  struct th_scored *s = ctx;
  s->calls++;
  s->score[it->tag] = score;
  s->nsteps[it->tag] = nsteps;
  s->permanent[it->tag] = permanent;
  if(error)
    s->error[it->tag] = strdup(error);
  return 0;
}

void th_scored_free(struct th_scored *s)
{
  for(int i = 0; i < NJOBS; i++)
    free(s->error[i]);
  memset(s, 0, sizeof(*s));
}

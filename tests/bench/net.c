/* Benchmark of the whole HTTP path: the openai policy backend (JSON
 * building, curl multi, parsing, sink) against the in-process `bonrun
 * serve` on 127.0.0.1 with no delay and 256 requests in flight, and the
 * vllm-classify RM path.  Client and server share the machine, so the
 * figure is a floor for the client alone.  Peak RSS is reported after a
 * larger job count to show that memory does not grow with it
 * (BONRUN_BENCH_NET_JOBS sets that count; default 100000). */
#include "net/openai.h"
#include "policy/policy.h"
#include "sim/problems.h"
#include "sim/server.h"
#include "policy/sim.h"
#include "proxy/proxy.h"
#include "tests/bench/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static long rss_kib(void)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  while(f && fgets(line, sizeof(line), f))
    if(!strncmp(line, "VmRSS:", 6))
      v = atol(line + 6);
  if(f)
    fclose(f);
  return v;
}

struct count {
  size_t ok, bad;
  size_t bytes;
};

static int sink(void *ctx, const struct policy_job *job,
                const struct policy_result *res, const char *error,
                int permanent)
{
  (void)job;
  (void)permanent;
  struct count *c = ctx;
  if(res) {
    c->ok++;
    c->bytes += strlen(res->text);
  }
  else {
    c->bad++;
    if(c->bad < 3)
      fprintf(stderr, "bench_net: %s\n", error);
  }
  return 0;
}

static int rm_sink(void *ctx, const struct proxy_item *it, double score,
                   const double *steps, size_t nsteps, const char *error,
                   int permanent)
{
  (void)it;
  (void)score;
  (void)steps;
  (void)nsteps;
  (void)permanent;
  struct count *c = ctx;
  if(error)
    c->bad++;
  else
    c->ok++;
  return 0;
}

struct ctx {
  struct policy *p;
  struct policy_job *jobs;
  size_t n;
  struct count c;
};

static void run(void *v)
{
  struct ctx *x = v;
  struct bon_err err;
  memset(&x->c, 0, sizeof(x->c));
  if(policy_generate(x->p, x->jobs, x->n, sink, &x->c, &err))
    fprintf(stderr, "bench_net: %s\n", err.msg);
}

BENCH(http_completions)
{
  struct sim_server_opts o;
  sim_server_opts_init(&o);
  o.rm_template = net_rm_template;
  o.judge_template = net_judge_template;
  o.step_tag = net_prm_step_tag;
  o.threads = 2;
  struct bon_err err;
  struct sim_server *s = sim_server_start(&o, &err);
  if(!s) {
    fprintf(stderr, "bench_net: %s\n", err.msg);
    return;
  }
  char cfg[256];
  snprintf(cfg, sizeof(cfg), "{\"backend\":\"openai\",\"url\":"
           "\"http://127.0.0.1:%d\",\"model\":\"sim\",\"in_flight\":256}",
           sim_server_port(s));
  cJSON *sec = cJSON_Parse(cfg);
  struct policy *p = policy_open(sec, "bench", &err);
  if(!p) {
    fprintf(stderr, "bench_net: %s\n", err.msg);
    cJSON_Delete(sec);
    sim_server_stop(s);
    return;
  }
  struct sim_problem *pr = sim_problems(1, 0, 1000);
  const char *env = getenv("BONRUN_BENCH_NET_JOBS");
  size_t big = env ? (size_t)atol(env) : 100000;
  size_t n = 20000;
  if(big < n)
    big = n;
  struct policy_job *jobs = malloc(big * sizeof(*jobs));
  for(size_t i = 0; i < big; i++)
    jobs[i] = (struct policy_job){.question = pr[i % 1000].question,
                                  .seed = i, .tag = i};
  struct ctx x = {p, jobs, n, {0, 0, 0}};
  run(&x);  /* warm up: connections open */
  double t = bench_time_median(3, run, &x);
  bench_report("completions over HTTP (256 in flight, full client path)",
               (double)n, t, "completions");
  long before = rss_kib();
  x.n = big;
  double t0 = bench_now();
  run(&x);
  double t1 = bench_now();
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  bench_report("completions over HTTP, one long run", (double)x.c.ok,
               t1 - t0, "completions");
  printf("  %zu completions (%zu failed): RSS %ld KiB before, %ld KiB "
         "after (jobs array %zu KiB), peak %ld KiB\n", x.c.ok, x.c.bad,
         before, rss_kib(), big * sizeof(*jobs) / 1024, ru.ru_maxrss);

  /* the reward-model path: vllm-classify, batches of 16 */
  snprintf(cfg, sizeof(cfg), "{\"name\":\"careful\",\"backend\":"
           "\"vllm-classify\",\"url\":\"http://127.0.0.1:%d\",\"model\":"
           "\"careful\",\"in_flight\":64,\"batch\":16}", sim_server_port(s));
  cJSON *rsec = cJSON_Parse(cfg);
  struct proxy *rm = proxy_open(rsec, "bench", "proxies[0]", &err);
  if(rm) {
    size_t m = 20000;
    struct proxy_item *items = malloc(m * sizeof(*items));
    struct buf text = BUF_INIT;
    struct sim_params pp;
    sim_params_default(&pp);
    sim_solve(&pp, pr[0].question, 1, SIM_NATURAL, SIM_STYLE_MODEL, &text);
    for(size_t i = 0; i < m; i++)
      items[i] = (struct proxy_item){.question = pr[i % 1000].question,
                                     .response = buf_str(&text), .tag = i};
    struct count c = {0, 0, 0};
    t0 = bench_now();
    proxy_score(rm, items, m, rm_sink, &c, &err);
    t1 = bench_now();
    bench_report("RM scores over HTTP (vllm-classify, batch 16)",
                 (double)c.ok, t1 - t0, "scores");
    buf_free(&text);
    free(items);
    proxy_close(rm);
  }
  cJSON_Delete(rsec);
  free(jobs);
  sim_problems_free(pr, 1000);
  policy_close(p);
  cJSON_Delete(sec);
  sim_server_stop(s);
}

/* CPU of the calling thread (the client's loop, curl, parsing, the sink)
 * in seconds: user + system, and *user the user part. */
static double thread_cpu(double *user)
{
  struct rusage ru;
  getrusage(RUSAGE_THREAD, &ru);
  double u = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6;
  if(user)
    *user = u;
  return u + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

struct cpuctx {
  struct ctx x;
  double cpu, user;
};

static double median5(double *v)
{
  for(int i = 1; i < 5; i++)
    for(int j = i; j > 0 && v[j] < v[j - 1]; j--) {
      double t = v[j];
      v[j] = v[j - 1];
      v[j - 1] = t;
    }
  return v[2];
}

static void run_cpu(void *v)
{
  struct cpuctx *cc = v;
  double u0, u1, c0 = thread_cpu(&u0);
  run(&cc->x);
  cc->cpu = thread_cpu(&u1) - c0;
  cc->user = u1 - u0;
}

/* A sim server in a child process (so its threads do not share the
 * client's CPU account): its port, or -1.  *pid gets the child. */
static int fork_server(pid_t *pid)
{
  int fd[2];
  if(pipe(fd))
    return -1;
  fflush(NULL);
  *pid = fork();
  if(*pid == 0) {
    close(fd[0]);
    struct sim_server_opts o;
    sim_server_opts_init(&o);
    o.threads = 2;
    struct bon_err err;
    struct sim_server *s = sim_server_start(&o, &err);
    int port = s ? sim_server_port(s) : -1;
    if(write(fd[1], &port, sizeof(port)) != sizeof(port))
      _exit(1);
    close(fd[1]);
    for(;;)
      pause();  /* until the parent kills it */
  }
  close(fd[1]);
  int port = -1;
  if(*pid < 0 || read(fd[0], &port, sizeof(port)) != sizeof(port))
    port = -1;
  close(fd[0]);
  return port;
}

/* The client's own CPU per completion (its loop, curl, the request and
 * response JSON, the sink) with 64 and with 256 requests in flight, the
 * server in another process: an event loop's cost per completion should
 * not grow with the number of open connections. */
BENCH(http_client_cpu)
{
  pid_t pid = -1;
  int port = fork_server(&pid);
  if(port < 0) {
    fprintf(stderr, "bench_net: no server\n");
    if(pid > 0)
      kill(pid, SIGKILL);
    return;
  }
  struct bon_err err;
  struct sim_problem *pr = sim_problems(1, 0, 1000);
  size_t n = 20000;
  struct policy_job *jobs = malloc(n * sizeof(*jobs));
  for(size_t i = 0; i < n; i++)
    jobs[i] = (struct policy_job){.question = pr[i % 1000].question,
                                  .seed = i, .tag = i};
  static const int inflight[] = {64, 256};
  const char *only = getenv("BONRUN_BENCH_INFLIGHT");
  for(int k = 0; k < 2; k++) {
    if(only && atoi(only) != inflight[k])
      continue;
    char cfg[256];
    snprintf(cfg, sizeof(cfg), "{\"backend\":\"openai\",\"url\":"
             "\"http://127.0.0.1:%d\",\"model\":\"sim\",\"in_flight\":%d,"
             "\"max_tokens\":32}", port, inflight[k]);
    cJSON *sec = cJSON_Parse(cfg);
    struct policy *p = policy_open(sec, "bench", &err);
    if(!p) {
      cJSON_Delete(sec);
      continue;
    }
    struct cpuctx cc = {{p, jobs, n, {0, 0, 0}}, 0, 0};
    run_cpu(&cc);  /* warm up: connections open */
    double cpu[5], user[5], t0 = bench_now();
    for(int r = 0; r < 5; r++) {
      run_cpu(&cc);
      cpu[r] = cc.cpu;
      user[r] = cc.user;
    }
    double wall = (bench_now() - t0) / 5;
    printf("  client CPU per completion, %3d in flight     %8.1f us, of "
           "which user %.1f us (medians of 5 x %zu; %.0f completions/s)\n",
           inflight[k], median5(cpu) / (double)n * 1e6,
           median5(user) / (double)n * 1e6, n, (double)n / wall);
    fflush(stdout);
    policy_close(p);
    cJSON_Delete(sec);
  }
  free(jobs);
  sim_problems_free(pr, 1000);
  kill(pid, SIGKILL);
  waitpid(pid, NULL, 0);
}

/* cmd_serve.c - `bonrun serve`: the simulator as an OpenAI-compatible
 * server on 127.0.0.1 (sim/server.h), with optional fault injection. */
#include "runner/commands.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/openai.h"
#include "policy/policy.h"
#include "policy/sim.h"
#include "proxy/proxy.h"
#include "proxy/sim.h"
#include "sim/server.h"
#include "util/cfg.h"
#include "util/fsutil.h"

static volatile sig_atomic_t got_signal;

static void on_signal(int sig)
{
  got_signal = sig;
}

static const char serve_usage[] =
"usage: bonrun serve [options]\n"
"\n"
"Serve the simulated policy and reward models over HTTP on 127.0.0.1, in\n"
"vLLM's shapes, so runs can go through the real client (see net/README.md).\n"
"\n"
"  POST /v1/completions, /v1/chat/completions   the sim policy (model\n"
"       --model; n and seed: child i uses seed + i), or a judge reply\n"
"       \"Rating: [[score]]\" when the chat model names a sim RM\n"
"  POST /classify, /v1/classify, /pooling       sim RM scores (model = a\n"
"       preset name, or a proxy of --config); /pooling answers one\n"
"       [p_bad, p_good] row per <extra_0> step tag, like a process RM\n"
"  GET  /health, /v1/models\n"
"\n"
"options:\n"
"  --port N           port (default 0: pick a free one and print it)\n"
"  --port-file FILE   write the port there once listening (for scripts)\n"
"  --config FILE      take the sim policy and the sim proxies from a bonrun\n"
"                     config whose policy backend is sim\n"
"  --model NAME       the policy's model name (default sim)\n"
"  --skill X --spread X --bluff X --misread X --verbosity X --variety X\n"
"                     sim policy parameters (override the config)\n"
"  --rm-template T    how /classify text inputs were built, to recover the\n"
"                     response (default \"{question}\\n\\n{response}\")\n"
"  --threads N        worker threads (default 4)\n"
"faults (probabilities per request, drawn from --seed and the body):\n"
"  --fail-429 P --fail-503 P --fail-500 P   answer with that status\n"
"  --drop P           close the connection without an answer\n"
"  --malformed P      answer 200 with truncated JSON\n"
"  --retry-after S    Retry-After seconds sent with 429/503 (default 0;\n"
"                     negative: none)\n"
"  --delay-ms N       answer every request N ms late\n"
"  --max-prompt N     prompts/inputs longer than N characters get a 400\n"
"                     context-length error\n"
"  --seed N           fault seed (default 0)\n"
"limits:\n"
"  --max-requests N   stop after N requests\n"
"  --duration S       stop after S seconds\n"
"  -h, --help         this help\n"
"Stops cleanly on SIGINT or SIGTERM and prints request counts on stderr.\n";

static void free_rms(struct sim_server_rm *rms, size_t n)
{
  for(size_t i = 0; i < n; i++)
    free((char *)rms[i].name);
  free(rms);
}

/* The sim RMs of a config's "proxies" list, opened as the run would open
 * them (so a served score equals the in-process one); RMs of other
 * backends are left to their own servers.  0, or -1 and err. */
static int serve_rms(cJSON *cfg, const char *file,
                     struct sim_server_rm **out, size_t *nout,
                     struct bon_err *err)
{
  cJSON *list = cJSON_GetObjectItemCaseSensitive(cfg, "proxies");
  struct sim_server_rm *rms = NULL;
  size_t n = 0, i = 0;
  cJSON *e;
  cJSON_ArrayForEach(e, list) {
    char path[32];
    snprintf(path, sizeof(path), "proxies[%zu]", i++);
    const char *be = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(e, "backend"));
    if(be && strcmp(be, "sim"))
      continue;
    struct proxy *p = proxy_open(e, file, path, err);
    if(!p) {
      free_rms(rms, n);
      return -1;
    }
    rms = xrealloc(rms, (n + 1) * sizeof(*rms));
    rms[n].name = xstrdup(proxy_name(p));
    proxy_sim_params(p, &rms[n].params); /* backend "sim": checked */
    n++;
    proxy_close(p);
  }
  *out = rms;
  *nout = n;
  return 0;
}

/* What the command line says. */
struct serve_args {
  struct sim_server_opts o;
  const char *port_file, *config;
  double duration;
  struct sim_params over; /* --skill .. --variety, applied over --config */
};

#define A struct serve_args
/* The policy overrides first: bit i of cli_parsed.seen is over's field i
 * (the order of struct sim_params). */
enum { S_SKILL, S_SPREAD, S_BLUFF, S_MISREAD, S_VERBOSITY, S_VARIETY };
static const struct cli_opt serve_opts[] = {
  [S_SKILL] = CLI_OPT_DOUBLE("skill", 0, A, over.skill, -100, 100),
  [S_SPREAD] = CLI_OPT_DOUBLE("spread", 0, A, over.spread, -100, 100),
  [S_BLUFF] = CLI_OPT_DOUBLE("bluff", 0, A, over.bluff, -100, 100),
  [S_MISREAD] = CLI_OPT_DOUBLE("misread", 0, A, over.misread, -100, 100),
  [S_VERBOSITY] = CLI_OPT_DOUBLE("verbosity", 0, A, over.verbosity, -100,
                                 100),
  [S_VARIETY] = CLI_OPT_DOUBLE("variety", 0, A, over.variety, -100, 100),
  CLI_OPT_INT("port", 0, A, o.port, 0, 65535),
  CLI_OPT_STR("port-file", 0, A, port_file),
  CLI_OPT_STR("config", 0, A, config),
  CLI_OPT_STR("model", 0, A, o.model),
  CLI_OPT_STR("rm-template", 0, A, o.rm_template),
  CLI_OPT_INT("threads", 0, A, o.threads, 1, 256),
  CLI_OPT_PROB("fail-429", 0, A, o.fail_429),
  CLI_OPT_PROB("fail-503", 0, A, o.fail_503),
  CLI_OPT_PROB("fail-500", 0, A, o.fail_500),
  CLI_OPT_PROB("drop", 0, A, o.drop),
  CLI_OPT_PROB("malformed", 0, A, o.malformed),
  CLI_OPT_DOUBLE("retry-after", 0, A, o.retry_after, -1, 86400),
  CLI_OPT_INT("delay-ms", 0, A, o.delay_ms, 0, 1000000000),
  CLI_OPT_LONG("max-prompt", 0, A, o.max_prompt, 0, 1000000000000),
  CLI_OPT_U64("seed", 0, A, o.seed),
  CLI_OPT_LONG("max-requests", 0, A, o.max_requests, 0,
               1000000000000000),
  CLI_OPT_DOUBLE("duration", 0, A, duration, 0, 1000000000),
  CLI_OPT_END,
};
#undef A

static const struct cli_cmd serve_cli = {
  "serve", serve_usage, serve_opts, 0, 0, NULL,
};

/* The sim policy and RMs of --config into a->o (*cfg and *rms hold what
 * they point into; caller frees).  0, or -1 and err. */
static int load_config(struct serve_args *a, cJSON **cfg,
                       struct sim_server_rm **rms, struct bon_err *err)
{
  const char *file = a->config;
  char *text = fs_read_file(file, NULL, err);
  *cfg = text ? cfg_parse(text, file, err) : NULL;
  free(text);
  if(!*cfg)
    return -1;
  cJSON *pol = cJSON_GetObjectItemCaseSensitive(*cfg, "policy");
  const char *be = cJSON_GetStringValue(
      cJSON_GetObjectItemCaseSensitive(pol, "backend"));
  if(pol && be && strcmp(be, "sim"))
    return bon_errf(err, "%s: policy.backend is \"%s\": --config needs a "
                    "config whose policy is sim", file, be);
  if(pol) {
    struct policy *p = policy_open(pol, file, err);
    if(!p)
      return -1;
    policy_sim_params(p, &a->o.policy); /* backend "sim": checked */
    policy_close(p);
  }
  if(serve_rms(*cfg, file, rms, &a->o.nrms, err))
    return -1;
  a->o.rms = *rms;
  return 0;
}

/* --skill .. --variety over the config's values. */
static void apply_overrides(struct serve_args *a, uint64_t seen)
{
  double *to[] = {&a->o.policy.skill, &a->o.policy.spread,
                  &a->o.policy.bluff, &a->o.policy.misread,
                  &a->o.policy.verbosity, &a->o.policy.variety};
  const double from[] = {a->over.skill, a->over.spread, a->over.bluff,
                         a->over.misread, a->over.verbosity,
                         a->over.variety};
  for(int i = S_SKILL; i <= S_VARIETY; i++)
    if(seen & ((uint64_t)1 << i))
      *to[i] = from[i];
}

/* Until a signal, max_requests or duration seconds. */
static void wait_for_end(struct sim_server *s, double duration)
{
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  while(!got_signal && !sim_server_finished(s)) {
    struct timespec nap = {0, 20000000L};
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t);
    if(duration > 0 && (double)(t.tv_sec - t0.tv_sec) +
                           (t.tv_nsec - t0.tv_nsec) * 1e-9 >= duration)
      break;
  }
}

static int serve(const struct serve_args *a)
{
  struct bon_err err;
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  struct sim_server *s = sim_server_start(&a->o, &err);
  if(!s) {
    cli_error("serve", "%s", err.msg);
    return EXIT_FAIL;
  }
  int port = sim_server_port(s);
  printf("bonrun serve: listening on http://127.0.0.1:%d\n", port);
  fflush(stdout);
  if(a->port_file) {
    char line[32];
    int n = snprintf(line, sizeof(line), "%d\n", port);
    if(fs_write_atomic(a->port_file, line, (size_t)n, &err)) {
      cli_error("serve", "%s", err.msg);
      sim_server_stop(s);
      return EXIT_FAIL;
    }
  }
  wait_for_end(s, a->duration);
  struct buf b = BUF_INIT;
  sim_server_stats(s, &b);
  sim_server_stop(s);
  fprintf(stderr, "bonrun serve: stopped%s; %s\n",
          got_signal ? " on signal" : "", buf_str(&b));
  buf_free(&b);
  return EXIT_OK;
}

int cmd_serve(int argc, char **argv)
{
  struct serve_args a = {.duration = 0};
  struct cli_parsed p;
  struct bon_err err;
  cJSON *cfg = NULL;
  struct sim_server_rm *rms = NULL;
  sim_server_opts_init(&a.o);
  a.o.rm_template = net_rm_template;
  a.o.judge_template = net_judge_template;
  a.o.step_tag = net_prm_step_tag;
  int rc = cli_parse(&serve_cli, argc, argv, &a, &p);
  const struct sim_server_opts *o = &a.o;
  if(rc == CLI_GO &&
     o->fail_429 + o->fail_503 + o->fail_500 + o->drop + o->malformed > 1)
    rc = cli_usage_error("serve", "fault probabilities add up to more "
                         "than 1");
  if(rc == CLI_GO && a.config && load_config(&a, &cfg, &rms, &err)) {
    cli_error("serve", "%s", err.msg);
    rc = EXIT_FAIL;
  }
  if(rc == CLI_GO) {
    apply_overrides(&a, p.seen);
    rc = serve(&a);
  }
  free_rms(rms, a.o.nrms);
  cJSON_Delete(cfg);
  cli_free(&serve_cli, &a);
  return rc;
}

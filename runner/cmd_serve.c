/* cmd_serve.c - `bonrun serve`: the simulator as an OpenAI-compatible
 * server on 127.0.0.1 (sim/server.h), with optional fault injection. */
#include "runner/commands.h"

#include <getopt.h>
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

static void usage(FILE *f)
{
  fprintf(f,
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
"Stops cleanly on SIGINT or SIGTERM and prints request counts on stderr.\n");
}

static double lo_, hi_; /* the range of the last num(), for the message */

static int num(const char *s, double lo, double hi, double *out)
{
  lo_ = lo;
  hi_ = hi;
  char *end;
  double v = strtod(s, &end);
  if(end == s || *end || !(v >= lo && v <= hi))
    return -1;
  *out = v;
  return 0;
}

/* num() for a count: digits only ("2.5", "1e3", " 8", "0x10" refused) */
static int inum(const char *s, double lo, double hi, double *out)
{
  lo_ = lo;
  hi_ = hi;
  if(!*s || strspn(s, "0123456789") != strlen(s))
    return -1;
  return num(s, lo, hi, out);
}

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

int cmd_serve(int argc, char **argv)
{
  enum {
    O_PORT = 256, O_PORT_FILE, O_CONFIG, O_MODEL, O_SKILL, O_SPREAD, O_BLUFF,
    O_MISREAD, O_VERBOSITY, O_VARIETY, O_RM_TEMPLATE, O_THREADS, O_F429,
    O_F503, O_F500, O_DROP, O_MALFORMED, O_RETRY_AFTER, O_DELAY, O_MAXP,
    O_SEED, O_MAXREQ, O_DURATION, O_HELP
  };
  static const struct option opts[] = {
    {"port", required_argument, 0, O_PORT},
    {"port-file", required_argument, 0, O_PORT_FILE},
    {"config", required_argument, 0, O_CONFIG},
    {"model", required_argument, 0, O_MODEL},
    {"skill", required_argument, 0, O_SKILL},
    {"spread", required_argument, 0, O_SPREAD},
    {"bluff", required_argument, 0, O_BLUFF},
    {"misread", required_argument, 0, O_MISREAD},
    {"verbosity", required_argument, 0, O_VERBOSITY},
    {"variety", required_argument, 0, O_VARIETY},
    {"rm-template", required_argument, 0, O_RM_TEMPLATE},
    {"threads", required_argument, 0, O_THREADS},
    {"fail-429", required_argument, 0, O_F429},
    {"fail-503", required_argument, 0, O_F503},
    {"fail-500", required_argument, 0, O_F500},
    {"drop", required_argument, 0, O_DROP},
    {"malformed", required_argument, 0, O_MALFORMED},
    {"retry-after", required_argument, 0, O_RETRY_AFTER},
    {"delay-ms", required_argument, 0, O_DELAY},
    {"max-prompt", required_argument, 0, O_MAXP},
    {"seed", required_argument, 0, O_SEED},
    {"max-requests", required_argument, 0, O_MAXREQ},
    {"duration", required_argument, 0, O_DURATION},
    {"help", no_argument, 0, O_HELP},
    {0, 0, 0, 0},
  };
  struct sim_server_opts o;
  sim_server_opts_init(&o);
  o.rm_template = net_rm_template;
  o.judge_template = net_judge_template;
  o.step_tag = net_prm_step_tag;
  const char *port_file = NULL, *config = NULL;
  double duration = 0, v = 0;
  /* sim overrides, applied after the config */
  double over[6];
  int has_over[6] = {0};
  int c;
  optind = 1;
  opterr = 0;
  int li = -1;
  while((li = -1, c = getopt_long(argc, argv, "h", opts, &li)) != -1) {
    const char *a = optarg;
    int bad = 0;
    lo_ = hi_ = 0;
    switch(c) {
    case 'h':
    case O_HELP: usage(stdout); return EXIT_OK;
    case O_PORT: bad = inum(a, 0, 65535, &v); o.port = (int)v; break;
    case O_PORT_FILE: port_file = a; break;
    case O_CONFIG: config = a; break;
    case O_MODEL: o.model = a; break;
    case O_SKILL: case O_SPREAD: case O_BLUFF: case O_MISREAD:
    case O_VERBOSITY: case O_VARIETY:
      bad = num(a, -100, 100, &over[c - O_SKILL]);
      has_over[c - O_SKILL] = 1;
      break;
    case O_RM_TEMPLATE: o.rm_template = a; break;
    case O_THREADS: bad = inum(a, 1, 256, &v); o.threads = (int)v; break;
    case O_F429: bad = num(a, 0, 1, &o.fail_429); break;
    case O_F503: bad = num(a, 0, 1, &o.fail_503); break;
    case O_F500: bad = num(a, 0, 1, &o.fail_500); break;
    case O_DROP: bad = num(a, 0, 1, &o.drop); break;
    case O_MALFORMED: bad = num(a, 0, 1, &o.malformed); break;
    case O_RETRY_AFTER: bad = num(a, -1, 86400, &o.retry_after); break;
    case O_DELAY: bad = inum(a, 0, 1e9, &v); o.delay_ms = (int)v; break;
    case O_MAXP: bad = inum(a, 0, 1e12, &v); o.max_prompt = (long)v; break;
    case O_SEED:
      if(cli_parse_u64(a, &o.seed) < 0) {
        cli_error("serve", "--seed: expected a non-negative integer, got "
                  "\"%s\"", a);
        return EXIT_USAGE;
      }
      break;
    case O_MAXREQ: bad = inum(a, 0, 1e15, &v); o.max_requests = (long)v;
      break;
    case O_DURATION: bad = num(a, 0, 1e9, &duration); break;
    default:
      cli_error("serve", "unknown option %s (see bonrun serve --help)",
                argv[optind - 1]);
      return EXIT_USAGE;
    }
    if(bad) {
      cli_error("serve", "--%s: expected a number from %g to %g, got "
                "\"%s\"", li >= 0 ? opts[li].name : "?", lo_, hi_, a);
      return EXIT_USAGE;
    }
  }
  if(optind < argc) {
    cli_error("serve", "unexpected argument \"%s\"", argv[optind]);
    return EXIT_USAGE;
  }
  if(o.fail_429 + o.fail_503 + o.fail_500 + o.drop + o.malformed > 1) {
    cli_error("serve", "fault probabilities add up to more than 1");
    return EXIT_USAGE;
  }
  struct bon_err err;
  cJSON *cfg = NULL;
  struct sim_server_rm *rms = NULL;
  if(config) {
    char *text = fs_read_file(config, NULL, &err);
    if(!text || !(cfg = cfg_parse(text, config, &err))) {
      free(text);
      cli_error("serve", "%s", err.msg);
      return EXIT_FAIL;
    }
    free(text);
    cJSON *pol = cJSON_GetObjectItemCaseSensitive(cfg, "policy");
    const char *be = cJSON_GetStringValue(
        cJSON_GetObjectItemCaseSensitive(pol, "backend"));
    if(pol && (!be || !strcmp(be, "sim"))) {
      struct policy *p = policy_open(pol, config, &err);
      if(!p) {
        cli_error("serve", "%s", err.msg);
        cJSON_Delete(cfg);
        return EXIT_FAIL;
      }
      policy_sim_params(p, &o.policy); /* backend "sim": checked */
      policy_close(p);
    }
    else if(pol) {
      cli_error("serve", "%s: policy.backend is \"%s\": --config needs a "
                         "config whose policy is sim", config, be);
      cJSON_Delete(cfg);
      return EXIT_FAIL;
    }
    if(serve_rms(cfg, config, &rms, &o.nrms, &err)) {
      cli_error("serve", "%s", err.msg);
      cJSON_Delete(cfg);
      return EXIT_FAIL;
    }
    o.rms = rms;
  }
  double *fields[6] = {&o.policy.skill, &o.policy.spread, &o.policy.bluff,
                       &o.policy.misread, &o.policy.verbosity,
                       &o.policy.variety};
  for(int i = 0; i < 6; i++)
    if(has_over[i])
      *fields[i] = over[i];

  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct sim_server *s = sim_server_start(&o, &err);
  if(!s) {
    cli_error("serve", "%s", err.msg);
    free_rms(rms, o.nrms);
    cJSON_Delete(cfg);
    return EXIT_FAIL;
  }
  int port = sim_server_port(s);
  printf("bonrun serve: listening on http://127.0.0.1:%d\n", port);
  fflush(stdout);
  if(port_file) {
    char line[32];
    int n = snprintf(line, sizeof(line), "%d\n", port);
    if(fs_write_atomic(port_file, line, (size_t)n, &err)) {
      cli_error("serve", "%s", err.msg);
      sim_server_stop(s);
      free_rms(rms, o.nrms);
      cJSON_Delete(cfg);
      return EXIT_FAIL;
    }
  }
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
  struct buf b = BUF_INIT;
  sim_server_stats(s, &b);
  sim_server_stop(s);
  fprintf(stderr, "bonrun serve: stopped%s; %s\n",
          got_signal ? " on signal" : "", buf_str(&b));
  buf_free(&b);
  free_rms(rms, o.nrms);
  cJSON_Delete(cfg);
  return EXIT_OK;
}

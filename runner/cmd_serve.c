/* cmd_serve.c - `bonrun serve`: the simulator behind the HTTP shapes of
 * real servers on 127.0.0.1 (sim/server.h), with fault injection and the
 * behaviours of real servers, so that any config can be dry-run offline. */
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
#include "util/hash.h"

#define MAX_PORTS 16

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
"the shapes of vLLM, SGLang, llama.cpp, TEI and Ollama, so runs can go\n"
"through the real client (see net/README.md, docs/serving.md).\n"
"\n"
"  POST /v1/completions, /v1/chat/completions   the sim policy (model\n"
"       --model; n and seed: child i uses seed + i; max_tokens cuts), or a\n"
"       judge reply \"Rating: [[score]]\" when the chat model names a sim RM\n"
"  POST /api/generate                 the sim policy in Ollama's shape\n"
"  POST /classify, /v1/classify, /pooling   sim RM scores (vLLM; a `text`\n"
"       list on /classify: SGLang); /pooling answers one [p_bad, p_good]\n"
"       row per <extra_0> step tag, like a process RM\n"
"  POST /predict                      sim RM scores in TEI's shape\n"
"  GET  /health, /version, /v1/models, /\n"
"\n"
"options:\n"
"  --port N           port (default 0: pick a free one and print it)\n"
"  --port-file FILE   write the port(s) there once listening (for scripts)\n"
"  --config FILE      serve what a bonrun config asks for: a sim policy's\n"
"                     parameters, or the model name and template of a real\n"
"                     policy; sim proxies as configured, and the model name\n"
"                     (and template) of every other proxy as a sim RM (the\n"
"                     preset of its name, else careful).  Without --port it\n"
"                     listens on every 127.0.0.1/localhost port of the\n"
"                     config's URLs, so the config runs unchanged\n"
"  --alias NAME=PRESET  serve the sim RM PRESET under the model name NAME\n"
"                     (repeatable; overrides --config's choice)\n"
"  --model NAME       the policy's model name (default sim)\n"
"  --skill X --spread X --bluff X --misread X --verbosity X --variety X\n"
"                     sim policy parameters (override the config)\n"
"  --rm-template T    how /classify text inputs were built, to recover the\n"
"                     response (default \"{question}\\n\\n{response}\")\n"
"  --threads N        worker threads (default 4)\n"
"faults (probabilities per request, drawn from --seed and the body):\n"
"  --fail-429 P --fail-503 P --fail-500 P --fail-424 P   answer with that\n"
"                     status (424: TEI's backend error)\n"
"  --drop P           close the connection without an answer\n"
"  --malformed P      answer 200 with truncated JSON\n"
"  --retry-after S    Retry-After seconds sent with 429/503 (default 0;\n"
"                     negative: none)\n"
"  --delay-ms N       answer every request N ms late\n"
"  --seed N           fault seed (default 0)\n"
"behaviours of real servers (docs/serving.md):\n"
"  --max-prompt N     inputs longer than N characters are over the context:\n"
"                     vLLM, SGLang and llama.cpp refuse them (400), TEI\n"
"                     and Ollama cut them silently unless the request says\n"
"                     \"truncate\": false (then 422 / 400)\n"
"  --request-error S  answer every POST with status S (400, 401, 404, 405,\n"
"                     413, 422), in the words of a server that does\n"
"  --max-batch N      more inputs per request: TEI's 422 \"batch size\"\n"
"  --max-n N          n above N: llama.cpp's 400 (its --parallel slots)\n"
"  --single-choice    n above 1: old llama.cpp's 500 \"Only one completion\n"
"                     choice is allowed\"\n"
"  --reject-param LIST  refuse these comma-separated body fields with the\n"
"                     OpenAI API's 400 (max_tokens: \"Unsupported\n"
"                     parameter\"; others: \"Unrecognized request argument\")\n"
"  --quota-after N    after N requests: 429 insufficient_quota\n"
"  --loading S        for S seconds after start: 503 \"Loading model\" on\n"
"                     /health and every request (llama.cpp loading)\n"
"  --reasoning MODE   the policy answers as a reasoning model: field\n"
"                     (reasoning_content), reasoning (the newer field),\n"
"                     null (content null: the thinking ran out of tokens),\n"
"                     think (a raw <think>...</think> block); Ollama gets\n"
"                     `thinking`; default none\n"
"  --vllm-version V   /version answers V; 0.9.x ignores use_activation and\n"
"                     activation (scores are sigmoids), 0.10.x takes only\n"
"                     activation\n"
"limits:\n"
"  --max-requests N   stop after N requests\n"
"  --duration S       stop after S seconds\n"
"Stops cleanly on SIGINT or SIGTERM and prints request counts on stderr.\n");
}

/* Everything the command line says, before the config is read. */
struct serve_args {
  struct sim_server_opts o;
  const char *port_file, *config;
  int port_given;
  double duration;
  double over[6];         /* sim policy overrides, after the config */
  int has_over[6];
  const char *aliases[64];
  size_t naliases;
  int model_given;
};

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

enum {
  O_PORT = 256, O_PORT_FILE, O_CONFIG, O_MODEL, O_SKILL, O_SPREAD, O_BLUFF,
  O_MISREAD, O_VERBOSITY, O_VARIETY, O_RM_TEMPLATE, O_THREADS, O_F429,
  O_F503, O_F500, O_F424, O_DROP, O_MALFORMED, O_RETRY_AFTER, O_DELAY,
  O_MAXP, O_SEED, O_MAXREQ, O_DURATION, O_ALIAS, O_REQERR, O_MAXBATCH,
  O_MAXN, O_SINGLE, O_REJECT, O_QUOTA, O_LOADING, O_REASONING, O_VLLMVER,
  O_HELP
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
  {"fail-424", required_argument, 0, O_F424},
  {"drop", required_argument, 0, O_DROP},
  {"malformed", required_argument, 0, O_MALFORMED},
  {"retry-after", required_argument, 0, O_RETRY_AFTER},
  {"delay-ms", required_argument, 0, O_DELAY},
  {"max-prompt", required_argument, 0, O_MAXP},
  {"seed", required_argument, 0, O_SEED},
  {"max-requests", required_argument, 0, O_MAXREQ},
  {"duration", required_argument, 0, O_DURATION},
  {"alias", required_argument, 0, O_ALIAS},
  {"request-error", required_argument, 0, O_REQERR},
  {"max-batch", required_argument, 0, O_MAXBATCH},
  {"max-n", required_argument, 0, O_MAXN},
  {"single-choice", no_argument, 0, O_SINGLE},
  {"reject-param", required_argument, 0, O_REJECT},
  {"quota-after", required_argument, 0, O_QUOTA},
  {"loading", required_argument, 0, O_LOADING},
  {"reasoning", required_argument, 0, O_REASONING},
  {"vllm-version", required_argument, 0, O_VLLMVER},
  {"help", no_argument, 0, O_HELP},
  {0, 0, 0, 0},
};

/* The options that take a number: 0 (parsed, or not one of them), or -1
 * for a bad value (lo_, hi_ say the range). */
static int number_option(struct serve_args *a, int c, const char *v)
{
  struct sim_server_opts *o = &a->o;
  double x = 0;
  int bad = 0;
  switch(c) {
  case O_PORT: bad = inum(v, 0, 65535, &x); o->port = (int)x;
    a->port_given = 1; break;
  case O_SKILL: case O_SPREAD: case O_BLUFF: case O_MISREAD:
  case O_VERBOSITY: case O_VARIETY:
    bad = num(v, -100, 100, &a->over[c - O_SKILL]);
    a->has_over[c - O_SKILL] = 1;
    break;
  case O_THREADS: bad = inum(v, 1, 256, &x); o->threads = (int)x; break;
  case O_F429: bad = num(v, 0, 1, &o->fail_429); break;
  case O_F503: bad = num(v, 0, 1, &o->fail_503); break;
  case O_F500: bad = num(v, 0, 1, &o->fail_500); break;
  case O_F424: bad = num(v, 0, 1, &o->fail_424); break;
  case O_DROP: bad = num(v, 0, 1, &o->drop); break;
  case O_MALFORMED: bad = num(v, 0, 1, &o->malformed); break;
  case O_RETRY_AFTER: bad = num(v, -1, 86400, &o->retry_after); break;
  case O_DELAY: bad = inum(v, 0, 1e9, &x); o->delay_ms = (int)x; break;
  case O_MAXP: bad = inum(v, 0, 1e12, &x); o->max_prompt = (long)x; break;
  case O_MAXREQ: bad = inum(v, 0, 1e15, &x); o->max_requests = (long)x;
    break;
  case O_DURATION: bad = num(v, 0, 1e9, &a->duration); break;
  case O_MAXBATCH: bad = inum(v, 1, 1e9, &x); o->max_batch = (long)x; break;
  case O_MAXN: bad = inum(v, 1, 1e6, &x); o->max_n = (long)x; break;
  case O_QUOTA: bad = inum(v, 0, 1e15, &x); o->quota_after = (long)x;
    break;
  case O_LOADING: bad = num(v, 0, 86400, &o->loading_s); break;
  default: return 0;
  }
  return bad;
}

/* The options that take a word.  0, or -1 after printing the error. */
static int word_option(struct serve_args *a, int c, const char *v)
{
  static const char *const modes[] = {"none", "field", "reasoning", "null",
                                      "think", NULL};
  struct sim_server_opts *o = &a->o;
  double x;
  switch(c) {
  case O_PORT_FILE: a->port_file = v; return 0;
  case O_CONFIG: a->config = v; return 0;
  case O_MODEL: o->model = v; a->model_given = 1; return 0;
  case O_RM_TEMPLATE: o->rm_template = v; return 0;
  case O_REJECT: o->reject_params = v; return 0;
  case O_VLLMVER: o->vllm_version = v; return 0;
  case O_SINGLE: o->single_choice = 1; return 0;
  case O_SEED:
    if(cli_parse_u64(v, &o->seed) == 0)
      return 0;
    cli_error("serve", "--seed: expected a non-negative integer, got \"%s\"",
              v);
    return -1;
  case O_REQERR:
    if(inum(v, 400, 499, &x) == 0) {
      o->request_error = (int)x;
      return 0;
    }
    cli_error("serve", "--request-error: expected a status from 400 to "
              "499, got \"%s\"", v);
    return -1;
  case O_ALIAS:
    if(strchr(v, '=') && v[0] != '=' && a->naliases < 64) {
      a->aliases[a->naliases++] = v;
      return 0;
    }
    cli_error("serve", "--alias: expected NAME=PRESET (at most 64), got "
              "\"%s\"", v);
    return -1;
  case O_REASONING:
    for(int i = 0; modes[i]; i++)
      if(!strcmp(v, modes[i])) {
        o->reasoning = (enum sim_reasoning)i;
        return 0;
      }
    cli_error("serve", "--reasoning: expected none, field, reasoning, null "
              "or think, got \"%s\"", v);
    return -1;
  }
  return 0;
}

/* Parse the command line into *a.  Returns -1 to go on, or the exit code
 * (help, usage error). */
static int parse_args(int argc, char **argv, struct serve_args *a)
{
  int c, li;
  optind = 1;
  opterr = 0;
  while((li = -1, c = getopt_long(argc, argv, "h", opts, &li)) != -1) {
    if(c == 'h' || c == O_HELP) {
      usage(stdout);
      return EXIT_OK;
    }
    if(c == '?' || c == ':') {
      cli_error("serve", "unknown option or missing value: %s (see bonrun "
                "serve --help)", argv[optind - 1]);
      return EXIT_USAGE;
    }
    lo_ = hi_ = 0;
    if(number_option(a, c, optarg)) {
      cli_error("serve", "--%s: expected a number from %g to %g, got "
                "\"%s\"", li >= 0 ? opts[li].name : "?", lo_, hi_, optarg);
      return EXIT_USAGE;
    }
    if(word_option(a, c, optarg))
      return EXIT_USAGE;
  }
  if(optind < argc) {
    cli_error("serve", "unexpected argument \"%s\"", argv[optind]);
    return EXIT_USAGE;
  }
  const struct sim_server_opts *o = &a->o;
  if(o->fail_429 + o->fail_503 + o->fail_500 + o->fail_424 + o->drop +
     o->malformed > 1) {
    cli_error("serve", "fault probabilities add up to more than 1");
    return EXIT_USAGE;
  }
  return -1;
}

/* ---- what to serve ---------------------------------------------------- */

struct served {
  struct sim_server_rm *rms;
  size_t nrms;
  int ports[MAX_PORTS];
  size_t nports;
};

static void served_free(struct served *sv)
{
  for(size_t i = 0; i < sv->nrms; i++)
    free((char *)sv->rms[i].name);
  free(sv->rms);
}

/* Serve preset `preset` as the RM `name` (its own stream: the hash of the
 * name), with the template its inputs are built with (NULL: default); a
 * name already served is replaced.  -1 for an unknown preset. */
static int add_rm(struct served *sv, const char *name, const char *preset,
                  const char *tmpl)
{
  struct sim_rm_params p;
  if(sim_rm_preset(preset, &p) != 0)
    return -1;
  p.id = hash_str(HASH_INIT, name);
  size_t i = 0;
  while(i < sv->nrms && strcmp(sv->rms[i].name, name))
    i++;
  if(i == sv->nrms) {
    sv->rms = xrealloc(sv->rms, (sv->nrms + 1) * sizeof(*sv->rms));
    sv->rms[sv->nrms++].name = xstrdup(name);
  }
  sv->rms[i].params = p;
  sv->rms[i].rm_template = tmpl;
  return 0;
}

/* A loopback port of a URL ("http://127.0.0.1:8001/v1"), or 0. */
static int loopback_port(const char *url)
{
  const char *h = strstr(url ? url : "", "://");
  if(!h)
    return 0;
  h += 3;
  size_t n = strncmp(h, "127.0.0.1:", 10) ? strncmp(h, "localhost:", 10)
                                            ? 0 : 10 : 10;
  int port = n ? atoi(h + n) : 0;
  return port > 0 && port < 65536 ? port : 0;
}

/* Note the loopback ports of a section's url (a string or a list). */
static void note_ports(struct served *sv, const cJSON *sec)
{
  const cJSON *u = cJSON_GetObjectItemCaseSensitive(sec, "url");
  const cJSON *one = cJSON_IsString(u) ? u : NULL;
  const cJSON *it = cJSON_IsArray(u) ? u->child : one;
  for(; it; it = one ? NULL : it->next) {
    int p = loopback_port(cJSON_GetStringValue(it));
    size_t k = 0;
    while(k < sv->nports && sv->ports[k] != p)
      k++;
    if(p && k == sv->nports && sv->nports < MAX_PORTS)
      sv->ports[sv->nports++] = p;
  }
}

/* The policy section: a sim policy's parameters, or a real policy's model
 * name, prompt template and system prompt.  0, or -1 and err. */
static int serve_policy(cJSON *pol, const char *file,
                        struct serve_args *a, struct served *sv,
                        struct bon_err *err)
{
  const char *be = cfg_str(pol, "backend");
  if(!be || !strcmp(be, "sim")) {
    struct policy *p = policy_open(pol, file, err);
    if(!p)
      return -1;
    policy_sim_params(p, &a->o.policy); /* backend "sim": checked */
    policy_close(p);
    return 0;
  }
  const char *model = cfg_str(pol, "model");
  if(model && !a->model_given)
    a->o.model = model;
  a->o.policy_template = cfg_str(pol, "template");
  a->o.policy_system = cfg_str(pol, "system");
  note_ports(sv, pol);
  return 0;
}

/* The proxies: sim RMs opened as the run opens them (a served score then
 * equals the in-process one); every other RM served under its model name
 * (else its name) as the preset of that name, else careful.  0, or -1 and
 * err. */
static int serve_proxies(cJSON *cfg, const char *file,
                         struct serve_args *a, struct served *sv,
                         struct bon_err *err)
{
  size_t i = 0;
  cJSON *e;
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(cfg, "proxies")) {
    char path[32];
    snprintf(path, sizeof(path), "proxies[%zu]", i++);
    const char *be = cfg_str(e, "backend"), *name = cfg_str(e, "name");
    if(be && strcmp(be, "sim")) {
      const char *model = cfg_str(e, "model") ? cfg_str(e, "model") : name;
      struct sim_rm_params tmp;
      const char *input = cfg_str(e, "input");
      if(model)
        add_rm(sv, model, sim_rm_preset(name ? name : "", &tmp) == 0 ?
               name : "careful", input && strcmp(input, "text") ? NULL :
               cfg_str(e, "template"));
      if(cfg_str(e, "step_tag"))
        a->o.step_tag = cfg_str(e, "step_tag");
      note_ports(sv, e);
      continue;
    }
    struct proxy *p = proxy_open(e, file, path, err);
    if(!p)
      return -1;
    struct sim_server_rm r;
    memset(&r, 0, sizeof(r));
    r.name = xstrdup(proxy_name(p));
    proxy_sim_params(p, &r.params); /* backend "sim": checked */
    sv->rms = xrealloc(sv->rms, (sv->nrms + 1) * sizeof(*sv->rms));
    sv->rms[sv->nrms++] = r;
    proxy_close(p);
  }
  return 0;
}

/* --config and --alias into a and sv.  0, or -1 after printing. */
static int load_served(struct serve_args *a, struct served *sv, cJSON **cfg)
{
  struct bon_err err;
  if(a->config) {
    char *text = fs_read_file(a->config, NULL, &err);
    *cfg = text ? cfg_parse(text, a->config, &err) : NULL;
    free(text);
    cJSON *pol = *cfg ? cJSON_GetObjectItemCaseSensitive(*cfg, "policy")
                      : NULL;
    if(!*cfg || (pol && serve_policy(pol, a->config, a, sv, &err)) ||
       serve_proxies(*cfg, a->config, a, sv, &err)) {
      cli_error("serve", "%s", err.msg);
      return -1;
    }
  }
  for(size_t i = 0; i < a->naliases; i++) {
    const char *eq = strchr(a->aliases[i], '=');
    char *name = xstrndup(a->aliases[i], (size_t)(eq - a->aliases[i]));
    int rc = add_rm(sv, name, eq + 1, NULL);
    free(name);
    if(rc) {
      cli_error("serve", "--alias %s: unknown preset \"%s\": expected one "
                "of %s", a->aliases[i], eq + 1, sim_rm_preset_names());
      return -1;
    }
  }
  a->o.rms = sv->rms;
  a->o.nrms = sv->nrms;
  double *fields[6] = {&a->o.policy.skill, &a->o.policy.spread,
                       &a->o.policy.bluff, &a->o.policy.misread,
                       &a->o.policy.verbosity, &a->o.policy.variety};
  for(int i = 0; i < 6; i++)
    if(a->has_over[i])
      *fields[i] = a->over[i];
  if(a->port_given || !sv->nports) {
    sv->ports[0] = a->o.port;
    sv->nports = 1;
  }
  return 0;
}

/* ---- serving ---------------------------------------------------------- */

/* Start one server per port and write the ports.  0, or -1 after
 * printing (the servers started are stopped). */
static int start_all(struct serve_args *a, struct served *sv,
                     struct sim_server **srv)
{
  struct bon_err err;
  struct buf ports = BUF_INIT;
  for(size_t i = 0; i < sv->nports; i++) {
    struct sim_server_opts o = a->o;
    o.port = sv->ports[i];
    if(!(srv[i] = sim_server_start(&o, &err))) {
      cli_error("serve", "%s", err.msg);
      buf_free(&ports);
      return -1;
    }
    int port = sim_server_port(srv[i]);
    printf("bonrun serve: listening on http://127.0.0.1:%d\n", port);
    buf_printf(&ports, "%d\n", port);
  }
  fflush(stdout);
  int rc = 0;
  if(a->port_file && fs_write_atomic(a->port_file, ports.data, ports.len,
                                     &err)) {
    cli_error("serve", "%s", err.msg);
    rc = -1;
  }
  buf_free(&ports);
  return rc;
}

/* Wait for a signal, max_requests (on any server) or the duration. */
static void serve_until_done(const struct serve_args *a,
                             struct sim_server **srv, size_t n)
{
  struct timespec t0, t;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for(;;) {
    for(size_t i = 0; i < n; i++)
      if(sim_server_finished(srv[i]))
        return;
    if(got_signal)
      return;
    struct timespec nap = {0, 20000000L};
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t);
    if(a->duration > 0 && (double)(t.tv_sec - t0.tv_sec) +
                              (t.tv_nsec - t0.tv_nsec) * 1e-9 >= a->duration)
      return;
  }
}

int cmd_serve(int argc, char **argv)
{
  struct serve_args a;
  memset(&a, 0, sizeof(a));
  sim_server_opts_init(&a.o);
  a.o.rm_template = net_rm_template;
  a.o.judge_template = net_judge_template;
  a.o.step_tag = net_prm_step_tag;
  int rc = parse_args(argc, argv, &a);
  if(rc >= 0)
    return rc;
  struct served sv;
  memset(&sv, 0, sizeof(sv));
  cJSON *cfg = NULL;
  struct sim_server *srv[MAX_PORTS] = {0};
  rc = EXIT_FAIL;
  if(load_served(&a, &sv, &cfg))
    goto out;
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  if(start_all(&a, &sv, srv))
    goto out;
  serve_until_done(&a, srv, sv.nports);
  rc = EXIT_OK;
out:
  for(size_t i = 0; i < sv.nports; i++) {
    if(!srv[i])
      continue;
    struct buf b = BUF_INIT;
    sim_server_stats(srv[i], &b);
    sim_server_stop(srv[i]);
    if(rc == EXIT_OK)
      fprintf(stderr, "bonrun serve: stopped%s; %s\n",
              got_signal ? " on signal" : "", buf_str(&b));
    buf_free(&b);
  }
  served_free(&sv);
  cJSON_Delete(cfg);
  return rc;
}

/* cmd_serve.c - `bonrun serve`: the simulator behind the HTTP shapes of
 * real servers on 127.0.0.1 (sim/server.h), with fault injection and the
 * behaviours of real servers, so that any config can be dry-run offline. */
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
#include "runner/config.h"
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

static const char serve_usage[] =
"usage: bonrun serve [options]\n"
"\n"
"Serve the simulated policy and reward models over HTTP on 127.0.0.1, in\n"
"the shapes of vLLM, SGLang, llama.cpp, TEI and Ollama, so runs can go\n"
"through the real client (see net/README.md, docs/serving.md).\n"
"\n"
"  POST /v1/completions, /v1/chat/completions   the sim policy (model\n"
"       --model; n and seed: child i uses seed + i; max_tokens cuts), or a\n"
"       judge reply \"Rating: [[score]]\" when the chat model names a sim RM\n"
"       (to a pairwise judge prompt: \"[[A]]\" or \"[[B]]\")\n"
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
"                     preset of its name, else careful); a file dataset's\n"
"                     problems answered around their references.  Without\n"
"                     --port it listens on every 127.0.0.1/localhost port\n"
"                     of the config's URLs, so the config runs unchanged\n"
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
"  -h, --help         this help\n"
"Stops cleanly on SIGINT or SIGTERM and prints request counts on stderr.\n";

/* What the command line says. */
struct serve_args {
  struct sim_server_opts o;
  const char *port_file, *config;
  double duration;
  struct sim_params over; /* --skill .. --variety, applied over --config */
  struct cli_strs aliases;
  int reasoning;          /* index in reasoning_modes */
};

static const char *const reasoning_modes[] = {
  "none", "field", "reasoning", "null", "think", NULL,
};

#define A struct serve_args
/* The policy overrides first: bit i of cli_parsed.seen is over's field i
 * (the order of struct sim_params); then the options whose presence
 * matters. */
enum {
  S_SKILL, S_SPREAD, S_BLUFF, S_MISREAD, S_VERBOSITY, S_VARIETY, S_PORT,
  S_MODEL
};
static const struct cli_opt serve_opts[] = {
  [S_SKILL] = CLI_OPT_DOUBLE("skill", 0, A, over.skill, -100, 100),
  [S_SPREAD] = CLI_OPT_DOUBLE("spread", 0, A, over.spread, -100, 100),
  [S_BLUFF] = CLI_OPT_DOUBLE("bluff", 0, A, over.bluff, -100, 100),
  [S_MISREAD] = CLI_OPT_DOUBLE("misread", 0, A, over.misread, -100, 100),
  [S_VERBOSITY] = CLI_OPT_DOUBLE("verbosity", 0, A, over.verbosity, -100,
                                 100),
  [S_VARIETY] = CLI_OPT_DOUBLE("variety", 0, A, over.variety, -100, 100),
  [S_PORT] = CLI_OPT_INT("port", 0, A, o.port, 0, 65535),
  [S_MODEL] = CLI_OPT_STR("model", 0, A, o.model),
  CLI_OPT_STR("port-file", 0, A, port_file),
  CLI_OPT_STR("config", 0, A, config),
  CLI_OPT_STRS("alias", 0, A, aliases),
  CLI_OPT_STR("rm-template", 0, A, o.rm_template),
  CLI_OPT_INT("threads", 0, A, o.threads, 1, 256),
  CLI_OPT_PROB("fail-429", 0, A, o.fail_429),
  CLI_OPT_PROB("fail-503", 0, A, o.fail_503),
  CLI_OPT_PROB("fail-500", 0, A, o.fail_500),
  CLI_OPT_PROB("fail-424", 0, A, o.fail_424),
  CLI_OPT_PROB("drop", 0, A, o.drop),
  CLI_OPT_PROB("malformed", 0, A, o.malformed),
  CLI_OPT_DOUBLE("retry-after", 0, A, o.retry_after, -1, 86400),
  CLI_OPT_INT("delay-ms", 0, A, o.delay_ms, 0, 1000000000),
  CLI_OPT_LONG("max-prompt", 0, A, o.max_prompt, 0, 1000000000000),
  CLI_OPT_U64("seed", 0, A, o.seed),
  CLI_OPT_LONG("max-requests", 0, A, o.max_requests, 0,
               1000000000000000),
  CLI_OPT_DOUBLE("duration", 0, A, duration, 0, 1000000000),
  CLI_OPT_INT("request-error", 0, A, o.request_error, 400, 499),
  CLI_OPT_LONG("max-batch", 0, A, o.max_batch, 1, 1000000000),
  CLI_OPT_LONG("max-n", 0, A, o.max_n, 1, 1000000),
  CLI_OPT_FLAG("single-choice", 0, A, o.single_choice),
  CLI_OPT_STR("reject-param", 0, A, o.reject_params),
  CLI_OPT_LONG("quota-after", 0, A, o.quota_after, 0, 1000000000000000),
  CLI_OPT_DOUBLE("loading", 0, A, o.loading_s, 0, 86400),
  CLI_OPT_CHOICE("reasoning", 0, A, reasoning, reasoning_modes),
  CLI_OPT_STR("vllm-version", 0, A, o.vllm_version),
  CLI_OPT_END,
};
#undef A

static const struct cli_cmd serve_cli = {
  "serve", serve_usage, serve_opts, 0, 0, NULL,
};

/* ---- what to serve ---------------------------------------------------- */

struct served {
  struct sim_server_rm *rms;
  size_t nrms;
  int ports[MAX_PORTS];
  size_t nports;
  struct run_config run;       /* the config's problems (a file dataset) */
  struct sim_server_ref *refs; /* their references, by question */
  size_t nrefs;
};

static void served_free(struct served *sv)
{
  for(size_t i = 0; i < sv->nrms; i++)
    free((char *)sv->rms[i].name);
  free(sv->rms);
  free(sv->refs);
  if(sv->run.file)
    run_config_free(&sv->run);
}

static int cmp_ref(const void *a, const void *b)
{
  return strcmp(((const struct sim_server_ref *)a)->question,
                ((const struct sim_server_ref *)b)->question);
}

/* A config whose problems come from a file: load them, so the sim policy
 * answers each around its reference (sim_solve_ref) as it does in
 * process.  0, or -1 and err. */
static int serve_problems(const cJSON *cfg, const char *file,
                          struct served *sv, struct bon_err *err)
{
  const cJSON *ds = cJSON_GetObjectItemCaseSensitive(cfg, "dataset");
  const char *src = cJSON_GetStringValue(
      cJSON_GetObjectItemCaseSensitive(ds, "source"));
  if(!src || strcmp(src, "file"))
    return 0;
  if(run_config_load(file, &sv->run, err))
    return -1;
  sv->refs = xcalloc(sv->run.nproblems + 1, sizeof(*sv->refs));
  for(size_t i = 0; i < sv->run.nproblems; i++)
    if(sv->run.problems[i].final)
      sv->refs[sv->nrefs++] = (struct sim_server_ref){
        sv->run.problems[i].question, sv->run.problems[i].final};
  qsort(sv->refs, sv->nrefs, sizeof(*sv->refs), cmp_ref);
  return 0;
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
                        struct serve_args *a, uint64_t seen,
                        struct served *sv, struct bon_err *err)
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
  if(model && !(seen & ((uint64_t)1 << S_MODEL)))
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

/* --config and --alias into a and sv (seen: the options given).  CLI_GO,
 * or the exit code after printing. */
static int load_served(struct serve_args *a, uint64_t seen,
                       struct served *sv, cJSON **cfg)
{
  struct bon_err err;
  if(a->config) {
    char *text = fs_read_file(a->config, NULL, &err);
    *cfg = text ? cfg_parse(text, a->config, &err) : NULL;
    free(text);
    cJSON *pol = *cfg ? cJSON_GetObjectItemCaseSensitive(*cfg, "policy")
                      : NULL;
    if(!*cfg || (pol && serve_policy(pol, a->config, a, seen, sv, &err)) ||
       serve_proxies(*cfg, a->config, a, sv, &err) ||
       serve_problems(*cfg, a->config, sv, &err)) {
      cli_error("serve", "%s", err.msg);
      return EXIT_FAIL;
    }
  }
  for(size_t i = 0; i < a->aliases.n; i++) {
    const char *v = a->aliases.v[i], *eq = strchr(v, '=');
    if(!eq || eq == v)
      return cli_usage_error("serve", "--alias: expected NAME=PRESET, got "
                             "'%s'", v);
    char *name = xstrndup(v, (size_t)(eq - v));
    int rc = add_rm(sv, name, eq + 1, NULL);
    free(name);
    if(rc)
      return cli_usage_error("serve", "--alias %s: unknown preset '%s': "
                             "expected one of %s", v, eq + 1,
                             sim_rm_preset_names());
  }
  a->o.rms = sv->rms;
  a->o.nrms = sv->nrms;
  a->o.refs = sv->refs;
  a->o.nrefs = sv->nrefs;
  double *to[] = {&a->o.policy.skill, &a->o.policy.spread,
                  &a->o.policy.bluff, &a->o.policy.misread,
                  &a->o.policy.verbosity, &a->o.policy.variety};
  const double from[] = {a->over.skill, a->over.spread, a->over.bluff,
                         a->over.misread, a->over.verbosity,
                         a->over.variety};
  for(int i = S_SKILL; i <= S_VARIETY; i++)
    if(seen & ((uint64_t)1 << i))
      *to[i] = from[i];
  if((seen & ((uint64_t)1 << S_PORT)) || !sv->nports) {
    sv->ports[0] = a->o.port;
    sv->nports = 1;
  }
  return CLI_GO;
}

/* ---- serving ---------------------------------------------------------- */

/* Start one server per port and write the ports.  0, or -1 after
 * printing. */
static int start_all(const struct serve_args *a, struct served *sv,
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

/* Until a signal, max_requests (on any server) or duration seconds. */
static void wait_for_end(struct sim_server **srv, size_t n, double duration)
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
    if(duration > 0 && (double)(t.tv_sec - t0.tv_sec) +
                           (t.tv_nsec - t0.tv_nsec) * 1e-9 >= duration)
      return;
  }
}

/* Serve until the end, then stop every server with its counts. */
static int serve(const struct serve_args *a, struct served *sv)
{
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  struct sim_server *srv[MAX_PORTS] = {0};
  int rc = start_all(a, sv, srv) ? EXIT_FAIL : EXIT_OK;
  if(rc == EXIT_OK)
    wait_for_end(srv, sv->nports, a->duration);
  for(size_t i = 0; i < sv->nports && srv[i]; i++) {
    struct buf b = BUF_INIT;
    sim_server_stats(srv[i], &b);
    sim_server_stop(srv[i]);
    if(rc == EXIT_OK)
      fprintf(stderr, "bonrun serve: stopped%s; %s\n",
              got_signal ? " on signal" : "", buf_str(&b));
    buf_free(&b);
  }
  return rc;
}

int cmd_serve(int argc, char **argv)
{
  struct serve_args a = {.duration = 0};
  struct cli_parsed p;
  struct served sv;
  memset(&sv, 0, sizeof(sv));
  cJSON *cfg = NULL;
  sim_server_opts_init(&a.o);
  a.o.rm_template = net_rm_template;
  a.o.judge_template = net_judge_template;
  a.o.pair_template = net_pair_template;
  a.o.step_tag = net_prm_step_tag;
  int rc = cli_parse(&serve_cli, argc, argv, &a, &p);
  const struct sim_server_opts *o = &a.o;
  if(rc == CLI_GO && o->fail_429 + o->fail_503 + o->fail_500 +
                         o->fail_424 + o->drop + o->malformed > 1)
    rc = cli_usage_error("serve", "fault probabilities add up to more "
                         "than 1");
  if(rc == CLI_GO) {
    a.o.reasoning = (enum sim_reasoning)a.reasoning;
    rc = load_served(&a, p.seen, &sv, &cfg);
  }
  if(rc == CLI_GO)
    rc = serve(&a, &sv);
  served_free(&sv);
  cJSON_Delete(cfg);
  cli_free(&serve_cli, &a);
  return rc;
}

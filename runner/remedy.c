/* remedy.c - the config key to change for each reason a run stops
 * (remedy.h; the causes are classified in net/client.c, docs in
 * net/README.md). */
#include "runner/remedy.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"

/* The remedy of a cause, with {s} for the section; NULL: none. */
static const char *remedy_of(enum net_cause cause, int rm)
{
  switch(cause) {
  case NET_CAUSE_AUTH:
    return "check the key in the environment variable named by "
           "{s}.api_key_env";
  case NET_CAUSE_QUOTA:
    return "the account behind {s}.api_key_env has no quota left: add "
           "credit or use another key, then rerun";
  case NET_CAUSE_NOT_FOUND:
    return "check {s}.model (the server must serve that name) and "
           "{s}.url (the base URL of a server that has this route)";
  case NET_CAUSE_METHOD:
  case NET_CAUSE_REDIRECT:
  case NET_CAUSE_TLS:
    return "check {s}.url";
  case NET_CAUSE_TOO_LARGE:
    return rm ? "lower {s}.batch" :
                "lower {s}.n_per_request (or max_tokens, logprobs)";
  case NET_CAUSE_BATCH_SIZE:
    return rm ? "lower {s}.batch to the server's limit (TEI: "
                "--max-client-batch-size, 32 by default)" :
                "lower {s}.n_per_request";
  case NET_CAUSE_N_LIMIT:
    return "lower {s}.n_per_request (llama.cpp: at most its --parallel "
           "slots)";
  case NET_CAUSE_SINGLE_CHOICE:
    return "set {s}.n_per_request to 1 (this llama.cpp build takes one "
           "choice per request)";
  case NET_CAUSE_PARAM:
    return rm ? "remove that field from {s}.extra" :
                "remove that field from {s} (or {s}.extra), or set "
                "{s}.dialect to the server's (\"openai\" sends "
                "max_completion_tokens and no top_k, min_p)";
  case NET_CAUSE_OTHER_4XX:
    return "check {s} (model, url, extra) against the server";
  case NET_CAUSE_NOT_READY:
    return "start the server (or let it finish loading) and rerun, or "
           "raise {s}.ready_timeout_s; nothing is lost";
  case NET_CAUSE_TRANSPORT:
    return "rerun once the server is up: nothing is lost "
           "({s}.abort_after sets how many failures in a row stop the "
           "run)";
  case NET_CAUSE_OLD_SERVER:
    return "upgrade vLLM to 0.10 or later; or, if the server was started "
           "with --override-pooler-config '{\"softmax\": false}' (raw "
           "scores), set {s}.server_raw_scores to true";
  default:
    return NULL;
  }
}

void run_remedy(struct bon_err *err, enum net_cause cause,
                const char *section, int rm)
{
  const char *fmt = remedy_of(cause, rm);
  if(!fmt)
    return;
  struct buf b = BUF_INIT;
  buf_puts(&b, "; ");
  for(const char *p = fmt; *p;) {
    const char *m = strstr(p, "{s}");
    if(!m) {
      buf_puts(&b, p);
      break;
    }
    buf_append(&b, p, (size_t)(m - p));
    buf_puts(&b, section);
    p = m + 3;
  }
  size_t n = strlen(err->msg);
  snprintf(err->msg + n, sizeof(err->msg) - n, "%s", buf_str(&b));
  buf_free(&b);
}

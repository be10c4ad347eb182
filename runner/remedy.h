/* remedy.h - what the user changes when a served model stops the run.
 *
 * Library code states what happened (the server's message, a cause from
 * net/client.h); this is the one place that names the config key to
 * change for each cause. */
#ifndef BON_REMEDY_H
#define BON_REMEDY_H

#include "net/client.h"
#include "util/err.h"

/* Append "; <what to change>" to err's message for a stop of `cause` in
 * the config section `section` ("policy", "proxies[2]"); `rm` says the
 * section is a reward model.  Nothing for causes without a remedy. */
void run_remedy(struct bon_err *err, enum net_cause cause,
                const char *section, int rm);

#endif

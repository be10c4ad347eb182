/* sim.h - the "sim" RM backend: a config section {"name", "backend":
 * "sim", "preset", and any parameter of struct sim_rm_params} opened as a
 * proxy that scores with sim/rm.h.  Without a preset, an RM named after a
 * preset takes that preset, any other name "careful". */
#ifndef BON_PROXY_SIM_H
#define BON_PROXY_SIM_H

#include "proxy/proxy.h"
#include "sim/rm.h"

/* The parameters of an open RM whose backend is "sim" into *out.  -1 (out
 * untouched) for any other backend. */
int proxy_sim_params(const struct proxy *p, struct sim_rm_params *out);

/* The "sim" backend of proxy.h. */
extern const struct proxy_backend proxy_sim_backend;

#endif

/* sim.h - the "sim" policy backend: a config section {"backend": "sim",
 * "samples", and any parameter of struct sim_params} opened as a policy
 * that writes its completions with sim/solve.h, offline. */
#ifndef BON_POLICY_SIM_H
#define BON_POLICY_SIM_H

#include "policy/policy.h"
#include "sim/solve.h"

/* The parameters of an open policy whose backend is "sim" into *out.
 * -1 (out untouched) for any other backend. */
int policy_sim_params(const struct policy *p, struct sim_params *out);

/* The "sim" backend of policy.h. */
extern const struct policy_backend policy_sim_backend;

#endif

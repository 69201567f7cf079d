/* simulate_opts.h - options of `iamguard simulate`, shared by its two
 * front ends (simulation documents and AWS simulate-custom-policy flags). */
#ifndef IG_SIMULATE_OPTS_H
#define IG_SIMULATE_OPTS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *file;
    int format;                 /* 0 auto, 1 json, 2 text */
    bool explain, verify, pretty;
    /* AWS flag form */
    const char *policies[64];
    size_t npolicies;
    const char *boundary;
    const char *actions[1024];
    size_t nactions;
    const char *resources[1024];
    size_t nresources;
    const char *resource_policy;
    const char *resource_owner;
    const char *caller_arn;
    const char *contexts[256];
    size_t ncontexts;
} sim_opts;

int cmd_aws_simulate(const sim_opts *o);

#endif

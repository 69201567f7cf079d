/* env.h - the evaluation environment: who is calling, under which policies.
 * Private to the evaluator; the public face is ig_env_* in iamguard.h. */
#ifndef IG_ENV_H
#define IG_ENV_H

#include "iamguard.h"

#define IG_ENV_MAX_DERIVED 4

typedef struct {
    const ig_policy **ps;
    size_t n;
} ig_level;

typedef struct {
    const char *key;            /* lowercased */
    const char *key_orig;
    unsigned len;
    unsigned hash;
    const char *value[1];
} ig_derived;

struct ig_env {
    ig_principal_kind kind;
    bool has_principal;
    char arn[512];
    char account[64];
    char partition[32];
    char role_name[256];        /* role sessions */
    char user_name[256];        /* IAM users */
    char service[256];          /* service principals */
    char principal_arn[600];    /* aws:PrincipalArn: the role ARN for sessions */
    const char *principal_type; /* aws:PrincipalType */
    ig_derived derived[IG_ENV_MAX_DERIVED];
    unsigned nderived;

    const ig_policy **identity;
    size_t nidentity, identity_cap;
    const ig_policy *boundary, *session, *resource;
    ig_level *scp, *rcp;
    size_t nscp, nrcp;
};

#endif

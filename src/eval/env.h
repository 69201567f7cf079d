/* env.h - the evaluation environment: who is calling, under which policies.
 * Private to the evaluator; the public face is ig_env_* in iamguard.h. */
#ifndef IG_ENV_H
#define IG_ENV_H

#include "iamguard.h"
#include "policy/values.h"

#define IG_ENV_MAX_DERIVED 4

typedef struct {
    const ig_policy **ps;
    size_t n;
} ig_level;

/* One context key as the evaluator looks it up: a request's (prepared in
 * request.c) or one derived from the principal (env.c). */
typedef struct {
    const char *key;            /* lowercased, except in unprepared requests */
    uint32_t len, hash;         /* hash: ig_hash_key, case-insensitive */
    const char *const *values;
    const uint32_t *lens;       /* byte lengths of values[]; NULL: strlen */
    /* values[] read as IP addresses, by a prepared request (ip_mode
     * IG_IP_CACHED: ips[i].family 0 when values[i] is not one). */
    const ig_cidr *ips;
    uint32_t n;
    uint32_t len0;              /* byte length of values[0] when n >= 1 */
    uint8_t ip_mode;
} ig_ctx_ent;

enum { IG_IP_PARSE = 0, IG_IP_NONE, IG_IP_CACHED };

struct ig_env {
    ig_principal_kind kind;
    bool has_principal;
    char arn[512];
    char account[64];
    uint32_t account_len;
    uint64_t account_key[2];    /* ig_account_key (request.h) */
    char partition[32];
    char role_name[256];        /* role sessions */
    char user_name[256];        /* IAM users */
    char service[256];          /* service principals */
    char principal_arn[600];    /* aws:PrincipalArn: the role ARN for sessions */
    const char *principal_type; /* aws:PrincipalType */
    ig_ctx_ent derived[IG_ENV_MAX_DERIVED];   /* keys lowercased */
    const char *derived_value[IG_ENV_MAX_DERIVED];
    unsigned nderived;

    const ig_policy **identity;
    size_t nidentity, identity_cap;
    const ig_policy *boundary, *session, *resource;
    ig_level *scp, *rcp;
    size_t nscp, nrcp;
};

#endif

/* ref_eval.h - the reference evaluator: a deliberately simple, slow and
 * independent reading of docs/semantics.md, used only by the tests to
 * check the production evaluator (differential testing).
 *
 * It interprets the parsed JSON of each policy on every request: no
 * compilation, no indexes.  It assumes the policy is valid (the production
 * compiler accepted it) and never allocates during evaluation. */
#ifndef REF_EVAL_H
#define REF_EVAL_H

#include "iamguard.h"
#include "json/json.h"

typedef struct {
    json_doc *doc;
    const json_value *root;
    ig_policy_type type;
    bool v2012;                 /* Version 2012-10-17: variables are live */
} ref_policy;

/* Parse `len` bytes of policy JSON.  Returns false when it is not JSON. */
bool ref_policy_load(ref_policy *p, const char *json, size_t len, ig_policy_type type);
void ref_policy_free(ref_policy *p);

#define REF_MAX_LEVELS 8
#define REF_MAX_MATCHED 512

typedef struct {
    const ref_policy *const *ps;
    size_t n;
} ref_level;

/* Emulations of known production deviations from docs/semantics.md.  The
 * reference never uses them to decide; the differential test switches them
 * on only to recognise a mismatch as an already reported one. */
enum {
    /* K6: a resource pattern that does not start with "arn:" is matched
     * against an ARN as one plain glob ('*' crossing colons) */
    REF_QUIRK_NON_ARN_PATTERN_AS_GLOB = 1u << 0,
    /* K7: with the request resource "*", a NotResource entry holding an
     * unresolved variable is no error (it could not match "*" anyway) */
    REF_QUIRK_STAR_RESOURCE_SKIPS_UNRESOLVED = 1u << 1,
};
#define REF_QUIRK_COUNT 2

typedef struct {
    unsigned quirks;            /* 0 for the contract's behaviour */
    ig_principal_kind kind;
    const char *arn;            /* users, role sessions, federated users, root */
    const char *account;        /* NULL: taken from the ARN */
    const char *service;        /* service principals */
    const ref_policy *const *identity;
    size_t nidentity;
    const ref_policy *boundary, *session, *resource;    /* NULL when absent */
    ref_level scp[REF_MAX_LEVELS], rcp[REF_MAX_LEVELS];
    size_t nscp, nrcp;
} ref_env;

typedef struct {
    const ref_policy *policy;
    uint32_t index;             /* 0-based statement index */
} ref_match;

typedef struct {
    ig_decision decision;
    ig_layer blocked_by;
    size_t nmatched;
    ref_match matched[REF_MAX_MATCHED];
} ref_result;

/* Decide `req` (its resource_policy, when set, must be the ig_policy the
 * caller maps to `resource_override`; pass NULL to use env->resource). */
void ref_evaluate(const ref_env *env, const ig_request *req,
                  const ref_policy *resource_override, ref_result *out);

#endif

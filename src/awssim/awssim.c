/* awssim.c - building the env and requests of an AWS simulator call.
 *
 * The rules here are AWS's (reference §8): the default caller is an IAM user
 * of the resource owner's account, policy ids are the parameter names with a
 * 1-based index, and ContextKeyType only constrains how many values a key
 * may have (the evaluator parses values per condition operator). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awssim/awssim.h"
#include "eval/env.h"
#include "policy/policy.h"
#include "util/arena.h"

const awssim_names AWSSIM_CLI_NAMES = {
    "--resource-owner", "--caller-arn", "--resource-policy", "--action-names",
};
const awssim_names AWSSIM_QUERY_NAMES = {
    "ResourceOwner", "CallerArn", "ResourcePolicy", "ActionNames",
};

struct awssim {
    ig_env *env;
    ig_arena arena;                 /* context keys and values */
    ig_policy *owned[AWSSIM_MAX_POLICIES + 2];
    size_t nowned;
    size_t nidentity_inputs;        /* PolicyInputList.N counter */
    bool has_principal;             /* awssim_use_principal() was called */
    bool has_owner;
    char owner_account[64];
    ig_context_entry ctx[AWSSIM_MAX_CONTEXT];
    size_t nctx;
};

static int fail(ig_diag *diag, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(ig_diag *diag, int code, const char *fmt, ...)
{
    char msg[sizeof diag->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ig_diag_set(diag, code, NULL, NULL, 0, 0, "%s", msg);
    return code;
}

awssim *awssim_new(void)
{
    awssim *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->env = ig_env_new();
    if (!s->env) {
        free(s);
        return NULL;
    }
    ig_arena_init(&s->arena);
    return s;
}

void awssim_free(awssim *s)
{
    if (!s)
        return;
    ig_env_free(s->env);
    for (size_t i = 0; i < s->nowned; i++)
        ig_policy_free(s->owned[i]);
    ig_arena_free(&s->arena);
    free(s);
}

const ig_env *awssim_env(const awssim *s) { return s->env; }

int awssim_use_principal(awssim *s, const ig_env *base, bool keep_boundary,
                         bool keep_resource_policy, ig_diag *diag)
{
    int rc = IG_OK;
    switch (base->kind) {
    case IG_PRINCIPAL_ANONYMOUS: rc = ig_env_set_anonymous(s->env); break;
    case IG_PRINCIPAL_SERVICE: rc = ig_env_set_service_principal(s->env, base->service); break;
    default: rc = ig_env_set_principal_arn(s->env, base->arn, base->account, diag); break;
    }
    for (size_t i = 0; rc == IG_OK && i < base->nidentity; i++)
        rc = ig_env_add_identity(s->env, base->identity[i]);
    if (rc == IG_OK && keep_boundary)
        rc = ig_env_set_boundary(s->env, base->boundary);
    if (rc == IG_OK)
        rc = ig_env_set_session(s->env, base->session);
    if (rc == IG_OK && keep_resource_policy)
        rc = ig_env_set_resource(s->env, base->resource);
    for (size_t i = 0; rc == IG_OK && i < base->nscp; i++)
        rc = ig_env_add_scp_level(s->env, base->scp[i].ps, base->scp[i].n);
    for (size_t i = 0; rc == IG_OK && i < base->nrcp; i++)
        rc = ig_env_add_rcp_level(s->env, base->rcp[i].ps, base->rcp[i].n);
    if (rc != IG_OK && diag && !diag->msg[0])
        fail(diag, rc, "cannot use the principal's policies");
    s->has_principal = rc == IG_OK;
    return rc;
}

/* arn:aws:iam::ACCOUNT:root -> ACCOUNT */
static bool owner_account(const char *r, char *out, size_t cap)
{
    if (strncmp(r, "arn:", 4) || strlen(r) < 20)
        return false;
    const char *p = r;
    for (int k = 0; k < 4 && p; k++) p = strchr(p + 1, ':');
    const char *q = p ? strchr(p + 1, ':') : NULL;
    if (!q || q - p - 1 <= 0 || (size_t)(q - p - 1) >= cap)
        return false;
    snprintf(out, cap, "%.*s", (int)(q - p - 1), p + 1);
    return true;
}

int awssim_set_caller(awssim *s, const char *caller_arn, const char *resource_owner,
                      bool has_resource_policy, const awssim_names *names, ig_diag *diag)
{
    snprintf(s->owner_account, sizeof s->owner_account, "123456789012");
    if (resource_owner) {
        if (!owner_account(resource_owner, s->owner_account, sizeof s->owner_account))
            return fail(diag, IG_E_INPUT, "%s must be arn:aws:iam::ACCOUNT:root, got \"%s\"",
                        names->resource_owner, resource_owner);
        s->has_owner = true;
    }
    if (has_resource_policy && !caller_arn && !s->has_principal)
        return fail(diag, IG_E_INPUT, "%s is required with %s", names->caller_arn,
                    names->resource_policy);
    if (!caller_arn && s->has_principal)
        return IG_OK;
    char caller[600];
    if (caller_arn)
        snprintf(caller, sizeof caller, "%s", caller_arn);
    else
        snprintf(caller, sizeof caller, "arn:aws:iam::%s:user/SimulatedCaller", s->owner_account);
    ig_diag d;
    if (ig_env_set_principal_arn(s->env, caller, NULL, &d) != IG_OK) {
        char msg[sizeof d.msg];
        snprintf(msg, sizeof msg, "%s", d.msg);
        return fail(diag, IG_E_INPUT, "%s: %s", names->caller_arn, msg);
    }
    return IG_OK;
}

int awssim_add_policy(awssim *s, ig_policy_type slot, const char *text, size_t len,
                      const char *file, ig_diag *diag)
{
    if (s->nowned >= sizeof s->owned / sizeof s->owned[0] ||
        (slot == IG_POLICY_IDENTITY && s->nidentity_inputs >= AWSSIM_MAX_POLICIES))
        return fail(diag, IG_E_LIMIT, "more than %d policies", AWSSIM_MAX_POLICIES);
    char id[48];
    if (slot == IG_POLICY_IDENTITY)
        snprintf(id, sizeof id, "PolicyInputList.%zu", ++s->nidentity_inputs);
    else if (slot == IG_POLICY_BOUNDARY)
        snprintf(id, sizeof id, "PermissionsBoundaryPolicyInputList.1");
    else if (slot == IG_POLICY_RESOURCE)
        snprintf(id, sizeof id, "ResourcePolicy");
    else
        return fail(diag, IG_E_INPUT, "unsupported policy slot");
    ig_policy *p = ig_policy_compile(text, len, slot, id, file ? file : id, diag);
    if (!p)
        return diag ? diag->code : IG_E_POLICY;
    s->owned[s->nowned++] = p;
    int rc = slot == IG_POLICY_IDENTITY ? ig_env_add_identity(s->env, p)
           : slot == IG_POLICY_BOUNDARY ? ig_env_set_boundary(s->env, p)
           : ig_env_set_resource(s->env, p);
    if (rc != IG_OK)
        return fail(diag, rc, "out of memory");
    return IG_OK;
}

bool awssim_context_type_valid(const char *t, size_t n)
{
    static const char *const types[] = { "string", "stringList", "numeric", "numericList",
        "boolean", "booleanList", "ip", "ipList", "binary", "binaryList", "date", "dateList" };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (strlen(types[i]) == n && !memcmp(types[i], t, n))
            return true;
    return false;
}

int awssim_add_context(awssim *s, const char *key, const char *const *values,
                       size_t nvalues, const char *type, size_t typelen, ig_diag *diag)
{
    if (s->nctx >= AWSSIM_MAX_CONTEXT)
        return fail(diag, IG_E_LIMIT, "too many context entries");
    if (nvalues > AWSSIM_MAX_CONTEXT_VALUES)
        return fail(diag, IG_E_LIMIT, "too many values for context key %s", key);
    if (type && !awssim_context_type_valid(type, typelen))
        return fail(diag, IG_E_INPUT, "unknown ContextKeyType in entry for %s", key);
    if (type && nvalues > 1 && (typelen < 4 || memcmp(type + typelen - 4, "List", 4) != 0))
        return fail(diag, IG_E_INPUT, "ContextKeyType is not a list type but %s has several values",
                    key);
    const char **vals = ig_arena_alloc(&s->arena, (nvalues ? nvalues : 1) * sizeof *vals);
    char *k = ig_arena_strndup(&s->arena, key, strlen(key));
    if (!vals || !k)
        return fail(diag, IG_E_NOMEM, "out of memory");
    for (size_t i = 0; i < nvalues; i++)
        if (!(vals[i] = ig_arena_strndup(&s->arena, values[i], strlen(values[i]))))
            return fail(diag, IG_E_NOMEM, "out of memory");
    ig_context_entry *e = &s->ctx[s->nctx++];
    e->key = k;
    e->values = vals;
    e->nvalues = nvalues;
    return IG_OK;
}

int awssim_check_action(const char *a, const awssim_names *names, ig_diag *diag)
{
    if (strchr(a, '*') || strchr(a, '?') || !strchr(a, ':'))
        return fail(diag, IG_E_INPUT, "%s takes action names without wildcards, got \"%s\"",
                    names->action_names, a);
    return IG_OK;
}

void awssim_request(const awssim *s, const char *action, const char *resource, ig_request *out)
{
    memset(out, 0, sizeof *out);
    out->action = action;
    out->resource = resource;
    out->resource_account = s->has_owner ? s->owner_account : NULL;
    out->context = s->ctx;
    out->ncontext = s->nctx;
}

const char *awssim_source_policy_type(const ig_matched_statement *m)
{
    return m->type == IG_POLICY_RESOURCE ? "resource" : "IAM Policy";
}

/* The account of the resource: the request's, else the ARN's 5th field. */
static void resource_account(const ig_request *rq, char *out, size_t cap)
{
    out[0] = '\0';
    if (rq->resource_account) {
        snprintf(out, cap, "%s", rq->resource_account);
        return;
    }
    const char *p = rq->resource;
    for (int k = 0; k < 4 && p; k++) p = strchr(p + (k > 0), ':');
    if (!p || strncmp(rq->resource, "arn:", 4))
        return;
    const char *q = strchr(p + 1, ':');
    if (q && (size_t)(q - p - 1) < cap)
        snprintf(out, cap, "%.*s", (int)(q - p - 1), p + 1);
}

size_t awssim_decision_details(const awssim *s, const ig_request *rq, const ig_result *r,
                               bool *present, const char *keys[2], const char *values[2])
{
    *present = strcmp(rq->resource, "*") != 0;
    if (!*present)
        return 0;
    char acct[64];
    resource_account(rq, acct, sizeof acct);
    const char *mine = ig_env_principal_account(s->env);
    if (!acct[0] || !mine[0] || !strcmp(acct, mine))
        return 0;
    const char *d = ig_decision_name(r->decision);
    if (r->decision == IG_ALLOWED) {
        keys[0] = "IAM Policy"; values[0] = d;
        keys[1] = "Resource Policy"; values[1] = d;
        return 2;
    }
    bool resource_side = r->blocked_by == IG_LAYER_RESOURCE || r->blocked_by == IG_LAYER_RCP;
    keys[0] = resource_side ? "Resource Policy" : "IAM Policy";
    values[0] = d;
    return 1;
}

/* env.c - building an ig_env: the principal and the policies that govern it. */
#include "util/alloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/request.h"
#include "policy/glob.h"
#include "policy/policy.h"
#include "util/str.h"

ig_env *ig_env_new(void)
{
    ig_env *e = ig_calloc(1, sizeof *e);
    if (e)
        e->kind = IG_PRINCIPAL_ANONYMOUS;
    return e;
}

static void free_levels(ig_level *l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ig_free(l[i].ps);
    ig_free(l);
}

void ig_env_free(ig_env *e)
{
    if (!e)
        return;
    ig_free(e->identity);
    free_levels(e->scp, e->nscp);
    free_levels(e->rcp, e->nrcp);
    ig_free(e);
}

static void add_derived(ig_env *e, const char *key_lc, const char *value)
{
    if (e->nderived >= IG_ENV_MAX_DERIVED || !value[0])
        return;
    unsigned i = e->nderived++;
    ig_ctx_ent *d = &e->derived[i];
    e->derived_value[i] = value;
    d->key = key_lc;
    d->len = (uint32_t)strlen(key_lc);
    d->hash = ig_hash_key(key_lc, d->len);
    d->values = &e->derived_value[i];
    d->lens = NULL;
    d->ips = NULL;
    d->ip_mode = IG_IP_PARSE;
    d->n = 1;
    d->len0 = (uint32_t)strlen(value);
}

static void derive_context(ig_env *e)
{
    e->account_len = (uint32_t)strlen(e->account);
    ig_account_key(e->account, e->account_len, e->account_key);
    e->nderived = 0;
    if (e->kind == IG_PRINCIPAL_ANONYMOUS || e->kind == IG_PRINCIPAL_SERVICE)
        return;
    add_derived(e, "aws:principalarn", e->principal_arn);
    add_derived(e, "aws:principalaccount", e->account);
    add_derived(e, "aws:principaltype", e->principal_type);
    if (e->kind == IG_PRINCIPAL_USER)
        add_derived(e, "aws:username", e->user_name);
}

static int bad_principal(ig_diag *diag, const char *arn, const char *why)
{
    ig_diag_set(diag, IG_E_INPUT, NULL, NULL, 0, 0, "principal \"%s\": %s", arn, why);
    return IG_E_INPUT;
}

static void copy(char *dst, size_t cap, const char *s, size_t n)
{
    if (n >= cap) n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

int ig_env_set_principal_arn(ig_env *e, const char *arn, const char *account,
                             ig_diag *diag)
{
    size_t n = strlen(arn);
    if (n >= sizeof e->arn)
        return bad_principal(diag, arn, "ARN too long");
    ig_arn_split sp;
    ig_arn_split_str(arn, n, &sp);
    if (sp.nseg != 6 || sp.len[0] != 3 || memcmp(arn, "arn", 3) != 0)
        return bad_principal(diag, arn, "not an ARN");
    const char *svc = sp.seg[2], *res = sp.seg[5];
    size_t svcn = sp.len[2], resn = sp.len[5];
    bool iam = svcn == 3 && !memcmp(svc, "iam", 3);
    bool sts = svcn == 3 && !memcmp(svc, "sts", 3);
    memset(e->role_name, 0, sizeof e->role_name);
    memset(e->user_name, 0, sizeof e->user_name);
    copy(e->arn, sizeof e->arn, arn, n);
    copy(e->partition, sizeof e->partition, sp.seg[1], sp.len[1]);
    if (account && account[0])
        copy(e->account, sizeof e->account, account, strlen(account));
    else
        copy(e->account, sizeof e->account, sp.seg[4], sp.len[4]);
    if (!e->account[0])
        return bad_principal(diag, arn, "no account");
    const char *last = res + resn;
    while (last > res && last[-1] != '/') last--;
    size_t lastn = (size_t)(res + resn - last);
    if (iam && resn == 4 && !memcmp(res, "root", 4)) {
        e->kind = IG_PRINCIPAL_ROOT;
        e->principal_type = "Account";
        copy(e->principal_arn, sizeof e->principal_arn, arn, n);
    } else if (iam && resn > 5 && !memcmp(res, "user/", 5) && lastn) {
        e->kind = IG_PRINCIPAL_USER;
        e->principal_type = "User";
        copy(e->user_name, sizeof e->user_name, last, lastn);
        copy(e->principal_arn, sizeof e->principal_arn, arn, n);
    } else if (iam && resn > 5 && !memcmp(res, "role/", 5) && lastn) {
        /* A role itself: treated as a session of that role. */
        e->kind = IG_PRINCIPAL_ROLE_SESSION;
        e->principal_type = "AssumedRole";
        copy(e->role_name, sizeof e->role_name, last, lastn);
        copy(e->principal_arn, sizeof e->principal_arn, arn, n);
    } else if (sts && resn > 13 && !memcmp(res, "assumed-role/", 13)) {
        const char *r = res + 13;
        const char *slash = memchr(r, '/', (size_t)(res + resn - r));
        if (!slash || slash == r || slash + 1 == res + resn)
            return bad_principal(diag, arn, "expected assumed-role/ROLE/SESSION");
        e->kind = IG_PRINCIPAL_ROLE_SESSION;
        e->principal_type = "AssumedRole";
        copy(e->role_name, sizeof e->role_name, r, (size_t)(slash - r));
        snprintf(e->principal_arn, sizeof e->principal_arn, "arn:%s:iam::%s:role/%s",
                 e->partition, e->account, e->role_name);
    } else if (sts && resn > 15 && !memcmp(res, "federated-user/", 15)) {
        e->kind = IG_PRINCIPAL_FEDERATED_USER;
        e->principal_type = "FederatedUser";
        copy(e->principal_arn, sizeof e->principal_arn, arn, n);
    } else {
        return bad_principal(diag, arn,
            "expected an IAM user, role, root, assumed-role or federated-user ARN");
    }
    e->has_principal = true;
    derive_context(e);
    return IG_OK;
}

int ig_env_set_anonymous(ig_env *e)
{
    e->kind = IG_PRINCIPAL_ANONYMOUS;
    e->has_principal = true;
    e->arn[0] = e->account[0] = e->principal_arn[0] = '\0';
    derive_context(e);
    return IG_OK;
}

int ig_env_set_service_principal(ig_env *e, const char *service)
{
    if (!service || !service[0] || strlen(service) >= sizeof e->service)
        return IG_E_INPUT;
    e->kind = IG_PRINCIPAL_SERVICE;
    e->has_principal = true;
    copy(e->service, sizeof e->service, service, strlen(service));
    e->arn[0] = e->account[0] = e->principal_arn[0] = '\0';
    derive_context(e);
    return IG_OK;
}

ig_principal_kind ig_env_principal_kind(const ig_env *e) { return e->kind; }
const char *ig_env_principal_arn(const ig_env *e) { return e->arn; }
const char *ig_env_principal_account(const ig_env *e) { return e->account; }

static bool type_is(const ig_policy *p, ig_policy_type t)
{
    return p && ig_policy_get_type(p) == t;
}

int ig_env_add_identity(ig_env *e, const ig_policy *p)
{
    if (!type_is(p, IG_POLICY_IDENTITY))
        return IG_E_INPUT;
    if (e->nidentity == e->identity_cap) {
        size_t cap = e->identity_cap ? e->identity_cap * 2 : 4;
        const ig_policy **n = ig_realloc(e->identity, cap * sizeof *n);
        if (!n)
            return IG_E_NOMEM;
        e->identity = n;
        e->identity_cap = cap;
    }
    e->identity[e->nidentity++] = p;
    return IG_OK;
}

int ig_env_set_boundary(ig_env *e, const ig_policy *p)
{
    if (p && !type_is(p, IG_POLICY_BOUNDARY))
        return IG_E_INPUT;
    e->boundary = p;
    return IG_OK;
}

int ig_env_set_session(ig_env *e, const ig_policy *p)
{
    if (p && !type_is(p, IG_POLICY_SESSION))
        return IG_E_INPUT;
    e->session = p;
    return IG_OK;
}

int ig_env_set_resource(ig_env *e, const ig_policy *p)
{
    if (p && !type_is(p, IG_POLICY_RESOURCE))
        return IG_E_INPUT;
    e->resource = p;
    return IG_OK;
}

static int add_level(ig_level **levels, size_t *n, const ig_policy *const *ps,
                     size_t np, ig_policy_type t)
{
    for (size_t i = 0; i < np; i++)
        if (!type_is(ps[i], t))
            return IG_E_INPUT;
    ig_level *nl = ig_realloc(*levels, (*n + 1) * sizeof *nl);
    if (!nl)
        return IG_E_NOMEM;
    *levels = nl;
    ig_level *l = &nl[*n];
    l->n = np;
    l->ps = ig_malloc((np ? np : 1) * sizeof *l->ps);
    if (!l->ps)
        return IG_E_NOMEM;
    memcpy(l->ps, ps, np * sizeof *l->ps);
    (*n)++;
    return IG_OK;
}

int ig_env_add_scp_level(ig_env *e, const ig_policy *const *ps, size_t n)
{
    return add_level(&e->scp, &e->nscp, ps, n, IG_POLICY_SCP);
}

int ig_env_add_rcp_level(ig_env *e, const ig_policy *const *ps, size_t n)
{
    return add_level(&e->rcp, &e->nrcp, ps, n, IG_POLICY_RCP);
}

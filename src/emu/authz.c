/* authz.c - every IAM and STS call is decided by iamguard's evaluator with
 * the caller's policies (identity, boundary, session), the request context
 * AWS supplies for that call, and its global keys; a denial is AccessDenied
 * in AWS's words, naming the policy type that decided it. */
#include <stdio.h>
#include <string.h>

#include "emu/emu_int.h"

struct emu_authz {
    emu_principal p;
    int state;                  /* 0 ok, -2 cannot be evaluated */
};

void emu_ctx_add_list(emu_call *c, emu_ctx *x, const char *key, const char *const *v, size_t n)
{
    if (x->n >= EMU_MAX_CONTEXT) {
        /* the context is built by the operations, never from raw input
         * beyond its bounded tag lists: running out is a bug, fail closed */
        emu_error(c, 500, "ServiceFailure", "too many context keys");
        return;
    }
    const char **vals = ig_arena_alloc(&c->arena, (n ? n : 1) * sizeof *vals);
    if (!vals) {
        emu_db_error(c);
        return;
    }
    for (size_t i = 0; i < n; i++)
        vals[i] = v[i];
    x->e[x->n].key = key;
    x->e[x->n].values = vals;
    x->e[x->n].nvalues = n;
    x->n++;
}

void emu_ctx_add(emu_call *c, emu_ctx *x, const char *key, const char *value)
{
    emu_ctx_add_list(c, x, key, &value, 1);
}

void emu_ctx_request_tags(emu_call *c, emu_ctx *x, const emu_tag *tags, size_t n)
{
    if (!n)
        return;
    const char **keys = ig_arena_alloc(&c->arena, n * sizeof *keys);
    if (!keys) {
        emu_db_error(c);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        keys[i] = tags[i].key;
        emu_ctx_add(c, x, emu_printf(c, "aws:RequestTag/%s", tags[i].key), tags[i].value);
    }
    emu_ctx_add_list(c, x, "aws:TagKeys", keys, n);
}

bool emu_ctx_resource_tags(emu_call *c, emu_ctx *x, const char *kind, const char *owner)
{
    sqlite3_stmt *st = emu_sql(c, "SELECT k, v FROM tags WHERE kind = ? AND owner = ? ORDER BY seq", "ss", kind, owner);
    if (!st)
        return false;
    while (emu_step(c, st) == SQLITE_ROW) {
        const char *k = emu_col(c, st, 0), *v = emu_col(c, st, 1);
        if (k && v)
            emu_ctx_add(c, x, emu_printf(c, "aws:ResourceTag/%s", k), v);
    }
    sqlite3_finalize(st);
    return !c->failed;
}

/* The caller's environment, built once per call. */
static emu_authz *caller_authz(emu_call *c)
{
    if (c->authz)
        return c->authz;
    emu_authz *a = ig_arena_alloc(&c->arena, sizeof *a);
    if (!a) {
        emu_db_error(c);
        return NULL;
    }
    const emu_caller *who = &c->caller;
    const char *kind = who->kind == CALLER_USER ? "user" : who->kind == CALLER_ROLE_SESSION ? "role" : NULL;
    int rc = emu_principal_load(c, kind, who->name, who->arn, &a->p);
    if (rc == 0 && who->session_policy)
        rc = emu_principal_add_session(c, &a->p, who->session_policy);
    if (rc == -1) {
        emu_principal_free(&a->p);
        return NULL;
    }
    a->state = rc;
    c->authz = a;
    return a;
}

void emu_authz_free(emu_authz *a)
{
    if (a)
        emu_principal_free(&a->p);
}

/* The keys AWS adds to every authenticated request. */
static void global_context(emu_call *c, emu_ctx *x, const emu_principal *p)
{
    char iso[32];
    emu_iso_time(c->now, iso);
    emu_ctx_add(c, x, "aws:CurrentTime", emu_strdup(c, iso));
    emu_ctx_add(c, x, "aws:EpochTime", emu_printf(c, "%lld", (long long)c->now));
    emu_ctx_add(c, x, "aws:SecureTransport", "false");
    emu_ctx_add(c, x, "aws:ViaAWSService", "false");
    emu_ctx_add(c, x, "aws:PrincipalIsAWSService", "false");
    emu_ctx_add(c, x, "aws:userid", c->caller.unique_id);
    if (c->caller.region[0])
        emu_ctx_add(c, x, "aws:RequestedRegion", c->caller.region);
    if (c->http && strcmp(c->http->remote_ip, "-"))
        emu_ctx_add(c, x, "aws:SourceIp", emu_strdup(c, c->http->remote_ip));
    if (c->caller.kind == CALLER_ROLE_SESSION) {
        emu_iso_time((time_t)c->caller.issued, iso);
        emu_ctx_add(c, x, "aws:TokenIssueTime", emu_strdup(c, iso));
    }
    for (size_t i = 0; i < p->ntags; i++)
        if (p->tags[i].key && p->tags[i].value)
            emu_ctx_add(c, x, emu_printf(c, "aws:PrincipalTag/%s", p->tags[i].key), p->tags[i].value);
}

static const char *reason(const ig_result *r, const char *action, char *buf, size_t cap)
{
    bool explicit = r->decision == IG_EXPLICIT_DENY;
    const char *what;
    switch (r->blocked_by) {
    case IG_LAYER_BOUNDARY: what = explicit ? "a permissions boundary" : "permissions boundary"; break;
    case IG_LAYER_SESSION: what = explicit ? "a session policy" : "session policy"; break;
    case IG_LAYER_RESOURCE: what = explicit ? "a resource-based policy" : "resource-based policy"; break;
    case IG_LAYER_SCP: what = explicit ? "a service control policy" : "service control policy"; break;
    case IG_LAYER_RCP: what = explicit ? "a resource control policy" : "resource control policy"; break;
    default: what = explicit ? "an identity-based policy" : "identity-based policy"; break;
    }
    if (explicit)
        snprintf(buf, cap, "with an explicit deny in %s", what);
    else
        snprintf(buf, cap, "because no %s allows the %s action", what, action);
    return buf;
}

bool emu_authorize(emu_call *c, const char *action, const char *resource, const emu_ctx *extra,
                   const ig_policy *resource_policy)
{
    if (c->failed)
        return false;
    emu_authz *a = caller_authz(c);
    if (!a)
        return false;
    if (a->state != 0)
        return emu_error(c, 403, "AccessDenied", "User: %s is not authorized to perform: %s on resource: %s because %s",
                         c->caller.arn, action, resource, a->p.error);
    emu_ctx x;
    memset(&x, 0, sizeof x);
    for (size_t i = 0; extra && i < extra->n && x.n < EMU_MAX_CONTEXT; i++)
        x.e[x.n++] = extra->e[i];
    global_context(c, &x, &a->p);
    if (c->failed)
        return false;
    for (size_t i = 0; i < x.n; i++)
        if (!x.e[i].key)                /* a key lost to memory: refuse */
            return emu_error(c, 500, "ServiceFailure", "out of memory");
    ig_request rq = { .action = action, .resource = resource, .context = x.e, .ncontext = x.n,
                      .resource_policy = resource_policy };
    ig_result res;
    int rc = ig_evaluate(a->p.env, &rq, 0, &res);
    c->r->decisions[res.decision]++;
    if (rc == IG_OK && res.decision == IG_ALLOWED && !res.error)
        return true;
    if (rc != IG_OK || res.error)
        return emu_error(c, 403, "AccessDenied",
                         "User: %s is not authorized to perform: %s on resource: %s because the request could not be evaluated (%s)",
                         c->caller.arn, action, resource, res.error_msg);
    char why[200];
    return emu_error(c, 403, "AccessDenied", "User: %s is not authorized to perform: %s on resource: %s %s",
                     c->caller.arn, action, resource, reason(&res, action, why, sizeof why));
}

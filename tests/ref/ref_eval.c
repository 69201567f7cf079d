/* ref_eval.c - reference evaluation (semantics.md §5-§8): statements,
 * principals, derived context keys and the evaluation order over identity,
 * boundary, session, resource, SCP and RCP layers.
 *
 * Every request re-reads each policy's JSON tree; nothing is cached.  Where
 * the contract is silent, the choice made is written next to the code. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ref/ref_int.h"

bool ref_policy_load(ref_policy *p, const char *json, size_t len, ig_policy_type type)
{
    memset(p, 0, sizeof *p);
    p->doc = json_parse(json, len, NULL, NULL);
    if (!p->doc)
        return false;
    p->root = json_root(p->doc);
    p->type = type;
    const json_value *v = json_get(p->root, "Version");
    p->v2012 = v && v->kind == JSON_STRING && !strcmp(v->u.str, "2012-10-17");
    return true;
}

void ref_policy_free(ref_policy *p)
{
    json_doc_free(p->doc);
    memset(p, 0, sizeof *p);
}

/* ---- small helpers ---- */

static uint32_t count_of(const json_value *v)
{
    return v->kind == JSON_ARRAY ? v->len : 1;
}

static const json_value *item_at(const json_value *v, uint32_t i)
{
    return v->kind == JSON_ARRAY ? &v->u.items[i] : v;
}

/* Segment `idx` (0-based, of the first six) of a colon-separated string. */
static void segment(const char *s, int idx, char *out, size_t cap)
{
    for (int i = 0; i < idx && s; i++) {
        s = strchr(s, ':');
        if (s)
            s++;
    }
    size_t n = 0;
    if (s)
        while (s[n] && (idx == 5 || s[n] != ':'))
            n++;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, s ? s : "", n);
    out[n] = '\0';
}

static const char *after_last_slash(const char *s)
{
    const char *p = strrchr(s, '/');
    return p ? p + 1 : s;
}

/* ---- the evaluation state for one request ---- */

typedef struct {
    const ref_env *env;
    const ig_request *req;
    ref_ctx ctx;
    char pacct[64];             /* principal account; "" for anonymous/service */
    char role_arn[512];         /* derived aws:PrincipalArn */
    char username[512];
    const char *derived_vals[4];
} state;

static bool has_identity_side(const ref_env *env)
{
    return env->kind != IG_PRINCIPAL_ANONYMOUS && env->kind != IG_PRINCIPAL_SERVICE;
}

static void add_ctx(state *s, const char *key, const char *const *vals, size_t n)
{
    if (s->ctx.n < REF_MAX_CTX) {
        s->ctx.e[s->ctx.n].key = key;
        s->ctx.e[s->ctx.n].values = vals;
        s->ctx.e[s->ctx.n].n = n;
        s->ctx.n++;
    }
}

static bool supplied(const ig_request *req, const char *key)
{
    for (size_t i = 0; i < req->ncontext; i++)
        if (!strcasecmp(req->context[i].key, key))
            return true;
    return false;
}

static void derive(state *s, int slot, const char *key, const char *value)
{
    if (supplied(s->req, key))
        return;     /* supplied values always win */
    s->derived_vals[slot] = value;
    add_ctx(s, key, &s->derived_vals[slot], 1);
}

static void build_context(state *s)
{
    const ref_env *env = s->env;
    for (size_t i = 0; i < s->req->ncontext; i++)
        add_ctx(s, s->req->context[i].key, s->req->context[i].values,
                s->req->context[i].nvalues);
    if (!has_identity_side(env))
        return;
    const char *type = "User", *parn = env->arn;
    char rpart[512];
    segment(env->arn, 5, rpart, sizeof rpart);
    switch (env->kind) {
    case IG_PRINCIPAL_ROLE_SESSION: {
        /* assumed-role/R/S -> arn:aws:iam::A:role/R */
        char role[256];
        const char *r = strchr(rpart, '/');
        size_t n = 0;
        if (r)
            while (r[1 + n] && r[1 + n] != '/' && n + 1 < sizeof role)
                n++;
        memcpy(role, r ? r + 1 : "", n);
        role[n] = '\0';
        char part[64];
        segment(env->arn, 1, part, sizeof part);
        snprintf(s->role_arn, sizeof s->role_arn, "arn:%s:iam::%s:role/%s", part, s->pacct, role);
        parn = s->role_arn;
        type = "AssumedRole";
        break;
    }
    case IG_PRINCIPAL_FEDERATED_USER: type = "FederatedUser"; break;
    case IG_PRINCIPAL_ROOT: type = "Account"; break;
    default: break;
    }
    derive(s, 0, "aws:PrincipalArn", parn);
    derive(s, 1, "aws:PrincipalAccount", s->pacct);
    derive(s, 2, "aws:PrincipalType", type);
    if (env->kind == IG_PRINCIPAL_USER) {
        snprintf(s->username, sizeof s->username, "%s", after_last_slash(rpart));
        derive(s, 3, "aws:username", s->username);
    }
}

/* ---- statements ---- */

static bool action_entry_matches(const char *entry, const char *action)
{
    if (!strcmp(entry, "*"))
        return true;
    const char *ec = strchr(entry, ':'), *ac = strchr(action, ':');
    if (!ec || !ac || ec - entry != ac - action || strncasecmp(entry, action, (size_t)(ec - entry)))
        return false;
    static ref_pat pat;
    ref_expand(ec + 1, false, NULL, &pat);
    return ref_glob(&pat, 0, pat.n, ac + 1, strlen(ac + 1), true);
}

static bool action_matches(const json_value *st, const char *action)
{
    const json_value *a = json_get(st, "Action");
    bool negate = false;
    if (!a) {
        a = json_get(st, "NotAction");
        negate = true;
    }
    if (!a)
        return false;
    bool any = false;
    for (uint32_t i = 0; i < count_of(a) && !any; i++)
        any = action_entry_matches(item_at(a, i)->u.str, action);
    return any != negate;
}

/* Resource/NotResource (§2, §4, §9).  An unresolved variable makes a
 * Resource entry match nothing but a NotResource entry an evaluation error;
 * a pattern over 8 KiB after substitution is an error in both. */
static ref_tri resource_matches(const state *s, const ref_policy *p, const json_value *st)
{
    const json_value *r = json_get(st, "Resource");
    bool negate = false;
    if (!r) {
        r = json_get(st, "NotResource");
        negate = true;
    }
    if (!r)
        return REF_TRUE;    /* resource policies may omit it: every resource */
    static ref_pat pat;
    bool any = false, err = false;
    for (uint32_t i = 0; i < count_of(r) && !any; i++) {
        ref_expand(item_at(r, i)->u.str, p->v2012, &s->ctx, &pat);
        bool star_quirk = (s->env->quirks & REF_QUIRK_STAR_RESOURCE_SKIPS_UNRESOLVED) &&
                          !strcmp(s->req->resource, "*");
        if (pat.too_long || (negate && pat.unresolved && !star_quirk))
            err = true;
        else
            any = ref_resource_match(&pat, s->req->resource,
                                     s->env->quirks & REF_QUIRK_NON_ARN_PATTERN_AS_GLOB);
    }
    if (any)
        return negate ? REF_FALSE : REF_TRUE;
    if (err)
        return REF_ERR;
    return negate ? REF_TRUE : REF_FALSE;
}

/* How strongly a resource-policy principal entry names the caller (§6.4). */
typedef enum { CAT_NONE = 0, CAT_ACCOUNT, CAT_ROLE, CAT_FULL } pcat;

static pcat aws_entry(const state *s, const char *v)
{
    const ref_env *env = s->env;
    if (!strcmp(v, "*"))
        return CAT_FULL;
    if (!has_identity_side(env))
        return CAT_NONE;
    char root[128];
    snprintf(root, sizeof root, "arn:aws:iam::%s:root", s->pacct);
    if (!strcmp(v, s->pacct) || !strcmp(v, root))
        return CAT_ACCOUNT;
    if (env->kind != IG_PRINCIPAL_ROOT && !strcmp(v, env->arn))
        return CAT_FULL;
    if (env->kind == IG_PRINCIPAL_ROLE_SESSION) {
        char prefix[128], name[256];
        snprintf(prefix, sizeof prefix, "arn:aws:iam::%s:role/", s->pacct);
        /* the role name is the path component after assumed-role/ */
        const char *r = strstr(env->arn, ":assumed-role/");
        size_t n = 0;
        if (r) {
            r += strlen(":assumed-role/");
            while (r[n] && r[n] != '/' && n + 1 < sizeof name)
                n++;
        }
        memcpy(name, r ? r : "", n);
        name[n] = '\0';
        if (!strncmp(v, prefix, strlen(prefix)) && !strcmp(after_last_slash(v), name))
            return CAT_ROLE;
    }
    return CAT_NONE;
}

static pcat principal_entries(const state *s, const json_value *pr)
{
    if (pr->kind == JSON_STRING)
        return !strcmp(pr->u.str, "*") ? CAT_FULL : CAT_NONE;
    pcat best = CAT_NONE;
    for (uint32_t i = 0; i < pr->len; i++) {
        const json_member *m = &pr->u.members[i];
        for (uint32_t j = 0; j < count_of(&m->value); j++) {
            const char *v = item_at(&m->value, j)->u.str;
            pcat c = CAT_NONE;
            if (!strcmp(m->key, "AWS"))
                c = aws_entry(s, v);
            else if (!strcmp(m->key, "Service"))
                c = s->env->kind == IG_PRINCIPAL_SERVICE && !strcmp(v, s->env->service) ? CAT_FULL
                                                                                      : CAT_NONE;
            if (c > best)
                best = c;
        }
    }
    return best;
}

/* NotPrincipal (§7): AWS evaluates every identity of the caller (a user and
 * its account; a role session, its role and its account; the root as the
 * account); the statement exempts the caller only when all are listed. */
static bool not_principal_exempts(const state *s, const json_value *pr)
{
    if (pr->kind == JSON_STRING)
        return !strcmp(pr->u.str, "*");
    bool self = false, role = false, account = false;
    for (uint32_t i = 0; i < pr->len; i++) {
        const json_member *m = &pr->u.members[i];
        for (uint32_t j = 0; j < count_of(&m->value); j++) {
            const char *v = item_at(&m->value, j)->u.str;
            if (!strcmp(m->key, "Service")) {
                self |= s->env->kind == IG_PRINCIPAL_SERVICE && !strcmp(v, s->env->service);
                continue;
            }
            if (strcmp(m->key, "AWS"))
                continue;
            if (!strcmp(v, "*"))
                return true;
            pcat c = aws_entry(s, v);
            self |= c == CAT_FULL;
            role |= c == CAT_ROLE;
            account |= c == CAT_ACCOUNT;
        }
    }
    switch (s->env->kind) {
    case IG_PRINCIPAL_ROLE_SESSION: return self && role && account;
    case IG_PRINCIPAL_ROOT: return account;
    case IG_PRINCIPAL_ANONYMOUS: return false;
    case IG_PRINCIPAL_SERVICE: return self;
    default: return self && account;
    }
}

/* Does a NotPrincipal list name any identity of the caller at all (its
 * user or session, its role, its account, or everyone)? */
static bool not_principal_names_any(const state *s, const json_value *pr)
{
    if (pr->kind == JSON_STRING)
        return !strcmp(pr->u.str, "*");
    for (uint32_t i = 0; i < pr->len; i++) {
        const json_member *m = &pr->u.members[i];
        for (uint32_t j = 0; j < count_of(&m->value); j++) {
            const char *v = item_at(&m->value, j)->u.str;
            if (!strcmp(m->key, "AWS") && aws_entry(s, v) != CAT_NONE)
                return true;
            if (!strcmp(m->key, "Service") && s->env->kind == IG_PRINCIPAL_SERVICE &&
                !strcmp(v, s->env->service))
                return true;
        }
    }
    return false;
}

/* CAT_FULL for policies without principals (identity-side ones). */
static pcat principal_matches(const state *s, const ref_policy *p, const json_value *st, bool deny)
{
    if (p->type != IG_POLICY_RESOURCE && p->type != IG_POLICY_RCP)
        return CAT_FULL;
    const json_value *pr = json_get(st, "Principal");
    if (pr)
        return principal_entries(s, pr);
    pr = json_get(st, "NotPrincipal");
    if (!pr)
        return CAT_NONE;
    /* Choice: a NotPrincipal statement names everyone it applies to, like "*". */
    if (!deny)      /* §7: an Allow leaves out whoever it names in any way */
        return not_principal_names_any(s, pr) ? CAT_NONE : CAT_FULL;
    /* §7: a Deny applies to every caller with a permissions boundary */
    if (has_identity_side(s->env) && s->env->boundary)
        return CAT_FULL;
    return not_principal_exempts(s, pr) ? CAT_NONE : CAT_FULL;
}

/* Conditions AND together.  An unparseable request value fails closed:
 * the condition holds in a Deny and fails in an Allow (§3). */
static bool conditions_hold(const state *s, const ref_policy *p, const json_value *st, bool deny)
{
    const json_value *c = json_get(st, "Condition");
    if (!c)
        return true;
    for (uint32_t i = 0; i < c->len; i++) {
        const json_member *op = &c->u.members[i];
        for (uint32_t j = 0; j < op->value.len; j++) {
            const json_member *k = &op->value.u.members[j];
            ref_tri r = ref_condition(op->key, k->key, &k->value, p->v2012, &s->ctx);
            if (r == REF_ERR ? !deny : r == REF_FALSE)
                return false;
        }
    }
    return true;
}

/* Returns the principal category when the statement applies, else NONE. */
static pcat statement_applies(const state *s, const ref_policy *p, const json_value *st, bool *deny)
{
    const json_value *e = json_get(st, "Effect");
    *deny = e && !strcmp(e->u.str, "Deny");
    if (!action_matches(st, s->req->action))
        return CAT_NONE;
    ref_tri res = resource_matches(s, p, st);
    if (res == REF_FALSE || (res == REF_ERR && !*deny))   /* errors fail closed */
        return CAT_NONE;
    pcat c = principal_matches(s, p, st, *deny);
    if (c == CAT_NONE || !conditions_hold(s, p, st, *deny))
        return CAT_NONE;
    return c;
}

/* ---- layers ---- */

typedef struct {
    bool any_allow, any_deny;
    pcat best_allow;
} scan;

static void add_match(ref_result *out, const ref_policy *p, uint32_t i)
{
    if (out->nmatched < REF_MAX_MATCHED) {
        out->matched[out->nmatched].policy = p;
        out->matched[out->nmatched].index = i;
        out->nmatched++;
    }
}

/* Scan one policy; append applicable statements of effect `want_deny`. */
static scan scan_policy(const state *s, const ref_policy *p, bool want_deny, ref_result *out)
{
    scan r = {false, false, CAT_NONE};
    if (!p)
        return r;
    const json_value *sts = json_get(p->root, "Statement");
    if (!sts)
        return r;
    for (uint32_t i = 0; i < count_of(sts); i++) {
        bool deny;
        pcat c = statement_applies(s, p, item_at(sts, i), &deny);
        if (c == CAT_NONE)
            continue;
        if (deny)
            r.any_deny = true;
        else {
            r.any_allow = true;
            if (c > r.best_allow)
                r.best_allow = c;
        }
        if (out && deny == want_deny)
            add_match(out, p, i);
    }
    return r;
}

static bool level_allows(const state *s, const ref_level *lv)
{
    for (size_t i = 0; i < lv->n; i++)
        if (scan_policy(s, lv->ps[i], false, NULL).any_allow)
            return true;
    return false;
}

/* The service is the text before the first ':' (all of a malformed action
 * without one). */
static bool service_is(const char *action, const char *svc)
{
    size_t n = strlen(svc);
    return !strncasecmp(action, svc, n) && (action[n] == ':' || action[n] == '\0');
}

static bool rcp_covers(const char *action)
{
    static const char *const SVCS[] = {"s3", "s3express", "sts", "kms", "sqs", "secretsmanager",
                                       "cognito-identity", "dynamodb", "ecr", "aoss", "logs"};
    for (size_t i = 0; i < sizeof SVCS / sizeof SVCS[0]; i++)
        if (service_is(action, SVCS[i]))
            return true;
    return false;
}

/* Is the resource an ARN of service `svc` whose resource part begins with
 * `kind`?  (ARNs are case-sensitive.) */
static bool arn_names(const char *res, const char *svc, const char *kind)
{
    if (!ref_is_arn(res))
        return false;
    char got_svc[32], part[32];
    segment(res, 2, got_svc, sizeof got_svc);
    segment(res, 5, part, sizeof part);
    return !strcmp(got_svc, svc) && !strncmp(part, kind, strlen(kind));
}

static bool action_is(const char *action, const char *name)
{
    return !strcasecmp(action, name);
}

/* Key policies and trust policies must allow by themselves (§6.4): every
 * KMS action on a key ARN (not on an alias or "*"); sts:AssumeRole*; and
 * the session options TagSession, SetSourceIdentity and SetContext when
 * they name a role. */
static bool needs_resource_policy(const ig_request *req)
{
    const char *a = req->action;
    if (service_is(a, "kms"))
        return arn_names(req->resource, "kms", "key/");
    if (!service_is(a, "sts") || !a[3])
        return false;
    if (!strncasecmp(a + 4, "AssumeRole", 10))
        return true;
    return (action_is(a, "sts:TagSession") || action_is(a, "sts:SetSourceIdentity") ||
            action_is(a, "sts:SetContext")) && arn_names(req->resource, "iam", "role/");
}

typedef struct {
    bool identity, boundary, session, scp, rcp;   /* which layers take part */
} active_layers;

/* Collect every applicable statement of one effect over the active layers,
 * in the blocking order of §6.1; returns the first layer that had one. */
static ig_layer collect(const state *s, const active_layers *a, const ref_policy *rp,
                        bool deny, ref_result *out)
{
    const ref_env *env = s->env;
    ig_layer first = IG_LAYER_NONE;
#define NOTE(layer, cond) do { if ((cond) && first == IG_LAYER_NONE) first = (layer); } while (0)
    if (a->scp)
        for (size_t l = 0; l < env->nscp; l++)
            for (size_t i = 0; i < env->scp[l].n; i++) {
                scan r = scan_policy(s, env->scp[l].ps[i], deny, out);
                NOTE(IG_LAYER_SCP, deny ? r.any_deny : r.any_allow);
            }
    if (a->rcp)
        for (size_t l = 0; l < env->nrcp; l++)
            for (size_t i = 0; i < env->rcp[l].n; i++) {
                scan r = scan_policy(s, env->rcp[l].ps[i], deny, out);
                NOTE(IG_LAYER_RCP, deny ? r.any_deny : r.any_allow);
            }
    scan r = scan_policy(s, rp, deny, out);
    NOTE(IG_LAYER_RESOURCE, deny ? r.any_deny : r.any_allow);
    if (a->identity)
        for (size_t i = 0; i < env->nidentity; i++) {
            r = scan_policy(s, env->identity[i], deny, out);
            NOTE(IG_LAYER_IDENTITY, deny ? r.any_deny : r.any_allow);
        }
    if (a->boundary) {
        r = scan_policy(s, env->boundary, deny, out);
        NOTE(IG_LAYER_BOUNDARY, deny ? r.any_deny : r.any_allow);
    }
    if (a->session) {
        r = scan_policy(s, env->session, deny, out);
        NOTE(IG_LAYER_SESSION, deny ? r.any_deny : r.any_allow);
    }
#undef NOTE
    return first;
}

static bool identity_allows(const state *s)
{
    if (s->env->kind == IG_PRINCIPAL_ROOT)
        return true;    /* the account root needs no policy */
    for (size_t i = 0; i < s->env->nidentity; i++)
        if (scan_policy(s, s->env->identity[i], false, NULL).any_allow)
            return true;
    return false;
}

static bool optional_allows(const state *s, const ref_policy *p)
{
    return !p || scan_policy(s, p, false, NULL).any_allow;
}

/* Steps 5-7: identity, boundary, session.  Returns the blocking layer. */
static ig_layer principal_side(const state *s)
{
    const ref_env *env = s->env;
    if (!identity_allows(s))
        return IG_LAYER_IDENTITY;
    if (!optional_allows(s, env->boundary))
        return IG_LAYER_BOUNDARY;
    if (env->session ? !optional_allows(s, env->session)
                     : env->kind == IG_PRINCIPAL_FEDERATED_USER)
        return IG_LAYER_SESSION;
    return IG_LAYER_NONE;
}

static ig_layer decide(const state *s, const active_layers *a, const ref_policy *rp)
{
    const ref_env *env = s->env;
    if (a->rcp)
        for (size_t l = 0; l < env->nrcp; l++)
            if (!level_allows(s, &env->rcp[l]))
                return IG_LAYER_RCP;
    if (a->scp)
        for (size_t l = 0; l < env->nscp; l++)
            if (!level_allows(s, &env->scp[l]))
                return IG_LAYER_SCP;
    pcat cat = scan_policy(s, rp, false, NULL).best_allow;
    if (!has_identity_side(env))    /* only a resource policy can allow them */
        return cat == CAT_FULL ? IG_LAYER_NONE : IG_LAYER_RESOURCE;

    /* R: the request's resourceAccount, else the account field of a real
     * ARN (one of 64 bytes or more is no account: cross-account), else P. */
    char racct[512];
    bool cross;
    if (s->req->resource_account) {
        cross = strcmp(s->req->resource_account, s->pacct) != 0;
    } else if (ref_is_arn(s->req->resource)) {
        segment(s->req->resource, 4, racct, sizeof racct);
        cross = strlen(racct) >= 64 || (racct[0] && strcmp(racct, s->pacct));
    } else {
        cross = false;
    }

    if (cross) {    /* both sides must allow; the caller's own account is checked first */
        ig_layer l = principal_side(s);
        if (l != IG_LAYER_NONE)
            return l;
        return cat == CAT_NONE ? IG_LAYER_RESOURCE : IG_LAYER_NONE;
    }
    if (cat == CAT_NONE && needs_resource_policy(s->req))
        return IG_LAYER_RESOURCE;
    if (cat == CAT_FULL)
        return IG_LAYER_NONE;
    if (cat == CAT_ROLE) {
        /* capped by the boundary and the session policy, nothing else */
        if (!optional_allows(s, env->boundary))
            return IG_LAYER_BOUNDARY;
        if (!optional_allows(s, env->session))
            return IG_LAYER_SESSION;
        return IG_LAYER_NONE;
    }
    return principal_side(s);
}

void ref_evaluate(const ref_env *env, const ig_request *req, const ref_policy *rp_override,
                  ref_result *out)
{
    static state s;
    memset(&s, 0, sizeof s);
    s.env = env;
    s.req = req;
    if (has_identity_side(env)) {
        if (env->account)
            snprintf(s.pacct, sizeof s.pacct, "%s", env->account);
        else
            segment(env->arn, 4, s.pacct, sizeof s.pacct);
    }
    build_context(&s);
    const ref_policy *rp = rp_override ? rp_override : env->resource;

    bool ids = has_identity_side(env);
    /* Choice: RCPs take no part at all (not even their denies) for services
     * they do not cover; SCPs do not govern anonymous or service callers. */
    active_layers a = {ids, ids && env->boundary, ids && env->session, ids && env->nscp > 0,
                       env->nrcp > 0 && rcp_covers(req->action)};

    out->nmatched = 0;
    /* §6.0: AWS authorizes neither sts:GetCallerIdentity nor
     * sts:GetSessionToken of a signed caller; nothing matches or blocks. */
    if (ids && (action_is(req->action, "sts:GetCallerIdentity") ||
                action_is(req->action, "sts:GetSessionToken"))) {
        out->decision = IG_ALLOWED;
        out->blocked_by = IG_LAYER_NONE;
        return;
    }
    ig_layer deny = collect(&s, &a, rp, true, out);
    if (deny != IG_LAYER_NONE) {
        out->decision = IG_EXPLICIT_DENY;
        out->blocked_by = deny;
        return;
    }
    out->nmatched = 0;
    ig_layer block = decide(&s, &a, rp);
    if (block != IG_LAYER_NONE) {
        out->decision = IG_IMPLICIT_DENY;
        out->blocked_by = block;
        return;
    }
    out->decision = IG_ALLOWED;
    out->blocked_by = IG_LAYER_NONE;
    collect(&s, &a, rp, false, out);
}

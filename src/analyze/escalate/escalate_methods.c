/* escalate_methods.c - the ways one node gains another principal's
 * permissions or more permissions (iam-semantics.md §9 and more), each
 * checked request by request with ig_evaluate against the acting node's
 * real policies, resources, conditions and boundary:
 *
 *   become   sts:AssumeRole (trust policy); iam:UpdateAssumeRolePolicy then
 *            sts:AssumeRole; the techniques through a service, rows of
 *            the table in escalate_techniques.c (iam:PassRole to
 *            something the caller makes, or changing something that
 *            already runs as the role); iam:CreateAccessKey /
 *            CreateLoginProfile / UpdateLoginProfile
 *   modify   Put/Attach{User,Role,Group}Policy; CreatePolicyVersion and
 *            SetDefaultPolicyVersion on an attached managed policy;
 *            Delete/Put{User,Role}PermissionsBoundary; CreatePolicyVersion
 *            on a boundary policy; AddUserToGroup
 *   create   iam:CreateRole / iam:CreateUser with the boundary the policy
 *            demands, then Put/Attach*Policy: a new principal whose own
 *            policy the attacker writes, capped by that boundary. */
#include <stdio.h>
#include <string.h>

#include "analyze/cond.h"
#include "analyze/escalate/escalate_int.h"
#include "analyze/view.h"
#include "eval/env.h"
#include "util/alloc.h"


/* The calls of a technique after the ones already made (from call
 * `first`), each allowed for the actor; `res` carries the previous call's
 * resource. */
static bool tech_calls(actor *a, const es_technique *t, uint32_t first, char *res, size_t rcap)
{
    es_graph *g = a->g;
    bool ok = true;
    for (uint32_t k = first; k < t->ncalls && ok; k++) {
        const es_tcall *sc = &t->calls[k];
        char extra[200];
        snprintf(extra, sizeof extra, "(%s)",
                 t->kind == ES_TECH_HIJACK || k + 1 == t->ncalls ? t->how : "with the role");
        ok = sc->resource ? esa_can(a, sc->action, esa_pattern_expr(g, sc->resource, a->acct), NULL, NULL, 0,
                                    NULL, extra, res, rcap)
                          : esa_can(a, sc->action, NULL, res, NULL, 0, NULL, extra, res, rcap);
    }
    return ok;
}

/* What must exist for a technique to work on a role, in words. */
static const char *tech_assumes(es_graph *g, const es_technique *t, int trusts)
{
    const char *unknown = trusts == 2 ? "the role trusts the service (its trust policy is not in the model)" : NULL;
    if (!t->assumes || !unknown)
        return t->assumes ? t->assumes : unknown;
    char buf[600];
    snprintf(buf, sizeof buf, "%s; %s", t->assumes, unknown);
    return an_account_strdup(g->a, buf);
}

/* One technique of the table on one role: PASS rows pass it with
 * iam:PassedToService set to the row's service, then make their calls;
 * HIJACK rows only make their calls (on what already runs as the role). */
static int try_technique(actor *a, size_t m, long target)
{
    es_graph *g = a->g;
    const es_technique *t = &ES_TECHNIQUES[m];
    const an_principal *tp = &g->a->p[target];
    if (!esa_can_tech(a, m))
        return IG_OK;
    int trusts = esa_service_trusts(g, tp, t->service);
    if (!trusts)
        return IG_OK;
    a->nsteps = 0;
    uint32_t first = 0;
    if (t->kind == ES_TECH_PASS) {
        const char *v[1] = { t->service };
        an_fixed fx = { "iam:PassedToService", v, 1 };
        if (!esa_can(a, "iam:PassRole", NULL, tp->arn, &fx, 1, NULL, NULL, NULL, 0))
            return IG_OK;
        first = 1;
    }
    char res[2048] = "";
    if (!tech_calls(a, t, first, res, sizeof res))
        return IG_OK;
    es_key tk = esa_base_key(target);
    return esa_add_edge(a, ES_E_BECOME, &tk, ES_METHOD_NAME(t), tech_assumes(g, t, trusts));
}

static int become_role(actor *a, long t)
{
    es_graph *g = a->g;
    const an_principal *tp = &g->a->p[t];
    es_key tk = esa_base_key(t);
    int rc = IG_OK;
    uint32_t before = esa_node(a)->nedges;
    if (tp->trust && esa_trust_lets_aws(g, t)) {
        a->nsteps = 0;
        if (esa_assume(a, tp, tp->trust, NULL) && (rc = esa_add_edge(a, ES_E_BECOME, &tk, "sts:AssumeRole", NULL)))
            return rc;
    }
    a->nsteps = 0;
    if (esa_has(a, "iam:UpdateAssumeRolePolicy") &&
        esa_can(a, "iam:UpdateAssumeRolePolicy", NULL, tp->arn, NULL, 0, NULL, NULL, NULL, 0) &&
        esa_retrust_and_assume(a, tp) &&
        (rc = esa_add_edge(a, ES_E_BECOME, &tk, "iam:UpdateAssumeRolePolicy + sts:AssumeRole", NULL)))
        return rc;
    /* One way to the role is enough (an edge is kept once per target):
     * the techniques that assume nothing exists first, so the path shown
     * is the one that needs least. */
    for (int needs = 0; needs < 2; needs++)
        for (size_t m = 0; m < ES_NTECHNIQUES && esa_node(a)->nedges == before; m++)
            if (!ES_TECHNIQUES[m].assumes == !needs && (rc = try_technique(a, m, t)))
                return rc;
    return IG_OK;
}

/* Become a user: credentials of its own. */
static int become_user(actor *a, long t)
{
    static const char *const ways[] = { "iam:CreateAccessKey", "iam:CreateLoginProfile",
                                        "iam:UpdateLoginProfile" };
    /* What the account export does not say but each needs. */
    static const char *const assumes[] = {
        "the user has fewer than two access keys (else one must be deleted first)",
        "the user has no console password yet", "the user has a console password" };
    const an_principal *tp = &a->g->a->p[t];
    es_key tk = esa_base_key(t);
    for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
        a->nsteps = 0;
        if (esa_has(a, ways[w]) && esa_can(a, ways[w], NULL, tp->arn, NULL, 0, NULL, NULL, NULL, 0))
            return esa_add_edge(a, ES_E_BECOME, &tk, ways[w], assumes[w]);
    }
    return IG_OK;
}

/* Give a user or role a policy the attacker writes, or lift its boundary. */
static int modify_principal(actor *a, long t)
{
    es_graph *g = a->g;
    const an_principal *tp = &g->a->p[t];
    bool role = tp->kind == AN_P_ROLE;
    an_fixed fx[2];
    const char *bval[1], *pval[1] = { ADMIN_ARN };
    size_t nfx = esa_boundary_fixed(tp, fx, bval);
    es_key admin = esa_base_key(t);
    admin.admin = true;
    int rc;
    const char *put_p = role ? "iam:PutRolePolicy" : "iam:PutUserPolicy";
    const char *att_p = role ? "iam:AttachRolePolicy" : "iam:AttachUserPolicy";
    const char *del_b = role ? "iam:DeleteRolePermissionsBoundary" : "iam:DeleteUserPermissionsBoundary";
    const char *put_b = role ? "iam:PutRolePermissionsBoundary" : "iam:PutUserPermissionsBoundary";
    bool hp = esa_has(a, put_p), ha = esa_has(a, att_p), hd = esa_has(a, del_b), hb = esa_has(a, put_b);
    if (!hp && !ha && !hd && !hb)
        return IG_OK;
    a->nsteps = 0;
    if (hp && esa_can(a, role ? "iam:PutRolePolicy" : "iam:PutUserPolicy", NULL, tp->arn, fx, nfx, NULL,
            "(a policy allowing everything)", NULL, 0))
        return esa_add_edge(a, ES_E_MODIFY, &admin, role ? "iam:PutRolePolicy" : "iam:PutUserPolicy", NULL);
    fx[nfx] = (an_fixed){ "iam:PolicyARN", pval, 1 };
    a->nsteps = 0;
    if (ha && esa_can(a, role ? "iam:AttachRolePolicy" : "iam:AttachUserPolicy", NULL, tp->arn, fx, nfx + 1,
            NULL, NULL, NULL, 0) &&
        (rc = esa_add_edge(a, ES_E_MODIFY, &admin, role ? "iam:AttachRolePolicy" : "iam:AttachUserPolicy",
                       NULL)))
        return rc;
    if (!tp->boundary_arn)
        return IG_OK;
    es_key nob = esa_base_key(t);
    nob.bnd = ES_BND_NONE;
    a->nsteps = 0;
    if (hd && esa_can(a, role ? "iam:DeleteRolePermissionsBoundary" : "iam:DeleteUserPermissionsBoundary", NULL,
            tp->arn, fx, nfx, NULL, NULL, NULL, 0) &&
        (rc = esa_add_edge(a, ES_E_MODIFY, &nob,
                       role ? "iam:DeleteRolePermissionsBoundary" : "iam:DeleteUserPermissionsBoundary",
                       NULL)))
        return rc;
    /* Replace it: by AdministratorAccess (no limit), else by another
     * managed policy of the account. */
    const char *put = put_b;
    for (long m = -1; hb && m < (long)g->a->nm && m < 64; m++) {
        const char *cand = m < 0 ? ADMIN_ARN : g->a->m[m].arn;
        if (m >= 0 && (m == tp->boundary || !strcmp(cand, ADMIN_ARN)))
            continue;
        const char *cv[1] = { cand };
        an_fixed cf = { "iam:PermissionsBoundary", cv, 1 };
        a->nsteps = 0;
        if (!esa_can(a, put, NULL, tp->arn, &cf, 1, NULL, NULL, NULL, 0))
            continue;
        es_key k = esa_base_key(t);
        k.bnd = m < 0 ? ES_BND_NONE : m;
        if ((rc = esa_add_edge(a, ES_E_MODIFY, &k, put, NULL)))
            return rc;
        if (m < 0)
            break;
    }
    return IG_OK;
}

/* A group: its policies reach every member. */
static int modify_group(actor *a, long gi)
{
    es_graph *g = a->g;
    const an_principal *gp = &g->a->p[gi];
    const char *pval[1] = { ADMIN_ARN };
    an_fixed pf = { "iam:PolicyARN", pval, 1 };
    const char *how = NULL;
    bool hadd = esa_has(a, "iam:AddUserToGroup");
    if (!hadd && !esa_has(a, "iam:PutGroupPolicy") && !esa_has(a, "iam:AttachGroupPolicy"))
        return IG_OK;
    a->nsteps = 0;
    if (esa_has(a, "iam:PutGroupPolicy") &&
        esa_can(a, "iam:PutGroupPolicy", NULL, gp->arn, NULL, 0, NULL, "(a policy allowing everything)", NULL, 0))
        how = "iam:PutGroupPolicy";
    else if (esa_has(a, "iam:AttachGroupPolicy") &&
             (a->nsteps = 0, esa_can(a, "iam:AttachGroupPolicy", NULL, gp->arn, &pf, 1, NULL, NULL, NULL, 0)))
        how = "iam:AttachGroupPolicy";
    int rc;
    for (size_t u = 0; how && u < g->a->np; u++) {
        const an_principal *up = &g->a->p[u];
        for (size_t k = 0; k < up->ngroups; k++)
            if ((long)up->groups[k] == gi) {
                es_key key = esa_base_key((long)u);
                key.admin = true;
                if ((rc = esa_add_edge(a, ES_E_MODIFY, &key, how, NULL)))
                    return rc;
            }
    }
    /* Joining the group: the actor itself, if it is a user. */
    const an_principal *me = &g->a->p[esa_node(a)->key.p];
    if (hadd && me->kind == AN_P_USER) {
        bool member = false;
        for (size_t k = 0; k < me->ngroups; k++)
            member |= (long)me->groups[k] == gi;
        a->nsteps = 0;
        if (!member && esa_can(a, "iam:AddUserToGroup", NULL, gp->arn, NULL, 0, NULL,
                           "(the caller joins it)", NULL, 0)) {
            es_key key = esa_node(a)->key;
            key.xkind = ES_X_GROUP;
            key.xref = gi;
            key.xver = 0;
            if ((rc = esa_add_edge(a, ES_E_MODIFY, &key, "iam:AddUserToGroup", NULL)))
                return rc;
        }
    }
    return IG_OK;
}

/* Who has each managed policy: built once per graph (principals created
 * later have none). */
static bool build_users(es_graph *g)
{
    if (g->users)
        return true;
    g->users = ig_arena_alloc(&g->arena, (g->a->nm + 1) * sizeof *g->users);
    if (!g->users)
        return false;
    g->nusers = g->a->nm;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t p = 0; p < g->a->np; p++) {
            const an_principal *pr = &g->a->p[p];
            if (pr->kind == AN_P_GROUP)
                continue;
            /* Its own attachments, its groups', and its boundary. */
            for (size_t src = 0; src <= pr->ngroups; src++) {
                const an_principal *from = src == 0 ? pr : &g->a->p[pr->groups[src - 1]];
                for (size_t i = 0; i < from->nattached; i++) {
                    es_users *u = &g->users[from->attached[i]];
                    if (pass)
                        u->holders[u->nholders++] = p;
                    else
                        u->nholders++;
                }
            }
            if (pr->boundary >= 0) {
                es_users *u = &g->users[pr->boundary];
                if (pass)
                    u->bounded[u->nbounded++] = p;
                else
                    u->nbounded++;
            }
        }
        if (pass)
            break;
        for (size_t m = 0; m < g->a->nm; m++) {
            es_users *u = &g->users[m];
            u->holders = ig_arena_alloc(&g->arena, (u->nholders + 1) * sizeof *u->holders);
            u->bounded = ig_arena_alloc(&g->arena, (u->nbounded + 1) * sizeof *u->bounded);
            if (!u->holders || !u->bounded)
                return false;
            u->nholders = u->nbounded = 0;
        }
    }
    return true;
}

/* A customer managed policy: a new version, or another version made the
 * default, changes every principal that has it. */
static int modify_managed(actor *a, long m)
{
    es_graph *g = a->g;
    const an_mpolicy *mp = &g->a->m[m];
    if (mp->aws_managed)
        return IG_OK;
    bool hc = esa_has(a, "iam:CreatePolicyVersion"), hs = esa_has(a, "iam:SetDefaultPolicyVersion");
    if (!hc && !hs)
        return IG_OK;
    if (!build_users(g))
        return IG_E_NOMEM;
    if ((size_t)m >= g->nusers)
        return IG_OK;
    const es_users *u = &g->users[m];
    if (!u->nholders && !u->nbounded)
        return IG_OK;
    int rc;
    a->nsteps = 0;
    bool newver = hc && esa_can(a, "iam:CreatePolicyVersion", NULL, mp->arn, NULL, 0, NULL,
                            "(a version allowing everything, set as default)", NULL, 0);
    for (size_t i = 0; newver && i < u->nholders + u->nbounded; i++) {
        bool holder = i < u->nholders;
        es_key k = esa_base_key((long)(holder ? u->holders[i] : u->bounded[i - u->nholders]));
        if (holder) k.admin = true;
        else k.bnd = ES_BND_NONE;
        if ((rc = esa_add_edge(a, ES_E_MODIFY, &k, "iam:CreatePolicyVersion", NULL)))
            return rc;
    }
    if (mp->nversions < 2 || !hs || !u->nholders)
        return IG_OK;
    es_step saved[ES_MAX_STEPS];
    a->nsteps = 0;
    if (!esa_can(a, "iam:SetDefaultPolicyVersion", NULL, mp->arn, NULL, 0, NULL, NULL, NULL, 0))
        return IG_OK;
    memcpy(saved, a->steps, sizeof saved);
    for (uint32_t v = 0; v < mp->nversions; v++) {
        if ((int)v == mp->default_version)
            continue;
        for (size_t i = 0; i < u->nholders; i++) {
            es_key k = esa_base_key((long)u->holders[i]);
            k.xkind = ES_X_VERSION;
            k.xref = m;
            k.xver = (int)v;
            a->nsteps = 1;
            memcpy(a->steps, saved, sizeof saved);
            snprintf(a->steps[0].call + strlen(a->steps[0].call),
                     sizeof a->steps[0].call - strlen(a->steps[0].call), " (VersionId %s)",
                     mp->version_ids[v]);
            if ((rc = esa_add_edge(a, ES_E_MODIFY, &k, "iam:SetDefaultPolicyVersion", NULL)))
                return rc;
        }
    }
    return IG_OK;
}

/* ---- creating principals -------------------------------------------------------- */

static long created_principal(es_graph *g, an_pkind kind, const char *arn, const char *bnd,
                              const char *why)
{
    long i = an_account_find_principal(g->a, arn);
    if (i >= 0)
        return i;
    const char *slash = strrchr(arn, '/');
    an_principal *p = an_account_add_principal(g->a, kind, slash ? slash + 1 : arn, arn);
    if (!p)
        return -1;
    i = (long)(g->a->np - 1);
    if (bnd && !an_account_set_boundary(g->a, p, bnd))
        return -1;
    if (!es_pinfo_grow(g))
        return -1;
    g->pinfo[i].origin = ES_P_CREATED;
    g->pinfo[i].why = an_account_strdup(g->a, why);
    /* A boundary the model does not have caps it in a way we cannot see. */
    g->pinfo[i].unknown_perms = bnd && p->boundary < 0;
    return i;
}

/* The value a request gave a key ("" when absent). */
static const char *context_value(const an_request *r, const char *key)
{
    for (size_t i = 0; i < r->nsent; i++)
        if (!strcasecmp(r->ctx[i].key, key) && r->ctx[i].nvalues == 1)
            return r->ctx[i].values[0];
    return NULL;
}

static int create_roles(actor *a, bool user)
{
    es_graph *g = a->g;
    const char *action = user ? "iam:CreateUser" : "iam:CreateRole";
    uint32_t id = ig_catalog_action_find(g->c->cat, action, strlen(action));
    const an_group *grp = an_effective_find(&esa_node(a)->eff, id);
    if (!grp)
        return IG_OK;
    if (!esa_has(a, user ? "iam:PutUserPolicy" : "iam:PutRolePolicy") &&
        !esa_has(a, user ? "iam:AttachUserPolicy" : "iam:AttachRolePolicy"))
        return IG_OK;               /* it could create one, but never give it anything */
    const lang_expr *universe = es_new_principal_universe(g, user, a->acct);
    if (!universe)
        return IG_E_NOMEM;
    /* One new principal per resource pattern the grants allow (names
     * matter: other policies name principals by pattern). */
    for (uint32_t k = 0; k < grp->ngrants && k < 8; k++) {
        an_view v;
        if (!an_view_build(g->c, &g->arena, grp, &grp->grants[k], &v))
            return IG_E_NOMEM;
        const an_patlist *names = NULL;
        for (uint32_t i = 0; i < v.npos && !names; i++)
            if (v.pos[i].n)
                names = &v.pos[i];
        uint32_t nn = names ? names->n : 1;
        for (uint32_t pi = 0; pi < nn && pi < 8; pi++) {
            const lang_expr *u = universe;
            if (names) {
                const lang_expr *both[2] = { universe, lang_e_pat(&g->arena, names->p[pi]) };
                u = lang_e_nary(&g->arena, LE_AND, both, 2);
            }
            static _Thread_local an_request r;
            an_question q = { .resources = u, .account_hint = a->acct };
            g->checks++;
            if (!an_find_request(g->c, &esa_node(a)->eff.subj, grp, &grp->grants[k], id, &q, &r))
                continue;
            a->nsteps = 0;
            esa_record(a, &r, NULL);
            const char *bnd = context_value(&r, "iam:PermissionsBoundary");
            char why[600];
            snprintf(why, sizeof why, "created with %s", action);
            long t = created_principal(g, user ? AN_P_USER : AN_P_ROLE, r.resource, bnd, why);
            if (t < 0)
                return IG_E_NOMEM;
            an_principal *tp = &g->a->p[t];
            if (!user && !tp->trust) {
                /* The creator writes the trust policy: itself and the
                 * services that run code. */
                char json[2400];
                size_t o = (size_t)snprintf(json, sizeof json,
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
                    "{\"AWS\":\"%s\",\"Service\":[", esa_actor_arn(a));
                const char *svcs[ES_MAX_SERVICES];
                size_t nsvc = es_tech_services(svcs, ES_MAX_SERVICES);
                for (size_t s = 0; s < nsvc; s++)
                    o += (size_t)snprintf(json + o, sizeof json - o, "%s\"%s\"", s ? "," : "", svcs[s]);
                snprintf(json + o, sizeof json - o, "]},\"Action\":\"sts:AssumeRole\"}]}");
                tp->trust = an_account_compile(g->a, json, IG_POLICY_RESOURCE,
                                               "trust policy written by the attacker");
                if (!tp->trust)
                    return IG_E_NOMEM;
            }
            /* Its own policy: written by the attacker, if allowed. */
            an_fixed fx[2];
            const char *bval[1], *pval[1] = { ADMIN_ARN };
            size_t nfx = esa_boundary_fixed(tp, fx, bval);
            fx[nfx] = (an_fixed){ "iam:PolicyARN", pval, 1 };
            bool admin = esa_can(a, user ? "iam:PutUserPolicy" : "iam:PutRolePolicy", NULL, tp->arn, fx,
                             nfx, NULL, "(a policy allowing everything)", NULL, 0) ||
                         esa_can(a, user ? "iam:AttachUserPolicy" : "iam:AttachRolePolicy", NULL, tp->arn,
                             fx, nfx + 1, NULL, NULL, NULL, 0);
            if (!admin)
                continue;           /* a principal with no permissions gains nothing */
            es_key key = esa_base_key(t);
            key.admin = true;
            int rc = esa_add_edge(a, ES_E_MODIFY, &key, action, NULL);
            if (rc)
                return rc;
        }
    }
    return IG_OK;
}

/* ---- roles outside the model ------------------------------------------------------ */

/* When the model is not a whole account, policies may name roles it does
 * not contain (another application's roles, say).  A method that works on
 * such a role leads to a principal whose permissions are unknown. */
/* An outside role another node already reached the same way, if this
 * actor can use it too: one such role per way is enough to show. */
static long reuse_outside(actor *a, const char *why, const char *action, const an_fixed *fx,
                          size_t nfx, const char *extra)
{
    es_graph *g = a->g;
    for (size_t i = 0; i < g->npinfo && i < g->a->np; i++) {
        if (g->pinfo[i].origin != ES_P_OUTSIDE || !g->pinfo[i].why || strcmp(g->pinfo[i].why, why))
            continue;
        a->nsteps = 0;
        if (esa_can(a, action, NULL, g->a->p[i].arn, fx, nfx, NULL, extra, NULL, 0))
            return (long)i;
    }
    return -1;
}

/* esa_can() on roles outside the model.  "Not one of the known roles" is a
 * large automaton; a name with a word of the method's own in it ("outside"
 * for PassRole, "elsewhere" for a trust rewrite, so that the two ways stay
 * two findings) is nearly always enough and far cheaper.  A witness that
 * names a role already in the model for another reason falls back to the
 * exact exclusion. */
static int can_outside(actor *a, const char *action, const char *word, const lang_expr *exact,
                       const an_fixed *fx, size_t nfx, const char *why, char *res, size_t rcap)
{
    es_graph *g = a->g;
    uint32_t keep = a->nsteps;
    char pat[160];
    snprintf(pat, sizeof pat, "arn:aws:iam::%%s:role/*%s*", word);
    const lang_expr *cheap = esa_pattern_expr(g, pat, a->acct);
    if (cheap && esa_can(a, action, cheap, NULL, fx, nfx, NULL, NULL, res, rcap)) {
        long known = an_account_find_principal(g->a, res);
        if (known < 0 || ((size_t)known < g->npinfo && g->pinfo[known].origin == ES_P_OUTSIDE &&
                          g->pinfo[known].why && !strcmp(g->pinfo[known].why, why)))
            return 1;
    }
    a->nsteps = keep;
    return esa_can(a, action, exact, NULL, fx, nfx, NULL, NULL, res, rcap);
}

static int outside_roles(actor *a)
{
    es_graph *g = a->g;
    const lang_expr *any = es_new_principal_universe(g, false, a->acct);
    size_t n = 0;
    for (size_t i = 0; i < g->a->np; i++)
        n += g->a->p[i].kind == AN_P_ROLE;
    const lang_expr **known = ig_arena_alloc(&g->arena, (n + 1) * sizeof *known);
    if (!any || !known)
        return IG_E_NOMEM;
    n = 0;
    for (size_t i = 0; i < g->a->np; i++)
        if (g->a->p[i].kind == AN_P_ROLE && !(known[n++] = esa_literal_expr(g, g->a->p[i].arn)))
            return IG_E_NOMEM;
    const lang_expr *k2[2] = { any, lang_e_not(&g->arena, lang_e_nary(&g->arena, LE_OR, known, n)) };
    const lang_expr *outside_exact = lang_e_nary(&g->arena, LE_AND, k2, 2);
    if (!outside_exact)
        return IG_E_NOMEM;
    int rc;
    char role[2048];
    /* Pass one to a service that runs the caller's code. */
    for (size_t m = 0; m < ES_NTECHNIQUES; m++) {
        const es_technique *tq = &ES_TECHNIQUES[m];
        if (tq->kind != ES_TECH_PASS)
            continue;
        const char *v[1] = { tq->service };
        an_fixed fx = { "iam:PassedToService", v, 1 };
        static const char why_pass[] = "a role outside the model that iam:PassRole allows";
        long reuse = reuse_outside(a, why_pass, "iam:PassRole", &fx, 1, NULL);
        if (reuse >= 0) {
            snprintf(role, sizeof role, "%s", g->a->p[reuse].arn);
        } else {
            a->nsteps = 0;
            if (!esa_can_tech(a, m) ||
                !can_outside(a, "iam:PassRole", "outside", outside_exact, &fx, 1, why_pass, role, sizeof role))
                continue;
        }
        char res[2048] = "";
        if (!tech_calls(a, tq, 1, res, sizeof res))
            continue;
        long t = created_principal(g, AN_P_ROLE, role, NULL, "a role outside the model that iam:PassRole allows");
        if (t < 0)
            return IG_E_NOMEM;
        g->pinfo[t].origin = ES_P_OUTSIDE;
        g->pinfo[t].unknown_perms = true;
        g->a->p[t].trust_unknown = true;
        es_key key = esa_base_key(t);
        char *as = ig_arena_alloc(&g->arena, 400);
        if (!as)
            return IG_E_NOMEM;
        snprintf(as, 400, "such a role exists and trusts %s%s%s", tq->service, tq->assumes ? "; " : "",
                 tq->assumes ? tq->assumes : "");
        if ((rc = esa_add_edge(a, ES_E_BECOME, &key, ES_METHOD_NAME(tq), as)))
            return rc;
        break;
    }
    /* Rewrite one's trust policy and assume it. */
    static const char why_trust[] = "a role outside the model that iam:UpdateAssumeRolePolicy allows";
    long reuse = reuse_outside(a, why_trust, "iam:UpdateAssumeRolePolicy", NULL, 0, NULL);
    if (reuse >= 0)
        snprintf(role, sizeof role, "%s", g->a->p[reuse].arn);
    else
        a->nsteps = 0;
    if (reuse >= 0 || (esa_has(a, "iam:UpdateAssumeRolePolicy") &&
                       can_outside(a, "iam:UpdateAssumeRolePolicy", "elsewhere", outside_exact, NULL, 0,
                                   why_trust, role, sizeof role))) {
        long t = created_principal(g, AN_P_ROLE, role, NULL, why_trust);
        if (t < 0)
            return IG_E_NOMEM;
        g->pinfo[t].origin = ES_P_OUTSIDE;
        g->pinfo[t].unknown_perms = true;
        if (esa_retrust_and_assume(a, &g->a->p[t])) {
            es_key key = esa_base_key(t);
            if ((rc = esa_add_edge(a, ES_E_BECOME, &key, "iam:UpdateAssumeRolePolicy + sts:AssumeRole",
                               "such a role exists")))
                return rc;
        }
    }
    /* Change the code of a function that runs as some role. */
    a->nsteps = 0;
    char fn[2048];
    if (esa_has(a, "lambda:UpdateFunctionCode") && esa_can(a, "lambda:UpdateFunctionCode", esa_pattern_expr(g, "arn:aws:lambda:*:%s:function:*", a->acct),
            NULL, NULL, 0, NULL, "(replacing the code of a function that runs as some role)", fn,
            sizeof fn)) {
        char arn[2200];
        snprintf(arn, sizeof arn, "arn:aws:iam::%s:role/execution-role-of-%s", a->acct,
                 strrchr(fn, ':') ? strrchr(fn, ':') + 1 : fn);
        long t = created_principal(g, AN_P_ROLE, arn, NULL,
                                   "the execution role of a Lambda function outside the model");
        if (t < 0)
            return IG_E_NOMEM;
        g->pinfo[t].origin = ES_P_OUTSIDE;
        g->pinfo[t].unknown_perms = true;
        es_key key = esa_base_key(t);
        if ((rc = esa_add_edge(a, ES_E_BECOME, &key, "lambda:UpdateFunctionCode",
                           "a Lambda function exists that runs with a role outside the model")))
            return rc;
    }
    return IG_OK;
}

/* ---- all of them -------------------------------------------------------------------- */

int es_methods(es_graph *g, uint32_t n)
{
    if (!es_pinfo_grow(g))
        return IG_E_NOMEM;
    long self = g->nodes[n].key.p;
    if (g->pinfo[self].unknown_perms)
        return IG_OK;               /* what it can do is not in the model: stop here */
    actor a = { .g = g, .n = n, .acct = es_principal_account(g, self) };
    esa_tech_mask(&a);
    bool hijack = false;
    for (size_t m = 0; m < ES_NTECHNIQUES; m++)
        hijack |= ES_TECHNIQUES[m].kind == ES_TECH_HIJACK && esa_can_tech(&a, m);
    int rc;
    if ((rc = create_roles(&a, false)) || (rc = create_roles(&a, true)))
        return rc;
    const uint32_t *cand;
    size_t ncand = es_targets(g, n, hijack, &cand);
    if (ncand == SIZE_MAX)
        return IG_E_NOMEM;
    for (size_t ci = 0; ci < ncand; ci++) {
        size_t t = cand ? cand[ci] : ci;
        const an_principal *tp = &g->a->p[t];
        if ((long)t != self) {
            if (tp->kind == AN_P_ROLE && (rc = become_role(&a, (long)t)))
                return rc;
            if (tp->kind == AN_P_USER && (rc = become_user(&a, (long)t)))
                return rc;
        }
        if ((long)t < (long)g->npinfo && g->pinfo[t].unknown_perms)
            continue;
        if (tp->kind == AN_P_GROUP) {
            if ((rc = modify_group(&a, (long)t)))
                return rc;
        } else if ((rc = modify_principal(&a, (long)t))) {
            return rc;
        }
    }
    ncand = es_policy_targets(g, n, &cand);
    if (ncand == SIZE_MAX)
        return IG_E_NOMEM;
    for (size_t ci = 0; ci < ncand; ci++)
        if ((rc = modify_managed(&a, cand ? (long)cand[ci] : (long)ci)))
            return rc;
    if (g->open_world && (rc = outside_roles(&a)))
        return rc;
    return IG_OK;
}

/* seed.c - the claims of the seed document, decided on a scenario of the
 * seed's shape (seed_model.c builds the account): the access checks and the
 * escalation analysis each claim rests on (seed_facts), and from those the
 * verdicts and counterexample requests `iamguard fix` re-checks after each
 * edit (an_seed_evaluate).  The report (seed_report.c) is made of the same
 * facts. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/seed_int.h"
#include "util/alloc.h"

const char *const SEED_CLAIM_IDS[AN_SEED_CLAIMS] = {
    "boundary-caps-to-healthimaging", "boundary-required-on-create", "boundary-cannot-be-removed",
    "removal-explicitly-denied", "no-way-around-the-boundary",
};

const char *const SEED_ATTACH_ACTS[8] = {
    "iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreateUser",
    "iam:PutUserPolicy", "iam:AttachUserPolicy", "iam:PutRolePermissionsBoundary",
    "iam:PutUserPermissionsBoundary",
};

static ig_verdict all_of(const an_check *const *r, size_t n)
{
    bool unknown = false;
    for (size_t i = 0; i < n; i++) {
        if (r[i]->verdict == IG_VERDICT_REFUTED)
            return IG_VERDICT_REFUTED;
        unknown |= r[i]->verdict != IG_VERDICT_PROVED;
    }
    return unknown ? IG_VERDICT_UNKNOWN : IG_VERDICT_PROVED;
}

static int not_granted(an_ctx *c, const ig_env *env, const char *const *acts, size_t n,
                       const char *resource, const an_kcons *kc, size_t nkc, an_check *r)
{
    uint64_t *filter = ig_calloc(c->words, sizeof *filter);
    if (!filter)
        return IG_E_NOMEM;
    const char *bad;
    an_action_filter(c, acts, n, filter, &bad);
    ig_arena A;
    ig_arena_init(&A);
    const lang_expr *res = NULL;
    int rc = IG_E_NOMEM;
    if (resource) {
        lang_pat *lp = ig_arena_alloc(&A, sizeof *lp);
        const char *err;
        if (!lp || !lang_from_text(&A, resource, strlen(resource), lp, &err) || !(res = lang_e_pat(&A, lp)))
            goto out;
    }
    rc = an_check_not_granted(c, env, filter, res, kc, nkc, NULL, r);
out:
    ig_arena_free(&A);
    ig_free(filter);
    return rc;
}

/* ---- the environments the claims speak of ---------------------------------------- */

static ig_env *env_with(const char *arn, const ig_policy *const *ids, size_t n, const ig_policy *bnd)
{
    ig_env *e = ig_env_new();
    if (!e || ig_env_set_principal_arn(e, arn, NULL, NULL) != IG_OK)
        goto fail;
    for (size_t i = 0; i < n; i++)
        if (ids[i] && ig_env_add_identity(e, ids[i]) != IG_OK)
            goto fail;
    if (bnd && ig_env_set_boundary(e, bnd) != IG_OK)
        goto fail;
    return e;
fail:
    ig_env_free(e);
    return NULL;
}

static bool make_envs(seed_facts *F)
{
    ig_account *a = F->a;
    const an_principal *dev = &a->p[F->dev];
    long b = an_account_find_managed(a, SEED_BOUNDARY_ARN);
    F->allow_all = an_account_compile(a, SEED_ALLOW_ALL, IG_POLICY_IDENTITY, "AllowEverything");
    F->only_hi = an_account_compile(a,
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"medical-imaging:*\","
        "\"Resource\":\"*\"}]}", IG_POLICY_IDENTITY, "medical-imaging:*");
    if (b < 0 || !F->allow_all || !F->only_hi)
        return false;
    F->dev_env = an_account_env(a, dev, NULL, false, 0, NULL, NULL);
    F->dev_all = an_account_env(a, dev, F->allow_all, false, 0, NULL, NULL);
    const ig_policy *all[1] = { F->allow_all }, *hi[1] = { F->only_hi };
    F->capped = env_with(SEED_CAPPED_ARN, all, 1, a->m[b].boundary[0]);
    F->hi = env_with(SEED_CAPPED_ARN, hi, 1, NULL);
    /* What the deployment's own roles are given: their identity policies
     * (without the boundary: the question is what the boundary adds). */
    const ig_policy *need[1 + 2 * SEED_NROLES];
    size_t nn = 0;
    need[nn++] = F->only_hi;
    for (size_t i = 0; i < SEED_NROLES; i++) {
        long p = seed_role(a, i);
        for (size_t k = 0; p >= 0 && k < a->p[p].ninl && nn < sizeof need / sizeof need[0]; k++)
            need[nn++] = a->p[p].inl[k];
    }
    F->needed = env_with(SEED_CAPPED_ARN, need, nn, NULL);
    return F->dev_env && F->dev_all && F->capped && F->hi && F->needed;
}

/* ---- the claims --------------------------------------------------------------------- */

/* 1: "if the permissions boundary allows medical-imaging:*, and the role
 * policy allows *.*, the effective permissions of the role becomes
 * medical-imaging:*" -- as no boundary with which Amplify deploys can keep
 * it literally (Amplify's own roles run under it), refined: medical-imaging:*
 * and, beyond it, only what the deployment's Amplify roles are given. */
static int claim_cap(seed_facts *F)
{
    int rc;
    if ((rc = an_check_no_new_access(F->c, F->needed, F->capped, NULL, &F->cap_more)) != IG_OK ||
        (rc = an_check_no_new_access(F->c, F->capped, F->hi, NULL, &F->cap_less)) != IG_OK)
        return rc;
    const an_check *r[2] = { &F->cap_more, &F->cap_less };
    F->v[SC_CAP] = all_of(r, 2);
    return IG_OK;
}

/* 2: roles are created, and given policies, only with the boundary. */
static int claim_attach(seed_facts *F)
{
    an_kcons k_absent[1] = { { AN_K_ABSENT, "iam:PermissionsBoundary", NULL } };
    an_kcons k_named[1] = { { AN_K_NOT_LIKE, "iam:PermissionsBoundary",
                              "arn:*:iam::*:policy/" SEED_BOUNDARY } };
    an_kcons k_same[2] = { { AN_K_LIKE, "iam:PermissionsBoundary", "arn:aws:iam::" SEED_ACCT ":*" },
                           { AN_K_NOT_EQUALS, "iam:PermissionsBoundary", SEED_BOUNDARY_ARN } };
    an_kcons k_any[1] = { { AN_K_NOT_EQUALS, "iam:PermissionsBoundary", SEED_BOUNDARY_ARN } };
    int rc;
    if ((rc = not_granted(F->c, F->dev_env, SEED_ATTACH_ACTS, 8, NULL, k_absent, 1, &F->at_absent)) ||
        (rc = not_granted(F->c, F->dev_env, SEED_ATTACH_ACTS, 8, NULL, k_named, 1, &F->at_named)) ||
        (rc = not_granted(F->c, F->dev_env, SEED_ATTACH_ACTS, 8, NULL, k_same, 2, &F->at_same)) ||
        (rc = not_granted(F->c, F->dev_env, SEED_ATTACH_ACTS, 8, NULL, k_any, 1, &F->at_any)))
        return rc;
    const an_check *r[3] = { &F->at_absent, &F->at_named, &F->at_same };
    F->v[SC_ATTACH] = all_of(r, 3);
    return IG_OK;
}

/* 3: the boundary cannot be removed, replaced or changed. */
static int claim_remove(seed_facts *F)
{
    static const char *const role_acts[] = {
        "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary",
        "iam:DeleteUserPermissionsBoundary", "iam:PutUserPermissionsBoundary",
    };
    static const char *const pol_acts[] = {
        "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion",
        "iam:DeletePolicy", "iam:DetachRolePolicy", "iam:DetachUserPolicy", "iam:DetachGroupPolicy",
    };
    int rc;
    if ((rc = not_granted(F->c, F->dev_env, role_acts, 4, NULL, NULL, 0, &F->rm_role)) ||
        (rc = not_granted(F->c, F->dev_env, pol_acts, 7, NULL, NULL, 0, &F->rm_pol)))
        return rc;
    const an_check *r[2] = { &F->rm_role, &F->rm_pol };
    F->v[SC_REMOVE] = all_of(r, 2);
    return IG_OK;
}

/* 4: the explicit denies are what prevents it: the developer's policies
 * plus a policy allowing everything (what a later, broader grant would
 * add) still cannot. */
static int claim_denies(seed_facts *F)
{
    static const char *const detach[] = { "iam:DetachRolePolicy" };
    static const char *const replace[] = { "iam:PutRolePermissionsBoundary" };
    static const char *const del[] = { "iam:DeleteRolePermissionsBoundary" };
    an_kcons with_b[1] = { { AN_K_EQUALS, "iam:PermissionsBoundary", SEED_BOUNDARY_ARN } };
    an_kcons other_b[2] = { { AN_K_LIKE, "iam:PermissionsBoundary", "arn:aws:iam::" SEED_ACCT ":policy/*" },
                            { AN_K_NOT_EQUALS, "iam:PermissionsBoundary", SEED_BOUNDARY_ARN } };
    an_kcons detach_b[2] = { { AN_K_EQUALS, "iam:PolicyARN", SEED_BOUNDARY_ARN },
                             { AN_K_EQUALS, "iam:PermissionsBoundary", SEED_BOUNDARY_ARN } };
    const char *roles = "arn:aws:iam::" SEED_ACCT ":role/*";
    int rc;
    if ((rc = not_granted(F->c, F->dev_all, detach, 1, roles, detach_b, 2, &F->dn_detach)) ||
        (rc = not_granted(F->c, F->dev_all, replace, 1, roles, other_b, 2, &F->dn_replace)) ||
        (rc = not_granted(F->c, F->dev_all, del, 1, roles, with_b, 1, &F->dn_del)))
        return rc;
    const an_check *r[3] = { &F->dn_detach, &F->dn_replace, &F->dn_del };
    F->v[SC_DENIES] = all_of(r, 3);
    return IG_OK;
}

bool seed_state_beyond(const seed_facts *F, uint32_t node)
{
    const es_graph *g = &F->g;
    const es_key *k = &g->nodes[node].key;
    if ((size_t)k->p < g->npinfo && g->pinfo[k->p].unknown_perms)
        return true;
    const an_principal *p = &g->a->p[k->p];
    /* The developer is not under the boundary: what it reaches of its own
     * is beyond it only when it gains a policy it writes itself. */
    if (k->p == F->dev)
        return k->admin || k->xkind != ES_X_NONE;
    const char *barn = k->bnd == ES_BND_NONE ? NULL : k->bnd >= 0 ? g->a->m[k->bnd].arn : p->boundary_arn;
    return !barn || strcmp(barn, SEED_BOUNDARY_ARN);
}

/* 5: code the developer deploys runs only with roles that carry the
 * boundary -- the escalation analysis from the developer. */
static int claim_escalation(seed_facts *F)
{
    int rc = es_init(&F->g, F->c, F->a);
    if (rc != IG_OK)
        return rc;
    F->have_graph = true;
    es_key k = { .p = F->dev, .bnd = ES_BND_OWN };
    uint32_t n = es_node_of(&F->g, &k);
    if (n == UINT32_MAX)
        return IG_E_NOMEM;
    if ((rc = es_reach_from(&F->g, n, &F->r)) != IG_OK)
        return rc;
    for (size_t i = 0; i < F->r.nn; i++) {
        if (F->r.held[i] < 0 || i == F->r.start)
            continue;
        if (seed_state_beyond(F, (uint32_t)i)) {
            if (!F->beyond++)
                F->first_beyond = (long)i;
        } else {
            F->capped_states++;
        }
    }
    F->v[SC_ESCALATION] = F->beyond ? IG_VERDICT_REFUTED
                        : es_incomplete(&F->g) ? IG_VERDICT_UNKNOWN : IG_VERDICT_PROVED;
    return IG_OK;
}

int seed_facts_compute(an_ctx *c, const chk_scenario *s, seed_facts *F)
{
    F->c = c;
    F->s = s;
    F->first_beyond = -1;
    an_ctx_reset(c);
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = an_seed_account_of(s, &F->a, &d);
    if (rc != IG_OK)
        return rc;
    F->sdev = seed_developer(s);
    F->dev = ig_account_find(F->a, SEED_DEV_ROLE);
    if (F->dev < 0 || !make_envs(F))
        return IG_E_NOMEM;
    if ((rc = claim_cap(F)) || (rc = claim_attach(F)) || (rc = claim_remove(F)) ||
        (rc = claim_denies(F)) || (rc = claim_escalation(F)))
        return rc;
    return IG_OK;
}

void seed_facts_free(seed_facts *F)
{
    if (F->have_graph) {
        es_result_free(&F->r);
        es_free(&F->g);
    }
    ig_env_free(F->dev_env);
    ig_env_free(F->dev_all);
    ig_env_free(F->capped);
    ig_env_free(F->hi);
    ig_env_free(F->needed);
    ig_account_free(F->a);
    if (F->c)
        an_ctx_reset(F->c);
    memset(F, 0, sizeof *F);
}

/* ---- counterexamples in the scenario's terms ------------------------------------------- */

typedef struct {
    an_seed_cx *v;
    size_t n, cap;
    uint32_t alt;
} cx_list;

static an_seed_cx *cx_new(cx_list *L, const char *claim)
{
    if (L->n == L->cap) {
        size_t nc = L->cap ? L->cap * 2 : 16;
        an_seed_cx *nv = ig_realloc(L->v, nc * sizeof *nv);
        if (!nv)
            return NULL;
        L->v = nv;
        L->cap = nc;
    }
    an_seed_cx *x = &L->v[L->n++];
    memset(x, 0, sizeof *x);
    x->claim = claim;
    x->alt = L->alt;
    return x;
}

/* The caller of the developer's checks. */
static void as_developer(const seed_facts *F, an_seed_cx *x)
{
    const chk_principal *d = &F->s->principals[F->sdev];
    snprintf(x->principal_arn, sizeof x->principal_arn, "%s", F->a->p[F->dev].caller_arn);
    for (size_t i = 0; i < d->nidentity && x->nidentity < 8; i++)
        x->identity[x->nidentity++] = F->s->policies[d->identity[i]].name;
    x->boundary = d->boundary >= 0 ? F->s->policies[d->boundary].name : NULL;
}

static int from_check(const seed_facts *F, cx_list *L, int claim, const an_check *r, int who,
                      bool must_allow)
{
    if (r->verdict != IG_VERDICT_REFUTED)
        return IG_OK;
    L->alt++;
    an_seed_cx *x = cx_new(L, SEED_CLAIM_IDS[claim]);
    if (!x)
        return IG_E_NOMEM;
    if (who == 2) {
        snprintf(x->principal_arn, sizeof x->principal_arn, "%s", SEED_CAPPED_ARN);
        x->allow_all = true;
        x->boundary = seed_policy_name(F->s, SEED_BOUNDARY);
    } else {
        as_developer(F, x);
        x->allow_all = who == 1;
        x->explicit_deny = who == 1;
    }
    x->must_allow = must_allow;
    x->req = r->cx;
    return IG_OK;
}

/* A model policy's scenario name: a managed policy of the model is named
 * after one. */
static const char *managed_name(const seed_facts *F, const char *arn)
{
    static const char prefix[] = "arn:aws:iam::" SEED_ACCT ":policy/";
    if (!arn || strncmp(arn, prefix, sizeof prefix - 1))
        return NULL;
    return seed_policy_name(F->s, arn + sizeof prefix - 1);
}

/* The node that makes a step, in the scenario's terms; false when its
 * policies are not all the scenario's (a role outside the model, another
 * policy version). */
static bool actor_of(const seed_facts *F, uint32_t node, an_seed_cx *x)
{
    const es_graph *g = &F->g;
    const es_key *k = &g->nodes[node].key;
    if (((size_t)k->p < g->npinfo && g->pinfo[k->p].unknown_perms) || k->xkind != ES_X_NONE)
        return false;
    const an_principal *p = &g->a->p[k->p];
    x->allow_all = k->admin;
    const char *barn = k->bnd == ES_BND_NONE ? NULL : k->bnd >= 0 ? g->a->m[k->bnd].arn : p->boundary_arn;
    if (barn && !(x->boundary = managed_name(F, barn)))
        return false;
    if (k->p == F->dev) {
        const char *keep = x->boundary;
        as_developer(F, x);
        x->boundary = keep;
        return true;
    }
    snprintf(x->principal_arn, sizeof x->principal_arn, "%s", p->caller_arn);
    for (size_t i = 0; i < SEED_NROLES; i++) {
        if (p->description != SEED_ROLES[i].desc)
            continue;
        for (int j = 0; j < 2 && SEED_ROLES[i].pol[j]; j++)
            if ((x->identity[x->nidentity] = seed_policy_name(F->s, SEED_ROLES[i].pol[j])))
                x->nidentity++;
        return true;
    }
    /* A role a node created: no policy of its own but what the attacker
     * writes (allow_all), under the boundary it was created with. */
    return p->ninl == 0 && p->nattached == 0;
}

/* A step's request as fields. */
static void step_request(an_ctx *c, const es_stepref *st, an_request *r)
{
    snprintf(r->action, sizeof r->action, "%s", st->action);
    snprintf(r->resource, sizeof r->resource, "%.*s", (int)st->res_len, st->call + st->res_at);
    r->clock = &c->clock;
    const char *q = st->ctx;
    while (q && *q && r->nctx < AN_MAX_CTX) {
        const char *end = strchr(q, '\x1f');
        if (!end)
            break;
        const char *sep = memchr(q, '\x1e', (size_t)(end - q));
        const char *abs = memchr(q, '\x1d', (size_t)(end - q));
        size_t i = r->nctx++;
        if (sep) {
            snprintf(r->keys[i], sizeof r->keys[i], "%.*s", (int)(sep - q), q);
            snprintf(r->vals[i], sizeof r->vals[i], "%.*s", (int)(end - sep - 1), sep + 1);
        } else {
            snprintf(r->keys[i], sizeof r->keys[i], "%.*s", (int)((abs ? abs : end) - q), q);
            r->absent[i] = true;
        }
        q = end + 1;
    }
}

static int from_paths(seed_facts *F, cx_list *L)
{
    es_graph *g = &F->g;
    const es_result *r = &F->r;
    long path[256];
    for (size_t i = 0; i < r->nn; i++) {
        if (r->held[i] < 0 || i == r->start || !seed_state_beyond(F, (uint32_t)i))
            continue;
        L->alt++;
        size_t n = es_path(r, r->held[i], path, 256);
        for (size_t j = 0; j < n; j++) {
            const es_rec *x = &r->recs[path[j]];
            if (x->kind != ES_R_BECOME && x->kind != ES_R_MODIFY)
                continue;
            uint32_t actor = r->recs[x->actor].node;
            const es_edge *e = &g->nodes[actor].edges[x->edge];
            for (uint32_t s = 0; s < e->nsteps; s++) {
                an_seed_cx *c = cx_new(L, SEED_CLAIM_IDS[SC_ESCALATION]);
                if (!c)
                    return IG_E_NOMEM;
                if (!actor_of(F, actor, c)) {
                    L->n--;
                    continue;
                }
                step_request(F->c, &e->steps[s], &c->req);
            }
        }
    }
    return IG_OK;
}

/* Evaluate a counterexample for the caller it names: 1 when it is what it
 * says (allowed; must_allow: refused), 0 when not, IG_E_NOMEM.  Also sets
 * up x->req.req. */
static int confirm(seed_facts *F, an_seed_cx *x)
{
    ig_env *e = ig_env_new();
    if (!e)
        return IG_E_NOMEM;
    int rc = ig_env_set_principal_arn(e, x->principal_arn, NULL, NULL);
    for (size_t i = 0; rc == IG_OK && i < x->nidentity; i++) {
        const ig_policy *p = seed_policy(F->a, F->s, x->identity[i], IG_POLICY_IDENTITY);
        rc = p ? ig_env_add_identity(e, p) : IG_E_NOMEM;
    }
    if (rc == IG_OK && x->allow_all)
        rc = ig_env_add_identity(e, F->allow_all);
    if (rc == IG_OK && x->boundary) {
        const ig_policy *p = seed_policy(F->a, F->s, x->boundary, IG_POLICY_BOUNDARY);
        rc = p ? ig_env_set_boundary(e, p) : IG_E_NOMEM;
    }
    if (rc == IG_OK && !x->req.clock)
        x->req.clock = &F->c->clock;
    if (rc == IG_OK)
        rc = an_request_eval(e, &x->req, NULL, NULL);
    ig_env_free(e);
    if (rc != IG_OK)
        return rc < 0 ? rc : IG_E_NOMEM;
    return !x->req.res.error && (x->req.res.decision == IG_ALLOWED) != x->must_allow;
}

int an_seed_evaluate(an_ctx *c, const chk_scenario *s, an_seed_outcome *out)
{
    memset(out, 0, sizeof *out);
    seed_facts *F = ig_calloc(1, sizeof *F);
    if (!F)
        return IG_E_NOMEM;
    cx_list L = { 0 };
    /* A caller is named by at most 8 identity policies: a developer with
     * more could not be described, and a counterexample evaluated without
     * some of its policies could be wrong. */
    long d = an_seed_applies(s) ? seed_developer(s) : -1;
    int rc = d >= 0 && s->principals[d].nidentity > 8 ? IG_E_INPUT : seed_facts_compute(c, s, F);
    static const struct { int claim, who; bool must_allow; size_t off; } checks[] = {
        { SC_CAP, 2, false, offsetof(seed_facts, cap_more) },
        { SC_CAP, 2, true, offsetof(seed_facts, cap_less) },
        { SC_ATTACH, 0, false, offsetof(seed_facts, at_absent) },
        { SC_ATTACH, 0, false, offsetof(seed_facts, at_named) },
        { SC_ATTACH, 0, false, offsetof(seed_facts, at_same) },
        { SC_REMOVE, 0, false, offsetof(seed_facts, rm_role) },
        { SC_REMOVE, 0, false, offsetof(seed_facts, rm_pol) },
        { SC_DENIES, 1, false, offsetof(seed_facts, dn_detach) },
        { SC_DENIES, 1, false, offsetof(seed_facts, dn_replace) },
        { SC_DENIES, 1, false, offsetof(seed_facts, dn_del) },
    };
    for (size_t i = 0; rc == IG_OK && i < sizeof checks / sizeof checks[0]; i++)
        rc = from_check(F, &L, checks[i].claim, (const an_check *)((const char *)F + checks[i].off),
                        checks[i].who, checks[i].must_allow);
    if (rc == IG_OK)
        rc = from_paths(F, &L);
    if (rc == IG_OK) {
        /* Only what the scenario's policies really decide so; then each
         * kept one's request is set up where it now lives. */
        size_t n = 0;
        for (size_t i = 0; rc == IG_OK && i < L.n; i++) {
            int k = confirm(F, &L.v[i]);
            if (k < 0)
                rc = k;
            else if (k)
                L.v[n++] = L.v[i];
        }
        L.n = n;
        for (size_t i = 0; rc == IG_OK && i < L.n; i++) {
            int k = confirm(F, &L.v[i]);
            rc = k < 0 ? k : IG_OK;
        }
    }
    if (rc == IG_OK) {
        /* An obligation all of whose requests fell away cannot be broken
         * by an edit of the scenario's policies. */
        bool *has = ig_calloc((size_t)L.alt + 1, sizeof *has);
        if (!has) {
            ig_free(L.v);
            seed_facts_free(F);
            ig_free(F);
            return IG_E_NOMEM;
        }
        for (size_t i = 0; i < L.n; i++)
            has[L.v[i].alt] = true;
        for (uint32_t a = 1; a <= L.alt; a++)
            out->unbreakable += !has[a];
        ig_free(has);
        out->nclaims = AN_SEED_CLAIMS;
        for (size_t i = 0; i < AN_SEED_CLAIMS; i++) {
            out->claims[i].id = SEED_CLAIM_IDS[i];
            out->claims[i].verdict = F->v[i];
        }
        out->paths = F->beyond;
        out->cx = L.v;
        out->ncx = L.n;
        L.v = NULL;
    }
    ig_free(L.v);
    seed_facts_free(F);
    ig_free(F);
    return rc;
}

void an_seed_outcome_free(an_seed_outcome *o)
{
    if (!o)
        return;
    ig_free(o->cx);
    memset(o, 0, sizeof *o);
}

/* escalate_ask.c - asking the evaluator about the requests of an
 * escalation method: whether the acting node may do an action at all (the
 * cheap test), a confirmed request for it on a resource (the solver), an
 * sts:AssumeRole under a trust policy with its conditions solved, whether a
 * role trusts a service (cached), and recording the steps of an edge. */
#include <stdio.h>
#include <string.h>

#include "analyze/cond.h"
#include "analyze/escalate/escalate_int.h"
#include "eval/env.h"
#include "util/alloc.h"

/* ---- asking about one request ---------------------------------------------- */

es_node *esa_node(const actor *a) { return &a->g->nodes[a->n]; }

/* Whether the actor may do an action at all (on some resource, under some
 * conditions): the cheap test before any request is built. */
bool esa_has(const actor *a, const char *action)
{
    uint32_t id = es_action_id(a->g, action);
    return id != IG_CATALOG_NONE && an_effective_find(&esa_node(a)->eff, id) != NULL;
}

bool esa_has_all(const actor *a, const es_technique *t)
{
    for (uint32_t k = 0; k < t->ncalls; k++)
        if (!esa_has(a, t->calls[k].action))
            return false;
    return true;
}

bool esa_tech_mask(actor *a)
{
    bool any = false;
    memset(a->techs, 0, sizeof a->techs);
    for (size_t m = 0; m < ES_NTECHNIQUES; m++)
        if (esa_has_all(a, &ES_TECHNIQUES[m])) {
            a->techs[m / 64] |= (uint64_t)1 << (m % 64);
            any = true;
        }
    return any;
}

static void esa_matched_refs(const an_request *r, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (uint32_t i = 0; i < r->res.nmatched && o + 1 < cap; i++) {
        const ig_matched_statement *m = &r->res.matched[i];
        const char *file = ig_policy_file(m->policy);
        int w;
        if (file && file[0])
            w = snprintf(out + o, cap - o, "%s%s:%u:%u%s%s%s", i ? "; " : "", file, m->start_line,
                         m->start_column, m->sid ? " (" : "", m->sid ? m->sid : "", m->sid ? ")" : "");
        else
            w = snprintf(out + o, cap - o, "%s%s%s%s", i ? "; " : "", ig_policy_id(m->policy),
                         m->sid ? " " : "", m->sid ? m->sid : "");
        if (w < 0)
            break;
        o += (size_t)w;
    }
}

/* The request as fields: action, where the resource is in the text, the
 * context entries, the statements that allowed it. */
static void esa_fields(es_step *s, const an_request *r)
{
    snprintf(s->action, sizeof s->action, "%.95s", r->action);
    size_t skip = strlen(r->action) + 4;       /* "ACTION on " */
    size_t desc = strlen(s->call);
    s->desc_len = (uint16_t)desc;
    s->res_at = (uint16_t)(skip < desc ? skip : desc);
    size_t rl = strlen(r->resource);
    s->res_len = (uint16_t)(s->res_at + rl <= desc ? rl : desc - s->res_at);
    size_t o = 0;
    s->ctx[0] = '\0';
    for (size_t i = 0; i < r->nctx && o < sizeof s->ctx; i++) {
        int w = r->absent[i] ? snprintf(s->ctx + o, sizeof s->ctx - o, "%s\x1d\x1f", r->keys[i])
                             : snprintf(s->ctx + o, sizeof s->ctx - o, "%s\x1e%s\x1f", r->keys[i], r->vals[i]);
        if (w < 0 || (size_t)w >= sizeof s->ctx - o) {
            s->ctx[o] = '\0';          /* an entry that does not fit is left out whole */
            break;
        }
        o += (size_t)w;
    }
    s->nby = 0;
    for (uint32_t i = 0; i < r->res.nmatched && s->nby < ES_MAX_BY; i++) {
        const ig_matched_statement *m = &r->res.matched[i];
        const char *file = ig_policy_file(m->policy);
        s->at[s->nby++] = (es_by){ file && file[0] ? file : ig_policy_id(m->policy), m->start_line,
                                   m->start_column, m->sid };
    }
}

void esa_record(actor *a, const an_request *r, const char *extra)
{
    if (a->nsteps >= ES_MAX_STEPS)
        return;
    es_step *s = &a->steps[a->nsteps++];
    an_request_describe(r, s->call, sizeof s->call);
    esa_fields(s, r);
    if (extra) {
        size_t l = strlen(s->call);
        snprintf(s->call + l, sizeof s->call - l, " %s", extra);
    }
    esa_matched_refs(r, s->by, sizeof s->by);
}

const lang_expr *esa_pattern_expr(es_graph *g, const char *fmt, const char *acct)
{
    char pat[512];
    snprintf(pat, sizeof pat, fmt, acct);
    return es_pattern_cached(g, pat);
}

const lang_expr *esa_literal_expr(es_graph *g, const char *s)
{
    lang_pat *lp = ig_arena_alloc(&g->arena, sizeof *lp);
    if (!lp || !lang_literal(&g->arena, s, strlen(s), lp))
        return NULL;
    return lang_e_pat(&g->arena, lp);
}

/* A request the actor could make only at another time: kept (the first
 * one per node) for the report. */
static void esa_timed(actor *a, const char *action, const char *on)
{
    an_ctx *c = a->g->c;
    es_node *x = esa_node(a);
    if (!c->timed[0] || x->timed)
        return;
    char buf[700];
    snprintf(buf, sizeof buf, "%s%s%s %s", action, on ? " on " : "", on ? on : "", c->timed);
    x->timed = an_account_strdup(a->g->a, buf);
}

/* Can the actor do `action` on a resource in `universe` (or exactly
 * `literal`), with the context entries `fx`?  Records the step. */
static int esa_can_uncached(actor *a, const char *action, const lang_expr *universe,
                            const char *literal, const an_fixed *fx, size_t nfx,
                            const ig_policy *rp, const char *extra, char *res_out, size_t rcap)
{
    es_graph *g = a->g;
    uint32_t id = es_action_id(g, action);
    if (id == IG_CATALOG_NONE)
        return 0;
    const an_group *grp = an_effective_find(&esa_node(a)->eff, id);
    if (!grp)
        return 0;
    if (literal && !lang_expr_matches(grp->any_expr, literal, strlen(literal),
                                      !strcmp(literal, "*")))
        return 0;
    if (literal) {
        universe = es_scratch_literal(g, literal);
        if (!universe)
            return 0;
    } else if (grp->star_only == AN_U_STAR) {
        universe = NULL;            /* the action takes no resource: "*" */
    }
    static _Thread_local an_request r;
    an_question q = { .resources = universe, .fixed = fx, .nfixed = nfx, .resource_policy = rp,
                      .account_hint = a->acct };
    g->c->timed[0] = '\0';
    for (uint32_t k = 0; k < grp->ngrants; k++) {
        g->checks++;
        if (an_find_request(g->c, &esa_node(a)->eff.subj, grp, &grp->grants[k], id, &q, &r)) {
            esa_record(a, &r, extra);
            if (res_out)
                snprintf(res_out, rcap, "%s", r.resource);
            return 1;
        }
    }
    esa_timed(a, action, literal);
    return 0;
}

/* Asked again for another target, a step that does not depend on it (the
 * function a role is passed to, say) is answered from the node's memo. */
int esa_can(actor *a, const char *action, const lang_expr *universe, const char *literal,
            const an_fixed *fx, size_t nfx, const ig_policy *rp, const char *extra,
            char *res_out, size_t rcap)
{
    char key[2400];
    bool memo = !nfx && !rp && a->nsteps < ES_MAX_STEPS &&
                es_memo_key(key, sizeof key, action, universe, literal, extra);
    const es_memo *m = memo ? es_memo_find(a->g, a->n, key) : NULL;
    if (m) {
        if (m->found) {
            es_step *st = &a->steps[a->nsteps++];
            snprintf(st->call, sizeof st->call, "%s", m->call);
            snprintf(st->by, sizeof st->by, "%s", m->by);
            if (res_out)
                snprintf(res_out, rcap, "%s", m->res);
        }
        return m->found;
    }
    uint32_t before = a->nsteps;
    char res[2048] = "";
    int found = esa_can_uncached(a, action, universe, literal, fx, nfx, rp, extra, res, sizeof res);
    if (found && res_out)
        snprintf(res_out, rcap, "%s", res);
    if (memo && (!found || a->nsteps == before + 1))
        es_memo_put(a->g, a->n, key, found, found ? &a->steps[before] : NULL, res);
    return found;
}

/* sts:AssumeRole of a role under a trust policy, with the context its
 * conditions (and the actor's own) ask for. */
int esa_assume(actor *a, const an_principal *t, const ig_policy *trust, const char *extra)
{
    es_graph *g = a->g;
    static _Thread_local an_request r;
    memset(&r, 0, sizeof r);
    r.clock = &g->c->clock;
    snprintf(r.action, sizeof r.action, "sts:AssumeRole");
    snprintf(r.resource, sizeof r.resource, "%s", t->arn);
    g->checks++;
    if (an_request_eval(esa_node(a)->env, &r, trust, NULL) == IG_OK && r.res.decision == IG_ALLOWED) {
        esa_record(a, &r, extra);
        return 1;
    }
    /* Conditions of the trust policy (and of the actor's grant), when
     * there are any. */
    bool conditional = false;
    const an_pol *tp0 = an_policy(g->c, trust);
    for (uint32_t s = 0; tp0 && s < tp0->nstmts; s++)
        conditional |= !tp0->stmts[s].deny && tp0->stmts[s].has_cond;
    uint32_t aid = ig_catalog_action_find(g->c->cat, "sts:AssumeRole", 14);
    const an_group *ag = an_effective_find(&esa_node(a)->eff, aid);
    for (uint32_t o = 0; ag && ag->ngrants && o < ag->grants[0].nopts; o++)
        conditional |= ag->grants[0].opts[o]->conditional;
    if (!conditional)
        return 0;
    an_subject subj;
    ig_arena tmp;
    ig_arena_init(&tmp);
    if (!an_subject_init(g->c, &tmp, esa_node(a)->env, &subj)) {
        ig_arena_free(&tmp);
        return 0;
    }
    an_prober *pr = an_prober_new(esa_node(a)->env);
    const an_pol *tp = an_policy(g->c, trust);
    g->c->timed[0] = '\0';
    uint32_t id = ig_catalog_action_find(g->c->cat, "sts:AssumeRole", 14);
    const an_group *grp = an_effective_find(&esa_node(a)->eff, id);
    int found = 0;
    for (uint32_t s = 0; pr && tp && s < tp->nstmts && !found; s++) {
        const an_stmt *st = &tp->stmts[s];
        if (st->deny || !st->has_cond || !an_bit(st->acts, id))
            continue;
        an_condset cs;
        an_condset_init(&cs);
        an_condset_add_stmt(&cs, st, true);
        if (grp && grp->ngrants)
            for (uint32_t o = 0; o < grp->grants[0].nopts; o++)
                for (uint32_t k = 0; k < grp->grants[0].opts[o]->nstmts; k++)
                    an_condset_add_stmt(&cs, grp->grants[0].opts[o]->stmts[k], true);
        memset(&r, 0, sizeof r);
        r.clock = &g->c->clock;
        snprintf(r.action, sizeof r.action, "sts:AssumeRole");
        snprintf(r.resource, sizeof r.resource, "%s", t->arn);
        an_question q = { .account_hint = a->acct };
        an_condset_solve(g->c, &subj, pr, &cs, &q, &r);
        g->checks++;
        if (an_request_eval(esa_node(a)->env, &r, trust, NULL) == IG_OK && r.res.decision == IG_ALLOWED) {
            esa_record(a, &r, extra);
            found = 1;
        }
        an_condset_free(&cs);
    }
    if (!found)
        esa_timed(a, "sts:AssumeRole", t->arn);
    an_prober_free(pr);
    ig_arena_free(&tmp);
    return found;
}


static int esa_service_trusts_uncached(es_graph *g, const an_principal *t, const char *service);

/* 1: the role's trust policy lets the service assume it; 2: it may (the
 * model lacks the trust policy); 0: it does not.  Cached per principal. */
int esa_service_trusts(es_graph *g, const an_principal *t, const char *service)
{
    long p = t - g->a->p;
    static _Thread_local const char *services[ES_MAX_SERVICES];
    static _Thread_local size_t nservices;
    if (!nservices)
        nservices = es_tech_services(services, ES_MAX_SERVICES);
    size_t k = 0;
    while (k < nservices && strcmp(services[k], service))
        k++;
    if (k >= nservices || p < 0 || (size_t)p >= g->npinfo)
        return esa_service_trusts_uncached(g, t, service);
    uint8_t *c = &g->pinfo[p].svc_trust[k];
    if (!*c) {
        int r = esa_service_trusts_uncached(g, t, service);
        *c = (uint8_t)(r == 1 ? 2 : r == 2 ? 3 : 1);
    }
    return *c == 2 ? 1 : *c == 3 ? 2 : 0;
}

/* Whether a role's trust policy names any AWS principal (an account, a
 * user, a role, "*"), and whether its Allows have conditions: a trust
 * policy of services and identity providers lets no IAM caller in. */
bool esa_trust_lets_aws(es_graph *g, long p)
{
    es_pinfo *pi = &g->pinfo[p];
    if (pi->trust_aws < 0) {
        const ig_policy *t = g->a->p[p].trust;
        pi->trust_aws = 0;
        for (uint32_t s = 0; t && s < t->nstmts; s++) {
            const ig_stmt *st = &t->stmts[s];
            if (st->deny)
                continue;
            pi->trust_cond |= st->nconds > 0;
            if (st->principal_mode != ELEM_POSITIVE)
                pi->trust_aws = 1;
            for (uint32_t k = 0; k < st->nprincipals; k++) {
                uint8_t kind = st->principals[k].kind;
                if (kind != PE_SERVICE && kind != PE_FEDERATED && kind != PE_CANONICAL)
                    pi->trust_aws = 1;
            }
        }
    }
    return pi->trust_aws == 1;
}

static int esa_service_trusts_uncached(es_graph *g, const an_principal *t, const char *service)
{
    if (!t->trust)
        return t->trust_unknown ? 2 : 0;
    ig_env *env = ig_env_new();
    if (!env || ig_env_set_service_principal(env, service) != IG_OK) {
        ig_env_free(env);
        return 0;
    }
    ig_request req = { .action = "sts:AssumeRole", .resource = t->arn, .resource_policy = t->trust };
    ig_result res;
    g->checks++;
    int ok = ig_evaluate(env, &req, 0, &res) == IG_OK && res.decision == IG_ALLOWED;
    ig_env_free(env);
    return ok;
}

/* ---- edges ----------------------------------------------------------------------- */

int esa_add_edge(actor *a, int kind, const es_key *target, const char *method,
                    const char *assumes)
{
    es_graph *g = a->g;
    uint32_t t = es_node_of(g, target);
    if (t == UINT32_MAX)
        return es_node_failed(g);
    es_node *x = esa_node(a);
    for (uint32_t i = 0; i < x->nedges; i++)
        if (x->edges[i].target == t && x->edges[i].kind == kind)
            return IG_OK;           /* one way there is enough */
    if (x->nedges == x->ecap) {
        uint32_t nc = x->ecap ? x->ecap * 2 : 8;
        es_edge *ne = ig_realloc(x->edges, nc * sizeof *ne);
        if (!ne)
            return IG_E_NOMEM;
        x->edges = ne;
        x->ecap = nc;
    }
    es_edge *e = &x->edges[x->nedges++];
    e->kind = kind;
    e->target = t;
    e->method = method;
    e->assumes = assumes;
    e->nsteps = a->nsteps;
    e->steps = ig_arena_alloc(&g->arena, (a->nsteps ? a->nsteps : 1) * sizeof *e->steps);
    if (!e->steps)
        return IG_E_NOMEM;
    for (uint32_t i = 0; i < a->nsteps; i++) {
        const es_step *src = &a->steps[i];
        es_stepref *dst = &e->steps[i];
        dst->call = es_intern(g, src->call);
        dst->by = es_intern(g, src->by);
        dst->action = es_intern(g, src->action);
        dst->ctx = es_intern(g, src->ctx);
        dst->res_at = src->res_at;
        dst->res_len = src->res_len;
        dst->desc_len = src->desc_len;
        dst->nby = src->nby;
        memcpy(dst->at, src->at, sizeof dst->at);
        if (!dst->call || !dst->by || !dst->action || !dst->ctx)
            return IG_E_NOMEM;
    }
    return IG_OK;
}

es_key esa_base_key(long p)
{
    return (es_key){ .p = p, .bnd = ES_BND_OWN };
}

/* The ARN the actor is named by in a trust policy it writes. */
const char *esa_actor_arn(const actor *a)
{
    const an_principal *p = &a->g->a->p[esa_node(a)->key.p];
    return p->arn;
}

/* A trust policy the attacker writes: naming one principal, or "*" (anyone
 * -- which also works when a boundary keeps the writer itself from
 * assuming a role that names it). */
ig_policy *esa_trust_for(es_graph *g, const char *arn)
{
    char json[1600];
    snprintf(json, sizeof json,
             "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
             "\"Principal\":{\"AWS\":\"%s\"},\"Action\":\"sts:AssumeRole\"}]}", arn);
    return an_account_compile(g->a, json, IG_POLICY_RESOURCE,
                              strcmp(arn, "*") ? "trust policy written by the attacker (naming the caller)"
                                               : "trust policy written by the attacker (anyone may assume)");
}

/* Rewrite a role's trust policy and assume it: naming the actor, else
 * naming anyone. */
static void esa_append(es_step *st, const char *text)
{
    size_t l = strlen(st->call);
    snprintf(st->call + l, sizeof st->call - l, "%s", text);
}

bool esa_retrust_and_assume(actor *a, const an_principal *tp)
{
    uint32_t keep = a->nsteps;
    ig_policy *trust = esa_trust_for(a->g, esa_actor_arn(a));
    es_step saved;
    if (keep)
        saved = a->steps[keep - 1];
    else
        memset(&saved, 0, sizeof saved);
    if (keep)
        esa_append(&a->steps[keep - 1], " (a new trust policy naming the caller)");
    if (trust && esa_assume(a, tp, trust, NULL))
        return true;
    a->nsteps = keep;
    if (keep) {
        a->steps[keep - 1] = saved;
        esa_append(&a->steps[keep - 1], " (a new trust policy with Principal \"*\": anyone may assume it)");
    }
    trust = esa_trust_for(a->g, "*");
    return trust && esa_assume(a, tp, trust, NULL);
}

/* The boundary context of an IAM call on a principal. */
size_t esa_boundary_fixed(const an_principal *t, an_fixed *fx, const char **val)
{
    val[0] = t->boundary_arn;
    fx[0] = (an_fixed){ "iam:PermissionsBoundary", val, t->boundary_arn ? 1u : 0u };
    return 1;
}

/* Become a role: assume it, rewrite its trust, pass it to a service,
 * or change code that runs as it. */

/* access.c - exact access checks.
 *
 * A check asks whether some request in a set is allowed.  The answer comes
 * in three parts, in this order:
 *   1. the resources each grant allows, conditions aside, are intersected
 *      with the question's resources (and, for no-new-access, with what the
 *      old policies do not allow); an empty intersection for every grant is
 *      a proof, because conditions only ever narrow an Allow;
 *   2. a grant whose conditions can never hold for this caller and these
 *      constraints (cond.c decides that, conservatively) drops out;
 *   3. for what remains, solve.c builds a concrete request, and only when
 *      ig_evaluate allows it (and, for no-new-access, the old policies do
 *      not) is it reported as a counterexample.
 * A grant that survives 1 and 2 without a confirmed request makes the
 * verdict "unknown", with the grant named -- never "proved". */
#include <stdio.h>
#include <string.h>

#include "analyze/access.h"
#include "analyze/cond.h"
#include "analyze/probe.h"
#include "analyze/report.h"
#include "eval/env.h"
#include "util/alloc.h"
#include "util/str.h"

#define TRY_ACTIONS 3

typedef struct {
    an_ctx *c;
    an_check *out;
    bool found;
    uint32_t undecided;
} scan_state;

static void note_unknown(scan_state *st, const an_group *g, const an_grant *gr, const char *why)
{
    if (st->undecided++ || !st->out)
        return;
    char ref[400] = "";
    if (gr && gr->nopts && gr->opts[0]->nstmts)
        an_stmt_ref(gr->opts[0]->stmts[0], ref, sizeof ref);
    snprintf(st->out->reason, sizeof st->out->reason, "%s:%s%s%s", why,
             g ? " " : "", g ? st->c->names[g->actions[0]] : "", ref[0] ? " (" : "");
    if (ref[0]) {
        size_t l = strlen(st->out->reason);
        snprintf(st->out->reason + l, sizeof st->out->reason - l, "%s)", ref);
    }
}

static int grant_feasible(an_ctx *c, const an_subject *s, const an_grant *gr, const an_question *q)
{
    an_prober *pr = an_prober_new(s->env);
    if (!pr)
        return 1;
    an_condset cs;
    an_condset_init(&cs);
    for (uint32_t i = 0; i < gr->nopts; i++)
        for (uint32_t k = 0; k < gr->opts[i]->nstmts; k++)
            an_condset_add_stmt(&cs, gr->opts[i]->stmts[k], true);
    int f = an_condset_feasible(c, s, pr, &cs, q);
    an_condset_free(&cs);
    an_prober_free(pr);
    return f;
}

/* Write down what allowed the counterexample while its policies exist. */
static void snapshot(an_check *out)
{
    size_t o = 0;
    out->allowed_by[0] = '\0';
    for (uint32_t i = 0; i < out->cx.res.nmatched && o + 1 < sizeof out->allowed_by; i++) {
        const ig_matched_statement *m = &out->cx.res.matched[i];
        const char *file = ig_policy_file(m->policy);
        int w = file && file[0]
            ? snprintf(out->allowed_by + o, sizeof out->allowed_by - o, "%s%s:%u:%u%s%s%s", i ? "; " : "",
                       file, m->start_line, m->start_column, m->sid ? " (" : "", m->sid ? m->sid : "",
                       m->sid ? ")" : "")
            : snprintf(out->allowed_by + o, sizeof out->allowed_by - o, "%s%s%s%s%s", i ? "; " : "",
                       ig_policy_id(m->policy), m->sid ? " (" : "", m->sid ? m->sid : "", m->sid ? ")" : "");
        if (w < 0)
            break;
        o += (size_t)w;
    }
    out->cx.res.nmatched = 0;
}

/* The conditional denies of a grant that apply to every request of the
 * question (their conditions are on fixed keys and hold): their resources
 * are out, as with an unconditional deny. */
static const lang_expr *certain_denies(an_ctx *c, const an_subject *s, const an_grant *gr,
                                       const an_question *q, ig_arena *A)
{
    if (!gr->nunless)
        return lang_e_const(A, true);
    const lang_expr **k = ig_arena_alloc(A, gr->nunless * sizeof *k);
    an_prober *pr = an_prober_new(s->env);
    if (!k || !pr) {
        an_prober_free(pr);
        return lang_e_const(A, true);
    }
    size_t n = 0;
    for (uint32_t d = 0; d < gr->nunless; d++) {
        an_condset cs;
        an_condset_init(&cs);
        an_condset_add_stmt(&cs, gr->unless[d], true);
        if (an_condset_certain(c, s, pr, &cs, q) == 1)
            k[n++] = lang_e_not(A, gr->unless[d]->res_expr);
        an_condset_free(&cs);
    }
    an_prober_free(pr);
    return lang_e_nary(A, LE_AND, k, n);
}

/* Look through one effective result for an allowed request within
 * `limit` (a formula per group, or NULL for `res`). */
typedef const lang_expr *(*limit_fn)(void *ctx, ig_arena *A, const an_group *g, uint32_t action);

static void scan(scan_state *st, const an_effective *e, const lang_expr *res,
                 const an_question *q0, limit_fn limit, void *lctx)
{
    an_ctx *c = st->c;
    for (uint32_t gi = 0; gi < e->ngroups && !st->found; gi++) {
        const an_group *g = &e->groups[gi];
        ig_arena A;
        ig_arena_init(&A);
        st->out->groups++;
        /* Actions of a group may differ in what "old" allows them: take
         * them in runs that share the limit. */
        for (uint32_t ai = 0; ai < g->nactions && !st->found;) {
            const lang_expr *lim = limit ? limit(lctx, &A, g, g->actions[ai]) : NULL;
            uint32_t aj = ai + 1;
            while (limit && aj < g->nactions && limit(lctx, &A, g, g->actions[aj]) == lim)
                aj++;
            const lang_expr *w2[2] = { res ? res : lang_e_const(&A, true),
                                       lim ? lang_e_not(&A, lim) : lang_e_const(&A, true) };
            const lang_expr *within = lang_e_nary(&A, LE_AND, w2, 2);
            const lang_expr *chk[2] = { within, g->any_expr };
            if (an_search(c, lang_e_nary(&A, LE_AND, chk, 2), g->star_only, NULL, 0) == LANG_EMPTY) {
                ai = aj;
                continue;
            }
            for (uint32_t k = 0; k < g->ngrants && !st->found; k++) {
                const an_grant *gr = &g->grants[k];
                st->out->grants++;
                const lang_expr *both[3] = { gr->expr, within, certain_denies(c, &e->subj, gr, q0, &A) };
                lang_answer a = an_search(c, lang_e_nary(&A, LE_AND, both, 3), g->star_only, NULL, 0);
                if (a == LANG_EMPTY)
                    continue;
                if (a == LANG_UNKNOWN) {
                    note_unknown(st, g, gr, "a resource set too complex to decide within the search bound");
                    continue;
                }
                if (!grant_feasible(c, &e->subj, gr, q0))
                    continue;
                an_question q = *q0;
                q.resources = within;
                for (uint32_t t = ai; t < aj && t < ai + TRY_ACTIONS && !st->found; t++)
                    st->found = an_find_request(c, &e->subj, g, gr, g->actions[t], &q, &st->out->cx);
                if (st->found)
                    snapshot(st->out);
                if (!st->found)
                    note_unknown(st, g, gr, "allowed only under conditions no request iamguard built could meet");
            }
            if (g->unknown && !st->found)
                note_unknown(st, g, NULL, "too many combinations of statements to list");
            ai = aj;
        }
        ig_arena_free(&A);
    }
}

static void finish(scan_state *st, const char *proof)
{
    an_check *out = st->out;
    if (st->found) {
        out->verdict = IG_VERDICT_REFUTED;
        out->reason[0] = '\0';
    } else if (st->undecided || st->c->unknown_hit) {
        out->verdict = IG_VERDICT_UNKNOWN;
        if (!out->reason[0])
            snprintf(out->reason, sizeof out->reason, "a search bound was reached");
    } else {
        out->verdict = IG_VERDICT_PROVED;
        snprintf(out->reason, sizeof out->reason, "%s", proof);
    }
}

/* ---- subjects with a resource policy ------------------------------------------- */

/* The resource policy's statements that apply to the caller, by class. */
static ig_policy *rp_subset(const ig_env *env, const ig_policy *rp, int min_grant, int max_grant,
                            bool denies_only, const char *id)
{
    uint32_t *idx = ig_malloc((rp->nstmts + 1) * sizeof *idx);
    if (!idx)
        return NULL;
    size_t n = 0;
    for (uint32_t i = 0; i < rp->nstmts; i++) {
        const ig_stmt *st = &rp->stmts[i];
        int g = an_principal_grant(env, st);
        if (st->deny ? g != AN_GRANT_NONE : (!denies_only && g >= min_grant && g <= max_grant))
            idx[n++] = i;
    }
    ig_policy *p = an_policy_subset(rp, idx, n, IG_POLICY_IDENTITY, id);
    ig_free(idx);
    return p;
}

static bool add_layer(an_ctx *c, ig_arena *A, an_subject *s, uint8_t kind, const ig_policy *p)
{
    if (s->nlayers >= AN_MAX_LAYERS)
        return false;
    an_layer *l = &s->layers[s->nlayers++];
    l->kind = kind;
    l->npols = p ? 1 : 0;
    l->pols = ig_arena_alloc(A, sizeof *l->pols);
    if (!l->pols)
        return false;
    if (p && !(l->pols[0] = an_policy(c, p)))
        return false;
    return true;
}

/* ---- not granted ----------------------------------------------------------------- */

static int run_subject(scan_state *st, const an_subject *s, const uint64_t *filter,
                       const lang_expr *res, const an_question *q)
{
    an_effective e;
    int rc = an_effective_subject(st->c, s, filter, &e);
    if (rc == IG_E_LIMIT) {
        /* More statements than the grouping takes: this caller's side is
         * undecided, the verdict unknown -- never "proved". */
        note_unknown(st, NULL, NULL, "more statements than the analysis takes");
        return IG_OK;
    }
    if (rc != IG_OK)
        return rc;
    scan(st, &e, res, q, NULL, NULL);
    an_effective_free(&e);
    return IG_OK;
}

int an_check_not_granted(an_ctx *c, const ig_env *env, const uint64_t *filter,
                         const lang_expr *resources, const an_kcons *kc, size_t nkc,
                         const ig_policy *resource_policy, an_check *out)
{
    memset(out, 0, sizeof *out);
    c->unknown_hit = false;
    scan_state st = { .c = c, .out = out };
    an_question q = { .kc = kc, .nkc = nkc, .resource_policy = resource_policy };
    ig_arena A;
    ig_arena_init(&A);
    an_subject s;
    int rc = IG_E_NOMEM;
    ig_policy *denies = NULL, *exact = NULL, *role = NULL;
    if (!an_subject_init(c, &A, env, &s))
        goto out;
    if (resource_policy) {
        denies = rp_subset(env, resource_policy, 0, 0, true, "resource policy (denies)");
        exact = rp_subset(env, resource_policy, AN_GRANT_EXACT, AN_GRANT_EXACT, false,
                          "resource policy (naming the caller)");
        role = rp_subset(env, resource_policy, AN_GRANT_ROLE, AN_GRANT_ROLE, false,
                         "resource policy (naming the caller's role)");
        if (!denies || !exact || !role || !add_layer(c, &A, &s, AN_L_DENIES, denies))
            goto out;
    }
    rc = run_subject(&st, &s, filter, resources, &q);
    /* A resource policy that names the caller grants on its own (exactly),
     * or capped by the boundary and session policy (its role). */
    for (int path = 0; rc == IG_OK && resource_policy && path < 2 && !st.found; path++) {
        an_subject r;
        memset(&r, 0, sizeof r);
        r.env = env;
        if (!add_layer(c, &A, &r, AN_L_IDENTITY, path ? role : exact)) {
            rc = IG_E_NOMEM;
            break;
        }
        for (uint32_t l = 1; l < s.nlayers; l++) {
            uint8_t k = s.layers[l].kind;
            if ((path == 0 && (k == AN_L_BOUNDARY || k == AN_L_SESSION)) || r.nlayers >= AN_MAX_LAYERS)
                continue;
            r.layers[r.nlayers++] = s.layers[l];
        }
        rc = run_subject(&st, &r, filter, resources, &q);
    }
    if (rc == IG_OK) {
        finish(&st, "every grant's resources miss the resources in question, or its conditions "
                    "cannot hold");
        if (out->verdict == IG_VERDICT_REFUTED)
            snprintf(out->caller, sizeof out->caller, "%s", env->arn);
    }
out:
    an_forget(c, denies);
    an_forget(c, exact);
    an_forget(c, role);
    ig_policy_free(denies);
    ig_policy_free(exact);
    ig_policy_free(role);
    ig_arena_free(&A);
    return rc;
}

/* ---- no new access ---------------------------------------------------------------- */

static bool same_cond(const ig_cond *a, const ig_cond *b)
{
    if (strcmp(a->op_raw, b->op_raw) || strcmp(a->key, b->key) || a->nvals != b->nvals)
        return false;
    for (uint32_t i = 0; i < a->nvals; i++)
        if (a->vals[i].raw_len != b->vals[i].raw_len ||
            memcmp(a->vals[i].raw, b->vals[i].raw, a->vals[i].raw_len))
            return false;
    return true;
}

static bool grant_has_cond(const an_grant *gr, const ig_cond *c)
{
    for (uint32_t i = 0; i < gr->nopts; i++)
        for (uint32_t s = 0; s < gr->opts[i]->nstmts; s++) {
            const ig_stmt *st = gr->opts[i]->stmts[s]->st;
            for (uint32_t k = 0; k < st->nconds; k++)
                if (same_cond(&st->conds[k], c))
                    return true;
        }
    return false;
}

/* Every condition of the old grant is one of the new grant's: whenever the
 * new one's conditions hold, the old one's do. */
static bool conds_implied(const an_grant *oldg, const an_grant *newg)
{
    for (uint32_t i = 0; i < oldg->nopts; i++)
        for (uint32_t s = 0; s < oldg->opts[i]->nstmts; s++) {
            const ig_stmt *st = oldg->opts[i]->stmts[s]->st;
            for (uint32_t k = 0; k < st->nconds; k++)
                if (!grant_has_cond(newg, &st->conds[k]))
                    return false;
        }
    return true;
}

static bool same_stmt_text(const an_stmt *a, const an_stmt *b)
{
    const ig_stmt *x = a->st, *y = b->st;
    if (x->deny != y->deny || x->nconds != y->nconds || x->nresources != y->nresources ||
        x->resource_mode != y->resource_mode)
        return false;
    for (uint32_t i = 0; i < x->nconds; i++)
        if (!same_cond(&x->conds[i], &y->conds[i]))
            return false;
    for (uint32_t i = 0; i < x->nresources; i++)
        if (strcmp(x->resources[i].raw, y->resources[i].raw))
            return false;
    return true;
}

#define OLD_CACHE 64

typedef struct {
    an_ctx *c;
    const an_effective *old;
    const an_grant *newg;       /* the new grant being examined (conditions) */
    /* One formula per old group, so that actions sharing one share it. */
    const an_group *cached[OLD_CACHE];
    const lang_expr *expr[OLD_CACHE];
    uint32_t ncached;
} old_ctx;

/* What the old policies surely allow for an action: the grants whose
 * conditions the new grant implies, minus every conditional deny the new
 * grant does not share. */
static const lang_expr *old_allows(void *vctx, ig_arena *A, const an_group *g, uint32_t action)
{
    (void)g;
    old_ctx *o = vctx;
    static const lang_expr nothing = { .op = LE_FALSE };
    const an_group *og = an_effective_find(o->old, action);
    if (!og)
        return &nothing;
    for (uint32_t i = 0; i < o->ncached; i++)
        if (o->cached[i] == og)
            return o->expr[i];
    const lang_expr **alts = ig_arena_alloc(A, (og->ngrants + 1) * sizeof *alts);
    if (!alts)
        return NULL;
    size_t n = 0;
    for (uint32_t k = 0; k < og->ngrants; k++) {
        const an_grant *gr = &og->grants[k];
        if (o->newg && !conds_implied(gr, o->newg))
            continue;
        const lang_expr **parts = ig_arena_alloc(A, (gr->nunless + 1) * sizeof *parts);
        if (!parts)
            return NULL;
        size_t np = 0;
        parts[np++] = gr->expr;
        for (uint32_t d = 0; d < gr->nunless; d++) {
            bool shared = false;
            for (uint32_t e = 0; o->newg && e < o->newg->nunless; e++)
                shared |= same_stmt_text(gr->unless[d], o->newg->unless[e]);
            if (!shared)
                parts[np++] = lang_e_not(A, gr->unless[d]->res_expr);
        }
        alts[n++] = lang_e_nary(A, LE_AND, parts, np);
    }
    const lang_expr *e = lang_e_nary(A, LE_OR, alts, n);
    if (o->ncached < OLD_CACHE) {
        o->cached[o->ncached] = og;
        o->expr[o->ncached++] = e;
    }
    return e;
}

typedef struct {
    const ig_env *old_env;
    const ig_policy *old_rp;
} accept_ctx;

static bool old_denies(void *vctx, const an_request *r)
{
    const accept_ctx *a = vctx;
    an_request copy = *r;
    return an_request_eval(a->old_env, &copy, a->old_rp, r->req.resource_account) == IG_OK &&
           copy.res.decision != IG_ALLOWED;
}

/* Like scan, but grant by grant so the old side can follow the new
 * grant's conditions. */
static void scan_new(scan_state *st, const an_effective *newe, const an_effective *olde,
                     const an_question *q, const lang_expr *res)
{
    old_ctx oc = { .c = st->c, .old = olde };
    for (uint32_t gi = 0; gi < newe->ngroups && !st->found; gi++) {
        const an_group *g = &newe->groups[gi];
        an_effective one = *newe;
        /* A view of this group with one grant at a time. */
        for (uint32_t k = 0; k < g->ngrants && !st->found; k++) {
            an_group solo = *g;
            solo.grants = &g->grants[k];
            solo.ngrants = 1;
            solo.any_expr = g->grants[k].expr;
            one.groups = &solo;
            one.ngroups = 1;
            one.index = NULL;       /* its index is the whole effective's */
            oc.newg = &g->grants[k];
            oc.ncached = 0;
            scan(st, &one, res, q, old_allows, &oc);
        }
    }
}

int an_check_no_new_access(an_ctx *c, const ig_env *old_env, const ig_env *new_env,
                           const uint64_t *filter, an_check *out)
{
    memset(out, 0, sizeof *out);
    c->unknown_hit = false;
    an_effective olde, newe;
    int rc = an_effective_compute(c, old_env, filter, &olde);
    if (rc == IG_OK) {
        rc = an_effective_compute(c, new_env, filter, &newe);
        if (rc != IG_OK)
            an_effective_free(&olde);
    }
    if (rc == IG_E_LIMIT) {
        out->verdict = IG_VERDICT_UNKNOWN;
        snprintf(out->reason, sizeof out->reason,
                 "more statements than the analysis takes (%u per caller)", AN_MAX_STATEMENTS);
        return IG_OK;
    }
    if (rc != IG_OK)
        return rc;
    scan_state st = { .c = c, .out = out };
    accept_ctx ac = { old_env, NULL };
    an_question q = { .accept = old_denies, .accept_ctx = &ac };
    scan_new(&st, &newe, &olde, &q, NULL);
    finish(&st, "every grant of the new policies lies within what the old ones allow under the "
                "same conditions");
    if (out->verdict == IG_VERDICT_REFUTED)
        snprintf(out->caller, sizeof out->caller, "%s", new_env->arn);
    an_effective_free(&olde);
    an_effective_free(&newe);
    return IG_OK;
}

/* ---- callers outside, and every kind of caller --------------------------------------- */

/* An account id no policy text names, for "some other account". */
static void fresh_account(const ig_policy *a, const ig_policy *b, char *out, size_t cap)
{
    char *ta = a ? ig_policy_to_json(a, false) : NULL, *tb = b ? ig_policy_to_json(b, false) : NULL;
    for (unsigned k = 0; k < 100; k++) {
        snprintf(out, cap, "%012u", 999999999u - k);
        memmove(out, "999", 3);
        if ((!ta || !strstr(ta, out)) && (!tb || !strstr(tb, out)))
            break;
    }
    ig_free(ta);
    ig_free(tb);
}

/* Literal values an outsider's self-chosen keys are compared with: the
 * owner's organization, accounts, endpoints.  An outsider cannot have them. */
static size_t owner_values(const ig_policy *p, an_kcons *kc, size_t cap)
{
    size_t n = 0;
    for (uint32_t s = 0; s < p->nstmts; s++) {
        const ig_stmt *st = &p->stmts[s];
        for (uint32_t k = 0; k < st->nconds; k++) {
            const ig_cond *cd = &st->conds[k];
            if ((cd->op->vtype != VT_STRING && cd->op->vtype != VT_ARN) ||
                !an_key_outsider_chosen(cd->key_orig))
                continue;
            for (uint32_t v = 0; v < cd->nvals && n < cap; v++) {
                const char *raw = cd->vals[v].raw;
                if (memchr(raw, '*', cd->vals[v].raw_len) || memchr(raw, '?', cd->vals[v].raw_len) ||
                    strstr(raw, "${"))
                    continue;
                kc[n++] = (an_kcons){ AN_K_NOT_EQUALS, cd->key_orig, raw };
            }
        }
    }
    return n;
}

/* A source address no CIDR of the policy covers. */
static const char *outside_ip(const ig_policy *p)
{
    static const char *const cands[] = { "198.51.100.7", "203.0.113.9", "192.0.2.33", "100.64.9.9" };
    for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
        ig_cidr ip;
        if (!ig_cidr_parse(cands[i], strlen(cands[i]), &ip))
            continue;
        bool covered = false;
        for (uint32_t s = 0; s < p->nstmts && !covered; s++)
            for (uint32_t k = 0; k < p->stmts[s].nconds && !covered; k++) {
                const ig_cond *cd = &p->stmts[s].conds[k];
                if (cd->op->vtype != VT_IP)
                    continue;
                for (uint32_t v = 0; v < cd->nvals && !covered; v++)
                    covered = ig_cidr_contains(&cd->vals[v].u.cidr, &ip);
            }
        if (!covered)
            return cands[i];
    }
    return cands[0];
}

typedef struct {
    ig_env *env;
    ig_policy *all;             /* identity: allow everything (outsiders' own side) */
    bool outsider;
    char label[300];
} caller;

static bool make_caller(caller *cl, const char *arn, bool anonymous, bool own_side_allows)
{
    memset(cl, 0, sizeof *cl);
    cl->env = ig_env_new();
    if (!cl->env)
        return false;
    if (anonymous) {
        snprintf(cl->label, sizeof cl->label, "an anonymous caller");
        return ig_env_set_anonymous(cl->env) == IG_OK;
    }
    snprintf(cl->label, sizeof cl->label, "%s", arn);
    if (ig_env_set_principal_arn(cl->env, arn, NULL, NULL) != IG_OK)
        return false;
    if (own_side_allows) {
        static const char ALL[] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                                  "\"Action\":\"*\",\"Resource\":\"*\"}]}";
        cl->all = ig_policy_compile(ALL, strlen(ALL), IG_POLICY_IDENTITY,
                                    "the caller's own policies (allow everything)", NULL, NULL);
        if (!cl->all || ig_env_add_identity(cl->env, cl->all) != IG_OK)
            return false;
    }
    return true;
}

static void free_caller(caller *cl)
{
    ig_env_free(cl->env);
    ig_policy_free(cl->all);
}

/* The subject "what this resource policy grants this caller by itself":
 * its statements naming the caller (any way for outsiders, whose own side
 * allows everything; exactly or by role for insiders without policies). */
static int grants_of(an_ctx *c, ig_arena *A, const caller *cl, const ig_policy *rp,
                     an_subject *s, ig_policy **owned)
{
    memset(s, 0, sizeof *s);
    s->env = cl->env;
    *owned = rp_subset(cl->env, rp, cl->outsider || cl->all ? AN_GRANT_ACCOUNT : AN_GRANT_ROLE,
                       AN_GRANT_EXACT, false, ig_policy_id(rp));
    if (!*owned || !add_layer(c, A, s, AN_L_IDENTITY, *owned))
        return IG_E_NOMEM;
    return IG_OK;
}

int an_check_no_public(an_ctx *c, const ig_policy *rp, const char *account,
                       const char *resource_arn, an_check *out)
{
    memset(out, 0, sizeof *out);
    c->unknown_hit = false;
    char ext[32], arn[128];
    fresh_account(rp, NULL, ext, sizeof ext);
    snprintf(arn, sizeof arn, "arn:aws:sts::%s:assumed-role/iamguard-outsider/session", ext);
    an_kcons kc[64];
    size_t nkc = owner_values(rp, kc, 64);
    const char *ipv[1] = { outside_ip(rp) };
    an_fixed ipfix = { "aws:SourceIp", ipv, 1 };
    scan_state st = { .c = c, .out = out };
    ig_arena A;
    ig_arena_init(&A);
    const lang_expr *res = NULL;
    if (resource_arn) {
        lang_pat *lp = ig_arena_alloc(&A, sizeof *lp);
        if (!lp || !lang_literal(&A, resource_arn, strlen(resource_arn), lp)) {
            ig_arena_free(&A);
            return IG_E_NOMEM;
        }
        res = lang_e_pat(&A, lp);
    }
    int rc = IG_OK;
    for (int who = 0; who < 2 && rc == IG_OK && !st.found; who++) {
        caller cl;
        if (!make_caller(&cl, arn, who == 0, true)) {
            free_caller(&cl);
            rc = IG_E_NOMEM;
            break;
        }
        cl.outsider = true;
        an_subject s;
        ig_policy *owned = NULL;
        rc = grants_of(c, &A, &cl, rp, &s, &owned);
        an_question q = { .kc = kc, .nkc = nkc, .fixed = &ipfix, .nfixed = 1, .resource_policy = rp,
                          .resource_account = account, .account_hint = account, .outsider = true };
        if (rc == IG_OK)
            rc = run_subject(&st, &s, NULL, res, &q);
        if (st.found)
            snprintf(out->caller, sizeof out->caller, "%s", cl.label);
        an_forget(c, owned);
        ig_policy_free(owned);
        free_caller(&cl);
    }
    if (rc == IG_OK)
        finish(&st, "no statement lets an anonymous caller or a principal of another account in");
    ig_arena_free(&A);
    return rc;
}

int an_check_no_new_access_resource(an_ctx *c, const ig_policy *old_p, const ig_policy *new_p,
                                    const char *account, const char *resource_arn,
                                    an_check *out)
{
    memset(out, 0, sizeof *out);
    c->unknown_hit = false;
    char ext[32];
    fresh_account(old_p, new_p, ext, sizeof ext);
    /* The kinds of callers: anonymous, another account, this account, and
     * every principal either policy names. */
    char arns[40][600];
    size_t n = 0;
    snprintf(arns[n++], sizeof arns[0], "arn:aws:sts::%s:assumed-role/iamguard-outsider/session", ext);
    snprintf(arns[n++], sizeof arns[0], "arn:aws:iam::%s:user/iamguard-insider", account);
    snprintf(arns[n++], sizeof arns[0], "arn:aws:sts::%s:assumed-role/iamguard-insider/session", account);
    const ig_policy *both[2] = { old_p, new_p };
    for (int p = 0; p < 2; p++)
        for (uint32_t s = 0; s < both[p]->nstmts; s++)
            for (uint32_t k = 0; k < both[p]->stmts[s].nprincipals && n < 40; k++) {
                const ig_princ *pe = &both[p]->stmts[s].principals[k];
                if (pe->kind == PE_ROLE)
                    snprintf(arns[n++], sizeof arns[0], "arn:aws:sts::%s:assumed-role/%s/session",
                             pe->account, pe->name);
                else if (pe->kind == PE_USER || pe->kind == PE_SESSION || pe->kind == PE_FEDUSER)
                    snprintf(arns[n++], sizeof arns[0], "%s", pe->raw);
                else if (pe->kind == PE_ACCOUNT)
                    snprintf(arns[n++], sizeof arns[0], "arn:aws:iam::%s:user/iamguard-member", pe->account);
            }
    scan_state st = { .c = c, .out = out };
    ig_arena A;
    ig_arena_init(&A);
    int rc = IG_OK;
    const lang_expr *res = NULL;
    if (resource_arn) {
        lang_pat *lp = ig_arena_alloc(&A, sizeof *lp);
        if (!lp || !lang_literal(&A, resource_arn, strlen(resource_arn), lp))
            rc = IG_E_NOMEM;
        else
            res = lang_e_pat(&A, lp);
    }
    for (size_t w = 0; w <= n && rc == IG_OK && !st.found; w++) {
        caller cl;
        bool anon = w == n;
        const char *arn = anon ? NULL : arns[w];
        bool outsider = anon || w == 0 || !strstr(arn, account);
        if (!make_caller(&cl, arn, anon, outsider)) {
            free_caller(&cl);
            rc = IG_E_NOMEM;
            break;
        }
        cl.outsider = outsider;
        an_subject so, sn;
        ig_policy *po = NULL, *pn = NULL;
        an_effective eo, en;
        rc = grants_of(c, &A, &cl, old_p, &so, &po);
        if (rc == IG_OK)
            rc = grants_of(c, &A, &cl, new_p, &sn, &pn);
        if (rc == IG_OK && (rc = an_effective_subject(c, &so, NULL, &eo)) == IG_OK) {
            if ((rc = an_effective_subject(c, &sn, NULL, &en)) == IG_OK) {
                accept_ctx ac = { cl.env, old_p };
                an_question q = { .resource_policy = new_p, .resource_account = account,
                                  .account_hint = account, .outsider = outsider,
                                  .accept = old_denies, .accept_ctx = &ac };
                scan_new(&st, &en, &eo, &q, res);
                if (st.found)
                    snprintf(out->caller, sizeof out->caller, "%s", cl.label);
                an_effective_free(&en);
            }
            an_effective_free(&eo);
        }
        an_forget(c, po);
        an_forget(c, pn);
        ig_policy_free(po);
        ig_policy_free(pn);
        free_caller(&cl);
    }
    if (rc == IG_OK)
        finish(&st, "for every kind of caller, what the new policy grants lies within what the old "
                    "one grants under the same conditions");
    ig_arena_free(&A);
    return rc;
}

/* ---- words ------------------------------------------------------------------------------ */

void an_check_text(FILE *f, an_ctx *c, const an_check *r, const char *question)
{
    (void)c;
    fprintf(f, "%s: %s\n", ig_verdict_name(r->verdict), question);
    if (r->verdict == IG_VERDICT_REFUTED) {
        char buf[4096];
        an_request_describe(&r->cx, buf, sizeof buf);
        fprintf(f, "  counterexample: %s\n", buf);
        if (r->caller[0])
            fprintf(f, "  caller: %s\n", r->caller);
        fprintf(f, "  the evaluator decides: %s%s%s\n", ig_decision_name(r->cx.res.decision),
                r->allowed_by[0] ? " by " : "", r->allowed_by);
    } else {
        fprintf(f, "  %s\n", r->reason);
    }
}

void an_check_json(json_writer *w, const an_check *r, const char *question)
{
    jw_object_begin(w);
    jw_kstring(w, "question", question);
    jw_kstring(w, "verdict", ig_verdict_name(r->verdict));
    if (r->verdict == IG_VERDICT_REFUTED) {
        jw_kstring(w, "caller", r->caller);
        jw_key(w, "counterexample");
        an_request_json(w, &r->cx);
        jw_kstring(w, "allowedBy", r->allowed_by);
    } else {
        jw_kstring(w, "reason", r->reason);
    }
    jw_kint(w, "groupsExamined", r->groups);
    jw_kint(w, "grantsExamined", r->grants);
    jw_object_end(w);
}

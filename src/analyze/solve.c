/* solve.c - from a grant to a concrete request that ig_evaluate allows.
 *
 * The resource is a witness of the grant's resource formula, preferably
 * one shaped like the action's resource types with the caller's account
 * and a usual region (the catalog's ARN templates are tried as hints, then
 * no hint, so a hint never loses an answer).  The context comes from the
 * conditions of the grant's statements, which must hold, and of the
 * conditional denies that can apply to the witness, one condition of each
 * of which must fail (cond.c).  The request is then evaluated: only an
 * allowed decision makes it a counterexample. */
#include <stdio.h>
#include <string.h>

#include "analyze/cond.h"
#include "eval/env.h"
#include "util/str.h"

#define MAX_HINTS 4

/* An ARN template ("arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}")
 * as a resource pattern with the usual partition, region and account. */
static void template_pattern(const char *t, const char *acct, char *out, size_t cap)
{
    size_t o = 0;
    while (*t && o + 1 < cap) {
        if (t[0] == '$' && t[1] == '{') {
            const char *e = strchr(t, '}');
            if (!e)
                break;
            size_t n = (size_t)(e - t - 2);
            const char *v = "?*";      /* names are never empty */
            if (n == 9 && !memcmp(t + 2, "Partition", 9)) v = "aws";
            else if (n == 6 && !memcmp(t + 2, "Region", 6)) v = "us-east-1";
            else if (n == 7 && !memcmp(t + 2, "Account", 7)) v = acct;
            size_t vl = strlen(v);
            if (o + vl + 1 >= cap)
                break;
            memcpy(out + o, v, vl);
            o += vl;
            t = e + 1;
            continue;
        }
        out[o++] = *t++;
    }
    out[o] = '\0';
}

int an_request_eval(const ig_env *env, an_request *r, const ig_policy *resource_policy,
                    const char *resource_account)
{
    /* Entries of one key become one multi-valued entry. */
    bool used[AN_MAX_CTX] = { false };
    size_t nv = 0;
    r->nsent = 0;
    for (size_t i = 0; i < r->nctx; i++) {
        if (used[i] || r->absent[i])
            continue;
        size_t start = nv;
        for (size_t j = i; j < r->nctx; j++) {
            if (used[j] || r->absent[j] || strlen(r->keys[j]) != strlen(r->keys[i]) ||
                !ig_eq_icase(r->keys[j], r->keys[i], strlen(r->keys[i])))
                continue;
            used[j] = true;
            r->vptr[nv++] = r->vals[j];
        }
        r->ctx[r->nsent++] = (ig_context_entry){ r->keys[i], &r->vptr[start], nv - start };
    }
    /* The clock's keys, as AWS sends them with every request; after the
     * shown entries (describe prints only those). */
    size_t nall = r->nsent;
    if (r->clock) {
        bool has[4] = { false };
        for (size_t i = 0; i < r->nsent; i++)
            has[an_clock_key(r->ctx[i].key)] = true;
        if (!has[1])
            r->ctx[nall++] = (ig_context_entry){ "aws:CurrentTime", &r->clock->iso_ptr, 1 };
        if (!has[2])
            r->ctx[nall++] = (ig_context_entry){ "aws:EpochTime", &r->clock->epoch_ptr, 1 };
        /* A role's session began at some moment: at the latest, now. */
        if (!has[3] && (env->kind == IG_PRINCIPAL_ROLE_SESSION || env->kind == IG_PRINCIPAL_FEDERATED_USER))
            r->ctx[nall++] = (ig_context_entry){ "aws:TokenIssueTime", &r->clock->iso_ptr, 1 };
    }
    memset(&r->req, 0, sizeof r->req);
    r->req.action = r->action;
    r->req.resource = r->resource;
    r->req.context = r->ctx;
    r->req.ncontext = nall;
    r->req.resource_policy = resource_policy;
    r->req.resource_account = resource_account;
    return ig_evaluate(env, &r->req, IG_EVAL_EXPLAIN, &r->res);
}

void an_request_describe(const an_request *r, char *buf, size_t cap)
{
    size_t o = (size_t)snprintf(buf, cap, "%s on %s", r->action, r->resource);
    bool first = true;
    for (size_t i = 0; i < r->nctx && o < cap; i++) {
        o += (size_t)snprintf(buf + o, cap - o, "%s%s%s%s", first ? " with " : ", ", r->keys[i],
                              r->absent[i] ? " absent" : "=", r->absent[i] ? "" : r->vals[i]);
        first = false;
    }
}

static void action_name(const an_ctx *c, uint32_t action, char *out, size_t cap)
{
    ig_catalog_action a;
    if (ig_catalog_action_get(c->cat, action, &a))
        snprintf(out, cap, "%s:%s", a.service, a.name);
    else
        snprintf(out, cap, "%s", c->names[action]);
}

/* The i-th resource to try: a witness under the i-th hint (the action's
 * resource types, then none).  0 when that hint gives nothing; -1 when
 * there are no more hints. */
static int witness(an_ctx *c, const an_group *g, const an_grant *gr, uint32_t action,
                   const an_question *q, const char *acct, uint32_t i, char *out, size_t cap)
{
    /* One literal resource (a principal's ARN, say): the witness is that
     * string if the grant's resources hold it, with no search. */
    if (q && q->resources && g->star_only != AN_U_STAR &&
        lang_expr_literal(q->resources, out, cap) && strcmp(out, "*")) {
        if (i > 0)
            return -1;
        return lang_expr_matches(gr->expr, out, strlen(out), false);
    }
    ig_arena A;
    ig_arena_init(&A);
    const lang_expr *k[3] = { gr->expr, q && q->resources ? q->resources : lang_e_const(&A, true),
                              NULL };
    int r = -1;
    if (g->star_only == AN_U_STAR) {
        if (i == 0)
            r = an_search(c, lang_e_nary(&A, LE_AND, k, 2), AN_U_STAR, out, cap) == LANG_FOUND;
        ig_arena_free(&A);
        return r;
    }
    ig_catalog_resource_type rt;
    uint32_t ntypes = 0;
    while (ntypes < MAX_HINTS &&
           ig_catalog_action_resource_type(c->cat, action, ntypes, &rt) != IG_CATALOG_NONE)
        ntypes++;
    if (i < ntypes) {
        ig_catalog_action_resource_type(c->cat, action, i, &rt);
        char pat[1024];
        template_pattern(rt.arn, acct, pat, sizeof pat);
        lang_pat hp;
        const char *err;
        r = 0;
        if (lang_from_text(&A, pat, strlen(pat), &hp, &err)) {
            k[2] = lang_e_pat(&A, &hp);
            r = an_search(c, lang_e_nary(&A, LE_AND, k, 3), AN_U_ARN, out, cap) == LANG_FOUND;
        }
    } else if (i == ntypes) {
        r = an_search(c, lang_e_nary(&A, LE_AND, k, 2), AN_U_ARN, out, cap) == LANG_FOUND;
    } else if (i == ntypes + 1 && g->star_only == AN_U_BOTH) {
        r = an_search(c, lang_e_nary(&A, LE_AND, k, 2), AN_U_STAR, out, cap) == LANG_FOUND;
    }
    ig_arena_free(&A);
    return r;
}

/* Add the conditions of a grant, and pick for each conditional deny that
 * covers the resource a condition to make fail. */
static void grant_conditions(an_ctx *c, const an_subject *s, an_prober *pr, const an_grant *gr,
                             const char *resource, bool star, const an_question *q,
                             an_condset *cs)
{
    for (uint32_t i = 0; i < gr->nopts; i++)
        for (uint32_t k = 0; k < gr->opts[i]->nstmts; k++)
            an_condset_add_stmt(cs, gr->opts[i]->stmts[k], true);
    for (uint32_t d = 0; d < gr->nunless; d++) {
        const an_stmt *st = gr->unless[d];
        if (!lang_expr_matches(st->res_expr, resource, strlen(resource), star))
            continue;
        for (uint32_t k = 0; k < st->st->nconds; k++) {
            const ig_cond *cd = &st->st->conds[k];
            an_condset_add(cs, cd, false);
            an_request scratch;
            memset(&scratch, 0, sizeof scratch);
            if (an_condset_solve(c, s, pr, cs, q, &scratch) == 1)
                break;
            an_condset_pop(cs, cd);
        }
    }
}

int an_find_request(an_ctx *c, const an_subject *s, const an_group *g, const an_grant *gr,
                    uint32_t action, const an_question *q, an_request *out)
{
    const char *acct = q && q->account_hint ? q->account_hint : s->env->account;
    if (!acct || !acct[0])
        acct = "123456789012";
    an_prober *pr = an_prober_new(s->env);
    if (!pr)
        return 0;
    static _Thread_local char w[2048], prev[2048];
    prev[0] = '\0';
    int found = 0;
    for (uint32_t i = 0; !found; i++) {
        int got = witness(c, g, gr, action, q, acct, i, w, sizeof w);
        if (got < 0)
            break;
        if (!got || !strcmp(w, prev))
            continue;
        snprintf(prev, sizeof prev, "%s", w);
        an_condset cs;
        an_condset_init(&cs);
        grant_conditions(c, s, pr, gr, w, !strcmp(w, "*"), q, &cs);
        memset(out, 0, sizeof *out);
        out->clock = &c->clock;
        action_name(c, action, out->action, sizeof out->action);
        snprintf(out->resource, sizeof out->resource, "%s", w);
        an_condset_solve(c, s, pr, &cs, q, out);
        /* Whatever the solver managed, the evaluator has the last word. */
        if (an_request_eval(s->env, out, q ? q->resource_policy : NULL,
                            q ? q->resource_account : NULL) == IG_OK &&
            out->res.decision == IG_ALLOWED &&
            (!q || !q->accept || q->accept(q->accept_ctx, out)))
            found = 1;
        an_condset_free(&cs);
    }
    an_prober_free(pr);
    return found;
}

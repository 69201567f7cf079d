/* probe.c - the requests the fix search keeps deciding: every request of
 * the scenario, and the requests the analysis finds against a claim, each
 * decided again under every candidate policy set. */
#include <stdlib.h>
#include <string.h>

#include "fix/fix_int.h"
#include "util/alloc.h"

#define NT IG_POLICY_TYPE_COUNT

static char *dup(const char *s)
{
    return s ? ig_strdup(s) : NULL;
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

static bool same_caller(const fx_caller *a, const fx_caller *b)
{
    if (!same_str(a->arn, b->arn) || !same_str(a->account, b->account) || a->nident != b->nident ||
        a->allow_all != b->allow_all || a->boundary != b->boundary || a->session != b->session)
        return false;
    for (size_t i = 0; i < a->nident; i++)
        if (a->ident[i] != b->ident[i])
            return false;
    return true;
}

static long caller_index(fx_search *x, const fx_caller *who)
{
    for (size_t i = 0; i < x->ncallers; i++)
        if (same_caller(&x->callers[i], who))
            return (long)i;
    if (!(x->ncallers % 16)) {
        fx_caller *n = ig_realloc(x->callers, (x->ncallers + 16) * sizeof *n);
        if (!n)
            return -1;
        x->callers = n;
    }
    fx_caller *c = &x->callers[x->ncallers];
    *c = *who;
    c->env = NULL;
    c->arn = dup(who->arn);
    c->account = dup(who->account);
    if (!c->arn || (who->account && !c->account)) {
        ig_free((char *)c->arn);
        ig_free((char *)c->account);
        return -1;
    }
    return (long)x->ncallers++;
}

static bool same_ctx(const ig_context_entry *a, size_t na, const ig_context_entry *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        if (strcmp(a[i].key, b[i].key) || a[i].nvalues != b[i].nvalues)
            return false;
        for (size_t k = 0; k < a[i].nvalues; k++)
            if (strcmp(a[i].values[k], b[i].values[k]))
                return false;
    }
    return true;
}

void fx_probe_free(fx_probe *p)
{
    ig_free(p->action);
    ig_free(p->resource);
    ig_free(p->resource_account);
    for (size_t i = 0; i < p->nctx; i++) {
        ig_free((char *)p->ctx[i].key);
        for (size_t k = 0; k < p->ctx[i].nvalues; k++)
            ig_free((char *)p->ctx[i].values[k]);
        ig_free((void *)p->ctx[i].values);
    }
    ig_free(p->ctx);
    ig_free(p->label);
}

long fx_probe_add(fx_search *x, const fx_caller *who, const ig_request *req, chk_expect e,
                  uint32_t alt, const char *label)
{
    long ci = caller_index(x, who);
    if (ci < 0)
        return -1;
    for (size_t i = 0; i < x->nprobes; i++) {
        const fx_probe *p = &x->probes[i];
        if (p->caller == (size_t)ci && p->expect == e && !strcmp(p->action, req->action) &&
            !strcmp(p->resource, req->resource) && same_str(p->resource_account, req->resource_account) &&
            same_ctx(p->ctx, p->nctx, req->context, req->ncontext) && p->alt == alt)
            return (long)i;
    }
    if (x->nprobes >= FX_MAX_PROBES)
        return -1;
    if (!(x->nprobes % 64)) {
        fx_probe *n = ig_realloc(x->probes, (x->nprobes + 64) * sizeof *n);
        if (!n)
            return -1;
        x->probes = n;
    }
    fx_probe *p = &x->probes[x->nprobes];
    memset(p, 0, sizeof *p);
    p->caller = (size_t)ci;
    p->req = -1;
    p->resource_policy = -1;
    p->expect = e;
    p->alt = alt;
    p->action = dup(req->action);
    p->resource = dup(req->resource);
    p->resource_account = dup(req->resource_account);
    p->label = dup(label);
    p->ctx = req->ncontext ? ig_calloc(req->ncontext, sizeof *p->ctx) : NULL;
    bool ok = p->action && p->resource && p->label && (!req->resource_account || p->resource_account) &&
              (!req->ncontext || p->ctx);
    for (size_t i = 0; ok && i < req->ncontext; i++) {
        const ig_context_entry *src = &req->context[i];
        ig_context_entry *d = &p->ctx[p->nctx];
        const char **vals = ig_calloc(src->nvalues ? src->nvalues : 1, sizeof *vals);
        d->key = dup(src->key);
        d->values = vals;
        p->nctx++;
        ok = vals && d->key;
        for (size_t k = 0; ok && k < src->nvalues; k++) {
            vals[k] = dup(src->values[k]);
            ok = vals[k] != NULL;
            d->nvalues += ok;
        }
    }
    if (!ok) {
        fx_probe_free(p);
        return -1;
    }
    return (long)x->nprobes++;
}

int fx_probes_from_scenario(fx_search *x)
{
    const chk_scenario *s = x->s;
    for (size_t i = 0; i < s->nreqs; i++) {
        const chk_request *r = &s->reqs[i];
        const chk_principal *pr = &s->principals[r->principal];
        fx_caller who = { .arn = pr->arn, .account = pr->account, .boundary = pr->boundary,
                          .session = pr->session };
        if (pr->nidentity > sizeof who.ident / sizeof who.ident[0])
            return IG_E_LIMIT;
        for (size_t k = 0; k < pr->nidentity; k++)
            who.ident[who.nident++] = pr->identity[k];
        char label[300];
        snprintf(label, sizeof label, "request %s", r->id);
        ig_request req = r->req;
        req.resource_policy = NULL;
        long at = fx_probe_add(x, &who, &req, r->expect, 0, label);
        if (at < 0)
            return IG_E_NOMEM;
        /* Two requests alike are one probe; the first names it. */
        if (x->probes[at].req < 0) {
            x->probes[at].req = (long)i;
            x->probes[at].resource_policy = r->resource_policy;
        }
    }
    return IG_OK;
}

size_t fx_policy_size(const char *text, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r';
    return n;
}

int fx_state_compile(fx_search *x, fx_state *st)
{
    for (size_t i = 0; i < x->s->npolicies; i++) {
        if (!x->editable[i])
            continue;
        char *text = NULL;
        size_t len = 0;
        for (int t = 0; t < NT; t++) {
            if (!x->used[t][i] || st->compiled[i * NT + t])
                continue;
            if (!text && !(text = fx_doc_render(&st->docs[i], &len)))
                return IG_E_NOMEM;
            /* A managed policy may hold 6,144 characters, white space not
             * counted: a state that takes one that fits past it is marked
             * (the search avoids it; the report warns of it). */
            if (x->orig_size[i] <= FX_MANAGED_MAX && fx_policy_size(text, len) > FX_MANAGED_MAX)
                st->over_quota = true;
            ig_diag d;
            const chk_policy *p = &x->s->policies[i];
            ig_policy *cp = ig_policy_compile(text, len, (ig_policy_type)t, p->name, p->file, &d);
            if (!cp) {
                free(text);
                return IG_E_INPUT;  /* an edit wrote a policy IAM would refuse */
            }
            st->compiled[i * NT + t] = cp;
        }
        free(text);
    }
    return IG_OK;
}

static const ig_policy *pol(const fx_state *st, long i, int t)
{
    return i < 0 ? NULL : st->compiled[(size_t)i * NT + (size_t)t];
}

static int build_env(fx_search *x, fx_state *st, fx_caller *c)
{
    ig_env_free(c->env);
    c->env = ig_env_new();
    if (!c->env)
        return IG_E_NOMEM;
    if (ig_env_set_principal_arn(c->env, c->arn, c->account, NULL) != IG_OK)
        return IG_E_INPUT;
    for (size_t k = 0; k < c->nident; k++)
        if (ig_env_add_identity(c->env, pol(st, (long)c->ident[k], IG_POLICY_IDENTITY)) != IG_OK)
            return IG_E_INPUT;
    if (c->allow_all && ig_env_add_identity(c->env, x->allow_all) != IG_OK)
        return IG_E_NOMEM;
    if (c->boundary >= 0 && ig_env_set_boundary(c->env, pol(st, c->boundary, IG_POLICY_BOUNDARY)) != IG_OK)
        return IG_E_INPUT;
    if (c->session >= 0 && ig_env_set_session(c->env, pol(st, c->session, IG_POLICY_SESSION)) != IG_OK)
        return IG_E_INPUT;
    return IG_OK;
}

int fx_eval_all(fx_search *x, fx_state *st)
{
    int rc = fx_state_compile(x, st);
    for (size_t i = 0; rc == IG_OK && i < x->ncallers; i++)
        rc = build_env(x, st, &x->callers[i]);
    if (rc != IG_OK)
        return rc;
    for (size_t i = 0; i < x->nprobes; i++) {
        fx_probe *p = &x->probes[i];
        ig_request req = {
            .action = p->action, .resource = p->resource, .resource_account = p->resource_account,
            .context = p->ctx, .ncontext = p->nctx,
            .resource_policy = pol(st, p->resource_policy, IG_POLICY_RESOURCE),
        };
        ig_evaluate(x->callers[p->caller].env, &req, IG_EVAL_EXPLAIN, &p->res);
        p->met = chk_expect_met(p->expect, p->res.decision) && !p->res.error;
        x->evaluations++;
    }
    return IG_OK;
}

bool fx_obligation_met(const fx_search *x, size_t i)
{
    const fx_probe *p = &x->probes[i];
    if (!p->alt)
        return p->met;
    for (size_t k = 0; k < x->nprobes; k++)
        if (x->probes[k].alt == p->alt && x->probes[k].met)
            return true;
    return false;
}

size_t fx_unmet(const fx_search *x, bool *unmet_by_probe)
{
    size_t n = 0;
    for (size_t i = 0; i < x->nprobes; i++) {
        const fx_probe *p = &x->probes[i];
        bool first = true;          /* an alt counts at its first probe */
        for (size_t k = 0; p->alt && k < i; k++)
            first &= x->probes[k].alt != p->alt;
        bool unmet = !fx_obligation_met(x, i);
        if (unmet_by_probe)
            unmet_by_probe[i] = unmet;
        n += unmet && first;
    }
    return n;
}

int fx_install(fx_search *x, fx_state *st)
{
    chk_scenario *s = x->s;
    for (size_t i = 0; i < s->npolicies; i++)
        for (int t = 0; t < NT; t++)
            s->policies[i].compiled[t] = st ? st->compiled[i * NT + t] : x->orig[i * NT + t];
    for (size_t i = 0; i < s->nreqs; i++)
        if (s->reqs[i].resource_policy >= 0)
            s->reqs[i].req.resource_policy = s->policies[s->reqs[i].resource_policy].compiled[IG_POLICY_RESOURCE];
    /* The principals' environments point at compiled policies: build them
     * again (the scenario's own are kept in x->callers' place meanwhile). */
    for (size_t i = 0; i < s->nprincipals; i++) {
        chk_principal *p = &s->principals[i];
        ig_env *e = ig_env_new();
        if (!e)
            return IG_E_NOMEM;
        bool ok = ig_env_set_principal_arn(e, p->arn, p->account, NULL) == IG_OK;
        for (size_t k = 0; ok && k < p->nidentity; k++)
            ok = ig_env_add_identity(e, s->policies[p->identity[k]].compiled[IG_POLICY_IDENTITY]) == IG_OK;
        if (ok && p->boundary >= 0)
            ok = ig_env_set_boundary(e, s->policies[p->boundary].compiled[IG_POLICY_BOUNDARY]) == IG_OK;
        if (ok && p->session >= 0)
            ok = ig_env_set_session(e, s->policies[p->session].compiled[IG_POLICY_SESSION]) == IG_OK;
        if (!ok) {
            ig_env_free(e);
            return IG_E_INPUT;
        }
        ig_env_free(p->env);
        p->env = e;
    }
    return IG_OK;
}

void fx_state_free(fx_search *x, fx_state *st)
{
    if (st->docs)
        for (size_t i = 0; i < x->s->npolicies; i++)
            if (x->editable[i])
                fx_doc_free(&st->docs[i]);
    /* Compiled policies of edited documents belong to the state; the
     * others are the scenario's. */
    if (st->compiled)
        for (size_t i = 0; i < x->s->npolicies * NT; i++)
            if (st->compiled[i] && st->compiled[i] != x->orig[i])
                ig_policy_free(st->compiled[i]);
    ig_free(st->docs);
    ig_free(st->compiled);
    memset(st, 0, sizeof *st);
}

int fx_state_clone(fx_search *x, const fx_state *src, fx_state *dst)
{
    size_t n = x->s->npolicies;
    memset(dst, 0, sizeof *dst);
    dst->docs = ig_calloc(n ? n : 1, sizeof *dst->docs);
    dst->compiled = ig_calloc(n ? n * NT : 1, sizeof *dst->compiled);
    dst->ninserted = src->ninserted;
    memcpy(dst->ins_doc, src->ins_doc, sizeof dst->ins_doc);
    if (!dst->docs || !dst->compiled) {
        fx_state_free(x, dst);
        return IG_E_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        if (!x->editable[i]) {
            for (int t = 0; t < NT; t++)
                dst->compiled[i * NT + t] = x->orig[i * NT + t];
            continue;
        }
        if (fx_doc_clone(&src->docs[i], &dst->docs[i]) != IG_OK) {
            fx_state_free(x, dst);
            return IG_E_NOMEM;
        }
        /* Recompiled on demand: an edit may change the document. */
    }
    return IG_OK;
}

long fx_matched_stmt(const fx_search *x, const fx_state *st, const ig_matched_statement *m, size_t *polp)
{
    for (size_t i = 0; i < x->s->npolicies; i++) {
        if (!x->editable[i])
            continue;
        bool mine = false;
        for (int t = 0; t < NT; t++)
            mine |= st->compiled[i * NT + t] == m->policy;
        if (!mine)
            continue;
        *polp = i;
        /* The compiled policy leaves removed statements out. */
        uint32_t k = 0;
        for (size_t d = 0; d < st->docs[i].nstmts; d++) {
            if (st->docs[i].stmts[d].removed)
                continue;
            if (k++ == m->index)
                return (long)d;
        }
        return -1;
    }
    return -1;
}

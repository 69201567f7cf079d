/* diff.c - comparing the production evaluator with the reference on one
 * request, and shrinking a failing scenario to a minimal one. */
#include <stdlib.h>
#include <string.h>

#include "ref/diff.h"

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* The production decision three ways -- ig_evaluate with explanations, a
 * prepared request with and without them -- which must agree: the fast
 * paths taken when nothing is explained are checked here too.  A
 * disagreement is reported as an error of production. */
void diff_prod(const gen_built *b, const gen_req_view *v, diff_outcome *out)
{
    static ig_result res, prep_res, quick;
    memset(out, 0, sizeof *out);
    int rc = ig_evaluate(b->env, &v->req, IG_EVAL_EXPLAIN, &res);
    out->error = rc != IG_OK || res.error;
    ig_prepared *pr = NULL;
    if (ig_request_prepare(&v->req, &pr, NULL) == IG_OK) {
        int rp = ig_evaluate_prepared(b->env, pr, IG_EVAL_EXPLAIN, &prep_res);
        int rq = ig_evaluate_prepared(b->env, pr, 0, &quick);
        out->error |= rp != rc || rq != rc || prep_res.decision != res.decision ||
                      prep_res.blocked_by != res.blocked_by ||
                      prep_res.nmatched != res.nmatched || quick.decision != res.decision ||
                      quick.blocked_by != res.blocked_by;
        ig_prepared_free(pr);
    } else {
        out->error |= rc == IG_OK;      /* a request ig_evaluate took must prepare */
    }
    out->decision = res.decision;
    out->blocked_by = res.blocked_by;
    out->truncated = res.matched_truncated;
    for (uint32_t i = 0; i < res.nmatched; i++) {
        int pi = 0;
        while (pi < b->npol && b->prod[pi] != res.matched[i].policy)
            pi++;
        out->matched[out->nmatched++] = (uint32_t)pi << 16 | res.matched[i].index;
    }
    qsort(out->matched, (size_t)out->nmatched, sizeof out->matched[0], cmp_u32);
}

void diff_ref(const gen_built *b, const gen_req_view *v, diff_outcome *out)
{
    static ref_result res;
    memset(out, 0, sizeof *out);
    ref_evaluate(&b->renv, &v->req, NULL, &res);
    out->decision = res.decision;
    out->blocked_by = res.blocked_by;
    for (size_t i = 0; i < res.nmatched; i++) {
        uint32_t pi = (uint32_t)(res.matched[i].policy - b->ref);
        out->matched[out->nmatched++] = pi << 16 | res.matched[i].index;
    }
    qsort(out->matched, (size_t)out->nmatched, sizeof out->matched[0], cmp_u32);
}

bool diff_same(const diff_outcome *a, const diff_outcome *b)
{
    if (a->decision != b->decision || a->blocked_by != b->blocked_by || a->error || b->error)
        return false;
    if (a->truncated || b->truncated)
        return true;
    return a->nmatched == b->nmatched &&
           !memcmp(a->matched, b->matched, (size_t)a->nmatched * sizeof a->matched[0]);
}

bool diff_check(const gen_scenario *sc, const gen_request *rq, diff_outcome *prod,
                diff_outcome *ref)
{
    static gen_built b;
    char err[512];
    if (!gen_build(sc, &b, err, sizeof err)) {
        gen_built_free(&b);
        return false;
    }
    gen_req_view v;
    gen_request_view(rq, &v);
    diff_prod(&b, &v, prod);
    diff_ref(&b, &v, ref);
    gen_built_free(&b);
    return !diff_same(prod, ref);
}

void diff_print_outcome(FILE *f, const char *who, const diff_outcome *o)
{
    fprintf(f, "  %-10s %s", who, ig_decision_name(o->decision));
    if (o->blocked_by != IG_LAYER_NONE)
        fprintf(f, " blockedBy=%s", ig_layer_name(o->blocked_by));
    if (o->error)
        fprintf(f, " (error)");
    fprintf(f, " matched=[");
    for (int i = 0; i < o->nmatched; i++)
        fprintf(f, "%sP%u/#%u", i ? " " : "", o->matched[i] >> 16, o->matched[i] & 0xffff);
    fprintf(f, "]%s\n", o->truncated ? " (truncated)" : "");
}

/* ---- shrinking ---- */

static void drop(void *base, size_t size, int *n, int i)
{
    char *p = base;
    memmove(p + (size_t)i * size, p + (size_t)(i + 1) * size, (size_t)(*n - i - 1) * size);
    (*n)--;
}

typedef struct {
    gen_scenario sc;
    gen_request rq;
} candidate;

/* Each mutation edits the candidate in place; `k` enumerates the places it
 * can apply to and it returns false once k is past the last one. */
typedef bool (*mutation)(candidate *c, int k);

static bool drop_policy(candidate *c, int k)
{
    if (k >= c->sc.npol) return false;
    drop(c->sc.pol, sizeof c->sc.pol[0], &c->sc.npol, k);
    return true;
}

/* Locate the k-th statement over all policies. */
static gen_stmt *nth_stmt(candidate *c, int k, gen_policy **pp, int *idx)
{
    for (int i = 0; i < c->sc.npol; i++) {
        if (k < c->sc.pol[i].nst) {
            *pp = &c->sc.pol[i];
            *idx = k;
            return &c->sc.pol[i].st[k];
        }
        k -= c->sc.pol[i].nst;
    }
    return NULL;
}

static bool drop_statement(candidate *c, int k)
{
    gen_policy *p;
    int idx;
    if (!nth_stmt(c, k, &p, &idx)) return false;
    drop(p->st, sizeof p->st[0], &p->nst, idx);
    return true;
}

static bool simplify_statement(candidate *c, int k)
{
    gen_policy *p;
    int idx;
    gen_stmt *st = nth_stmt(c, k, &p, &idx);
    if (!st) return false;
    st->sid[0] = '\0';
    st->arrays = false;
    p->stmt_object = false;
    if (p->version == 0) p->version = 2008;
    return true;
}

/* Inside statement k / 16, the (k % 16)-th item of some list. */
static bool drop_condition(candidate *c, int k)
{
    gen_policy *p;
    int idx;
    gen_stmt *st = nth_stmt(c, k / 16, &p, &idx);
    if (!st) return false;
    if (k % 16 < st->ncond) drop(st->cond, sizeof st->cond[0], &st->ncond, k % 16);
    return true;
}

static bool drop_list_items(candidate *c, int k)
{
    gen_policy *p;
    int idx;
    gen_stmt *st = nth_stmt(c, k / 64, &p, &idx);
    if (!st) return false;
    int which = (k % 64) / 16, item = k % 16;
    if (which == 0 && item < st->nact && st->nact > 1)
        drop(st->act, sizeof st->act[0], &st->nact, item);
    else if (which == 1 && item < st->nres && st->nres > 1)
        drop(st->res, sizeof st->res[0], &st->nres, item);
    else if (which == 2 && item < st->npr && st->npr > 1)
        drop(st->pr, sizeof st->pr[0], &st->npr, item);
    else if (which == 3 && item / 4 < st->ncond && st->cond[item / 4].nvals > 1 &&
             item % 4 < st->cond[item / 4].nvals) {
        gen_cond *cd = &st->cond[item / 4];
        drop(cd->vals, sizeof cd->vals[0], &cd->nvals, item % 4);
    }
    return true;
}

static bool drop_context(candidate *c, int k)
{
    if (k >= GEN_MAX_CTX * 4) return false;
    int e = k / 4, v = k % 4;
    if (e >= c->rq.nctx) return true;
    if (v == 3)
        drop(c->rq.ctx, sizeof c->rq.ctx[0], &c->rq.nctx, e);
    else if (v < c->rq.ctx[e].nvals)
        drop(c->rq.ctx[e].vals, sizeof c->rq.ctx[e].vals[0], &c->rq.ctx[e].nvals, v);
    return true;
}

static bool clear_account(candidate *c, int k)
{
    if (k > 0) return false;
    c->rq.resource_account[0] = '\0';
    return true;
}

void diff_shrink(gen_scenario *sc, gen_request *rq, diff_pred still_fails, void *arg)
{
    static const mutation MUTATIONS[] = {drop_policy, drop_statement, drop_condition,
                                         drop_list_items, drop_context, clear_account,
                                         simplify_statement};
    static candidate cur, next;
    cur.sc = *sc;
    cur.rq = *rq;
    for (bool progress = true; progress;) {
        progress = false;
        for (size_t m = 0; m < sizeof MUTATIONS / sizeof MUTATIONS[0]; m++)
            for (int k = 0;; k++) {
                next = cur;
                if (!MUTATIONS[m](&next, k))
                    break;
                if (memcmp(&next, &cur, sizeof cur) && still_fails(&next.sc, &next.rq, arg)) {
                    cur = next;
                    progress = true;
                    k--;    /* the same place now holds the next item */
                }
            }
    }
    *sc = cur.sc;
    *rq = cur.rq;
}

/* edits.c - applying one edit of the fix search to the policy documents.
 * Edits are kept as data so that the search can replay them on the
 * original documents without one of them (to drop the edits that turn out
 * not to be needed). */
#include <string.h>

#include "fix/fix_int.h"
#include "util/alloc.h"

const char *fx_kind_name(fx_kind k)
{
    switch (k) {
    case FX_ADD_ACTION: return "addAction";
    case FX_NEW_ALLOW: return "newAllow";
    case FX_NARROW_RESOURCE: return "narrowResource";
    case FX_ADD_CONDITION: return "addCondition";
    case FX_TIGHTEN_CONDITION: return "exactCondition";
    case FX_REMOVE_ACTION: return "removeAction";
    case FX_REMOVE_STATEMENT: return "removeStatement";
    case FX_NARROW_ACTION: return "narrowAction";
    case FX_EXTEND_DENY: return "extendDeny";
    case FX_NEW_DENY: return "newDeny";
    }
    return "?";
}

static fx_stmt *stmt_of(fx_state *st, size_t pol, long ref)
{
    fx_doc *d = &st->docs[pol];
    long at = ref;
    if (ref < 0) {
        size_t k = (size_t)(-ref - 1);
        if (k >= FX_MAX_INSERTED || k >= st->ninserted)
            return NULL;
        at = st->ins_doc[k];
    }
    if (at < 0 || (size_t)at >= d->nstmts || d->stmts[at].removed)
        return NULL;
    return &d->stmts[at];
}

static void mark(fx_state *st, size_t pol)
{
    for (int t = 0; t < IG_POLICY_TYPE_COUNT; t++) {
        ig_policy **c = &st->compiled[pol * IG_POLICY_TYPE_COUNT + (size_t)t];
        /* A clone starts without compiled editable policies; one compiled
         * since then describes the document before this edit. */
        ig_policy_free(*c);
        *c = NULL;
    }
}

static bool new_stmt(fx_state *st, size_t pol, const fx_edit *e)
{
    size_t k = (size_t)(-e->stmt - 1);
    if (e->stmt >= 0 || k >= FX_MAX_INSERTED)
        return false;
    while (st->ninserted <= k)
        st->ins_doc[st->ninserted++] = -1;
    fx_doc *d = &st->docs[pol];
    fx_stmt *s;
    if (fx_doc_insert_stmt(d, d->nstmts, &s) != IG_OK)
        return false;
    st->ins_doc[k] = (long)(d->nstmts - 1);
    s->deny = e->kind == FX_NEW_DENY;
    s->has_resource = true;
    bool ok = !e->sid || fx_stmt_set_sid(s, e->sid) == IG_OK;
    for (size_t i = 0; ok && i < e->nacts; i++)
        ok = fx_stmt_add_action(s, e->acts[i]) == IG_OK;
    if (ok)
        ok = fx_stmt_set_resources(s, (const char *const *)e->res, e->nres) == IG_OK;
    if (ok && e->op)
        ok = fx_stmt_add_cond(s, e->op, e->key, (const char *const *)e->cvals, e->ncvals) == IG_OK;
    return ok;
}

bool fx_edit_apply(fx_search *x, fx_state *st, const fx_edit *e)
{
    (void)x;
    mark(st, e->pol);
    if (e->kind == FX_NEW_ALLOW || e->kind == FX_NEW_DENY)
        return new_stmt(st, e->pol, e);
    fx_stmt *s = stmt_of(st, e->pol, e->stmt);
    if (!s)
        return false;
    switch (e->kind) {
    case FX_ADD_ACTION:
    case FX_EXTEND_DENY:
        for (size_t i = 0; i < e->nacts; i++)
            if (fx_stmt_add_action(s, e->acts[i]) != IG_OK)
                return false;
        return true;
    case FX_REMOVE_ACTION:
        for (size_t i = 0; i < e->nacts; i++) {
            size_t k = 0;
            while (k < s->nactions && strcmp(s->actions[k], e->acts[i]))
                k++;
            if (k == s->nactions || s->nactions == 1 || fx_stmt_remove_action(s, k) != IG_OK)
                return false;
        }
        return true;
    case FX_NARROW_ACTION: {
        size_t k = 0;
        while (k < s->nactions && strcmp(s->actions[k], e->pattern))
            k++;
        if (k == s->nactions)
            return false;
        for (size_t i = 0; i < e->nacts; i++)
            if (fx_stmt_add_action(s, e->acts[i]) != IG_OK)
                return false;
        return fx_stmt_remove_action(s, k) == IG_OK;
    }
    case FX_REMOVE_STATEMENT:
        s->removed = true;
        s->changed = true;
        return true;
    case FX_NARROW_RESOURCE:
        return e->nres && fx_stmt_set_resources(s, (const char *const *)e->res, e->nres) == IG_OK;
    case FX_ADD_CONDITION:
        return fx_stmt_add_cond(s, e->op, e->key, (const char *const *)e->cvals, e->ncvals) == IG_OK;
    case FX_TIGHTEN_CONDITION:
        return e->cond < s->nconds && !strcmp(s->conds[e->cond].key, e->key) &&
               fx_stmt_set_cond_op(s, e->cond, e->op) == IG_OK &&
               fx_stmt_set_cond_values(s, e->cond, (const char *const *)e->cvals, e->ncvals) == IG_OK;
    default:
        return false;
    }
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ig_free(v[i]);
    ig_free(v);
}

void fx_edit_free(fx_edit *e)
{
    free_list(e->acts, e->nacts);
    free_list(e->res, e->nres);
    free_list(e->cvals, e->ncvals);
    free_list(e->serves, e->nserves);
    free_list(e->keeps, e->nkeeps);
    ig_free(e->op);
    ig_free(e->key);
    ig_free(e->pattern);
    ig_free(e->sid);
    ig_free(e->what);
    memset(e, 0, sizeof *e);
}

static bool copy_list(char **src, size_t n, char ***dst)
{
    *dst = NULL;
    if (!n)
        return true;
    char **v = ig_calloc(n, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(v[i] = ig_strdup(src[i]))) {
            free_list(v, i);
            return false;
        }
    *dst = v;
    return true;
}

static bool copy_str(const char *s, char **d)
{
    *d = s ? ig_strdup(s) : NULL;
    return !s || *d;
}

int fx_edit_copy(const fx_edit *src, fx_edit *dst)
{
    *dst = *src;
    dst->acts = dst->res = dst->cvals = dst->serves = dst->keeps = NULL;
    dst->op = dst->key = dst->sid = dst->what = dst->pattern = NULL;
    fx_edit tmp = *dst;
    tmp.nacts = tmp.nres = tmp.ncvals = tmp.nserves = tmp.nkeeps = 0;
    bool ok = copy_list(src->acts, src->nacts, &tmp.acts) && (tmp.nacts = src->nacts, true) &&
              copy_list(src->res, src->nres, &tmp.res) && (tmp.nres = src->nres, true) &&
              copy_list(src->cvals, src->ncvals, &tmp.cvals) && (tmp.ncvals = src->ncvals, true) &&
              copy_list(src->serves, src->nserves, &tmp.serves) && (tmp.nserves = src->nserves, true) &&
              copy_list(src->keeps, src->nkeeps, &tmp.keeps) && (tmp.nkeeps = src->nkeeps, true) &&
              copy_str(src->op, &tmp.op) && copy_str(src->key, &tmp.key) && copy_str(src->sid, &tmp.sid) &&
              copy_str(src->pattern, &tmp.pattern) &&
              copy_str(src->what, &tmp.what);
    *dst = tmp;
    if (!ok) {
        fx_edit_free(dst);
        return IG_E_NOMEM;
    }
    return IG_OK;
}

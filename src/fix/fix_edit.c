/* fix_edit.c - the edits `iamguard fix` makes to a statement of an
 * fx_doc.  Each one marks the statement changed (so it is rendered again)
 * unless it changes nothing; new strings and arrays come from the
 * document's arena, and what they replace is freed with it. */
#include <string.h>
#include <strings.h>

#include "fix/fix_arena.h"
#include "fix/fix_doc.h"

int fx_stmt_add_action(fx_stmt *s, const char *action)
{
    /* Action names are case-insensitive in IAM. */
    for (size_t i = 0; i < s->nactions; i++)
        if (!strcasecmp(s->actions[i], action))
            return IG_OK;
    char **v = fx_alloc(s->arena, (s->nactions + 1) * sizeof *v);
    char *a = fx_strndup(s->arena, action, strlen(action));
    if (!v || !a)
        return IG_E_NOMEM;
    if (s->nactions)
        memcpy(v, s->actions, s->nactions * sizeof *v);
    v[s->nactions++] = a;
    s->actions = v;
    s->changed = true;
    return IG_OK;
}

int fx_stmt_remove_action(fx_stmt *s, size_t i)
{
    if (i >= s->nactions)
        return IG_E_INPUT;
    memmove(&s->actions[i], &s->actions[i + 1], (s->nactions - i - 1) * sizeof *s->actions);
    s->nactions--;
    s->changed = true;
    return IG_OK;
}

/* A copy of vals without repeats (exact ones); *out_n its length. */
static char **unique_copy(fx_arena *a, const char *const *vals, size_t n, size_t *out_n)
{
    char **v = fx_alloc(a, (n ? n : 1) * sizeof *v);
    if (!v)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = !strcmp(v[j], vals[i]);
        if (seen)
            continue;
        if (!(v[k++] = fx_strndup(a, vals[i], strlen(vals[i]))))
            return NULL;
    }
    *out_n = k;
    return v;
}

int fx_stmt_set_resources(fx_stmt *s, const char *const *res, size_t n)
{
    char **v = fx_strv_dup(s->arena, res, n);
    if (!v)
        return IG_E_NOMEM;
    s->resources = v;
    s->nresources = n;
    s->has_resource = true;
    s->changed = true;
    return IG_OK;
}

int fx_stmt_set_cond_values(fx_stmt *s, size_t i, const char *const *vals, size_t n)
{
    if (i >= s->nconds)
        return IG_E_INPUT;
    size_t k;
    char **v = unique_copy(s->arena, vals, n, &k);
    if (!v)
        return IG_E_NOMEM;
    s->conds[i].values = v;
    s->conds[i].nvalues = k;
    s->conds[i].literal = NULL;
    s->changed = true;
    return IG_OK;
}

int fx_stmt_add_cond(fx_stmt *s, const char *op, const char *key, const char *const *vals, size_t n)
{
    /* Operators are matched as written; condition keys ignore case. */
    for (size_t i = 0; i < s->nconds; i++)
        if (!strcmp(s->conds[i].op, op) && !strcasecmp(s->conds[i].key, key))
            return fx_stmt_set_cond_values(s, i, vals, n);
    fx_cond *c = fx_alloc(s->arena, (s->nconds + 1) * sizeof *c);
    if (!c)
        return IG_E_NOMEM;
    fx_cond *nc = &c[s->nconds];
    memset(nc, 0, sizeof *nc);
    nc->op = fx_strndup(s->arena, op, strlen(op));
    nc->key = fx_strndup(s->arena, key, strlen(key));
    nc->values = unique_copy(s->arena, vals, n, &nc->nvalues);
    if (!nc->op || !nc->key || !nc->values)
        return IG_E_NOMEM;
    nc->value_scalar = nc->nvalues == 1;
    if (s->nconds)
        memcpy(c, s->conds, s->nconds * sizeof *c);
    s->conds = c;
    s->nconds++;
    s->changed = true;
    return IG_OK;
}

int fx_stmt_set_cond_op(fx_stmt *s, size_t i, const char *op)
{
    if (i >= s->nconds)
        return IG_E_INPUT;
    if (!strcmp(s->conds[i].op, op))
        return IG_OK;
    /* Two entries of one operator and key would be one JSON key twice;
     * merging their values would be OR where IAM means AND. */
    for (size_t j = 0; j < s->nconds; j++)
        if (j != i && !strcmp(s->conds[j].op, op) && !strcasecmp(s->conds[j].key, s->conds[i].key))
            return IG_E_INPUT;
    char *o = fx_strndup(s->arena, op, strlen(op));
    if (!o)
        return IG_E_NOMEM;
    s->conds[i].op = o;
    s->changed = true;
    return IG_OK;
}

int fx_doc_insert_stmt(fx_doc *d, size_t at, fx_stmt **out)
{
    if (at > d->nstmts)
        return IG_E_INPUT;
    fx_stmt *v = fx_alloc(d->arena, (d->nstmts + 1) * sizeof *v);
    if (!v)
        return IG_E_NOMEM;
    if (at)
        memcpy(v, d->stmts, at * sizeof *v);
    if (d->nstmts > at)
        memcpy(v + at + 1, d->stmts + at, (d->nstmts - at) * sizeof *v);
    fx_stmt *s = &v[at];
    memset(s, 0, sizeof *s);
    s->arena = d->arena;
    s->changed = true;
    /* A new statement writes a one-element list as a string. */
    s->action_scalar = true;
    s->resource_scalar = true;
    d->stmts = v;
    d->nstmts++;
    *out = s;
    return IG_OK;
}

int fx_stmt_set_sid(fx_stmt *s, const char *sid)
{
    if (sid == s->sid || (sid && s->sid && !strcmp(sid, s->sid)))
        return IG_OK;
    char *p = NULL;
    if (sid && !(p = fx_strndup(s->arena, sid, strlen(sid))))
        return IG_E_NOMEM;
    s->sid = p;
    s->changed = true;
    return IG_OK;
}

/* view.c - a grant as a person reads it: the resource patterns it allows
 * ("on"), further patterns they must also match ("and"), the patterns
 * taken out ("except"), each list pruned of what cannot matter.  Every
 * pruning step is an exact language query: a pattern is dropped only when
 * the query proves it changes nothing. */
#include <stdint.h>
#include <string.h>

#include "analyze/view.h"

static bool add_list(ig_arena *A, an_patlist *l, const lang_pat *p)
{
    if (l->n == l->cap) {
        uint32_t nc = l->cap ? l->cap * 2 : 8;
        const lang_pat **np = ig_arena_alloc(A, nc * sizeof *np);
        if (!np)
            return false;
        if (l->n)
            memcpy(np, l->p, l->n * sizeof *np);
        l->p = np;
        l->cap = nc;
    }
    l->p[l->n++] = p;
    return true;
}

static bool add_stmt_pats(ig_arena *A, an_patlist *l, const an_stmt *s)
{
    for (uint32_t i = 0; i < s->nres; i++)
        if (!add_list(A, l, &s->res[i]))
            return false;
    return true;
}

static const lang_expr *list_expr(ig_arena *A, const an_patlist *l)
{
    return lang_e_union(A, l->p, l->n);
}

static bool has_all(const an_patlist *l)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (l->p[i]->kind == LP_ALL)
            return true;
    return false;
}

/* The positive atoms but `skip_pos`, and unless `pos_only`, minus the
 * negative ones. */
static const lang_expr *rest_expr(ig_arena *A, const an_view *v, int skip_pos, bool pos_only)
{
    const lang_expr **k = ig_arena_alloc(A, (v->npos + v->nneg + 1) * sizeof *k);
    if (!k)
        return NULL;
    size_t n = 0;
    for (uint32_t i = 0; i < v->npos; i++)
        if ((int)i != skip_pos && v->pos[i].n)
            k[n++] = list_expr(A, &v->pos[i]);
    for (uint32_t i = 0; i < v->nneg; i++)
        if (!pos_only && v->neg[i].n)
            k[n++] = lang_e_not(A, list_expr(A, &v->neg[i]));
    return lang_e_nary(A, LE_AND, k, n);
}

bool an_view_build(an_ctx *c, ig_arena *A, const an_group *g, const an_grant *gr, an_view *v)
{
    memset(v, 0, sizeof *v);
    v->star_only = g->star_only == AN_U_STAR;
    uint32_t cap = gr->nopts + g->nudeny + 1;
    v->pos = ig_arena_alloc(A, cap * sizeof *v->pos);
    v->neg = ig_arena_alloc(A, cap * sizeof *v->neg);
    if (!v->pos || !v->neg)
        return false;
    for (uint32_t i = 0; i < gr->nopts; i++) {
        const an_option *o = gr->opts[i];
        if (o->all)
            continue;
        an_patlist *l = o->neg ? &v->neg[v->nneg++] : &v->pos[v->npos++];
        for (uint32_t k = 0; k < o->nstmts; k++)
            if (o->stmts[k]->res_mode != ELEM_NONE && !add_stmt_pats(A, l, o->stmts[k]))
                return false;
    }
    for (uint32_t i = 0; i < g->nudeny; i++) {
        const an_stmt *d = g->udeny[i];
        if (d->res_mode == ELEM_NONE)
            continue;
        an_patlist *l = d->res_mode == ELEM_POSITIVE ? &v->neg[v->nneg++] : &v->pos[v->npos++];
        if (!add_stmt_pats(A, l, d))
            return false;
    }
    if (v->star_only)
        return true;                /* the one resource "*": nothing to prune */
    /* Atoms that allow everything say nothing. */
    for (uint32_t i = 0; i < v->npos; i++)
        if (has_all(&v->pos[i]))
            v->pos[i].n = 0;
    /* An atom that contains another is implied by it. */
    for (uint32_t i = 0; i < v->npos; i++)
        for (uint32_t j = 0; j < v->npos; j++) {
            if (i == j || !v->pos[i].n || !v->pos[j].n)
                continue;
            const lang_expr *k[2] = { list_expr(A, &v->pos[j]),
                                      lang_e_not(A, list_expr(A, &v->pos[i])) };
            if (an_search(c, lang_e_nary(A, LE_AND, k, 2), AN_U_ARN, NULL, 0) == LANG_EMPTY)
                v->pos[i].n = 0;    /* pos[j] is inside pos[i] */
        }
    /* Patterns that add nothing to their atom given the rest. */
    for (uint32_t i = 0; i < v->npos; i++) {
        an_patlist *l = &v->pos[i];
        if (l->n < 2)
            continue;
        const lang_expr *rest = rest_expr(A, v, (int)i, false);
        uint32_t keep = 0;
        for (uint32_t p = 0; p < l->n; p++) {
            const lang_expr *k[2] = { lang_e_pat(A, l->p[p]), rest };
            if (an_search(c, lang_e_nary(A, LE_AND, k, 2), AN_U_ARN, NULL, 0) != LANG_EMPTY)
                l->p[keep++] = l->p[p];
        }
        l->n = keep ? keep : l->n;
    }
    /* Exceptions that cannot meet what is allowed. */
    const lang_expr *allowed = rest_expr(A, v, -1, true);
    for (uint32_t i = 0; i < v->nneg; i++) {
        an_patlist *l = &v->neg[i];
        uint32_t keep = 0;
        for (uint32_t p = 0; p < l->n; p++) {
            const lang_expr *k[2] = { lang_e_pat(A, l->p[p]), allowed };
            if (l->p[p]->kind != LP_NONE &&
                an_search(c, lang_e_nary(A, LE_AND, k, 2), AN_U_ARN, NULL, 0) != LANG_EMPTY)
                l->p[keep++] = l->p[p];
        }
        l->n = keep;
    }
    return true;
}

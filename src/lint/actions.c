/* actions.c - Action/NotAction entries against the catalog: unknown
 * services and actions (with the nearest real name), patterns that match
 * nothing, and entries another entry already covers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint/lint_int.h"

static void check_entry(lint_ctx *c, const lact *a)
{
    if (a->known || a->all)
        return;
    const char *colon = memchr(a->s, ':', a->n);
    if (!colon)
        return;
    size_t sl = (size_t)(colon - a->s);
    char fix[300];
    bool service_wild = memchr(a->s, '*', sl) || memchr(a->s, '?', sl);
    if (!service_wild && ig_catalog_service_find(c->cat, a->s, sl) == IG_CATALOG_NONE) {
        bool have = lint_suggest_service(c, a->s, sl, fix, sizeof fix);
        lint_add(c, "unknown-service", a->v->start, have ? fix : NULL,
                 "no AWS service has the prefix \"%.*s\" (in \"%s\")", (int)sl, a->s, a->s);
        return;
    }
    if (a->wildcard) {
        lint_add(c, "action-pattern-no-match", a->v->start, NULL,
                 "\"%s\" matches no action%s", a->s,
                 service_wild ? " of any service" : " of the service");
        return;
    }
    bool have = lint_suggest_action(c, a->s, a->n, fix, sizeof fix);
    lint_add(c, "unknown-action", a->v->start, have ? fix : NULL,
             "the service \"%.*s\" has no action \"%s\"", (int)sl, a->s, colon + 1);
}

static int cmp_entry(const void *x, const void *y, void *ctx)
{
    const lstmt *s = ctx;
    const lact *a = &s->acts[*(const uint32_t *)x], *b = &s->acts[*(const uint32_t *)y];
    size_t n = a->n < b->n ? a->n : b->n;
    int c = strncasecmp(a->s, b->s, n);
    if (c)
        return c;
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    return *(const uint32_t *)x < *(const uint32_t *)y ? -1 : 1;
}

static void redundant(lint_ctx *c, const lact *a, const lact *by)
{
    lint_add(c, "redundant-action", a->v->start, "remove this entry",
             "\"%s\" is already covered by \"%s\" in the same statement", a->s, by->s);
}

/* An entry is redundant when a wildcard entry covers it, or when it
 * repeats an earlier entry.  Only wildcard entries can cover others, so
 * the pairs tried are entries x wildcards, plus neighbours in sorted
 * order for repeats: statements with a thousand actions stay fast. */
static void check_redundant(lint_ctx *c, const lstmt *s)
{
    uint32_t *order = ig_arena_alloc(&c->arena, (s->nacts ? s->nacts : 1) * sizeof *order);
    bool *done = ig_arena_alloc(&c->arena, (s->nacts ? s->nacts : 1) * sizeof *done);
    if (!order || !done)
        return;
    uint32_t nwild = 0;
    for (uint32_t k = 0; k < s->nacts; k++)
        if (s->acts[k].wildcard)
            order[nwild++] = k;
    for (uint32_t k = 0; k < s->nacts; k++) {
        const lact *a = &s->acts[k];
        for (uint32_t w = 0; w < nwild && !done[k]; w++) {
            uint32_t j = order[w];
            const lact *b = &s->acts[j];
            if (j == k || !lint_glob_subsumes(b->s, b->n, a->s, a->n, true))
                continue;
            /* Of two equal entries, the second is the redundant one. */
            if (j > k && lint_glob_subsumes(a->s, a->n, b->s, b->n, true))
                continue;
            redundant(c, a, b);
            done[k] = true;
        }
    }
    for (uint32_t k = 0; k < s->nacts; k++)
        order[k] = k;
    qsort_r(order, s->nacts, sizeof *order, cmp_entry, (void *)s);
    for (uint32_t i = 1; i < s->nacts; i++) {
        const lact *prev = &s->acts[order[i - 1]], *a = &s->acts[order[i]];
        if (!done[order[i]] && !a->wildcard && a->n == prev->n && !strncasecmp(a->s, prev->s, a->n)) {
            redundant(c, a, prev);
            done[order[i]] = true;
        }
    }
}

void lint_check_actions(lint_ctx *c)
{
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        for (uint32_t k = 0; k < s->nacts; k++)
            check_entry(c, &s->acts[k]);
        check_redundant(c, s);
    }
}

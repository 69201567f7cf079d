/* index.c - the per-policy action index.
 *
 * Most requests name a service that only a few statements mention, so the
 * evaluator looks the request's service up here and visits only those
 * statements (and only their patterns for that service) instead of globbing
 * every action pattern of every statement. */
#include <string.h>

#include "policy/policy_int.h"
#include "util/str.h"

/* The literal service prefix of a lowercased action pattern, or false when
 * the prefix has a wildcard (then the pattern can match any service). */
static bool literal_service(const ig_glob *g, const char **svc, uint32_t *len)
{
    if (g->ntok == 0 || g->tok[0].kind != GT_LIT)
        return false;
    const char *t = g->tok[0].text;
    const char *colon = memchr(t, ':', g->tok[0].len);
    if (!colon)
        return false;
    *svc = t;
    *len = (uint32_t)(colon - t);
    return true;
}

static bool stmt_is_wild(const ig_stmt *st)
{
    if (st->action_mode == ELEM_NOT)
        return true;
    const char *s;
    uint32_t l;
    for (uint32_t i = 0; i < st->nactions; i++)
        if (!literal_service(&st->actions[i], &s, &l))
            return true;
    return false;
}

static ig_svc_bucket *find_slot(ig_policy *p, const char *svc, uint32_t len, uint32_t hash)
{
    uint32_t mask = p->nbuckets - 1;
    for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
        ig_svc_bucket *b = &p->buckets[i];
        if (!b->svc || (b->hash == hash && b->len == len && !memcmp(b->svc, svc, len)))
            return b;
    }
}

#define PAT_OVERFLOW 0xFFFFu   /* more than 3 patterns: check them all */

static void add_pattern(ig_svc_bucket *b, uint32_t s, uint32_t i)
{
    if (b->n == 0 || b->entries[b->n - 1].stmt != s)
        b->entries[b->n++] = (ig_svc_entry){ .stmt = s, .npat = 0 };
    ig_svc_entry *e = &b->entries[b->n - 1];
    if (e->npat == PAT_OVERFLOW)
        return;
    if (e->npat < 3 && i < PAT_OVERFLOW)
        e->pat[e->npat++] = (uint16_t)i;
    else
        e->npat = PAT_OVERFLOW;
}

/* Two passes over the patterns, both linear: count the statements each
 * service bucket will hold, then fill the buckets in statement order. */
bool ig_policy_build_index(ig_policy *p)
{
    uint32_t npat = 0, nwild = 0;
    for (uint32_t s = 0; s < p->nstmts; s++) {
        npat += p->stmts[s].nactions;
        nwild += stmt_is_wild(&p->stmts[s]);
    }
    /* At most one service per pattern: a load factor of 2/3 at worst. */
    p->nbuckets = 4;
    while (p->nbuckets < npat + npat / 2 + 2)
        p->nbuckets *= 2;
    p->buckets = ig_arena_alloc(&p->arena, p->nbuckets * sizeof *p->buckets);
    p->wild = ig_arena_alloc(&p->arena, (nwild ? nwild : 1) * sizeof *p->wild);
    if (!p->buckets || !p->wild)
        return false;
    /* Pass 1: a bucket per literal service; `n` counts its statements
     * (last[] remembers the last statement counted for each bucket). */
    uint32_t *last = ig_arena_alloc(&p->arena, p->nbuckets * sizeof *last);
    if (!last)
        return false;
    for (uint32_t s = 0; s < p->nstmts; s++) {
        const ig_stmt *st = &p->stmts[s];
        if (stmt_is_wild(st))
            continue;
        for (uint32_t i = 0; i < st->nactions; i++) {
            const char *svc = NULL;
            uint32_t len = 0;
            literal_service(&st->actions[i], &svc, &len);
            uint32_t h = ig_hash_key(svc, len);
            ig_svc_bucket *b = find_slot(p, svc, len, h);
            if (!b->svc) {
                b->svc = svc;
                b->len = len;
                b->hash = h;
            }
            uint32_t bi = (uint32_t)(b - p->buckets);
            if (last[bi] != s + 1) {
                last[bi] = s + 1;
                b->n++;
            }
        }
    }
    for (uint32_t bi = 0; bi < p->nbuckets; bi++) {
        ig_svc_bucket *b = &p->buckets[bi];
        if (!b->svc)
            continue;
        b->entries = ig_arena_alloc(&p->arena, (b->n + nwild) * sizeof *b->entries);
        if (!b->entries)
            return false;
        b->n = 0;
    }
    /* Pass 2: fill, in statement order; wild statements join every bucket. */
    for (uint32_t s = 0; s < p->nstmts; s++) {
        const ig_stmt *st = &p->stmts[s];
        if (stmt_is_wild(st)) {
            p->wild[p->nwild++] = (ig_svc_entry){ .stmt = s, .npat = 0 };
            for (uint32_t bi = 0; bi < p->nbuckets; bi++)
                if (p->buckets[bi].svc)
                    p->buckets[bi].entries[p->buckets[bi].n++] = (ig_svc_entry){ .stmt = s, .npat = 0 };
            continue;
        }
        for (uint32_t i = 0; i < st->nactions; i++) {
            const char *svc = NULL;
            uint32_t len = 0;
            literal_service(&st->actions[i], &svc, &len);
            add_pattern(find_slot(p, svc, len, ig_hash_key(svc, len)), s, i);
        }
    }
    for (uint32_t bi = 0; bi < p->nbuckets; bi++)
        for (uint32_t k = 0; k < p->buckets[bi].n; k++)
            if (p->buckets[bi].entries[k].npat == PAT_OVERFLOW)
                p->buckets[bi].entries[k].npat = 0;
    return true;
}

const ig_svc_entry *ig_policy_candidates(const ig_policy *p, const char *svc,
                                         uint32_t len, uint32_t hash, uint32_t *n)
{
    uint32_t mask = p->nbuckets - 1;
    for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
        const ig_svc_bucket *b = &p->buckets[i];
        if (!b->svc)
            break;
        if (b->hash == hash && b->len == len && !memcmp(b->svc, svc, len)) {
            *n = b->n;
            return b->entries;
        }
    }
    *n = p->nwild;
    return p->wild;
}

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

bool ig_policy_build_index(ig_policy *p)
{
    uint32_t npat = 0;
    for (uint32_t s = 0; s < p->nstmts; s++)
        npat += p->stmts[s].nactions;
    p->nbuckets = 4;
    while (p->nbuckets < 2 * npat + 2)
        p->nbuckets *= 2;
    p->buckets = ig_arena_alloc(&p->arena, p->nbuckets * sizeof *p->buckets);
    if (!p->buckets)
        return false;
    /* Pass 1: make a bucket for every literal service. */
    for (uint32_t s = 0; s < p->nstmts; s++) {
        const ig_stmt *st = &p->stmts[s];
        if (st->action_mode == ELEM_NOT)
            continue;
        for (uint32_t i = 0; i < st->nactions; i++) {
            const char *svc;
            uint32_t len;
            if (!literal_service(&st->actions[i], &svc, &len))
                continue;
            uint32_t h = ig_hash_key(svc, len);
            ig_svc_bucket *b = find_slot(p, svc, len, h);
            if (!b->svc) {
                b->svc = svc;
                b->len = len;
                b->hash = h;
            }
        }
    }
    uint32_t nwild = 0;
    for (uint32_t s = 0; s < p->nstmts; s++)
        nwild += stmt_is_wild(&p->stmts[s]);
    p->wild = ig_arena_alloc(&p->arena, (nwild ? nwild : 1) * sizeof *p->wild);
    if (!p->wild)
        return false;
    /* Pass 2: each bucket gets, in statement order, the wild statements and
     * the statements naming its service. */
    for (uint32_t bi = 0; bi < p->nbuckets; bi++) {
        ig_svc_bucket *b = &p->buckets[bi];
        if (!b->svc)
            continue;
        b->entries = ig_arena_alloc(&p->arena, p->nstmts * sizeof *b->entries);
        if (!b->entries)
            return false;
        for (uint32_t s = 0; s < p->nstmts; s++) {
            const ig_stmt *st = &p->stmts[s];
            ig_svc_entry e = { .stmt = s, .npat = 0 };
            bool wild = stmt_is_wild(st), named = false;
            uint16_t pats[3];
            unsigned k = 0;
            for (uint32_t i = 0; !wild && i < st->nactions; i++) {
                const char *svc;
                uint32_t len;
                if (literal_service(&st->actions[i], &svc, &len) && len == b->len &&
                    !memcmp(svc, b->svc, len)) {
                    named = true;
                    if (k < 3 && i < 65536) pats[k] = (uint16_t)i;
                    k++;
                }
            }
            if (!wild && !named)
                continue;
            if (!wild && k <= 3) {
                e.npat = (uint16_t)k;
                memcpy(e.pat, pats, k * sizeof pats[0]);
            }
            b->entries[b->n++] = e;
        }
    }
    for (uint32_t s = 0; s < p->nstmts; s++)
        if (stmt_is_wild(&p->stmts[s]))
            p->wild[p->nwild++] = (ig_svc_entry){ .stmt = s, .npat = 0 };
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

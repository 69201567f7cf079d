/* index.c - the per-policy action index.
 *
 * Most requests name a service that only a few statements mention, so the
 * evaluator looks the request's service up here and visits only those
 * statements (and only their patterns for that service) instead of globbing
 * every action pattern of every statement. */
#include <string.h>

#include "policy/policy_int.h"
#include "util/alloc.h"
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

static bool is_literal(const ig_glob *g)
{
    return g->shape == GS_EXACT && g->ntok == 1 && g->tok[0].kind == GT_LIT;
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

/* Shortcuts the evaluator takes for the commonest shapes. */
static void mark_shortcuts(ig_stmt *st)
{
    st->any_action = false;
    if (st->action_mode == ELEM_POSITIVE)
        for (uint32_t i = 0; i < st->nactions && !st->any_action; i++)
            st->any_action = st->actions[i].shape == GS_ANY;
    st->any_resource = st->resource_mode == ELEM_POSITIVE && st->nresources > 0 &&
                       st->resources[0].mode == ARNP_ANY;
}

static ig_svc_bucket *find_slot(ig_svc_bucket *table, uint32_t size, const char *svc,
                                uint32_t len, uint32_t hash)
{
    uint32_t mask = size - 1;
    for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
        ig_svc_bucket *b = &table[i];
        if (!b->svc || (b->hash == hash && b->len == len && !memcmp(b->svc, svc, len)))
            return b;
    }
}

static uint32_t table_size(uint32_t n)
{
    uint32_t size = 4;      /* a load factor of 2/3 at worst */
    while (size < n + n / 2 + 2)
        size *= 2;
    return size;
}

/* Scratch state of one build: where each pattern's service went. */
typedef struct {
    ig_svc_bucket *scratch;     /* worst-case table, one service per pattern */
    uint32_t scratch_size;
    uint32_t *last;             /* per scratch slot: last statement + 1 */
    uint32_t *pat_slot;         /* per pattern (all statements, in order) */
    uint32_t *remap;            /* scratch slot -> bucket index */
    ig_patref **cursor;         /* per bucket: next literal slot of an entry */
    ig_patref **wild_cursor;    /* per bucket: next wildcard slot */
    uint8_t *wild;              /* per statement: in every bucket */
} build;

/* Count the statements of each literal service; returns the services. */
static uint32_t count_services(const ig_policy *p, build *b)
{
    uint32_t nsvc = 0, k = 0;
    for (uint32_t s = 0; s < p->nstmts; s++) {
        const ig_stmt *st = &p->stmts[s];
        if (b->wild[s]) {
            k += st->nactions;
            continue;
        }
        for (uint32_t i = 0; i < st->nactions; i++, k++) {
            const char *svc = NULL;
            uint32_t len = 0;
            literal_service(&st->actions[i], &svc, &len);
            uint32_t h = ig_hash_key(svc, len);
            ig_svc_bucket *sb = find_slot(b->scratch, b->scratch_size, svc, len, h);
            if (!sb->svc) {
                *sb = (ig_svc_bucket){ .svc = svc, .len = len, .hash = h };
                nsvc++;
            }
            uint32_t si = (uint32_t)(sb - b->scratch);
            b->pat_slot[k] = si;
            if (b->last[si] != s + 1) {    /* count each statement once */
                b->last[si] = s + 1;
                sb->n++;
            }
        }
    }
    return nsvc;
}

/* The entries of one non-wild statement: for each of its services, the
 * patterns naming it, literals first, as one run of the pool.  Three
 * linear passes: count, place the runs, fill. */
static void add_statement(ig_policy *p, build *b, uint32_t s, const uint32_t *slots,
                          ig_patref **pool)
{
    const ig_stmt *st = &p->stmts[s];
    for (uint32_t i = 0; i < st->nactions; i++) {
        ig_svc_bucket *bk = &p->buckets[b->remap[slots[i]]];
        if (bk->n == 0 || bk->entries[bk->n - 1].stmt != s)
            bk->entries[bk->n++] = (ig_svc_entry){ .stmt = s };
        ig_svc_entry *e = &bk->entries[bk->n - 1];
        e->npat++;
        e->nexact += is_literal(&st->actions[i]);
    }
    for (uint32_t i = 0; i < st->nactions; i++) {
        uint32_t bi = b->remap[slots[i]];
        ig_svc_entry *e = &p->buckets[bi].entries[p->buckets[bi].n - 1];
        if (e->pat)
            continue;
        e->pat = *pool;
        b->cursor[bi] = *pool;
        b->wild_cursor[bi] = *pool + e->nexact;
        *pool += e->npat;
    }
    for (uint32_t i = 0; i < st->nactions; i++) {
        uint32_t bi = b->remap[slots[i]];
        const ig_glob *g = &st->actions[i];
        bool lit = is_literal(g);
        ig_patref *r = lit ? b->cursor[bi]++ : b->wild_cursor[bi]++;
        r->idx = i;
        r->hash = lit ? ig_hash_key(g->tok[0].text, g->tok[0].len) : 0;
    }
}

static bool fill(ig_policy *p, build *b, uint32_t npat, uint32_t nwild)
{
    p->wild = ig_arena_alloc(&p->arena, (nwild ? nwild : 1) * sizeof *p->wild);
    ig_patref *pool = ig_arena_alloc_raw(&p->arena, (npat ? npat : 1) * sizeof *pool);
    if (!p->wild || !pool)
        return false;
    uint32_t nsvc = count_services(p, b);
    p->nbuckets = table_size(nsvc);
    p->buckets = ig_arena_alloc(&p->arena, p->nbuckets * sizeof *p->buckets);
    b->remap = ig_malloc(b->scratch_size * sizeof *b->remap);
    b->cursor = ig_malloc(p->nbuckets * sizeof *b->cursor);
    b->wild_cursor = ig_malloc(p->nbuckets * sizeof *b->wild_cursor);
    if (!p->buckets || !b->remap || !b->cursor || !b->wild_cursor)
        return false;
    for (uint32_t i = 0; i < b->scratch_size; i++) {
        const ig_svc_bucket *from = &b->scratch[i];
        if (!from->svc)
            continue;
        ig_svc_bucket *bk = find_slot(p->buckets, p->nbuckets, from->svc, from->len, from->hash);
        *bk = *from;
        bk->entries = ig_arena_alloc(&p->arena, (bk->n + nwild) * sizeof *bk->entries);
        if (!bk->entries)
            return false;
        bk->n = 0;
        b->remap[i] = (uint32_t)(bk - p->buckets);
    }
    /* In statement order; wild statements join every bucket. */
    uint32_t k = 0;
    for (uint32_t s = 0; s < p->nstmts; s++) {
        if (!b->wild[s]) {
            add_statement(p, b, s, b->pat_slot + k, &pool);
            k += p->stmts[s].nactions;
            continue;
        }
        k += p->stmts[s].nactions;
        ig_svc_entry all = { .stmt = s, .npat = 0, .nexact = 0, .pat = NULL };
        p->wild[p->nwild++] = all;
        for (uint32_t bi = 0; bi < p->nbuckets; bi++)
            if (p->buckets[bi].svc)
                p->buckets[bi].entries[p->buckets[bi].n++] = all;
    }
    return true;
}

bool ig_policy_build_index(ig_policy *p)
{
    uint32_t npat = 0, nwild = 0;
    bool any_deny = false, allow_all = false;
    build b = { 0 };
    b.wild = ig_malloc(p->nstmts ? p->nstmts : 1);
    if (!b.wild)
        return false;
    for (uint32_t s = 0; s < p->nstmts; s++) {
        ig_stmt *st = &p->stmts[s];
        mark_shortcuts(st);
        any_deny |= st->deny;
        allow_all |= !st->deny && st->any_action && st->any_resource && st->nconds == 0 &&
                     st->principal_mode == ELEM_NONE;
        npat += st->nactions;
        b.wild[s] = stmt_is_wild(st);
        nwild += b.wild[s];
    }
    p->allows_all = allow_all && !any_deny;
    b.scratch_size = table_size(npat);
    b.scratch = ig_calloc(b.scratch_size, sizeof *b.scratch);
    b.last = ig_calloc(b.scratch_size, sizeof *b.last);
    b.pat_slot = ig_malloc((npat ? npat : 1) * sizeof *b.pat_slot);
    bool ok = b.scratch && b.last && b.pat_slot && fill(p, &b, npat, nwild);
    ig_free(b.wild);
    ig_free(b.scratch);
    ig_free(b.last);
    ig_free(b.pat_slot);
    ig_free(b.remap);
    ig_free(b.cursor);
    ig_free(b.wild_cursor);
    return ok;
}

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
    /* Service prefixes are short: a plain loop beats a call to memchr. */
    const char *t = g->tok[0].text;
    for (uint32_t i = 0; i < g->tok[0].len; i++) {
        if (t[i] == ':') {
            *svc = t;
            *len = i;
            return true;
        }
    }
    return false;
}

static bool is_literal(const ig_glob *g)
{
    return g->shape == GS_EXACT && g->ntok == 1 && g->tok[0].kind == GT_LIT;
}

#define NO_SERVICE UINT32_MAX

/* Whether a statement belongs in every bucket; svc_len[] gets the length
 * of each pattern's literal service prefix (NO_SERVICE: none). */
static bool stmt_is_wild(const ig_stmt *st, uint32_t *svc_len)
{
    bool wild = st->action_mode == ELEM_NOT;
    for (uint32_t i = 0; i < st->nactions; i++) {
        const char *s;
        if (!literal_service(&st->actions[i], &s, &svc_len[i])) {
            svc_len[i] = NO_SERVICE;
            wild = true;
        }
    }
    return wild;
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
        if (!b->svc || (b->hash == hash && b->len == len && ig_lit_eq(b->svc, svc, len)))
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
    uint32_t *pat_slot;         /* per pattern (all statements, in order):
                                   its service length, then its slot */
    uint32_t *remap;            /* scratch slot -> bucket index */
    ig_patref **cursor;         /* per bucket: next literal slot of an entry */
    ig_patref **wild_cursor;    /* per bucket: next wildcard slot */
    uint8_t *wild;              /* per statement: in every bucket */
    bool scratch_heap;          /* scratch and last were grown on the heap */
} build;

/* Grow the service table fourfold, moving the services found so far and
 * the slots already recorded for k patterns. */
static bool grow_services(build *b, uint32_t k)
{
    uint32_t old_size = b->scratch_size, size = old_size * 4;
    ig_svc_bucket *table = ig_calloc(size, sizeof *table);
    uint32_t *last = ig_calloc(size, sizeof *last);
    uint32_t *move = ig_calloc(old_size, sizeof *move);
    if (!table || !last || !move) {
        ig_free(table);
        ig_free(last);
        ig_free(move);
        return false;
    }
    for (uint32_t i = 0; i < old_size; i++) {
        const ig_svc_bucket *from = &b->scratch[i];
        if (!from->svc)
            continue;
        ig_svc_bucket *to = find_slot(table, size, from->svc, from->len, from->hash);
        *to = *from;
        move[i] = (uint32_t)(to - table);
        last[move[i]] = b->last[i];
    }
    for (uint32_t i = 0; i < k; i++)
        b->pat_slot[i] = move[b->pat_slot[i]];
    ig_free(move);
    if (b->scratch_heap) {
        ig_free(b->scratch);
        ig_free(b->last);
    }
    b->scratch = table;
    b->last = last;
    b->scratch_size = size;
    b->scratch_heap = true;
    return true;
}

/* Count the statements of each literal service into the service table;
 * *nsvc gets the services.  False when out of memory. */
static bool count_services(const ig_policy *p, build *b, uint32_t *nsvc)
{
    uint32_t k = 0;
    *nsvc = 0;
    for (uint32_t s = 0; s < p->nstmts; s++) {
        const ig_stmt *st = &p->stmts[s];
        if (b->wild[s]) {
            for (uint32_t i = 0; i < st->nactions; i++)
                b->pat_slot[k++] = 0;       /* unused, but a valid slot to move */
            continue;
        }
        for (uint32_t i = 0; i < st->nactions; i++, k++) {
            const char *svc = st->actions[i].tok[0].text;
            uint32_t len = b->pat_slot[k];     /* the service length, until now */
            uint32_t h = ig_hash_key(svc, len);
            ig_svc_bucket *sb = find_slot(b->scratch, b->scratch_size, svc, len, h);
            if (!sb->svc) {
                if (3 * (*nsvc + 1) > 2 * b->scratch_size) {    /* keep it 2/3 full at most */
                    if (!grow_services(b, k))
                        return false;
                    sb = find_slot(b->scratch, b->scratch_size, svc, len, h);
                }
                *sb = (ig_svc_bucket){ .svc = svc, .len = len, .hash = h };
                (*nsvc)++;
            }
            uint32_t si = (uint32_t)(sb - b->scratch);
            b->pat_slot[k] = si;
            if (b->last[si] != s + 1) {    /* count each statement once */
                b->last[si] = s + 1;
                sb->n++;
            }
        }
    }
    return true;
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
    uint32_t nsvc;
    if (!count_services(p, b, &nsvc))
        return false;
    p->nbuckets = table_size(nsvc);
    p->buckets = ig_arena_alloc(&p->arena, p->nbuckets * sizeof *p->buckets);
    /* remap, then the two cursor arrays, in one block */
    b->remap = ig_malloc((b->scratch_size + 1) * sizeof *b->remap +
                         2 * (size_t)p->nbuckets * sizeof(ig_patref *));
    if (!p->buckets || !b->remap)
        return false;
    b->cursor = (ig_patref **)(b->remap + b->scratch_size + (b->scratch_size & 1));
    b->wild_cursor = b->cursor + p->nbuckets;
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

static size_t align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

#define SERVICE_SLOTS 64u   /* to start with; grown by grow_services */

/* The scratch arrays in one block, on the stack for small policies: the
 * service table to start with, and what is sized by patterns or
 * statements.  remap and the cursors, sized by the final service table,
 * come later (bucket_arrays). */
static void *scratch_arrays(build *b, uint32_t npat, uint32_t nstmts, void *stack, size_t cap)
{
    size_t zeroed = SERVICE_SLOTS * (sizeof *b->scratch + sizeof *b->last);
    size_t total = zeroed + align8((npat ? npat : 1) * sizeof *b->pat_slot) + (nstmts ? nstmts : 1);
    char *mem = total <= cap ? stack : ig_malloc(total);
    if (!mem)
        return NULL;
    memset(mem, 0, zeroed);
    b->scratch_size = SERVICE_SLOTS;
    b->scratch = (ig_svc_bucket *)mem;
    b->last = (uint32_t *)(mem + SERVICE_SLOTS * sizeof *b->scratch);
    b->pat_slot = (uint32_t *)(mem + zeroed);
    b->wild = (uint8_t *)(mem + zeroed + align8((npat ? npat : 1) * sizeof *b->pat_slot));
    return mem;
}

bool ig_policy_build_index(ig_policy *p)
{
    uint32_t npat = 0, nwild = 0;
    bool any_deny = false, allow_all = false;
    for (uint32_t s = 0; s < p->nstmts; s++)
        npat += p->stmts[s].nactions;
    build b = { 0 };
    _Alignas(16) char stack[6144];
    void *mem = scratch_arrays(&b, npat, p->nstmts, stack, sizeof stack);
    if (!mem)
        return false;
    for (uint32_t s = 0, k = 0; s < p->nstmts; s++) {
        ig_stmt *st = &p->stmts[s];
        mark_shortcuts(st);
        any_deny |= st->deny;
        allow_all |= !st->deny && st->any_action && st->any_resource && st->nconds == 0 &&
                     st->principal_mode == ELEM_NONE;
        b.wild[s] = stmt_is_wild(st, b.pat_slot + k);
        nwild += b.wild[s];
        k += st->nactions;
    }
    p->allows_all = allow_all && !any_deny;
    bool ok = fill(p, &b, npat, nwild);
    if (b.scratch_heap) {
        ig_free(b.scratch);
        ig_free(b.last);
    }
    ig_free(b.remap);
    if (mem != stack)
        ig_free(mem);
    return ok;
}

/* effective.c - what a principal can do, over every action of the catalog.
 *
 * Actions that the same statements name behave alike, so they are grouped
 * by that set of statements (a few dozen groups for a real policy, however
 * many actions).  For a group, each layer offers one or more options --
 * its unconditional Resource statements united, and each conditional or
 * NotResource statement on its own, so that conditions stay attached to
 * the resources they guard -- and a grant is one option per layer, minus
 * the unconditional denies.  A grant whose resource set is empty is
 * dropped; conditional denies that can overlap it are kept beside it. */
#include <stdlib.h>
#include <string.h>

#include "analyze/analyze.h"
#include "util/alloc.h"

#define MAX_COMBOS 512u

typedef struct {
    const an_stmt *st;
    uint8_t layer;
} flat_stmt;

typedef struct {
    uint32_t hash;
    uint32_t nsig;
    uint16_t *sig;              /* flat statement indexes */
    uint8_t star_only;
    bool rcp;
    uint32_t nact, cap;
    uint32_t *acts;
} proto;

static bool rcp_service(const char *name)
{
    static const char *const services[] = {
        "s3", "s3express", "sts", "kms", "sqs", "secretsmanager", "cognito-identity",
        "dynamodb", "ecr", "aoss", "logs"
    };
    size_t n = strcspn(name, ":");
    for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
        if (strlen(services[i]) == n && !memcmp(services[i], name, n))
            return true;
    return false;
}

static uint32_t sig_hash(const uint16_t *sig, uint32_t n, uint8_t star, bool rcp)
{
    uint32_t h = 2166136261u ^ (star * 0x55u) ^ (rcp ? 0xAA00u : 0);
    for (uint32_t i = 0; i < n; i++) {
        h ^= sig[i];
        h *= 16777619u;
    }
    return h;
}

/* ---- options and grants ---------------------------------------------------- */

static const lang_expr *union_of(ig_arena *A, const an_stmt *const *ss, uint32_t n)
{
    const lang_expr **k = ig_arena_alloc(A, (n ? n : 1) * sizeof *k);
    if (!k)
        return NULL;
    for (uint32_t i = 0; i < n; i++)
        k[i] = ss[i]->res_expr;
    return lang_e_nary(A, LE_OR, k, n);
}

static bool has_all_pattern(const an_stmt *s)
{
    if (s->res_mode == ELEM_NONE)
        return true;
    if (s->res_mode != ELEM_POSITIVE)
        return false;
    for (uint32_t i = 0; i < s->nres; i++)
        if (s->res[i].kind == LP_ALL)
            return true;
    return false;
}

/* The options of one layer for a group; 0 options: the layer allows none. */
static bool layer_options(ig_arena *A, const flat_stmt *fs, const uint16_t *sig, uint32_t nsig,
                          uint8_t layer, an_option **out, uint32_t *nout)
{
    uint32_t nuncond = 0, nother = 0;
    bool all = false;
    for (uint32_t i = 0; i < nsig; i++) {
        const flat_stmt *f = &fs[sig[i]];
        if (f->layer != layer || f->st->deny)
            continue;
        if (!f->st->has_cond && f->st->res_mode == ELEM_POSITIVE) nuncond++;
        else nother++;
        if (!f->st->has_cond && has_all_pattern(f->st))
            all = true;
    }
    *nout = 0;
    *out = NULL;
    if (!nuncond && !nother)
        return true;
    an_option *opts = ig_arena_alloc(A, (nother + 1) * sizeof *opts);
    if (!opts)
        return false;
    const an_stmt **uncond = ig_arena_alloc(A, (nuncond + nother + 1) * sizeof *uncond);
    if (!uncond)
        return false;
    uint32_t nu = 0, n = 0;
    for (uint32_t i = 0; i < nsig; i++) {
        const flat_stmt *f = &fs[sig[i]];
        if (f->layer != layer || f->st->deny)
            continue;
        if (all) {
            /* Everything is allowed unconditionally: other statements of
             * the layer add nothing. */
            if (!f->st->has_cond && has_all_pattern(f->st))
                uncond[nu++] = f->st;
            continue;
        }
        if (!f->st->has_cond && f->st->res_mode == ELEM_POSITIVE) {
            uncond[nu++] = f->st;
            continue;
        }
        an_option *o = &opts[n++];
        memset(o, 0, sizeof *o);
        o->layer = layer;
        o->neg = f->st->res_mode == ELEM_NOT;
        o->all = f->st->res_mode == ELEM_NONE && !f->st->has_cond;
        o->conditional = f->st->has_cond;
        o->nstmts = 1;
        o->stmts = ig_arena_alloc(A, sizeof *o->stmts);
        if (!o->stmts)
            return false;
        o->stmts[0] = f->st;
        o->expr = f->st->res_expr;
    }
    if (nu) {
        an_option *o = &opts[n++];
        memset(o, 0, sizeof *o);
        o->layer = layer;
        o->all = all;
        o->nstmts = nu;
        o->stmts = uncond;
        o->expr = all ? lang_e_const(A, true) : union_of(A, uncond, nu);
        if (!o->expr)
            return false;
        /* The unconditional option first: it is the plainest to read. */
        an_option t = opts[n - 1];
        memmove(opts + 1, opts, (n - 1) * sizeof *opts);
        opts[0] = t;
    }
    *out = opts;
    *nout = n;
    return true;
}

static const lang_expr *minus_denies(ig_arena *A, const lang_expr *base, const an_stmt *const *d,
                                     uint32_t nd)
{
    const lang_expr **k = ig_arena_alloc(A, (nd + 1) * sizeof *k);
    if (!k)
        return NULL;
    k[0] = base;
    for (uint32_t i = 0; i < nd; i++)
        k[i + 1] = lang_e_not(A, d[i]->res_expr);
    return lang_e_nary(A, LE_AND, k, nd + 1);
}

static bool build_group(an_ctx *c, an_effective *e, const flat_stmt *fs, const proto *pr,
                        an_group *g)
{
    ig_arena *A = &e->arena;
    const an_subject *s = &e->subj;
    memset(g, 0, sizeof *g);
    g->star_only = pr->star_only;
    g->nactions = pr->nact;
    g->actions = pr->acts;
    g->nstmts = pr->nsig;
    g->stmts = ig_arena_alloc(A, (pr->nsig ? pr->nsig : 1) * sizeof *g->stmts);
    g->udeny = ig_arena_alloc(A, (pr->nsig ? pr->nsig : 1) * sizeof *g->udeny);
    const an_stmt **cdeny = ig_arena_alloc(A, (pr->nsig ? pr->nsig : 1) * sizeof *cdeny);
    if (!g->stmts || !g->udeny || !cdeny)
        return false;
    uint32_t ncdeny = 0;
    for (uint32_t i = 0; i < pr->nsig; i++) {
        const an_stmt *st = fs[pr->sig[i]].st;
        g->stmts[i] = st;
        if (st->deny) {
            if (st->has_cond) cdeny[ncdeny++] = st;
            else g->udeny[g->nudeny++] = st;
        }
    }
    /* Options per layer that applies to these actions. */
    an_option *opts[AN_MAX_LAYERS];
    uint32_t nopts[AN_MAX_LAYERS], nl = 0;
    an_option root_all;
    for (uint32_t l = 0; l < s->nlayers; l++) {
        if ((s->layers[l].kind == AN_L_RCP && !pr->rcp) || s->layers[l].kind == AN_L_DENIES)
            continue;
        if (l == 0 && s->root) {
            memset(&root_all, 0, sizeof root_all);
            root_all.all = true;
            root_all.expr = lang_e_const(A, true);
            opts[nl] = &root_all;
            nopts[nl++] = 1;
            continue;
        }
        if (!layer_options(A, fs, pr->sig, pr->nsig, (uint8_t)l, &opts[nl], &nopts[nl]))
            return false;
        if (!nopts[nl])
            return true;            /* this layer allows none of them */
        nl++;
    }
    /* Everything some grant could allow, conditions aside. */
    const lang_expr **lk = ig_arena_alloc(A, (nl + 1) * sizeof *lk);
    if (!lk)
        return false;
    for (uint32_t i = 0; i < nl; i++) {
        const lang_expr **ok = ig_arena_alloc(A, nopts[i] * sizeof *ok);
        if (!ok)
            return false;
        for (uint32_t k = 0; k < nopts[i]; k++)
            ok[k] = opts[i][k].expr;
        lk[i] = lang_e_nary(A, LE_OR, ok, nopts[i]);
    }
    g->any_expr = minus_denies(A, lang_e_nary(A, LE_AND, lk, nl), g->udeny, g->nudeny);
    if (!g->any_expr)
        return false;
    /* The grants: one option per layer. */
    size_t combos = 1;
    for (uint32_t i = 0; i < nl; i++) {
        combos *= nopts[i];
        if (combos > MAX_COMBOS) {
            combos = MAX_COMBOS;
            g->unknown = true;      /* listed in part; any_expr stays exact */
        }
    }
    g->grants = ig_arena_alloc(A, combos * sizeof *g->grants);
    if (!g->grants)
        return false;
    uint32_t pick[AN_MAX_LAYERS];
    memset(pick, 0, sizeof pick);
    for (size_t k = 0; k < combos; k++) {
        an_grant *gr = &g->grants[g->ngrants];
        memset(gr, 0, sizeof *gr);
        gr->nopts = nl;
        gr->opts = ig_arena_alloc(A, (nl ? nl : 1) * sizeof *gr->opts);
        const lang_expr **ek = ig_arena_alloc(A, (nl + 1) * sizeof *ek);
        if (!gr->opts || !ek)
            return false;
        for (uint32_t i = 0; i < nl; i++) {
            gr->opts[i] = &opts[i][pick[i]];
            ek[i] = opts[i][pick[i]].expr;
        }
        gr->expr = minus_denies(A, lang_e_nary(A, LE_AND, ek, nl), g->udeny, g->nudeny);
        if (!gr->expr)
            return false;
        lang_answer ans = an_search(c, gr->expr, g->star_only, NULL, 0);
        if (ans != LANG_EMPTY) {
            gr->unknown = ans == LANG_UNKNOWN;
            g->unknown |= gr->unknown;
            /* Conditional denies that can meet this grant's resources. */
            gr->unless = ig_arena_alloc(A, (ncdeny ? ncdeny : 1) * sizeof *gr->unless);
            if (!gr->unless)
                return false;
            for (uint32_t d = 0; d < ncdeny; d++) {
                const lang_expr *both[2] = { gr->expr, cdeny[d]->res_expr };
                if (an_search(c, lang_e_nary(A, LE_AND, both, 2), g->star_only, NULL, 0) !=
                    LANG_EMPTY)
                    gr->unless[gr->nunless++] = cdeny[d];
            }
            g->ngrants++;
        }
        for (uint32_t i = nl; i-- > 0;) {       /* next combination */
            if (++pick[i] < nopts[i])
                break;
            pick[i] = 0;
        }
    }
    return true;
}

/* ---- grouping ---------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

int an_effective_compute(an_ctx *c, const ig_env *env, const uint64_t *filter, an_effective *out)
{
    an_subject s;
    ig_arena tmp;
    ig_arena_init(&tmp);
    if (!an_subject_init(c, &tmp, env, &s)) {
        ig_arena_free(&tmp);
        return IG_E_NOMEM;
    }
    int rc = an_effective_subject(c, &s, filter, out);
    if (rc == IG_OK) {
        /* The layer arrays must live as long as the result. */
        for (uint32_t l = 0; l < out->subj.nlayers; l++) {
            an_layer *L = &out->subj.layers[l];
            const an_pol **p = ig_arena_alloc(&out->arena, (L->npols ? L->npols : 1) * sizeof *p);
            if (!p) {
                an_effective_free(out);
                rc = IG_E_NOMEM;
                break;
            }
            memcpy(p, L->pols, L->npols * sizeof *p);
            L->pols = p;
        }
    }
    ig_arena_free(&tmp);
    return rc;
}

int an_effective_subject(an_ctx *c, const an_subject *subj, const uint64_t *filter,
                         an_effective *out)
{
    memset(out, 0, sizeof *out);
    ig_arena_init(&out->arena);
    out->subj = *subj;
    ig_arena *A = &out->arena;
    /* Every statement of every layer, flat. */
    uint32_t nfs = 0;
    for (uint32_t l = 0; l < subj->nlayers; l++)
        for (uint32_t p = 0; p < subj->layers[l].npols; p++)
            nfs += subj->layers[l].pols[p]->nstmts;
    if (nfs > AN_MAX_STATEMENTS) {
        an_effective_free(out);
        return IG_E_LIMIT;
    }
    flat_stmt *fs = ig_arena_alloc(A, (nfs ? nfs : 1) * sizeof *fs);
    if (!fs)
        goto nomem;
    nfs = 0;
    for (uint32_t l = 0; l < subj->nlayers; l++)
        for (uint32_t p = 0; p < subj->layers[l].npols; p++) {
            const an_pol *ap = subj->layers[l].pols[p];
            for (uint32_t k = 0; k < ap->nstmts; k++)
                fs[nfs++] = (flat_stmt){ &ap->stmts[k], (uint8_t)l };
        }
    /* Which actions can anything allow: an identity Allow must name them
     * (or the caller is the account root). */
    uint64_t *cand = ig_arena_alloc(A, c->words * sizeof *cand);
    if (!cand)
        goto nomem;
    for (uint32_t i = 0; i < nfs; i++)
        if (fs[i].layer == 0 && !fs[i].st->deny && subj->layers[0].kind != AN_L_DENIES)
            for (uint32_t w = 0; w < c->words; w++)
                cand[w] |= fs[i].st->acts[w];
    if (subj->root)
        memset(cand, 0xFF, c->words * sizeof *cand);
    if (c->nact % 64)
        cand[c->words - 1] &= (1ull << (c->nact % 64)) - 1;
    if (filter)
        for (uint32_t w = 0; w < c->words; w++)
            cand[w] &= filter[w];
    /* Group the candidate actions by the statements that name them. */
    size_t tcap = 256, nproto = 0, pcap = 64;
    uint32_t *table = ig_calloc(tcap, sizeof *table);
    proto *protos = ig_malloc(pcap * sizeof *protos);
    uint16_t *sig = ig_malloc((nfs + 1) * sizeof *sig);
    int rc = IG_E_NOMEM;
    if (!table || !protos || !sig)
        goto done;
    for (uint32_t w = 0; w < c->words; w++) {
        uint64_t bits = cand[w];
        while (bits) {
            uint32_t a = w * 64 + (uint32_t)__builtin_ctzll(bits);
            bits &= bits - 1;
            uint32_t n = 0;
            for (uint32_t i = 0; i < nfs; i++)
                if (an_bit(fs[i].st->acts, a))
                    sig[n++] = (uint16_t)i;
            uint8_t star = c->star_only[a];
            bool rcp = rcp_service(c->names[a]);
            uint32_t h = sig_hash(sig, n, star, rcp);
            size_t slot = h & (tcap - 1);
            proto *pr = NULL;
            for (; table[slot]; slot = (slot + 1) & (tcap - 1)) {
                proto *q = &protos[table[slot] - 1];
                if (q->hash == h && q->nsig == n && q->star_only == star && q->rcp == rcp &&
                    !memcmp(q->sig, sig, n * sizeof *sig)) {
                    pr = q;
                    break;
                }
            }
            if (!pr) {
                if (nproto == pcap) {
                    proto *np = ig_realloc(protos, pcap * 2 * sizeof *np);
                    if (!np)
                        goto done;
                    protos = np;
                    pcap *= 2;
                }
                pr = &protos[nproto++];
                memset(pr, 0, sizeof *pr);
                pr->hash = h;
                pr->nsig = n;
                pr->star_only = star;
                pr->rcp = rcp;
                pr->sig = ig_arena_alloc(A, (n ? n : 1) * sizeof *sig);
                if (!pr->sig)
                    goto done;
                memcpy(pr->sig, sig, n * sizeof *sig);
                table[slot] = (uint32_t)nproto;
                if (nproto * 2 > tcap) {
                    size_t nt = tcap * 2;
                    uint32_t *t2 = ig_calloc(nt, sizeof *t2);
                    if (!t2)
                        goto done;
                    for (size_t k = 0; k < nproto; k++) {
                        size_t j = protos[k].hash & (nt - 1);
                        while (t2[j])
                            j = (j + 1) & (nt - 1);
                        t2[j] = (uint32_t)k + 1;
                    }
                    ig_free(table);
                    table = t2;
                    tcap = nt;
                }
            }
            if (pr->nact == pr->cap) {
                uint32_t ncap = pr->cap ? pr->cap * 4 : 8;
                uint32_t *na = ig_arena_alloc(A, ncap * sizeof *na);
                if (!na)
                    goto done;
                if (pr->nact)
                    memcpy(na, pr->acts, pr->nact * sizeof *na);
                pr->acts = na;
                pr->cap = ncap;
            }
            pr->acts[pr->nact++] = a;
        }
    }
    out->groups = ig_arena_alloc(A, (nproto ? nproto : 1) * sizeof *out->groups);
    if (!out->groups)
        goto done;
    for (size_t k = 0; k < nproto; k++) {
        an_group *g = &out->groups[out->ngroups];
        if (!build_group(c, out, fs, &protos[k], g))
            goto done;
        if (g->ngrants) {
            out->ngroups++;
            out->nallowed += g->nactions;
            out->unknown |= g->unknown;
        }
    }
    /* One sorted index of every allowed action, so a lookup is one binary
     * search rather than one per group (the escalation search asks often). */
    out->index = ig_arena_alloc(A, (out->nallowed ? out->nallowed : 1) * sizeof *out->index);
    if (!out->index)
        goto done;
    size_t ni = 0;
    for (uint32_t i = 0; i < out->ngroups; i++)
        for (uint32_t k = 0; k < out->groups[i].nactions; k++)
            out->index[ni++] = (uint64_t)out->groups[i].actions[k] << 32 | i;
    qsort(out->index, ni, sizeof *out->index, cmp_u64);
    rc = IG_OK;
done:
    ig_free(table);
    ig_free(protos);
    ig_free(sig);
    if (rc != IG_OK)
        an_effective_free(out);
    return rc;
nomem:
    an_effective_free(out);
    return IG_E_NOMEM;
}

void an_effective_free(an_effective *e)
{
    ig_arena_free(&e->arena);
    memset(e, 0, sizeof *e);
}

const an_group *an_effective_find(const an_effective *e, uint32_t action)
{
    if (!e->index) {
        /* A view made by hand (access.c), without the index. */
        for (uint32_t i = 0; i < e->ngroups; i++) {
            const an_group *g = &e->groups[i];
            uint32_t lo = 0, hi = g->nactions;
            while (lo < hi) {
                uint32_t mid = lo + (hi - lo) / 2;
                if (g->actions[mid] == action)
                    return g;
                if (g->actions[mid] < action)
                    lo = mid + 1;
                else
                    hi = mid;
            }
        }
        return NULL;
    }
    uint32_t lo = 0, hi = e->nallowed;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        uint32_t a = (uint32_t)(e->index[mid] >> 32);
        if (a == action)
            return &e->groups[(uint32_t)e->index[mid]];
        if (a < action)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

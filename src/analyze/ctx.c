/* ctx.c - the analyzer: catalog action names, and the per-policy cache of
 * which catalog actions each statement names and which resources it
 * covers.
 *
 * Actions are decided with the evaluator's own matcher (ig_glob_match on
 * the lowercased "service:name"), so "the statement names this action"
 * means exactly what it means to ig_evaluate.  Resources become pattern
 * languages; a policy variable, whose value only a request knows, is read
 * so that the statement covers at least as much as it can when it allows
 * and at most as much as it can when it denies -- the direction that keeps
 * a "nothing is allowed" conclusion sound. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "analyze/analyze.h"
#include "catalog/catalog_int.h"
#include "util/alloc.h"
#include "util/str.h"

int an_ctx_init(an_ctx *c, const ig_catalog *cat)
{
    memset(c, 0, sizeof *c);
    ig_arena_init(&c->arena);
    ig_arena_init(&c->cache);
    c->cat = cat;
    c->nact = cat->nact;
    c->words = (c->nact + 63) / 64;
    c->names = ig_arena_alloc(&c->arena, (c->nact + 1) * sizeof *c->names);
    c->name_len = ig_arena_alloc(&c->arena, (c->nact + 1) * sizeof *c->name_len);
    c->star_only = ig_arena_alloc(&c->arena, c->nact + 1);
    c->pcap = 64;
    c->pols = ig_calloc(c->pcap, sizeof *c->pols);
    if (!c->names || !c->name_len || !c->star_only || !c->pols) {
        an_ctx_free(c);
        return IG_E_NOMEM;
    }
    for (uint32_t i = 0; i < c->nact; i++) {
        ig_catalog_action a;
        ig_catalog_action_get(cat, i, &a);
        size_t sl = strlen(a.service), nl = strlen(a.name);
        char *n = ig_arena_alloc(&c->arena, sl + nl + 2);
        if (!n) {
            an_ctx_free(c);
            return IG_E_NOMEM;
        }
        ig_copy_lower(n, a.service, sl);
        n[sl] = ':';
        ig_copy_lower(n + sl + 1, a.name, nl);
        c->names[i] = n;
        c->name_len[i] = (uint16_t)(sl + nl + 1);
        /* Every resource type optional: the call may name none ("*"). */
        bool required = false;
        for (uint32_t k = 0; k < a.nresource_types && !required; k++) {
            ig_catalog_resource_type rt;
            if (ig_catalog_action_resource_type(cat, i, k, &rt) != IG_CATALOG_NONE)
                required = rt.required;
        }
        c->star_only[i] = a.nresource_types == 0 ? AN_U_STAR : required ? AN_U_ARN : AN_U_BOTH;
    }
    c->max_states = LANG_DEFAULT_STATES;
    /* Analysis runs now unless told otherwise (ig_analyzer_set_time). */
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    an_clock_set(&c->clock, (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
    return IG_OK;
}

void an_ctx_free(an_ctx *c)
{
    ig_free(c->pols);
    ig_free(c->actsets);
    ig_arena_free(&c->cache);
    ig_arena_free(&c->arena);
    memset(c, 0, sizeof *c);
}

void an_ctx_reset(an_ctx *c)
{
    memset(c->pols, 0, c->pcap * sizeof *c->pols);
    c->npols = 0;
    ig_free(c->actsets);
    c->actsets = NULL;
    c->nactsets = c->acap = 0;
    ig_arena_free(&c->cache);
    ig_arena_init(&c->cache);
    c->unknown_hit = false;
}

void an_forget(an_ctx *c, const ig_policy *p)
{
    if (!p)
        return;
    size_t mask = c->pcap - 1;
    for (size_t i = (((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull) & mask; c->pols[i]; i = (i + 1) & mask)
        if (c->pols[i]->policy == p)
            c->pols[i]->policy = NULL;      /* stays in the chain, never matches */
}

lang_answer an_search(an_ctx *c, const lang_expr *e, int universe, char *witness, size_t cap)
{
    lang_query q = { .star_only = universe == AN_U_STAR, .plain = universe == AN_U_VALUE,
                     .max_states = c->max_states,
                     .witness = witness, .witness_cap = cap };
    lang_answer a = lang_search_expr(e, &q, &c->work);
    if (universe == AN_U_BOTH && a == LANG_EMPTY) {
        q.star_only = true;             /* an ARN cannot, the request "*" may */
        a = lang_search_expr(e, &q, &c->work);
    }
    if (a == LANG_UNKNOWN)
        c->unknown_hit = true;
    return a;
}

/* ---- actions ---------------------------------------------------------------- */

static void set_bit(uint64_t *b, uint32_t i) { b[i / 64] |= 1ull << (i % 64); }

/* Mark the actions one lowercased action pattern names; returns how many. */
static uint32_t mark_pattern(an_ctx *c, const ig_glob *g, uint64_t *bits)
{
    uint32_t n = 0;
    if (g->shape == GS_ANY) {
        for (uint32_t i = 0; i < c->nact; i++)
            set_bit(bits, i);
        return c->nact;
    }
    uint32_t first = 0, count = c->nact;
    if (g->ntok && g->tok[0].kind == GT_LIT) {
        const char *colon = memchr(g->tok[0].text, ':', g->tok[0].len);
        if (colon) {
            uint32_t s = ig_catalog_service_find(c->cat, g->tok[0].text,
                                                 (size_t)(colon - g->tok[0].text));
            if (s == IG_CATALOG_NONE)
                return 0;
            first = c->cat->svc[s].action_first;
            count = c->cat->svc[s].action_count;
        }
    }
    for (uint32_t i = first; i < first + count; i++)
        if (ig_glob_match(g, NULL, c->names[i], c->name_len[i], false)) {
            set_bit(bits, i);
            n++;
        }
    return n;
}

uint32_t an_action_filter(an_ctx *c, const char *const *pats, size_t n, uint64_t *out,
                          const char **bad)
{
    memset(out, 0, c->words * sizeof *out);
    *bad = NULL;
    ig_arena a;
    ig_arena_init(&a);
    for (size_t i = 0; i < n; i++) {
        ig_glob g;
        const char *err;
        size_t off;
        size_t len = strlen(pats[i]);
        bool ok = len && (len == 1 || memchr(pats[i], ':', len)) &&
                  ig_glob_compile(&a, pats[i], len, GLOB_WILDCARDS | GLOB_LOWER, &g, &err, &off);
        if ((!ok || !mark_pattern(c, &g, out)) && !*bad)
            *bad = pats[i];
    }
    ig_arena_free(&a);
    uint32_t total = 0;
    for (uint32_t w = 0; w < c->words; w++)
        total += (uint32_t)__builtin_popcountll(out[w]);
    return total;
}

/* ---- the policy cache -------------------------------------------------------- */

static size_t hash_acts(const an_ctx *c, const uint64_t *b)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t w = 0; w < c->words; w++)
        h = (h ^ b[w]) * 0x100000001b3ull;
    return (size_t)(h ^ h >> 29);
}

/* The shared copy of an action bitset (kept in the cache arena): an
 * organisation's 100,000 statements name a few hundred distinct sets. */
static uint64_t *intern_acts(an_ctx *c, const uint64_t *b)
{
    if ((c->nactsets + 1) * 2 > c->acap) {
        size_t nc = c->acap ? c->acap * 2 : 256;
        uint64_t **nt = ig_calloc(nc, sizeof *nt);
        if (!nt)
            return NULL;
        for (size_t i = 0; i < c->acap; i++) {
            if (!c->actsets[i])
                continue;
            size_t k = hash_acts(c, c->actsets[i]) & (nc - 1);
            while (nt[k])
                k = (k + 1) & (nc - 1);
            nt[k] = c->actsets[i];
        }
        ig_free(c->actsets);
        c->actsets = nt;
        c->acap = nc;
    }
    size_t bytes = c->words * sizeof *b, i = hash_acts(c, b) & (c->acap - 1);
    for (; c->actsets[i]; i = (i + 1) & (c->acap - 1))
        if (!memcmp(c->actsets[i], b, bytes))
            return c->actsets[i];
    uint64_t *copy = ig_arena_alloc(&c->cache, bytes);
    if (!copy)
        return NULL;
    memcpy(copy, b, bytes);
    c->actsets[i] = copy;
    c->nactsets++;
    return copy;
}

static bool compile_resources(an_ctx *c, an_stmt *s)
{
    const ig_stmt *st = s->st;
    ig_arena *A = &c->cache;
    if (s->res_mode == ELEM_NONE) {
        s->res_expr = lang_e_const(A, true);
        return s->res_expr != NULL;
    }
    /* Allow + Resource: a variable may be any text (covers more).  Allow +
     * NotResource: the excluded entry excludes nothing.  Deny + Resource:
     * the entry matches nothing.  Deny + NotResource: any text. */
    bool positive = s->res_mode == ELEM_POSITIVE;
    lang_vars v = { .mode = (s->deny != positive) ? LV_STAR : LV_NONE };
    s->nres = st->nresources;
    s->res = ig_arena_alloc(A, (s->nres ? s->nres : 1) * sizeof *s->res);
    const lang_pat **ptrs = ig_arena_alloc(A, (s->nres ? s->nres : 1) * sizeof *ptrs);
    if (!s->res || !ptrs)
        return false;
    for (uint32_t i = 0; i < s->nres; i++) {
        if (!lang_from_arnpat(A, &st->resources[i], &v, &s->res[i]))
            return false;
        ptrs[i] = &s->res[i];
    }
    lang_expr *u = lang_e_union(A, ptrs, s->nres);
    s->res_expr = positive ? u : lang_e_not(A, u);
    return s->res_expr != NULL;
}

static an_pol *build(an_ctx *c, const ig_policy *p)
{
    ig_arena *A = &c->cache;
    an_pol *ap = ig_arena_alloc(A, sizeof *ap);
    if (!ap)
        return NULL;
    ap->policy = p;
    ap->nstmts = p->nstmts;
    ap->stmts = ig_arena_alloc(A, (p->nstmts ? p->nstmts : 1) * sizeof *ap->stmts);
    uint64_t *acts = ig_calloc(c->words, sizeof *acts);     /* built here, then shared */
    if (!ap->stmts || !acts) {
        ig_free(acts);
        return NULL;
    }
    for (uint32_t i = 0; i < p->nstmts; i++) {
        const ig_stmt *st = &p->stmts[i];
        an_stmt *s = &ap->stmts[i];
        s->policy = p;
        s->index = i;
        s->st = st;
        s->deny = st->deny;
        s->has_cond = st->nconds > 0;
        s->res_mode = st->resource_mode;
        if (!compile_resources(c, s)) {
            ig_free(acts);
            return NULL;
        }
        memset(acts, 0, c->words * sizeof *acts);
        for (uint32_t k = 0; k < st->nactions; k++)
            if (!mark_pattern(c, &st->actions[k], acts))
                ap->unknown_actions++;
        if (st->action_mode == ELEM_NOT)
            for (uint32_t w = 0; w < c->words; w++)
                acts[w] = ~acts[w];
        if (c->nact % 64)   /* no bits past the last action */
            acts[c->words - 1] &= (1ull << (c->nact % 64)) - 1;
        if (!(s->acts = intern_acts(c, acts))) {
            ig_free(acts);
            return NULL;
        }
    }
    ig_free(acts);
    return ap;
}

const an_pol *an_policy(an_ctx *c, const ig_policy *p)
{
    if (!p)
        return NULL;
    size_t h = ((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15ull;
    size_t mask = c->pcap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        if (!c->pols[i])
            break;
        if (c->pols[i]->policy == p)
            return c->pols[i];
    }
    if ((c->npols + 1) * 2 > c->pcap) {
        size_t nc = c->pcap * 2;
        an_pol **nt = ig_calloc(nc, sizeof *nt);
        if (!nt)
            return NULL;
        for (size_t i = 0; i < c->pcap; i++) {
            if (!c->pols[i])
                continue;
            size_t k = (((uintptr_t)c->pols[i]->policy >> 4) * 0x9E3779B97F4A7C15ull) & (nc - 1);
            while (nt[k])
                k = (k + 1) & (nc - 1);
            nt[k] = c->pols[i];
        }
        ig_free(c->pols);
        c->pols = nt;
        c->pcap = nc;
        mask = nc - 1;
    }
    an_pol *ap = build(c, p);
    if (!ap)
        return NULL;
    size_t i = h & mask;
    while (c->pols[i])
        i = (i + 1) & mask;
    c->pols[i] = ap;
    c->npols++;
    return ap;
}

/* ---- words ------------------------------------------------------------------- */

const char *an_access_name(unsigned access)
{
    if (access & IG_ACCESS_PERMISSIONS) return "Permissions management";
    if (access & IG_ACCESS_TAGGING) return "Tagging";
    if (access & IG_ACCESS_WRITE) return "Write";
    if (access & IG_ACCESS_READ) return "Read";
    if (access & IG_ACCESS_LIST) return "List";
    return "Unknown";
}

void an_stmt_ref(const an_stmt *s, char *buf, size_t cap)
{
    const char *file = ig_policy_file(s->policy);
    const char *id = ig_policy_id(s->policy);
    const char *sid = s->st->sid;
    if (file && file[0])
        snprintf(buf, cap, "%s:%u:%u%s%s%s", file, s->st->start_line, s->st->start_col,
                 sid ? " (" : "", sid ? sid : "", sid ? ")" : "");
    else if (sid)
        snprintf(buf, cap, "%s/%s", id && id[0] ? id : "policy", sid);
    else
        snprintf(buf, cap, "%s#%u", id && id[0] ? id : "policy", s->index);
}

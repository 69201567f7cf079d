/* lang.c - compiling IAM patterns into token lists and deciding Boolean
 * combinations of them (see lang.h).
 *
 * The search is a breadth-first walk over sets of positions, one set per
 * atom: a subset construction done on the fly over the product of every
 * pattern's automaton.  Only characters that some literal names can make a
 * difference, plus ':' (which the ARN-segment wildcards refuse) and one
 * character no pattern names (standing for all the others), so the walk
 * tries just those.  Breadth first gives a shortest witness. */
#include "analyze/lang/lang.h"

#include <string.h>

#include "policy/glob.h"
#include "util/alloc.h"

/* ---- compiling ------------------------------------------------------------ */

static size_t utf8_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return l > n ? n : l;
}

static uint32_t pack(const char *s, size_t l)
{
    uint32_t v = 0;
    for (size_t i = 0; i < l; i++)
        v = (v << 8) | (unsigned char)s[i];
    return v;
}

static size_t unpack(uint32_t v, char *out)
{
    char b[4];
    size_t n = 0;
    do {
        b[n++] = (char)(v & 0xFF);
        v >>= 8;
    } while (v && n < 4);
    for (size_t i = 0; i < n; i++)
        out[i] = b[n - 1 - i];
    return n;
}

typedef struct {
    lang_tok buf[LANG_MAX_TOKENS];
    size_t n;
    bool overflow, none;
} tokbuf;

static void push(tokbuf *t, uint8_t kind, uint32_t sym)
{
    if (t->n >= LANG_MAX_TOKENS) {
        t->overflow = true;
        return;
    }
    /* "**" is "*"; "*" next to a segment star keeps the narrower one's
     * neighbour: both are kept, the language is the same. */
    if ((kind == LT_STAR || kind == LT_STAR_NC) && t->n && t->buf[t->n - 1].kind == kind)
        return;
    t->buf[t->n].kind = kind;
    t->buf[t->n].sym = sym;
    t->n++;
}

static void push_text(tokbuf *t, const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(s + i, n - i);
        push(t, LT_SYM, pack(s + i, l));
        i += l;
    }
}

static void glob_tokens(tokbuf *t, const ig_glob *g, const ig_var *vars, bool nc,
                        const lang_vars *v)
{
    for (uint16_t i = 0; i < g->ntok; i++) {
        const ig_gtok *k = &g->tok[i];
        switch (k->kind) {
        case GT_LIT:
            push_text(t, k->text, k->len);
            break;
        case GT_STAR:
            push(t, nc ? LT_STAR_NC : LT_STAR, 0);
            break;
        case GT_QMARK:
            push(t, nc ? LT_ANY_NC : LT_ANY, 0);
            break;
        case GT_VAR: {
            const ig_var *var = &vars[k->var];
            if (!v || v->mode == LV_STAR) {
                push(t, nc ? LT_STAR_NC : LT_STAR, 0);
            } else if (v->mode == LV_NONE) {
                t->none = true;
            } else {
                const char *val = v->bind ? v->bind(v->ctx, var->key) : NULL;
                if (!val && var->dflt)
                    val = var->dflt;
                if (!val) {
                    t->none = true;
                } else {
                    /* Substituted text is literal; in an ARN segment it
                     * cannot hold a colon the segment does not have. */
                    if (nc && strchr(val, ':'))
                        t->none = true;
                    push_text(t, val, strlen(val));
                }
            }
            break;
        }
        }
    }
}

static bool finish(ig_arena *a, tokbuf *t, const char *raw, lang_pat *out)
{
    memset(out, 0, sizeof *out);
    out->raw = raw;
    if (t->overflow)
        return false;
    if (t->none) {
        out->kind = LP_NONE;
        return true;
    }
    out->kind = LP_TOKENS;
    out->ntok = (uint16_t)t->n;
    out->tok = ig_arena_alloc(a, (t->n ? t->n : 1) * sizeof *out->tok);
    if (!out->tok)
        return false;
    memcpy(out->tok, t->buf, t->n * sizeof *out->tok);
    return true;
}

bool lang_from_arnpat(ig_arena *a, const ig_arnpat *ap, const lang_vars *v, lang_pat *out)
{
    static _Thread_local tokbuf t;
    t.n = 0;
    t.overflow = t.none = false;
    if (ap->mode == ARNP_ANY) {
        memset(out, 0, sizeof *out);
        out->kind = LP_ALL;
        out->raw = ap->raw;
        return true;
    }
    /* SEGMENTS: six segments, the first five colon-free.  REST: the last
     * segment (ending in '*') runs over the rest of the ARN, colons too.
     * FEW: fewer than six segments, every one colon-free. */
    unsigned last = ap->nseg - 1u;
    for (unsigned i = 0; i < ap->nseg; i++) {
        bool nc = ap->mode == ARNP_SEGMENTS ? i < 5 : ap->mode == ARNP_REST ? i < last : true;
        glob_tokens(&t, &ap->seg[i], ap->vars, nc, v);
        if (i < last)
            push(&t, LT_SYM, ':');
    }
    return finish(a, &t, ap->raw, out);
}

bool lang_from_glob(ig_arena *a, const ig_glob *g, const lang_vars *v, lang_pat *out)
{
    static _Thread_local tokbuf t;
    t.n = 0;
    t.overflow = t.none = false;
    glob_tokens(&t, g, g->vars, false, v);
    return finish(a, &t, g->raw, out);
}

bool lang_literal(ig_arena *a, const char *s, size_t n, lang_pat *out)
{
    static _Thread_local tokbuf t;
    t.n = 0;
    t.overflow = t.none = false;
    push_text(&t, s, n);
    const char *raw = ig_arena_strndup(a, s, n);
    return raw && finish(a, &t, raw, out);
}

bool lang_from_text(ig_arena *a, const char *s, size_t n, lang_pat *out, const char **err)
{
    ig_arnpat ap;
    size_t off;
    *err = NULL;
    if (n == 0) {
        *err = "empty resource pattern";
        return false;
    }
    if (!ig_arnpat_compile(a, s, n, 0, &ap, err, &off))
        return false;
    if (!lang_from_arnpat(a, &ap, NULL, out)) {
        *err = "resource pattern too long";
        return false;
    }
    return true;
}

/* ---- formulas ------------------------------------------------------------- */

lang_expr *lang_e_pat(ig_arena *a, const lang_pat *p)
{
    lang_expr *e = ig_arena_alloc(a, sizeof *e);
    if (e) {
        e->op = LE_PAT;
        e->pat = p;
    }
    return e;
}

lang_expr *lang_e_const(ig_arena *a, bool v)
{
    lang_expr *e = ig_arena_alloc(a, sizeof *e);
    if (e)
        e->op = v ? LE_TRUE : LE_FALSE;
    return e;
}

lang_expr *lang_e_nary(ig_arena *a, uint8_t op, const lang_expr *const *kids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!kids[i])
            return NULL;            /* an allocation below failed */
    lang_expr *e = ig_arena_alloc(a, sizeof *e);
    if (!e)
        return NULL;
    e->op = op;
    e->n = (uint32_t)n;
    e->kids = ig_arena_alloc(a, (n ? n : 1) * sizeof *e->kids);
    if (!e->kids)
        return NULL;
    if (n)
        memcpy(e->kids, kids, n * sizeof *kids);
    return e;
}

lang_expr *lang_e_not(ig_arena *a, const lang_expr *k)
{
    const lang_expr *kids[1] = { k };
    return lang_e_nary(a, LE_NOT, kids, 1);
}

lang_expr *lang_e_union(ig_arena *a, const lang_pat *const *pats, size_t n)
{
    lang_expr *e = lang_e_nary(a, LE_OR, NULL, 0);
    if (!e)
        return NULL;
    e->kids = ig_arena_alloc(a, (n ? n : 1) * sizeof *e->kids);
    if (!e->kids)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        e->kids[i] = lang_e_pat(a, pats[i]);
        if (!e->kids[i])
            return NULL;
    }
    e->n = (uint32_t)n;
    return e;
}

/* ---- searching ------------------------------------------------------------ */

typedef struct {
    const lang_pat *pat;
    uint32_t base, ntok;
} pat_slot;

enum { K_F = 0, K_T = 1, K_U = 2 };     /* Kleene values */

typedef struct {
    pat_slot *pats;
    size_t npats, pcap;
    uint32_t npos, words;
    uint32_t *alpha;
    size_t nalpha, acap;
    /* states: words each, parent index and the character that led here */
    uint64_t *bits;
    uint32_t *parent, *via;
    size_t nstates, cap;
    uint32_t *table;            /* hash table of state indexes + 1 */
    size_t tcap;
    bool too_big;
    /* Bit-parallel steps: for character k, positions that move on by one
     * (adv) and stars that stay (stay); stars also let the next position
     * start without a character (star). */
    uint64_t *adv, *stay, *star;
} searcher;

static bool in_alpha(const searcher *s, uint32_t c)
{
    for (size_t i = 0; i < s->nalpha; i++)
        if (s->alpha[i] == c)
            return true;
    return false;
}

static bool add_alpha(searcher *s, uint32_t c)
{
    if (in_alpha(s, c))
        return true;
    uint32_t *grown = ig_grow(s->alpha, &s->acap, s->nalpha, sizeof *grown, 16);
    if (!grown)
        return false;
    s->alpha = grown;
    s->alpha[s->nalpha++] = c;
    return true;
}

/* Give every distinct token pattern of the formula a slot of positions. */
static bool collect(searcher *s, const lang_expr *e, unsigned depth)
{
    if (!e || depth > LANG_MAX_DEPTH) {
        s->too_big = true;
        return false;
    }
    if (e->op != LE_PAT) {
        for (uint32_t i = 0; i < e->n; i++)
            if (!collect(s, e->kids[i], depth + 1))
                return false;
        return true;
    }
    const lang_pat *p = e->pat;
    if (p->kind != LP_TOKENS)
        return true;
    for (size_t i = 0; i < s->npats; i++)
        if (s->pats[i].pat == p)
            return true;
    if (s->npos + p->ntok + 1u > LANG_MAX_POSITIONS) {
        s->too_big = true;
        return false;
    }
    if (s->npats == s->pcap) {
        size_t nc = s->pcap ? s->pcap * 2 : 16;
        pat_slot *np = ig_realloc(s->pats, nc * sizeof *np);
        if (!np)
            return false;
        s->pats = np;
        s->pcap = nc;
    }
    pat_slot *ps = &s->pats[s->npats++];
    ps->pat = p;
    ps->ntok = p->ntok;
    ps->base = s->npos;
    s->npos += p->ntok + 1u;
    for (uint16_t t = 0; t < p->ntok; t++)
        if (p->tok[t].kind == LT_SYM && !add_alpha(s, p->tok[t].sym))
            return false;
    return true;
}

static const pat_slot *slot_of(const searcher *s, const lang_pat *p)
{
    for (size_t i = 0; i < s->npats; i++)
        if (s->pats[i].pat == p)
            return &s->pats[i];
    return NULL;
}

static bool bit(const uint64_t *b, uint32_t i)
{
    return (b[i / 64] >> (i % 64)) & 1;
}

/* The formula's value in a state: `now` says whether the string read so
 * far satisfies it; with now false, K_F means no continuation can. */
static int eval_expr(const searcher *s, const lang_expr *e, const uint64_t *b, bool now)
{
    switch (e->op) {
    case LE_TRUE: return K_T;
    case LE_FALSE: return K_F;
    case LE_PAT: {
        const lang_pat *p = e->pat;
        if (p->kind == LP_ALL) return K_T;
        if (p->kind == LP_NONE) return K_F;
        const pat_slot *ps = slot_of(s, p);
        if (now)
            return bit(b, ps->base + ps->ntok) ? K_T : K_F;
        for (uint32_t i = ps->base; i <= ps->base + ps->ntok; i++)
            if (bit(b, i))
                return K_U;         /* some continuation may still match */
        return K_F;
    }
    case LE_NOT: {
        int v = eval_expr(s, e->kids[0], b, now);
        return v == K_U ? K_U : v == K_T ? K_F : K_T;
    }
    case LE_AND: case LE_OR: {
        bool and = e->op == LE_AND;
        int r = and ? K_T : K_F;
        for (uint32_t i = 0; i < e->n; i++) {
            int v = eval_expr(s, e->kids[i], b, now);
            if (and ? v == K_F : v == K_T)
                return v;
            if (v == K_U)
                r = K_U;
        }
        return r;
    }
    }
    return K_F;
}

static void closure(const searcher *s, uint64_t *b)
{
    for (;;) {
        bool changed = false;
        uint64_t carry = 0;
        for (uint32_t w = 0; w < s->words; w++) {
            uint64_t x = b[w] & s->star[w];
            uint64_t add = (x << 1) | carry;
            carry = x >> 63;
            if (add & ~b[w]) {
                b[w] |= add;
                changed = true;
            }
        }
        if (!changed)
            return;
    }
}

static void step(const searcher *s, const uint64_t *from, size_t k, uint64_t *to)
{
    const uint64_t *adv = &s->adv[k * s->words], *stay = &s->stay[k * s->words];
    uint64_t carry = 0;
    for (uint32_t w = 0; w < s->words; w++) {
        uint64_t a = from[w] & adv[w];
        to[w] = (a << 1) | carry | (from[w] & stay[w]);
        carry = a >> 63;
    }
    closure(s, to);
}

static bool build_masks(searcher *s)
{
    size_t n = s->nalpha * s->words;
    s->adv = ig_calloc(n ? n : 1, sizeof *s->adv);
    s->stay = ig_calloc(n ? n : 1, sizeof *s->stay);
    s->star = ig_calloc(s->words, sizeof *s->star);
    if (!s->adv || !s->stay || !s->star)
        return false;
    for (size_t p = 0; p < s->npats; p++) {
        const pat_slot *ps = &s->pats[p];
        for (uint32_t i = 0; i < ps->ntok; i++) {
            uint32_t at = ps->base + i, w = at / 64;
            uint64_t m = 1ull << (at % 64);
            const lang_tok *t = &ps->pat->tok[i];
            if (t->kind == LT_STAR || t->kind == LT_STAR_NC)
                s->star[w] |= m;
            for (size_t k = 0; k < s->nalpha; k++) {
                uint32_t c = s->alpha[k];
                bool nc = c != ':';
                switch (t->kind) {
                case LT_SYM: if (t->sym == c) s->adv[k * s->words + w] |= m; break;
                case LT_ANY: s->adv[k * s->words + w] |= m; break;
                case LT_ANY_NC: if (nc) s->adv[k * s->words + w] |= m; break;
                case LT_STAR: s->stay[k * s->words + w] |= m; break;
                case LT_STAR_NC: if (nc) s->stay[k * s->words + w] |= m; break;
                }
            }
        }
    }
    return true;
}

static uint32_t hash_bits(const uint64_t *b, uint32_t w)
{
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (uint32_t i = 0; i < w; i++) {
        h ^= b[i];
        h *= 0x100000001B3ull;
        h ^= h >> 31;
    }
    return (uint32_t)h;
}

static bool grow_table(searcher *s)
{
    size_t ntc = s->tcap ? s->tcap * 2 : 512;
    uint32_t *nt = ig_calloc(ntc, sizeof *nt);
    if (!nt)
        return false;
    for (size_t k = 0; k < s->nstates; k++) {
        size_t j = hash_bits(&s->bits[k * s->words], s->words) & (ntc - 1);
        while (nt[j])
            j = (j + 1) & (ntc - 1);
        nt[j] = (uint32_t)k + 1;
    }
    ig_free(s->table);
    s->table = nt;
    s->tcap = ntc;
    return true;
}

static bool grow_states(searcher *s)
{
    size_t nc = s->cap ? s->cap * 2 : 256;
    uint64_t *nb = ig_realloc(s->bits, nc * s->words * sizeof *nb);
    if (!nb)
        return false;
    s->bits = nb;
    uint32_t *np = ig_realloc(s->parent, nc * sizeof *np);
    if (!np)
        return false;
    s->parent = np;
    uint32_t *nv = ig_realloc(s->via, nc * sizeof *nv);
    if (!nv)
        return false;
    s->via = nv;
    s->cap = nc;
    return true;
}

/* Add state b unless it is known.  False when out of memory or over the
 * bound. */
static bool intern(searcher *s, const uint64_t *b, uint32_t parent, uint32_t via,
                   size_t max_states)
{
    uint32_t h = hash_bits(b, s->words);
    size_t mask = s->tcap - 1, i;
    for (i = h & mask; s->table[i]; i = (i + 1) & mask)
        if (!memcmp(&s->bits[(size_t)(s->table[i] - 1) * s->words], b, s->words * sizeof *b))
            return true;
    if (s->nstates >= max_states)
        return false;
    if (s->nstates == s->cap && !grow_states(s))
        return false;
    if ((s->nstates + 1) * 2 > s->tcap) {
        if (!grow_table(s))
            return false;
        mask = s->tcap - 1;
        for (i = h & mask; s->table[i]; i = (i + 1) & mask)
            ;
    }
    uint32_t idx = (uint32_t)s->nstates++;
    s->table[i] = idx + 1;
    memcpy(&s->bits[(size_t)idx * s->words], b, s->words * sizeof *b);
    s->parent[idx] = parent;
    s->via[idx] = via;
    return true;
}

static bool write_witness(const searcher *s, uint32_t st, const lang_query *q)
{
    if (!q->witness || !q->witness_cap)
        return true;
    size_t len = 0;
    char tmp[4];
    for (uint32_t k = st; k != 0; k = s->parent[k])
        len += unpack(s->via[k], tmp);
    if (len + 1 > q->witness_cap)
        return false;
    q->witness[len] = '\0';
    size_t end = len;
    for (uint32_t k = st; k != 0; k = s->parent[k]) {
        size_t l = unpack(s->via[k], tmp);
        end -= l;
        memcpy(q->witness + end, tmp, l);
    }
    return true;
}

/* The universe of the one resource "*": only LP_ALL matches it. */
static int eval_star(const lang_expr *e, unsigned depth)
{
    if (depth > LANG_MAX_DEPTH)
        return -1;
    switch (e->op) {
    case LE_TRUE: return 1;
    case LE_FALSE: return 0;
    case LE_PAT: return e->pat->kind == LP_ALL;
    case LE_NOT: {
        int v = eval_star(e->kids[0], depth + 1);
        return v < 0 ? v : !v;
    }
    default: {
        bool and = e->op == LE_AND;
        for (uint32_t i = 0; i < e->n; i++) {
            int v = eval_star(e->kids[i], depth + 1);
            if (v < 0 || v == !and)
                return v;
        }
        return and;
    }
    }
}

lang_answer lang_search_expr(const lang_expr *e, const lang_query *q, size_t *work)
{
    if (!e)
        return LANG_UNKNOWN;
    if (q->star_only) {
        int v = eval_star(e, 0);
        if (v < 0)
            return LANG_UNKNOWN;
        if (v && q->witness && q->witness_cap >= 2)
            memcpy(q->witness, "*", 2);
        return v ? LANG_FOUND : LANG_EMPTY;
    }
    /* Outside star_only the resource "*" is never a candidate: it is what
     * only the bare pattern "*" means (docs/semantics.md §2). */
    static const lang_tok star_tok = { LT_SYM, '*' };
    static const lang_pat star_lit = { LP_TOKENS, 1, (lang_tok *)&star_tok, "*" };
    const lang_expr star_e = { .op = LE_PAT, .pat = &star_lit };
    const lang_expr *not_kids[1] = { &star_e };
    const lang_expr not_star = { .op = LE_NOT, .n = 1, .kids = not_kids };
    const lang_expr *top_kids[2] = { e, &not_star };
    const lang_expr top = { .op = LE_AND, .n = 2, .kids = top_kids };
    if (!q->plain)
        e = &top;
    searcher s;
    memset(&s, 0, sizeof s);
    lang_answer ans = LANG_UNKNOWN;
    uint64_t *cur = NULL, *next = NULL;
    if (!collect(&s, e, 0))
        goto out;
    /* ':' matters to the segment wildcards; one more character stands for
     * every character no literal names. */
    if (!add_alpha(&s, ':'))
        goto out;
    static const char spare[] = "x0abcdefghijklmnopqrstuvwyz123456789-_.";
    uint32_t other = 0;
    for (const char *c = spare; *c && !other; c++)
        if (!in_alpha(&s, (uint32_t)(unsigned char)*c))
            other = (uint32_t)(unsigned char)*c;
    for (uint32_t u = 0x100; !other; u++) {     /* every spare is named: U+0100.. */
        char b[2] = { (char)(0xC0 | (u >> 6)), (char)(0x80 | (u & 0x3F)) };
        if (!in_alpha(&s, pack(b, 2)))
            other = pack(b, 2);
    }
    if (!add_alpha(&s, other))
        goto out;
    s.words = (s.npos + 64) / 64;
    cur = ig_calloc(s.words, sizeof *cur);
    next = ig_calloc(s.words, sizeof *next);
    if (!cur || !next || !grow_table(&s) || !build_masks(&s))
        goto out;
    size_t max_states = q->max_states ? q->max_states : LANG_DEFAULT_STATES;
    for (size_t p = 0; p < s.npats; p++)
        cur[s.pats[p].base / 64] |= 1ull << (s.pats[p].base % 64);
    closure(&s, cur);
    if (!intern(&s, cur, 0, 0, max_states))
        goto out;
    ans = LANG_EMPTY;
    for (size_t head = 0; head < s.nstates; head++) {
        const uint64_t *b = &s.bits[head * s.words];
        if (eval_expr(&s, e, b, true) == K_T) {
            ans = write_witness(&s, (uint32_t)head, q) ? LANG_FOUND : LANG_UNKNOWN;
            break;
        }
        if (eval_expr(&s, e, b, false) == K_F)
            continue;               /* no continuation can satisfy it */
        for (size_t c = 0; c < s.nalpha; c++) {
            step(&s, b, c, next);
            if (!intern(&s, next, (uint32_t)head, s.alpha[c], max_states)) {
                ans = LANG_UNKNOWN;
                break;
            }
            b = &s.bits[head * s.words];    /* intern may have moved it */
        }
        if (ans == LANG_UNKNOWN)
            break;
    }
out:
    if (work)
        *work += s.nstates;
    ig_free(cur);
    ig_free(next);
    ig_free(s.pats);
    ig_free(s.alpha);
    ig_free(s.bits);
    ig_free(s.parent);
    ig_free(s.via);
    ig_free(s.table);
    ig_free(s.adv);
    ig_free(s.stay);
    ig_free(s.star);
    return ans;
}

lang_answer lang_search(const lang_atom *atoms, size_t natoms, const lang_query *q,
                        size_t *work)
{
    ig_arena a;
    ig_arena_init(&a);
    const lang_expr **kids = ig_arena_alloc(&a, (natoms ? natoms : 1) * sizeof *kids);
    lang_answer ans = LANG_UNKNOWN;
    if (kids) {
        bool ok = true;
        for (size_t i = 0; i < natoms && ok; i++) {
            lang_expr *u = lang_e_union(&a, atoms[i].pats, atoms[i].npat);
            kids[i] = atoms[i].neg && u ? lang_e_not(&a, u) : u;
            ok = kids[i] != NULL;
        }
        if (ok)
            ans = lang_search_expr(lang_e_nary(&a, LE_AND, kids, natoms), q, work);
    }
    ig_arena_free(&a);
    return ans;
}

lang_answer lang_subset(const lang_pat *a, const lang_pat *b, bool star_only)
{
    const lang_pat *pa[1] = { a }, *pb[1] = { b };
    lang_atom atoms[2] = {
        { .neg = false, .npat = 1, .pats = pa },
        { .neg = true, .npat = 1, .pats = pb },
    };
    lang_query q = { .star_only = star_only };
    return lang_search(atoms, 2, &q, NULL);
}

/* Literal characters then at most one star at the end -- most resource
 * patterns ("arn:aws:iam::1:role/app-*") -- match by comparison. */
static int match_prefix_star(const lang_pat *p, const char *s, size_t n)
{
    uint32_t nt = p->ntok;
    bool star = nt && (p->tok[nt - 1].kind == LT_STAR || p->tok[nt - 1].kind == LT_STAR_NC);
    uint32_t lits = star ? nt - 1 : nt;
    size_t k = 0;
    char b[4];
    for (uint32_t i = 0; i < lits; i++) {
        if (p->tok[i].kind != LT_SYM)
            return -1;          /* not of this shape */
        uint32_t sym = p->tok[i].sym;
        if (sym < 0x80) {       /* ASCII: one byte */
            if (k >= n || (unsigned char)s[k] != sym)
                return 0;
            k++;
            continue;
        }
        size_t l = unpack(sym, b);
        if (k + l > n || memcmp(s + k, b, l))
            return 0;
        k += l;
    }
    if (!star)
        return k == n;
    if (p->tok[nt - 1].kind == LT_STAR_NC && memchr(s + k, ':', n - k))
        return 0;
    return 1;
}

bool lang_matches(const lang_pat *p, const char *s, size_t n)
{
    if (p->kind == LP_ALL)
        return true;
    if (p->kind == LP_NONE || (n == 1 && s[0] == '*'))
        return false;
    int fast = match_prefix_star(p, s, n);
    if (fast >= 0)
        return fast;
    /* Positions reachable after each character (an NFA run). */
    enum { MAXP = LANG_MAX_TOKENS + 1 };
    static _Thread_local uint8_t cur[MAXP], nxt[MAXP];
    uint32_t nt = p->ntok;
    memset(cur, 0, nt + 1);
    cur[0] = 1;
    for (uint32_t i = 0; i < nt; i++)
        if (cur[i] && (p->tok[i].kind == LT_STAR || p->tok[i].kind == LT_STAR_NC))
            cur[i + 1] = 1;
    for (size_t k = 0; k < n;) {
        size_t l = utf8_len(s + k, n - k);
        uint32_t c = pack(s + k, l);
        k += l;
        memset(nxt, 0, nt + 1);
        bool any = false;
        for (uint32_t i = 0; i < nt; i++) {
            if (!cur[i])
                continue;
            const lang_tok *t = &p->tok[i];
            switch (t->kind) {
            case LT_SYM: if (t->sym == c) nxt[i + 1] = any = 1; break;
            case LT_ANY: nxt[i + 1] = any = 1; break;
            case LT_ANY_NC: if (c != ':') nxt[i + 1] = any = 1; break;
            case LT_STAR: nxt[i] = any = 1; break;
            case LT_STAR_NC: if (c != ':') nxt[i] = any = 1; break;
            }
        }
        if (!any)
            return false;
        for (uint32_t i = 0; i < nt; i++)
            if (nxt[i] && (p->tok[i].kind == LT_STAR || p->tok[i].kind == LT_STAR_NC))
                nxt[i + 1] = 1;
        memcpy(cur, nxt, nt + 1);
    }
    return cur[nt] != 0;
}

bool lang_expr_matches(const lang_expr *e, const char *s, size_t n, bool star)
{
    switch (e->op) {
    case LE_TRUE: return true;
    case LE_FALSE: return false;
    case LE_PAT:
        if (star)
            return e->pat->kind == LP_ALL;
        return lang_matches(e->pat, s, n);
    case LE_NOT: return !lang_expr_matches(e->kids[0], s, n, star);
    default: {
        bool and = e->op == LE_AND;
        for (uint32_t i = 0; i < e->n; i++)
            if (lang_expr_matches(e->kids[i], s, n, star) != and)
                return !and;
        return and;
    }
    }
}

bool lang_expr_literal(const lang_expr *e, char *out, size_t cap)
{
    if (!e || e->op != LE_PAT || e->pat->kind != LP_TOKENS)
        return false;
    size_t o = 0;
    for (uint16_t i = 0; i < e->pat->ntok; i++) {
        if (e->pat->tok[i].kind != LT_SYM || o + 5 > cap)
            return false;
        o += unpack(e->pat->tok[i].sym, out + o);
    }
    if (o + 1 > cap)
        return false;
    out[o] = '\0';
    return true;
}

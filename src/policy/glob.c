/* glob.c - compile and match wildcard patterns with policy variables.
 *
 * Matching is the classic greedy algorithm with one backtrack point (the
 * last `*` seen), which is linear in practice and never recursive, so a
 * hostile pattern like "*a*a*a*a*b" cannot blow the stack. */
#include "policy/glob.h"

#include <string.h>

#include "util/str.h"

#define MAX_TOKENS 4096u

typedef struct {
    ig_var vars[IG_MAX_VARS];
    unsigned nvars;
} var_table;

/* Length of one UTF-8 character starting at s (at least 1, at most n). */
static size_t utf8_len(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    size_t l = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return l > n ? n : l;
}

/* Parse the inside of ${...}: "key" or "key, 'default'" (spaces allowed
 * around the comma). */
static bool parse_var(ig_arena *a, const char *s, size_t n, ig_var *v,
                      const char **err)
{
    size_t i = 0;
    while (i < n && s[i] == ' ') i++;
    size_t ks = i;
    while (i < n && s[i] != ',' && s[i] != ' ') i++;
    size_t ke = i;
    if (ke == ks) { *err = "empty policy variable name"; return false; }
    while (i < n && s[i] == ' ') i++;
    v->dflt = NULL;
    v->dflt_len = 0;
    if (i < n) {
        if (s[i] != ',') { *err = "malformed policy variable"; return false; }
        i++;
        while (i < n && s[i] == ' ') i++;
        if (i >= n || s[i] != '\'') {
            *err = "a policy variable default must be in single quotes";
            return false;
        }
        size_t ds = ++i;
        while (i < n && s[i] != '\'') i++;
        if (i >= n) { *err = "unterminated default of a policy variable"; return false; }
        size_t de = i++;
        while (i < n && s[i] == ' ') i++;
        if (i != n) { *err = "malformed policy variable"; return false; }
        v->dflt = ig_arena_strndup(a, s + ds, de - ds);
        v->dflt_len = (uint32_t)(de - ds);
        if (!v->dflt) { *err = "out of memory"; return false; }
    }
    for (size_t k = ks; k < ke; k++) {
        unsigned char c = (unsigned char)s[k];
        if (c == '$' || c == '{' || c == '*' || c == '?') {
            *err = "invalid character in policy variable name";
            return false;
        }
    }
    char *key = ig_arena_alloc(a, ke - ks + 1);
    v->key_orig = ig_arena_strndup(a, s + ks, ke - ks);
    if (!key || !v->key_orig) { *err = "out of memory"; return false; }
    ig_copy_lower(key, s + ks, ke - ks);
    v->key = key;
    v->key_len = (uint32_t)(ke - ks);
    v->hash = ig_hash_key(key, ke - ks);
    return true;
}

static void classify(ig_glob *g)
{
    g->shape = GS_GENERAL;
    if (g->ntok == 1 && g->tok[0].kind == GT_STAR) g->shape = GS_ANY;
    else if (g->ntok == 0 || (g->ntok == 1 && g->tok[0].kind == GT_LIT)) g->shape = GS_EXACT;
    else if (g->ntok == 2 && g->tok[0].kind == GT_LIT && g->tok[1].kind == GT_STAR) g->shape = GS_PREFIX;
    else if (g->ntok == 2 && g->tok[0].kind == GT_STAR && g->tok[1].kind == GT_LIT) g->shape = GS_SUFFIX;
    else if (g->ntok == 3 && g->tok[0].kind == GT_LIT && g->tok[1].kind == GT_STAR &&
             g->tok[2].kind == GT_LIT) g->shape = GS_PREFIX_SUFFIX;
}

/* The common case: no wildcard, no variable -- one literal token. */
static bool compile_literal(ig_arena *a, const char *s, size_t n, unsigned flags,
                            ig_glob *out, const char **err, size_t *err_off)
{
    const char *raw = (flags & GLOB_BORROW) ? s : ig_arena_strndup(a, s, n);
    out->tok = ig_arena_alloc_raw(a, sizeof *out->tok);
    if (!raw || !out->tok) { *err = "out of memory"; *err_off = 0; return false; }
    out->raw = raw;
    out->raw_len = (uint32_t)n;
    out->ntok = n ? 1 : 0;
    const char *text = raw;
    if ((flags & GLOB_LOWER) && ig_has_upper(s, n)) {
        char *low = ig_arena_strndup(a, s, n);
        if (!low) { *err = "out of memory"; *err_off = 0; return false; }
        ig_copy_lower(low, s, n);
        text = low;
    }
    out->tok[0] = (ig_gtok){ .kind = GT_LIT, .var = 0, .len = (uint32_t)n, .text = text };
    classify(out);
    return true;
}

static bool has_special(const char *s, size_t n, unsigned flags)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w, hit = 0;
        memcpy(&w, s + i, 8);
        if (flags & GLOB_WILDCARDS)
            hit |= ig_swar_eq(w, '*') | ig_swar_eq(w, '?');
        if (flags & GLOB_VARIABLES)
            hit |= ig_swar_eq(w, '$');
        if (hit)
            return true;
    }
    for (; i < n; i++) {
        char c = s[i];
        if (((flags & GLOB_WILDCARDS) && (c == '*' || c == '?')) ||
            ((flags & GLOB_VARIABLES) && c == '$'))
            return true;
    }
    return false;
}

/* A pattern with wildcards or variables: tokens. */
static bool compile_tokens(ig_arena *a, const char *s, size_t n, unsigned flags,
                           ig_glob *out, var_table *vt, const char **err,
                           size_t *err_off)
{
    /* Worst case one token per byte; count first to size the array. */
    ig_gtok tmp[64];
    ig_gtok *tok = tmp;
    size_t cap = n + 1 < 64 ? 64 : n + 1;
    if (cap > 64) {
        if (cap > MAX_TOKENS * 4) cap = MAX_TOKENS * 4;
        tok = ig_arena_alloc_raw(a, cap * sizeof *tok);
        if (!tok) { *err = "out of memory"; *err_off = 0; return false; }
    }
    char *lit = ig_arena_alloc_bytes(a, n + 1);  /* literal text, unescaped */
    if (!lit) { *err = "out of memory"; *err_off = 0; return false; }
    size_t nt = 0, litn = 0, lit_start = 0;
    bool in_lit = false;

#define FLUSH() do { if (in_lit) { tok[nt].kind = GT_LIT; tok[nt].text = lit + lit_start; \
        tok[nt].len = (uint32_t)(litn - lit_start); nt++; in_lit = false; } } while (0)
#define ADD_CHAR(c) do { if (!in_lit) { in_lit = true; lit_start = litn; } \
        lit[litn++] = (flags & GLOB_LOWER) ? ig_lower(c) : (c); } while (0)

    for (size_t i = 0; i < n; i++) {
        if (nt + 2 >= cap) { *err = "pattern too complex"; *err_off = i; return false; }
        char c = s[i];
        if ((flags & GLOB_VARIABLES) && c == '$' && i + 1 < n && s[i + 1] == '{') {
            size_t j = i + 2;
            while (j < n && s[j] != '}') j++;
            if (j >= n) { *err = "unterminated policy variable"; *err_off = i; return false; }
            size_t in = j - (i + 2);
            const char *inner = s + i + 2;
            if (in == 1 && (inner[0] == '*' || inner[0] == '?' || inner[0] == '$')) {
                ADD_CHAR(inner[0]);
            } else {
                if (vt->nvars >= IG_MAX_VARS) {
                    *err = "too many policy variables in one value"; *err_off = i; return false;
                }
                ig_var *v = &vt->vars[vt->nvars];
                if (!parse_var(a, inner, in, v, err)) { *err_off = i; return false; }
                FLUSH();
                tok[nt].kind = GT_VAR;
                tok[nt].var = (uint8_t)vt->nvars;
                nt++;
                vt->nvars++;
            }
            i = j;
            continue;
        }
        if ((flags & GLOB_WILDCARDS) && (c == '*' || c == '?')) {
            FLUSH();
            /* Collapse "**" into one star: same language, less backtracking. */
            if (c == '*' && nt > 0 && tok[nt - 1].kind == GT_STAR)
                continue;
            tok[nt].kind = c == '*' ? GT_STAR : GT_QMARK;
            nt++;
            continue;
        }
        ADD_CHAR(c);
    }
    FLUSH();
#undef FLUSH
#undef ADD_CHAR
    if (nt > MAX_TOKENS) { *err = "pattern too complex"; *err_off = 0; return false; }
    out->raw = (flags & GLOB_BORROW) ? s : ig_arena_strndup(a, s, n);
    out->raw_len = (uint32_t)n;
    out->ntok = (uint16_t)nt;
    out->tok = ig_arena_alloc_raw(a, (nt ? nt : 1) * sizeof *tok);
    if (!out->raw || !out->tok) { *err = "out of memory"; *err_off = 0; return false; }
    memcpy(out->tok, tok, nt * sizeof *tok);
    classify(out);
    return true;
}

static bool compile_into(ig_arena *a, const char *s, size_t n, unsigned flags,
                         ig_glob *out, var_table *vt, const char **err,
                         size_t *err_off)
{
    if (!has_special(s, n, flags))
        return compile_literal(a, s, n, flags, out, err, err_off);
    return compile_tokens(a, s, n, flags, out, vt, err, err_off);
}

static bool finish_vars(ig_arena *a, var_table *vt, ig_var **vars, uint8_t *nvars)
{
    *nvars = (uint8_t)vt->nvars;
    *vars = NULL;
    if (!vt->nvars)
        return true;
    *vars = ig_arena_alloc(a, vt->nvars * sizeof(ig_var));
    if (!*vars)
        return false;
    memcpy(*vars, vt->vars, vt->nvars * sizeof(ig_var));
    return true;
}

bool ig_glob_compile(ig_arena *a, const char *s, size_t n, unsigned flags,
                     ig_glob *out, const char **err_msg, size_t *err_off)
{
    var_table vt;
    vt.nvars = 0;       /* the rest is filled as variables are found */
    memset(out, 0, sizeof *out);
    if (!compile_into(a, s, n, flags, out, &vt, err_msg, err_off))
        return false;
    if (!finish_vars(a, &vt, &out->vars, &out->nvars)) {
        *err_msg = "out of memory";
        *err_off = 0;
        return false;
    }
    return true;
}

static bool ascii_only(const char *s, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull)
            return false;
    }
    for (; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* Where a '*' should next try the token at ti: the first position at or
 * after `from`, reachable from it by whole characters, where the token's
 * first byte occurs (n when none).  Positions where that byte is absent
 * cannot match, so skipping them changes nothing; it only spares a
 * comparison at each character of long subjects. */
static size_t next_start(const ig_gtok *t, size_t nt, size_t ti, const char *s, size_t n,
                         size_t from, bool icase)
{
    if (ti >= nt || t[ti].kind != GT_LIT || t[ti].len == 0 || icase)
        return from;
    char c = t[ti].text[0];
    size_t i = from;
    while (i < n) {
        const char *f = memchr(s + i, c, n - i);
        if (!f)
            return n;
        size_t pos = (size_t)(f - s);
        if (ascii_only(s + i, pos - i))
            return pos;
        while (i < pos)
            i += utf8_len(s + i, n - i);
        if (i == pos)
            return pos;
    }
    return n;
}

static inline bool lit_eq(const char *p, const char *s, size_t n, bool icase)
{
    return icase ? ig_eq_icase(p, s, n) : ig_lit_eq(p, s, n);
}

bool ig_glob_match_general(const ig_glob *g, const ig_strref *vals,
                           const char *s, size_t n, bool icase)
{
    switch (g->shape) {
    case GS_ANY:
        return true;
    case GS_EXACT:
        if (g->ntok == 0) return n == 0;
        return g->tok[0].len == n && lit_eq(g->tok[0].text, s, n, icase);
    case GS_PREFIX:
        return n >= g->tok[0].len && lit_eq(g->tok[0].text, s, g->tok[0].len, icase);
    case GS_SUFFIX:
        return n >= g->tok[1].len &&
               lit_eq(g->tok[1].text, s + n - g->tok[1].len, g->tok[1].len, icase);
    default:
        break;
    }
    /* Anchored literal ends reject most subjects before the general loop. */
    const ig_gtok *first = &g->tok[0], *last = &g->tok[g->ntok - 1];
    if (first->kind == GT_LIT) {
        if (n < first->len || !lit_eq(first->text, s, first->len, icase))
            return false;
    }
    if (last->kind == GT_LIT && g->ntok > 1) {
        if (n < last->len || !lit_eq(last->text, s + n - last->len, last->len, icase))
            return false;
        if (g->shape == GS_PREFIX_SUFFIX)   /* LIT * LIT: the ends decide */
            return n >= first->len + last->len;
    }
    const ig_gtok *t = g->tok;
    size_t nt = g->ntok, ti = 0, si = 0;
    size_t star_ti = (size_t)-1, star_si = 0;
    while (si < n || ti < nt) {
        if (ti < nt) {
            const ig_gtok *k = &t[ti];
            if (k->kind == GT_STAR) {
                star_ti = ti++;
                star_si = si = next_start(t, nt, ti, s, n, si, icase);
                continue;
            }
            if (k->kind == GT_QMARK) {
                if (si < n) { si += utf8_len(s + si, n - si); ti++; continue; }
            } else {
                const char *p = k->kind == GT_LIT ? k->text : vals[k->var].ptr;
                size_t l = k->kind == GT_LIT ? k->len : vals[k->var].len;
                if (n - si >= l && lit_eq(p, s + si, l, icase)) { si += l; ti++; continue; }
            }
        }
        if (star_ti != (size_t)-1 && star_si < n) {
            star_si += utf8_len(s + star_si, n - star_si);
            star_si = next_start(t, nt, star_ti + 1, s, n, star_si, icase);
            si = star_si;
            ti = star_ti + 1;
            continue;
        }
        return false;
    }
    return true;
}

/* ---- ARNs ---------------------------------------------------------------- */

void ig_arn_split_str(const char *s, size_t n, ig_arn_split *out)
{
    size_t start = 0, i = 0;
    out->nseg = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Eight bytes at a time: each colon is a set bit of the mask. */
    for (; i + 8 <= n && out->nseg < 5; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        for (uint64_t m = ig_swar_eq(w, ':'); m && out->nseg < 5; m &= m - 1) {
            size_t at = i + ((size_t)__builtin_ctzll(m) >> 3);
            out->seg[out->nseg] = s + start;
            out->len[out->nseg] = (uint32_t)(at - start);
            out->nseg++;
            start = at + 1;
        }
    }
#endif
    for (; i < n && out->nseg < 5; i++) {
        if (s[i] == ':') {
            out->seg[out->nseg] = s + start;
            out->len[out->nseg] = (uint32_t)(i - start);
            out->nseg++;
            start = i + 1;
        }
    }
    /* The rest is one segment: the resource part keeps its colons. */
    out->seg[out->nseg] = s + start;
    out->len[out->nseg] = (uint32_t)(n - start);
    out->nseg++;
}

/* Offsets of the first five colons outside ${...}. */
static size_t pattern_colons(const char *s, size_t n, unsigned flags, size_t *pos)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < 5; i++) {
        if ((flags & GLOB_VARIABLES) && s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
            while (i < n && s[i] != '}') i++;
            continue;
        }
        if (s[i] == ':')
            pos[k++] = i;
    }
    return k;
}

bool ig_arnpat_compile(ig_arena *a, const char *s, size_t n, unsigned flags,
                       ig_arnpat *out, const char **err_msg, size_t *err_off)
{
    var_table vt;
    vt.nvars = 0;       /* the rest is filled as variables are found */
    memset(out, 0, sizeof *out);
    out->raw = ig_arena_strndup(a, s, n);
    out->raw_len = (uint32_t)n;
    if (!out->raw) { *err_msg = "out of memory"; *err_off = 0; return false; }
    flags |= GLOB_WILDCARDS;
    if (n == 1 && s[0] == '*') {
        out->mode = ARNP_ANY;
        return true;
    }
    size_t colon[5];
    size_t k = pattern_colons(s, n, flags, colon);
    /* Every pattern is matched segment by segment (docs/semantics.md §2),
     * whether or not it starts with "arn:". */
    if (k == 5) {
        out->mode = ARNP_SEGMENTS;
        out->nseg = 6;
    } else if (n > 0 && s[n - 1] == '*') {
        out->mode = ARNP_REST;          /* "arn:aws:s3:*": last star eats the rest */
        out->nseg = (uint8_t)(k + 1);
    } else {
        out->mode = ARNP_FEW;           /* fewer segments: the count must agree */
        out->nseg = (uint8_t)(k + 1);
    }
    size_t start = 0;
    for (unsigned i = 0; i < out->nseg; i++) {
        size_t end = i < k ? colon[i] : n;
        if (out->mode == ARNP_SEGMENTS && i == 5) end = n;
        if (!compile_into(a, out->raw + start, end - start, flags | GLOB_BORROW, &out->seg[i],
                          &vt, err_msg, err_off)) {
            *err_off += start;
            return false;
        }
        start = end + 1;
    }
    if (!finish_vars(a, &vt, &out->vars, &out->nvars)) {
        *err_msg = "out of memory";
        *err_off = 0;
        return false;
    }
    /* Leading segments without wildcards or variables ("arn:aws:iam:") are
     * compared as one block of bytes. */
    out->lit_segs = 0;
    out->lit_len = 0;
    if (out->mode == ARNP_SEGMENTS) {
        unsigned lit = 0;
        while (lit < 5 && out->seg[lit].shape == GS_EXACT && out->seg[lit].ntok <= 1 &&
               (out->seg[lit].ntok == 0 || out->seg[lit].tok[0].kind == GT_LIT))
            lit++;
        out->lit_segs = (uint8_t)lit;
        out->lit_len = lit ? (uint32_t)(colon[lit - 1] + 1) : 0;
    }
    for (unsigned i = 0; i < out->nseg; i++) {
        out->seg[i].vars = out->vars;
        out->seg[i].nvars = out->nvars;
    }
    return true;
}

bool ig_arnpat_match(const ig_arnpat *p, const ig_strref *vals,
                     const char *s, size_t n, const ig_arn_split *sp)
{
    switch (p->mode) {
    case ARNP_ANY:
        return true;
    case ARNP_FEW:
        if (sp->nseg != p->nseg) return false;
        for (unsigned i = 0; i < p->nseg; i++)
            if (!ig_glob_match(&p->seg[i], vals, sp->seg[i], sp->len[i], false))
                return false;
        return true;
    case ARNP_SEGMENTS:
        if (sp->nseg != 6) return false;
        if (p->lit_segs) {
            if ((size_t)(sp->seg[p->lit_segs] - s) != p->lit_len ||
                !ig_lit_eq(s, p->raw, p->lit_len))
                return false;
        }
        for (unsigned i = p->lit_segs; i < 6; i++)
            if (!ig_glob_match(&p->seg[i], vals, sp->seg[i], sp->len[i], false))
                return false;
        return true;
    case ARNP_REST: {
        unsigned last = p->nseg - 1u;
        if (sp->nseg <= last) return false;     /* before reading sp->seg[] */
        for (unsigned i = 0; i < last; i++)
            if (!ig_glob_match(&p->seg[i], vals, sp->seg[i], sp->len[i], false))
                return false;
        /* The last pattern segment ends in '*' and may run across colons. */
        const char *rest = sp->seg[last];
        return ig_glob_match(&p->seg[last], vals, rest, (size_t)(s + n - rest), false);
    }
    }
    return false;
}

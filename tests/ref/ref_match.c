/* ref_match.c - reference matching: request context lookup, policy
 * variables, globs, resource ARNs and ARN conditions (semantics.md §2, §4).
 * Written for obviousness, not speed: plain recursion, no precomputation. */
#include <string.h>

#include "ref/ref_int.h"

static int fold(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool same_key(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (fold((unsigned char)*a) != fold((unsigned char)*b))
            return false;
    return *a == *b;
}

const ref_ctx_entry *ref_ctx_get(const ref_ctx *c, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (same_key(c->e[i].key, key))
            return c->e[i].n ? &c->e[i] : NULL;   /* an empty list is absent */
    return NULL;
}

static void put(ref_pat *out, unsigned char ch, bool literal)
{
    if (out->n == REF_MAX_PAT) {
        out->too_long = true;
        return;
    }
    out->ch[out->n] = ch;
    out->lit[out->n] = literal;
    out->n++;
}

static void put_text(ref_pat *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(out, (unsigned char)s[i], true);
}

/* `${inner}` where inner is "*", "?", "$", "key" or "key, 'default'". */
static void substitute(const char *inner, size_t n, const ref_ctx *ctx, ref_pat *out)
{
    if (n == 1 && (inner[0] == '*' || inner[0] == '?' || inner[0] == '$')) {
        put(out, (unsigned char)inner[0], true);
        return;
    }
    size_t keylen = 0;
    while (keylen < n && inner[keylen] != ',')
        keylen++;
    const char *dflt = NULL;
    size_t dlen = 0;
    if (keylen < n) {
        size_t i = keylen + 1;
        while (i < n && inner[i] == ' ')
            i++;
        if (i < n && inner[i] == '\'') {
            size_t j = n;
            while (j > i + 1 && inner[j - 1] != '\'')
                j--;
            dflt = inner + i + 1;
            dlen = j - 1 - (i + 1);
        }
    }
    while (keylen > 0 && inner[keylen - 1] == ' ')
        keylen--;
    char key[512];
    if (keylen >= sizeof key) {
        out->unresolved = true;
        return;
    }
    memcpy(key, inner, keylen);
    key[keylen] = '\0';
    const ref_ctx_entry *e = ref_ctx_get(ctx, key);
    if (e && e->n == 1 && e->values[0][0] != '\0')
        put_text(out, e->values[0], strlen(e->values[0]));
    else if (dflt)
        put_text(out, dflt, dlen);
    else
        out->unresolved = true;
}

void ref_expand(const char *text, bool vars, const ref_ctx *ctx, ref_pat *out)
{
    out->n = 0;
    out->unresolved = false;
    out->too_long = false;
    for (size_t i = 0; text[i]; i++) {
        if (vars && text[i] == '$' && text[i + 1] == '{') {
            const char *close = strchr(text + i + 2, '}');
            if (close) {
                substitute(text + i + 2, (size_t)(close - (text + i + 2)), ctx, out);
                i = (size_t)(close - text);
                continue;
            }
        }
        put(out, (unsigned char)text[i], false);
    }
}

static bool wild(const ref_pat *p, size_t i, char w)
{
    return !p->lit[i] && p->ch[i] == (unsigned char)w;
}

/* Bytes in the UTF-8 character that starts s (1 for stray bytes). */
static size_t char_len(const char *s, size_t slen)
{
    unsigned char c = (unsigned char)s[0];
    size_t n = c < 0xc0 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
    return n < slen ? n : slen;
}

/* '*' and '?' work on characters: '?' is one UTF-8 character.  The
 * textbook matcher: on a mismatch, let the most recent '*' swallow one more
 * character and retry from there (linear in practice, never exponential). */
bool ref_glob(const ref_pat *p, size_t i, size_t end, const char *s, size_t slen, bool icase)
{
    size_t si = 0, star = (size_t)-1, star_si = 0;
    while (si < slen) {
        if (i < end && wild(p, i, '*')) {
            star = i++;
            star_si = si;
            continue;
        }
        if (i < end && wild(p, i, '?')) {
            si += char_len(s + si, slen - si);
            i++;
            continue;
        }
        if (i < end) {
            int a = p->ch[i], b = (unsigned char)s[si];
            if (icase ? fold(a) == fold(b) : a == b) {
                i++;
                si++;
                continue;
            }
        }
        if (star == (size_t)-1)
            return false;
        star_si += char_len(s + star_si, slen - star_si);
        si = star_si;
        i = star + 1;
    }
    while (i < end && wild(p, i, '*'))
        i++;
    return i == end;
}

bool ref_pat_equals(const ref_pat *p, const char *s, bool icase)
{
    size_t n = strlen(s);
    if (n != p->n)
        return false;
    for (size_t i = 0; i < n; i++) {
        int a = p->ch[i], b = (unsigned char)s[i];
        if (icase ? fold(a) != fold(b) : a != b)
            return false;
    }
    return true;
}

static size_t count_colons(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == ':';
    return n;
}

bool ref_is_arn(const char *s)
{
    return strncmp(s, "arn:", 4) == 0 && count_colons(s) >= 5;
}

/* Offsets where the (up to) six colon-separated segments of s start. */
static size_t split_str(const char *s, size_t start[6])
{
    size_t k = 1;
    start[0] = 0;
    for (size_t i = 0; s[i] && k < 6; i++)
        if (s[i] == ':')
            start[k++] = i + 1;
    return k;
}

static size_t split_pat(const ref_pat *p, size_t start[6])
{
    size_t k = 1;
    start[0] = 0;
    for (size_t i = 0; i < p->n && k < 6; i++)
        if (p->ch[i] == ':')
            start[k++] = i + 1;
    return k;
}

/* Segment i of a split runs from start[i] to the colon before start[i+1]. */
static size_t seg_end(const size_t start[6], size_t k, size_t i, size_t total)
{
    return i + 1 < k ? start[i + 1] - 1 : total;
}

/* The first nseg segments of the pattern (split ps, pk segments) against
 * those of s (split ss, sk segments), each globbed on its own. */
static bool segments_match(const ref_pat *p, const size_t ps[6], size_t pk, const char *s,
                           const size_t ss[6], size_t sk, size_t nseg, size_t slen)
{
    for (size_t i = 0; i < nseg; i++) {
        size_t pe = seg_end(ps, pk, i, p->n), se = seg_end(ss, sk, i, slen);
        if (!ref_glob(p, ps[i], pe, s + ss[i], se - ss[i], false))
            return false;
    }
    return true;
}

/* The request resource is split at its first five colons whether or not it
 * is an ARN (semantics.md §2: "any other pattern with fewer than six
 * segments matches only a resource with exactly as many segments"): a
 * request resource without colons is one segment, so a pattern without
 * colons globs all of it, and `a*aws:s3:::*` does not match
 * `arnX:aws:s3:::b` (fuzz_eval crash-60aef549...). */
bool ref_resource_match(const ref_pat *p, const char *res, bool non_arn_as_glob)
{
    if (p->unresolved || p->too_long)
        return false;
    if (p->n == 1 && wild(p, 0, '*'))
        return true;
    if (!strcmp(res, "*"))
        return false;
    size_t rlen = strlen(res);
    if (non_arn_as_glob && ref_is_arn(res) && (p->n < 4 || memcmp(p->ch, "arn:", 4)))
        return ref_glob(p, 0, p->n, res, rlen, false);
    size_t ps[6], rs[6];
    size_t pk = split_pat(p, ps);
    size_t rk = split_str(res, rs);
    if (pk == 6)
        return rk == 6 && segments_match(p, ps, 6, res, rs, 6, 6, rlen);
    if (p->n == 0 || !wild(p, p->n - 1, '*'))
        return rk == pk && segments_match(p, ps, pk, res, rs, rk, pk, rlen);
    /* A short pattern whose last segment ends in '*' covers the rest. */
    if (rk < pk)
        return false;
    return segments_match(p, ps, pk, res, rs, rk, pk - 1, rlen) &&
           ref_glob(p, ps[pk - 1], p->n, res + rs[pk - 1], rlen - rs[pk - 1], false);
}

bool ref_arn_like(const ref_pat *p, const char *value)
{
    if (p->unresolved || p->too_long || !ref_is_arn(value))
        return false;
    size_t ps[6], vs[6];
    if (p->n < 4 || memcmp(p->ch, "arn:", 4) != 0 || split_pat(p, ps) < 6)
        return false;
    size_t vk = split_str(value, vs);
    return segments_match(p, ps, 6, value, vs, vk, 6, strlen(value));
}

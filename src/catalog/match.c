/* match.c - the pattern matching the catalog needs: action wildcards,
 * condition key templates, and whether a policy's resource pattern and a
 * resource type's ARN template can ever describe the same ARN.
 *
 * The last one is the intersection of two patterns, both with wildcards:
 * the policy side has '*' and '?', the template side ${...} placeholders.
 * It is decided on the product of the two patterns' positions (a pair
 * (i, j) is reachable when some text brings the policy pattern to i and
 * the template to j), segment by segment as IAM splits ARNs. */
#include <stdlib.h>
#include <string.h>

#include "catalog/catalog_int.h"
#include "util/str.h"

bool igcat_wild_match(const char *pat, size_t plen, const char *s, size_t slen)
{
    size_t p = 0, i = 0, star_p = SIZE_MAX, star_i = 0;
    while (i < slen) {
        if (p < plen && pat[p] == '*') {
            star_p = ++p;
            star_i = i;
        } else if (p < plen && (pat[p] == '?' || ig_lower(pat[p]) == ig_lower(s[i]))) {
            p++;
            i++;
        } else if (star_p != SIZE_MAX) {
            p = star_p;
            i = ++star_i;
        } else {
            return false;
        }
    }
    while (p < plen && pat[p] == '*')
        p++;
    return p == plen;
}

bool igcat_key_name_matches(const char *t, const char *k, size_t n)
{
    const char *star_t = NULL, *start = t;
    size_t i = 0, star_i = 0;
    while (i < n) {
        char close = t[0] == '$' && t[1] == '{' ? '}' : t[0] == '<' ? '>' : 0;
        /* Some keys are written "service:ResourceTag/tag-key". */
        bool tag_key = t > start && t[-1] == '/' && !strcmp(t, "tag-key");
        if ((close && strchr(t, close)) || tag_key) {
            /* A placeholder (${TagKey}, <key>) stands for one or more bytes. */
            t = tag_key ? t + 7 : strchr(t, close) + 1;
            star_t = t;
            star_i = ++i;
        } else if (*t && ig_lower(*t) == ig_lower(k[i])) {
            t++;
            i++;
        } else if (star_t) {
            t = star_t;
            i = ++star_i;
        } else {
            return false;
        }
    }
    return *t == '\0';
}

bool igcat_is_tag_key(const char *key, size_t len)
{
    return (len > 15 && ig_eq_icase(key, "aws:RequestTag/", 15)) ||
           (len > 16 && ig_eq_icase(key, "aws:ResourceTag/", 16)) ||
           (len == 11 && ig_eq_icase(key, "aws:TagKeys", 11));
}

/* ---- ARN pattern against ARN template ------------------------------------- */

enum { T_LIT = 0, T_STAR, T_ONE, T_VAR, T_VAR_NOSLASH };

typedef struct {
    uint8_t kind;
    char ch;
} tok;

#define MAX_TOKS 512
#define MAX_STATES 16384    /* pairs of positions; 48 KiB of stack at most */

/* Placeholders whose values never contain '/', so that a bucket is not
 * taken for an object (the most common mismatch: s3:ListBucket on the
 * objects of a bucket).  Any other placeholder may span '/' (object keys,
 * role paths, log group names). */
static bool no_slash_var(const char *name, size_t n)
{
    static const char *const names[] = {
        "BucketName", "TableName", "IndexName", "FunctionName", "QueueName", "TopicName",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0)
            return true;
    return false;
}

/* Tokens of a policy pattern segment: policy variables count as '*',
 * except ${*} ${?} ${$}, which are the literal characters. */
static size_t tok_policy(const char *s, size_t n, tok *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < MAX_TOKS; i++) {
        if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
            const char *e = memchr(s + i, '}', n - i);
            if (e) {
                size_t inner = (size_t)(e - s) - i - 2;
                if (inner == 1 && (s[i + 2] == '*' || s[i + 2] == '?' || s[i + 2] == '$'))
                    out[k++] = (tok){ T_LIT, s[i + 2] };
                else
                    out[k++] = (tok){ T_STAR, 0 };
                i = (size_t)(e - s);
                continue;
            }
        }
        out[k++] = s[i] == '*' ? (tok){ T_STAR, 0 } : s[i] == '?' ? (tok){ T_ONE, 0 } : (tok){ T_LIT, s[i] };
    }
    return k;
}

static size_t tok_template(const char *s, size_t n, tok *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < MAX_TOKS; i++) {
        if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
            const char *e = memchr(s + i, '}', n - i);
            if (e) {
                bool ns = no_slash_var(s + i + 2, (size_t)(e - s) - i - 2);
                out[k++] = (tok){ ns ? T_VAR_NOSLASH : T_VAR, 0 };
                i = (size_t)(e - s);
                continue;
            }
        }
        out[k++] = (tok){ T_LIT, s[i] };
    }
    return k;
}

/* Whether one text is accepted by both token lists. */
static bool tokens_intersect(const tok *a, size_t na, const tok *b, size_t nb)
{
    size_t w = nb + 1;
    if ((na + 1) * w > MAX_STATES)
        return true;                       /* too big to decide: assume it can */
    uint8_t seen[MAX_STATES];
    memset(seen, 0, (na + 1) * w);
    uint16_t stack[MAX_STATES];
    size_t sp = 0;
    stack[sp++] = 0;
    seen[0] = 1;
#define PUSH(I, J) do { size_t s_ = (I) * w + (J); \
        if (!seen[s_]) { seen[s_] = 1; stack[sp++] = (uint16_t)s_; } } while (0)
    while (sp) {
        uint32_t st = stack[--sp];
        size_t i = st / w, j = st % w;
        if (i == na && j == nb)
            return true;
        /* '*' and placeholders may stop consuming at any point. */
        if (i < na && a[i].kind == T_STAR)
            PUSH(i + 1, j);
        if (j < nb && (b[j].kind == T_VAR || b[j].kind == T_VAR_NOSLASH))
            PUSH(i, j + 1);
        if (i >= na || j >= nb)
            continue;
        const tok *x = &a[i], *y = &b[j];
        bool yvar = y->kind != T_LIT;
        switch (x->kind) {
        case T_LIT:
            if (!yvar && x->ch == y->ch)
                PUSH(i + 1, j + 1);
            else if (yvar && !(y->kind == T_VAR_NOSLASH && x->ch == '/'))
                PUSH(i + 1, j);
            break;
        case T_ONE:
            PUSH(i + 1, yvar ? j : j + 1);
            break;
        case T_STAR:
            if (!yvar)
                PUSH(i, j + 1);
            break;
        }
    }
#undef PUSH
    return false;
}

void igcat_split_arn(const char *s, size_t n, igcat_arn_parts *out)
{
    out->n = 1;
    out->seg[0] = s;
    size_t start = 0;
    for (size_t i = 0; i < n && out->n < 6; i++) {
        if (s[i] == '$' && i + 1 < n && s[i + 1] == '{') {
            const char *e = memchr(s + i, '}', n - i);
            if (e) {
                i = (size_t)(e - s);
                continue;
            }
        }
        if (s[i] == ':') {
            out->len[out->n - 1] = i - start;
            start = i + 1;
            out->seg[out->n++] = s + start;
        }
    }
    out->len[out->n - 1] = n - start;
}

static bool seg_intersect(const char *p, size_t pn, const char *t, size_t tn)
{
    tok a[MAX_TOKS], b[MAX_TOKS];
    if (pn >= MAX_TOKS || tn >= MAX_TOKS)
        return true;
    size_t na = tok_policy(p, pn, a), nb = tok_template(t, tn, b);
    return tokens_intersect(a, na, b, nb);
}

static bool intersects_one(const char *pat, size_t plen, const char *tmpl, size_t tlen)
{
    igcat_arn_parts p, t;
    igcat_split_arn(pat, plen, &p);
    igcat_split_arn(tmpl, tlen, &t);
    if (t.n < 6)
        return true;
    if (p.n == 6) {
        for (int i = 0; i < 6; i++)
            if (!seg_intersect(p.seg[i], p.len[i], t.seg[i], t.len[i]))
                return false;
        return true;
    }
    /* "arn:aws:s3:*": a last segment ending in '*' matches the rest. */
    size_t last = (size_t)p.n - 1;
    if (p.len[last] == 0 || p.seg[last][p.len[last] - 1] != '*')
        return false;
    for (size_t i = 0; i < last; i++)
        if (!seg_intersect(p.seg[i], p.len[i], t.seg[i], t.len[i]))
            return false;
    return seg_intersect(p.seg[last], p.len[last], t.seg[last],
                         (size_t)(tmpl + tlen - t.seg[last]));
}

bool igcat_arn_intersects(const char *pat, size_t plen, const char *tmpl)
{
    if (plen == 1 && pat[0] == '*')
        return true;
    /* Some resource types have several ARN formats, joined by ", ". */
    for (;;) {
        const char *sep = strstr(tmpl, ", ");
        size_t tlen = sep ? (size_t)(sep - tmpl) : strlen(tmpl);
        if (intersects_one(pat, plen, tmpl, tlen))
            return true;
        if (!sep)
            return false;
        tmpl = sep + 2;
    }
}

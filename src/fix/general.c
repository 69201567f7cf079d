/* general.c - resource patterns from the names allowed requests use: the
 * fix search narrows a Resource to patterns that cover what the
 * deployment needs and nothing a refused request names, generalising over
 * the parts of the names that vary (environment, stack suffix) instead of
 * listing one ARN per request. */
#include <string.h>

#include "analyze/lang/lang.h"
#include "fix/fix_int.h"
#include "util/alloc.h"
#include "util/arena.h"

#define MAX_NEED 256

bool fx_glob(const char *p, const char *s)
{
    const char *star = NULL, *back = NULL;
    while (*s) {
        if (*p == '*') {
            star = p++;
            back = s;
        } else if (*p == '?' || *p == *s) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++back;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return !*p;
}

static bool separator(char c)
{
    return c == ':' || c == '/' || c == '-' || c == '_' || c == '.';
}

/* A name with a wildcard or a variable in it is a pattern already. */
static bool plain(const char *s)
{
    return !strpbrk(s, "*?$");
}

/* The common prefix of the members, cut after a separator (or whole when
 * every member is that prefix), and the common suffix, cut before one;
 * together at most as long as the shortest member. */
static void common(const char *const *m, size_t n, size_t *pre, size_t *suf)
{
    size_t shortest = strlen(m[0]), p = shortest;
    for (size_t i = 1; i < n; i++) {
        size_t k = 0, len = strlen(m[i]);
        while (k < p && k < len && m[i][k] == m[0][k])
            k++;
        p = k;
        if (len < shortest)
            shortest = len;
    }
    bool all_same = true;
    for (size_t i = 1; i < n; i++)
        all_same &= !strcmp(m[i], m[0]);
    if (all_same) {
        *pre = shortest;
        *suf = 0;
        return;
    }
    while (p > 0 && !separator(m[0][p - 1]))
        p--;
    size_t len0 = strlen(m[0]), s = len0;
    for (size_t i = 1; i < n; i++) {
        size_t len = strlen(m[i]), k = 0;
        while (k < s && k < len && m[i][len - 1 - k] == m[0][len0 - 1 - k])
            k++;
        s = k;
    }
    while (s > 0 && !separator(m[0][len0 - s]))
        s--;
    if (p + s > shortest)
        s = shortest > p ? shortest - p : 0;
    while (s > 0 && !separator(m[0][len0 - s]))
        s--;
    *pre = p;
    *suf = s;
}

static char *pattern_of(const char *const *m, size_t n)
{
    size_t pre, suf;
    common(m, n, &pre, &suf);
    if (n == 1 || (pre == strlen(m[0]) && suf == 0)) {
        bool same = true;
        for (size_t i = 1; i < n; i++)
            same &= !strcmp(m[i], m[0]);
        if (same)
            return ig_strdup(m[0]);
    }
    size_t len0 = strlen(m[0]);
    char *out = ig_malloc(pre + suf + 2);
    if (!out)
        return NULL;
    memcpy(out, m[0], pre);
    out[pre] = '*';
    memcpy(out + pre + 1, m[0] + len0 - suf, suf);
    out[pre + 1 + suf] = '\0';
    return out;
}

/* Whether pattern q lies within pattern w (both IAM patterns). */
static bool inside(const char *q, const char *w)
{
    if (!w || !strcmp(w, "*"))
        return true;
    ig_arena a;
    ig_arena_init(&a);
    lang_pat lq, lw;
    const char *err;
    bool ok = lang_from_text(&a, q, strlen(q), &lq, &err) && lang_from_text(&a, w, strlen(w), &lw, &err) &&
              lang_subset(&lq, &lw, false) == LANG_EMPTY;
    ig_arena_free(&a);
    return ok;
}

static bool acceptable(const char *pat, const char *const *bad, size_t nbad, const char *within)
{
    for (size_t i = 0; i < nbad; i++)
        if (fx_glob(pat, bad[i]))
            return false;
    return inside(pat, within);
}

long fx_generalize(const char *const *need, size_t nneed, const char *const *bad, size_t nbad,
                   const char *within, char **out, size_t cap)
{
    if (nneed > MAX_NEED)
        return -1;
    /* Clusters: member lists by index; cluster of each distinct name. */
    const char *names[MAX_NEED];
    size_t n = 0;
    for (size_t i = 0; i < nneed; i++) {
        bool seen = false;
        for (size_t k = 0; k < n; k++)
            seen |= !strcmp(names[k], need[i]);
        if (!seen)
            names[n++] = need[i];
    }
    int of[MAX_NEED];
    for (size_t i = 0; i < n; i++)
        of[i] = (int)i;
    for (;;) {
        /* The merge of two clusters whose pattern keeps the most of the
         * names (longest fixed part) and is acceptable. */
        size_t best_len = 0;
        int ba = -1, bb = -1;
        for (size_t a = 0; a < n; a++) {
            if (of[a] != (int)a)
                continue;
            for (size_t b = a + 1; b < n; b++) {
                if (of[b] != (int)b)
                    continue;
                const char *m[MAX_NEED];
                size_t nm = 0;
                bool pats = false;
                for (size_t i = 0; i < n; i++)
                    if (of[i] == (int)a || of[i] == (int)b) {
                        m[nm++] = names[i];
                        pats |= !plain(names[i]);
                    }
                if (pats)
                    continue;
                char *p = pattern_of(m, nm);
                if (!p)
                    return -1;
                size_t fixed = strlen(p) - 1;
                if (acceptable(p, bad, nbad, within) && fixed > best_len) {
                    best_len = fixed;
                    ba = (int)a;
                    bb = (int)b;
                }
                ig_free(p);
            }
        }
        if (ba < 0)
            break;
        for (size_t i = 0; i < n; i++)
            if (of[i] == bb)
                of[i] = ba;
    }
    long nout = 0;
    for (size_t a = 0; a < n; a++) {
        if (of[a] != (int)a)
            continue;
        const char *m[MAX_NEED];
        size_t nm = 0;
        for (size_t i = 0; i < n; i++)
            if (of[i] == (int)a)
                m[nm++] = names[i];
        if ((size_t)nout >= cap)
            goto fail;
        if (!(out[nout] = pattern_of(m, nm)))
            goto fail;
        nout++;
    }
    return nout;
fail:
    for (long i = 0; i < nout; i++)
        ig_free(out[i]);
    return -1;
}

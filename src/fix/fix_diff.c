/* fix_diff.c - the unified diff `iamguard fix` prints and writes: lines
 * in the format of `diff -u` (three lines of context, hunks that are at
 * most six lines apart joined, "\ No newline at end of file"), so that
 * patch(1) and review tools take it.  The lines common to both ends are
 * cut off first; what is left is aligned by a longest common subsequence
 * while that table stays small, and is otherwise one replaced block (still
 * a correct diff, only a longer one). */
#include <stdint.h>
#include <string.h>

#include "fix/fix_doc.h"
#include "util/alloc.h"

#define CONTEXT 3
/* Cells of the LCS table (2 bytes each): 8 MB at most. */
#define MAX_CELLS (4u * 1024u * 1024u)

typedef struct {
    const char *p;
    size_t len;             /* with its '\n', when it has one */
    uint32_t hash;
} line;

enum { OP_EQ, OP_DEL, OP_INS };

static line *split(const char *t, size_t n, size_t *count)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += t[i] == '\n';
    k += n && t[n - 1] != '\n';
    line *v = ig_malloc((k ? k : 1) * sizeof *v);
    if (!v)
        return NULL;
    size_t i = 0, at = 0;
    while (at < n) {
        const char *nl = memchr(t + at, '\n', n - at);
        size_t len = nl ? (size_t)(nl - (t + at)) + 1 : n - at;
        uint32_t h = 2166136261u;
        for (size_t j = 0; j < len; j++)
            h = (h ^ (unsigned char)t[at + j]) * 16777619u;
        v[i++] = (line){ t + at, len, h };
        at += len;
    }
    *count = k;
    return v;
}

static bool same(const line *x, const line *y)
{
    return x->hash == y->hash && x->len == y->len && !memcmp(x->p, y->p, x->len);
}

/* The edit script of a[0..m) into b[0..n): ops[] gets OP_EQ, OP_DEL and
 * OP_INS, deletions of a changed block before its insertions. */
static size_t align(const line *a, size_t m, const line *b, size_t n, unsigned char *ops)
{
    size_t k = 0;
    uint16_t *L = NULL;
    if (m && n && m <= MAX_CELLS / n)
        L = ig_malloc((m + 1) * (n + 1) * sizeof *L);
    if (!L) {
        /* Too large (or out of memory): one replaced block. */
        memset(ops, OP_DEL, m);
        memset(ops + m, OP_INS, n);
        return m + n;
    }
    /* L[i][j]: the longest common subsequence of a[i..] and b[j..];
     * min(m, n) <= 2048 here, so it fits 16 bits. */
    size_t w = n + 1;
    for (size_t i = m + 1; i-- > 0;)
        for (size_t j = n + 1; j-- > 0;) {
            if (i == m || j == n)
                L[i * w + j] = 0;
            else if (same(&a[i], &b[j]))
                L[i * w + j] = (uint16_t)(L[(i + 1) * w + j + 1] + 1);
            else
                L[i * w + j] = L[(i + 1) * w + j] >= L[i * w + j + 1] ? L[(i + 1) * w + j]
                                                                     : L[i * w + j + 1];
        }
    size_t i = 0, j = 0;
    while (i < m || j < n) {
        if (i < m && j < n && same(&a[i], &b[j])) {
            ops[k++] = OP_EQ;
            i++, j++;
        } else if (j == n || (i < m && L[(i + 1) * w + j] >= L[i * w + j + 1])) {
            ops[k++] = OP_DEL;
            i++;
        } else {
            ops[k++] = OP_INS;
            j++;
        }
    }
    ig_free(L);
    /* Within each run of changes: deletions first, as diff writes them. */
    for (size_t s = 0; s < k;) {
        if (ops[s] == OP_EQ) {
            s++;
            continue;
        }
        size_t e = s, dels = 0;
        while (e < k && ops[e] != OP_EQ)
            dels += ops[e++] == OP_DEL;
        memset(ops + s, OP_DEL, dels);
        memset(ops + s + dels, OP_INS, e - s - dels);
        s = e;
    }
    return k;
}

static void range(json_buf *out, char sign, size_t start, size_t count)
{
    /* diff -u: "l,n"; "l" for one line; for none, the line before it. */
    if (count == 1)
        json_buf_printf(out, "%c%zu", sign, start + 1);
    else
        json_buf_printf(out, "%c%zu,%zu", sign, count ? start + 1 : start, count);
}

static void emit(json_buf *out, char sign, const line *l)
{
    json_buf_append(out, &sign, 1);
    json_buf_append(out, l->p, l->len);
    if (!l->len || l->p[l->len - 1] != '\n')
        json_buf_puts(out, "\n\\ No newline at end of file\n");
}

size_t fx_unified_diff(const char *name, const char *a, size_t alen, const char *b, size_t blen,
                       json_buf *out)
{
    if (alen == blen && !memcmp(a, b, alen))
        return 0;
    size_t na = 0, nb = 0;
    line *la = split(a, alen, &na), *lb = split(b, blen, &nb);
    unsigned char *ops = ig_malloc(na + nb + 1);
    if (!la || !lb || !ops) {
        out->failed = true;
        ig_free(la), ig_free(lb), ig_free(ops);
        return 0;
    }
    size_t pre = 0, suf = 0;
    while (pre < na && pre < nb && same(&la[pre], &lb[pre]))
        pre++;
    while (suf < na - pre && suf < nb - pre && same(&la[na - 1 - suf], &lb[nb - 1 - suf]))
        suf++;
    memset(ops, OP_EQ, pre);
    size_t k = pre + align(la + pre, na - pre - suf, lb + pre, nb - pre - suf, ops + pre);
    memset(ops + k, OP_EQ, suf);
    k += suf;

    size_t changed = 0;
    for (size_t i = 0; i < k; i++)
        changed += ops[i] != OP_EQ;
    if (changed)
        json_buf_printf(out, "--- a/%s\n+++ b/%s\n", name, name);

    /* ai[x], bi[x]: the lines of a and b before op x. */
    size_t *ai = ig_malloc((k + 1) * sizeof *ai), *bi = ig_malloc((k + 1) * sizeof *bi);
    if (!ai || !bi) {
        out->failed = true;
        k = 0;
    } else {
        ai[0] = bi[0] = 0;
        for (size_t x = 0; x < k; x++) {
            ai[x + 1] = ai[x] + (ops[x] != OP_INS);
            bi[x + 1] = bi[x] + (ops[x] != OP_DEL);
        }
    }
    size_t x = 0;
    while (x < k) {
        while (x < k && ops[x] == OP_EQ)
            x++;
        if (x == k)
            break;
        /* A hunk: CONTEXT lines before its first change, and on while the
         * next change is at most 2 * CONTEXT lines after the last. */
        size_t hs = x > CONTEXT ? x - CONTEXT : 0;
        size_t last = x;                    /* one past the last change */
        for (size_t y = x; y < k; y++) {
            if (ops[y] != OP_EQ)
                last = y + 1;
            else if (y - last >= 2 * CONTEXT)
                break;
        }
        size_t he = last + CONTEXT < k ? last + CONTEXT : k;
        json_buf_puts(out, "@@ ");
        range(out, '-', ai[hs], ai[he] - ai[hs]);
        json_buf_puts(out, " ");
        range(out, '+', bi[hs], bi[he] - bi[hs]);
        json_buf_puts(out, " @@\n");
        for (size_t y = hs; y < he; y++) {
            if (ops[y] == OP_EQ)
                emit(out, ' ', &la[ai[y]]);
            else if (ops[y] == OP_DEL)
                emit(out, '-', &la[ai[y]]);
            else
                emit(out, '+', &lb[bi[y]]);
        }
        x = he;
    }
    ig_free(ai), ig_free(bi), ig_free(ops), ig_free(la), ig_free(lb);
    return changed;
}

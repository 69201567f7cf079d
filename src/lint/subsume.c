/* subsume.c - whether one pattern covers another (every text the first
 * matches, the second matches too), for the redundancy and shadowing
 * checks.  The test matches the covering pattern against the covered
 * one's text, letting a '*' of the covered pattern be consumed only by a
 * '*' of the covering one and a '?' only by '?' or '*'.  It may miss a
 * cover, never invent one, so those checks stay quiet when unsure. */
#include <string.h>

#include "lint/lint_int.h"
#include "util/str.h"

#define MAX_CELLS 65536

static bool same(char x, char y, bool icase)
{
    return icase ? ig_lower(x) == ig_lower(y) : x == y;
}

static bool has_var(const char *s, size_t n)
{
    const char *p = memchr(s, '$', n);
    while (p && p + 1 < s + n) {
        if (p[1] == '{')
            return true;
        p = memchr(p + 1, '$', (size_t)(s + n - p - 1));
    }
    return false;
}

bool lint_glob_subsumes(const char *d, size_t dn, const char *a, size_t an, bool icase)
{
    /* Policy variables stand for text only a request knows: compare them
     * only as identical patterns. */
    if (has_var(d, dn) || has_var(a, an))
        return dn == an && (icase ? ig_eq_icase(d, a, dn) : memcmp(d, a, dn) == 0);
    /* The covering pattern's literal prefix must start the other one. */
    size_t lit = 0;
    while (lit < dn && d[lit] != '*' && d[lit] != '?') {
        if (lit >= an || a[lit] == '*' || a[lit] == '?' || !same(d[lit], a[lit], icase))
            return false;
        lit++;
    }
    if (lit == dn)
        return an == dn;
    d += lit; dn -= lit;
    a += lit; an -= lit;
    size_t w = an + 1;
    if ((dn + 1) * w > MAX_CELLS)
        return false;
    static _Thread_local unsigned char reach[MAX_CELLS];
    memset(reach, 0, (dn + 1) * w);
    reach[0] = 1;
    for (size_t i = 0; i <= dn; i++) {
        for (size_t j = 0; j <= an; j++) {
            if (!reach[i * w + j])
                continue;
            if (i == dn)
                continue;
            char p = d[i];
            if (p == '*') {
                reach[(i + 1) * w + j] = 1;
                if (j < an)
                    reach[i * w + j + 1] = 1;
            } else if (j < an) {
                char t = a[j];
                bool ok = p == '?' ? t != '*' : (t != '*' && t != '?' && same(p, t, icase));
                if (ok)
                    reach[(i + 1) * w + j + 1] = 1;
            }
        }
    }
    return reach[dn * w + an] != 0;
}

bool lint_arn_subsumes(const char *d, size_t dn, const char *a, size_t an)
{
    if (dn == 1 && d[0] == '*')
        return true;
    if (an == 1 && a[0] == '*')
        return false;
    igcat_arn_parts dp, ap;
    igcat_split_arn(d, dn, &dp);
    igcat_split_arn(a, an, &ap);
    bool d_rest = dp.n < 6 && d[dn - 1] == '*';
    if (dp.n == 6 && ap.n == 6) {
        for (int i = 0; i < 6; i++)
            if (!lint_glob_subsumes(dp.seg[i], dp.len[i], ap.seg[i], ap.len[i], false))
                return false;
        return true;
    }
    if (d_rest && ap.n >= dp.n) {
        int last = dp.n - 1;
        for (int i = 0; i < last; i++)
            if (!lint_glob_subsumes(dp.seg[i], dp.len[i], ap.seg[i], ap.len[i], false))
                return false;
        return lint_glob_subsumes(dp.seg[last], dp.len[last], ap.seg[last],
                                  (size_t)(a + an - ap.seg[last]), false);
    }
    return dn == an && memcmp(d, a, dn) == 0;
}

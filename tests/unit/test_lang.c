/* test_lang.c - the pattern languages of the analysis (src/analyze/lang.c):
 * matching agrees with the evaluator's ARN matching, and every answer of
 * the emptiness search is checked -- witnesses against the evaluator's
 * matcher, "empty" against brute force over short strings. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze/lang/lang.h"
#include "policy/glob.h"

typedef struct {
    ig_arena arena;
    ig_arnpat ap[8];
    lang_pat lp[8];
    size_t n;
} pats;

static void add(pats *p, const char *s)
{
    const char *err;
    size_t off;
    assert_true(p->n < 8);
    assert_true(ig_arnpat_compile(&p->arena, s, strlen(s), GLOB_VARIABLES, &p->ap[p->n], &err, &off));
    assert_true(lang_from_arnpat(&p->arena, &p->ap[p->n], NULL, &p->lp[p->n]));
    p->n++;
}

static bool eval_match(const ig_arnpat *ap, const char *s)
{
    ig_arn_split sp;
    size_t n = strlen(s);
    if (n == 1 && s[0] == '*')
        return ap->mode == ARNP_ANY;
    memset(&sp, 0, sizeof sp);
    ig_arn_split_str(s, n, &sp);
    return ig_arnpat_match(ap, NULL, s, n, &sp);
}

static void test_match_table(void **state)
{
    (void)state;
    static const struct { const char *pat, *s; bool want; } cases[] = {
        { "arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y:z", true },
        { "arn:aws:s3:::b/*", "arn:aws:s3:::c/x", false },
        { "arn:aws:iam::*:role/*LambdaRole*", "arn:aws:iam::1:role/xLambdaRoley", true },
        { "arn:aws:iam::*:role/*LambdaRole*", "arn:aws:iam::1:2:role/xLambdaRole", false },
        { "arn:aws:iam::*", "arn:aws:iam::1:role/x", true },
        { "arn:aws:s3:*", "arn:aws:s3:::b", true },
        { "arn:aws:*:*:*:*", "arn:aws:s3:::b", true },
        { "arn:a?s:s3:::b", "arn:a:s:s3:::b", false },
        { "*", "*", true },
        { "arn:*", "*", false },
        { "a*b", "a:b", false },           /* fewer than six segments: the count must agree */
        { "a*b", "axb", true },
        { "arn:aws:s3:::?", "arn:aws:s3:::\xc3\xa9", true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        pats p;
        memset(&p, 0, sizeof p);
        ig_arena_init(&p.arena);
        add(&p, cases[i].pat);
        bool got = cases[i].s[0] == '*' && !cases[i].s[1] ? p.lp[0].kind == LP_ALL
                   : lang_matches(&p.lp[0], cases[i].s, strlen(cases[i].s));
        if (got != cases[i].want)
            fail_msg("%s vs %s: got %d", cases[i].pat, cases[i].s, got);
        assert_int_equal(eval_match(&p.ap[0], cases[i].s), cases[i].want);
        ig_arena_free(&p.arena);
    }
}

/* Random patterns and strings over a small alphabet where ':' matters. */
static unsigned rnd(unsigned *seed, unsigned n)
{
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) % n;
}

static void rand_text(unsigned *seed, char *out, size_t max, bool pattern)
{
    static const char chars[] = "ab:/";
    size_t n = rnd(seed, (unsigned)max);
    size_t i = 0;
    if (rnd(seed, 2)) {
        memcpy(out, "arn:", 4);
        i = 4;
    }
    for (; i < n + 4 && i + 1 < max + 4; i++) {
        unsigned r = rnd(seed, pattern ? 7 : 4);
        out[i] = r < 4 ? chars[r] : r < 6 ? '*' : '?';
    }
    out[i] = '\0';
    if (!out[0] || !strcmp(out, "*"))
        strcpy(out, "a");
}

static void test_match_random(void **state)
{
    (void)state;
    unsigned seed = 7;
    for (int it = 0; it < 20000; it++) {
        char pat[32], s[32];
        rand_text(&seed, pat, 10, true);
        rand_text(&seed, s, 10, false);
        pats p;
        memset(&p, 0, sizeof p);
        ig_arena_init(&p.arena);
        add(&p, pat);
        bool want = eval_match(&p.ap[0], s);
        bool got = lang_matches(&p.lp[0], s, strlen(s));
        if (want != got)
            fail_msg("pattern %s string %s: evaluator %d, lang %d", pat, s, want, got);
        ig_arena_free(&p.arena);
    }
}

/* Every string over "ab:/" of length <= 7 after an optional "arn:". */
static bool brute_satisfiable(const pats *p, const bool *neg)
{
    char s[16];
    for (int pre = 0; pre < 2; pre++) {
        for (int len = 0; len <= 7; len++) {
            long total = 1;
            for (int k = 0; k < len; k++) total *= 4;
            for (long code = 0; code < total; code++) {
                long c = code;
                size_t o = 0;
                if (pre) { memcpy(s, "arn:", 4); o = 4; }
                for (int k = 0; k < len; k++, c /= 4)
                    s[o++] = "ab:/"[c % 4];
                s[o] = '\0';
                bool ok = true;
                for (size_t i = 0; i < p->n && ok; i++)
                    ok = eval_match(&p->ap[i], s) != neg[i];
                if (ok)
                    return true;
            }
        }
    }
    return false;
}

static void test_search_random(void **state)
{
    (void)state;
    unsigned seed = 11;
    int found = 0, empty = 0;
    for (int it = 0; it < 3000; it++) {
        pats p;
        memset(&p, 0, sizeof p);
        ig_arena_init(&p.arena);
        bool neg[3];
        lang_atom atoms[3];
        const lang_pat *one[3];
        size_t n = 1 + rnd(&seed, 3);
        for (size_t i = 0; i < n; i++) {
            char pat[32];
            rand_text(&seed, pat, 5, true);
            add(&p, pat);
            neg[i] = i > 0 && rnd(&seed, 2);
            one[i] = &p.lp[i];
            atoms[i] = (lang_atom){ .neg = neg[i], .npat = 1, .pats = &one[i] };
        }
        char w[256];
        lang_query q = { .witness = w, .witness_cap = sizeof w };
        lang_answer a = lang_search(atoms, n, &q, NULL);
        assert_int_not_equal(a, LANG_UNKNOWN);
        if (a == LANG_FOUND) {
            found++;
            for (size_t i = 0; i < n; i++)
                if (eval_match(&p.ap[i], w) == neg[i])
                    fail_msg("witness \"%s\" fails pattern %zu (%s)", w, i, p.ap[i].raw);
        } else {
            empty++;
            if (brute_satisfiable(&p, neg))
                fail_msg("search says empty for %s%s%s%s%s", p.ap[0].raw,
                         n > 1 ? (neg[1] ? " -" : " &") : "", n > 1 ? p.ap[1].raw : "",
                         n > 2 ? (neg[2] ? " -" : " &") : "", n > 2 ? p.ap[2].raw : "");
        }
        ig_arena_free(&p.arena);
    }
    assert_true(found > 100 && empty > 100);
}

static void test_search_examples(void **state)
{
    (void)state;
    pats p;
    memset(&p, 0, sizeof p);
    ig_arena_init(&p.arena);
    add(&p, "arn:aws:iam::*:role/*LambdaRole*");
    add(&p, "arn:aws:iam::*:role/amplify-*");
    add(&p, "*");
    add(&p, "arn:aws:s3:::amplify-*-deployment");
    const lang_pat *a0[] = { &p.lp[0] }, *a1[] = { &p.lp[1] }, *a2[] = { &p.lp[2] },
                   *a3[] = { &p.lp[3] };
    char w[256];
    lang_query q = { .witness = w, .witness_cap = sizeof w };
    /* Lambda roles named amplify-...: the intersection is not empty. */
    lang_atom both[] = { { false, 1, a0 }, { false, 1, a1 } };
    assert_int_equal(lang_search(both, 2, &q, NULL), LANG_FOUND);
    assert_true(lang_matches(&p.lp[0], w, strlen(w)) && lang_matches(&p.lp[1], w, strlen(w)));
    /* A role is never a bucket. */
    lang_atom disjoint[] = { { false, 1, a0 }, { false, 1, a3 } };
    assert_int_equal(lang_search(disjoint, 2, &q, NULL), LANG_EMPTY);
    /* "*" minus everything is empty; everything minus a pattern is not. */
    lang_atom none[] = { { false, 1, a2 }, { true, 1, a2 } };
    assert_int_equal(lang_search(none, 2, &q, NULL), LANG_EMPTY);
    lang_atom rest[] = { { false, 1, a2 }, { true, 1, a0 } };
    assert_int_equal(lang_search(rest, 2, &q, NULL), LANG_FOUND);
    assert_false(lang_matches(&p.lp[0], w, strlen(w)));
    assert_int_equal(lang_subset(&p.lp[3], &p.lp[2], false), LANG_EMPTY);
    assert_int_equal(lang_subset(&p.lp[2], &p.lp[3], false), LANG_FOUND);
    /* Only "*" covers the resource "*". */
    lang_query star = { .star_only = true, .witness = w, .witness_cap = sizeof w };
    lang_atom only0[] = { { false, 1, a0 } };
    assert_int_equal(lang_search(only0, 1, &star, NULL), LANG_EMPTY);
    lang_atom only2[] = { { false, 1, a2 } };
    assert_int_equal(lang_search(only2, 1, &star, NULL), LANG_FOUND);
    assert_string_equal(w, "*");
    /* A bound too small to decide says unknown, never empty. */
    lang_query tiny = { .max_states = 2 };
    assert_int_equal(lang_search(disjoint, 2, &tiny, NULL), LANG_UNKNOWN);
    ig_arena_free(&p.arena);
}

static void test_formula(void **state)
{
    (void)state;
    pats p;
    memset(&p, 0, sizeof p);
    ig_arena_init(&p.arena);
    add(&p, "arn:aws:s3:::a*");
    add(&p, "arn:aws:s3:::*b");
    add(&p, "arn:aws:s3:::ab*");
    /* (a* and *b) and not ab*: "a?b"-like strings that do not start "ab". */
    ig_arena *A = &p.arena;
    const lang_expr *k[3] = { lang_e_pat(A, &p.lp[0]), lang_e_pat(A, &p.lp[1]),
                              lang_e_not(A, lang_e_pat(A, &p.lp[2])) };
    char w[64];
    lang_query q = { .witness = w, .witness_cap = sizeof w };
    assert_int_equal(lang_search_expr(lang_e_nary(A, LE_AND, k, 3), &q, NULL), LANG_FOUND);
    assert_true(eval_match(&p.ap[0], w) && eval_match(&p.ap[1], w) && !eval_match(&p.ap[2], w));
    /* a* and not (a* or *b) is empty. */
    const lang_expr *u[2] = { lang_e_pat(A, &p.lp[0]), lang_e_pat(A, &p.lp[1]) };
    const lang_expr *k2[2] = { lang_e_pat(A, &p.lp[0]),
                               lang_e_not(A, lang_e_nary(A, LE_OR, u, 2)) };
    assert_int_equal(lang_search_expr(lang_e_nary(A, LE_AND, k2, 2), &q, NULL), LANG_EMPTY);
    ig_arena_free(&p.arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_table),
        cmocka_unit_test(test_match_random),
        cmocka_unit_test(test_search_examples),
        cmocka_unit_test(test_search_random),
        cmocka_unit_test(test_formula),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

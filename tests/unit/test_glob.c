/* test_glob.c - wildcard and ARN matching (src/policy/glob.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "policy/glob.h"

typedef struct {
    const char *pattern, *subject;
    unsigned flags;
    bool icase, expect;
} glob_case;

static bool glob_matches(const char *pattern, unsigned flags, const char *subject, bool icase)
{
    ig_arena a;
    ig_arena_init(&a);
    ig_glob g;
    const char *err;
    size_t off;
    assert_true(ig_glob_compile(&a, pattern, strlen(pattern), flags, &g, &err, &off));
    bool m = ig_glob_match(&g, NULL, subject, strlen(subject), icase);
    ig_arena_free(&a);
    return m;
}

static void test_glob_table(void **state)
{
    (void)state;
    const unsigned W = GLOB_WILDCARDS, WV = GLOB_WILDCARDS | GLOB_VARIABLES;
    static const glob_case cases[] = {
        { "*", "", GLOB_WILDCARDS, false, true },
        { "*", "anything at all", GLOB_WILDCARDS, false, true },
        { "abc", "abc", GLOB_WILDCARDS, false, true },
        { "abc", "abcd", GLOB_WILDCARDS, false, false },
        { "abc", "ABC", GLOB_WILDCARDS, false, false },
        { "abc", "ABC", GLOB_WILDCARDS, true, true },
        { "a*", "a", GLOB_WILDCARDS, false, true },
        { "a*", "b", GLOB_WILDCARDS, false, false },
        { "*c", "abc", GLOB_WILDCARDS, false, true },
        { "*c", "abd", GLOB_WILDCARDS, false, false },
        { "a*c", "ac", GLOB_WILDCARDS, false, true },
        { "a*c", "abbbc", GLOB_WILDCARDS, false, true },
        { "a*c", "abbbcd", GLOB_WILDCARDS, false, false },
        { "a?c", "abc", GLOB_WILDCARDS, false, true },
        { "a?c", "ac", GLOB_WILDCARDS, false, false },
        { "a?c", "abbc", GLOB_WILDCARDS, false, false },
        { "a?c", "a\xc3\xa9" "c", GLOB_WILDCARDS, false, true },   /* ? is one character, not one byte */
        { "*AccessKey*", "CreateAccessKeyNow", GLOB_WILDCARDS, false, true },
        { "*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", GLOB_WILDCARDS, false, false },
        { "*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaab", GLOB_WILDCARDS, false, true },
        { "a**b", "ab", GLOB_WILDCARDS, false, true },
        { "a*", "a*", 0, false, true },            /* without wildcards '*' is literal */
        { "a*", "ab", 0, false, false },
        { "${*}", "*", WV, false, true },          /* ${*} is a literal star */
        { "${*}", "x", WV, false, false },
        { "a${?}", "a?", WV, false, true },
        { "a${?}", "ab", WV, false, false },
        { "${$}x", "$x", WV, false, true },
        { "${aws:username}", "${aws:username}", W, false, true },  /* 2008: literal */
        { "amplify-*-authRole", "amplify-app-dev-1a2b3-authRole", W, false, true },
        { "amplify-*-authRole", "amplify-app-dev-1a2b3-authRole-idp", W, false, false },
        { "*LambdaRole*", "upClientLambdaRole1234abcd-dev", W, false, true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const glob_case *c = &cases[i];
        if (glob_matches(c->pattern, c->flags, c->subject, c->icase) != c->expect)
            fail_msg("pattern \"%s\" vs \"%s\": expected %s", c->pattern, c->subject,
                     c->expect ? "match" : "no match");
    }
}

static void test_glob_variables_are_literal(void **state)
{
    (void)state;
    ig_arena a;
    ig_arena_init(&a);
    ig_glob g;
    const char *err;
    size_t off;
    const char *pat = "home/${aws:username}/*";
    assert_true(ig_glob_compile(&a, pat, strlen(pat), GLOB_WILDCARDS | GLOB_VARIABLES, &g, &err, &off));
    assert_int_equal(g.nvars, 1);
    assert_string_equal(g.vars[0].key, "aws:username");
    ig_strref v = { "alice", 5 };
    assert_true(ig_glob_match(&g, &v, "home/alice/x", 12, false));
    assert_false(ig_glob_match(&g, &v, "home/bob/x", 10, false));
    ig_strref star = { "*", 1 };        /* a '*' arriving in a value is not a wildcard */
    assert_false(ig_glob_match(&g, &star, "home/bob/x", 10, false));
    assert_true(ig_glob_match(&g, &star, "home/*/x", 8, false));
    ig_arena_free(&a);
}

static void test_glob_variable_default(void **state)
{
    (void)state;
    ig_arena a;
    ig_arena_init(&a);
    ig_glob g;
    const char *err;
    size_t off;
    const char *pat = "${aws:PrincipalTag/team, 'company-wide'}";
    assert_true(ig_glob_compile(&a, pat, strlen(pat), GLOB_WILDCARDS | GLOB_VARIABLES, &g, &err, &off));
    assert_int_equal(g.nvars, 1);
    assert_string_equal(g.vars[0].key, "aws:principaltag/team");
    assert_string_equal(g.vars[0].key_orig, "aws:PrincipalTag/team");
    assert_string_equal(g.vars[0].dflt, "company-wide");
    ig_arena_free(&a);
}

static void test_glob_bad_variables(void **state)
{
    (void)state;
    static const char *const bad[] = { "${aws:username", "${}", "${a, default}", "${a, 'x}", "${a 'x'}" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ig_arena a;
        ig_arena_init(&a);
        ig_glob g;
        const char *err = NULL;
        size_t off;
        if (ig_glob_compile(&a, bad[i], strlen(bad[i]), GLOB_WILDCARDS | GLOB_VARIABLES, &g, &err, &off))
            fail_msg("\"%s\" should not compile", bad[i]);
        assert_non_null(err);
        ig_arena_free(&a);
    }
}

static bool arn_matches(const char *pattern, const char *arn)
{
    ig_arena a;
    ig_arena_init(&a);
    ig_arnpat p;
    const char *err;
    size_t off;
    assert_true(ig_arnpat_compile(&a, pattern, strlen(pattern), GLOB_VARIABLES, &p, &err, &off));
    ig_arn_split sp;
    ig_arn_split_str(arn, strlen(arn), &sp);
    bool m = ig_arnpat_match(&p, NULL, arn, strlen(arn), &sp);
    ig_arena_free(&a);
    return m;
}

static void test_arn_patterns(void **state)
{
    (void)state;
    static const struct { const char *pattern, *arn; bool expect; } cases[] = {
        { "*", "arn:aws:s3:::b", true },
        { "arn:aws:s3:::b/*/test/*", "arn:aws:s3:::b/1/2/test/x", true },     /* * crosses / */
        { "arn:aws:svc:*:111122223333:finance/*",
          "arn:aws:svc:us-east-2:999999999999:store/abc:111122223333:finance/x", false },
        { "arn:aws:logs:*:*:*", "arn:aws:logs:us-east-1:123456789012:log-group:/aws/x:*", true },
        { "arn:aws:iam::*:role/amplify-*", "arn:aws:iam::123456789012:role/amplify-x", true },
        { "arn:aws:iam::*:role/amplify-*", "arn:aws:iam::123456789012:role/Amplify-x", false },
        { "arn:aws:iam::*:role/amplify-*", "arn:aws:iam::123456789012:user/amplify-x", false },
        { "arn:aws:iam::*:role/amplify-*", "arn:aws:sts::123456789012:role/amplify-x", false },
        { "arn:*:s3:::amplify-*-deployment", "arn:aws-cn:s3:::amplify-a-deployment", true },
        { "arn:aws:s3:*", "arn:aws:s3:::bucket/key:with:colons", true },        /* short pattern [V] */
        { "arn:aws:iam::*", "arn:aws:iam::123456789012:role/x", true },
        { "arn:aws:iam::*", "arn:aws:s3:::x", false },
        { "arn:aws:iam::123456789012:*", "arn:aws:iam::123456789012:policy/p", true },
        { "arn:aws:*:us-east-1:*:*", "arn:aws:ec2:us-east-1:1:instance/i", true },
        { "arn:aws:ec2:us-east-1:*:*", "arn:aws:ec2:us-east-2:1:instance/i", false },
        { "arn:aws:ec2:us-east-?:*:*", "arn:aws:ec2:us-east-2:1:instance/i", true },
        { "arn:aws:s3:::b", "*", false },
        { "notanarn*", "notanarnatall", true },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (arn_matches(cases[i].pattern, cases[i].arn) != cases[i].expect)
            fail_msg("ARN pattern \"%s\" vs \"%s\": expected %s", cases[i].pattern, cases[i].arn,
                     cases[i].expect ? "match" : "no match");
}

static void test_arn_split(void **state)
{
    (void)state;
    ig_arn_split sp;
    const char *arn = "arn:aws:logs:us-east-1:123:log-group:/x:*";
    ig_arn_split_str(arn, strlen(arn), &sp);
    assert_int_equal(sp.nseg, 6);
    assert_int_equal(sp.len[3], 9);
    assert_memory_equal(sp.seg[5], "log-group:/x:*", 14);
    ig_arn_split_str("arn:aws:s3", 10, &sp);
    assert_int_equal(sp.nseg, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_glob_table),
        cmocka_unit_test(test_glob_variables_are_literal),
        cmocka_unit_test(test_glob_variable_default),
        cmocka_unit_test(test_glob_bad_variables),
        cmocka_unit_test(test_arn_patterns),
        cmocka_unit_test(test_arn_split),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

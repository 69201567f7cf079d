/* test_prepared.c - ig_request_prepare / ig_evaluate_prepared: the same
 * decisions as ig_evaluate on the corners a prepared request handles
 * differently (its copies, its key table, its parsed IP values, its
 * resource account), and the same refusals of bad requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "iamguard.h"

static const char *POLICY =
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Sid\":\"FromOffice\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\","
    " \"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}},"
    "{\"Sid\":\"Tagged\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\","
    " \"Condition\":{\"ForAnyValue:StringEquals\":{\"aws:TagKeys\":[\"team\"]}}},"
    "{\"Sid\":\"OwnFolder\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
    " \"Resource\":\"arn:aws:s3:::b/${aws:PrincipalTag/dept}/*\"},"
    "{\"Sid\":\"NoKms\",\"Effect\":\"Allow\",\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";

static ig_env *env_for(ig_policy **p)
{
    ig_diag d;
    *p = ig_policy_compile(POLICY, strlen(POLICY), IG_POLICY_IDENTITY, "p", NULL, &d);
    assert_non_null(*p);
    ig_env *env = ig_env_new();
    assert_non_null(env);
    assert_int_equal(ig_env_set_principal_arn(env, "arn:aws:iam::111122223333:user/u", NULL, &d), IG_OK);
    assert_int_equal(ig_env_add_identity(env, *p), IG_OK);
    return env;
}

/* Decide rq both ways (and the prepared one with and without explanations);
 * all must agree; returns the decision. */
static ig_decision both(const ig_env *env, const ig_request *rq)
{
    ig_result a, b, c;
    ig_diag d;
    int ra = ig_evaluate(env, rq, IG_EVAL_EXPLAIN, &a);
    ig_prepared *pr = NULL;
    int rp = ig_request_prepare(rq, &pr, &d);
    assert_int_equal(ra, rp);
    if (rp != IG_OK) {
        assert_null(pr);
        assert_true(a.error);
        return a.decision;
    }
    assert_int_equal(ig_evaluate_prepared(env, pr, IG_EVAL_EXPLAIN, &b), IG_OK);
    assert_int_equal(ig_evaluate_prepared(env, pr, 0, &c), IG_OK);
    assert_int_equal(a.decision, b.decision);
    assert_int_equal(a.blocked_by, b.blocked_by);
    assert_int_equal(a.nmatched, b.nmatched);
    assert_int_equal(a.nmissing, b.nmissing);
    assert_int_equal(a.decision, c.decision);
    ig_prepared_free(pr);
    return a.decision;
}

static void test_ip_values(void **state)
{
    (void)state;
    ig_policy *p;
    ig_env *env = env_for(&p);
    const char *inside[] = { "10.1.2.3" }, *outside[] = { "192.168.0.1" },
               *junk[] = { "not-an-ip" }, *block[] = { "10.0.0.0/8" }, *v6[] = { "::1" };
    struct { const char *const *v; ig_decision want; } cases[] = {
        { inside, IG_ALLOWED }, { outside, IG_IMPLICIT_DENY }, { junk, IG_IMPLICIT_DENY },
        { block, IG_IMPLICIT_DENY },    /* a block is not an address */
        { v6, IG_IMPLICIT_DENY },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ig_context_entry ctx[] = { { "aws:SourceIp", cases[i].v, 1 } };
        ig_request rq = { .action = "s3:GetObject", .resource = "arn:aws:s3:::b/k",
                          .context = ctx, .ncontext = 1 };
        assert_int_equal(both(env, &rq), cases[i].want);
    }
    /* several values, one of them an address: a plain operator refuses
     * multi-valued input either way */
    const char *mixed[] = { "junk", "10.1.2.3" };
    ig_context_entry ctx[] = { { "aws:SourceIp", mixed, 2 } };
    ig_request rq = { .action = "s3:GetObject", .resource = "arn:aws:s3:::b/k",
                      .context = ctx, .ncontext = 1 };
    assert_int_equal(both(env, &rq), IG_IMPLICIT_DENY);
    ig_env_free(env);
    ig_policy_free(p);
}

static void test_keys_case_and_duplicates(void **state)
{
    (void)state;
    ig_policy *p;
    ig_env *env = env_for(&p);
    /* keys compare case-insensitively; of two spellings the first wins */
    const char *a[] = { "10.1.2.3" }, *b[] = { "192.168.0.1" };
    ig_context_entry first_inside[] = { { "AWS:SOURCEIP", a, 1 }, { "aws:sourceip", b, 1 } };
    ig_context_entry first_outside[] = { { "aws:SourceIP", b, 1 }, { "aws:SourceIp", a, 1 } };
    ig_request rq = { .action = "s3:GetObject", .resource = "arn:aws:s3:::b/k",
                      .context = first_inside, .ncontext = 2 };
    assert_int_equal(both(env, &rq), IG_ALLOWED);
    rq.context = first_outside;
    assert_int_equal(both(env, &rq), IG_IMPLICIT_DENY);
    /* many keys: the key table grows past its first 8 slots */
    static char names[40][32];
    static const char *vals[1] = { "x" };
    ig_context_entry many[41];
    for (int i = 0; i < 40; i++) {
        snprintf(names[i], sizeof names[i], "aws:PrincipalTag/k%d", i);
        many[i] = (ig_context_entry){ names[i], vals, 1 };
    }
    const char *team[] = { "other", "team" };
    many[40] = (ig_context_entry){ "aws:TagKeys", team, 2 };
    ig_request put = { .action = "s3:PutObject", .resource = "arn:aws:s3:::b/k",
                       .context = many, .ncontext = 41 };
    assert_int_equal(both(env, &put), IG_ALLOWED);
    /* an empty multi-valued key: ForAnyValue has nothing to match */
    many[40].nvalues = 0;
    assert_int_equal(both(env, &put), IG_IMPLICIT_DENY);
    ig_env_free(env);
    ig_policy_free(p);
}

static void test_variables_and_accounts(void **state)
{
    (void)state;
    ig_policy *p;
    ig_env *env = env_for(&p);
    const char *dept[] = { "radiology" };
    ig_context_entry ctx[] = { { "aws:PrincipalTag/dept", dept, 1 } };
    ig_request rq = { .action = "s3:ListBucket", .resource = "arn:aws:s3:::b/radiology/x",
                      .context = ctx, .ncontext = 1 };
    assert_int_equal(both(env, &rq), IG_ALLOWED);
    rq.ncontext = 0;    /* unresolved variable: the Resource entry matches nothing */
    assert_int_equal(both(env, &rq), IG_IMPLICIT_DENY);
    /* kms needs the key policy in the same account; another account's key
     * needs it too; an over-long account field is nobody's */
    ig_request kms = { .action = "kms:Decrypt",
                       .resource = "arn:aws:kms:us-east-1:111122223333:key/k" };
    assert_int_equal(both(env, &kms), IG_IMPLICIT_DENY);
    kms.resource_account = "111122223333";
    assert_int_equal(both(env, &kms), IG_IMPLICIT_DENY);
    ig_request s3 = { .action = "s3:GetObject", .resource =
        "arn:aws:s3:us-east-1:1111222233334444555566667777888899990000111122223333444455556666:b" };
    const char *ip[] = { "10.1.2.3" };
    ig_context_entry ipctx[] = { { "aws:SourceIp", ip, 1 } };
    s3.context = ipctx;
    s3.ncontext = 1;
    assert_int_equal(both(env, &s3), IG_IMPLICIT_DENY);   /* cross-account, no resource policy */
    s3.resource_account = "111122223333";                  /* said to be the caller's */
    assert_int_equal(both(env, &s3), IG_ALLOWED);
    s3.resource_account = "";                             /* empty: as if not given */
    assert_int_equal(both(env, &s3), IG_IMPLICIT_DENY);
    ig_env_free(env);
    ig_policy_free(p);
}

static void test_bad_requests_refused_alike(void **state)
{
    (void)state;
    ig_policy *p;
    ig_env *env = env_for(&p);
    char long_action[300];
    memset(long_action, 'a', sizeof long_action - 1);
    long_action[sizeof long_action - 1] = '\0';
    ig_request no_action = { .action = NULL, .resource = "*" };
    ig_request too_long = { .action = long_action, .resource = "*" };
    ig_context_entry null_key[] = { { NULL, NULL, 0 } };
    ig_request bad_key = { .action = "s3:GetObject", .resource = "*", .context = null_key,
                           .ncontext = 1 };
    const char *nullv[] = { NULL };
    ig_context_entry null_value[] = { { "aws:SourceIp", nullv, 1 } };
    ig_request bad_value = { .action = "s3:GetObject", .resource = "*", .context = null_value,
                             .ncontext = 1 };
    assert_int_equal(both(env, &no_action), IG_IMPLICIT_DENY);
    assert_int_equal(both(env, &too_long), IG_IMPLICIT_DENY);
    assert_int_equal(both(env, &bad_key), IG_IMPLICIT_DENY);
    assert_int_equal(both(env, &bad_value), IG_IMPLICIT_DENY);
    /* a NULL after the first value is kept and fails that value closed */
    const char *later_null[] = { "other", NULL };
    ig_context_entry tags[] = { { "aws:TagKeys", later_null, 2 } };
    ig_request put = { .action = "s3:PutObject", .resource = "*", .context = tags, .ncontext = 1 };
    assert_int_equal(both(env, &put), IG_IMPLICIT_DENY);
    ig_result r;
    assert_int_equal(ig_evaluate_prepared(env, NULL, 0, &r), IG_E_INPUT);
    assert_true(r.error);
    assert_int_equal(r.decision, IG_IMPLICIT_DENY);
    ig_prepared_free(NULL);
    ig_env_free(env);
    ig_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ip_values),
        cmocka_unit_test(test_keys_case_and_duplicates),
        cmocka_unit_test(test_variables_and_accounts),
        cmocka_unit_test(test_bad_requests_refused_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

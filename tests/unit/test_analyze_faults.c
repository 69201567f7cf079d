/* test_analyze_faults.c - fault injection over the analysis: every single
 * allocation of loading an account export, effective permissions, an
 * access check, a public-access check and escalation fails in turn.  Each
 * failure must come back as an error or a non-"proved" verdict (never a
 * crash, never a proof the full run did not give) and leave no block
 * allocated. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iamguard.h"

#include "fault_alloc.h"

static const char EXPORT[] =
    "{\"UserDetailList\":[{\"UserName\":\"u\",\"Arn\":\"arn:aws:iam::111122223333:user/u\",\"GroupList\":[],"
    "  \"UserPolicyList\":[{\"PolicyName\":\"p\",\"PolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":["
    "   {\"Effect\":\"Allow\",\"Action\":[\"iam:PassRole\",\"iam:CreateRole\",\"iam:PutRolePolicy\"],"
    "    \"Resource\":\"arn:aws:iam::111122223333:role/app-*\",\"Condition\":{\"StringEqualsIfExists\":"
    "    {\"iam:PassedToService\":\"lambda.amazonaws.com\"}}},"
    "   {\"Effect\":\"Allow\",\"Action\":[\"lambda:CreateFunction\",\"lambda:InvokeFunction\",\"s3:Get*\"],\"Resource\":\"*\"},"
    "   {\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::secret/*\"}]}}]}],"
    " \"RoleDetailList\":[{\"RoleName\":\"app-worker\",\"Arn\":\"arn:aws:iam::111122223333:role/app-worker\","
    "  \"AssumeRolePolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
    "  {\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]},"
    "  \"RolePolicyList\":[{\"PolicyName\":\"w\",\"PolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":"
    "   [{\"Effect\":\"Allow\",\"Action\":\"dynamodb:*\",\"Resource\":\"*\"}]}}]}]}";

static const char PUBLIC[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":"
    "\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":{\"StringNotEquals\":{\"aws:SourceVpce\":\"vpce-1\"}}}]}";

static char catalog_path[4096];

/* One full run with an analyzer of its own (its caches live until it is
 * freed); returns how many results were complete. */
static int run(const ig_catalog *cat, ig_verdict *v1, ig_verdict *v2)
{
    int complete = 0;
    *v1 = *v2 = IG_VERDICT_UNKNOWN;
    ig_diag d;
    ig_analyzer *az = ig_analyzer_new(cat, &d);
    if (!az)
        return 0;
    ig_account *a = ig_account_new();
    if (!a) {
        ig_analyzer_free(az);
        return 0;
    }
    if (ig_account_load_authz(a, EXPORT, strlen(EXPORT), "x.json", &d) == IG_OK) {
        complete++;
        ig_env *e = ig_account_env(a, 0, &d);
        if (e) {
            char *out = NULL;
            if (ig_analyze_effective(az, e, NULL, 0, IG_ANALYZE_JSON, &out, &d) == IG_OK)
                complete++;
            ig_free(out);
            const char *acts[] = { "s3:GetObject" }, *res[] = { "arn:aws:s3:::public/*" };
            ig_counterexample cx;
            *v1 = ig_analyze_not_granted(az, e, acts, 1, res, 1, &cx, &d);
            ig_env_free(e);
        }
        char *out = NULL;
        if (ig_analyze_escalation(az, a, "u", IG_ANALYZE_JSON, &out, &d) == IG_OK)
            complete++;
        ig_free(out);
    }
    ig_account_free(a);
    ig_policy *p = ig_policy_compile(PUBLIC, strlen(PUBLIC), IG_POLICY_RESOURCE, "pub", NULL, &d);
    if (p) {
        ig_counterexample cx;
        *v2 = ig_analyze_no_public_access(az, p, "111122223333", NULL, &cx, &d);
        ig_policy_free(p);
    }
    ig_analyzer_free(az);
    return complete;
}

static void test_every_allocation_fails(void **state)
{
    (void)state;
    ig_diag d;
    ig_set_allocator(&FAULTY);
    ig_catalog *cat = ig_catalog_open(catalog_path, &d);
    assert_non_null(cat);
    ig_verdict base1, base2;
    fs.fail_at = 0;
    assert_int_equal(run(cat, &base1, &base2), 3);
    assert_int_equal(base1, IG_VERDICT_REFUTED);
    assert_int_equal(base2, IG_VERDICT_REFUTED);
    long baseline = fs.live;
    long n;
    for (n = 1;; n++) {
        fs.count = 0;
        fs.fail_at = n;
        fs.failed = false;
        ig_verdict v1, v2;
        int complete = run(cat, &v1, &v2);
        if (!fs.failed) {
            assert_int_equal(complete, 3);
            break;
        }
        /* A failure never turns into a proof: both questions are refuted. */
        if (v1 == IG_VERDICT_PROVED || v2 == IG_VERDICT_PROVED)
            fail_msg("allocation %ld failing gives a proof", n);
        if (fs.live != baseline)
            fail_msg("allocation %ld failing leaves %ld blocks allocated", n, fs.live - baseline);
    }
    fs.fail_at = 0;
    ig_catalog_close(cat);
    ig_set_allocator(NULL);
    printf("analysis fault injection: %ld allocations, each failed in turn\n", n - 1);
}

int main(int argc, char **argv)
{
    (void)argc;
    char self[4096];
    snprintf(self, sizeof self, "%s", argv[0]);
    const char *env = getenv("IAMGUARD_CATALOG");
    if (env && env[0])
        snprintf(catalog_path, sizeof catalog_path, "%s", env);
    else
        snprintf(catalog_path, sizeof catalog_path, "%s/../catalog.bin", dirname(self));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

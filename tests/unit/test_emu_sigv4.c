/* test_emu_sigv4.c - the emulator's SigV4 verification pieces against the
 * published answers of AWS's Signature Version 4 test suite
 * (post-x-www-form-urlencoded) and the IAM example of AWS's documentation,
 * plus the checks that must refuse. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <strings.h>

#include "emu/sigv4.h"

static const char SECRET[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

typedef struct {
    const char *name, *value;
} hdr;

static const hdr HEADERS[] = {
    { "content-type", "application/x-www-form-urlencoded" },
    { "host", "example.amazonaws.com" },
    { "x-amz-date", "20150830T123600Z" },
};

static const char *lookup(void *conn, const char *name)
{
    const hdr *h = conn;
    for (size_t i = 0; i < 3; i++)
        if (!strcasecmp(h[i].name, name)) return h[i].value;
    return NULL;
}

static void test_test_suite_post_form(void **state)
{
    (void)state;
    const char *auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                       "SignedHeaders=content-type;host;x-amz-date, "
                       "Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a";
    sigv4_auth a;
    assert_true(sigv4_parse(auth, &a));
    assert_string_equal(a.key_id, "AKIDEXAMPLE");
    assert_string_equal(a.date8, "20150830");
    assert_string_equal(a.service, "service");
    assert_true(sigv4_signs(&a, "host"));
    assert_false(sigv4_signs(&a, "hos"));
    json_buf sts;
    json_buf_init(&sts);
    assert_true(sigv4_string_to_sign(&a, "POST", "20150830T123600Z", lookup, (void *)HEADERS,
                                     "Param1=value1", 13, &sts));
    char sig[65];
    assert_true(emu_sigv4_sign(SECRET, a.date8, a.region, a.service, sts.data, sig));
    assert_string_equal(sig, "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
    assert_true(emu_sigv4_equal(sig, a.signature));
    /* one byte of the body changed: another signature */
    sts.len = 0;
    assert_true(sigv4_string_to_sign(&a, "POST", "20150830T123600Z", lookup, (void *)HEADERS,
                                     "Param1=value2", 13, &sts));
    assert_true(emu_sigv4_sign(SECRET, a.date8, a.region, a.service, sts.data, sig));
    assert_false(emu_sigv4_equal(sig, a.signature));
    json_buf_free(&sts);
}

/* The ListUsers example of AWS's documentation ("Create a signature"). */
static void test_iam_documentation_example(void **state)
{
    (void)state;
    char sig[65];
    assert_true(emu_sigv4_sign(SECRET, "20150830", "us-east-1", "iam",
                               "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\n"
                               "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59", sig));
    assert_string_equal(sig, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

static void test_comparison_refuses(void **state)
{
    (void)state;
    const char *s = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";
    assert_true(emu_sigv4_equal(s, s));
    assert_false(emu_sigv4_equal(s, "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d8"));
    assert_false(emu_sigv4_equal(s, "5d672d79"));
    assert_false(emu_sigv4_equal("", ""));
    sigv4_auth a;
    assert_false(sigv4_parse("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam, SignedHeaders=host, Signature=x", &a));
    assert_false(sigv4_parse("AWS4-HMAC-SHA256 SignedHeaders=host, Signature=x", &a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_test_suite_post_form),
        cmocka_unit_test(test_iam_documentation_example),
        cmocka_unit_test(test_comparison_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

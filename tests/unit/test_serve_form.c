/* test_serve_form.c - the Query API's form decoder, XML writer and SigV4
 * header check: the three pieces that read or write raw bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu/sigv4.h"
#include "serve/form.h"
#include "serve/sigv4.h"
#include "serve/xml.h"

static void parse_ok(form *f, const char *body)
{
    char err[200] = "";
    int rc = form_parse(f, body, strlen(body), err, sizeof err);
    if (rc) print_error("unexpected form error: %s\n", err);
    assert_int_equal(rc, 0);
}

static void parse_fails(const char *body, size_t len, const char *msg_part)
{
    form f;
    char err[200] = "";
    assert_int_equal(form_parse(&f, body, len, err, sizeof err), -1);
    if (!strstr(err, msg_part)) print_error("message \"%s\" lacks \"%s\"\n", err, msg_part);
    assert_non_null(strstr(err, msg_part));
    assert_int_equal(f.n, 0);
    form_free(&f);
}

static void test_decoding(void **state)
{
    (void)state;
    form f;
    parse_ok(&f, "b=x+y%2Bz&a=%7B%22k%22%3A1%7D&&c=&d&e=%c3%a9");
    assert_int_equal(f.n, 5);
    assert_string_equal(form_get(&f, "a"), "{\"k\":1}");
    assert_string_equal(form_get(&f, "b"), "x y+z");
    assert_string_equal(form_get(&f, "c"), "");
    assert_string_equal(form_get(&f, "d"), "");
    assert_string_equal(form_get(&f, "e"), "\xc3\xa9");
    assert_null(form_get(&f, "zz"));
    assert_null(form_first_unused(&f));
    form_free(&f);
}

static void test_names_are_decoded_and_sorted(void **state)
{
    (void)state;
    form f;
    parse_ok(&f, "L.member.2=two&L%2Emember%2E1=one&M=x&L.member.10=ten");
    size_t first, n = form_prefix_range(&f, "L.member.", &first);
    assert_int_equal(n, 3);
    assert_string_equal(f.pairs[first].name, "L.member.1");
    const form_pair *u = form_first_unused(&f);
    assert_non_null(u);
    assert_string_equal(u->name, "L.member.1");
    form_free(&f);
}

static void test_member_index(void **state)
{
    (void)state;
    const char *rest = NULL;
    assert_int_equal(form_member_index("1", 10, &rest), 1);
    assert_string_equal(rest, "");
    assert_int_equal(form_member_index("10.ContextKeyName", 10, &rest), 10);
    assert_string_equal(rest, ".ContextKeyName");
    assert_int_equal(form_member_index("11", 10, &rest), 0);
    assert_int_equal(form_member_index("0", 10, &rest), 0);
    assert_int_equal(form_member_index("01", 10, &rest), 0);
    assert_int_equal(form_member_index("", 10, &rest), 0);
    assert_int_equal(form_member_index("3x", 10, &rest), 0);
    assert_int_equal(form_member_index("99999999999999999999999", 1000, &rest), 0);
}

static void test_malformed(void **state)
{
    (void)state;
    parse_fails("a=%", 3, "invalid percent escape in the value of a at byte 2");
    parse_fails("a=%4", 4, "invalid percent escape");
    parse_fails("a=%zz", 5, "invalid percent escape");
    parse_fails("%=1", 3, "invalid percent escape in a parameter name at byte 0");
    parse_fails("a=%00", 5, "NUL byte");
    parse_fails("a=%C3%28", 8, "not valid UTF-8");
    parse_fails("a=%ED%A0%80", 11, "not valid UTF-8");       /* surrogate */
    parse_fails("a=%C0%AF", 8, "not valid UTF-8");           /* overlong */
    parse_fails("a=1&a=2", 7, "appears more than once");
    parse_fails("=1", 2, "without a name");
    parse_fails("a=\0", 3, "NUL byte");
}

static void test_too_many_pairs(void **state)
{
    (void)state;
    size_t n = FORM_MAX_PAIRS + 1;
    char *body = malloc(n * 2);
    for (size_t i = 0; i < n; i++) { body[2 * i] = 'a'; body[2 * i + 1] = '&'; }
    parse_fails(body, n * 2 - 1, "more than");
    free(body);
}

static void test_xml_escaping(void **state)
{
    (void)state;
    json_buf b;
    json_buf_init(&b);
    xml_writer w;
    xw_init(&w, &b);
    xw_open_ns(&w, "R", "urn:x&y");
    xw_text(&w, "T", "a<b>&\"c'\r\n\t\x01\x7f\xc3\xa9");
    xw_bool(&w, "B", true);
    xw_uint(&w, "N", 42);
    xw_close(&w);
    assert_false(b.failed);
    assert_string_equal(b.data, "<R xmlns=\"urn:x&amp;y\"><T>a&lt;b&gt;&amp;&quot;c&apos;&#13;\n\t&#xFFFD;&#xFFFD;\xc3\xa9</T>"
                                "<B>true</B><N>42</N></R>");
    xw_close(&w);               /* closing more than was opened */
    assert_true(b.failed);
    json_buf_free(&b);
}

static void test_xml_depth_bound(void **state)
{
    (void)state;
    json_buf b;
    json_buf_init(&b);
    xml_writer w;
    xw_init(&w, &b);
    for (int i = 0; i < XML_MAX_DEPTH + 1; i++) xw_open(&w, "x");
    assert_true(b.failed);
    json_buf_free(&b);
}

#define GOOD "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/iam/aws4_request, " \
             "SignedHeaders=content-type;host;x-amz-date, " \
             "Signature=1c5713142fd2e9ad518b8db6a3ee5cefa65b85a8b2242f4bb492ba0187120fca"

#define SIG64 "0000000000000000000000000000000000000000000000000000000000000000"
#define X8 "xxxxxxxx"
#define X32 X8 X8 X8 X8
#define X31 X8 X8 X8 "xxxxxxx"
#define X63 X32 X8 X8 X8 "xxxxxxx"
#define X64 X32 X32
#define K128 "AKIA" X32 X32 X32 X8 X8 X8 "xxxx"
#define K129 K128 "Z"
#define H1023 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 \
              X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X32 X8 X8 X8 "xxxxxxx"
#define H1024 H1023 "x"

static void test_sigv4(void **state)
{
    (void)state;
    char why[200];
    assert_true(sigv4_well_formed(GOOD, why, sizeof why));
    assert_true(sigv4_well_formed("AWS4-HMAC-SHA256 Credential=A/20260101/r/iam/aws4_request,SignedHeaders=host,"
                                  "Signature=0000000000000000000000000000000000000000000000000000000000000000", why, sizeof why));
    static const char *const bad[] = {
        NULL, "", "Basic dXNlcjpwYXNz",
        "AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=" "1c5713142fd2e9ad518b8db6a3ee5cefa65b85a8b2242f4bb492ba0187120fca",
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=xyz",
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, Signature=" "1c5713142fd2e9ad518b8db6a3ee5cefa65b85a8b2242f4bb492ba0187120fca",
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=Host;;x, Signature=" "1c5713142fd2e9ad518b8db6a3ee5cefa65b85a8b2242f4bb492ba0187120fca",
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request/x, SignedHeaders=host, Signature=" "1c5713142fd2e9ad518b8db6a3ee5cefa65b85a8b2242f4bb492ba0187120fca",
        GOOD ", Extra=1",
        /* the scope fields are bounded and restricted like the emulator's
         * sigv4_parse (fuzz_sigv4 crash-ec5ec707...) */
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/WS4-HMAC-SHA256 SignedHeaders=contedddddddd------"
        "dddddddddddddddddddddus-east-1/iam/aws4_request, SignedHeaders=contete, Signature="
        "5d672d79c15b13162d92dddddddddddddddddddb4c82c400e06b5924a6f2b5d7",
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us east-1/iam/aws4_request, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us=east-1/iam/aws4_request, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/US-EAST-1/iam/aws4_request, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/" X64 "/iam/aws4_request, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/" X32 "/aws4_request, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/i/am/aws4_request, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=" K129 "/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AK-ID/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential= AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKID/2026010a/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_requesT, SignedHeaders=host, Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, SignedHeaders=" H1024 ", Signature=" SIG64,
        GOOD ", Signature=1c5713142fd2e9ad518b8db6a3ee5cefa65b85a8b2242f4bb492ba0187120fca",
    };
    /* the largest scope serve accepts, the emulator's parser holds */
    static const char *const edge[] = {
        "AWS4-HMAC-SHA256 Credential=" K128 "/20260101/" X63 "/" X31 "/aws4_request, SignedHeaders=" H1023
        ", Signature=" SIG64,
        "AWS4-HMAC-SHA256 Credential=AKIA_b9/20260101/eu-west-3/execute-api/aws4_request, SignedHeaders=host"
        ", Signature=" SIG64,
    };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
        sigv4_auth a;
        assert_true(sigv4_well_formed(edge[i], why, sizeof why));
        assert_true(sigv4_parse(edge[i], &a));
    }
    assert_int_equal(strlen(K128), 128);
    assert_int_equal(strlen(H1023), 1023);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why[0] = '\0';
        if (sigv4_well_formed(bad[i], why, sizeof why)) print_error("accepted: %s\n", bad[i]);
        assert_false(sigv4_well_formed(bad[i], why, sizeof why));
        assert_true(why[0] != '\0');
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decoding),
        cmocka_unit_test(test_names_are_decoded_and_sorted),
        cmocka_unit_test(test_member_index),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_too_many_pairs),
        cmocka_unit_test(test_xml_escaping),
        cmocka_unit_test(test_xml_depth_bound),
        cmocka_unit_test(test_sigv4),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

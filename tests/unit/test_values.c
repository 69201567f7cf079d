/* test_values.c - unit tests for the typed condition value parsers.
 *
 * Every input is copied into a heap buffer of exactly its length (no NUL)
 * so AddressSanitizer catches any parser that reads past `len`.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "policy/values.h"

#include <stdlib.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define NS 1000000000LL

/* ------------------------------------------------------------------ */
/* Exact-length input helpers                                          */
/* ------------------------------------------------------------------ */

static char *exact_copy(const char *s, size_t len)
{
    char *p = malloc(len ? len : 1);
    assert_non_null(p);
    if (len)
        memcpy(p, s, len);
    return p;
}

static bool dec(const char *s, ig_decimal *out)
{
    size_t len = strlen(s);
    char *p = exact_copy(s, len);
    bool ok = ig_decimal_parse(p, len, out);
    free(p);
    return ok;
}

static bool date(const char *s, int64_t *out)
{
    size_t len = strlen(s);
    char *p = exact_copy(s, len);
    bool ok = ig_date_parse(p, len, out);
    free(p);
    return ok;
}

static bool cidr(const char *s, ig_cidr *out)
{
    size_t len = strlen(s);
    char *p = exact_copy(s, len);
    bool ok = ig_cidr_parse(p, len, out);
    free(p);
    return ok;
}

static bool b64(const char *s, uint8_t *out, size_t cap, size_t *out_len)
{
    size_t len = strlen(s);
    char *p = exact_copy(s, len);
    bool ok = ig_base64_decode(p, len, out, cap, out_len);
    free(p);
    return ok;
}

static bool boolean(const char *s, bool *out)
{
    size_t len = strlen(s);
    char *p = exact_copy(s, len);
    bool ok = ig_bool_parse(p, len, out);
    free(p);
    return ok;
}

/* Parses both and compares; fails the test if either is rejected. */
static int dec_cmp_str(const char *a, const char *b)
{
    ig_decimal da, db;
    if (!dec(a, &da))
        fail_msg("decimal rejected: %s", a);
    if (!dec(b, &db))
        fail_msg("decimal rejected: %s", b);
    return ig_decimal_cmp(&da, &db);
}

static int64_t date_ok(const char *s)
{
    int64_t ns = 0;
    if (!date(s, &ns))
        fail_msg("date rejected: %s", s);
    return ns;
}

static ig_cidr cidr_ok(const char *s)
{
    ig_cidr c;
    if (!cidr(s, &c))
        fail_msg("cidr rejected: %s", s);
    return c;
}

static bool contains(const char *block, const char *ip)
{
    ig_cidr b = cidr_ok(block), i = cidr_ok(ip);
    return ig_cidr_contains(&b, &i);
}

/* ------------------------------------------------------------------ */
/* Decimal                                                             */
/* ------------------------------------------------------------------ */

static void test_decimal_accepts_valid_forms(void **state)
{
    static const char *ok[] = {
        "0", "1", "-1", "+1", "123", "1.5", "-1.5", "0.001", ".5", "5.",
        "-.5", "1e3", "1E3", "1e+3", "1e-3", "1.5e10", "-0", "+0", "0.0",
        "000", "007", "1e0", "1e00000", "3.14159265358979323846",
        "12345678901234567890", "0e100000", "0.1e100000", "1e-99999",
    };
    for (size_t i = 0; i < COUNT(ok); i++) {
        ig_decimal d;
        if (!dec(ok[i], &d))
            fail_msg("should accept: %s", ok[i]);
    }
}

static void test_decimal_rejects_malformed(void **state)
{
    static const char *bad[] = {
        "", "+", "-", ".", "+.", "-.", "e1", ".e1", "1e", "1e+", "1e-",
        "0x10", "0X1A", "inf", "-inf", "Infinity", "nan", "NaN", " 1", "1 ",
        "1\t", "1..2", "1.2.3", "--1", "+-1", "1e1.5", "1e1e1", "1,000",
        "1_000", "1f", "1d", "e", "E5", "1.e", "\xef\xbc\x91", "1\n",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        ig_decimal d;
        if (dec(bad[i], &d))
            fail_msg("should reject: \"%s\"", bad[i]);
    }
}

static void test_decimal_equal_spellings_of_one(void **state)
{
    static const char *ones[] = {
        "1", "1.0", "10e-1", "0.1E1", "+1", "001.000", "1.", "100e-2",
        "0.001e3", "1e0", "1E+0", "0.0000000001e10", ".1e1",
    };
    for (size_t i = 0; i < COUNT(ones); i++) {
        for (size_t j = 0; j < COUNT(ones); j++)
            assert_int_equal(dec_cmp_str(ones[i], ones[j]), 0);
    }
}

static void test_decimal_negative_zero_is_zero(void **state)
{
    static const char *zeros[] = {
        "0", "-0", "+0", "0.0", "-0.000", "0e5", "-0e-5", "000.000e99", ".0",
    };
    for (size_t i = 0; i < COUNT(zeros); i++) {
        ig_decimal d;
        assert_true(dec(zeros[i], &d));
        assert_false(d.neg);
        assert_int_equal(d.ndigits, 0);
        assert_int_equal(d.exp, 0);
        assert_int_equal(dec_cmp_str(zeros[i], "0"), 0);
    }
}

static void test_decimal_normalised_fields(void **state)
{
    static const struct {
        const char *s;
        bool neg;
        int ndigits;
        int exp;
        const char *digits;
    } cases[] = {
        {"1", false, 1, 1, "1"},
        {"10", false, 1, 2, "1"},
        {"0.05", false, 1, -1, "5"},
        {"-123.4500", true, 5, 3, "12345"},
        {"1001", false, 4, 4, "1001"},
        {"0.1e1", false, 1, 1, "1"},
        {"00120e-3", false, 2, 0, "12"},
        {"-7e2", true, 1, 3, "7"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        ig_decimal d;
        assert_true(dec(cases[i].s, &d));
        assert_int_equal(d.neg, cases[i].neg);
        assert_int_equal(d.ndigits, cases[i].ndigits);
        assert_int_equal(d.exp, cases[i].exp);
        for (int k = 0; k < cases[i].ndigits; k++)
            assert_int_equal(d.digits[k], cases[i].digits[k] - '0');
    }
}

static void test_decimal_ordering_table(void **state)
{
    static const struct {
        const char *a, *b;
        int want;
    } cases[] = {
        {"1", "2", -1},           {"2", "1", 1},
        {"-1", "1", -1},          {"-2", "-1", -1},
        {"-1", "0", -1},          {"0", "0.0001", -1},
        {"-0.0001", "0", -1},     {"9", "10", -1},
        {"0.9", "1", -1},         {"0.99999", "1", -1},
        {"1.5", "1.49999", 1},    {"1e3", "999", 1},
        {"1e3", "1000.0", 0},     {"1e-3", "0.001", 0},
        {"1e-3", "0.0011", -1},   {"-1e-3", "-0.0011", 1},
        {"123.456", "123.4560", 0}, {"123.456", "123.45", 1},
        {"10e99998", "0.1e100000", 0}, {"-5", "-50e-1", 0},
        {"0.1e-99999", "1e-99999", -1},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        int got = dec_cmp_str(cases[i].a, cases[i].b);
        if (got != cases[i].want)
            fail_msg("cmp(%s, %s) = %d, want %d", cases[i].a, cases[i].b,
                     got, cases[i].want);
    }
}

static void test_decimal_large_integers_exact(void **state)
{
    assert_int_equal(dec_cmp_str("12345678901234567890",
                                 "12345678901234567891"), -1);
    assert_int_equal(dec_cmp_str("9007199254740993", "9007199254740992"), 1);
    assert_int_equal(dec_cmp_str("18446744073709551616",
                                 "18446744073709551615"), 1);
    assert_int_equal(dec_cmp_str("-12345678901234567891",
                                 "-12345678901234567890"), -1);
    assert_int_equal(dec_cmp_str("0.1000000000000000000000000000000000000001",
                                 "0.1"), 1);
}

static void test_decimal_digit_limit(void **state)
{
    char buf[64];
    ig_decimal d;
    memset(buf, '7', 40);
    buf[40] = '\0';
    assert_true(dec(buf, &d));
    assert_int_equal(d.ndigits, 40);
    memset(buf, '7', 41);
    buf[41] = '\0';
    assert_false(dec(buf, &d));
    /* 40 significant digits surrounded by insignificant zeros is fine. */
    strcpy(buf, "000");
    memset(buf + 3, '9', 40);
    strcpy(buf + 43, "000.000");
    assert_true(dec(buf, &d));
    assert_int_equal(d.ndigits, 40);
    assert_int_equal(d.exp, 43);
    /* An interior zero is significant: 1 + 39 zeros + 1 = 41 digits. */
    buf[0] = '1';
    memset(buf + 1, '0', 39);
    strcpy(buf + 40, "1");
    assert_false(dec(buf, &d));
}

static void test_decimal_ten_thousand_digits(void **state)
{
    enum { N = 10000 };
    char *buf = malloc(N + 3);
    ig_decimal d;
    assert_non_null(buf);
    memset(buf, '3', N);
    assert_false(ig_decimal_parse(buf, N, &d));
    /* A one followed by 9999 zeros is a single significant digit. */
    buf[0] = '1';
    memset(buf + 1, '0', N - 1);
    assert_true(ig_decimal_parse(buf, N, &d));
    assert_int_equal(d.ndigits, 1);
    assert_int_equal(d.exp, N);
    /* 0.000...0001 with 9998 zeros after the point. */
    buf[0] = '0';
    buf[1] = '.';
    memset(buf + 2, '0', N - 3);
    buf[N - 1] = '1';
    assert_true(ig_decimal_parse(buf, N, &d));
    assert_int_equal(d.exp, -(N - 3));
    /* Ten thousand zeros is still zero. */
    memset(buf, '0', N);
    assert_true(ig_decimal_parse(buf, N, &d));
    assert_int_equal(d.ndigits, 0);
    free(buf);
}

static void test_decimal_exponent_bounds(void **state)
{
    ig_decimal d;
    /* The bound applies to the normalised exponent field. */
    assert_true(dec("0.1e100000", &d));
    assert_int_equal(d.exp, 100000);
    assert_false(dec("1e100000", &d));
    assert_true(dec("1e-100001", &d));
    assert_int_equal(d.exp, -100000);
    assert_true(dec("0.1e-100000", &d));
    assert_int_equal(d.exp, -100000);
    assert_false(dec("0.01e-100000", &d));
    assert_false(dec("1e200000", &d));
    assert_false(dec("-1e-200000", &d));
}

static void test_decimal_huge_exponent_no_overflow(void **state)
{
    static const char *bad[] = {
        "1e99999999999999999999999999999999",
        "1e-99999999999999999999999999999999",
        "1e2147483647", "1e-2147483648", "1e9223372036854775807",
        "1e18446744073709551616", "-9.9e4294967296",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        ig_decimal d;
        if (dec(bad[i], &d))
            fail_msg("should reject: %s", bad[i]);
    }
    /* Zero is exactly zero whatever the exponent says. */
    ig_decimal z;
    assert_true(dec("0e99999999999999999999999999", &z));
    assert_int_equal(z.ndigits, 0);
}

static void test_decimal_huge_exponent_digits(void **state)
{
    enum { N = 10000 };
    char *buf = malloc(N);
    ig_decimal d;
    assert_non_null(buf);
    buf[0] = '1';
    buf[1] = 'e';
    memset(buf + 2, '9', N - 2);
    assert_false(ig_decimal_parse(buf, N, &d));
    /* Leading zeros in the exponent are harmless. */
    memset(buf + 2, '0', N - 2);
    buf[N - 1] = '5';
    assert_true(ig_decimal_parse(buf, N, &d));
    assert_int_equal(d.exp, 6);
    free(buf);
}

static void test_decimal_respects_len(void **state)
{
    ig_decimal a, b;
    assert_true(ig_decimal_parse("12345", 3, &a));
    assert_true(dec("123", &b));
    assert_int_equal(ig_decimal_cmp(&a, &b), 0);
    assert_true(ig_decimal_parse("1e5xyz", 3, &a));
    assert_int_equal(a.exp, 6);
    assert_false(ig_decimal_parse("1e", 2, &a));
    assert_false(ig_decimal_parse("7", 0, &a));
    assert_false(ig_decimal_parse(NULL, 0, &a));
}

static void test_decimal_cmp_is_consistent(void **state)
{
    static const char *vals[] = {
        "-1e5", "-100", "-99.9", "-1", "-0.5", "-1e-5", "0", "1e-5",
        "0.5", "1", "1.0000000001", "2", "99.9", "100", "1e5", "1e99999",
    };
    /* vals is sorted ascending: cmp must agree with index order, and be
     * antisymmetric and reflexive. */
    for (size_t i = 0; i < COUNT(vals); i++) {
        for (size_t j = 0; j < COUNT(vals); j++) {
            int want = i < j ? -1 : i > j ? 1 : 0;
            int got = dec_cmp_str(vals[i], vals[j]);
            if (got != want)
                fail_msg("cmp(%s, %s) = %d", vals[i], vals[j], got);
        }
    }
}

static void test_decimal_failure_leaves_output(void **state)
{
    ig_decimal d;
    assert_true(dec("42", &d));
    ig_decimal before = d;
    assert_false(dec("4x2", &d));
    assert_false(dec("1e999999", &d));
    assert_memory_equal(&before, &d, sizeof d);
}

static void test_decimal_equal_values_have_equal_structs(void **state)
{
    ig_decimal a, b;
    assert_true(dec("1.50", &a));
    assert_true(dec("15e-1", &b));
    assert_memory_equal(&a, &b, sizeof a);
}

/* ------------------------------------------------------------------ */
/* Dates                                                               */
/* ------------------------------------------------------------------ */

static void test_date_iso_forms(void **state)
{
    static const struct {
        const char *s;
        int64_t secs;
    } cases[] = {
        {"2024", 1704067200},
        {"2024-03", 1709251200},
        {"2024-03-15", 1710460800},
        {"2024-03-15T13:45Z", 1710510300},
        {"2024-03-15T13:45", 1710510300},
        {"2024-03-15T13:45:30Z", 1710510330},
        {"2024-03-15T13:45:30", 1710510330},
        {"2024-03-15T13:45:30+00:00", 1710510330},
        {"2024-03-15T13:45:30-00:00", 1710510330},
        {"2024-03-15T14:45:30+01:00", 1710510330},
        {"2024-03-15T14:45:30+0100", 1710510330},
        {"2024-03-15T13:45+00:00", 1710510300},
        {"2024-03-15T08:15:30-05:30", 1710510330},
        {"20240315T134530Z", 1710510330},
        {"20240315T134530", 1710510330},
        {"1970-01-01T00:00:00Z", 0},
        {"1969-12-31T23:59:59Z", -1},
        {"2038-01-19T03:14:08Z", 2147483648LL},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        int64_t ns = date_ok(cases[i].s);
        if (ns != cases[i].secs * NS)
            fail_msg("%s -> %lld", cases[i].s, (long long)ns);
    }
}

static void test_date_rejects_malformed(void **state)
{
    static const char *bad[] = {
        "", "-", ".", "1.", "-.5", "+5", "1e9", "abc", "20x", "2024-",
        "2024-1", "2024-01-", "2024-01-1", "2024-1-01", "2024/01/01",
        "2024-01-01T", "2024-01-01T1", "2024-01-01T10", "2024-01-01T10:",
        "2024-01-01T10:3", "2024-01-01T10:30:", "2024-01-01T10:30:0",
        "2024-01-01T10:30:00.", "2024-01-01T10:30:00.Z",
        "2024-01-01 10:30:00Z", "2024-01-01t10:30:00Z",
        "2024-01-01T10:30:00z", "2024-01-01T10:30:00+01",
        "2024-01-01T10:30:00+1:00", "2024-01-01T10:30:00+01:0",
        "2024-01-01T10:30:00+24:00", "2024-01-01T10:30:00+01:60",
        "2024-01-01T10:30:00ZZ", "2024-01-01T10:30:00Z ", " 2024",
        "2024-01-01Z", "2024Z", "2024-01Z", "2024-01-01T10:30:00 +01:00",
        "20240101T", "20240101T1030Z",
        "20240101T103000.", "2024-0101", "202401-01", "2024-01-01T1030",
        "24-01-01", "+2024-01-01", "-2024-01-01", "２０２４",
        "2024-01-01T10:30:00.5.5Z", "1_000", "0x10",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        int64_t ns;
        if (date(bad[i], &ns))
            fail_msg("should reject: \"%s\"", bad[i]);
    }
}

static void test_date_epoch_equals_iso(void **state)
{
    assert_int_equal(date_ok("2020-01-01T00:00:00Z"), date_ok("1577836800"));
    assert_int_equal(date_ok("2020-01-01"), date_ok("1577836800"));
    assert_int_equal(date_ok("2020"), date_ok("1577836800.000"));
    assert_int_equal(date_ok("1970-01-01T00:00:00Z"), date_ok("0"));
    assert_int_equal(date_ok("1969-12-31T23:59:59Z"), date_ok("-1"));
    assert_int_equal(date_ok("2024-03-15T13:45:30.25Z"),
                     date_ok("1710510330.25"));
}

static void test_date_epoch_negative_and_fractional(void **state)
{
    static const struct {
        const char *s;
        int64_t ns;
    } cases[] = {
        {"0", 0},
        {"-0", 0},
        {"-0.0", 0},
        {"1", NS},
        {"-1", -NS},
        {"1.5", NS + 500000000},
        {"-1.5", -NS - 500000000},
        {"0.000000001", 1},
        {"-0.000000001", -1},
        {"0.0000000019", 1},        /* truncated to nanoseconds */
        {"00012", 12 * NS},
        {"2024.0", 2024 * NS},      /* fraction makes it epoch, not a year */
        {"12345", 12345 * NS},
        {"20240101", 20240101 * NS},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        int64_t ns = date_ok(cases[i].s);
        if (ns != cases[i].ns)
            fail_msg("%s -> %lld", cases[i].s, (long long)ns);
    }
}

static void test_date_epoch_overflow(void **state)
{
    int64_t ns;
    assert_false(date("9999999999999999999999", &ns));
    assert_false(date("-9999999999999999999999", &ns));
    assert_false(date("18446744073709551616", &ns));
    assert_false(date("9223372037", &ns));
    assert_false(date("9223372036.854775808", &ns));
    assert_false(date("-9223372036.854775809", &ns));
    assert_true(date("9223372036.854775807", &ns));
    assert_int_equal(ns, INT64_MAX);
    assert_true(date("-9223372036.854775808", &ns));
    assert_true(ns == INT64_MIN);
    assert_true(date("9223372036", &ns));
    assert_int_equal(ns, 9223372036LL * NS);
}

static void test_date_leap_years(void **state)
{
    static const char *ok[] = {
        "2024-02-29", "2000-02-29", "1996-02-29T12:00:00Z", "1680-02-29",
        "2260-02-29",
    };
    static const char *bad[] = {
        "2023-02-29", "1900-02-29", "2100-02-29", "2200-02-29",
        "2024-02-30", "2000-02-30", "2019-02-29T00:00:00Z",
    };
    int64_t ns;
    for (size_t i = 0; i < COUNT(ok); i++) {
        if (!date(ok[i], &ns))
            fail_msg("should accept: %s", ok[i]);
    }
    for (size_t i = 0; i < COUNT(bad); i++) {
        if (date(bad[i], &ns))
            fail_msg("should reject: %s", bad[i]);
    }
    assert_int_equal(date_ok("2024-02-29"), 1709164800LL * NS);
    assert_int_equal(date_ok("2000-02-29"), 951782400LL * NS);
    assert_int_equal(date_ok("2024-03-01") - date_ok("2024-02-28"),
                     2 * 86400LL * NS);
    assert_int_equal(date_ok("2023-03-01") - date_ok("2023-02-28"),
                     86400LL * NS);
    assert_int_equal(date_ok("1900-03-01"), -2203891200LL * NS);
    assert_int_equal(date_ok("2100-03-01"), 4107542400LL * NS);
}

static void test_date_month_and_day_ranges(void **state)
{
    static const char *bad[] = {
        "2024-00", "2024-13", "2024-00-10", "2024-13-01", "2024-01-00",
        "2024-01-32", "2024-04-31", "2024-06-31", "2024-09-31",
        "2024-11-31", "2024-99-99",
    };
    static const char *ok[] = {
        "2024-01-31", "2024-03-31", "2024-04-30", "2024-05-31",
        "2024-06-30", "2024-07-31", "2024-08-31", "2024-09-30",
        "2024-10-31", "2024-11-30", "2024-12-31", "2024-12",
    };
    int64_t ns;
    for (size_t i = 0; i < COUNT(bad); i++) {
        if (date(bad[i], &ns))
            fail_msg("should reject: %s", bad[i]);
    }
    for (size_t i = 0; i < COUNT(ok); i++) {
        if (!date(ok[i], &ns))
            fail_msg("should accept: %s", ok[i]);
    }
}

static void test_date_time_ranges(void **state)
{
    static const char *bad[] = {
        "2024-01-01T25:00:00Z", "2024-01-01T23:60:00Z",
        "2024-01-01T23:59:61Z", "2024-01-01T99:00Z", "2024-01-01T00:99Z",
    };
    int64_t ns;
    for (size_t i = 0; i < COUNT(bad); i++) {
        if (date(bad[i], &ns))
            fail_msg("should reject: %s", bad[i]);
    }
    assert_true(date("2024-01-01T23:59:59.999999999Z", &ns));
    assert_true(date("2024-01-01T00:00:00Z", &ns));
}

static void test_date_end_of_day_2400(void **state)
{
    int64_t ns;
    assert_int_equal(date_ok("2024-01-01T24:00:00Z"), date_ok("2024-01-02"));
    assert_int_equal(date_ok("2024-01-01T24:00Z"), date_ok("2024-01-02"));
    assert_int_equal(date_ok("2023-12-31T24:00:00Z"), date_ok("2024"));
    assert_int_equal(date_ok("2024-02-28T24:00:00Z"), date_ok("2024-02-29"));
    assert_int_equal(date_ok("2024-02-29T24:00:00Z"), date_ok("2024-03-01"));
    assert_int_equal(date_ok("2024-01-01T24:00:00.000Z"),
                     date_ok("2024-01-02"));
    assert_false(date("2024-01-01T24:00:01Z", &ns));
    assert_false(date("2024-01-01T24:01:00Z", &ns));
    assert_false(date("2024-01-01T24:01Z", &ns));
    assert_false(date("2024-01-01T24:00:00.1Z", &ns));
    assert_false(date("2024-01-01T24:00:60Z", &ns));
}

static void test_date_leap_second(void **state)
{
    assert_int_equal(date_ok("2016-12-31T23:59:60Z"), date_ok("2017-01-01"));
    assert_int_equal(date_ok("2016-12-31T23:59:60.5Z"),
                     date_ok("2017-01-01T00:00:00.5Z"));
}

static void test_date_offsets_cross_midnight(void **state)
{
    assert_int_equal(date_ok("2024-01-01T01:00:00+02:00"),
                     date_ok("2023-12-31T23:00:00Z"));
    assert_int_equal(date_ok("2023-12-31T22:00:00-03:00"),
                     date_ok("2024-01-01T01:00:00Z"));
    assert_int_equal(date_ok("2024-03-01T00:30:00+01:00"),
                     date_ok("2024-02-29T23:30:00Z"));
    assert_int_equal(date_ok("2023-03-01T00:30:00+01:00"),
                     date_ok("2023-02-28T23:30:00Z"));
    assert_int_equal(date_ok("2024-01-01T00:00:00+23:59"),
                     date_ok("2023-12-31T00:01:00Z"));
    assert_int_equal(date_ok("2024-01-01T23:59:00-23:59"),
                     date_ok("2024-01-02T23:58:00Z"));
    assert_int_equal(date_ok("1970-01-01T00:00:00+00:01"), -60 * NS);
}

static void test_date_offset_spellings(void **state)
{
    int64_t z = date_ok("2024-06-01T12:00:00Z");
    assert_int_equal(date_ok("2024-06-01T12:00:00"), z);
    assert_int_equal(date_ok("2024-06-01T12:00:00+00:00"), z);
    assert_int_equal(date_ok("2024-06-01T12:00:00-00:00"), z);
    assert_int_equal(date_ok("2024-06-01T12:00:00+0000"), z);
    assert_int_equal(date_ok("2024-06-01T17:30:00+05:30"), z);
    assert_int_equal(date_ok("2024-06-01T17:30:00+0530"), z);
    assert_int_equal(date_ok("2024-06-01T02:00:00-1000"), z);
    assert_int_equal(date_ok("20240601T173000+0530"), z);
    assert_int_equal(date_ok("20240601T120000Z"), z);
}

static void test_date_fraction_precision(void **state)
{
    int64_t base = date_ok("2024-06-01T12:00:00Z");
    assert_int_equal(date_ok("2024-06-01T12:00:00.5Z") - base, 500000000);
    assert_int_equal(date_ok("2024-06-01T12:00:00.000000001Z") - base, 1);
    assert_int_equal(date_ok("2024-06-01T12:00:00.123456789Z") - base,
                     123456789);
    assert_int_equal(date_ok("2024-06-01T12:00:00.1234567899999Z") - base,
                     123456789);
    assert_int_equal(date_ok("2024-06-01T12:00:00.0Z"), base);
    assert_int_equal(date_ok("2024-06-01T12:00:00.000000000000000000000Z"),
                     base);
    assert_int_equal(date_ok("2024-06-01T13:00:00.25+01:00") - base,
                     250000000);
    assert_int_equal(date_ok("20240601T120000.75Z") - base, 750000000);
}

static void test_date_long_fraction(void **state)
{
    enum { N = 10000 };
    char *buf = malloc(N);
    int64_t ns;
    assert_non_null(buf);
    buf[0] = '1';
    buf[1] = '.';
    memset(buf + 2, '9', N - 2);
    assert_true(ig_date_parse(buf, N, &ns));
    assert_int_equal(ns, NS + 999999999);
    memset(buf, '9', N);
    assert_false(ig_date_parse(buf, N, &ns));
    free(buf);
}

static void test_date_year_range(void **state)
{
    int64_t ns;
    assert_int_equal(date_ok("1678"), -9214560000LL * NS);
    assert_int_equal(date_ok("2261-12-31T23:59:59Z"), 9214646399LL * NS);
    assert_true(date("1678-01-01T00:00:00+23:59", &ns));
    assert_true(date("2261-12-31T24:00:00-23:59", &ns));
    assert_true(ns > 0);
    assert_false(date("1677-12-31", &ns));
    assert_false(date("2262", &ns));
    assert_false(date("0000", &ns));
    assert_false(date("9999-12-31T23:59:59Z", &ns));
}

static void test_date_respects_len(void **state)
{
    int64_t a, b;
    assert_true(ig_date_parse("2024-01-01T00:00:00Zjunk", 20, &a));
    assert_int_equal(a, 1704067200LL * NS);
    assert_true(ig_date_parse("2024-01-01", 4, &b));
    assert_int_equal(a, b);
    assert_true(ig_date_parse("123456", 3, &a));
    assert_int_equal(a, 123 * NS);
    assert_false(ig_date_parse("2024-01-01", 0, &a));
    assert_false(ig_date_parse("2024-01-01", 5, &a));
    assert_false(ig_date_parse(NULL, 0, &a));
}

static void test_date_ordering(void **state)
{
    static const char *sorted[] = {
        "1678-01-01", "-86400", "1969-12-31T23:59:59.999999999Z", "0",
        "1970-01-01T00:00:00.000000001Z", "2020-01-01T00:00:00+01:00",
        "1577836800", "2020-01-01T00:00:00.5Z", "2024-02-29",
        "2024-02-29T24:00:00+00:01", "2024-03-01",
    };
    for (size_t i = 0; i + 1 < COUNT(sorted); i++) {
        if (!(date_ok(sorted[i]) < date_ok(sorted[i + 1])))
            fail_msg("%s !< %s", sorted[i], sorted[i + 1]);
    }
}

static void test_date_failure_leaves_output(void **state)
{
    int64_t ns = 12345;
    assert_false(date("2023-02-29", &ns));
    assert_false(date("9999999999999999999999", &ns));
    assert_int_equal(ns, 12345);
}

/* ------------------------------------------------------------------ */
/* CIDR                                                                */
/* ------------------------------------------------------------------ */

static void test_cidr_ipv4_accepts(void **state)
{
    static const struct {
        const char *s;
        uint8_t prefix;
        uint8_t addr[4];
    } cases[] = {
        {"1.2.3.4", 32, {1, 2, 3, 4}},
        {"0.0.0.0", 32, {0, 0, 0, 0}},
        {"255.255.255.255", 32, {255, 255, 255, 255}},
        {"10.0.0.0/8", 8, {10, 0, 0, 0}},
        {"192.168.1.0/24", 24, {192, 168, 1, 0}},
        {"0.0.0.0/0", 0, {0, 0, 0, 0}},
        {"1.2.3.4/32", 32, {1, 2, 3, 4}},
        {"172.16.0.0/12", 12, {172, 16, 0, 0}},
        {"100.64.0.0/10", 10, {100, 64, 0, 0}},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        ig_cidr c = cidr_ok(cases[i].s);
        assert_int_equal(c.family, 4);
        assert_int_equal(c.prefix, cases[i].prefix);
        assert_memory_equal(c.addr, cases[i].addr, 4);
    }
}

static void test_cidr_ipv4_rejects(void **state)
{
    static const char *bad[] = {
        "", "1.2.3.4/33", "1.2.3.4/99", "1.2.3.4/256", "1.2.3.4/1000",
        "010.0.0.1", "1.02.3.4", "1.2.3.00", "00.0.0.0", "256.0.0.1",
        "1.2.3.256", "999.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3",
        "1..2.3", "1.2.3.4/", "/8", "1.2.3.4/08", "1.2.3.4/-1", "1.2.3.4/+8",
        "1.2.3.4/8/8", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/ 8", "a.b.c.d",
        "0x1.2.3.4", "1.2.3.4x", "1234.1.1.1", "1.2.3.-4", "16909060",
        "1.2.3.4/32 ", "1.2.3.4%eth0",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        ig_cidr c;
        if (cidr(bad[i], &c))
            fail_msg("should reject: \"%s\"", bad[i]);
    }
}

static void test_cidr_ipv6_accepts(void **state)
{
    static const struct {
        const char *s;
        uint8_t prefix;
        uint8_t addr[16];
    } cases[] = {
        {"::", 128, {0}},
        {"::1", 128, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
        {"1::", 128, {0, 1}},
        {"2001:db8::/32", 32, {0x20, 0x01, 0x0d, 0xb8}},
        {"2001:DB8:0:0:0:0:0:1", 128,
         {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
        {"2001:0db8:0000:0000:0000:0000:0000:0001", 128,
         {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
        {"1:2:3:4:5:6:7:8", 128,
         {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8}},
        {"1:2:3:4:5:6:7::", 128,
         {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0}},
        {"::2:3:4:5:6:7:8", 128,
         {0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8}},
        {"1:2::7:8", 128, {0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 8}},
        {"fe80::abcd:ef01", 128,
         {0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xab, 0xcd, 0xef, 0x01}},
        {"::ffff:1.2.3.4", 128,
         {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4}},
        {"::1.2.3.4", 128, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4}},
        {"1:2:3:4:5:6:1.2.3.4", 128,
         {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4}},
        {"64:ff9b::192.0.2.33/96", 96,
         {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}},
        {"::/0", 0, {0}},
        {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 128,
         {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
          0xff, 0xff, 0xff, 0xff, 0xff}},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        ig_cidr c = cidr_ok(cases[i].s);
        assert_int_equal(c.family, 6);
        assert_int_equal(c.prefix, cases[i].prefix);
        assert_memory_equal(c.addr, cases[i].addr, 16);
    }
}

static void test_cidr_ipv6_rejects(void **state)
{
    static const char *bad[] = {
        ":", ":::", "::::", ":::1", "1:::2", "1::2::3", "::1::", ":1::",
        "::1:", "1:", ":1", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8",
        "12345::", "g::", "fe80::1%eth0", "fe80::1%1", "::1/129", "::/200",
        "::1/", "::1/01", "::1/-0", "[::1]", "[::1]/128", "::ffff:01.2.3.4",
        "::ffff:1.2.3", "::ffff:1.2.3.4.5", "::ffff:256.1.1.1",
        "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6::1.2.3.4", "::1.2.3.4:5",
        "1.2.3.4::", "::ffff:1.2.3.4/", ":: ", " ::", "::1 ", "2001:db8:::1",
        "1::ffff1", "::-1", "::+1", "::0x1",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        ig_cidr c;
        if (cidr(bad[i], &c))
            fail_msg("should reject: \"%s\"", bad[i]);
    }
}

static void test_cidr_masks_host_bits(void **state)
{
    ig_cidr c = cidr_ok("10.1.2.3/8");
    static const uint8_t v4[4] = {10, 0, 0, 0};
    assert_memory_equal(c.addr, v4, 4);
    c = cidr_ok("192.168.255.255/23");
    static const uint8_t v4b[4] = {192, 168, 254, 0};
    assert_memory_equal(c.addr, v4b, 4);
    c = cidr_ok("255.255.255.255/0");
    static const uint8_t zero[16] = {0};
    assert_memory_equal(c.addr, zero, 4);
    c = cidr_ok("2001:db8:ffff::1/33");
    static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x80};
    assert_memory_equal(c.addr, v6, 16);
    c = cidr_ok("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/0");
    assert_memory_equal(c.addr, zero, 16);
    assert_memory_equal(cidr_ok("10.1.2.3/8").addr, cidr_ok("10.0.0.0/8").addr,
                        4);
}

static void test_cidr_address_is_host_block(void **state)
{
    assert_int_equal(cidr_ok("1.2.3.4").prefix, 32);
    assert_int_equal(cidr_ok("::1").prefix, 128);
    assert_true(contains("1.2.3.4", "1.2.3.4"));
    assert_false(contains("1.2.3.4", "1.2.3.5"));
    assert_true(contains("::1", "::1"));
    assert_false(contains("::1", "::2"));
    assert_true(contains("::1", "0:0:0:0:0:0:0:1"));
}

static void test_cidr_contains_ipv4_blocks(void **state)
{
    static const struct {
        const char *block, *ip;
        bool want;
    } cases[] = {
        {"0.0.0.0/0", "0.0.0.0", true},
        {"0.0.0.0/0", "255.255.255.255", true},
        {"1.2.3.4/0", "9.9.9.9", true},
        {"10.0.0.0/8", "10.255.255.255", true},
        {"10.0.0.0/8", "11.0.0.0", false},
        {"10.0.0.0/8", "9.255.255.255", false},
        {"192.168.1.0/24", "192.168.1.77", true},
        {"192.168.1.0/24", "192.168.2.1", false},
        {"192.168.1.4/31", "192.168.1.5", true},
        {"192.168.1.4/31", "192.168.1.6", false},
        {"192.168.1.4/32", "192.168.1.4", true},
        {"192.168.1.4/32", "192.168.1.5", false},
        {"172.16.0.0/12", "172.31.255.255", true},
        {"172.16.0.0/12", "172.32.0.0", false},
        {"128.0.0.0/1", "127.255.255.255", false},
        {"128.0.0.0/1", "128.0.0.0", true},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        if (contains(cases[i].block, cases[i].ip) != cases[i].want)
            fail_msg("%s contains %s != %d", cases[i].block, cases[i].ip,
                     cases[i].want);
    }
}

static void test_cidr_contains_ipv6_blocks(void **state)
{
    static const struct {
        const char *block, *ip;
        bool want;
    } cases[] = {
        {"::/0", "::", true},
        {"::/0", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", true},
        {"2001:db8::/32", "2001:db8:1234::1", true},
        {"2001:db8::/32", "2001:db9::", false},
        {"2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff", true},
        {"2001:db8::/64", "2001:db8:0:1::", false},
        {"2001:db8::/127", "2001:db8::1", true},
        {"2001:db8::/127", "2001:db8::2", false},
        {"2001:db8::1/128", "2001:db8::1", true},
        {"2001:db8::1/128", "2001:db8::", false},
        {"::ffff:0:0/96", "::ffff:10.1.2.3", true},
        {"::ffff:10.0.0.0/104", "::ffff:10.200.0.1", true},
        {"::ffff:10.0.0.0/104", "::ffff:11.0.0.1", false},
        {"fe80::/10", "febf::1", true},
        {"fe80::/10", "fec0::1", false},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        if (contains(cases[i].block, cases[i].ip) != cases[i].want)
            fail_msg("%s contains %s != %d", cases[i].block, cases[i].ip,
                     cases[i].want);
    }
}

static void test_cidr_families_never_match(void **state)
{
    assert_false(contains("::ffff:1.2.3.4", "1.2.3.4"));
    assert_false(contains("1.2.3.4", "::ffff:1.2.3.4"));
    assert_false(contains("::ffff:0:0/96", "1.2.3.4"));
    assert_false(contains("::/0", "1.2.3.4"));
    assert_false(contains("0.0.0.0/0", "::"));
    assert_false(contains("0.0.0.0/0", "::ffff:1.2.3.4"));
    assert_false(contains("::1.2.3.4", "1.2.3.4"));
    assert_int_equal(cidr_ok("::ffff:1.2.3.4").family, 6);
    assert_int_equal(cidr_ok("1.2.3.4").family, 4);
}

static void test_cidr_contains_uses_ip_address(void **state)
{
    /* The ip's own prefix is ignored; only its (masked) address counts. */
    assert_true(contains("10.0.0.0/8", "10.1.2.3/16"));
    assert_true(contains("10.1.0.0/16", "10.1.2.3/24"));
    assert_false(contains("10.1.2.0/24", "10.1.2.3/16"));
}

static void test_cidr_contains_rejects_bogus_structs(void **state)
{
    ig_cidr block = cidr_ok("10.0.0.0/8"), ip = cidr_ok("10.0.0.1");
    block.prefix = 200;
    assert_false(ig_cidr_contains(&block, &ip));
    block = cidr_ok("::/0");
    ip = cidr_ok("::1");
    block.prefix = 255;
    assert_false(ig_cidr_contains(&block, &ip));
    block.prefix = 0;
    block.family = 5;
    ip.family = 5;
    assert_false(ig_cidr_contains(&block, &ip));
    assert_false(ig_cidr_contains(NULL, &ip));
}

static void test_cidr_respects_len(void **state)
{
    ig_cidr c;
    assert_true(ig_cidr_parse("10.0.0.0/8xyz", 10, &c));
    assert_int_equal(c.prefix, 8);
    assert_true(ig_cidr_parse("10.0.0.1/24", 8, &c));
    assert_int_equal(c.prefix, 32);
    assert_true(ig_cidr_parse("::1:2", 3, &c));
    assert_int_equal(c.addr[15], 1);
    assert_false(ig_cidr_parse("10.0.0.1", 0, &c));
    assert_false(ig_cidr_parse("10.0.0.1", 7, &c));
    assert_false(ig_cidr_parse(NULL, 0, &c));
}

static void test_cidr_failure_leaves_output(void **state)
{
    ig_cidr c = cidr_ok("1.2.3.4"), before = c;
    assert_false(cidr("1.2.3.4/33", &c));
    assert_false(cidr("::::", &c));
    assert_memory_equal(&c, &before, sizeof c);
}

/* ------------------------------------------------------------------ */
/* Base64                                                              */
/* ------------------------------------------------------------------ */

static void test_base64_rfc4648_vectors(void **state)
{
    static const struct {
        const char *enc, *dec;
    } cases[] = {
        {"", ""},           {"Zg==", "f"},          {"Zm8=", "fo"},
        {"Zm9v", "foo"},    {"Zm9vYg==", "foob"},   {"Zm9vYmE=", "fooba"},
        {"Zm9vYmFy", "foobar"},
        {"SGVsbG8sIFdvcmxkIQ==", "Hello, World!"},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        uint8_t buf[32];
        size_t n = 999;
        assert_true(b64(cases[i].enc, buf, sizeof buf, &n));
        assert_int_equal(n, strlen(cases[i].dec));
        assert_memory_equal(buf, cases[i].dec, n);
    }
}

static void test_base64_padding_rules(void **state)
{
    static const char *bad[] = {
        "Zg", "Zg=", "Zm8", "Zm9vY", "Zm9vYg", "Zm9vYg=", "Z", "Z===",
        "====", "=", "==", "Zg==Zg==", "Zm9v=", "=Zm9", "Zm=v", "Z=9v",
        "Zm9vYg===", "Zm9vY===", "Zm8==", "Zg=A",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        uint8_t buf[32];
        size_t n;
        if (b64(bad[i], buf, sizeof buf, &n))
            fail_msg("should reject: \"%s\"", bad[i]);
    }
}

static void test_base64_rejects_foreign_characters(void **state)
{
    static const char *bad[] = {
        "Zm9v\n", "Zm 9v", " Zm9v", "Zm9v ", "Zm9-", "Zm9_", "Zm9.",
        "Zm9*", "Zm\t9", "Zm9\xc3\xa9", "Zm9v\r\nYmFy",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        uint8_t buf[32];
        size_t n;
        if (b64(bad[i], buf, sizeof buf, &n))
            fail_msg("should reject: \"%s\"", bad[i]);
    }
    uint8_t buf[8];
    size_t n;
    assert_false(ig_base64_decode("Zm\0v", 4, buf, sizeof buf, &n));
}

static void test_base64_non_canonical_bits(void **state)
{
    uint8_t buf[8];
    size_t n;
    assert_true(b64("Zg==", buf, sizeof buf, &n));
    assert_false(b64("Zh==", buf, sizeof buf, &n));
    assert_false(b64("Zv==", buf, sizeof buf, &n));
    assert_true(b64("Zm8=", buf, sizeof buf, &n));
    assert_false(b64("Zm9=", buf, sizeof buf, &n));
    assert_false(b64("Zm/=", buf, sizeof buf, &n));
    assert_true(b64("//8=", buf, sizeof buf, &n));
    assert_int_equal(n, 2);
    assert_int_equal(buf[0], 0xff);
    assert_int_equal(buf[1], 0xff);
}

static void test_base64_capacity(void **state)
{
    uint8_t buf[8];
    size_t n = 77;
    memset(buf, 0xAA, sizeof buf);
    assert_true(b64("Zm9vYmFy", buf, 6, &n));
    assert_int_equal(n, 6);
    assert_int_equal(buf[6], 0xAA);
    memset(buf, 0xAA, sizeof buf);
    n = 77;
    assert_false(b64("Zm9vYmFy", buf, 5, &n));
    assert_int_equal(n, 77);
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0xAA);
    assert_true(b64("Zm9vYg==", buf, 4, &n));
    assert_int_equal(n, 4);
    assert_false(b64("Zm9vYg==", buf, 3, &n));
    assert_true(ig_base64_decode("", 0, NULL, 0, &n));
    assert_int_equal(n, 0);
    assert_false(b64("Zg==", buf, 0, &n));
}

static void test_base64_failure_leaves_buffer(void **state)
{
    uint8_t buf[16];
    size_t n = 5;
    memset(buf, 0x55, sizeof buf);
    /* Valid first quantum, bad last one: nothing may be written. */
    assert_false(b64("Zm9vYmFyZ!==", buf, sizeof buf, &n));
    assert_int_equal(n, 5);
    for (size_t i = 0; i < sizeof buf; i++)
        assert_int_equal(buf[i], 0x55);
}

/* Reference encoder for the round-trip test. */
static size_t encode_b64(const uint8_t *in, size_t n, char *out)
{
    static const char alpha[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        out[o++] = alpha[v >> 18 & 63];
        out[o++] = alpha[v >> 12 & 63];
        out[o++] = i + 1 < n ? alpha[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? alpha[v & 63] : '=';
    }
    return o;
}

static void test_base64_round_trip_all_bytes(void **state)
{
    uint8_t raw[256];
    char enc[400];
    uint8_t back[256];
    for (int i = 0; i < 256; i++)
        raw[i] = (uint8_t)i;
    for (size_t n = 0; n <= sizeof raw; n += (n < 8 ? 1 : 37)) {
        size_t elen = encode_b64(raw + 256 - n, n, enc);
        char *p = exact_copy(enc, elen);
        size_t got = 0;
        assert_true(ig_base64_decode(p, elen, back, sizeof back, &got));
        assert_int_equal(got, n);
        assert_memory_equal(back, raw + 256 - n, n);
        free(p);
    }
}

static void test_base64_respects_len(void **state)
{
    uint8_t buf[8];
    size_t n;
    assert_true(ig_base64_decode("Zm9vYmFy", 4, buf, sizeof buf, &n));
    assert_int_equal(n, 3);
    assert_memory_equal(buf, "foo", 3);
    assert_false(ig_base64_decode("Zm9vYmFy", 5, buf, sizeof buf, &n));
    assert_false(ig_base64_decode(NULL, 4, buf, sizeof buf, &n));
}

/* ------------------------------------------------------------------ */
/* Bool                                                                */
/* ------------------------------------------------------------------ */

static void test_bool_accepts(void **state)
{
    static const struct {
        const char *s;
        bool want;
    } cases[] = {
        {"true", true},   {"TRUE", true},   {"True", true},  {"tRuE", true},
        {"false", false}, {"FALSE", false}, {"False", false}, {"fAlSe", false},
    };
    for (size_t i = 0; i < COUNT(cases); i++) {
        bool v = !cases[i].want;
        assert_true(boolean(cases[i].s, &v));
        assert_int_equal(v, cases[i].want);
    }
}

static void test_bool_rejects(void **state)
{
    static const char *bad[] = {
        "", "1", "0", "yes", "no", "t", "f", "tru", "truee", "fals",
        "falsey", " true", "true ", "\"true\"", "on", "off", "nil", "null",
        "tr\303\274e", "TRUE\n",
    };
    for (size_t i = 0; i < COUNT(bad); i++) {
        bool v = true;
        if (boolean(bad[i], &v))
            fail_msg("should reject: \"%s\"", bad[i]);
        assert_true(v);
    }
}

static void test_bool_respects_len(void **state)
{
    bool v = false;
    assert_true(ig_bool_parse("trueish", 4, &v));
    assert_true(v);
    assert_true(ig_bool_parse("FALSEHOOD", 5, &v));
    assert_false(v);
    assert_false(ig_bool_parse("true", 3, &v));
    assert_false(ig_bool_parse(NULL, 0, &v));
}

/* ------------------------------------------------------------------ */
/* Hostile input                                                       */
/* ------------------------------------------------------------------ */

/* Deterministic pseudo-random input from an alphabet rich in the
 * characters each grammar cares about; the point is that nothing crashes
 * or trips the sanitizers. */
static void test_hostile_random_inputs(void **state)
{
    static const char alpha[] = "0123456789abcdefABCDEF.:/-+eEZT=%xX \0\xff";
    uint32_t seed = 12345;
    char buf[64];
    for (int round = 0; round < 20000; round++) {
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % sizeof buf;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = alpha[(seed >> 16) % (sizeof alpha - 1)];
        }
        char *p = exact_copy(buf, len);
        ig_decimal d;
        int64_t ns;
        ig_cidr c;
        uint8_t out[64];
        size_t n;
        bool b;
        if (ig_decimal_parse(p, len, &d))
            assert_int_equal(ig_decimal_cmp(&d, &d), 0);
        (void)ig_date_parse(p, len, &ns);
        if (ig_cidr_parse(p, len, &c))
            assert_true(ig_cidr_contains(&c, &c));
        (void)ig_base64_decode(p, len, out, sizeof out, &n);
        (void)ig_bool_parse(p, len, &b);
        free(p);
    }
}

static void test_hostile_named_inputs(void **state)
{
    static const char *inputs[] = {
        "::::", "1.2.3.4/33", "2024-02-30", "2023-02-29",
        "9999999999999999999999", "1e999999999999999999999", "-",
        "::ffff:", "::ffff:1.", "1.2.3.4/", "/", "//", "%", "::%",
        "2024-01-01T24:00:00.000000000000001Z", "====", "e", "0e", "-e-",
        "1:2:3:4:5:6:7:8/128/", "ffff::ffff::", "99999-01-01",
    };
    for (size_t i = 0; i < COUNT(inputs); i++) {
        ig_decimal d;
        int64_t ns;
        ig_cidr c;
        uint8_t out[64];
        size_t n;
        bool b;
        (void)dec(inputs[i], &d);
        (void)date(inputs[i], &ns);
        (void)cidr(inputs[i], &c);
        (void)b64(inputs[i], out, sizeof out, &n);
        (void)boolean(inputs[i], &b);
    }
    int64_t ns;
    ig_cidr c;
    assert_false(date("2024-02-30", &ns));
    assert_false(date("2023-02-29", &ns));
    assert_false(date("9999999999999999999999", &ns));
    assert_false(cidr("::::", &c));
    assert_false(cidr("1.2.3.4/33", &c));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decimal_accepts_valid_forms),
        cmocka_unit_test(test_decimal_rejects_malformed),
        cmocka_unit_test(test_decimal_equal_spellings_of_one),
        cmocka_unit_test(test_decimal_negative_zero_is_zero),
        cmocka_unit_test(test_decimal_normalised_fields),
        cmocka_unit_test(test_decimal_ordering_table),
        cmocka_unit_test(test_decimal_large_integers_exact),
        cmocka_unit_test(test_decimal_digit_limit),
        cmocka_unit_test(test_decimal_ten_thousand_digits),
        cmocka_unit_test(test_decimal_exponent_bounds),
        cmocka_unit_test(test_decimal_huge_exponent_no_overflow),
        cmocka_unit_test(test_decimal_huge_exponent_digits),
        cmocka_unit_test(test_decimal_respects_len),
        cmocka_unit_test(test_decimal_cmp_is_consistent),
        cmocka_unit_test(test_decimal_failure_leaves_output),
        cmocka_unit_test(test_decimal_equal_values_have_equal_structs),
        cmocka_unit_test(test_date_iso_forms),
        cmocka_unit_test(test_date_rejects_malformed),
        cmocka_unit_test(test_date_epoch_equals_iso),
        cmocka_unit_test(test_date_epoch_negative_and_fractional),
        cmocka_unit_test(test_date_epoch_overflow),
        cmocka_unit_test(test_date_leap_years),
        cmocka_unit_test(test_date_month_and_day_ranges),
        cmocka_unit_test(test_date_time_ranges),
        cmocka_unit_test(test_date_end_of_day_2400),
        cmocka_unit_test(test_date_leap_second),
        cmocka_unit_test(test_date_offsets_cross_midnight),
        cmocka_unit_test(test_date_offset_spellings),
        cmocka_unit_test(test_date_fraction_precision),
        cmocka_unit_test(test_date_long_fraction),
        cmocka_unit_test(test_date_year_range),
        cmocka_unit_test(test_date_respects_len),
        cmocka_unit_test(test_date_ordering),
        cmocka_unit_test(test_date_failure_leaves_output),
        cmocka_unit_test(test_cidr_ipv4_accepts),
        cmocka_unit_test(test_cidr_ipv4_rejects),
        cmocka_unit_test(test_cidr_ipv6_accepts),
        cmocka_unit_test(test_cidr_ipv6_rejects),
        cmocka_unit_test(test_cidr_masks_host_bits),
        cmocka_unit_test(test_cidr_address_is_host_block),
        cmocka_unit_test(test_cidr_contains_ipv4_blocks),
        cmocka_unit_test(test_cidr_contains_ipv6_blocks),
        cmocka_unit_test(test_cidr_families_never_match),
        cmocka_unit_test(test_cidr_contains_uses_ip_address),
        cmocka_unit_test(test_cidr_contains_rejects_bogus_structs),
        cmocka_unit_test(test_cidr_respects_len),
        cmocka_unit_test(test_cidr_failure_leaves_output),
        cmocka_unit_test(test_base64_rfc4648_vectors),
        cmocka_unit_test(test_base64_padding_rules),
        cmocka_unit_test(test_base64_rejects_foreign_characters),
        cmocka_unit_test(test_base64_non_canonical_bits),
        cmocka_unit_test(test_base64_capacity),
        cmocka_unit_test(test_base64_failure_leaves_buffer),
        cmocka_unit_test(test_base64_round_trip_all_bytes),
        cmocka_unit_test(test_base64_respects_len),
        cmocka_unit_test(test_bool_accepts),
        cmocka_unit_test(test_bool_rejects),
        cmocka_unit_test(test_bool_respects_len),
        cmocka_unit_test(test_hostile_random_inputs),
        cmocka_unit_test(test_hostile_named_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

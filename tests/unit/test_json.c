/* test_json.c - unit tests for the strict JSON reader and the writer.
 *
 * Error tests check the exact message and position because diagnostics
 * are part of the user interface: a policy author sees them verbatim.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/json.h"

/* ---- helpers ------------------------------------------------------------- */

static json_doc *parse_n(const char *text, size_t len, const json_limits *lim)
{
    json_error err;
    json_doc *doc = json_parse(text, len, lim, &err);
    if (!doc)
        print_error("unexpected parse error at %u:%u (offset %zu): %s\n",
                    err.line, err.column, err.offset, err.msg);
    assert_non_null(doc);
    assert_non_null(json_root(doc));
    return doc;
}

static json_doc *parse_ok(const char *text)
{
    return parse_n(text, strlen(text), NULL);
}

/* Parse must fail with exactly `msg` at `offset`. */
static void expect_err_n(const char *text, size_t len, const json_limits *lim,
                         const char *msg, size_t offset)
{
    json_error err;
    json_doc *doc = json_parse(text, len, lim, &err);
    if (doc) {
        print_error("expected failure \"%s\" for input: %.*s\n", msg,
                    (int)len, text);
        json_doc_free(doc);
    }
    assert_null(doc);
    assert_string_equal(err.msg, msg);
    assert_int_equal(err.offset, offset);
    assert_true(err.line >= 1);
    assert_true(err.column >= 1);
}

static void expect_err(const char *text, const char *msg, size_t offset)
{
    expect_err_n(text, strlen(text), NULL, msg, offset);
}

/* Parse must fail; return the message (for loose checks in tables). */
static void expect_fail(const char *text, size_t len)
{
    json_error err;
    json_doc *doc = json_parse(text, len, NULL, &err);
    if (doc) {
        print_error("expected failure for input: %.*s\n", (int)len, text);
        json_doc_free(doc);
    }
    assert_null(doc);
    assert_true(err.msg[0] != '\0');
    assert_true(err.offset <= len);
}

static void assert_span(const json_value *v, json_kind kind, uint32_t start,
                        uint32_t end)
{
    assert_non_null(v);
    assert_int_equal(v->kind, kind);
    assert_int_equal(v->start, start);
    assert_int_equal(v->end, end);
}

/* Structural equality, ignoring offsets. */
static bool values_equal(const json_value *a, const json_value *b)
{
    if (a->kind != b->kind || a->len != b->len)
        return false;
    switch (a->kind) {
    case JSON_NULL:
    case JSON_FALSE:
    case JSON_TRUE:
        return true;
    case JSON_NUMBER:
    case JSON_STRING:
        return memcmp(a->u.str, b->u.str, a->len) == 0;
    case JSON_ARRAY:
        for (uint32_t i = 0; i < a->len; i++)
            if (!values_equal(&a->u.items[i], &b->u.items[i]))
                return false;
        return true;
    case JSON_OBJECT:
        for (uint32_t i = 0; i < a->len; i++) {
            const json_member *ma = &a->u.members[i], *mb = &b->u.members[i];
            if (ma->key_len != mb->key_len ||
                memcmp(ma->key, mb->key, ma->key_len) != 0 ||
                !values_equal(&ma->value, &mb->value))
                return false;
        }
        return true;
    }
    return false;
}

static char *write_value(const json_value *v, bool pretty)
{
    json_buf b;
    json_writer w;
    json_buf_init(&b);
    jw_init(&w, &b, pretty);
    jw_value(&w, v);
    assert_false(b.failed);
    assert_int_equal(w.depth, 0);
    assert_non_null(b.data);
    assert_int_equal(strlen(b.data), b.len);
    return b.data;                      /* caller frees */
}

/* Build "[[[...]]]" with n brackets each side. */
static char *nested_arrays(size_t n)
{
    char *s = malloc(2 * n + 1);
    assert_non_null(s);
    memset(s, '[', n);
    memset(s + n, ']', n);
    s[2 * n] = '\0';
    return s;
}

/* ---- value kinds and offsets -------------------------------------------- */

static void test_literals(void **state)
{
    (void)state;
    json_doc *d = parse_ok("null");
    assert_span(json_root(d), JSON_NULL, 0, 4);
    json_doc_free(d);
    d = parse_ok("  true ");
    assert_span(json_root(d), JSON_TRUE, 2, 6);
    json_doc_free(d);
    d = parse_ok("\nfalse");
    assert_span(json_root(d), JSON_FALSE, 1, 6);
    json_doc_free(d);
}

static void test_number_value(void **state)
{
    (void)state;
    json_doc *d = parse_ok(" -12.5e+3 ");
    const json_value *v = json_root(d);
    assert_span(v, JSON_NUMBER, 1, 9);
    assert_int_equal(v->len, 8);
    assert_string_equal(v->u.str, "-12.5e+3");
    json_doc_free(d);

    d = parse_ok("0");
    assert_span(json_root(d), JSON_NUMBER, 0, 1);
    assert_string_equal(json_root(d)->u.str, "0");
    json_doc_free(d);
}

static void test_string_value(void **state)
{
    (void)state;
    json_doc *d = parse_ok("\t\"hello\"");
    const json_value *v = json_root(d);
    assert_span(v, JSON_STRING, 1, 8);
    assert_int_equal(v->len, 5);
    assert_string_equal(v->u.str, "hello");
    json_doc_free(d);

    d = parse_ok("\"\"");
    v = json_root(d);
    assert_span(v, JSON_STRING, 0, 2);
    assert_int_equal(v->len, 0);
    assert_string_equal(v->u.str, "");
    json_doc_free(d);
}

static void test_array_offsets(void **state)
{
    (void)state;
    /*                 0123456789012345678901 */
    json_doc *d = parse_ok("[1, \"a\", [true], {}]");
    const json_value *v = json_root(d);
    assert_span(v, JSON_ARRAY, 0, 20);
    assert_int_equal(v->len, 4);
    assert_span(&v->u.items[0], JSON_NUMBER, 1, 2);
    assert_span(&v->u.items[1], JSON_STRING, 4, 7);
    assert_span(&v->u.items[2], JSON_ARRAY, 9, 15);
    assert_int_equal(v->u.items[2].len, 1);
    assert_span(&v->u.items[2].u.items[0], JSON_TRUE, 10, 14);
    assert_span(&v->u.items[3], JSON_OBJECT, 17, 19);
    assert_int_equal(v->u.items[3].len, 0);
    json_doc_free(d);
}

static void test_object_offsets(void **state)
{
    (void)state;
    const char *text = "{\"Effect\": \"Allow\",\n \"N\" :{\"x\":null}}";
    json_doc *d = parse_ok(text);
    const json_value *v = json_root(d);
    assert_span(v, JSON_OBJECT, 0, (uint32_t)strlen(text));
    assert_int_equal(v->len, 2);
    const json_member *m = &v->u.members[0];
    assert_string_equal(m->key, "Effect");
    assert_int_equal(m->key_len, 6);
    assert_int_equal(m->key_start, 1);
    assert_span(&m->value, JSON_STRING, 11, 18);
    m = &v->u.members[1];
    assert_string_equal(m->key, "N");
    assert_int_equal(m->key_start, 21);
    assert_span(&m->value, JSON_OBJECT, 26, 36);
    assert_int_equal(m->value.u.members[0].key_start, 27);
    assert_span(&m->value.u.members[0].value, JSON_NULL, 31, 35);
    json_doc_free(d);
}

static void test_empty_containers(void **state)
{
    (void)state;
    json_doc *d = parse_ok("[ ]");
    assert_span(json_root(d), JSON_ARRAY, 0, 3);
    assert_int_equal(json_root(d)->len, 0);
    json_doc_free(d);
    d = parse_ok("{\n}");
    assert_span(json_root(d), JSON_OBJECT, 0, 3);
    assert_int_equal(json_root(d)->len, 0);
    json_doc_free(d);
}

static void test_whitespace_accepted(void **state)
{
    (void)state;
    json_doc *d = parse_ok(" \t\r\n[ \t\r\n1 \t\r\n, \r\n{ \"a\" \t: \n2 } ] \n");
    assert_int_equal(json_root(d)->len, 2);
    json_doc_free(d);
}

static void test_whitespace_rejected(void **state)
{
    (void)state;
    expect_err("\f1", "expected a value", 0);
    expect_err("[1,\v2]", "expected a value", 3);
    expect_err("1\f", "unexpected byte 0x0c after root value", 1);
    /* U+00A0 no-break space is not JSON whitespace */
    expect_err("[\xc2\xa0" "1]", "expected a value", 1);
}

static void test_json_get(void **state)
{
    (void)state;
    json_doc *d = parse_ok("{\"a\":1,\"ab\":2,\"\":3}");
    const json_value *root = json_root(d);
    assert_string_equal(json_get(root, "a")->u.str, "1");
    assert_string_equal(json_get(root, "ab")->u.str, "2");
    assert_string_equal(json_get(root, "")->u.str, "3");
    assert_null(json_get(root, "b"));
    assert_null(json_get(root, "A"));
    assert_null(json_get(&root->u.members[0].value, "a"));
    assert_null(json_get(NULL, "a"));
    const json_member *m = json_get_member(root, "ab");
    assert_non_null(m);
    assert_int_equal(m->key_start, 7);
    assert_null(json_get_member(root, "zz"));
    json_doc_free(d);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(json_kind_name(JSON_NULL), "null");
    assert_string_equal(json_kind_name(JSON_FALSE), "boolean");
    assert_string_equal(json_kind_name(JSON_TRUE), "boolean");
    assert_string_equal(json_kind_name(JSON_NUMBER), "number");
    assert_string_equal(json_kind_name(JSON_STRING), "string");
    assert_string_equal(json_kind_name(JSON_ARRAY), "array");
    assert_string_equal(json_kind_name(JSON_OBJECT), "object");
}

/* ---- positions of errors ------------------------------------------------ */

static void test_error_line_column(void **state)
{
    (void)state;
    const char *text = "{\n  \"a\": 1,\n  \"b\": [1, 2,, 3]\n}";
    json_error err;
    assert_null(json_parse(text, strlen(text), NULL, &err));
    assert_string_equal(err.msg, "expected a value");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 14);
    assert_int_equal(err.offset, 25);

    const char *crlf = "[\r\n1,\r\n  x]";
    assert_null(json_parse(crlf, strlen(crlf), NULL, &err));
    assert_int_equal(err.offset, 9);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 3);
}

static void test_line_col_function(void **state)
{
    (void)state;
    const char *t = "ab\ncd\r\n\nx";
    unsigned line, col;
    json_line_col(t, strlen(t), 0, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 1);
    json_line_col(t, strlen(t), 2, &line, &col);   /* the '\n' itself */
    assert_int_equal(line, 1);
    assert_int_equal(col, 3);
    json_line_col(t, strlen(t), 3, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 1);
    json_line_col(t, strlen(t), 8, &line, &col);
    assert_int_equal(line, 4);
    assert_int_equal(col, 1);
    json_line_col(t, strlen(t), 100, &line, &col); /* clamped to the end */
    assert_int_equal(line, 4);
    assert_int_equal(col, 2);
}

static void test_error_at_end_of_input(void **state)
{
    (void)state;
    json_error err;
    const char *text = "{\"a\": [1,\n2";
    assert_null(json_parse(text, strlen(text), NULL, &err));
    assert_string_equal(err.msg,
                        "unexpected end of input, expected ',' or ']' after array element");
    assert_int_equal(err.offset, strlen(text));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 2);
    expect_err("{\"a\":1", "unexpected end of input, expected ',' or '}' after object member", 6);
    expect_err("{\"a\"", "unexpected end of input, expected ':' after object key", 4);
    expect_err("{\"a\":", "unexpected end of input, expected a value", 5);
    expect_err("[", "unexpected end of input, expected a value", 1);
    expect_err("{", "unexpected end of input, expected string key or '}'", 1);
}

static void test_structural_errors(void **state)
{
    (void)state;
    expect_err("{\"a\" 1}", "expected ':' after object key", 5);
    expect_err("{\"a\":1 \"b\":2}", "expected ',' or '}' after object member", 7);
    expect_err("[1 2]", "expected ',' or ']' after array element", 3);
    expect_err("{1:2}", "expected string key or '}'", 1);
    expect_err("{'a':2}", "expected string key or '}'", 1);
    expect_err("{\"a\":1,2}", "expected string key after ','", 7);
    expect_err("[1}", "expected ',' or ']' after array element", 2);
    expect_err("{\"a\":1]", "expected ',' or '}' after object member", 6);
    expect_err("]", "expected a value", 0);
    expect_err("[,1]", "expected a value", 1);
    expect_err("{\"a\":}", "expected a value", 5);
}

static void test_trailing_commas(void **state)
{
    (void)state;
    expect_err("[1,2,]", "trailing comma before ']'", 4);
    expect_err("{\"a\":1, }", "trailing comma before '}'", 6);
    expect_err("[1,\n]", "trailing comma before ']'", 2);
}

static void test_trailing_content(void **state)
{
    (void)state;
    expect_err("{} {}", "unexpected character '{' after root value", 3);
    expect_err("1 2", "unexpected character '2' after root value", 2);
    expect_err("null\n,", "unexpected character ',' after root value", 5);
    expect_err("\"a\"\"b\"", "unexpected character '\"' after root value", 3);
    expect_err_n("[]\0", 3, NULL, "unexpected byte 0x00 after root value", 2);
    expect_err("[] \xc3\xa9", "unexpected byte 0xc3 after root value", 3);
    /* trailing whitespace is fine */
    json_doc_free(parse_ok("[]  \r\n\t"));
}

static void test_bom_rejected(void **state)
{
    (void)state;
    expect_err("\xef\xbb\xbf{}", "UTF-8 byte order mark (BOM) is not allowed", 0);
    expect_err("\xef\xbb\xbf", "UTF-8 byte order mark (BOM) is not allowed", 0);
    /* a BOM-looking sequence inside a string is just U+FEFF */
    json_doc *d = parse_ok("\"\xef\xbb\xbf\"");
    assert_int_equal(json_root(d)->len, 3);
    json_doc_free(d);
}

static void test_empty_input(void **state)
{
    (void)state;
    expect_err("", "empty document", 0);
    expect_err(" \n\t ", "empty document", 4);
    expect_err_n(NULL, 0, NULL, "empty document", 0);
    json_error err;
    assert_null(json_parse(NULL, 5, NULL, &err));
    assert_true(err.msg[0] != '\0');
}

static void test_null_error_pointer(void **state)
{
    (void)state;
    assert_null(json_parse("[1,", 3, NULL, NULL));
    assert_null(json_parse("", 0, NULL, NULL));
    json_doc *d = json_parse("[1]", 3, NULL, NULL);
    assert_non_null(d);
    json_doc_free(d);
    json_doc_free(NULL);
    assert_null(json_root(NULL));
}

/* ---- duplicate keys ----------------------------------------------------- */

static void test_duplicate_key(void **state)
{
    (void)state;
    const char *text = "{\n  \"Effect\": \"Allow\",\n  \"Effect\": \"Deny\"\n}";
    json_error err;
    assert_null(json_parse(text, strlen(text), NULL, &err));
    assert_string_equal(err.msg, "duplicate key \"Effect\"");
    assert_int_equal(err.offset, 25);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.column, 3);
}

static void test_duplicate_key_cases(void **state)
{
    (void)state;
    /* same key in sibling/nested objects is fine, case matters */
    json_doc *d = parse_ok("{\"a\":{\"a\":1},\"b\":[{\"a\":1},{\"a\":2}],\"A\":3}");
    json_doc_free(d);
    /* an escaped spelling is the same key */
    expect_err("{\"a\":1,\"\\u0061\":2}", "duplicate key \"a\"", 7);
    /* a prefix is a different key */
    json_doc_free(parse_ok("{\"ab\":1,\"a\":2,\"abc\":3}"));
    /* the empty key */
    expect_err("{\"\":1,\"\":2}", "duplicate key \"\"", 6);
    /* keys are quoted safely in the message */
    expect_err("{\"q\\\"\\n\":1,\"q\\\"\\n\":2}", "duplicate key \"q\\\"\\u000a\"", 11);
    /* duplicate found after a nested object closes */
    expect_err("{\"x\":{\"y\":1,\"z\":2},\"x\":3}", "duplicate key \"x\"", 19);
}

static void test_duplicate_key_long(void **state)
{
    (void)state;
    char key[300];
    memset(key, 'k', sizeof key - 1);
    key[sizeof key - 1] = '\0';
    char text[700];
    snprintf(text, sizeof text, "{\"%s\":1,\"%s\":2}", key, key);
    json_error err;
    assert_null(json_parse(text, strlen(text), NULL, &err));
    assert_true(strncmp(err.msg, "duplicate key \"kkkk", 19) == 0);
    assert_non_null(strstr(err.msg, "...\""));
    assert_true(strlen(err.msg) < sizeof err.msg - 1);
    assert_int_equal(err.offset, 2 + 299 + 4);
}

static void test_duplicate_key_large_object(void **state)
{
    (void)state;
    /* enough members to use the hash set, with the duplicate far away */
    size_t n = 5000;
    json_buf b;
    json_buf_init(&b);
    json_buf_puts(&b, "{");
    for (size_t i = 0; i < n; i++)
        json_buf_printf(&b, "%s\"key%zu\":%zu", i ? "," : "", i, i);
    size_t members_end = b.len;
    json_buf_puts(&b, "}");
    json_doc *d = parse_n(b.data, b.len, NULL);
    const json_value *root = json_root(d);
    assert_int_equal(root->len, n);
    assert_string_equal(json_get(root, "key4321")->u.str, "4321");
    assert_string_equal(root->u.members[4999].key, "key4999");
    json_doc_free(d);

    size_t dup_at = members_end + 1;
    b.len = members_end;
    json_buf_puts(&b, ",\"key17\":0}");
    expect_err_n(b.data, b.len, NULL, "duplicate key \"key17\"", dup_at);

    /* and a duplicate of a key that arrived after the set was built */
    b.len = members_end;
    json_buf_puts(&b, ",\"key4998\":0}");
    expect_err_n(b.data, b.len, NULL, "duplicate key \"key4998\"", dup_at);
    json_buf_free(&b);
}

static void test_duplicate_key_threshold(void **state)
{
    (void)state;
    /* around the switch from linear scan to hash set */
    for (size_t n = 1; n < 40; n++) {
        for (size_t dup = 0; dup < n; dup += 3) {
            json_buf b;
            json_buf_init(&b);
            json_buf_puts(&b, "{");
            for (size_t i = 0; i < n; i++)
                json_buf_printf(&b, "\"k%zu\":[{\"k%zu\":0}],", i, i);
            size_t at = b.len;
            json_buf_printf(&b, "\"k%zu\":1}", dup);
            char msg[64];
            snprintf(msg, sizeof msg, "duplicate key \"k%zu\"", dup);
            expect_err_n(b.data, b.len, NULL, msg, at);
            b.len = at;
            json_buf_printf(&b, "\"k%zu\":1}", n);
            json_doc_free(parse_n(b.data, b.len, NULL));
            json_buf_free(&b);
        }
    }
}

/* ---- limits ------------------------------------------------------------- */

static void test_limit_max_bytes(void **state)
{
    (void)state;
    json_limits lim = { .max_bytes = 10 };
    json_doc_free(parse_n("[1,2,3,45]", 10, &lim));
    expect_err_n("[1,2,3,456]", 11, &lim, "document larger than 10 bytes", 10);
    json_error err;
    assert_null(json_parse("[1,\n2,3,456]", 12, &lim, &err));
    assert_int_equal(err.line, 2);
    assert_int_equal(err.column, 7);
}

static void test_limit_max_depth(void **state)
{
    (void)state;
    json_limits lim = { .max_depth = 3 };
    json_doc_free(parse_n("[{\"a\":[1]}]", 11, &lim));
    expect_err_n("[{\"a\":[[1]]}]", 13, &lim, "nesting deeper than 3", 7);
    expect_err_n("{\"a\":{\"b\":{\"c\":{}}}}", 20, &lim,
                 "nesting deeper than 3", 15);
    /* scalars do not count as nesting */
    lim.max_depth = 1;
    json_doc_free(parse_n("[1,\"x\",null]", 12, &lim));
    json_doc_free(parse_n("7", 1, &lim));
    expect_err_n("[[]]", 4, &lim, "nesting deeper than 1", 1);
}

static void test_default_depth(void **state)
{
    (void)state;
    char *ok = nested_arrays(JSON_DEFAULT_MAX_DEPTH);
    json_doc *d = parse_ok(ok);
    const json_value *v = json_root(d);
    for (unsigned i = 1; i < JSON_DEFAULT_MAX_DEPTH; i++) {
        assert_int_equal(v->kind, JSON_ARRAY);
        assert_int_equal(v->len, 1);
        v = &v->u.items[0];
    }
    assert_int_equal(v->len, 0);
    assert_int_equal(v->start, JSON_DEFAULT_MAX_DEPTH - 1);
    json_doc_free(d);
    free(ok);

    char *deep = nested_arrays(JSON_DEFAULT_MAX_DEPTH + 1);
    expect_err(deep, "nesting deeper than 64", JSON_DEFAULT_MAX_DEPTH);
    free(deep);
}

static void test_huge_depth_is_bounded(void **state)
{
    (void)state;
    /* a caller asking for absurd depth still gets a bounded recursion */
    json_limits lim = { .max_depth = 4000000000u };
    size_t n = 100000;
    char *deep = nested_arrays(n);
    json_error err;
    assert_null(json_parse(deep, 2 * n, &lim, &err));
    assert_non_null(strstr(err.msg, "nesting deeper than"));
    free(deep);
    deep = nested_arrays(500);
    json_doc_free(parse_n(deep, 1000, &lim));
    free(deep);
}

static void test_limit_max_string(void **state)
{
    (void)state;
    json_limits lim = { .max_string = 4 };
    json_doc_free(parse_n("[\"abcd\"]", 8, &lim));
    expect_err_n("[\"abcde\"]", 9, &lim, "string longer than 4 bytes", 1);
    /* the limit applies to keys too */
    expect_err_n("{\"abcde\":1}", 11, &lim, "string longer than 4 bytes", 1);
    /* and counts decoded bytes, not source bytes */
    const char *esc = "\"\\u00e9\\u00e9\"";         /* 12 source, 4 decoded */
    json_doc *d = parse_n(esc, strlen(esc), &lim);
    assert_int_equal(json_root(d)->len, 4);
    json_doc_free(d);
    const char *esc5 = "\"\\n\\u00e9\\u00e9\"";    /* 5 decoded */
    expect_err_n(esc5, strlen(esc5), &lim, "string longer than 4 bytes", 0);
    /* numbers are not strings */
    json_doc_free(parse_n("123456789", 9, &lim));
}

static void test_limits_zero_means_default(void **state)
{
    (void)state;
    json_limits lim = { 0, 0, 0 };
    char *ok = nested_arrays(64);
    json_doc_free(parse_n(ok, 128, &lim));
    free(ok);
    char *bad = nested_arrays(65);
    expect_err_n(bad, 130, &lim, "nesting deeper than 64", 64);
    free(bad);

    size_t n = JSON_DEFAULT_MAX_STRING + 3;
    char *s = malloc(n);
    assert_non_null(s);
    memset(s, 'x', n);
    s[0] = '"';
    s[n - 1] = '"';
    expect_err_n(s, n, &lim, "string longer than 1048576 bytes", 0);
    s[n - 2] = '"';                         /* exactly the default */
    json_doc *d = parse_n(s, n - 1, &lim);
    assert_int_equal(json_root(d)->len, JSON_DEFAULT_MAX_STRING);
    json_doc_free(d);
    free(s);
}

static void test_limit_default_max_bytes(void **state)
{
    (void)state;
    size_t n = JSON_DEFAULT_MAX_BYTES + 1;
    char *s = malloc(n);
    assert_non_null(s);
    memset(s, ' ', n);
    s[0] = '1';
    expect_err_n(s, n, NULL, "document larger than 16777216 bytes",
                 JSON_DEFAULT_MAX_BYTES);
    json_doc *d = parse_n(s, n - 1, NULL);
    assert_span(json_root(d), JSON_NUMBER, 0, 1);
    json_doc_free(d);
    free(s);
}

/* ---- strings: UTF-8 ----------------------------------------------------- */

static void test_utf8_valid(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "\"\xc2\x80\"",                 /* U+0080 */
        "\"\xdf\xbf\"",                 /* U+07FF */
        "\"\xe0\xa0\x80\"",             /* U+0800 */
        "\"\xed\x9f\xbf\"",             /* U+D7FF */
        "\"\xee\x80\x80\"",             /* U+E000 */
        "\"\xef\xbf\xbf\"",             /* U+FFFF */
        "\"\xf0\x90\x80\x80\"",         /* U+10000 */
        "\"\xf4\x8f\xbf\xbf\"",         /* U+10FFFF */
        "\"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\"",
        "\"\x7f\"",                     /* DEL is not a control char in JSON */
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        json_doc *d = parse_ok(ok[i]);
        const json_value *v = json_root(d);
        assert_int_equal(v->len, strlen(ok[i]) - 2);
        assert_memory_equal(v->u.str, ok[i] + 1, v->len);
        json_doc_free(d);
    }
}

static void test_utf8_invalid_bytes(void **state)
{
    (void)state;
    expect_err("\"ab\xff\"", "invalid UTF-8 byte 0xff", 3);
    expect_err("\"\xfe\"", "invalid UTF-8 byte 0xfe", 1);
    expect_err("\"\xf5\x80\x80\x80\"", "invalid UTF-8 byte 0xf5", 1);
    expect_err("\"\x80\"", "invalid UTF-8 byte 0x80", 1);
    expect_err("\"\xc3\xa9\xbf\"", "invalid UTF-8 byte 0xbf", 3);
    /* invalid UTF-8 in keys too, and after the fast path's 8-byte stride */
    expect_err("{\"abcdefghijk\xff\":1}", "invalid UTF-8 byte 0xff", 13);
}

static void test_utf8_overlong(void **state)
{
    (void)state;
    expect_err("\"\xc0\x80\"", "overlong UTF-8 encoding (byte 0xc0)", 1);
    expect_err("\"\xc1\xbf\"", "overlong UTF-8 encoding (byte 0xc1)", 1);
    expect_err("\"\xe0\x80\x80\"", "overlong UTF-8 encoding", 1);
    expect_err("\"\xe0\x9f\xbf\"", "overlong UTF-8 encoding", 1);
    expect_err("\"\xf0\x80\x80\x80\"", "overlong UTF-8 encoding", 1);
    expect_err("\"\xf0\x8f\xbf\xbf\"", "overlong UTF-8 encoding", 1);
}

static void test_utf8_surrogates_and_range(void **state)
{
    (void)state;
    expect_err("\"\xed\xa0\x80\"", "surrogate code point encoded in UTF-8", 1);
    expect_err("\"x\xed\xbf\xbf\"", "surrogate code point encoded in UTF-8", 2);
    expect_err("\"\xf4\x90\x80\x80\"", "UTF-8 code point above U+10FFFF", 1);
    expect_err("\"\xf4\xbf\xbf\xbf\"", "UTF-8 code point above U+10FFFF", 1);
}

static void test_utf8_truncated(void **state)
{
    (void)state;
    expect_err("\"\xc3\"", "truncated UTF-8 sequence", 1);
    expect_err("\"\xe2\x82\"", "truncated UTF-8 sequence", 1);
    expect_err("\"\xf0\x9f\x98\"", "truncated UTF-8 sequence", 1);
    expect_err("\"\xe2\x82x\"", "truncated UTF-8 sequence", 1);
    expect_err_n("\"\xf0\x9f", 3, NULL, "truncated UTF-8 sequence", 1);
}

static void test_non_ascii_outside_strings(void **state)
{
    (void)state;
    /* a "smart quote" instead of '"' */
    expect_err("[\xe2\x80\x9c" "a" "\xe2\x80\x9d]", "expected a value", 1);
    expect_err("\xff", "expected a value", 0);
}

/* ---- strings: escapes --------------------------------------------------- */

static void test_simple_escapes(void **state)
{
    (void)state;
    json_doc *d = parse_ok("\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\"");
    const json_value *v = json_root(d);
    assert_string_equal(v->u.str, "a\"b\\c/d\be\ff\ng\rh\ti");
    assert_int_equal(v->len, 17);
    assert_int_equal(v->end, 27);
    json_doc_free(d);
    /* an escaped backslash right before the closing quote */
    d = parse_ok("[\"\\\\\",\"x\"]");
    assert_string_equal(json_root(d)->u.items[0].u.str, "\\");
    assert_string_equal(json_root(d)->u.items[1].u.str, "x");
    json_doc_free(d);
}

static void test_unicode_escapes(void **state)
{
    (void)state;
    json_doc *d = parse_ok("\"\\u0041\\u00e9\\u00E9\\u20ac\\uFFFF\\u0800\\u07ff\"");
    const json_value *v = json_root(d);
    const char want[] = "A\xc3\xa9\xc3\xa9\xe2\x82\xac\xef\xbf\xbf\xe0\xa0\x80\xdf\xbf";
    assert_int_equal(v->len, sizeof want - 1);
    assert_memory_equal(v->u.str, want, sizeof want - 1);
    json_doc_free(d);
}

static void test_escaped_nul(void **state)
{
    (void)state;
    json_doc *d = parse_ok("{\"k\\u0000\":\"a\\u0000b\"}");
    const json_member *m = &json_root(d)->u.members[0];
    assert_int_equal(m->key_len, 2);
    assert_memory_equal(m->key, "k\0", 3);
    assert_int_equal(m->value.len, 3);
    assert_memory_equal(m->value.u.str, "a\0b", 4);
    /* lookup by C string cannot see past the NUL */
    assert_null(json_get(json_root(d), "k"));
    json_doc_free(d);
}

static void test_surrogate_pairs(void **state)
{
    (void)state;
    json_doc *d = parse_ok("\"\\uD83D\\uDE00|\\ud800\\udc00|\\uDBFF\\uDFFF\"");
    const json_value *v = json_root(d);
    const char want[] = "\xf0\x9f\x98\x80|\xf0\x90\x80\x80|\xf4\x8f\xbf\xbf";
    assert_int_equal(v->len, sizeof want - 1);
    assert_memory_equal(v->u.str, want, sizeof want);
    json_doc_free(d);
}

static void test_lone_surrogates(void **state)
{
    (void)state;
    expect_err("\"\\uD83D\"", "unpaired surrogate \\uD83D", 1);
    expect_err("\"ab\\uDE00\"", "unpaired surrogate \\uDE00", 3);
    expect_err("\"\\uD83Dx\"", "unpaired surrogate \\uD83D", 1);
    expect_err("\"\\uD83D\\u0041\"", "unpaired surrogate \\uD83D", 1);
    expect_err("\"\\uD83D\\uD83D\"", "unpaired surrogate \\uD83D", 1);
    expect_err("\"\\uD83D\\n\"", "unpaired surrogate \\uD83D", 1);
    expect_err("\"\\uDE00\\uD83D\"", "unpaired surrogate \\uDE00", 1);
}

static void test_invalid_escapes(void **state)
{
    (void)state;
    expect_err("\"\\q\"", "invalid escape '\\q'", 1);
    expect_err("\"ab\\x41\"", "invalid escape '\\x'", 3);
    expect_err("\"\\U0041\"", "invalid escape '\\U'", 1);
    expect_err("\"\\'\"", "invalid escape '\\''", 1);
    expect_err("\"\\\xc3\xa9\"", "invalid escape: byte 0xc3 after '\\'", 1);
    expect_err("\"\\\t\"", "invalid escape: byte 0x09 after '\\'", 1);
    expect_err("\"\\u12G4\"", "invalid \\u escape, expected 4 hex digits", 1);
    expect_err("\"\\u123\"", "invalid \\u escape, expected 4 hex digits", 1);
    expect_err("\"\\u\"", "invalid \\u escape, expected 4 hex digits", 1);
    expect_err_n("\"\\u12", 5, NULL, "invalid \\u escape, expected 4 hex digits", 1);
}

static void test_control_chars(void **state)
{
    (void)state;
    expect_err("\"a\nb\"", "control character 0x0a in string", 2);
    expect_err("\"\t\"", "control character 0x09 in string", 1);
    expect_err_n("\"a\0\"", 4, NULL, "control character 0x00 in string", 2);
    expect_err("{\"k\x1f\":1}", "control character 0x1f in string", 3);
    for (int c = 1; c < 0x20; c++) {
        char s[4] = { '"', (char)c, '"', 0 };
        expect_fail(s, 3);
    }
}

static void test_unterminated_string(void **state)
{
    (void)state;
    expect_err("\"abc", "unterminated string", 0);
    expect_err("[\"abcdefghijklmnopq", "unterminated string", 1);
    expect_err("\"abc\\", "unterminated string", 0);
    expect_err("\"abc\\\"", "unterminated string", 0);
    expect_err("{\"k", "unterminated string", 1);
    expect_err("\"", "unterminated string", 0);
}

static void test_long_strings(void **state)
{
    (void)state;
    /* exercise the 8-byte fast path at every alignment and length */
    char buf[80];
    for (size_t len = 0; len < 40; len++) {
        for (size_t pre = 0; pre < 9; pre++) {
            size_t o = 0;
            memset(buf, ' ', pre);
            o = pre;
            buf[o++] = '"';
            for (size_t i = 0; i < len; i++)
                buf[o++] = (char)('a' + (i % 26));
            buf[o++] = '"';
            json_doc *d = parse_n(buf, o, NULL);
            const json_value *v = json_root(d);
            assert_int_equal(v->len, len);
            assert_memory_equal(v->u.str, buf + pre + 1, len);
            assert_int_equal(v->u.str[len], '\0');
            json_doc_free(d);
            if (len > 0) {                     /* escape at the last byte */
                buf[o - 2] = '\n';
                expect_err_n(buf, o, NULL, "control character 0x0a in string",
                             o - 2);
            }
        }
    }
}

/* ---- numbers ------------------------------------------------------------ */

static void test_numbers_accepted(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "0", "-0", "1", "-1", "10", "1234567890", "0.5", "-0.5", "0.0",
        "3.14159", "1e5", "1E5", "1e+5", "1e-5", "1.5e10", "-1.5E-10",
        "0e0", "0E+0", "0.1e1", "100e001", "123456789012345678901234567890",
        "1.000000000000000000000000001", "-9e-999",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        json_doc *d = parse_ok(ok[i]);
        const json_value *v = json_root(d);
        assert_int_equal(v->kind, JSON_NUMBER);
        assert_string_equal(v->u.str, ok[i]);
        assert_int_equal(v->len, strlen(ok[i]));
        json_doc_free(d);
        /* also inside containers, followed by every delimiter */
        char buf[256];
        snprintf(buf, sizeof buf, "[%s,{\"n\":%s},%s ,\n%s]", ok[i], ok[i],
                 ok[i], ok[i]);
        d = parse_ok(buf);
        assert_string_equal(json_root(d)->u.items[3].u.str, ok[i]);
        json_doc_free(d);
    }
}

static void test_numbers_rejected(void **state)
{
    (void)state;
    static const struct { const char *text, *msg; size_t off; } bad[] = {
        { "01", "leading zeros are not allowed in numbers", 0 },
        { "-01", "leading zeros are not allowed in numbers", 0 },
        { "00", "leading zeros are not allowed in numbers", 0 },
        { "+1", "numbers cannot start with '+'", 0 },
        { ".5", "numbers cannot start with '.'", 0 },
        { "-", "unexpected end of input, expected digit after '-'", 1 },
        { "-a", "expected digit after '-'", 1 },
        { "- 1", "expected digit after '-'", 1 },
        { "1.", "unexpected end of input, expected digit after decimal point", 2 },
        { "1.e5", "expected digit after decimal point", 2 },
        { "1e", "unexpected end of input, expected digit in exponent", 2 },
        { "1e+", "unexpected end of input, expected digit in exponent", 3 },
        { "1E-x", "expected digit in exponent", 3 },
        { "1.2.3", "unexpected character '.' in number", 3 },
        { "12abc", "unexpected character 'a' in number", 2 },
        { "0x1f", "unexpected character 'x' in number", 1 },
        { "1e5e5", "unexpected character 'e' in number", 3 },
        { "1-2", "unexpected character '-' in number", 1 },
        { "1e1.5", "unexpected character '.' in number", 3 },
        { "-Infinity", "expected digit after '-'", 1 },
        { "[1,+2]", "numbers cannot start with '+'", 3 },
        { "[-.5]", "expected digit after '-'", 2 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_err(bad[i].text, bad[i].msg, bad[i].off);
    expect_fail("NaN", 3);
    expect_fail("Infinity", 8);
}

static void test_invalid_literals(void **state)
{
    (void)state;
    expect_err("tru", "invalid literal, expected 'true'", 0);
    expect_err("[truex]", "invalid literal, expected 'true'", 1);
    expect_err("[fals]", "invalid literal, expected 'false'", 1);
    expect_err("nul", "invalid literal, expected 'null'", 0);
    expect_err("nulll", "invalid literal, expected 'null'", 0);
    expect_err("True", "expected a value", 0);
    expect_err("None", "expected a value", 0);
    expect_err("undefined", "expected a value", 0);
    /* a literal directly followed by a delimiter is fine */
    json_doc *d = parse_ok("[true,false,null]");
    assert_int_equal(json_root(d)->u.items[2].kind, JSON_NULL);
    assert_span(&json_root(d)->u.items[1], JSON_FALSE, 6, 11);
    json_doc_free(d);
}

/* ---- larger documents --------------------------------------------------- */

static void test_large_array(void **state)
{
    (void)state;
    /* many values force scratch growth and several arena chunks */
    size_t n = 200000;
    json_buf b;
    json_buf_init(&b);
    json_buf_puts(&b, "[");
    for (size_t i = 0; i < n; i++)
        json_buf_printf(&b, "%s{\"i\":%zu,\"s\":[\"v%zu\",\"%s\"]}", i ? "," : "",
                        i, i, i % 7 ? "" : "long string value to spill chunks");
    json_buf_puts(&b, "]");
    assert_false(b.failed);
    json_doc *d = parse_n(b.data, b.len, NULL);
    const json_value *root = json_root(d);
    assert_int_equal(root->len, n);
    for (size_t i = 0; i < n; i += 9973) {
        const json_value *o = &root->u.items[i];
        char want[32];
        snprintf(want, sizeof want, "%zu", i);
        assert_string_equal(json_get(o, "i")->u.str, want);
        snprintf(want, sizeof want, "v%zu", i);
        assert_string_equal(json_get(o, "s")->u.items[0].u.str, want);
    }
    assert_int_equal(root->end, b.len);
    json_doc_free(d);
    json_buf_free(&b);
}

static void test_large_string_arena(void **state)
{
    (void)state;
    /* one string far larger than the first arena chunk guess */
    size_t n = 300000;
    char *s = malloc(n + 64);
    assert_non_null(s);
    size_t o = 0;
    o += (size_t)sprintf(s, "[\"a\",\"");
    for (size_t i = 0; i < n / 6; i++) {
        memcpy(s + o, "\\u00e9", 6);
        o += 6;
    }
    o += (size_t)sprintf(s + o, "\",\"z\"]");
    json_doc *d = parse_n(s, o, NULL);
    const json_value *root = json_root(d);
    assert_int_equal(root->len, 3);
    assert_int_equal(root->u.items[1].len, n / 6 * 2);
    assert_memory_equal(root->u.items[1].u.str, "\xc3\xa9\xc3\xa9", 4);
    assert_string_equal(root->u.items[2].u.str, "z");
    json_doc_free(d);
    free(s);
}

/* ---- documents built by hand ------------------------------------------- */

static void test_doc_built_by_hand(void **state)
{
    (void)state;
    json_doc *doc = json_doc_new();
    assert_non_null(doc);
    assert_int_equal(json_root(doc)->kind, JSON_NULL);

    json_member *mem = json_doc_alloc(doc, 2 * sizeof *mem);
    assert_non_null(mem);
    assert_int_equal((uintptr_t)mem % 16, 0);
    assert_int_equal(mem[1].value.kind, JSON_NULL);     /* zeroed */
    mem[0].key = json_doc_strndup(doc, "Effectxx", 6);
    mem[0].key_len = 6;
    mem[0].value.kind = JSON_STRING;
    mem[0].value.u.str = json_doc_strndup(doc, "Allow", 5);
    mem[0].value.len = 5;
    mem[1].key = json_doc_strndup(doc, "n", 1);
    mem[1].key_len = 1;
    mem[1].value.kind = JSON_NUMBER;
    mem[1].value.u.str = json_doc_strndup(doc, "12", 2);
    mem[1].value.len = 2;
    assert_string_equal(mem[0].key, "Effect");

    json_value root = { .kind = JSON_OBJECT, .len = 2 };
    root.u.members = mem;
    json_doc_set_root(doc, &root);
    root.len = 0;                       /* the doc keeps its own copy */
    assert_int_equal(json_root(doc)->len, 2);
    assert_string_equal(json_get(json_root(doc), "Effect")->u.str, "Allow");
    char *out = write_value(json_root(doc), false);
    assert_string_equal(out, "{\"Effect\":\"Allow\",\"n\":12}");
    free(out);

    /* many small and a few large allocations spill into new chunks */
    for (size_t i = 1; i < 3000; i++) {
        unsigned char *m = json_doc_alloc(doc, i % 97 + 1);
        assert_non_null(m);
        assert_int_equal((uintptr_t)m % 16, 0);
        for (size_t k = 0; k < i % 97 + 1; k++)
            assert_int_equal(m[k], 0);
        memset(m, 0xab, i % 97 + 1);
    }
    char *big = json_doc_alloc(doc, 100000);
    assert_non_null(big);
    memset(big, 1, 100000);
    char *e = json_doc_strndup(doc, NULL, 0);
    assert_non_null(e);
    assert_string_equal(e, "");
    /* earlier data is untouched */
    assert_string_equal(json_get(json_root(doc), "n")->u.str, "12");
    json_doc_set_root(doc, NULL);
    assert_int_equal(json_root(doc)->kind, JSON_NULL);
    json_doc_free(doc);
}

static void test_doc_alloc_on_parsed_doc(void **state)
{
    (void)state;
    json_doc *d = parse_ok("[\"a\",\"b\"]");
    /* extend a parsed tree: the arena outlives the parse */
    json_value *items = json_doc_alloc(d, 3 * sizeof *items);
    assert_non_null(items);
    memcpy(items, json_root(d)->u.items, 2 * sizeof *items);
    items[2].kind = JSON_STRING;
    items[2].u.str = json_doc_strndup(d, "c", 1);
    items[2].len = 1;
    json_value root = *json_root(d);
    root.u.items = items;
    root.len = 3;
    json_doc_set_root(d, &root);
    char *out = write_value(json_root(d), false);
    assert_string_equal(out, "[\"a\",\"b\",\"c\"]");
    free(out);
    json_doc_free(d);
}

/* ---- writer ------------------------------------------------------------- */

static void test_buf_basics(void **state)
{
    (void)state;
    json_buf b;
    json_buf_init(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    json_buf_append(&b, "ab", 2);
    json_buf_puts(&b, "cd");
    json_buf_printf(&b, "-%d-%s", 42, "x");
    assert_string_equal(b.data, "abcd-42-x");
    assert_int_equal(b.len, 9);
    /* printf longer than the spare capacity */
    char big[1000];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    json_buf_printf(&b, "%s|%s", big, big);
    assert_int_equal(b.len, 9 + 2 * 999 + 1);
    assert_int_equal(b.data[b.len - 1], 'q');
    assert_int_equal(b.data[9 + 999], '|');
    assert_false(b.failed);
    for (int i = 0; i < 100000; i++)
        json_buf_append(&b, "0123456789", 10);
    assert_int_equal(b.len, 9 + 1999 + 1000000);
    assert_int_equal(strlen(b.data), b.len);
    assert_true(b.cap > b.len);
    json_buf_free(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

static void test_buf_failed_is_sticky(void **state)
{
    (void)state;
    json_buf b;
    json_buf_init(&b);
    json_buf_puts(&b, "abc");
    b.failed = true;
    json_buf_puts(&b, "def");
    json_buf_printf(&b, "%d", 1);
    json_buf_quote(&b, "x", 1);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "abc");
    /* an impossible size request fails instead of wrapping */
    json_buf c;
    json_buf_init(&c);
    json_buf_puts(&c, "x");
    json_buf_append(&c, "y", SIZE_MAX - 1);
    assert_true(c.failed);
    assert_int_equal(c.len, 1);
    json_buf_free(&b);
    json_buf_free(&c);
}

static void test_buf_quote(void **state)
{
    (void)state;
    json_buf b;
    json_buf_init(&b);
    const char in[] = "a\"b\\c/\n\t\r\b\f\x01\x1f\x7f caf\xc3\xa9 \xf0\x9f\x98\x80";
    json_buf_quote(&b, in, sizeof in - 1);
    assert_string_equal(b.data,
        "\"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\x7f caf\xc3\xa9 \xf0\x9f\x98\x80\"");
    json_buf_free(&b);

    json_buf_init(&b);
    json_buf_quote(&b, "a\0b", 3);
    json_buf_quote(&b, "", 0);
    assert_string_equal(b.data, "\"a\\u0000b\"\"\"");
    json_buf_free(&b);
}

static void test_writer_compact(void **state)
{
    (void)state;
    json_buf b;
    json_writer w;
    json_buf_init(&b);
    jw_init(&w, &b, false);
    jw_object_begin(&w);
    jw_key(&w, "Version");
    jw_string(&w, "2012-10-17");
    jw_key(&w, "n");
    jw_int(&w, -42);
    jw_key(&w, "list");
    jw_array_begin(&w);
    jw_bool(&w, true);
    jw_bool(&w, false);
    jw_null(&w);
    jw_string(&w, NULL);
    jw_double(&w, 1.5);
    jw_object_begin(&w);
    jw_object_end(&w);
    jw_array_begin(&w);
    jw_array_end(&w);
    jw_array_end(&w);
    jw_key(&w, "q\"");
    jw_string_n(&w, "a\nb", 3);
    jw_object_end(&w);
    assert_false(b.failed);
    assert_string_equal(b.data,
        "{\"Version\":\"2012-10-17\",\"n\":-42,\"list\":[true,false,null,null,"
        "1.5,{},[]],\"q\\\"\":\"a\\nb\"}");
    json_buf_free(&b);
}

static void test_writer_pretty(void **state)
{
    (void)state;
    json_buf b;
    json_writer w;
    json_buf_init(&b);
    jw_init(&w, &b, true);
    jw_object_begin(&w);
    jw_key(&w, "a");
    jw_int(&w, 1);
    jw_key(&w, "b");
    jw_array_begin(&w);
    jw_string(&w, "x");
    jw_object_begin(&w);
    jw_key(&w, "c");
    jw_null(&w);
    jw_object_end(&w);
    jw_array_end(&w);
    jw_key(&w, "e");
    jw_object_begin(&w);
    jw_object_end(&w);
    jw_key(&w, "f");
    jw_array_begin(&w);
    jw_array_end(&w);
    jw_object_end(&w);
    assert_false(b.failed);
    assert_string_equal(b.data,
        "{\n"
        "  \"a\": 1,\n"
        "  \"b\": [\n"
        "    \"x\",\n"
        "    {\n"
        "      \"c\": null\n"
        "    }\n"
        "  ],\n"
        "  \"e\": {},\n"
        "  \"f\": []\n"
        "}");
    json_buf_free(&b);
}

static void test_writer_scalars_at_root(void **state)
{
    (void)state;
    static const struct { int kind; const char *want; } cases[] = {
        { 0, "\"s\"" }, { 1, "7" }, { 2, "true" }, { 3, "null" }, { 4, "[]" },
        { 5, "{}" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        for (int pretty = 0; pretty < 2; pretty++) {
            json_buf b;
            json_writer w;
            json_buf_init(&b);
            jw_init(&w, &b, pretty);
            switch (cases[i].kind) {
            case 0: jw_string(&w, "s"); break;
            case 1: jw_int(&w, 7); break;
            case 2: jw_bool(&w, true); break;
            case 3: jw_null(&w); break;
            case 4: jw_array_begin(&w); jw_array_end(&w); break;
            case 5: jw_object_begin(&w); jw_object_end(&w); break;
            }
            assert_string_equal(b.data, cases[i].want);
            json_buf_free(&b);
        }
    }
}

static void test_writer_doubles(void **state)
{
    (void)state;
    static const double vals[] = {
        0.0, -0.0, 1.0, -2.5, 0.1, 1.0 / 3.0, 1e300, -1e-300, 123456789.0,
        5e-324, 1.7976931348623157e308, 2.0 / 3.0 * 1e21,
    };
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        json_buf b;
        json_writer w;
        json_buf_init(&b);
        jw_init(&w, &b, false);
        jw_double(&w, vals[i]);
        json_doc *d = parse_ok(b.data);
        assert_int_equal(json_root(d)->kind, JSON_NUMBER);
        assert_true(strtod(json_root(d)->u.str, NULL) == vals[i]);
        json_doc_free(d);
        json_buf_free(&b);
    }
    json_buf b;
    json_writer w;
    json_buf_init(&b);
    jw_init(&w, &b, false);
    jw_array_begin(&w);
    jw_double(&w, 0.1);
    jw_double(&w, 100.0);
    jw_double(&w, INFINITY);
    jw_double(&w, -INFINITY);
    jw_double(&w, NAN);
    jw_array_end(&w);
    assert_string_equal(b.data, "[0.1,100,null,null,null]");
    json_buf_free(&b);
}

static void test_writer_misuse_fails(void **state)
{
    (void)state;
    json_buf b;
    json_writer w;
    json_buf_init(&b);
    jw_init(&w, &b, false);
    jw_array_end(&w);                   /* nothing open */
    assert_true(b.failed);
    json_buf_free(&b);

    json_buf_init(&b);
    jw_init(&w, &b, true);
    for (unsigned i = 0; i < JSON_DEFAULT_MAX_DEPTH; i++)
        jw_array_begin(&w);
    assert_false(b.failed);
    jw_array_begin(&w);                 /* one level too deep */
    assert_true(b.failed);
    json_buf_free(&b);

    json_buf_init(&b);
    jw_init(&w, &b, false);
    jw_object_begin(&w);
    jw_key(&w, NULL);
    assert_true(b.failed);
    json_buf_free(&b);
}

static void test_writer_max_depth_exact(void **state)
{
    (void)state;
    json_buf b;
    json_writer w;
    json_buf_init(&b);
    jw_init(&w, &b, false);
    for (unsigned i = 0; i < JSON_DEFAULT_MAX_DEPTH; i++)
        jw_array_begin(&w);
    for (unsigned i = 0; i < JSON_DEFAULT_MAX_DEPTH; i++)
        jw_array_end(&w);
    assert_false(b.failed);
    char *want = nested_arrays(JSON_DEFAULT_MAX_DEPTH);
    assert_string_equal(b.data, want);
    free(want);
    json_buf_free(&b);

    /* jw_value refuses a parsed tree deeper than the writer can track */
    json_limits lim = { .max_depth = 100 };
    char *deep = nested_arrays(65);
    json_doc *d = parse_n(deep, 130, &lim);
    json_buf_init(&b);
    jw_init(&w, &b, false);
    jw_value(&w, json_root(d));
    assert_true(b.failed);
    json_buf_free(&b);
    json_doc_free(d);
    free(deep);
}

/* ---- round trips -------------------------------------------------------- */

static void roundtrip(const char *text)
{
    json_doc *d1 = parse_ok(text);
    for (int pretty = 0; pretty < 2; pretty++) {
        char *out = write_value(json_root(d1), pretty);
        json_doc *d2 = parse_ok(out);
        assert_true(values_equal(json_root(d1), json_root(d2)));
        /* writing is deterministic: a second trip is byte-identical */
        char *out2 = write_value(json_root(d2), pretty);
        assert_string_equal(out, out2);
        free(out2);
        json_doc_free(d2);
        free(out);
    }
    json_doc_free(d1);
}

static void test_roundtrip_policy(void **state)
{
    (void)state;
    roundtrip(
        "{\n"
        "  \"Version\": \"2012-10-17\",\n"
        "  \"Statement\": [\n"
        "    {\n"
        "      \"Sid\": \"AllowS3\",\n"
        "      \"Effect\": \"Allow\",\n"
        "      \"Action\": [\"s3:GetObject\", \"s3:List*\"],\n"
        "      \"Resource\": \"arn:aws:s3:::bucket/*\",\n"
        "      \"Condition\": {\n"
        "        \"NumericLessThan\": {\"s3:max-keys\": \"10\"},\n"
        "        \"Bool\": {\"aws:SecureTransport\": true},\n"
        "        \"IpAddress\": {\"aws:SourceIp\": [\"10.0.0.0/8\"]}\n"
        "      }\n"
        "    }\n"
        "  ]\n"
        "}");
}

static void test_roundtrip_escapes_and_numbers(void **state)
{
    (void)state;
    roundtrip("[\"\\u0000\\u001f\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"\\uD83D\\uDE00 caf\xc3\xa9\","
              "{\"k\\u0000ey\":\"\",\"\":{}},-0,1e5,1.25E-3,"
              "123456789012345678901234567890,[],[[],{}],true,false,null]");
    roundtrip("\"just a string\"");
    roundtrip("42");
    roundtrip("{}");
}

static void test_roundtrip_exact_compact(void **state)
{
    (void)state;
    /* compact output of compact input is the input itself */
    const char *text = "{\"a\":[1,2.50,-3e+7,{\"b\":null}],\"c\":\"\\n\\u0001\",\"d\":{}}";
    json_doc *d = parse_ok(text);
    char *out = write_value(json_root(d), false);
    assert_string_equal(out, text);
    free(out);
    json_doc_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_number_value),
        cmocka_unit_test(test_string_value),
        cmocka_unit_test(test_array_offsets),
        cmocka_unit_test(test_object_offsets),
        cmocka_unit_test(test_empty_containers),
        cmocka_unit_test(test_whitespace_accepted),
        cmocka_unit_test(test_whitespace_rejected),
        cmocka_unit_test(test_json_get),
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_error_line_column),
        cmocka_unit_test(test_line_col_function),
        cmocka_unit_test(test_error_at_end_of_input),
        cmocka_unit_test(test_structural_errors),
        cmocka_unit_test(test_trailing_commas),
        cmocka_unit_test(test_trailing_content),
        cmocka_unit_test(test_bom_rejected),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_null_error_pointer),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_duplicate_key_cases),
        cmocka_unit_test(test_duplicate_key_long),
        cmocka_unit_test(test_duplicate_key_large_object),
        cmocka_unit_test(test_duplicate_key_threshold),
        cmocka_unit_test(test_limit_max_bytes),
        cmocka_unit_test(test_limit_max_depth),
        cmocka_unit_test(test_default_depth),
        cmocka_unit_test(test_huge_depth_is_bounded),
        cmocka_unit_test(test_limit_max_string),
        cmocka_unit_test(test_limits_zero_means_default),
        cmocka_unit_test(test_limit_default_max_bytes),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_invalid_bytes),
        cmocka_unit_test(test_utf8_overlong),
        cmocka_unit_test(test_utf8_surrogates_and_range),
        cmocka_unit_test(test_utf8_truncated),
        cmocka_unit_test(test_non_ascii_outside_strings),
        cmocka_unit_test(test_simple_escapes),
        cmocka_unit_test(test_unicode_escapes),
        cmocka_unit_test(test_escaped_nul),
        cmocka_unit_test(test_surrogate_pairs),
        cmocka_unit_test(test_lone_surrogates),
        cmocka_unit_test(test_invalid_escapes),
        cmocka_unit_test(test_control_chars),
        cmocka_unit_test(test_unterminated_string),
        cmocka_unit_test(test_long_strings),
        cmocka_unit_test(test_numbers_accepted),
        cmocka_unit_test(test_numbers_rejected),
        cmocka_unit_test(test_invalid_literals),
        cmocka_unit_test(test_large_array),
        cmocka_unit_test(test_large_string_arena),
        cmocka_unit_test(test_doc_built_by_hand),
        cmocka_unit_test(test_doc_alloc_on_parsed_doc),
        cmocka_unit_test(test_buf_basics),
        cmocka_unit_test(test_buf_failed_is_sticky),
        cmocka_unit_test(test_buf_quote),
        cmocka_unit_test(test_writer_compact),
        cmocka_unit_test(test_writer_pretty),
        cmocka_unit_test(test_writer_scalars_at_root),
        cmocka_unit_test(test_writer_doubles),
        cmocka_unit_test(test_writer_misuse_fails),
        cmocka_unit_test(test_writer_max_depth_exact),
        cmocka_unit_test(test_roundtrip_policy),
        cmocka_unit_test(test_roundtrip_escapes_and_numbers),
        cmocka_unit_test(test_roundtrip_exact_compact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

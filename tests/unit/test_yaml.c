/* test_yaml.c - unit tests for the YAML reader and writer.
 *
 * The reader must produce exactly the tree json_parse would for the same
 * data, with YAML line:column positions, CloudFormation tags in their long
 * forms, and clean errors (with positions) for hostile input. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json/json.h"
#include "yaml/yaml.h"

/* ---- helpers ------------------------------------------------------------- */

static json_doc *yaml_ok(const char *text)
{
    json_error err;
    json_doc *doc = yaml_parse(text, strlen(text), NULL, &err);
    if (!doc)
        print_error("unexpected error at %u:%u: %s\n", err.line, err.column, err.msg);
    assert_non_null(doc);
    return doc;
}

/* Compact JSON of a value. */
static char *to_json(const json_value *v)
{
    json_buf b;
    json_buf_init(&b);
    json_writer w;
    jw_init(&w, &b, false);
    jw_value(&w, v);
    assert_false(b.failed);
    return b.data;
}

/* The YAML text must read as the JSON text `want`. */
static void expect_json(const char *yaml, const char *want)
{
    json_doc *doc = yaml_ok(yaml);
    char *got = to_json(json_root(doc));
    if (strcmp(got, want))
        print_error("yaml:\n%s\ngot:  %s\nwant: %s\n", yaml, got, want);
    assert_string_equal(got, want);
    free(got);
    json_doc_free(doc);
}

/* Parsing must fail with a message containing `msg` at line:column. */
static void expect_err_lim(const char *text, size_t len, const json_limits *lim, const char *msg,
                           unsigned line, unsigned column)
{
    json_error err;
    json_doc *doc = yaml_parse(text, len, lim, &err);
    if (doc) {
        print_error("expected failure \"%s\"\n", msg);
        json_doc_free(doc);
    }
    assert_null(doc);
    if (!strstr(err.msg, msg))
        print_error("message \"%s\" does not contain \"%s\"\n", err.msg, msg);
    assert_non_null(strstr(err.msg, msg));
    if (err.line != line || err.column != column)
        print_error("position %u:%u, want %u:%u (%s)\n", err.line, err.column, line, column,
                    err.msg);
    assert_int_equal(err.line, line);
    assert_int_equal(err.column, column);
}

static void expect_err(const char *text, const char *msg, unsigned line, unsigned column)
{
    expect_err_lim(text, strlen(text), NULL, msg, line, column);
}

static void pos(const char *text, const json_value *v, unsigned line, unsigned column)
{
    unsigned l, c;
    json_line_col(text, strlen(text), v->start, &l, &c);
    assert_int_equal(l, line);
    assert_int_equal(c, column);
}

/* ---- scalars -------------------------------------------------------------- */

static void test_plain_scalars(void **state)
{
    (void)state;
    expect_json("a: true\nb: True\nc: TRUE\nd: false\ne: FALSE\n",
                "{\"a\":true,\"b\":true,\"c\":true,\"d\":false,\"e\":false}");
    expect_json("a: null\nb: ~\nc:\nd: Null\n", "{\"a\":null,\"b\":null,\"c\":null,\"d\":null}");
    /* YAML 1.1 booleans are strings in the 1.2 core schema. */
    expect_json("a: yes\nb: off\nc: tRUE\n", "{\"a\":\"yes\",\"b\":\"off\",\"c\":\"tRUE\"}");
    expect_json("a: 12\nb: -1.5e3\nc: 0\nd: 0.25\n",
                "{\"a\":12,\"b\":-1.5e3,\"c\":0,\"d\":0.25}");
    /* Numbers JSON cannot write stay strings: leading zeros (account ids!),
     * hex, octal, signs, bare dots, infinities. */
    expect_json("a: 012345678901\nb: 0x1F\nc: 0o17\nd: +1\ne: .5\nf: 1.\ng: .inf\n",
                "{\"a\":\"012345678901\",\"b\":\"0x1F\",\"c\":\"0o17\",\"d\":\"+1\","
                "\"e\":\".5\",\"f\":\"1.\",\"g\":\".inf\"}");
}

static void test_version_is_a_string(void **state)
{
    (void)state;
    /* A YAML 1.1 reader makes this a date; IAM needs the string. */
    expect_json("Version: 2012-10-17\n", "{\"Version\":\"2012-10-17\"}");
    expect_json("Version: '2012-10-17'\n", "{\"Version\":\"2012-10-17\"}");
    expect_json("AWSTemplateFormatVersion: 2010-09-09\n",
                "{\"AWSTemplateFormatVersion\":\"2010-09-09\"}");
}

static void test_quoted_and_block_scalars(void **state)
{
    (void)state;
    expect_json("a: \"true\"\nb: '12'\nc: \"x\\ty\\u00e9\"\nd: 'it''s'\n",
                "{\"a\":\"true\",\"b\":\"12\",\"c\":\"x\\ty\u00e9\",\"d\":\"it's\"}");
    expect_json("a: |\n  line1\n  line2\nb: >-\n  folded\n  text\n",
                "{\"a\":\"line1\\nline2\\n\",\"b\":\"folded text\"}");
    expect_json("a: multi\n  line plain\n", "{\"a\":\"multi line plain\"}");
    expect_json("\"quoted key\": 1\n? complex\n: 2\n", "{\"quoted key\":1,\"complex\":2}");
    expect_json("1: one\ntrue: t\n", "{\"1\":\"one\",\"true\":\"t\"}");
}

static void test_block_scalars(void **state)
{
    (void)state;
    expect_json("a: | # comment\n  hello\n   world\n\n# trailing\nb: >2-\n   more\n  x\n  y\n\n"
                "c: |+\n  keep\n\n\nd: plain\n  multi # c\ne: 'it''s'\nf: |\r\n  crlf\r\n",
                "{\"a\":\"hello\\n world\\n\",\"b\":\" more\\nx y\",\"c\":\"keep\\n\\n\\n\",\"d\":"
                "\"plain multi\",\"e\":\"it's\",\"f\":\"crlf\\n\"}");
    /* libfyaml 0.7.12 returns stale bytes for this one; it must either be
     * read right or refused, never passed on. */
    const char *text = "- : |\n  x\n   \n   \n   n}\n";
    json_error err;
    json_doc *doc = yaml_parse(text, strlen(text), NULL, &err);
    if (doc) {
        char *got = to_json(json_root(doc));
        assert_string_equal(got, "[{\"\":\"x\\n \\n \\n n}\\n\"}]");
        free(got);
        json_doc_free(doc);
    } else {
        assert_string_equal(err.msg, "this scalar cannot be read reliably; write it as a "
                            "double-quoted string");
        assert_int_equal(err.line, 2);
        assert_int_equal(err.column, 1);
    }
}

/* libfyaml 0.7.12 counts fewer bytes for these single-quoted scalars than it
 * produces, and fy_token_get_text leaked its iterator on them (fuzz
 * leak-0bdbab9d...).  Refused, and (under ASan/valgrind) nothing leaks. */
static void test_single_quote_runs(void **state)
{
    (void)state;
    char text[200];
    memset(text, '\'', 114);
    text[114] = ' ';
    text[115] = '\0';
    const char *const cases[] = {
        text,
        "'''''''''>>>>>>''''>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>FALSE>>>''>>>>>>''''"
        ">>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>>FALSE>>>'",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_error err;
        json_doc *doc = yaml_parse(cases[i], strlen(cases[i]), NULL, &err);
        assert_null(doc);
        assert_int_equal(err.line, 1);
        assert_string_equal(err.msg, "this scalar cannot be read reliably; write it as a "
                            "double-quoted string");
    }
}

static void test_collections(void **state)
{
    (void)state;
    expect_json("- a\n- [1, 2]\n- {k: v}\n- - nested\n  - seq\n",
                "[\"a\",[1,2],{\"k\":\"v\"},[\"nested\",\"seq\"]]");
    expect_json("a: []\nb: {}\n", "{\"a\":[],\"b\":{}}");
    expect_json("Statement:\n  - Effect: Allow\n    Action: [\"s3:*\"]\n",
                "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"s3:*\"]}]}");
    expect_json("---\na: 1\n...\n", "{\"a\":1}");
    expect_json("scalar root\n", "\"scalar root\"");
}

/* ---- CloudFormation tags ------------------------------------------------ */

static void test_cfn_short_forms(void **state)
{
    (void)state;
    expect_json("a: !Ref MyRole\n", "{\"a\":{\"Ref\":\"MyRole\"}}");
    expect_json("a: !GetAtt MyRole.Arn\n", "{\"a\":{\"Fn::GetAtt\":[\"MyRole\",\"Arn\"]}}");
    /* Logical ids have no dots; attribute names may. */
    expect_json("a: !GetAtt Db.Endpoint.Address\n",
                "{\"a\":{\"Fn::GetAtt\":[\"Db\",\"Endpoint.Address\"]}}");
    expect_json("a: !GetAtt [MyRole, Arn]\n", "{\"a\":{\"Fn::GetAtt\":[\"MyRole\",\"Arn\"]}}");
    expect_json("a: !Sub \"arn:${AWS::Partition}:s3:::${B}\"\n",
                "{\"a\":{\"Fn::Sub\":\"arn:${AWS::Partition}:s3:::${B}\"}}");
    expect_json("a: !Sub\n  - \"${X}-y\"\n  - X: !Ref P\n",
                "{\"a\":{\"Fn::Sub\":[\"${X}-y\",{\"X\":{\"Ref\":\"P\"}}]}}");
    expect_json("a: !Join [\",\", [x, !Ref Y]]\n",
                "{\"a\":{\"Fn::Join\":[\",\",[\"x\",{\"Ref\":\"Y\"}]]}}");
    expect_json("a: !If [C, !Ref X, !Ref \"AWS::NoValue\"]\n",
                "{\"a\":{\"Fn::If\":[\"C\",{\"Ref\":\"X\"},{\"Ref\":\"AWS::NoValue\"}]}}");
    expect_json("c: !And [!Equals [a, b], !Not [!Condition D], !Or [!Condition E, !Condition F]]\n",
                "{\"c\":{\"Fn::And\":[{\"Fn::Equals\":[\"a\",\"b\"]},{\"Fn::Not\":[{\"Condition\":"
                "\"D\"}]},{\"Fn::Or\":[{\"Condition\":\"E\"},{\"Condition\":\"F\"}]}]}}");
    expect_json("x: !FindInMap [M, !Ref K, v]\ny: !ImportValue Shared\nz: !Base64 hi\n"
                "s: !Select [0, !Split [\",\", \"a,b\"]]\ng: !GetAZs \"\"\n",
                "{\"x\":{\"Fn::FindInMap\":[\"M\",{\"Ref\":\"K\"},\"v\"]},"
                "\"y\":{\"Fn::ImportValue\":\"Shared\"},\"z\":{\"Fn::Base64\":\"hi\"},"
                "\"s\":{\"Fn::Select\":[0,{\"Fn::Split\":[\",\",\"a,b\"]}]},\"g\":{\"Fn::GetAZs\":\"\"}}");
    /* A tagged value is a string whatever it looks like. */
    expect_json("a: !Ref 123\n", "{\"a\":{\"Ref\":\"123\"}}");
    /* Rules functions, language extensions, Rain directives. */
    expect_json("r: !EachMemberIn [!ValueOfAll [T, VpcId], !RefAll T]\n"
                "c: !Contains [[a], !ValueOf [P, K]]\nq: !EachMemberEquals [x, y]\n"
                "l: !Length [a]\nj: !ToJsonString {a: b}\ne: !Rain::Embed f.py\n"
                "m: !Rain::Module ./m.yml\n",
                "{\"r\":{\"Fn::EachMemberIn\":[{\"Fn::ValueOfAll\":[\"T\",\"VpcId\"]},"
                "{\"Fn::RefAll\":\"T\"}]},\"c\":{\"Fn::Contains\":[[\"a\"],{\"Fn::ValueOf\":"
                "[\"P\",\"K\"]}]},\"q\":{\"Fn::EachMemberEquals\":[\"x\",\"y\"]},"
                "\"l\":{\"Fn::Length\":[\"a\"]},\"j\":{\"Fn::ToJsonString\":{\"a\":\"b\"}},"
                "\"e\":{\"Rain::Embed\":\"f.py\"},\"m\":{\"Rain::Module\":\"./m.yml\"}}");
}

static void test_cfn_tag_errors(void **state)
{
    (void)state;
    expect_err("a: !Foo x\n", "unsupported tag !Foo", 1, 4);
    expect_err("a: !!str x\n", "unsupported tag !!str", 1, 4);
    expect_err("a: !Rain::Nope x\n", "unsupported tag !Rain::Nope", 1, 4);
    expect_err("a:\n  b: !GetAtt NoDot\n", "!GetAtt needs \"Resource.Attribute\"", 2, 14);
    expect_err("!Ref k: v\n", "tags are not allowed on mapping keys", 1, 1);
}

static void test_positions(void **state)
{
    (void)state;
    const char *text = "Resources:\n  R:\n    Name: \"quoted\"\n    Ref: !Ref Other\n"
                       "    List:\n      - one\n      - {k: v}\n";
    json_doc *doc = yaml_ok(text);
    const json_value *r = json_get(json_get(json_root(doc), "Resources"), "R");
    pos(text, r, 3, 5);
    pos(text, json_get(r, "Name"), 3, 11);          /* at the opening quote, as in JSON */
    const json_value *ref = json_get(r, "Ref");
    pos(text, ref, 4, 10);                          /* the tag */
    pos(text, &ref->u.members[0].value, 4, 15);     /* its argument */
    const json_value *list = json_get(r, "List");
    pos(text, &list->u.items[0], 6, 9);
    pos(text, json_get(&list->u.items[1], "k"), 7, 13);
    const json_member *m = json_get_member(r, "List");
    unsigned l, c;
    json_line_col(text, strlen(text), m->key_start, &l, &c);
    assert_int_equal(l, 5);
    assert_int_equal(c, 5);
    json_doc_free(doc);
}

/* ---- anchors and limits --------------------------------------------------- */

static void test_anchors(void **state)
{
    (void)state;
    expect_json("base: &b {Effect: Allow, Action: \"*\"}\ncopy: *b\nk: &s str\nv: *s\n",
                "{\"base\":{\"Effect\":\"Allow\",\"Action\":\"*\"},"
                "\"copy\":{\"Effect\":\"Allow\",\"Action\":\"*\"},\"k\":\"str\",\"v\":\"str\"}");
    expect_json("a: &x 1\nb: &x 2\nc: *x\n", "{\"a\":1,\"b\":2,\"c\":2}");
    expect_json("&k key: 1\nother: {*k : 2}\n", "{\"key\":1,\"other\":{\"key\":2}}");
    expect_err("&k key: 1\n*k : 2\n", "duplicate key \"key\"", 2, 1);
}

static void test_anchor_errors(void **state)
{
    (void)state;
    expect_err("a: *nope\n", "unknown anchor \"nope\"", 1, 4);
    /* An alias inside its own anchor would be a cycle: it is not defined yet. */
    expect_err("a: &x [1, *x]\n", "unknown anchor \"x\"", 1, 11);
    expect_err("a: &x [1]\n*x : 2\n", "an alias used as a mapping key must refer to a string",
               2, 1);
}

static void test_billion_laughs(void **state)
{
    (void)state;
    char text[2048];
    size_t n = (size_t)snprintf(text, sizeof text, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s*a%d", k ? ", " : "", i - 1);
        n += (size_t)snprintf(text + n, sizeof text - n, "]\n");
    }
    json_error err;
    json_doc *doc = yaml_parse(text, n, NULL, &err);
    assert_null(doc);
    assert_non_null(strstr(err.msg, "document expands to more than"));
    /* A small expansion is fine. */
    json_doc_free(yaml_ok("a: &a [x, x]\nb: [*a, *a, *a]\n"));
}

static void test_depth_limit(void **state)
{
    (void)state;
    char text[1024];
    size_t n = 0;
    for (int i = 0; i < 70; i++)
        text[n++] = '[';
    for (int i = 0; i < 70; i++)
        text[n++] = ']';
    text[n] = '\0';
    expect_err_lim(text, n, NULL, "nesting deeper than 64", 1, 65);
    json_limits lim = { .max_depth = 3 };
    expect_err_lim("a:\n  b:\n    c:\n      d: 1\n", 25, &lim, "nesting deeper than 3", 4, 7);
    /* A tag adds a level: {"Ref": ...} is an object. */
    expect_err_lim("a:\n  b: !Ref x\n", 15, &(json_limits){ .max_depth = 2 },
                   "nesting deeper than 2", 2, 6);
}

static void test_size_limits(void **state)
{
    (void)state;
    json_limits lim = { .max_bytes = 10 };
    expect_err_lim("key: value is long\n", 19, &lim, "document larger than 10 bytes", 1, 11);
    json_limits str = { .max_string = 4 };
    expect_err_lim("k: abcdef\n", 10, &str, "string longer than 4 bytes", 1, 4);
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    expect_err("a: 1\nb: 2\na: 3\n", "duplicate key \"a\"", 3, 1);
    expect_err("x:\n  Effect: Allow\n  Effect: Deny\n", "duplicate key \"Effect\"", 3, 3);
    /* Large maps use the sorted check; the first duplicate in the text wins. */
    char text[4096];
    size_t n = 0;
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "k%d: %d\n", i, i);
    n += (size_t)snprintf(text + n, sizeof text - n, "k7: again\nk3: again\n");
    expect_err_lim(text, n, NULL, "duplicate key \"k7\"", 41, 1);
}

static void test_bad_input(void **state)
{
    (void)state;
    expect_err("", "empty document", 1, 1);
    expect_err("# only a comment\n", "empty document", 2, 1);
    expect_err("a: 1\n---\nb: 2\n", "more than one YAML document", 2, 1);
    expect_err("a: [1, 2\n", "invalid YAML", 2, 1);
    expect_err("a: b\n  c: d\n", "invalid YAML", 1, 4);
    expect_err("a: \"\\xZZ\"\n", "invalid YAML", 1, 5);
    expect_err("? [a]\n: b\n", "mapping keys must be scalars", 1, 3);
    expect_err_lim("a: \xff\n", 5, NULL, "invalid UTF-8 byte 0xff", 1, 4);
    expect_err_lim("a: \xc0\x80\n", 6, NULL, "invalid UTF-8 byte 0xc0", 1, 4);
    expect_err_lim("\x00\x01binary", 8, NULL, "control character 0x00", 1, 1);
    expect_err_lim("a: b\x07\n", 6, NULL, "control character 0x07", 1, 5);
    json_error err;
    assert_null(yaml_parse(NULL, 3, NULL, &err));
}

static void test_parse_structured(void **state)
{
    (void)state;
    json_error err;
    /* '{' or '[' first: strict JSON, with JSON's own errors. */
    json_doc *doc = ig_parse_structured(" \n{\"a\": [1, 2]}", 15, NULL, &err);
    assert_non_null(doc);
    json_doc_free(doc);
    assert_null(ig_parse_structured("{\"a\": 1,}", 9, NULL, &err));
    assert_non_null(strstr(err.msg, "trailing comma"));
    /* Anything else is YAML. */
    doc = ig_parse_structured("a: [1, 2]\n", 10, NULL, &err);
    assert_non_null(doc);
    assert_int_equal(json_root(doc)->kind, JSON_OBJECT);
    json_doc_free(doc);
}

/* ---- writer --------------------------------------------------------------- */

/* YAML written by yaml_write reads back as the same tree. */
static void roundtrip(const char *json)
{
    json_error err;
    json_doc *doc = json_parse(json, strlen(json), NULL, &err);
    assert_non_null(doc);
    json_buf y;
    json_buf_init(&y);
    yaml_write(&y, json_root(doc), 0, true);
    assert_false(y.failed);
    json_doc *back = yaml_parse(y.data, y.len, NULL, &err);
    if (!back)
        print_error("written YAML does not parse (%u:%u %s):\n%s\n", err.line, err.column,
                    err.msg, y.data);
    assert_non_null(back);
    char *a = to_json(json_root(doc)), *b = to_json(json_root(back));
    if (strcmp(a, b))
        print_error("yaml:\n%s\ngot:  %s\nwant: %s\n", y.data, b, a);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_buf_free(&y);
    json_doc_free(back);
    json_doc_free(doc);
}

static void test_writer_roundtrip(void **state)
{
    (void)state;
    roundtrip("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S1\",\"Effect\":\"Allow\","
              "\"Action\":[\"s3:GetObject\",\"*\"],\"Resource\":\"arn:aws:s3:::b/*\","
              "\"Condition\":{\"StringEquals\":{\"aws:username\":[\"yes\",\"no\",\"\",\"null\"]},"
              "\"NumericLessThan\":{\"s3:max-keys\":10}}}]}");
    roundtrip("{\"a\":[[1,[2,[]]],{},{\"k\":{\"n\":null,\"t\":true}}],\"#c\":\"x: y\","
              "\"multi\":\"line1\\nline2\",\"u\":\"\\u00e9\\u0001\",\"- d\":\"-\","
              "\"q\":\"\\\"\",\"e\":\"a #b\",\"n\":\"12\",\"k:\":\"v:\"}");
    roundtrip("{\"Roles\":{\"Fn::If\":[\"C\",[{\"Ref\":\"R\"}],{\"Ref\":\"AWS::NoValue\"}]},"
              "\"R\":{\"Fn::GetAtt\":[\"A\",\"Arn\"]},\"S\":{\"Fn::Sub\":[\"${X}\",{\"X\":"
              "{\"Ref\":\"P\"}}]},\"Long\":{\"Fn::Join\":[\"\",[\"arn:aws:s3:::a-very-long-"
              "bucket-name-that-does-not-fit\",{\"Ref\":\"AWS::AccountId\"},\"/and/more/path/"
              "segments/to/push/it/over/the/line/width\"]]},\"E\":{\"Fn::If\":[\"C\",{},[]]}}");
    roundtrip("{\"a\":{\"Fn::GetAtt\":\"NoDot\"},\"b\":{\"Fn::GetAtt\":[\"A.B\",\"C\"]},"
              "\"c\":{\"Fn::GetAtt\":[\"A\",{\"Ref\":\"P\"}]}}");
    roundtrip("[\"top\",{\"Ref\":\"X\"}]");
    roundtrip("\"scalar\"");
}

static void test_writer_style(void **state)
{
    (void)state;
    const char *json = "{\"Version\":\"2012-10-17\",\"Action\":\"iam:GetRole\","
                       "\"Resource\":{\"Ref\":\"Boundary\"},\"Any\":\"*\"}";
    json_doc *doc = json_parse(json, strlen(json), NULL, NULL);
    json_buf y;
    json_buf_init(&y);
    yaml_write(&y, json_root(doc), 2, true);
    assert_string_equal(y.data, "  Version: \"2012-10-17\"\n  Action: iam:GetRole\n"
                                "  Resource: !Ref Boundary\n  Any: \"*\"\n");
    json_buf_free(&y);
    json_doc_free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_scalars),
        cmocka_unit_test(test_version_is_a_string),
        cmocka_unit_test(test_quoted_and_block_scalars),
        cmocka_unit_test(test_block_scalars),
        cmocka_unit_test(test_single_quote_runs),
        cmocka_unit_test(test_collections),
        cmocka_unit_test(test_cfn_short_forms),
        cmocka_unit_test(test_cfn_tag_errors),
        cmocka_unit_test(test_positions),
        cmocka_unit_test(test_anchors),
        cmocka_unit_test(test_anchor_errors),
        cmocka_unit_test(test_billion_laughs),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_size_limits),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_parse_structured),
        cmocka_unit_test(test_writer_roundtrip),
        cmocka_unit_test(test_writer_style),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_fix_doc.c - the editable policy document of `iamguard fix`
 * (src/fix/fix_doc.h) and its unified diff.
 *
 * The cases of tests/fix/doc/<case>/ are read as documentation: before.json,
 * the edits (one per line, as the functions of fix_doc.h are called),
 * after.json the exact text fx_doc_render must write, and, where present,
 * expected.diff the exact output of fx_unified_diff.  The tests below them
 * cover what a table of files cannot: errors with positions, CRLF, clones,
 * the edits' refusals, and the diff format's corners against diff -u. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault_alloc.h"
#include "fix/fix_doc.h"
#include "util/alloc.h"
#include "util/file.h"

#define CASES "tests/fix/doc"

static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    const char *err;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return ig_read_file(path, IG_MAX_FILE, len, &err);
}

static int parse_ok(const char *text, fx_doc *d)
{
    ig_diag diag;
    int rc = fx_doc_parse(text, strlen(text), "p.json", d, &diag);
    if (rc != IG_OK) {
        char buf[700];
        print_error("%s\n", ig_diag_format(&diag, buf, sizeof buf));
    }
    return rc;
}

static char *render(const fx_doc *d)
{
    size_t len;
    char *t = fx_doc_render(d, &len);
    assert_non_null(t);
    assert_int_equal(strlen(t), len);
    return t;
}

/* ---- the case files ---- */

static size_t idx(const char *s) { return (size_t)strtoul(s, NULL, 10); }

/* One line of an edits file, split at spaces. */
static int apply(fx_doc *d, char **w, int n)
{
    const char *cmd = w[0];
    if (!strcmp(cmd, "insert")) {
        fx_stmt *s;
        return fx_doc_insert_stmt(d, idx(w[1]), &s);
    }
    assert_true(n >= 2 && idx(w[1]) < d->nstmts);
    fx_stmt *s = &d->stmts[idx(w[1])];
    const char *const *rest = (const char *const *)w + 2;
    if (!strcmp(cmd, "add-action"))
        return fx_stmt_add_action(s, w[2]);
    if (!strcmp(cmd, "remove-action"))
        return fx_stmt_remove_action(s, idx(w[2]));
    if (!strcmp(cmd, "set-resources"))
        return fx_stmt_set_resources(s, rest, (size_t)(n - 2));
    if (!strcmp(cmd, "add-cond"))
        return fx_stmt_add_cond(s, w[2], w[3], rest + 2, (size_t)(n - 4));
    if (!strcmp(cmd, "set-cond-op"))
        return fx_stmt_set_cond_op(s, idx(w[2]), w[3]);
    if (!strcmp(cmd, "set-cond-values"))
        return fx_stmt_set_cond_values(s, idx(w[2]), rest + 1, (size_t)(n - 3));
    if (!strcmp(cmd, "sid"))
        return fx_stmt_set_sid(s, strcmp(w[2], "-") ? w[2] : NULL);
    if (!strcmp(cmd, "effect")) {
        s->deny = !strcmp(w[2], "Deny");
        s->changed = true;
        return IG_OK;
    }
    if (!strcmp(cmd, "remove")) {
        s->removed = true;
        return IG_OK;
    }
    fail_msg("unknown edit \"%s\"", cmd);
    return IG_E_INPUT;
}

static void apply_edits(fx_doc *d, char *edits, const char *name)
{
    for (char *line = strtok(edits, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#' || !line[0])
            continue;
        char *w[32];
        int n = 0;
        char *save;
        for (char *t = strtok_r(line, " ", &save); t && n < 32; t = strtok_r(NULL, " ", &save))
            w[n++] = t;
        if (apply(d, w, n) != IG_OK)
            fail_msg("%s: edit \"%s\" failed", name, w[0]);
    }
}

static bool compiles(const char *t, size_t n)
{
    ig_policy *p = ig_policy_compile(t, n, IG_POLICY_IDENTITY, "p", "p", NULL);
    if (!p)
        p = ig_policy_compile(t, n, IG_POLICY_RESOURCE, "p", "p", NULL);
    ig_policy_free(p);
    return p != NULL;
}

static void run_case(const char *name)
{
    char dir[512];
    snprintf(dir, sizeof dir, CASES "/%s", name);
    size_t blen, elen, alen, dlen;
    char *before = slurp(dir, "before.json", &blen);
    char *edits = slurp(dir, "edits", &elen);
    char *after = slurp(dir, "after.json", &alen);
    char *want_diff = slurp(dir, "expected.diff", &dlen);
    if (!before || !edits || !after)
        fail_msg("%s: before.json, edits and after.json are needed", name);

    fx_doc orig, d;
    assert_int_equal(parse_ok(before, &orig), IG_OK);
    char *same = render(&orig);
    assert_string_equal(same, before);
    free(same);
    assert_int_equal(fx_doc_clone(&orig, &d), IG_OK);
    apply_edits(&d, edits, name);
    char *got = render(&d);
    if (strcmp(got, after))
        fail_msg("%s: rendered\n%s\nexpected\n%s", name, got, after);
    if (!compiles(got, strlen(got)))
        fail_msg("%s: after.json does not compile", name);
    /* The edits were the clone's alone. */
    same = render(&orig);
    assert_string_equal(same, before);
    free(same);
    /* The written file reads back and renders as itself. */
    fx_doc back;
    assert_int_equal(parse_ok(got, &back), IG_OK);
    same = render(&back);
    assert_string_equal(same, after);
    free(same);
    if (want_diff) {
        json_buf b;
        json_buf_init(&b);
        fx_unified_diff("policy.json", before, blen, after, alen, &b);
        if (!b.data || strcmp(b.data, want_diff))
            fail_msg("%s: diff\n%s\nexpected\n%s", name, b.data ? b.data : "", want_diff);
        json_buf_free(&b);
    }
    fx_doc_free(&back);
    fx_doc_free(&d);
    fx_doc_free(&orig);
    free(got);
    free(before);
    free(edits);
    free(after);
    free(want_diff);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static void test_cases(void **state)
{
    (void)state;
    struct dirent **list;
    int n = scandir(CASES, &list, NULL, by_name);
    assert_true(n > 0);
    int ran = 0;
    for (int i = 0; i < n; i++) {
        if (list[i]->d_name[0] != '.') {
            run_case(list[i]->d_name);
            ran++;
        }
        free(list[i]);
    }
    free(list);
    assert_true(ran >= 15);
}

/* ---- reading: what cannot be edited faithfully is an error ---- */

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        unsigned line, column;
        const char *msg;
    } bad[] = {
        { "{\"Statement\": [{\"Effect\": \"Allow\",\n \"Effect\": \"Deny\"}]}", 2, 2, "duplicate key" },
        { "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"Resource\": \"*\",\n  \"Foo\": 1}]}",
          2, 3, "unknown statement element \"Foo\"" },
        { "{\"Statement\": [], \"Versoin\": \"2012-10-17\"}", 1, 19, "unknown policy element" },
        { "{\"Statement\": {\"Effect\": \"allow\", \"Action\": \"s3:*\"}}", 1, 26, "\"Effect\" must be" },
        { "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"a:b\", \"NotAction\": \"c:d\"}]}", 1, 53,
          "both \"Action\" and \"NotAction\"" },
        { "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"a:b\", 3]}]}", 1, 54, "entries must be strings" },
        { "{\"Statement\": [{\"Effect\": \"Allow\", \"Resource\": \"*\"}]}", 1, 16, "neither \"Action\"" },
        { "{\"Statement\": [{\"Action\": \"a:b\"}]}", 1, 16, "no \"Effect\"" },
        { "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"a\\u0000b\"}]}", 1, 46, "NUL" },
        { "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"a:b\", \"Condition\": {}}]}", 1, 66,
          "empty \"Condition\"" },
        { "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"a:b\", \"Condition\": {\"Null\": {\"k\": null}}}]}",
          1, 81, "condition values must be" },
        { "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"a:b\", \"Condition\": {\"Null\": []}}]}",
          1, 75, "must map to an object" },
        { "{\"Statement\": \"x\"}", 1, 15, "must be an object or an array" },
        { "{\"Statement\": [1]}", 1, 16, "a statement must be an object" },
        { "[]", 1, 1, "a policy must be a JSON object" },
        { "{\"Version\": \"2012-10-17\"}", 1, 1, "no \"Statement\"" },
        { "{\"Statement\": [", 1, 16, "" },
    };
    int fails = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        fx_doc d;
        ig_diag diag;
        memset(&diag, 0, sizeof diag);
        int rc = fx_doc_parse(bad[i].text, strlen(bad[i].text), "bad.json", &d, &diag);
        if (rc != IG_E_INPUT || diag.line != bad[i].line || diag.column != bad[i].column ||
            !strstr(diag.msg, bad[i].msg) || strcmp(diag.file, "bad.json"))
            print_error("case %zu: rc %d at %u:%u \"%s\"\n", i, rc, diag.line, diag.column, diag.msg), fails++;
        assert_null(d.stmts);           /* nothing left to free */
    }
    assert_int_equal(fails, 0);
}

/* CRLF files: unchanged bytes as they are, edited lines end in CRLF too. */
static void test_crlf(void **state)
{
    (void)state;
    const char *text = "{\r\n  \"Statement\": [\r\n    {\r\n      \"Effect\": \"Allow\",\r\n"
                       "      \"Action\": \"s3:*\",\r\n      \"Resource\": \"*\"\r\n    }\r\n  ]\r\n}\r\n";
    fx_doc d;
    assert_int_equal(parse_ok(text, &d), IG_OK);
    assert_true(d.crlf);
    char *t = render(&d);
    assert_string_equal(t, text);
    free(t);
    assert_int_equal(fx_stmt_add_action(&d.stmts[0], "s3:GetObject"), IG_OK);
    t = render(&d);
    assert_string_equal(t, "{\r\n  \"Statement\": [\r\n    {\r\n      \"Effect\": \"Allow\",\r\n"
                           "      \"Action\": [\r\n        \"s3:*\",\r\n        \"s3:GetObject\"\r\n      ],\r\n"
                           "      \"Resource\": \"*\"\r\n    }\r\n  ]\r\n}\r\n");
    free(t);
    fx_doc_free(&d);
}

/* The layout read from the text: unit, depth, one-line statements. */
static void test_layout(void **state)
{
    (void)state;
    fx_doc d;
    assert_int_equal(parse_ok("{\n    \"Statement\": [\n        {\"Effect\": \"Allow\", \"Action\": \"a:b\", "
                              "\"Resource\": \"*\"}\n    ]\n}", &d), IG_OK);
    assert_string_equal(d.indent, "    ");
    assert_int_equal(d.stmt_depth, 2);
    assert_true(d.compact);
    assert_true(d.spaced);
    assert_false(d.statement_scalar);
    assert_int_equal(d.nstmts, 1);
    assert_int_equal(d.stmts[0].start, 29);
    assert_int_equal(d.text[d.stmts[0].end - 1], '}');
    assert_int_equal(d.text[d.array_start], '[');
    assert_int_equal(d.text[d.array_end - 1], ']');
    fx_doc_free(&d);
    assert_int_equal(parse_ok("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"a:b\",\"Resource\":\"*\"}]}", &d),
                     IG_OK);
    assert_true(d.compact);
    assert_false(d.spaced);
    fx_doc_free(&d);
}

/* ---- edits ---- */

static const char *POLICY =
    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n"
    "      \"Action\": [\"s3:GetObject\", \"s3:PutObject\"],\n      \"Resource\": \"*\",\n"
    "      \"Condition\": {\"StringLike\": {\"s3:prefix\": \"a*\"}, \"StringEquals\": {\"s3:prefix\": \"b\"}}\n"
    "    }\n  ]\n}\n";

static void test_edit_rules(void **state)
{
    (void)state;
    fx_doc d;
    assert_int_equal(parse_ok(POLICY, &d), IG_OK);
    fx_stmt *s = &d.stmts[0];
    /* Nothing changes: not marked. */
    assert_int_equal(fx_stmt_add_action(s, "S3:getobject"), IG_OK);
    assert_int_equal(fx_stmt_set_sid(s, NULL), IG_OK);
    assert_int_equal(fx_stmt_set_cond_op(s, 0, "StringLike"), IG_OK);
    assert_false(s->changed);
    /* Out of range. */
    assert_int_equal(fx_stmt_remove_action(s, 2), IG_E_INPUT);
    assert_int_equal(fx_stmt_set_cond_op(s, 5, "StringEquals"), IG_E_INPUT);
    assert_int_equal(fx_stmt_set_cond_values(s, 5, NULL, 0), IG_E_INPUT);
    fx_stmt *n;
    assert_int_equal(fx_doc_insert_stmt(&d, 2, &n), IG_E_INPUT);
    /* StringLike s3:prefix -> StringEquals would be the key twice. */
    assert_int_equal(fx_stmt_set_cond_op(s, 0, "StringEquals"), IG_E_INPUT);
    assert_false(s->changed);
    /* Same operator and key (keys ignore case): the values are replaced,
     * without repeats. */
    const char *vals[] = { "c", "d", "c" };
    assert_int_equal(fx_stmt_add_cond(s, "StringEquals", "S3:Prefix", vals, 3), IG_OK);
    assert_true(s->changed);
    assert_int_equal(s->nconds, 2);
    assert_int_equal(s->conds[1].nvalues, 2);
    assert_string_equal(s->conds[1].values[1], "d");
    /* Removing all actions leaves an empty list: it does not compile, and
     * fx_doc_compile says why. */
    assert_int_equal(fx_stmt_remove_action(s, 0), IG_OK);
    assert_int_equal(fx_stmt_remove_action(s, 0), IG_OK);
    ig_diag diag;
    assert_null(fx_doc_compile(&d, IG_POLICY_IDENTITY, "p", &diag));
    assert_int_equal(diag.code, IG_E_POLICY);
    assert_non_null(strstr(diag.msg, "empty array"));
    assert_int_equal(fx_stmt_add_action(s, "s3:ListBucket"), IG_OK);
    ig_policy *p = fx_doc_compile(&d, IG_POLICY_IDENTITY, "p", &diag);
    assert_non_null(p);
    assert_int_equal(ig_policy_statement_count(p), 1);
    ig_policy_free(p);
    char *t = render(&d);
    assert_non_null(strstr(t, "\"Action\": [\n        \"s3:ListBucket\"\n      ],"));
    assert_non_null(strstr(t, "\"StringEquals\": {\n          \"s3:prefix\": [\n            \"c\",\n"));
    free(t);
    fx_doc_free(&d);
}

/* A clone is independent and renders the same; it survives its source. */
static void test_clone(void **state)
{
    (void)state;
    fx_doc d, c, c2;
    assert_int_equal(parse_ok(POLICY, &d), IG_OK);
    assert_int_equal(fx_doc_clone(&d, &c), IG_OK);
    assert_ptr_not_equal(c.text, d.text);
    assert_ptr_not_equal(c.stmts[0].actions[0], d.stmts[0].actions[0]);
    assert_ptr_equal(c.stmts[0].arena, c.arena);
    fx_doc_free(&d);
    const char *res[] = { "arn:aws:s3:::b/*" };
    assert_int_equal(fx_stmt_set_resources(&c.stmts[0], res, 1), IG_OK);
    /* Many inserts: more than the clone's first block. */
    for (int i = 0; i < 200; i++) {
        fx_stmt *n;
        assert_int_equal(fx_doc_insert_stmt(&c, c.nstmts, &n), IG_OK);
        assert_int_equal(fx_stmt_add_action(n, "s3:GetObject"), IG_OK);
        assert_int_equal(fx_stmt_set_resources(n, res, 1), IG_OK);
    }
    assert_int_equal(fx_doc_clone(&c, &c2), IG_OK);
    char *a = render(&c), *b = render(&c2);
    assert_string_equal(a, b);
    assert_true(compiles(a, strlen(a)));
    free(a);
    free(b);
    fx_doc_free(&c);
    fx_doc_free(&c2);
    fx_doc_free(&c2);                   /* freed docs are zeroed: harmless */
}

/* ---- the diff, in the format of diff -u ---- */

static void diff_is(const char *a, const char *b, const char *want, size_t changed)
{
    json_buf out;
    json_buf_init(&out);
    size_t n = fx_unified_diff("f", a, strlen(a), b, strlen(b), &out);
    const char *got = out.data ? out.data : "";
    if (strcmp(got, want) || n != changed)
        fail_msg("diff of\n%s\n--- and ---\n%s\ngave (%zu)\n%s\nexpected (%zu)\n%s", a, b, n, got,
                 changed, want);
    json_buf_free(&out);
}

static void test_diff_format(void **state)
{
    (void)state;
    diff_is("a\nb\n", "a\nb\n", "", 0);
    diff_is("a\nb\nc\n", "a\nB\nc\n", "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n", 2);
    /* One line: "-l" without a count; none: the line before and 0. */
    diff_is("a\n", "q\n", "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+q\n", 2);
    diff_is("a\n", "a\nb\n", "--- a/f\n+++ b/f\n@@ -1 +1,2 @@\n a\n+b\n", 1);
    diff_is("", "a\nb\n", "--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+a\n+b\n", 2);
    diff_is("a\nb\n", "", "--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-a\n-b\n", 2);
    /* The last line without a newline. */
    diff_is("a\nb", "a\nc",
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n"
            "\\ No newline at end of file\n", 2);
    diff_is("a\nb", "a\nb\n",
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n", 2);
    diff_is("x\ny", "w\ny",
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n-x\n+w\n y\n\\ No newline at end of file\n", 2);
    /* Changes 6 lines apart are one hunk, 7 apart two (as diff -u). */
    char a[64] = "", b6[64] = "", b7[64] = "";
    for (int i = 1; i <= 20; i++) {
        char l[8];
        snprintf(l, sizeof l, "%d\n", i);
        strcat(a, l);
        strcat(b6, i == 4 ? "X\n" : i == 11 ? "Y\n" : l);
        strcat(b7, i == 4 ? "X\n" : i == 12 ? "Y\n" : l);
    }
    diff_is(a, b6, "--- a/f\n+++ b/f\n@@ -1,14 +1,14 @@\n 1\n 2\n 3\n-4\n+X\n 5\n 6\n 7\n 8\n 9\n"
            " 10\n-11\n+Y\n 12\n 13\n 14\n", 4);
    diff_is(a, b7, "--- a/f\n+++ b/f\n@@ -1,7 +1,7 @@\n 1\n 2\n 3\n-4\n+X\n 5\n 6\n 7\n"
            "@@ -9,7 +9,7 @@\n 9\n 10\n 11\n-12\n+Y\n 13\n 14\n 15\n", 4);
    /* Deletions of a changed block before its insertions. */
    diff_is("a\nb\nc\nd\n", "a\nB\nC\nd\n",
            "--- a/f\n+++ b/f\n@@ -1,4 +1,4 @@\n a\n-b\n-c\n+B\n+C\n d\n", 4);
}

/* Beyond the alignment's bound: one block, still a correct diff. */
static void test_diff_bound(void **state)
{
    (void)state;
    enum { N = 3000 };
    json_buf a, b, out;
    json_buf_init(&a);
    json_buf_init(&b);
    json_buf_init(&out);
    for (int i = 0; i < N; i++) {
        json_buf_printf(&a, "line %d\n", i);
        json_buf_printf(&b, "line %d\n", i % 2 ? i : -i - 1);
    }
    size_t n = fx_unified_diff("f", a.data, a.len, b.data, b.len, &out);
    /* Every other line differs, the last is the same: 2999 by 2999 lines
     * to align is past the bound, so they are replaced as one block. */
    assert_int_equal(n, 2 * (N - 1));
    assert_non_null(strstr(out.data, "@@ -1,3000 +1,3000 @@\n-line 0\n-line 1\n"));
    assert_non_null(strstr(out.data, "-line 2998\n+line -1\n+line 1\n"));
    assert_non_null(strstr(out.data, "+line -2999\n line 2999\n"));
    /* Small enough to align: only what changed. */
    json_buf_free(&out);
    json_buf_init(&out);
    json_buf_free(&b);
    json_buf_init(&b);
    for (int i = 0; i < N; i++)
        json_buf_printf(&b, "line %d\n", i == 1500 ? -1 : i);
    assert_int_equal(fx_unified_diff("f", a.data, a.len, b.data, b.len, &out), 2);
    assert_non_null(strstr(out.data, "@@ -1498,7 +1498,7 @@\n"));
    json_buf_free(&a);
    json_buf_free(&b);
    json_buf_free(&out);
}

/* Every allocation fails in turn: IG_E_NOMEM or NULL, never a crash,
 * nothing leaked. */
static void faulty_run(void)
{
    fx_doc d, c;
    int rc = fx_doc_parse(POLICY, strlen(POLICY), "p.json", &d, NULL);
    if (rc != IG_OK) {
        assert_int_equal(rc, IG_E_NOMEM);
        return;
    }
    rc = fx_doc_clone(&d, &c);
    fx_doc_free(&d);
    if (rc != IG_OK) {
        assert_int_equal(rc, IG_E_NOMEM);
        return;
    }
    const char *res[] = { "arn:aws:s3:::b/*", "arn:aws:s3:::c/*" };
    fx_stmt *n;
    int r[6];
    r[0] = fx_stmt_add_action(&c.stmts[0], "s3:ListBucket");
    r[1] = fx_stmt_set_resources(&c.stmts[0], res, 2);
    r[2] = fx_stmt_add_cond(&c.stmts[0], "Bool", "aws:SecureTransport", res, 1);
    r[3] = fx_stmt_set_sid(&c.stmts[0], "S");
    r[4] = fx_stmt_set_cond_op(&c.stmts[0], 1, "StringNotEquals");
    r[5] = fx_doc_insert_stmt(&c, 0, &n);
    for (int i = 0; i < 6; i++)
        assert_true(r[i] == IG_OK || r[i] == IG_E_NOMEM);
    size_t len;
    char *t = fx_doc_render(&c, &len);
    if (t) {
        json_buf out;
        json_buf_init(&out);
        fx_unified_diff("p.json", POLICY, strlen(POLICY), t, len, &out);
        json_buf_free(&out);
        ig_free(t);                     /* the library's allocator here */
    }
    fx_doc_free(&c);
}

static void test_out_of_memory(void **state)
{
    (void)state;
    for (long k = 1;; k++) {
        fs = (fault_state){ .fail_at = k };
        ig_set_allocator(&FAULTY);
        faulty_run();
        ig_set_allocator(NULL);
        if (fs.live != 0)
            fail_msg("allocation %ld failed: %ld blocks leaked", k, fs.live);
        if (!fs.failed)
            break;
        assert_true(k < 10000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_edit_rules),
        cmocka_unit_test(test_clone),
        cmocka_unit_test(test_diff_format),
        cmocka_unit_test(test_diff_bound),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

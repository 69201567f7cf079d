/* test_lint_corpus.c - lint every AWS managed policy of the shared corpus
 * (one per line, field "document").  AWS's own policies must produce no
 * finding of severity error, except the ones checked by hand and listed
 * in tests/lint/corpus-errors.tsv (and explained in docs/lint.md); that
 * list must not go stale either: each of its lines must still be found.
 * Prints the number of findings per code.
 *
 * The customer-managed size quota does not bind AWS managed policies, so
 * the corpus is linted without it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iamguard.h"
#include "json/json.h"
#include "lint/lint.h"
#include "util/alloc.h"
#include "util/file.h"

#define KNOWN "tests/lint/corpus-errors.tsv"
#define MAX_KNOWN 512

static ig_catalog *open_catalog(void)
{
    char exe[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    snprintf(path, sizeof path, "%.4000s/../catalog.bin", exe);
    ig_diag d;
    return ig_catalog_open(path, &d);
}

static char *corpus_path(char *buf, size_t cap)
{
    const char *shared = getenv("IAMGUARD_SHARED");
    snprintf(buf, cap, "%s/corpus/aws-managed-policies.jsonl", shared && shared[0] ? shared : "../shared");
    return buf;
}

typedef struct {
    char *line;
    bool seen;
} known_error;

static size_t load_known(known_error *k, char **text)
{
    size_t len, n = 0;
    const char *err;
    *text = ig_read_file(KNOWN, 1u << 20, &len, &err);
    if (!*text)
        fail_msg("%s: %s", KNOWN, err);
    for (char *line = strtok(*text, "\n"); line && n < MAX_KNOWN; line = strtok(NULL, "\n"))
        if (line[0] && line[0] != '#')
            k[n++] = (known_error){ line, false };
    return n;
}

static void test_corpus(void **state)
{
    (void)state;
    ig_catalog *cat = open_catalog();
    assert_non_null(cat);
    char path[PATH_MAX];
    size_t len;
    const char *err;
    char *text = ig_read_file(corpus_path(path, sizeof path), 64u << 20, &len, &err);
    if (!text)
        fail_msg("%s: %s", path, err);
    char *known_text;
    static known_error known[MAX_KNOWN];
    size_t nknown = load_known(known, &known_text);

    size_t counts[64] = { 0 }, policies = 0, unexpected = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *line = text + pos;
        size_t n = end - pos;
        pos = end + 1;
        if (!n)
            continue;
        json_doc *doc = json_parse(line, n, NULL, NULL);
        assert_non_null(doc);
        const json_value *name = json_get(json_root(doc), "name");
        const json_value *policy = json_get(json_root(doc), "document");
        assert_non_null(name);
        assert_non_null(policy);
        lint_options o = { .cat = cat, .type = IG_POLICY_IDENTITY, .max_size = 1u << 20, .what = name->u.str };
        lint_report r;
        lint_report_init(&r);
        assert_int_equal(lint_policy_value(&o, policy, line, n, "corpus", &r), IG_OK);
        policies++;
        for (size_t i = 0; i < r.n; i++) {
            const lint_finding *f = &r.items[i];
            counts[f->rule - LINT_RULES]++;
            if (f->rule->severity != LINT_ERROR)
                continue;
            char entry[1024];
            snprintf(entry, sizeof entry, "%s\t%s\t%s", name->u.str, f->rule->code, f->message);
            bool listed = false;
            for (size_t k = 0; k < nknown && !listed; k++)
                if (!strcmp(known[k].line, entry))
                    listed = known[k].seen = true;
            if (!listed) {
                fprintf(stderr, "unexpected error finding: %s\n", entry);
                unexpected++;
            }
        }
        lint_report_free(&r);
        json_doc_free(doc);
    }
    printf("corpus: %zu policies\n", policies);
    for (size_t i = 0; i < LINT_RULE_COUNT; i++)
        if (counts[i])
            printf("  %-30s %-17s %zu\n", LINT_RULES[i].code, lint_severity_name(LINT_RULES[i].severity),
                   counts[i]);
    size_t stale = 0;
    for (size_t k = 0; k < nknown; k++)
        if (!known[k].seen) {
            fprintf(stderr, "listed in %s but no longer found: %s\n", KNOWN, known[k].line);
            stale++;
        }
    ig_free(known_text);
    ig_free(text);
    ig_catalog_close(cat);
    assert_true(policies > 1000);
    assert_int_equal(unexpected, 0);
    assert_int_equal(stale, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

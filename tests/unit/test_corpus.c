/* test_corpus.c - every AWS managed policy in ../shared/corpus must compile,
 * and its canonical print must re-compile to a policy that prints the same
 * and decides the same on requests made from the policy's own patterns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iamguard.h"
#include "json/json.h"
#include "policy/policy.h"
#include "policy/policy_int.h"
#include "util/file.h"

static const char *corpus_path(void)
{
    const char *dir = getenv("IAMGUARD_SHARED");
    static char path[1024];
    snprintf(path, sizeof path, "%s/corpus/aws-managed-policies.jsonl", dir ? dir : "../shared");
    return path;
}

/* Turn a pattern into a concrete string the pattern matches. */
static void instantiate(const char *pat, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = pat; *p && n + 4 < cap; p++) {
        if (*p == '*') { memcpy(out + n, "Xy", 2); n += 2; }
        else if (*p == '?') out[n++] = 'Q';
        else out[n++] = *p;
    }
    out[n] = '\0';
}

static unsigned decide_all(const ig_policy *p, const ig_policy *q, unsigned *compared,
                           unsigned *allowed)
{
    ig_env *ea = ig_env_new(), *eb = ig_env_new();
    ig_env_set_principal_arn(ea, "arn:aws:iam::123456789012:user/alice", NULL, NULL);
    ig_env_set_principal_arn(eb, "arn:aws:iam::123456789012:user/alice", NULL, NULL);
    ig_env_add_identity(ea, p);
    ig_env_add_identity(eb, q);
    unsigned diffs = 0;
    char action[512], resource[2048], value[1024];
    for (uint32_t s = 0; s < p->nstmts; s++) {
        const ig_stmt *st = &p->stmts[s];
        for (uint32_t a = 0; a < st->nactions && a < 8; a++) {
            instantiate(st->actions[a].raw, action, sizeof action);
            if (!strchr(action, ':')) strcpy(action, "s3:GetObject");
            for (uint32_t r = 0; r <= st->nresources && r < 4; r++) {
                if (r < st->nresources) instantiate(st->resources[r].raw, resource, sizeof resource);
                else strcpy(resource, "*");
                /* with the first condition value of every key, and with none */
                ig_context_entry ctx[32];
                const char *vals[32][1];
                char store[32][1024];
                size_t nctx = 0;
                for (uint32_t c = 0; c < st->nconds && nctx < 32; c++) {
                    instantiate(st->conds[c].vals[0].raw, value, sizeof value);
                    snprintf(store[nctx], sizeof store[nctx], "%s", value);
                    vals[nctx][0] = store[nctx];
                    ctx[nctx].key = st->conds[c].key_orig;
                    ctx[nctx].values = vals[nctx];
                    ctx[nctx].nvalues = 1;
                    nctx++;
                }
                for (int with = 0; with < 2; with++) {
                    ig_request rq = { .action = action, .resource = resource,
                                      .context = ctx, .ncontext = with ? nctx : 0 };
                    ig_result ra, rb;
                    ig_evaluate(ea, &rq, IG_EVAL_EXPLAIN, &ra);
                    ig_evaluate(eb, &rq, IG_EVAL_EXPLAIN, &rb);
                    (*compared)++;
                    *allowed += ra.decision == IG_ALLOWED;
                    if (ra.decision != rb.decision || ra.nmatched != rb.nmatched) diffs++;
                }
            }
        }
    }
    ig_env_free(ea);
    ig_env_free(eb);
    return diffs;
}

static void test_corpus_compiles_and_round_trips(void **state)
{
    (void)state;
    size_t len;
    const char *err;
    char *text = ig_read_file(corpus_path(), IG_MAX_FILE, &len, &err);
    if (!text) {
        fprintf(stderr, "cannot read %s: %s (set IAMGUARD_SHARED)\n", corpus_path(), err);
        fail();
    }
    unsigned policies = 0, failures = 0, diffs = 0, compared = 0, allowed = 0;
    for (char *line = text; line < text + len;) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(text + len - line);
        if (n > 0) {
            json_error je;
            json_doc *d = json_parse(line, n, NULL, &je);
            assert_non_null(d);
            const json_value *doc = json_get(json_root(d), "document");
            const json_value *name = json_get(json_root(d), "name");
            assert_non_null(doc);
            ig_diag dg;
            ig_policy *p = ig_policy_compile_value(doc, line, n, IG_POLICY_IDENTITY,
                                                   name->u.str, "corpus", &dg);
            policies++;
            if (!p) {
                fprintf(stderr, "%s: %s\n", name->u.str, dg.msg);
                failures++;
            } else {
                char *j1 = ig_policy_to_json(p, false);
                ig_policy *q = ig_policy_compile(j1, strlen(j1), IG_POLICY_IDENTITY, "again", NULL, &dg);
                assert_non_null(q);
                char *j2 = ig_policy_to_json(q, false);
                if (strcmp(j1, j2) != 0) {
                    fprintf(stderr, "%s: canonical print is not stable\n", name->u.str);
                    failures++;
                }
                diffs += decide_all(p, q, &compared, &allowed);
                ig_free(j1);
                ig_free(j2);
                ig_policy_free(q);
                ig_policy_free(p);
            }
            json_doc_free(d);
        }
        line = nl ? nl + 1 : text + len;
    }
    free(text);
    fprintf(stderr, "corpus: %u policies, %u failures, %u requests compared (%u allowed), %u differences\n",
            policies, failures, compared, allowed, diffs);
    assert_int_equal(policies, 1641);
    assert_int_equal(failures, 0);
    assert_int_equal(diffs, 0);
    assert_true(compared > 10000);
    assert_true(allowed > compared / 4);   /* the requests really exercise the policies */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_compiles_and_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

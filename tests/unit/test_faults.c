/* test_faults.c - fault injection: make every single allocation of parse,
 * compile, environment building, evaluation and simulation-document loading
 * fail in turn.  Each failure must be reported as an error (never a
 * decision, never "allowed"), leave no block allocated, and a run where the
 * failure did not hit must give exactly the baseline decisions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iamguard.h"
#include "sim/sim.h"
#include "util/file.h"

#include "fault_alloc.h"

static const char *BOUNDARY =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Imaging\",\"Effect\":\"Allow\","
    "\"Action\":\"medical-imaging:*\",\"Resource\":\"*\"},{\"Sid\":\"Logs\",\"Effect\":\"Allow\","
    "\"Action\":[\"logs:CreateLogGroup\",\"logs:PutLogEvents\"],\"Resource\":\"arn:aws:logs:*:*:*\"}]}";

static const char *SIMDOC =
    "{\"principal\":{\"arn\":\"arn:aws:sts::123456789012:assumed-role/Dev/alice\"},"
    "\"policies\":{\"identity\":[{\"id\":\"P\",\"document\":{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Sid\":\"A\",\"Effect\":\"Allow\",\"Action\":[\"s3:Get*\",\"iam:CreateRole\"],\"Resource\":\"*\","
    "\"Condition\":{\"StringEqualsIfExists\":{\"aws:RequestedRegion\":[\"us-east-1\",\"${aws:PrincipalTag/r}\"]}}},"
    "{\"Sid\":\"D\",\"Effect\":\"Deny\",\"NotAction\":\"s3:*\",\"Resource\":\"arn:aws:iam::*:role/admin*\"}]}}],"
    "\"scps\":[[{\"id\":\"S\",\"document\":{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}}]]},"
    "\"requests\":[{\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::b/k\",\"context\":{\"aws:RequestedRegion\":\"us-east-1\"}},"
    "{\"action\":\"iam:CreateRole\",\"resource\":\"arn:aws:iam::123456789012:role/admin1\"}]}";

/* One pass of everything the core allocates for.  Returns a short string of
 * decisions ("AD..") or NULL when a step reported an error. */
static bool run_once(char *out, size_t cap)
{
    ig_diag d;
    out[0] = '\0';
    char dev_path[512];
    snprintf(dev_path, sizeof dev_path, "examples/imaging-viewer/developer-policy.json");
    size_t len;
    const char *err;
    char *dev_text = ig_read_file(dev_path, IG_MAX_FILE, &len, &err);
    if (!dev_text) return false;
    ig_policy *dev = ig_policy_compile(dev_text, len, IG_POLICY_IDENTITY, "dev", dev_path, &d);
    ig_free(dev_text);
    ig_policy *bnd = ig_policy_compile(BOUNDARY, strlen(BOUNDARY), IG_POLICY_BOUNDARY, "b", NULL, &d);
    ig_env *env = ig_env_new();
    bool ok = dev && bnd && env;
    ok = ok && ig_env_set_principal_arn(env, "arn:aws:sts::123456789012:assumed-role/Dev/alice", NULL, &d) == IG_OK;
    ok = ok && ig_env_add_identity(env, dev) == IG_OK;
    ok = ok && ig_env_set_boundary(env, bnd) == IG_OK;
    size_t n = 0;
    if (ok) {
        static const char *const actions[] = { "iam:CreateRole", "medical-imaging:GetImageFrame",
                                               "iam:DeleteRolePermissionsBoundary", "logs:PutLogEvents" };
        const char *bv[] = { "arn:aws:iam::123456789012:policy/ImagingViewerPermissionsBoundary" };
        ig_context_entry ctx[] = { { "iam:PermissionsBoundary", bv, 1 } };
        for (size_t i = 0; i < 4; i++) {
            ig_request rq = { .action = actions[i], .resource = "arn:aws:iam::123456789012:role/amplify-x-authRole",
                              .context = ctx, .ncontext = 1 };
            ig_result r;
            ig_evaluate(env, &rq, IG_EVAL_EXPLAIN, &r);
            if (n + 1 < cap) out[n++] = "IEA"[r.decision];
            ig_prepared *pr;       /* the same request prepared: one allocation */
            if (ig_request_prepare(&rq, &pr, &d) != IG_OK) {
                assert_int_equal(d.code, IG_E_NOMEM);
                ok = false;
                break;
            }
            ig_evaluate_prepared(env, pr, 0, &r);
            if (n + 1 < cap) out[n++] = "IEA"[r.decision];
            ig_prepared_free(pr);
        }
        char *js = ig_policy_to_json(dev, true);
        ok = ok && js != NULL;
        ig_free(js);
    }
    sim_doc *s = NULL;
    memset(&d, 0, sizeof d);
    if (ok && sim_load_text(SIMDOC, strlen(SIMDOC), "doc.json", ".", &s, &d) == IG_OK) {
        for (size_t i = 0; i < s->nreqs; i++) {
            ig_result r;
            ig_evaluate(s->env, &s->reqs[i].req, IG_EVAL_EXPLAIN, &r);
            if (n + 1 < cap) out[n++] = "IEA"[r.decision];
        }
    } else {
        /* every failure is reported: a code and a message (an identity
         * policy that could not be added once returned without either) */
        assert_true(!ok || (d.code != IG_OK && d.msg[0] != '\0'));
        ok = false;
    }
    out[n] = '\0';
    sim_free(s);
    ig_env_free(env);
    ig_policy_free(dev);
    ig_policy_free(bnd);
    return ok;
}

static void test_every_allocation_failure_is_clean(void **state)
{
    (void)state;
    char baseline[64], got[64];
    memset(&fs, 0, sizeof fs);
    ig_set_allocator(&FAULTY);
    assert_true(run_once(baseline, sizeof baseline));
    long total = fs.count;
    assert_int_equal(fs.live, 0);
    assert_string_equal(baseline, "IIIIEEIIAE");   /* the boundary caps the developer */
    assert_true(total > 20);
    long reported = 0;
    for (long k = 1; k <= total; k++) {
        memset(&fs, 0, sizeof fs);
        fs.fail_at = k;
        bool ok = run_once(got, sizeof got);
        assert_true(fs.failed);
        if (ok) {
            /* the failure was absorbed (a cache, an optional buffer): the
             * decisions must still be exactly the baseline */
            assert_string_equal(got, baseline);
        } else {
            reported++;
            /* decisions computed before the failure are still the baseline's */
            assert_int_equal(strncmp(got, baseline, strlen(got)), 0);
        }
        if (fs.live != 0)
            fprintf(stderr, "allocation %ld: %ld blocks leaked\n", k, fs.live);
        assert_int_equal(fs.live, 0);
    }
    ig_set_allocator(NULL);
    fprintf(stderr, "fault injection: %ld allocations, %ld reported as errors\n", total, reported);
    assert_true(reported > total / 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_allocation_failure_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_seed.c - the seed's analysis as the fix search uses it
 * (an_seed_evaluate): the verdict of every claim on the built-in example
 * and on a hand-repaired copy (tests/check/repaired/), a counterexample for
 * each refuted claim and none when all hold, and every counterexample real:
 * evaluated again with ig_evaluate, from the scenario's policies it names
 * and nothing else, it is allowed (refused when the claim needs it
 * allowed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/seed.h"
#include "check/check.h"
#include "iamguard.h"

#include "fault_alloc.h"

static char catalog_path[4096], repaired_path[4096], pass_path[4096];
static ig_catalog *cat;
static ig_analyzer *az;

static int setup(void **state)
{
    (void)state;
    ig_diag d;
    cat = ig_catalog_open(catalog_path, &d);
    if (!cat) {
        fprintf(stderr, "no catalog at %s: %s\n", catalog_path, d.msg);
        return -1;
    }
    az = ig_analyzer_new(cat, &d);
    return az ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ig_analyzer_free(az);
    ig_catalog_close(cat);
    return 0;
}

static chk_scenario *load(const char *path)
{
    chk_scenario *s = NULL;
    chk_options opt;
    memset(&opt, 0, sizeof opt);
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = path ? chk_load_file(path, &opt, &s, &d) : chk_load_builtin("imaging-viewer/scenario.yml", &opt, &s, &d);
    if (rc != IG_OK)
        fail_msg("cannot load %s: %s", path ? path : "the built-in scenario", d.msg);
    return s;
}

static const ig_policy *named(const chk_scenario *s, const char *name, ig_policy_type t)
{
    for (size_t i = 0; i < s->npolicies; i++)
        if (!strcmp(s->policies[i].name, name)) {
            if (!s->policies[i].compiled[t])
                fail_msg("policy %s is not compiled as type %d", name, (int)t);
            return s->policies[i].compiled[t];
        }
    fail_msg("no policy %s in the scenario", name);
    return NULL;
}

/* Evaluate a counterexample again, from its own description only. */
static ig_decision replay(const chk_scenario *s, an_seed_cx *x, const ig_policy *all)
{
    ig_env *e = ig_env_new();
    assert_non_null(e);
    assert_int_equal(ig_env_set_principal_arn(e, x->principal_arn, NULL, NULL), IG_OK);
    for (size_t i = 0; i < x->nidentity; i++)
        assert_int_equal(ig_env_add_identity(e, named(s, x->identity[i], IG_POLICY_IDENTITY)), IG_OK);
    if (x->allow_all)
        assert_int_equal(ig_env_add_identity(e, all), IG_OK);
    if (x->boundary)
        assert_int_equal(ig_env_set_boundary(e, named(s, x->boundary, IG_POLICY_BOUNDARY)), IG_OK);
    /* A copy, set up again where it lives (as seed.h asks). */
    an_request *r = malloc(sizeof *r);
    assert_non_null(r);
    memcpy(r, &x->req, sizeof *r);
    assert_int_equal(an_request_eval(e, r, NULL, NULL), IG_OK);
    ig_decision d = r->res.decision;
    free(r);
    ig_env_free(e);
    return d;
}

static size_t count_for(const an_seed_outcome *o, const char *claim)
{
    size_t n = 0;
    for (size_t i = 0; i < o->ncx; i++)
        n += !strcmp(o->cx[i].claim, claim);
    return n;
}

static void check_outcome(const chk_scenario *s, const an_seed_outcome *o)
{
    static const char ALL[] =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    ig_policy *all = ig_policy_compile(ALL, strlen(ALL), IG_POLICY_IDENTITY, "all", NULL, NULL);
    assert_non_null(all);
    assert_int_equal(o->nclaims, 5);
    for (size_t i = 0; i < o->nclaims; i++) {
        size_t n = count_for(o, o->claims[i].id);
        if (o->claims[i].verdict == IG_VERDICT_REFUTED && n == 0)
            fail_msg("claim %s is refuted but has no counterexample", o->claims[i].id);
        if (o->claims[i].verdict == IG_VERDICT_PROVED && n != 0)
            fail_msg("claim %s holds but has %zu counterexamples", o->claims[i].id, n);
    }
    for (size_t i = 0; i < o->ncx; i++) {
        an_seed_cx *x = &o->cx[i];
        assert_true(x->alt > 0);
        ig_decision d = replay(s, x, all);
        if (x->must_allow ? d == IG_ALLOWED : d != IG_ALLOWED)
            fail_msg("counterexample %zu of %s (%s on %s) is %s when evaluated again", i, x->claim,
                     x->req.action, x->req.resource, ig_decision_name(d));
    }
    ig_policy_free(all);
}

static void test_seed_refuted(void **state)
{
    (void)state;
    chk_scenario *s = load(NULL);
    assert_true(an_seed_applies(s));
    an_seed_outcome o;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(an_seed_evaluate(&az->ctx, s, &o), IG_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("an_seed_evaluate on the seed: %.1f ms, %zu counterexamples\n",
           (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6, o.ncx);
    static const char *const ids[5] = {
        "boundary-caps-to-healthimaging", "boundary-required-on-create", "boundary-cannot-be-removed",
        "removal-explicitly-denied", "no-way-around-the-boundary",
    };
    static const ig_verdict want[5] = { IG_VERDICT_REFUTED, IG_VERDICT_PROVED, IG_VERDICT_PROVED,
                                        IG_VERDICT_REFUTED, IG_VERDICT_REFUTED };
    for (int i = 0; i < 5; i++) {
        assert_string_equal(o.claims[i].id, ids[i]);
        assert_int_equal(o.claims[i].verdict, want[i]);
    }
    check_outcome(s, &o);
    assert_true(o.paths > 0);
    /* The denies claim needs explicit denies, asked of the developer with a
     * grant of everything; the boundary claim's requests are the capped role's. */
    bool explicit_seen = false, capped_seen = false, step_seen = false;
    for (size_t i = 0; i < o.ncx; i++) {
        const an_seed_cx *x = &o.cx[i];
        if (!strcmp(x->claim, "removal-explicitly-denied")) {
            assert_true(x->explicit_deny && x->allow_all);
            assert_int_equal(x->nidentity, 1);
            assert_string_equal(x->identity[0], "ImagingViewerDeveloperPolicy");
            explicit_seen = true;
        }
        if (!strcmp(x->claim, "boundary-caps-to-healthimaging")) {
            assert_true(x->allow_all && x->boundary && !strcmp(x->boundary, "ImagingViewerPermissionsBoundary"));
            capped_seen = true;
        }
        if (!strcmp(x->claim, "no-way-around-the-boundary"))
            step_seen = true;
    }
    assert_true(explicit_seen && capped_seen && step_seen);
    /* Reusing the analyzer gives the same answer. */
    an_seed_outcome o2;
    assert_int_equal(an_seed_evaluate(&az->ctx, s, &o2), IG_OK);
    assert_int_equal(o2.ncx, o.ncx);
    assert_int_equal(o2.paths, o.paths);
    an_seed_outcome_free(&o2);
    an_seed_outcome_free(&o);
    chk_free(s);
}

static void test_seed_repaired(void **state)
{
    (void)state;
    chk_scenario *s = load(repaired_path);
    assert_true(an_seed_applies(s));
    an_seed_outcome o;
    assert_int_equal(an_seed_evaluate(&az->ctx, s, &o), IG_OK);
    for (size_t i = 0; i < o.nclaims; i++)
        if (o.claims[i].verdict != IG_VERDICT_PROVED)
            fail_msg("repaired: claim %s is %s", o.claims[i].id, ig_verdict_name(o.claims[i].verdict));
    assert_int_equal(o.ncx, 0);
    assert_int_equal(o.paths, 0);
    assert_int_equal(o.unbreakable, 0);
    check_outcome(s, &o);
    an_seed_outcome_free(&o);
    chk_free(s);
}

static void test_seed_other_shape(void **state)
{
    (void)state;
    chk_scenario *s = load(pass_path);
    assert_false(an_seed_applies(s));
    an_seed_outcome o;
    assert_int_equal(an_seed_evaluate(&az->ctx, s, &o), IG_E_INPUT);
    assert_int_equal(o.ncx, 0);
    an_seed_outcome_free(&o);
    chk_free(s);
}

/* Allocations of an_seed_evaluate failing in turn (every one up to 100,
 * then a stride over the rest): an error or an outcome, never a proof the
 * full run did not give, never a block left allocated. */
static void test_seed_faults(void **state)
{
    (void)state;
    ig_diag d;
    ig_set_allocator(&FAULTY);
    fs.fail_at = 0;
    ig_catalog *c2 = ig_catalog_open(catalog_path, &d);
    assert_non_null(c2);
    ig_analyzer *a2 = ig_analyzer_new(c2, &d);
    assert_non_null(a2);
    chk_scenario *s = load(NULL);
    an_seed_outcome base, o;
    assert_int_equal(an_seed_evaluate(&a2->ctx, s, &base), IG_OK);
    an_seed_outcome_free(&base);
    long baseline = fs.live;
    fs.count = 0;
    assert_int_equal(an_seed_evaluate(&a2->ctx, s, &base), IG_OK);
    long total = fs.count, tried = 0;
    for (long n = 1; n <= total; n += n < 100 ? 1 : total / 150 + 1) {
        fs.count = 0;
        fs.fail_at = n;
        fs.failed = false;
        int rc = an_seed_evaluate(&a2->ctx, s, &o);
        fs.fail_at = 0;
        tried++;
        if (rc == IG_OK)
            for (size_t i = 0; i < o.nclaims; i++)
                if (o.claims[i].verdict == IG_VERDICT_PROVED && base.claims[i].verdict != IG_VERDICT_PROVED)
                    fail_msg("allocation %ld failing proves %s", n, o.claims[i].id);
        an_seed_outcome_free(&o);
        if (fs.live != baseline + (long)(base.ncx ? 1 : 0))
            fail_msg("allocation %ld failing leaves %ld blocks allocated", n, fs.live - baseline);
    }
    an_seed_outcome_free(&base);
    chk_free(s);
    ig_analyzer_free(a2);
    ig_catalog_close(c2);
    ig_set_allocator(NULL);
    printf("an_seed_evaluate fault injection: %ld of %ld allocations failed in turn\n", tried, total);
}

int main(int argc, char **argv)
{
    (void)argc;
    char self[4096], dir[2048];
    snprintf(self, sizeof self, "%s", argv[0]);
    snprintf(dir, sizeof dir, "%.2000s", dirname(self));
    const char *env = getenv("IAMGUARD_CATALOG");
    if (env && env[0])
        snprintf(catalog_path, sizeof catalog_path, "%s", env);
    else
        snprintf(catalog_path, sizeof catalog_path, "%s/../catalog.bin", dir);
    /* build/tests/test_seed: the source tree is two levels up. */
    snprintf(repaired_path, sizeof repaired_path, "%s/../../tests/check/repaired/scenario.yml", dir);
    snprintf(pass_path, sizeof pass_path, "%s/../../tests/check/pass.yml", dir);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_refuted),
        cmocka_unit_test(test_seed_repaired),
        cmocka_unit_test(test_seed_other_shape),
        cmocka_unit_test(test_seed_faults),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

/* test_properties.c - laws the production evaluator must obey on random
 * scenarios (tests/ref/gen.h):
 *   - adding a Deny statement never turns a denial into an allow;
 *   - removing an Allow statement never turns a denial into an allow;
 *   - adding a permissions boundary never widens access;
 *   - reordering statements, or policies within a layer, changes nothing;
 *   - canonical print (ig_policy_to_json) + re-compile preserves every
 *     decision, blockedBy and matched-statement count.
 * IAMGUARD_PROP_N scenarios per law (default 3000), seed IAMGUARD_PROP_SEED.
 * A violation is shrunk and printed as a simulation document. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/diff.h"

#define REQUESTS 8

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 0) : dflt;
}

/* A law relates a scenario to a transformed one on the same request. */
typedef struct {
    const char *name;
    /* Transform sc into *out; false when the law does not apply. */
    bool (*transform)(gen_rng *r, const gen_scenario *sc, gen_scenario *out);
    /* Does the pair of outcomes obey the law? */
    bool (*holds)(const diff_outcome *before, const diff_outcome *after);
} law;

static bool no_new_allow(const diff_outcome *before, const diff_outcome *after)
{
    return after->decision != IG_ALLOWED || before->decision == IG_ALLOWED;
}

static bool same_decision(const diff_outcome *before, const diff_outcome *after)
{
    return before->decision == after->decision && before->blocked_by == after->blocked_by &&
           before->error == after->error;
}

static bool add_deny(gen_rng *r, const gen_scenario *sc, gen_scenario *out)
{
    *out = *sc;
    if (!out->npol)
        return false;
    gen_policy *p = &out->pol[gen_below(r, (unsigned)out->npol)];
    if (p->nst >= GEN_MAX_STMTS)
        return false;
    int at = (int)gen_below(r, (unsigned)p->nst + 1);
    memmove(&p->st[at + 1], &p->st[at], (size_t)(p->nst - at) * sizeof p->st[0]);
    gen_statement_random(r, p->type, true, &p->st[at]);
    p->nst++;
    p->stmt_object = false;
    return true;
}

static bool remove_allow(gen_rng *r, const gen_scenario *sc, gen_scenario *out)
{
    *out = *sc;
    int allows = 0;
    for (int i = 0; i < out->npol; i++)
        for (int j = 0; j < out->pol[i].nst; j++)
            allows += !out->pol[i].st[j].deny;
    if (!allows)
        return false;
    int pick = (int)gen_below(r, (unsigned)allows);
    for (int i = 0; i < out->npol; i++)
        for (int j = 0; j < out->pol[i].nst; j++)
            if (!out->pol[i].st[j].deny && pick-- == 0) {
                gen_policy *p = &out->pol[i];
                memmove(&p->st[j], &p->st[j + 1], (size_t)(p->nst - j - 1) * sizeof p->st[0]);
                p->nst--;
                p->stmt_object = false;
                return true;
            }
    return false;
}

static bool add_boundary(gen_rng *r, const gen_scenario *sc, gen_scenario *out)
{
    *out = *sc;
    if ((sc->kind != IG_PRINCIPAL_USER && sc->kind != IG_PRINCIPAL_ROLE_SESSION) ||
        out->npol >= GEN_MAX_POLICIES)
        return false;
    for (int i = 0; i < sc->npol; i++)
        if (sc->pol[i].type == IG_POLICY_BOUNDARY)
            return false;
    gen_policy *p = &out->pol[out->npol++];
    memset(p, 0, sizeof *p);
    p->type = IG_POLICY_BOUNDARY;
    p->version = 2012;
    p->nst = 1 + (int)gen_below(r, 3);
    for (int i = 0; i < p->nst; i++)
        gen_statement_random(r, IG_POLICY_BOUNDARY, gen_chance(r, 20), &p->st[i]);
    return true;
}

static void shuffle(gen_rng *r, void *base, size_t size, int n)
{
    char tmp[sizeof(gen_policy)];
    char *b = base;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)gen_below(r, (unsigned)i + 1);
        memcpy(tmp, b + (size_t)i * size, size);
        memcpy(b + (size_t)i * size, b + (size_t)j * size, size);
        memcpy(b + (size_t)j * size, tmp, size);
    }
}

static bool reorder(gen_rng *r, const gen_scenario *sc, gen_scenario *out)
{
    *out = *sc;
    /* The order of sc->pol is the order within identity and within each
     * organization level; the layers themselves are fixed by type. */
    shuffle(r, out->pol, sizeof out->pol[0], out->npol);
    for (int i = 0; i < out->npol; i++)
        shuffle(r, out->pol[i].st, sizeof out->pol[i].st[0], out->pol[i].nst);
    return true;
}

static const law LAWS[] = {
    {"adding a Deny never allows more", add_deny, no_new_allow},
    {"removing an Allow never allows more", remove_allow, no_new_allow},
    {"adding a boundary never allows more", add_boundary, no_new_allow},
    {"reordering changes nothing", reorder, same_decision},
};

static gen_scenario g_before, g_after;

static void report(const law *lw, const gen_scenario *before, const gen_scenario *after,
                   const gen_request *rq, const diff_outcome *b, const diff_outcome *a)
{
    fprintf(stderr, "\nLAW BROKEN: %s\nbefore:\n", lw->name);
    gen_write_simdoc(stderr, before, rq, NULL, NULL);
    diff_print_outcome(stderr, "before", b);
    fprintf(stderr, "after:\n");
    gen_write_simdoc(stderr, after, rq, NULL, NULL);
    diff_print_outcome(stderr, "after", a);
}

static void check_law(const law *lw)
{
    uint64_t n = env_u64("IAMGUARD_PROP_N", 3000);
    gen_rng rng;
    gen_seed(&rng, env_u64("IAMGUARD_PROP_SEED", 1) * 7919 + (uint64_t)(lw - LAWS));
    uint64_t checked = 0, applied = 0, broken = 0, changed = 0;
    for (uint64_t i = 0; i < n; i++) {
        gen_scenario_random(&rng, &g_before);
        if (!lw->transform(&rng, &g_before, &g_after))
            continue;
        applied++;
        static gen_built bb, ba;
        char err[512];
        bool built = gen_build(&g_before, &bb, err, sizeof err) && gen_build(&g_after, &ba, err, sizeof err);
        for (int k = 0; built && k < REQUESTS; k++) {
            gen_request rq;
            gen_request_random(&rng, &g_before, &rq);
            gen_req_view v;
            gen_request_view(&rq, &v);
            diff_outcome b, a;
            diff_prod(&bb, &v, &b);
            diff_prod(&ba, &v, &a);
            checked++;
            changed += b.decision != a.decision;
            if (!lw->holds(&b, &a) && broken++ < 3)
                report(lw, &g_before, &g_after, &rq, &b, &a);
        }
        gen_built_free(&bb);
        gen_built_free(&ba);
        if (!built)
            fail_msg("generated scenario rejected (%s): %s", lw->name, err);
    }
    fprintf(stderr, "%s: %llu scenarios, %llu requests, %llu decisions changed, %llu violations\n",
            lw->name, (unsigned long long)applied, (unsigned long long)checked,
            (unsigned long long)changed, (unsigned long long)broken);
    assert_true(applied > 0);
    assert_int_equal(broken, 0);
}

static void test_add_deny(void **state) { (void)state; check_law(&LAWS[0]); }
static void test_remove_allow(void **state) { (void)state; check_law(&LAWS[1]); }
static void test_add_boundary(void **state) { (void)state; check_law(&LAWS[2]); }
static void test_reorder(void **state) { (void)state; check_law(&LAWS[3]); }

/* ---- canonical print + re-compile ---- */

static void test_canonical_roundtrip(void **state)
{
    (void)state;
    uint64_t n = env_u64("IAMGUARD_PROP_N", 3000);
    gen_rng rng;
    gen_seed(&rng, env_u64("IAMGUARD_PROP_SEED", 1) * 104729);
    static gen_built b;
    uint64_t checked = 0, broken = 0;
    for (uint64_t i = 0; i < n; i++) {
        gen_scenario_random(&rng, &g_before);
        char err[512];
        if (!gen_build(&g_before, &b, err, sizeof err)) {
            gen_built_free(&b);
            fail_msg("generated scenario rejected: %s", err);
        }
        ig_policy *again[GEN_MAX_POLICIES];
        for (int p = 0; p < b.npol; p++) {
            char *text = ig_policy_to_json(b.prod[p], p % 2 == 0);
            assert_non_null(text);
            ig_diag d;
            again[p] = ig_policy_compile(text, strlen(text), g_before.pol[p].type, "again", NULL, &d);
            if (!again[p])
                fprintf(stderr, "canonical print does not re-compile: %s\n%s\n", d.msg, text);
            assert_non_null(again[p]);
            free(text);
        }
        ig_env *env2 = gen_env_for(&g_before, again, err, sizeof err);
        assert_non_null(env2);
        for (int k = 0; k < REQUESTS; k++) {
            gen_request rq;
            gen_request_random(&rng, &g_before, &rq);
            gen_req_view v;
            gen_request_view(&rq, &v);
            static ig_result r1, r2;
            ig_evaluate(b.env, &v.req, IG_EVAL_EXPLAIN, &r1);
            ig_evaluate(env2, &v.req, IG_EVAL_EXPLAIN, &r2);
            checked++;
            bool same = r1.decision == r2.decision && r1.blocked_by == r2.blocked_by &&
                        r1.error == r2.error && r1.nmatched == r2.nmatched;
            for (uint32_t m = 0; same && m < r1.nmatched; m++)
                same = r1.matched[m].index == r2.matched[m].index;
            if (!same && broken++ < 3) {
                fprintf(stderr, "\nCANONICAL PRINT CHANGED A DECISION (%s/%s -> %s/%s):\n",
                        ig_decision_name(r1.decision), ig_layer_name(r1.blocked_by) ? ig_layer_name(r1.blocked_by) : "-",
                        ig_decision_name(r2.decision), ig_layer_name(r2.blocked_by) ? ig_layer_name(r2.blocked_by) : "-");
                gen_write_simdoc(stderr, &g_before, &rq, ig_decision_name(r1.decision), NULL);
            }
        }
        ig_env_free(env2);
        for (int p = 0; p < b.npol; p++)
            ig_policy_free(again[p]);
        gen_built_free(&b);
    }
    fprintf(stderr, "canonical print + re-compile: %llu requests, %llu changed\n",
            (unsigned long long)checked, (unsigned long long)broken);
    assert_int_equal(broken, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_deny),
        cmocka_unit_test(test_remove_allow),
        cmocka_unit_test(test_add_boundary),
        cmocka_unit_test(test_reorder),
        cmocka_unit_test(test_canonical_roundtrip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_differential.c - the production evaluator against the reference
 * evaluator (tests/ref/) on random policies and requests.
 *
 * IAMGUARD_DIFF_N decisions (default 100000) from seed IAMGUARD_DIFF_SEED
 * (default 1).  Every mismatch of decision, blockedBy or matched-statement
 * set is shrunk and printed as a simulation document that `iamguard
 * simulate` runs (its "expect" is the reference's answer). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ref/diff.h"

#define REQUESTS_PER_SCENARIO 10
#define MAX_REPORTED 8

static uint64_t env_u64(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 0) : dflt;
}

/* ---- known discrepancies ----
 * None: every discrepancy the differential test found (K1-K7 in the
 * issue 9 report) was fixed in the production evaluator or settled in
 * docs/semantics.md and the reference follows it.  A mismatch now fails.
 * The reference keeps its quirk switches (ref_eval.h) so a future
 * deviation can be emulated and counted here while it is being fixed. */
static const char *known_issue(const gen_scenario *sc, const gen_request *rq,
                               const diff_outcome *p)
{
    (void)sc;
    (void)rq;
    (void)p;
    return NULL;
}

/* Shrinking keeps a candidate only while it still shows an unknown
 * mismatch, so it cannot drift to an already reported one. */
static bool mismatch_pred(const gen_scenario *sc, const gen_request *rq, void *arg)
{
    (void)arg;
    diff_outcome p, r;
    return diff_check(sc, rq, &p, &r) && !known_issue(sc, rq, &p);
}

static void report(const gen_scenario *sc0, const gen_request *rq0, uint64_t seed, uint64_t n)
{
    static gen_scenario sc;
    gen_request rq = *rq0;
    sc = *sc0;
    if (!env_u64("IAMGUARD_DIFF_NOSHRINK", 0))
        diff_shrink(&sc, &rq, mismatch_pred, NULL);
    diff_outcome p, r;
    diff_check(&sc, &rq, &p, &r);
    fprintf(stderr, "\nMISMATCH (seed %llu, decision #%llu); shrunk reproducer "
                    "(expect = reference):\n",
            (unsigned long long)seed, (unsigned long long)n);
    gen_write_simdoc(stderr, &sc, &rq, ig_decision_name(r.decision),
                     r.blocked_by != IG_LAYER_NONE ? ig_layer_name(r.blocked_by) : NULL);
    diff_print_outcome(stderr, "production", &p);
    diff_print_outcome(stderr, "reference", &r);
}

typedef struct {
    char sig[160];
    uint64_t count;
} mismatch_class;

typedef struct {
    uint64_t decisions, mismatches, rejected, known;
    mismatch_class classes[32];
    int nclasses;
    uint64_t by_decision[3];
    uint64_t by_layer[IG_LAYER_RESOURCE + 1];
} stats;

static uint64_t max_reported(void)
{
    return env_u64("IAMGUARD_DIFF_REPORT", MAX_REPORTED);
}

static bool note_sig(stats *st, const char *sig)
{
    for (int i = 0; i < st->nclasses; i++)
        if (!strcmp(st->classes[i].sig, sig)) {
            st->classes[i].count++;
            return false;
        }
    if (st->nclasses < 32) {
        snprintf(st->classes[st->nclasses].sig, sizeof st->classes[0].sig, "%s", sig);
        st->classes[st->nclasses++].count = 1;
    }
    return true;
}

/* Group mismatches by what differs, so one run shows every kind. */
static bool note_class(stats *st, const diff_outcome *p, const diff_outcome *r)
{
    char sig[160];
    snprintf(sig, sizeof sig, "production %s/%s, reference %s/%s%s", ig_decision_name(p->decision),
             p->blocked_by ? ig_layer_name(p->blocked_by) : "-", ig_decision_name(r->decision),
             r->blocked_by ? ig_layer_name(r->blocked_by) : "-",
             p->decision == r->decision && p->blocked_by == r->blocked_by ? " (matched sets differ)" : "");
    return note_sig(st, sig);
}

static void run_scenario(gen_rng *rng, uint64_t seed, stats *st, uint64_t budget)
{
    static gen_scenario sc;
    static gen_built b;
    gen_scenario_random(rng, &sc);
    char err[1024];
    if (!gen_build(&sc, &b, err, sizeof err)) {
        if (st->rejected++ < MAX_REPORTED)
            fprintf(stderr, "generated scenario rejected: %s\n", err);
        gen_built_free(&b);
        return;
    }
    for (int i = 0; i < REQUESTS_PER_SCENARIO && st->decisions < budget; i++) {
        gen_request rq;
        gen_request_random(rng, &sc, &rq);
        gen_req_view v;
        gen_request_view(&rq, &v);
        diff_outcome p, r;
        diff_prod(&b, &v, &p);
        diff_ref(&b, &v, &r);
        st->decisions++;
        st->by_decision[r.decision]++;
        st->by_layer[r.blocked_by]++;
        if (diff_same(&p, &r))
            continue;
        const char *known = known_issue(&sc, &rq, &p);
        if (known) {
            st->known++;
            char sig[160];
            snprintf(sig, sizeof sig, "known: %s", known);
            note_sig(st, sig);
            continue;
        }
        /* the first case of every kind of mismatch is shrunk and shown */
        bool first_of_kind = note_class(st, &p, &r);
        st->mismatches++;
        if (first_of_kind && (uint64_t)st->nclasses <= max_reported())
            report(&sc, &rq, seed, st->decisions);
    }
    gen_built_free(&b);
}

static void test_differential_random(void **state)
{
    (void)state;
    uint64_t n = env_u64("IAMGUARD_DIFF_N", 100000);
    uint64_t seed = env_u64("IAMGUARD_DIFF_SEED", 1);
    gen_rng rng;
    gen_seed(&rng, seed);
    stats st;
    memset(&st, 0, sizeof st);
    while (st.decisions < n)
        run_scenario(&rng, seed, &st, n);

    fprintf(stderr, "differential: seed %llu, %llu decisions, %llu mismatches, %llu rejected scenarios\n",
            (unsigned long long)seed, (unsigned long long)st.decisions,
            (unsigned long long)st.mismatches, (unsigned long long)st.rejected);
    fprintf(stderr, "  allowed %llu, explicitDeny %llu, implicitDeny %llu; blockedBy:",
            (unsigned long long)st.by_decision[IG_ALLOWED],
            (unsigned long long)st.by_decision[IG_EXPLICIT_DENY],
            (unsigned long long)st.by_decision[IG_IMPLICIT_DENY]);
    for (int l = IG_LAYER_IDENTITY; l <= IG_LAYER_RESOURCE; l++)
        fprintf(stderr, " %s %llu", ig_layer_name((ig_layer)l), (unsigned long long)st.by_layer[l]);
    fprintf(stderr, "\n");
    for (int i = 0; i < st.nclasses; i++)
        fprintf(stderr, "  %8llu x %s\n", (unsigned long long)st.classes[i].count, st.classes[i].sig);
    if (st.known)
        fprintf(stderr, "  %llu known discrepancies (see known_issue)\n", (unsigned long long)st.known);

    assert_int_equal(st.rejected, 0);
    assert_int_equal(st.mismatches, 0);
    /* The generator must exercise every outcome, not just "no". */
    if (n >= 10000) {
        assert_true(st.by_decision[IG_ALLOWED] * 100 > n * 15);
        assert_true(st.by_decision[IG_EXPLICIT_DENY] * 100 > n * 8);
        assert_true(st.by_decision[IG_IMPLICIT_DENY] * 5 > n);
        for (int l = IG_LAYER_IDENTITY; l <= IG_LAYER_RESOURCE; l++)
            assert_true(st.by_layer[l] > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_differential_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

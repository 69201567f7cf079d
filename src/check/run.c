/* run.c - evaluating a scenario: every request against its principal's
 * environment, each outcome judged against its expectation and explained,
 * and each claim judged by the requests it names. */
#include <string.h>

#include "check/check.h"
#include "util/alloc.h"

int chk_run_scenario(const chk_scenario *s, chk_run *run)
{
    memset(run, 0, sizeof *run);
    run->outcomes = ig_calloc(s->nreqs ? s->nreqs : 1, sizeof *run->outcomes);
    run->claim_holds = ig_calloc(s->nclaims ? s->nclaims : 1, sizeof *run->claim_holds);
    if (!run->outcomes || !run->claim_holds) {
        chk_run_free(run);
        return IG_E_NOMEM;
    }
    for (size_t i = 0; i < s->nreqs; i++) {
        const chk_request *r = &s->reqs[i];
        chk_outcome *o = &run->outcomes[i];
        /* A request that cannot be evaluated (error set, implicitDeny) proves
         * nothing, whatever it was expected to be. */
        ig_evaluate(s->principals[r->principal].env, &r->req, IG_EVAL_EXPLAIN, &o->res);
        o->met = chk_expect_met(r->expect, o->res.decision) && !o->res.error;
        chk_explain(s, r, o);
        if (o->met)
            run->passed++;
        else
            run->failed++;
    }
    for (size_t c = 0; c < s->nclaims; c++) {
        bool holds = true;
        for (size_t k = 0; k < s->claims[c].nreqs; k++)
            holds &= run->outcomes[s->claims[c].reqs[k]].met;
        run->claim_holds[c] = holds;
        run->claims_held += holds;
    }
    return IG_OK;
}

void chk_run_free(chk_run *run)
{
    ig_free(run->outcomes);
    ig_free(run->claim_holds);
    memset(run, 0, sizeof *run);
}

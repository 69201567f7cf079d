/* diff.h - running one request through both evaluators and comparing
 * decision, blockedBy and the set of matched statements; shrinking and
 * printing a mismatch as a simulation document. */
#ifndef DIFF_H
#define DIFF_H

#include "ref/gen.h"

typedef struct {
    ig_decision decision;
    ig_layer blocked_by;
    bool truncated;             /* production listed more than IG_MAX_MATCHED */
    bool error;
    int nmatched;
    uint32_t matched[REF_MAX_MATCHED];  /* policy index << 16 | statement index */
} diff_outcome;

void diff_prod(const gen_built *b, const gen_req_view *v, diff_outcome *out);
void diff_ref(const gen_built *b, const gen_req_view *v, diff_outcome *out);
bool diff_same(const diff_outcome *a, const diff_outcome *b);

/* Build the scenario and compare one request.  Returns true on a mismatch
 * (false also when the scenario no longer compiles). */
bool diff_check(const gen_scenario *sc, const gen_request *rq, diff_outcome *prod,
                diff_outcome *ref);

/* Drop policies, statements, conditions, values and context keys while
 * `still_fails` keeps holding. */
typedef bool (*diff_pred)(const gen_scenario *sc, const gen_request *rq, void *arg);
void diff_shrink(gen_scenario *sc, gen_request *rq, diff_pred still_fails, void *arg);

void diff_print_outcome(FILE *f, const char *who, const diff_outcome *o);

#endif

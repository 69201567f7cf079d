/* probe.h - deciding conditions with the evaluator itself.
 *
 * To know whether some conditions hold for a context, the analysis builds
 * a one-use resource policy whose first statement allows everything under
 * the conditions that must hold, followed by one Deny per condition that
 * must fail, and asks ig_evaluate about a request carrying that context
 * from a caller with the same identity.  So a condition means to the
 * analysis exactly what it means to the evaluator -- typed values, set
 * qualifiers, IfExists, variables, failing closed -- with no second
 * implementation to drift from the first. */
#ifndef IG_AN_PROBE_H
#define IG_AN_PROBE_H

#include <stdbool.h>
#include <stddef.h>

#include "iamguard.h"
#include "policy/policy_int.h"

typedef struct {
    const ig_cond *cond;
    bool want;                  /* true: must hold; false: must surely fail */
} an_pcond;

typedef struct an_prober an_prober;

/* A prober for calls by the principal of `who` (its identity only). */
an_prober *an_prober_new(const ig_env *who);
void an_prober_free(an_prober *p);

/* 1 when, with this context, every condition evaluates as wanted; 0 when
 * not; negative on error. */
int an_probe(an_prober *p, const an_pcond *pc, size_t n, const ig_context_entry *ctx,
             size_t nctx);

/* How a resource-policy statement's Principal names the caller of `who`
 * (conditions aside): AN_GRANT_NONE, _ACCOUNT (the identity side must also
 * allow), _ROLE (capped by boundary and session policy) or _EXACT. */
enum { AN_GRANT_NONE = 0, AN_GRANT_ACCOUNT, AN_GRANT_ROLE, AN_GRANT_EXACT };
int an_principal_grant(const ig_env *who, const ig_stmt *st);

/* A policy of `type` made of some statements of p (sharing p's compiled
 * parts; p must outlive it).  Free with ig_policy_free. */
ig_policy *an_policy_subset(const ig_policy *p, const uint32_t *idx, size_t n,
                            ig_policy_type type, const char *id);

#endif

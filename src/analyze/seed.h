/* seed.h - the analysis of the seed's deployment (seed_model.c, seed.c,
 * seed_report.c) for `iamguard check` and `iamguard fix`: any scenario of
 * the built-in imaging-viewer example's shape, with its (possibly patched)
 * policies. */
#ifndef IG_AN_SEED_H
#define IG_AN_SEED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analyze/account/account.h"
#include "analyze/analyze.h"
#include "check/check.h"
#include "json/json.h"

/* Whether a scenario has the seed's shape: it names policies
 * ImagingViewerPermissionsBoundary and ImagingViewerDeveloperPolicy and a
 * principal "developer" (the model's other roles use the scenario's policies
 * of the same names as the built-in one when present). */
bool an_seed_applies(const chk_scenario *s);

/* The model built from that scenario's (possibly patched) policies: uses
 * s->policies[i].compiled[...], never re-reads files.  A policy the model
 * needs in a use the scenario did not compile it for is compiled from
 * another use's canonical text, so a caller that patches a policy must
 * patch (or clear to NULL) every non-NULL compiled[k] of it.  The account
 * does not own s: s and its compiled policies must outlive it. */
int an_seed_account_of(const chk_scenario *s, ig_account **out, ig_diag *diag);

/* The built-in example's model (loads the built-in scenario; the account
 * keeps it). */
int an_seed_account(ig_account **out, ig_diag *diag);

/* A request the analysis found that refutes a claim, and who makes it, in
 * the scenario's terms so that the caller can evaluate it again after
 * changing policies. */
typedef struct {
    const char *claim;            /* claim id */
    uint32_t alt;                 /* an obligation: denying any one request of
                                     the same alt breaks it (the steps of one
                                     escalation path share an alt; a refuted
                                     access check is an alt of its own) */
    char principal_arn[256];
    const char *identity[8];      /* the caller's identity policies: scenario policy names */
    size_t nidentity;
    bool allow_all;               /* plus a policy allowing everything (a later,
                                     broader grant; an attacker-written policy) */
    const char *boundary;         /* scenario policy name, or NULL */
    bool explicit_deny;           /* the claim needs it refused by an explicit Deny */
    bool must_allow;              /* the opposite obligation: the claim needs this
                                     request ALLOWED for the caller (a
                                     medical-imaging request the boundary
                                     refuses); it is refused now */
    an_request req;               /* action, resource, context.  req.req points
                                     into this struct (and req.clock into the
                                     an_ctx): after copying it, set it up again
                                     with an_request_eval(env, &req, NULL, NULL) */
} an_seed_cx;

#define AN_SEED_CLAIMS 5

typedef struct {
    size_t nclaims;
    struct { const char *id; ig_verdict verdict; } claims[8];
    an_seed_cx *cx;
    size_t ncx;
    size_t paths;                 /* escalation gains from the developer not capped by the boundary */
    size_t unbreakable;           /* obligations (alts) of refuted claims for which no
                                     request was found that the scenario's
                                     policies decide (e.g. every step a service's
                                     or a role outside the model's): no policy
                                     edit of the scenario can break them */
} an_seed_outcome;

/* Every claim's verdict and the counterexamples, without formatting.
 * Each counterexample was evaluated again with ig_evaluate for the caller
 * it names (built from the scenario's policies) before it is returned:
 * allowed (must_allow: refused).  IG_OK, IG_E_NOMEM, or IG_E_INPUT when s
 * has not the seed's shape or a policy does not compile in a use. */
int an_seed_evaluate(an_ctx *c, const chk_scenario *s, an_seed_outcome *out);
void an_seed_outcome_free(an_seed_outcome *o);

/* The analysis section for scenario s: text to f, or (f NULL) the
 * "analysis" member of an open JSON object to w. */
int an_seed_report_of(an_ctx *c, const chk_scenario *s, FILE *f, json_writer *w);
/* The same; *not_held (may be NULL) gets how many claims are not proved
 * (refuted or unknown), for the exit status. */
int an_seed_report_counted(an_ctx *c, const chk_scenario *s, FILE *f, json_writer *w,
                           size_t *not_held);
/* The same for the built-in example. */
int an_seed_report(an_ctx *c, FILE *f, json_writer *w);

#endif

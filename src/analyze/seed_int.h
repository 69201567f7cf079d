/* seed_int.h - what the parts of the seed's analysis share: the names of
 * the modelled deployment and the facts the checks establish (seed.c),
 * which both the verdicts (an_seed_evaluate) and the report
 * (seed_report.c) are made of. */
#ifndef IG_AN_SEED_INT_H
#define IG_AN_SEED_INT_H

#include "analyze/access.h"
#include "analyze/escalate/escalate.h"
#include "analyze/seed.h"

#define SEED_ACCT "123456789012"
#define SEED_STACK "amplify-imagingviewerui-dev-1a2b3"
#define SEED_BOUNDARY "ImagingViewerPermissionsBoundary"
#define SEED_DEVPOL "ImagingViewerDeveloperPolicy"
#define SEED_BOUNDARY_ARN "arn:aws:iam::" SEED_ACCT ":policy/" SEED_BOUNDARY
#define SEED_DEV_ROLE "ImagingDeveloper"
#define SEED_CAPPED_ARN "arn:aws:sts::" SEED_ACCT ":assumed-role/experimentLambdaRole/session"
#define SEED_ALLOW_ALL \
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"

/* The roles Amplify creates for environment dev, and the scenario policies
 * (by name) each has when the scenario declares them. */
#define SEED_NROLES 5
typedef struct {
    const char *name, *trust, *desc, *pol[2];
} seed_role_def;
extern const seed_role_def SEED_ROLES[SEED_NROLES];

enum { SC_CAP = 0, SC_ATTACH, SC_REMOVE, SC_DENIES, SC_ESCALATION };
extern const char *const SEED_CLAIM_IDS[AN_SEED_CLAIMS];

/* The scenario policy (its chk_policy name) a model policy is, or NULL. */
const char *seed_policy_name(const chk_scenario *s, const char *name);
/* The scenario's policy `name` compiled for use t (the scenario's own
 * compilation when it has one; else compiled from another use's text and
 * owned by a).  NULL when the scenario has no such policy. */
ig_policy *seed_policy(ig_account *a, const chk_scenario *s, const char *name, ig_policy_type t);
/* The model's principal of SEED_ROLES[i] (its name is the scenario's), or -1. */
long seed_role(const ig_account *a, size_t i);
/* The scenario's developer principal, or -1. */
long seed_developer(const chk_scenario *s);

typedef struct {
    an_ctx *c;
    const chk_scenario *s;
    ig_account *a;
    long dev;                   /* the developer role in the model */
    long sdev;                  /* the developer principal in the scenario */
    ig_policy *allow_all;       /* an attacker-written / later broader grant */
    ig_policy *only_hi;         /* medical-imaging:* */
    ig_env *dev_env;            /* the developer as the model has it */
    ig_env *dev_all;            /* the developer's policies plus allow_all */
    ig_env *capped;             /* allow_all under the boundary */
    ig_env *hi;                 /* medical-imaging:* alone */
    ig_env *needed;             /* medical-imaging:* and the Amplify roles' policies */
    ig_verdict v[AN_SEED_CLAIMS];
    /* boundary-caps-to-healthimaging */
    an_check cap_more, cap_less;        /* beyond (medical-imaging:* and the roles'); all of it */
    /* boundary-required-on-create */
    an_check at_absent, at_named, at_same, at_any;
    /* boundary-cannot-be-removed */
    an_check rm_role, rm_pol;
    /* removal-explicitly-denied */
    an_check dn_detach, dn_replace, dn_del;
    /* no-way-around-the-boundary */
    es_graph g;
    es_result r;
    bool have_graph;
    unsigned beyond, capped_states;
    long first_beyond;          /* a node, or -1 */
} seed_facts;

/* Build the model of s and establish every fact (F is the caller's,
 * zeroed by it); seed_facts_free after, also on failure. */
int seed_facts_compute(an_ctx *c, const chk_scenario *s, seed_facts *F);
void seed_facts_free(seed_facts *F);
/* Whether a reachable state is beyond the boundary. */
bool seed_state_beyond(const seed_facts *F, uint32_t node);
/* The action patterns and constraints of the checks, for the report. */
extern const char *const SEED_ATTACH_ACTS[8];

#endif

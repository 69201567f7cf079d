/* escalate_int.h - what the escalation methods share: the acting node,
 * the technique table (escalate_techniques.h), and the helpers that
 * ask the evaluator about one request (escalate_ask.c). */
#ifndef IG_AN_ESCALATE_INT_H
#define IG_AN_ESCALATE_INT_H

#include "analyze/escalate/escalate.h"
#include "analyze/escalate/escalate_techniques.h"

#define ADMIN_ARN "arn:aws:iam::aws:policy/AdministratorAccess"

/* The name an edge of a technique is shown by: the row's id. */
#define ES_METHOD_NAME(t) ((t)->id)

typedef struct {
    es_graph *g;
    uint32_t n;                 /* the acting node */
    const char *acct;
    es_step steps[ES_MAX_STEPS];
    uint32_t nsteps;
    /* Bit m: the node may make every call of technique row m at all
     * (esa_has_all), computed once per node instead of once per target. */
    uint64_t techs[ES_TECH_WORDS];
} actor;

/* Fill a->techs; true when some row is possible. */
bool esa_tech_mask(actor *a);
static inline bool esa_can_tech(const actor *a, size_t m)
{
    return a->techs[m / 64] >> (m % 64) & 1;
}

es_node *esa_node(const actor *a);
/* Whether the actor may do an action at all (the cheap test first). */
bool esa_has(const actor *a, const char *action);
bool esa_has_all(const actor *a, const es_technique *t);
/* Record a request as the next step. */
void esa_record(actor *a, const an_request *r, const char *extra);
const lang_expr *esa_pattern_expr(es_graph *g, const char *fmt, const char *acct);
const lang_expr *esa_literal_expr(es_graph *g, const char *s);
/* Can the actor do `action` on a resource in `universe` (or exactly
 * `literal`), with the context entries `fx`?  Records the step. */
int esa_can(actor *a, const char *action, const lang_expr *universe, const char *literal,
            const an_fixed *fx, size_t nfx, const ig_policy *rp, const char *extra,
            char *res_out, size_t rcap);
/* sts:AssumeRole of a role under a trust policy, its conditions solved. */
int esa_assume(actor *a, const an_principal *t, const ig_policy *trust, const char *extra);
/* 1 the role trusts the service, 2 it may (trust policy unknown), 0 not. */
int esa_service_trusts(es_graph *g, const an_principal *t, const char *service);
/* Whether a role's trust policy names any AWS principal at all. */
bool esa_trust_lets_aws(es_graph *g, long p);
int esa_add_edge(actor *a, int kind, const es_key *target, const char *method,
                 const char *assumes);
es_key esa_base_key(long p);
const char *esa_actor_arn(const actor *a);
ig_policy *esa_trust_for(es_graph *g, const char *arn);
/* Rewrite a role's trust policy (naming the actor, else anyone) and assume it. */
bool esa_retrust_and_assume(actor *a, const an_principal *tp);
/* The iam:PermissionsBoundary context of an IAM call on a principal. */
size_t esa_boundary_fixed(const an_principal *t, an_fixed *fx, const char **val);

#endif

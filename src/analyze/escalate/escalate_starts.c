/* escalate_starts.c - which principals an escalation search starts from:
 * users and roles a person or program can act as.  A service-linked role
 * (path /aws-service-role/) or a role whose trust policy lets only AWS
 * services assume it is a target, never a start: nobody signs in as it,
 * so its own permissions are not an escalation of anyone's. */
#include <string.h>

#include "analyze/escalate/escalate.h"
#include "policy/policy_int.h"

bool es_service_only(es_graph *g, long p)
{
    const an_principal *pr = &g->a->p[p];
    if (pr->kind != AN_P_ROLE)
        return false;
    if ((pr->path && !strncmp(pr->path, "/aws-service-role/", 18)) || strstr(pr->arn, ":role/aws-service-role/"))
        return true;
    const ig_policy *t = pr->trust;
    if (!t)
        return false;               /* trust unknown: anyone may be able to */
    bool any = false;
    for (uint32_t s = 0; s < t->nstmts; s++) {
        const ig_stmt *st = &t->stmts[s];
        if (st->deny)
            continue;
        if (st->principal_mode != ELEM_POSITIVE)
            return false;           /* NotPrincipal or "*": not services alone */
        for (uint32_t k = 0; k < st->nprincipals; k++) {
            if (st->principals[k].kind != PE_SERVICE)
                return false;
            any = true;
        }
    }
    return any;
}

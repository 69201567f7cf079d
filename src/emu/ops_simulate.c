/* ops_simulate.c - SimulatePrincipalPolicy against the stored state: the
 * user's, group's or role's policies as they are now, through the same
 * simulator code as `iamguard serve` (src/serve/query.c, src/awssim/). */
#include <string.h>

#include "emu/entity.h"

/* arn:aws:iam::ACCOUNT:{user,group,role}/PATH/NAME of this account. */
static const char *source_kind(emu_call *c, const char *arn, const char **name)
{
    static const char *const KINDS[] = { "user", "group", "role" };
    const char *pfx = emu_printf(c, "arn:aws:iam::%s:", c->e->account);
    if (!pfx || strncmp(arn, pfx, strlen(pfx)))
        return NULL;
    const char *res = arn + strlen(pfx), *last = strrchr(res, '/');
    for (size_t i = 0; last && last[1] && i < sizeof KINDS / sizeof *KINDS; i++) {
        size_t n = strlen(KINDS[i]);
        if (!strncmp(res, KINDS[i], n) && res[n] == '/') {
            *name = last + 1;
            return KINDS[i];
        }
    }
    return NULL;
}

bool op_simulate_principal_policy(emu_call *c)
{
    const char *arn = form_get(&c->f, "PolicySourceArn"), *name = NULL;
    if (!arn)
        return emu_error(c, 400, "ValidationError",
                         "1 validation error detected: Value null at 'policySourceArn' failed to satisfy constraint: Member must not be null");
    const char *kind = source_kind(c, arn, &name);
    emu_entity en;
    emu_ctx x = { .n = 0 };
    int found = kind ? emu_entity_get(c, kind, name, &en) : 0;
    if (found < 0 || (found && !emu_entity_context(c, &en, false, &x)) ||
        !emu_authorize(c, "iam:SimulatePrincipalPolicy", arn, &x, NULL))
        return false;
    if (!found || strcmp(en.arn, arn))
        return emu_invalid(c, "Invalid Entity Arn: %s does not clearly define entity type and name.", arn);
    /* a group is simulated for a user in it, as AWS does for groups */
    const char *principal = strcmp(kind, "group") ? en.arn
                          : emu_printf(c, "arn:aws:iam::%s:user/SimulatedGroupMember", c->e->account);
    emu_principal p;
    memset(&p, 0, sizeof p);
    int rc = principal ? emu_principal_load(c, kind, en.name, principal, &p) : -1;
    if (rc == -2)
        emu_invalid(c, "%s", p.error);
    else if (rc == 0)
        query_simulate_principal(p.env, c->body, c->body_len, c->r);
    emu_principal_free(&p);
    if (c->r->status != 200)
        c->failed = true;
    return !c->failed;
}

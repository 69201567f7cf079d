/* subject.c - the layers of policies that govern a principal, read out of
 * its environment in the order docs/semantics.md §6 combines them: every
 * layer must allow (identity, boundary, session, each SCP and RCP level),
 * and a Deny anywhere wins. */
#include <string.h>

#include "analyze/analyze.h"
#include "eval/env.h"

static bool add_layer(an_ctx *c, ig_arena *a, an_subject *s, uint8_t kind,
                      const ig_policy *const *ps, size_t n)
{
    if (s->nlayers >= AN_MAX_LAYERS)
        return false;
    an_layer *l = &s->layers[s->nlayers++];
    l->kind = kind;
    l->npols = 0;
    l->pols = ig_arena_alloc(a, (n ? n : 1) * sizeof *l->pols);
    if (!l->pols)
        return false;
    for (size_t i = 0; i < n; i++) {
        const an_pol *p = an_policy(c, ps[i]);
        if (!p)
            return false;
        if (p->unknown_actions)
            s->unknown_policies = true;
        l->pols[l->npols++] = p;
    }
    return true;
}

bool an_subject_init(an_ctx *c, ig_arena *a, const ig_env *env, an_subject *out)
{
    memset(out, 0, sizeof *out);
    out->env = env;
    out->clock = &c->clock;
    bool outsider = env->kind == IG_PRINCIPAL_ANONYMOUS || env->kind == IG_PRINCIPAL_SERVICE;
    out->root = env->kind == IG_PRINCIPAL_ROOT;
    /* Anonymous and service callers have no identity policies: an empty
     * identity layer allows them nothing on their own. */
    if (!add_layer(c, a, out, AN_L_IDENTITY, outsider ? NULL : env->identity,
                   outsider ? 0 : env->nidentity))
        return false;
    if (outsider)
        goto resource;
    if (env->boundary && !add_layer(c, a, out, AN_L_BOUNDARY, &env->boundary, 1))
        return false;
    if (env->session && !add_layer(c, a, out, AN_L_SESSION, &env->session, 1))
        return false;
    /* A federated-user session without a session policy is denied. */
    if (!env->session && env->kind == IG_PRINCIPAL_FEDERATED_USER &&
        !add_layer(c, a, out, AN_L_SESSION, NULL, 0))
        return false;
    for (size_t i = 0; i < env->nscp; i++)
        if (!add_layer(c, a, out, AN_L_SCP, env->scp[i].ps, env->scp[i].n))
            return false;
    for (size_t i = 0; i < env->nrcp; i++)
        if (!add_layer(c, a, out, AN_L_RCP, env->rcp[i].ps, env->rcp[i].n))
            return false;
resource:
    if (env->resource) {
        out->resource = an_policy(c, env->resource);
        if (!out->resource)
            return false;
    }
    return true;
}

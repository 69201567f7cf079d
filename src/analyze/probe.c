/* probe.c - one-use policies that ask ig_evaluate whether conditions hold
 * (see probe.h).  The statements share the compiled conditions of the
 * policies they come from; only the statement frame is new. */
#include <string.h>

#include "analyze/probe.h"
#include "eval/env.h"
#include "util/alloc.h"

#define MAX_PROBE_CONDS 64

struct an_prober {
    ig_env *env;
    ig_arena frame;             /* the "*" patterns and principal, reused */
    ig_glob star_action;
    ig_arnpat star_resource;
    ig_princ anyone;
};

an_prober *an_prober_new(const ig_env *who)
{
    an_prober *p = ig_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    ig_arena_init(&p->frame);
    p->env = ig_env_new();
    const char *err;
    size_t off;
    if (!p->env ||
        !ig_glob_compile(&p->frame, "*", 1, GLOB_WILDCARDS | GLOB_LOWER, &p->star_action, &err, &off) ||
        !ig_arnpat_compile(&p->frame, "*", 1, 0, &p->star_resource, &err, &off)) {
        an_prober_free(p);
        return NULL;
    }
    p->anyone.kind = PE_ANY;
    p->anyone.raw = "*";
    int rc;
    switch (who->kind) {
    case IG_PRINCIPAL_ANONYMOUS: rc = ig_env_set_anonymous(p->env); break;
    case IG_PRINCIPAL_SERVICE: rc = ig_env_set_service_principal(p->env, who->service); break;
    default:
        rc = who->has_principal ? ig_env_set_principal_arn(p->env, who->arn, who->account, NULL)
                                : IG_OK;
        break;
    }
    if (rc != IG_OK) {
        an_prober_free(p);
        return NULL;
    }
    return p;
}

void an_prober_free(an_prober *p)
{
    if (!p)
        return;
    ig_env_free(p->env);
    ig_arena_free(&p->frame);
    ig_free(p);
}

static void frame(an_prober *p, ig_stmt *st, bool deny, uint32_t index)
{
    memset(st, 0, sizeof *st);
    st->deny = deny;
    st->index = index;
    st->action_mode = ELEM_POSITIVE;
    st->resource_mode = ELEM_POSITIVE;
    st->principal_mode = ELEM_POSITIVE;
    st->nactions = st->nresources = st->nprincipals = 1;
    st->actions = &p->star_action;
    st->resources = &p->star_resource;
    st->principals = &p->anyone;
}

int an_probe(an_prober *p, const an_pcond *pc, size_t n, const ig_context_entry *ctx,
             size_t nctx)
{
    if (n > MAX_PROBE_CONDS)
        return IG_E_LIMIT;
    ig_policy *pol = ig_calloc(1, sizeof *pol);
    if (!pol)
        return IG_E_NOMEM;
    ig_arena_init(&pol->arena);
    pol->type = IG_POLICY_RESOURCE;
    pol->id = "probe";
    pol->file = "";
    pol->version_2012 = pol->has_version = true;
    size_t nneg = 0;
    for (size_t i = 0; i < n; i++)
        nneg += !pc[i].want;
    pol->stmts = ig_arena_alloc(&pol->arena, (1 + nneg) * sizeof *pol->stmts);
    ig_cond *pos = ig_arena_alloc(&pol->arena, (n ? n : 1) * sizeof *pos);
    int rc = IG_E_NOMEM;
    if (!pol->stmts || !pos)
        goto out;
    /* Allow under the conditions that must hold; Deny under each one that
     * must fail: a Deny applies when its condition holds or cannot be
     * evaluated, so "not denied" means it surely fails. */
    ig_stmt *allow = &pol->stmts[pol->nstmts++];
    frame(p, allow, false, 0);
    allow->conds = pos;
    for (size_t i = 0; i < n; i++) {
        if (pc[i].want) {
            pos[allow->nconds++] = *pc[i].cond;
        } else {
            ig_stmt *d = &pol->stmts[pol->nstmts];
            frame(p, d, true, pol->nstmts);
            pol->nstmts++;
            d->nconds = 1;
            d->conds = (ig_cond *)pc[i].cond;
        }
    }
    if (!ig_policy_build_index(pol))
        goto out;
    ig_request req = { .action = "iamguard:probe", .resource = "*", .context = ctx,
                       .ncontext = nctx, .resource_policy = pol };
    ig_result res;
    rc = ig_evaluate(p->env, &req, 0, &res);
    if (rc == IG_OK)
        rc = res.decision == IG_ALLOWED;
out:
    ig_policy_free(pol);
    return rc;
}

static const char NOTHING[] = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
static const char EVERYTHING[] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":"
                                 "\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

ig_policy *an_policy_subset(const ig_policy *p, const uint32_t *idx, size_t n,
                            ig_policy_type type, const char *id)
{
    ig_policy *q = ig_calloc(1, sizeof *q);
    if (!q)
        return NULL;
    ig_arena_init(&q->arena);
    q->type = type;
    q->id = ig_arena_strndup(&q->arena, id, strlen(id));
    q->file = ig_arena_strndup(&q->arena, p->file, strlen(p->file));
    q->version_2012 = p->version_2012;
    q->has_version = p->has_version;
    q->stmts = ig_arena_alloc(&q->arena, (n ? n : 1) * sizeof *q->stmts);
    if (!q->id || !q->file || !q->stmts) {
        ig_policy_free(q);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        q->stmts[q->nstmts] = p->stmts[idx[i]];
        if (type != IG_POLICY_RESOURCE && type != IG_POLICY_RCP)
            q->stmts[q->nstmts].principal_mode = ELEM_NONE;
        q->nstmts++;
    }
    if (!ig_policy_build_index(q)) {
        ig_policy_free(q);
        return NULL;
    }
    return q;
}

/* Evaluate "anything" against a policy holding only the statement's
 * Principal element, for a caller without identity policies and, for the
 * second question, with a boundary that allows nothing. */
static bool principal_probe(const ig_env *who, const ig_stmt *st, bool bounded)
{
    an_prober *p = an_prober_new(who);
    if (!p)
        return false;
    bool allowed = false;
    ig_policy *pol = ig_calloc(1, sizeof *pol);
    ig_policy *none = bounded ? ig_policy_compile(NOTHING, strlen(NOTHING),
                                                  IG_POLICY_BOUNDARY, "nothing", NULL, NULL) : NULL;
    if (pol && (!bounded || none)) {
        ig_arena_init(&pol->arena);
        pol->type = IG_POLICY_RESOURCE;
        pol->id = "probe";
        pol->file = "";
        pol->stmts = ig_arena_alloc(&pol->arena, sizeof *pol->stmts);
        if (pol->stmts) {
            frame(p, pol->stmts, false, 0);
            pol->stmts[0].principal_mode = st->principal_mode;
            pol->stmts[0].nprincipals = st->nprincipals;
            pol->stmts[0].principals = st->principals;
            pol->nstmts = 1;
            if (ig_policy_build_index(pol) && (!none || ig_env_set_boundary(p->env, none) == IG_OK)) {
                ig_request req = { .action = "iamguard:probe", .resource = "*", .resource_policy = pol };
                ig_result res;
                allowed = ig_evaluate(p->env, &req, 0, &res) == IG_OK && res.decision == IG_ALLOWED;
            }
        }
    }
    if (pol)
        ig_policy_free(pol);
    an_prober_free(p);
    ig_policy_free(none);
    return allowed;
}

int an_principal_grant(const ig_env *who, const ig_stmt *st)
{
    if (st->principal_mode == ELEM_NONE)
        return AN_GRANT_EXACT;
    if (principal_probe(who, st, true))
        return AN_GRANT_EXACT;
    if (principal_probe(who, st, false))
        return AN_GRANT_ROLE;
    /* Not enough on its own: does it name the caller's account?  An
     * identity policy allowing all must then make the difference. */
    an_prober *p = an_prober_new(who);
    if (!p)
        return AN_GRANT_NONE;
    int g = AN_GRANT_NONE;
    ig_policy *all = ig_policy_compile(EVERYTHING, strlen(EVERYTHING), IG_POLICY_IDENTITY, "all",
                                       NULL, NULL);
    ig_policy *pol = ig_calloc(1, sizeof *pol);
    if (all && pol && ig_env_add_identity(p->env, all) == IG_OK) {
        ig_arena_init(&pol->arena);
        pol->type = IG_POLICY_RESOURCE;
        pol->id = "probe";
        pol->file = "";
        pol->stmts = ig_arena_alloc(&pol->arena, sizeof *pol->stmts);
        if (pol->stmts) {
            frame(p, pol->stmts, false, 0);
            pol->stmts[0].principal_mode = st->principal_mode;
            pol->stmts[0].nprincipals = st->nprincipals;
            pol->stmts[0].principals = st->principals;
            pol->nstmts = 1;
            /* A KMS action on a key needs the key policy to allow: with
             * the statement it is allowed, without it not.  The key's ARN
             * has no account, so it is the caller's. */
            if (ig_policy_build_index(pol)) {
                ig_request req = { .action = "kms:Decrypt",
                                   .resource = "arn:aws:kms:us-east-1::key/iamguard-probe",
                                   .resource_policy = pol };
                ig_result res;
                if (ig_evaluate(p->env, &req, 0, &res) == IG_OK && res.decision == IG_ALLOWED)
                    g = AN_GRANT_ACCOUNT;
            }
        }
    }
    if (pol)
        ig_policy_free(pol);
    ig_policy_free(all);
    an_prober_free(p);
    return g;
}

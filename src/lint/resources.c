/* resources.c - do a statement's actions and resources fit together?  An
 * action applies to a request only when a Resource entry matches the ARN
 * of one of the action's resource types (or "*" for actions without
 * any); a resource that no action acts on is dead weight or a typo. */
#include <stdio.h>
#include <string.h>

#include "cfn/cfn.h"
#include "lint/lint_int.h"

static void describe_rtype(const lint_ctx *c, uint32_t action, char *buf, size_t cap)
{
    const igcat_action *a = &c->cat->act[action];
    if (!a->rt_count) {
        snprintf(buf, cap, "takes only Resource \"*\" (it has no resource types)");
        return;
    }
    /* Name the plainest type: the one with the shortest ARN format
     * (a bucket rather than an access point). */
    const igcat_rtype *rt = NULL;
    bool rt_required = false;
    for (uint32_t i = 0; i < a->rt_count; i++) {
        const igcat_action_rtype *ar = &c->cat->art[a->rt_first + i];
        const igcat_rtype *r = &c->cat->rt[ar->rtype];
        bool better = !rt || (ar->required && !rt_required) ||
                      (ar->required == rt_required &&
                       strlen(igcat_str(c->cat, r->arn)) < strlen(igcat_str(c->cat, rt->arn)));
        if (better) {
            rt = r;
            rt_required = ar->required;
        }
    }
    snprintf(buf, cap, "acts on %s (%s)%s", igcat_str(c->cat, rt->name), igcat_str(c->cat, rt->arn),
             a->rt_count > 1 ? " and other resource types" : "");
}

/* A template value known only at deploy time (unresolved-resource): what
 * it matches cannot be told, so no finding rests on it. */
static bool has_unresolved(const lstmt *s)
{
    for (uint32_t ri = 0; ri < s->nres; ri++)
        if (cfn_is_placeholder(s->res[ri].s))
            return true;
    return false;
}

static void check_action_reach(lint_ctx *c, const lstmt *s)
{
    if (has_unresolved(s))
        return;
    for (uint32_t k = 0; k < s->nacts; k++) {
        const lact *a = &s->acts[k];
        if (!a->known || a->all)
            continue;
        bool reach = false;
        for (size_t i = 0; i < a->nids && !reach; i++)
            reach = lint_action_reachable(c, s, a->ids[i]);
        if (reach)
            continue;
        char what[400], name[160];
        const char *verb = s->deny ? "denies" : "allows";
        if (a->wildcard) {
            lint_add(c, "action-resource-mismatch", a->v->start,
                     "list the resources these actions act on, or move them to another statement",
                     "none of the %zu actions \"%s\" matches act on a resource listed here: the statement never %s them",
                     a->nids, a->s, verb);
            continue;
        }
        describe_rtype(c, a->ids[0], what, sizeof what);
        bool star_only = c->cat->act[a->ids[0]].rt_count == 0;
        lint_add(c, "action-resource-mismatch", a->v->start,
                 star_only ? "move the action to a statement with \"Resource\": \"*\""
                           : "add a Resource entry of that form, or move the action to another statement",
                 "\"%s\" %s, and no Resource entry matches: the statement never %s it",
                 lint_action_name(c, a->ids[0], name, sizeof name), what, verb);
    }
}

static bool resource_used(lint_ctx *c, const lstmt *s, uint32_t ri)
{
    for (uint32_t k = 0; k < s->nacts; k++) {
        const lact *a = &s->acts[k];
        for (size_t i = 0; i < a->nids; i++) {
            const igcat_action *act = &c->cat->act[a->ids[i]];
            for (uint32_t t = 0; t < act->rt_count; t++)
                if (lint_res_matches_rtype(c, s, ri, c->cat->art[act->rt_first + t].rtype))
                    return true;
        }
    }
    return false;
}

static void check_unused_resources(lint_ctx *c, const lstmt *s)
{
    for (uint32_t k = 0; k < s->nacts; k++)
        if (s->acts[k].all)
            return;
    for (uint32_t ri = 0; ri < s->nres; ri++) {
        const lres *r = &s->res[ri];
        if (r->star || cfn_is_placeholder(r->s) || resource_used(c, s, ri))
            continue;
        char what[400] = "";
        for (uint32_t k = 0; k < s->nacts && !what[0]; k++)
            if (s->acts[k].nids) {
                char name[160];
                char desc[300];
                describe_rtype(c, s->acts[k].ids[0], desc, sizeof desc);
                snprintf(what, sizeof what, "%s %s",
                         lint_action_name(c, s->acts[k].ids[0], name, sizeof name), desc);
            }
        lint_add(c, "resource-matches-no-action", r->v->start, what[0] ? what : NULL,
                 "no action of this statement acts on a resource like \"%s\"", r->s);
    }
}

static void check_redundant(lint_ctx *c, const lstmt *s)
{
    for (uint32_t k = 0; k < s->nres; k++) {
        const lres *a = &s->res[k];
        for (uint32_t j = 0; j < s->nres; j++) {
            const lres *b = &s->res[j];
            if (j == k || !lint_arn_subsumes(b->s, b->n, a->s, a->n))
                continue;
            if (j > k && lint_arn_subsumes(a->s, a->n, b->s, b->n))
                continue;
            lint_add(c, "redundant-resource", a->v->start, "remove this entry",
                     "\"%s\" is already covered by \"%s\" in the same statement", a->s, b->s);
            break;
        }
    }
}

void lint_check_resources(lint_ctx *c)
{
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        check_redundant(c, s);
        if (s->not_action || s->not_resource || !s->resource)
            continue;
        check_action_reach(c, s);
        if (s->actions_known)
            check_unused_resources(c, s);
    }
}

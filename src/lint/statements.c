/* statements.c - statements that can never have an effect: a Deny no
 * request can match, an Allow that a Deny of the same policy always
 * overrides, and a statement another one of the same effect covers. */
#include <stdio.h>
#include <string.h>

#include "lint/lint_int.h"

/* Past this many pairs of action entries, coverage is not tried. */
#define MAX_PAIRS 200000u

static bool positive(const lstmt *s)
{
    return !s->not_action && !s->not_resource;
}

static bool action_entry_covered(const lint_ctx *c, const lact *a, const lstmt *t)
{
    for (uint32_t j = 0; j < t->nacts; j++)
        if (lint_glob_subsumes(t->acts[j].s, t->acts[j].n, a->s, a->n, true))
            return true;
    /* "s3:Get*" is covered by "s3:Get*" and "s3:GetObject*" only if every
     * action it stands for is: ask the catalog. */
    if (!c->cat || !a->known || a->all)
        return false;
    for (size_t i = 0; i < a->nids; i++) {
        char name[200];
        lint_action_name(c, a->ids[i], name, sizeof name);
        bool hit = false;
        for (uint32_t j = 0; j < t->nacts && !hit; j++)
            hit = igcat_wild_match(t->acts[j].s, t->acts[j].n, name, strlen(name));
        if (!hit)
            return false;
    }
    return true;
}

static bool actions_covered(const lint_ctx *c, const lstmt *s, const lstmt *t)
{
    if ((size_t)s->nacts * t->nacts > MAX_PAIRS)
        return false;
    for (uint32_t k = 0; k < s->nacts; k++)
        if (!action_entry_covered(c, &s->acts[k], t))
            return false;
    return true;
}

static bool resources_covered(const lstmt *s, const lstmt *t)
{
    if (!t->resource)
        return true;
    if (!s->resource)
        return t->any_star_resource;
    if ((size_t)s->nres * t->nres > MAX_PAIRS)
        return false;
    for (uint32_t k = 0; k < s->nres; k++) {
        bool hit = false;
        for (uint32_t j = 0; j < t->nres && !hit; j++)
            hit = lint_arn_subsumes(t->res[j].s, t->res[j].n, s->res[k].s, s->res[k].n);
        if (!hit)
            return false;
    }
    return true;
}

static bool same_text(const lint_ctx *c, const json_value *a, const json_value *b)
{
    json_buf x, y;
    json_writer wx, wy;
    json_buf_init(&x);
    json_buf_init(&y);
    jw_init(&wx, &x, false);
    jw_init(&wy, &y, false);
    jw_value(&wx, a);
    jw_value(&wy, b);
    bool same = !x.failed && !y.failed && x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
    json_buf_free(&x);
    json_buf_free(&y);
    (void)c;
    return same;
}

/* Whether t's principal includes everyone s's principal names. */
static bool principals_covered(const lint_ctx *c, const lstmt *s, const lstmt *t)
{
    if (!t->principal)
        return !s->principal;
    if (strcmp(t->principal->key, "Principal"))
        return false;
    if (t->st->principal_bare_star)
        return true;
    return s->principal && !strcmp(s->principal->key, "Principal") &&
           same_text(c, &s->principal->value, &t->principal->value);
}

static const char *sid_or_index(const lstmt *t, uint32_t index, char *buf, size_t cap)
{
    if (t->sid && t->sid->value.kind == JSON_STRING && t->sid->value.len)
        snprintf(buf, cap, "statement %u (\"%s\")", index + 1, t->sid->value.u.str);
    else
        snprintf(buf, cap, "statement %u", index + 1);
    return buf;
}

static void check_shadowed(lint_ctx *c, uint32_t si)
{
    const lstmt *s = &c->stmts[si];
    for (uint32_t ti = 0; ti < c->nstmts; ti++) {
        const lstmt *t = &c->stmts[ti];
        if (!t->deny || t->condition || !positive(t))
            continue;
        if (!actions_covered(c, s, t) || !resources_covered(s, t) || !principals_covered(c, s, t))
            continue;
        char who[200];
        lint_add(c, "allow-shadowed-by-deny", s->effect->value.start,
                 "remove the Allow, or narrow the Deny",
                 "the Deny in %s has no condition and covers every action and resource of this Allow: it never grants anything",
                 sid_or_index(t, ti, who, sizeof who));
        return;
    }
}

static bool conditions_covered(const lint_ctx *c, const lstmt *s, const lstmt *t)
{
    if (!t->condition)
        return true;
    return s->condition && same_text(c, &s->condition->value, &t->condition->value);
}

static void check_redundant(lint_ctx *c, uint32_t si)
{
    const lstmt *s = &c->stmts[si];
    for (uint32_t ti = 0; ti < c->nstmts; ti++) {
        const lstmt *t = &c->stmts[ti];
        if (ti == si || t->deny != s->deny || !positive(t))
            continue;
        if (!conditions_covered(c, s, t) || !principals_covered(c, s, t) ||
            !actions_covered(c, s, t) || !resources_covered(s, t))
            continue;
        /* Of two equal statements, report the second. */
        if (ti > si && conditions_covered(c, t, s) && principals_covered(c, t, s) &&
            actions_covered(c, t, s) && resources_covered(t, s))
            continue;
        char who[200];
        lint_add(c, "redundant-statement", s->obj->start, "remove this statement",
                 "%s already covers every action and resource of this statement",
                 sid_or_index(t, ti, who, sizeof who));
        return;
    }
}

/* A Deny that cannot match: none of its actions reach a listed resource,
 * or a condition tests a key none of its actions ever sends. */
static void check_deny(lint_ctx *c, const lstmt *s)
{
    if (!c->cat || !positive(s) || !s->actions_known)
        return;
    for (uint32_t k = 0; k < s->nacts; k++)
        if (s->acts[k].all)
            return;
    bool reach = !s->resource;
    for (uint32_t k = 0; k < s->nacts && !reach; k++)
        for (size_t i = 0; i < s->acts[k].nids && !reach; i++)
            reach = lint_action_reachable(c, s, s->acts[k].ids[i]);
    if (!reach) {
        lint_add(c, "deny-never-matches", s->effect->value.start,
                 "list the resources the actions act on (iamguard catalog --action NAME)",
                 "this Deny never applies: none of its actions acts on a resource it lists");
        return;
    }
    for (uint32_t i = 0; i < s->st->nconds; i++) {
        const ig_cond *cd = &s->st->conds[i];
        bool needs_key = cd->op->vtype == VT_NULL ? !cd->vals[0].u.b
                       : !cd->op->negated && !cd->if_exists && cd->qual != QUAL_FOR_ALL;
        if (needs_key && lint_key_never_sent(c, s, cd)) {
            lint_add(c, "deny-never-matches", s->effect->value.start,
                     "test a key that the statement's actions send",
                     "this Deny never applies: its condition on \"%s\" needs the key, and none of its actions sends it",
                     cd->key_orig);
            return;
        }
    }
}

void lint_check_statements(lint_ctx *c)
{
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        if (s->deny)
            check_deny(c, s);
        if (!positive(s))
            continue;
        if (!s->deny)
            check_shadowed(c, i);
        check_redundant(c, i);
    }
}

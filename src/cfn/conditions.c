/* conditions.c - the Conditions section, Fn::If's conditions and the
 * Condition attribute of resources.
 *
 * Each condition is evaluated once, on first use, and remembered; a
 * condition met again while it is being evaluated is a cycle. */
#include <string.h>

#include "cfn/cfn_int.h"

static bool values_equal(const json_value *a, const json_value *b)
{
    const char *x = cfn_scalar_text(a), *y = cfn_scalar_text(b);
    if (x || y)
        return x && y && !strcmp(x, y);
    if (a->kind != b->kind || a->kind != JSON_ARRAY || a->len != b->len)
        return a->kind == b->kind && a->kind == JSON_NULL;
    for (uint32_t i = 0; i < a->len; i++)
        if (!values_equal(&a->u.items[i], &b->u.items[i]))
            return false;
    return true;
}

static bool cond_expr(cfn_ctx *c, const json_value *v, bool *value)
{
    if (v->kind != JSON_OBJECT || v->len != 1)
        return cfn_fail(c, v->start, "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not "
                        "or {Condition: NAME}");
    const char *fn = v->u.members[0].key;
    const json_value *arg = &v->u.members[0].value;
    if (!strcmp(fn, "Condition")) {
        cfn_cond *cd = arg->kind == JSON_STRING ? cfn_find_cond(c, arg->u.str) : NULL;
        if (!cd)
            return cfn_fail(c, arg->start, "Condition must name a condition of the Conditions "
                            "section");
        return cfn_condition(c, cd, arg->start, value);
    }
    if (!strcmp(fn, "Fn::Equals")) {
        if (!cfn_args(c, v, fn, arg, 2, 2))
            return false;
        json_value a, b;
        int ra = cfn_resolve(c, &arg->u.items[0], &a);
        int rb = ra < 0 ? -1 : cfn_resolve(c, &arg->u.items[1], &b);
        if (ra < 0 || rb < 0)
            return false;
        if (ra == 0 || rb == 0)
            return cfn_fail(c, v->start, "Fn::Equals cannot compare AWS::NoValue");
        *value = values_equal(&a, &b);
        const char *x = cfn_scalar_text(&a), *y = cfn_scalar_text(&b);
        const char *holder = cfn_is_placeholder(x) ? x : cfn_is_placeholder(y) ? y : NULL;
        if (holder && !cfn_note_add(c, CFN_NOTE_PLACEHOLDER, v->start, "the condition compares "
                                    "the placeholder %.100s and is taken as %s; give the value "
                                    "to decide it", holder, *value ? "true" : "false"))
            return false;
        return true;
    }
    bool is_and = !strcmp(fn, "Fn::And"), is_or = !strcmp(fn, "Fn::Or");
    bool is_not = !strcmp(fn, "Fn::Not");
    if (!is_and && !is_or && !is_not)
        return cfn_fail(c, v->start, "%.64s cannot be used as a condition", fn);
    if (!cfn_args(c, v, fn, arg, is_not ? 1 : 2, is_not ? 1 : 10))
        return false;
    /* Every operand is evaluated, so a broken one is reported whatever
     * the others say, as CloudFormation validates them all. */
    bool acc = is_and;
    for (uint32_t i = 0; i < arg->len; i++) {
        bool x;
        if (!cond_expr(c, &arg->u.items[i], &x))
            return false;
        acc = is_and ? acc && x : acc || x;
    }
    *value = is_not ? !acc : acc;
    return true;
}

bool cfn_condition(cfn_ctx *c, cfn_cond *cd, size_t at, bool *value)
{
    if (cd->state == 2) {
        *value = cd->value;
        return true;
    }
    if (cd->state == 1)
        return cfn_fail(c, at, "condition %s depends on itself", cd->name);
    if (++c->chain > CFN_MAX_REF_CHAIN) {
        c->chain--;
        return cfn_fail_code(c, IG_E_LIMIT, at, "conditions nested more than %u deep",
                             CFN_MAX_REF_CHAIN);
    }
    char saved[CFN_PATH_MAX];
    size_t savedlen = c->pathlen;
    memcpy(saved, c->path, savedlen + 1);
    cfn_path_set(c, 0);
    cfn_path_key(c, "Conditions");
    cfn_path_key(c, cd->name);
    cd->state = 1;
    bool ok = cond_expr(c, &cd->decl->value, &cd->value);
    c->chain--;
    if (!ok)
        return false;               /* keep the condition's path in the message */
    cd->state = 2;
    memcpy(c->path, saved, savedlen + 1);
    c->pathlen = savedlen;
    *value = cd->value;
    return true;
}

bool cfn_res_created(cfn_ctx *c, cfn_res *r, bool *created)
{
    if (r->created < 0) {
        const json_value *cond = json_get(&r->decl->value, "Condition");
        bool v = true;
        if (cond && !cfn_condition(c, cfn_find_cond(c, cond->u.str), cond->start, &v))
            return false;
        r->created = v;
    }
    *created = r->created == 1;
    return true;
}

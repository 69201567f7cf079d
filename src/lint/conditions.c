/* conditions.c - condition keys against the catalog: keys nobody
 * defines, keys no action of the statement sends, operators that do not
 * fit the key's type, and set qualifiers (ForAllValues/ForAnyValue) on the
 * wrong kind of key. */
#include <stdio.h>
#include <string.h>

#include "lint/lint_int.h"

/* OIDC and SAML provider keys (token.actions.githubusercontent.com:sub)
 * are named after whatever provider an account trusts: no list has them
 * all, so lint does not call them unknown. */
static bool provider_key(const char *key, size_t n)
{
    const char *colon = memchr(key, ':', n);
    return colon && (memchr(key, '.', (size_t)(colon - key)) || memchr(key, '/', (size_t)(colon - key)));
}

static bool statement_actions_checkable(const lstmt *s)
{
    if (s->not_action || !s->actions_known)
        return false;
    for (uint32_t k = 0; k < s->nacts; k++)
        if (s->acts[k].all)
            return false;
    return true;
}

bool lint_key_never_sent(lint_ctx *c, const lstmt *s, const ig_cond *cd)
{
    if (!statement_actions_checkable(s))
        return false;
    ig_catalog_key k;
    if (!ig_catalog_key_find(c->cat, cd->key_orig, cd->key_len, &k))
        return false;
    for (uint32_t a = 0; a < s->nacts; a++)
        for (size_t i = 0; i < s->acts[a].nids; i++)
            if (ig_catalog_action_supports_key(c->cat, s->acts[a].ids[i], cd->key_orig, cd->key_len))
                return false;
    return true;
}

static const char *type_name(ig_key_type t)
{
    static const char *const names[] = { "String", "ARN", "Numeric", "Date", "Bool",
                                         "IPAddress", "Binary", "unknown" };
    return (unsigned)t <= IG_KEY_OTHER ? names[t] : "unknown";
}

/* free_form: a key whose name has a placeholder (tags, encryption
 * context): its values are whatever the caller put there, ARNs included. */
static bool op_fits(ig_vtype vt, ig_key_type kt, bool free_form)
{
    if (kt == IG_KEY_OTHER || vt == VT_NULL)
        return true;
    switch (vt) {
    case VT_STRING: return kt == IG_KEY_STRING || kt == IG_KEY_ARN;
    case VT_ARN: return kt == IG_KEY_ARN || (kt == IG_KEY_STRING && free_form);
    /* aws:EpochTime is a date that policies compare as a number. */
    case VT_NUMERIC: return kt == IG_KEY_NUMERIC || kt == IG_KEY_DATE;
    case VT_DATE: return kt == IG_KEY_DATE;
    case VT_BOOL: return kt == IG_KEY_BOOL;
    case VT_IP: return kt == IG_KEY_IP;
    case VT_BINARY: return kt == IG_KEY_BINARY;
    default: return true;
    }
}

static const char *operator_for(ig_key_type kt)
{
    switch (kt) {
    case IG_KEY_ARN: return "ArnLike / ArnEquals (or String operators)";
    case IG_KEY_NUMERIC: return "Numeric operators";
    case IG_KEY_DATE: return "Date operators";
    case IG_KEY_BOOL: return "Bool";
    case IG_KEY_IP: return "IpAddress / NotIpAddress";
    case IG_KEY_BINARY: return "BinaryEquals";
    default: return "String operators";
    }
}

static bool has_null_guard(const lstmt *s, const ig_cond *cd)
{
    for (uint32_t i = 0; i < s->st->nconds; i++) {
        const ig_cond *o = &s->st->conds[i];
        if (o->op->vtype == VT_NULL && o->key_len == cd->key_len && !strcmp(o->key, cd->key) &&
            o->nvals == 1 && !o->vals[0].u.b)
            return true;
    }
    return false;
}

static void check_condition(lint_ctx *c, const lstmt *s, const ig_cond *cd)
{
    ig_catalog_key k;
    char fix[300];
    if (!ig_catalog_key_find(c->cat, cd->key_orig, cd->key_len, &k)) {
        if (provider_key(cd->key_orig, cd->key_len))
            return;
        bool have = lint_suggest_key(c, cd->key_orig, fix, sizeof fix);
        lint_add(c, "unknown-condition-key", cd->key_offset, have ? fix : NULL,
                 "no AWS service defines the condition key \"%s\"", cd->key_orig);
        return;
    }
    if (lint_key_never_sent(c, s, cd)) {
        bool positive = !cd->op->negated && !cd->if_exists && cd->qual != QUAL_FOR_ALL &&
                        cd->op->vtype != VT_NULL;
        lint_add(c, "condition-key-unsupported", cd->key_offset,
                 "use a key the statement's actions support (iamguard catalog --action NAME lists them)",
                 "no action of this statement supports \"%s\": requests for them never carry it%s",
                 cd->key_orig, positive ? ", so this condition is never true" : "");
    }
    bool free_form = strstr(k.name, "${") || strchr(k.name, '<') || strstr(k.name, "/tag-key");
    if (!op_fits((ig_vtype)cd->op->vtype, k.type, free_form)) {
        snprintf(fix, sizeof fix, "use %s", operator_for(k.type));
        lint_add(c, "condition-type-mismatch", cd->key_offset, fix,
                 "\"%s\" is of type %s%s; the operator \"%s\" compares %s values",
                 cd->key_orig, k.multivalued ? "ArrayOf" : "", type_name(k.type), cd->op_raw,
                 cd->op->vtype == VT_STRING ? "String" : cd->op->vtype == VT_ARN ? "ARN"
                 : cd->op->vtype == VT_NUMERIC ? "Numeric" : cd->op->vtype == VT_DATE ? "Date"
                 : cd->op->vtype == VT_BOOL ? "Bool" : cd->op->vtype == VT_IP ? "IP address" : "Binary");
    }
    if (k.type != IG_KEY_OTHER && !k.multivalued && cd->qual == QUAL_FOR_ALL)
        lint_add(c, "forallvalues-single-valued", cd->key_offset, "drop the ForAllValues: qualifier",
                 "\"%s\" is single-valued: ForAllValues treats it as a set of one, and is also true when the key is absent",
                 cd->key_orig);
    if (k.type != IG_KEY_OTHER && !k.multivalued && cd->qual == QUAL_FOR_ANY)
        lint_add(c, "foranyvalue-single-valued", cd->key_offset, "drop the ForAnyValue: qualifier",
                 "\"%s\" is single-valued: ForAnyValue is not needed", cd->key_orig);
    if (k.multivalued && cd->qual == QUAL_NONE && cd->op->vtype != VT_NULL)
        lint_add(c, "multivalued-without-qualifier", cd->key_offset,
                 "use ForAnyValue: (any value matches) or ForAllValues: (every value matches)",
                 "\"%s\" can carry several values; \"%s\" without ForAnyValue/ForAllValues does not match a request with two or more",
                 cd->key_orig, cd->op_raw);
    if (!s->deny && cd->qual == QUAL_FOR_ALL && !has_null_guard(s, cd))
        lint_add(c, "forallvalues-without-null", cd->key_offset,
                 "add \"Null\": {\"KEY\": \"false\"} to the same statement",
                 "\"%s\" is true when the request has no \"%s\" at all: this Allow then applies unconditionally",
                 cd->op_raw, cd->key_orig);
}

void lint_check_conditions(lint_ctx *c)
{
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        for (uint32_t k = 0; k < s->st->nconds; k++)
            check_condition(c, s, &s->st->conds[k]);
    }
}

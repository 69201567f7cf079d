/* transform.c - the Transform section, the Rules section and Rain
 * directives: what a template may hold besides plain resources.
 *
 * SAM (AWS::Serverless-2016-10-31) and AWS::LanguageExtensions are
 * expanded here, before the resources are read, so the rest of the reader
 * sees plain CloudFormation.  Any other macro could add or change IAM
 * resources iamguard cannot see: the template is read as it stands and
 * noted as not deployable as is. */
#include <string.h>

#include "cfn/cfn_int.h"

static const char SAM[] = "AWS::Serverless-2016-10-31";
static const char LANG_EXT[] = "AWS::LanguageExtensions";

static bool one_transform(cfn_ctx *c, const json_value *v)
{
    if (v->kind == JSON_OBJECT) {
        /* {Name: Macro, Parameters: {...}}: a macro with parameters. */
        const json_value *name = json_get(v, "Name");
        if (!name || name->kind != JSON_STRING)
            return cfn_fail(c, v->start, "a Transform with parameters needs a Name");
        return cfn_note_add(c, CFN_NOTE_UNDEPLOYABLE, v->start, "not deployable as is: macro "
                            "%.100s (iamguard does not run macros; what it reads is the "
                            "template before the macro)", name->u.str);
    }
    if (v->kind != JSON_STRING)
        return cfn_fail(c, v->start, "Transform must be a macro name or a list of them");
    if (!strcmp(v->u.str, SAM))
        c->sam = true;
    else if (!strcmp(v->u.str, LANG_EXT))
        c->lang_ext = true;
    else if (!strcmp(v->u.str, "AWS::Include") || !strcmp(v->u.str, "AWS::SecretsManager-2020-07-23") ||
             !strcmp(v->u.str, "AWS::CodeDeployBlueGreen") || !strcmp(v->u.str, "AWS::ServiceCatalog"))
        return cfn_note_add(c, CFN_NOTE_UNDEPLOYABLE, v->start, "not deployable as is: "
                            "transform %s is not expanded by iamguard (what it reads is the "
                            "template before the transform)", v->u.str);
    else
        return cfn_note_add(c, CFN_NOTE_UNDEPLOYABLE, v->start, "not deployable as is: macro "
                            "%.100s (iamguard does not run macros; what it reads is the "
                            "template before the macro)", v->u.str);
    return true;
}

bool cfn_read_transforms(cfn_ctx *c, const json_value *v)
{
    size_t old = cfn_path_key(c, "Transform");
    if (v->kind == JSON_ARRAY) {
        if (v->len > 64)
            return cfn_fail_code(c, IG_E_LIMIT, v->start, "more than 64 transforms");
        for (uint32_t i = 0; i < v->len; i++)
            if (!one_transform(c, &v->u.items[i]))
                return false;
    } else if (!one_transform(c, v)) {
        return false;
    }
    cfn_path_set(c, old);
    return true;
}

bool cfn_rain_directive(const json_value *v, const char **name)
{
    if (v->kind != JSON_OBJECT || v->len != 1 || strncmp(v->u.members[0].key, "Rain::", 6))
        return false;
    *name = v->u.members[0].key;
    return true;
}

/* Rules: {Name: {RuleCondition?, Assertions: [{Assert, AssertDescription?}]}}.
 * CloudFormation checks them against the parameters before it deploys
 * anything; they cannot change what a deployed stack holds, so iamguard
 * checks their shape and does not evaluate them. */
bool cfn_check_rules(cfn_ctx *c, const json_value *v)
{
    if (v->kind != JSON_OBJECT)
        return cfn_fail(c, v->start, "Rules must be a mapping");
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        size_t old = cfn_path_key(c, m->key);
        if (m->value.kind != JSON_OBJECT)
            return cfn_fail(c, m->value.start, "a rule must be a mapping");
        for (uint32_t k = 0; k < m->value.len; k++) {
            const json_member *a = &m->value.u.members[k];
            if (strcmp(a->key, "RuleCondition") && strcmp(a->key, "Assertions"))
                return cfn_fail(c, a->key_start, "unknown rule attribute \"%.80s\"", a->key);
        }
        const json_value *as = json_get(&m->value, "Assertions");
        if (!as || as->kind != JSON_ARRAY)
            return cfn_fail(c, as ? as->start : m->key_start, "a rule needs a list of Assertions");
        for (uint32_t k = 0; k < as->len; k++) {
            const json_value *a = &as->u.items[k];
            if (a->kind != JSON_OBJECT || !json_get(a, "Assert"))
                return cfn_fail(c, a->start, "an assertion is a mapping with Assert");
            for (uint32_t j = 0; j < a->len; j++)
                if (strcmp(a->u.members[j].key, "Assert") &&
                    strcmp(a->u.members[j].key, "AssertDescription"))
                    return cfn_fail(c, a->u.members[j].key_start,
                                    "unknown assertion attribute \"%.80s\"", a->u.members[j].key);
        }
        cfn_path_set(c, old);
    }
    return true;
}

/* Rain directives and Fn::Transform anywhere in the template (also where
 * nothing is resolved, e.g. a function's code) make it not deployable as
 * is; the parser bounds the depth. */
bool cfn_scan_directives(cfn_ctx *c, const json_value *v)
{
    const char *name;
    if (v->kind == JSON_ARRAY) {
        for (uint32_t i = 0; i < v->len; i++) {
            size_t old = cfn_path_index(c, i);
            if (!cfn_scan_directives(c, &v->u.items[i]))
                return false;
            cfn_path_set(c, old);
        }
        return true;
    }
    if (v->kind != JSON_OBJECT)
        return true;
    if (cfn_rain_directive(v, &name))
        return cfn_note_add(c, CFN_NOTE_UNDEPLOYABLE, v->start, "not deployable as is: Rain "
                            "directive !%s (expand it with rain pkg first)", name);
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        if (!strcmp(m->key, "Fn::Transform") && v->len == 1) {
            const json_value *n = m->value.kind == JSON_OBJECT ? json_get(&m->value, "Name") : NULL;
            if (n && n->kind == JSON_STRING && strcmp(n->u.str, "AWS::Include") &&
                !cfn_note_add(c, CFN_NOTE_UNDEPLOYABLE, v->start, "not deployable as is: macro "
                              "%.100s (Fn::Transform; iamguard does not run macros)", n->u.str))
                return false;
        }
        size_t old = cfn_path_key(c, m->key);
        if (!cfn_scan_directives(c, &m->value))
            return false;
        cfn_path_set(c, old);
    }
    return true;
}

bool cfn_expand_resources(cfn_ctx *c, const json_value *res, const json_value *globals,
                          json_value *out)
{
    json_value v = *res;
    if (c->lang_ext && !cfn_foreach_expand(c, res, &v))
        return false;
    if (c->sam)
        return cfn_sam_expand(c, &v, globals, out);
    *out = v;
    return true;
}

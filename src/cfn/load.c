/* load.c - reading a CloudFormation template: its sections, parameters
 * and resources, the pseudo parameters, and the public entry points.
 *
 * A template is either loaded completely -- every IAM resource resolved
 * to the values CloudFormation would give it -- or rejected with one
 * diagnostic; nothing is guessed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/cfn_int.h"
#include "policy/policy.h"
#include "util/alloc.h"
#include "util/file.h"
#include "yaml/yaml.h"

typedef struct {
    json_doc *src, *out;
    json_doc **strings;     /* policy documents written as JSON strings */
    size_t nstrings;
} cfn_internal;

/* ---- diagnostics and paths ------------------------------------------------ */

static bool vfail(cfn_ctx *c, int code, size_t offset, const char *fmt, va_list ap)
{
    char msg[300];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (c->pathlen)
        ig_diag_set(c->diag, code, c->file, c->text, c->len, offset, "%s: %s", c->path, msg);
    else
        ig_diag_set(c->diag, code, c->file, c->text, c->len, offset, "%s", msg);
    return false;
}

bool cfn_fail(cfn_ctx *c, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(c, IG_E_INPUT, offset, fmt, ap);
    va_end(ap);
    return false;
}

bool cfn_fail_code(cfn_ctx *c, int code, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfail(c, code, offset, fmt, ap);
    va_end(ap);
    return false;
}

static size_t path_append(cfn_ctx *c, const char *fmt, const char *s, size_t i)
{
    size_t old = c->pathlen;
    size_t room = sizeof c->path - c->pathlen;
    int n = s ? snprintf(c->path + c->pathlen, room, fmt, s)
              : snprintf(c->path + c->pathlen, room, fmt, i);
    if (n < 0 || (size_t)n >= room) {
        /* Keep the start of the path and mark the cut. */
        memcpy(c->path + sizeof c->path - 4, "...", 4);
        c->pathlen = sizeof c->path - 1;
    } else {
        c->pathlen += (size_t)n;
    }
    return old;
}

size_t cfn_path_key(cfn_ctx *c, const char *key)
{
    return path_append(c, c->pathlen ? ".%s" : "%s", key, 0);
}

size_t cfn_path_index(cfn_ctx *c, size_t i)
{
    return path_append(c, "[%zu]", NULL, i);
}

void cfn_path_set(cfn_ctx *c, size_t len)
{
    c->pathlen = len;
    c->path[len] = '\0';
}

/* ---- memory --------------------------------------------------------------- */

void *cfn_alloc(cfn_ctx *c, size_t n)
{
    return json_doc_alloc(c->out, n);
}

char *cfn_strdup(cfn_ctx *c, const char *s, size_t n)
{
    if (n > CFN_MAX_STRING || c->resolved_bytes + n > CFN_MAX_RESOLVED_BYTES)
        return NULL;
    c->resolved_bytes += n + 1;
    return json_doc_strndup(c->out, s, n);
}

bool cfn_string_value(cfn_ctx *c, const char *s, size_t n, uint32_t start, uint32_t end,
                      json_value *out)
{
    if (n > CFN_MAX_STRING)
        return cfn_fail_code(c, IG_E_LIMIT, start, "value longer than %u bytes", CFN_MAX_STRING);
    if (c->resolved_bytes + n > CFN_MAX_RESOLVED_BYTES)
        return cfn_fail_code(c, IG_E_LIMIT, start, "resolved template larger than %u bytes",
                             CFN_MAX_RESOLVED_BYTES);
    char *d = cfn_strdup(c, s, n);
    if (!d)
        return cfn_fail_code(c, IG_E_NOMEM, start, "out of memory");
    *out = (json_value){ .kind = JSON_STRING, .start = start, .end = end, .len = (uint32_t)n,
                         .u.str = d };
    return true;
}

/* Every value of a document parsed from a string is placed at that string:
 * its own offsets mean nothing in the template. */
static void place(json_value *v, uint32_t start, uint32_t end)
{
    v->start = start;
    v->end = end;
    if (v->kind == JSON_ARRAY)
        for (uint32_t i = 0; i < v->len; i++)
            place(&v->u.items[i], start, end);
    if (v->kind == JSON_OBJECT)
        for (uint32_t i = 0; i < v->len; i++) {
            v->u.members[i].key_start = start;
            place(&v->u.members[i].value, start, end);
        }
}

bool cfn_parse_json_string(cfn_ctx *c, const json_value *s, json_value *out)
{
    cfn_internal *in = c->t->internal;
    json_limits lim = { .max_bytes = CFN_MAX_STRING };
    json_error je;
    memset(&je, 0, sizeof je);
    json_doc *d = json_parse(s->u.str, s->len, &lim, &je);
    if (!d)
        return cfn_fail(c, s->start, "the policy document in this string is not JSON: %s "
                        "(at character %zu of the string)", je.msg, (size_t)je.offset + 1);
    json_doc **a = ig_realloc(in->strings, (in->nstrings + 1) * sizeof *a);
    if (!a) {
        json_doc_free(d);
        return cfn_fail_code(c, IG_E_NOMEM, s->start, "out of memory");
    }
    in->strings = a;
    in->strings[in->nstrings++] = d;
    *out = *json_root(d);
    place(out, s->start, s->end);
    return true;
}

/* ---- lookups -------------------------------------------------------------- */

cfn_param *cfn_find_param(cfn_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nparams; i++)
        if (!strcmp(c->params[i].name, name))
            return &c->params[i];
    return NULL;
}

cfn_res *cfn_find_res(cfn_ctx *c, const char *id)
{
    for (size_t i = 0; i < c->nres; i++)
        if (!strcmp(c->res[i].id, id))
            return &c->res[i];
    return NULL;
}

const cfn_res *cfn_module_of(cfn_ctx *c, const char *id)
{
    for (size_t i = 0; i < c->nres; i++) {
        size_t n = strlen(c->res[i].id);
        if (!strncmp(c->res[i].type, "Rain::", 6) && !strncmp(id, c->res[i].id, n) && id[n])
            return &c->res[i];
    }
    return NULL;
}

cfn_cond *cfn_find_cond(cfn_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nconds; i++)
        if (!strcmp(c->conds[i].name, name))
            return &c->conds[i];
    return NULL;
}

/* ---- sections ----------------------------------------------------------- */

static bool is_alnum_id(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
            return false;
    return true;
}

static bool expect_object(cfn_ctx *c, const json_value *v, const char *what)
{
    if (v->kind == JSON_OBJECT)
        return true;
    return cfn_fail(c, v->start, "%s must be a mapping, got %s", what, json_kind_name(v->kind));
}

static bool check_keys(cfn_ctx *c, const json_value *obj, const char *const *known, const char *what)
{
    for (uint32_t i = 0; i < obj->len; i++) {
        const json_member *m = &obj->u.members[i];
        bool ok = false;
        for (const char *const *k = known; *k && !ok; k++)
            ok = !strcmp(m->key, *k);
        if (!ok)
            return cfn_fail(c, m->key_start, "unknown %s \"%.80s\"", what, m->key);
    }
    return true;
}

static bool read_parameters(cfn_ctx *c, const json_value *v)
{
    static const char *const KEYS[] = {
        "Type", "Default", "Description", "AllowedValues", "AllowedPattern",
        "ConstraintDescription", "MaxLength", "MinLength", "MaxValue", "MinValue", "NoEcho", NULL,
    };
    if (!expect_object(c, v, "Parameters"))
        return false;
    if (v->len > CFN_MAX_PARAMETERS)
        return cfn_fail_code(c, IG_E_LIMIT, v->start, "more than %u parameters", CFN_MAX_PARAMETERS);
    c->params = cfn_alloc(c, (v->len ? v->len : 1) * sizeof *c->params);
    if (!c->params)
        return cfn_fail_code(c, IG_E_NOMEM, v->start, "out of memory");
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        size_t old = cfn_path_key(c, m->key);
        if (!is_alnum_id(m->key))
            return cfn_fail(c, m->key_start, "parameter names must be alphanumeric");
        if (!expect_object(c, &m->value, "a parameter") ||
            !check_keys(c, &m->value, KEYS, "parameter attribute"))
            return false;
        const json_value *type = json_get(&m->value, "Type");
        if (!type || type->kind != JSON_STRING)
            return cfn_fail(c, type ? type->start : m->key_start,
                            "a parameter needs a Type (a string)");
        const json_value *allowed = json_get(&m->value, "AllowedValues");
        if (allowed && allowed->kind != JSON_ARRAY)
            return cfn_fail(c, allowed->start, "AllowedValues must be a list");
        c->params[c->nparams++] = (cfn_param){ .name = m->key, .decl = m, .type = type->u.str };
        cfn_path_set(c, old);
    }
    return true;
}

static bool apply_given_parameters(cfn_ctx *c)
{
    const cfn_params *g = c->given;
    for (size_t i = 0; g && i < g->nparameters; i++) {
        const char *kv = g->parameters[i];
        const char *eq = kv ? strchr(kv, '=') : NULL;
        if (!eq || eq == kv)
            return cfn_fail(c, 0, "parameter override \"%.100s\" must be NAME=VALUE", kv ? kv : "");
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(eq - kv), kv);
        cfn_param *p = cfn_find_param(c, name);
        if (!p)
            return cfn_fail(c, 0, "the template declares no parameter %s", name);
        p->given = eq + 1;
    }
    return true;
}

static bool read_conditions(cfn_ctx *c, const json_value *v)
{
    if (!expect_object(c, v, "Conditions"))
        return false;
    if (v->len > CFN_MAX_CONDITIONS)
        return cfn_fail_code(c, IG_E_LIMIT, v->start, "more than %u conditions", CFN_MAX_CONDITIONS);
    c->conds = cfn_alloc(c, (v->len ? v->len : 1) * sizeof *c->conds);
    if (!c->conds)
        return cfn_fail_code(c, IG_E_NOMEM, v->start, "out of memory");
    for (uint32_t i = 0; i < v->len; i++)
        c->conds[c->nconds++] = (cfn_cond){ .name = v->u.members[i].key, .decl = &v->u.members[i] };
    return true;
}

static bool read_resources(cfn_ctx *c, const json_value *v)
{
    static const char *const KEYS[] = {
        "Type", "Properties", "Condition", "DependsOn", "Metadata", "DeletionPolicy",
        "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy", "Version", NULL,
    };
    /* A Rain module may also override the resources it brings. */
    static const char *const RAIN_KEYS[] = {
        "Type", "Properties", "Condition", "DependsOn", "Metadata", "DeletionPolicy",
        "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy", "Version", "Overrides", NULL,
    };
    if (!expect_object(c, v, "Resources"))
        return false;
    if (v->len == 0)
        return cfn_fail(c, v->start, "Resources must declare at least one resource");
    if (v->len > CFN_MAX_RESOURCES)
        return cfn_fail_code(c, IG_E_LIMIT, v->start, "more than %u resources", CFN_MAX_RESOURCES);
    c->res = cfn_alloc(c, v->len * sizeof *c->res);
    if (!c->res)
        return cfn_fail_code(c, IG_E_NOMEM, v->start, "out of memory");
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        size_t old = cfn_path_key(c, m->key);
        if (!is_alnum_id(m->key))
            return cfn_fail(c, m->key_start, "logical ids must be alphanumeric");
        if (cfn_find_param(c, m->key))
            return cfn_fail(c, m->key_start, "%s is both a parameter and a resource", m->key);
        const json_value *type = json_get(&m->value, "Type");
        const char *rain;
        bool module = type && cfn_rain_directive(type, &rain);
        if (!expect_object(c, &m->value, "a resource") ||
            !check_keys(c, &m->value, module ? RAIN_KEYS : KEYS, "resource attribute"))
            return false;
        const char *type_name = type && type->kind == JSON_STRING ? type->u.str : NULL;
        if (module) {
            /* rain pkg replaces the resource with a module's; until then
             * it is a resource of no known type. */
            if (!cfn_note_add(c, CFN_NOTE_UNDEPLOYABLE, type->start, "not deployable as is: "
                              "Rain directive !%s (expand it with rain pkg first)", rain))
                return false;
            type_name = rain;
        }
        if (!type_name)
            return cfn_fail(c, type ? type->start : m->key_start, "a resource needs a Type (a string)");
        const json_value *props = json_get(&m->value, "Properties");
        if (props && props->kind != JSON_OBJECT)
            return cfn_fail(c, props->start, "Properties must be a mapping, got %s",
                            json_kind_name(props->kind));
        const json_value *cond = json_get(&m->value, "Condition");
        if (cond && (cond->kind != JSON_STRING || !cfn_find_cond(c, cond->u.str)))
            return cfn_fail(c, cond->start, cond->kind == JSON_STRING
                            ? "Condition names no condition of the Conditions section"
                            : "Condition must be the name of a condition");
        cfn_res *r = &c->res[c->nres++];
        *r = (cfn_res){ .id = m->key, .decl = m, .props = props, .type = type_name,
                        .created = -1 };
        cfn_res_classify(r);
        cfn_path_key(c, "Properties");
        if (!cfn_res_check_props(c, r))
            return false;
        cfn_path_set(c, old);
    }
    return true;
}

static bool read_sections(cfn_ctx *c, const json_value *root)
{
    static const char *const SECTIONS[] = {
        "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules",
        "Mappings", "Conditions", "Transform", "Resources", "Outputs", "Globals", NULL,
    };
    if (root->kind != JSON_OBJECT)
        return cfn_fail(c, root->start, "a CloudFormation template must be a mapping, got %s",
                        json_kind_name(root->kind));
    if (!check_keys(c, root, SECTIONS, "template section"))
        return false;
    const json_member *m;
    if ((m = json_get_member(root, "AWSTemplateFormatVersion")) &&
        (m->value.kind != JSON_STRING || strcmp(m->value.u.str, "2010-09-09")))
        return cfn_fail(c, m->value.start, "AWSTemplateFormatVersion must be \"2010-09-09\"");
    const json_value *v;
    size_t old;
    if ((v = json_get(root, "Transform")) && !cfn_read_transforms(c, v))
        return false;
    if (!cfn_scan_directives(c, root))
        return false;
    if ((v = json_get(root, "Rules"))) {
        old = cfn_path_key(c, "Rules");
        if (!cfn_check_rules(c, v))
            return false;
        cfn_path_set(c, old);
    }
    if ((v = json_get(root, "Parameters"))) {
        old = cfn_path_key(c, "Parameters");
        if (!read_parameters(c, v))
            return false;
        cfn_path_set(c, old);
    }
    if (!apply_given_parameters(c))
        return false;
    if ((v = json_get(root, "Mappings"))) {
        if (v->kind != JSON_OBJECT)
            return cfn_fail(c, v->start, "Mappings must be a mapping");
        c->mappings = v;
    }
    if ((v = json_get(root, "Conditions"))) {
        old = cfn_path_key(c, "Conditions");
        if (!read_conditions(c, v))
            return false;
        cfn_path_set(c, old);
    }
    if ((m = json_get_member(root, "Globals")) && !c->sam)
        return cfn_fail(c, m->key_start, "Globals is a section of SAM templates (Transform: "
                        "AWS::Serverless-2016-10-31)");
    if (!(v = json_get(root, "Resources")))
        return cfn_fail(c, root->start, "the template has no Resources section");
    old = cfn_path_key(c, "Resources");
    json_value expanded;
    if (!expect_object(c, v, "Resources") ||
        !cfn_expand_resources(c, v, json_get(root, "Globals"), &expanded) ||
        !read_resources(c, &expanded))
        return false;
    cfn_path_set(c, old);
    if ((v = json_get(root, "Outputs")) && v->kind != JSON_OBJECT)
        return cfn_fail(c, v->start, "Outputs must be a mapping");
    return true;
}

/* ---- pseudo parameters ---------------------------------------------------- */

static bool set_pseudo(cfn_ctx *c)
{
    const cfn_params *g = c->given;
    c->account = g && g->account ? g->account : "123456789012";
    c->region = g && g->region ? g->region : "us-east-1";
    c->stack_name = g && g->stack_name ? g->stack_name : "iamguard-stack";
    if (g && g->partition)
        c->partition = g->partition;
    else if (!strncmp(c->region, "cn-", 3))
        c->partition = "aws-cn";
    else if (!strncmp(c->region, "us-gov-", 7))
        c->partition = "aws-us-gov";
    else
        c->partition = "aws";
    c->url_suffix = !strcmp(c->partition, "aws-cn") ? "amazonaws.com.cn" : "amazonaws.com";
    const char *checks[][2] = { { c->account, "account" }, { c->region, "region" },
                                { c->partition, "partition" }, { c->stack_name, "stack name" } };
    for (size_t i = 0; i < 4; i++) {
        const char *s = checks[i][0];
        if (!*s || strlen(s) > 128 || strpbrk(s, ":/ \t\n*?"))
            return cfn_fail(c, 0, "invalid %s \"%.64s\"", checks[i][1], s);
    }
    return true;
}

/* ---- public interface ----------------------------------------------------- */

static int load(char *text, size_t len, const char *file, const cfn_params *params,
                cfn_template **out, ig_diag *diag)
{
    *out = NULL;
    if (!file)
        file = "<template>";
    cfn_template *t = ig_calloc(1, sizeof *t);
    cfn_internal *in = ig_calloc(1, sizeof *in);
    char *fcopy = ig_malloc(strlen(file) + 1);
    if (!t || !in || !fcopy) {
        ig_free(t);
        ig_free(in);
        ig_free(fcopy);
        ig_free(text);
        ig_diag_set(diag, IG_E_NOMEM, file, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    memcpy(fcopy, file, strlen(file) + 1);
    t->file = fcopy;
    t->text = text;
    t->len = len;
    t->internal = in;

    cfn_ctx c;
    memset(&c, 0, sizeof c);
    c.t = t;
    c.file = t->file;
    c.text = text;
    c.len = len;
    c.diag = diag;
    c.given = params;

    json_limits lim = { .max_bytes = CFN_MAX_TEMPLATE_BYTES };
    json_error je;
    in->src = ig_parse_structured(text, len, &lim, &je);
    if (!in->src) {
        int code = strcmp(je.msg, "out of memory") ? IG_E_JSON : IG_E_NOMEM;
        ig_diag_set(diag, code, file, text, len, je.offset, "%s", je.msg);
        cfn_free(t);
        return code;
    }
    c.src = in->src;
    in->out = c.out = json_doc_new();
    bool ok = c.out != NULL;
    if (!ok)
        cfn_fail_code(&c, IG_E_NOMEM, 0, "out of memory");
    ok = ok && set_pseudo(&c) && read_sections(&c, json_root(in->src)) &&
         cfn_check_dependencies(&c) &&
         cfn_build_model(&c);
    if (!ok) {
        int code = diag && diag->code ? diag->code : IG_E_INPUT;
        cfn_notes_free(&c);
        cfn_free(t);
        return code;
    }
    cfn_notes_finish(&c);
    *out = t;
    return IG_OK;
}

int cfn_load_text(const char *text, size_t len, const char *file,
                  const cfn_params *params, cfn_template **out, ig_diag *diag)
{
    if (!out || (!text && len)) {
        ig_diag_set(diag, IG_E_INPUT, file, NULL, 0, 0, "no template");
        return IG_E_INPUT;
    }
    *out = NULL;
    if (len > CFN_MAX_TEMPLATE_BYTES) {
        ig_diag_set(diag, IG_E_LIMIT, file, NULL, 0, 0, "template larger than %u bytes",
                    CFN_MAX_TEMPLATE_BYTES);
        return IG_E_LIMIT;
    }
    char *copy = ig_malloc(len + 1);
    if (!copy) {
        ig_diag_set(diag, IG_E_NOMEM, file, NULL, 0, 0, "out of memory");
        return IG_E_NOMEM;
    }
    if (len)
        memcpy(copy, text, len);
    copy[len] = '\0';
    return load(copy, len, file, params, out, diag);
}

int cfn_load_file(const char *path, const cfn_params *params, cfn_template **out,
                  ig_diag *diag)
{
    if (!out || !path) {
        ig_diag_set(diag, IG_E_INPUT, path, NULL, 0, 0, "no template file");
        return IG_E_INPUT;
    }
    *out = NULL;
    size_t len = 0;
    const char *err = NULL;
    char *text = ig_read_file(path, CFN_MAX_TEMPLATE_BYTES, &len, &err);
    if (!text) {
        if (err && !strcmp(err, "file too large")) {
            ig_diag_set(diag, IG_E_LIMIT, path, NULL, 0, 0, "template larger than %u bytes",
                        CFN_MAX_TEMPLATE_BYTES);
            return IG_E_LIMIT;
        }
        ig_diag_set(diag, IG_E_IO, path, NULL, 0, 0, "%s", err ? err : "cannot read file");
        return IG_E_IO;
    }
    return load(text, len, path, params, out, diag);
}

void cfn_free(cfn_template *t)
{
    if (!t)
        return;
    cfn_internal *in = t->internal;
    if (in) {
        json_doc_free(in->src);
        json_doc_free(in->out);
        for (size_t i = 0; i < in->nstrings; i++)
            json_doc_free(in->strings[i]);
        ig_free(in->strings);
        ig_free(in);
    }
    for (size_t i = 0; i < t->nprincipals; i++) {
        ig_free(t->principals[i].policies);
        ig_free(t->principals[i].external_policy_arns);
        ig_free(t->principals[i].groups);
    }
    for (size_t i = 0; i < t->npolicies; i++)
        ig_free(t->policies[i].external_principals);
    for (size_t i = 0; i < t->nresource_policies; i++)
        ig_free(t->resource_policies[i].external_principals);
    ig_free(t->principals);
    ig_free(t->policies);
    ig_free(t->resource_policies);
    ig_free(t->notes);
    ig_free(t->text);
    ig_free(t->file);
    ig_free(t);
}

/* Inline policies of a role/user/group carry the principal's logical id. */
static bool declared_by_principal(const cfn_template *t, const cfn_policy *p)
{
    for (size_t i = 0; i < t->nprincipals; i++)
        if (!strcmp(t->principals[i].logical_id, p->logical_id))
            return true;
    return false;
}

const cfn_policy *cfn_find_policy(const cfn_template *t, const char *name)
{
    if (!t || !name)
        return NULL;
    /* Most specific first: an ARN, then a policy's own name, then the
     * logical id of the resource that declares it, then "LogicalId.PolicyName". */
    for (int pass = 0; pass < 4; pass++) {
        for (size_t i = 0; i < t->npolicies; i++) {
            const cfn_policy *p = &t->policies[i];
            switch (pass) {
            case 0: if (p->arn && !strcmp(p->arn, name)) return p; break;
            case 1: if (p->name && !strcmp(p->name, name)) return p; break;
            case 2:
                if (p->kind != CFN_ROLE_TRUST && !strcmp(p->logical_id, name) &&
                    !declared_by_principal(t, p))
                    return p;
                break;
            default: {
                size_t n = strlen(p->logical_id);
                if (!strncmp(name, p->logical_id, n) && name[n] == '.' && p->name &&
                    !strcmp(name + n + 1, p->name))
                    return p;
            }
            }
        }
    }
    for (size_t i = 0; i < t->nresource_policies; i++)
        if (!strcmp(t->resource_policies[i].name, name))
            return &t->resource_policies[i];
    return NULL;
}

ig_policy *cfn_compile_policy(const cfn_template *t, const cfn_policy *p,
                              ig_policy_type type, ig_diag *diag)
{
    if (!t || !p || !p->document) {
        ig_diag_set(diag, IG_E_INPUT, t ? t->file : NULL, NULL, 0, 0, "no such policy");
        return NULL;
    }
    return ig_policy_compile_value(p->document, t->text, t->len, type, p->name, t->file, diag);
}

/* params.c - the value of a template parameter: given on the command
 * line, else its Default, else a typed placeholder (noted); checked
 * against AllowedValues; list types split at commas. */
#include <stdio.h>
#include <string.h>

#include "cfn/cfn_int.h"

static bool is_list_type(const char *type)
{
    return !strcmp(type, "CommaDelimitedList") || !strncmp(type, "List<", 5) ||
           !strcmp(type, "AWS::SSM::Parameter::Value<CommaDelimitedList>") ||
           !strncmp(type, "AWS::SSM::Parameter::Value<List<", 32);
}

/* A scalar's text: strings as they are, numbers as written, booleans. */
const char *cfn_scalar_text(const json_value *v)
{
    switch (v->kind) {
    case JSON_STRING:
    case JSON_NUMBER: return v->u.str;
    case JSON_TRUE:   return "true";
    case JSON_FALSE:  return "false";
    default:          return NULL;
    }
}

static bool allowed_value(const json_value *allowed, const char *s)
{
    for (uint32_t i = 0; i < allowed->len; i++) {
        const char *a = cfn_scalar_text(&allowed->u.items[i]);
        if (a && !strcmp(a, s))
            return true;
    }
    return false;
}

/* CommaDelimitedList values are split at commas and each item trimmed. */
static bool split_list(cfn_ctx *c, const char *s, uint32_t start, uint32_t end, json_value *out)
{
    size_t n = 1;
    for (const char *q = s; *q; q++)
        n += *q == ',';
    json_value *items = cfn_alloc(c, n * sizeof *items);
    if (!items)
        return cfn_fail_code(c, IG_E_NOMEM, start, "out of memory");
    size_t k = 0;
    for (const char *q = s;; k++) {
        const char *comma = strchr(q, ',');
        const char *e = comma ? comma : q + strlen(q);
        const char *b = q;
        while (b < e && (*b == ' ' || *b == '\t'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
            e--;
        if (!cfn_string_value(c, b, (size_t)(e - b), start, end, &items[k]))
            return false;
        if (!comma)
            break;
        q = comma + 1;
    }
    *out = (json_value){ .kind = JSON_ARRAY, .start = start, .end = end, .len = (uint32_t)n,
                         .u.items = items };
    return true;
}

bool cfn_param_value(cfn_ctx *c, cfn_param *p, size_t at, json_value *out)
{
    if (p->state == 1) {
        *out = p->value;
        return true;
    }
    const json_value *decl = &p->decl->value;
    const json_value *def = json_get(decl, "Default");
    const char *s = p->given;
    uint32_t start = p->decl->key_start, end = p->decl->key_start + p->decl->key_len;
    if (!s && def) {
        s = cfn_scalar_text(def);
        if (!s)
            return cfn_fail(c, def->start, "the Default of parameter %s must be a string, got %s",
                            p->name, json_kind_name(def->kind));
        start = def->start;
        end = def->end;
    }
    const json_value *allowed = json_get(decl, "AllowedValues");
    bool list = is_list_type(p->type);
    char holder[300];
    if (!s) {
        /* A typed placeholder: the template is still read, and the note
         * says which value was assumed. */
        const json_value *min = json_get(decl, "MinValue");
        if (allowed && allowed->kind == JSON_ARRAY && allowed->len &&
            cfn_scalar_text(&allowed->u.items[0]))
            s = cfn_scalar_text(&allowed->u.items[0]);
        else if (!strcmp(p->type, "Number"))
            s = min && cfn_scalar_text(min) ? cfn_scalar_text(min) : "0";
        else {
            snprintf(holder, sizeof holder, "{{%s}}", p->name);
            s = holder;
        }
        const char *ssm = !strncmp(p->type, "AWS::SSM::Parameter::Value<", 27)
                              ? " (read from SSM Parameter Store at deploy time)" : "";
        if (!cfn_note_add(c, CFN_NOTE_PLACEHOLDER, at, "parameter %s has no value%s: "
                          "placeholder \"%.100s\" (give it with --parameter %s=VALUE)",
                          p->name, ssm, s, p->name))
            return false;
    }
    if (list) {
        if (!split_list(c, s, start, end, &p->value))
            return false;
    } else if (!cfn_string_value(c, s, strlen(s), start, end, &p->value)) {
        return false;
    }
    if (allowed && allowed->kind == JSON_ARRAY) {
        for (uint32_t i = 0; i < (list ? p->value.len : 1); i++) {
            const char *v = list ? p->value.u.items[i].u.str : p->value.u.str;
            if (!allowed_value(allowed, v))
                return cfn_fail(c, p->given ? at : start,
                                "value \"%.100s\" of parameter %s is not one of its AllowedValues",
                                v, p->name);
        }
    }
    p->state = 1;
    *out = p->value;
    return true;
}

/* params.c - reading Query API parameters with the constraints of AWS's
 * API reference (length in characters, patterns, list numbering) and
 * AWS's ValidationError wording. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emu/emu_int.h"

static const char *pattern_text(param_pattern p)
{
    switch (p) {
    case P_NAME: return "[\\w+=,.@-]+";
    case P_PATH: return "(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)";
    case P_PATH_PREFIX: return "\\u002F[\\u0021-\\u007F]*";
    case P_DOCUMENT: return "[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+";
    case P_DESCRIPTION: return "[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*";
    case P_VERSION_ID: return "v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?";
    case P_ACCESS_KEY_ID: return "[\\w]+";
    case P_TAG_KEY: return "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+";
    case P_TAG_VALUE: return "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*";
    default: return "";
    }
}

/* Next code point of valid UTF-8 (the form decoder checked it). */
static unsigned next_cp(const unsigned char **s)
{
    const unsigned char *p = *s;
    unsigned c = *p;
    int k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (k)
        c &= 0x3F >> k;
    for (int i = 1; i <= k; i++)
        c = (c << 6) | (p[i] & 0x3F);
    *s = p + k + 1;
    return c;
}

static bool word_char(unsigned c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static bool matches(param_pattern pat, const char *v)
{
    const unsigned char *s = (const unsigned char *)v;
    size_t n = strlen(v);
    switch (pat) {
    case P_PATH:
        if (!strcmp(v, "/")) return true;
        if (n < 3 || v[0] != '/' || v[n - 1] != '/') return false;
        for (size_t i = 0; i < n; i++)
            if (s[i] < 0x21 || s[i] > 0x7E) return false;
        return true;
    case P_PATH_PREFIX:
        if (v[0] != '/') return false;
        for (size_t i = 0; i < n; i++)
            if (s[i] < 0x21 || s[i] > 0x7F) return false;
        return true;
    case P_VERSION_ID: {
        if (v[0] != 'v' || v[1] < '1' || v[1] > '9') return false;
        size_t i = 2;
        while (v[i] >= '0' && v[i] <= '9') i++;
        if (!v[i]) return true;
        if (v[i] != '.') return false;
        for (i++; v[i]; i++)
            if (!word_char((unsigned char)v[i]) && v[i] != '-') return false;
        return !strchr(v + 2, '_');
    }
    default:
        break;
    }
    while (*s) {
        unsigned c = next_cp(&s);
        bool ok;
        switch (pat) {
        case P_NAME: ok = word_char(c) || (c && strchr("+=,.@-", (int)c) && c < 0x80); break;
        case P_ACCESS_KEY_ID: ok = word_char(c); break;
        case P_DOCUMENT: ok = c == 9 || c == 10 || c == 13 || (c >= 0x20 && c <= 0xFF); break;
        case P_DESCRIPTION: ok = c == 9 || c == 10 || c == 13 || (c >= 0x20 && c <= 0x7E) || (c >= 0xA1 && c <= 0xFF); break;
        case P_TAG_KEY:
        case P_TAG_VALUE:
            /* letters, separators and numbers of any script: non-ASCII is
             * taken as such (AWS checks Unicode categories) */
            ok = c >= 0x80 || word_char(c) || (c && strchr(" .:/=+-@", (int)c)); break;
        default: ok = true; break;
        }
        if (!ok)
            return false;
    }
    return true;
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* "RoleName" -> "roleName"; "Tags.member.1.Key" -> "tags.1.member.key" is
 * how AWS names members, but the plain name reads better: keep dots. */
static void field_name(const char *param, char *out, size_t cap)
{
    snprintf(out, cap, "%s", param);
    if (out[0] >= 'A' && out[0] <= 'Z')
        out[0] = (char)(out[0] + 32);
}

static bool check(emu_call *c, const char *name, const char *v, size_t min, size_t max, param_pattern pat)
{
    char field[128], quoted[SERVE_PREFIX_MAX + 4];
    field_name(name, field, sizeof field);
    size_t n = chars(v);
    /* AWS quotes the whole value; a megabyte of it is not echoed here */
    if (n < min || n > max)
        return emu_error(c, 400, "ValidationError",
                         "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length %s %zu",
                         serve_prefix(v, quoted), field, n < min ? "greater than or equal to" : "less than or equal to",
                         n < min ? min : max);
    if (pat == P_ARN && strncmp(v, "arn:", 4))
        return emu_invalid(c, "ARN %s is not valid.", serve_prefix(v, quoted));
    if (pat != P_ANY && pat != P_ARN && !matches(pat, v))
        return emu_error(c, 400, "ValidationError",
                         "1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: %s",
                         serve_prefix(v, quoted), field, pattern_text(pat));
    return true;
}

bool emu_param(emu_call *c, const char *name, bool required, size_t min, size_t max,
               param_pattern pat, const char **out)
{
    *out = form_get(&c->f, name);
    if (!*out) {
        if (!required)
            return true;
        char field[128];
        field_name(name, field, sizeof field);
        return emu_error(c, 400, "ValidationError",
                         "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null",
                         field);
    }
    return check(c, name, *out, min, max, pat);
}

bool emu_param_int(emu_call *c, const char *name, long min, long max, long *out)
{
    const char *v = form_get(&c->f, name);
    if (!v)
        return true;
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || (v[0] != '-' && (v[0] < '0' || v[0] > '9')))
        return emu_error(c, 400, "MalformedInput", "Value %.40s for parameter %s is invalid.", v, name);
    if (n < min || n > max) {
        char field[128];
        field_name(name, field, sizeof field);
        return emu_error(c, 400, "ValidationError",
                         "1 validation error detected: Value '%ld' at '%s' failed to satisfy constraint: Member must have value %s %ld",
                         n, field, n < min ? "greater than or equal to" : "less than or equal to", n < min ? min : max);
    }
    *out = n;
    return true;
}

bool emu_param_bool(emu_call *c, const char *name, bool *out)
{
    const char *v = form_get(&c->f, name);
    if (!v)
        return true;
    if (!strcasecmp(v, "true")) *out = true;
    else if (!strcasecmp(v, "false")) *out = false;
    else return emu_error(c, 400, "MalformedInput", "Value %.40s for parameter %s is invalid.", v, name);
    return true;
}

bool emu_param_list(emu_call *c, const char *name, size_t max, size_t min_len, size_t max_len,
                    param_pattern pat, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    const char *bare = form_get(&c->f, name);
    if (bare && bare[0])
        return emu_error(c, 400, "ValidationError", "%s is a list: send %s.member.1, %s.member.2, ...",
                         name, name, name);
    char prefix[96];
    snprintf(prefix, sizeof prefix, "%s.member.", name);
    size_t first, count = form_prefix_range(&c->f, prefix, &first), highest = 0;
    if (!count)
        return true;
    const char **vals = ig_arena_alloc(&c->arena, max * sizeof *vals);
    if (!vals)
        return emu_db_error(c);
    for (size_t i = first; i < first + count; i++) {
        form_pair *p = &c->f.pairs[i];
        const char *rest;
        size_t idx = form_member_index(p->name + strlen(prefix), max, &rest);
        if (!idx || *rest) {
            if (idx && *rest)
                continue;           /* Name.member.N.Field: not for this reader */
            return emu_error(c, 400, "ValidationError",
                             "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %zu",
                             name, max);
        }
        p->used = true;
        if (!check(c, p->name, p->value, min_len, max_len, pat))
            return false;
        vals[idx - 1] = p->value;
        if (idx > highest) highest = idx;
    }
    for (size_t i = 0; i < highest; i++)
        if (!vals[i])
            return emu_error(c, 400, "ValidationError", "list member %s%zu is missing", prefix, i + 1);
    *out = vals;
    *n = highest;
    return true;
}

bool emu_param_tags(emu_call *c, const char *name, emu_tag **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char prefix[96];
    snprintf(prefix, sizeof prefix, "%s.member.", name);
    size_t first, count = form_prefix_range(&c->f, prefix, &first), highest = 0;
    if (!count)
        return true;
    enum { MAX_TAGS = 50 };
    emu_tag *tags = ig_arena_alloc(&c->arena, MAX_TAGS * sizeof *tags);
    if (!tags)
        return emu_db_error(c);
    for (size_t i = first; i < first + count; i++) {
        form_pair *p = &c->f.pairs[i];
        const char *rest;
        size_t idx = form_member_index(p->name + strlen(prefix), MAX_TAGS, &rest);
        bool key = idx && !strcmp(rest, ".Key"), value = idx && !strcmp(rest, ".Value");
        if (!key && !value) {
            if (!idx)
                return emu_error(c, 400, "ValidationError",
                                 "1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to 50",
                                 name);
            continue;                   /* left unused: reported as unknown */
        }
        p->used = true;
        if (!check(c, p->name, p->value, key ? 1 : 0, key ? 128 : 256, key ? P_TAG_KEY : P_TAG_VALUE))
            return false;
        if (key) tags[idx - 1].key = p->value;
        else tags[idx - 1].value = p->value;
        if (idx > highest) highest = idx;
    }
    for (size_t i = 0; i < highest; i++) {
        if (!tags[i].key)
            return emu_error(c, 400, "ValidationError",
                             "1 validation error detected: Value null at '%s.%zu.member.key' failed to satisfy constraint: Member must not be null",
                             name, i + 1);
        if (!tags[i].value)
            return emu_error(c, 400, "ValidationError",
                             "1 validation error detected: Value null at '%s.%zu.member.value' failed to satisfy constraint: Member must not be null",
                             name, i + 1);
        for (size_t j = 0; j < i; j++)
            if (!strcasecmp(tags[i].key, tags[j].key))
                return emu_invalid(c, "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }
    *out = tags;
    *n = highest;
    return true;
}

bool emu_param_paging(emu_call *c, long *max_items, long *start)
{
    *max_items = 100;
    *start = 0;
    const char *marker;
    if (!emu_param_int(c, "MaxItems", 1, 1000, max_items) ||
        !emu_param(c, "Marker", false, 1, 320, P_ANY, &marker))
        return false;
    if (marker) {
        char *end;
        long v = strtol(marker, &end, 10);
        if (*end || marker[0] < '1' || marker[0] > '9' || v <= 0)
            return emu_invalid(c, "Invalid Marker.");
        *start = v;
    }
    return true;
}

bool emu_params_done(emu_call *c)
{
    const form_pair *u = form_first_unused(&c->f);
    char quoted[SERVE_PREFIX_MAX + 4];
    if (u)
        return emu_invalid(c, "Unknown parameter %s for %s.", serve_prefix(u->name, quoted), c->action);
    return true;
}

bool emu_check_document(emu_call *c, const char *doc, ig_policy_type type)
{
    ig_diag d;
    memset(&d, 0, sizeof d);
    ig_policy *p = ig_policy_compile(doc, strlen(doc), type, "document", NULL, &d);
    if (!p) {
        if (d.code == IG_E_NOMEM)
            return emu_db_error(c);
        if (d.line)
            return emu_error(c, 400, "MalformedPolicyDocument", "Syntax errors in policy: %u:%u: %s", d.line, d.column, d.msg);
        return emu_error(c, 400, "MalformedPolicyDocument", "Syntax errors in policy: %s", d.msg);
    }
    ig_policy_free(p);
    return true;
}

size_t emu_policy_size(const char *doc)
{
    size_t n = 0;
    for (const char *p = doc; *p; p++)
        n += !(*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r');
    return n;
}

const char *emu_arn(emu_call *c, const char *kind, const char *path, const char *name)
{
    return emu_printf(c, "arn:aws:iam::%s:%s%s%s", c->e->account, kind, path ? path : "/", name);
}

bool emu_parse_policy_arn(emu_call *c, const char *arn, const char **account, const char **path,
                          const char **name)
{
    static const char PFX[] = "arn:aws:iam::";
    if (strncmp(arn, PFX, sizeof PFX - 1))
        return false;
    const char *acct = arn + sizeof PFX - 1, *colon = strchr(acct, ':');
    if (!colon || strncmp(colon, ":policy/", 8))
        return false;
    const char *res = colon + 7, *last = strrchr(res, '/');   /* "/path/name" */
    if (!last[1])
        return false;
    *account = ig_arena_strndup(&c->arena, acct, (size_t)(colon - acct));
    *path = ig_arena_strndup(&c->arena, res, (size_t)(last - res) + 1);
    *name = last + 1;
    return *account && *path;
}

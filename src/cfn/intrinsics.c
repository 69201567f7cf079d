/* intrinsics.c - CloudFormation's intrinsic functions, evaluated to the
 * values CloudFormation would produce (conditions are in conditions.c).
 *
 * Resolution copies only what changes: a subtree without intrinsics comes
 * back as the very same value (positions in the template), and a value an
 * intrinsic produced carries the position of that intrinsic, so a policy
 * diagnostic points at the `!Sub` that built the bad ARN.  What cannot be
 * known offline (Fn::ImportValue, Fn::Cidr, a macro's output) becomes a
 * named placeholder and a note (notes.c), never a silent guess. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/cfn_int.h"
#include "util/alloc.h"

static int resolve_fn(cfn_ctx *c, const json_value *v, const char *fn, json_value *out);
static int rain(cfn_ctx *c, const json_value *site, const char *name, json_value *out);

bool cfn_is_intrinsic(const json_value *v, const char **key)
{
    if (v->kind != JSON_OBJECT || v->len != 1)
        return false;
    const char *k = v->u.members[0].key;
    if (strcmp(k, "Ref") && strncmp(k, "Fn::", 4))
        return false;
    if (key)
        *key = k;
    return true;
}

static bool nomem(cfn_ctx *c, size_t at)
{
    return cfn_fail_code(c, IG_E_NOMEM, at, "out of memory");
}

/* ---- structure ------------------------------------------------------------ */

static int resolve_array(cfn_ctx *c, const json_value *v, json_value *out)
{
    json_value *items = NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_value *it = &v->u.items[i];
        size_t old = cfn_path_index(c, i);
        json_value r;
        int rc = cfn_resolve(c, it, &r);
        cfn_path_set(c, old);
        if (rc < 0)
            return -1;
        bool same = rc == 1 && !memcmp(&r, it, sizeof r);
        if (!items && same) {
            n++;
            continue;
        }
        if (!items) {
            if (!(items = cfn_alloc(c, v->len * sizeof *items)))
                return nomem(c, v->start), -1;
            memcpy(items, v->u.items, n * sizeof *items);
        }
        if (rc == 1)
            items[n++] = r;
    }
    *out = *v;
    if (items) {
        out->u.items = items;
        out->len = n;
    }
    return 1;
}

static int resolve_object(cfn_ctx *c, const json_value *v, json_value *out)
{
    json_member *mems = NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        if (!strcmp(m->key, "Ref") || !strncmp(m->key, "Fn::", 4))
            return cfn_fail(c, m->key_start, "%s must be the only key of its mapping", m->key), -1;
    }
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        size_t old = cfn_path_key(c, m->key);
        json_value r;
        int rc = cfn_resolve(c, &m->value, &r);
        cfn_path_set(c, old);
        if (rc < 0)
            return -1;
        bool same = rc == 1 && !memcmp(&r, &m->value, sizeof r);
        if (!mems && same) {
            n++;
            continue;
        }
        if (!mems) {
            if (!(mems = cfn_alloc(c, v->len * sizeof *mems)))
                return nomem(c, v->start), -1;
            memcpy(mems, v->u.members, n * sizeof *mems);
        }
        if (rc == 1) {
            mems[n] = *m;
            mems[n++].value = r;
        }
    }
    *out = *v;
    if (mems) {
        out->u.members = mems;
        out->len = n;
    }
    return 1;
}

int cfn_resolve(cfn_ctx *c, const json_value *v, json_value *out)
{
    const char *fn;
    if (v->kind == JSON_ARRAY)
        return resolve_array(c, v, out);
    if (v->kind == JSON_OBJECT) {
        if (cfn_rain_directive(v, &fn))
            return rain(c, v, fn, out);
        return cfn_is_intrinsic(v, &fn) ? resolve_fn(c, v, fn, out) : resolve_object(c, v, out);
    }
    *out = *v;
    return 1;
}

bool cfn_resolve_string(cfn_ctx *c, const json_value *v, const char *what, const char **out)
{
    json_value r;
    int rc = cfn_resolve(c, v, &r);
    if (rc < 0)
        return false;
    if (rc == 0)
        return cfn_fail(c, v->start, "%s has no value (AWS::NoValue)", what);
    if (!(*out = cfn_scalar_text(&r)))
        return cfn_fail(c, v->start, "%s must be a string, got %s", what, json_kind_name(r.kind));
    return true;
}

/* A resolved value placed at the intrinsic that produced it. */
static int placed(const json_value *site, json_value v, json_value *out)
{
    v.start = site->start;
    v.end = site->end;
    *out = v;
    return 1;
}

static bool string_at(cfn_ctx *c, const json_value *site, const char *s, size_t n, json_value *out)
{
    return cfn_string_value(c, s, n, site->start, site->end, out);
}

bool cfn_args(cfn_ctx *c, const json_value *site, const char *fn, const json_value *arg,
              uint32_t min, uint32_t max)
{
    if (arg->kind == JSON_ARRAY && arg->len >= min && arg->len <= max)
        return true;
    if (min == max)
        return cfn_fail(c, site->start, "%s takes a list of %u items", fn, min);
    return cfn_fail(c, site->start, "%s takes a list of %u to %u items", fn, min, max);
}

/* ---- Ref and Fn::GetAtt ------------------------------------------------- */

static int pseudo(cfn_ctx *c, const json_value *site, const char *name, json_value *out)
{
    const char *s = NULL;
    char buf[512];
    if (!strcmp(name, "AWS::NoValue"))
        return 0;
    if (!strcmp(name, "AWS::AccountId")) s = c->account;
    else if (!strcmp(name, "AWS::Region")) s = c->region;
    else if (!strcmp(name, "AWS::Partition")) s = c->partition;
    else if (!strcmp(name, "AWS::StackName")) s = c->stack_name;
    else if (!strcmp(name, "AWS::URLSuffix")) s = c->url_suffix;
    else if (!strcmp(name, "AWS::StackId")) {
        /* A fixed id: the real one is a random UUID chosen at creation. */
        snprintf(buf, sizeof buf, "arn:%s:cloudformation:%s:%s:stack/%s/"
                 "00000000-0000-4000-8000-000000000000", c->partition, c->region, c->account,
                 c->stack_name);
        s = buf;
    } else if (!strcmp(name, "AWS::NotificationARNs")) {
        *out = (json_value){ .kind = JSON_ARRAY, .start = site->start, .end = site->end };
        return 1;
    } else {
        return cfn_fail(c, site->start, "unknown pseudo parameter %s", name), -1;
    }
    return string_at(c, site, s, strlen(s), out) ? 1 : -1;
}

static bool res_usable(cfn_ctx *c, cfn_res *r, size_t at)
{
    bool created;
    if (!cfn_res_created(c, r, &created))
        return false;
    if (!created)
        return cfn_fail(c, at, "%s is not created: its condition %s is false", r->id,
                        json_get(&r->decl->value, "Condition")->u.str);
    return true;
}

/* Ref to `name` (a parameter, pseudo parameter or resource). */
static int ref_name(cfn_ctx *c, const json_value *site, const char *name, json_value *out)
{
    if (!strncmp(name, "AWS::", 5))
        return pseudo(c, site, name, out);
    cfn_param *p = cfn_find_param(c, name);
    if (p) {
        json_value v;
        if (!cfn_param_value(c, p, site->start, &v))
            return -1;
        return placed(site, v, out);
    }
    cfn_res *r = cfn_find_res(c, name);
    const cfn_res *module = r ? NULL : cfn_module_of(c, name);
    if (module) {
        char what[300];
        snprintf(what, sizeof what, "Ref %.200s", name);
        return cfn_placeholder(c, site, what, "a resource of a Rain module", out);
    }
    if (!r) {
        if (strchr(name, ':'))
            return cfn_fail(c, site->start, "${%s} is not a parameter or resource; write "
                            "${!%s} for the IAM policy variable", name, name), -1;
        return cfn_fail(c, site->start, "the template has no parameter or resource named %s",
                        name), -1;
    }
    if (!res_usable(c, r, site->start) || !cfn_res_ref(c, r, site->start, out))
        return -1;
    return placed(site, *out, out);
}

static int fn_ref(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    if (arg->kind != JSON_STRING)
        return cfn_fail(c, arg->start, "Ref takes the name of a parameter or resource, got %s",
                        json_kind_name(arg->kind)), -1;
    if (strchr(arg->u.str, ':') && strncmp(arg->u.str, "AWS::", 5))
        return cfn_fail(c, site->start, "the template has no parameter or resource named %s",
                        arg->u.str), -1;
    return ref_name(c, site, arg->u.str, out);
}

static int getatt(cfn_ctx *c, const json_value *site, const char *res, const char *attr,
                  json_value *out)
{
    cfn_res *r = cfn_find_res(c, res);
    if (!r && cfn_module_of(c, res)) {
        char what[300];
        snprintf(what, sizeof what, "Fn::GetAtt %.120s.%.120s", res, attr);
        return cfn_placeholder(c, site, what, "a resource of a Rain module", out);
    }
    if (!r)
        return cfn_fail(c, site->start, "Fn::GetAtt names %s, which is not a resource of the "
                        "template", res), -1;
    if (!res_usable(c, r, site->start) || !cfn_res_getatt(c, r, attr, site->start, out))
        return -1;
    return placed(site, *out, out);
}

static int fn_getatt(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    if (arg->kind == JSON_STRING) {
        const char *dot = strchr(arg->u.str, '.');
        if (!dot)
            return cfn_fail(c, arg->start, "Fn::GetAtt takes [Resource, Attribute] or "
                            "\"Resource.Attribute\""), -1;
        char res[256];
        snprintf(res, sizeof res, "%.*s", (int)(dot - arg->u.str), arg->u.str);
        return getatt(c, site, res, dot + 1, out);
    }
    if (!cfn_args(c, site, "Fn::GetAtt", arg, 2, 2))
        return -1;
    const json_value *res = &arg->u.items[0];
    if (res->kind != JSON_STRING)
        return cfn_fail(c, res->start, "Fn::GetAtt takes a logical id as its first item"), -1;
    const char *attr;
    if (!cfn_resolve_string(c, &arg->u.items[1], "the attribute of Fn::GetAtt", &attr))
        return -1;
    return getatt(c, site, res->u.str, attr, out);
}

/* ---- Fn::Sub -------------------------------------------------------------- */

/* One ${name} of a Fn::Sub: the variable map first, then Res.Attr, then
 * parameters, pseudo parameters and resources. */
static bool sub_var(cfn_ctx *c, const json_value *site, const json_value *vars, const char *name,
                    json_buf *b)
{
    json_value v;
    int rc;
    const json_value *mapped = vars ? json_get(vars, name) : NULL;
    const char *dot = strchr(name, '.');
    if (mapped) {
        rc = cfn_resolve(c, mapped, &v);
    } else if (dot && strncmp(name, "AWS::", 5)) {
        char res[256];
        snprintf(res, sizeof res, "%.*s", (int)(dot - name), name);
        rc = getatt(c, site, res, dot + 1, &v);
    } else {
        rc = ref_name(c, site, name, &v);
    }
    if (rc < 0)
        return false;
    const char *s = rc ? cfn_scalar_text(&v) : NULL;
    if (!s)
        return cfn_fail(c, site->start, "${%s} in Fn::Sub must be a string, got %s", name,
                        rc ? json_kind_name(v.kind) : "no value");
    json_buf_append(b, s, strlen(s));
    return true;
}

static int fn_sub(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    const json_value *tmpl = arg, *vars = NULL;
    if (arg->kind == JSON_ARRAY) {
        if (!cfn_args(c, site, "Fn::Sub", arg, 2, 2))
            return -1;
        tmpl = &arg->u.items[0];
        vars = &arg->u.items[1];
        if (vars->kind != JSON_OBJECT)
            return cfn_fail(c, vars->start, "the variables of Fn::Sub must be a mapping"), -1;
    }
    if (tmpl->kind != JSON_STRING)
        return cfn_fail(c, tmpl->start, "Fn::Sub takes a string or [string, {variables}]"), -1;
    const char *s = tmpl->u.str, *end = s + tmpl->len;
    json_buf b;
    json_buf_init(&b);
    bool ok = true;
    while (ok && s < end) {
        const char *d = memchr(s, '$', (size_t)(end - s));
        if (!d || d + 1 >= end || d[1] != '{') {
            const char *stop = d ? d + 1 : end;
            json_buf_append(&b, s, (size_t)(stop - s));
            s = stop;
            continue;
        }
        json_buf_append(&b, s, (size_t)(d - s));
        if (d + 2 < end && d[2] == '!') {       /* ${!Literal} is written as ${Literal} */
            json_buf_append(&b, "${", 2);
            s = d + 3;
            continue;
        }
        const char *close = memchr(d + 2, '}', (size_t)(end - d - 2));
        if (!close) {
            ok = cfn_fail(c, tmpl->start, "unterminated ${ in Fn::Sub");
            break;
        }
        char name[256];
        if ((size_t)(close - d - 2) >= sizeof name || close == d + 2) {
            ok = cfn_fail(c, tmpl->start, "invalid ${} in Fn::Sub");
            break;
        }
        snprintf(name, sizeof name, "%.*s", (int)(close - d - 2), d + 2);
        ok = sub_var(c, site, vars, name, &b);
        if (ok && b.len > CFN_MAX_STRING)
            ok = cfn_fail_code(c, IG_E_LIMIT, site->start, "value longer than %u bytes",
                               CFN_MAX_STRING);
        s = close + 1;
    }
    if (ok && b.failed)
        ok = nomem(c, site->start);
    ok = ok && string_at(c, site, b.data ? b.data : "", b.len, out);
    json_buf_free(&b);
    return ok ? 1 : -1;
}

/* ---- lists and strings ---------------------------------------------------- */

static int fn_join(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    if (!cfn_args(c, site, "Fn::Join", arg, 2, 2))
        return -1;
    const char *delim;
    json_value list;
    if (!cfn_resolve_string(c, &arg->u.items[0], "the delimiter of Fn::Join", &delim))
        return -1;
    int rc = cfn_resolve(c, &arg->u.items[1], &list);
    if (rc < 0)
        return -1;
    if (rc == 0 || list.kind != JSON_ARRAY)
        return cfn_fail(c, arg->u.items[1].start, "Fn::Join takes a list of values to join"), -1;
    json_buf b;
    json_buf_init(&b);
    for (uint32_t i = 0; i < list.len; i++) {
        const char *s = cfn_scalar_text(&list.u.items[i]);
        if (!s) {
            json_buf_free(&b);
            return cfn_fail(c, list.u.items[i].start, "Fn::Join can only join strings, got %s",
                            json_kind_name(list.u.items[i].kind)), -1;
        }
        if (i)
            json_buf_puts(&b, delim);
        json_buf_puts(&b, s);
        if (b.len > CFN_MAX_STRING)
            break;
    }
    bool ok = !b.failed ? string_at(c, site, b.data ? b.data : "", b.len, out)
                        : nomem(c, site->start);
    json_buf_free(&b);
    return ok ? 1 : -1;
}

static int fn_select(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    if (!cfn_args(c, site, "Fn::Select", arg, 2, 2))
        return -1;
    const char *idx;
    json_value list;
    if (!cfn_resolve_string(c, &arg->u.items[0], "the index of Fn::Select", &idx))
        return -1;
    char *endp;
    unsigned long i = strtoul(idx, &endp, 10);
    if (!*idx || *endp || idx[0] == '-' || idx[0] == '+')
        return cfn_fail(c, arg->u.items[0].start, "the index of Fn::Select must be a number, "
                        "got \"%.40s\"", idx), -1;
    int rc = cfn_resolve(c, &arg->u.items[1], &list);
    if (rc < 0)
        return -1;
    if (rc == 0 || list.kind != JSON_ARRAY)
        return cfn_fail(c, arg->u.items[1].start, "Fn::Select takes a list to select from"), -1;
    if (i >= list.len)
        return cfn_fail(c, site->start, "Fn::Select index %lu is out of range (the list has "
                        "%u items)", i, list.len), -1;
    *out = list.u.items[i];
    return 1;
}

static int fn_split(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    if (!cfn_args(c, site, "Fn::Split", arg, 2, 2))
        return -1;
    const char *delim, *s;
    if (!cfn_resolve_string(c, &arg->u.items[0], "the delimiter of Fn::Split", &delim) ||
        !cfn_resolve_string(c, &arg->u.items[1], "the string of Fn::Split", &s))
        return -1;
    size_t dl = strlen(delim), n = 1;
    if (!dl)
        return cfn_fail(c, arg->u.items[0].start, "the delimiter of Fn::Split is empty"), -1;
    for (const char *q = strstr(s, delim); q; q = strstr(q + dl, delim))
        n++;
    json_value *items = cfn_alloc(c, n * sizeof *items);
    if (!items)
        return nomem(c, site->start), -1;
    size_t k = 0;
    for (const char *q = s;; k++) {
        const char *e = strstr(q, delim);
        size_t len = e ? (size_t)(e - q) : strlen(q);
        if (!string_at(c, site, q, len, &items[k]))
            return -1;
        if (!e)
            break;
        q = e + dl;
    }
    *out = (json_value){ .kind = JSON_ARRAY, .start = site->start, .end = site->end,
                         .len = (uint32_t)n, .u.items = items };
    return 1;
}

static int fn_base64(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *s;
    if (!cfn_resolve_string(c, arg, "the value of Fn::Base64", &s))
        return -1;
    size_t n = strlen(s);
    if (n > CFN_MAX_STRING)
        return cfn_fail_code(c, IG_E_LIMIT, site->start, "value longer than %u bytes",
                             CFN_MAX_STRING), -1;
    char *e = ig_malloc((n + 2) / 3 * 4 + 1);
    if (!e)
        return nomem(c, site->start), -1;
    size_t k = 0;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)u[i] << 16 | (i + 1 < n ? (unsigned)u[i + 1] << 8 : 0) |
                     (i + 2 < n ? u[i + 2] : 0);
        e[k++] = A[v >> 18 & 63];
        e[k++] = A[v >> 12 & 63];
        e[k++] = i + 1 < n ? A[v >> 6 & 63] : '=';
        e[k++] = i + 2 < n ? A[v & 63] : '=';
    }
    bool ok = string_at(c, site, e, k, out);
    ig_free(e);
    return ok ? 1 : -1;
}

static int fn_find_in_map(cfn_ctx *c, const json_value *site, const json_value *arg,
                          json_value *out)
{
    if (!cfn_args(c, site, "Fn::FindInMap", arg, 3, c->lang_ext ? 4 : 3))
        return -1;
    /* AWS::LanguageExtensions: [Map, Key, Key, {DefaultValue: V}] */
    const json_value *def = NULL;
    if (arg->len == 4) {
        const json_value *o = &arg->u.items[3];
        def = o->kind == JSON_OBJECT && o->len == 1 ? json_get(o, "DefaultValue") : NULL;
        if (!def)
            return cfn_fail(c, o->start, "the fourth item of Fn::FindInMap must be "
                            "{DefaultValue: value}"), -1;
    }
    const char *keys[3];
    static const char *const WHAT[] = { "the map name of Fn::FindInMap",
                                        "the top-level key of Fn::FindInMap",
                                        "the second-level key of Fn::FindInMap" };
    for (int i = 0; i < 3; i++)
        if (!cfn_resolve_string(c, &arg->u.items[i], WHAT[i], &keys[i]))
            return -1;
    const json_value *v = c->mappings ? json_get(c->mappings, keys[0]) : NULL;
    const json_value *top0 = v && v->kind == JSON_OBJECT ? json_get(v, keys[1]) : NULL;
    if (def && !(top0 && top0->kind == JSON_OBJECT && json_get(top0, keys[2])))
        return cfn_resolve(c, def, out);
    if (!v)
        return cfn_fail(c, site->start, "Fn::FindInMap: there is no mapping %s", keys[0]), -1;
    const json_value *top = json_get(v, keys[1]);
    if (!top)
        return cfn_fail(c, site->start, "Fn::FindInMap: mapping %s has no key %s", keys[0],
                        keys[1]), -1;
    const json_value *val = json_get(top, keys[2]);
    if (!val)
        return cfn_fail(c, site->start, "Fn::FindInMap: mapping %s.%s has no key %s", keys[0],
                        keys[1], keys[2]), -1;
    return cfn_resolve(c, val, out);
}

static int fn_if(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    if (!cfn_args(c, site, "Fn::If", arg, 3, 3))
        return -1;
    const json_value *name = &arg->u.items[0];
    if (name->kind != JSON_STRING)
        return cfn_fail(c, name->start, "Fn::If takes the name of a condition first"), -1;
    cfn_cond *cd = cfn_find_cond(c, name->u.str);
    if (!cd)
        return cfn_fail(c, name->start, "Fn::If names %s, which is not a condition of the "
                        "Conditions section", name->u.str), -1;
    bool value;
    if (!cfn_condition(c, cd, name->start, &value))
        return -1;
    return cfn_resolve(c, &arg->u.items[value ? 1 : 2], out);
}

/* ---- values known only at deploy time ------------------------------------- */

static int fn_import(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    const char *name;
    if (!cfn_resolve_string(c, arg, "the export name of Fn::ImportValue", &name))
        return -1;
    char what[300];
    snprintf(what, sizeof what, "Fn::ImportValue %.250s", name);
    return cfn_placeholder(c, site, what, "the export of another stack", out);
}

/* Three zones named as AWS names them; which ones an account has is only
 * known there. */
static int fn_getazs(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    const char *region;
    if (!cfn_resolve_string(c, arg, "the region of Fn::GetAZs", &region))
        return -1;
    if (!*region)
        region = c->region;
    json_value *items = cfn_alloc(c, 3 * sizeof *items);
    if (!items)
        return nomem(c, site->start), -1;
    for (int i = 0; i < 3; i++) {
        char az[160];
        snprintf(az, sizeof az, "%.128s%c", region, 'a' + i);
        if (!string_at(c, site, az, strlen(az), &items[i]))
            return -1;
    }
    *out = (json_value){ .kind = JSON_ARRAY, .start = site->start, .end = site->end, .len = 3,
                         .u.items = items };
    return 1;
}

/* A list of `count` placeholder blocks: the addresses do not matter to IAM. */
static int fn_cidr(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    if (!cfn_args(c, site, "Fn::Cidr", arg, 3, 3))
        return -1;
    const char *block, *count, *bits;
    if (!cfn_resolve_string(c, &arg->u.items[0], "the block of Fn::Cidr", &block) ||
        !cfn_resolve_string(c, &arg->u.items[1], "the count of Fn::Cidr", &count) ||
        !cfn_resolve_string(c, &arg->u.items[2], "the bits of Fn::Cidr", &bits))
        return -1;
    char *endp;
    unsigned long n = strtoul(count, &endp, 10);
    if (!*count || *endp || n < 1 || n > 256)
        return cfn_fail(c, arg->u.items[1].start, "the count of Fn::Cidr must be 1 to 256"), -1;
    json_value *items = cfn_alloc(c, n * sizeof *items);
    if (!items)
        return nomem(c, site->start), -1;
    for (unsigned long i = 0; i < n; i++) {
        char what[200];
        snprintf(what, sizeof what, "Fn::Cidr %.64s %lu/%lu", block, i + 1, n);
        if (cfn_placeholder(c, site, what, "an address block", &items[i]) < 0)
            return -1;
    }
    *out = (json_value){ .kind = JSON_ARRAY, .start = site->start, .end = site->end,
                         .len = (uint32_t)n, .u.items = items };
    return 1;
}

static int fn_transform(cfn_ctx *c, const json_value *site, const json_value *arg,
                        json_value *out)
{
    const json_value *name = arg->kind == JSON_OBJECT ? json_get(arg, "Name") : NULL;
    if (!name || name->kind != JSON_STRING)
        return cfn_fail(c, site->start, "Fn::Transform takes {Name, Parameters}"), -1;
    /* AWS::Include is AWS's own (a snippet from S3); any other name is a
     * macro of the account (scanned and noted with the template). */
    (void)0;
    char what[200];
    snprintf(what, sizeof what, "Fn::Transform %.150s", name->u.str);
    return cfn_placeholder(c, site, what, "the output of a macro", out);
}

static int rain(cfn_ctx *c, const json_value *site, const char *name, json_value *out)
{
    if (!cfn_note_add(c, CFN_NOTE_UNDEPLOYABLE, site->start, "not deployable as is: Rain "
                      "directive !%s (expand it with rain pkg first)", name))
        return -1;
    char what[200];
    snprintf(what, sizeof what, "%.150s", name);
    return cfn_placeholder(c, site, what, "a Rain directive", out);
}

/* ---- AWS::LanguageExtensions ---------------------------------------------- */

static int fn_length(cfn_ctx *c, const json_value *site, const json_value *arg, json_value *out)
{
    json_value list;
    int rc = cfn_resolve(c, arg, &list);
    if (rc < 0)
        return -1;
    if (rc == 0 || list.kind != JSON_ARRAY)
        return cfn_fail(c, site->start, "Fn::Length takes a list"), -1;
    char n[24];
    snprintf(n, sizeof n, "%u", list.len);
    if (!string_at(c, site, n, strlen(n), out))
        return -1;
    out->kind = JSON_NUMBER;
    return 1;
}

static int fn_to_json(cfn_ctx *c, const json_value *site, const json_value *arg,
                      json_value *out)
{
    json_value v;
    int rc = cfn_resolve(c, arg, &v);
    if (rc < 0)
        return -1;
    if (rc == 0 || (v.kind != JSON_OBJECT && v.kind != JSON_ARRAY))
        return cfn_fail(c, site->start, "Fn::ToJsonString takes a mapping or a list"), -1;
    json_buf b;
    json_buf_init(&b);
    json_writer w;
    jw_init(&w, &b, false);
    jw_value(&w, &v);
    bool ok = !b.failed ? string_at(c, site, b.data ? b.data : "", b.len, out)
                        : nomem(c, site->start);
    json_buf_free(&b);
    return ok ? 1 : -1;
}

static int resolve_fn(cfn_ctx *c, const json_value *v, const char *fn, json_value *out)
{
    const json_value *arg = &v->u.members[0].value;
    if (!strcmp(fn, "Ref")) return fn_ref(c, v, arg, out);
    if (!strcmp(fn, "Fn::GetAtt")) return fn_getatt(c, v, arg, out);
    if (!strcmp(fn, "Fn::Sub")) return fn_sub(c, v, arg, out);
    if (!strcmp(fn, "Fn::Join")) return fn_join(c, v, arg, out);
    if (!strcmp(fn, "Fn::Select")) return fn_select(c, v, arg, out);
    if (!strcmp(fn, "Fn::Split")) return fn_split(c, v, arg, out);
    if (!strcmp(fn, "Fn::If")) return fn_if(c, v, arg, out);
    if (!strcmp(fn, "Fn::FindInMap")) return fn_find_in_map(c, v, arg, out);
    if (!strcmp(fn, "Fn::Base64")) return fn_base64(c, v, arg, out);
    if (!strcmp(fn, "Fn::ImportValue")) return fn_import(c, v, arg, out);
    if (!strcmp(fn, "Fn::GetAZs")) return fn_getazs(c, v, arg, out);
    if (!strcmp(fn, "Fn::Cidr")) return fn_cidr(c, v, arg, out);
    if (!strcmp(fn, "Fn::Transform")) return fn_transform(c, v, arg, out);
    if (!strcmp(fn, "Fn::Length") && c->lang_ext) return fn_length(c, v, arg, out);
    if (!strcmp(fn, "Fn::ToJsonString") && c->lang_ext) return fn_to_json(c, v, arg, out);
    if (!strcmp(fn, "Fn::Equals") || !strcmp(fn, "Fn::And") || !strcmp(fn, "Fn::Or") ||
        !strcmp(fn, "Fn::Not"))
        return cfn_fail(c, v->start, "%s can only be used in the Conditions section", fn), -1;
    if (!strcmp(fn, "Fn::Contains") || !strcmp(fn, "Fn::EachMemberEquals") ||
        !strcmp(fn, "Fn::EachMemberIn") || !strcmp(fn, "Fn::RefAll") ||
        !strcmp(fn, "Fn::ValueOf") || !strcmp(fn, "Fn::ValueOfAll"))
        return cfn_fail(c, v->start, "%s can only be used in the Rules section", fn), -1;
    if ((!strcmp(fn, "Fn::Length") || !strcmp(fn, "Fn::ToJsonString")) && !c->lang_ext)
        return cfn_fail(c, v->start, "%s needs Transform: AWS::LanguageExtensions", fn), -1;
    return cfn_fail(c, v->start, "unknown intrinsic function %.64s", fn), -1;
}

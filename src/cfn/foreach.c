/* foreach.c - Fn::ForEach of AWS::LanguageExtensions, expanded before the
 * resources are read.
 *
 *   Fn::ForEach::Loop: [Identifier, Collection, {OutputKey: OutputValue}]
 *
 * repeats the fragment once per item of the collection (a list, or an
 * intrinsic giving one, e.g. a list parameter): in its keys ${Identifier}
 * becomes the item and &{Identifier} the item without its
 * non-alphanumeric characters; in its values {Ref: Identifier} and
 * ${Identifier} in Fn::Sub become the item.  Loops nest, and may sit at
 * any level of the Resources section.  The copies keep the template
 * positions of the fragment, so diagnostics point into the loop. */
#include <stdio.h>
#include <string.h>

#include "cfn/cfn_int.h"

/* Copied nodes in all the loops of one template. */
#define FOREACH_MAX_NODES 1000000u
#define FOREACH_MAX_DEPTH 64u
/* Keys of one mapping (each new key is compared with those before it). */
#define FOREACH_MAX_KEYS 10000u

typedef struct {
    cfn_ctx *c;
    size_t nodes;
    unsigned depth;
} fe;

static bool nomem(cfn_ctx *c, size_t at)
{
    return cfn_fail_code(c, IG_E_NOMEM, at, "out of memory");
}

/* `s` with every `open`ID} replaced by `val`; NULL on failure (reported). */
static const char *replace(fe *f, const char *s, const char *open, const char *id,
                           const char *val, size_t at)
{
    char pat[300];
    snprintf(pat, sizeof pat, "%s%s}", open, id);
    if (!strstr(s, pat))
        return s;
    json_buf b;
    json_buf_init(&b);
    size_t pl = strlen(pat);
    for (const char *q = s, *hit; *q; q = hit + pl) {
        hit = strstr(q, pat);
        if (!hit) {
            json_buf_puts(&b, q);
            break;
        }
        json_buf_append(&b, q, (size_t)(hit - q));
        json_buf_puts(&b, val);
    }
    const char *out = b.failed ? NULL : cfn_strdup(f->c, b.data ? b.data : "", b.len);
    json_buf_free(&b);
    if (!out)
        cfn_fail_code(f->c, IG_E_LIMIT, at, "Fn::ForEach: value too large or out of memory");
    return out;
}

static bool count(fe *f, size_t at)
{
    if (++f->nodes > FOREACH_MAX_NODES)
        return cfn_fail_code(f->c, IG_E_LIMIT, at, "Fn::ForEach expands to more than %u values",
                             FOREACH_MAX_NODES);
    return true;
}

/* A copy of `v` with the loop variable `id` = `val` (and `alnum`, its
 * alphanumeric form, for &{id} in keys). */
static bool subst(fe *f, const json_value *v, const char *id, const char *val, const char *alnum,
                  json_value *out)
{
    cfn_ctx *c = f->c;
    if (!count(f, v->start))
        return false;
    if (f->depth >= FOREACH_MAX_DEPTH)
        return cfn_fail_code(c, IG_E_LIMIT, v->start, "Fn::ForEach: nesting deeper than %u",
                             FOREACH_MAX_DEPTH);
    *out = *v;
    if (v->kind == JSON_OBJECT && v->len == 1 && !strcmp(v->u.members[0].key, "Ref") &&
        v->u.members[0].value.kind == JSON_STRING && !strcmp(v->u.members[0].value.u.str, id))
        return cfn_string_value(c, val, strlen(val), v->start, v->end, out);
    if (v->kind == JSON_OBJECT && v->len == 1 && !strcmp(v->u.members[0].key, "Fn::Sub")) {
        /* Only the template string: the variable map is copied as values. */
        const json_value *arg = &v->u.members[0].value;
        const json_value *str = arg->kind == JSON_ARRAY && arg->len ? &arg->u.items[0] : arg;
        if (str->kind == JSON_STRING) {
            const char *s = replace(f, str->u.str, "${", id, val, str->start);
            if (!s)
                return false;
            json_member *m = cfn_alloc(c, sizeof *m);
            if (!m)
                return nomem(c, v->start);
            *m = v->u.members[0];
            if (arg->kind == JSON_ARRAY) {
                json_value *items = cfn_alloc(c, arg->len * sizeof *items);
                if (!items)
                    return nomem(c, v->start);
                f->depth++;
                for (uint32_t i = 0; i < arg->len; i++)
                    if (!(i == 0 ? (items[0] = *str, true)
                                 : subst(f, &arg->u.items[i], id, val, alnum, &items[i])))
                        return false;
                f->depth--;
                items[0].u.str = s;
                items[0].len = (uint32_t)strlen(s);
                m->value.u.items = items;
            } else {
                m->value.u.str = s;
                m->value.len = (uint32_t)strlen(s);
            }
            out->u.members = m;
            return true;
        }
    }
    if (v->kind == JSON_ARRAY && v->len) {
        json_value *items = cfn_alloc(c, v->len * sizeof *items);
        if (!items)
            return nomem(c, v->start);
        f->depth++;
        for (uint32_t i = 0; i < v->len; i++)
            if (!subst(f, &v->u.items[i], id, val, alnum, &items[i]))
                return false;
        f->depth--;
        out->u.items = items;
    } else if (v->kind == JSON_OBJECT && v->len) {
        json_member *mems = cfn_alloc(c, v->len * sizeof *mems);
        if (!mems)
            return nomem(c, v->start);
        f->depth++;
        for (uint32_t i = 0; i < v->len; i++) {
            mems[i] = v->u.members[i];
            const char *k = replace(f, v->u.members[i].key, "${", id, val, v->u.members[i].key_start);
            k = k ? replace(f, k, "&{", id, alnum, v->u.members[i].key_start) : NULL;
            if (!k || !subst(f, &v->u.members[i].value, id, val, alnum, &mems[i].value))
                return false;
            mems[i].key = k;
            mems[i].key_len = (uint32_t)strlen(k);
        }
        f->depth--;
        out->u.members = mems;
    }
    return true;
}

static bool expand(fe *f, const json_value *v, json_value *out);

/* Append `m` to mems (growing it), refusing a key that is already there. */
static bool append(fe *f, json_member **mems, uint32_t *n, uint32_t *cap, const json_member *m)
{
    cfn_ctx *c = f->c;
    if (*n >= FOREACH_MAX_KEYS)
        return cfn_fail_code(c, IG_E_LIMIT, m->key_start, "Fn::ForEach: more than %u keys in "
                             "one mapping", FOREACH_MAX_KEYS);
    for (uint32_t i = 0; i < *n; i++)
        if (!strcmp((*mems)[i].key, m->key))
            return cfn_fail(c, m->key_start, "Fn::ForEach: the key %.100s is produced twice",
                            m->key);
    if (*n == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 16;
        json_member *a = cfn_alloc(c, nc * sizeof *a);
        if (!a)
            return nomem(c, m->key_start);
        if (*n)
            memcpy(a, *mems, *n * sizeof *a);
        *mems = a;
        *cap = nc;
    }
    (*mems)[(*n)++] = *m;
    return true;
}

static bool loop(fe *f, const json_member *m, json_member **mems, uint32_t *n, uint32_t *cap)
{
    cfn_ctx *c = f->c;
    const json_value *arg = &m->value;
    size_t old = cfn_path_key(c, m->key);
    if (arg->kind != JSON_ARRAY || arg->len != 3 || arg->u.items[0].kind != JSON_STRING ||
        arg->u.items[2].kind != JSON_OBJECT)
        return cfn_fail(c, arg->start, "Fn::ForEach takes [Identifier, Collection, "
                        "{OutputKey: OutputValue}]");
    const char *id = arg->u.items[0].u.str;
    if (!*id || strlen(id) > 255)
        return cfn_fail(c, arg->u.items[0].start, "Fn::ForEach: invalid identifier");
    json_value coll;
    int rc = cfn_resolve(c, &arg->u.items[1], &coll);
    if (rc < 0)
        return false;
    if (rc == 0 || coll.kind != JSON_ARRAY)
        return cfn_fail(c, arg->u.items[1].start, "Fn::ForEach: the collection must be a list");
    for (uint32_t i = 0; i < coll.len; i++) {
        const char *val = cfn_scalar_text(&coll.u.items[i]);
        if (!val)
            return cfn_fail(c, coll.u.items[i].start, "Fn::ForEach: the collection must hold "
                            "strings");
        char alnum[512];
        size_t k = 0;
        for (const char *q = val; *q && k + 1 < sizeof alnum; q++)
            if ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9'))
                alnum[k++] = *q;
        alnum[k] = '\0';
        json_value copy, done;
        if (!subst(f, &arg->u.items[2], id, val, alnum, &copy) || !expand(f, &copy, &done))
            return false;
        for (uint32_t j = 0; j < done.len; j++)
            if (!append(f, mems, n, cap, &done.u.members[j]))
                return false;
    }
    cfn_path_set(c, old);
    return true;
}

static bool expand(fe *f, const json_value *v, json_value *out)
{
    cfn_ctx *c = f->c;
    *out = *v;
    if (f->depth >= FOREACH_MAX_DEPTH)
        return cfn_fail_code(c, IG_E_LIMIT, v->start, "Fn::ForEach: nesting deeper than %u",
                             FOREACH_MAX_DEPTH);
    bool has_loop = false;
    if (v->kind == JSON_ARRAY) {
        json_value *items = NULL;
        for (uint32_t i = 0; i < v->len; i++) {
            json_value r;
            f->depth++;
            bool ok = expand(f, &v->u.items[i], &r);
            f->depth--;
            if (!ok)
                return false;
            if (!items && memcmp(&r, &v->u.items[i], sizeof r)) {
                if (!(items = cfn_alloc(c, v->len * sizeof *items)))
                    return nomem(c, v->start);
                memcpy(items, v->u.items, v->len * sizeof *items);
            }
            if (items)
                items[i] = r;
        }
        if (items)
            out->u.items = items;
        return true;
    }
    if (v->kind != JSON_OBJECT)
        return true;
    for (uint32_t i = 0; i < v->len && !has_loop; i++)
        has_loop = !strncmp(v->u.members[i].key, "Fn::ForEach::", 13);
    json_member *mems = NULL;
    uint32_t n = 0, cap = 0;
    bool changed = has_loop;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        f->depth++;
        bool ok;
        if (!strncmp(m->key, "Fn::ForEach::", 13)) {
            ok = loop(f, m, &mems, &n, &cap);
        } else {
            json_member copy = *m;
            ok = expand(f, &m->value, &copy.value);
            changed = changed || memcmp(&copy.value, &m->value, sizeof copy.value);
            ok = ok && append(f, &mems, &n, &cap, &copy);
        }
        f->depth--;
        if (!ok)
            return false;
    }
    if (changed) {
        out->u.members = mems;
        out->len = n;
    }
    return true;
}

bool cfn_foreach_expand(cfn_ctx *c, const json_value *obj, json_value *out)
{
    fe f = { .c = c };
    return expand(&f, obj, out);
}

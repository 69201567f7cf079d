/* parse.c - policy documents (parsed JSON) into compiled policies.
 *
 * Enforces the IAM grammar (docs/semantics.md §1) and pre-parses every
 * pattern and typed condition value, so the evaluator never sees text it
 * has to interpret.  The first problem found is reported with its
 * position; a policy is either fully understood or rejected. */
#include "util/alloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "policy/policy_int.h"
#include "util/str.h"

typedef struct {
    const char *text;
    size_t len;
    const char *file;
    ig_diag *diag;
    ig_policy *p;
    /* incremental line/column cursor: statements come in order */
    size_t cur_off;
    unsigned cur_line, cur_col;
} pctx;

void ig_diag_set(ig_diag *d, int code, const char *file, const char *text,
                 size_t len, size_t offset, const char *fmt, ...)
{
    if (!d)
        return;
    d->code = code;
    snprintf(d->file, sizeof d->file, "%s", file ? file : "");
    d->offset = offset;
    d->line = d->column = 0;
    if (text)
        json_line_col(text, len, offset, &d->line, &d->column);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
}

#define FAIL(c, off, ...) \
    (ig_diag_set((c)->diag, IG_E_POLICY, (c)->file, (c)->text, (c)->len, (off), __VA_ARGS__), false)
#define NOMEM(c, off) \
    (ig_diag_set((c)->diag, IG_E_NOMEM, (c)->file, (c)->text, (c)->len, (off), "out of memory"), false)

/* A pattern that did not compile: out of memory is IG_E_NOMEM, anything
 * else is a policy error naming the pattern. */
#define PATTERN_FAIL(c, off, err, what, text) \
    (strcmp((err), "out of memory") == 0 ? NOMEM(c, off) \
     : FAIL(c, off, "%s in %s \"%s\"", (err), (what), (text)))

static void locate(pctx *c, size_t off, unsigned *line, unsigned *col)
{
    if (off < c->cur_off) {
        c->cur_off = 0;
        c->cur_line = 1;
        c->cur_col = 1;
    }
    size_t end = off < c->len ? off : c->len;
    while (c->cur_off < end) {
        const char *nl = memchr(c->text + c->cur_off, '\n', end - c->cur_off);
        if (!nl) {
            c->cur_col += (unsigned)(end - c->cur_off);
            c->cur_off = end;
            break;
        }
        c->cur_line++;
        c->cur_col = 1;
        c->cur_off = (size_t)(nl - c->text) + 1;
    }
    *line = c->cur_line;
    *col = c->cur_col;
}

/* A string or a non-empty array of strings.  Sets *items and *n to the string
 * values (a lone string is a one-element list). */
static bool string_list(pctx *c, const json_member *m, const json_value **items,
                        uint32_t *n)
{
    const json_value *v = &m->value;
    if (v->kind == JSON_STRING) {
        *items = v;
        *n = 1;
        return true;
    }
    if (v->kind != JSON_ARRAY)
        return FAIL(c, v->start, "\"%s\" must be a string or an array of strings, got %s",
                    m->key, json_kind_name(v->kind));
    if (v->len == 0)
        return FAIL(c, v->start, "\"%s\" must not be an empty array", m->key);
    for (uint32_t i = 0; i < v->len; i++)
        if (v->u.items[i].kind != JSON_STRING)
            return FAIL(c, v->u.items[i].start,
                        "\"%s\" entries must be strings, got %s", m->key,
                        json_kind_name(v->u.items[i].kind));
    *items = v->u.items;
    *n = v->len;
    return true;
}

static bool valid_service(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '-'))
            return false;
    }
    return true;
}

static bool parse_actions(pctx *c, ig_stmt *st, const json_member *m)
{
    const json_value *items;
    if (!string_list(c, m, &items, &st->nactions))
        return false;
    st->actions = ig_arena_alloc(&c->p->arena, st->nactions * sizeof *st->actions);
    if (!st->actions)
        return NOMEM(c, m->value.start);
    for (uint32_t i = 0; i < st->nactions; i++) {
        const json_value *v = &items[i];
        const char *s = v->u.str;
        const char *colon = memchr(s, ':', v->len);
        if (!(v->len == 1 && s[0] == '*')) {
            if (!colon)
                return FAIL(c, v->start, "action \"%s\" must be \"*\" or \"service:action\"", s);
            if (!valid_service(s, (size_t)(colon - s)))
                return FAIL(c, v->start, "invalid service prefix in action \"%s\" (letters, digits and '-' only; no wildcards)", s);
        }
        const char *err;
        size_t eoff;
        if (!ig_glob_compile(&c->p->arena, s, v->len, GLOB_WILDCARDS | GLOB_LOWER,
                             &st->actions[i], &err, &eoff))
            return PATTERN_FAIL(c, v->start, err, "action", s);
    }
    return true;
}

static unsigned var_flags(const pctx *c)
{
    return c->p->version_2012 ? GLOB_VARIABLES : 0;
}

static bool parse_resources(pctx *c, ig_stmt *st, const json_member *m)
{
    const json_value *items;
    if (!string_list(c, m, &items, &st->nresources))
        return false;
    st->resources = ig_arena_alloc(&c->p->arena, st->nresources * sizeof *st->resources);
    if (!st->resources)
        return NOMEM(c, m->value.start);
    for (uint32_t i = 0; i < st->nresources; i++) {
        const json_value *v = &items[i];
        const char *err;
        size_t eoff;
        if (v->len == 0)
            return FAIL(c, v->start, "empty resource");
        if (!ig_arnpat_compile(&c->p->arena, v->u.str, v->len, var_flags(c),
                               &st->resources[i], &err, &eoff))
            return PATTERN_FAIL(c, v->start, err, "resource", v->u.str);
    }
    return true;
}

/* ---- principals ---- */

static bool all_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static void classify_aws_principal(ig_arena *a, ig_princ *pe, const char *s, size_t n)
{
    pe->kind = PE_OTHER;
    if (n == 1 && s[0] == '*') { pe->kind = PE_ANY; return; }
    if (n == 12 && all_digits(s, n)) { pe->kind = PE_ACCOUNT; pe->account = pe->raw; return; }
    ig_arn_split sp;
    ig_arn_split_str(s, n, &sp);
    if (sp.nseg != 6 || sp.len[0] != 3 || memcmp(sp.seg[0], "arn", 3) != 0)
        return;
    const char *res = sp.seg[5];
    size_t rl = sp.len[5];
    char *acct = ig_arena_strndup(a, sp.seg[4], sp.len[4]);
    if (!acct) return;
    bool iam = sp.len[2] == 3 && memcmp(sp.seg[2], "iam", 3) == 0;
    bool sts = sp.len[2] == 3 && memcmp(sp.seg[2], "sts", 3) == 0;
    if (iam && rl == 4 && memcmp(res, "root", 4) == 0) {
        pe->kind = PE_ACCOUNT;
        pe->account = acct;
    } else if (iam && rl > 5 && memcmp(res, "user/", 5) == 0) {
        pe->kind = PE_USER;
        pe->account = acct;
    } else if (iam && rl > 5 && memcmp(res, "role/", 5) == 0) {
        const char *slash = res + rl;
        while (slash > res && slash[-1] != '/') slash--;
        pe->kind = PE_ROLE;
        pe->account = acct;
        pe->name = ig_arena_strndup(a, slash, (size_t)(res + rl - slash));
        if (!pe->name) pe->kind = PE_OTHER;
    } else if (sts && rl > 13 && memcmp(res, "assumed-role/", 13) == 0) {
        pe->kind = PE_SESSION;
        pe->account = acct;
    } else if (sts && rl > 15 && memcmp(res, "federated-user/", 15) == 0) {
        pe->kind = PE_FEDUSER;
        pe->account = acct;
    }
}

static bool parse_principal(pctx *c, ig_stmt *st, const json_member *m)
{
    const json_value *v = &m->value;
    ig_arena *a = &c->p->arena;
    if (v->kind == JSON_STRING) {
        if (!(v->len == 1 && v->u.str[0] == '*'))
            return FAIL(c, v->start, "\"%s\" must be \"*\" or an object such as {\"AWS\": ...}, got \"%s\"",
                        m->key, v->u.str);
        st->nprincipals = 1;
        st->principal_bare_star = true;
        st->principals = ig_arena_alloc(a, sizeof *st->principals);
        if (!st->principals) return NOMEM(c, v->start);
        st->principals[0].kind = PE_ANY;
        st->principals[0].raw = "*";
        return true;
    }
    if (v->kind != JSON_OBJECT)
        return FAIL(c, v->start, "\"%s\" must be \"*\" or an object, got %s", m->key,
                    json_kind_name(v->kind));
    if (v->len == 0)
        return FAIL(c, v->start, "\"%s\" must not be empty", m->key);
    uint32_t total = 0;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *pm = &v->u.members[i];
        if (strcmp(pm->key, "AWS") && strcmp(pm->key, "Service") &&
            strcmp(pm->key, "Federated") && strcmp(pm->key, "CanonicalUser"))
            return FAIL(c, pm->key_start, "unknown principal type \"%s\" (expected AWS, Service, Federated or CanonicalUser)",
                        pm->key);
        const json_value *items;
        uint32_t n;
        if (!string_list(c, pm, &items, &n))
            return false;
        total += n;
    }
    st->principals = ig_arena_alloc(a, total * sizeof *st->principals);
    if (!st->principals) return NOMEM(c, v->start);
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *pm = &v->u.members[i];
        const json_value *items;
        uint32_t n;
        string_list(c, pm, &items, &n);
        for (uint32_t k = 0; k < n; k++) {
            ig_princ *pe = &st->principals[st->nprincipals++];
            pe->map_key = pm->key[0] == 'A' ? "AWS" : pm->key[0] == 'S' ? "Service"
                        : pm->key[0] == 'F' ? "Federated" : "CanonicalUser";
            pe->raw = ig_arena_strndup(a, items[k].u.str, items[k].len);
            if (!pe->raw) return NOMEM(c, items[k].start);
            if (items[k].len == 0)
                return FAIL(c, items[k].start, "empty principal");
            if (pm->key[0] == 'A')
                classify_aws_principal(a, pe, pe->raw, items[k].len);
            else if (items[k].len == 1 && pe->raw[0] == '*')
                pe->kind = PE_ANY;
            else
                pe->kind = pm->key[0] == 'S' ? PE_SERVICE : pm->key[0] == 'F' ? PE_FEDERATED : PE_CANONICAL;
        }
    }
    return true;
}

/* ---- conditions ---- */

static bool looks_like_arn(const char *s, size_t n)
{
    if (n < 4 || memcmp(s, "arn:", 4) != 0)
        return false;
    unsigned colons = 0;
    for (size_t i = 0; i < n; i++)
        colons += s[i] == ':';
    return colons >= 5;
}

static bool parse_cond_value(pctx *c, const ig_cond *cd, const json_value *v, ig_cval *out)
{
    ig_arena *a = &c->p->arena;
    const char *s;
    size_t n;
    if (v->kind == JSON_STRING || v->kind == JSON_NUMBER) {
        s = v->u.str;
        n = v->len;
    } else if (v->kind == JSON_TRUE) {
        s = "true"; n = 4;
    } else if (v->kind == JSON_FALSE) {
        s = "false"; n = 5;
    } else {
        return FAIL(c, v->start, "condition values must be strings, numbers or booleans, got %s",
                    json_kind_name(v->kind));
    }
    out->raw = ig_arena_strndup(a, s, n);
    out->raw_len = (uint32_t)n;
    out->offset = v->start;
    if (!out->raw) return NOMEM(c, v->start);
    const char *opname = cd->op->name;
    const char *err;
    size_t eoff;
    switch ((ig_vtype)cd->op->vtype) {
    case VT_STRING: {
        unsigned fl = var_flags(c) | (cd->op->wildcards ? GLOB_WILDCARDS : 0);
        if (!ig_glob_compile(a, s, n, fl, &out->u.glob, &err, &eoff))
            return PATTERN_FAIL(c, v->start, err, "condition value", out->raw);
        return true;
    }
    case VT_ARN: {
        bool has_var = c->p->version_2012 && memmem(s, n, "${", 2) != NULL;
        if (!has_var && !looks_like_arn(s, n))
            return FAIL(c, v->start, "%s value \"%s\" is not an ARN", opname, out->raw);
        out->u.arn = ig_arena_alloc_raw(a, sizeof *out->u.arn);
        if (!out->u.arn)
            return NOMEM(c, v->start);
        if (!ig_arnpat_compile(a, s, n, var_flags(c), out->u.arn, &err, &eoff))
            return PATTERN_FAIL(c, v->start, err, "condition value", out->raw);
        return true;
    }
    case VT_NUMERIC:
        if (!ig_decimal_parse(s, n, &out->u.dec))
            return FAIL(c, v->start, "%s value \"%s\" is not a number", opname, out->raw);
        return true;
    case VT_DATE:
        if (!ig_date_parse(s, n, &out->u.date_ns))
            return FAIL(c, v->start, "%s value \"%s\" is not a date (ISO 8601 or epoch seconds)",
                        opname, out->raw);
        return true;
    case VT_BOOL:
    case VT_NULL:
        if (!ig_bool_parse(s, n, &out->u.b))
            return FAIL(c, v->start, "%s value must be \"true\" or \"false\", got \"%s\"",
                        opname, out->raw);
        return true;
    case VT_IP:
        if (!ig_cidr_parse(s, n, &out->u.cidr))
            return FAIL(c, v->start, "%s value \"%s\" is not an IP address or CIDR block",
                        opname, out->raw);
        return true;
    case VT_BINARY: {
        uint8_t *buf = ig_arena_alloc(a, n / 4 * 3 + 3);
        size_t blen;
        if (!buf) return NOMEM(c, v->start);
        if (!ig_base64_decode(s, n, buf, n / 4 * 3 + 3, &blen))
            return FAIL(c, v->start, "%s value \"%s\" is not base64", opname, out->raw);
        out->u.bin.p = buf;
        out->u.bin.n = blen;
        return true;
    }
    }
    return FAIL(c, v->start, "internal error: unknown value type");
}

/* Split "ForAnyValue:StringLikeIfExists" into its parts. */
static bool parse_operator(pctx *c, const json_member *om, ig_cond *proto)
{
    const char *name = om->key;
    size_t n = om->key_len;
    proto->qual = QUAL_NONE;
    if (n > 13 && memcmp(name, "ForAllValues:", 13) == 0) {
        proto->qual = QUAL_FOR_ALL;
        name += 13; n -= 13;
    } else if (n > 12 && memcmp(name, "ForAnyValue:", 12) == 0) {
        proto->qual = QUAL_FOR_ANY;
        name += 12; n -= 12;
    }
    proto->if_exists = false;
    const ig_opdef *op = ig_op_find(name, n);
    if (!op && n > 8 && memcmp(name + n - 8, "IfExists", 8) == 0) {
        op = ig_op_find(name, n - 8);
        proto->if_exists = op != NULL;
    }
    if (!op)
        return FAIL(c, om->key_start, "unknown condition operator \"%s\"", om->key);
    if (op->vtype == VT_NULL && proto->if_exists)
        return FAIL(c, om->key_start, "\"Null\" cannot take \"IfExists\"");
    if (op->vtype == VT_NULL && proto->qual != QUAL_NONE)
        return FAIL(c, om->key_start, "\"Null\" cannot take a set qualifier (\"%s\")", om->key);
    proto->op = op;
    proto->op_raw = ig_arena_strndup(&c->p->arena, om->key, om->key_len);
    if (!proto->op_raw) return NOMEM(c, om->key_start);
    return true;
}

static bool parse_condition(pctx *c, ig_stmt *st, const json_member *m)
{
    const json_value *v = &m->value;
    ig_arena *a = &c->p->arena;
    if (v->kind != JSON_OBJECT)
        return FAIL(c, v->start, "\"Condition\" must be an object, got %s", json_kind_name(v->kind));
    uint32_t total = 0;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_value *blk = &v->u.members[i].value;
        if (blk->kind != JSON_OBJECT)
            return FAIL(c, blk->start, "condition operator \"%s\" must map to an object of keys, got %s",
                        v->u.members[i].key, json_kind_name(blk->kind));
        total += blk->len;
    }
    st->conds = ig_arena_alloc(a, (total ? total : 1) * sizeof *st->conds);
    if (!st->conds) return NOMEM(c, v->start);
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *om = &v->u.members[i];
        ig_cond proto;
        memset(&proto, 0, sizeof proto);
        if (!parse_operator(c, om, &proto))
            return false;
        for (uint32_t k = 0; k < om->value.len; k++) {
            const json_member *km = &om->value.u.members[k];
            ig_cond *cd = &st->conds[st->nconds++];
            *cd = proto;
            if (km->key_len == 0)
                return FAIL(c, km->key_start, "empty condition key");
            char *lk = ig_arena_alloc_bytes(a, km->key_len + 1);
            cd->key_orig = ig_arena_strndup(a, km->key, km->key_len);
            if (!lk || !cd->key_orig) return NOMEM(c, km->key_start);
            ig_copy_lower(lk, km->key, km->key_len);
            cd->key = lk;
            cd->key_len = km->key_len;
            cd->key_hash = ig_hash_key(lk, km->key_len);
            cd->key_offset = km->key_start;
            const json_value *vals = &km->value;
            uint32_t nv = 1;
            if (vals->kind == JSON_ARRAY) {
                if (vals->len == 0)
                    return FAIL(c, vals->start, "condition key \"%s\" has an empty list of values", km->key);
                nv = vals->len;
                vals = vals->u.items;
            }
            cd->vals = ig_arena_alloc(a, nv * sizeof *cd->vals);
            if (!cd->vals) return NOMEM(c, km->key_start);
            cd->nvals = nv;
            for (uint32_t j = 0; j < nv; j++)
                if (!parse_cond_value(c, cd, &vals[j], &cd->vals[j]))
                    return false;
        }
    }
    return true;
}

/* ---- statements ---- */

static bool policy_has_principals(ig_policy_type t)
{
    return t == IG_POLICY_RESOURCE || t == IG_POLICY_RCP;
}

enum { EL_UNKNOWN = 0, EL_SID, EL_EFFECT, EL_ACTION, EL_RESOURCE, EL_PRINCIPAL, EL_CONDITION };

/* Which statement element a key names ("NotAction" is EL_ACTION, ...). */
static int statement_element(const char *k, size_t n)
{
    static const struct { const char *name; uint8_t len, el; } names[] = {
        { "Sid", 3, EL_SID }, { "Effect", 6, EL_EFFECT }, { "Action", 6, EL_ACTION },
        { "NotAction", 9, EL_ACTION }, { "Resource", 8, EL_RESOURCE },
        { "NotResource", 11, EL_RESOURCE }, { "Principal", 9, EL_PRINCIPAL },
        { "NotPrincipal", 12, EL_PRINCIPAL }, { "Condition", 9, EL_CONDITION },
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (names[i].len == n && memcmp(names[i].name, k, n) == 0)
            return names[i].el;
    return EL_UNKNOWN;
}

static bool parse_statement(pctx *c, const json_value *v, uint32_t index, ig_stmt *st)
{
    ig_policy *p = c->p;
    if (v->kind != JSON_OBJECT)
        return FAIL(c, v->start, "a statement must be an object, got %s", json_kind_name(v->kind));
    st->index = index;
    locate(c, v->start, &st->start_line, &st->start_col);
    locate(c, v->end, &st->end_line, &st->end_col);
    const json_member *effect = NULL, *action = NULL, *resource = NULL,
                      *principal = NULL, *condition = NULL;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        const char *k = m->key;
        int el = statement_element(k, m->key_len);
        if (el == EL_SID) {
            if (m->value.kind != JSON_STRING)
                return FAIL(c, m->value.start, "\"Sid\" must be a string, got %s",
                            json_kind_name(m->value.kind));
            st->sid = ig_arena_strndup(&p->arena, m->value.u.str, m->value.len);
            if (!st->sid) return NOMEM(c, m->value.start);
        } else if (el == EL_EFFECT) {
            effect = m;
        } else if (el == EL_ACTION) {
            if (action)
                return FAIL(c, m->key_start, "a statement cannot have both \"Action\" and \"NotAction\"");
            action = m;
        } else if (el == EL_RESOURCE) {
            if (resource)
                return FAIL(c, m->key_start, "a statement cannot have both \"Resource\" and \"NotResource\"");
            resource = m;
        } else if (el == EL_PRINCIPAL) {
            if (principal)
                return FAIL(c, m->key_start, "a statement cannot have both \"Principal\" and \"NotPrincipal\"");
            if (!policy_has_principals(p->type))
                return FAIL(c, m->key_start, "\"%s\" is not allowed in %s policies (only in resource and trust policies)",
                            k, ig_policy_type_name(p->type));
            principal = m;
        } else if (el == EL_CONDITION) {
            condition = m;
        } else {
            return FAIL(c, m->key_start, "unknown statement element \"%s\"", k);
        }
    }
    if (!effect)
        return FAIL(c, v->start, "statement has no \"Effect\"");
    if (effect->value.kind != JSON_STRING)
        return FAIL(c, effect->value.start, "\"Effect\" must be \"Allow\" or \"Deny\", got %s",
                    json_kind_name(effect->value.kind));
    if (!strcmp(effect->value.u.str, "Deny"))
        st->deny = true;
    else if (strcmp(effect->value.u.str, "Allow"))
        return FAIL(c, effect->value.start, "\"Effect\" must be \"Allow\" or \"Deny\", got \"%s\"",
                    effect->value.u.str);
    if (!action)
        return FAIL(c, v->start, "statement has neither \"Action\" nor \"NotAction\"");
    st->action_mode = action->key[0] == 'N' ? ELEM_NOT : ELEM_POSITIVE;
    if (!parse_actions(c, st, action))
        return false;
    if (resource) {
        st->resource_mode = resource->key[0] == 'N' ? ELEM_NOT : ELEM_POSITIVE;
        if (!parse_resources(c, st, resource))
            return false;
    } else if (p->type != IG_POLICY_RESOURCE) {
        return FAIL(c, v->start, "statement has neither \"Resource\" nor \"NotResource\"");
    }
    if (principal) {
        st->principal_mode = principal->key[0] == 'N' ? ELEM_NOT : ELEM_POSITIVE;
        if (!parse_principal(c, st, principal))
            return false;
    } else if (policy_has_principals(p->type)) {
        return FAIL(c, v->start, "statement in a %s policy has neither \"Principal\" nor \"NotPrincipal\"",
                    ig_policy_type_name(p->type));
    }
    if (condition && !parse_condition(c, st, condition))
        return false;
    return true;
}

static bool parse_policy(pctx *c, const json_value *root)
{
    ig_policy *p = c->p;
    if (root->kind != JSON_OBJECT)
        return FAIL(c, root->start, "a policy must be a JSON object, got %s", json_kind_name(root->kind));
    const json_member *stmts = NULL, *version = NULL;
    for (uint32_t i = 0; i < root->len; i++) {
        const json_member *m = &root->u.members[i];
        if (!strcmp(m->key, "Version")) {
            version = m;
        } else if (!strcmp(m->key, "Id")) {
            if (m->value.kind != JSON_STRING)
                return FAIL(c, m->value.start, "\"Id\" must be a string, got %s",
                            json_kind_name(m->value.kind));
            p->policy_id_elem = ig_arena_strndup(&p->arena, m->value.u.str, m->value.len);
            if (!p->policy_id_elem) return NOMEM(c, m->value.start);
        } else if (!strcmp(m->key, "Statement")) {
            stmts = m;
        } else {
            return FAIL(c, m->key_start, "unknown policy element \"%s\"", m->key);
        }
    }
    if (version) {
        const json_value *v = &version->value;
        if (v->kind != JSON_STRING ||
            (strcmp(v->u.str, "2012-10-17") && strcmp(v->u.str, "2008-10-17")))
            return FAIL(c, v->start, "\"Version\" must be \"2012-10-17\" or \"2008-10-17\"");
        p->has_version = true;
        p->version_2012 = !strcmp(v->u.str, "2012-10-17");
    }
    if (!stmts)
        return FAIL(c, root->start, "policy has no \"Statement\"");
    const json_value *sv = &stmts->value;
    const json_value *list = sv;
    uint32_t n = 1;
    if (sv->kind == JSON_ARRAY) {
        list = sv->u.items;
        n = sv->len;
    } else if (sv->kind != JSON_OBJECT) {
        return FAIL(c, sv->start, "\"Statement\" must be an object or an array of objects, got %s",
                    json_kind_name(sv->kind));
    }
    p->stmts = ig_arena_alloc(&p->arena, (n ? n : 1) * sizeof *p->stmts);
    if (!p->stmts) return NOMEM(c, sv->start);
    for (uint32_t i = 0; i < n; i++) {
        if (!parse_statement(c, &list[i], i, &p->stmts[i]))
            return false;
        p->nstmts++;
    }
    if (!ig_policy_build_index(p))
        return NOMEM(c, root->start);
    return true;
}

/* What the compiled form will take: about five bytes per byte of policy
 * text without whitespace (4.0-6.7 over the AWS managed policies), so one
 * chunk of six times that holds most policies whole. */
static size_t compiled_size_estimate(const char *text, const json_value *root)
{
    if (!text || root->end <= root->start)
        return 0;
    return 6 * ig_count_dense(text + root->start, root->end - root->start) + 256;
}

ig_policy *ig_policy_compile_value(const json_value *root, const char *text,
                                   size_t len, ig_policy_type type,
                                   const char *id, const char *file,
                                   ig_diag *diag)
{
    return ig_policy_compile_value_at(root, text, len, type, id, file, diag, NULL);
}

ig_policy *ig_policy_compile_value_at(const json_value *root, const char *text, size_t len,
                                      ig_policy_type type, const char *id, const char *file,
                                      ig_diag *diag, ig_linepos *pos)
{
    if ((unsigned)type >= IG_POLICY_TYPE_COUNT) {
        ig_diag_set(diag, IG_E_INPUT, file, NULL, 0, 0, "invalid policy type");
        return NULL;
    }
    ig_policy *p = ig_calloc(1, sizeof *p);
    if (!p) {
        ig_diag_set(diag, IG_E_NOMEM, file, NULL, 0, 0, "out of memory");
        return NULL;
    }
    ig_arena_init(&p->arena);
    ig_arena_reserve(&p->arena, compiled_size_estimate(text, root));
    p->type = type;
    p->id = ig_arena_strndup(&p->arena, id ? id : "", id ? strlen(id) : 0);
    p->file = ig_arena_strndup(&p->arena, file ? file : "", file ? strlen(file) : 0);
    pctx c = { .text = text, .len = len, .file = file, .diag = diag, .p = p,
               .cur_off = 0, .cur_line = 1, .cur_col = 1 };
    if (pos && pos->line && pos->off <= root->start) {
        c.cur_off = pos->off;
        c.cur_line = pos->line;
        c.cur_col = pos->col;
    }
    if (!p->id || !p->file) {
        (void)NOMEM(&c, 0);
        ig_policy_free(p);
        return NULL;
    }
    if (pos) {
        /* Remember where this policy starts: the next one (or this one
         * again, compiled as another type) begins at or after it. */
        unsigned l, col;
        locate(&c, root->start, &l, &col);
        *pos = (ig_linepos){ c.cur_off, c.cur_line, c.cur_col };
    }
    bool ok = parse_policy(&c, root);
    if (!ok) {
        ig_policy_free(p);
        return NULL;
    }
    return p;
}

ig_policy *ig_policy_compile(const char *json, size_t len, ig_policy_type type,
                             const char *id, const char *file, ig_diag *diag)
{
    json_error je;
    json_doc *doc = json_parse(json, len, NULL, &je);
    if (!doc) {
        ig_diag_set(diag, IG_E_JSON, file, json, len, je.offset, "%s", je.msg);
        return NULL;
    }
    ig_policy *p = ig_policy_compile_value(json_root(doc), json, len, type, id, file, diag);
    json_doc_free(doc);
    return p;
}

void ig_policy_free(ig_policy *p)
{
    if (!p)
        return;
    ig_arena_free(&p->arena);
    ig_free(p);
}

const char *ig_policy_id(const ig_policy *p) { return p->id; }
const char *ig_policy_file(const ig_policy *p) { return p->file; }
ig_policy_type ig_policy_get_type(const ig_policy *p) { return p->type; }
size_t ig_policy_statement_count(const ig_policy *p) { return p->nstmts; }

const char *ig_policy_type_name(ig_policy_type t)
{
    static const char *const names[] = { "identity", "permissionsBoundary", "session",
                                         "resource", "scp", "rcp" };
    return (unsigned)t < IG_POLICY_TYPE_COUNT ? names[t] : "unknown";
}

char *ig_diag_format(const ig_diag *d, char *buf, size_t cap)
{
    if (d->line)
        snprintf(buf, cap, "%s:%u:%u: error: %s", d->file[0] ? d->file : "<input>",
                 d->line, d->column, d->msg);
    else
        snprintf(buf, cap, "%s: error: %s", d->file[0] ? d->file : "<input>", d->msg);
    return buf;
}

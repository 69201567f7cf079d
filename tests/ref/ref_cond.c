/* ref_cond.c - reference condition operators (semantics.md §3): every
 * operator, IfExists, ForAllValues/ForAnyValue, Null, multi-valued keys and
 * unparseable request values (reported as REF_ERR for the caller to fail
 * closed).  Typed values use the independently tested parsers of values.h. */
#include <string.h>

#include "policy/values.h"
#include "ref/ref_int.h"

typedef enum { V_STR, V_STR_IC, V_LIKE, V_NUM, V_DATE, V_BOOL, V_BIN, V_IP, V_ARN, V_NULL } vtype;
typedef enum { C_EQ, C_LT, C_LE, C_GT, C_GE } cmpkind;

typedef struct {
    const char *name;
    vtype type;
    bool negated;               /* holds when no policy value matches */
    cmpkind cmp;
} opdef;

static const opdef OPS[] = {
    {"StringEquals", V_STR, false, C_EQ},
    {"StringNotEquals", V_STR, true, C_EQ},
    {"StringEqualsIgnoreCase", V_STR_IC, false, C_EQ},
    {"StringNotEqualsIgnoreCase", V_STR_IC, true, C_EQ},
    {"StringLike", V_LIKE, false, C_EQ},
    {"StringNotLike", V_LIKE, true, C_EQ},
    {"NumericEquals", V_NUM, false, C_EQ},
    {"NumericNotEquals", V_NUM, true, C_EQ},
    {"NumericLessThan", V_NUM, false, C_LT},
    {"NumericLessThanEquals", V_NUM, false, C_LE},
    {"NumericGreaterThan", V_NUM, false, C_GT},
    {"NumericGreaterThanEquals", V_NUM, false, C_GE},
    {"DateEquals", V_DATE, false, C_EQ},
    {"DateNotEquals", V_DATE, true, C_EQ},
    {"DateLessThan", V_DATE, false, C_LT},
    {"DateLessThanEquals", V_DATE, false, C_LE},
    {"DateGreaterThan", V_DATE, false, C_GT},
    {"DateGreaterThanEquals", V_DATE, false, C_GE},
    {"Bool", V_BOOL, false, C_EQ},
    {"BinaryEquals", V_BIN, false, C_EQ},
    {"IpAddress", V_IP, false, C_EQ},
    {"NotIpAddress", V_IP, true, C_EQ},
    {"ArnEquals", V_ARN, false, C_EQ},
    {"ArnLike", V_ARN, false, C_EQ},
    {"ArnNotEquals", V_ARN, true, C_EQ},
    {"ArnNotLike", V_ARN, true, C_EQ},
    {"Null", V_NULL, false, C_EQ},
};

typedef enum { Q_NONE, Q_ALL, Q_ANY } qualifier;

typedef struct {
    const opdef *op;
    qualifier qual;
    bool if_exists;
} parsed_op;

static bool parse_op(const char *name, parsed_op *out)
{
    out->qual = Q_NONE;
    out->if_exists = false;
    if (!strncmp(name, "ForAllValues:", 13)) {
        out->qual = Q_ALL;
        name += 13;
    } else if (!strncmp(name, "ForAnyValue:", 12)) {
        out->qual = Q_ANY;
        name += 12;
    }
    size_t n = strlen(name);
    if (n > 8 && !strcmp(name + n - 8, "IfExists")) {
        out->if_exists = true;
        n -= 8;
    }
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
        if (strlen(OPS[i].name) == n && !strncmp(OPS[i].name, name, n)) {
            out->op = &OPS[i];
            return true;
        }
    return false;
}

/* A policy value as text: strings as decoded, numbers and booleans as
 * their JSON text. */
static void value_text(const json_value *v, char *buf, size_t cap)
{
    const char *s = "";
    size_t n = 0;
    if (v->kind == JSON_STRING || v->kind == JSON_NUMBER) {
        s = v->u.str;
        n = v->len;
    } else if (v->kind == JSON_TRUE) {
        s = "true";
        n = 4;
    } else if (v->kind == JSON_FALSE) {
        s = "false";
        n = 5;
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

static bool cmp_holds(cmpkind k, int c)
{
    switch (k) {
    case C_EQ: return c == 0;
    case C_LT: return c < 0;
    case C_LE: return c <= 0;
    case C_GT: return c > 0;
    case C_GE: return c >= 0;
    }
    return false;
}

static bool request_parses(vtype t, const char *v)
{
    size_t n = strlen(v);
    ig_decimal d;
    int64_t ns;
    bool b;
    ig_cidr ip;
    static uint8_t bytes[8192];
    size_t blen;
    switch (t) {
    case V_NUM: return ig_decimal_parse(v, n, &d);
    case V_DATE: return ig_date_parse(v, n, &ns);
    case V_BOOL: return ig_bool_parse(v, n, &b);
    case V_BIN: return ig_base64_decode(v, n, bytes, sizeof bytes, &blen);
    case V_IP: return !strchr(v, '/') && ig_cidr_parse(v, n, &ip);   /* one address */
    default: return true;
    }
}

/* ArnEquals/ArnLike.  A value written as an ARN is split into segments
 * (after substitution); one whose colons come from a variable is compared
 * with the request ARN as a whole, and its own wildcards never match. */
static bool arn_value_matches(const ref_pat *pat, const char *pv, const char *v)
{
    if (ref_is_arn(pv))
        return ref_arn_like(pat, v);
    if (pat->unresolved || !ref_is_arn(v))
        return false;
    for (size_t i = 0; i < pat->n; i++)
        if (!pat->lit[i] && (pat->ch[i] == '*' || pat->ch[i] == '?'))
            return false;
    return ref_pat_equals(pat, v, false);
}

/* Does request value v (known to parse) match policy value text pv?  ERR
 * when the value is over 8 KiB after substitution (§9). */
static ref_tri value_matches(const opdef *op, const char *v, const char *pv, bool vars,
                             const ref_ctx *ctx)
{
    static ref_pat pat;
    size_t vn = strlen(v), pn = strlen(pv);
    bool m = false;
    switch (op->type) {
    case V_STR:
    case V_STR_IC:
    case V_LIKE:
    case V_ARN:
        ref_expand(pv, vars, ctx, &pat);
        if (pat.too_long)
            return REF_ERR;
        if (op->type == V_ARN)
            m = arn_value_matches(&pat, pv, v);
        else if (pat.unresolved)
            m = false;
        else if (op->type == V_LIKE)
            m = ref_glob(&pat, 0, pat.n, v, vn, false);
        else
            m = ref_pat_equals(&pat, v, op->type == V_STR_IC);
        break;
    case V_NUM: {
        ig_decimal a, b;
        m = ig_decimal_parse(v, vn, &a) && ig_decimal_parse(pv, pn, &b) &&
            cmp_holds(op->cmp, ig_decimal_cmp(&a, &b));
        break;
    }
    case V_DATE: {
        int64_t a, b;
        m = ig_date_parse(v, vn, &a) && ig_date_parse(pv, pn, &b) &&
            cmp_holds(op->cmp, a < b ? -1 : a > b);
        break;
    }
    case V_BOOL: {
        bool a, b;
        m = ig_bool_parse(v, vn, &a) && ig_bool_parse(pv, pn, &b) && a == b;
        break;
    }
    case V_BIN: {
        static uint8_t a[8192], b[8192];
        size_t an, bn;
        m = ig_base64_decode(v, vn, a, sizeof a, &an) &&
            ig_base64_decode(pv, pn, b, sizeof b, &bn) && an == bn && !memcmp(a, b, an);
        break;
    }
    case V_IP: {
        ig_cidr block, ip;
        m = ig_cidr_parse(pv, pn, &block) && ig_cidr_parse(v, vn, &ip) &&
            ig_cidr_contains(&block, &ip);
        break;
    }
    case V_NULL:
        break;
    }
    return m ? REF_TRUE : REF_FALSE;
}

/* One request value against the policy list: positive operators OR the
 * values, negated ones hold when none matches. */
static ref_tri satisfies(const opdef *op, const char *v, const json_value *vals, bool vars,
                         const ref_ctx *ctx)
{
    if (!request_parses(op->type, v))
        return REF_ERR;
    bool any = false, err = false;
    char pv[4096];
    uint32_t n = vals->kind == JSON_ARRAY ? vals->len : 1;
    for (uint32_t i = 0; i < n && !any; i++) {
        value_text(vals->kind == JSON_ARRAY ? &vals->u.items[i] : vals, pv, sizeof pv);
        ref_tri r = value_matches(op, v, pv, vars, ctx);
        any = r == REF_TRUE;
        err |= r == REF_ERR;
    }
    if (!any && err)
        return REF_ERR;
    return (any != op->negated) ? REF_TRUE : REF_FALSE;
}

static ref_tri null_check(const json_value *vals, bool present)
{
    char pv[64];
    uint32_t n = vals->kind == JSON_ARRAY ? vals->len : 1;
    for (uint32_t i = 0; i < n; i++) {
        value_text(vals->kind == JSON_ARRAY ? &vals->u.items[i] : vals, pv, sizeof pv);
        bool want_absent;
        if (ig_bool_parse(pv, strlen(pv), &want_absent) && want_absent == !present)
            return REF_TRUE;
    }
    return REF_FALSE;
}

ref_tri ref_condition(const char *opname, const char *key, const json_value *vals,
                      bool vars, const ref_ctx *ctx)
{
    parsed_op p;
    if (!parse_op(opname, &p))
        return REF_ERR;             /* the compiler rejects these */
    const ref_ctx_entry *e = ref_ctx_get(ctx, key);
    if (p.op->type == V_NULL)
        return null_check(vals, e != NULL);
    if (p.qual == Q_NONE) {
        if (!e)
            return p.if_exists || p.op->negated ? REF_TRUE : REF_FALSE;
        if (e->n >= 2)  /* multi-valued input matches no policy value */
            return p.op->negated ? REF_TRUE : REF_FALSE;
        return satisfies(p.op, e->values[0], vals, vars, ctx);
    }
    if (!e) {
        if (p.qual == Q_ALL)
            return REF_TRUE;
        return p.if_exists ? REF_TRUE : REF_FALSE;
    }
    /* Three-valued: an unparseable value only matters when the answer
     * depends on it (ForAllValues: no value fails; ForAnyValue: none holds). */
    bool any_true = false, any_false = false, any_err = false;
    for (size_t i = 0; i < e->n; i++) {
        ref_tri r = satisfies(p.op, e->values[i], vals, vars, ctx);
        any_true |= r == REF_TRUE;
        any_false |= r == REF_FALSE;
        any_err |= r == REF_ERR;
    }
    if (p.qual == Q_ALL)
        return any_false ? REF_FALSE : any_err ? REF_ERR : REF_TRUE;
    return any_true ? REF_TRUE : any_err ? REF_ERR : REF_FALSE;
}

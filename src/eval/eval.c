/* eval.c - deciding one request: statements, policies, and the evaluation
 * order of docs/semantics.md §6.
 *
 * Nothing here allocates: the prepared request (lowercased action and
 * context keys) lives on the stack, every policy is immutable, and the
 * result has fixed-size arrays.  Conditions return a tri-state so that an
 * unevaluable condition fails closed: an Allow does not apply, a Deny
 * does. */
#include <stdio.h>
#include <string.h>

#include "eval/request.h"
#include "policy/policy_int.h"
#include "util/str.h"

typedef enum { T_FALSE = 0, T_TRUE = 1, T_ERROR = 2 } tri;

typedef struct {
    const ig_policy *policy;
    uint32_t index;
} match_ref;

typedef struct {
    const ig_env *env;
    const ig_prepared *p;
    bool explain;
    /* explanation */
    match_ref allow_m[IG_MAX_MATCHED], deny_m[IG_MAX_MATCHED];
    unsigned nallow_m, ndeny_m;
    bool allow_trunc, deny_trunc;
    ig_result *out;
} evalctx;

/* What one policy contributes. */
typedef struct {
    bool allow, deny;
    int grant;                   /* resource policies: best principal match */
} verdict;

enum { GRANT_NONE = 0, GRANT_ACCOUNT, GRANT_ROLE, GRANT_EXACT };

/* ---- context ---- */

static const ig_ctx_ent *lookup(const evalctx *x, const char *key, uint32_t len, uint32_t hash)
{
    const ig_prepared *p = x->p;
    if (p->slot_mask) {
        for (uint32_t h = hash & p->slot_mask; p->slots[h]; h = (h + 1) & p->slot_mask) {
            const ig_ctx_ent *e = &p->ctx[p->slots[h] - 1];
            if (e->hash == hash && e->len == len && ig_lit_eq(e->key, key, len))
                return e;
        }
    } else {
        for (uint32_t i = 0; i < p->nctx; i++) {
            const ig_ctx_ent *e = &p->ctx[i];
            if (e->hash == hash && e->len == len &&
                (p->keys_lower ? ig_lit_eq(e->key, key, len) : ig_eq_icase(e->key, key, len)))
                return e;
        }
    }
    /* Keys derived from the principal, unless the request supplied them
     * (then the loop above found them first). */
    const ig_env *env = x->env;
    for (unsigned i = 0; i < env->nderived; i++) {
        const ig_ctx_ent *e = &env->derived[i];
        if (e->hash == hash && e->len == len && ig_lit_eq(e->key, key, len))
            return e;
    }
    return NULL;
}

static size_t value_len(const ig_ctx_ent *e, uint32_t i)
{
    return e->lens ? e->lens[i] : strlen(e->values[i]);
}

static void note_missing(evalctx *x, const char *key, uint32_t len, uint32_t hash,
                         const char *orig)
{
    ig_result *r = x->out;
    if (lookup(x, key, len, hash))
        return;
    for (unsigned i = 0; i < r->nmissing; i++)
        if (strlen(r->missing[i]) == len && ig_eq_icase(r->missing[i], key, len))
            return;
    if (r->nmissing < IG_MAX_MISSING)
        r->missing[r->nmissing++] = orig;
}

/* Resolve the variables of a pattern.  RV_OK, RV_UNRESOLVED when one has
 * no value and no default, RV_TOO_LONG when the substituted text would pass
 * MAX_SUBSTITUTED (docs/semantics.md §9: an evaluation error). */
enum { RV_OK = 0, RV_UNRESOLVED, RV_TOO_LONG };
#define MAX_SUBSTITUTED 8192

static int resolve_vars(const evalctx *x, const ig_var *vars, unsigned n, size_t raw_len,
                        ig_strref *out)
{
    size_t total = raw_len;
    for (unsigned i = 0; i < n; i++) {
        const ig_var *v = &vars[i];
        const ig_ctx_ent *e = lookup(x, v->key, v->key_len, v->hash);
        if (e && e->n == 1 && e->values[0]) {
            out[i].ptr = e->values[0];
            out[i].len = e->len0;
        } else if (v->dflt) {
            out[i].ptr = v->dflt;
            out[i].len = v->dflt_len;
        } else {
            return RV_UNRESOLVED;
        }
        total += out[i].len;
    }
    return total > MAX_SUBSTITUTED ? RV_TOO_LONG : RV_OK;
}

/* An Arn* value whose colons come from variables ("${aws:SourceArn}"):
 * substitute, then compare with the request ARN.  Only literal text and
 * variables are supported there; a wildcard outside the variables makes
 * the value unmatchable (its segments are unknown until substitution). */
static bool arn_value_by_substitution(const ig_arnpat *ap, const ig_strref *vals,
                                      const char *s, size_t n)
{
    char buf[MAX_SUBSTITUTED + 1];
    size_t len = 0;
    const ig_glob *g = &ap->seg[0];
    for (uint16_t i = 0; i < g->ntok; i++) {
        const ig_gtok *t = &g->tok[i];
        const char *p;
        size_t l;
        if (t->kind == GT_LIT) { p = t->text; l = t->len; }
        else if (t->kind == GT_VAR) { p = vals[t->var].ptr; l = vals[t->var].len; }
        else return false;
        if (len + l > MAX_SUBSTITUTED) return false;
        memcpy(buf + len, p, l);
        len += l;
    }
    if (len != n || len < 4)
        return false;
    ig_arn_split sp;
    ig_arn_split_str(buf, len, &sp);
    return sp.nseg == 6 && memcmp(buf, "arn:", 4) == 0 && memcmp(buf, s, n) == 0;
}

/* ---- conditions ---- */

/* A request value parsed for the operator's type (binary values are
 * decoded apart, in binary_satisfies, to keep 1 KiB off this frame). */
typedef struct {
    const char *s;
    size_t n;
    ig_arn_split arn;
    ig_decimal dec;
    int64_t date;
    bool b;
    ig_cidr ip;
} reqval;

/* Parse values[i] of e (at s, n bytes) for type t. */
static bool parse_reqval(ig_vtype t, const ig_ctx_ent *e, uint32_t i, const char *s, size_t n,
                         reqval *rv)
{
    rv->s = s;
    rv->n = n;
    switch (t) {
    case VT_STRING: return true;
    case VT_ARN: ig_arn_split_str(s, rv->n, &rv->arn); return true;
    case VT_NUMERIC: return ig_decimal_parse(s, rv->n, &rv->dec);
    case VT_DATE: return ig_date_parse(s, rv->n, &rv->date);
    case VT_BOOL: return ig_bool_parse(s, rv->n, &rv->b);
    case VT_IP:
        if (e->ip_mode == IG_IP_CACHED) {
            rv->ip = e->ips[i];
            return rv->ip.family != 0;
        }
        if (e->ip_mode == IG_IP_NONE || !ig_cidr_parse(s, rv->n, &rv->ip))
            return false;
        return rv->ip.prefix == (rv->ip.family == 4 ? 32 : 128);
    case VT_BINARY: case VT_NULL: return true;
    }
    return false;
}

static bool cmp_holds(ig_cmp cmp, int c)
{
    switch (cmp) {
    case CMP_EQ: case CMP_LIKE: return c == 0;
    case CMP_LT: return c < 0;
    case CMP_LE: return c <= 0;
    case CMP_GT: return c > 0;
    case CMP_GE: return c >= 0;
    }
    return false;
}

/* Does request value rv match policy value pv (before negation)?  T_ERROR
 * when the value could not be built (substitution too long). */
static tri value_matches(const evalctx *x, const ig_cond *cd, const ig_cval *pv,
                         const reqval *rv)
{
    const ig_opdef *op = cd->op;
    switch ((ig_vtype)op->vtype) {
    case VT_STRING: {
        ig_strref vals[IG_MAX_VARS];
        if (pv->u.glob.nvars) {
            int r = resolve_vars(x, pv->u.glob.vars, pv->u.glob.nvars, pv->raw_len, vals);
            if (r != RV_OK) return r == RV_TOO_LONG ? T_ERROR : T_FALSE;
        }
        return ig_glob_match(&pv->u.glob, vals, rv->s, rv->n, op->icase) ? T_TRUE : T_FALSE;
    }
    case VT_ARN: {
        ig_strref vals[IG_MAX_VARS];
        const ig_arnpat *ap = pv->u.arn;
        if (ap->nvars) {
            int r = resolve_vars(x, ap->vars, ap->nvars, pv->raw_len, vals);
            if (r != RV_OK) return r == RV_TOO_LONG ? T_ERROR : T_FALSE;
        }
        if (rv->arn.nseg != 6 || rv->n < 4 || memcmp(rv->s, "arn:", 4) != 0)
            return T_FALSE;
        if (ap->mode != ARNP_SEGMENTS)   /* colons only after substitution */
            return ap->nvars && ap->nseg == 1 && arn_value_by_substitution(ap, vals, rv->s, rv->n)
                   ? T_TRUE : T_FALSE;
        return ig_arnpat_match(ap, vals, rv->s, rv->n, &rv->arn) ? T_TRUE : T_FALSE;
    }
    case VT_NUMERIC: return cmp_holds((ig_cmp)op->cmp, ig_decimal_cmp(&rv->dec, &pv->u.dec));
    case VT_DATE: {
        int c = rv->date < pv->u.date_ns ? -1 : rv->date > pv->u.date_ns;
        return cmp_holds((ig_cmp)op->cmp, c);
    }
    case VT_BOOL: return rv->b == pv->u.b;
    case VT_IP: return ig_cidr_contains(&pv->u.cidr, &rv->ip);
    case VT_BINARY:
        return false;   /* binary_satisfies */
    case VT_NULL: return false;
    }
    return false;
}

static tri binary_satisfies(const ig_cond *cd, const char *s, size_t n)
{
    uint8_t bin[1024];
    size_t binlen;
    if (!ig_base64_decode(s, n, bin, sizeof bin, &binlen))
        return T_ERROR;
    bool any = false;
    for (uint32_t i = 0; i < cd->nvals && !any; i++)
        any = binlen == cd->vals[i].u.bin.n && memcmp(bin, cd->vals[i].u.bin.p, binlen) == 0;
    return (any != cd->op->negated) ? T_TRUE : T_FALSE;
}

/* values[i] of e against the operator and the policy's value list. */
static tri value_satisfies(const evalctx *x, const ig_cond *cd, const ig_ctx_ent *e, uint32_t i)
{
    const char *s = e->values[i];
    if (!s)
        return T_ERROR;
    size_t n = i == 0 ? e->len0 : value_len(e, i);
    if (cd->op->vtype == VT_BINARY)
        return binary_satisfies(cd, s, n);
    reqval rv;
    if (!parse_reqval((ig_vtype)cd->op->vtype, e, i, s, n, &rv))
        return T_ERROR;
    bool any = false, err = false;
    for (uint32_t k = 0; k < cd->nvals && !any; k++) {
        tri t = value_matches(x, cd, &cd->vals[k], &rv);
        any = t == T_TRUE;
        err |= t == T_ERROR;
    }
    if (!any && err)
        return T_ERROR;     /* a value we could not build might have matched */
    return (any != cd->op->negated) ? T_TRUE : T_FALSE;
}

static tri eval_cond(const evalctx *x, const ig_cond *cd)
{
    const ig_ctx_ent *e = lookup(x, cd->key, cd->key_len, cd->key_hash);
    uint32_t n = e ? e->n : 0;
    if (cd->op->vtype == VT_NULL) {
        bool absent = n == 0;
        for (uint32_t i = 0; i < cd->nvals; i++)
            if (cd->vals[i].u.b == absent)
                return T_TRUE;
        return T_FALSE;
    }
    if (n == 0) {
        if (cd->if_exists || cd->qual == QUAL_FOR_ALL)
            return T_TRUE;
        if (cd->qual == QUAL_FOR_ANY)
            return T_FALSE;
        return cd->op->negated ? T_TRUE : T_FALSE;
    }
    if (cd->qual == QUAL_NONE) {
        if (n >= 2)     /* multi-valued input to a plain operator [U] */
            return cd->op->negated ? T_TRUE : T_FALSE;
        return value_satisfies(x, cd, e, 0);
    }
    bool err = false;
    for (uint32_t i = 0; i < n; i++) {
        tri t = value_satisfies(x, cd, e, i);
        if (t == T_ERROR)
            err = true;
        else if (cd->qual == QUAL_FOR_ALL && t == T_FALSE)
            return T_FALSE;
        else if (cd->qual == QUAL_FOR_ANY && t == T_TRUE)
            return T_TRUE;
    }
    if (err)
        return T_ERROR;
    return cd->qual == QUAL_FOR_ALL ? T_TRUE : T_FALSE;
}

/* ---- statements ---- */

/* `ce` says which patterns can name the request's service (action index). */
static bool action_matches(const evalctx *x, const ig_stmt *st, const ig_svc_entry *ce)
{
    const ig_prepared *p = x->p;
    if (st->any_action)
        return true;
    if (ce->npat) {
        for (uint32_t i = 0; i < ce->nexact; i++) {
            const ig_gtok *t = &st->actions[ce->pat[i].idx].tok[0];
            if (ce->pat[i].hash == p->action_hash && t->len == p->action_len &&
                ig_lit_eq(t->text, p->action, t->len))
                return true;
        }
        for (uint32_t i = ce->nexact; i < ce->npat; i++)
            if (ig_glob_match(&st->actions[ce->pat[i].idx], NULL, p->action, p->action_len, false))
                return true;
        return false;
    }
    bool any = false;
    for (uint32_t i = 0; i < st->nactions && !any; i++)
        any = ig_glob_match(&st->actions[i], NULL, p->action, p->action_len, false);
    return st->action_mode == ELEM_NOT ? !any : any;
}

/* Resource/NotResource: an OR over the entries in three-valued logic.  An
 * entry whose substitution would be too long is an error (Resource and
 * NotResource alike); an unresolved variable makes a Resource entry match
 * nothing but a NotResource entry an error (docs/semantics.md §9). */
/* One entry with variables: RV_* of the substitution, *hit when it
 * resolved and matched.  Kept apart so that the common loop below has no
 * arrays on its stack. */
static int resource_entry_with_vars(evalctx *x, const ig_arnpat *ap, bool *hit)
{
    ig_strref vals[IG_MAX_VARS];
    int rv = resolve_vars(x, ap->vars, ap->nvars, ap->raw_len, vals);
    if (rv == RV_UNRESOLVED && x->explain)
        for (unsigned v = 0; v < ap->nvars; v++)
            note_missing(x, ap->vars[v].key, ap->vars[v].key_len,
                         ap->vars[v].hash, ap->vars[v].key_orig);
    const ig_prepared *p = x->p;
    /* only "*" covers actions without resources */
    *hit = rv == RV_OK && !p->resource_star &&
           ig_arnpat_match(ap, vals, p->resource, p->resource_len, &p->rsplit);
    return rv;
}

static tri resource_matches(evalctx *x, const ig_stmt *st)
{
    if (st->resource_mode == ELEM_NONE || st->any_resource)
        return T_TRUE;
    const ig_prepared *p = x->p;
    bool any = false, err = false;
    for (uint32_t i = 0; i < st->nresources && !any; i++) {
        const ig_arnpat *ap = &st->resources[i];
        if (ap->mode == ARNP_ANY) {
            any = true;
        } else if (!ap->nvars) {
            any = !p->resource_star &&
                  ig_arnpat_match(ap, NULL, p->resource, p->resource_len, &p->rsplit);
        } else {
            int rv = resource_entry_with_vars(x, ap, &any);
            err |= rv == RV_TOO_LONG || (rv == RV_UNRESOLVED && st->resource_mode == ELEM_NOT);
        }
    }
    if (any)
        return st->resource_mode == ELEM_NOT ? T_FALSE : T_TRUE;
    if (err)
        return T_ERROR;
    return st->resource_mode == ELEM_NOT ? T_TRUE : T_FALSE;
}

/* The facets of the caller a principal entry can name. */
static int principal_entry(const ig_env *env, const ig_princ *pe, bool *facet_acct,
                           bool *facet_role, bool *facet_self)
{
    switch ((ig_pe_kind)pe->kind) {
    case PE_ANY:
        *facet_acct = *facet_role = *facet_self = true;
        return GRANT_EXACT;
    case PE_ACCOUNT:
        if (env->kind == IG_PRINCIPAL_ANONYMOUS || env->kind == IG_PRINCIPAL_SERVICE)
            return GRANT_NONE;
        if (strcmp(pe->account, env->account) != 0)
            return GRANT_NONE;
        *facet_acct = true;
        if (env->kind == IG_PRINCIPAL_ROOT) {
            *facet_self = true;
            return GRANT_EXACT;
        }
        return GRANT_ACCOUNT;
    case PE_ROLE:
        if (env->kind != IG_PRINCIPAL_ROLE_SESSION || strcmp(pe->account, env->account) != 0 ||
            strcmp(pe->name, env->role_name) != 0)
            return GRANT_NONE;
        *facet_role = true;
        return GRANT_ROLE;
    case PE_USER: case PE_SESSION: case PE_FEDUSER: case PE_OTHER:
        if (env->kind == IG_PRINCIPAL_ANONYMOUS || env->kind == IG_PRINCIPAL_SERVICE ||
            strcmp(pe->raw, env->arn) != 0)
            return GRANT_NONE;
        *facet_self = true;
        return GRANT_EXACT;
    case PE_SERVICE:
        if (env->kind != IG_PRINCIPAL_SERVICE || strcmp(pe->raw, env->service) != 0)
            return GRANT_NONE;
        *facet_self = true;
        return GRANT_EXACT;
    case PE_FEDERATED: case PE_CANONICAL:
        return GRANT_NONE;
    }
    return GRANT_NONE;
}

static int principal_grant(const ig_env *env, const ig_stmt *st)
{
    if (st->principal_mode == ELEM_NONE)
        return GRANT_EXACT;
    int best = GRANT_NONE;
    bool acct = false, role = false, self = false;
    for (uint32_t i = 0; i < st->nprincipals; i++) {
        int g = principal_entry(env, &st->principals[i], &acct, &role, &self);
        if (g > best) best = g;
    }
    if (st->principal_mode == ELEM_POSITIVE)
        return best;
    if (!st->deny)     /* an Allow never grants to a facet it names */
        return self || role || acct ? GRANT_NONE : GRANT_EXACT;
    /* AWS: a Deny with NotPrincipal denies every principal that has a
     * permissions boundary, whatever it lists (docs/semantics.md §7). */
    if (env->boundary && env->kind != IG_PRINCIPAL_ANONYMOUS && env->kind != IG_PRINCIPAL_SERVICE)
        return GRANT_EXACT;
    /* A Deny excludes the caller only when every facet of its identity is
     * listed: the session, its role and its account (AWS's documented
     * requirement to list all three). */
    bool excluded;
    switch (env->kind) {
    case IG_PRINCIPAL_ROLE_SESSION: excluded = self && role && acct; break;
    case IG_PRINCIPAL_USER:
    case IG_PRINCIPAL_FEDERATED_USER: excluded = self && acct; break;
    case IG_PRINCIPAL_ROOT: excluded = acct; break;
    default: excluded = self; break;
    }
    return excluded ? GRANT_NONE : GRANT_EXACT;
}

static void record(evalctx *x, const ig_policy *p, const ig_stmt *st)
{
    match_ref *arr = st->deny ? x->deny_m : x->allow_m;
    unsigned *n = st->deny ? &x->ndeny_m : &x->nallow_m;
    if (*n >= IG_MAX_MATCHED) {
        if (st->deny) x->deny_trunc = true; else x->allow_trunc = true;
        return;
    }
    arr[*n].policy = p;
    arr[*n].index = st->index;
    (*n)++;
}

/* The condition's key and the variables of its values without a default. */
static void note_cond_keys(evalctx *x, const ig_cond *cd)
{
    if (cd->op->vtype != VT_NULL)
        note_missing(x, cd->key, cd->key_len, cd->key_hash, cd->key_orig);
    if (cd->op->vtype != VT_STRING && cd->op->vtype != VT_ARN)
        return;
    for (uint32_t i = 0; i < cd->nvals; i++) {
        const ig_cval *pv = &cd->vals[i];
        const ig_var *vars = cd->op->vtype == VT_STRING ? pv->u.glob.vars : pv->u.arn->vars;
        unsigned nv = cd->op->vtype == VT_STRING ? pv->u.glob.nvars : pv->u.arn->nvars;
        for (unsigned k = 0; k < nv; k++)
            if (!vars[k].dflt)
                note_missing(x, vars[k].key, vars[k].key_len, vars[k].hash, vars[k].key_orig);
    }
}

static void eval_policy(evalctx *x, const ig_policy *p, verdict *v)
{
    bool want_principal = p->type == IG_POLICY_RESOURCE || p->type == IG_POLICY_RCP;
    if (p->allows_all && !x->explain && !want_principal) {
        v->allow = true;
        v->grant = GRANT_EXACT;
        return;
    }
    uint32_t ncand;
    const ig_svc_entry *cand = ig_policy_candidates(p, x->p->action, (uint32_t)x->p->service_len,
                                                    x->p->service_hash, &ncand);
    for (uint32_t ci = 0; ci < ncand; ci++) {
        const ig_stmt *st = &p->stmts[cand[ci].stmt];
        if (!x->explain && !st->deny && v->allow && !want_principal)
            continue;           /* one Allow is enough; Denies still matter */
        if (!action_matches(x, st, &cand[ci]))
            continue;
        int grant = GRANT_EXACT;
        if (want_principal) {
            grant = principal_grant(x->env, st);
            if (grant == GRANT_NONE)
                continue;
        }
        tri r = resource_matches(x, st);
        if (r == T_FALSE)
            continue;
        tri applies = r;
        for (uint32_t c = 0; c < st->nconds; c++) {
            const ig_cond *cd = &st->conds[c];
            if (x->explain)
                note_cond_keys(x, cd);
            if (applies == T_FALSE)
                continue;       /* keep collecting missing keys when explaining */
            tri t = eval_cond(x, cd);
            if (t == T_FALSE)
                applies = T_FALSE;
            else if (t == T_ERROR)
                applies = T_ERROR;
            if (applies == T_FALSE && !x->explain)
                break;
        }
        if (applies == T_ERROR)
            applies = st->deny ? T_TRUE : T_FALSE;   /* fail closed */
        if (applies != T_TRUE)
            continue;
        if (st->deny) {
            v->deny = true;
        } else {
            v->allow = true;
            if (grant > v->grant) v->grant = grant;
        }
        if (x->explain)
            record(x, p, st);
    }
}

/* ---- the decision ---- */

/* Evaluate every policy of a list of organization levels.  Returns true when
 * every level has an Allow; *deny is set when any statement denies. */
static bool eval_levels(evalctx *x, const ig_level *levels, size_t n, bool *deny)
{
    bool all = true;
    for (size_t l = 0; l < n; l++) {
        bool level_allow = false;
        for (size_t i = 0; i < levels[l].n; i++) {
            verdict v = { false, false, 0 };
            eval_policy(x, levels[l].ps[i], &v);
            level_allow |= v.allow;
            *deny |= v.deny;
        }
        all &= level_allow;
    }
    return all;
}

static void copy_matches(evalctx *x, const match_ref *m, unsigned n, bool trunc)
{
    ig_result *r = x->out;
    r->nmatched = 0;
    for (unsigned i = 0; i < n; i++) {
        const ig_stmt *st = &m[i].policy->stmts[m[i].index];
        ig_matched_statement *ms = &r->matched[r->nmatched++];
        ms->policy = m[i].policy;
        ms->type = m[i].policy->type;
        ms->index = st->index;
        ms->sid = st->sid;
        ms->start_line = st->start_line;
        ms->start_column = st->start_col;
        ms->end_line = st->end_line;
        ms->end_column = st->end_col;
    }
    r->matched_truncated = trunc;
}

static void reset_result(ig_result *out)
{
    /* Not a memset: the result's arrays are large and filled on demand. */
    out->decision = IG_IMPLICIT_DENY;
    out->blocked_by = IG_LAYER_NONE;
    out->allowed_by_boundary = out->allowed_by_organizations = false;
    out->error = out->matched_truncated = out->needs_no_permission = false;
    out->nmatched = out->nmissing = 0;
    out->error_msg[0] = '\0';
}

static int fail(ig_result *out, int rc)
{
    out->error = true;
    snprintf(out->error_msg, sizeof out->error_msg, "%s",
             rc == IG_E_LIMIT ? "request exceeds a limit" : "invalid request");
    return rc;
}

static int decide(const ig_env *env, const ig_prepared *p, unsigned flags, ig_result *out);

int ig_evaluate(const ig_env *env, const ig_request *req, unsigned flags, ig_result *out)
{
    reset_result(out);
    if (!env || !req)
        return fail(out, IG_E_INPUT);
    ig_request_buf buf;
    int rc = ig_request_prepare_in(req, &buf);
    if (rc != IG_OK)
        return fail(out, rc);
    return decide(env, &buf.p, flags, out);
}

int ig_evaluate_prepared(const ig_env *env, const ig_prepared *req, unsigned flags,
                         ig_result *out)
{
    reset_result(out);
    if (!env || !req)
        return fail(out, IG_E_INPUT);
    return decide(env, req, flags, out);
}

static int decide(const ig_env *env, const ig_prepared *p, unsigned flags, ig_result *out)
{
    evalctx x;
    x.env = env;
    x.p = p;
    x.nallow_m = x.ndeny_m = 0;
    x.allow_trunc = x.deny_trunc = false;
    x.explain = (flags & IG_EVAL_EXPLAIN) != 0;
    x.out = out;

    bool anon_or_service = env->kind == IG_PRINCIPAL_ANONYMOUS || env->kind == IG_PRINCIPAL_SERVICE;
    if (p->authz == IG_AUTHZ_NONE && !anon_or_service) {
        /* sts:GetCallerIdentity, sts:GetSessionToken: AWS authorizes
         * nothing, so no policy (not even an explicit Deny) takes part
         * (docs/semantics.md §6.0). */
        out->decision = IG_ALLOWED;
        out->needs_no_permission = true;
        out->allowed_by_boundary = out->allowed_by_organizations = true;
        return IG_OK;
    }
    const ig_policy *resource_policy = p->resource_policy ? p->resource_policy : env->resource;
    /* Resource account: as given, else the ARN's account field, else the caller's. */
    bool same_account = !anon_or_service &&
                        (!p->resource_account || (p->resource_account_len == env->account_len &&
                          (p->resource_account_len <= 16
                           ? p->account_key[0] == env->account_key[0] &&
                             p->account_key[1] == env->account_key[1]
                           : ig_lit_eq(p->resource_account, env->account, env->account_len))));

    /* Every policy is evaluated once; the order below only combines them. */
    bool scp_deny = false, rcp_deny = false;
    bool scp_ok = true, rcp_ok = true;
    bool rcp_applies = env->nrcp > 0 && p->rcp_service;
    bool scp_applies = env->nscp > 0 && !anon_or_service;
    if (scp_applies)
        scp_ok = eval_levels(&x, env->scp, env->nscp, &scp_deny);
    if (rcp_applies)
        rcp_ok = eval_levels(&x, env->rcp, env->nrcp, &rcp_deny);

    verdict res = { false, false, 0 }, idv = { false, false, 0 },
            bnd = { false, false, 0 }, ses = { false, false, 0 };
    if (resource_policy)
        eval_policy(&x, resource_policy, &res);
    if (!anon_or_service) {
        for (size_t i = 0; i < env->nidentity; i++)
            eval_policy(&x, env->identity[i], &idv);
        if (env->boundary)
            eval_policy(&x, env->boundary, &bnd);
        if (env->session)
            eval_policy(&x, env->session, &ses);
    }

    out->allowed_by_boundary = !env->boundary || anon_or_service || (bnd.allow && !bnd.deny);
    out->allowed_by_organizations = scp_ok && rcp_ok && !scp_deny && !rcp_deny;

    ig_decision d = IG_IMPLICIT_DENY;
    ig_layer blocked = IG_LAYER_NONE;
    if (scp_deny) blocked = IG_LAYER_SCP;
    else if (rcp_deny) blocked = IG_LAYER_RCP;
    else if (res.deny) blocked = IG_LAYER_RESOURCE;
    else if (idv.deny) blocked = IG_LAYER_IDENTITY;
    else if (bnd.deny) blocked = IG_LAYER_BOUNDARY;
    else if (ses.deny) blocked = IG_LAYER_SESSION;
    if (blocked != IG_LAYER_NONE) {
        d = IG_EXPLICIT_DENY;
    } else if (!rcp_ok) {
        blocked = IG_LAYER_RCP;
    } else if (!scp_ok) {
        blocked = IG_LAYER_SCP;
    } else {
        bool id_ok = env->kind == IG_PRINCIPAL_ROOT || idv.allow;
        bool b_ok = !env->boundary || bnd.allow;
        bool s_ok = env->session ? ses.allow : env->kind != IG_PRINCIPAL_FEDERATED_USER;
        int grant = res.allow ? res.grant : GRANT_NONE;
        ig_layer principal_block = !id_ok ? IG_LAYER_IDENTITY : !b_ok ? IG_LAYER_BOUNDARY
                                 : !s_ok ? IG_LAYER_SESSION : IG_LAYER_NONE;
        if (anon_or_service) {
            if (grant != GRANT_NONE) d = IG_ALLOWED;
            else blocked = IG_LAYER_RESOURCE;
        } else if (same_account) {
            if (grant == GRANT_EXACT)
                d = IG_ALLOWED;
            else if (grant == GRANT_ROLE && b_ok && s_ok)
                d = IG_ALLOWED;
            else if (p->authz == IG_AUTHZ_RESOURCE_POLICY && grant == GRANT_NONE)
                blocked = IG_LAYER_RESOURCE;
            else if (principal_block == IG_LAYER_NONE)
                d = IG_ALLOWED;
            else
                blocked = grant == GRANT_ROLE ? (!b_ok ? IG_LAYER_BOUNDARY : IG_LAYER_SESSION)
                                              : principal_block;
        } else {
            if (principal_block != IG_LAYER_NONE) blocked = principal_block;
            else if (grant == GRANT_NONE) blocked = IG_LAYER_RESOURCE;
            else d = IG_ALLOWED;
        }
    }
    out->decision = d;
    out->blocked_by = d == IG_ALLOWED ? IG_LAYER_NONE : blocked;
    if (x.explain) {
        if (d == IG_ALLOWED)
            copy_matches(&x, x.allow_m, x.nallow_m, x.allow_trunc);
        else if (d == IG_EXPLICIT_DENY)
            copy_matches(&x, x.deny_m, x.ndeny_m, x.deny_trunc);
    }
    return IG_OK;
}

const char *ig_decision_name(ig_decision d)
{
    switch (d) {
    case IG_ALLOWED: return "allowed";
    case IG_EXPLICIT_DENY: return "explicitDeny";
    default: return "implicitDeny";
    }
}

const char *ig_layer_name(ig_layer l)
{
    switch (l) {
    case IG_LAYER_IDENTITY: return "identity";
    case IG_LAYER_BOUNDARY: return "permissionsBoundary";
    case IG_LAYER_SESSION: return "session";
    case IG_LAYER_SCP: return "scp";
    case IG_LAYER_RCP: return "rcp";
    case IG_LAYER_RESOURCE: return "resource";
    default: return NULL;
    }
}

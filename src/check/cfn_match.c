/* cfn_match.c - which policy of a CloudFormation template stands for which
 * policy of the scenario (check --cfn).
 *
 * A template written by someone else rarely uses the scenario's names, so a
 * policy is matched by its name (or "cfnName") first, then by content (the
 * same document once compiled), then by the part it plays: the boundary is
 * the policy used as a permissions boundary (a PermissionsBoundary of the
 * template, or the ARN an iam:PermissionsBoundary condition asks for), the
 * developer policy the one that allows iam:CreateRole only with an
 * iam:PermissionsBoundary condition.  A part matches only when exactly one
 * policy on each side plays it.  A managed policy whose name the template
 * leaves to CloudFormation is given the scenario's name, so the ARNs the
 * scenario's requests use are the deployed ones; the report says how each
 * policy was matched. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "check/check_int.h"
#include "policy/policy.h"
#include "util/alloc.h"

typedef enum { PART_NONE = 0, PART_BOUNDARY, PART_DEVELOPER } part;

typedef enum { BY_NONE = 0, BY_NAME, BY_CONTENT, BY_PART } match_kind;

typedef struct {
    long tpl;                   /* template policy index, or -1 */
    match_kind by;
    part role;
} match;

/* Case-insensitive glob with * and ?, as IAM matches actions. */
static bool glob_ci(const char *p, const char *s)
{
    const char *star = NULL, *back = NULL;
    while (*s) {
        if (*p == '*') {
            star = p++;
            back = s;
        } else if (*p == '?' || (*p && tolower((unsigned char)*p) == tolower((unsigned char)*s))) {
            p++;
            s++;
        } else if (star) {
            p = star + 1;
            s = ++back;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return !*p;
}

static bool any_string(const json_value *v, bool (*pred)(const char *, const void *),
                       const void *arg)
{
    if (v->kind == JSON_STRING)
        return pred(v->u.str, arg);
    if (v->kind == JSON_ARRAY)
        for (uint32_t i = 0; i < v->len; i++)
            if (any_string(&v->u.items[i], pred, arg))
                return true;
    return false;
}

static bool covers_create_role(const char *pattern, const void *arg)
{
    (void)arg;
    return glob_ci(pattern, "iam:CreateRole");
}

static bool equals(const char *s, const void *arg)
{
    return !strcmp(s, (const char *)arg);
}

static uint32_t statement_count(const json_value *doc)
{
    const json_value *st = doc && doc->kind == JSON_OBJECT ? json_get(doc, "Statement") : NULL;
    return !st ? 0 : st->kind == JSON_ARRAY ? st->len : 1;
}

/* The values under iam:PermissionsBoundary in the statement's Condition. */
static const json_value *boundary_condition(const json_value *st, uint32_t nth)
{
    const json_value *cond = json_get(st, "Condition");
    if (!cond || cond->kind != JSON_OBJECT)
        return NULL;
    for (uint32_t i = 0; i < cond->len; i++) {
        const json_value *op = &cond->u.members[i].value;
        if (op->kind != JSON_OBJECT)
            continue;
        for (uint32_t k = 0; k < op->len; k++)
            if (!strcasecmp(op->u.members[k].key, "iam:PermissionsBoundary") && nth-- == 0)
                return &op->u.members[k].value;
    }
    return NULL;
}

/* Allows iam:CreateRole only with an iam:PermissionsBoundary condition. */
static bool grants_bounded_create_role(const json_value *doc)
{
    for (uint32_t i = 0; i < statement_count(doc); i++) {
        const json_value *st = chk_statement(doc, i);
        const json_value *effect = st ? json_get(st, "Effect") : NULL;
        const json_value *action = st ? json_get(st, "Action") : NULL;
        if (effect && effect->kind == JSON_STRING && !strcmp(effect->u.str, "Allow") && action &&
            any_string(action, covers_create_role, NULL) && boundary_condition(st, 0))
            return true;
    }
    return false;
}

/* Some policy of the template asks for `arn` in an iam:PermissionsBoundary condition. */
static bool named_as_boundary(const cfn_template *t, const char *arn)
{
    for (size_t i = 0; arn && i < t->npolicies; i++) {
        const json_value *doc = t->policies[i].document;
        for (uint32_t k = 0; k < statement_count(doc); k++) {
            const json_value *st = chk_statement(doc, k), *v;
            for (uint32_t n = 0; st && (v = boundary_condition(st, n)) != NULL; n++)
                if (any_string(v, equals, arn))
                    return true;
        }
    }
    return false;
}

static part template_part(const cfn_template *t, size_t i)
{
    const cfn_policy *p = &t->policies[i];
    if (p->kind == CFN_ROLE_TRUST)
        return PART_NONE;
    for (size_t k = 0; k < t->nprincipals; k++)
        if (t->principals[k].boundary_policy == (long)i)
            return PART_BOUNDARY;
    if (p->kind == CFN_MANAGED_POLICY && named_as_boundary(t, p->arn))
        return PART_BOUNDARY;
    return grants_bounded_create_role(p->document) ? PART_DEVELOPER : PART_NONE;
}

static part scenario_part(const chk_scenario *s, size_t i, const json_value *principals)
{
    const chk_policy *p = &s->policies[i];
    for (uint32_t k = 0; principals && principals->kind == JSON_OBJECT && k < principals->len; k++) {
        const json_value *pr = &principals->u.members[k].value;
        const json_value *b = pr->kind == JSON_OBJECT ? json_get(pr, "permissionsBoundary") : NULL;
        if (b && b->kind == JSON_STRING && !strcmp(b->u.str, p->name))
            return PART_BOUNDARY;
    }
    return p->doc && grants_bounded_create_role(p->doc) ? PART_DEVELOPER : PART_NONE;
}

/* The canonical form of a document compiled as an identity policy, or NULL. */
static char *canonical(const json_value *doc, const char *text, size_t len, const char *file)
{
    ig_diag d;
    memset(&d, 0, sizeof d);
    ig_policy *p = doc ? ig_policy_compile_value(doc, text, len, IG_POLICY_IDENTITY, NULL, file, &d)
                       : NULL;
    char *out = p ? ig_policy_to_json(p, false) : NULL;
    ig_policy_free(p);
    return out;
}

static bool taken(const match *m, size_t n, long tpl)
{
    for (size_t i = 0; i < n; i++)
        if (m[i].tpl == tpl)
            return true;
    return false;
}

static void match_by_content(const chk_scenario *s, const cfn_template *t, match *m)
{
    for (size_t i = 0; i < s->npolicies; i++) {
        if (m[i].tpl >= 0 || !s->policies[i].doc)
            continue;
        char *want = canonical(s->policies[i].doc, s->policies[i].text, s->policies[i].len,
                               s->policies[i].file);
        long found = -1;
        int count = 0;
        for (size_t k = 0; want && k < t->npolicies; k++) {
            if (t->policies[k].kind == CFN_ROLE_TRUST || taken(m, s->npolicies, (long)k))
                continue;
            char *got = canonical(t->policies[k].document, t->text, t->len, t->file);
            if (got && !strcmp(got, want)) {
                found = (long)k;
                count++;
            }
            ig_free(got);
        }
        ig_free(want);
        if (count == 1)
            m[i] = (match){ found, BY_CONTENT, PART_NONE };
    }
}

static void match_by_part(const chk_scenario *s, const cfn_template *t, match *m,
                          const json_value *principals)
{
    for (part want = PART_BOUNDARY; want <= PART_DEVELOPER; want++) {
        long si = -1, ti = -1;
        int ns = 0, nt = 0;
        for (size_t i = 0; i < s->npolicies; i++)
            if (m[i].tpl < 0 && scenario_part(s, i, principals) == want)
                si = (long)i, ns++;
        for (size_t k = 0; k < t->npolicies; k++)
            if (!taken(m, s->npolicies, (long)k) && template_part(t, k) == want)
                ti = (long)k, nt++;
        if (ns == 1 && nt == 1)
            m[si] = (match){ ti, BY_PART, want };
    }
}

static bool has_placeholder(const json_value *v)
{
    if (v->kind == JSON_STRING)
        return cfn_is_placeholder(v->u.str);
    if (v->kind == JSON_ARRAY)
        for (uint32_t i = 0; i < v->len; i++)
            if (has_placeholder(&v->u.items[i]))
                return true;
    if (v->kind == JSON_OBJECT)
        for (uint32_t i = 0; i < v->len; i++)
            if (has_placeholder(&v->u.members[i].value))
                return true;
    return false;
}

static const char *how(const match *m)
{
    switch (m->by) {
    case BY_NAME:    return "matched by name";
    case BY_CONTENT: return "matched by content: the same document";
    default:
        return m->role == PART_BOUNDARY
                   ? "matched by its part: the policy used as the permissions boundary"
                   : "matched by its part: allows iam:CreateRole only with iam:PermissionsBoundary";
    }
}

bool chk_use_template(lctx *c, const json_value *policies, const json_value *principals)
{
    const chk_options *o = c->opt;
    if (!o || !o->cfn_path)
        return true;
    chk_scenario *s = c->s;
    chk_internal *in = s->internal;
    int rc = cfn_load_file(o->cfn_path, &o->cfn, &in->tmpl, c->diag);
    if (rc != IG_OK)
        return false;
    cfn_template *t = in->tmpl;
    s->template_file = t->file ? t->file : o->cfn_path;
    if (!t->deployable) {
        for (size_t i = 0; i < t->nnotes; i++)
            if (t->notes[i].kind == CFN_NOTE_UNDEPLOYABLE)
                return chk_fail(c, policies->start, "template \"%s\" cannot be checked, "
                                "its verdicts would not be about what is deployed: %s:%u:%u: %s",
                                s->template_file, s->template_file, t->notes[i].line,
                                t->notes[i].column, t->notes[i].msg);
    }
    match *m = ig_calloc(s->npolicies ? s->npolicies : 1, sizeof *m);
    if (!m)
        return chk_nomem(c, policies->start);
    for (size_t i = 0; i < s->npolicies; i++) {
        const cfn_policy *cp = cfn_find_policy(t, s->policies[i].cfn_name);
        m[i] = cp ? (match){ (long)(cp - t->policies), BY_NAME, PART_NONE }
                  : (match){ -1, BY_NONE, PART_NONE };
    }
    match_by_content(s, t, m);
    match_by_part(s, t, m, principals);

    /* Managed policies matched otherwise than by name take the scenario's
     * name where the template lets CloudFormation choose one: load again. */
    const char **names = ig_calloc(s->npolicies ? s->npolicies : 1, sizeof *names);
    size_t nnames = 0;
    bool ok = names != NULL;
    for (size_t i = 0; ok && i < s->npolicies; i++) {
        if (m[i].tpl < 0 || m[i].by == BY_NAME ||
            t->policies[m[i].tpl].kind != CFN_MANAGED_POLICY)
            continue;
        char kv[600];
        snprintf(kv, sizeof kv, "%s=%s", t->policies[m[i].tpl].logical_id, s->policies[i].name);
        names[nnames] = ig_arena_strndup(&s->arena, kv, strlen(kv));
        ok = names[nnames++] != NULL;
    }
    if (ok && nnames) {
        cfn_params again = o->cfn;
        again.names = names;
        again.nnames = nnames;
        cfn_template *t2;
        rc = cfn_load_file(o->cfn_path, &again, &t2, c->diag);
        ok = rc == IG_OK && t2->npolicies == t->npolicies;
        if (rc == IG_OK) {
            /* The same template gives the same policies in the same order. */
            cfn_free(t);
            in->tmpl = t = t2;
            s->template_file = t->file ? t->file : o->cfn_path;
        }
        if (rc != IG_OK) {
            ig_free(names);
            ig_free(m);
            return false;
        }
    }
    ig_free(names);
    size_t found = 0;
    for (size_t i = 0; ok && i < s->npolicies; i++) {
        chk_policy *p = &s->policies[i];
        if (m[i].tpl < 0)
            continue;       /* not in the template: keeps the scenario's source */
        const cfn_policy *cp = &t->policies[m[i].tpl];
        p->cfn = cp;
        p->from_template = true;
        p->doc = cp->document;
        p->text = t->text;
        p->len = t->len;
        p->file = s->template_file;
        char shown[900];
        int n = snprintf(shown, sizeof shown, "%s (%s", s->template_file, cp->logical_id);
        if (m[i].by != BY_NAME && n > 0 && (size_t)n < sizeof shown)
            n += snprintf(shown + n, sizeof shown - (size_t)n, ", %s", how(&m[i]));
        if (m[i].by != BY_NAME && cp->kind == CFN_MANAGED_POLICY && n > 0 &&
            (size_t)n < sizeof shown && !strcmp(cp->name, p->name))
            n += snprintf(shown + n, sizeof shown - (size_t)n, "; named %s as the scenario's "
                          "requests expect", p->name);
        if (has_placeholder(cp->document) && n > 0 && (size_t)n < sizeof shown)
            n += snprintf(shown + n, sizeof shown - (size_t)n, "; has unresolved {{...}} values");
        if (n > 0 && (size_t)n < sizeof shown)
            snprintf(shown + n, sizeof shown - (size_t)n, ")");
        p->shown = ig_arena_strndup(&s->arena, shown, strlen(shown));
        if (!p->shown)
            ok = chk_nomem(c, policies->start);
        found++;
    }
    ig_free(m);
    if (!ok)
        return c->diag && c->diag->code ? false : chk_nomem(c, policies->start);
    if (found == 0)
        return chk_fail(c, policies->start,
                        "template \"%s\" declares none of the scenario's policies (looked up by "
                        "name or \"cfnName\", by content, and by part: boundary, developer)",
                        s->template_file);
    return true;
}

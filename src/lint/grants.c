/* grants.c - grants that look limited and are not: broad grants whose
 * conditions do not narrow who can use them, MFA conditions that do not
 * require MFA, and ARNs that name every resource of a type in every
 * account. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint/lint_int.h"

static bool key_is(const ig_cond *cd, const char *key)
{
    size_t n = strlen(key);
    return cd->key_len == n && !memcmp(cd->key, key, n);     /* cd->key is lowercase */
}

static bool key_has_prefix(const ig_cond *cd, const char *prefix)
{
    size_t n = strlen(prefix);
    return cd->key_len > n && !memcmp(cd->key, prefix, n);
}

static bool all_values(const ig_cond *cd, const char *text)
{
    for (uint32_t i = 0; i < cd->nvals; i++)
        if (cd->vals[i].raw_len != strlen(text) || strncasecmp(cd->vals[i].raw, text, cd->vals[i].raw_len))
            return false;
    return cd->nvals > 0;
}

/* Keys that requests carry only in some cases: with MFA, through a VPC
 * endpoint, from a service on the caller's behalf, with tags. */
static bool usually_absent(const ig_cond *cd)
{
    static const char *const keys[] = {
        "aws:multifactorauthpresent", "aws:multifactorauthage", "aws:sourcevpc", "aws:sourcevpce",
        "aws:vpcsourceip", "aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid",
        "aws:sourceorgpaths", "aws:calledvia", "aws:calledviafirst", "aws:calledvialast",
        "aws:sourceidentity", "aws:federatedprovider", "aws:tagkeys",
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (key_is(cd, keys[i]))
            return true;
    return key_has_prefix(cd, "aws:principaltag/") || key_has_prefix(cd, "aws:resourcetag/") ||
           key_has_prefix(cd, "aws:requesttag/");
}

bool lint_cond_weak(const ig_cond *cd)
{
    /* Every caller can use TLS, pick the user agent, referer, region and
     * time of the request. */
    if (key_is(cd, "aws:securetransport") || key_is(cd, "aws:useragent") || key_is(cd, "aws:referer") ||
        key_is(cd, "aws:currenttime") || key_is(cd, "aws:epochtime") || key_is(cd, "aws:requestedregion"))
        return true;
    if (key_is(cd, "aws:multifactorauthpresent") && cd->op->vtype == VT_BOOL && all_values(cd, "false"))
        return true;
    if (cd->op->vtype == VT_NULL)
        return false;
    return cd->if_exists && !cd->op->negated && usually_absent(cd);
}

bool lint_conds_all_weak(const lstmt *s)
{
    if (!s->st || !s->st->nconds)
        return false;
    for (uint32_t i = 0; i < s->st->nconds; i++)
        if (!lint_cond_weak(&s->st->conds[i]))
            return false;
    return true;
}

/* What the statement grants on every resource: "every action", "every
 * ec2 action" or "N write actions", or NULL when nothing broad. */
static const char *broadness(lint_ctx *c, const lstmt *s, char *buf, size_t cap)
{
    if (s->not_action)
        return "every action not listed";
    if (!s->any_star_resource && !s->not_resource)
        return NULL;
    size_t writes = 0;
    for (uint32_t k = 0; k < s->nacts; k++) {
        const lact *a = &s->acts[k];
        if (a->all)
            return "every action";
        if (a->n > 2 && !memcmp(a->s + a->n - 2, ":*", 2) && !memchr(a->s, '*', a->n - 1)) {
            snprintf(buf, cap, "every %.*s action", (int)(a->n - 2), a->s);
            return buf;
        }
        for (size_t i = 0; i < a->nids; i++) {
            const igcat_action *act = &c->cat->act[a->ids[i]];
            writes += (act->access & (IG_ACCESS_WRITE | IG_ACCESS_PERMISSIONS)) != 0;
        }
    }
    if (!writes)
        return NULL;
    snprintf(buf, cap, "%zu write action%s", writes, writes == 1 ? "" : "s");
    return buf;
}

static void describe_conds(const lstmt *s, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < s->st->nconds && n + 1 < cap; i++) {
        const ig_cond *cd = &s->st->conds[i];
        int w = snprintf(buf + n, cap - n, "%s%s %.*s%s%.40s%s", i ? ", " : "", cd->op_raw, (int)cd->key_len,
                         cd->key_orig, cd->nvals ? " \"" : "", cd->nvals ? cd->vals[0].raw : "",
                         cd->nvals ? "\"" : "");
        if (w < 0)
            break;
        n += (size_t)w;
    }
}

static void check_weak_broad(lint_ctx *c, const lstmt *s)
{
    if (!s->condition || !lint_conds_all_weak(s))
        return;
    char what[120], conds[300];
    const char *broad = broadness(c, s, what, sizeof what);
    if (!broad)
        return;
    describe_conds(s, conds, sizeof conds);
    lint_add(c, "broad-grant-weak-condition", s->condition->key_start,
             "narrow the actions and resources; to require MFA, deny with \"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}",
             "the statement allows %s on every resource, and its conditions (%s) hold for every caller: they do not limit who can use it",
             broad, conds);
}

static void check_mfa(lint_ctx *c, const lstmt *s)
{
    for (uint32_t i = 0; s->st && i < s->st->nconds; i++) {
        const ig_cond *cd = &s->st->conds[i];
        if (!key_is(cd, "aws:multifactorauthpresent"))
            continue;
        bool f = all_values(cd, "false"), t = all_values(cd, "true");
        if (cd->op->vtype == VT_NULL && f)
            lint_add(c, "mfa-condition-not-enforced", cd->key_offset,
                     "test the value: \"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}",
                     "\"Null\": false only asks that the key be present: every temporary credential has it, with or without MFA");
        else if (cd->op->vtype != VT_BOOL)
            continue;
        else if (s->deny && f && !cd->if_exists)
            lint_add(c, "mfa-condition-not-enforced", cd->key_offset, "use \"BoolIfExists\"",
                     "requests signed with long-term access keys carry no aws:MultiFactorAuthPresent, so this Deny does not apply to them");
        else if (!s->deny && f)
            lint_add(c, "mfa-condition-not-enforced", cd->key_offset,
                     "to require MFA: \"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}, or a Deny with \"BoolIfExists\" ... \"false\"",
                     "the Allow applies to sessions without MFA: the condition asks for the absence of MFA, not for MFA");
        else if (!s->deny && t && cd->if_exists)
            lint_add(c, "mfa-condition-not-enforced", cd->key_offset, "use \"Bool\" (without IfExists)",
                     "\"BoolIfExists\" is true when the key is absent: requests signed with long-term access keys pass without MFA");
    }
}

static bool has_write(lint_ctx *c, const lstmt *s)
{
    for (uint32_t k = 0; k < s->nacts; k++) {
        if (s->acts[k].all)
            return true;
        for (size_t i = 0; i < s->acts[k].nids; i++)
            if (c->cat->act[s->acts[k].ids[i]].access & (IG_ACCESS_WRITE | IG_ACCESS_PERMISSIONS))
                return true;
    }
    return false;
}

/* write-on-all-resources for ARNs: one finding per statement, at the
 * first such ARN. */
static void check_every_of_type(lint_ctx *c, const lstmt *s)
{
    /* Other conditions (tags, names) usually narrow the resources. */
    if (s->not_resource || s->not_action || (s->condition && !lint_conds_all_weak(s)) || !has_write(c, s))
        return;
    const lres *first = NULL;
    igcat_arn_parts fp;
    unsigned more = 0;
    for (uint32_t k = 0; k < s->nres; k++) {
        const lres *r = &s->res[k];
        if (r->star)
            continue;
        igcat_arn_parts p;
        igcat_split_arn(r->s, r->n, &p);
        if (p.n < 6 || lint_arn_names_something(&p))
            continue;
        bool s3 = p.len[2] == 2 && !memcmp(p.seg[2], "s3", 2);
        bool any_account = p.len[4] ? strspn(p.seg[4], "*?") >= p.len[4] : s3;
        bool any_region = !p.len[3] || strspn(p.seg[3], "*?") >= p.len[3];
        if (!any_account || !any_region)
            continue;
        if (first) {
            more++;
            continue;
        }
        first = r;
        fp = p;
    }
    if (!first)
        return;
    bool s3 = fp.len[2] == 2 && !memcmp(fp.seg[2], "s3", 2);
    size_t tl = s3 ? 0 : strcspn(fp.seg[5], "/:*?");
    if (tl >= fp.len[5])
        tl = 0;
    char also[48] = "";
    if (more)
        snprintf(also, sizeof also, " (and %u more ARN%s like it)", more, more == 1 ? "" : "s");
    lint_add(c, "all-resources-of-type", first->v->start,
             "name the account and region, and the resources (or add a condition on aws:ResourceAccount or the resources' tags)",
             "\"%s\"%s names every %.*s %.*s%s in every account and region: for the write actions of the statement it is Resource \"*\"",
             first->s, also, (int)fp.len[2], fp.seg[2], (int)tl, fp.seg[5], tl ? "" : "resource");
}

void lint_check_grants(lint_ctx *c)
{
    bool grants = c->o->type == IG_POLICY_IDENTITY || c->o->type == IG_POLICY_SESSION;
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        check_mfa(c, s);
        if (s->deny || !grants)
            continue;
        check_weak_broad(c, s);
        check_every_of_type(c, s);
    }
}

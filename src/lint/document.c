/* document.c - checks on the policy as a document: Version, size quota,
 * Sids, where policy variables may appear, what the policy type allows,
 * and whether resources are ARNs at all.  Version and size need only the
 * JSON and run even when the policy does not compile. */
#include <string.h>

#include "cfn/cfn.h"
#include "lint/lint_int.h"
#include "util/str.h"

/* Characters of the value written without whitespace (as IAM counts). */
static size_t compact_string_size(const char *s, size_t n)
{
    size_t size = 2;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '"' || ch == '\\')
            size += 2;
        else if (ch < 0x20)
            size += (ch == '\n' || ch == '\t' || ch == '\r') ? 2 : 6;
        else if ((ch & 0xc0) != 0x80)   /* count characters, not UTF-8 bytes */
            size++;
    }
    return size;
}

static size_t compact_size(const json_value *v, unsigned depth)
{
    if (depth > JSON_DEFAULT_MAX_DEPTH)
        return 0;
    size_t size = 0;
    switch (v->kind) {
    case JSON_NULL: case JSON_TRUE: return 4;
    case JSON_FALSE: return 5;
    case JSON_NUMBER: return v->len;
    case JSON_STRING: return compact_string_size(v->u.str, v->len);
    case JSON_ARRAY:
        size = 2 + (v->len ? v->len - 1 : 0);
        for (uint32_t i = 0; i < v->len; i++)
            size += compact_size(&v->u.items[i], depth + 1);
        return size;
    case JSON_OBJECT:
        size = 2 + (v->len ? v->len - 1 : 0);
        for (uint32_t i = 0; i < v->len; i++)
            size += compact_string_size(v->u.members[i].key, v->u.members[i].key_len) + 1 +
                    compact_size(&v->u.members[i].value, depth + 1);
        return size;
    }
    return 0;
}

size_t lint_policy_size(const json_value *root)
{
    return compact_size(root, 0);
}

static void check_version_and_size(lint_ctx *c)
{
    const json_value *root = c->root;
    if (root->kind != JSON_OBJECT)
        return;
    const json_value *v = json_get(root, "Version");
    if (!v)
        lint_add(c, "missing-version", root->start, "add \"Version\": \"2012-10-17\"",
                 "the policy has no \"Version\": IAM applies the 2008-10-17 language, without policy variables");
    else if (v->kind == JSON_STRING && !strcmp(v->u.str, "2008-10-17"))
        lint_add(c, "old-version", v->start, "use \"Version\": \"2012-10-17\"",
                 "Version 2008-10-17 is the old policy language: ${...} is literal text there");
    size_t max = c->o->max_size ? c->o->max_size : lint_default_max_size(c->o->type);
    size_t size = compact_size(root, 0);
    if (size > max)
        lint_add(c, "policy-size", root->start, "split the policy, or merge statements and use wildcards",
                 "the policy has %zu characters without whitespace; %s policies may have at most %zu",
                 size, c->o->quota_name ? c->o->quota_name : ig_policy_type_name(c->o->type), max);
}

static bool alnum_only(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

static void check_sids(lint_ctx *c)
{
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const json_member *sid = c->stmts[i].sid;
        if (!sid || sid->value.kind != JSON_STRING)
            continue;
        const json_value *v = &sid->value;
        /* Resource policies (S3, SNS, SQS, KMS) accept any text as a Sid. */
        if (c->o->type != IG_POLICY_RESOURCE && !alnum_only(v->u.str, v->len))
            lint_add(c, "invalid-sid", v->start, "keep only letters and digits",
                     "Sid \"%s\" may only have the characters A-Z, a-z and 0-9 in %s policies",
                     v->u.str, ig_policy_type_name(c->o->type));
        for (uint32_t k = 0; k < i; k++) {
            const json_member *other = c->stmts[k].sid;
            if (other && other->value.kind == JSON_STRING && !strcmp(other->value.u.str, v->u.str) &&
                v->len > 0) {
                lint_add(c, "duplicate-sid", v->start, "give each statement its own Sid",
                         "Sid \"%s\" is already used by statement %u", v->u.str, k + 1);
                break;
            }
        }
    }
}

static bool has_var(const json_value *v)
{
    return v->kind == JSON_STRING && memmem(v->u.str, v->len, "${", 2) != NULL;
}

/* A variable in the "arn" or service segment: IAM finds the service of
 * a resource by its ARN before it substitutes anything.  (Partition,
 * region and account take variables: AWS's own policies use
 * ${aws:PrincipalAccount} there.) */
static bool var_in_arn_prefix(const char *s, size_t n)
{
    unsigned colons = 0;
    for (size_t i = 0; i + 1 < n && colons < 3; i++) {
        if (s[i] == ':')
            colons++;
        else if (s[i] == '$' && s[i + 1] == '{' && colons != 1)
            return true;
    }
    return false;
}

static void check_principal_vars(lint_ctx *c, const json_value *p)
{
    if (has_var(p)) {
        lint_add(c, "variable-not-allowed", p->start, "name the principal literally",
                 "policy variables are not substituted in \"Principal\"");
        return;
    }
    if (p->kind == JSON_OBJECT)
        for (uint32_t i = 0; i < p->len; i++)
            check_principal_vars(c, &p->u.members[i].value);
    else if (p->kind == JSON_ARRAY)
        for (uint32_t i = 0; i < p->len; i++)
            check_principal_vars(c, &p->u.items[i]);
}

static void check_variables(lint_ctx *c)
{
    bool v2012 = c->pol->version_2012;
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        for (uint32_t k = 0; k < s->nacts; k++)
            if (has_var(s->acts[k].v))
                lint_add(c, "variable-not-allowed", s->acts[k].v->start, "write the action name",
                         "policy variables are not substituted in \"%s\"", s->action->key);
        if (s->principal)
            check_principal_vars(c, &s->principal->value);
        for (uint32_t k = 0; k < s->nres; k++) {
            const lres *r = &s->res[k];
            if (!has_var(r->v))
                continue;
            if (var_in_arn_prefix(r->s, r->n))
                lint_add(c, "variable-not-allowed", r->v->start, "name the service literally",
                         "a policy variable in the \"arn\" or service part of \"%s\": IAM does not substitute it there", r->s);
            else if (!v2012)
                lint_add(c, "variable-in-old-version", r->v->start, "add \"Version\": \"2012-10-17\"",
                         "without Version 2012-10-17, \"%s\" is matched literally, ${...} included", r->s);
        }
        for (uint32_t k = 0; k < s->st->nconds; k++) {
            const ig_cond *cd = &s->st->conds[k];
            if (memmem(cd->key_orig, cd->key_len, "${", 2))
                lint_add(c, "variable-not-allowed", cd->key_offset, "write the key name",
                         "policy variables are not substituted in condition keys");
            bool substituted = cd->op->vtype == VT_STRING || cd->op->vtype == VT_ARN;
            for (uint32_t j = 0; substituted && !v2012 && j < cd->nvals; j++)
                if (memmem(cd->vals[j].raw, cd->vals[j].raw_len, "${", 2))
                    lint_add(c, "variable-in-old-version", cd->vals[j].offset, "add \"Version\": \"2012-10-17\"",
                             "without Version 2012-10-17, \"%s\" is compared literally, ${...} included",
                             cd->vals[j].raw);
        }
    }
}

static bool is_bare_star_principal(const json_value *p)
{
    if (p->kind == JSON_STRING)
        return p->len == 1 && p->u.str[0] == '*';
    if (p->kind != JSON_OBJECT || p->len != 1 || strcmp(p->u.members[0].key, "AWS"))
        return false;
    return is_bare_star_principal(&p->u.members[0].value);
}

/* Resource control policies: Deny statements for everyone, on the
 * services RCPs cover; the one Allow is RCPFullAWSAccess's. */
static void check_rcp(lint_ctx *c)
{
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        bool full_access = !s->deny && s->nacts == 1 && s->acts[0].all && s->nres == 1 &&
                           s->res[0].star && !s->condition && !s->not_action && !s->not_resource;
        if (!s->deny && !full_access)
            lint_add(c, "policy-type-restriction", s->effect->value.start, "use \"Effect\": \"Deny\"",
                     "resource control policies only take Deny statements (besides the full-access Allow)");
        if (s->principal && strcmp(s->principal->key, "Principal"))
            lint_add(c, "policy-type-restriction", s->principal->key_start,
                     "use \"Principal\": \"*\" and a condition on aws:PrincipalArn",
                     "resource control policies do not support \"NotPrincipal\"");
        else if (s->principal && !is_bare_star_principal(&s->principal->value))
            lint_add(c, "policy-type-restriction", s->principal->value.start,
                     "use \"Principal\": \"*\" and a condition on aws:PrincipalArn",
                     "the principal of a resource control policy must be \"*\"");
        for (uint32_t k = 0; c->cat && k < s->nacts; k++) {
            const lact *a = &s->acts[k];
            const char *colon = memchr(a->s, ':', a->n);
            if (a->all || !colon || memchr(a->s, '*', (size_t)(colon - a->s)))
                continue;
            uint32_t svc = ig_catalog_service_find(c->cat, a->s, (size_t)(colon - a->s));
            if (svc != IG_CATALOG_NONE && !ig_catalog_service_rcp(c->cat, svc))
                lint_add(c, "policy-type-restriction", a->v->start, NULL,
                         "resource control policies do not apply to %.*s actions",
                         (int)(colon - a->s), a->s);
        }
    }
}

static bool valid_partition(const char *s, size_t n)
{
    if (memchr(s, '*', n) || memchr(s, '?', n) || memmem(s, n, "${", 2))
        return true;
    return (n == 3 && !memcmp(s, "aws", 3)) || (n > 4 && !memcmp(s, "aws-", 4));
}

static void check_arns(lint_ctx *c)
{
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        for (uint32_t k = 0; k < s->nres; k++) {
            const lres *r = &s->res[k];
            if (r->star)
                continue;
            /* A CloudFormation value known only at deploy time (src/cfn:
             * "{{Ref Group}}"): whether it is an ARN cannot be told here. */
            if (cfn_is_placeholder(r->s)) {
                lint_add(c, "unresolved-resource", r->v->start,
                         "build the ARN with Fn::Sub or Fn::GetAtt, or give the value with --parameter",
                         "\"%s\" is known only at deploy time: if it is not an ARN (a Ref often yields a name or id), IAM refuses the policy",
                         r->s);
                continue;
            }
            igcat_arn_parts p;
            igcat_split_arn(r->s, r->n, &p);
            bool arn_prefix = r->n >= 4 && !memcmp(r->s, "arn:", 4);
            bool rest = p.n < 6 && r->s[r->n - 1] == '*';
            bool ok = arn_prefix && (p.n == 6 || rest);
            if (ok && p.n >= 3)
                ok = valid_partition(p.seg[1], p.len[1]) && p.len[2] > 0;
            if (!ok)
                lint_add(c, "invalid-arn", r->v->start,
                         arn_prefix ? "write arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE" : "write the resource's ARN, or \"*\"",
                         "\"%s\" is not an ARN (arn:partition:service:region:account:resource) nor \"*\"", r->s);
        }
    }
}

void lint_check_document(lint_ctx *c)
{
    check_version_and_size(c);
    if (!c->pol || !c->stmts)
        return;
    check_sids(c);
    check_variables(c);
    check_arns(c);
    if (c->o->type == IG_POLICY_RCP)
        check_rcp(c);
}

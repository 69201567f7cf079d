/* security.c - grants that are wider than they look: Allow with
 * NotAction/NotResource, iam:PassRole on any role or to any service,
 * writes on Resource "*", and wildcards that reach other accounts'
 * resources. */
#include <stdio.h>
#include <string.h>

#include "lint/lint_int.h"


static void check_not_elements(lint_ctx *c, const lstmt *s)
{
    if (s->not_action)
        lint_add(c, "allow-not-action", s->action->key_start,
                 "list the allowed actions in \"Action\", or use a Deny with NotAction",
                 "Allow with \"NotAction\" grants every action not listed, in every service, including actions AWS adds later");
    if (s->not_resource)
        lint_add(c, "allow-not-resource", s->resource->key_start,
                 "list the allowed resources in \"Resource\"",
                 "Allow with \"NotResource\" grants the actions on every resource not listed, in every account");
}

static bool all_roles(const lres *r)
{
    if (r->star)
        return true;
    igcat_arn_parts p;
    igcat_split_arn(r->s, r->n, &p);
    if (p.n < 6)
        return r->n >= 1 && r->s[r->n - 1] == '*' && p.n <= 5;
    return (p.len[5] == 1 && p.seg[5][0] == '*') || (p.len[5] == 6 && !memcmp(p.seg[5], "role/*", 6));
}

static void check_passrole(lint_ctx *c, const lstmt *s)
{
    if (s->not_action)
        return;
    const lact *a = lint_entry_covering(s, "iam:PassRole");
    if (!a)
        return;
    if (s->not_resource) {
        lint_add(c, "passrole-wildcard-resource", s->resource->key_start, "list the roles in \"Resource\"",
                 "iam:PassRole with \"NotResource\" lets the caller pass every role not listed");
    } else {
        for (uint32_t k = 0; k < s->nres; k++)
            if (all_roles(&s->res[k])) {
                lint_add(c, "passrole-wildcard-resource", s->res[k].v->start,
                         "list the roles this principal may pass",
                         "\"%s\" allows iam:PassRole on every role: the caller can hand any role, admin roles included, to a service",
                         a->s);
                break;
            }
    }
    if (!lint_stmt_tests_key(s, "iam:PassedToService"))
        lint_add(c, "passrole-without-service", a->v->start,
                 "add \"StringEquals\": {\"iam:PassedToService\": \"SERVICE.amazonaws.com\"}",
                 "\"%s\" allows iam:PassRole to any service: without iam:PassedToService the roles can be given to EC2, Lambda, Glue, ... and used there",
                 a->s);
}

/* One finding per statement, on its Resource "*": the write and
 * permissions-management actions it allows that could name resources. */
static void check_write_on_star(lint_ctx *c, const lstmt *s)
{
    if (s->not_action || s->not_resource || !s->any_star_resource || s->condition || !s->resource)
        return;
    const lres *star = NULL;
    for (uint32_t k = 0; k < s->nres && !star; k++)
        if (s->res[k].star)
            star = &s->res[k];
    size_t n = 0, perm = 0;
    char examples[300] = "";
    size_t elen = 0, shown = 0;
    for (uint32_t k = 0; k < s->nacts; k++) {
        const lact *a = &s->acts[k];
        if (a->all) {
            lint_add(c, "write-on-all-resources", star->v->start, "list the actions and resources needed",
                     "Action \"*\" on Resource \"*\" grants every action on everything, writes and permissions management included");
            return;
        }
        for (size_t i = 0; i < a->nids; i++) {
            const igcat_action *act = &c->cat->act[a->ids[i]];
            if (!(act->access & (IG_ACCESS_WRITE | IG_ACCESS_PERMISSIONS)) || !act->rt_count)
                continue;
            n++;
            perm += (act->access & IG_ACCESS_PERMISSIONS) != 0;
            if (shown < 3 && elen < sizeof examples) {
                char name[160];
                elen += (size_t)snprintf(examples + elen, sizeof examples - elen, "%s%s",
                                         shown ? ", " : "", lint_action_name(c, a->ids[i], name, sizeof name));
                shown++;
            }
        }
    }
    if (!n)
        return;
    lint_add(c, "write-on-all-resources", star->v->start,
             "list the resources the actions may change instead of \"*\"",
             "Resource \"*\" lets %zu write action%s (%zu of permissions management) change any resource, though %s can be limited to resources: %s%s",
             n, n == 1 ? "" : "s", perm, n == 1 ? "it" : "they", examples, n > shown ? ", ..." : "");
}

static bool has_wildcard(const char *s, size_t n)
{
    return memchr(s, '*', n) || memchr(s, '?', n) || memmem(s, n, "${", 2);
}

static bool all_wildcard(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '*' && s[i] != '?')
            return false;
    return true;
}


/* Services whose resources other accounts can open to the caller with a
 * resource policy: a wildcard account reaches those. */
static bool cross_account_service(const char *s, size_t n)
{
    static const char *const svcs[] = {
        "sqs", "sns", "lambda", "kms", "secretsmanager", "ecr", "events", "kinesis",
        "dynamodb", "glacier", "backup", "s3express",
    };
    for (size_t i = 0; i < sizeof svcs / sizeof svcs[0]; i++)
        if (strlen(svcs[i]) == n && !memcmp(svcs[i], s, n))
            return true;
    return false;
}

static void check_tenants(lint_ctx *c, const lstmt *s)
{
    if (s->not_resource || lint_pins_resource_owner(s))
        return;
    for (uint32_t k = 0; k < s->nres; k++) {
        const lres *r = &s->res[k];
        if (r->star)
            continue;
        igcat_arn_parts p;
        igcat_split_arn(r->s, r->n, &p);
        if (p.n < 6)
            continue;
        bool s3 = p.len[2] == 2 && !memcmp(p.seg[2], "s3", 2) && p.len[4] == 0;
        if (s3) {
            const char *slash = memchr(p.seg[5], '/', p.len[5]);
            size_t bl = slash ? (size_t)(slash - p.seg[5]) : p.len[5];
            if (has_wildcard(p.seg[5], bl) && !all_wildcard(p.seg[5], bl))
                lint_add(c, "cross-tenant-wildcard", r->v->start,
                         "add \"StringEquals\": {\"s3:ResourceAccount\": \"YOUR-ACCOUNT-ID\"}, or name the bucket exactly",
                         "\"%s\" matches buckets of every AWS account (bucket names are global): anyone can create a bucket with a matching name and have this statement act on it",
                         r->s);
            continue;
        }
        if (!has_wildcard(p.seg[4], p.len[4]) || !lint_names_something(p.seg[5], p.len[5]))
            continue;
        bool assume = p.len[2] == 3 && !memcmp(p.seg[2], "iam", 3) && p.len[5] > 5 &&
                      !memcmp(p.seg[5], "role/", 5) && lint_entry_covering(s, "sts:AssumeRole");
        if (cross_account_service(p.seg[2], p.len[2]) || assume)
            lint_add(c, "cross-tenant-wildcard", r->v->start,
                     "put your account id in the ARN, or add a condition on aws:ResourceAccount",
                     "\"%s\" has a wildcard account: it matches resources of that name in every AWS account that opens them to you",
                     r->s);
    }
}

void lint_check_security(lint_ctx *c)
{
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        if (s->deny)
            continue;
        check_not_elements(c, s);
        check_passrole(c, s);
        check_write_on_star(c, s);
        check_tenants(c, s);
    }
}

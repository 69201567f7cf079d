/* exposure.c - grants that hand out what is worth stealing or that let
 * the holder widen its own rights: data reads on every resource (secrets,
 * KMS decryption, objects, parameters, tables), actions that create or
 * return credentials, and rights to rewrite a resource policy (the holder
 * can then grant itself, or anyone, the rest).  The action lists are ours;
 * docs/lint.md compares them with parliament's. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint/lint_int.h"

typedef struct {
    const char *action;
    const char *gives;
} named_action;

static const named_action SENSITIVE[] = {
    { "s3:GetObject", "object contents" },
    { "s3:GetObjectVersion", "old object versions" },
    { "secretsmanager:GetSecretValue", "secret values" },
    { "secretsmanager:BatchGetSecretValue", "secret values" },
    { "kms:Decrypt", "decryption with every key" },
    { "ssm:GetParameter", "parameters, SecureString ones decrypted" },
    { "ssm:GetParameters", "parameters, SecureString ones decrypted" },
    { "ssm:GetParametersByPath", "parameters, SecureString ones decrypted" },
    { "ssm:GetParameterHistory", "past parameter values" },
    { "dynamodb:GetItem", "table items" },
    { "dynamodb:BatchGetItem", "table items" },
    { "dynamodb:Query", "table items" },
    { "dynamodb:Scan", "whole tables" },
};

/* Role assumption (sts:AssumeRole*) is left out: trust policies govern it,
 * and cross-tenant-wildcard reports role ARNs any account can match. */
static const named_action CREDENTIALS[] = {
    { "iam:CreateAccessKey", "access keys for other users" },
    { "iam:UpdateAccessKey", "reactivated access keys" },
    { "iam:CreateLoginProfile", "console passwords" },
    { "iam:UpdateLoginProfile", "console passwords" },
    { "iam:CreateServiceSpecificCredential", "service credentials (CodeCommit, Keyspaces)" },
    { "iam:ResetServiceSpecificCredential", "service credentials (CodeCommit, Keyspaces)" },
    { "sts:GetFederationToken", "federated-user credentials" },
    { "redshift:GetClusterCredentials", "database passwords" },
    { "redshift:GetClusterCredentialsWithIAM", "database passwords" },
    { "redshift-serverless:GetCredentials", "database passwords" },
    { "rds-db:connect", "database logins" },
    { "ecr:GetAuthorizationToken", "registry tokens" },
    { "codepipeline:PollForJobs", "job credentials" },
    { "cognito-identity:GetOpenIdToken", "identity tokens" },
    { "cognito-identity:GetOpenIdTokenForDeveloperIdentity", "identity tokens" },
    { "cognito-identity:GetCredentialsForIdentity", "AWS credentials" },
    { "cognito-idp:DescribeUserPoolClient", "app client secrets" },
    { "cognito-idp:AssociateSoftwareToken", "MFA secrets" },
    { "connect:GetFederationToken", "federation tokens" },
    { "gamelift:RequestUploadCredentials", "upload credentials" },
    { "lightsail:GetInstanceAccessDetails", "instance login keys" },
    { "lightsail:GetRelationalDatabaseMasterUserPassword", "database passwords" },
    { "sso:GetRoleCredentials", "role credentials" },
    { "mediapackage:RotateIngestEndpointCredentials", "ingest credentials" },
};

/* Actions that change who may use a resource: its resource policy, ACL or
 * grants. */
static const char *const POLICY_WRITERS[] = {
    "s3:PutBucketPolicy", "s3:PutBucketAcl", "s3:PutObjectAcl", "s3:PutAccessPointPolicy",
    "sqs:SetQueueAttributes", "sqs:AddPermission", "sns:SetTopicAttributes", "sns:AddPermission",
    "lambda:AddPermission", "lambda:AddLayerVersionPermission", "kms:PutKeyPolicy", "kms:CreateGrant",
    "secretsmanager:PutResourcePolicy", "ecr:SetRepositoryPolicy", "ecr-public:SetRepositoryPolicy",
    "glacier:SetVaultAccessPolicy", "events:PutPermission", "logs:PutResourcePolicy",
    "backup:PutBackupVaultAccessPolicy", "glue:PutResourcePolicy", "iam:UpdateAssumeRolePolicy",
    "elasticfilesystem:PutFileSystemPolicy", "dynamodb:PutResourcePolicy", "kinesis:PutResourcePolicy",
    "codeartifact:PutRepositoryPermissionsPolicy", "ram:CreateResourceShare",
    "es:UpdateElasticsearchDomainConfig", "es:UpdateDomainConfig", "mediastore:PutContainerPolicy",
    "s3express:PutBucketPolicy", "s3tables:PutTableBucketPolicy", "apigateway:UpdateRestApiPolicy",
};

static uint32_t find(lint_ctx *c, const char *action)
{
    return ig_catalog_action_find(c->cat, action, strlen(action));
}

/* A resource entry that names every resource the action can act on, or
 * NULL. */
static const lres *broad_resource(lint_ctx *c, const lstmt *s, uint32_t id)
{
    const igcat_action *a = &c->cat->act[id];
    for (uint32_t ri = 0; ri < s->nres; ri++) {
        const lres *r = &s->res[ri];
        if (r->star)
            return r;
        if (!lint_res_every_of_type(r))
            continue;
        for (uint32_t k = 0; k < a->rt_count; k++)
            if (lint_res_matches_rtype(c, s, ri, c->cat->art[a->rt_first + k].rtype))
                return r;
    }
    return NULL;
}

/* Conditions other than weak ones may narrow the grant: leave it. */
static bool unconditioned(const lstmt *s)
{
    return !s->condition || lint_conds_all_weak(s);
}

static void list_add(char *buf, size_t cap, size_t *n, unsigned *count, const char *item)
{
    if (*count < 4 && *n < cap) {
        int w = snprintf(buf + *n, cap - *n, "%s%s", *count ? ", " : "", item);
        if (w > 0)
            *n += (size_t)w;
    } else if (*count == 4 && *n < cap) {
        int w = snprintf(buf + *n, cap - *n, ", ...");
        if (w > 0)
            *n += (size_t)w;
    }
    (*count)++;
}

static void check_sensitive(lint_ctx *c, const lstmt *s)
{
    char acts[300] = "", gives[300] = "";
    size_t an = 0, gn = 0;
    unsigned count = 0, gcount = 0;
    const lres *at = NULL;
    for (size_t i = 0; i < sizeof SENSITIVE / sizeof SENSITIVE[0]; i++) {
        uint32_t id = find(c, SENSITIVE[i].action);
        const lact *e = id == IG_CATALOG_NONE ? NULL : lint_entry_covering(s, SENSITIVE[i].action);
        if (!e || e->all)
            continue;
        const lres *r = broad_resource(c, s, id);
        if (!r)
            continue;
        if (!at)
            at = r;
        list_add(acts, sizeof acts, &an, &count, SENSITIVE[i].action);
        if (!strstr(gives, SENSITIVE[i].gives))
            list_add(gives, sizeof gives, &gn, &gcount, SENSITIVE[i].gives);
    }
    if (at)
        lint_add(c, "sensitive-data-access", at->v->start,
                 "name the buckets, secrets, keys, parameters or tables the principal needs",
                 "\"%s\" lets %s reach every resource of their kind (%s), in this account and any that opens its resources to you",
                 at->s, acts, gives);
}

static void check_credentials(lint_ctx *c, const lstmt *s)
{
    char acts[300] = "", gives[300] = "";
    size_t an = 0, gn = 0;
    unsigned count = 0, gcount = 0;
    const lact *at = NULL;
    for (size_t i = 0; i < sizeof CREDENTIALS / sizeof CREDENTIALS[0]; i++) {
        uint32_t id = find(c, CREDENTIALS[i].action);
        const lact *e = id == IG_CATALOG_NONE ? NULL : lint_entry_covering(s, CREDENTIALS[i].action);
        if (!e || e->all || !broad_resource(c, s, id))
            continue;
        if (!at)
            at = e;
        list_add(acts, sizeof acts, &an, &count, CREDENTIALS[i].action);
        if (!strstr(gives, CREDENTIALS[i].gives))
            list_add(gives, sizeof gives, &gn, &gcount, CREDENTIALS[i].gives);
    }
    if (at)
        lint_add(c, "credentials-exposure", at->v->start,
                 "limit the actions to the caller's own user (\"arn:aws:iam::ACCOUNT:user/${aws:username}\") or to named resources",
                 "\"%s\" allows %s on every resource: it creates or returns credentials (%s) that work outside this policy",
                 at->s, acts, gives);
}

/* "*" or "s3:*" for s3:PutBucketPolicy: whoever holds it has the
 * service already (write-on-all-resources and the like report that). */
static bool service_wide(const lact *a, const char *writer)
{
    size_t svc_len = (size_t)(strchr(writer, ':') - writer);
    return a->all || (a->n == svc_len + 2 && !strncasecmp(a->s, writer, svc_len) && !memcmp(a->s + svc_len, ":*", 2));
}

/* Whether the policy already allows every action of the writer's service
 * (then rewriting the resource policy gains nothing), or an unconditional
 * Deny on every resource takes the writer away. */
static bool escalation_moot(lint_ctx *c, const char *writer)
{
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        if (s->condition || s->not_action)
            continue;
        if (s->deny) {
            if (s->any_star_resource && lint_entry_covering(s, writer))
                return true;
            continue;
        }
        if (!s->any_star_resource)
            continue;
        for (uint32_t k = 0; k < s->nacts; k++)
            if (service_wide(&s->acts[k], writer))
                return true;
    }
    return false;
}

static void check_identity_escalation(lint_ctx *c, const lstmt *s)
{
    if (s->not_action)
        return;
    char acts[300] = "";
    size_t an = 0;
    unsigned count = 0;
    const lact *at = NULL;
    for (size_t i = 0; i < sizeof POLICY_WRITERS / sizeof POLICY_WRITERS[0]; i++) {
        uint32_t id = find(c, POLICY_WRITERS[i]);
        const lact *e = id == IG_CATALOG_NONE ? NULL : lint_entry_covering(s, POLICY_WRITERS[i]);
        if (!e || service_wide(e, POLICY_WRITERS[i]) || !lint_action_reachable(c, s, id) ||
            escalation_moot(c, POLICY_WRITERS[i]))
            continue;
        if (!at)
            at = e;
        list_add(acts, sizeof acts, &an, &count, POLICY_WRITERS[i]);
    }
    if (at)
        lint_add(c, "resource-policy-escalation", at->v->start,
                 "leave resource policies to an administrator role, or deny these actions",
                 "\"%s\" allows %s: the holder can rewrite the resource policy (or ACL, or grants) of the resources and give itself, or anyone, the actions this policy does not",
                 at->s, acts);
}

/* A resource policy that lets principals other than whole accounts
 * rewrite it (an account principal delegates to that account's IAM). */
static void check_resource_escalation(lint_ctx *c, const lstmt *s)
{
    if (s->not_action || !s->st)
        return;
    bool others = s->st->principal_mode == ELEM_NOT;
    for (uint32_t i = 0; i < s->st->nprincipals && !others; i++)
        others = s->st->principals[i].kind != PE_ACCOUNT;
    if (!others)
        return;
    for (size_t i = 0; i < sizeof POLICY_WRITERS / sizeof POLICY_WRITERS[0]; i++) {
        const lact *e = lint_entry_covering(s, POLICY_WRITERS[i]);
        if (!e)
            continue;
        lint_add(c, "resource-policy-escalation", e->v->start,
                 "grant policy changes only to the owning account (its IAM decides who), or drop the action",
                 "\"%s\" lets the principals of this statement change this resource's policy (%s): they can grant themselves, or anyone, everything on it",
                 e->s, POLICY_WRITERS[i]);
        return;
    }
}

void lint_check_exposure(lint_ctx *c)
{
    bool identity = c->o->type == IG_POLICY_IDENTITY || c->o->type == IG_POLICY_SESSION;
    bool resource = c->o->type == IG_POLICY_RESOURCE;
    for (uint32_t i = 0; i < c->nstmts; i++) {
        const lstmt *s = &c->stmts[i];
        if (s->deny || s->not_resource)
            continue;
        if (identity && unconditioned(s)) {
            check_sensitive(c, s);
            check_credentials(c, s);
        }
        if (identity)
            check_identity_escalation(c, s);
        else if (resource)
            check_resource_escalation(c, s);
    }
}

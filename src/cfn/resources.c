/* resources.c - what CloudFormation calls each resource and what its Ref
 * and Fn::GetAtt return.
 *
 * The IAM types are modelled completely (their property names are checked,
 * so a misspelt PolicyDocument is an error rather than a missing policy).
 * A few other types that IAM policies commonly point at (buckets, queues,
 * topics, functions, tables, log groups, keys, streams) are modelled for
 * their name and ARN only; the Ref and attributes of any other type are
 * named placeholders ({{Fn::GetAtt Cluster.Arn}}), noted where used.
 *
 * Names CloudFormation generates are `<stack>-<LogicalId>-<SUFFIX>`, where
 * the real SUFFIX is random; iamguard derives it from the stack name and
 * logical id instead (docs/cfn.md), so results are reproducible. */
#include <stdio.h>
#include <string.h>

#include "cfn/cfn_int.h"

typedef enum { REF_NAME = 0, REF_ARN, REF_URL, REF_GENERATED } ref_kind;
typedef enum { A_ARN = 0, A_NAME, A_ID, A_URL } attr_kind;

typedef struct {
    const char *attr;
    attr_kind kind;
} attr_def;

struct cfn_res_type {
    const char *type;
    cfn_res_kind kind;
    const char *name_prop;          /* property holding the physical name */
    size_t name_max;                /* generated names are cut to this */
    bool lower;                     /* names are lowercase (S3) */
    ref_kind ref;
    const char *arn_fmt;            /* %P partition, %R region, %A account, %H path, %N name */
    const char *url_fmt;
    const char *id_prefix;          /* unique-id attributes (AROA...) */
    const char *const *props;       /* known properties, NULL = not checked */
    attr_def attrs[4];
};

static const char *const MANAGED_POLICY_PROPS[] = {
    "Description", "Groups", "ManagedPolicyName", "Path", "PolicyDocument", "Roles", "Users", NULL };
static const char *const POLICY_PROPS[] = {
    "Groups", "PolicyDocument", "PolicyName", "Roles", "Users", NULL };
static const char *const ROLE_PROPS[] = {
    "AssumeRolePolicyDocument", "Description", "ManagedPolicyArns", "MaxSessionDuration", "Path",
    "PermissionsBoundary", "Policies", "RoleName", "Tags", NULL };
static const char *const USER_PROPS[] = {
    "Groups", "LoginProfile", "ManagedPolicyArns", "Path", "PermissionsBoundary", "Policies",
    "Tags", "UserName", NULL };
static const char *const GROUP_PROPS[] = {
    "GroupName", "ManagedPolicyArns", "Path", "Policies", NULL };
static const char *const ROLE_POLICY_PROPS[] = { "PolicyDocument", "PolicyName", "RoleName", NULL };
static const char *const USER_POLICY_PROPS[] = { "PolicyDocument", "PolicyName", "UserName", NULL };
static const char *const GROUP_POLICY_PROPS[] = { "GroupName", "PolicyDocument", "PolicyName", NULL };
static const char *const USER_TO_GROUP_PROPS[] = { "GroupName", "Users", NULL };
static const char *const INSTANCE_PROFILE_PROPS[] = { "InstanceProfileName", "Path", "Roles", NULL };

static const cfn_res_type TYPES[] = {
    { "AWS::IAM::ManagedPolicy", RES_MANAGED_POLICY, "ManagedPolicyName", 128, false, REF_ARN,
      "arn:%P:iam::%A:policy%H%N", NULL, "ANPA", MANAGED_POLICY_PROPS,
      { { "PolicyArn", A_ARN }, { "PolicyId", A_ID } } },
    { "AWS::IAM::Policy", RES_POLICY, NULL, 64, false, REF_GENERATED, NULL, NULL, NULL,
      POLICY_PROPS, { { NULL, A_ARN } } },
    { "AWS::IAM::Role", RES_ROLE, "RoleName", 64, false, REF_NAME,
      "arn:%P:iam::%A:role%H%N", NULL, "AROA", ROLE_PROPS,
      { { "Arn", A_ARN }, { "RoleId", A_ID } } },
    { "AWS::IAM::User", RES_USER, "UserName", 64, false, REF_NAME,
      "arn:%P:iam::%A:user%H%N", NULL, "AIDA", USER_PROPS, { { "Arn", A_ARN } } },
    { "AWS::IAM::Group", RES_GROUP, "GroupName", 128, false, REF_NAME,
      "arn:%P:iam::%A:group%H%N", NULL, "AGPA", GROUP_PROPS, { { "Arn", A_ARN } } },
    { "AWS::IAM::RolePolicy", RES_ROLE_POLICY, NULL, 64, false, REF_GENERATED, NULL, NULL, NULL,
      ROLE_POLICY_PROPS, { { NULL, A_ARN } } },
    { "AWS::IAM::UserPolicy", RES_USER_POLICY, NULL, 64, false, REF_GENERATED, NULL, NULL, NULL,
      USER_POLICY_PROPS, { { NULL, A_ARN } } },
    { "AWS::IAM::GroupPolicy", RES_GROUP_POLICY, NULL, 64, false, REF_GENERATED, NULL, NULL, NULL,
      GROUP_POLICY_PROPS, { { NULL, A_ARN } } },
    { "AWS::IAM::UserToGroupAddition", RES_USER_TO_GROUP, NULL, 64, false, REF_GENERATED, NULL,
      NULL, NULL, USER_TO_GROUP_PROPS, { { NULL, A_ARN } } },
    { "AWS::IAM::InstanceProfile", RES_INSTANCE_PROFILE, "InstanceProfileName", 128, false,
      REF_NAME, "arn:%P:iam::%A:instance-profile%H%N", NULL, "AIPA", INSTANCE_PROFILE_PROPS,
      { { "Arn", A_ARN } } },
    { "AWS::S3::Bucket", RES_NAMED, "BucketName", 63, true, REF_NAME, "arn:%P:s3:::%N", NULL,
      NULL, NULL, { { "Arn", A_ARN } } },
    { "AWS::SNS::Topic", RES_NAMED, "TopicName", 256, false, REF_ARN,
      "arn:%P:sns:%R:%A:%N", NULL, NULL, NULL, { { "TopicArn", A_ARN }, { "TopicName", A_NAME } } },
    { "AWS::SQS::Queue", RES_NAMED, "QueueName", 80, false, REF_URL, "arn:%P:sqs:%R:%A:%N",
      "https://sqs.%R.%U/%A/%N", NULL, NULL,
      { { "Arn", A_ARN }, { "QueueName", A_NAME }, { "QueueUrl", A_URL } } },
    { "AWS::Lambda::Function", RES_NAMED, "FunctionName", 64, false, REF_NAME,
      "arn:%P:lambda:%R:%A:function:%N", NULL, NULL, NULL, { { "Arn", A_ARN } } },
    { "AWS::DynamoDB::Table", RES_NAMED, "TableName", 255, false, REF_NAME,
      "arn:%P:dynamodb:%R:%A:table/%N", NULL, NULL, NULL, { { "Arn", A_ARN } } },
    { "AWS::Logs::LogGroup", RES_NAMED, "LogGroupName", 512, false, REF_NAME,
      "arn:%P:logs:%R:%A:log-group:%N:*", NULL, NULL, NULL, { { "Arn", A_ARN } } },
    { "AWS::KMS::Key", RES_NAMED, NULL, 36, false, REF_NAME, "arn:%P:kms:%R:%A:key/%N", NULL,
      NULL, NULL, { { "Arn", A_ARN }, { "KeyId", A_NAME } } },
    { "AWS::Kinesis::Stream", RES_NAMED, "Name", 128, false, REF_NAME,
      "arn:%P:kinesis:%R:%A:stream/%N", NULL, NULL, NULL, { { "Arn", A_ARN } } },
    /* Secrets Manager appends "-" and six random characters to the name. */
    { "AWS::SecretsManager::Secret", RES_NAMED, "Name", 256, false, REF_ARN,
      "arn:%P:secretsmanager:%R:%A:secret:%N-%S", NULL, NULL, NULL, { { "Id", A_ARN } } },
    { "AWS::StepFunctions::StateMachine", RES_NAMED, "StateMachineName", 80, false, REF_ARN,
      "arn:%P:states:%R:%A:stateMachine:%N", NULL, NULL, NULL,
      { { "Arn", A_ARN }, { "Name", A_NAME } } },
    { "AWS::Events::EventBus", RES_NAMED, "Name", 256, false, REF_NAME,
      "arn:%P:events:%R:%A:event-bus/%N", NULL, NULL, NULL,
      { { "Arn", A_ARN }, { "Name", A_NAME } } },
    { "AWS::Events::Rule", RES_NAMED, "Name", 64, false, REF_NAME,
      "arn:%P:events:%R:%A:rule/%N", NULL, NULL, NULL, { { "Arn", A_ARN } } },
    { "AWS::ECR::Repository", RES_NAMED, "RepositoryName", 256, true, REF_NAME,
      "arn:%P:ecr:%R:%A:repository/%N", NULL, NULL, NULL, { { "Arn", A_ARN } } },
    { "AWS::CodeBuild::Project", RES_NAMED, "Name", 150, false, REF_NAME,
      "arn:%P:codebuild:%R:%A:project/%N", NULL, NULL, NULL, { { "Arn", A_ARN } } },
    { "AWS::KinesisFirehose::DeliveryStream", RES_NAMED, "DeliveryStreamName", 64, false,
      REF_NAME, "arn:%P:firehose:%R:%A:deliverystream/%N", NULL, NULL, NULL,
      { { "Arn", A_ARN } } },
};

void cfn_res_classify(cfn_res *r)
{
    r->rt = NULL;
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (!strcmp(TYPES[i].type, r->type))
            r->rt = &TYPES[i];
}

cfn_res_kind cfn_res_get_kind(const cfn_res *r)
{
    return r->rt ? r->rt->kind : RES_OTHER;
}

const char *cfn_res_kind_name(cfn_res_kind k)
{
    for (size_t i = 0; i < sizeof TYPES / sizeof TYPES[0]; i++)
        if (TYPES[i].kind == k)
            return TYPES[i].type;
    return "resource";
}

bool cfn_res_check_props(cfn_ctx *c, cfn_res *r)
{
    if (!r->rt || !r->rt->props || !r->props)
        return true;
    for (uint32_t i = 0; i < r->props->len; i++) {
        const json_member *m = &r->props->u.members[i];
        bool known = false;
        for (const char *const *k = r->rt->props; *k && !known; k++)
            known = !strcmp(*k, m->key);
        if (!known)
            return cfn_fail(c, m->key_start, "unknown property \"%.80s\" of %s", m->key, r->type);
    }
    return true;
}

/* ---- generated names ------------------------------------------------------ */

static uint64_t fnv64(const char *a, const char *b, const char *salt)
{
    uint64_t h = 14695981039346656037ull;
    const char *parts[3] = { a, b, salt };
    for (int i = 0; i < 3; i++) {
        for (const char *s = parts[i]; *s; s++) {
            h ^= (unsigned char)*s;
            h *= 1099511628211ull;
        }
        h ^= 0xff;                  /* separator: ("ab","c") differs from ("a","bc") */
        h *= 1099511628211ull;
    }
    return h;
}

/* n characters of [0-9A-Z] (or lowercase) drawn from h; splitmix64 steps
 * spread every bit of the hash over every character. */
static void base36(uint64_t h, char *out, size_t n, bool lower)
{
    const char *digits = lower ? "0123456789abcdefghijklmnopqrstuvwxyz"
                               : "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (size_t i = 0; i < n; i++) {
        h += 0x9e3779b97f4a7c15ull;
        uint64_t z = h;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        out[i] = digits[z % 36];
    }
    out[n] = '\0';
}

const char *cfn_generated_name(cfn_ctx *c, const char *logical_id, size_t max, bool lower)
{
    char suffix[13], buf[600];
    base36(fnv64(c->stack_name, logical_id, "name"), suffix, 12, lower);
    size_t stack = strlen(c->stack_name), id = strlen(logical_id);
    if (max < 30)
        max = 30;
    /* Cut the logical id first, then the stack name, as CloudFormation
     * does to stay within the type's name length. */
    while (stack + id + 14 > max && id > 1)
        id--;
    while (stack + id + 14 > max && stack > 1)
        stack--;
    if (stack > 255)
        stack = 255;
    if (id > 255)
        id = 255;
    snprintf(buf, sizeof buf, "%.*s-%.*s-%s", (int)stack, c->stack_name, (int)id, logical_id,
             suffix);
    if (lower)
        for (char *s = buf; *s; s++)
            if (*s >= 'A' && *s <= 'Z')
                *s = (char)(*s + 32);
    return cfn_strdup(c, buf, strlen(buf));
}

/* AROA... style unique ids: a prefix and 17 characters. */
static const char *unique_id(cfn_ctx *c, const cfn_res *r)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%s", r->rt->id_prefix);
    base36(fnv64(c->stack_name, r->id, "id"), buf + 4, 17, false);
    return cfn_strdup(c, buf, strlen(buf));
}

/* A KMS key id has the shape of a UUID. */
static const char *key_id(cfn_ctx *c, const cfn_res *r)
{
    char hex[33], buf[40];
    uint64_t a = fnv64(c->stack_name, r->id, "key"), b = fnv64(r->id, c->stack_name, "key");
    snprintf(hex, sizeof hex, "%016llx%016llx", (unsigned long long)a, (unsigned long long)b);
    snprintf(buf, sizeof buf, "%.8s-%.4s-4%.3s-8%.3s-%.12s", hex, hex + 8, hex + 12, hex + 15,
             hex + 18);
    return cfn_strdup(c, buf, strlen(buf));
}

/* Expand %P %R %A %U %H %N, and %S: six characters derived like generated
 * names (a secret's ARN ends in six random ones). */
static const char *format(cfn_ctx *c, const char *fmt, const cfn_res *r)
{
    char six[7];
    json_buf b;
    json_buf_init(&b);
    for (const char *f = fmt; *f; f++) {
        if (*f != '%' || !f[1]) {
            json_buf_append(&b, f, 1);
            continue;
        }
        const char *s = "";
        switch (*++f) {
        case 'P': s = c->partition; break;
        case 'R': s = c->region; break;
        case 'A': s = c->account; break;
        case 'U': s = c->url_suffix; break;
        case 'H': s = r->path; break;
        case 'N': s = r->name; break;
        case 'S':
            base36(fnv64(c->stack_name, r->id, "suffix"), six, 6, false);
            s = six;
            break;
        }
        json_buf_puts(&b, s);
    }
    const char *out = b.failed ? NULL : cfn_strdup(c, b.data, b.len);
    json_buf_free(&b);
    return out;
}

static bool valid_iam_name(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              strchr("+=,.@_-", *s)))
            return false;
    return true;
}

static bool is_iam(const cfn_res *r)
{
    return !strncmp(r->type, "AWS::IAM::", 10);
}

/* Resolve one naming property; NULL (no error) when it is absent. */
static bool name_prop(cfn_ctx *c, cfn_res *r, const char *prop, const char **out)
{
    *out = NULL;
    const json_value *v = r->props ? json_get(r->props, prop) : NULL;
    if (!v)
        return true;
    size_t old = cfn_path_key(c, prop);
    json_value x;
    int rc = cfn_resolve(c, v, &x);
    if (rc < 0)
        return false;
    if (rc == 1) {
        if (x.kind != JSON_STRING)
            return cfn_fail(c, v->start, "%s must be a string, got %s", prop,
                            json_kind_name(x.kind));
        *out = x.u.str;
    }
    cfn_path_set(c, old);
    return true;
}

static bool compute_names(cfn_ctx *c, cfn_res *r, size_t at)
{
    const cfn_res_type *rt = r->rt;
    const char *name = NULL, *path = NULL;
    if (rt->name_prop && !name_prop(c, r, rt->name_prop, &name))
        return false;
    /* A name built from a placeholder is checked when it is known. */
    if (name && !cfn_is_placeholder(name) && (!*name || strlen(name) > rt->name_max ||
                 (is_iam(r) && !valid_iam_name(name))))
        return cfn_fail(c, json_get(r->props, rt->name_prop)->start,
                        "%s \"%.80s\" is not a valid name (1 to %zu of A-Z a-z 0-9 +=,.@_-)",
                        rt->name_prop, name, rt->name_max);
    for (size_t i = 0; !name && c->given && i < c->given->nnames; i++) {
        const char *kv = c->given->names[i];
        size_t n = strlen(r->id);
        if (kv && !strncmp(kv, r->id, n) && kv[n] == '=' && kv[n + 1])
            name = kv + n + 1;
    }
    if (!name)
        name = rt->kind == RES_NAMED && !strcmp(r->type, "AWS::KMS::Key")
                   ? key_id(c, r) : cfn_generated_name(c, r->id, rt->name_max, rt->lower);
    if (is_iam(r) && !name_prop(c, r, "Path", &path))
        return false;
    if (path && (path[0] != '/' || path[strlen(path) - 1] != '/' || strlen(path) > 512))
        return cfn_fail(c, json_get(r->props, "Path")->start,
                        "Path \"%.80s\" must begin and end with /", path);
    r->name = name;
    r->path = path ? path : "/";
    r->arn = rt->arn_fmt && name ? format(c, rt->arn_fmt, r) : NULL;
    if (!name || (rt->arn_fmt && !r->arn))
        return cfn_fail_code(c, IG_E_NOMEM, at, "out of memory");
    return true;
}

bool cfn_res_names(cfn_ctx *c, cfn_res *r, size_t at)
{
    if (r->name_state == 2)
        return true;
    if (!r->rt)
        return cfn_fail(c, at, "cannot resolve a reference to %s: iamguard does not model "
                        "resources of type %.100s", r->id, r->type);
    if (r->name_state == 1)
        return cfn_fail(c, at, "the name of %s depends on itself", r->id);
    if (c->chain >= CFN_MAX_REF_CHAIN)
        return cfn_fail_code(c, IG_E_LIMIT, at, "references nested more than %u deep",
                             CFN_MAX_REF_CHAIN);
    /* Diagnostics about the name point into the named resource. */
    char saved[CFN_PATH_MAX];
    size_t savedlen = c->pathlen;
    memcpy(saved, c->path, savedlen + 1);
    cfn_path_set(c, 0);
    cfn_path_key(c, "Resources");
    cfn_path_key(c, r->id);
    cfn_path_key(c, "Properties");
    c->chain++;
    r->name_state = 1;
    bool ok = compute_names(c, r, at);
    c->chain--;
    if (!ok)
        return false;
    r->name_state = 2;
    memcpy(c->path, saved, savedlen + 1);
    c->pathlen = savedlen;
    return true;
}

static bool attr_value(cfn_ctx *c, cfn_res *r, attr_kind k, size_t at, json_value *out)
{
    const char *s = NULL;
    switch (k) {
    case A_ARN:  s = r->arn; break;
    case A_NAME: s = r->name; break;
    case A_ID:   s = unique_id(c, r); break;
    case A_URL:  s = r->rt->url_fmt ? format(c, r->rt->url_fmt, r) : NULL; break;
    }
    if (!s)
        return cfn_fail_code(c, IG_E_NOMEM, at, "out of memory");
    return cfn_string_value(c, s, strlen(s), (uint32_t)at, (uint32_t)at, out);
}

/* A resource of a type iamguard does not model: its Ref and attributes
 * are named placeholders. */
static bool unmodelled(cfn_ctx *c, cfn_res *r, const char *attr, size_t at, json_value *out)
{
    char what[300], why[200];
    if (attr)
        snprintf(what, sizeof what, "Fn::GetAtt %.120s.%.120s", r->id, attr);
    else
        snprintf(what, sizeof what, "Ref %.120s", r->id);
    if (r->rt)
        snprintf(why, sizeof why, "an attribute of %.100s that iamguard does not model", r->type);
    else
        snprintf(why, sizeof why, "%s of %.100s, a type iamguard does not model",
                 attr ? "an attribute" : "the Ref", r->type);
    json_value site = { .start = (uint32_t)at, .end = (uint32_t)at };
    return cfn_placeholder(c, &site, what, why, out) == 1;
}

bool cfn_res_ref(cfn_ctx *c, cfn_res *r, size_t at, json_value *out)
{
    if (!r->rt)
        return unmodelled(c, r, NULL, at, out);
    if (!cfn_res_names(c, r, at))
        return false;
    switch (r->rt->ref) {
    case REF_ARN: return attr_value(c, r, A_ARN, at, out);
    case REF_URL: return attr_value(c, r, A_URL, at, out);
    default:      return attr_value(c, r, A_NAME, at, out);
    }
}

bool cfn_res_getatt(cfn_ctx *c, cfn_res *r, const char *attr, size_t at, json_value *out)
{
    if (!r->rt)
        return unmodelled(c, r, attr, at, out);
    if (!cfn_res_names(c, r, at))
        return false;
    for (size_t i = 0; i < sizeof r->rt->attrs / sizeof r->rt->attrs[0]; i++) {
        const attr_def *a = &r->rt->attrs[i];
        if (a->attr && !strcmp(a->attr, attr))
            return attr_value(c, r, a->kind, at, out);
    }
    return unmodelled(c, r, attr, at, out);
}

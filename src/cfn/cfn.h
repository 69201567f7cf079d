/* cfn.h - IAM policies and principals read out of CloudFormation templates.
 *
 * A template (YAML or JSON) is loaded, its intrinsic functions are resolved
 * to the values CloudFormation would produce (Ref, Fn::Sub, Fn::GetAtt,
 * Fn::Join, Fn::Select, Fn::Split, Fn::If with Conditions, Fn::FindInMap,
 * parameters with their defaults or given values, pseudo parameters
 * AWS::AccountId/Region/Partition/StackName/URLSuffix), and the IAM
 * resources it declares are exposed with the ARNs CloudFormation would
 * give them.  What is wrong (a Ref to a resource that is not in the
 * template, a cycle) is an error naming the resource and
 * the path inside it.  Values that cannot be known offline (a parameter
 * without a value, Fn::ImportValue, an attribute of a type iamguard does not
 * model) become named placeholders, and each is reported as a note. */
#ifndef IG_CFN_H
#define IG_CFN_H

#include "iamguard.h"
#include "json/json.h"

typedef struct {
    const char *account;      /* default "123456789012" */
    const char *region;       /* default "us-east-1" */
    const char *partition;    /* default "aws" */
    const char *stack_name;   /* default "iamguard-stack" */
    /* Parameter overrides, "Name=Value" strings. */
    const char *const *parameters;
    size_t nparameters;
    /* Physical names for resources whose name CloudFormation would
     * generate (no name property): "LogicalId=Name" strings.  A resource
     * that names itself keeps its name. */
    const char *const *names;
    size_t nnames;
} cfn_params;

typedef enum {
    CFN_MANAGED_POLICY = 0,   /* AWS::IAM::ManagedPolicy */
    CFN_INLINE_POLICY,        /* AWS::IAM::Policy, or Policies[] of a role/user/group */
    CFN_ROLE_TRUST,           /* AssumeRolePolicyDocument of an AWS::IAM::Role */
    CFN_RESOURCE_POLICY       /* a bucket, queue, topic, key or secret policy
                                 (only in cfn_template.resource_policies) */
} cfn_policy_kind;

typedef struct {
    cfn_policy_kind kind;
    const char *logical_id;   /* the resource that declares it */
    const char *name;         /* ManagedPolicyName / PolicyName / generated name;
                                 trust policies: "LogicalId.AssumeRolePolicyDocument";
                                 resource policies: "LogicalId.PolicyDocument" (or
                                 .KeyPolicy, .ResourcePolicy) */
    const char *arn;          /* managed policies: arn:PART:iam::ACCT:policy/PATH/NAME */
    const json_value *document;   /* resolved document (positions in the template) */
    /* Principals outside the template the policy is attached to (its
     * Roles/Users/Groups name no resource of the template): "role/NAME",
     * "user/NAME" or "group/NAME". */
    const char **external_principals;
    size_t nexternal_principals;
} cfn_policy;

typedef enum { CFN_ROLE = 0, CFN_USER, CFN_GROUP } cfn_principal_kind;

typedef struct {
    cfn_principal_kind kind;
    const char *logical_id;
    const char *name;         /* RoleName/UserName/GroupName, or a generated name */
    const char *arn;
    size_t *policies;         /* indexes into cfn_template.policies: inline and
                                 attached managed policies of this template */
    size_t npolicies;
    const char **external_policy_arns;   /* ManagedPolicyArns not in the template */
    size_t nexternal;
    const char *boundary_arn;            /* PermissionsBoundary, or NULL */
    long boundary_policy;                /* index of the boundary in policies, or -1 */
    long trust_policy;                   /* CFN_ROLE_TRUST index, or -1 */
    const char **groups;                 /* users: group logical ids */
    size_t ngroups;
} cfn_principal;

/* What the reader could not know, or what CloudFormation itself would not
 * deploy, with where it is.  A template with notes is still read: the
 * values it could not know are placeholders written {{...}}
 * ("{{MyParam}}", "{{Fn::ImportValue Shared-Arn}}",
 * "{{Fn::GetAtt Cluster.Arn}}") that policies are analysed with as they
 * stand. */
typedef enum {
    CFN_NOTE_PLACEHOLDER = 0,  /* an unresolved value (parameter, import, attribute) */
    CFN_NOTE_UNDEPLOYABLE      /* a macro or Rain directive: not deployable as is */
} cfn_note_kind;

typedef struct {
    cfn_note_kind kind;
    unsigned line, column;
    const char *msg;          /* "Resources.X.Properties...: <what>" */
} cfn_note;

typedef struct cfn_template {
    char *file;
    char *text;
    size_t len;
    cfn_policy *policies;
    size_t npolicies;
    cfn_principal *principals;
    size_t nprincipals;
    /* Resource policies (S3 bucket, SQS queue, SNS topic policies, KMS key
     * policies, Secrets Manager resource policies): kept apart from
     * `policies`, which hold what principals of the account are given. */
    cfn_policy *resource_policies;
    size_t nresource_policies;
    cfn_note *notes;
    size_t nnotes;
    bool deployable;          /* false: a CFN_NOTE_UNDEPLOYABLE note says why */
    void *internal;           /* docs and arenas owned by the template */
} cfn_template;

/* Load a template from a file.  Returns IG_OK or a negative code with *diag
 * set (file:line:column of the offending node). */
int cfn_load_file(const char *path, const cfn_params *params, cfn_template **out,
                  ig_diag *diag);
int cfn_load_text(const char *text, size_t len, const char *file,
                  const cfn_params *params, cfn_template **out, ig_diag *diag);
void cfn_free(cfn_template *t);

/* True when a resolved string holds a placeholder ({{...}}). */
bool cfn_is_placeholder(const char *s);

/* Find a policy by ARN, ManagedPolicyName/PolicyName, logical id of a
 * policy resource, or "LogicalId.PolicyName" for an inline policy of a
 * role/user/group (a role's trust policy is "LogicalId.AssumeRolePolicyDocument",
 * a resource policy "LogicalId.PolicyDocument" or "LogicalId.KeyPolicy"). */
const cfn_policy *cfn_find_policy(const cfn_template *t, const char *name);

/* Compile a template policy as the given type (positions refer to the
 * template file).  Caller frees with ig_policy_free. */
ig_policy *cfn_compile_policy(const cfn_template *t, const cfn_policy *p,
                              ig_policy_type type, ig_diag *diag);

#endif

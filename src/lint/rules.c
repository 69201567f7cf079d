/* rules.c - every finding code lint can report, with its severity.
 * Codes are stable: tools filter on them and docs/lint.md documents each.
 * Append new ones; never rename or reuse a code. */
#include <string.h>

#include "lint/lint.h"

const lint_rule LINT_RULES[] = {
    /* the document */
    { "syntax-error", LINT_ERROR, "the file is not valid JSON (or YAML)", "Correct the JSON (or YAML) at the position given: a trailing comma, a missing quote or bracket." },
    { "policy-grammar", LINT_ERROR, "the JSON is not a valid IAM policy", "Follow the message: an unknown element, a wrong Effect, a Principal where the policy type forbids it, a value of the wrong type. docs/semantics.md section 1 has the grammar." },
    { "template-error", LINT_ERROR, "a CloudFormation template that cannot be read or resolved", "The message names the resource and the path inside it; give missing parameter values with --parameter NAME=VALUE." },
    { "policy-size", LINT_ERROR, "the policy exceeds the size quota of its type", "Split the policy, merge statements with the same effect, or use wildcards. Quotas count characters without whitespace; inline policies of a principal count together." },
    { "missing-version", LINT_WARNING, "no Version: the 2008-10-17 language applies", "Add \"Version\": \"2012-10-17\"; without it IAM reads ${...} literally." },
    { "old-version", LINT_SUGGESTION, "Version 2008-10-17 has no policy variables", "Use \"Version\": \"2012-10-17\"." },
    { "invalid-sid", LINT_ERROR, "a Sid has characters other than A-Z, a-z and 0-9", "Keep only letters and digits in the Sid." },
    { "duplicate-sid", LINT_ERROR, "two statements share a Sid", "Give each statement its own Sid." },
    { "variable-not-allowed", LINT_ERROR, "a policy variable where IAM does not substitute it", "Write the action, principal, key or service literally: IAM does not substitute variables there." },
    { "variable-in-old-version", LINT_WARNING, "a policy variable in a policy without Version 2012-10-17 is literal text", "Add \"Version\": \"2012-10-17\" so that the variable is substituted." },
    { "policy-type-restriction", LINT_ERROR, "an element or value this policy type does not allow", "Follow the message: resource control policies take Deny statements for Principal \"*\" on the services RCPs cover." },
    { "invalid-arn", LINT_ERROR, "a resource that is neither \"*\" nor an ARN", "Write the resource's full ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE) or \"*\"." },
    { "unresolved-resource", LINT_WARNING, "a template resource known only at deploy time, so not checked as an ARN", "Build the ARN with Fn::Sub or Fn::GetAtt ...Arn, or give the value with --parameter NAME=VALUE; a Ref that yields a name or id is refused by IAM." },
    /* actions */
    { "unknown-service", LINT_ERROR, "no AWS service has this prefix", "Correct the service prefix; the message suggests the nearest one." },
    { "unknown-action", LINT_ERROR, "the service has no action of this name", "Correct the action name; the message suggests the nearest one. IAM ignores actions that do not exist." },
    { "action-pattern-no-match", LINT_ERROR, "an action pattern that matches no action", "Correct the pattern (iamguard catalog --expand PATTERN lists what it matches)." },
    { "redundant-action", LINT_SUGGESTION, "an action entry that another entry already covers", "Remove the entry that another entry covers." },
    /* resources */
    { "action-resource-mismatch", LINT_WARNING, "no listed resource matches the action's resource types", "Add a Resource entry of the action's resource type (iamguard catalog --action NAME), or move the action to a statement whose resources fit." },
    { "resource-matches-no-action", LINT_WARNING, "a resource that no action of the statement acts on", "Correct the ARN (often its resource type) or add the action that acts on it." },
    { "redundant-resource", LINT_SUGGESTION, "a resource entry that another entry already covers", "Remove the entry that another entry covers." },
    /* conditions */
    { "unknown-condition-key", LINT_WARNING, "no service defines this condition key", "Correct the key name; the message suggests the nearest one." },
    { "condition-key-unsupported", LINT_WARNING, "no action of the statement supports this condition key", "Test a key the statement's actions send; a positive test of this one is never true." },
    { "condition-type-mismatch", LINT_WARNING, "the operator does not fit the key's type", "Use an operator for the key's type; the message lists them." },
    { "forallvalues-single-valued", LINT_SECURITY_WARNING, "ForAllValues on a single-valued key", "Drop ForAllValues: on a single-valued key it is true when the key is absent." },
    { "foranyvalue-single-valued", LINT_WARNING, "ForAnyValue on a single-valued key", "Drop ForAnyValue: the key has one value." },
    { "multivalued-without-qualifier", LINT_WARNING, "a plain operator on a multivalued key", "Use ForAnyValue: or ForAllValues: with a key that has several values." },
    { "forallvalues-without-null", LINT_SECURITY_WARNING, "ForAllValues in an Allow without a Null guard: true when the key is absent", "Add \"Null\": {\"KEY\": \"false\"} so that requests without the key do not match." },
    /* statements */
    { "deny-never-matches", LINT_WARNING, "a Deny statement that no request can match", "List resources the actions act on, or test a key the actions send, so that the Deny applies." },
    { "allow-shadowed-by-deny", LINT_WARNING, "an Allow statement that a Deny of the same policy always overrides", "Remove the Allow, or narrow the Deny that always overrides it." },
    { "redundant-statement", LINT_SUGGESTION, "a statement that another statement already covers", "Remove the statement that another one covers." },
    /* security */
    { "allow-not-action", LINT_SECURITY_WARNING, "Allow with NotAction grants every other action, new ones included", "List the allowed actions in Action, or turn the statement into a Deny with NotAction." },
    { "allow-not-resource", LINT_SECURITY_WARNING, "Allow with NotResource grants every other resource", "List the allowed resources in Resource." },
    { "passrole-wildcard-resource", LINT_SECURITY_WARNING, "iam:PassRole allowed on every role", "List the roles the principal may pass." },
    { "passrole-without-service", LINT_SECURITY_WARNING, "iam:PassRole allowed without an iam:PassedToService condition", "Add \"StringEquals\": {\"iam:PassedToService\": \"SERVICE.amazonaws.com\"}." },
    { "write-on-all-resources", LINT_SECURITY_WARNING, "write or permissions-management actions allowed on Resource \"*\"", "List the resources the write actions may change instead of \"*\"." },
    { "cross-tenant-wildcard", LINT_SECURITY_WARNING, "a wildcard that reaches resources of other AWS accounts", "Name the account in the ARN, or add a condition on aws:ResourceAccount (s3:ResourceAccount for S3)." },
    /* appended later: account exports and the checks of issue 15 */
    { "export-error", LINT_ERROR, "an account authorization export that cannot be read as such", "Export again with `aws iam get-account-authorization-details`, or correct the entry at the position given." },
    { "broad-grant-weak-condition", LINT_SECURITY_WARNING, "a broad grant whose conditions do not restrict who can use it", "Narrow the actions and resources: transport, user agent, time, region, MFA \"false\" and IfExists on absent keys do not limit who uses the grant. To require MFA, deny with BoolIfExists aws:MultiFactorAuthPresent \"false\"." },
    { "mfa-condition-not-enforced", LINT_SECURITY_WARNING, "an MFA condition that does not require MFA", "Require MFA with \"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"} in an Allow, or a Deny with \"BoolIfExists\" ... \"false\"." },
    { "all-resources-of-type", LINT_SECURITY_WARNING, "an ARN that names every resource of its type in every account", "Name the account, the region and the resources, or narrow them with a condition on aws:ResourceAccount or tags." },
    { "sensitive-data-access", LINT_SECURITY_WARNING, "reads of secrets, decryption keys or stored data allowed on every resource", "Name the buckets, secrets, keys, parameters or tables the principal needs." },
    { "credentials-exposure", LINT_SECURITY_WARNING, "actions that create or return credentials allowed broadly", "Limit credential actions to the caller's own user (user/${aws:username}) or to named resources." },
    { "resource-policy-escalation", LINT_SECURITY_WARNING, "a grant that lets its holder rewrite a resource policy and give itself more", "Leave resource policies to an administrator role; in a resource policy, give policy changes only to the owning account." },
};

const size_t LINT_RULE_COUNT = sizeof LINT_RULES / sizeof LINT_RULES[0];

const lint_rule *lint_rule_find(const char *code)
{
    for (size_t i = 0; i < LINT_RULE_COUNT; i++)
        if (!strcmp(LINT_RULES[i].code, code))
            return &LINT_RULES[i];
    return NULL;
}

static const char *const SEVERITY_NAMES[LINT_SEVERITY_COUNT] = {
    "suggestion", "warning", "security-warning", "error",
};

const char *lint_severity_name(lint_severity s)
{
    return (unsigned)s < LINT_SEVERITY_COUNT ? SEVERITY_NAMES[s] : "unknown";
}

bool lint_severity_parse(const char *s, lint_severity *out)
{
    for (int i = 0; i < LINT_SEVERITY_COUNT; i++)
        if (!strcmp(s, SEVERITY_NAMES[i])) {
            *out = (lint_severity)i;
            return true;
        }
    return false;
}

/* rules.c - every finding code lint can report, with its severity.
 * Codes are stable: tools filter on them and docs/lint.md documents each.
 * Append new ones; never rename or reuse a code. */
#include <string.h>

#include "lint/lint.h"

const lint_rule LINT_RULES[] = {
    /* the document */
    { "syntax-error", LINT_ERROR, "the file is not valid JSON (or YAML)" },
    { "policy-grammar", LINT_ERROR, "the JSON is not a valid IAM policy" },
    { "template-error", LINT_ERROR, "a CloudFormation template that cannot be read or resolved" },
    { "policy-size", LINT_ERROR, "the policy exceeds the size quota of its type" },
    { "missing-version", LINT_WARNING, "no Version: the 2008-10-17 language applies" },
    { "old-version", LINT_SUGGESTION, "Version 2008-10-17 has no policy variables" },
    { "invalid-sid", LINT_ERROR, "a Sid has characters other than A-Z, a-z and 0-9" },
    { "duplicate-sid", LINT_ERROR, "two statements share a Sid" },
    { "variable-not-allowed", LINT_ERROR, "a policy variable where IAM does not substitute it" },
    { "variable-in-old-version", LINT_WARNING, "a policy variable in a policy without Version 2012-10-17 is literal text" },
    { "policy-type-restriction", LINT_ERROR, "an element or value this policy type does not allow" },
    { "invalid-arn", LINT_ERROR, "a resource that is neither \"*\" nor an ARN" },
    /* actions */
    { "unknown-service", LINT_ERROR, "no AWS service has this prefix" },
    { "unknown-action", LINT_ERROR, "the service has no action of this name" },
    { "action-pattern-no-match", LINT_ERROR, "an action pattern that matches no action" },
    { "redundant-action", LINT_SUGGESTION, "an action entry that another entry already covers" },
    /* resources */
    { "action-resource-mismatch", LINT_WARNING, "no listed resource matches the action's resource types" },
    { "resource-matches-no-action", LINT_WARNING, "a resource that no action of the statement acts on" },
    { "redundant-resource", LINT_SUGGESTION, "a resource entry that another entry already covers" },
    /* conditions */
    { "unknown-condition-key", LINT_WARNING, "no service defines this condition key" },
    { "condition-key-unsupported", LINT_WARNING, "no action of the statement supports this condition key" },
    { "condition-type-mismatch", LINT_WARNING, "the operator does not fit the key's type" },
    { "forallvalues-single-valued", LINT_SECURITY_WARNING, "ForAllValues on a single-valued key" },
    { "foranyvalue-single-valued", LINT_WARNING, "ForAnyValue on a single-valued key" },
    { "multivalued-without-qualifier", LINT_WARNING, "a plain operator on a multivalued key" },
    { "forallvalues-without-null", LINT_SECURITY_WARNING, "ForAllValues in an Allow without a Null guard: true when the key is absent" },
    /* statements */
    { "deny-never-matches", LINT_WARNING, "a Deny statement that no request can match" },
    { "allow-shadowed-by-deny", LINT_WARNING, "an Allow statement that a Deny of the same policy always overrides" },
    { "redundant-statement", LINT_SUGGESTION, "a statement that another statement already covers" },
    /* security */
    { "allow-not-action", LINT_SECURITY_WARNING, "Allow with NotAction grants every other action, new ones included" },
    { "allow-not-resource", LINT_SECURITY_WARNING, "Allow with NotResource grants every other resource" },
    { "passrole-wildcard-resource", LINT_SECURITY_WARNING, "iam:PassRole allowed on every role" },
    { "passrole-without-service", LINT_SECURITY_WARNING, "iam:PassRole allowed without an iam:PassedToService condition" },
    { "write-on-all-resources", LINT_SECURITY_WARNING, "write or permissions-management actions allowed on Resource \"*\"" },
    { "cross-tenant-wildcard", LINT_SECURITY_WARNING, "a wildcard that reaches resources of other AWS accounts" },
    /* appended later: account exports and the checks of issue 15 */
    { "export-error", LINT_ERROR, "an account authorization export that cannot be read as such" },
    { "broad-grant-weak-condition", LINT_SECURITY_WARNING, "a broad grant whose conditions do not restrict who can use it" },
    { "mfa-condition-not-enforced", LINT_SECURITY_WARNING, "an MFA condition that does not require MFA" },
    { "all-resources-of-type", LINT_SECURITY_WARNING, "an ARN that names every resource of its type in every account" },
    { "sensitive-data-access", LINT_SECURITY_WARNING, "reads of secrets, decryption keys or stored data allowed on every resource" },
    { "credentials-exposure", LINT_SECURITY_WARNING, "actions that create or return credentials allowed broadly" },
    { "resource-policy-escalation", LINT_SECURITY_WARNING, "a grant that lets its holder rewrite a resource policy and give itself more" },
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

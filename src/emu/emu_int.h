/* emu_int.h - what the files of the IAM emulator share: the database
 * handle, one call in progress (caller, parameters, reply), and the helpers
 * every operation uses to read parameters, authorize and answer. */
#ifndef IG_EMU_INT_H
#define IG_EMU_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "emu/emu.h"
#include "serve/form.h"
#include "serve/xml.h"
#include "util/arena.h"

#define EMU_IAM_XMLNS "https://iam.amazonaws.com/doc/2010-05-08/"
#define EMU_STS_XMLNS "https://sts.amazonaws.com/doc/2011-06-15/"
#define EMU_MAX_POLICIES 256        /* policies governing one caller */
#define EMU_MAX_CONTEXT 96

struct emu {
    sqlite3 *db;
    pthread_mutex_t mu;         /* one call at a time on the connection */
    char account[16];
    unsigned max_skew_s;
    char created_id[32], created_secret[64];
};

/* ---- database (db.c) ---- */
int emu_db_open(emu *e, const emu_options *o, ig_diag *diag);
/* Begin / commit / roll back one transaction; write transactions take the
 * write lock at once (BEGIN IMMEDIATE) so what an authorization read cannot
 * change before the write. */
int emu_db_begin(emu *e, bool write);
int emu_db_commit(emu *e);
void emu_db_rollback(emu *e);

/* ---- ids, secrets, time (ids.c) ---- */
/* PREFIX + n characters of [A-Z2-7]; false when no randomness is at hand. */
bool emu_random_id(const char *prefix, size_t n, char *out, size_t cap);
/* n characters of [A-Za-z0-9+/]. */
bool emu_random_secret(size_t n, char *out, size_t cap);
void emu_iso_time(time_t t, char out[32]);              /* 2024-01-02T03:04:05Z */

/* ---- the authenticated caller (auth.c) ---- */
typedef enum { CALLER_ROOT = 0, CALLER_USER, CALLER_ROLE_SESSION } caller_kind;

typedef struct {
    caller_kind kind;
    char key_id[136];
    char arn[1200];             /* user ARN with path, or the session ARN */
    char name[72];              /* user name or role name */
    char session[72];           /* role session name */
    char unique_id[160];        /* AIDA..., AROA...:session, or the account */
    char *session_policy;       /* call arena; NULL when none */
    long long issued, expires;  /* role sessions */
    char region[64];            /* from the credential scope */
    char service[32];           /* "iam" or "sts", from the credential scope */
} emu_caller;

/* ---- one call ---- */
typedef struct emu_call emu_call;
typedef struct emu_authz emu_authz;

struct emu_call {
    emu *e;
    const serve_http_request *http;
    const char *body;           /* as signed */
    size_t body_len;
    serve_reply *r;
    form f;
    ig_arena arena;             /* everything of this call */
    emu_caller caller;
    const char *action;         /* the Query API Action */
    bool sts;
    time_t now;
    emu_authz *authz;           /* the caller's policies, built on first use */
    bool failed;                /* an error reply has been written */
};

/* Error replies (errors.c).  Each returns false so operations can write
 * `return emu_error(...)`. */
bool emu_error(emu_call *c, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
bool emu_db_error(emu_call *c);             /* 500 ServiceFailure */
bool emu_no_such(emu_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool emu_exists(emu_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool emu_conflict(emu_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool emu_limit(emu_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool emu_invalid(emu_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A call outside HTTP (offline.c): begin, then end turns an error reply
 * into a diagnostic and frees everything; returns IG_OK when `ok`. */
void emu_offline_begin(emu *e, emu_call *c, serve_reply *r);
int emu_offline_end(emu_call *c, serve_reply *r, bool ok, ig_diag *diag);

/* Call-arena strings. */
char *emu_strdup(emu_call *c, const char *s);
char *emu_printf(emu_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- parameters (params.c): AWS's constraints, AWS's messages ---- */
typedef enum {
    P_ANY = 0,      /* no pattern beyond length */
    P_NAME,         /* [\w+=,.@-]+ */
    P_PATH,         /* / or /.../ of printable ASCII */
    P_PATH_PREFIX,  /* \u002F[\u0021-\u007F]* */
    P_DOCUMENT,     /* [\u0009\u000A\u000D\u0020-\u00FF]+ */
    P_DESCRIPTION,
    P_ARN,
    P_VERSION_ID,   /* v[1-9][0-9]*(\.[A-Za-z0-9-]*)? */
    P_ACCESS_KEY_ID,/* [\w]+ */
    P_TAG_KEY,
    P_TAG_VALUE,
} param_pattern;

/* The parameter or NULL (absent); false after a ValidationError reply. */
bool emu_param(emu_call *c, const char *name, bool required, size_t min, size_t max,
               param_pattern pat, const char **out);
/* Whole numbers in [min, max]; *out keeps its value when absent. */
bool emu_param_int(emu_call *c, const char *name, long min, long max, long *out);
bool emu_param_bool(emu_call *c, const char *name, bool *out);
/* Name.member.N lists (N from 1, none missing) of strings. */
bool emu_param_list(emu_call *c, const char *name, size_t max, size_t min_len, size_t max_len,
                    param_pattern pat, const char ***out, size_t *n);

typedef struct {
    const char *key, *value;
} emu_tag;
/* Tags.member.N.Key / .Value, at most 50, keys unique ignoring case. */
bool emu_param_tags(emu_call *c, const char *name, emu_tag **out, size_t *n);
/* MaxItems (1..1000, default 100) and Marker (an offset we handed out). */
bool emu_param_paging(emu_call *c, long *max_items, long *start);
/* Unused parameters are an error: a typo must never silently change what a
 * call does (AWS's clients never send parameters an operation lacks). */
bool emu_params_done(emu_call *c);

/* A policy document parameter that compiles for `type`; otherwise
 * MalformedPolicyDocument with iamguard's diagnostic. */
bool emu_check_document(emu_call *c, const char *doc, ig_policy_type type);
/* Bytes of a policy other than JSON whitespace (how AWS counts quotas). */
size_t emu_policy_size(const char *doc);

/* ---- ARNs and names ---- */
const char *emu_arn(emu_call *c, const char *kind, const char *path, const char *name);
/* Split arn:aws:iam::ACCOUNT:policy/PATH/NAME; false when it is not one. */
bool emu_parse_policy_arn(emu_call *c, const char *arn, const char **account,
                          const char **path, const char **name);

/* ---- authorization (authz.c) ---- */
typedef struct {
    ig_context_entry e[EMU_MAX_CONTEXT];
    size_t n;
} emu_ctx;
void emu_ctx_add(emu_call *c, emu_ctx *x, const char *key, const char *value);
void emu_ctx_add_list(emu_call *c, emu_ctx *x, const char *key, const char *const *v, size_t n);
/* aws:RequestTag/K for each tag and aws:TagKeys. */
void emu_ctx_request_tags(emu_call *c, emu_ctx *x, const emu_tag *tags, size_t n);
/* aws:ResourceTag/K for each tag of an entity. */
bool emu_ctx_resource_tags(emu_call *c, emu_ctx *x, const char *kind, const char *owner);

/* Decide `action` on `resource` for the caller with the global keys AWS
 * adds to every request and `extra`; on a deny writes AccessDenied in AWS's
 * words and returns false.  `resource_policy` (a role's trust policy) may be
 * NULL.  The caller's policies are compiled once per call (c->authz). */
bool emu_authorize(emu_call *c, const char *action, const char *resource, const emu_ctx *extra,
                   const ig_policy *resource_policy);
void emu_authz_free(emu_authz *a);

/* The policies that govern a principal, compiled (principal.c). */
typedef struct {
    ig_env *env;
    ig_policy *owned[EMU_MAX_POLICIES];
    size_t nowned;
    char boundary_arn[2100];
    emu_tag *tags;
    size_t ntags;
    char error[600];            /* why it cannot be evaluated */
} emu_principal;
/* Build the environment of the entity (`kind` "user" or "role"; NULL for
 * the account root) calling as `principal_arn`.  0, -1 after a database
 * error (reply written), -2 when a stored policy cannot be evaluated (the
 * reason in p->error: callers deny, never allow, because of it). */
int emu_principal_load(emu_call *c, const char *kind, const char *name,
                       const char *principal_arn, emu_principal *p);
int emu_principal_add_session(emu_call *c, emu_principal *p, const char *doc);
void emu_principal_free(emu_principal *p);
/* The default version's document of a managed policy; NULL when absent. */
const char *emu_policy_document(emu_call *c, const char *arn, bool *db_failed);

/* ---- responses (respond.c) ---- */
/* <ActionResponse xmlns><ActionResult> ... ; `result` false for calls AWS
 * answers with ResponseMetadata only. */
void emu_begin(emu_call *c, xml_writer *w, bool result);
void emu_end(emu_call *c, xml_writer *w);
/* End a List* response: close the list element, say whether it was cut at
 * max_items (n is how many were found, one more than max when there are
 * more) with the Marker of the next page, then emu_end.  !c->failed. */
bool emu_end_list(emu_call *c, xml_writer *w, long n, long max, long start);
/* A policy document as AWS returns it: URL-encoded JSON. */
void emu_xml_document(xml_writer *w, const char *name, const char *doc);
void emu_xml_time(xml_writer *w, const char *name, long long t);
/* An answer of its own (no result element): ResponseMetadata only. */
bool emu_ok_empty(emu_call *c);

/* ---- SigV4 (auth.c) ---- */
/* Authenticate the call; writes AWS's error reply and returns false on
 * failure.  `body` is what was signed. */
bool emu_authenticate(emu_call *c, const char *body, size_t len);
/* Whether a SigV4 credential scope's region is one AWS accepts for the
 * service (iam: the partition's global region; sts: any region of the
 * partition, its regional endpoints).  The emulator is partition aws. */
bool emu_region_valid(const char *service, const char *region);

/* ---- SQL (sql.c) ----
 * Bind types in `types`: 's' text (NULL binds NULL), 'i' long long.
 * Failures write a 500 ServiceFailure reply. */
sqlite3_stmt *emu_sql(emu_call *c, const char *sql, const char *types, ...);
/* SQLITE_ROW or SQLITE_DONE; -1 after a database error (reply written). */
int emu_step(emu_call *c, sqlite3_stmt *st);
/* Run a statement that returns no rows. */
bool emu_exec(emu_call *c, const char *sql, const char *types, ...);
/* Column i as a call-arena string; NULL for SQL NULL. */
const char *emu_col(emu_call *c, sqlite3_stmt *st, int i);
long long emu_col_int(sqlite3_stmt *st, int i);
/* How many rows a COUNT(*)-like query returns in its first column; -1 on error. */
long long emu_count(emu_call *c, const char *sql, const char *types, ...);

/* ---- operations (ops_*.c) ---- */
typedef struct {
    const char *name;           /* Query API Action */
    bool sts;                   /* STS (2011-06-15) rather than IAM */
    bool write;                 /* one write transaction */
    bool (*run)(emu_call *c);
} emu_op;

const emu_op *emu_find_op(const char *action);

bool op_create_role(emu_call *c);
bool op_get_role(emu_call *c);
bool op_delete_role(emu_call *c);
bool op_list_roles(emu_call *c);
bool op_update_role(emu_call *c);
bool op_update_role_description(emu_call *c);
bool op_update_assume_role_policy(emu_call *c);
bool op_put_role_permissions_boundary(emu_call *c);
bool op_delete_role_permissions_boundary(emu_call *c);

bool op_tag_entity(emu_call *c);
bool op_untag_entity(emu_call *c);
bool op_list_entity_tags(emu_call *c);

bool op_put_inline_policy(emu_call *c);
bool op_get_inline_policy(emu_call *c);
bool op_delete_inline_policy(emu_call *c);
bool op_list_inline_policies(emu_call *c);
bool op_attach_policy(emu_call *c);
bool op_detach_policy(emu_call *c);
bool op_list_attached_policies(emu_call *c);

bool op_create_policy(emu_call *c);
bool op_get_policy(emu_call *c);
bool op_delete_policy(emu_call *c);
bool op_list_policies(emu_call *c);
bool op_create_policy_version(emu_call *c);
bool op_get_policy_version(emu_call *c);
bool op_delete_policy_version(emu_call *c);
bool op_list_policy_versions(emu_call *c);
bool op_set_default_policy_version(emu_call *c);

bool op_create_user(emu_call *c);
bool op_get_user(emu_call *c);
bool op_delete_user(emu_call *c);
bool op_list_users(emu_call *c);
bool op_update_user(emu_call *c);
bool op_put_user_permissions_boundary(emu_call *c);
bool op_delete_user_permissions_boundary(emu_call *c);
bool op_create_group(emu_call *c);
bool op_get_group(emu_call *c);
bool op_delete_group(emu_call *c);
bool op_list_groups(emu_call *c);
bool op_add_user_to_group(emu_call *c);
bool op_remove_user_from_group(emu_call *c);
bool op_list_groups_for_user(emu_call *c);

bool op_create_access_key(emu_call *c);
bool op_delete_access_key(emu_call *c);
bool op_update_access_key(emu_call *c);
bool op_list_access_keys(emu_call *c);
bool op_create_login_profile(emu_call *c);
bool op_update_login_profile(emu_call *c);
bool op_get_login_profile(emu_call *c);
bool op_delete_login_profile(emu_call *c);

bool op_create_instance_profile(emu_call *c);
bool op_get_instance_profile(emu_call *c);
bool op_delete_instance_profile(emu_call *c);
bool op_list_instance_profiles(emu_call *c);
bool op_add_role_to_instance_profile(emu_call *c);
bool op_remove_role_from_instance_profile(emu_call *c);
bool op_list_instance_profiles_for_role(emu_call *c);

bool op_get_account_authorization_details(emu_call *c);
bool op_simulate_principal_policy(emu_call *c);

bool op_assume_role(emu_call *c);
bool op_get_caller_identity(emu_call *c);

#endif

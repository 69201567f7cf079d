/* lint_int.h - what the lint checks share: the policy being linted, its
 * statements with the JSON nodes they came from (for positions) and the
 * catalog entries their actions resolve to. */
#ifndef IG_LINT_INT_H
#define IG_LINT_INT_H

#include "catalog/catalog_int.h"
#include "lint/lint.h"
#include "policy/policy_int.h"
#include "util/arena.h"

/* One entry of Action/NotAction. */
typedef struct {
    const json_value *v;
    const char *s;              /* as written */
    size_t n;
    bool wildcard;              /* has '*' or '?' */
    bool all;                   /* exactly "*" */
    bool known;                 /* names an action, or matches at least one */
    uint32_t *ids;              /* the actions it matches (not for "*") */
    size_t nids;
} lact;

/* One entry of Resource/NotResource. */
typedef struct {
    const json_value *v;
    const char *s;
    size_t n;
    bool star;                  /* exactly "*" */
} lres;

typedef struct {
    const json_value *obj;
    const ig_stmt *st;
    const json_member *sid, *effect, *action, *resource, *principal, *condition;
    bool deny, not_action, not_resource;
    lact *acts;
    uint32_t nacts;
    lres *res;
    uint32_t nres;
    bool actions_known;         /* every action entry resolved */
    bool any_star_resource;
} lstmt;

typedef struct {
    const lint_options *o;
    const ig_catalog *cat;
    const char *text;
    size_t len;
    const char *file;
    lint_report *r;
    const json_value *root;
    ig_policy *pol;
    lstmt *stmts;
    uint32_t nstmts;
    ig_arena arena;
    const uint32_t *line_starts;
    size_t nlines;
    /* resource x resource-type intersections of the current statement */
    uint64_t *rt_known, *rt_match;
    uint32_t *rt_touched;
    size_t nrt_touched;
    const lstmt *rt_stmt;
} lint_ctx;

/* Add a finding at byte `offset` of the text.  fix may be NULL. */
void lint_add(lint_ctx *c, const char *code, size_t offset, const char *fix,
              const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Whether resource entry ri of s can name a resource of type rt. */
bool lint_res_matches_rtype(lint_ctx *c, const lstmt *s, uint32_t ri, uint32_t rt);
/* Whether the statement's resources can reach the action at all. */
bool lint_action_reachable(lint_ctx *c, const lstmt *s, uint32_t action);
/* "s3:GetObject" into buf. */
const char *lint_action_name(const lint_ctx *c, uint32_t action, char *buf, size_t cap);
/* Whether a condition of the statement tests `key` (case-insensitive). */
bool lint_stmt_tests_key(const lstmt *s, const char *key);

/* The action entry of the statement that covers `action`, or NULL. */
const lact *lint_entry_covering(const lstmt *s, const char *action);
/* Whether a condition pins the resource to an account or organization. */
bool lint_pins_resource_owner(const lstmt *s);
/* Whether a resource part names particular resources ("function:amplify-*")
 * rather than all of a type ("function:*"): text after the type. */
bool lint_names_something(const char *s, size_t n);
/* The same for a whole ARN, S3's bucket[/key] included. */
bool lint_arn_names_something(const igcat_arn_parts *p);
/* "*", or an ARN whose resource part names nothing: secret:* or user/ and a star. */
bool lint_res_every_of_type(const lres *r);
/* Whether a condition leaves the grant open to every caller: transport
 * (aws:SecureTransport), what the caller chooses (aws:UserAgent,
 * aws:Referer, the time, the region), MFA "false", or ...IfExists on a key
 * most requests do not carry. */
bool lint_cond_weak(const ig_cond *cd);
/* The statement has conditions and all of them are weak. */
bool lint_conds_all_weak(const lstmt *s);

/* Whether no action of the statement can carry the condition's key (so a
 * positive test of it is never true).  false when unsure. */
bool lint_key_never_sent(lint_ctx *c, const lstmt *s, const ig_cond *cd);

/* Pattern inclusion, decided conservatively: true only when every text
 * the pattern `a` matches is matched by `d` as well. */
bool lint_glob_subsumes(const char *d, size_t dn, const char *a, size_t an, bool icase);
bool lint_arn_subsumes(const char *d, size_t dn, const char *a, size_t an);

/* Fill fix with "did you mean \"X\"?" for an unknown action / service / key. */
bool lint_suggest_action(const lint_ctx *c, const char *s, size_t n, char *fix, size_t cap);
bool lint_suggest_service(const lint_ctx *c, const char *s, size_t n, char *fix, size_t cap);
bool lint_suggest_key(const lint_ctx *c, const char *key, char *fix, size_t cap);

void lint_check_document(lint_ctx *c);
void lint_check_actions(lint_ctx *c);
void lint_check_resources(lint_ctx *c);
void lint_check_conditions(lint_ctx *c);
void lint_check_statements(lint_ctx *c);
void lint_check_security(lint_ctx *c);
void lint_check_grants(lint_ctx *c);
void lint_check_exposure(lint_ctx *c);

#endif

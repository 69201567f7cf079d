/* lint.h - finding mistakes in IAM policies, with positions.
 *
 * A policy is compiled by the core first (its first grammar error is a
 * finding too), then checked against the service catalog: unknown
 * actions, resources no action of the statement acts on, condition keys
 * no action supports, operators that cannot work with a key's type,
 * statements that can never have an effect, and risky grants.  Every
 * finding has a stable code from the rule table (docs/lint.md), a
 * severity, a position and a message, and some have a fix. */
#ifndef IG_LINT_H
#define IG_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "iamguard.h"
#include "json/json.h"

/* In increasing order, so `severity >= threshold` selects. */
typedef enum {
    LINT_SUGGESTION = 0,
    LINT_WARNING,
    LINT_SECURITY_WARNING,
    LINT_ERROR,
    LINT_SEVERITY_COUNT
} lint_severity;

const char *lint_severity_name(lint_severity s);     /* "security-warning" */
bool lint_severity_parse(const char *s, lint_severity *out);

typedef struct {
    const char *code;           /* stable: "unknown-action" */
    lint_severity severity;
    const char *summary;        /* one line */
    const char *help;           /* how to fix it, a sentence or two (SARIF help) */
} lint_rule;

extern const lint_rule LINT_RULES[];
extern const size_t LINT_RULE_COUNT;
const lint_rule *lint_rule_find(const char *code);

typedef struct {
    const lint_rule *rule;
    const char *file;
    unsigned line, column;
    char *message;
    char *fix;                  /* NULL when there is none */
} lint_finding;

typedef struct {
    lint_finding *items;
    size_t n, cap;
    bool failed;                /* out of memory: findings are missing */
} lint_report;

void lint_report_init(lint_report *r);
void lint_report_free(lint_report *r);

typedef struct {
    const ig_catalog *cat;
    ig_policy_type type;        /* grammar and size quota */
    size_t max_size;            /* characters without whitespace; 0: the type's quota,
                                   LINT_NO_SIZE_LIMIT: none (AWS managed, or checked
                                   as an aggregate by the caller) */
    const char *what;           /* a name for the policy in messages ("" when none) */
    const char *quota_name;     /* what the size quota is of ("inline", "role trust");
                                   NULL: the policy type's name */
    const struct lint_lines *lines;     /* line starts of the text, when the caller
                                           lints many policies of one text; NULL */
    const char *label;          /* where the policy is, put before each message
                                   ("role/app inline policy s3"), or NULL */
} lint_options;

#define LINT_NO_SIZE_LIMIT ((size_t)-1)

/* The byte offsets where the lines of a text start, computed once for a
 * file with many policies (an account export). */
typedef struct lint_lines {
    const char *text;
    uint32_t *starts;
    size_t n;
} lint_lines;
bool lint_lines_index(lint_lines *l, const char *text, size_t len);
void lint_lines_free(lint_lines *l);

/* The size quota of a policy type, in characters without whitespace. */
size_t lint_default_max_size(ig_policy_type t);
/* A policy's size as IAM counts it: characters without whitespace
 * outside strings. */
size_t lint_policy_size(const json_value *root);

/* Whether a JSON document is an `aws iam get-account-authorization-details`
 * export (UserDetailList, GroupDetailList, RoleDetailList, Policies). */
bool lint_is_account_export(const json_value *root);
/* Lint every policy of such an export: customer managed policies (their
 * default version) with where they are attached, inline policies of users,
 * groups and roles (each principal's aggregate against its quota), role
 * trust policies; AWS managed policies without a size quota.  Positions
 * refer to `text`; documents stored as URL-encoded strings are reported at
 * the string.  Returns IG_OK or IG_E_NOMEM. */
int lint_account_export(const lint_options *o, const json_value *root, const char *text,
                        size_t len, const char *file, lint_report *r);

/* Lint the JSON text of one policy; `file` names it in findings (the
 * pointer is kept, so it must outlive the report).  Parse errors become
 * findings.  Returns IG_OK or IG_E_NOMEM. */
int lint_policy_text(const lint_options *o, const char *text, size_t len,
                     const char *file, lint_report *r);

/* Lint a policy that is `root` inside a larger document `text` (a
 * template, one line of a JSON Lines file); positions refer to `text`. */
int lint_policy_value(const lint_options *o, const json_value *root,
                      const char *text, size_t len, const char *file,
                      lint_report *r);

/* Add a finding that no policy check makes (a template error, an
 * unreadable line) at a line and column of `file`. */
void lint_report_add(lint_report *r, const char *code, const char *file,
                     unsigned line, unsigned column, const char *message);
/* Sort findings [from, n) by line and column, keeping the order of equals. */
void lint_report_sort(lint_report *r, size_t from);
/* Drop the findings whose code is in codes[0..n). */
void lint_report_drop(lint_report *r, const char *const *codes, size_t n);

/* Output.  Findings are written in report order. */
typedef enum { LINT_OUT_TEXT = 0, LINT_OUT_JSON, LINT_OUT_SARIF } lint_format;
void lint_write_text(const lint_report *r, bool color, json_buf *out);
void lint_write_json(const lint_report *r, json_buf *out);
typedef struct {
    const char *source_root;    /* URIs are made relative to it; NULL: the current directory */
    const char *help_base;      /* helpUri base, "…/docs/lint.md"; NULL: the built-in one */
} lint_sarif_options;
void lint_write_sarif(const lint_report *r, const lint_sarif_options *so, json_buf *out);

#endif

/* fix_doc.h - a policy document `iamguard fix` can edit: its statements as
 * fields, with the original text kept for every statement that is not
 * changed, so that the patched file differs from the original only where
 * an edit was made (docs/fix.md). */
#ifndef IG_FIX_DOC_H
#define IG_FIX_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "iamguard.h"
#include "json/json.h"

/* One condition entry: operator, key and values ("StringEquals",
 * "iam:PassedToService", ["lambda.amazonaws.com"]).  Operators keep their
 * qualifiers and suffix ("ForAnyValue:StringLike", "ArnEqualsIfExists"). */
typedef struct {
    char *op;
    char *key;
    char **values;
    size_t nvalues;
    bool value_scalar;          /* written as one string, not an array */
    bool *literal;              /* per value: written unquoted as in the original
                                   (true, 42); NULL: every value is a string */
} fx_cond;

/* The memory of one document: every string and array of an fx_doc and its
 * statements lives in it, so a clone is one allocation and a free is a few
 * (fix_doc.c).  Edits allocate from it; what they replace is freed with it. */
typedef struct fx_arena fx_arena;

typedef struct {
    char *sid;                  /* NULL: none */
    bool deny;
    bool not_action;            /* the list is NotAction */
    char **actions;
    size_t nactions;
    bool has_resource;          /* a Resource/NotResource element is present */
    bool not_resource;
    char **resources;
    size_t nresources;
    char *principal;            /* the Principal/NotPrincipal value as JSON text, or NULL */
    bool not_principal;
    fx_cond *conds;
    size_t nconds;
    bool action_scalar;         /* Action was one string, not an array */
    bool resource_scalar;
    /* Layout: where it was in the original text. */
    size_t start, end;          /* byte span of the statement object; 0, 0 when new */
    bool changed;               /* set by every edit: render it again */
    bool removed;               /* leave it out */
    fx_arena *arena;            /* the document's: where edits allocate */
} fx_stmt;

typedef struct {
    char *file;                 /* as shown in diagnostics and diffs */
    char *text;                 /* the original text */
    size_t len;
    fx_stmt *stmts;
    size_t nstmts;
    /* Layout of the original, for rendering in its style. */
    bool statement_scalar;      /* Statement was one object, not an array */
    size_t array_start, array_end;  /* span of the Statement value ([ ... ] or { ... }) */
    char indent[16];            /* one level of indentation ("  ", "    ", "\t") */
    unsigned stmt_depth;        /* indentation levels of a statement's "{" */
    bool compact;               /* the original is on one line: render compactly
                                   (also when its statements are one line each) */
    bool spaced;                /* compact with ", " and ": " rather than "," and ":" */
    bool crlf;                  /* lines end in "\r\n" */
    fx_arena *arena;
} fx_doc;

/* Parse a policy document (JSON).  Returns IG_OK, or IG_E_INPUT with *diag
 * (file:line:column) when it is not a policy this module can edit. */
int fx_doc_parse(const char *text, size_t len, const char *file, fx_doc *out, ig_diag *diag);
/* A deep copy (every string its own).  Returns IG_OK or IG_E_NOMEM. */
int fx_doc_clone(const fx_doc *src, fx_doc *dst);
void fx_doc_free(fx_doc *d);

/* The document as text: unchanged statements byte for byte as they were,
 * changed and new ones written in the document's style (indentation,
 * arrays vs. single strings where a list has one element and the
 * original used a string), removed ones left out with their comma.
 * Everything outside the Statement value is kept.  Caller frees with
 * free().  NULL when out of memory. */
char *fx_doc_render(const fx_doc *d, size_t *len);

/* Edits (each marks the statement changed, unless it changes nothing).
 * All return IG_OK or IG_E_NOMEM, or IG_E_INPUT for an index out of range
 * and for set_cond_op giving an entry the operator of another entry of its
 * key (one JSON key twice).  Set a field by hand (deny, removed,
 * principal, ...) and set `changed` too. */
int fx_stmt_add_action(fx_stmt *s, const char *action);        /* no duplicate */
int fx_stmt_remove_action(fx_stmt *s, size_t i);
int fx_stmt_set_resources(fx_stmt *s, const char *const *res, size_t n);
/* Add a condition entry; an entry of the same op and key gets the values
 * instead (no duplicates). */
int fx_stmt_add_cond(fx_stmt *s, const char *op, const char *key, const char *const *vals, size_t n);
int fx_stmt_set_cond_op(fx_stmt *s, size_t i, const char *op);
int fx_stmt_set_cond_values(fx_stmt *s, size_t i, const char *const *vals, size_t n);
/* Insert a new, empty statement at index `at` (nstmts: append); returns it
 * through *out (valid until the next insert). */
int fx_doc_insert_stmt(fx_doc *d, size_t at, fx_stmt **out);
int fx_stmt_set_sid(fx_stmt *s, const char *sid);

/* The statement as canonical JSON for ig_policy_compile is just
 * fx_doc_render's output; this is the policy compiled from it. */
ig_policy *fx_doc_compile(const fx_doc *d, ig_policy_type type, const char *id, ig_diag *diag);

/* A unified diff (3 lines of context, "--- a/NAME" / "+++ b/NAME"
 * headers, @@ hunks as diff -u writes them) of two texts, appended to
 * out.  Nothing is appended when they are equal.  Returns the number of
 * changed lines (added + removed). */
size_t fx_unified_diff(const char *name, const char *a, size_t alen, const char *b, size_t blen,
                       json_buf *out);

#endif

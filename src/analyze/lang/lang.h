/* lang.h - sets of strings described by IAM patterns, decided exactly.
 *
 * A resource pattern ("arn:aws:s3:::b/x*"), a condition value
 * ("*.example.com") or a literal denotes a regular language.  The analysis
 * asks whether a Boolean combination of such languages -- a string in
 * every one of some unions of patterns and in none of others -- exists,
 * and if it does, for a shortest such string (a witness).  The search runs
 * on the product of the patterns' automata, determinized on the fly, and
 * visits a bounded number of states: when the bound is reached the answer
 * is LANG_UNKNOWN, never "empty".
 *
 * Characters are UTF-8 characters, as the evaluator's `?` counts them.  The
 * ARN structure the evaluator imposes (the first five segments are globbed
 * on their own, so a wildcard there never spans a colon) is compiled into
 * the tokens: those wildcards are "any character but ':'".  The request
 * resource "*" (actions without a resource type) is matched by the bare
 * pattern "*" only; the search has a mode for that universe. */
#ifndef IG_AN_LANG_H
#define IG_AN_LANG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "policy/glob.h"
#include "util/arena.h"

enum {
    LT_SYM = 0,      /* one given character */
    LT_ANY,          /* '?' */
    LT_ANY_NC,       /* '?' inside an ARN segment: not ':' */
    LT_STAR,         /* '*' */
    LT_STAR_NC       /* '*' inside an ARN segment: no ':' */
};

typedef struct {
    uint8_t kind;
    uint32_t sym;    /* LT_SYM: the UTF-8 bytes of the character, packed */
} lang_tok;

enum {
    LP_TOKENS = 0,   /* the strings the tokens match (never the resource "*") */
    LP_ALL,          /* every string, the resource "*" included */
    LP_NONE          /* no string (a pattern whose variable cannot resolve) */
};

typedef struct {
    uint8_t kind;
    uint16_t ntok;
    lang_tok *tok;
    const char *raw;     /* as written, for display */
} lang_pat;

/* How policy variables (${aws:username}) in a pattern are read: as any
 * text (an over-approximation of what the pattern matches), as making the
 * pattern match nothing (an under-approximation), or substituted. */
typedef enum { LV_STAR = 0, LV_NONE, LV_BIND } lang_var_mode;

/* Resolves a variable for LV_BIND: returns its value, or NULL. */
typedef const char *(*lang_binder)(void *ctx, const char *key);

typedef struct {
    lang_var_mode mode;
    lang_binder bind;    /* LV_BIND */
    void *ctx;
} lang_vars;

#define LANG_MAX_TOKENS 2048

/* Compile a resource pattern (compiled policy form) into a lang_pat whose
 * tokens live in `a`.  False when out of memory or too long. */
bool lang_from_arnpat(ig_arena *a, const ig_arnpat *ap, const lang_vars *v, lang_pat *out);
/* A whole-string glob (StringLike values): no ARN structure. */
bool lang_from_glob(ig_arena *a, const ig_glob *g, const lang_vars *v, lang_pat *out);
/* A literal string (exactly that text). */
bool lang_literal(ig_arena *a, const char *s, size_t n, lang_pat *out);
/* A resource pattern written by a user (compiled with the policy
 * compiler's rules).  NULL err on success; else a static message. */
bool lang_from_text(ig_arena *a, const char *s, size_t n, lang_pat *out, const char **err);

/* A Boolean formula over patterns: "the string matches this pattern",
 * and, or, not.  Built in an arena with the lang_e_* helpers. */
enum { LE_PAT = 0, LE_AND, LE_OR, LE_NOT, LE_TRUE, LE_FALSE };

typedef struct lang_expr lang_expr;
struct lang_expr {
    uint8_t op;
    uint32_t n;                     /* LE_AND, LE_OR: children; LE_NOT: 1 */
    const lang_pat *pat;            /* LE_PAT */
    const lang_expr **kids;
};

lang_expr *lang_e_pat(ig_arena *a, const lang_pat *p);
lang_expr *lang_e_const(ig_arena *a, bool v);
lang_expr *lang_e_not(ig_arena *a, const lang_expr *e);
/* An empty AND is true, an empty OR false.  `kids` is copied. */
lang_expr *lang_e_nary(ig_arena *a, uint8_t op, const lang_expr *const *kids, size_t n);
/* The union of patterns (LE_OR of LE_PAT). */
lang_expr *lang_e_union(ig_arena *a, const lang_pat *const *pats, size_t n);

/* One conjunct of a query: the string matches some pattern of the union
 * (or, when `neg`, none of them). */
typedef struct {
    bool neg;
    uint32_t npat;
    const lang_pat *const *pats;
} lang_atom;

typedef enum { LANG_EMPTY = 0, LANG_FOUND, LANG_UNKNOWN } lang_answer;

typedef struct {
    bool star_only;        /* the universe is the one resource "*" */
    bool plain;            /* strings, not resources: "*" is a string like any */
    size_t max_states;     /* 0: LANG_DEFAULT_STATES */
    char *witness;         /* where to put the string found (may be NULL) */
    size_t witness_cap;
} lang_query;

#define LANG_DEFAULT_STATES 20000u
#define LANG_MAX_POSITIONS 8192u
#define LANG_MAX_DEPTH 32u

/* Is there a string that satisfies the formula?  (Outside star_only, the
 * resource "*" itself is never a candidate.)  Adds the states it visits to
 * *work (may be NULL). */
lang_answer lang_search_expr(const lang_expr *e, const lang_query *q, size_t *work);
/* The conjunction of atoms. */
lang_answer lang_search(const lang_atom *atoms, size_t natoms, const lang_query *q,
                        size_t *work);

/* Convenience: every string of a is in b (LANG_EMPTY = yes, subset). */
lang_answer lang_subset(const lang_pat *a, const lang_pat *b, bool star_only);

/* Whether a formula is one literal string (then written to out). */
bool lang_expr_literal(const lang_expr *e, char *out, size_t cap);
/* Whether a string (not the resource "*") matches a pattern. */
bool lang_matches(const lang_pat *p, const char *s, size_t n);
/* Whether a string satisfies a formula (star: it is the resource "*"). */
bool lang_expr_matches(const lang_expr *e, const char *s, size_t n, bool star);

#endif

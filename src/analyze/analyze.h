/* analyze.h - least-privilege analysis: what the parts of src/analyze share.
 *
 * The analyzer (an_ctx) holds the service catalog, the lowercased name of
 * every catalog action and a cache of every policy it has looked at: per
 * statement, the catalog actions it names (a bitset) and its resources as
 * pattern languages (lang.h).  From those, effective.c computes what a
 * principal (an ig_env) can do -- per group of actions that the same
 * statements govern, the ways the layers (identity, boundary, session,
 * SCPs) combine, each with the conditions that stay attached -- and
 * solve.c turns a non-empty combination into a concrete request that
 * ig_evaluate must allow before anything is reported as possible.
 * See docs/analysis.md for what is exact and what is approximated. */
#ifndef IG_AN_ANALYZE_H
#define IG_AN_ANALYZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analyze/lang/lang.h"
#include "iamguard.h"
#include "policy/policy_int.h"
#include "util/arena.h"

/* ---- the analyzer and its policy cache ----------------------------------- */

typedef struct {
    const ig_policy *policy;
    uint32_t index;             /* statement index */
    const ig_stmt *st;
    bool deny;
    bool has_cond;
    uint8_t res_mode;           /* ELEM_NONE, ELEM_POSITIVE, ELEM_NOT */
    uint32_t nres;
    lang_pat *res;              /* as allow/deny soundness needs (see ctx.c) */
    const lang_expr *res_expr;  /* the resource set the statement covers */
    uint64_t *acts;             /* catalog actions it names */
} an_stmt;

typedef struct {
    const ig_policy *policy;
    uint32_t nstmts;
    an_stmt *stmts;
    uint32_t unknown_actions;   /* action patterns naming no catalog action */
} an_pol;

/* The moment the analysis runs at (ctx_clock.c): the values of the keys
 * AWS derives from the clock.  aws:TokenIssueTime is the session's start,
 * chosen by the solver but never after `ns`. */
typedef struct {
    int64_t ns;                 /* nanoseconds since 1970-01-01T00:00:00Z */
    char iso[32];               /* aws:CurrentTime */
    char epoch[24];             /* aws:EpochTime */
    const char *iso_ptr, *epoch_ptr;    /* &iso[0], &epoch[0]: context values */
} an_clock;

/* 1 aws:CurrentTime, 2 aws:EpochTime, 3 aws:TokenIssueTime, 0 other keys. */
int an_clock_key(const char *key);
/* Set the moment (nanoseconds since the epoch). */
void an_clock_set(an_clock *k, int64_t ns);

typedef struct an_ctx {
    const ig_catalog *cat;
    uint32_t nact, words;       /* actions; 64-bit words of an action bitset */
    const char **names;         /* lowercased "svc:name" */
    uint16_t *name_len;
    uint8_t *star_only;         /* AN_U_*: which resources its requests carry */
    ig_arena arena;             /* names */
    ig_arena cache;             /* cached policies and their patterns */
    an_pol **pols;              /* open-addressed by policy pointer */
    size_t npols, pcap;
    /* Statements' action bitsets, one copy per distinct set (open-addressed
     * by content): 2.8 KB each, alike across accounts and policies. */
    uint64_t **actsets;
    size_t nactsets, acap;
    size_t max_states;          /* per language query */
    size_t work;                /* states visited, in all */
    bool unknown_hit;           /* some query hit its bound */
    an_clock clock;             /* the moment of the analysis */
    /* Set by the solver when a clock key's conditions fail now but hold
     * at another time: "holds only before ..." (cleared by the caller). */
    char timed[240];
} an_ctx;

/* The public handle (iamguard.h) is the analyzer. */
struct ig_analyzer {
    an_ctx ctx;
};

int an_ctx_init(an_ctx *c, const ig_catalog *cat);
void an_ctx_free(an_ctx *c);
/* The cached analysis of a policy; NULL when out of memory.  The cache is
 * keyed by address, so it must not outlive the policies in it: every
 * top-level operation starts with an_ctx_reset, and a policy freed during
 * one is first forgotten. */
const an_pol *an_policy(an_ctx *c, const ig_policy *p);
void an_ctx_reset(an_ctx *c);
void an_forget(an_ctx *c, const ig_policy *p);
/* Run a language query, recording bound hits. */
/* The resources a request for an action can carry: only "*" (no resource
 * type), only ARNs (a required resource type), or either (every resource
 * type optional). */
enum { AN_U_ARN = 0, AN_U_STAR = 1, AN_U_BOTH = 2, AN_U_VALUE = 3 /* condition values */ };
lang_answer an_search(an_ctx *c, const lang_expr *e, int universe, char *witness, size_t cap);

static inline bool an_bit(const uint64_t *b, uint32_t i)
{
    return (b[i / 64] >> (i % 64)) & 1;
}

/* ---- subjects: a principal and the layers of policies that govern it ---- */

/* AN_L_DENIES: a layer whose Deny statements count and whose Allow
 * statements do not (a resource policy's denies on the identity path). */
enum { AN_L_IDENTITY = 0, AN_L_BOUNDARY, AN_L_SESSION, AN_L_SCP, AN_L_RCP, AN_L_DENIES };
#define AN_MAX_LAYERS 12
/* Statements of one environment that effective permissions take: above
 * what IAM's own quotas let one principal carry (20 managed policies of
 * 6,144 characters, inline policies, ten groups), below the 16-bit
 * statement indexes of the grouping. */
#define AN_MAX_STATEMENTS 32768u

typedef struct {
    uint8_t kind;               /* AN_L_* */
    uint32_t npols;
    const an_pol **pols;
} an_layer;

/* A context entry that is a fact about the caller (tags from an account
 * export) or a condition of the question (iam:PassedToService=...). */
typedef struct {
    const char *key;
    const char **values;        /* nvalues == 0: the key must be absent */
    size_t nvalues;
} an_fixed;

typedef struct {
    const ig_env *env;
    const an_clock *clock;      /* the moment (from the context) */
    bool root;                  /* the account root: identity allows all */
    uint32_t nlayers;
    an_layer layers[AN_MAX_LAYERS];
    const an_pol *resource;     /* a resource policy, for the checks */
    bool unknown_policies;      /* policies that could not be analysed */
} an_subject;

/* Read the layers out of an environment (arena for the arrays). */
bool an_subject_init(an_ctx *c, ig_arena *a, const ig_env *env, an_subject *out);

/* ---- user constraints on context keys ------------------------------------ */

typedef enum {
    AN_K_EQUALS = 0,            /* exactly this value */
    AN_K_NOT_EQUALS,            /* absent or another value */
    AN_K_LIKE,                  /* a value matching the glob */
    AN_K_NOT_LIKE,              /* absent or a value not matching */
    AN_K_ABSENT
} an_kcons_kind;

typedef struct {
    an_kcons_kind kind;
    const char *key;
    const char *value;          /* NULL for AN_K_ABSENT */
} an_kcons;

/* ---- effective permissions ----------------------------------------------- */

/* One way a layer allows: statements whose resources are united (the
 * unconditional ones with a Resource element), or a single statement. */
typedef struct {
    uint8_t layer;              /* index into the subject's layers */
    bool all;                   /* no resource restriction */
    bool neg;                   /* NotResource: the resource is in none */
    bool conditional;
    uint32_t nstmts;
    const an_stmt **stmts;
    const lang_expr *expr;      /* the resources this option allows */
} an_option;

typedef struct {
    uint32_t nopts;             /* one per layer that must allow */
    const an_option **opts;
    uint32_t nunless;           /* conditional denies that can apply */
    const an_stmt **unless;
    const lang_expr *expr;      /* resources: the options minus unconditional denies */
    bool unknown;               /* emptiness could not be decided */
} an_grant;

typedef struct {
    uint32_t nactions;
    uint32_t *actions;          /* catalog ids, ascending */
    uint8_t star_only;          /* AN_U_*: the universe of resources */
    uint32_t nstmts;            /* the statements that name these actions */
    const an_stmt **stmts;
    uint32_t ngrants;
    an_grant *grants;
    uint32_t nudeny;            /* unconditional denies */
    const an_stmt **udeny;
    const lang_expr *any_expr;  /* every resource some grant allows */
    bool unknown;               /* a grant could not be decided, or too many */
} an_group;

typedef struct {
    ig_arena arena;
    an_subject subj;
    uint32_t ngroups;
    an_group *groups;           /* only groups with at least one grant */
    uint32_t nallowed;          /* actions with some grant */
    uint64_t *index;            /* action << 32 | group, ascending (an_effective_find) */
    bool unknown;
} an_effective;

/* What an environment allows, over the catalog actions in `filter` (a
 * bitset; NULL = all).  IG_OK or IG_E_NOMEM. */
int an_effective_compute(an_ctx *c, const ig_env *env, const uint64_t *filter,
                         an_effective *out);
/* The same for a subject prepared by the caller (resource layer, extra
 * policies); `out->subj` is copied from it. */
int an_effective_subject(an_ctx *c, const an_subject *subj, const uint64_t *filter,
                         an_effective *out);
void an_effective_free(an_effective *e);
/* The group that holds an action, or NULL when nothing allows it. */
const an_group *an_effective_find(const an_effective *e, uint32_t action);

/* ---- conditions ------------------------------------------------------------ */

/* The conditions of a grant, decided against what is known of the caller
 * and the constraints of a question: 0 when they can never all hold
 * (proved), 1 when they may.  Conservative: 1 whenever unsure. */
int an_grant_feasible(an_ctx *c, const an_subject *s, const an_grant *g,
                      const an_kcons *kc, size_t nkc, const an_fixed *fx, size_t nfx);

/* Keys whose value is a fact about the caller that a request cannot choose
 * (aws:PrincipalArn, aws:PrincipalTag/..., aws:userid, ...). */
bool an_key_is_principal(const char *key);

/* ---- concrete requests ------------------------------------------------------ */

#define AN_MAX_CTX 24
#define AN_MAX_VALUE 1024

typedef struct {
    char action[256];
    char resource[2048];
    size_t nctx;
    char keys[AN_MAX_CTX][160];
    char vals[AN_MAX_CTX][AN_MAX_VALUE];
    bool absent[AN_MAX_CTX];    /* a constraint says absent; not sent */
    const char *vptr[AN_MAX_CTX + 3];
    ig_context_entry ctx[AN_MAX_CTX + 3];   /* + the clock's keys */
    size_t nsent;
    const an_clock *clock;      /* the moment: its keys are sent, not shown */
    ig_request req;             /* points into the fields above */
    ig_result res;
} an_request;

/* Extra check a candidate must pass besides ig_evaluate allowing it (e.g.
 * "the old policy does not allow it").  Return true to accept. */
typedef bool (*an_accept_fn)(void *ctx, const an_request *r);

typedef struct {
    const lang_expr *resources; /* restrict resources (NULL: any) */
    const an_kcons *kc;         /* constraints on context keys */
    size_t nkc;
    const an_fixed *fixed;      /* exact context entries */
    size_t nfixed;
    const ig_policy *resource_policy;
    const char *resource_account;
    an_accept_fn accept;
    void *accept_ctx;
    const char *account_hint;   /* preferred account in witnesses */
    bool outsider;              /* the caller is outside the account: its
                                   organization, tags and network origin are
                                   its own to choose (within kc) */
} an_question;

/* Find a request for `action` (a catalog id) within `grant` of `group` that
 * ig_evaluate allows for the subject's environment.  1 found (*out filled
 * and confirmed), 0 not found within the bounds. */
int an_find_request(an_ctx *c, const an_subject *s, const an_group *g, const an_grant *gr,
                    uint32_t action, const an_question *q, an_request *out);
/* The request as "action on resource with k=v, ..." for reports. */
void an_request_describe(const an_request *r, char *buf, size_t cap);
/* Set up r->req from the fields and evaluate it. */
int an_request_eval(const ig_env *env, an_request *r, const ig_policy *resource_policy,
                    const char *resource_account);

/* ---- helpers ---------------------------------------------------------------- */

/* "Permissions management", "Write", ... for IG_ACCESS_* bits. */
const char *an_access_name(unsigned access);
/* A statement as "file:line (Sid)" or "policy-id #N". */
void an_stmt_ref(const an_stmt *s, char *buf, size_t cap);
/* Build the action filter of a list of patterns ("iam:Create*", "*"):
 * returns the number of actions selected; unknown patterns are reported
 * through *bad (the first pattern naming nothing). */
uint32_t an_action_filter(an_ctx *c, const char *const *pats, size_t n, uint64_t *out,
                          const char **bad);

#endif

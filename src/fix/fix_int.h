/* fix_int.h - what the parts of the fix search share: the requests it
 * keeps deciding (probes), the policy set it edits (state), and the edits. */
#ifndef IG_FIX_INT_H
#define IG_FIX_INT_H

#include "fix/fix.h"

#define FX_MAX_INSERTED 64     /* statements one search may add */

/* Who makes a probe: the scenario's principal, or a caller the analysis
 * describes in the scenario's terms. */
typedef struct {
    const char *arn, *account;  /* account NULL: from the ARN */
    size_t ident[9];            /* scenario policy indexes */
    size_t nident;
    bool allow_all;             /* plus a policy allowing everything */
    long boundary, session;     /* policy index or -1 */
    ig_env *env;                /* built per evaluation round */
} fx_caller;

/* A request the search keeps deciding, and the outcome it must have. */
typedef struct {
    size_t caller;
    long req;                   /* scenario request index, or -1 (analysis) */
    long resource_policy;       /* policy index or -1 */
    char *action, *resource, *resource_account;
    ig_context_entry *ctx;
    size_t nctx;
    chk_expect expect;
    uint32_t alt;               /* 0: an obligation of its own; else denying any
                                   probe of the same alt meets it */
    char *label;                /* "request guard-x" or the claim and request */
    bool given_up;              /* no edit met it */
    /* the last decision */
    ig_result res;
    bool met;
} fx_probe;

/* The policy set being edited. */
typedef struct {
    fx_doc *docs;               /* per scenario policy; .text NULL when not editable */
    ig_policy **compiled;       /* per policy and type: [i * IG_POLICY_TYPE_COUNT + t] */
    long ins_doc[FX_MAX_INSERTED];  /* the k-th added statement: its document index, or -1 */
    size_t ninserted;           /* statements the search added */
    bool over_quota;            /* a policy that fitted a managed policy's quota no longer does */
} fx_state;

typedef struct {
    chk_scenario *s;
    const fx_options *o;
    ig_policy *allow_all;
    fx_caller *callers;
    size_t ncallers;
    fx_probe *probes;
    size_t nprobes;
    bool *editable;             /* per scenario policy */
    bool *used[IG_POLICY_TYPE_COUNT]; /* per policy: compiled for this type in the scenario */
    ig_policy **orig;           /* the scenario's compiled policies, restored at the end */
    size_t *orig_size;          /* per policy: characters but white space (managed-policy quota) */
    fx_doc *orig_docs;
    fx_result *out;
    size_t evaluations, candidates;
    uint32_t next_alt;
    bool quota_hit;             /* a candidate took a policy past its size quota */
} fx_search;

/* ---- probes (probe.c) ---------------------------------------------------- */
int fx_probes_from_scenario(fx_search *x);
void fx_probe_free(fx_probe *p);
#define FX_MANAGED_MAX 6144     /* characters of a managed policy, white space not counted */
size_t fx_policy_size(const char *text, size_t len);
/* Add a probe (strings copied); returns its index or -1 when out of memory
 * or at the bound; a duplicate of an existing probe returns that one. */
long fx_probe_add(fx_search *x, const fx_caller *who, const ig_request *req, chk_expect e,
                  uint32_t alt, const char *label);
/* Compile the state's policies (those not compiled yet). */
int fx_state_compile(fx_search *x, fx_state *st);
/* Decide every probe under state st (fills res and met). */
int fx_eval_all(fx_search *x, fx_state *st);
/* Whether obligation of probe i is met (alt groups: any member denied). */
bool fx_obligation_met(const fx_search *x, size_t i);
/* Number of unmet obligations (each alt counted once), given-up ones included. */
size_t fx_unmet(const fx_search *x, bool *unmet_by_probe);
/* Swap the state's compiled policies into the scenario (and rebuild the
 * principals' environments); fx_install(x, NULL) puts the originals back. */
int fx_install(fx_search *x, fx_state *st);
void fx_state_free(fx_search *x, fx_state *st);
int fx_state_clone(fx_search *x, const fx_state *src, fx_state *dst);
/* The editable statement (doc index) a matched statement of a compiled
 * policy is, or -1; *pol gets the policy index. */
long fx_matched_stmt(const fx_search *x, const fx_state *st, const ig_matched_statement *m,
                     size_t *pol);

/* ---- resource patterns (general.c) --------------------------------------- */
/* Patterns covering every string of need[] and none of bad[], each inside
 * `within` (a policy pattern, or NULL), as few and as specific as the
 * names allow: names that differ only in a part between separators share
 * one pattern.  Returns how many (written to out, caller frees each), or
 * -1 when out of memory. */
long fx_generalize(const char *const *need, size_t nneed, const char *const *bad, size_t nbad,
                   const char *within, char **out, size_t cap);
/* IAM wildcard match ('*' any run, '?' one character), case-sensitive. */
bool fx_glob(const char *pat, const char *s);

/* ---- edits (edits.c) ----------------------------------------------------- */
/* Apply e to st (documents only; recompiled by fx_state_compile).  false:
 * the statement it names is gone (replay without an edit it depended on). */
bool fx_edit_apply(fx_search *x, fx_state *st, const fx_edit *e);
void fx_edit_free(fx_edit *e);
int fx_edit_copy(const fx_edit *src, fx_edit *dst);

/* ---- candidates (candidates.c) ------------------------------------------- */
typedef struct {
    fx_edit e;
    unsigned cost;
} fx_cand;
/* The expected-allowed probes statement d of policy pol allows (it
 * matched them in the last evaluation); returns how many. */
size_t fx_needed_by(fx_search *x, fx_state *st, size_t pol, long d, size_t *out, size_t cap);
/* Candidate edits for the unmet obligation of probe i under state st. */
int fx_candidates(fx_search *x, fx_state *st, size_t i, fx_cand **out, size_t *n);

#endif

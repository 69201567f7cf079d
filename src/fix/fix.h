/* fix.h - `iamguard fix`: search for a small set of policy edits after
 * which every request of a scenario gets the outcome it expects and every
 * claim of the analysis holds, re-proved by the analysis (docs/fix.md). */
#ifndef IG_FIX_H
#define IG_FIX_H

#include <stdbool.h>
#include <stdio.h>

#include "analyze/analyze.h"
#include "check/check.h"
#include "fix/fix_doc.h"
#include "json/json.h"

#define FX_MAX_PROBES 4096      /* requests the search keeps deciding */
#define FX_MAX_ROUNDS 400       /* edits tried in turn, analysis rounds included */
#define FX_MAX_VALUES 32        /* values of one condition an edit writes */

typedef struct {
    an_ctx *ctx;                /* the analysis; NULL: requests only */
} fx_options;

/* What an edit does, as the report names it. */
typedef enum {
    FX_ADD_ACTION = 0,          /* an Allow gets an action a refused request needs */
    FX_NEW_ALLOW,               /* a new Allow statement */
    FX_NARROW_RESOURCE,         /* Resource cut down to what allowed requests use */
    FX_ADD_CONDITION,           /* a condition the allowed requests meet */
    FX_TIGHTEN_CONDITION,       /* a pattern condition made exact */
    FX_REMOVE_ACTION,           /* an action no allowed request needs */
    FX_REMOVE_STATEMENT,        /* an Allow no allowed request needs */
    FX_NARROW_ACTION,           /* a wildcard action replaced by the actions allowed requests use */
    FX_EXTEND_DENY,             /* an existing Deny gets one more action */
    FX_NEW_DENY                 /* a targeted Deny statement */
} fx_kind;

const char *fx_kind_name(fx_kind k);

/* One edit, replayable on the original documents (statement `stmt` is an
 * original index, or -(k+1) for the k-th statement the search added). */
typedef struct {
    fx_kind kind;
    size_t pol;                 /* scenario policy index */
    long stmt;
    size_t cond;                /* FX_TIGHTEN_CONDITION: which entry */
    char *pattern;              /* FX_NARROW_ACTION: the action pattern replaced */
    char **acts;                /* actions added or removed */
    size_t nacts;
    char **res;                 /* the new Resource list (narrowing, new statements) */
    size_t nres;
    char *op, *key;             /* a condition entry added or made exact */
    char **cvals;
    size_t ncvals;
    char *sid;                  /* the statement as the report names it */
    char *what;                 /* one line, in words */
    char **serves;              /* obligations it fixed, in words */
    size_t nserves;
    char **keeps;               /* narrowing: the expected-allowed requests it keeps */
    size_t nkeeps;
} fx_edit;

typedef struct {
    size_t requests, met;       /* the scenario's requests */
    size_t claims, held;        /* the scenario's claims */
    bool analysed;              /* the analysis ran (the scenario has the seed's shape) */
    size_t aclaims, aheld;      /* the analysis' claims */
    size_t paths;               /* escalation gains past the boundary */
} fx_tally;

typedef struct {
    size_t pol;                 /* scenario policy index */
    const char *name, *file;
    char *before, *after;       /* texts */
    size_t blen, alen;
    bool changed;
    char *written;              /* where the command wrote it, or NULL */
} fx_file;

typedef struct {
    char *what;                 /* the obligation */
    char *why;                  /* why no edit met it */
} fx_unfixed;

typedef struct {
    fx_tally before, after;
    fx_edit *edits;
    size_t nedits;
    fx_unfixed *unfixed;
    size_t nunfixed;
    char **warnings;            /* e.g. a patched policy past a managed policy's quota */
    size_t nwarnings;
    fx_file *files;             /* the editable policies */
    size_t nfiles;
    size_t evaluations;         /* requests decided during the search */
    size_t candidates;          /* edits tried */
    size_t rounds;              /* analysis runs */
    bool complete;              /* everything holds afterwards */
} fx_result;

/* Run the search on s (whose compiled policies are swapped while it runs
 * and restored before it returns).  IG_OK, or a negative code with *diag. */
int fx_run(chk_scenario *s, const fx_options *o, fx_result *out, ig_diag *diag);
void fx_result_free(fx_result *r);

void fx_report_text(FILE *f, const chk_scenario *s, const fx_result *r, bool diff);
void fx_report_json(json_writer *w, const chk_scenario *s, const fx_result *r);

#endif

/* check.h - scenarios: named policies, principals, groups of requests with
 * the outcome each must have, and the claims those requests prove or refute
 * (docs/check.md).  `iamguard check` loads a scenario, evaluates every
 * request with the engine, explains each outcome in plain words and writes
 * a report (text, JSON or JUnit XML). */
#ifndef IG_CHECK_H
#define IG_CHECK_H

#include <stdbool.h>
#include <stdio.h>

#include "cfn/cfn.h"
#include "iamguard.h"
#include "json/json.h"
#include "util/arena.h"

/* Bounds on what one scenario may declare (hostile input). */
#define CHK_MAX_SCENARIO_BYTES (4u * 1024u * 1024u)
#define CHK_MAX_POLICIES   256
#define CHK_MAX_PRINCIPALS 256
#define CHK_MAX_GROUPS     64
#define CHK_MAX_REQUESTS   10000
#define CHK_MAX_CLAIMS     256
#define CHK_MAX_CONTEXT    64      /* keys per request */
#define CHK_MAX_NOTES      8       /* statements shown per outcome */

typedef enum {
    CHK_EXPECT_ALLOWED = 0,
    CHK_EXPECT_DENIED,             /* explicitDeny or implicitDeny */
    CHK_EXPECT_EXPLICIT_DENY,
    CHK_EXPECT_IMPLICIT_DENY
} chk_expect;

/* "allowed", "denied", "explicitDeny", "implicitDeny" */
const char *chk_expect_name(chk_expect e);
bool chk_expect_met(chk_expect e, ig_decision d);

typedef struct {
    const char *name;              /* the scenario's name for it */
    const char *description;       /* may be NULL */
    const char *cfn_name;          /* name looked up in a template */
    const char *shown;             /* where it came from, for the report */
    bool from_template;
    const json_value *doc;         /* the policy document */
    const char *text;              /* the text doc's offsets refer to */
    size_t len;
    const char *file;              /* file named in statement positions */
    const cfn_policy *cfn;         /* when taken from the template */
    ig_policy *compiled[IG_POLICY_TYPE_COUNT];  /* per use, NULL if unused */
} chk_policy;

typedef struct {
    const char *name;
    const char *description;
    const char *arn;
    const char *account;           /* NULL: from the ARN */
    size_t *identity;              /* policy indexes */
    size_t nidentity;
    long boundary;                 /* policy index, or -1 */
    long session;
    ig_env *env;
} chk_principal;

typedef struct {
    const char *id;
    const char *step;              /* e.g. "amplify publish"; may be NULL */
    const char *reason;            /* may be NULL */
    const char *source;            /* the code that makes the call; may be NULL */
    const char *amplify;           /* Amplify CLI versions that make it; NULL: all */
    const char *if_refused;        /* what the user sees if it is refused; may be NULL */
    bool continues;                /* in a sequence: the command goes on if refused */
    size_t group;
    size_t principal;
    long resource_policy;          /* policy index, or -1 */
    ig_request req;
    chk_expect expect;
    unsigned line, column;         /* of the request in the scenario */
    const char *file;              /* the scenario file it is in (a base one, with extends) */
} chk_request;

typedef struct {
    const char *name;
    const char *title;             /* may be NULL */
    size_t first, count;           /* its requests: reqs[first .. first+count) */
    bool sequence;                 /* made in order; the first refusal ends it */
} chk_group;

typedef struct {
    const char *id;
    const char *text;
    const char *source;            /* where the claim is made; may be NULL */
    size_t *reqs;                  /* request indexes, no duplicates */
    size_t nreqs;
} chk_claim;

typedef struct chk_scenario {
    ig_arena arena;                /* strings and arrays of the scenario */
    const char *file;              /* as shown in diagnostics */
    bool builtin;
    const char *name;
    const char *title;
    const char *template_file;     /* --cfn, or NULL */
    chk_policy *policies;
    size_t npolicies;
    chk_principal *principals;
    size_t nprincipals;
    chk_group *groups;
    size_t ngroups;
    chk_request *reqs;
    size_t nreqs;
    chk_claim *claims;
    size_t nclaims;
    const char *amplify_version;   /* the Amplify CLI the scenario was read from */
    const char *amplify_commit;    /* may be NULL */
    const char *amplify_selected;  /* the version requests were chosen for, or NULL */
    size_t nskipped;               /* requests of other versions, left out */
    void *internal;                /* texts, parsed documents, template */
} chk_scenario;

typedef struct {
    const char *cfn_path;          /* take named policies from this template */
    cfn_params cfn;
    const char *amplify_version;   /* --amplify-version; NULL: the scenario's */
} chk_options;

/* ---- Amplify CLI versions (amplify.c) ------------------------------------- */

/* "MAJOR.MINOR.PATCH", each 0..99999; false on anything else. */
bool chk_version_parse(const char *text, unsigned out[3]);
/* A range: one or two comparators (<, <=, >, >=, =) with a version each,
 * separated by a space, such as "<12.2.4" or ">=10.0.0 <12.2.4".  Returns
 * NULL when `range` is well formed, else what is wrong. */
const char *chk_range_check(const char *range);
/* Whether version v lies in a well-formed range. */
bool chk_range_has(const char *range, const unsigned v[3]);

/* Load a scenario (YAML or JSON).  Policy files are resolved against the
 * scenario's directory.  Returns IG_OK, or a negative code with *diag set
 * (file:line:column of the offending node). */
int chk_load_file(const char *path, const chk_options *opt, chk_scenario **out,
                  ig_diag *diag);
/* The built-in example scenario (src/examples): `name` is e.g.
 * "imaging-viewer/scenario.yml"; its policy files come from the embedded
 * files of the same directory. */
int chk_load_builtin(const char *name, const chk_options *opt, chk_scenario **out,
                     ig_diag *diag);
void chk_free(chk_scenario *s);

/* What a YAML/JSON file in a scenario directory is: a policy document (has
 * "Statement"), a CloudFormation template ("Resources" or
 * "AWSTemplateFormatVersion"), or else a scenario -- also when it does not
 * parse, so that loading it reports the error. */
typedef enum { CHK_DOC_SCENARIO = 0, CHK_DOC_POLICY, CHK_DOC_TEMPLATE } chk_doc_kind;
chk_doc_kind chk_document_kind(const char *path);

/* ---- evaluation ---------------------------------------------------------- */

/* One statement that decided a request, or came closest to it. */
typedef struct {
    const chk_policy *policy;
    uint32_t index;                /* 0-based statement index */
    const char *sid;               /* NULL when it has none */
    unsigned line, column;         /* in policy->file */
    bool deny;
    bool applies;                  /* it matched the request */
    char detail[400];              /* what matched or what did not, in words */
} chk_note;

typedef struct {
    ig_result res;
    bool met;                      /* the expectation holds */
    chk_note notes[CHK_MAX_NOTES];
    unsigned nnotes;
    char why[700];                 /* why the decision, in words */
    char fix[700];                 /* failures: what would have to change */
    char shape[400];               /* a resource-shape warning, or "" */
} chk_outcome;

typedef struct {
    chk_outcome *outcomes;         /* one per request */
    size_t passed, failed;
    bool *claim_holds;             /* one per claim */
    size_t claims_held;
    size_t shape_warnings;         /* requests with a resource-shape warning */
    bool shapes_checked;           /* a catalog was there to check them */
} chk_run;

/* Where a sequence group first fails: the first request expected allowed
 * that was refused and does not let the command go on.  Returns its index
 * in s->reqs, or -1; *refused_before counts the refusals the command went
 * past before it, *later_refused the refusals after it (not reached). */
long chk_sequence_failure(const chk_scenario *s, const chk_run *run, const chk_group *g,
                          size_t *refused_before, size_t *later_refused);

/* ---- resource shapes (shape.c) -------------------------------------------- */

/* Whether `resource` has the shape AWS authorizes `action` on, by the
 * catalog: "*" for an action that takes no resource, an ARN of one of its
 * resource types otherwise.  Writes a warning sentence to msg and returns
 * true when it does not; false (msg "") when it does or the catalog does
 * not know the action. */
bool chk_resource_shape(const ig_catalog *cat, const char *action, const char *resource,
                        char *msg, size_t cap);
/* Check every request (fills outcomes[i].shape and run->shape_warnings). */
void chk_check_shapes(const chk_scenario *s, const ig_catalog *cat, chk_run *run);

/* Evaluate every request.  Returns IG_OK or IG_E_NOMEM. */
int chk_run_scenario(const chk_scenario *s, chk_run *run);
void chk_run_free(chk_run *run);

/* Explain one outcome (fills notes, why and fix); used by chk_run_scenario. */
void chk_explain(const chk_scenario *s, const chk_request *r, chk_outcome *o);

/* ---- reports ------------------------------------------------------------- */

typedef struct {
    bool color;                    /* ANSI colours */
    bool verbose;                  /* each request's source */
} chk_text_opts;

void chk_report_text(FILE *f, const chk_scenario *s, const chk_run *run,
                     const chk_text_opts *o);
/* JSON: one element of the "scenarios" array (docs/check.md). */
void chk_report_json(json_writer *w, const chk_scenario *s, const chk_run *run);
/* JUnit: the <testsuite> elements of one scenario. */
void chk_report_junit(json_buf *out, const chk_scenario *s, const chk_run *run);
/* XML text escaping (also replaces bytes XML 1.0 cannot carry). */
void chk_xml_escape(json_buf *out, const char *s);

/* Words for a decision a reader who never saw IAM JSON can follow. */
const char *chk_decision_words(ig_decision d);
const char *chk_expect_words(chk_expect e);

#endif

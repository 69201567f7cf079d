/* sim.h - simulation documents: a principal, its policies and a list of
 * requests (with optional expectations), as `iamguard simulate`, the
 * benchmark workloads and the case files under tests/ use them.
 * See docs/simulate.md for the format. */
#ifndef IG_SIM_H
#define IG_SIM_H

#include "iamguard.h"
#include "json/json.h"
#include "util/arena.h"

typedef struct {
    ig_request req;
    const char *file;           /* where the request was read from */
    unsigned line, column;      /* of the request object */
    const json_value *expect;   /* NULL when the request has no expectation */
    const char *expect_text;    /* source text the expectation lives in */
    size_t expect_text_len;
} sim_request;

typedef struct {
    char *name;
    ig_policy *policy;
} sim_named_policy;

typedef struct sim_doc {
    ig_arena arena;             /* strings, context arrays */
    char *file;
    char *text;                 /* the main document */
    size_t len;
    json_doc *doc;
    json_doc **line_docs;       /* requestsFile lines */
    char **line_texts;
    size_t nline_docs;
    ig_env *env;
    ig_policy **owned;          /* every compiled policy, for freeing */
    size_t nowned, owned_cap;
    sim_named_policy *named;    /* resourcePolicies */
    size_t nnamed;
    sim_request *reqs;
    size_t nreqs, reqs_cap;
} sim_doc;

/* Load a simulation document from a file ("-" for standard input). */
int sim_load_file(const char *path, sim_doc **out, ig_diag *diag);
/* Load from text; `file` names it in diagnostics, relative "file" entries
 * are resolved against `basedir`.  The text is copied. */
int sim_load_text(const char *text, size_t len, const char *file,
                  const char *basedir, sim_doc **out, ig_diag *diag);
void sim_free(sim_doc *s);

/* Write one result in the iamguard JSON shape (docs/simulate.md). */
void sim_write_result(json_writer *w, const sim_request *r, const ig_result *res);

/* Check a result against the request's expectation.  Returns true when it
 * holds (or there is none); otherwise appends an explanation to msg. */
bool sim_check_expect(const sim_request *r, const ig_result *res, json_buf *msg);

/* "PolicyId/Sid" or "PolicyId/#N" for a matched statement, into buf. */
const char *sim_statement_ref(const ig_matched_statement *m, char *buf, size_t cap);

#endif

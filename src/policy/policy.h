/* policy.h - the compiler's interface to the rest of the library. */
#ifndef IG_POLICY_H
#define IG_POLICY_H

#include "iamguard.h"
#include "json/json.h"

/* Compile a policy that is a value inside a larger parsed document (a
 * simulation document, a scenario, a template).  `text`/`len` is that whole
 * document, so diagnostics and statement positions are relative to it. */
ig_policy *ig_policy_compile_value(const json_value *root, const char *text,
                                   size_t len, ig_policy_type type,
                                   const char *id, const char *file,
                                   ig_diag *diag);

/* Where line counting stands in a document: compiling many policies of
 * one large document (an account export) in order goes on from the last
 * one instead of counting lines from the top each time.  Start it zeroed. */
typedef struct {
    size_t off;
    unsigned line, col;
} ig_linepos;
ig_policy *ig_policy_compile_value_at(const json_value *root, const char *text, size_t len,
                                      ig_policy_type type, const char *id, const char *file,
                                      ig_diag *diag, ig_linepos *pos);

/* Fill a diagnostic for `offset` in `text`. */
void ig_diag_set(ig_diag *d, int code, const char *file, const char *text,
                 size_t len, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#endif

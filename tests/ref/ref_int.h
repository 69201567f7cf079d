/* ref_int.h - pieces shared by the reference evaluator's files: the request
 * context, patterns after variable substitution, matching and conditions. */
#ifndef REF_INT_H
#define REF_INT_H

#include "ref/ref_eval.h"

/* The request context plus the keys derived from the principal (§5). */
#define REF_MAX_CTX 64
typedef struct {
    const char *key;
    const char *const *values;
    size_t n;
} ref_ctx_entry;

typedef struct {
    ref_ctx_entry e[REF_MAX_CTX];
    size_t n;
} ref_ctx;

/* Case-insensitive key lookup; NULL when absent or the list is empty. */
const ref_ctx_entry *ref_ctx_get(const ref_ctx *c, const char *key);

/* A pattern after variable substitution: every byte remembers whether it
 * came from policy text (wildcards live) or from a substitution/escape
 * (always literal). */
#define REF_MAX_PAT 8192
typedef struct {
    unsigned char ch[REF_MAX_PAT];
    bool lit[REF_MAX_PAT];
    size_t n;
    bool unresolved;            /* a variable had no value and no default */
    bool too_long;              /* longer than 8 KiB: evaluation error */
} ref_pat;

/* Build a pattern from policy text; variables only when `vars`. */
void ref_expand(const char *text, bool vars, const ref_ctx *ctx, ref_pat *out);

/* Glob: '*' any run, '?' one byte; literal bytes compare exactly or with
 * ASCII case folding. */
bool ref_glob(const ref_pat *p, size_t pstart, size_t pend, const char *s, size_t slen,
              bool icase);
/* Exact equality of a pattern's bytes with s (wildcards are plain text). */
bool ref_pat_equals(const ref_pat *p, const char *s, bool icase);

bool ref_is_arn(const char *s);
/* Resource / NotResource entry matching (§2).  `non_arn_as_glob` emulates
 * known production deviation K6 (a pattern that does not start with "arn:"
 * matched as one plain glob over the whole request ARN). */
bool ref_resource_match(const ref_pat *p, const char *resource, bool non_arn_as_glob);
/* ArnEquals/ArnLike (§2). */
bool ref_arn_like(const ref_pat *p, const char *value);

/* Three-valued condition results: unparseable request values give ERR. */
typedef enum { REF_FALSE = 0, REF_TRUE, REF_ERR } ref_tri;

/* One operator block member: `op` applied to `key` with the policy
 * values `vals` (a string, number, boolean or array of them). */
ref_tri ref_condition(const char *op, const char *key, const json_value *vals,
                      bool vars, const ref_ctx *ctx);

#endif

/* access.h - exact access checks: nothing in a set is allowed, nothing new
 * is allowed, nothing is public (see access.c). */
#ifndef IG_AN_ACCESS_H
#define IG_AN_ACCESS_H

#include <stdio.h>

#include "analyze/analyze.h"
#include "json/json.h"

typedef struct {
    ig_verdict verdict;
    an_request cx;              /* refuted: the request the evaluator allowed */
    char caller[600];           /* refuted: who made it */
    char allowed_by[1200];      /* refuted: the statements that allowed it (the
                                   policies may be gone when it is read) */
    char reason[1024];          /* proved: how; unknown: what was not decided */
    uint32_t groups, grants;    /* what was examined */
} an_check;

/* No request for the actions in `filter` (NULL: all), on a resource in
 * `resources` (NULL: any), with a context the constraints allow, is
 * allowed for env (with `resource_policy` on the resource, may be NULL). */
int an_check_not_granted(an_ctx *c, const ig_env *env, const uint64_t *filter,
                         const lang_expr *resources, const an_kcons *kc, size_t nkc,
                         const ig_policy *resource_policy, an_check *out);

/* NEW allows nothing OLD does not, for one caller (two environments). */
int an_check_no_new_access(an_ctx *c, const ig_env *old_env, const ig_env *new_env,
                           const uint64_t *filter, an_check *out);

/* Two resource policies: for every kind of caller (anonymous, another
 * account, this account's principals, each principal either names), what
 * NEW grants by itself OLD grants too. */
int an_check_no_new_access_resource(an_ctx *c, const ig_policy *old_p, const ig_policy *new_p,
                                    const char *account, const char *resource_arn,
                                    an_check *out);

/* Nobody outside `account` -- anonymous callers, principals of accounts the
 * policy does not name -- is allowed anything on `resource_arn` (NULL: any
 * resource) by this resource policy. */
int an_check_no_public(an_ctx *c, const ig_policy *rp, const char *account,
                       const char *resource_arn, an_check *out);

/* Bitset of the catalog actions matching patterns for the public API
 * (NULL when none given); IG_E_INPUT when a pattern names nothing. */
int an_api_filter(ig_analyzer *az, const char *const *actions, size_t n, uint64_t **out,
                  ig_diag *diag);

/* A verdict in words for the CLI and the seed report. */
void an_check_text(FILE *f, an_ctx *c, const an_check *r, const char *question);
void an_check_json(json_writer *w, const an_check *r, const char *question);

#endif

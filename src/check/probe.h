/* probe.h - how close one policy statement comes to applying to a request
 * (see probe.c). */
#ifndef IG_PROBE_H
#define IG_PROBE_H

#include "iamguard.h"
#include "json/json.h"

/* The caller whose request is probed. */
typedef struct {
    const char *arn;
    const char *account;        /* NULL: from the ARN */
} probe_who;

/* Parts of the statement left out of a probe. */
typedef struct {
    bool drop_conditions;
    bool any_resource;          /* Resource/NotResource replaced by "*" */
    int only_action;            /* keep only this Action entry; -1 all */
    int only_resource;          /* keep only this Resource entry; -1 all */
    int cond_op, cond_key;      /* keep only this operator/key; -1 all */
    const char *action_override;  /* replace Action by this one action */
} probe_mod;

/* 1 when the statement (as modified) applies to the request, 0 when not,
 * -1 when it cannot be probed (not an object, or fails to compile alone). */
int probe_statement(const probe_who *who, const json_value *doc, const json_value *st,
                    const probe_mod *m, const ig_request *req);

typedef enum {
    NEAR_ACTION = 0,            /* its actions do not cover the request's */
    NEAR_OTHER_ACTION,          /* it would apply if it listed the action */
    NEAR_RESOURCE,              /* the action matches, the resource does not */
    NEAR_CONDITION,             /* action and resource match, a condition fails */
    NEAR_APPLIES                /* it applies */
} near_kind;

typedef struct {
    near_kind kind;
    int action, resource;       /* NEAR_APPLIES: an entry that matched, or -1 */
    int cond_op, cond_key;      /* NEAR_CONDITION: the first failing one, or -1 */
    const char *hint_key;       /* NEAR_RESOURCE: a context key whose value the
                                   Resource would match, or NULL */
    int similar;                /* NEAR_OTHER_ACTION: the Action entry of the
                                   same service sharing the longest prefix */
    int similarity;             /* bytes of the name it shares (after "svc:") */
} probe_info;

void probe_analyze(const probe_who *who, const json_value *doc, const json_value *st,
                   const ig_request *req, probe_info *out);

/* What `pi` found about statement `st` for request `rq`, as a sentence
 * ("its action matches, but its Resource (...) does not cover ..."). */
void chk_describe(const ig_request *rq, const json_value *st, const probe_info *pi, char *buf, size_t cap);

#endif

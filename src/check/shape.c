/* shape.c - is a request's resource the one AWS authorizes its action on?
 * A scenario that gives an ARN to an action authorized only on "*" (or "*"
 * to one that takes a resource, or an ARN of another resource type) still
 * evaluates, but it tests a request AWS never makes: the policy statements
 * it matches are not the ones that decide the real call.  The catalog knows
 * each action's resource types and their ARN formats. */
#include <stdio.h>
#include <string.h>

#include "check/check.h"

/* How specific an ARN format is: its characters outside ${...}.  An ARN
 * that several formats match is of the most specific one: "apps/${AppId}"
 * also covers ".../apps/ID/branches/main", which is a branch. */
static size_t literal_length(const char *fmt)
{
    size_t n = 0;
    for (const char *p = fmt; *p; p++) {
        if (p[0] == '$' && p[1] == '{') {
            const char *end = strchr(p, '}');
            if (!end)
                break;
            p = end;
            continue;
        }
        n++;
    }
    return n;
}

bool chk_resource_shape(const ig_catalog *cat, const char *action, const char *resource,
                        char *msg, size_t cap)
{
    msg[0] = '\0';
    /* No ARN is longer than 2048 bytes; the bound also keeps matching cheap. */
    if (!cat || !action || !resource || strlen(resource) > 2048)
        return false;
    uint32_t id = ig_catalog_action_find(cat, action, strlen(action));
    ig_catalog_action a;
    if (id == IG_CATALOG_NONE || !ig_catalog_action_get(cat, id, &a))
        return false;
    bool star = !strcmp(resource, "*");
    if (a.nresource_types == 0) {
        if (star)
            return false;
        snprintf(msg, cap, "%s takes no resource: AWS authorizes it on \"*\", so a statement naming %s never decides it",
                 action, resource);
        return true;
    }
    char types[200] = "";
    size_t used = 0;
    bool required = false;
    uint32_t takes[32];
    uint32_t ntakes = 0;
    for (uint32_t i = 0; i < a.nresource_types; i++) {
        ig_catalog_resource_type rt;
        uint32_t rid = ig_catalog_action_resource_type(cat, id, i, &rt);
        if (rid == IG_CATALOG_NONE)
            continue;
        required |= rt.required;
        if (ntakes < 32)
            takes[ntakes++] = rid;
        if (used < sizeof types - 1) {
            int n = snprintf(types + used, sizeof types - used, "%s%s", used ? ", " : "", rt.name);
            if (n > 0)
                used += (size_t)n < sizeof types - used ? (size_t)n : sizeof types - used - 1;
        }
    }
    if (star) {
        /* With no required type AWS may authorize the call on "*" too. */
        if (!required)
            return false;
        snprintf(msg, cap, "%s is authorized on a resource (%s), not on \"*\": name the ARN the call acts on",
                 action, types);
        return true;
    }
    uint32_t ids[64];
    size_t n = ig_catalog_match_arn(cat, resource, strlen(resource), ids, 64);
    if (n > 64)
        n = 64;
    long best = -1;
    size_t best_len = 0;
    bool taken = false;
    for (size_t i = 0; i < n; i++) {
        ig_catalog_resource_type rt;
        if (!ig_catalog_resource_type_get(cat, ids[i], &rt) || !rt.arn)
            continue;
        size_t len = literal_length(rt.arn);
        bool mine = false;
        for (uint32_t k = 0; k < ntakes; k++)
            mine |= takes[k] == ids[i];
        /* Ties go to a type the action takes. */
        if (best < 0 || len > best_len || (len == best_len && mine && !taken)) {
            best = (long)ids[i];
            best_len = len;
            taken = mine;
        }
    }
    if (taken)
        return false;
    if (best < 0) {
        snprintf(msg, cap, "%s is authorized on %s, and %s is not an ARN of any of them", action, types, resource);
        return true;
    }
    ig_catalog_resource_type rt;
    ig_catalog_resource_type_get(cat, (uint32_t)best, &rt);
    snprintf(msg, cap, "%s is authorized on %s, but %s is an ARN of %s:%s", action, types, resource, rt.service, rt.name);
    return true;
}

void chk_check_shapes(const chk_scenario *s, const ig_catalog *cat, chk_run *run)
{
    run->shape_warnings = 0;
    run->shapes_checked = cat != NULL;
    for (size_t i = 0; i < s->nreqs; i++) {
        chk_outcome *o = &run->outcomes[i];
        if (chk_resource_shape(cat, s->reqs[i].req.action, s->reqs[i].req.resource, o->shape, sizeof o->shape))
            run->shape_warnings++;
    }
}

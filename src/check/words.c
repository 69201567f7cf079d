/* words.c - decisions, expectations and how close a statement came to a
 * request, in sentences for the report. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check/check_int.h"
#include "check/probe.h"

static void appendf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void appendf(char *buf, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(buf);
    if (n + 1 >= cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf + n, cap - n, fmt, ap);
    va_end(ap);
}

const char *chk_decision_words(ig_decision d)
{
    switch (d) {
    case IG_ALLOWED: return "allowed";
    case IG_EXPLICIT_DENY: return "denied by an explicit Deny";
    default: return "denied (nothing allows it)";
    }
}

const char *chk_expect_words(chk_expect e)
{
    switch (e) {
    case CHK_EXPECT_ALLOWED: return "allowed";
    case CHK_EXPECT_DENIED: return "denied";
    case CHK_EXPECT_EXPLICIT_DENY: return "denied by an explicit Deny";
    default: return "denied because nothing allows it";
    }
}

/* A JSON element value (string or list) as quoted text, shortened. */
void chk_element_text(const json_value *v, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (!v)
        return;
    const json_value *items = v->kind == JSON_ARRAY ? v->u.items : v;
    uint32_t n = v->kind == JSON_ARRAY ? v->len : 1;
    for (uint32_t i = 0; i < n && i < 4; i++)
        appendf(buf, cap, "%s\"%s\"", i ? ", " : "",
                items[i].kind == JSON_STRING ? items[i].u.str : "?");
    if (n > 4)
        appendf(buf, cap, " and %u more", n - 4);
}

static const char *entry(const json_value *v, int k)
{
    if (!v || k < 0)
        return NULL;
    const json_value *e = v->kind == JSON_ARRAY ? ((uint32_t)k < v->len ? &v->u.items[k] : NULL) : v;
    return e && e->kind == JSON_STRING ? e->u.str : NULL;
}

/* The request's value of a context key (case-insensitive), or NULL. */
static const ig_context_entry *ctx_find(const ig_request *rq, const char *key)
{
    for (size_t i = 0; i < rq->ncontext; i++)
        if (!strcasecmp(rq->context[i].key, key))
            return &rq->context[i];
    return NULL;
}

void chk_describe(const ig_request *rq, const json_value *st, const probe_info *pi, char *buf, size_t cap)
{
    char list[300];
    buf[0] = '\0';
    switch (pi->kind) {
    case NEAR_APPLIES: {
        const json_value *a = json_get(st, "Action"), *r = json_get(st, "Resource");
        const char *ae = entry(a, pi->action), *re = entry(r, pi->resource);
        if (ae) appendf(buf, cap, "Action \"%s\" matches %s", ae, rq->action);
        else appendf(buf, cap, "its %s covers %s", a ? "Action" : "NotAction", rq->action);
        if (re) appendf(buf, cap, ", Resource \"%s\" covers %s", re, rq->resource);
        else appendf(buf, cap, ", its %s covers the resource", r ? "Resource" : "NotResource");
        if (json_get(st, "Condition"))
            appendf(buf, cap, ", and its Condition holds");
        break;
    }
    case NEAR_CONDITION: {
        const json_value *cond = json_get(st, "Condition");
        if (pi->cond_op < 0) {
            appendf(buf, cap, "its action and resource match, but its Condition does not hold together");
            break;
        }
        const json_member *op = &cond->u.members[pi->cond_op];
        const json_member *k = &op->value.u.members[pi->cond_key];
        chk_element_text(&k->value, list, sizeof list);
        appendf(buf, cap, "its action and resource match, but its condition %s %s = %s does not hold: ",
                op->key, k->key, list);
        const ig_context_entry *ce = ctx_find(rq, k->key);
        if (!ce || ce->nvalues == 0) {
            appendf(buf, cap, "the request does not carry %s", k->key);
        } else {
            appendf(buf, cap, "the request has %s =", k->key);
            for (size_t i = 0; i < ce->nvalues && i < 4; i++)
                appendf(buf, cap, "%s \"%s\"", i ? "," : "", ce->values[i]);
        }
        break;
    }
    case NEAR_RESOURCE: {
        const json_value *r = json_get(st, "Resource");
        chk_element_text(r ? r : json_get(st, "NotResource"), list, sizeof list);
        if (r)
            appendf(buf, cap, "its action matches, but its Resource (%s) does not cover %s", list, rq->resource);
        else
            appendf(buf, cap, "its action matches, but its NotResource (%s) excludes %s", list, rq->resource);
        if (pi->hint_key)
            appendf(buf, cap, " -- the request names that in %s, but %s is checked against %s",
                    pi->hint_key, rq->action, rq->resource);
        break;
    }
    case NEAR_OTHER_ACTION: {
        const char *near = entry(json_get(st, "Action"), pi->similar);
        appendf(buf, cap, "its Resource %scovers the request, but its actions do not include %s",
                json_get(st, "Condition") ? "and Condition " : "", rq->action);
        if (near)
            appendf(buf, cap, " (it lists \"%s\")", near);
        break;
    }
    case NEAR_ACTION:
        appendf(buf, cap, "its actions do not include %s", rq->action);
        break;
    }
}

/* probe.c - how close one policy statement comes to applying to a request.
 *
 * The statement is re-emitted as a one-statement policy, optionally with
 * parts removed (its Condition, its Resource, all but one Action, Resource
 * or condition key), compiled and evaluated with the real engine for the
 * same principal.  So "which part did not match" is decided by exactly the
 * rules that decided the request, not by a second implementation. */
#include <string.h>

#include "check/probe.h"
#include "util/str.h"

static void write_one(json_writer *w, const json_value *v, int k)
{
    if (k >= 0 && v->kind == JSON_ARRAY && (uint32_t)k < v->len)
        jw_value(w, &v->u.items[k]);
    else
        jw_value(w, v);
}

static void write_condition(json_writer *w, const json_value *cond, const probe_mod *m)
{
    if (m->cond_op < 0 || cond->kind != JSON_OBJECT || (uint32_t)m->cond_op >= cond->len) {
        jw_value(w, cond);
        return;
    }
    const json_member *op = &cond->u.members[m->cond_op];
    jw_object_begin(w);
    jw_key(w, op->key);
    if (op->value.kind == JSON_OBJECT && m->cond_key >= 0 && (uint32_t)m->cond_key < op->value.len) {
        const json_member *k = &op->value.u.members[m->cond_key];
        jw_object_begin(w);
        jw_key(w, k->key);
        jw_value(w, &k->value);
        jw_object_end(w);
    } else {
        jw_value(w, &op->value);
    }
    jw_object_end(w);
}

/* The statement as a policy of its own, with the parts m removes. */
static void write_probe(json_buf *b, const json_value *doc, const json_value *st, const probe_mod *m)
{
    json_writer w;
    jw_init(&w, b, false);
    jw_object_begin(&w);
    const json_value *ver = json_get(doc, "Version");
    if (ver) {
        jw_key(&w, "Version");
        jw_value(&w, ver);
    }
    jw_key(&w, "Statement");
    jw_object_begin(&w);
    for (uint32_t i = 0; i < st->len; i++) {
        const json_member *e = &st->u.members[i];
        const char *k = e->key;
        if (!strcmp(k, "Principal") || !strcmp(k, "NotPrincipal"))
            continue;
        if (!strcmp(k, "Condition")) {
            if (m->drop_conditions)
                continue;
            jw_key(&w, k);
            write_condition(&w, &e->value, m);
            continue;
        }
        if (!strcmp(k, "Resource") || !strcmp(k, "NotResource")) {
            if (m->any_resource) {
                jw_kstring(&w, "Resource", "*");
            } else {
                jw_key(&w, k);
                write_one(&w, &e->value, k[0] == 'R' ? m->only_resource : -1);
            }
            continue;
        }
        jw_key(&w, k);
        if (m->action_override && !strcmp(k, "Action"))
            jw_string(&w, m->action_override);
        else
            write_one(&w, &e->value, !strcmp(k, "Action") ? m->only_action : -1);
    }
    jw_object_end(&w);
    jw_object_end(&w);
}

/* Key policies and trust policies must allow the caller themselves; the
 * probe stands in an account-wide one so only the statement decides. */
static bool needs_resource_policy(const char *action)
{
    size_t n = strlen(action);
    /* Over-approximates src/eval's rule (a key policy only for key ARNs, a
     * trust policy for the session options only on roles): a stand-in
     * policy where none is needed changes nothing about which identity
     * statement applies. */
    return (n > 4 && ig_eq_icase(action, "kms:", 4)) ||
           (n >= 14 && ig_eq_icase(action, "sts:assumerole", 14)) ||
           (n == 14 && ig_eq_icase(action, "sts:tagsession", 14)) ||
           (n == 21 && ig_eq_icase(action, "sts:setsourceidentity", 21)) ||
           (n == 14 && ig_eq_icase(action, "sts:setcontext", 14));
}

static ig_policy *account_policy(const char *account)
{
    json_buf b;
    json_buf_init(&b);
    json_buf_puts(&b, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                      "\"Principal\":{\"AWS\":");
    json_buf_quote(&b, account, strlen(account));
    json_buf_puts(&b, "},\"Action\":\"*\"}]}");
    ig_policy *p = b.failed ? NULL : ig_policy_compile(b.data, b.len, IG_POLICY_RESOURCE, "probe", NULL, NULL);
    json_buf_free(&b);
    return p;
}

int probe_statement(const probe_who *who, const json_value *doc, const json_value *st,
                    const probe_mod *m, const ig_request *req)
{
    if (!st || st->kind != JSON_OBJECT)
        return -1;
    json_buf b;
    json_buf_init(&b);
    write_probe(&b, doc, st, m);
    ig_policy *p = b.failed ? NULL : ig_policy_compile(b.data, b.len, IG_POLICY_IDENTITY, "probe", NULL, NULL);
    json_buf_free(&b);
    if (!p)
        return -1;
    int applies = -1;
    ig_env *env = ig_env_new();
    ig_policy *rp = NULL;
    if (env && ig_env_set_principal_arn(env, who->arn, who->account, NULL) == IG_OK &&
        ig_env_add_identity(env, p) == IG_OK) {
        ig_request rq = *req;
        rq.resource_account = ig_env_principal_account(env);
        rq.resource_policy = NULL;
        if (needs_resource_policy(req->action))
            rq.resource_policy = rp = account_policy(ig_env_principal_account(env));
        ig_result res;
        if (ig_evaluate(env, &rq, IG_EVAL_EXPLAIN, &res) == IG_OK) {
            applies = 0;
            for (uint32_t i = 0; i < res.nmatched; i++)
                if (res.matched[i].policy == p)
                    applies = 1;
        }
    }
    ig_env_free(env);
    ig_policy_free(rp);
    ig_policy_free(p);
    return applies;
}

static const probe_mod NONE = { false, false, -1, -1, -1, -1, NULL };

static int count(const json_value *v)
{
    return !v ? 0 : v->kind == JSON_ARRAY ? (int)v->len : 1;
}

/* The entry of the same service whose name shares the longest prefix with
 * the request's action (ASCII case-insensitive, as actions are). */
static void similar_action(const json_value *actions, const char *action, probe_info *out)
{
    const char *colon = strchr(action, ':');
    size_t svc = colon ? (size_t)(colon - action) + 1 : 0;
    out->similar = -1;
    out->similarity = 0;
    for (int k = 0; k < count(actions); k++) {
        const json_value *e = actions->kind == JSON_ARRAY ? &actions->u.items[k] : actions;
        if (e->kind != JSON_STRING || svc == 0 || strlen(e->u.str) < svc || !ig_eq_icase(e->u.str, action, svc))
            continue;
        size_t n = svc;
        while (action[n] && e->u.str[n] && ig_lower(action[n]) == ig_lower(e->u.str[n]))
            n++;
        if ((int)(n - svc) > out->similarity) {
            out->similarity = (int)(n - svc);
            out->similar = k;
        }
    }
}

void probe_analyze(const probe_who *who, const json_value *doc, const json_value *st,
                   const ig_request *req, probe_info *out)
{
    memset(out, 0, sizeof *out);
    out->kind = NEAR_ACTION;
    out->action = out->resource = out->cond_op = out->cond_key = -1;
    probe_mod m = NONE;
    if (probe_statement(who, doc, st, &m, req) == 1) {
        out->kind = NEAR_APPLIES;
        /* Which entries matched: each alone, without the condition. */
        const json_value *a = json_get(st, "Action"), *r = json_get(st, "Resource");
        for (int k = 0; k < count(a) && out->action < 0; k++) {
            probe_mod one = NONE;
            one.drop_conditions = one.any_resource = true;
            one.only_action = k;
            if (probe_statement(who, doc, st, &one, req) == 1)
                out->action = k;
        }
        for (int k = 0; k < count(r) && out->resource < 0; k++) {
            probe_mod one = NONE;
            one.drop_conditions = true;
            one.only_resource = k;
            if (probe_statement(who, doc, st, &one, req) == 1)
                out->resource = k;
        }
        return;
    }
    m.drop_conditions = true;
    if (probe_statement(who, doc, st, &m, req) == 1) {
        out->kind = NEAR_CONDITION;
        const json_value *cond = json_get(st, "Condition");
        for (uint32_t i = 0; cond && cond->kind == JSON_OBJECT && i < cond->len && out->cond_op < 0; i++) {
            const json_value *keys = &cond->u.members[i].value;
            for (uint32_t j = 0; keys->kind == JSON_OBJECT && j < keys->len; j++) {
                probe_mod one = NONE;
                one.cond_op = (int)i;
                one.cond_key = (int)j;
                if (probe_statement(who, doc, st, &one, req) == 0) {
                    out->cond_op = (int)i;
                    out->cond_key = (int)j;
                    break;
                }
            }
        }
        return;
    }
    const json_value *actions = json_get(st, "Action");
    probe_mod other = NONE;
    other.action_override = req->action;
    if (actions && probe_statement(who, doc, st, &other, req) == 1) {
        out->kind = NEAR_OTHER_ACTION;
        similar_action(actions, req->action, out);
        return;
    }
    m.any_resource = true;
    if (probe_statement(who, doc, st, &m, req) == 1) {
        out->kind = NEAR_RESOURCE;
        /* A context value the Resource would match: the request names that
         * thing in a condition key, not as the resource it is checked on. */
        for (size_t i = 0; i < req->ncontext && !out->hint_key; i++) {
            const ig_context_entry *ce = &req->context[i];
            if (ce->nvalues != 1 || strncmp(ce->values[0], "arn:", 4) != 0)
                continue;
            ig_request alt = *req;
            alt.resource = ce->values[0];
            probe_mod nc = NONE;
            nc.drop_conditions = true;
            if (probe_statement(who, doc, st, &nc, &alt) == 1)
                out->hint_key = ce->key;
        }
    }
}

/* groups.c - the groups of a scenario and their requests: who calls, what
 * action on what resource with which context, and the outcome expected. */
#include <string.h>

#include "check/check_int.h"

static long find_principal(const chk_scenario *s, const char *name)
{
    for (size_t i = 0; i < s->nprincipals; i++)
        if (!strcmp(s->principals[i].name, name))
            return (long)i;
    return -1;
}

static bool principal_ref(lctx *c, const json_value *v, long *out)
{
    const char *name;
    if (!chk_get_str(c, v, "\"principal\"", &name))
        return false;
    *out = find_principal(c->s, name);
    if (*out < 0)
        return chk_fail(c, v->start, "no principal named \"%s\" in \"principals\"", name);
    return true;
}

static bool parse_expect(lctx *c, const json_value *v, chk_expect *out)
{
    static const char *const words[] = { "allowed", "denied", "explicitDeny", "implicitDeny" };
    if (v->kind == JSON_STRING)
        for (int i = 0; i < 4; i++)
            if (!strcmp(v->u.str, words[i]) && strlen(words[i]) == v->len) {
                *out = (chk_expect)i;
                return true;
            }
    if (v->kind != JSON_STRING)
        return chk_fail(c, v->start, "\"expect\" must be allowed, denied, explicitDeny or implicitDeny, got %s",
                        json_kind_name(v->kind));
    return chk_fail(c, v->start, "\"expect\" must be allowed, denied, explicitDeny or implicitDeny, got \"%s\"",
                    v->u.str);
}

static const char *scalar_text(lctx *c, const json_value *v)
{
    switch (v->kind) {
    case JSON_STRING: return strlen(v->u.str) == v->len ? v->u.str : NULL;
    case JSON_NUMBER: return ig_arena_strndup(&c->s->arena, v->u.str, v->len);
    case JSON_TRUE: return "true";
    case JSON_FALSE: return "false";
    default: return NULL;
    }
}

static bool load_context(lctx *c, const json_value *v, ig_request *req)
{
    if (!chk_want_kind(c, v, JSON_OBJECT, "\"context\""))
        return false;
    if (v->len > CHK_MAX_CONTEXT)
        return chk_fail(c, v->start, "more than %d context keys", CHK_MAX_CONTEXT);
    ig_context_entry *ents = ig_arena_alloc(&c->s->arena, (v->len ? v->len : 1) * sizeof *ents);
    if (!ents)
        return chk_nomem(c, v->start);
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        const json_value *cv = &m->value;
        if (m->key_len == 0 || strlen(m->key) != m->key_len || m->key_len > 256)
            return chk_fail(c, m->key_start, "a context key must be 1 to 256 bytes without NUL");
        const json_value *items = cv;
        uint32_t n = 1;
        if (cv->kind == JSON_ARRAY) {
            items = cv->u.items;
            n = cv->len;
            if (n > 256)
                return chk_fail(c, cv->start, "more than 256 values for one context key");
        }
        const char **vals = ig_arena_alloc(&c->s->arena, (n ? n : 1) * sizeof *vals);
        if (!vals)
            return chk_nomem(c, cv->start);
        for (uint32_t j = 0; j < n; j++) {
            vals[j] = scalar_text(c, &items[j]);
            if (!vals[j])
                return chk_fail(c, items[j].start,
                                "context values must be strings, numbers, booleans or lists of them, got %s",
                                json_kind_name(items[j].kind));
        }
        ents[i].key = m->key;
        ents[i].values = vals;
        ents[i].nvalues = n;
    }
    req->context = ents;
    req->ncontext = v->len;
    return true;
}

/* Free text shown in reports (source, ifRefused): one line of printable
 * text, so that a hostile scenario cannot forge report lines. */
static bool get_line(lctx *c, const json_value *v, const char *what, size_t max, const char **out)
{
    if (!chk_get_str(c, v, what, out))
        return false;
    if (v->len == 0 || v->len > max)
        return chk_fail(c, v->start, "%s must be 1 to %zu bytes", what, max);
    for (size_t i = 0; i < v->len; i++)
        if ((unsigned char)(*out)[i] < 0x20 || (*out)[i] == 0x7f)
            return chk_fail(c, v->start, "%s must be one line without control characters", what);
    return true;
}

static bool get_range(lctx *c, const json_value *v, const char **out)
{
    if (!chk_get_str(c, v, "\"amplify\"", out))
        return false;
    const char *bad = chk_range_check(*out);
    if (bad)
        return chk_fail(c, v->start,
                        "\"amplify\" must be a version range such as \"<12.2.4\" or \">=10.0.0 <12.2.4\" (%s), got \"%s\"",
                        bad, *out);
    return true;
}

static bool get_bool(lctx *c, const json_value *v, const char *what, bool *out)
{
    if (v->kind != JSON_TRUE && v->kind != JSON_FALSE)
        return chk_fail(c, v->start, "%s must be true or false, got %s", what, json_kind_name(v->kind));
    *out = v->kind == JSON_TRUE;
    return true;
}

static bool load_request(lctx *c, const json_value *v, size_t group, long default_principal,
                         unsigned nth)
{
    chk_scenario *s = c->s;
    if (!chk_want_kind(c, v, JSON_OBJECT, "a request"))
        return false;
    chk_request *r = &s->reqs[s->nreqs];
    memset(r, 0, sizeof *r);
    r->group = group;
    r->resource_policy = -1;
    r->req.resource = "*";
    json_line_col(c->text, c->len, v->start, &r->line, &r->column);
    r->file = c->file;
    long principal = default_principal;
    bool have_expect = false;
    const json_member *seq_only = NULL;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *m = &v->u.members[i];
        const json_value *mv = &m->value;
        const char *k = m->key;
        if (!strcmp(k, "id")) {
            if (!chk_get_name(c, mv, "a request id", &r->id)) return false;
        } else if (!strcmp(k, "step")) {
            if (!chk_get_str(c, mv, "\"step\"", &r->step)) return false;
        } else if (!strcmp(k, "reason")) {
            if (!chk_get_str(c, mv, "\"reason\"", &r->reason)) return false;
        } else if (!strcmp(k, "principal")) {
            if (!principal_ref(c, mv, &principal)) return false;
        } else if (!strcmp(k, "action")) {
            if (!chk_get_str(c, mv, "\"action\"", &r->req.action)) return false;
            if (mv->len > 256)
                return chk_fail(c, mv->start, "\"action\" is longer than 256 bytes");
        } else if (!strcmp(k, "resource")) {
            if (!chk_get_str(c, mv, "\"resource\"", &r->req.resource)) return false;
        } else if (!strcmp(k, "resourceAccount")) {
            if (!chk_get_str(c, mv, "\"resourceAccount\"", &r->req.resource_account)) return false;
        } else if (!strcmp(k, "context")) {
            if (!load_context(c, mv, &r->req)) return false;
        } else if (!strcmp(k, "resourcePolicy")) {
            if (!chk_policy_ref(c, mv, "\"resourcePolicy\"", &r->resource_policy)) return false;
        } else if (!strcmp(k, "expect")) {
            if (!parse_expect(c, mv, &r->expect)) return false;
            have_expect = true;
        } else if (!strcmp(k, "source")) {
            if (!get_line(c, mv, "\"source\"", 300, &r->source)) return false;
        } else if (!strcmp(k, "amplify")) {
            if (!get_range(c, mv, &r->amplify)) return false;
        } else if (!strcmp(k, "ifRefused")) {
            if (!get_line(c, mv, "\"ifRefused\"", 600, &r->if_refused)) return false;
            seq_only = m;
        } else if (!strcmp(k, "continuesIfRefused")) {
            if (!get_bool(c, mv, "\"continuesIfRefused\"", &r->continues)) return false;
            seq_only = m;
        } else {
            return chk_fail(c, m->key_start,
                            "unknown key \"%s\" in a request (expected id, step, principal, action, resource, resourceAccount, context, resourcePolicy, expect, reason, source, amplify, ifRefused or continuesIfRefused)",
                            k);
        }
    }
    if (seq_only && !s->groups[group].sequence)
        return chk_fail(c, seq_only->key_start,
                        "\"%s\" needs a group with \"sequence: true\" (group \"%s\" is not one)",
                        seq_only->key, s->groups[group].name);
    if (!r->req.action)
        return chk_fail(c, v->start, "a request needs an \"action\"");
    if (!have_expect)
        return chk_fail(c, v->start, "a request needs an \"expect\" (allowed, denied, explicitDeny or implicitDeny)");
    if (principal < 0)
        return chk_fail(c, v->start, "a request needs a \"principal\" (in the request or its group)");
    r->principal = (size_t)principal;
    if (!r->id) {
        char id[160];
        snprintf(id, sizeof id, "%s-%u", s->groups[group].name, nth);
        r->id = ig_arena_strndup(&s->arena, id, strlen(id));
        if (!r->id)
            return chk_nomem(c, v->start);
    }
    for (size_t j = 0; j < s->nreqs; j++)
        if (!strcmp(s->reqs[j].id, r->id))
            return chk_fail(c, v->start, "request id \"%s\" is used twice (first at line %u)",
                            r->id, s->reqs[j].line);
    if (!chk_attach_resource_policy(c, r, v))
        return false;
    s->nreqs++;
    return true;
}

static bool load_group(lctx *c, const json_member *m)
{
    chk_scenario *s = c->s;
    const json_value *v = &m->value;
    if (!chk_key_name(c, m, "a group name"))
        return false;
    if (!chk_want_kind(c, v, JSON_OBJECT, "a group"))
        return false;
    chk_group *g = &s->groups[s->ngroups];
    memset(g, 0, sizeof *g);
    g->name = m->key;
    g->first = s->nreqs;
    long principal = -1;
    const json_value *requests = NULL;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_member *e = &v->u.members[i];
        if (!strcmp(e->key, "title")) {
            if (!chk_get_str(c, &e->value, "\"title\"", &g->title)) return false;
        } else if (!strcmp(e->key, "principal")) {
            if (!principal_ref(c, &e->value, &principal)) return false;
        } else if (!strcmp(e->key, "requests")) {
            if (!chk_want_kind(c, &e->value, JSON_ARRAY, "\"requests\"")) return false;
            requests = &e->value;
        } else if (!strcmp(e->key, "sequence")) {
            if (!get_bool(c, &e->value, "\"sequence\"", &g->sequence)) return false;
        } else {
            return chk_fail(c, e->key_start,
                            "unknown key \"%s\" in group \"%s\" (expected title, principal, sequence or requests)",
                            e->key, g->name);
        }
    }
    if (!requests || requests->len == 0)
        return chk_fail(c, v->start, "group \"%s\" needs a non-empty \"requests\" list", g->name);
    s->ngroups++;
    for (uint32_t i = 0; i < requests->len; i++) {
        if (s->nreqs >= CHK_MAX_REQUESTS)
            return chk_fail(c, requests->u.items[i].start, "more than %d requests", CHK_MAX_REQUESTS);
        if (!load_request(c, &requests->u.items[i], s->ngroups - 1, principal, i + 1))
            return false;
    }
    g->count = s->nreqs - g->first;
    return true;
}

bool chk_load_groups(lctx *c, const json_value *v)
{
    if (!chk_want_kind(c, v, JSON_OBJECT, "\"groups\""))
        return false;
    if (v->len == 0)
        return chk_fail(c, v->start, "\"groups\" is empty");
    if (v->len > CHK_MAX_GROUPS)
        return chk_fail(c, v->start, "more than %d groups", CHK_MAX_GROUPS);
    chk_scenario *s = c->s;
    size_t total = 0;
    for (uint32_t i = 0; i < v->len; i++) {
        const json_value *rq = json_get(&v->u.members[i].value, "requests");
        if (rq && rq->kind == JSON_ARRAY)
            total += rq->len;
    }
    if (total > CHK_MAX_REQUESTS)
        return chk_fail(c, v->start, "more than %d requests", CHK_MAX_REQUESTS);
    s->groups = ig_arena_alloc(&s->arena, v->len * sizeof *s->groups);
    s->reqs = ig_arena_alloc(&s->arena, (total ? total : 1) * sizeof *s->reqs);
    if (!s->groups || !s->reqs)
        return chk_nomem(c, v->start);
    for (uint32_t i = 0; i < v->len; i++)
        if (!load_group(c, &v->u.members[i]))
            return false;
    return true;
}

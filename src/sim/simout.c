/* simout.c - results of a simulation as JSON, and checking expectations. */
#include <stdio.h>
#include <string.h>

#include "sim/sim.h"

const char *sim_statement_ref(const ig_matched_statement *m, char *buf, size_t cap)
{
    if (m->sid)
        snprintf(buf, cap, "%s/%s", ig_policy_id(m->policy), m->sid);
    else
        snprintf(buf, cap, "%s/#%u", ig_policy_id(m->policy), m->index + 1);
    return buf;
}

static void write_pos(json_writer *w, const char *key, unsigned line, unsigned col)
{
    jw_key(w, key);
    jw_object_begin(w);
    jw_kint(w, "line", line);
    jw_kint(w, "column", col);
    jw_object_end(w);
}

void sim_write_result(json_writer *w, const sim_request *r, const ig_result *res)
{
    jw_object_begin(w);
    jw_kstring(w, "action", r->req.action);
    jw_kstring(w, "resource", r->req.resource);
    jw_kstring(w, "decision", ig_decision_name(res->decision));
    jw_kstring(w, "blockedBy", ig_layer_name(res->blocked_by));
    if (res->needs_no_permission)   /* only then: other results keep their shape */
        jw_kbool(w, "needsNoPermission", true);
    jw_key(w, "matchedStatements");
    jw_array_begin(w);
    for (uint32_t i = 0; i < res->nmatched; i++) {
        const ig_matched_statement *m = &res->matched[i];
        jw_object_begin(w);
        jw_kstring(w, "policyId", ig_policy_id(m->policy));
        jw_kstring(w, "policyType", ig_policy_type_name(m->type));
        jw_kstring(w, "sid", m->sid);
        jw_kstring(w, "file", ig_policy_file(m->policy));
        write_pos(w, "start", m->start_line, m->start_column);
        write_pos(w, "end", m->end_line, m->end_column);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_kbool(w, "allowedByPermissionsBoundary", res->allowed_by_boundary);
    jw_kbool(w, "allowedByOrganizations", res->allowed_by_organizations);
    jw_key(w, "missingContextValues");
    jw_array_begin(w);
    for (uint32_t i = 0; i < res->nmissing; i++)
        jw_string(w, res->missing[i]);
    jw_array_end(w);
    if (res->error) {
        jw_kstring(w, "error", res->error_msg);
    }
    jw_object_end(w);
}

/* ---- expectations ---- */

static bool str_in_matched(const ig_result *res, const char *want)
{
    char buf[512];
    for (uint32_t i = 0; i < res->nmatched; i++)
        if (!strcmp(sim_statement_ref(&res->matched[i], buf, sizeof buf), want))
            return true;
    return false;
}

static bool check_set_matched(const json_value *v, const ig_result *res, json_buf *msg)
{
    bool ok = v->kind == JSON_ARRAY && v->len == res->nmatched;
    for (uint32_t i = 0; ok && i < v->len; i++)
        ok = v->u.items[i].kind == JSON_STRING && str_in_matched(res, v->u.items[i].u.str);
    if (ok)
        return true;
    json_buf_puts(msg, "  matched: expected ");
    json_writer w;
    jw_init(&w, msg, false);
    jw_value(&w, v);
    json_buf_puts(msg, ", got [");
    char buf[512];
    for (uint32_t i = 0; i < res->nmatched; i++)
        json_buf_printf(msg, "%s\"%s\"", i ? "," : "", sim_statement_ref(&res->matched[i], buf, sizeof buf));
    json_buf_puts(msg, "]\n");
    return false;
}

static bool check_set_missing(const json_value *v, const ig_result *res, json_buf *msg)
{
    bool ok = v->kind == JSON_ARRAY && v->len == res->nmissing;
    for (uint32_t i = 0; ok && i < v->len; i++) {
        bool found = false;
        for (uint32_t j = 0; j < res->nmissing && !found; j++)
            found = v->u.items[i].kind == JSON_STRING && !strcmp(v->u.items[i].u.str, res->missing[j]);
        ok = found;
    }
    if (ok)
        return true;
    json_buf_puts(msg, "  missingContextValues: expected ");
    json_writer w;
    jw_init(&w, msg, false);
    jw_value(&w, v);
    json_buf_puts(msg, ", got [");
    for (uint32_t i = 0; i < res->nmissing; i++)
        json_buf_printf(msg, "%s\"%s\"", i ? "," : "", res->missing[i]);
    json_buf_puts(msg, "]\n");
    return false;
}

static bool check_bool(const json_value *v, bool got, const char *name, json_buf *msg)
{
    bool want = v->kind == JSON_TRUE;
    if ((v->kind == JSON_TRUE || v->kind == JSON_FALSE) && want == got)
        return true;
    json_buf_printf(msg, "  %s: expected %s, got %s\n", name,
                    v->kind == JSON_TRUE ? "true" : v->kind == JSON_FALSE ? "false" : "(not a boolean)",
                    got ? "true" : "false");
    return false;
}

static bool check_decision(const json_value *v, const ig_result *res, json_buf *msg)
{
    const char *got = ig_decision_name(res->decision);
    if (v->kind == JSON_STRING && !strcmp(v->u.str, got))
        return true;
    json_buf_printf(msg, "  decision: expected %s, got %s\n",
                    v->kind == JSON_STRING ? v->u.str : "(not a string)", got);
    return false;
}

bool sim_check_expect(const sim_request *r, const ig_result *res, json_buf *msg)
{
    const json_value *e = r->expect;
    if (!e)
        return true;
    if (e->kind == JSON_STRING)
        return check_decision(e, res, msg);
    bool ok = true;
    for (uint32_t i = 0; i < e->len; i++) {
        const json_member *m = &e->u.members[i];
        const json_value *v = &m->value;
        if (!strcmp(m->key, "decision")) {
            ok &= check_decision(v, res, msg);
        } else if (!strcmp(m->key, "blockedBy")) {
            const char *got = ig_layer_name(res->blocked_by);
            bool same = v->kind == JSON_NULL ? got == NULL
                      : v->kind == JSON_STRING && got && !strcmp(v->u.str, got);
            if (!same) {
                json_buf_printf(msg, "  blockedBy: expected %s, got %s\n",
                                v->kind == JSON_STRING ? v->u.str : "null", got ? got : "null");
                ok = false;
            }
        } else if (!strcmp(m->key, "matched")) {
            ok &= check_set_matched(v, res, msg);
        } else if (!strcmp(m->key, "missingContextValues")) {
            ok &= check_set_missing(v, res, msg);
        } else if (!strcmp(m->key, "allowedByPermissionsBoundary")) {
            ok &= check_bool(v, res->allowed_by_boundary, m->key, msg);
        } else if (!strcmp(m->key, "allowedByOrganizations")) {
            ok &= check_bool(v, res->allowed_by_organizations, m->key, msg);
        } else {
            json_buf_printf(msg, "  unknown expectation \"%s\"\n", m->key);
            ok = false;
        }
    }
    return ok;
}

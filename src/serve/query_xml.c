/* query_xml.c - XML shapes of the Query API: error responses and
 * EvaluationResults members, field by field as AWS returns them. */
#include <string.h>

#include "serve/query.h"

void query_error(serve_reply *r, int status, const char *type, const char *code,
                 const char *msg)
{
    r->status = status;
    r->content_type = "text/xml";
    r->detail = code;
    r->body.len = 0;
    r->body.failed = false;
    memset(r->decisions, 0, sizeof r->decisions);
    xml_writer w;
    xw_init(&w, &r->body);
    xw_open_ns(&w, "ErrorResponse", IAM_XMLNS);
    xw_open(&w, "Error");
    xw_text(&w, "Type", type);
    xw_text(&w, "Code", code);
    xw_text(&w, "Message", msg);
    xw_close(&w);
    xw_text(&w, "RequestId", r->request_id);
    xw_close(&w);
    json_buf_puts(&r->body, "\n");
}

static void write_position(xml_writer *w, const char *name, unsigned line, unsigned column)
{
    xw_open(w, name);
    xw_uint(w, "Line", line);
    xw_uint(w, "Column", column);
    xw_close(w);
}

static void write_matched(xml_writer *w, const ig_result *res)
{
    xw_open(w, "MatchedStatements");
    for (uint32_t i = 0; i < res->nmatched; i++) {
        const ig_matched_statement *m = &res->matched[i];
        xw_open(w, "member");
        xw_text(w, "SourcePolicyId", ig_policy_id(m->policy));
        xw_text(w, "SourcePolicyType", awssim_source_policy_type(m));
        write_position(w, "StartPosition", m->start_line, m->start_column);
        write_position(w, "EndPosition", m->end_line, m->end_column);
        xw_close(w);
    }
    xw_close(w);
}

static void write_missing(xml_writer *w, const ig_result *res, bool empty)
{
    xw_open(w, "MissingContextValues");
    for (uint32_t i = 0; !empty && i < res->nmissing; i++)
        xw_text(w, "member", res->missing[i]);
    xw_close(w);
}

static void write_details(xml_writer *w, size_t n, const char *keys[2], const char *values[2])
{
    xw_open(w, "EvalDecisionDetails");
    for (size_t i = 0; i < n; i++) {
        xw_open(w, "entry");
        xw_text(w, "key", keys[i]);
        xw_text(w, "value", values[i]);
        xw_close(w);
    }
    xw_close(w);
}

static void write_boundary(xml_writer *w, const ig_result *res)
{
    xw_open(w, "PermissionsBoundaryDecisionDetail");
    xw_bool(w, "AllowedByPermissionsBoundary", res->allowed_by_boundary);
    xw_close(w);
}

/* For a specific resource AWS reports missing context keys, the details
 * and the boundary per resource (ResourceSpecificResults); for "*" at the
 * top, without EvalDecisionDetails. */
void query_write_result(xml_writer *w, const awssim *sim, const ig_request *rq,
                        const ig_result *res)
{
    bool present;
    const char *keys[2], *values[2];
    size_t nd = awssim_decision_details(sim, rq, res, &present, keys, values);
    xw_open(w, "member");
    xw_text(w, "EvalActionName", rq->action);
    xw_text(w, "EvalResourceName", rq->resource);
    xw_text(w, "EvalDecision", ig_decision_name(res->decision));
    write_matched(w, res);
    write_missing(w, res, present);
    xw_open(w, "OrganizationsDecisionDetail");
    xw_bool(w, "AllowedByOrganizations", res->allowed_by_organizations);
    xw_close(w);
    write_boundary(w, res);
    if (present) {
        write_details(w, nd, keys, values);
        xw_open(w, "ResourceSpecificResults");
        xw_open(w, "member");
        xw_text(w, "EvalResourceName", rq->resource);
        xw_text(w, "EvalResourceDecision", ig_decision_name(res->decision));
        write_matched(w, res);
        write_missing(w, res, false);
        write_details(w, nd, keys, values);
        write_boundary(w, res);
        xw_close(w);
        xw_close(w);
    }
    xw_close(w);
}

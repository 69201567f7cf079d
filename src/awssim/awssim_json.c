/* awssim_json.c - an EvaluationResults entry in the JSON shape that
 * `aws iam simulate-custom-policy` prints. */
#include "awssim/awssim.h"

static void write_position(json_writer *w, const char *key, unsigned line, unsigned column)
{
    jw_key(w, key);
    jw_object_begin(w);
    jw_key(w, "Line"); jw_int(w, line);
    jw_key(w, "Column"); jw_int(w, column);
    jw_object_end(w);
}

void awssim_write_json_result(json_writer *w, const ig_request *rq, const ig_result *r)
{
    jw_object_begin(w);
    jw_kstring(w, "EvalActionName", rq->action);
    jw_kstring(w, "EvalResourceName", rq->resource);
    jw_kstring(w, "EvalDecision", ig_decision_name(r->decision));
    jw_key(w, "MatchedStatements");
    jw_array_begin(w);
    for (uint32_t i = 0; i < r->nmatched; i++) {
        const ig_matched_statement *m = &r->matched[i];
        jw_object_begin(w);
        jw_kstring(w, "SourcePolicyId", ig_policy_id(m->policy));
        jw_kstring(w, "SourcePolicyType", awssim_source_policy_type(m));
        write_position(w, "StartPosition", m->start_line, m->start_column);
        write_position(w, "EndPosition", m->end_line, m->end_column);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "MissingContextValues");
    jw_array_begin(w);
    for (uint32_t i = 0; i < r->nmissing; i++)
        jw_string(w, r->missing[i]);
    jw_array_end(w);
    jw_key(w, "OrganizationsDecisionDetail");
    jw_object_begin(w);
    jw_kbool(w, "AllowedByOrganizations", r->allowed_by_organizations);
    jw_object_end(w);
    jw_key(w, "PermissionsBoundaryDecisionDetail");
    jw_object_begin(w);
    jw_kbool(w, "AllowedByPermissionsBoundary", r->allowed_by_boundary);
    jw_object_end(w);
    jw_key(w, "EvalDecisionDetails");
    jw_object_begin(w);
    jw_object_end(w);
    jw_object_end(w);
}

/* report_json.c - the report as JSON for programs (schema in docs/check.md;
 * keys are only ever added, never renamed or removed). */
#include "check/check.h"

static void note_json(json_writer *w, const chk_note *n)
{
    jw_object_begin(w);
    jw_key(w, "policy");
    jw_string(w, n->policy->name);
    jw_key(w, "sid");
    jw_string(w, n->sid);
    jw_key(w, "index");
    jw_int(w, n->index);
    jw_key(w, "effect");
    jw_string(w, n->deny ? "Deny" : "Allow");
    jw_key(w, "file");
    jw_string(w, n->policy->file);
    jw_key(w, "line");
    jw_int(w, n->line);
    jw_key(w, "column");
    jw_int(w, n->column);
    jw_key(w, "applies");
    jw_bool(w, n->applies);
    jw_key(w, "detail");
    jw_string(w, n->detail[0] ? n->detail : NULL);
    jw_object_end(w);
}

static void request_json(json_writer *w, const chk_scenario *s, const chk_request *r,
                         const chk_outcome *o)
{
    jw_object_begin(w);
    jw_key(w, "id");
    jw_string(w, r->id);
    jw_key(w, "step");
    jw_string(w, r->step);
    jw_key(w, "reason");
    jw_string(w, r->reason);
    jw_key(w, "principal");
    jw_string(w, s->principals[r->principal].name);
    jw_key(w, "action");
    jw_string(w, r->req.action);
    jw_key(w, "resource");
    jw_string(w, r->req.resource);
    jw_key(w, "resourceAccount");
    jw_string(w, r->req.resource_account);
    jw_key(w, "context");
    jw_object_begin(w);
    for (size_t i = 0; i < r->req.ncontext; i++) {
        const ig_context_entry *e = &r->req.context[i];
        jw_key(w, e->key);
        jw_array_begin(w);
        for (size_t j = 0; j < e->nvalues; j++)
            jw_string(w, e->values[j]);
        jw_array_end(w);
    }
    jw_object_end(w);
    jw_key(w, "expect");
    jw_string(w, chk_expect_name(r->expect));
    jw_key(w, "decision");
    jw_string(w, ig_decision_name(o->res.decision));
    jw_key(w, "blockedBy");
    jw_string(w, ig_layer_name(o->res.blocked_by));
    jw_key(w, "ok");
    jw_bool(w, o->met);
    jw_key(w, "explanation");
    jw_string(w, o->why);
    jw_key(w, "fix");
    jw_string(w, o->fix[0] ? o->fix : NULL);
    jw_key(w, "statements");
    jw_array_begin(w);
    for (unsigned i = 0; i < o->nnotes; i++)
        note_json(w, &o->notes[i]);
    jw_array_end(w);
    if (o->res.error) {
        jw_key(w, "error");
        jw_string(w, o->res.error_msg);
    }
    jw_key(w, "location");
    jw_object_begin(w);
    jw_key(w, "file");
    jw_string(w, s->file);
    jw_key(w, "line");
    jw_int(w, r->line);
    jw_key(w, "column");
    jw_int(w, r->column);
    jw_object_end(w);
    jw_object_end(w);
}

void chk_report_json(json_writer *w, const chk_scenario *s, const chk_run *run)
{
    jw_object_begin(w);
    jw_key(w, "file");
    jw_string(w, s->file);
    jw_key(w, "builtin");
    jw_bool(w, s->builtin);
    jw_key(w, "name");
    jw_string(w, s->name);
    jw_key(w, "title");
    jw_string(w, s->title);
    jw_key(w, "template");
    jw_string(w, s->template_file);
    jw_key(w, "policies");
    jw_array_begin(w);
    for (size_t i = 0; i < s->npolicies; i++) {
        const chk_policy *p = &s->policies[i];
        jw_object_begin(w);
        jw_key(w, "name");
        jw_string(w, p->name);
        jw_key(w, "description");
        jw_string(w, p->description);
        jw_key(w, "source");
        jw_string(w, p->shown);
        jw_key(w, "fromTemplate");
        jw_bool(w, p->from_template);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "groups");
    jw_array_begin(w);
    for (size_t g = 0; g < s->ngroups; g++) {
        const chk_group *gr = &s->groups[g];
        size_t bad = 0;
        for (size_t k = 0; k < gr->count; k++)
            bad += !run->outcomes[gr->first + k].met;
        jw_object_begin(w);
        jw_key(w, "name");
        jw_string(w, gr->name);
        jw_key(w, "title");
        jw_string(w, gr->title);
        jw_key(w, "passed");
        jw_int(w, (long long)(gr->count - bad));
        jw_key(w, "failed");
        jw_int(w, (long long)bad);
        jw_key(w, "requests");
        jw_array_begin(w);
        for (size_t k = 0; k < gr->count; k++)
            request_json(w, s, &s->reqs[gr->first + k], &run->outcomes[gr->first + k]);
        jw_array_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "claims");
    jw_array_begin(w);
    for (size_t c = 0; c < s->nclaims; c++) {
        const chk_claim *cl = &s->claims[c];
        jw_object_begin(w);
        jw_key(w, "id");
        jw_string(w, cl->id);
        jw_key(w, "claim");
        jw_string(w, cl->text);
        jw_key(w, "source");
        jw_string(w, cl->source);
        jw_key(w, "holds");
        jw_bool(w, run->claim_holds[c]);
        jw_key(w, "requests");
        jw_array_begin(w);
        for (size_t k = 0; k < cl->nreqs; k++)
            jw_string(w, s->reqs[cl->reqs[k]].id);
        jw_array_end(w);
        jw_key(w, "refutedBy");
        jw_array_begin(w);
        for (size_t k = 0; k < cl->nreqs; k++)
            if (!run->outcomes[cl->reqs[k]].met)
                jw_string(w, s->reqs[cl->reqs[k]].id);
        jw_array_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "summary");
    jw_object_begin(w);
    jw_key(w, "requests");
    jw_int(w, (long long)s->nreqs);
    jw_key(w, "passed");
    jw_int(w, (long long)run->passed);
    jw_key(w, "failed");
    jw_int(w, (long long)run->failed);
    jw_key(w, "claims");
    jw_int(w, (long long)s->nclaims);
    jw_key(w, "claimsHeld");
    jw_int(w, (long long)run->claims_held);
    jw_key(w, "claimsRefuted");
    jw_int(w, (long long)(s->nclaims - run->claims_held));
    jw_object_end(w);
    jw_object_end(w);
}

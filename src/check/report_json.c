/* report_json.c - the report as JSON for programs (schema in docs/check.md;
 * keys are only ever added, never renamed or removed). */
#include "check/check.h"

static void note_json(json_writer *w, const chk_note *n)
{
    jw_object_begin(w);
    jw_kstring(w, "policy", n->policy->name);
    jw_kstring(w, "sid", n->sid);
    jw_kint(w, "index", n->index);
    jw_kstring(w, "effect", n->deny ? "Deny" : "Allow");
    jw_kstring(w, "file", n->policy->file);
    jw_kint(w, "line", n->line);
    jw_kint(w, "column", n->column);
    jw_kbool(w, "applies", n->applies);
    jw_kstring(w, "detail", n->detail[0] ? n->detail : NULL);
    jw_object_end(w);
}

/* Where a sequence group first fails (null when it completes). */
static void sequence_json(json_writer *w, const chk_scenario *s, const chk_run *run, const chk_group *gr)
{
    size_t before, later;
    long at = chk_sequence_failure(s, run, gr, &before, &later);
    jw_key(w, "firstFailure");
    if (at < 0) {
        jw_null(w);
    } else {
        const chk_request *r = &s->reqs[at];
        jw_object_begin(w);
        jw_kstring(w, "id", r->id);
        jw_kint(w, "call", (long long)((size_t)at - gr->first + 1));
        jw_kstring(w, "userSees", r->if_refused);
        jw_kint(w, "notReached", (long long)(gr->first + gr->count - (size_t)at - 1));
        jw_kint(w, "notReachedRefused", (long long)later);
        jw_object_end(w);
    }
    jw_kint(w, "refusedButContinued", (long long)before);
}

static void request_json(json_writer *w, const chk_scenario *s, const chk_request *r,
                         const chk_outcome *o)
{
    jw_object_begin(w);
    jw_kstring(w, "id", r->id);
    jw_kstring(w, "step", r->step);
    jw_kstring(w, "reason", r->reason);
    jw_kstring(w, "principal", s->principals[r->principal].name);
    jw_kstring(w, "action", r->req.action);
    jw_kstring(w, "resource", r->req.resource);
    jw_kstring(w, "resourceAccount", r->req.resource_account);
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
    jw_kstring(w, "expect", chk_expect_name(r->expect));
    jw_kstring(w, "decision", ig_decision_name(o->res.decision));
    jw_kstring(w, "blockedBy", ig_layer_name(o->res.blocked_by));
    jw_kbool(w, "ok", o->met);
    jw_kstring(w, "explanation", o->why);
    jw_kstring(w, "fix", o->fix[0] ? o->fix : NULL);
    jw_kstring(w, "source", r->source);
    jw_kstring(w, "amplify", r->amplify);
    jw_kstring(w, "ifRefused", r->if_refused);
    jw_kbool(w, "continuesIfRefused", r->continues);
    jw_kstring(w, "resourceShape", o->shape[0] ? o->shape : NULL);
    jw_key(w, "statements");
    jw_array_begin(w);
    for (unsigned i = 0; i < o->nnotes; i++)
        note_json(w, &o->notes[i]);
    jw_array_end(w);
    if (o->res.error) {
        jw_kstring(w, "error", o->res.error_msg);
    }
    jw_key(w, "location");
    jw_object_begin(w);
    jw_kstring(w, "file", r->file ? r->file : s->file);
    jw_kint(w, "line", r->line);
    jw_kint(w, "column", r->column);
    jw_object_end(w);
    jw_object_end(w);
}

void chk_report_json(json_writer *w, const chk_scenario *s, const chk_run *run)
{
    jw_object_begin(w);
    jw_kstring(w, "file", s->file);
    jw_kbool(w, "builtin", s->builtin);
    jw_kstring(w, "name", s->name);
    jw_kstring(w, "title", s->title);
    jw_kstring(w, "template", s->template_file);
    jw_key(w, "amplifyCli");
    if (!s->amplify_version && !s->amplify_selected) {
        jw_null(w);
    } else {
        jw_object_begin(w);
        jw_kstring(w, "version", s->amplify_version);
        jw_kstring(w, "commit", s->amplify_commit);
        jw_kstring(w, "selected", s->amplify_selected);
        jw_kint(w, "leftOut", (long long)s->nskipped);
        jw_object_end(w);
    }
    jw_key(w, "policies");
    jw_array_begin(w);
    for (size_t i = 0; i < s->npolicies; i++) {
        const chk_policy *p = &s->policies[i];
        jw_object_begin(w);
        jw_kstring(w, "name", p->name);
        jw_kstring(w, "description", p->description);
        jw_kstring(w, "source", p->shown);
        jw_kbool(w, "fromTemplate", p->from_template);
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
        jw_kstring(w, "name", gr->name);
        jw_kstring(w, "title", gr->title);
        jw_kint(w, "passed", (long long)(gr->count - bad));
        jw_kint(w, "failed", (long long)bad);
        jw_kbool(w, "sequence", gr->sequence);
        if (gr->sequence)
            sequence_json(w, s, run, gr);
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
        jw_kstring(w, "id", cl->id);
        jw_kstring(w, "claim", cl->text);
        jw_kstring(w, "source", cl->source);
        jw_kbool(w, "holds", run->claim_holds[c]);
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
    jw_kint(w, "requests", (long long)s->nreqs);
    jw_kint(w, "passed", (long long)run->passed);
    jw_kint(w, "failed", (long long)run->failed);
    jw_kint(w, "claims", (long long)s->nclaims);
    jw_kint(w, "claimsHeld", (long long)run->claims_held);
    jw_kint(w, "claimsRefuted", (long long)(s->nclaims - run->claims_held));
    jw_key(w, "resourceShapeWarnings");
    if (run->shapes_checked)
        jw_int(w, (long long)run->shape_warnings);
    else
        jw_null(w);
    jw_object_end(w);
    jw_object_end(w);
}

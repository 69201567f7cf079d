/* report_text.c - the report a person reads: per group each request with
 * ✓ or ✗, its decision and reason; for a failure the statements behind it
 * and what would have to change; then each claim, holds or refuted, with
 * the requests that show it. */
#include <string.h>

#include "check/check.h"

typedef struct {
    FILE *f;
    bool color;
    bool verbose;
} out;

static const char *c_(const out *o, const char *code) { return o->color ? code : ""; }
#define GREEN(o) c_(o, "\033[32m")
#define RED(o)   c_(o, "\033[31m")
#define BOLD(o)  c_(o, "\033[1m")
#define DIM(o)   c_(o, "\033[2m")
#define RESET(o) c_(o, "\033[0m")

static void note_line(const out *o, const chk_note *n)
{
    char sid[200];
    if (n->sid)
        snprintf(sid, sizeof sid, "%s", n->sid);
    else
        snprintf(sid, sizeof sid, "statement %u", n->index + 1);
    fprintf(o->f, "        %s:%u:%u  %s (%s, %s)%s%s\n", n->policy->file ? n->policy->file : "?",
            n->line, n->column, sid, n->deny ? "Deny" : "Allow", n->policy->name,
            n->detail[0] ? ": " : "", n->detail);
}

static void where(const out *o, const chk_note *n)
{
    fprintf(o->f, "%s (%s:%u:%u)", n->sid ? n->sid : n->policy->name, n->policy->file ? n->policy->file : "?",
            n->line, n->column);
}

/* A request that went as expected: the statement that decided it (and,
 * through a boundary, the boundary statement that let it pass), or why
 * nothing allowed it. */
static void evidence_line(const out *o, const chk_scenario *s, const chk_request *r, const chk_outcome *oc)
{
    fprintf(o->f, "      %s%s on %s: ", DIM(o), r->req.action, r->req.resource);
    if (!oc->nnotes || !oc->notes[0].applies) {
        fprintf(o->f, "%s%s\n", oc->why, RESET(o));
        return;
    }
    long b = s->principals[r->principal].boundary;
    const chk_policy *bp = b >= 0 ? &s->policies[b] : NULL;
    const chk_note *lead = NULL, *bound = NULL;
    unsigned more = 0;
    for (unsigned i = 0; i < oc->nnotes; i++) {
        const chk_note *n = &oc->notes[i];
        if (n->policy == bp && oc->res.decision == IG_ALLOWED) {
            if (!bound) bound = n;
        } else if (!lead) {
            lead = n;
        } else {
            more++;
        }
    }
    if (!lead)
        lead = bound;
    fprintf(o->f, "%s ", oc->res.decision == IG_ALLOWED ? "allowed by" : "denied by");
    where(o, lead);
    if (more)
        fprintf(o->f, " and %u more", more);
    if (bound && bound != lead) {
        fprintf(o->f, ", within the boundary by ");
        where(o, bound);
    }
    fprintf(o->f, "%s\n", RESET(o));
}

static void request_block(const out *o, const chk_scenario *s, const chk_request *r,
                          const chk_outcome *oc)
{
    bool ok = oc->met;
    fprintf(o->f, "  %s%s%s %s%s%s  %s", ok ? GREEN(o) : RED(o), ok ? "✓" : "✗", RESET(o),
            BOLD(o), r->id, RESET(o), chk_decision_words(oc->res.decision));
    if (!ok)
        fprintf(o->f, "%s, expected %s%s", RED(o), chk_expect_words(r->expect), RESET(o));
    if (r->step)
        fprintf(o->f, "  %s[%s]%s", DIM(o), r->step, RESET(o));
    fputc('\n', o->f);
    if (r->reason)
        fprintf(o->f, "      %s\n", r->reason);
    if (o->verbose && r->source)
        fprintf(o->f, "      %ssource: %s%s%s%s\n", DIM(o), r->source, r->amplify ? "  (Amplify CLI " : "",
                r->amplify ? r->amplify : "", r->amplify ? ")" : "");
    if (oc->shape[0])
        fprintf(o->f, "      %s! resource:%s %s\n", RED(o), RESET(o), oc->shape);
    if (ok) {
        evidence_line(o, s, r, oc);
        return;
    }
    const chk_principal *p = &s->principals[r->principal];
    fprintf(o->f, "      request: %s (%s) calls %s on %s\n", p->name, p->arn, r->req.action, r->req.resource);
    if (r->req.ncontext) {
        fprintf(o->f, "      context:");
        for (size_t i = 0; i < r->req.ncontext; i++) {
            const ig_context_entry *e = &r->req.context[i];
            fprintf(o->f, "%s %s=", i ? "," : "", e->key);
            for (size_t j = 0; j < e->nvalues; j++)
                fprintf(o->f, "%s%s", j ? "|" : "", e->values[j]);
        }
        fputc('\n', o->f);
    }
    fprintf(o->f, "      why: %s\n", oc->why);
    /* The closest statements that did not apply are already named in "why". */
    bool header = false;
    for (unsigned i = 0; i < oc->nnotes; i++) {
        if (!oc->notes[i].applies)
            continue;
        if (!header)
            fprintf(o->f, "      statements that apply:\n");
        header = true;
        note_line(o, &oc->notes[i]);
    }
    if (oc->fix[0])
        fprintf(o->f, "      %sto change:%s %s\n", BOLD(o), RESET(o), oc->fix);
    fprintf(o->f, "      %s(%s:%u:%u)%s\n", DIM(o), r->file ? r->file : s->file, r->line, r->column, RESET(o));
}

/* A command whose calls are made in order: where it first fails and what
 * the person running it sees then, not only which calls are refused. */
static void sequence_block(const out *o, const chk_scenario *s, const chk_run *run, const chk_group *gr)
{
    size_t before, later;
    long at = chk_sequence_failure(s, run, gr, &before, &later);
    const char *what = gr->count && s->reqs[gr->first].step ? s->reqs[gr->first].step : gr->name;
    if (at < 0) {
        fprintf(o->f, "  %s%s completes%s", before ? RED(o) : GREEN(o), what, RESET(o));
        if (before)
            fprintf(o->f, ", going past %zu refused call%s that do%s not stop it", before, before == 1 ? "" : "s",
                    before == 1 ? "es" : "");
        fputc('\n', o->f);
        return;
    }
    const chk_request *r = &s->reqs[at];
    size_t pos = (size_t)at - gr->first;
    fprintf(o->f, "  %s%s fails first at %s%s (call %zu of %zu: %s on %s, %s)\n", RED(o), what, r->id, RESET(o),
            pos + 1, gr->count, r->req.action, r->req.resource, chk_decision_words(run->outcomes[at].res.decision));
    fprintf(o->f, "      the user sees: %s\n",
            r->if_refused ? r->if_refused : "the command stops here (the scenario does not say more)");
    size_t rest = gr->count - pos - 1;
    if (rest == 1)
        fprintf(o->f, "      not reached: the last call (%s)\n", later ? "it would be refused too" : "it would be allowed");
    else if (rest)
        fprintf(o->f, "      not reached: the %zu later calls (%zu of them would be refused too)\n", rest, later);
    if (before)
        fprintf(o->f, "      before it, the command went past %zu refused call%s\n", before, before == 1 ? "" : "s");
}

static void claim_block(const out *o, const chk_scenario *s, const chk_run *run, size_t c)
{
    const chk_claim *cl = &s->claims[c];
    bool holds = run->claim_holds[c];
    fprintf(o->f, "  %s%s%s %s%s%s: %s\n", holds ? GREEN(o) : RED(o), holds ? "✓ holds  " : "✗ refuted",
            RESET(o), BOLD(o), cl->id, RESET(o), cl->text);
    if (cl->source)
        fprintf(o->f, "      %ssource: %s%s\n", DIM(o), cl->source, RESET(o));
    if (holds && cl->nreqs == 0) {
        fprintf(o->f, "      no request of it is made by Amplify CLI %s\n",
                s->amplify_selected ? s->amplify_selected : "?");
        return;
    }
    if (holds) {
        /* A long list helps nobody here; --format json has all of them. */
        size_t shown = cl->nreqs > 12 ? 8 : cl->nreqs;
        fprintf(o->f, "      shown by %zu request%s:", cl->nreqs, cl->nreqs == 1 ? "" : "s");
        for (size_t k = 0; k < shown; k++)
            fprintf(o->f, "%s %s", k ? "," : "", s->reqs[cl->reqs[k]].id);
        if (shown < cl->nreqs)
            fprintf(o->f, " and %zu more", cl->nreqs - shown);
        fputc('\n', o->f);
        return;
    }
    for (size_t k = 0; k < cl->nreqs; k++) {
        size_t i = cl->reqs[k];
        const chk_outcome *oc = &run->outcomes[i];
        if (oc->met)
            continue;
        const chk_request *r = &s->reqs[i];
        fprintf(o->f, "      refuted by %s%s%s: %s on %s was %s, expected %s\n", RED(o), r->id, RESET(o),
                r->req.action, r->req.resource, chk_decision_words(oc->res.decision),
                chk_expect_words(r->expect));
    }
}

void chk_report_text(FILE *f, const chk_scenario *s, const chk_run *run, const chk_text_opts *opts)
{
    out o = { f, opts && opts->color, opts && opts->verbose };
    fprintf(f, "%s%s%s", BOLD(&o), s->name ? s->name : s->file, RESET(&o));
    if (s->title)
        fprintf(f, ": %s", s->title);
    fprintf(f, "\n  scenario  %s%s\n", s->file,
            s->builtin ? " (built into iamguard; the same files are in its source tree)" : "");
    if (s->template_file)
        fprintf(f, "  template  %s\n", s->template_file);
    for (size_t i = 0; i < s->npolicies; i++) {
        const chk_policy *p = &s->policies[i];
        fprintf(f, "  %s  %-34s %s%s%s\n", i ? "        " : "policies", p->name, p->shown ? p->shown : "",
                p->from_template ? "  [template]" : "", "");
    }
    if (s->amplify_version || s->amplify_selected) {
        fprintf(f, "  amplify   ");
        if (s->amplify_version)
            fprintf(f, "calls read from Amplify CLI %s%s%.12s%s", s->amplify_version,
                    s->amplify_commit ? " (commit " : "", s->amplify_commit ? s->amplify_commit : "",
                    s->amplify_commit ? ")" : "");
        if (s->amplify_selected && (!s->amplify_version || strcmp(s->amplify_selected, s->amplify_version)))
            fprintf(f, "%srequests of Amplify CLI %s", s->amplify_version ? "; " : "", s->amplify_selected);
        if (s->nskipped)
            fprintf(f, "; %zu request%s of other versions left out", s->nskipped, s->nskipped == 1 ? "" : "s");
        fputc('\n', f);
    }
    for (size_t g = 0; g < s->ngroups; g++) {
        const chk_group *gr = &s->groups[g];
        size_t bad = 0;
        for (size_t k = 0; k < gr->count; k++)
            bad += !run->outcomes[gr->first + k].met;
        fprintf(f, "\n%s%s%s", BOLD(&o), gr->name, RESET(&o));
        if (gr->title)
            fprintf(f, ": %s", gr->title);
        fprintf(f, "  %s(%zu of %zu as expected)%s\n", bad ? RED(&o) : GREEN(&o), gr->count - bad, gr->count,
                RESET(&o));
        for (size_t k = 0; k < gr->count; k++)
            request_block(&o, s, &s->reqs[gr->first + k], &run->outcomes[gr->first + k]);
        if (gr->sequence)
            sequence_block(&o, s, run, gr);
    }
    if (s->nclaims) {
        fprintf(f, "\n%sclaims%s\n", BOLD(&o), RESET(&o));
        for (size_t c = 0; c < s->nclaims; c++)
            claim_block(&o, s, run, c);
    }
    fprintf(f, "\n%s%s: %zu requests, %zu as expected, %zu not", run->failed ? RED(&o) : GREEN(&o),
            s->name ? s->name : s->file, s->nreqs, run->passed, run->failed);
    if (s->nclaims)
        fprintf(f, "; %zu of %zu claims hold, %zu refuted", run->claims_held, s->nclaims,
                s->nclaims - run->claims_held);
    fprintf(f, "%s\n", RESET(&o));
    if (run->shape_warnings)
        fprintf(f, "resource shapes: %zu request%s name a resource AWS does not authorize the action on (the ! lines)\n",
                run->shape_warnings, run->shape_warnings == 1 ? "" : "s");
}

/* html_check.c - the check report: the verdict at the top (refuted claims
 * first, each linked to its evidence), then the requests, the failed ones
 * first, each with the statements that decided it. */
#include <string.h>

#include "report/html_int.h"

static void badge(rpt_page *p, bool good, const char *word)
{
    h_printf(p, "<span class=\"badge %s\">", good ? "ok" : "bad");
    h_text(p, word);
    h_raw(p, "</span>");
}

static void request_anchor(rpt_page *p, size_t scenario, const char *id)
{
    h_printf(p, "req-%zu-", scenario);
    h_id(p, "", id);
}

/* Scenario claims: {id, claim, source, holds, requests, refutedBy}. */
static void scenario_claim(rpt_page *p, size_t si, const json_value *c)
{
    bool holds = j_bool(c, "holds");
    h_raw(p, "<li class=\"claim\" id=\"");
    h_id(p, "claim-", j_str(c, "id"));
    h_raw(p, "\">");
    badge(p, holds, holds ? "holds" : "refuted");
    h_raw(p, " <strong>");
    h_text(p, j_str(c, "id"));
    h_raw(p, "</strong> <small class=\"kind\">(requests)</small>: ");
    h_text(p, j_str(c, "claim"));
    if (j_str(c, "source")) {
        h_raw(p, "<br><small>seed: ");
        h_text(p, j_str(c, "source"));
        h_raw(p, "</small>");
    }
    const json_value *by = j_arr(c, holds ? "requests" : "refutedBy");
    if (j_len(by)) {
        h_raw(p, holds ? "<br><small>shown by: " : "<br>refuted by: ");
        for (uint32_t i = 0; i < by->len; i++) {
            if (by->u.items[i].kind != JSON_STRING)
                continue;
            h_raw(p, i ? ", <a href=\"#" : "<a href=\"#");
            request_anchor(p, si, by->u.items[i].u.str);
            h_raw(p, "\">");
            h_text(p, by->u.items[i].u.str);
            h_raw(p, "</a>");
        }
        h_raw(p, holds ? "</small>" : "");
    }
    h_raw(p, "</li>\n");
}

/* Analysis claims: {id, claim, source, verdict, summary, evidence[]}. */
static void analysis_claim(rpt_page *p, const json_value *c)
{
    const char *verdict = j_str(c, "verdict");
    bool holds = verdict && !strcmp(verdict, "holds");
    h_raw(p, "<li class=\"claim\" id=\"");
    h_id(p, "aclaim-", j_str(c, "id"));
    h_raw(p, "\">");
    badge(p, holds, verdict ? verdict : "unknown");
    h_raw(p, " <strong>");
    h_text(p, j_str(c, "id"));
    h_raw(p, "</strong> <small class=\"kind\">(analysis)</small>: ");
    h_text(p, j_str(c, "claim"));
    if (j_str(c, "summary")) {
        h_raw(p, "<br>");
        h_text(p, j_str(c, "summary"));
    }
    const json_value *ev = j_arr(c, "evidence");
    if (j_len(ev)) {
        h_raw(p, "<details><summary>evidence</summary><ul class=\"evidence\">");
        for (uint32_t i = 0; i < ev->len; i++) {
            const json_value *e = &ev->u.items[i];
            h_raw(p, "<li>");
            if (j_str(e, "note")) {
                h_raw(p, "note: ");
                h_text(p, j_str(e, "note"));
            } else {
                const char *v = j_str(e, "verdict");
                badge(p, v && !strcmp(v, "proved"), v ? v : "?");
                h_raw(p, " ");
                h_text(p, j_str(e, "question"));
                const json_value *cx = json_get(e, "counterexample");
                if (cx && cx->kind == JSON_OBJECT) {
                    h_raw(p, "<br>counterexample: ");
                    h_code(p, j_str(cx, "action"));
                    h_raw(p, " on ");
                    h_code(p, j_str(cx, "resource"));
                    if (j_str(e, "caller")) {
                        h_raw(p, " by ");
                        h_code(p, j_str(e, "caller"));
                    }
                }
                if (j_str(e, "allowedBy")) {
                    h_raw(p, "<br>allowed by: ");
                    rpt_location_link(p, j_str(e, "allowedBy"));
                }
                if (j_str(e, "reason")) {
                    h_raw(p, "<br><small>");
                    h_text(p, j_str(e, "reason"));
                    h_raw(p, "</small>");
                }
            }
            h_raw(p, "</li>");
        }
        h_raw(p, "</ul></details>");
    }
    h_raw(p, "</li>\n");
}

static void request_row(rpt_page *p, size_t si, const json_value *r)
{
    bool ok = j_bool(r, "ok");
    h_raw(p, "<li class=\"req\" id=\"");
    request_anchor(p, si, j_str(r, "id"));
    h_raw(p, "\">");
    badge(p, ok, ok ? "as expected" : "NOT as expected");
    h_raw(p, " <strong>");
    h_text(p, j_str(r, "id"));
    h_raw(p, "</strong>");
    if (j_str(r, "step")) {
        h_raw(p, " <small>(");
        h_text(p, j_str(r, "step"));
        h_raw(p, ")</small>");
    }
    h_raw(p, "<br>");
    h_code(p, j_str(r, "action"));
    h_raw(p, " on ");
    h_code(p, j_str(r, "resource"));
    h_raw(p, " by ");
    h_text(p, j_str(r, "principal"));
    h_raw(p, "<br>expected <em>");
    h_text(p, j_str(r, "expect"));
    h_raw(p, "</em>, decided <em>");
    h_text(p, j_str(r, "decision"));
    h_raw(p, "</em>");
    if (j_str(r, "explanation")) {
        h_raw(p, ": ");
        h_text(p, j_str(r, "explanation"));
    }
    if (j_str(r, "fix")) {
        h_raw(p, "<br><strong>to change:</strong> ");
        h_text(p, j_str(r, "fix"));
    }
    if (!ok && j_str(r, "ifRefused")) {
        h_raw(p, "<br><strong>if refused:</strong> ");
        h_text(p, j_str(r, "ifRefused"));
    }
    if (j_str(r, "resourceShape")) {
        h_raw(p, "<br><small>resource shape: ");
        h_text(p, j_str(r, "resourceShape"));
        h_raw(p, "</small>");
    }
    if (j_str(r, "source")) {
        h_raw(p, "<br><small>made by ");
        h_code(p, j_str(r, "source"));
        h_raw(p, "</small>");
    }
    const json_value *st = j_arr(r, "statements");
    if (j_len(st)) {
        h_raw(p, "<br><small>");
        for (uint32_t i = 0; i < st->len; i++) {
            const json_value *s = &st->u.items[i];
            const char *eff = j_str(s, "effect");
            bool applies = !json_get(s, "applies") || j_bool(s, "applies");
            h_raw(p, i ? "; " : "");
            h_raw(p, applies ? (eff && !strcmp(eff, "Deny") ? "denied by " : "allowed by ")
                             : "closest: ");
            rpt_statement_link(p, s);
        }
        h_raw(p, "</small>");
    }
    h_raw(p, "</li>\n");
}

static void requests_section(rpt_page *p, size_t si, const json_value *sc)
{
    const json_value *groups = j_arr(sc, "groups");
    h_printf(p, "<section id=\"requests-%zu\"><h2>Requests</h2>\n", si);
    /* The ones not as expected first: they are what the reader came for. */
    size_t failed = 0;
    for (uint32_t g = 0; g < j_len(groups); g++)
        failed += (size_t)j_int(&groups->u.items[g], "failed", 0);
    if (failed) {
        h_printf(p, "<h3 id=\"failed-%zu\">Not as expected (%zu)</h3><ul class=\"reqs\">\n", si, failed);
        for (uint32_t g = 0; g < j_len(groups); g++) {
            const json_value *rs = j_arr(&groups->u.items[g], "requests");
            for (uint32_t i = 0; i < j_len(rs); i++)
                if (!j_bool(&rs->u.items[i], "ok"))
                    request_row(p, si, &rs->u.items[i]);
        }
        h_raw(p, "</ul>\n");
    }
    for (uint32_t g = 0; g < j_len(groups); g++) {
        const json_value *gr = &groups->u.items[g];
        long nf = j_int(gr, "failed", 0);
        h_printf(p, "<details class=\"group\" id=\"group-%zu-", si);
        h_id(p, "", j_str(gr, "name"));
        h_raw(p, "\"><summary><strong>");
        h_text(p, j_str(gr, "name"));
        h_raw(p, "</strong>: ");
        h_text(p, j_str(gr, "title"));
        h_printf(p, " <small>(%ld as expected, %ld not)</small></summary>\n",
                 j_int(gr, "passed", 0), nf);
        /* A sequence (a command's calls in order) stops at its first
         * refusal: say where, and what the user sees then. */
        const json_value *first = json_get(gr, "firstFailure");
        if (first && first->kind == JSON_OBJECT) {
            h_raw(p, "<p class=\"first-failure\"><strong>fails first at</strong> <a href=\"#");
            request_anchor(p, si, j_str(first, "id"));
            h_raw(p, "\">");
            h_text(p, j_str(first, "id"));
            h_printf(p, "</a> (call %ld); %ld later calls are never made. ",
                     j_int(first, "call", 0), j_int(first, "notReached", 0));
            h_text(p, j_str(first, "userSees"));
            h_raw(p, "</p>\n");
        }
        h_raw(p, "<ul class=\"reqs\">\n");
        /* Failed requests are listed above; their anchors live there. */
        const json_value *rs = j_arr(gr, "requests");
        for (uint32_t i = 0; i < j_len(rs); i++)
            if (j_bool(&rs->u.items[i], "ok"))
                request_row(p, si, &rs->u.items[i]);
        h_raw(p, "</ul></details>\n");
    }
    h_raw(p, "</section>\n");
}

static size_t count_refuted(const json_value *root, size_t *total)
{
    size_t refuted = 0;
    *total = 0;
    const json_value *scs = j_arr(root, "scenarios");
    for (uint32_t s = 0; s < j_len(scs); s++) {
        const json_value *cl = j_arr(&scs->u.items[s], "claims");
        for (uint32_t i = 0; i < j_len(cl); i++) {
            (*total)++;
            refuted += !j_bool(&cl->u.items[i], "holds");
        }
    }
    const json_value *an = json_get(root, "analysis");
    const json_value *acl = an ? j_arr(an, "claims") : NULL;
    for (uint32_t i = 0; i < j_len(acl); i++) {
        const char *v = j_str(&acl->u.items[i], "verdict");
        (*total)++;
        refuted += !(v && !strcmp(v, "holds"));
    }
    return refuted;
}

static void verdict_header(rpt_page *p, const json_value *root)
{
    const json_value *sum = json_get(root, "summary");
    size_t total, refuted = count_refuted(root, &total);
    long reqs = j_int(sum, "requests", 0), failed = j_int(sum, "failed", 0);
    const json_value *an = json_get(root, "analysis");
    const json_value *esc = an ? json_get(an, "escalation") : NULL;
    size_t paths = esc ? rpt_escalation_paths(esc) : 0;
    h_raw(p, "<section id=\"verdict\" class=\"verdict\"><h2>Verdict</h2><ul class=\"counts\">");
    h_printf(p, "<li class=\"%s\"><span>claims refuted</span><b id=\"count-refuted\">%zu of %zu</b></li>",
             refuted ? "bad" : "ok", refuted, total);
    h_printf(p, "<li class=\"%s\"><span>requests not as expected</span><b id=\"count-failed\">%ld of %ld</b></li>",
             failed ? "bad" : "ok", failed, reqs);
    bool capped = rpt_paths_capped(an);
    if (esc)
        h_printf(p, "<li class=\"%s\"><span>escalation paths%s</span><b id=\"count-paths\">%zu</b></li>",
                 paths && !capped ? "bad" : "ok", paths && capped ? " (all within the boundary)" : "", paths);
    h_raw(p, "</ul>\n");
    const json_value *scs = j_arr(root, "scenarios");
    for (uint32_t s = 0; s < j_len(scs); s++) {
        const json_value *groups = j_arr(&scs->u.items[s], "groups");
        for (uint32_t g = 0; g < j_len(groups); g++) {
            const json_value *first = json_get(&groups->u.items[g], "firstFailure");
            if (!first || first->kind != JSON_OBJECT)
                continue;
            h_raw(p, "<p><strong>");
            h_text(p, j_str(&groups->u.items[g], "title"));
            h_raw(p, "</strong>: fails first at <a href=\"#");
            request_anchor(p, s, j_str(first, "id"));
            h_raw(p, "\">");
            h_text(p, j_str(first, "id"));
            h_printf(p, "</a> (call %ld). ", j_int(first, "call", 0));
            h_text(p, j_str(first, "userSees"));
            h_raw(p, "</p>\n");
        }
    }
    for (uint32_t s = 0; failed && s < j_len(scs); s++) {
        const json_value *groups = j_arr(&scs->u.items[s], "groups");
        long nf = 0;
        for (uint32_t g = 0; g < j_len(groups); g++)
            nf += j_int(&groups->u.items[g], "failed", 0);
        if (nf) {
            h_printf(p, "<p><a href=\"#failed-%u\">The requests not as expected</a> are listed "
                        "first under Requests.</p>\n", s);
            break;
        }
    }
    h_raw(p, "</section>\n");
}

static void claims_section(rpt_page *p, const json_value *root)
{
    const json_value *scs = j_arr(root, "scenarios");
    const json_value *an = json_get(root, "analysis");
    const json_value *acl = an ? j_arr(an, "claims") : NULL;
    h_raw(p, "<section id=\"claims\"><h2>Claims</h2>\n<ul class=\"claims\">\n");
    /* Two passes: refuted claims first, then the ones that hold. */
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t s = 0; s < j_len(scs); s++) {
            const json_value *cl = j_arr(&scs->u.items[s], "claims");
            for (uint32_t i = 0; i < j_len(cl); i++)
                if (j_bool(&cl->u.items[i], "holds") == (pass == 1))
                    scenario_claim(p, s, &cl->u.items[i]);
        }
        for (uint32_t i = 0; i < j_len(acl); i++) {
            const char *v = j_str(&acl->u.items[i], "verdict");
            if ((v && !strcmp(v, "holds")) == (pass == 1))
                analysis_claim(p, &acl->u.items[i]);
        }
    }
    h_raw(p, "</ul></section>\n");
}

void rpt_check_body(rpt_page *p, const json_value *root)
{
    verdict_header(p, root);
    claims_section(p, root);
    const json_value *scs = j_arr(root, "scenarios");
    for (uint32_t s = 0; s < j_len(scs); s++) {
        const json_value *sc = &scs->u.items[s];
        if (j_len(scs) > 1) {
            h_raw(p, "<h2>Scenario ");
            h_text(p, j_str(sc, "name"));
            h_raw(p, "</h2>\n");
        }
        requests_section(p, s, sc);
    }
    const json_value *an = json_get(root, "analysis");
    if (an && json_get(an, "escalation"))
        rpt_escalation_section(p, json_get(an, "escalation"), false);
    if (an && j_arr(an, "effective"))
        rpt_effective_section(p, j_arr(an, "effective"), false);
}

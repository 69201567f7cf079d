/* html_escalate.c - escalation paths: the graph (graph_svg.c) and every
 * path as numbered steps, each step's "allowed by" linked to its policy
 * line.  Reads both step shapes the analysis has written: prose ("call",
 * "as", "method") and objects ("principal", "action", "resource"). */
#include <string.h>

#include "report/html_int.h"

/* Escalation reports come as one object (check's analysis section) or as
 * an array of them (`iamguard escalate`, one per starting principal). */
static const json_value *nth_start(const json_value *esc, size_t i)
{
    if (esc->kind == JSON_OBJECT)
        return i == 0 ? esc : NULL;
    return esc->kind == JSON_ARRAY && i < esc->len ? &esc->u.items[i] : NULL;
}

size_t rpt_escalation_paths(const json_value *esc)
{
    size_t n = 0;
    for (size_t i = 0; nth_start(esc, i); i++)
        n += j_len(j_arr(nth_start(esc, i), "paths"));
    return n;
}

bool rpt_paths_capped(const json_value *analysis)
{
    const json_value *cl = analysis ? j_arr(analysis, "claims") : NULL;
    for (uint32_t i = 0; i < j_len(cl); i++) {
        const char *id = j_str(&cl->u.items[i], "id"), *v = j_str(&cl->u.items[i], "verdict");
        if (id && !strcmp(id, "no-way-around-the-boundary"))
            return v && !strcmp(v, "holds");
    }
    return false;
}

static void step_item(rpt_page *p, const json_value *st)
{
    h_raw(p, "<li>");
    const char *call = j_str(st, "call");
    if (call) {
        h_code(p, call);
    } else {
        h_code(p, j_str(st, "action"));
        if (j_str(st, "resource")) {
            h_raw(p, " on ");
            h_code(p, j_str(st, "resource"));
        }
    }
    const char *as = j_str(st, "principal");
    if (!as)
        as = j_str(st, "as");
    if (as) {
        h_raw(p, "<br><small>as ");
        h_text(p, as);
        h_raw(p, "</small>");
    }
    const json_value *by = json_get(st, "allowedBy");
    if (by && by->kind == JSON_STRING) {
        h_raw(p, "<br><small>allowed by ");
        rpt_location_link(p, by->u.str);
        h_raw(p, "</small>");
    } else if (by && by->kind == JSON_OBJECT) {
        h_raw(p, "<br><small>allowed by ");
        rpt_statement_link(p, by);
        h_raw(p, "</small>");
    } else if (by && by->kind == JSON_ARRAY) {
        h_raw(p, "<br><small>allowed by ");
        for (uint32_t i = 0; i < by->len; i++) {
            h_raw(p, i ? "; " : "");
            if (by->u.items[i].kind == JSON_STRING)
                rpt_location_link(p, by->u.items[i].u.str);
            else
                rpt_statement_link(p, &by->u.items[i]);
        }
        h_raw(p, "</small>");
    }
    const json_value *as_sumes = json_get(st, "assumes");
    if (as_sumes && as_sumes->kind == JSON_STRING) {
        h_raw(p, "<br><small>assumes: ");
        h_text(p, as_sumes->u.str);
        h_raw(p, "</small>");
    } else if (j_len(as_sumes)) {
        h_raw(p, "<br><small>assumes: ");
        for (uint32_t i = 0; i < as_sumes->len; i++)
            if (as_sumes->u.items[i].kind == JSON_STRING) {
                h_raw(p, i ? "; " : "");
                h_text(p, as_sumes->u.items[i].u.str);
            }
        h_raw(p, "</small>");
    }
    h_raw(p, "</li>");
}

static void gains(rpt_page *p, const json_value *g)
{
    if (!g || g->kind != JSON_OBJECT)
        return;
    h_raw(p, "<p class=\"gain\">gains: ");
    if (j_bool(g, "everything"))
        h_raw(p, "<strong>everything</strong>");
    else if (j_bool(g, "unknown"))
        h_raw(p, "unknown (a bound of the analysis was reached)");
    else
        h_printf(p, "%ld new actions", j_int(g, "newActions", 0));
    const json_value *ex = j_arr(g, "examples");
    if (j_len(ex)) {
        h_raw(p, ", e.g. ");
        for (uint32_t i = 0; i < ex->len; i++)
            if (ex->u.items[i].kind == JSON_STRING) {
                h_raw(p, i ? ", " : "");
                h_code(p, ex->u.items[i].u.str);
            }
    }
    h_raw(p, "</p>");
}

void rpt_escalation_section(rpt_page *p, const json_value *esc, bool top)
{
    size_t total = rpt_escalation_paths(esc);
    h_printf(p, "<section id=\"escalation\"><h2>Escalation paths (%zu)</h2>\n", total);
    if (!total) {
        h_raw(p, "<p>No path: no principal analysed can gain another principal's permissions "
                 "or more permissions.</p></section>\n");
        return;
    }
    h_raw(p, "<p>Each path is a sequence of API calls, each one a request the evaluator "
             "allows under the real policies. In the graph, principals are nodes and the calls "
             "are labelled edges; a dashed node is capped by a permissions boundary. Click an "
             "edge for its path.</p>\n");
    if (!rpt_escalation_svg(p, esc))
        h_raw(p, "<p><em>The graph could not be drawn (Graphviz's layout failed or the graph is "
                 "too large); the paths are listed below.</em></p>\n");
    for (size_t s = 0; nth_start(esc, s); s++) {
        const json_value *start = nth_start(esc, s);
        const json_value *paths = j_arr(start, "paths");
        if (!j_len(paths))
            continue;
        h_raw(p, top ? "<h3>from " : "<h3>from ");
        h_code(p, j_str(start, "from"));
        h_printf(p, " (%zu)</h3>\n<ol class=\"paths\">\n", j_len(paths));
        for (uint32_t i = 0; i < paths->len; i++) {
            const json_value *path = &paths->u.items[i];
            h_printf(p, "<li id=\"path-%zu-%u\"><p>to ", s, i);
            h_text(p, j_str(path, "to") ? j_str(path, "to") : j_str(path, "principal"));
            if (j_str(path, "boundary")) {
                h_raw(p, " <span class=\"badge capped\">capped by ");
                h_text(p, j_str(path, "boundary"));
                h_raw(p, "</span>");
            }
            h_raw(p, "</p><ol class=\"steps\">");
            const json_value *steps = j_arr(path, "steps");
            for (uint32_t k = 0; k < j_len(steps); k++)
                step_item(p, &steps->u.items[k]);
            h_raw(p, "</ol>");
            gains(p, json_get(path, "gains"));
            h_raw(p, "</li>\n");
        }
        h_raw(p, "</ol>\n");
    }
    h_raw(p, "</section>\n");
}

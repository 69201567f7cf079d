/* html_effective.c - effective permissions as tables: per principal, per
 * service, each group of actions with its access level, the resources it
 * reaches, the conditions that stay attached, and the statements it comes
 * from. */
#include <string.h>

#include "report/html_int.h"

static void pattern_lists(rpt_page *p, const json_value *lists, const char *word)
{
    for (uint32_t i = 0; i < j_len(lists); i++) {
        const json_value *l = &lists->u.items[i];
        h_raw(p, "<div>");
        h_text(p, word);
        h_raw(p, " ");
        for (uint32_t k = 0; k < j_len(l); k++) {
            if (l->u.items[k].kind != JSON_STRING)
                continue;
            h_raw(p, k ? " or " : "");
            h_code(p, l->u.items[k].u.str);
        }
        h_raw(p, "</div>");
    }
}

static void resources(rpt_page *p, const json_value *r)
{
    if (!r || r->kind != JSON_OBJECT)
        return;
    if (j_bool(r, "noResource")) {
        h_raw(p, "<code>*</code> <small>(these actions take no resource)</small>");
        return;
    }
    const json_value *all = j_arr(r, "allOf");
    if (!j_len(all))
        h_raw(p, "<code>*</code> <small>(any resource)</small>");
    pattern_lists(p, all, "on");
    pattern_lists(p, j_arr(r, "except"), "except");
}

static void conditions(rpt_page *p, const json_value *cs)
{
    for (uint32_t i = 0; i < j_len(cs); i++) {
        const json_value *c = &cs->u.items[i];
        h_raw(p, "<div><code>");
        h_text(p, j_str(c, "operator"));
        h_raw(p, " ");
        h_text(p, j_str(c, "key"));
        const json_value *vs = j_arr(c, "values");
        for (uint32_t k = 0; k < j_len(vs); k++)
            if (vs->u.items[k].kind == JSON_STRING) {
                h_raw(p, k ? ", " : " ");
                h_text(p, vs->u.items[k].u.str);
            }
        h_raw(p, "</code></div>");
    }
}

static void access_levels(rpt_page *p, const json_value *actions)
{
    const char *seen[8];
    size_t n = 0;
    for (uint32_t i = 0; i < j_len(actions); i++) {
        const char *a = j_str(&actions->u.items[i], "access");
        if (!a)
            continue;
        bool dup = false;
        for (size_t k = 0; k < n; k++)
            dup |= !strcmp(seen[k], a);
        if (dup || n == 8)
            continue;
        seen[n++] = a;
        h_raw(p, n > 1 ? ", " : "");
        h_text(p, a);
    }
}

static void service_table(rpt_page *p, const json_value *svc)
{
    const json_value *entries = j_arr(svc, "entries");
    h_raw(p, "<div class=\"scroll\"><table><caption>");
    h_text(p, j_str(svc, "service"));
    h_printf(p, " <small>(%ld actions in the service)</small></caption>\n"
                "<thead><tr><th scope=\"col\">access</th><th scope=\"col\">actions</th>"
                "<th scope=\"col\">resources</th><th scope=\"col\">conditions</th>"
                "<th scope=\"col\">from</th></tr></thead><tbody>\n",
             j_int(svc, "actionsInService", 0));
    for (uint32_t e = 0; e < j_len(entries); e++) {
        const json_value *en = &entries->u.items[e];
        const json_value *actions = j_arr(en, "actions");
        const json_value *grants = j_arr(en, "grants");
        for (uint32_t g = 0; g < j_len(grants); g++) {
            const json_value *gr = &grants->u.items[g];
            h_raw(p, "<tr><td>");
            access_levels(p, actions);
            h_raw(p, "</td><td>");
            for (uint32_t a = 0; a < j_len(actions); a++) {
                h_raw(p, a ? " " : "");
                h_code(p, j_str(&actions->u.items[a], "action"));
            }
            h_raw(p, "</td><td>");
            resources(p, json_get(gr, "resources"));
            h_raw(p, "</td><td>");
            conditions(p, j_arr(gr, "conditions"));
            const json_value *un = j_arr(gr, "unlessDenied");
            for (uint32_t u = 0; u < j_len(un); u++) {
                h_raw(p, "<div>unless denied by ");
                rpt_statement_link(p, json_get(&un->u.items[u], "statement"));
                h_raw(p, "</div>");
            }
            h_raw(p, "</td><td>");
            const json_value *st = j_arr(gr, "statements");
            for (uint32_t s = 0; s < j_len(st); s++) {
                h_raw(p, s ? "<br>" : "");
                rpt_statement_link(p, &st->u.items[s]);
            }
            h_raw(p, "</td></tr>\n");
        }
    }
    h_raw(p, "</tbody></table></div>\n");
}

static void principal_block(rpt_page *p, const json_value *pr, size_t i, bool open)
{
    h_printf(p, "<details class=\"principal\" id=\"eff-%zu\"%s><summary><strong>", i,
             open ? " open" : "");
    h_text(p, j_str(pr, "principal"));
    h_printf(p, "</strong> <small>(%ld actions allowed%s)</small></summary>\n",
             j_int(pr, "actionsAllowed", 0), j_bool(pr, "decided") ? "" : ", some undecided");
    const json_value *layers = j_arr(pr, "layers");
    if (j_len(layers)) {
        h_raw(p, "<p>policies: ");
        for (uint32_t l = 0; l < layers->len; l++) {
            const json_value *ly = &layers->u.items[l];
            h_raw(p, l ? "; " : "");
            h_text(p, j_str(ly, "type"));
            h_raw(p, ": ");
            const json_value *ps = j_arr(ly, "policies");
            for (uint32_t k = 0; k < j_len(ps); k++)
                if (ps->u.items[k].kind == JSON_STRING) {
                    h_raw(p, k ? ", " : "");
                    h_text(p, ps->u.items[k].u.str);
                }
        }
        h_raw(p, "</p>\n");
    }
    const json_value *svcs = j_arr(pr, "services");
    for (uint32_t s = 0; s < j_len(svcs); s++)
        service_table(p, &svcs->u.items[s]);
    h_raw(p, "</details>\n");
}

void rpt_effective_section(rpt_page *p, const json_value *eff, bool top)
{
    h_raw(p, "<section id=\"effective\"><h2>Effective permissions</h2>\n"
             "<p>What each principal can do after its boundary and session policy are applied "
             "and explicit denies are taken out; conditions stay attached to what they "
             "guard.</p>\n");
    if (eff->kind == JSON_OBJECT) {
        principal_block(p, eff, 0, true);
    } else {
        for (uint32_t i = 0; i < j_len(eff); i++)
            principal_block(p, &eff->u.items[i], i, top);
    }
    h_raw(p, "</section>\n");
}

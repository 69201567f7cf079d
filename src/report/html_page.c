/* html_page.c - the frame of a report page: head, inline style and script,
 * the table of contents, and which body a report kind gets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html_int.h"

/* Verdict colours meet WCAG AA (4.5:1) against their backgrounds:
 * #1b5e20 on #e8f5e9 is 6.9:1, #8e0000 on #ffebee is 9.0:1. */
static const char STYLE[] =
"<style>\n"
":root{--ok:#1b5e20;--okbg:#e8f5e9;--bad:#8e0000;--badbg:#ffebee;--line:#d0d7de}\n"
"body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1f2328;background:#fff}\n"
"header,main,footer{max-width:72rem;margin:0 auto;padding:0 1rem}\n"
"header h1{font-size:1.5rem;margin:1rem 0 .25rem}\n"
"nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem}\n"
"h2{border-bottom:1px solid var(--line);margin-top:2rem}\n"
"code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#f6f8fa;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}\n"
".badge{display:inline-block;font-size:.8rem;font-weight:600;padding:0 .4em;border-radius:3px}\n"
".badge.ok{color:var(--ok);background:var(--okbg)}\n"
".badge.bad{color:var(--bad);background:var(--badbg)}\n"
".badge.capped{color:#3d2c00;background:#fff3c4}\n"
".counts{display:flex;flex-wrap:wrap;gap:1rem;margin:0;padding:0;list-style:none}\n"
".counts li{padding:.5rem 1rem;border-radius:6px;border:1px solid var(--line)}\n"
".counts li.ok{background:var(--okbg);color:var(--ok)}\n"
".counts li.bad{background:var(--badbg);color:var(--bad)}\n"
".counts span{display:block;font-size:.85rem}.counts b{font-size:1.4rem}\n"
"ul.claims,ul.reqs,ul.evidence{padding-left:1.2rem}\n"
"li.claim,li.req{margin:.5rem 0}\n"
":target{outline:3px solid #0969da;outline-offset:2px}\n"
"a{color:#0550ae}\n"
"pre.src{background:#f6f8fa;border:1px solid var(--line);padding:.5rem 0;overflow-x:auto;counter-reset:ln;font-size:13px}\n"
"pre.src .ln{display:block;padding-right:1rem}\n"
"pre.src .ln::before{counter-increment:ln;content:counter(ln);display:inline-block;width:3.5em;margin-right:1em;text-align:right;color:#57606a;user-select:none}\n"
"pre.src .ln.hit{background:#fff3c4}\n"
".scroll{overflow-x:auto}\n"
"table{border-collapse:collapse;margin:.75rem 0;font-size:.9rem;width:100%}\n"
"caption{text-align:left;font-weight:600}\n"
"th,td{border:1px solid var(--line);padding:.25rem .5rem;vertical-align:top;text-align:left}\n"
"figure.graph{margin:1rem 0;overflow-x:auto}figure.graph svg{max-width:100%;height:auto}\n"
"figcaption{font-size:.85rem;color:#57606a}\n"
"footer{color:#57606a;font-size:.85rem;margin:2rem auto}\n"
"@media print{nav,footer{display:none}details>summary{list-style:none}a{color:inherit;text-decoration:none}"
"pre.src{white-space:pre-wrap}}\n"
"</style>\n";

/* Following a link into a closed <details> opens it. */
static const char SCRIPT[] =
"<script>\n"
"(function(){function show(){var h=location.hash.slice(1);if(!h)return;"
"var e=document.getElementById(decodeURIComponent(h));"
"for(var d=e;d;d=d.parentElement)if(d.tagName==='DETAILS')d.open=true;"
"if(e)e.scrollIntoView();}"
"addEventListener('hashchange',show);addEventListener('DOMContentLoaded',show);"
"if(window.matchMedia)matchMedia('print').addListener(function(m){if(m.matches)"
"document.querySelectorAll('details').forEach(function(d){d.open=true;});});})();\n"
"</script>\n";

static void nav(rpt_page *p, const json_value *root)
{
    h_raw(p, "<nav aria-label=\"sections\"><ul>");
    if (p->opts->kind == RPT_CHECK) {
        h_raw(p, "<li><a href=\"#verdict\">Verdict</a></li><li><a href=\"#claims\">Claims</a></li>"
                 "<li><a href=\"#requests-0\">Requests</a></li>");
        const json_value *an = json_get(root, "analysis");
        if (an && json_get(an, "escalation"))
            h_raw(p, "<li><a href=\"#escalation\">Escalation</a></li>");
        if (an && j_arr(an, "effective"))
            h_raw(p, "<li><a href=\"#effective\">Effective permissions</a></li>");
    } else if (p->opts->kind == RPT_ESCALATE) {
        h_raw(p, "<li><a href=\"#escalation\">Escalation</a></li>");
    } else {
        h_raw(p, "<li><a href=\"#effective\">Effective permissions</a></li>");
    }
    size_t shown = 0;
    for (size_t i = 0; i < p->nfiles; i++)
        shown += p->files[i].text != NULL;
    if (shown)
        h_raw(p, "<li><a href=\"#policies\">Policies</a></li>");
    h_raw(p, "</ul></nav>\n");
}

int rpt_html_render(json_buf *out, const json_value *root, const rpt_html_opts *o)
{
    rpt_page *p = calloc(1, sizeof *p);
    if (!p)
        return -1;
    p->out = out;
    p->opts = o;
    p->scratch = json_doc_new();
    if (!p->scratch) {
        free(p);
        return -1;
    }
    rpt_collect(p, root);
    h_raw(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
             "<meta name=\"generator\" content=\"iamguard\">\n<title>");
    h_text(p, o->title);
    h_raw(p, "</title>\n");
    h_raw(p, STYLE);
    h_raw(p, "</head>\n<body>\n<header><h1>");
    h_text(p, o->title);
    h_raw(p, "</h1>\n");
    nav(p, root);
    h_raw(p, "</header>\n<main>\n");
    if (o->kind == RPT_CHECK) {
        rpt_check_body(p, root);
    } else if (o->kind == RPT_ESCALATE) {
        const json_value *esc = json_get(root, "escalation");
        if (esc)
            rpt_escalation_section(p, esc, true);
    } else {
        rpt_effective_section(p, root, true);
    }
    rpt_policies_section(p);
    h_raw(p, "</main>\n<footer>");
    if (o->command) {
        h_raw(p, "Written by <code>");
        h_text(p, o->command);
        h_raw(p, "</code>; the same facts as its <code>--format json</code> report.");
    }
    h_raw(p, "</footer>\n");
    h_raw(p, SCRIPT);
    h_raw(p, "</body>\n</html>\n");
    json_doc_free(p->scratch);
    free(p);
    return out->failed ? -1 : 0;
}

int rpt_html_from_json(json_buf *out, const char *json, size_t len, const rpt_html_opts *o,
                       char *err, size_t errcap)
{
    json_limits lim = { .max_bytes = 1024u * 1024u * 1024u, .max_depth = 64 };
    json_error je;
    json_doc *doc = json_parse(json, len, &lim, &je);
    if (!doc) {
        snprintf(err, errcap, "the JSON report does not parse (%u:%u: %s)", je.line, je.column, je.msg);
        return -1;
    }
    int rc = rpt_html_render(out, json_root(doc), o);
    json_doc_free(doc);
    if (rc)
        snprintf(err, errcap, "out of memory");
    return rc;
}

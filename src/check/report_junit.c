/* report_junit.c - the report as JUnit XML, so a CI system shows each
 * request (and each claim) as a test: one <testsuite> per group plus one
 * for the claims, a <failure> carrying the explanation. */
#include <stdio.h>
#include <string.h>

#include "check/check.h"

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || (n == 2 && c < 0xC2) || (n == 4 && c > 0xF4))
        return 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] >= 0xA0)))
        return 0;        /* overlong, or a UTF-16 surrogate */
    if (n == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] >= 0x90)))
        return 0;
    return n;
}

void chk_xml_escape(json_buf *out, const char *str)
{
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    while (*s) {
        switch (*s) {
        case '&': json_buf_puts(out, "&amp;"); s++; continue;
        case '<': json_buf_puts(out, "&lt;"); s++; continue;
        case '>': json_buf_puts(out, "&gt;"); s++; continue;
        case '"': json_buf_puts(out, "&quot;"); s++; continue;
        case '\'': json_buf_puts(out, "&apos;"); s++; continue;
        default: break;
        }
        if (*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r') {
            json_buf_puts(out, "?");      /* XML 1.0 cannot carry these at all */
            s++;
            continue;
        }
        size_t n = utf8_len(s);
        if (n == 0) {
            json_buf_puts(out, "\xEF\xBF\xBD");
            s++;
            continue;
        }
        json_buf_append(out, (const char *)s, n);
        s += n;
    }
}

static void attr(json_buf *b, const char *name, const char *value)
{
    json_buf_printf(b, " %s=\"", name);
    chk_xml_escape(b, value);
    json_buf_puts(b, "\"");
}

static void failure_text(json_buf *b, const chk_scenario *s, const chk_request *r, const chk_outcome *o)
{
    char line[1200];
    const chk_principal *p = &s->principals[r->principal];
    snprintf(line, sizeof line, "%s calls %s on %s\nwhy: %s\n", p->arn, r->req.action, r->req.resource, o->why);
    chk_xml_escape(b, line);
    for (unsigned i = 0; i < o->nnotes; i++) {
        const chk_note *n = &o->notes[i];
        snprintf(line, sizeof line, "%s:%u:%u: %s (%s): %s\n", n->policy->file ? n->policy->file : "?",
                 n->line, n->column, n->sid ? n->sid : "statement", n->deny ? "Deny" : "Allow", n->detail);
        chk_xml_escape(b, line);
    }
    if (o->fix[0]) {
        snprintf(line, sizeof line, "to change: %s\n", o->fix);
        chk_xml_escape(b, line);
    }
    if (r->source) {
        snprintf(line, sizeof line, "made by: %s\n", r->source);
        chk_xml_escape(b, line);
    }
    if (r->if_refused) {
        snprintf(line, sizeof line, "if refused: %s\n", r->if_refused);
        chk_xml_escape(b, line);
    }
    snprintf(line, sizeof line, "%s:%u:%u: the request\n", r->file ? r->file : s->file, r->line, r->column);
    chk_xml_escape(b, line);
}

void chk_report_junit(json_buf *b, const chk_scenario *s, const chk_run *run)
{
    const char *scn = s->name ? s->name : s->file;
    char suite[400], msg[300];
    for (size_t g = 0; g < s->ngroups; g++) {
        const chk_group *gr = &s->groups[g];
        size_t bad = 0;
        for (size_t k = 0; k < gr->count; k++)
            bad += !run->outcomes[gr->first + k].met;
        snprintf(suite, sizeof suite, "%s.%s", scn, gr->name);
        json_buf_puts(b, "  <testsuite");
        attr(b, "name", suite);
        json_buf_printf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"0\">\n",
                        gr->count, bad);
        for (size_t k = 0; k < gr->count; k++) {
            const chk_request *r = &s->reqs[gr->first + k];
            const chk_outcome *o = &run->outcomes[gr->first + k];
            json_buf_puts(b, "    <testcase");
            attr(b, "classname", suite);
            attr(b, "name", r->id);
            attr(b, "file", r->file ? r->file : s->file);
            json_buf_printf(b, " line=\"%u\" time=\"0\"", r->line);
            if (o->met) {
                json_buf_puts(b, "/>\n");
                continue;
            }
            json_buf_puts(b, ">\n      <failure");
            snprintf(msg, sizeof msg, "%s, expected %s", ig_decision_name(o->res.decision),
                     chk_expect_name(r->expect));
            attr(b, "message", msg);
            attr(b, "type", "expectation");
            json_buf_puts(b, ">");
            failure_text(b, s, r, o);
            json_buf_puts(b, "</failure>\n    </testcase>\n");
        }
        json_buf_puts(b, "  </testsuite>\n");
    }
    if (!s->nclaims)
        return;
    snprintf(suite, sizeof suite, "%s.claims", scn);
    json_buf_puts(b, "  <testsuite");
    attr(b, "name", suite);
    json_buf_printf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\" time=\"0\">\n",
                    s->nclaims, s->nclaims - run->claims_held);
    for (size_t c = 0; c < s->nclaims; c++) {
        const chk_claim *cl = &s->claims[c];
        json_buf_puts(b, "    <testcase");
        attr(b, "classname", suite);
        attr(b, "name", cl->id);
        json_buf_puts(b, " time=\"0\"");
        if (run->claim_holds[c]) {
            json_buf_puts(b, "/>\n");
            continue;
        }
        json_buf_puts(b, ">\n      <failure");
        snprintf(msg, sizeof msg, "refuted: %s", cl->text);
        attr(b, "message", msg);
        attr(b, "type", "claim");
        json_buf_puts(b, ">");
        for (size_t k = 0; k < cl->nreqs; k++) {
            const chk_request *r = &s->reqs[cl->reqs[k]];
            const chk_outcome *o = &run->outcomes[cl->reqs[k]];
            if (o->met)
                continue;
            char line[900];
            snprintf(line, sizeof line, "refuted by %s: %s on %s was %s, expected %s\n", r->id, r->req.action,
                     r->req.resource, ig_decision_name(o->res.decision), chk_expect_name(r->expect));
            chk_xml_escape(b, line);
        }
        json_buf_puts(b, "</failure>\n    </testcase>\n");
    }
    json_buf_puts(b, "  </testsuite>\n");
}

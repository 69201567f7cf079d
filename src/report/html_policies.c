/* html_policies.c - the policy files a report cites, shown with line
 * numbers: every line has an anchor, and the first line of each statement
 * that decided a request is highlighted, so each "allowed by" or "denied
 * by" in the page links to the text that said so. */
#include <stdlib.h>
#include <string.h>

#include "report/html_int.h"

int rpt_file_index(rpt_page *p, const char *name, size_t n)
{
    if (!name || n == 0)
        return -1;
    for (size_t i = 0; i < p->nfiles; i++)
        if (strlen(p->files[i].name) == n && !memcmp(p->files[i].name, name, n))
            return (int)i;
    if (p->nfiles == RPT_MAX_FILES)
        return -1;
    char *copy = json_doc_strndup(p->scratch, name, n);
    if (!copy)
        return -1;
    rpt_file *f = &p->files[p->nfiles];
    f->name = copy;
    f->text = p->opts->text ? p->opts->text(p->opts->text_ctx, copy, &f->len) : NULL;
    return (int)p->nfiles++;
}

static void mark(rpt_page *p, int file, long line)
{
    if (file < 0 || line <= 0)
        return;
    for (size_t i = 0; i < p->nmarks; i++)
        if (p->marks[i].file == file && p->marks[i].line == (uint32_t)line)
            return;
    if (p->nmarks < RPT_MAX_MARKS)
        p->marks[p->nmarks++] = (rpt_mark){ (uint16_t)file, (uint32_t)line };
}

static bool marked(const rpt_page *p, size_t file, uint32_t line)
{
    for (size_t i = 0; i < p->nmarks; i++)
        if (p->marks[i].file == file && p->marks[i].line == line)
            return true;
    return false;
}

/* "path:LINE:COL ..." -> the path's length and LINE; false if not that. */
static bool split_location(const char *s, size_t *pathlen, long *line)
{
    const char *c = strchr(s, ':');
    while (c) {
        char *end;
        long l = strtol(c + 1, &end, 10);
        if (end > c + 1 && *end == ':' && end[1] >= '0' && end[1] <= '9' && l > 0) {
            *pathlen = (size_t)(c - s);
            *line = l;
            return true;
        }
        c = strchr(c + 1, ':');
    }
    return false;
}

void rpt_collect(rpt_page *p, const json_value *v)
{
    if (v->kind == JSON_ARRAY) {
        for (uint32_t i = 0; i < v->len; i++)
            rpt_collect(p, &v->u.items[i]);
        return;
    }
    if (v->kind != JSON_OBJECT)
        return;
    const char *file = j_str(v, "file");
    long line = j_int(v, "line", 0);
    if (file && line > 0 && (j_str(v, "sid") || j_str(v, "policy") || json_get(v, "applies"))) {
        int fi = rpt_file_index(p, file, strlen(file));
        const json_value *applies = json_get(v, "applies");
        if (!applies || applies->kind == JSON_TRUE)
            mark(p, fi, line);
    }
    const char *by = j_str(v, "allowedBy");
    size_t plen;
    long bline;
    if (by && split_location(by, &plen, &bline))
        mark(p, rpt_file_index(p, by, plen), bline);
    for (uint32_t i = 0; i < v->len; i++)
        rpt_collect(p, &v->u.members[i].value);
}

static void line_href(rpt_page *p, int file, long line)
{
    h_printf(p, "#src-%d-L%ld", file, line);
}

void rpt_statement_link(rpt_page *p, const json_value *st)
{
    const char *file = j_str(st, "file");
    long line = j_int(st, "line", 0);
    const char *sid = j_str(st, "sid");
    const char *policy = j_str(st, "policy");
    int fi = file ? rpt_file_index(p, file, strlen(file)) : -1;
    bool link = fi >= 0 && p->files[fi].text;
    if (link) {
        h_raw(p, "<a class=\"stmt\" href=\"");
        line_href(p, fi, line);
        h_raw(p, "\">");
    } else {
        h_raw(p, "<span class=\"stmt\">");
    }
    if (policy) {
        h_text(p, policy);
        h_raw(p, " / ");
    }
    if (sid)
        h_text(p, sid);
    else
        h_printf(p, "statement %ld", j_int(st, "index", 0) + 1);
    if (file)
        h_printf(p, " <small>(line %ld)</small>", line);
    h_raw(p, link ? "</a>" : "</span>");
}

void rpt_location_link(rpt_page *p, const char *where)
{
    size_t plen;
    long line;
    if (!where)
        return;
    int fi = split_location(where, &plen, &line) ? rpt_file_index(p, where, plen) : -1;
    if (fi >= 0 && p->files[fi].text) {
        h_raw(p, "<a class=\"stmt\" href=\"");
        line_href(p, fi, line);
        h_raw(p, "\">");
        h_text(p, where);
        h_raw(p, "</a>");
    } else {
        h_text(p, where);
    }
}

void rpt_policies_section(rpt_page *p)
{
    size_t shown = 0;
    for (size_t i = 0; i < p->nfiles; i++)
        shown += p->files[i].text != NULL;
    if (!shown)
        return;
    h_raw(p, "<section id=\"policies\"><h2>Policies</h2>\n"
             "<p>The files the report cites. Highlighted lines begin a statement that decided "
             "a request; every line can be linked to.</p>\n");
    for (size_t i = 0; i < p->nfiles; i++) {
        const rpt_file *f = &p->files[i];
        if (!f->text)
            continue;
        h_printf(p, "<h3 id=\"src-%zu\">", i);
        h_text(p, f->name);
        h_raw(p, "</h3>\n<pre class=\"src\">");
        uint32_t line = 1;
        const char *s = f->text, *end = f->text + f->len;
        while (s < end) {
            const char *nl = memchr(s, '\n', (size_t)(end - s));
            size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
            bool hit = marked(p, i, line);
            h_printf(p, "<span id=\"src-%zu-L%u\" class=\"ln%s\">", i, line, hit ? " hit" : "");
            h_text_n(p, s, n);
            h_raw(p, "</span>\n");
            line++;
            s += n + 1;
        }
        h_raw(p, "</pre>\n");
    }
    h_raw(p, "</section>\n");
}

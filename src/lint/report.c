/* report.c - findings as gcc-style text and as JSON (SARIF is in
 * sarif.c). */
#include <string.h>

#include "iamguard.h"
#include "lint/lint.h"

static const char *const COLOR[LINT_SEVERITY_COUNT] = {
    "\033[1;36m", "\033[1;33m", "\033[1;35m", "\033[1;31m",
};

void lint_write_text(const lint_report *r, bool color, json_buf *out)
{
    for (size_t i = 0; i < r->n; i++) {
        const lint_finding *f = &r->items[i];
        lint_severity sev = f->rule->severity;
        json_buf_printf(out, "%s%s:%u:%u:%s %s%s:%s %s %s[%s]%s\n",
                        color ? "\033[1m" : "", f->file, f->line, f->column, color ? "\033[0m" : "",
                        color ? COLOR[sev] : "", lint_severity_name(sev), color ? "\033[0m" : "",
                        f->message, color ? "\033[2m" : "", f->rule->code, color ? "\033[0m" : "");
        if (f->fix)
            json_buf_printf(out, "%s%s:%u:%u:%s %snote:%s %s\n", color ? "\033[1m" : "", f->file,
                            f->line, f->column, color ? "\033[0m" : "", color ? "\033[1;32m" : "",
                            color ? "\033[0m" : "", f->fix);
    }
}

static void count(const lint_report *r, size_t counts[LINT_SEVERITY_COUNT])
{
    memset(counts, 0, LINT_SEVERITY_COUNT * sizeof counts[0]);
    for (size_t i = 0; i < r->n; i++)
        counts[r->items[i].rule->severity]++;
}

void lint_write_json(const lint_report *r, json_buf *out)
{
    json_writer w;
    jw_init(&w, out, true);
    jw_object_begin(&w);
    jw_key(&w, "version"); jw_int(&w, 1);
    jw_key(&w, "findings");
    jw_array_begin(&w);
    for (size_t i = 0; i < r->n; i++) {
        const lint_finding *f = &r->items[i];
        jw_object_begin(&w);
        jw_key(&w, "file"); jw_string(&w, f->file);
        jw_key(&w, "line"); jw_int(&w, f->line);
        jw_key(&w, "column"); jw_int(&w, f->column);
        jw_key(&w, "code"); jw_string(&w, f->rule->code);
        jw_key(&w, "severity"); jw_string(&w, lint_severity_name(f->rule->severity));
        jw_key(&w, "message"); jw_string(&w, f->message);
        if (f->fix) {
            jw_kstring(&w, "fix", f->fix);
        }
        jw_object_end(&w);
    }
    jw_array_end(&w);
    size_t counts[LINT_SEVERITY_COUNT];
    count(r, counts);
    jw_key(&w, "summary");
    jw_object_begin(&w);
    for (int s = LINT_SEVERITY_COUNT - 1; s >= 0; s--) {
        jw_key(&w, lint_severity_name((lint_severity)s));
        jw_int(&w, (long long)counts[s]);
    }
    jw_key(&w, "total"); jw_int(&w, (long long)r->n);
    jw_object_end(&w);
    jw_object_end(&w);
    json_buf_puts(out, "\n");
}

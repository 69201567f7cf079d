/* report.c - findings as gcc-style text, as JSON, and as SARIF 2.1.0 (the
 * format GitHub code scanning reads to show findings inline). */
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

static const char *sarif_level(lint_severity s)
{
    return s == LINT_ERROR ? "error" : s == LINT_SUGGESTION ? "note" : "warning";
}

/* A relative URI reference: unreserved characters and '/' as they are,
 * everything else percent-encoded. */
static void uri(json_writer *w, const char *path)
{
    json_buf b;
    json_buf_init(&b);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            json_buf_append(&b, (const char *)p, 1);
        else
            json_buf_printf(&b, "%%%02X", *p);
    }
    jw_string_n(w, b.data ? b.data : "", b.len);
    json_buf_free(&b);
}

static void sarif_rules(json_writer *w)
{
    jw_array_begin(w);
    for (size_t i = 0; i < LINT_RULE_COUNT; i++) {
        const lint_rule *rule = &LINT_RULES[i];
        jw_object_begin(w);
        jw_key(w, "id"); jw_string(w, rule->code);
        jw_key(w, "shortDescription");
        jw_object_begin(w);
        jw_key(w, "text"); jw_string(w, rule->summary);
        jw_object_end(w);
        jw_key(w, "defaultConfiguration");
        jw_object_begin(w);
        jw_key(w, "level"); jw_string(w, sarif_level(rule->severity));
        jw_object_end(w);
        jw_key(w, "properties");
        jw_object_begin(w);
        jw_key(w, "severity"); jw_string(w, lint_severity_name(rule->severity));
        if (rule->severity == LINT_SECURITY_WARNING || rule->severity == LINT_ERROR) {
            /* GitHub ranks security results by this score. */
            jw_kstring(w, "security-severity", rule->severity == LINT_ERROR ? "5.0" : "7.0");
        }
        jw_object_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
}

void lint_write_sarif(const lint_report *r, json_buf *out)
{
    json_writer w;
    jw_init(&w, out, true);
    jw_object_begin(&w);
    jw_key(&w, "$schema"); jw_string(&w, "https://json.schemastore.org/sarif-2.1.0.json");
    jw_key(&w, "version"); jw_string(&w, "2.1.0");
    jw_key(&w, "runs");
    jw_array_begin(&w);
    jw_object_begin(&w);
    jw_key(&w, "tool");
    jw_object_begin(&w);
    jw_key(&w, "driver");
    jw_object_begin(&w);
    jw_key(&w, "name"); jw_string(&w, "iamguard");
    jw_key(&w, "version"); jw_string(&w, IAMGUARD_VERSION);
    jw_key(&w, "rules");
    sarif_rules(&w);
    jw_object_end(&w);
    jw_object_end(&w);
    jw_key(&w, "results");
    jw_array_begin(&w);
    for (size_t i = 0; i < r->n; i++) {
        const lint_finding *f = &r->items[i];
        jw_object_begin(&w);
        jw_key(&w, "ruleId"); jw_string(&w, f->rule->code);
        jw_key(&w, "ruleIndex"); jw_int(&w, (long long)(f->rule - LINT_RULES));
        jw_key(&w, "level"); jw_string(&w, sarif_level(f->rule->severity));
        jw_key(&w, "message");
        jw_object_begin(&w);
        jw_key(&w, "text");
        json_buf m;
        json_buf_init(&m);
        json_buf_printf(&m, "%s%s%s", f->message, f->fix ? ". Fix: " : "", f->fix ? f->fix : "");
        jw_string_n(&w, m.data ? m.data : "", m.len);
        json_buf_free(&m);
        jw_object_end(&w);
        jw_key(&w, "locations");
        jw_array_begin(&w);
        jw_object_begin(&w);
        jw_key(&w, "physicalLocation");
        jw_object_begin(&w);
        jw_key(&w, "artifactLocation");
        jw_object_begin(&w);
        jw_key(&w, "uri"); uri(&w, f->file);
        jw_object_end(&w);
        jw_key(&w, "region");
        jw_object_begin(&w);
        jw_key(&w, "startLine"); jw_int(&w, f->line ? f->line : 1);
        jw_key(&w, "startColumn"); jw_int(&w, f->column ? f->column : 1);
        jw_object_end(&w);
        jw_object_end(&w);
        jw_object_end(&w);
        jw_array_end(&w);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
    jw_array_end(&w);
    jw_object_end(&w);
    json_buf_puts(out, "\n");
}

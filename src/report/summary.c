/* summary.c - the end of `iamguard check`'s terminal report: what a reader
 * needs on one screen (a line per claim, refuted first; the counts; where
 * the whole report is), read from the same JSON report as the HTML page. */
#include <string.h>

#include "report/html_int.h"

#define SUMMARY_WIDTH 100

static void claim_line(FILE *f, bool holds, const char *word, const char *id, const char *text,
                       bool color)
{
    const char *on = !color ? "" : holds ? "\033[32m" : "\033[1;31m";
    const char *off = color ? "\033[0m" : "";
    char line[SUMMARY_WIDTH + 8];
    int n = snprintf(line, sizeof line, "%-34s %s", id ? id : "?", text ? text : "");
    if (n >= SUMMARY_WIDTH - 10)
        memcpy(line + SUMMARY_WIDTH - 13, "...", 4);
    fprintf(f, "  %s%-8s%s %s\n", on, word, off, line);
}

void rpt_text_summary(FILE *f, const json_value *root, const char *html_path, bool color)
{
    const json_value *scs = j_arr(root, "scenarios");
    const json_value *an = json_get(root, "analysis");
    const json_value *acl = an ? j_arr(an, "claims") : NULL;
    const json_value *sum = json_get(root, "summary");
    size_t total = 0, refuted = 0;
    fprintf(f, "\n== summary %.*s\n", 60, "============================================================");
    for (int pass = 0; pass < 2; pass++) {
        for (uint32_t s = 0; s < j_len(scs); s++) {
            const json_value *cl = j_arr(&scs->u.items[s], "claims");
            for (uint32_t i = 0; i < j_len(cl); i++) {
                bool holds = j_bool(&cl->u.items[i], "holds");
                if (holds != (pass == 1))
                    continue;
                total++;
                refuted += !holds;
                claim_line(f, holds, holds ? "holds" : "refuted", j_str(&cl->u.items[i], "id"),
                           j_str(&cl->u.items[i], "claim"), color);
            }
        }
        for (uint32_t i = 0; i < j_len(acl); i++) {
            const char *v = j_str(&acl->u.items[i], "verdict");
            bool holds = v && !strcmp(v, "holds");
            if (holds != (pass == 1))
                continue;
            total++;
            refuted += !holds;
            claim_line(f, holds, v ? v : "unknown", j_str(&acl->u.items[i], "id"),
                       j_str(&acl->u.items[i], "claim"), color);
        }
    }
    const json_value *esc = an ? json_get(an, "escalation") : NULL;
    fprintf(f, "claims: %zu of %zu hold; requests: %ld of %ld as expected", total - refuted, total,
            j_int(sum, "requests", 0) - j_int(sum, "failed", 0), j_int(sum, "requests", 0));
    if (esc) {
        size_t paths = rpt_escalation_paths(esc);
        fprintf(f, "; escalation paths: %zu", paths);
        if (paths && rpt_paths_capped(an))
            fprintf(f, ", all within the boundary");
    }
    fputc('\n', f);
    if (html_path)
        fprintf(f, "full report: %s\n", html_path);
    else
        fprintf(f, "full report: iamguard check --format html -o report.html\n");
}

/* report.c - what `iamguard fix` found: the verdicts before and after,
 * each edit with the obligations it serves and the allowed requests it
 * keeps, what could not be fixed and why, and the unified diff; as text
 * for a reviewer and as JSON for tools (docs/fix.md). */
#include <string.h>

#include "fix/fix.h"

static const char *base(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path ? path : "?";
}

static void tally_text(FILE *f, const char *label, const fx_tally *t)
{
    fprintf(f, "  %-7s %zu of %zu requests as expected, %zu of %zu claims hold", label, t->met, t->requests,
            t->held, t->claims);
    if (t->analysed) {
        fprintf(f, "; analysis: %zu of %zu claims hold, ", t->aheld, t->aclaims);
        if (t->paths)
            fprintf(f, "%zu escalation path%s past the boundary", t->paths, t->paths == 1 ? "" : "s");
        else
            fprintf(f, "no escalation path past the boundary");
    }
    fputc('\n', f);
}

/* One item a line under its heading, at most `show` of them. */
static void list_line(FILE *f, const char *head, char *const *v, size_t n, size_t show)
{
    if (!n)
        return;
    int w = (int)strlen(head);
    for (size_t i = 0; i < n && i < show; i++)
        fprintf(f, "       %-*s %s\n", w, i ? "" : head, v[i]);
    if (n > show)
        fprintf(f, "       %-*s and %zu more\n", w, "", n - show);
}

/* Requests by id on one line: they are short. */
static void ids_line(FILE *f, const char *head, char *const *v, size_t n, size_t show)
{
    if (!n)
        return;
    fprintf(f, "       %s", head);
    for (size_t i = 0; i < n && i < show; i++)
        fprintf(f, "%s%s", i ? ", " : " ", v[i]);
    if (n > show)
        fprintf(f, " and %zu more", n - show);
    fputc('\n', f);
}

void fx_report_text(FILE *f, const chk_scenario *s, const fx_result *r, bool diff)
{
    fprintf(f, "iamguard fix: %s (%s)\n", s->name ? s->name : "scenario",
            s->builtin ? "the built-in example" : s->file ? s->file : "?");
    tally_text(f, "before:", &r->before);
    tally_text(f, "after:", &r->after);
    if (!r->nedits) {
        fprintf(f, "\nno edit%s\n", r->complete ? ": every expectation holds already" : " found");
    } else {
        fprintf(f, "\n%zu edit%s, each with what it is for:\n", r->nedits, r->nedits == 1 ? "" : "s");
        for (size_t i = 0; i < r->nedits; i++) {
            const fx_edit *e = &r->edits[i];
            fprintf(f, "  %2zu. %s\n", i + 1, e->what ? e->what : "?");
            list_line(f, "for:", e->serves, e->nserves, 4);
            if (e->nkeeps) {
                char head[64];
                snprintf(head, sizeof head, "keeps allowed (%zu):", e->nkeeps);
                ids_line(f, head, e->keeps, e->nkeeps, 6);
            }
        }
    }
    if (r->nunfixed) {
        fprintf(f, "\nnot fixed:\n");
        for (size_t i = 0; i < r->nunfixed; i++)
            fprintf(f, "  - %s\n    because %s\n", r->unfixed[i].what ? r->unfixed[i].what : "?",
                    r->unfixed[i].why ? r->unfixed[i].why : "?");
    }
    for (size_t i = 0; i < r->nwarnings; i++)
        fprintf(f, "%swarning: %s\n", i ? "" : "\n", r->warnings[i]);
    bool any = false;
    for (size_t i = 0; i < r->nfiles; i++) {
        const fx_file *x = &r->files[i];
        if (!x->changed)
            continue;
        if (diff) {
            json_buf b;
            json_buf_init(&b);
            fx_unified_diff(base(x->file), x->before, x->blen, x->after, x->alen, &b);
            if (!any)
                fputc('\n', f);
            fwrite(b.data, 1, b.len, f);
            json_buf_free(&b);
        }
        any = true;
    }
    for (size_t i = 0; i < r->nfiles; i++)
        if (r->files[i].written)
            fprintf(f, "%swrote %s\n", i ? "" : "\n", r->files[i].written);
    fprintf(f, "\nsearch: %zu decisions, %zu candidate edits, %zu analysis run%s\n", r->evaluations, r->candidates,
            r->rounds, r->rounds == 1 ? "" : "s");
}

static void tally_json(json_writer *w, const char *key, const fx_tally *t)
{
    jw_key(w, key);
    jw_object_begin(w);
    jw_kint(w, "requests", (long long)t->requests);
    jw_kint(w, "requestsAsExpected", (long long)t->met);
    jw_kint(w, "claims", (long long)t->claims);
    jw_kint(w, "claimsHold", (long long)t->held);
    jw_kbool(w, "analysed", t->analysed);
    if (t->analysed) {
        jw_kint(w, "analysisClaims", (long long)t->aclaims);
        jw_kint(w, "analysisClaimsHold", (long long)t->aheld);
        jw_kint(w, "escalationPaths", (long long)t->paths);
    }
    jw_object_end(w);
}

static void strings(json_writer *w, const char *key, char *const *v, size_t n)
{
    jw_key(w, key);
    jw_array_begin(w);
    for (size_t i = 0; i < n; i++)
        jw_string(w, v[i]);
    jw_array_end(w);
}

void fx_report_json(json_writer *w, const chk_scenario *s, const fx_result *r)
{
    jw_object_begin(w);
    jw_kstring(w, "scenario", s->name);
    jw_kstring(w, "file", s->file);
    jw_kbool(w, "builtin", s->builtin);
    jw_kbool(w, "complete", r->complete);
    tally_json(w, "before", &r->before);
    tally_json(w, "after", &r->after);
    jw_key(w, "edits");
    jw_array_begin(w);
    for (size_t i = 0; i < r->nedits; i++) {
        const fx_edit *e = &r->edits[i];
        jw_object_begin(w);
        jw_kstring(w, "kind", fx_kind_name(e->kind));
        jw_kstring(w, "policy", s->policies[e->pol].name);
        jw_kstring(w, "file", s->policies[e->pol].file);
        jw_kstring(w, "statement", e->sid);
        jw_kstring(w, "description", e->what);
        if (e->nacts)
            strings(w, "actions", e->acts, e->nacts);
        if (e->nres)
            strings(w, "resources", e->res, e->nres);
        if (e->op) {
            jw_key(w, "condition");
            jw_object_begin(w);
            jw_kstring(w, "operator", e->op);
            jw_kstring(w, "key", e->key);
            strings(w, "values", e->cvals, e->ncvals);
            jw_object_end(w);
        }
        strings(w, "serves", e->serves, e->nserves);
        strings(w, "keepsAllowed", e->keeps, e->nkeeps);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "unfixed");
    jw_array_begin(w);
    for (size_t i = 0; i < r->nunfixed; i++) {
        jw_object_begin(w);
        jw_kstring(w, "obligation", r->unfixed[i].what);
        jw_kstring(w, "reason", r->unfixed[i].why);
        jw_object_end(w);
    }
    jw_array_end(w);
    strings(w, "warnings", r->warnings, r->nwarnings);
    json_buf d;
    json_buf_init(&d);
    jw_key(w, "files");
    jw_array_begin(w);
    for (size_t i = 0; i < r->nfiles; i++) {
        const fx_file *x = &r->files[i];
        jw_object_begin(w);
        jw_kstring(w, "policy", x->name);
        jw_kstring(w, "file", x->file);
        jw_kbool(w, "changed", x->changed);
        jw_kstring(w, "written", x->written);
        jw_object_end(w);
        if (x->changed)
            fx_unified_diff(base(x->file), x->before, x->blen, x->after, x->alen, &d);
    }
    jw_array_end(w);
    jw_key(w, "diff");
    jw_string_n(w, d.data ? d.data : "", d.len);
    json_buf_free(&d);
    jw_key(w, "search");
    jw_object_begin(w);
    jw_kint(w, "decisions", (long long)r->evaluations);
    jw_kint(w, "candidates", (long long)r->candidates);
    jw_kint(w, "analysisRuns", (long long)r->rounds);
    jw_object_end(w);
    jw_object_end(w);
}

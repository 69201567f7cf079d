/* sarif.c - findings as SARIF 2.1.0, with what GitHub code scanning reads:
 * security tags and scores on security findings only (GitHub ranks and
 * filters alerts by them), help and its link for each rule, fingerprints
 * that survive edits elsewhere in a file (so alerts are not reopened when
 * lines move), and file URIs relative to a source root given as a base
 * (GitHub matches them to repository paths). */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iamguard.h"
#include "lint/lint.h"

static const char *sarif_level(lint_severity s)
{
    return s == LINT_ERROR ? "error" : s == LINT_SUGGESTION ? "note" : "warning";
}

/* GitHub's bands: over 9 critical, 7-8.9 high, 4-6.9 medium.  Grants that
 * hand out whole accounts or let the holder widen its own rights are high;
 * the rest medium. */
static const char *security_score(const lint_rule *rule)
{
    static const char *const high[] = {
        "allow-not-action", "passrole-wildcard-resource", "broad-grant-weak-condition",
        "resource-policy-escalation", "credentials-exposure", "cross-tenant-wildcard",
    };
    for (size_t i = 0; i < sizeof high / sizeof high[0]; i++)
        if (!strcmp(rule->code, high[i]))
            return "8.0";
    return "5.5";
}

/* Percent-encode all but unreserved characters and '/'. */
static void uri_encode(json_buf *b, const char *path)
{
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            json_buf_append(b, (const char *)p, 1);
        else
            json_buf_printf(b, "%%%02X", *p);
    }
}

/* An absolute path with "." and ".." resolved as text (the file may be
 * gone, and symlinks are the user's business). */
static void absolute(const char *path, char *out, size_t cap)
{
    char cwd[PATH_MAX];
    char tmp[2 * PATH_MAX + 2];
    if (path[0] == '/' || !getcwd(cwd, sizeof cwd))
        snprintf(tmp, sizeof tmp, "%s", path);
    else
        snprintf(tmp, sizeof tmp, "%s/%s", cwd, path);
    size_t n = 0;
    out[0] = '\0';
    for (char *seg = strtok(tmp, "/"); seg; seg = strtok(NULL, "/")) {
        if (!strcmp(seg, "."))
            continue;
        if (!strcmp(seg, "..")) {
            while (n > 0 && out[n - 1] != '/')
                n--;
            if (n > 0)
                n--;
            out[n] = '\0';
            continue;
        }
        int w = snprintf(out + n, cap - n, "/%s", seg);
        if (w < 0 || (size_t)w >= cap - n)
            break;
        n += (size_t)w;
    }
    if (!n)
        snprintf(out, cap, "/");
}

typedef struct {
    char root[PATH_MAX];        /* absolute, without the trailing '/' ("" for "/") */
    const char *help_base;
} sarif_ctx;

static void artifact(json_writer *w, const sarif_ctx *sc, const char *file, json_buf *uri)
{
    uri->len = 0;       /* reused for every result */
    jw_key(w, "artifactLocation");
    jw_object_begin(w);
    if (!strcmp(file, "-")) {
        jw_kstring(w, "uri", "stdin");
    } else {
        char abs[PATH_MAX];
        absolute(file, abs, sizeof abs);
        size_t rl = strlen(sc->root);
        if (!strncmp(abs, sc->root, rl) && abs[rl] == '/') {
            uri_encode(uri, abs + rl + 1);
            jw_key(w, "uri"); jw_string_n(w, uri->data ? uri->data : "", uri->len);
            jw_kstring(w, "uriBaseId", "SRCROOT");
        } else {
            json_buf_puts(uri, "file://");
            uri_encode(uri, abs);
            jw_key(w, "uri"); jw_string_n(w, uri->data ? uri->data : "", uri->len);
        }
    }
    jw_object_end(w);
}

static void text_object(json_writer *w, const char *key, const char *text)
{
    jw_key(w, key);
    jw_object_begin(w);
    jw_kstring(w, "text", text);
    jw_object_end(w);
}

static void rule(json_writer *w, const sarif_ctx *sc, const lint_rule *r)
{
    bool security = r->severity == LINT_SECURITY_WARNING;
    char uri[PATH_MAX + 128], full[600], md[2400], plain[1800];
    snprintf(uri, sizeof uri, "%s#%s", sc->help_base, r->code);
    snprintf(full, sizeof full, "%s (%s). %s", r->summary, lint_severity_name(r->severity), r->help);
    if (full[0] >= 'a' && full[0] <= 'z')
        full[0] = (char)(full[0] - 'a' + 'A');
    snprintf(plain, sizeof plain, "%s: %s. %s Details, an example and a near miss: %.1000s", r->code,
             r->summary, r->help, uri);
    snprintf(md, sizeof md,
             "**`%s`** (%s): %s.\n\n%s**Fix:** %s\n\n"
             "[docs/lint.md](%.1000s) explains the finding with a policy that reports it and a near miss that does not.",
             r->code, lint_severity_name(r->severity), r->summary,
             security ? "A security finding: the policy grants more than it appears to.\n\n" : "", r->help, uri);
    jw_object_begin(w);
    jw_kstring(w, "id", r->code);
    text_object(w, "shortDescription", r->summary);
    text_object(w, "fullDescription", full);
    jw_kstring(w, "helpUri", uri);
    jw_key(w, "help");
    jw_object_begin(w);
    jw_kstring(w, "text", plain);
    jw_kstring(w, "markdown", md);
    jw_object_end(w);
    jw_key(w, "defaultConfiguration");
    jw_object_begin(w);
    jw_kstring(w, "level", sarif_level(r->severity));
    jw_object_end(w);
    jw_key(w, "properties");
    jw_object_begin(w);
    jw_kstring(w, "severity", lint_severity_name(r->severity));
    jw_key(w, "tags");
    jw_array_begin(w);
    if (security)
        jw_string(w, "security");
    jw_string(w, "iam");
    jw_array_end(w);
    if (security)
        jw_kstring(w, "security-severity", security_score(r));
    jw_object_end(w);
    jw_object_end(w);
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h ^ 0xff;    /* separates the fields */
}

/* Code, file and message, and which repeat of those it is: no line or
 * column, so moving a finding does not make it a new alert. */
static uint64_t fingerprint(const lint_report *r, size_t i, const char *uri)
{
    const lint_finding *f = &r->items[i];
    unsigned repeat = 0;
    for (size_t k = 0; k < i; k++) {
        const lint_finding *g = &r->items[k];
        repeat += g->rule == f->rule && !strcmp(g->file, f->file) && !strcmp(g->message, f->message);
    }
    char num[16];
    snprintf(num, sizeof num, "%u", repeat);
    uint64_t h = 14695981039346656037ull;
    h = fnv1a(h, f->rule->code);
    h = fnv1a(h, uri);
    h = fnv1a(h, f->message);
    return fnv1a(h, num);
}

static void result(json_writer *w, const sarif_ctx *sc, const lint_report *r, size_t i, json_buf *uri)
{
    const lint_finding *f = &r->items[i];
    jw_object_begin(w);
    jw_kstring(w, "ruleId", f->rule->code);
    jw_key(w, "ruleIndex"); jw_int(w, (long long)(f->rule - LINT_RULES));
    jw_kstring(w, "level", sarif_level(f->rule->severity));
    jw_key(w, "message");
    jw_object_begin(w);
    jw_key(w, "text");
    json_buf m;
    json_buf_init(&m);
    json_buf_printf(&m, "%s%s%s", f->message, f->fix ? ". Fix: " : "", f->fix ? f->fix : "");
    jw_string_n(w, m.data ? m.data : "", m.len);
    if (m.failed)
        w->out->failed = true;      /* a cut message must not pass for the real one */
    json_buf_free(&m);
    jw_object_end(w);
    jw_key(w, "locations");
    jw_array_begin(w);
    jw_object_begin(w);
    jw_key(w, "physicalLocation");
    jw_object_begin(w);
    artifact(w, sc, f->file, uri);
    jw_key(w, "region");
    jw_object_begin(w);
    jw_key(w, "startLine"); jw_int(w, f->line ? f->line : 1);
    jw_key(w, "startColumn"); jw_int(w, f->column ? f->column : 1);
    jw_object_end(w);
    jw_object_end(w);
    jw_object_end(w);
    jw_array_end(w);
    if (uri->failed)
        w->out->failed = true;
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx",
             (unsigned long long)fingerprint(r, i, uri->data ? uri->data : f->file));
    jw_key(w, "partialFingerprints");
    jw_object_begin(w);
    jw_kstring(w, "iamguardFinding/v1", hex);
    jw_object_end(w);
    jw_object_end(w);
}

void lint_write_sarif(const lint_report *r, const lint_sarif_options *so, json_buf *out)
{
    sarif_ctx sc;
    absolute(so && so->source_root ? so->source_root : ".", sc.root, sizeof sc.root);
    if (!strcmp(sc.root, "/"))
        sc.root[0] = '\0';
    sc.help_base = so && so->help_base ? so->help_base : "file:///usr/share/doc/iamguard/lint.md";
    json_writer w;
    jw_init(&w, out, true);
    jw_object_begin(&w);
    jw_kstring(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    jw_kstring(&w, "version", "2.1.0");
    jw_key(&w, "runs");
    jw_array_begin(&w);
    jw_object_begin(&w);
    jw_key(&w, "tool");
    jw_object_begin(&w);
    jw_key(&w, "driver");
    jw_object_begin(&w);
    jw_kstring(&w, "name", "iamguard");
    jw_kstring(&w, "version", IAMGUARD_VERSION);
    jw_kstring(&w, "informationUri", sc.help_base);
    jw_key(&w, "rules");
    jw_array_begin(&w);
    for (size_t i = 0; i < LINT_RULE_COUNT; i++)
        rule(&w, &sc, &LINT_RULES[i]);
    jw_array_end(&w);
    jw_object_end(&w);
    jw_object_end(&w);
    json_buf base;
    json_buf_init(&base);
    json_buf_puts(&base, "file://");
    uri_encode(&base, sc.root);
    json_buf_puts(&base, "/");
    jw_key(&w, "originalUriBaseIds");
    jw_object_begin(&w);
    jw_key(&w, "SRCROOT");
    jw_object_begin(&w);
    jw_key(&w, "uri"); jw_string_n(&w, base.data ? base.data : "", base.len);
    if (base.failed)
        out->failed = true;
    jw_object_end(&w);
    jw_object_end(&w);
    json_buf_free(&base);
    jw_key(&w, "results");
    jw_array_begin(&w);
    json_buf uri;
    json_buf_init(&uri);
    for (size_t i = 0; i < r->n; i++)
        result(&w, &sc, r, i, &uri);
    json_buf_free(&uri);
    jw_array_end(&w);
    jw_object_end(&w);
    jw_array_end(&w);
    jw_object_end(&w);
    json_buf_puts(out, "\n");
}

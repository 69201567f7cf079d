/* cmd_lint.c - `iamguard lint FILE...`: find mistakes in policies and in
 * the policies of CloudFormation templates, as gcc-style text, JSON or
 * SARIF.  The checks live in src/lint/; this file reads the inputs, picks
 * the policy type of each policy and writes the report. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/cfn.h"
#include "cli/catalog_open.h"
#include "cli/cli.h"
#include "iamguard.h"
#include "json/json.h"
#include "lint/lint.h"
#include "util/alloc.h"
#include "util/file.h"
#include "yaml/yaml.h"

static const char USAGE[] =
"usage: iamguard lint [options] FILE...\n"
"\n"
"Check IAM policies (JSON) and the IAM policies of CloudFormation templates\n"
"(YAML or JSON) for mistakes: grammar, size quotas, unknown actions and\n"
"condition keys, actions and resources that do not fit, statements that\n"
"never apply, risky grants.  \"-\" reads standard input.  docs/lint.md\n"
"explains every finding code.\n"
"\n"
"options:\n"
"  --policy-type TYPE    identity (default), resource, scp, rcp, boundary or session:\n"
"                        the grammar and size quota of the policies (templates\n"
"                        set it per policy)\n"
"  --format FORMAT       text (default), json or sarif\n"
"  --fail-on SEVERITY    exit 1 when a finding is at least this severe: error\n"
"                        (default), security-warning, warning, suggestion, or none\n"
"  --ignore CODE[,CODE]  do not report these finding codes\n"
"  --max-size N          size quota in characters without whitespace\n"
"  --jsonl [FIELD]       each line of the files is a JSON object whose FIELD\n"
"                        (default \"document\") is a policy\n"
"  --catalog PATH        catalog.bin or a data package directory (see\n"
"                        `iamguard catalog --help`)\n"
"  --color, --no-color   colour text output (default: on a terminal, unless NO_COLOR)\n"
"  --list-codes          print every finding code, its severity and summary, and exit\n"
"\n"
"exit status: 0 no finding at or above --fail-on, 1 such findings (a file\n"
"that is not valid JSON or YAML is such a finding, of severity error), 2 bad\n"
"usage, no catalog, or a file that cannot be read at all.\n";

#define MAX_IGNORE 64

typedef struct {
    lint_options lo;
    lint_format format;
    int fail_on;                /* lint_severity, or LINT_SEVERITY_COUNT for none */
    const char *catalog;
    const char *jsonl_field;
    const char *ignore[MAX_IGNORE];
    size_t nignore;
    int color;                  /* -1 auto */
    const char **files;
    size_t nfiles;
} lint_cli;

static int bad(const char *msg, const char *arg)
{
    fprintf(stderr, "iamguard lint: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    return EXIT_BAD_INPUT;
}

static bool parse_type(const char *s, ig_policy_type *t)
{
    static const struct { const char *name; ig_policy_type type; } types[] = {
        { "identity", IG_POLICY_IDENTITY }, { "resource", IG_POLICY_RESOURCE },
        { "scp", IG_POLICY_SCP }, { "rcp", IG_POLICY_RCP },
        { "boundary", IG_POLICY_BOUNDARY }, { "permissionsBoundary", IG_POLICY_BOUNDARY },
        { "session", IG_POLICY_SESSION },
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(s, types[i].name)) {
            *t = types[i].type;
            return true;
        }
    return false;
}

static int parse_ignore(lint_cli *o, char *list)
{
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
        if (!lint_rule_find(tok))
            return bad("unknown finding code", tok);
        if (o->nignore == MAX_IGNORE)
            return bad("too many codes for --ignore", NULL);
        o->ignore[o->nignore++] = tok;
    }
    return 0;
}

static int parse(int argc, char **argv, lint_cli *o)
{
    o->files = calloc((size_t)argc, sizeof *o->files);
    if (!o->files)
        return bad("out of memory", NULL);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(USAGE, stdout);
            exit(EXIT_OK);
        } else if (!strcmp(a, "--list-codes")) {
            for (size_t k = 0; k < LINT_RULE_COUNT; k++)
                printf("%s\t%s\t%s\n", LINT_RULES[k].code, lint_severity_name(LINT_RULES[k].severity),
                       LINT_RULES[k].summary);
            exit(EXIT_OK);
        } else if (!strcmp(a, "--policy-type")) {
            if (!has_value || !parse_type(argv[++i], &o->lo.type))
                return bad("--policy-type takes identity, resource, scp, rcp, boundary or session", NULL);
        } else if (!strcmp(a, "--format")) {
            const char *f = has_value ? argv[++i] : "";
            if (!strcmp(f, "text")) o->format = LINT_OUT_TEXT;
            else if (!strcmp(f, "json")) o->format = LINT_OUT_JSON;
            else if (!strcmp(f, "sarif")) o->format = LINT_OUT_SARIF;
            else return bad("--format takes text, json or sarif", NULL);
        } else if (!strcmp(a, "--fail-on")) {
            lint_severity s;
            const char *v = has_value ? argv[++i] : "";
            if (!strcmp(v, "none"))
                o->fail_on = LINT_SEVERITY_COUNT;
            else if (lint_severity_parse(v, &s))
                o->fail_on = (int)s;
            else
                return bad("--fail-on takes error, security-warning, warning, suggestion or none", NULL);
        } else if (!strcmp(a, "--ignore")) {
            if (!has_value)
                return bad("missing value for", a);
            int rc = parse_ignore(o, argv[++i]);
            if (rc)
                return rc;
        } else if (!strcmp(a, "--max-size")) {
            char *end;
            long v = has_value ? strtol(argv[++i], &end, 10) : 0;
            if (!has_value || *end || v < 1 || v > 1000000)
                return bad("--max-size takes a number of characters from 1 to 1000000", NULL);
            o->lo.max_size = (size_t)v;
        } else if (!strcmp(a, "--jsonl")) {
            o->jsonl_field = "document";
            if (has_value && strncmp(argv[i + 1], "-", 1) && !strchr(argv[i + 1], '.') &&
                !strchr(argv[i + 1], '/'))
                o->jsonl_field = argv[++i];
        } else if (!strcmp(a, "--catalog")) {
            if (!has_value)
                return bad("missing value for", a);
            o->catalog = argv[++i];
        } else if (!strcmp(a, "--color")) {
            o->color = 1;
        } else if (!strcmp(a, "--no-color")) {
            o->color = 0;
        } else if (a[0] == '-' && a[1]) {
            return bad("unknown option", a);
        } else {
            o->files[o->nfiles++] = a;
        }
    }
    if (!o->nfiles)
        return bad("no input files (try --help)", NULL);
    return 0;
}

/* ---- inputs ------------------------------------------------------------------ */

static bool is_template(const json_value *root)
{
    return root->kind == JSON_OBJECT && !json_get(root, "Statement") &&
           (json_get(root, "Resources") || json_get(root, "AWSTemplateFormatVersion"));
}

static void diag_finding(lint_report *r, const char *code, const char *file, const ig_diag *d)
{
    lint_report_add(r, code, file, d->line, d->column, d->msg);
}

static int lint_template(const lint_cli *o, const char *text, size_t len, const char *file,
                         lint_report *r)
{
    cfn_params params;
    memset(&params, 0, sizeof params);
    cfn_template *t = NULL;
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (cfn_load_text(text, len, file, &params, &t, &d) != IG_OK) {
        if (d.code == IG_E_NOMEM)
            return IG_E_NOMEM;
        diag_finding(r, "template-error", file, &d);
        return IG_OK;
    }
    int rc = IG_OK;
    for (size_t i = 0; i < t->npolicies && rc == IG_OK; i++) {
        const cfn_policy *p = &t->policies[i];
        lint_options lo = o->lo;
        lo.what = p->logical_id;
        /* Each kind of template policy has its own grammar and quota. */
        if (p->kind == CFN_ROLE_TRUST) {
            lo.type = IG_POLICY_RESOURCE;
            if (!lo.max_size) lo.max_size = 4096;
        } else {
            lo.type = IG_POLICY_IDENTITY;
            for (size_t k = 0; k < t->nprincipals; k++)
                if (t->principals[k].boundary_policy == (long)i)
                    lo.type = IG_POLICY_BOUNDARY;
            if (!lo.max_size) lo.max_size = p->kind == CFN_INLINE_POLICY ? 10240 : 6144;
        }
        if (p->document)
            rc = lint_policy_value(&lo, p->document, t->text, t->len, file, r);
    }
    cfn_free(t);
    return rc;
}

static int lint_file(const lint_cli *o, const char *file, const char *text, size_t len,
                     lint_report *r)
{
    json_error je;
    json_doc *doc = ig_parse_structured(text, len, NULL, &je);
    if (!doc) {
        lint_report_add(r, "syntax-error", file, je.line, je.column, je.msg);
        return IG_OK;
    }
    const json_value *root = json_root(doc);
    int rc = is_template(root) ? lint_template(o, text, len, file, r)
                               : lint_policy_value(&o->lo, root, text, len, file, r);
    json_doc_free(doc);
    return rc;
}

/* One policy per line, under `field` (or the whole line without it). */
static int lint_jsonl(const lint_cli *o, const char *file, const char *text, size_t len,
                      lint_report *r)
{
    unsigned lineno = 0;
    for (size_t pos = 0; pos < len;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *line = text + pos;
        size_t n = end - pos;
        lineno++;
        pos = end + 1;
        if (n == 0 || (n == 1 && line[0] == '\r'))
            continue;
        size_t from = r->n;
        json_error je;
        json_doc *doc = json_parse(line, n, NULL, &je);
        if (!doc) {
            lint_report_add(r, "syntax-error", file, lineno, je.column, je.msg);
            continue;
        }
        const json_value *root = json_root(doc);
        const json_value *policy = json_get(root, o->jsonl_field);
        int rc = lint_policy_value(&o->lo, policy ? policy : root, line, n, file, r);
        json_doc_free(doc);
        if (rc != IG_OK)
            return rc;
        for (size_t i = from; i < r->n; i++)
            r->items[i].line = lineno;
    }
    return IG_OK;
}

static void summary(const lint_report *r, size_t nfiles)
{
    size_t counts[LINT_SEVERITY_COUNT] = { 0 };
    for (size_t i = 0; i < r->n; i++)
        counts[r->items[i].rule->severity]++;
    fprintf(stderr, "iamguard lint: %zu error%s, %zu security warning%s, %zu warning%s, "
                    "%zu suggestion%s in %zu file%s\n",
            counts[LINT_ERROR], counts[LINT_ERROR] == 1 ? "" : "s",
            counts[LINT_SECURITY_WARNING], counts[LINT_SECURITY_WARNING] == 1 ? "" : "s",
            counts[LINT_WARNING], counts[LINT_WARNING] == 1 ? "" : "s",
            counts[LINT_SUGGESTION], counts[LINT_SUGGESTION] == 1 ? "" : "s",
            nfiles, nfiles == 1 ? "" : "s");
}

static int run(lint_cli *o, lint_report *r)
{
    int status = EXIT_OK;
    for (size_t i = 0; i < o->nfiles; i++) {
        const char *file = o->files[i];
        size_t len;
        const char *err;
        char *text = ig_read_file(file, IG_MAX_FILE, &len, &err);
        if (!text) {
            fprintf(stderr, "%s: error: cannot read the file: %s\n", file, err);
            status = EXIT_BAD_INPUT;
            continue;
        }
        size_t from = r->n;
        int rc = o->jsonl_field ? lint_jsonl(o, file, text, len, r) : lint_file(o, file, text, len, r);
        ig_free(text);
        if (rc != IG_OK || r->failed) {
            fprintf(stderr, "%s: error: out of memory\n", file);
            return EXIT_BAD_INPUT;
        }
        if (!o->jsonl_field)
            lint_report_sort(r, from);
    }
    return status;
}

int cmd_lint(int argc, char **argv)
{
    lint_cli o;
    memset(&o, 0, sizeof o);
    o.lo.type = IG_POLICY_IDENTITY;
    o.lo.what = "";
    o.fail_on = LINT_ERROR;
    o.color = -1;
    int rc = parse(argc, argv, &o);
    if (rc) {
        free(o.files);
        return rc;
    }
    char used[PATH_MAX + 64];
    ig_diag d;
    memset(&d, 0, sizeof d);
    ig_catalog *cat = cli_open_catalog(o.catalog, used, sizeof used, &d);
    if (!cat) {
        cli_print_diag(&d);
        free(o.files);
        return EXIT_BAD_INPUT;
    }
    o.lo.cat = cat;
    lint_report r;
    lint_report_init(&r);
    int status = run(&o, &r);
    lint_report_drop(&r, o.ignore, o.nignore);
    json_buf out;
    json_buf_init(&out);
    if (o.format == LINT_OUT_JSON)
        lint_write_json(&r, &out);
    else if (o.format == LINT_OUT_SARIF)
        lint_write_sarif(&r, &out);
    else
        lint_write_text(&r, o.color == 1 || (o.color == -1 && cli_stdout_is_tty() && !cli_no_color_env()),
                        &out);
    if (out.failed)
        status = EXIT_BAD_INPUT;
    else
        fwrite(out.data ? out.data : "", 1, out.len, stdout);
    if (o.format == LINT_OUT_TEXT)
        summary(&r, o.nfiles);
    if (status == EXIT_OK)
        for (size_t i = 0; i < r.n; i++)
            if ((int)r.items[i].rule->severity >= o.fail_on)
                status = EXIT_FINDINGS;
    json_buf_free(&out);
    lint_report_free(&r);
    ig_catalog_close(cat);
    free(o.files);
    return status;
}

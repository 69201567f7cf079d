/* cmd_lint.c - `iamguard lint FILE...`: find mistakes in policies and in
 * the policies of CloudFormation templates, as gcc-style text, JSON or
 * SARIF.  The checks live in src/lint/; this file reads the inputs, picks
 * the policy type of each policy and writes the report. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
"Check IAM policies (JSON), the IAM policies of CloudFormation templates\n"
"(YAML or JSON) and of account exports (`aws iam\n"
"get-account-authorization-details`) for mistakes: grammar, size quotas, unknown actions and\n"
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
"  --aws-managed         the policies are AWS managed policies: no size quota\n"
"                        (JSON Lines whose \"arn\" is arn:aws:iam::aws:policy/... are\n"
"                        known without it)\n"
"  --parameter NAME=VALUE  a template parameter's value (repeatable; templates that\n"
"                        do not declare NAME ignore it)\n"
"  --source-root DIR     SARIF: file URIs relative to DIR (default: the current\n"
"                        directory), given as originalUriBaseIds SRCROOT\n"
"  --help-uri URI        SARIF: where docs/lint.md is published (rules link to\n"
"                        URI#CODE; default: the docs beside this program)\n"
"  --catalog PATH        catalog.bin or a data package directory (see\n"
"                        `iamguard catalog --help`)\n"
"  --color, --no-color   colour text output (default: on a terminal, unless NO_COLOR)\n"
"  --list-codes          print every finding code, its severity and summary, and exit\n"
"\n"
"exit status: 0 no finding at or above --fail-on, 1 such findings (a file\n"
"that is not valid JSON or YAML is such a finding, of severity error), 2 bad\n"
"usage, no catalog, or a file that cannot be read at all.\n";

#define MAX_IGNORE 64
#define MAX_PARAMETERS 128

typedef struct {
    lint_options lo;
    lint_format format;
    int fail_on;                /* lint_severity, or LINT_SEVERITY_COUNT for none */
    const char *catalog;
    const char *jsonl_field;
    const char *ignore[MAX_IGNORE];
    size_t nignore;
    const char *parameters[MAX_PARAMETERS];
    size_t nparameters;
    const char *source_root;
    const char *help_uri;
    bool aws_managed;           /* the policies are AWS managed: no size quota */
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
        } else if (!strcmp(a, "--parameter")) {
            if (!has_value)
                return bad("missing value for", a);
            if (o->nparameters == MAX_PARAMETERS)
                return bad("too many --parameter options", NULL);
            const char *kv = argv[++i];
            if (!strchr(kv, '=') || kv[0] == '=')
                return bad("--parameter takes NAME=VALUE, got", kv);
            o->parameters[o->nparameters++] = kv;
        } else if (!strcmp(a, "--source-root")) {
            if (!has_value || !argv[i + 1][0])
                return bad("missing value for", a);
            o->source_root = argv[++i];
        } else if (!strcmp(a, "--aws-managed")) {
            o->aws_managed = true;
        } else if (!strcmp(a, "--help-uri")) {
            if (!has_value || !strchr(argv[i + 1], ':'))
                return bad("--help-uri takes an absolute URI of docs/lint.md", NULL);
            o->help_uri = argv[++i];
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

/* The overrides whose NAME the template declares: one --parameter list
 * serves every template of the run. */
static size_t declared_parameters(const lint_cli *o, const json_value *root, const char **out)
{
    const json_value *decl = json_get(root, "Parameters");
    size_t n = 0;
    for (size_t i = 0; i < o->nparameters; i++) {
        const char *kv = o->parameters[i];
        size_t nl = (size_t)(strchr(kv, '=') - kv);
        for (uint32_t k = 0; decl && decl->kind == JSON_OBJECT && k < decl->len; k++)
            if (decl->u.members[k].key_len == nl && !memcmp(decl->u.members[k].key, kv, nl)) {
                out[n++] = kv;
                break;
            }
    }
    return n;
}

/* Inline policies: the quota binds each principal's inline policies
 * together (role 10,240, user 2,048, group 5,120). */
static const size_t INLINE_QUOTA[] = { [CFN_ROLE] = 10240, [CFN_USER] = 2048, [CFN_GROUP] = 5120 };
static const char *const KIND_NAME[] = { [CFN_ROLE] = "role", [CFN_USER] = "user", [CFN_GROUP] = "group" };

static void inline_aggregates(const cfn_template *t, const char *file, lint_report *r)
{
    for (size_t k = 0; k < t->nprincipals; k++) {
        const cfn_principal *pr = &t->principals[k];
        size_t total = 0;
        const cfn_policy *first = NULL;
        for (size_t i = 0; i < pr->npolicies; i++) {
            const cfn_policy *p = &t->policies[pr->policies[i]];
            if (p->kind != CFN_INLINE_POLICY || !p->document)
                continue;
            total += lint_policy_size(p->document);
            if (!first)
                first = p;
        }
        if (!first || total <= INLINE_QUOTA[pr->kind])
            continue;
        unsigned line = 1, col = 1;
        for (size_t i = 0; i < first->document->start && i < t->len; i++) {
            col++;
            if (t->text[i] == '\n') {
                line++;
                col = 1;
            }
        }
        char msg[400];
        snprintf(msg, sizeof msg,
                 "the inline policies of %s %s have %zu characters without whitespace together; a %s's may have at most %zu",
                 KIND_NAME[pr->kind], pr->logical_id, total, KIND_NAME[pr->kind], INLINE_QUOTA[pr->kind]);
        lint_report_add(r, "policy-size", file, line, col, msg);
    }
}

/* An inline policy no principal of the template holds: the quota of the
 * strictest kind it is attached to outside the template. */
static size_t external_inline_quota(const cfn_template *t, size_t index)
{
    for (size_t k = 0; k < t->nprincipals; k++)
        for (size_t i = 0; i < t->principals[k].npolicies; i++)
            if (t->principals[k].policies[i] == index)
                return LINT_NO_SIZE_LIMIT;      /* checked as an aggregate */
    const cfn_policy *p = &t->policies[index];
    size_t q = 10240;
    for (size_t i = 0; i < p->nexternal_principals; i++) {
        const char *e = p->external_principals[i];
        if (!strncmp(e, "user/", 5) && q > 2048) q = 2048;
        else if (!strncmp(e, "group/", 6) && q > 5120) q = 5120;
    }
    return q;
}

static int lint_template(const lint_cli *o, const json_value *root, const char *text, size_t len,
                         const char *file, lint_report *r)
{
    cfn_params params;
    memset(&params, 0, sizeof params);
    const char *given[MAX_PARAMETERS];
    params.parameters = given;
    params.nparameters = declared_parameters(o, root, given);
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
            if (!lo.max_size) {
                lo.max_size = 2048;     /* the default quota */
                lo.quota_name = "role trust";
            }
        } else {
            lo.type = IG_POLICY_IDENTITY;
            for (size_t k = 0; k < t->nprincipals; k++)
                if (t->principals[k].boundary_policy == (long)i)
                    lo.type = IG_POLICY_BOUNDARY;
            if (!lo.max_size) {
                lo.max_size = p->kind == CFN_INLINE_POLICY ? external_inline_quota(t, i) : 6144;
                lo.quota_name = p->kind == CFN_INLINE_POLICY ? "inline" : "customer managed";
            }
        }
        if (p->document)
            rc = lint_policy_value(&lo, p->document, t->text, t->len, file, r);
    }
    if (rc == IG_OK && !o->lo.max_size)
        inline_aggregates(t, file, r);
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
    lint_options lo = o->lo;
    if (o->aws_managed && !lo.max_size)
        lo.max_size = LINT_NO_SIZE_LIMIT;
    int rc = is_template(root) ? lint_template(o, root, text, len, file, r)
           : lint_is_account_export(root) ? lint_account_export(&o->lo, root, text, len, file, r)
           : lint_policy_value(&lo, root, text, len, file, r);
    json_doc_free(doc);
    return rc;
}

/* A line describing an AWS managed policy ("arn": "arn:aws:iam::aws:policy/...",
 * as `aws iam list-policies` and policy dumps name them): no size quota. */
static bool aws_managed_line(const json_value *line)
{
    static const char *const keys[] = { "arn", "Arn", "PolicyArn" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const json_value *v = json_get(line, keys[i]);
        if (v && v->kind == JSON_STRING && strstr(v->u.str, ":iam::aws:policy/"))
            return true;
    }
    return false;
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
        lint_options lo = o->lo;
        if (!lo.max_size && (o->aws_managed || aws_managed_line(root)))
            lo.max_size = LINT_NO_SIZE_LIMIT;
        int rc = lint_policy_value(&lo, policy ? policy : root, line, n, file, r);
        json_doc_free(doc);
        if (rc != IG_OK)
            return rc;
        for (size_t i = from; i < r->n; i++)
            r->items[i].line = lineno;
    }
    return IG_OK;
}

/* file:// of docs/lint.md beside the program (build/iamguard ->
 * docs/lint.md), when there is one. */
static const char *docs_uri(char *buf, size_t cap)
{
    char exe[PATH_MAX], path[PATH_MAX + 32], real[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    snprintf(path, sizeof path, "%s/../docs/lint.md", exe);
    if (!realpath(path, real))
        return NULL;
    for (const char *p = real; *p; p++)
        if (!strchr("-._~/", *p) && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return NULL;    /* would need encoding: use the default */
    snprintf(buf, cap, "file://%s", real);
    return buf;
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
    char help[PATH_MAX + 16];
    int status = run(&o, &r);
    lint_report_drop(&r, o.ignore, o.nignore);
    json_buf out;
    json_buf_init(&out);
    if (o.format == LINT_OUT_JSON)
        lint_write_json(&r, &out);
    else if (o.format == LINT_OUT_SARIF)
        lint_write_sarif(&r, &(lint_sarif_options){ .source_root = o.source_root,
                                                    .help_base = o.help_uri ? o.help_uri : docs_uri(help, sizeof help) },
                         &out);
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

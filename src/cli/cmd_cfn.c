/* cmd_cfn.c - `iamguard cfn`: CloudFormation templates.
 *
 *   render  writes the seed's deployment-security-cft.yml
 *   show    prints the policies and principals iamguard reads from a template */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/cfn.h"
#include "cfn/render.h"
#include "cli/cli.h"
#include "iamguard.h"
#include "json/json.h"
#include "util/alloc.h"
#include "util/file.h"

static const char USAGE[] =
"usage: iamguard cfn render [--hardened] [--account ID] [--region R] [--boundary-policy FILE]\n"
"                           [--developer-policy FILE] [-o FILE]\n"
"       iamguard cfn show [--account ID] [--region R] [--partition P] [--stack-name NAME]\n"
"                         [--parameter NAME=VALUE]... [--format text|json]\n"
"                         [--policy NAME] [--canonical] TEMPLATE\n"
"\n"
"render  write deployment-security-cft.yml: the imaging viewer's permissions\n"
"        boundary and developer policy as two AWS::IAM::ManagedPolicy resources,\n"
"        the developer policy referring to the boundary with !Ref\n"
"show    print what iamguard reads from a CloudFormation template (YAML or\n"
"        JSON): each IAM policy with its resolved document, and each role,\n"
"        user and group with its policies, boundary and trust policy\n"
"\n"
"options:\n"
"  --account ID            account of the ARNs (default 123456789012)\n"
"  --region R              region (default us-east-1)\n"
"  --partition P           partition (default from the region: aws, aws-cn, aws-us-gov)\n"
"  --stack-name NAME       stack name, used in generated names (default iamguard-stack)\n"
"  --parameter NAME=VALUE  a template parameter's value (repeatable)\n"
"  --format text|json      output of show (default text)\n"
"  --policy NAME           show only this policy's document (name, logical id or ARN)\n"
"  --canonical             documents as iamguard compiles them (every element a list)\n"
"  --boundary-policy FILE  render with this boundary document instead of the example\n"
"  --developer-policy FILE render with this developer document instead of the example\n"
"  --hardened              render the repaired strategy (examples/imaging-viewer-hardened/):\n"
"                          its two policies, ManagedPolicyName fixed to the names its\n"
"                          conditions expect, its account as the deploying one\n"
"  -o FILE                 write the template to FILE (default standard output)\n"
"  -h, --help              this help\n"
"\n"
"exit status: 0 done, 2 bad input (a diagnostic with file:line:column on stderr).\n"
"docs/cfn.md describes both commands.\n";

#define MAX_PARAMETERS 256

typedef struct {
    const char *account, *region, *partition, *stack_name;
    const char *parameters[MAX_PARAMETERS];
    size_t nparameters;
    const char *output, *boundary, *developer, *policy, *file;
    bool json, canonical, hardened;
} cfn_opts;

static int bad(const char *msg, const char *arg)
{
    fprintf(stderr, "iamguard cfn: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    return EXIT_BAD_INPUT;
}

static bool valid_account(const char *s)
{
    size_t n = strlen(s);
    if (n != 12)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static bool valid_region(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
            return false;
    return true;
}

static int parse_opts(int argc, char **argv, bool render, cfn_opts *o)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(USAGE, stdout);
            exit(EXIT_OK);
        }
        if (!strcmp(a, "--account")) dst = &o->account;
        else if (!strcmp(a, "--region")) dst = &o->region;
        else if (!render && !strcmp(a, "--partition")) dst = &o->partition;
        else if (!render && !strcmp(a, "--stack-name")) dst = &o->stack_name;
        else if (!render && !strcmp(a, "--policy")) dst = &o->policy;
        else if (render && !strcmp(a, "-o")) dst = &o->output;
        else if (render && !strcmp(a, "--boundary-policy")) dst = &o->boundary;
        else if (render && !strcmp(a, "--developer-policy")) dst = &o->developer;
        else if (!render && !strcmp(a, "--canonical")) { o->canonical = true; continue; }
        else if (render && !strcmp(a, "--hardened")) { o->hardened = true; continue; }
        else if (!render && !strcmp(a, "--parameter")) {
            if (++i >= argc)
                return bad("missing value for", a);
            if (o->nparameters == MAX_PARAMETERS)
                return bad("too many --parameter options", NULL);
            if (!strchr(argv[i], '=') || argv[i][0] == '=')
                return bad("--parameter takes NAME=VALUE, got", argv[i]);
            o->parameters[o->nparameters++] = argv[i];
            continue;
        } else if (!render && !strcmp(a, "--format")) {
            if (++i >= argc)
                return bad("missing value for", a);
            if (strcmp(argv[i], "json") && strcmp(argv[i], "text"))
                return bad("--format must be text or json, got", argv[i]);
            o->json = !strcmp(argv[i], "json");
            continue;
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad("unknown option", a);
        } else if (render) {
            return bad("render takes no file argument (use -o FILE), got", a);
        } else if (o->file) {
            return bad("more than one template:", a);
        } else {
            o->file = a;
            continue;
        }
        if (++i >= argc)
            return bad("missing value for", a);
        *dst = argv[i];
    }
    if (o->account && !valid_account(o->account))
        return bad("--account must be 12 digits, got", o->account);
    if (o->region && !valid_region(o->region))
        return bad("--region must look like us-east-1, got", o->region);
    return 0;
}

/* ---- render --------------------------------------------------------------- */

static char *read_or_fail(const char *path, size_t *len)
{
    const char *err = NULL;
    char *text = ig_read_file(path, IG_MAX_FILE, len, &err);
    if (!text)
        fprintf(stderr, "%s: error: %s\n", path, err ? err : "cannot read file");
    return text;
}

static int write_output(const char *path, const json_buf *b)
{
    if (!path || !strcmp(path, "-")) {
        fwrite(b->data, 1, b->len, stdout);
        return fflush(stdout) == 0 ? EXIT_OK : bad("cannot write standard output", NULL);
    }
    char tmp[4096];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return bad("output path too long:", path);
    if (ig_is_directory(path))
        return bad("cannot write the template: is a directory:", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return bad("cannot write", path);
    bool ok = fwrite(b->data, 1, b->len, f) == b->len;
    ok = fclose(f) == 0 && ok;
    /* Written aside, then renamed: a failed run never leaves half a template. */
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return bad("cannot write", path);
    }
    return EXIT_OK;
}

static int run_render(const cfn_opts *o)
{
    cfn_render_opts r = { .account = o->account, .region = o->region,
                          .boundary_file = o->boundary, .developer_file = o->developer,
                          .hardened = o->hardened };
    char *btext = NULL, *dtext = NULL;
    if (o->boundary && !(btext = read_or_fail(o->boundary, &r.boundary_len)))
        return EXIT_BAD_INPUT;
    if (o->developer && !(dtext = read_or_fail(o->developer, &r.developer_len))) {
        ig_free(btext);
        return EXIT_BAD_INPUT;
    }
    r.boundary = btext;
    r.developer = dtext;
    json_buf out;
    json_buf_init(&out);
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = cfn_render_deployment(&r, &out, &d);
    int exit_code = EXIT_OK;
    if (rc != IG_OK) {
        cli_print_diag(&d);
        exit_code = EXIT_BAD_INPUT;
    } else {
        exit_code = write_output(o->output, &out);
    }
    json_buf_free(&out);
    ig_free(btext);
    ig_free(dtext);
    return exit_code;
}

/* ---- show ----------------------------------------------------------------- */

static const char *policy_kind_name(cfn_policy_kind k)
{
    return k == CFN_MANAGED_POLICY ? "managed policy" : k == CFN_INLINE_POLICY ? "inline policy"
           : k == CFN_ROLE_TRUST ? "trust policy" : "resource policy";
}

/* Policies and resource policies, numbered one after the other. */
static size_t npolicies_all(const cfn_template *t)
{
    return t->npolicies + t->nresource_policies;
}

static const cfn_policy *policy_at(const cfn_template *t, size_t i)
{
    return i < t->npolicies ? &t->policies[i] : &t->resource_policies[i - t->npolicies];
}

static const char *principal_kind_name(cfn_principal_kind k)
{
    return k == CFN_ROLE ? "role" : k == CFN_USER ? "user" : "group";
}

/* Trust policies are resource policies; every other kind reads like an
 * identity policy (a boundary has the same grammar). */
static ig_policy_type type_of(const cfn_policy *p)
{
    return p->kind == CFN_ROLE_TRUST || p->kind == CFN_RESOURCE_POLICY ? IG_POLICY_RESOURCE
                                                                        : IG_POLICY_IDENTITY;
}

/* Compile every policy: show reports what check would reject. */
static bool compile_all(const cfn_template *t, ig_policy **compiled)
{
    for (size_t i = 0; i < npolicies_all(t); i++) {
        ig_diag d;
        memset(&d, 0, sizeof d);
        compiled[i] = cfn_compile_policy(t, policy_at(t, i), type_of(policy_at(t, i)), &d);
        if (!compiled[i]) {
            cli_print_diag(&d);
            return false;
        }
    }
    return true;
}

/* The document as JSON text (resolved, or canonical); caller frees. */
static char *document_json(const cfn_template *t, size_t i, ig_policy *const *compiled,
                           bool canonical, bool pretty)
{
    if (canonical)
        return ig_policy_to_json(compiled[i], pretty);
    json_buf b;
    json_buf_init(&b);
    json_writer w;
    jw_init(&w, &b, pretty);
    jw_value(&w, policy_at(t, i)->document);
    if (b.failed) {
        json_buf_free(&b);
        return NULL;
    }
    return b.data ? b.data : NULL;
}

static void print_indented(const char *text, const char *prefix)
{
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        printf("%s%.*s\n", prefix, (int)n, line);
        line += n + (nl ? 1 : 0);
    }
}

static const char *policy_label(const cfn_template *t, long i)
{
    return i >= 0 ? t->policies[i].name : "";
}

static bool show_text(const cfn_template *t, ig_policy *const *compiled, const cfn_opts *o)
{
    printf("%s: %zu %s, %zu %s", t->file, t->npolicies, t->npolicies == 1 ? "policy" : "policies",
           t->nprincipals, t->nprincipals == 1 ? "principal" : "principals");
    if (t->nresource_policies)
        printf(", %zu resource %s", t->nresource_policies,
               t->nresource_policies == 1 ? "policy" : "policies");
    printf("\n");
    size_t holders = 0;
    for (size_t i = 0; i < t->nnotes; i++)
        holders += t->notes[i].kind == CFN_NOTE_PLACEHOLDER;
    if (!t->deployable)
        printf("not deployable as is (see the warnings): what is shown is the template as written\n");
    if (holders)
        printf("%zu unresolved %s shown as {{...}} placeholders (see the warnings)\n", holders,
               holders == 1 ? "value" : "values");
    for (size_t i = 0; i < npolicies_all(t); i++) {
        const cfn_policy *p = policy_at(t, i);
        unsigned line, col;
        json_line_col(t->text, t->len, p->document->start, &line, &col);
        printf("\n%s %s\n", policy_kind_name(p->kind), p->name);
        printf("  resource:  %s\n", p->logical_id);
        if (p->arn)
            printf("  arn:       %s\n", p->arn);
        for (size_t k = 0; k < p->nexternal_principals; k++)
            printf("  attached to %s (outside the template)\n", p->external_principals[k]);
        printf("  document:  %s:%u:%u\n", t->file, line, col);
        char *doc = document_json(t, i, compiled, o->canonical, true);
        if (!doc)
            return false;
        print_indented(doc, "    ");
        ig_free(doc);
    }
    for (size_t i = 0; i < t->nprincipals; i++) {
        const cfn_principal *p = &t->principals[i];
        printf("\n%s %s\n", principal_kind_name(p->kind), p->name);
        printf("  resource:  %s\n", p->logical_id);
        printf("  arn:       %s\n", p->arn);
        if (p->trust_policy >= 0)
            printf("  trust policy: %s\n", policy_label(t, p->trust_policy));
        for (size_t k = 0; k < p->npolicies; k++) {
            const cfn_policy *q = &t->policies[p->policies[k]];
            printf("  policy:    %s (%s)\n", q->name, policy_kind_name(q->kind));
        }
        for (size_t k = 0; k < p->nexternal; k++)
            printf("  policy:    %s (managed, outside the template)\n", p->external_policy_arns[k]);
        if (p->boundary_arn)
            printf("  permissions boundary: %s%s%s\n", p->boundary_arn,
                   p->boundary_policy >= 0 ? " = " : " (outside the template)",
                   policy_label(t, p->boundary_policy));
        for (size_t k = 0; k < p->ngroups; k++)
            printf("  group:     %s\n", p->groups[k]);
    }
    return true;
}

static void jw_opt_string(json_writer *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

static bool show_json(const cfn_template *t, ig_policy *const *compiled, const cfn_opts *o,
                      json_buf *out)
{
    json_writer w;
    jw_init(&w, out, true);
    jw_object_begin(&w);
    jw_opt_string(&w, "file", t->file);
    jw_key(&w, "policies");
    jw_array_begin(&w);
    for (size_t i = 0; i < npolicies_all(t); i++) {
        const cfn_policy *p = policy_at(t, i);
        unsigned line, col;
        json_line_col(t->text, t->len, p->document->start, &line, &col);
        jw_object_begin(&w);
        jw_opt_string(&w, "kind", p->kind == CFN_MANAGED_POLICY ? "managed"
                                  : p->kind == CFN_INLINE_POLICY ? "inline"
                                  : p->kind == CFN_ROLE_TRUST ? "trust" : "resource");
        jw_opt_string(&w, "logicalId", p->logical_id);
        jw_opt_string(&w, "name", p->name);
        jw_opt_string(&w, "arn", p->arn);
        jw_kint(&w, "line", line);
        jw_kint(&w, "column", col);
        jw_key(&w, "attachedOutsideTemplate");
        jw_array_begin(&w);
        for (size_t k = 0; k < p->nexternal_principals; k++)
            jw_string(&w, p->external_principals[k]);
        jw_array_end(&w);
        jw_key(&w, "document");
        if (o->canonical) {
            char *doc = ig_policy_to_json(compiled[i], false);
            json_doc *d = doc ? json_parse(doc, strlen(doc), NULL, NULL) : NULL;
            ig_free(doc);
            if (!d)
                return false;
            jw_value(&w, json_root(d));
            json_doc_free(d);
        } else {
            jw_value(&w, p->document);
        }
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_key(&w, "principals");
    jw_array_begin(&w);
    for (size_t i = 0; i < t->nprincipals; i++) {
        const cfn_principal *p = &t->principals[i];
        jw_object_begin(&w);
        jw_opt_string(&w, "kind", principal_kind_name(p->kind));
        jw_opt_string(&w, "logicalId", p->logical_id);
        jw_opt_string(&w, "name", p->name);
        jw_opt_string(&w, "arn", p->arn);
        jw_opt_string(&w, "trustPolicy", p->trust_policy >= 0 ? policy_label(t, p->trust_policy)
                                                             : NULL);
        jw_key(&w, "policies");
        jw_array_begin(&w);
        for (size_t k = 0; k < p->npolicies; k++)
            jw_string(&w, t->policies[p->policies[k]].name);
        jw_array_end(&w);
        jw_key(&w, "externalPolicyArns");
        jw_array_begin(&w);
        for (size_t k = 0; k < p->nexternal; k++)
            jw_string(&w, p->external_policy_arns[k]);
        jw_array_end(&w);
        jw_opt_string(&w, "permissionsBoundary", p->boundary_arn);
        jw_opt_string(&w, "permissionsBoundaryPolicy", p->boundary_policy >= 0
                      ? policy_label(t, p->boundary_policy) : NULL);
        jw_key(&w, "groups");
        jw_array_begin(&w);
        for (size_t k = 0; k < p->ngroups; k++)
            jw_string(&w, p->groups[k]);
        jw_array_end(&w);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_kbool(&w, "deployable", t->deployable);
    jw_key(&w, "notes");
    jw_array_begin(&w);
    for (size_t i = 0; i < t->nnotes; i++) {
        const cfn_note *n = &t->notes[i];
        jw_object_begin(&w);
        jw_kstring(&w, "kind", n->kind == CFN_NOTE_PLACEHOLDER ? "placeholder" : "undeployable");
        jw_kint(&w, "line", n->line);
        jw_kint(&w, "column", n->column);
        jw_kstring(&w, "message", n->msg);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_object_end(&w);
    json_buf_puts(out, "\n");
    return !out->failed;
}

/* Placeholders and macros go to standard error as warnings, in the
 * diagnostic format, so the output stays what was read. */
static void print_notes(const cfn_template *t)
{
    for (size_t i = 0; i < t->nnotes; i++) {
        const cfn_note *n = &t->notes[i];
        fprintf(stderr, "%s:%u:%u: warning: %s\n", t->file, n->line, n->column, n->msg);
    }
}

static int run_show(const cfn_opts *o)
{
    if (!o->file) {
        fputs(USAGE, stderr);
        return EXIT_BAD_INPUT;
    }
    cfn_params params = { .account = o->account, .region = o->region, .partition = o->partition,
                          .stack_name = o->stack_name, .parameters = o->parameters,
                          .nparameters = o->nparameters };
    cfn_template *t;
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (cfn_load_file(o->file, &params, &t, &d) != IG_OK) {
        cli_print_diag(&d);
        return EXIT_BAD_INPUT;
    }
    print_notes(t);
    ig_policy **compiled = ig_calloc(npolicies_all(t) ? npolicies_all(t) : 1, sizeof *compiled);
    int rc = EXIT_BAD_INPUT;
    if (!compiled) {
        bad("out of memory", NULL);
    } else if (compile_all(t, compiled)) {
        if (o->policy) {
            const cfn_policy *p = cfn_find_policy(t, o->policy);
            size_t at = !p ? 0 : p->kind == CFN_RESOURCE_POLICY
                                     ? t->npolicies + (size_t)(p - t->resource_policies)
                                     : (size_t)(p - t->policies);
            char *doc = p ? document_json(t, at, compiled, o->canonical, true) : NULL;
            if (!p)
                fprintf(stderr, "%s: error: no policy named %s in the template\n", t->file,
                        o->policy);
            else if (doc)
                printf("%s\n", doc), rc = EXIT_OK;
            ig_free(doc);
        } else if (o->json) {
            json_buf out;
            json_buf_init(&out);
            if (show_json(t, compiled, o, &out)) {
                fwrite(out.data, 1, out.len, stdout);
                rc = EXIT_OK;
            }
            json_buf_free(&out);
        } else if (show_text(t, compiled, o)) {
            rc = EXIT_OK;
        }
    }
    for (size_t i = 0; compiled && i < npolicies_all(t); i++)
        ig_policy_free(compiled[i]);
    ig_free(compiled);
    cfn_free(t);
    return rc;
}

int cmd_cfn(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_BAD_INPUT : EXIT_OK;
    }
    bool render = !strcmp(argv[1], "render");
    if (!render && strcmp(argv[1], "show"))
        return bad("unknown sub-command (expected render or show):", argv[1]);
    cfn_opts o;
    memset(&o, 0, sizeof o);
    int rc = parse_opts(argc, argv, render, &o);
    if (rc)
        return rc;
    return render ? run_render(&o) : run_show(&o);
}

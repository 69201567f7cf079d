/* cmd_check.c - `iamguard check`: run scenarios and report, for every
 * request, whether the policies give the outcome the scenario expects, and
 * for every claim whether it holds (docs/check.md). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/seed.h"
#include "check/check.h"
#include "cli/analysis_cli.h"
#include "cli/catalog_open.h"
#include "cli/cli.h"
#include "cli/html_cli.h"

static const char USAGE[] =
"usage: iamguard check [SCENARIO|DIR] [options]\n"
"\n"
"Evaluate every request of a scenario (docs/check.md) and report whether each\n"
"gets the outcome it expects, why, and which of the scenario's claims hold.\n"
"Without SCENARIO, runs the built-in imaging-viewer example. A DIR runs every\n"
"*.yml, *.yaml and *.json scenario in it (policy documents and CloudFormation\n"
"templates there are skipped).\n"
"\n"
"options:\n"
"  --format text|json|junit|html\n"
"                            report format (default text); html is one\n"
"                            self-contained page (docs/check.md)\n"
"  -o FILE                   write the json, junit or html report to FILE\n"
"  --html-report FILE        with the text report, also write the html page to\n"
"                            FILE (the summary at the end names it)\n"
"  --no-color                no ANSI colours (they are used only on a terminal)\n"
"  -v, --verbose             show each request's source (the code that makes the call)\n"
"  --amplify-version X.Y.Z   the requests this Amplify CLI version makes (default:\n"
"                            the version the scenario pins in amplifyCli)\n"
"  --catalog PATH            the service catalog for the resource-shape check\n"
"                            (default: catalog.bin beside iamguard)\n"
"  --no-analysis             without the analysis section a scenario of the seed's\n"
"                            shape gets, the built-in example too (effective\n"
"                            permissions, escalation paths, a verdict per claim\n"
"                            of the seed; docs/analysis.md)\n"
"  --cfn TEMPLATE            take the scenario's named policies from this\n"
"                            CloudFormation template (YAML or JSON) instead\n"
"  --account ID              account for the template's ARNs (default 123456789012)\n"
"  --region NAME             region for the template (default us-east-1)\n"
"  --param NAME=VALUE        template parameter value (repeatable; also --parameter)\n"
"\n"
"exit status: 0 every expectation holds, 1 some do not (the report says which\n"
"and why), 2 bad input (file:line:column: error: message on stderr).\n";

#define MAX_PARAMS 64
#define MAX_FILES 256

typedef struct {
    const char *target;
    int format;                 /* 0 text, 1 json, 2 junit, 3 html */
    const char *output;         /* -o FILE */
    const char *html_report;    /* --html-report FILE */
    bool no_color;
    bool no_analysis;
    bool verbose;
    const char *catalog;
    ig_catalog *cat;            /* NULL: resource shapes are not checked */
    chk_options chk;
    const char *params[MAX_PARAMS];
} check_opts;

static int bad(const char *msg, const char *arg)
{
    fprintf(stderr, "iamguard check: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    return EXIT_BAD_INPUT;
}

static int parse_opts(int argc, char **argv, check_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(USAGE, stdout);
            exit(EXIT_OK);
        } else if (!strcmp(a, "--no-color")) {
            o->no_color = true;
        } else if (!strcmp(a, "--no-analysis")) {
            o->no_analysis = true;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            o->verbose = true;
        } else if (!strcmp(a, "--format") || !strcmp(a, "--cfn") || !strcmp(a, "--account") ||
                   !strcmp(a, "--region") || !strcmp(a, "--param") || !strcmp(a, "--parameter") ||
                   !strcmp(a, "-o") || !strcmp(a, "--html-report") ||
                   !strcmp(a, "--amplify-version") || !strcmp(a, "--catalog")) {
            if (++i >= argc)
                return bad("missing value for", a);
            const char *v = argv[i];
            if (!strcmp(a, "--format")) {
                if (!strcmp(v, "text")) o->format = 0;
                else if (!strcmp(v, "json")) o->format = 1;
                else if (!strcmp(v, "junit")) o->format = 2;
                else if (!strcmp(v, "html")) o->format = 3;
                else return bad("--format must be text, json, junit or html, got", v);
            } else if (!strcmp(a, "-o")) {
                o->output = v;
            } else if (!strcmp(a, "--html-report")) {
                o->html_report = v;
            } else if (!strcmp(a, "--cfn")) {
                o->chk.cfn_path = v;
            } else if (!strcmp(a, "--amplify-version")) {
                unsigned ver[3];
                if (!chk_version_parse(v, ver))
                    return bad("--amplify-version must be MAJOR.MINOR.PATCH, got", v);
                o->chk.amplify_version = v;
            } else if (!strcmp(a, "--catalog")) {
                o->catalog = v;
            } else if (!strcmp(a, "--account")) {
                o->chk.cfn.account = v;
            } else if (!strcmp(a, "--region")) {
                o->chk.cfn.region = v;
            } else {
                if (!strchr(v, '=') || v[0] == '=')
                    return bad("--param needs NAME=VALUE, got", v);
                if (o->chk.cfn.nparameters >= MAX_PARAMS)
                    return bad("too many --param values", NULL);
                o->params[o->chk.cfn.nparameters++] = v;
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad("unknown option", a);
        } else if (o->target) {
            return bad("more than one scenario given:", a);
        } else {
            o->target = a;
        }
    }
    o->chk.cfn.parameters = o->params;
    if (o->output && o->format == 0)
        return bad("-o applies to --format json, junit or html (the text report goes to stdout)", NULL);
    if (o->html_report && o->format != 0)
        return bad("--html-report goes with the text report; use --format html -o FILE", NULL);
    if (!o->chk.cfn_path && (o->chk.cfn.account || o->chk.cfn.region || o->chk.cfn.nparameters))
        return bad("--account, --region and --param only apply with --cfn", NULL);
    return 0;
}

static bool has_ext(const char *name)
{
    size_t n = strlen(name);
    return (n > 4 && !strcmp(name + n - 4, ".yml")) || (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
           (n > 5 && !strcmp(name + n - 5, ".json"));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Scenario files of a directory, sorted; returns how many, or -1 (the
 * directory cannot be read, or has more scenarios than cap). */
static int list_dir(const char *dir, char **files, int cap)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int n = 0;
    bool too_many = false;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || !has_ext(e->d_name))
            continue;
        size_t len = strlen(dir) + strlen(e->d_name) + 2;
        char *p = malloc(len);
        if (!p) {
            too_many = true;
            break;
        }
        snprintf(p, len, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISREG(st.st_mode) || chk_document_kind(p) != CHK_DOC_SCENARIO) {
            free(p);
            continue;
        }
        if (n == cap) {
            free(p);
            too_many = true;
            break;
        }
        files[n++] = p;
    }
    closedir(d);
    if (too_many) {
        while (n > 0)
            free(files[--n]);
        return -1;
    }
    qsort(files, (size_t)n, sizeof *files, cmp_str);
    return n;
}

typedef struct {
    json_buf json;
    json_writer w;
    json_buf junit;
    size_t requests, failed, claims, held, scenarios;
    chk_scenario *seed;         /* the one scenario run, of the seed's shape: analysed */
} totals;

/* keep: a scenario of the seed's shape is kept there (for the analysis
 * section) instead of freed. */
static int run_one(const check_opts *o, const char *path, totals *t, chk_scenario **keep)
{
    chk_scenario *s;
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = path ? chk_load_file(path, &o->chk, &s, &d)
                  : chk_load_builtin("imaging-viewer/scenario.yml", &o->chk, &s, &d);
    if (rc != IG_OK) {
        cli_print_diag(&d);
        return EXIT_BAD_INPUT;
    }
    chk_run run;
    if (chk_run_scenario(s, &run) != IG_OK) {
        chk_free(s);
        return bad("out of memory", NULL);
    }
    chk_check_shapes(s, o->cat, &run);
    if (o->format == 0) {
        if (t->scenarios)
            fputc('\n', stdout);
        chk_text_opts to = { .color = !o->no_color && cli_stdout_is_tty() && !cli_no_color_env(),
                             .verbose = o->verbose };
        chk_report_text(stdout, s, &run, &to);
    }
    if (o->format != 2) {
        /* The text report ends with a summary, and html pages are
         * rendered, from the JSON report. */
        chk_report_json(&t->w, s, &run);
    } else {
        chk_report_junit(&t->junit, s, &run);
    }
    t->scenarios++;
    t->requests += s->nreqs;
    t->failed += run.failed;
    t->claims += s->nclaims;
    t->held += run.claims_held;
    int result = run.failed ? EXIT_FINDINGS : EXIT_OK;
    chk_run_free(&run);
    if (keep && !o->no_analysis && an_seed_applies(s))
        *keep = s;
    else
        chk_free(s);
    return result;
}

static int write_html(const check_opts *o, const totals *t, FILE *out, int argc, char **argv)
{
    char err[256];
    int rc = cli_write_html(out, RPT_CHECK,
                            o->target ? "iamguard check" : "iamguard check: imaging-viewer", argc,
                            argv, t->json.data, t->json.len, err, sizeof err);
    if (rc)
        fprintf(stderr, "iamguard check: %s\n", err);
    return rc;
}

static int finish(const check_opts *o, totals *t, int status, int argc, char **argv)
{
    if (o->format != 2) {
        jw_array_end(&t->w);
        size_t not_held = 0;
        if (t->seed)
            acli_check_section(t->seed, &t->w, &not_held);
        /* A claim of the analysis that does not hold fails the check like
         * one of the scenario's. */
        if (not_held && status == EXIT_OK)
            status = EXIT_FINDINGS;
        jw_key(&t->w, "summary");
        jw_object_begin(&t->w);
        jw_kint(&t->w, "scenarios", (long long)t->scenarios);
        jw_kint(&t->w, "requests", (long long)t->requests);
        jw_kint(&t->w, "failed", (long long)t->failed);
        jw_kint(&t->w, "claims", (long long)t->claims);
        jw_kint(&t->w, "claimsRefuted", (long long)(t->claims - t->held));
        jw_kint(&t->w, "exitCode", status);
        jw_object_end(&t->w);
        jw_object_end(&t->w);
        if (t->json.failed)
            return bad("out of memory", NULL);
    }
    if (o->format == 2 && t->seed && status == EXIT_OK && acli_check_not_held(t->seed))
        status = EXIT_FINDINGS;
    FILE *out = stdout;
    if (o->output && !(out = fopen(o->output, "w")))
        return bad("cannot write", o->output);
    int rc = status;
    bool broken = false;
    json_doc *doc = NULL;
    if (o->format == 0) {
        json_limits lim = { .max_bytes = 1024u * 1024u * 1024u };
        json_error je;
        doc = json_parse(t->json.data, t->json.len, &lim, &je);
        if (!doc) {
            rc = bad("internal error: the JSON report does not parse:", je.msg);
            broken = true;
        }
    }
    if (broken) {
        /* nothing more to write */
    } else if (o->format == 1) {
        fwrite(t->json.data, 1, t->json.len, out);
        fputc('\n', out);
    } else if (o->format == 2) {
        fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<testsuites name=\"iamguard check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
                t->requests + t->claims, t->failed + (t->claims - t->held));
        fwrite(t->junit.data, 1, t->junit.len, out);
        fprintf(out, "</testsuites>\n");
    } else if (o->format == 3) {
        if (write_html(o, t, out, argc, argv) != 0)
            rc = bad("cannot write the html report", o->output);
    } else {
        if (t->scenarios > 1) {
            printf("\n%zu scenarios: %zu requests, %zu not as expected", t->scenarios, t->requests,
                   t->failed);
            if (t->claims)
                printf("; %zu of %zu claims hold", t->held, t->claims);
            putchar('\n');
        }
        if (o->html_report) {
            FILE *hf = fopen(o->html_report, "w");
            int hr = hf ? write_html(o, t, hf, argc, argv) : -1;
            if (hf && fclose(hf) != 0)
                hr = -1;
            if (hr != 0)
                rc = bad("cannot write the html report", o->html_report);
        }
        bool color = !o->no_color && cli_stdout_is_tty() && !cli_no_color_env();
        if (!broken)
            rpt_text_summary(stdout, json_root(doc), o->html_report, color);
    }
    json_doc_free(doc);
    if (out != stdout && fclose(out) != 0)
        rc = bad("cannot write", o->output);
    return rc;
}

int cmd_check(int argc, char **argv)
{
    check_opts o;
    memset(&o, 0, sizeof o);
    int rc = parse_opts(argc, argv, &o);
    if (rc)
        return rc;
    /* The resource-shape check is advice: without a catalog it is skipped
     * (said on stderr), unless one was asked for by name. */
    char used[1024];
    ig_diag cd;
    memset(&cd, 0, sizeof cd);
    o.cat = cli_open_catalog(o.catalog, used, sizeof used, &cd);
    if (!o.cat && o.catalog) {
        cli_print_diag(&cd);
        return EXIT_BAD_INPUT;
    }

    totals t;
    memset(&t, 0, sizeof t);
    json_buf_init(&t.json);
    json_buf_init(&t.junit);
    jw_init(&t.w, &t.json, true);
    jw_object_begin(&t.w);
    jw_kint(&t.w, "version", 1);
    jw_key(&t.w, "scenarios");
    jw_array_begin(&t.w);

    int status = EXIT_OK;
    struct stat st;
    if (o.target && strcmp(o.target, "-") && stat(o.target, &st) == 0 && S_ISDIR(st.st_mode)) {
        char *files[MAX_FILES];
        int n = list_dir(o.target, files, MAX_FILES);
        if (n < 0)
            status = bad("cannot read the directory (or it has more than 256 scenarios):", o.target);
        else if (n == 0)
            status = bad("no scenario (*.yml, *.yaml, *.json) in", o.target);
        for (int i = 0; i < n; i++) {
            int r = run_one(&o, files[i], &t, NULL);
            if (r > status)
                status = r;
            free(files[i]);
        }
    } else {
        status = run_one(&o, o.target, &t, &t.seed);
        if (t.seed && o.format == 0)
            acli_check_section(t.seed, NULL, NULL);
    }
    /* Said after the reports, so that a scenario that does not load gets
     * its diagnostic alone. */
    if (!o.cat && t.scenarios)
        fprintf(stderr, "iamguard check: no service catalog, so resource shapes were not checked\n");
    if (t.json.failed || t.junit.failed)
        status = bad("out of memory", NULL);
    else if (status != EXIT_BAD_INPUT || t.scenarios)
        status = finish(&o, &t, status, argc, argv);
    json_buf_free(&t.json);
    json_buf_free(&t.junit);
    chk_free(t.seed);
    ig_catalog_close(o.cat);
    return status;
}

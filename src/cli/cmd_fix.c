/* cmd_fix.c - `iamguard fix`: repair a scenario's policies until every
 * request gets the outcome it expects and every claim of the analysis
 * holds, and write the patched files with a diff and a reason per edit
 * (docs/fix.md). */
#include <errno.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analyze/analyze.h"
#include "cli/catalog_open.h"
#include "cli/cli.h"
#include "fix/fix.h"
#include "util/alloc.h"

static const char USAGE[] =
"usage: iamguard fix [SCENARIO] [options]\n"
"\n"
"Search for the smallest set of policy edits after which every request of the\n"
"scenario (docs/check.md) gets the outcome it expects and, for a scenario of the\n"
"imaging-viewer's shape, every claim of the analysis holds and no escalation\n"
"path leaves the boundary -- re-proved on the patched policies. Prints each edit\n"
"with the requests and claims it serves, what could not be fixed and why, and a\n"
"unified diff. Without SCENARIO, repairs the built-in imaging-viewer example.\n"
"\n"
"options:\n"
"  -o DIR                write the patched policy files to DIR, with a scenario.yml\n"
"                        that extends SCENARIO with them (check it: iamguard check\n"
"                        DIR/scenario.yml)\n"
"  --in-place            write the patched files over the originals\n"
"  --no-write            write no file (default for the built-in example without -o;\n"
"                        otherwise NAME.fixed.json is written beside each original)\n"
"  --format text|json    report format (default text)\n"
"  --no-diff             the text report without the diff\n"
"  --no-analysis         requests only: no analysis claims, no escalation paths\n"
"  --amplify-version X.Y.Z\n"
"                        the requests this Amplify CLI version makes\n"
"  --catalog PATH        the service catalog for the analysis\n"
"\n"
"exit status: 0 everything holds after the fix, 1 only part could be fixed (the\n"
"report says what and why), 2 bad input.\n";

typedef struct {
    const char *target, *outdir, *catalog;
    bool in_place, no_write, json, no_diff, no_analysis;
    chk_options chk;
} fix_opts;

static int bad(const char *msg, const char *arg)
{
    fprintf(stderr, "iamguard fix: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    return EXIT_BAD_INPUT;
}

static int parse_opts(int argc, char **argv, fix_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(USAGE, stdout);
            exit(EXIT_OK);
        } else if (!strcmp(a, "--in-place")) {
            o->in_place = true;
        } else if (!strcmp(a, "--no-write")) {
            o->no_write = true;
        } else if (!strcmp(a, "--no-diff")) {
            o->no_diff = true;
        } else if (!strcmp(a, "--no-analysis")) {
            o->no_analysis = true;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--format") || !strcmp(a, "--catalog") ||
                   !strcmp(a, "--amplify-version")) {
            if (++i >= argc)
                return bad("missing value for", a);
            const char *v = argv[i];
            if (!strcmp(a, "-o")) {
                o->outdir = v;
            } else if (!strcmp(a, "--catalog")) {
                o->catalog = v;
            } else if (!strcmp(a, "--amplify-version")) {
                unsigned ver[3];
                if (!chk_version_parse(v, ver))
                    return bad("--amplify-version must be MAJOR.MINOR.PATCH, got", v);
                o->chk.amplify_version = v;
            } else if (!strcmp(v, "json")) {
                o->json = true;
            } else if (strcmp(v, "text")) {
                return bad("--format must be text or json, got", v);
            }
        } else if (a[0] == '-' && a[1] != '\0') {
            return bad("unknown option", a);
        } else if (o->target) {
            return bad("more than one scenario given:", a);
        } else {
            o->target = a;
        }
    }
    if ((o->outdir != NULL) + o->in_place + o->no_write > 1)
        return bad("-o, --in-place and --no-write exclude each other", NULL);
    if (o->in_place && !o->target)
        return bad("--in-place needs a scenario file: the built-in example has no files to overwrite", NULL);
    return 0;
}

static const char *base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static int write_file(const char *path, const char *text, size_t len)
{
    char tmp[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp)
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    bool ok = fwrite(text, 1, len, f) == len;
    ok &= fclose(f) == 0;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

/* A YAML scalar in double quotes. */
static void yaml_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int write_scenario(const fix_opts *o, const chk_scenario *s, const fx_result *r)
{
    char path[PATH_MAX], abs[PATH_MAX];
    if ((size_t)snprintf(path, sizeof path, "%s/scenario.yml", o->outdir) >= sizeof path)
        return -1;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return -1;
    fprintf(f, "# %s: the scenario with the policies `iamguard fix` repaired.\n"
               "# Check it with: iamguard check %s\n", base(path), path);
    fprintf(f, "extends: ");
    if (o->target && realpath(o->target, abs))
        yaml_quoted(f, abs);
    else
        yaml_quoted(f, "builtin:imaging-viewer/scenario.yml");
    fprintf(f, "\npolicies:\n");
    for (size_t i = 0; i < r->nfiles; i++) {
        if (!r->files[i].changed)
            continue;
        fprintf(f, "  %s:\n    file: ", r->files[i].name);
        yaml_quoted(f, base(r->files[i].file));
        fputc('\n', f);
    }
    fclose(f);
    int rc = text ? write_file(path, text, len) : -1;
    free(text);
    return rc;
}

static int write_files(const fix_opts *o, const chk_scenario *s, fx_result *r)
{
    bool any = false;
    for (size_t i = 0; i < r->nfiles; i++) {
        fx_file *x = &r->files[i];
        if (!x->changed)
            continue;
        any = true;
        char path[PATH_MAX];
        int n;
        if (o->outdir)
            n = snprintf(path, sizeof path, "%s/%s", o->outdir, base(x->file));
        else if (o->in_place)
            n = snprintf(path, sizeof path, "%s", x->file);
        else {
            const char *dot = strrchr(base(x->file), '.');
            size_t stem = dot ? (size_t)(dot - x->file) : strlen(x->file);
            n = snprintf(path, sizeof path, "%.*s.fixed%s", (int)stem, x->file, dot ? dot : ".json");
        }
        if (n < 0 || (size_t)n >= sizeof path)
            return bad("path too long:", x->file);
        if (write_file(path, x->after, x->alen) != 0) {
            fprintf(stderr, "iamguard fix: cannot write %s: %s\n", path, strerror(errno));
            return EXIT_BAD_INPUT;
        }
        x->written = ig_strdup(path);
    }
    if (o->outdir && any && write_scenario(o, s, r) != 0) {
        fprintf(stderr, "iamguard fix: cannot write %s/scenario.yml: %s\n", o->outdir, strerror(errno));
        return EXIT_BAD_INPUT;
    }
    return 0;
}

/* mkdir -p */
static int make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if ((size_t)snprintf(buf, sizeof buf, "%s", path) >= sizeof buf)
        return -1;
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

int cmd_fix(int argc, char **argv)
{
    fix_opts o;
    memset(&o, 0, sizeof o);
    int prc = parse_opts(argc, argv, &o);
    if (prc)
        return prc;
    if (o.outdir) {
        struct stat st;
        if (stat(o.outdir, &st) != 0 && make_dirs(o.outdir) != 0)
            return bad("cannot create", o.outdir);
        if (stat(o.outdir, &st) != 0 || !S_ISDIR(st.st_mode))
            return bad("not a directory:", o.outdir);
    }
    if (o.target) {
        struct stat st;
        if (stat(o.target, &st) != 0)
            return bad("cannot read", o.target);
        if (S_ISDIR(st.st_mode))
            return bad("is a directory (fix repairs one scenario file):", o.target);
        chk_doc_kind kind = chk_document_kind(o.target);
        if (kind != CHK_DOC_SCENARIO) {
            fprintf(stderr, "iamguard fix: %s is a %s, not a scenario: fix repairs the policy files a "
                    "scenario names (docs/check.md, docs/fix.md)\n", o.target,
                    kind == CHK_DOC_POLICY ? "policy document" : "CloudFormation template");
            return EXIT_BAD_INPUT;
        }
    }
    chk_scenario *s;
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = o.target ? chk_load_file(o.target, &o.chk, &s, &d)
                      : chk_load_builtin("imaging-viewer/scenario.yml", &o.chk, &s, &d);
    if (rc != IG_OK) {
        cli_print_diag(&d);
        return EXIT_BAD_INPUT;
    }
    ig_catalog *cat = NULL;
    ig_analyzer *az = NULL;
    if (!o.no_analysis) {
        char used[1024];
        ig_diag cd;
        memset(&cd, 0, sizeof cd);
        cat = cli_open_catalog(o.catalog, used, sizeof used, &cd);
        if (!cat && o.catalog) {
            cli_print_diag(&cd);
            chk_free(s);
            return EXIT_BAD_INPUT;
        }
        az = cat ? ig_analyzer_new(cat, &cd) : NULL;
    }
    fx_options fo = { .ctx = az ? &az->ctx : NULL };
    fx_result r;
    rc = fx_run(s, &fo, &r, &d);
    int status = EXIT_OK;
    if (rc != IG_OK) {
        cli_print_diag(&d);
        status = EXIT_BAD_INPUT;
    } else {
        bool write = !o.no_write && (o.outdir || o.in_place || o.target);
        if (write)
            status = write_files(&o, s, &r);
        if (!status) {
            if (o.json) {
                json_buf b;
                json_buf_init(&b);
                json_writer w;
                jw_init(&w, &b, true);
                fx_report_json(&w, s, &r);
                fwrite(b.data, 1, b.len, stdout);
                fputc('\n', stdout);
                json_buf_free(&b);
            } else {
                fx_report_text(stdout, s, &r, !o.no_diff);
                if (!az && !o.no_analysis)
                    printf("analysis skipped: no service catalog (build/catalog.bin)\n");
            }
            status = r.complete ? EXIT_OK : EXIT_FINDINGS;
        }
        fx_result_free(&r);
    }
    ig_analyzer_free(az);
    ig_catalog_close(cat);
    chk_free(s);
    return status;
}

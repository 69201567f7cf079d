/* cmd_escalate.c - `iamguard escalate`: privilege-escalation paths in an
 * account, each step a request the evaluator allows (docs/escalate.md). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "analyze/analyze.h"
#include "analyze/escalate/escalate.h"
#include "analyze/escalate/escalate_techniques.h"
#include "cli/analysis_cli.h"
#include "cli/cli.h"
#include "cli/html_cli.h"

static const char USAGE[] =
"usage: iamguard escalate [PRINCIPAL] --account FILE... [options]\n"
"\n"
"Privilege-escalation paths: the ways PRINCIPAL (or, without it, every user and\n"
"role of the account) can gain another principal's permissions or more\n"
"permissions -- policy edits and versions, attaching or writing policies,\n"
"removing or replacing a permissions boundary, rewriting a trust policy and\n"
"assuming the role, access keys and passwords, group membership, passing a role\n"
"to a service that runs the caller's code, changing code that already runs as a\n"
"role, and creating roles or users (with the boundary a condition demands).\n"
"Every step is a request that the evaluator allows under the real policies.\n"
"Each path is printed as numbered API calls with their ARNs.\n"
"\n"
"  --format text|json|dot|svg|html\n"
"                                output (svg runs Graphviz's dot; html is one\n"
"                                self-contained page with the graph inline;\n"
"                                default text)\n"
"  -o FILE                       write the output to FILE\n"
"  --all-paths                   every path to every state reached (default: each\n"
"                                gain -- a principal reached, or a new capability\n"
"                                of the start -- once, by its shortest path)\n"
"  --list-techniques             print the table of techniques through services\n"
"                                (with --format json: as JSON) and exit\n"
"  --repeat N                    analyse N more times and print the time per run\n"
"                                on stderr (the model is loaded once)\n"
"  --catalog PATH                catalog.bin or a data package directory\n"
"  --at TIME                     the moment the analysis runs at: aws:CurrentTime\n"
"                                and aws:EpochTime are TIME, aws:TokenIssueTime at\n"
"                                or before it (ISO 8601 or epoch seconds; default\n"
"                                now, UTC)\n"
"  --account FILE                `aws iam get-account-authorization-details`\n"
"                                output, a CloudFormation template or an iamguard\n"
"                                scenario (repeatable); builtin:imaging-viewer is\n"
"                                the seed's deployment\n"
"\n"
"exit status: 0 no escalation path, 1 paths found, 2 bad input.\n";

/* The technique table: one line (or JSON object) per row. */
static int list_techniques(bool json)
{
    if (json)
        fputs("{\"techniques\": [\n", stdout);
    for (size_t t = 0; t < ES_NTECHNIQUES; t++) {
        const es_technique *r = &ES_TECHNIQUES[t];
        if (json) {
            printf("  {\"id\": \"%s\", \"kind\": \"%s\", \"service\": \"%s\", \"calls\": [", r->id,
                   r->kind == ES_TECH_PASS ? "pass" : "hijack", r->service);
            for (uint32_t k = 0; k < r->ncalls; k++)
                printf("%s{\"action\": \"%s\", \"resource\": \"%s\"}", k ? ", " : "", r->calls[k].action,
                       !r->calls[k].resource ? "previous"
                       : !strcmp(r->calls[k].resource, ES_RES_ROLE) ? "role" : r->calls[k].resource);
            printf("], \"assumes\": %s%s%s}%s\n", r->assumes ? "\"" : "", r->assumes ? r->assumes : "null",
                   r->assumes ? "\"" : "", t + 1 < ES_NTECHNIQUES ? "," : "");
            continue;
        }
        printf("%-32s %-7s %-30s", r->id, r->kind == ES_TECH_PASS ? "pass" : "hijack", r->service);
        for (uint32_t k = 0; k < r->ncalls; k++)
            printf("%s%s", k ? " + " : " ", r->calls[k].action);
        printf("\n");
    }
    if (json)
        fputs("]}\n", stdout);
    return EXIT_OK;
}

static void progress(void *ctx, size_t done, size_t total)
{
    (void)ctx;
    if (done == total || done % 25 == 0)
        fprintf(stderr, "\r  escalate: %zu/%zu principals%s", done, total, done == total ? "\n" : "");
}

int cmd_escalate(int argc, char **argv)
{
    acli_opts o;
    memset(&o, 0, sizeof o);
    const char *principal = NULL, *outfile = NULL;
    int format = 0;                 /* 0 text, 1 json, 2 dot, 3 svg, 4 html */
    long repeat = 0;
    bool list = false, all_paths = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--list-techniques")) {
            list = true;
            continue;
        }
        if (!strcmp(a, "--all-paths")) {
            all_paths = true;
            continue;
        }
        if (!strcmp(a, "--format")) {
            if (++i >= argc) {
                fprintf(stderr, "iamguard escalate: missing value for --format\n");
                return EXIT_BAD_INPUT;
            }
            const char *v = argv[i];
            format = !strcmp(v, "text") ? 0 : !strcmp(v, "json") ? 1 : !strcmp(v, "dot") ? 2
                   : !strcmp(v, "svg") ? 3 : !strcmp(v, "html") ? 4 : -1;
            if (format < 0) {
                fprintf(stderr, "iamguard escalate: --format must be text, json, dot, svg or html, got %s\n", v);
                return EXIT_BAD_INPUT;
            }
            continue;
        }
        if (!strcmp(a, "--repeat")) {
            if (++i >= argc || (repeat = strtol(argv[i], NULL, 10)) < 1 || repeat > 100000) {
                fprintf(stderr, "iamguard escalate: --repeat needs a count from 1 to 100000\n");
                return EXIT_BAD_INPUT;
            }
            continue;
        }
        if (!strcmp(a, "-o")) {
            if (++i >= argc) {
                fprintf(stderr, "iamguard escalate: missing value for -o\n");
                return EXIT_BAD_INPUT;
            }
            outfile = argv[i];
            continue;
        }
        int r = acli_option(&o, "escalate", argc, argv, &i);
        if (r < 0)
            return EXIT_BAD_INPUT;
        if (r)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(USAGE, stdout);
            return EXIT_OK;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "iamguard escalate: unknown option %s\n", a);
            return EXIT_BAD_INPUT;
        } else if (principal) {
            fprintf(stderr, "iamguard escalate: more than one principal given: %s\n", a);
            return EXIT_BAD_INPUT;
        } else {
            principal = a;
        }
    }
    if (list)
        return list_techniques(format == 1);
    if (o.npolicies || o.boundary || o.session || o.as) {
        fprintf(stderr, "iamguard escalate: escalation needs an account model (--account FILE)\n");
        return EXIT_BAD_INPUT;
    }
    if (!o.naccounts) {
        fprintf(stderr, "iamguard escalate: no account given (--account FILE)\n");
        return EXIT_BAD_INPUT;
    }
    ig_account *acct;
    int rc = acli_accounts_load(&o, "escalate", &acct);
    if (rc)
        return rc;
    if (principal && ig_account_find(acct, principal) < 0) {
        fprintf(stderr, "iamguard escalate: no principal \"%s\" in the account (or the name is ambiguous: use the ARN)\n",
                principal);
        ig_account_free(acct);
        return EXIT_BAD_INPUT;
    }
    ig_catalog *cat;
    ig_analyzer *az = acli_analyzer(&o, "escalate", &cat);
    if (!az) {
        ig_account_free(acct);
        return EXIT_BAD_INPUT;
    }
    FILE *out = stdout;
    FILE *pipe = NULL;
    if (outfile && format != 3) {
        out = fopen(outfile, "w");
        if (!out) {
            fprintf(stderr, "iamguard escalate: cannot write %s: %s\n", outfile,
                    errno == EISDIR ? "is a directory" : strerror(errno));
            rc = EXIT_BAD_INPUT;
            goto done;
        }
    }
    if (format == 3) {
        if (system("command -v dot >/dev/null 2>&1") != 0) {
            fprintf(stderr, "iamguard escalate: Graphviz is not installed (no `dot`); use --format dot\n");
            rc = EXIT_BAD_INPUT;
            goto done;
        }
        char cmd[2048];
        snprintf(cmd, sizeof cmd, "dot -Tsvg%s%s", outfile ? " -o " : "", outfile ? outfile : "");
        if (outfile && strpbrk(outfile, "'\"`$\\;&|<> ")) {
            fprintf(stderr, "iamguard escalate: -o FILE with --format svg must be a plain file name\n");
            rc = EXIT_BAD_INPUT;
            goto done;
        }
        pipe = popen(cmd, "w");
        if (!pipe) {
            fprintf(stderr, "iamguard escalate: cannot run dot\n");
            rc = EXIT_BAD_INPUT;
            goto done;
        }
        out = pipe;
    }
    unsigned flags = (format == 1 || format == 4 ? IG_ANALYZE_JSON
                      : format >= 2 ? IG_ANALYZE_DOT : 0) |
                     (all_paths ? IG_ANALYZE_ALL_PATHS : 0);
    bool tty = isatty(STDERR_FILENO) && !principal;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem) {
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    int arc = an_escalate_report(az, acct, principal, flags, mem, tty ? progress : NULL, NULL);
    fclose(mem);
    if (arc != IG_OK) {
        fprintf(stderr, "iamguard escalate: %s\n",
                arc == IG_E_NOMEM ? "out of memory"
                : arc == IG_E_LIMIT ? "the escalation graph passed its bound of 200000 principal states"
                : "analysis failed");
        free(buf);
        rc = EXIT_BAD_INPUT;
        goto done;
    }
    if (format == 4) {
        char err[256];
        if (cli_write_html(out, RPT_ESCALATE, "iamguard escalate", argc, argv, buf, len, err,
                            sizeof err) != 0) {
            fprintf(stderr, "iamguard escalate: %s\n", err);
            free(buf);
            rc = EXIT_BAD_INPUT;
            goto done;
        }
    } else {
        fwrite(buf, 1, len, out);
    }
    if (repeat) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long r = 0; r < repeat; r++) {
            char *b2 = NULL;
            size_t l2 = 0;
            FILE *m2 = open_memstream(&b2, &l2);
            if (m2) {
                an_escalate_report(az, acct, principal, flags, m2, NULL, NULL);
                fclose(m2);
            }
            free(b2);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        fprintf(stderr, "escalate: %.3f ms per run (%ld runs)\n",
                ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / (double)repeat,
                repeat);
    }
    /* Exit 1 when some path was found: the text says "path N:", JSON has a
     * non-empty "paths", DOT has an edge. */
    bool found = buf && (strstr(buf, "\npath 1:") || strstr(buf, "\"call\"") || strstr(buf, " -> "));
    free(buf);
    rc = found ? EXIT_FINDINGS : EXIT_OK;
done:
    if (pipe && pclose(pipe) != 0 && rc != EXIT_BAD_INPUT) {
        fprintf(stderr, "iamguard escalate: dot failed\n");
        rc = EXIT_BAD_INPUT;
    }
    if (out && out != stdout && out != pipe)
        fclose(out);
    ig_analyzer_free(az);
    ig_catalog_close(cat);
    ig_account_free(acct);
    return rc;
}

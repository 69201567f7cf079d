/* cmd_effective.c - `iamguard effective`: what a principal can do, per
 * service, after its identity policies meet its boundary, session policy
 * and explicit denies, with the conditions that stay attached
 * (docs/effective.md). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/analyze.h"
#include "analyze/escalate/escalate.h"
#include "cli/analysis_cli.h"
#include "cli/cli.h"
#include "cli/html_cli.h"
#include "util/alloc.h"

static const char USAGE[] =
"usage: iamguard effective [PRINCIPAL] [options]\n"
"\n"
"What a principal can do: for every service, the actions it may perform (with\n"
"their access level) and the resource patterns, after its identity policies\n"
"are intersected with its permissions boundary and session policy and explicit\n"
"denies are taken out; conditions stay attached to what they guard. Exact over\n"
"the service catalog's actions; resources are kept as patterns.\n"
"\n"
"  --actions LIST        only these actions (comma-separated patterns: iam:*,s3:Get*)\n"
"  --creatable           also the roles the principal can create (needs --account):\n"
"                        each with the boundary it must carry, and what it could do\n"
"                        with a policy allowing everything\n"
"  --repeat N            compute N times and print the time per run on stderr\n"
"  --format html         one self-contained page: a table per service (also\n"
"                        text and json, below)\n"
"  -o FILE               write the output to FILE\n"
"\n";

int cmd_effective(int argc, char **argv)
{
    acli_opts o;
    memset(&o, 0, sizeof o);
    const char *principal = NULL, *outfile = NULL;
    char *actions_arg = NULL;
    bool creatable = false;
    long repeat = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r = acli_option(&o, "effective", argc, argv, &i);
        if (r < 0)
            return EXIT_BAD_INPUT;
        if (r)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(USAGE, stdout);
            fputs(ACLI_HELP, stdout);
            fputs("\nexit status: 0 done, 2 bad input.\n", stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--actions")) {
            if (++i >= argc) {
                fprintf(stderr, "iamguard effective: missing value for --actions\n");
                return EXIT_BAD_INPUT;
            }
            actions_arg = argv[i];
        } else if (!strcmp(a, "--repeat")) {
            if (++i >= argc || (repeat = strtol(argv[i], NULL, 10)) < 1 || repeat > 1000000) {
                fprintf(stderr, "iamguard effective: --repeat needs a count from 1 to 1000000\n");
                return EXIT_BAD_INPUT;
            }
        } else if (!strcmp(a, "-o")) {
            if (++i >= argc) {
                fprintf(stderr, "iamguard effective: missing value for -o\n");
                return EXIT_BAD_INPUT;
            }
            outfile = argv[i];
        } else if (!strcmp(a, "--creatable")) {
            creatable = true;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "iamguard effective: unknown option %s\n", a);
            return EXIT_BAD_INPUT;
        } else if (principal) {
            fprintf(stderr, "iamguard effective: more than one principal given: %s\n", a);
            return EXIT_BAD_INPUT;
        } else {
            principal = a;
        }
    }
    if (o.html && (creatable || repeat)) {
        fprintf(stderr, "iamguard effective: --format html does not go with --creatable or --repeat\n");
        return EXIT_BAD_INPUT;
    }
    if (creatable && !o.naccounts) {
        fprintf(stderr, "iamguard effective: --creatable needs --account\n");
        return EXIT_BAD_INPUT;
    }
    acli_subject s;
    int rc = acli_subject_load(&o, "effective", principal, &s);
    if (rc) {
        acli_subject_free(&s);
        return rc;
    }
    ig_catalog *cat;
    ig_analyzer *az = acli_analyzer(&o, "effective", &cat);
    if (!az) {
        acli_subject_free(&s);
        return EXIT_BAD_INPUT;
    }
    const char *acts[256];
    int nacts = 0;
    char *copy = NULL;
    if (actions_arg) {
        copy = strdup(actions_arg);
        nacts = copy ? acli_split(copy, acts, 256) : 0;
        if (!nacts) {
            fprintf(stderr, "iamguard effective: --actions needs at least one pattern\n");
            rc = EXIT_BAD_INPUT;
            goto out;
        }
    }
    char *text = NULL;
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (ig_analyze_effective(az, s.env, acts, (size_t)nacts, o.json ? IG_ANALYZE_JSON : 0, &text,
                             &d) != IG_OK) {
        fprintf(stderr, "iamguard effective: %s\n", d.msg);
        rc = EXIT_BAD_INPUT;
        goto out;
    }
    FILE *out = outfile ? fopen(outfile, "w") : stdout;
    if (!out) {
        fprintf(stderr, "iamguard effective: cannot write %s\n", outfile);
        ig_free(text);
        rc = EXIT_BAD_INPUT;
        goto out;
    }
    char err[256];
    if (o.html ? cli_write_html(out, RPT_EFFECTIVE, "iamguard effective", argc, argv, text,
                                strlen(text), err, sizeof err) != 0
               : fputs(text, out) < 0) {
        fprintf(stderr, "iamguard effective: %s\n", o.html ? err : "cannot write the output");
        rc = EXIT_BAD_INPUT;
    }
    ig_free(text);
    if (out != stdout && fclose(out) != 0) {
        fprintf(stderr, "iamguard effective: cannot write %s\n", outfile);
        rc = EXIT_BAD_INPUT;
    }
    if (rc)
        goto out;
    if (repeat) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        for (long r = 0; r < repeat; r++) {
            ig_analyze_effective(az, s.env, acts, (size_t)nacts, o.json ? IG_ANALYZE_JSON : 0, &text, &d);
            ig_free(text);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        fprintf(stderr, "effective: %.3f ms per run (%ld runs)\n",
                ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / (double)repeat,
                repeat);
    }
    if (creatable) {
        text = NULL;
        int crc = an_creatable_report(az, s.acct, principal, o.json, acts, (size_t)nacts, &text);
        if (crc != IG_OK) {
            fprintf(stderr, "iamguard effective: %s\n", crc == IG_E_NOMEM ? "out of memory"
                                                      : "the principals it can create: analysis failed");
            rc = EXIT_BAD_INPUT;
            goto out;
        }
        fputs(text, stdout);
        ig_free(text);
    }
out:
    free(copy);
    ig_analyzer_free(az);
    ig_catalog_close(cat);
    acli_subject_free(&s);
    return rc;
}

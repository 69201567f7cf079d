/* analysis_cli.c - the options and loading the analysis commands share
 * (see analysis_cli.h). */
#include <stdlib.h>
#include <string.h>

#include "analyze/account/account.h"
#include "analyze/seed.h"
#include "cli/analysis_cli.h"
#include "cli/catalog_open.h"
#include "cli/cli.h"
#include "util/alloc.h"
#include "util/file.h"

const char ACLI_HELP[] =
"the caller (one of):\n"
"  --account FILE        an account: `aws iam get-account-authorization-details`\n"
"                        output (JSON), a CloudFormation template or an iamguard\n"
"                        scenario; repeatable. PRINCIPAL names a user, role or group\n"
"                        of it (name or ARN). builtin:imaging-viewer is the seed's\n"
"                        deployment (the model of `iamguard check`'s analysis)\n"
"  --policy FILE         an identity policy of the caller (repeatable)\n"
"  --boundary FILE       its permissions boundary\n"
"  --session FILE        its session policy\n"
"  --as ARN              the caller's ARN with --policy (default\n"
"                        arn:aws:iam::123456789012:user/analysed)\n"
"other:\n"
"  --catalog PATH        catalog.bin or a data package directory\n"
"  --format text|json    output format (default text)\n"
"  --at TIME             the moment the analysis runs at: aws:CurrentTime and\n"
"                        aws:EpochTime are TIME, aws:TokenIssueTime at or before\n"
"                        it (ISO 8601 or epoch seconds; default now, UTC)\n";

int acli_option(acli_opts *o, const char *cmd, int argc, char **argv, int *i)
{
    const char *a = argv[*i];
    static const char *const with_value[] = { "--account", "--policy", "--boundary", "--session",
                                              "--as", "--catalog", "--format", "--at" };
    size_t k;
    for (k = 0; k < sizeof with_value / sizeof with_value[0]; k++)
        if (!strcmp(a, with_value[k]))
            break;
    if (k == sizeof with_value / sizeof with_value[0])
        return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "iamguard %s: missing value for %s\n", cmd, a);
        return -1;
    }
    const char *v = argv[++*i];
    if (!strcmp(a, "--account") || !strcmp(a, "--policy")) {
        const char **arr = a[2] == 'a' ? o->accounts : o->policies;
        int *n = a[2] == 'a' ? &o->naccounts : &o->npolicies;
        if (*n >= (a[2] == 'a' ? ACLI_MAX_ACCOUNTS : ACLI_MAX_FILES)) {
            fprintf(stderr, "iamguard %s: too many %s files\n", cmd, a);
            return -1;
        }
        arr[(*n)++] = v;
    } else if (!strcmp(a, "--boundary")) {
        o->boundary = v;
    } else if (!strcmp(a, "--session")) {
        o->session = v;
    } else if (!strcmp(a, "--as")) {
        o->as = v;
    } else if (!strcmp(a, "--catalog")) {
        o->catalog = v;
    } else if (!strcmp(a, "--at")) {
        o->at = v;
    } else if (!strcmp(v, "json") || !strcmp(v, "text")) {
        o->json = !strcmp(v, "json");
    } else if (!strcmp(v, "html") && !strcmp(cmd, "effective")) {
        o->json = o->html = true;   /* the page is rendered from the JSON */
    } else {
        fprintf(stderr, "iamguard %s: --format must be text or json, got %s\n", cmd, v);
        return -1;
    }
    return 1;
}

int acli_policy_file(const char *path, ig_policy_type type, ig_policy **out)
{
    size_t len;
    const char *err;
    char *text = ig_read_file(path, IG_MAX_FILE, &len, &err);
    if (!text) {
        fprintf(stderr, "%s: error: %s\n", path, err);
        return EXIT_BAD_INPUT;
    }
    ig_diag d;
    memset(&d, 0, sizeof d);
    *out = ig_policy_compile(text, len, type, path, path, &d);
    ig_free(text);
    if (!*out) {
        cli_print_diag(&d);
        return EXIT_BAD_INPUT;
    }
    return 0;
}

int acli_accounts_load(const acli_opts *o, const char *cmd, ig_account **out)
{
    for (int i = 0; i < o->naccounts; i++) {
        if (strcmp(o->accounts[i], "builtin:imaging-viewer"))
            continue;
        /* The seed's deployment as src/analyze/seed.c models it. */
        ig_diag d;
        memset(&d, 0, sizeof d);
        if (o->naccounts > 1) {
            fprintf(stderr, "iamguard %s: builtin:imaging-viewer cannot be combined with other accounts\n", cmd);
            *out = NULL;
            return EXIT_BAD_INPUT;
        }
        if (an_seed_account(out, &d) != IG_OK) {
            cli_print_diag(&d);
            return EXIT_BAD_INPUT;
        }
        return 0;
    }
    *out = ig_account_new();
    if (!*out) {
        fprintf(stderr, "iamguard %s: out of memory\n", cmd);
        return EXIT_BAD_INPUT;
    }
    for (int i = 0; i < o->naccounts; i++) {
        ig_diag d;
        memset(&d, 0, sizeof d);
        if (ig_account_load_file(*out, o->accounts[i], &d) != IG_OK) {
            cli_print_diag(&d);
            ig_account_free(*out);
            *out = NULL;
            return EXIT_BAD_INPUT;
        }
    }
    /* Every file read: what they name of each other is linked. */
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (an_account_finish(*out, &d) != IG_OK) {
        cli_print_diag(&d);
        ig_account_free(*out);
        *out = NULL;
        return EXIT_BAD_INPUT;
    }
    return 0;
}

int acli_subject_load(const acli_opts *o, const char *cmd, const char *principal,
                      acli_subject *out)
{
    memset(out, 0, sizeof *out);
    if (o->naccounts && o->npolicies) {
        fprintf(stderr, "iamguard %s: name the caller either with --account or with --policy\n", cmd);
        return EXIT_BAD_INPUT;
    }
    if (o->naccounts) {
        if (!principal) {
            fprintf(stderr, "iamguard %s: which principal of the account? (give its name or ARN)\n", cmd);
            return EXIT_BAD_INPUT;
        }
        int rc = acli_accounts_load(o, cmd, &out->acct);
        if (rc)
            return rc;
        long i = ig_account_find(out->acct, principal);
        if (i < 0) {
            fprintf(stderr, "iamguard %s: no principal \"%s\" in the account (or the name is ambiguous: use the ARN)\n",
                    cmd, principal);
            return EXIT_BAD_INPUT;
        }
        ig_diag d;
        memset(&d, 0, sizeof d);
        out->env = ig_account_env(out->acct, (size_t)i, &d);
        if (!out->env) {
            cli_print_diag(&d);
            return EXIT_BAD_INPUT;
        }
        snprintf(out->label, sizeof out->label, "%s", ig_account_principal_arn(out->acct, (size_t)i));
        acli_missing(out->acct, (size_t)i, out->missing, sizeof out->missing);
        if (out->missing[0])
            fprintf(stderr, "iamguard %s: warning: %s has policies the account model does not contain "
                            "(%s); what they allow is not analysed\n", cmd, principal, out->missing);
        return 0;
    }
    if (!o->npolicies) {
        fprintf(stderr, "iamguard %s: name the caller: --account FILE PRINCIPAL, or --policy FILE\n", cmd);
        return EXIT_BAD_INPUT;
    }
    if (principal) {
        fprintf(stderr, "iamguard %s: with --policy, give the caller's ARN with --as (not %s)\n", cmd,
                principal);
        return EXIT_BAD_INPUT;
    }
    out->env = ig_env_new();
    if (!out->env)
        return EXIT_BAD_INPUT;
    const char *arn = o->as ? o->as : "arn:aws:iam::123456789012:user/analysed";
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (ig_env_set_principal_arn(out->env, arn, NULL, &d) != IG_OK) {
        fprintf(stderr, "iamguard %s: --as %s: %s\n", cmd, arn, d.msg);
        return EXIT_BAD_INPUT;
    }
    snprintf(out->label, sizeof out->label, "%s", arn);
    for (int i = 0; i < o->npolicies; i++) {
        int rc = acli_policy_file(o->policies[i], IG_POLICY_IDENTITY, &out->owned[out->nowned]);
        if (rc)
            return rc;
        ig_env_add_identity(out->env, out->owned[out->nowned++]);
    }
    if (o->boundary) {
        int rc = acli_policy_file(o->boundary, IG_POLICY_BOUNDARY, &out->owned[out->nowned]);
        if (rc)
            return rc;
        ig_env_set_boundary(out->env, out->owned[out->nowned++]);
    }
    if (o->session) {
        int rc = acli_policy_file(o->session, IG_POLICY_SESSION, &out->owned[out->nowned]);
        if (rc)
            return rc;
        ig_env_set_session(out->env, out->owned[out->nowned++]);
    }
    return 0;
}

void acli_missing(const ig_account *a, size_t i, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    const an_principal *p = &a->p[i];
    for (size_t g = 0; g <= p->ngroups; g++) {
        const an_principal *from = g ? &a->p[p->groups[g - 1]] : p;
        for (size_t k = 0; k < from->nmissing && o + 1 < cap; k++)
            o += (size_t)snprintf(buf + o, cap - o, "%s%s", o ? ", " : "", from->missing[k]);
    }
}

void acli_subject_free(acli_subject *s)
{
    ig_env_free(s->env);
    for (int i = 0; i < s->nowned; i++)
        ig_policy_free(s->owned[i]);
    ig_account_free(s->acct);
    memset(s, 0, sizeof *s);
}

ig_analyzer *acli_analyzer(const acli_opts *o, const char *cmd, ig_catalog **cat)
{
    char used[1024];
    ig_diag d;
    memset(&d, 0, sizeof d);
    *cat = cli_open_catalog(o->catalog, used, sizeof used, &d);
    if (!*cat) {
        cli_print_diag(&d);
        fprintf(stderr, "iamguard %s: the analysis needs the service catalog (--catalog PATH)\n", cmd);
        return NULL;
    }
    ig_analyzer *az = ig_analyzer_new(*cat, &d);
    if (!az) {
        fprintf(stderr, "iamguard %s: out of memory\n", cmd);
        ig_catalog_close(*cat);
        *cat = NULL;
    } else if (o->at && ig_analyzer_set_time(az, o->at, &d) != IG_OK) {
        fprintf(stderr, "iamguard %s: --at: %s\n", cmd, d.msg);
        ig_analyzer_free(az);
        ig_catalog_close(*cat);
        *cat = NULL;
        return NULL;
    }
    return az;
}

int acli_split(char *s, const char **out, int cap)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(s, ",", &save); t && n < cap; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        if (*t)
            out[n++] = t;
    }
    return n;
}

void acli_check_section(const struct chk_scenario *s, json_writer *w, size_t *not_held)
{
    char used[1024];
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (not_held)
        *not_held = 0;
    ig_catalog *cat = cli_open_catalog(NULL, used, sizeof used, &d);
    ig_analyzer *az = cat ? ig_analyzer_new(cat, &d) : NULL;
    int rc = IG_E_IO;
    if (az && s)
        rc = an_seed_report_counted(&az->ctx, s, w ? NULL : stdout, w, not_held);
    else if (az) {
        chk_scenario *b;
        chk_options opt;
        memset(&opt, 0, sizeof opt);
        rc = chk_load_builtin("imaging-viewer/scenario.yml", &opt, &b, &d);
        if (rc == IG_OK) {
            rc = an_seed_report_counted(&az->ctx, b, w ? NULL : stdout, w, not_held);
            chk_free(b);
        }
    }
    if (rc != IG_OK) {
        const char *why = !cat ? "no service catalog (build/catalog.bin)" : "the analysis failed";
        if (w) {
            jw_key(w, "analysis");
            jw_object_begin(w);
            jw_kstring(w, "skipped", why);
            jw_object_end(w);
        } else {
            printf("\nanalysis skipped: %s\n", why);
        }
    }
    ig_analyzer_free(az);
    ig_catalog_close(cat);
}

size_t acli_check_not_held(const struct chk_scenario *s)
{
    char used[1024];
    ig_diag d;
    memset(&d, 0, sizeof d);
    ig_catalog *cat = cli_open_catalog(NULL, used, sizeof used, &d);
    ig_analyzer *az = cat ? ig_analyzer_new(cat, &d) : NULL;
    size_t n = 0;
    an_seed_outcome out;
    if (az && s && an_seed_evaluate(&az->ctx, s, &out) == IG_OK) {
        for (size_t i = 0; i < out.nclaims; i++)
            n += out.claims[i].verdict != IG_VERDICT_PROVED;
        an_seed_outcome_free(&out);
    }
    ig_analyzer_free(az);
    ig_catalog_close(cat);
    return n;
}

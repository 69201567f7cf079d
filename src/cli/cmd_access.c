/* cmd_access.c - the exact access checks: `iamguard check-access-not-granted`,
 * `check-no-new-access` and `check-no-public-access` (docs/check-access.md).
 * Each prints a verdict -- proved, refuted with a counterexample request
 * the evaluator allows, or unknown with what was not decided. */
#include <stdlib.h>
#include <string.h>

#include "analyze/access.h"
#include "analyze/analyze.h"
#include "cli/analysis_cli.h"
#include "cli/cli.h"
#include "util/alloc.h"

/* Exit statuses: proved, refuted, unknown (2 stays "bad input"). */
enum { EXIT_PROVED = 0, EXIT_REFUTED = 1, EXIT_UNKNOWN = 3 };

static const char EXITS[] =
"\nexit status: 0 proved, 1 refuted (a counterexample is printed), 2 bad input,\n"
"3 unknown (the analysis could not decide; it says what).\n";

static int verdict_exit(ig_verdict v)
{
    return v == IG_VERDICT_PROVED ? EXIT_PROVED : v == IG_VERDICT_REFUTED ? EXIT_REFUTED : EXIT_UNKNOWN;
}

static void print(const an_check *r, an_ctx *c, bool json, const char *question)
{
    if (json) {
        json_buf b;
        json_buf_init(&b);
        json_writer w;
        jw_init(&w, &b, true);
        an_check_json(&w, r, question);
        if (!b.failed)
            printf("%.*s\n", (int)b.len, b.data);
        json_buf_free(&b);
    } else {
        an_check_text(stdout, c, r, question);
    }
}

/* "K=V", "K!=V", "K~=GLOB", "K!~=GLOB", "!K" */
static bool parse_context(char *s, an_kcons *out)
{
    if (s[0] == '!') {
        *out = (an_kcons){ AN_K_ABSENT, s + 1, NULL };
        return s[1] != '\0';
    }
    char *eq = strchr(s, '=');
    if (!eq || eq == s)
        return false;
    char *v = eq + 1;
    an_kcons_kind k = AN_K_EQUALS;
    if (eq > s + 1 && eq[-1] == '~') {
        k = AN_K_LIKE;
        eq--;
        if (eq > s + 1 && eq[-1] == '!') {
            k = AN_K_NOT_LIKE;
            eq--;
        }
    } else if (eq > s + 1 && eq[-1] == '!') {
        k = AN_K_NOT_EQUALS;
        eq--;
    }
    *eq = '\0';
    *out = (an_kcons){ k, s, v };
    return true;
}

static const char *join(const char *const *v, int n, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (int i = 0; i < n && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? ", " : "", v[i]);
    return buf;
}

static int need_value(const char *cmd, int i, int argc, const char *opt)
{
    if (i + 1 >= argc) {
        fprintf(stderr, "iamguard %s: missing value for %s\n", cmd, opt);
        return 0;
    }
    return 1;
}

/* ---- check-access-not-granted ----------------------------------------------------- */

static const char NOT_GRANTED_USAGE[] =
"usage: iamguard check-access-not-granted [PRINCIPAL] --actions LIST [options]\n"
"\n"
"Prove that no request for these actions on these resources is allowed for the\n"
"caller -- whatever the rest of the request -- or show one that is.\n"
"\n"
"  --actions LIST          comma-separated action patterns (iam:Create*,s3:PutObject)\n"
"  --resources LIST        comma-separated resource patterns (default: any)\n"
"  --context C             a constraint on the request context, repeatable:\n"
"                          KEY=VALUE, KEY!=VALUE (absent or another value),\n"
"                          KEY~=GLOB, KEY!~=GLOB, !KEY (absent)\n"
"  --resource-policy FILE  the resource's own policy (the request carries it)\n"
"\n";

int cmd_check_access_not_granted(int argc, char **argv)
{
    const char *cmd = "check-access-not-granted";
    acli_opts o;
    memset(&o, 0, sizeof o);
    const char *principal = NULL, *rp_file = NULL;
    char *actions = NULL, *resources = NULL;
    an_kcons kc[64];
    size_t nkc = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r = acli_option(&o, cmd, argc, argv, &i);
        if (r < 0)
            return EXIT_BAD_INPUT;
        if (r)
            continue;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(NOT_GRANTED_USAGE, stdout);
            fputs(ACLI_HELP, stdout);
            fputs(EXITS, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--actions") || !strcmp(a, "--resources") ||
                   !strcmp(a, "--context") || !strcmp(a, "--resource-policy")) {
            if (!need_value(cmd, i, argc, a))
                return EXIT_BAD_INPUT;
            char *v = argv[++i];
            if (a[2] == 'a') actions = v;
            else if (!strcmp(a, "--resources")) resources = v;
            else if (a[2] == 'r') rp_file = v;
            else if (nkc >= 64 || !parse_context(v, &kc[nkc++])) {
                fprintf(stderr, "iamguard %s: --context %s: expected KEY=VALUE, KEY!=VALUE, KEY~=GLOB, "
                                "KEY!~=GLOB or !KEY\n", cmd, v);
                return EXIT_BAD_INPUT;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "iamguard %s: unknown option %s\n", cmd, a);
            return EXIT_BAD_INPUT;
        } else if (principal) {
            fprintf(stderr, "iamguard %s: more than one principal given: %s\n", cmd, a);
            return EXIT_BAD_INPUT;
        } else {
            principal = a;
        }
    }
    if (!actions) {
        fprintf(stderr, "iamguard %s: --actions is required\n", cmd);
        return EXIT_BAD_INPUT;
    }
    acli_subject s;
    int rc = acli_subject_load(&o, cmd, principal, &s);
    ig_policy *rp = NULL;
    if (!rc && rp_file)
        rc = acli_policy_file(rp_file, IG_POLICY_RESOURCE, &rp);
    if (rc) {
        acli_subject_free(&s);
        return rc;
    }
    ig_catalog *cat = NULL;
    ig_analyzer *az = acli_analyzer(&o, cmd, &cat);
    if (!az) {
        ig_policy_free(rp);
        acli_subject_free(&s);
        return EXIT_BAD_INPUT;
    }
    const char *acts[256], *res[256];
    int na = acli_split(actions, acts, 256), nr = resources ? acli_split(resources, res, 256) : 0;
    ig_diag d;
    memset(&d, 0, sizeof d);
    uint64_t *filter = NULL;
    ig_arena A;
    ig_arena_init(&A);
    const lang_expr **rk = ig_arena_alloc(&A, (size_t)(nr + 1) * sizeof *rk);
    rc = EXIT_BAD_INPUT;
    if (!na || !rk) {
        fprintf(stderr, "iamguard %s: --actions needs at least one pattern\n", cmd);
        goto out;
    }
    if (an_api_filter(az, acts, (size_t)na, &filter, &d) != IG_OK) {
        fprintf(stderr, "iamguard %s: %s\n", cmd, d.msg);
        goto out;
    }
    for (int i = 0; i < nr; i++) {
        lang_pat *lp = ig_arena_alloc(&A, sizeof *lp);
        const char *err = "out of memory";
        if (!lp || !lang_from_text(&A, res[i], strlen(res[i]), lp, &err)) {
            fprintf(stderr, "iamguard %s: --resources %s: %s\n", cmd, res[i], err);
            goto out;
        }
        rk[i] = lang_e_pat(&A, lp);
    }
    an_check r;
    if (an_check_not_granted(&az->ctx, s.env, filter, nr ? lang_e_nary(&A, LE_OR, rk, (size_t)nr) : NULL,
                             kc, nkc, rp, &r) != IG_OK) {
        fprintf(stderr, "iamguard %s: out of memory\n", cmd);
        goto out;
    }
    if (r.verdict == IG_VERDICT_PROVED && s.missing[0]) {
        r.verdict = IG_VERDICT_UNKNOWN;
        snprintf(r.reason, sizeof r.reason, "no proof: the caller has policies the model does not contain (%.900s)",
                 s.missing);
    }
    char q[1600], ja[600], jr[600];
    snprintf(q, sizeof q, "%s is allowed no %s on %s", s.label, join(acts, na, ja, sizeof ja),
             nr ? join(res, nr, jr, sizeof jr) : "any resource");
    print(&r, &az->ctx, o.json, q);
    rc = verdict_exit(r.verdict);
out:
    ig_arena_free(&A);
    ig_free(filter);
    ig_analyzer_free(az);
    ig_catalog_close(cat);
    ig_policy_free(rp);
    acli_subject_free(&s);
    return rc;
}

/* ---- check-no-new-access -------------------------------------------------------------- */

static const char NO_NEW_USAGE[] =
"usage: iamguard check-no-new-access OLD NEW [options]\n"
"       iamguard check-no-new-access --old-account FILE --new-account FILE PRINCIPAL\n"
"       iamguard check-no-new-access --account FILE OLD-PRINCIPAL NEW-PRINCIPAL\n"
"\n"
"Prove that NEW allows nothing OLD does not -- no request at all -- or show a\n"
"request NEW allows and OLD does not.  OLD and NEW are policy files (identity\n"
"policies of one caller, or with --type resource two resource policies, compared\n"
"for every kind of caller), or principals: the same principal in two account\n"
"models, or two principals of one.\n"
"\n"
"  --type identity|resource  what OLD and NEW policy files are (default identity)\n"
"  --as ARN                  the caller of identity policies\n"
"  --account-id ID           the resource owner for --type resource (default\n"
"                            123456789012)\n"
"  --resource ARN            --type resource: the resource the policies are on\n"
"  --old-account FILE, --new-account FILE, --account FILE   principals instead\n"
"  --actions LIST            only these actions\n"
"  --catalog PATH, --format text|json\n";

static char missing_note[1400];

static int env_of_principal(const char *cmd, const char *file, const char *who, ig_account **acct,
                            ig_env **env)
{
    acli_opts o;
    memset(&o, 0, sizeof o);
    o.accounts[o.naccounts++] = file;
    int rc = acli_accounts_load(&o, cmd, acct);
    if (rc)
        return rc;
    long i = ig_account_find(*acct, who);
    if (i < 0) {
        fprintf(stderr, "iamguard %s: no principal \"%s\" in %s\n", cmd, who, file);
        return EXIT_BAD_INPUT;
    }
    *env = ig_account_env(*acct, (size_t)i, NULL);
    char m[700];
    acli_missing(*acct, (size_t)i, m, sizeof m);
    if (m[0] && strlen(missing_note) + strlen(m) + 3 < sizeof missing_note)
        snprintf(missing_note + strlen(missing_note), sizeof missing_note - strlen(missing_note), "%s%s",
                 missing_note[0] ? ", " : "", m);
    return *env ? 0 : EXIT_BAD_INPUT;
}

int cmd_check_no_new_access(int argc, char **argv)
{
    const char *cmd = "check-no-new-access";
    const char *pos[3] = { NULL, NULL, NULL };
    int npos = 0;
    const char *type = "identity", *as = "arn:aws:iam::123456789012:user/analysed";
    const char *old_acct = NULL, *new_acct = NULL, *acct_file = NULL, *catalog = NULL;
    const char *account_id = "123456789012", *resource = NULL;
    char *actions = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(NO_NEW_USAGE, stdout);
            fputs(EXITS, stdout);
            return EXIT_OK;
        }
        static const char *const opts[] = { "--type", "--as", "--old-account", "--new-account",
                                            "--account", "--catalog", "--format", "--actions",
                                            "--account-id", "--resource" };
        size_t k;
        for (k = 0; k < sizeof opts / sizeof opts[0] && strcmp(a, opts[k]); k++)
            ;
        if (k < sizeof opts / sizeof opts[0]) {
            if (!need_value(cmd, i, argc, a))
                return EXIT_BAD_INPUT;
            const char *v = argv[++i];
            switch (k) {
            case 0: type = v; break;
            case 1: as = v; break;
            case 2: old_acct = v; break;
            case 3: new_acct = v; break;
            case 4: acct_file = v; break;
            case 5: catalog = v; break;
            case 6:
                if (strcmp(v, "text") && strcmp(v, "json")) {
                    fprintf(stderr, "iamguard %s: --format must be text or json\n", cmd);
                    return EXIT_BAD_INPUT;
                }
                json = !strcmp(v, "json");
                break;
            case 7: actions = argv[i]; break;
            case 8: account_id = v; break;
            case 9: resource = v; break;
            }
            continue;
        }
        if (a[0] == '-' && a[1]) {
            fprintf(stderr, "iamguard %s: unknown option %s\n", cmd, a);
            return EXIT_BAD_INPUT;
        }
        if (npos >= 3) {
            fprintf(stderr, "iamguard %s: too many arguments: %s\n", cmd, a);
            return EXIT_BAD_INPUT;
        }
        pos[npos++] = a;
    }
    bool resource_type = !strcmp(type, "resource");
    if (!resource_type && strcmp(type, "identity")) {
        fprintf(stderr, "iamguard %s: --type must be identity or resource, got %s\n", cmd, type);
        return EXIT_BAD_INPUT;
    }
    ig_account *ao = NULL, *an = NULL;
    ig_env *eo = NULL, *en = NULL;
    ig_policy *po = NULL, *pn = NULL;
    int rc = 0;
    char q[1600];
    if (old_acct || new_acct) {
        if (!old_acct || !new_acct || npos != 1 || acct_file) {
            fprintf(stderr, "iamguard %s: give --old-account FILE --new-account FILE PRINCIPAL\n", cmd);
            return EXIT_BAD_INPUT;
        }
        rc = env_of_principal(cmd, old_acct, pos[0], &ao, &eo);
        if (!rc)
            rc = env_of_principal(cmd, new_acct, pos[0], &an, &en);
        snprintf(q, sizeof q, "%s in %s can do nothing it cannot do in %s", pos[0], new_acct, old_acct);
    } else if (acct_file) {
        if (npos != 2) {
            fprintf(stderr, "iamguard %s: with --account give OLD-PRINCIPAL NEW-PRINCIPAL\n", cmd);
            return EXIT_BAD_INPUT;
        }
        rc = env_of_principal(cmd, acct_file, pos[0], &ao, &eo);
        if (!rc) {
            long i = ig_account_find(ao, pos[1]);
            if (i < 0) {
                fprintf(stderr, "iamguard %s: no principal \"%s\" in %s\n", cmd, pos[1], acct_file);
                rc = EXIT_BAD_INPUT;
            } else if (!(en = ig_account_env(ao, (size_t)i, NULL))) {
                rc = EXIT_BAD_INPUT;
            } else {
                char m[700];
                acli_missing(ao, (size_t)i, m, sizeof m);
                if (m[0])
                    snprintf(missing_note, sizeof missing_note, "%s", m);
            }
        }
        snprintf(q, sizeof q, "%s can do nothing %s cannot do", pos[1], pos[0]);
    } else {
        if (npos != 2) {
            fprintf(stderr, "iamguard %s: give OLD and NEW (policy files)\n", cmd);
            return EXIT_BAD_INPUT;
        }
        ig_policy_type t = resource_type ? IG_POLICY_RESOURCE : IG_POLICY_IDENTITY;
        rc = acli_policy_file(pos[0], t, &po);
        if (!rc)
            rc = acli_policy_file(pos[1], t, &pn);
        if (!rc && !resource_type) {
            eo = ig_env_new();
            en = ig_env_new();
            ig_diag d;
            if (!eo || !en || ig_env_set_principal_arn(eo, as, NULL, &d) != IG_OK ||
                ig_env_set_principal_arn(en, as, NULL, &d) != IG_OK) {
                fprintf(stderr, "iamguard %s: --as %s: not a principal ARN\n", cmd, as);
                rc = EXIT_BAD_INPUT;
            } else {
                ig_env_add_identity(eo, po);
                ig_env_add_identity(en, pn);
            }
        }
        snprintf(q, sizeof q, "%s allows nothing %s does not%s", pos[1], pos[0],
                 resource_type ? " (for any caller)" : "");
    }
    acli_opts co;
    memset(&co, 0, sizeof co);
    co.catalog = catalog;
    ig_catalog *cat = NULL;
    ig_analyzer *az = rc ? NULL : acli_analyzer(&co, cmd, &cat);
    uint64_t *filter = NULL;
    if (!rc && !az)
        rc = EXIT_BAD_INPUT;
    if (!rc && actions) {
        const char *acts[256];
        int na = acli_split(actions, acts, 256);
        ig_diag d;
        memset(&d, 0, sizeof d);
        if (!na || an_api_filter(az, acts, (size_t)na, &filter, &d) != IG_OK) {
            fprintf(stderr, "iamguard %s: %s\n", cmd, na ? d.msg : "--actions needs a pattern");
            rc = EXIT_BAD_INPUT;
        }
    }
    if (!rc) {
        an_check r;
        int arc = resource_type && !eo
                  ? an_check_no_new_access_resource(&az->ctx, po, pn, account_id, resource, &r)
                  : an_check_no_new_access(&az->ctx, eo, en, filter, &r);
        if (arc == IG_OK && r.verdict == IG_VERDICT_PROVED && missing_note[0]) {
            r.verdict = IG_VERDICT_UNKNOWN;
            snprintf(r.reason, sizeof r.reason,
                     "no proof: the principals have policies the models do not contain (%.900s)", missing_note);
        }
        if (arc != IG_OK) {
            fprintf(stderr, "iamguard %s: out of memory\n", cmd);
            rc = EXIT_BAD_INPUT;
        } else {
            print(&r, &az->ctx, json, q);
            rc = verdict_exit(r.verdict);
        }
    }
    ig_free(filter);
    ig_analyzer_free(az);
    ig_catalog_close(cat);
    ig_env_free(eo);
    ig_env_free(en);
    ig_policy_free(po);
    ig_policy_free(pn);
    ig_account_free(ao);
    ig_account_free(an);
    return rc;
}

/* ---- check-no-public-access ------------------------------------------------------------ */

static const char NO_PUBLIC_USAGE[] =
"usage: iamguard check-no-public-access POLICY [options]\n"
"\n"
"Prove that a resource policy (a bucket policy, key policy, trust policy, ...)\n"
"lets nobody outside the account in -- no anonymous caller and no principal of\n"
"an account the policy does not name -- or show a request that gets in.\n"
"Outsiders choose their own request, tags, organization and network origin, but\n"
"never the owner's (accounts, organization, VPC endpoints the policy names).\n"
"\n"
"  --account-id ID     the resource owner's account (default 123456789012)\n"
"  --resource ARN      the resource the policy is on (default: any)\n"
"  --catalog PATH, --format text|json\n";

int cmd_check_no_public_access(int argc, char **argv)
{
    const char *cmd = "check-no-public-access";
    const char *file = NULL, *account = "123456789012", *resource = NULL, *catalog = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            fputs(NO_PUBLIC_USAGE, stdout);
            fputs(EXITS, stdout);
            return EXIT_OK;
        } else if (!strcmp(a, "--account-id") || !strcmp(a, "--resource") || !strcmp(a, "--catalog") ||
                   !strcmp(a, "--format")) {
            if (!need_value(cmd, i, argc, a))
                return EXIT_BAD_INPUT;
            const char *v = argv[++i];
            if (!strcmp(a, "--account-id")) account = v;
            else if (!strcmp(a, "--resource")) resource = v;
            else if (!strcmp(a, "--catalog")) catalog = v;
            else if (!strcmp(v, "text") || !strcmp(v, "json")) json = !strcmp(v, "json");
            else {
                fprintf(stderr, "iamguard %s: --format must be text or json\n", cmd);
                return EXIT_BAD_INPUT;
            }
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "iamguard %s: unknown option %s\n", cmd, a);
            return EXIT_BAD_INPUT;
        } else if (file) {
            fprintf(stderr, "iamguard %s: more than one policy given: %s\n", cmd, a);
            return EXIT_BAD_INPUT;
        } else {
            file = a;
        }
    }
    if (!file) {
        fprintf(stderr, "iamguard %s: no policy given\n", cmd);
        return EXIT_BAD_INPUT;
    }
    if (strlen(account) != 12 || strspn(account, "0123456789") != 12) {
        fprintf(stderr, "iamguard %s: --account-id must be 12 digits, got %s\n", cmd, account);
        return EXIT_BAD_INPUT;
    }
    ig_policy *p;
    int rc = acli_policy_file(file, IG_POLICY_RESOURCE, &p);
    if (rc)
        return rc;
    acli_opts co;
    memset(&co, 0, sizeof co);
    co.catalog = catalog;
    ig_catalog *cat = NULL;
    ig_analyzer *az = acli_analyzer(&co, cmd, &cat);
    if (!az) {
        ig_policy_free(p);
        return EXIT_BAD_INPUT;
    }
    an_check r;
    if (an_check_no_public(&az->ctx, p, account, resource, &r) != IG_OK) {
        fprintf(stderr, "iamguard %s: out of memory\n", cmd);
        rc = EXIT_BAD_INPUT;
    } else {
        char q[1200];
        snprintf(q, sizeof q, "%s lets nobody outside account %s in%s%s", file, account,
                 resource ? " to " : "", resource ? resource : "");
        print(&r, &az->ctx, json, q);
        rc = verdict_exit(r.verdict);
    }
    ig_analyzer_free(az);
    ig_catalog_close(cat);
    ig_policy_free(p);
    return rc;
}

/* test_analyze.c - the least-privilege analysis (src/analyze): effective
 * permissions, the access checks through the public API, account exports,
 * escalation, and a soundness property -- whatever ig_evaluate allows for
 * random policies lies inside what the analysis says is allowed, and every
 * counterexample the checks report is allowed by ig_evaluate. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/access.h"
#include "analyze/account/account.h"
#include "analyze/analyze.h"
#include "analyze/escalate/escalate.h"
#include "iamguard.h"
#include "util/alloc.h"

static char catalog_path[4096];
static ig_catalog *cat;
static ig_analyzer *az;

static int setup(void **state)
{
    (void)state;
    ig_diag d;
    cat = ig_catalog_open(catalog_path, &d);
    if (!cat) {
        fprintf(stderr, "no catalog at %s: %s\n", catalog_path, d.msg);
        return -1;
    }
    az = ig_analyzer_new(cat, &d);
    return az ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ig_analyzer_free(az);
    ig_catalog_close(cat);
    return 0;
}

static ig_policy *compile(const char *json, ig_policy_type t)
{
    ig_diag d;
    ig_policy *p = ig_policy_compile(json, strlen(json), t, "test", NULL, &d);
    if (!p)
        fail_msg("policy does not compile: %s\n%s", d.msg, json);
    return p;
}

static ig_env *env_with(const char *arn, ig_policy *id, ig_policy *bnd)
{
    ig_env *e = ig_env_new();
    assert_non_null(e);
    assert_int_equal(ig_env_set_principal_arn(e, arn, NULL, NULL), IG_OK);
    if (id)
        assert_int_equal(ig_env_add_identity(e, id), IG_OK);
    if (bnd)
        assert_int_equal(ig_env_set_boundary(e, bnd), IG_OK);
    return e;
}

static const char ALL[] = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
static const char BOUNDARY[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":["
    "{\"Effect\":\"Allow\",\"Action\":\"medical-imaging:*\",\"Resource\":\"*\"},"
    "{\"Effect\":\"Allow\",\"Action\":\"s3:PutBucketPublicAccessBlock\",\"Resource\":\"arn:aws:s3:::amplify-*-deployment\"}]}";

/* ---- effective ---------------------------------------------------------------- */

static void test_effective_boundary(void **state)
{
    (void)state;
    ig_policy *all = compile(ALL, IG_POLICY_IDENTITY), *b = compile(BOUNDARY, IG_POLICY_BOUNDARY);
    ig_env *e = env_with("arn:aws:iam::123456789012:user/u", all, b);
    an_ctx *c = &az->ctx;
    an_ctx_reset(c);
    an_effective eff;
    assert_int_equal(an_effective_compute(c, e, NULL, &eff), IG_OK);
    uint32_t mi = 0;
    for (uint32_t i = 0; i < c->nact; i++)
        mi += !strncmp(c->names[i], "medical-imaging:", 16);
    assert_int_equal(eff.nallowed, mi + 1);     /* all of medical-imaging and one S3 action */
    uint32_t id = ig_catalog_action_find(cat, "s3:PutBucketPublicAccessBlock", 29);
    const an_group *g = an_effective_find(&eff, id);
    assert_non_null(g);
    assert_int_equal(g->ngrants, 1);
    assert_true(lang_expr_matches(g->grants[0].expr, "arn:aws:s3:::amplify-x-deployment", 33, false));
    assert_false(lang_expr_matches(g->grants[0].expr, "arn:aws:s3:::other", 18, false));
    assert_null(an_effective_find(&eff, ig_catalog_action_find(cat, "s3:GetObject", 12)));
    an_effective_free(&eff);
    ig_env_free(e);
    ig_policy_free(all);
    ig_policy_free(b);
}

static void test_effective_denies_and_conditions(void **state)
{
    (void)state;
    ig_policy *p = compile(
        "{\"Version\":\"2012-10-17\",\"Statement\":["
        "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::data/*\"},"
        "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::logs/*\","
        " \"Condition\":{\"StringEquals\":{\"aws:RequestedRegion\":\"eu-west-1\"}}},"
        "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::data/secret/*\"},"
        "{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}",
        IG_POLICY_IDENTITY);
    ig_env *e = env_with("arn:aws:iam::123456789012:user/u", p, NULL);
    an_ctx *c = &az->ctx;
    an_ctx_reset(c);
    an_effective eff;
    assert_int_equal(an_effective_compute(c, e, NULL, &eff), IG_OK);
    assert_int_equal(eff.nallowed, 1);
    const an_group *g = &eff.groups[0];
    assert_int_equal(g->ngrants, 2);
    /* The unconditional grant excludes the secret prefix; the conditional
     * one keeps its condition; both may meet the TLS deny. */
    int uncond = g->grants[0].opts[0]->conditional ? 1 : 0;
    const an_grant *u = &g->grants[uncond], *cg = &g->grants[1 - uncond];
    assert_true(lang_expr_matches(u->expr, "arn:aws:s3:::data/a", 19, false));
    assert_false(lang_expr_matches(u->expr, "arn:aws:s3:::data/secret/a", 26, false));
    assert_true(cg->opts[0]->conditional);
    assert_int_equal(u->nunless, 1);
    assert_int_equal(cg->nunless, 1);
    an_effective_free(&eff);
    ig_env_free(e);
    ig_policy_free(p);
}

/* ---- checks through the public API ------------------------------------------- */

static bool allowed(const ig_env *e, const ig_counterexample *cx)
{
    /* The context string is "k=v, k=v": rebuild it. */
    ig_context_entry ctx[16];
    char keys[16][256], vals[16][1024];
    const char *vp[16][1];
    size_t n = 0;
    char buf[2048];
    snprintf(buf, sizeof buf, "%s", cx->context);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t && n < 16; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        char *eq = strchr(t, '=');
        if (!eq)
            continue;
        snprintf(keys[n], sizeof keys[n], "%.*s", (int)(eq - t), t);
        snprintf(vals[n], sizeof vals[n], "%s", eq + 1);
        vp[n][0] = vals[n];
        ctx[n] = (ig_context_entry){ keys[n], vp[n], 1 };
        n++;
    }
    ig_request req = { .action = cx->action, .resource = cx->resource, .context = ctx, .ncontext = n };
    ig_result r;
    return ig_evaluate(e, &req, 0, &r) == IG_OK && r.decision == IG_ALLOWED;
}

static void test_not_granted(void **state)
{
    (void)state;
    ig_policy *p = compile(
        "{\"Version\":\"2012-10-17\",\"Statement\":["
        "{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\",\"Resource\":\"arn:aws:iam::*:role/*LambdaRole*\","
        " \"Condition\":{\"StringEquals\":{\"iam:PassedToService\":\"lambda.amazonaws.com\"}}}]}",
        IG_POLICY_IDENTITY);
    ig_env *e = env_with("arn:aws:iam::123456789012:user/dev", p, NULL);
    ig_counterexample cx;
    ig_diag d;
    const char *acts[] = { "iam:PassRole" };
    const char *other[] = { "arn:aws:iam::123456789012:role/Admin" };
    assert_int_equal(ig_analyze_not_granted(az, e, acts, 1, other, 1, &cx, &d), IG_VERDICT_PROVED);
    const char *lambda[] = { "arn:aws:iam::*:role/Payments*" };
    assert_int_equal(ig_analyze_not_granted(az, e, acts, 1, lambda, 1, &cx, &d), IG_VERDICT_REFUTED);
    assert_non_null(strstr(cx.resource, "LambdaRole"));
    assert_non_null(strstr(cx.resource, ":role/Payments"));
    assert_string_equal(cx.context, "iam:PassedToService=lambda.amazonaws.com");
    assert_true(allowed(e, &cx));
    const char *users[] = { "iam:CreateUser", "s3:*" };
    assert_int_equal(ig_analyze_not_granted(az, e, users, 2, NULL, 0, &cx, &d), IG_VERDICT_PROVED);
    const char *bogus[] = { "nosuch:Thing" };
    assert_int_equal(ig_analyze_not_granted(az, e, bogus, 1, NULL, 0, &cx, &d), IG_VERDICT_UNKNOWN);
    ig_env_free(e);
    ig_policy_free(p);
}

/* The clock: aws:CurrentTime is the analysis's moment, aws:TokenIssueTime
 * a session start no later than it and no more than 36 hours before. */
static void test_clock(void **state)
{
    (void)state;
    ig_policy *p = compile(
        "{\"Version\":\"2012-10-17\",\"Statement\":["
        "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\","
        " \"Condition\":{\"DateLessThan\":{\"aws:CurrentTime\":\"2020-01-01T00:00:00Z\"}}},"
        "{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\",\"Resource\":\"*\","
        " \"Condition\":{\"DateGreaterThan\":{\"aws:TokenIssueTime\":\"2020-01-01T00:00:00Z\"}}}]}",
        IG_POLICY_IDENTITY);
    ig_env *e = env_with("arn:aws:iam::123456789012:user/dev", p, NULL);
    ig_counterexample cx;
    ig_diag d;
    const char *get[] = { "s3:GetObject" }, *put[] = { "s3:PutObject" };
    assert_int_equal(ig_analyzer_set_time(az, "2026-06-01T12:00:00Z", &d), IG_OK);
    assert_string_equal(ig_analyzer_time(az), "2026-06-01T12:00:00Z");
    assert_int_equal(ig_analyze_not_granted(az, e, get, 1, NULL, 0, &cx, &d), IG_VERDICT_PROVED);
    assert_int_equal(ig_analyze_not_granted(az, e, put, 1, NULL, 0, &cx, &d), IG_VERDICT_REFUTED);
    assert_string_equal(cx.context, "aws:TokenIssueTime=2026-06-01T12:00:00Z");
    assert_int_equal(ig_analyzer_set_time(az, "1561939200", &d), IG_OK);      /* 2019-07-01 */
    assert_string_equal(ig_analyzer_time(az), "2019-07-01T00:00:00Z");
    assert_int_equal(ig_analyze_not_granted(az, e, get, 1, NULL, 0, &cx, &d), IG_VERDICT_REFUTED);
    assert_int_equal(ig_analyze_not_granted(az, e, put, 1, NULL, 0, &cx, &d), IG_VERDICT_PROVED);
    /* A day after the bound: a session may have begun before it, or not. */
    assert_int_equal(ig_analyzer_set_time(az, "2020-01-02T00:00:00Z", &d), IG_OK);
    assert_int_equal(ig_analyze_not_granted(az, e, put, 1, NULL, 0, &cx, &d), IG_VERDICT_REFUTED);
    assert_int_equal(ig_analyzer_set_time(az, "yesterday", &d), IG_E_INPUT);
    char now[32];
    snprintf(now, sizeof now, "%lld", (long long)time(NULL));
    assert_int_equal(ig_analyzer_set_time(az, now, &d), IG_OK);
    ig_env_free(e);
    ig_policy_free(p);
}

static void test_no_new_access(void **state)
{
    (void)state;
    ig_policy *old = compile("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                             "[\"s3:GetObject\",\"s3:PutObject\"],\"Resource\":\"arn:aws:s3:::b/*\"}]}",
                             IG_POLICY_IDENTITY);
    ig_policy *same = compile("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                              "\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/x/*\"}]}", IG_POLICY_IDENTITY);
    ig_policy *more = compile("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                              "\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::*/x\"}]}", IG_POLICY_IDENTITY);
    const char *arn = "arn:aws:iam::123456789012:user/u";
    ig_env *eo = env_with(arn, old, NULL), *es = env_with(arn, same, NULL), *em = env_with(arn, more, NULL);
    ig_counterexample cx;
    assert_int_equal(ig_analyze_no_new_access(az, eo, es, &cx, NULL), IG_VERDICT_PROVED);
    assert_int_equal(ig_analyze_no_new_access(az, eo, em, &cx, NULL), IG_VERDICT_REFUTED);
    assert_true(allowed(em, &cx));
    assert_false(allowed(eo, &cx));
    ig_env_free(eo);
    ig_env_free(es);
    ig_env_free(em);
    ig_policy_free(old);
    ig_policy_free(same);
    ig_policy_free(more);
}

static void test_no_public(void **state)
{
    (void)state;
    ig_policy *pub = compile("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                             "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\"}]}", IG_POLICY_RESOURCE);
    ig_policy *org = compile("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                             "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":"
                             "{\"StringEquals\":{\"aws:PrincipalOrgID\":\"o-1234567890\"}}}]}", IG_POLICY_RESOURCE);
    ig_policy *nots = compile("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":\"*\","
                              "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::b/*\",\"Condition\":"
                              "{\"StringNotEquals\":{\"aws:PrincipalOrgID\":\"o-1234567890\"}}}]}", IG_POLICY_RESOURCE);
    ig_counterexample cx;
    assert_int_equal(ig_analyze_no_public_access(az, pub, "123456789012", NULL, &cx, NULL), IG_VERDICT_REFUTED);
    assert_string_equal(cx.action, "s3:GetObject");
    assert_int_equal(ig_analyze_no_public_access(az, org, "123456789012", NULL, &cx, NULL), IG_VERDICT_PROVED);
    assert_int_equal(ig_analyze_no_public_access(az, nots, "123456789012", NULL, &cx, NULL), IG_VERDICT_REFUTED);
    assert_int_equal(ig_analyze_no_public_access(az, pub, "123456789012", "arn:aws:s3:::c/k", &cx, NULL),
                     IG_VERDICT_PROVED);
    ig_policy_free(pub);
    ig_policy_free(org);
    ig_policy_free(nots);
}

/* ---- account exports -------------------------------------------------------------- */

static const char EXPORT[] =
    "{\"UserDetailList\":[{\"UserName\":\"u\",\"Arn\":\"arn:aws:iam::111122223333:user/u\",\"GroupList\":[\"g\"],"
    "  \"UserPolicyList\":[{\"PolicyName\":\"p\",\"PolicyDocument\":"
    "\"%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22"
    "sts%3AAssumeRole%22%2C%22Resource%22%3A%22*%22%7D%5D%7D\"}]}],"
    " \"GroupDetailList\":[{\"GroupName\":\"g\",\"Arn\":\"arn:aws:iam::111122223333:group/g\",\"GroupPolicyList\":[],"
    "  \"AttachedManagedPolicies\":[{\"PolicyName\":\"m\",\"PolicyArn\":\"arn:aws:iam::111122223333:policy/m\"}]}],"
    " \"RoleDetailList\":[{\"RoleName\":\"admin\",\"Arn\":\"arn:aws:iam::111122223333:role/admin\","
    "  \"AssumeRolePolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
    "  {\"AWS\":\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\"}]},"
    "  \"AttachedManagedPolicies\":[{\"PolicyName\":\"AdministratorAccess\",\"PolicyArn\":\"arn:aws:iam::aws:policy/AdministratorAccess\"}]}],"
    " \"Policies\":[{\"PolicyName\":\"m\",\"Arn\":\"arn:aws:iam::111122223333:policy/m\",\"DefaultVersionId\":\"v2\","
    "  \"PolicyVersionList\":[{\"VersionId\":\"v2\",\"IsDefaultVersion\":true,\"Document\":{\"Version\":\"2012-10-17\","
    "  \"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListAllMyBuckets\",\"Resource\":\"*\"}]}},"
    "  {\"VersionId\":\"v1\",\"IsDefaultVersion\":false,\"Document\":{\"Version\":\"2012-10-17\",\"Statement\":[]}}]}]}";

static void test_account_export(void **state)
{
    (void)state;
    ig_account *a = ig_account_new();
    ig_diag d;
    assert_int_equal(ig_account_load_authz(a, EXPORT, strlen(EXPORT), "export.json", &d), IG_OK);
    assert_int_equal(ig_account_principal_count(a), 3);
    long u = ig_account_find(a, "u");
    assert_true(u >= 0);
    assert_int_equal(a->p[u].ngroups, 1);
    assert_int_equal(a->m[an_account_find_managed(a, "arn:aws:iam::111122223333:policy/m")].nversions, 2);
    /* The URL-encoded inline policy and the group's managed policy both apply. */
    ig_env *e = ig_account_env(a, (size_t)u, &d);
    ig_request r1 = { .action = "sts:AssumeRole", .resource = "arn:aws:iam::111122223333:role/admin" };
    ig_request r2 = { .action = "s3:ListAllMyBuckets", .resource = "*" };
    ig_result res;
    assert_int_equal(ig_evaluate(e, &r2, 0, &res), IG_OK);
    assert_int_equal(res.decision, IG_ALLOWED);
    r1.resource_policy = a->p[ig_account_find(a, "admin")].trust;
    assert_int_equal(ig_evaluate(e, &r1, 0, &res), IG_OK);
    assert_int_equal(res.decision, IG_ALLOWED);
    ig_env_free(e);
    /* Escalation: u assumes admin. */
    char *out = NULL;
    assert_int_equal(ig_analyze_escalation(az, a, "u", IG_ANALYZE_JSON, &out, &d), IG_OK);
    assert_non_null(strstr(out, "\"method\": \"sts:AssumeRole\""));
    assert_non_null(strstr(out, "\"everything\": true"));
    /* The roles and users escalation creates do not stay in the account:
     * the same question gives the same answer. */
    size_t np = ig_account_principal_count(a);
    char *again = NULL;
    assert_int_equal(ig_analyze_escalation(az, a, "u", IG_ANALYZE_JSON, &again, &d), IG_OK);
    assert_string_equal(out, again);
    assert_int_equal(ig_account_principal_count(a), np);
    ig_free(again);
    ig_free(out);
    ig_account_free(a);
}

static void test_account_errors(void **state)
{
    (void)state;
    static const struct { const char *json, *msg; unsigned line, col; } cases[] = {
        { "{\"UserDetailList\": 3}", "must be an array", 1, 20 },
        { "{\"UserDetailList\": [{\"Arn\": \"arn:aws:iam::1:user/x\"}]}", "missing \"UserName\"", 1, 21 },
        { "{\"RoleDetailList\":[{\"RoleName\":\"r\",\"Arn\":\"arn:aws:iam::1:role/r\",\n"
          "\"AssumeRolePolicyDocument\": {\"Statement\": [{\"Effect\": \"Nope\"}]}}]}", "Effect", 2, 0 },
        { "{\"Nothing\": []}", "not an account export", 1, 1 },
        { "{\"UserDetailList\": [", "", 1, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ig_account *a = ig_account_new();
        ig_diag d;
        memset(&d, 0, sizeof d);
        int rc = ig_account_load_authz(a, cases[i].json, strlen(cases[i].json), "x.json", &d);
        assert_true(rc < 0);
        if (!strstr(d.msg, cases[i].msg))
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, d.msg, cases[i].msg);
        assert_int_equal(d.line, cases[i].line);
        if (cases[i].col)
            assert_int_equal(d.column, cases[i].col);
        ig_account_free(a);
    }
}

/* ---- soundness on random policies ----------------------------------------------- */

static unsigned rnd(unsigned *s, unsigned n)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) % n;
}

static const char *const ACTIONS[] = { "s3:GetObject", "s3:PutObject", "s3:Get*", "s3:*", "iam:PassRole",
                                       "iam:*Role*", "*" };
static const char *const RES[] = { "*", "arn:aws:s3:::a/*", "arn:aws:s3:::a*", "arn:aws:s3:::*/b",
                                   "arn:aws:iam::*:role/a*", "arn:aws:*:*:*:*", "arn:aws:s3:*" };
static const char *const REQ[] = { "arn:aws:s3:::a/x", "arn:aws:s3:::ab", "arn:aws:s3:::x/b",
                                   "arn:aws:iam::1:role/ax", "arn:aws:iam::1:role/b", "*", "arn:aws:s3:::a/b" };

static void random_policy(unsigned *s, char *out, size_t cap)
{
    size_t o = (size_t)snprintf(out, cap, "{\"Version\":\"2012-10-17\",\"Statement\":[");
    unsigned n = 1 + rnd(s, 3);
    for (unsigned i = 0; i < n; i++) {
        bool deny = rnd(s, 4) == 0, notres = rnd(s, 6) == 0, notact = rnd(s, 8) == 0;
        o += (size_t)snprintf(out + o, cap - o, "%s{\"Effect\":\"%s\",\"%s\":\"%s\",\"%s\":\"%s\"}",
                              i ? "," : "", deny ? "Deny" : "Allow", notact ? "NotAction" : "Action",
                              ACTIONS[rnd(s, 7)], notres ? "NotResource" : "Resource", RES[rnd(s, 7)]);
    }
    snprintf(out + o, cap - o, "]}");
}

static void test_soundness(void **state)
{
    (void)state;
    unsigned seed = 42;
    an_ctx *c = &az->ctx;
    static const char *const probe_actions[] = { "s3:GetObject", "s3:PutObject", "s3:ListAllMyBuckets",
                                                 "iam:PassRole", "iam:CreateRole", "ec2:RunInstances" };
    for (int it = 0; it < 2000; it++) {
        char a[2048], b[2048];
        random_policy(&seed, a, sizeof a);
        random_policy(&seed, b, sizeof b);
        ig_policy *pa = compile(a, IG_POLICY_IDENTITY);
        ig_policy *pb = rnd(&seed, 2) ? compile(b, IG_POLICY_BOUNDARY) : NULL;
        ig_env *e = env_with("arn:aws:iam::123456789012:user/u", pa, pb);
        an_ctx_reset(c);
        an_effective eff;
        assert_int_equal(an_effective_compute(c, e, NULL, &eff), IG_OK);
        for (size_t k = 0; k < sizeof probe_actions / sizeof probe_actions[0]; k++) {
            uint32_t id = ig_catalog_action_find(cat, probe_actions[k], strlen(probe_actions[k]));
            const an_group *g = an_effective_find(&eff, id);
            for (size_t r = 0; r < sizeof REQ / sizeof REQ[0]; r++) {
                /* Requests carry "*" for actions without a resource type,
                 * ARNs for those with a required one (docs/analysis.md). */
                bool is_star = !strcmp(REQ[r], "*");
                if ((c->star_only[id] == AN_U_STAR && !is_star) || (c->star_only[id] == AN_U_ARN && is_star))
                    continue;
                ig_request req = { .action = probe_actions[k], .resource = REQ[r] };
                ig_result res;
                assert_int_equal(ig_evaluate(e, &req, 0, &res), IG_OK);
                if (res.decision != IG_ALLOWED)
                    continue;
                bool star = !strcmp(REQ[r], "*");
                if (!g || !lang_expr_matches(g->any_expr, REQ[r], strlen(REQ[r]), star))
                    fail_msg("evaluator allows %s on %s, the analysis does not\nidentity %s\nboundary %s",
                             probe_actions[k], REQ[r], a, pb ? b : "none");
            }
        }
        /* Every counterexample of not-granted is allowed. */
        an_check chk;
        uint64_t *filter = ig_calloc(c->words, sizeof *filter);
        const char *bad;
        an_action_filter(c, probe_actions, 6, filter, &bad);
        assert_int_equal(an_check_not_granted(c, e, filter, NULL, NULL, 0, NULL, &chk), IG_OK);
        if (chk.verdict == IG_VERDICT_REFUTED) {
            ig_request req = { .action = chk.cx.action, .resource = chk.cx.resource };
            ig_result res;
            assert_int_equal(ig_evaluate(e, &req, 0, &res), IG_OK);
            assert_int_equal(res.decision, IG_ALLOWED);
        } else if (chk.verdict == IG_VERDICT_PROVED) {
            /* Nothing of the six is allowed: no group holds any of them. */
            for (size_t k = 0; k < 6; k++)
                assert_null(an_effective_find(&eff, ig_catalog_action_find(cat, probe_actions[k],
                                                                           strlen(probe_actions[k]))));
        }
        ig_free(filter);
        an_effective_free(&eff);
        ig_env_free(e);
        ig_policy_free(pa);
        ig_policy_free(pb);
    }
}

/* ---- bounds ------------------------------------------------------------------------ */

static void test_bounds_say_unknown(void **state)
{
    (void)state;
    /* Twenty overlapping wildcards against their negation: too many states
     * for a tiny bound -- the answer must be unknown, never proved. */
    ig_policy *p = compile(
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":"
        "\"arn:aws:s3:::*a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p*q*r*s*t*\"}]}", IG_POLICY_IDENTITY);
    ig_env *e = env_with("arn:aws:iam::123456789012:user/u", p, NULL);
    an_ctx *c = &az->ctx;
    size_t keep = c->max_states;
    c->max_states = 8;
    an_ctx_reset(c);
    uint64_t *filter = ig_calloc(c->words, sizeof *filter);
    const char *acts[] = { "s3:GetObject" }, *bad;
    an_action_filter(c, acts, 1, filter, &bad);
    an_check chk;
    assert_int_equal(an_check_not_granted(c, e, filter, NULL, NULL, 0, NULL, &chk), IG_OK);
    assert_int_not_equal(chk.verdict, IG_VERDICT_PROVED);
    c->max_states = keep;
    ig_free(filter);
    ig_env_free(e);
    ig_policy_free(p);
}

int main(int argc, char **argv)
{
    (void)argc;
    char self[4096];
    snprintf(self, sizeof self, "%s", argv[0]);
    const char *env = getenv("IAMGUARD_CATALOG");
    if (env && env[0])
        snprintf(catalog_path, sizeof catalog_path, "%s", env);
    else
        snprintf(catalog_path, sizeof catalog_path, "%s/../catalog.bin", dirname(self));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_effective_boundary),
        cmocka_unit_test(test_effective_denies_and_conditions),
        cmocka_unit_test(test_not_granted),
        cmocka_unit_test(test_clock),
        cmocka_unit_test(test_no_new_access),
        cmocka_unit_test(test_no_public),
        cmocka_unit_test(test_account_export),
        cmocka_unit_test(test_account_errors),
        cmocka_unit_test(test_soundness),
        cmocka_unit_test(test_bounds_say_unknown),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

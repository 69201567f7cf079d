/* test_check.c - scenarios (src/check): the built-in imaging-viewer example
 * loads and gives the seed's findings, explanations name the statements
 * that decided or came closest, bad scenarios are rejected with positions,
 * the XML escaping is safe, and every allocation failing in turn during
 * load and run is reported, leaks nothing and never changes a verdict. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check/check.h"

static const char *FAILING[] = {
    "guard-detach-boundary-explicitly-denied", "guard-pass-unbounded-lambda-role",
    "guard-hijack-other-function", "guard-capped-role-takes-over-other-role",
    "delete-ssm-parameters", "publish-tag-user-pool", "delete-function-role-list-attached",
    "delete-function-role-list-inline", "delete-user-pool-client-role-list-attached",
    "delete-user-pool-client-role-list-inline", "delete-idp-role-list-attached",
    "delete-idp-role-list-inline", "delete-auth-role-list-attached", "delete-auth-role-list-inline",
    "delete-unauth-role-list-attached", "delete-unauth-role-list-inline", "delete-list-parameters",
};

static const char *REFUTED[] = {
    "removal-explicitly-denied", "no-way-around-the-boundary", "developer-can-deploy",
    "developer-can-clean-up",
};

static bool listed(const char *id, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(id, list[i]))
            return true;
    return false;
}

static long find_req(const chk_scenario *s, const char *id)
{
    for (size_t i = 0; i < s->nreqs; i++)
        if (!strcmp(s->reqs[i].id, id))
            return (long)i;
    return -1;
}

static void builtin_example(void **state)
{
    (void)state;
    chk_scenario *s;
    ig_diag d;
    assert_int_equal(chk_load_builtin("imaging-viewer/scenario.yml", NULL, &s, &d), IG_OK);
    assert_true(s->builtin);
    assert_string_equal(s->name, "imaging-viewer");
    assert_int_equal(s->nreqs, 223);
    assert_int_equal(s->nskipped, 5);
    assert_string_equal(s->amplify_version, "14.3.0");
    assert_string_equal(s->amplify_selected, "14.3.0");
    assert_int_equal(s->ngroups, 8);
    assert_int_equal(s->nclaims, 10);
    assert_string_equal(s->groups[0].name, "deploy-init");
    assert_int_equal(s->groups[0].count, 21);
    assert_string_equal(s->groups[7].name, "teardown");
    assert_true(s->groups[7].sequence);
    chk_run run;
    assert_int_equal(chk_run_scenario(s, &run), IG_OK);
    assert_int_equal(run.failed, 17);
    assert_int_equal(run.passed, 206);
    for (size_t i = 0; i < s->nreqs; i++)
        assert_int_equal(run.outcomes[i].met, !listed(s->reqs[i].id, FAILING, 17));
    assert_int_equal(run.claims_held, 6);
    for (size_t c = 0; c < s->nclaims; c++)
        assert_int_equal(run.claim_holds[c], !listed(s->claims[c].id, REFUTED, 4));
    /* Every deploy request is allowed but the documented refusals and the
     * seed's missing cognito-idp:TagResource; each names its source. */
    for (size_t g = 0; g < 5; g++)
        for (size_t k = s->groups[g].first; k < s->groups[g].first + s->groups[g].count; k++) {
            const chk_request *r = &s->reqs[k];
            bool refused = !strcmp(r->id, "publish-invalidate-cache") || !strcmp(r->id, "publish-tag-user-pool") ||
                           !strcmp(r->id, "publish-deploy-bucket-log-group");
            assert_int_equal(run.outcomes[k].res.decision, refused ? IG_IMPLICIT_DENY : IG_ALLOWED);
            assert_non_null(r->source);
        }
    /* amplify delete first fails where CloudFormation lists the function
     * role's policies, and the user is told what that means. */
    size_t before, later;
    long at = chk_sequence_failure(s, &run, &s->groups[7], &before, &later);
    assert_int_equal(at, find_req(s, "delete-function-role-list-attached"));
    assert_int_equal(before, 0);
    assert_int_equal(later, 11);
    assert_non_null(strstr(s->reqs[at].if_refused, "Project delete failed."));
    chk_run_free(&run);
    chk_free(s);
}

/* --amplify-version: 12.2.3 makes the user pool client helper's calls,
 * 12.2.4 the CLI's own DescribeUserPoolClient instead. */
static void amplify_versions(void **state)
{
    (void)state;
    unsigned v[3];
    assert_true(chk_version_parse("12.2.4", v));
    assert_int_equal(v[0], 12);
    assert_int_equal(v[2], 4);
    assert_false(chk_version_parse("12.2", v));
    assert_false(chk_version_parse("12.02.4", v));
    assert_false(chk_version_parse("12.2.4 ", v));
    assert_false(chk_version_parse("1234567.0.0", v));
    assert_null(chk_range_check("<12.2.4"));
    assert_null(chk_range_check(">=10.0.0 <12.2.4"));
    assert_non_null(chk_range_check("<12.2.4  >1.0.0"));
    assert_non_null(chk_range_check(">1.0.0 <2.0.0 <3.0.0"));
    assert_non_null(chk_range_check("~12.2"));
    assert_non_null(chk_range_check(""));
    unsigned a[3] = { 12, 2, 3 }, b[3] = { 12, 2, 4 };
    assert_true(chk_range_has("<12.2.4", a));
    assert_false(chk_range_has("<12.2.4", b));
    assert_true(chk_range_has(">=10.0.0 <=12.2.4", b));
    assert_true(chk_range_has("=12.2.4", b));

    chk_options opt;
    memset(&opt, 0, sizeof opt);
    opt.amplify_version = "12.2.3";
    chk_scenario *s;
    ig_diag d;
    assert_int_equal(chk_load_builtin("imaging-viewer/scenario.yml", &opt, &s, &d), IG_OK);
    assert_int_equal(s->nreqs, 227);
    assert_int_equal(s->nskipped, 1);
    assert_true(find_req(s, "publish-create-user-pool-client-function") >= 0);
    assert_true(find_req(s, "publish-read-app-client") < 0);
    chk_free(s);
}

static void explanations(void **state)
{
    (void)state;
    chk_scenario *s;
    ig_diag d;
    assert_int_equal(chk_load_builtin("imaging-viewer/scenario.yml", NULL, &s, &d), IG_OK);
    chk_run run;
    assert_int_equal(chk_run_scenario(s, &run), IG_OK);

    /* A missing action: the statement naming its singular sibling. */
    const chk_outcome *o = &run.outcomes[find_req(s, "delete-ssm-parameters")];
    assert_int_equal(o->res.decision, IG_IMPLICIT_DENY);
    assert_int_equal(o->res.blocked_by, IG_LAYER_IDENTITY);
    assert_int_equal(o->nnotes, 1);
    assert_string_equal(o->notes[0].sid, "AmplifyCliSsmStore");
    assert_false(o->notes[0].applies);
    assert_int_equal(o->notes[0].line, 269);
    assert_int_equal(o->notes[0].column, 5);
    assert_non_null(strstr(o->notes[0].detail, "\"ssm:DeleteParameter\""));
    assert_non_null(strstr(o->fix, "if its Action also listed ssm:DeleteParameters"));

    /* A Deny whose Resource names what the request carries in a key. */
    o = &run.outcomes[find_req(s, "guard-detach-boundary-explicitly-denied")];
    assert_int_equal(o->res.decision, IG_IMPLICIT_DENY);
    assert_int_equal(o->nnotes, 1);
    assert_string_equal(o->notes[0].sid, "DenyPolicyChange");
    assert_true(o->notes[0].deny);
    assert_non_null(strstr(o->notes[0].detail, "names that in iam:PolicyARN"));

    /* Allowed through identity and boundary: both statements, the entries
     * that matched. */
    o = &run.outcomes[find_req(s, "guard-capped-role-takes-over-other-role")];
    assert_int_equal(o->res.decision, IG_ALLOWED);
    assert_int_equal(o->nnotes, 2);
    assert_string_equal(o->notes[1].sid, "AmplifyIamAuthUnauthRoles");
    assert_true(o->notes[1].applies);
    assert_non_null(strstr(o->notes[1].detail, "Resource \"arn:aws:iam::*:role/amplify-*-authRole\""));

    /* A refusal that was expected: the layer with no Allow ... */
    o = &run.outcomes[find_req(s, "guard-create-role-admin-boundary")];
    assert_true(o->met);
    assert_int_equal(o->res.blocked_by, IG_LAYER_IDENTITY);
    assert_non_null(strstr(o->why, "no statement of ImagingViewerDeveloperPolicy allows it"));
    /* ... and the closest statement, with the key it did not get. */
    assert_int_equal(o->nnotes, 1);
    assert_string_equal(o->notes[0].sid, "AmplifyCreateIamRolesWithPermissionBoundary");
    assert_non_null(strstr(o->notes[0].detail, "the request has iam:PermissionsBoundary = \"arn:aws:iam::aws:policy/AdministratorAccess\""));
    assert_int_equal(o->fix[0], '\0');
    chk_run_free(&run);
    chk_free(s);
}

static void expectations(void **state)
{
    (void)state;
    assert_true(chk_expect_met(CHK_EXPECT_ALLOWED, IG_ALLOWED));
    assert_false(chk_expect_met(CHK_EXPECT_ALLOWED, IG_IMPLICIT_DENY));
    assert_true(chk_expect_met(CHK_EXPECT_DENIED, IG_IMPLICIT_DENY));
    assert_true(chk_expect_met(CHK_EXPECT_DENIED, IG_EXPLICIT_DENY));
    assert_false(chk_expect_met(CHK_EXPECT_DENIED, IG_ALLOWED));
    assert_true(chk_expect_met(CHK_EXPECT_EXPLICIT_DENY, IG_EXPLICIT_DENY));
    assert_false(chk_expect_met(CHK_EXPECT_EXPLICIT_DENY, IG_IMPLICIT_DENY));
    assert_true(chk_expect_met(CHK_EXPECT_IMPLICIT_DENY, IG_IMPLICIT_DENY));
    assert_false(chk_expect_met(CHK_EXPECT_IMPLICIT_DENY, IG_EXPLICIT_DENY));
    assert_string_equal(chk_expect_name(CHK_EXPECT_EXPLICIT_DENY), "explicitDeny");
}

static void xml_escaping(void **state)
{
    (void)state;
    json_buf b;
    json_buf_init(&b);
    chk_xml_escape(&b, "a<b>&\"c'\x01\tz \xC3\xA9 \xFF \xED\xA0\x80 \xE2\x9C\x93");
    json_buf_append(&b, "", 1);
    assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&apos;?\tz \xC3\xA9 \xEF\xBF\xBD "
                                "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xE2\x9C\x93");
    json_buf_free(&b);
}

/* Write text to a temporary file next to the test policies. */
static char *temp_scenario(const char *text)
{
    static char path[] = "tests/check/tmp-unit-XXXXXX.yml";
    strcpy(path, "tests/check/tmp-unit-XXXXXX.yml");
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void rejects(const char *text, unsigned line, unsigned col, const char *msg_part)
{
    char *path = temp_scenario(text);
    chk_scenario *s = (chk_scenario *)1;
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = chk_load_file(path, NULL, &s, &d);
    unlink(path);
    assert_true(rc < 0);
    assert_null(s);
    assert_int_equal(d.line, line);
    assert_int_equal(d.column, col);
    if (!strstr(d.msg, msg_part))
        fail_msg("diagnostic \"%s\" lacks \"%s\"", d.msg, msg_part);
}

#define HEAD "policies:\n  P: {file: policies/reports-reader.json}\n" \
             "principals:\n  p: {arn: \"arn:aws:iam::111122223333:user/u\", identity: [P]}\n"

static void bad_scenarios(void **state)
{
    (void)state;
    rejects(HEAD "groups:\n  g:\n    principal: p\n    requests:\n      - {expect: allowed}\n",
            9, 9, "a request needs an \"action\"");
    rejects(HEAD "groups:\n  g:\n    principal: p\n    requests:\n      - {action: s3:GetObject, expect: yes}\n",
            9, 40, "\"expect\" must be allowed, denied, explicitDeny or implicitDeny");
    rejects(HEAD "groups:\n  g:\n    principal: p\n    requests:\n      - {action: s3:GetObject, expect: allowed, note: x}\n",
            9, 49, "unknown key \"note\" in a request");
    rejects(HEAD "groups:\n  g:\n    principal: p\n    requests: []\n", 7, 5, "needs a non-empty \"requests\" list");
    rejects(HEAD "groups:\n  g:\n    principal: p\n    requests:\n      - {id: \"a b\", action: s3:GetObject, expect: allowed}\n",
            9, 14, "must not contain spaces");
    rejects(HEAD "groups:\n  g:\n    principal: p\n    requests:\n      - {action: s3:GetObject, expect: allowed, context: {k: null}}\n",
            9, 62, "context values must be strings");
    rejects("policies: []\nprincipals: {}\ngroups: {}\n", 1, 11, "\"policies\" must be an object");
    rejects("- 1\n", 1, 1, "a scenario must be an object");
}

static void document_kinds(void **state)
{
    (void)state;
    assert_int_equal(chk_document_kind("examples/imaging-viewer/developer-policy.json"), CHK_DOC_POLICY);
    assert_int_equal(chk_document_kind("examples/imaging-viewer/scenario.yml"), CHK_DOC_SCENARIO);
    char *path = temp_scenario("AWSTemplateFormatVersion: \"2010-09-09\"\nResources: {}\n");
    assert_int_equal(chk_document_kind(path), CHK_DOC_TEMPLATE);
    unlink(path);
    assert_int_equal(chk_document_kind("no/such/file.yml"), CHK_DOC_SCENARIO);
}

/* ---- fault injection ---- */

#include "fault_alloc.h"

/* Load and run tests/check/fail.yml; the verdicts as a string of 0/1, or
 * "" when loading failed. */
static void run_once(char *out, size_t cap)
{
    out[0] = '\0';
    chk_scenario *s;
    ig_diag d;
    if (chk_load_file("tests/check/fail.yml", NULL, &s, &d) != IG_OK)
        return;
    chk_run run;
    if (chk_run_scenario(s, &run) == IG_OK) {
        size_t n = 0;
        for (size_t i = 0; i < s->nreqs && n + 1 < cap; i++)
            out[n++] = (char)('0' + run.outcomes[i].met + 2 * (int)run.outcomes[i].res.decision);
        out[n] = '\0';
        chk_run_free(&run);
    }
    chk_free(s);
}

static void allocation_failures(void **state)
{
    (void)state;
    char base[64], got[64];
    run_once(base, sizeof base);
    assert_int_equal(strlen(base), 5);
    ig_set_allocator(&FAULTY);
    memset(&fs, 0, sizeof fs);
    run_once(got, sizeof got);
    long total = fs.count;
    assert_true(total > 100);     /* the run's probes allocate too */
    print_message("%ld allocations, each failing once\n", total);
    for (long k = 1; k <= total; k++) {
        memset(&fs, 0, sizeof fs);
        fs.fail_at = k;
        run_once(got, sizeof got);
        if (fs.live != 0) {
            ig_set_allocator(NULL);
            fail_msg("allocation %ld of %ld failing leaks %ld blocks", k, total, fs.live);
        }
        /* Either an error (nothing reported) or exactly the verdicts. */
        if (got[0] && strcmp(got, base)) {
            ig_set_allocator(NULL);
            fail_msg("allocation %ld failing changed the verdicts: %s vs %s", k, got, base);
        }
    }
    ig_set_allocator(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtin_example),
        cmocka_unit_test(amplify_versions),
        cmocka_unit_test(explanations),
        cmocka_unit_test(expectations),
        cmocka_unit_test(xml_escaping),
        cmocka_unit_test(bad_scenarios),
        cmocka_unit_test(document_kinds),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

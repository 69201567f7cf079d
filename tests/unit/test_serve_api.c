/* test_serve_api.c - the handlers of `iamguard serve` without sockets:
 * the Query API, /v1/authorize, /v1/simulate, metrics, and policy-set
 * reloads racing with readers (run under ASan by `make test`, which makes
 * a use-after-free of a retired generation fail loudly). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awssim/awssim.h"
#include "serve/serve.h"

#define SETS "tests/serve/policies"
#define SIG "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, " \
            "SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000"

static serve_store store;
static serve_ctx ctx;

static int setup(void **state)
{
    (void)state;
    ig_diag d;
    memset(&d, 0, sizeof d);
    if (serve_store_init(&store, SETS, &d) != IG_OK) {
        print_error("cannot load %s: %s\n", SETS, d.msg);
        return -1;
    }
    ctx = (serve_ctx){ .store = &store, .metrics = serve_metrics_new(),
                       .limits = { .max_body = 1 << 20, .max_batch = 1000 } };
    return ctx.metrics ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    serve_metrics_free(ctx.metrics);
    serve_store_destroy(&store);
    return 0;
}

static void query(const char *body, serve_reply *r)
{
    serve_reply_init(r);
    strcpy(r->request_id, "test-request-id");
    query_handle(&ctx, "application/x-www-form-urlencoded; charset=utf-8", SIG, body, strlen(body), r);
    assert_false(r->body.failed);
}

static void assert_has(const serve_reply *r, const char *needle)
{
    if (!r->body.data || !strstr(r->body.data, needle))
        print_error("no \"%s\" in:\n%s\n", needle, r->body.data ? r->body.data : "(empty)");
    assert_non_null(r->body.data);
    assert_non_null(strstr(r->body.data, needle));
}

#define POLICY "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C" \
               "%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2F%2A%22%7D%5D%7D"

static void test_custom_policy(void **state)
{
    (void)state;
    serve_reply r;
    query("Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=" POLICY
          "&ActionNames.member.1=s3%3AGetObject&ActionNames.member.2=s3%3APutObject"
          "&ResourceArns.member.1=arn%3Aaws%3As3%3A%3A%3Ab%2Fk", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.content_type, "text/xml");
    assert_has(&r, "<SimulateCustomPolicyResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">");
    assert_has(&r, "<EvalActionName>s3:GetObject</EvalActionName><EvalResourceName>arn:aws:s3:::b/k</EvalResourceName>"
                   "<EvalDecision>allowed</EvalDecision><MatchedStatements><member><SourcePolicyId>PolicyInputList.1</SourcePolicyId>"
                   "<SourcePolicyType>IAM Policy</SourcePolicyType><StartPosition><Line>1</Line><Column>38</Column></StartPosition>");
    assert_has(&r, "<EvalActionName>s3:PutObject</EvalActionName><EvalResourceName>arn:aws:s3:::b/k</EvalResourceName>"
                   "<EvalDecision>implicitDeny</EvalDecision><MatchedStatements></MatchedStatements>");
    assert_has(&r, "<EvalDecisionDetails></EvalDecisionDetails><ResourceSpecificResults><member>");
    assert_has(&r, "<IsTruncated>false</IsTruncated>");
    assert_has(&r, "<RequestId>test-request-id</RequestId>");
    assert_int_equal(r.decisions[IG_ALLOWED], 1);
    assert_int_equal(r.decisions[IG_IMPLICIT_DENY], 1);
    serve_reply_free(&r);
}

static void test_paging(void **state)
{
    (void)state;
    serve_reply r;
    const char *base = "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=" POLICY
                       "&ActionNames.member.1=s3%3AGetObject&ActionNames.member.2=s3%3APutObject"
                       "&ActionNames.member.3=s3%3AListBucket&MaxItems=2";
    query(base, &r);
    assert_int_equal(r.status, 200);
    assert_has(&r, "<IsTruncated>true</IsTruncated><Marker>2</Marker>");
    assert_null(strstr(r.body.data, "s3:ListBucket"));
    serve_reply_free(&r);
    char next[1024];
    snprintf(next, sizeof next, "%s&Marker=2", base);
    query(next, &r);
    assert_has(&r, "<EvalActionName>s3:ListBucket</EvalActionName><EvalResourceName>*</EvalResourceName>");
    assert_has(&r, "<IsTruncated>false</IsTruncated></SimulateCustomPolicyResult>");
    serve_reply_free(&r);
}

static void test_context_entries(void **state)
{
    (void)state;
    serve_reply r;
    /* the context entry parameters in reverse order: order never matters */
    query("ContextEntries.member.1.ContextKeyValues.member.2=10.0.0.1&ContextEntries.member.1.ContextKeyType=ipList"
          "&ContextEntries.member.1.ContextKeyValues.member.1=192.168.1.1&ContextEntries.member.1.ContextKeyName=aws%3ASourceIp"
          "&ActionNames.member.1=s3%3AGetObject&PolicyInputList.member.1=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A"
          "%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%2C%22Condition%22%3A"
          "%7B%22ForAnyValue%3AIpAddress%22%3A%7B%22aws%3ASourceIp%22%3A%2210.0.0.0%2F8%22%7D%2C%22StringEquals%22%3A%7B%22aws%3Auserid%22%3A%22x%22%7D%7D%7D%5D%7D"
          "&Version=2010-05-08&Action=SimulateCustomPolicy", &r);
    assert_int_equal(r.status, 200);
    /* aws:userid is not given: implicit deny, and it is reported missing */
    assert_has(&r, "<EvalDecision>implicitDeny</EvalDecision>");
    assert_has(&r, "<MissingContextValues><member>aws:userid</member></MissingContextValues>");
    serve_reply_free(&r);
}

static void test_principal_policy(void **state)
{
    (void)state;
    serve_reply r;
    query("Action=SimulatePrincipalPolicy&Version=2010-05-08"
          "&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Famplify-imagingviewer-dev-authRole"
          "&ActionNames.member.1=medical-imaging%3AGetImageSet&ActionNames.member.2=medical-imaging%3ADeleteImageSet", &r);
    assert_int_equal(r.status, 200);
    assert_has(&r, "<SimulatePrincipalPolicyResponse xmlns=");
    assert_has(&r, "<EvalDecision>allowed</EvalDecision><MatchedStatements><member><SourcePolicyId>AuthRoleRead</SourcePolicyId>");
    assert_has(&r, "<SourcePolicyId>ImagingViewerPermissionsBoundary</SourcePolicyId>");
    serve_reply_free(&r);
    /* a boundary passed in replaces the set's: nothing allowed now */
    query("Action=SimulatePrincipalPolicy&Version=2010-05-08"
          "&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Famplify-imagingviewer-dev-authRole"
          "&PermissionsBoundaryPolicyInputList.member.1=%7B%22Statement%22%3A%5B%5D%7D"
          "&ActionNames.member.1=medical-imaging%3AGetImageSet", &r);
    assert_has(&r, "<EvalDecision>implicitDeny</EvalDecision>");
    assert_has(&r, "<AllowedByPermissionsBoundary>false</AllowedByPermissionsBoundary>");
    serve_reply_free(&r);
    query("Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn%3Aaws%3Aiam%3A%3A1%3Auser%2Fnobody"
          "&ActionNames.member.1=s3%3AGetObject", &r);
    assert_int_equal(r.status, 404);
    assert_has(&r, "<Code>NoSuchEntity</Code>");
    serve_reply_free(&r);
}

static void test_query_errors(void **state)
{
    (void)state;
    static const struct { const char *body; int status; const char *code; } cases[] = {
        { "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=%7B&ActionNames.member.1=s3%3AGetObject",
          400, "<Code>InvalidInput</Code><Message>PolicyInputList.1:1:2: error:" },
        { "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=" POLICY "&ActionNames.member.1=s3",
          400, "<Code>ValidationError</Code>" },
        { "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=" POLICY
          "&ActionNames.member.1=s3%3AGetObject&ResourcePolicy=%7B%7D", 400, "CallerArn is required with ResourcePolicy" },
        { "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=" POLICY
          "&ActionNames.member.1=s3%3AGetObject&ResourceOwner=123", 400, "ResourceOwner must be arn:aws:iam::ACCOUNT:root" },
        { "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=" POLICY
          "&ActionNames.member.1=s3%3AGetObject&ResourceHandlingOption=EC2-Mars", 400, "ResourceHandlingOption" },
        { "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=" POLICY
          "&ActionNames.member.1=s3%3AGetObject&ContextEntries.member.1.ContextKeyType=string", 400, "needs a ContextKeyName" },
        { "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=" POLICY
          "&ActionNames.member.1=s3%3AGetObject&ContextEntries.member.1.ContextKeyName=aws%3Ax"
          "&ContextEntries.member.1.ContextKeyValues.member.2=v", 400, "ContextKeyValues.member.1 is missing" },
        { "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=" POLICY
          "&ActionNames.member.1=s3%3AGetObject&PermissionsBoundaryPolicyInputList.member.1=%7B%7D"
          "&PermissionsBoundaryPolicyInputList.member.2=%7B%7D", 400, "at most one policy" },
        { "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList=x", 400, "is a list" },
        { "Action=SimulateCustomPolicy&Version=2010-05-08&PolicyInputList.member.1=%7B&PolicyInputList.member.2=a"
          "&PolicyInputList.member.65=b", 400, "members are numbered 1 to 64" },
        { "Action=SimulatePrincipalPolicy&Version=2010-05-08&ActionNames.member.1=s3%3AGetObject", 400, "policySourceArn" },
        { "Action=ListUsers&Version=2010-05-08", 400, "<Code>InvalidAction</Code>" },
        { "Action=SimulateCustomPolicy", 400, "<Code>MissingParameter</Code>" },
        { "a=%", 404, "<Code>MalformedQueryString</Code>" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        serve_reply r;
        query(cases[i].body, &r);
        if (r.status != cases[i].status) print_error("case %zu: status %d\n%s\n", i, r.status, r.body.data);
        assert_int_equal(r.status, cases[i].status);
        assert_has(&r, cases[i].code);
        assert_has(&r, "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>");
        assert_has(&r, "<RequestId>test-request-id</RequestId></ErrorResponse>");
        assert_int_equal(r.decisions[0] + r.decisions[1] + r.decisions[2], 0);
        serve_reply_free(&r);
    }
    serve_reply r;
    serve_reply_init(&r);
    query_handle(&ctx, NULL, NULL, "", 0, &r);
    assert_int_equal(r.status, 403);
    serve_reply_free(&r);
    serve_reply_init(&r);
    query_handle(&ctx, "application/json", SIG, "{}", 2, &r);
    assert_int_equal(r.status, 400);
    serve_reply_free(&r);
}

static void authorize(const char *body, serve_reply *r)
{
    serve_reply_init(r);
    api_authorize(&ctx, body, strlen(body), r);
    assert_false(r->body.failed);
}

static void test_authorize(void **state)
{
    (void)state;
    serve_reply r;
    authorize("{\"policySet\":\"developer\",\"action\":\"s3:GetObject\",\"resource\":\"arn:aws:s3:::x/y\"}", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body.data, "{\"decision\":\"allowed\",\"blockedBy\":null}\n");
    serve_reply_free(&r);
    authorize("{\"policySet\":\"developer\",\"requests\":[{\"action\":\"s3:GetObject\"},{\"action\":\"ec2:RunInstances\"},"
              "{\"action\":\"iam:PassRole\",\"resource\":\"arn:aws:iam::123456789012:role/xLambdaRole\",\"context\":{\"iam:PassedToService\":\"lambda.amazonaws.com\"}}]}", &r);
    assert_int_equal(r.status, 200);
    assert_has(&r, "\"results\":[{\"decision\":\"allowed\",\"blockedBy\":null},{\"decision\":\"implicitDeny\",\"blockedBy\":\"identity\"},"
                   "{\"decision\":\"allowed\",\"blockedBy\":null}]");
    serve_reply_free(&r);
    static const struct { const char *body; int status; const char *needle; } bad[] = {
        { "{\"policySet\":\"nope\",\"action\":\"s3:GetObject\"}", 404, "\"code\":\"unknown_policy_set\"" },
        { "{\"action\":\"s3:GetObject\"}", 400, "(a string naming a policy set)" },
        { "{\"policySet\":\"developer\"}", 400, "needs an \\\"action\\\"" },
        { "{\"policySet\":\"developer\",\"action\":\"\"}", 400, "non-empty" },
        { "{\"policySet\":\"developer\",\"action\":\"a:b\",\"explain\":1}", 400, "must be true or false" },
        { "{\"policySet\":\"developer\",\"requests\":{}}", 400, "must be an array" },
        { "{\"policySet\":\"developer\",\"requests\":[],\"x\":1}", 400, "unknown key \\\"x\\\" in a batch" },
        { "{\"policySet\":\"developer\",\"action\":\"a:b\",\"resourcePolicy\":\"none\"}", 400, "no resource policy named" },
        { "{\"policySet\":\"developer\",\"action\":\"a:b\",\"context\":{\"k\":null}}", 400, "got null" },
        { "[1]", 400, "must be a JSON object" },
        { "{\"policySet\":", 400, "malformed_json" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        authorize(bad[i].body, &r);
        if (r.status != bad[i].status) print_error("case %zu: %d %s\n", i, r.status, r.body.data);
        assert_int_equal(r.status, bad[i].status);
        assert_has(&r, bad[i].needle);
        serve_reply_free(&r);
    }
    /* batch limit */
    json_buf b;
    json_buf_init(&b);
    json_buf_puts(&b, "{\"policySet\":\"developer\",\"requests\":[");
    for (int i = 0; i < 1001; i++) json_buf_puts(&b, i ? ",{\"action\":\"s3:GetObject\"}" : "{\"action\":\"s3:GetObject\"}");
    json_buf_puts(&b, "]}");
    authorize(b.data, &r);
    assert_int_equal(r.status, 413);
    serve_reply_free(&r);
    json_buf_free(&b);
}

static void test_simulate(void **state)
{
    (void)state;
    serve_reply r;
    const char *doc = "{\"principal\":{\"arn\":\"arn:aws:iam::1:user/u\"},\"policies\":{\"identity\":[{\"id\":\"p\",\"document\":"
                      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"S\",\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}}]},"
                      "\"requests\":[{\"action\":\"s3:GetObject\"}]}";
    serve_reply_init(&r);
    api_simulate(&ctx, doc, strlen(doc), &r);
    assert_int_equal(r.status, 200);
    assert_has(&r, "{\"results\":[{\"action\":\"s3:GetObject\",\"resource\":\"*\",\"decision\":\"allowed\"");
    assert_has(&r, "\"sid\":\"S\",\"file\":\"<request>\"");
    serve_reply_free(&r);
    static const char *const refs[] = {
        "{\"principal\":{\"anonymous\":true},\"requestsFile\":\"/etc/passwd\"}",
        "{\"principal\":{\"anonymous\":true},\"policies\":{\"identity\":[{\"file\":\"/etc/passwd\"}]},\"requests\":[]}",
        "{\"principal\":{\"anonymous\":true},\"policies\":{\"resource\":{\"file\":\"x\"}},\"requests\":[]}",
        "{\"principal\":{\"anonymous\":true},\"policies\":{\"scps\":[[{\"file\":\"x\"}]]},\"requests\":[]}",
        "{\"principal\":{\"anonymous\":true},\"policies\":{\"resourcePolicies\":{\"r\":{\"file\":\"x\"}}},\"requests\":[]}",
    };
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        serve_reply_init(&r);
        api_simulate(&ctx, refs[i], strlen(refs[i]), &r);
        assert_int_equal(r.status, 400);
        assert_has(&r, "cannot refer to files");
        serve_reply_free(&r);
    }
}

static void test_lint_without_catalog(void **state)
{
    (void)state;
    serve_reply r;
    serve_reply_init(&r);
    api_lint(&ctx, NULL, "{}", 2, &r);
    assert_int_equal(r.status, 503);
    assert_has(&r, "\"code\":\"no_catalog\"");
    serve_reply_free(&r);
}

static void test_metrics(void **state)
{
    (void)state;
    unsigned long d[3] = { 1, 2, 3 };
    serve_metrics_observe(ctx.metrics, ROUTE_AUTHORIZE, 200, 0.0003, d);
    serve_metrics_observe(ctx.metrics, ROUTE_QUERY, 418, 20.0, d);
    serve_reply r;
    serve_reply_init(&r);
    api_metrics(&ctx, &r);
    assert_has(&r, "iamguard_http_requests_total{route=\"authorize\",status=\"200\"} 1\n");
    assert_has(&r, "iamguard_http_requests_total{route=\"query\",status=\"other\"} 1\n");
    assert_has(&r, "iamguard_decisions_total{decision=\"allowed\"} 6\n");
    assert_has(&r, "iamguard_http_request_duration_seconds_bucket{route=\"authorize\",le=\"0.00025\"} 0\n");
    assert_has(&r, "iamguard_http_request_duration_seconds_bucket{route=\"authorize\",le=\"0.0005\"} 1\n");
    assert_has(&r, "iamguard_http_request_duration_seconds_bucket{route=\"query\",le=\"10\"} 0\n");
    assert_has(&r, "iamguard_http_request_duration_seconds_bucket{route=\"query\",le=\"+Inf\"} 1\n");
    assert_has(&r, "iamguard_policy_sets 2\n");
    serve_reply_free(&r);
}

/* Readers evaluate while the main thread publishes new generations; every
 * answer must stay right and ASan must see no retired set being read. */
static atomic_int stop_readers;
static atomic_int wrong_answers;

static void *reader(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000 && !atomic_load(&stop_readers); i++) {
        serve_reply r;
        const char *body = "{\"policySet\":\"developer\",\"requests\":[{\"action\":\"s3:GetObject\"},{\"action\":\"ec2:RunInstances\"}]}";
        serve_reply_init(&r);
        api_authorize(&ctx, body, strlen(body), &r);
        if (r.status != 200 || r.decisions[IG_ALLOWED] != 1 || r.decisions[IG_IMPLICIT_DENY] != 1)
            atomic_fetch_add(&wrong_answers, 1);
        serve_reply_free(&r);
    }
    return NULL;
}

static void test_reload_under_load(void **state)
{
    (void)state;
    pthread_t t[3];
    for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&t[i], NULL, reader, NULL), 0);
    unsigned long before = store.generation;
    for (int i = 0; i < 20; i++) {
        ig_diag d;
        assert_int_equal(serve_store_reload(&store, &d), IG_OK);
    }
    atomic_store(&stop_readers, 1);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    assert_int_equal(atomic_load(&wrong_answers), 0);
    assert_int_equal(store.generation, before + 20);
    serve_sets *s = serve_store_acquire(&store);
    assert_int_equal(atomic_load(&s->refs), 2);         /* the store's and ours */
    serve_sets_release(s);
}

static void test_bad_directory(void **state)
{
    (void)state;
    serve_sets *s;
    ig_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(serve_sets_load("tests/serve/no-such-dir", 1, &s, &d), IG_E_IO);
    assert_null(s);
    /* a directory whose files are not policy sets: refused as a whole */
    memset(&d, 0, sizeof d);
    assert_true(serve_sets_load("tests/serve", 1, &s, &d) != IG_OK);
    assert_null(s);
    assert_true(d.msg[0] != '\0');
}

static void test_awssim_details(void **state)
{
    (void)state;
    awssim *sim = awssim_new();
    ig_diag d;
    assert_int_equal(awssim_set_caller(sim, NULL, NULL, false, &AWSSIM_QUERY_NAMES, &d), IG_OK);
    assert_string_equal(ig_env_principal_arn(awssim_env(sim)), "arn:aws:iam::123456789012:user/SimulatedCaller");
    const char *p = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
    assert_int_equal(awssim_add_policy(sim, IG_POLICY_IDENTITY, p, strlen(p), NULL, &d), IG_OK);
    ig_request rq;
    ig_result res;
    bool present;
    const char *k[2], *v[2];
    awssim_request(sim, "s3:GetObject", "*", &rq);
    ig_evaluate(awssim_env(sim), &rq, IG_EVAL_EXPLAIN, &res);
    assert_int_equal(awssim_decision_details(sim, &rq, &res, &present, k, v), 0);
    assert_false(present);
    awssim_request(sim, "s3:GetObject", "arn:aws:s3:::b/k", &rq);       /* no account: same */
    ig_evaluate(awssim_env(sim), &rq, IG_EVAL_EXPLAIN, &res);
    assert_int_equal(awssim_decision_details(sim, &rq, &res, &present, k, v), 0);
    assert_true(present);
    awssim_request(sim, "sqs:SendMessage", "arn:aws:sqs:us-east-1:999999999999:q", &rq);
    ig_evaluate(awssim_env(sim), &rq, IG_EVAL_EXPLAIN, &res);
    assert_int_equal(res.decision, IG_IMPLICIT_DENY);
    assert_int_equal(awssim_decision_details(sim, &rq, &res, &present, k, v), 1);
    assert_string_equal(k[0], "IAM Policy");
    const char *vals[2] = { "a", "b" };
    assert_int_equal(awssim_add_context(sim, "aws:x", vals, 2, "string", 6, &d), IG_E_INPUT);
    assert_string_equal(d.msg, "ContextKeyType is not a list type but aws:x has several values");
    assert_int_equal(awssim_add_context(sim, "aws:x", vals, 2, "stringList", 10, &d), IG_OK);
    assert_int_equal(awssim_check_action("s3:Get*", &AWSSIM_QUERY_NAMES, &d), IG_E_INPUT);
    assert_string_equal(d.msg, "ActionNames takes action names without wildcards, got \"s3:Get*\"");
    awssim_free(sim);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_custom_policy),
        cmocka_unit_test(test_paging),
        cmocka_unit_test(test_context_entries),
        cmocka_unit_test(test_principal_policy),
        cmocka_unit_test(test_query_errors),
        cmocka_unit_test(test_authorize),
        cmocka_unit_test(test_simulate),
        cmocka_unit_test(test_lint_without_catalog),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_reload_under_load),
        cmocka_unit_test(test_bad_directory),
        cmocka_unit_test(test_awssim_details),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}

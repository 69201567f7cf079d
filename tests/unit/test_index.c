/* test_index.c - the per-policy action index (src/policy/index.c), seen
 * through decisions: every action pattern of a statement must still be
 * found however many services, patterns and wildcard statements a policy
 * has, and whichever entry point decides. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iamguard.h"

typedef struct {
    char *buf;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char tmp[512];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof tmp);
    if (t->len + (size_t)n + 1 > t->cap) {
        t->cap = (t->len + (size_t)n + 1) * 2;
        t->buf = realloc(t->buf, t->cap);
        assert_non_null(t->buf);
    }
    memcpy(t->buf + t->len, tmp, (size_t)n + 1);
    t->len += (size_t)n;
}

/* Decide `action` on "*" for a user with policy p, both ways; they agree. */
static ig_decision decide(const ig_policy *p, const char *action)
{
    ig_diag d;
    ig_env *env = ig_env_new();
    assert_non_null(env);
    assert_int_equal(ig_env_set_principal_arn(env, "arn:aws:iam::111122223333:user/u", NULL, &d), IG_OK);
    assert_int_equal(ig_env_add_identity(env, p), IG_OK);
    ig_request rq = { .action = action, .resource = "*" };
    ig_result a, b, c;
    assert_int_equal(ig_evaluate(env, &rq, IG_EVAL_EXPLAIN, &a), IG_OK);
    ig_prepared *pr;
    assert_int_equal(ig_request_prepare(&rq, &pr, &d), IG_OK);
    assert_int_equal(ig_evaluate_prepared(env, pr, 0, &b), IG_OK);
    assert_int_equal(ig_evaluate_prepared(env, pr, IG_EVAL_EXPLAIN, &c), IG_OK);
    assert_int_equal(a.decision, b.decision);
    assert_int_equal(a.decision, c.decision);
    assert_int_equal(a.nmatched, c.nmatched);
    ig_prepared_free(pr);
    ig_env_free(env);
    return a.decision;
}

static ig_policy *compile(const text *t)
{
    ig_diag d;
    ig_policy *p = ig_policy_compile(t->buf, t->len, IG_POLICY_IDENTITY, "p", NULL, &d);
    if (!p)
        fprintf(stderr, "%s\n", d.msg);
    assert_non_null(p);
    return p;
}

/* 300 services (the service table starts at 64 slots and grows), after a
 * NotAction statement that is in every bucket, with literals and
 * wildcards of one service mixed in one statement. */
static void test_many_services_and_wild_statements(void **state)
{
    (void)state;
    text t = { 0 };
    put(&t, "{\"Version\":\"2012-10-17\",\"Statement\":[");
    put(&t, "{\"Effect\":\"Deny\",\"NotAction\":[\"svc0:*\",\"svc1:Keep\"],\"Resource\":\"*\","
            "\"Condition\":{\"Bool\":{\"aws:ViaAWSService\":\"true\"}}},");
    put(&t, "{\"Effect\":\"Allow\",\"Action\":[");
    for (int i = 0; i < 300; i++)
        put(&t, "%s\"svc%d:Get%d\",\"svc%d:List*\"", i ? "," : "", i, i, i);
    put(&t, ",\"svc7:Put?\"],\"Resource\":\"*\"},");
    put(&t, "{\"Effect\":\"Allow\",\"NotAction\":[");      /* wild: in every bucket */
    for (int i = 0; i < 300; i++)
        put(&t, "\"svc%d:*\",", i);
    put(&t, "\"other:Get*\"],\"Resource\":\"*\"}]}");
    ig_policy *p = compile(&t);
    char action[64];
    for (int i = 0; i < 300; i++) {
        snprintf(action, sizeof action, "svc%d:Get%d", i, i);
        assert_int_equal(decide(p, action), IG_ALLOWED);
        snprintf(action, sizeof action, "SVC%d:get%d", i, i);      /* case-insensitive */
        assert_int_equal(decide(p, action), IG_ALLOWED);
        snprintf(action, sizeof action, "svc%d:Get%d", i, i + 1);   /* another literal */
        assert_int_equal(decide(p, action), IG_IMPLICIT_DENY);
        snprintf(action, sizeof action, "svc%d:ListThings", i);
        assert_int_equal(decide(p, action), IG_ALLOWED);
        snprintf(action, sizeof action, "svc%d:DescribeIt", i);     /* excluded by NotAction */
        assert_int_equal(decide(p, action), IG_IMPLICIT_DENY);
    }
    assert_int_equal(decide(p, "svc7:PutX"), IG_ALLOWED);
    assert_int_equal(decide(p, "svc7:PutXY"), IG_IMPLICIT_DENY);
    assert_int_equal(decide(p, "other:GetThing"), IG_IMPLICIT_DENY);   /* no bucket */
    assert_int_equal(decide(p, "other:DescribeThing"), IG_ALLOWED);    /* the NotAction Allow */
    ig_policy_free(p);
    free(t.buf);
}

/* One statement naming a service many times, literals and wildcards
 * interleaved with other services: each must be found. */
static void test_interleaved_patterns(void **state)
{
    (void)state;
    text t = { 0 };
    put(&t, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[");
    for (int i = 0; i < 40; i++)
        put(&t, "%s\"s3:Op%d\",\"iam:Op%d*\",\"s3:W%d*\"", i ? "," : "", i, i, i);
    put(&t, "],\"Resource\":\"*\"}]}");
    ig_policy *p = compile(&t);
    char action[64];
    for (int i = 0; i < 40; i++) {
        snprintf(action, sizeof action, "s3:Op%d", i);
        assert_int_equal(decide(p, action), IG_ALLOWED);
        snprintf(action, sizeof action, "s3:W%dsuffix", i);
        assert_int_equal(decide(p, action), IG_ALLOWED);
        snprintf(action, sizeof action, "iam:Op%dsuffix", i);
        assert_int_equal(decide(p, action), IG_ALLOWED);
        snprintf(action, sizeof action, "iam:W%d", i);
        assert_int_equal(decide(p, action), IG_IMPLICIT_DENY);
    }
    ig_policy_free(p);
    free(t.buf);
}

/* Allow-everything policies are decided at once without explanations;
 * a Deny anywhere turns the shortcut off. */
static void test_allow_everything_shortcut(void **state)
{
    (void)state;
    text t = { 0 };
    put(&t, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\","
            "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"s3:Delete*\",\"Resource\":\"*\"}]}");
    ig_policy *p = compile(&t);
    assert_int_equal(decide(p, "s3:GetObject"), IG_ALLOWED);
    assert_int_equal(decide(p, "s3:DeleteObject"), IG_EXPLICIT_DENY);
    ig_policy_free(p);
    free(t.buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_services_and_wild_statements),
        cmocka_unit_test(test_interleaved_patterns),
        cmocka_unit_test(test_allow_everything_shortcut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

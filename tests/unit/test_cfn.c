/* test_cfn.c - unit tests for the CloudFormation reader and renderer.
 *
 * Each test loads a small template and checks what CloudFormation would
 * produce: resolved documents (compared as compact JSON), names and ARNs,
 * attachments, and for bad templates the exact diagnostic with its
 * line:column and path. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfn/cfn.h"
#include "cfn/render.h"
#include "examples/examples.h"
#include "json/json.h"

/* ---- helpers ------------------------------------------------------------- */

static cfn_template *load_p(const char *text, const cfn_params *params)
{
    cfn_template *t = NULL;
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = cfn_load_text(text, strlen(text), "t.yml", params, &t, &d);
    if (rc != IG_OK) {
        char buf[1024];
        print_error("unexpected: %s\n", ig_diag_format(&d, buf, sizeof buf));
    }
    assert_int_equal(rc, IG_OK);
    assert_non_null(t);
    return t;
}

static cfn_template *load(const char *text)
{
    return load_p(text, NULL);
}

/* Loading must fail with exactly "t.yml:LINE:COL: error: MSG". */
static void expect_fail_p(const char *text, const cfn_params *params, const char *want)
{
    cfn_template *t = NULL;
    ig_diag d;
    memset(&d, 0, sizeof d);
    int rc = cfn_load_text(text, strlen(text), "t.yml", params, &t, &d);
    assert_true(rc < 0);
    assert_null(t);
    char buf[1024];
    ig_diag_format(&d, buf, sizeof buf);
    if (strcmp(buf, want))
        print_error("got:  %s\nwant: %s\n", buf, want);
    assert_string_equal(buf, want);
}

static void expect_fail(const char *text, const char *want)
{
    expect_fail_p(text, NULL, want);
}

/* The template has a note "LINE:COL: MSG" of that kind. */
static void expect_note(const cfn_template *t, cfn_note_kind kind, const char *want)
{
    char buf[1024];
    for (size_t i = 0; i < t->nnotes; i++) {
        snprintf(buf, sizeof buf, "%u:%u: %s", t->notes[i].line, t->notes[i].column,
                 t->notes[i].msg);
        if (t->notes[i].kind == kind && !strcmp(buf, want))
            return;
    }
    for (size_t i = 0; i < t->nnotes; i++)
        print_error("note: %u:%u: %s\n", t->notes[i].line, t->notes[i].column, t->notes[i].msg);
    print_error("want: %s\n", want);
    fail();
}

static char *to_json(const json_value *v)
{
    json_buf b;
    json_buf_init(&b);
    json_writer w;
    jw_init(&w, &b, false);
    jw_value(&w, v);
    assert_false(b.failed);
    return b.data;
}

static const cfn_policy *policy(const cfn_template *t, const char *name)
{
    const cfn_policy *p = cfn_find_policy(t, name);
    if (!p)
        print_error("no policy %s\n", name);
    assert_non_null(p);
    return p;
}

/* The resolved document of `name` must be exactly `want` (compact JSON). */
static void expect_doc(const cfn_template *t, const char *name, const char *want)
{
    char *got = to_json(policy(t, name)->document);
    if (strcmp(got, want))
        print_error("got:  %s\nwant: %s\n", got, want);
    assert_string_equal(got, want);
    free(got);
}

static const cfn_principal *principal(const cfn_template *t, const char *logical_id)
{
    for (size_t i = 0; i < t->nprincipals; i++)
        if (!strcmp(t->principals[i].logical_id, logical_id))
            return &t->principals[i];
    print_error("no principal %s\n", logical_id);
    fail();
    return NULL;
}

static bool has_policy(const cfn_template *t, const cfn_principal *p, const char *name)
{
    for (size_t i = 0; i < p->npolicies; i++)
        if (!strcmp(t->policies[p->policies[i]].name, name))
            return true;
    return false;
}

#define ROLE_TRUST \
    "      AssumeRolePolicyDocument:\n" \
    "        Version: 2012-10-17\n" \
    "        Statement:\n" \
    "          - Effect: Allow\n" \
    "            Principal: {Service: lambda.amazonaws.com}\n" \
    "            Action: sts:AssumeRole\n"

/* ---- intrinsic functions -------------------------------------------------- */

static void test_ref_short_and_long(void **state)
{
    (void)state;
    cfn_template *t = load(
        "Parameters:\n"
        "  Bucket: {Type: String, Default: my-bucket}\n"
        "Resources:\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      ManagedPolicyName: p\n"
        "      PolicyDocument:\n"
        "        Version: 2012-10-17\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Action: s3:GetObject\n"
        "            Resource:\n"
        "              - !Ref Bucket\n"
        "              - Ref: Bucket\n"
        "              - {\"Ref\": \"AWS::AccountId\"}\n");
    expect_doc(t, "p", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
               "\"Action\":\"s3:GetObject\",\"Resource\":[\"my-bucket\",\"my-bucket\","
               "\"123456789012\"]}]}");
    cfn_free(t);
}

static void test_sub_both_forms(void **state)
{
    (void)state;
    cfn_params params = { .account = "111122223333", .region = "eu-west-1",
                          .stack_name = "st" };
    cfn_template *t = load_p(
        "Parameters:\n"
        "  Env: {Type: String, Default: dev}\n"
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      RoleName: !Sub \"app-${Env}\"\n"
        ROLE_TRUST
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      ManagedPolicyName: p\n"
        "      PolicyDocument:\n"
        "        Version: 2012-10-17\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Action: s3:GetObject\n"
        "            Resource:\n"
        "              - !Sub \"arn:${AWS::Partition}:s3:::${Env}-${AWS::Region}-${AWS::AccountId}/*\"\n"
        "              - !Sub \"arn:aws:s3:::home/${!aws:username}/${AWS::StackName}\"\n"
        "              - !Sub [\"${B}/${R}/${R.Arn}\", {B: !Join [\"-\", [x, !Ref Env]]}]\n"
        "              - Fn::Sub:\n"
        "                  - \"${Env}:${Env}\"\n"
        "                  - Env: overridden\n"
        "              - !Sub \"no variables $ {here} $\"\n",
        &params);
    expect_doc(t, "p", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
               "\"Action\":\"s3:GetObject\",\"Resource\":["
               "\"arn:aws:s3:::dev-eu-west-1-111122223333/*\","
               "\"arn:aws:s3:::home/${aws:username}/st\","
               "\"x-dev/app-dev/arn:aws:iam::111122223333:role/app-dev\","
               "\"overridden:overridden\",\"no variables $ {here} $\"]}]}");
    cfn_free(t);
}

static void test_getatt_dotted_and_list(void **state)
{
    (void)state;
    cfn_template *t = load(
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      RoleName: worker\n"
        "      Path: /svc/\n"
        ROLE_TRUST
        "  Q:\n"
        "    Type: AWS::SQS::Queue\n"
        "    Properties: {QueueName: jobs}\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      ManagedPolicyName: p\n"
        "      PolicyDocument:\n"
        "        Version: 2012-10-17\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Action: iam:PassRole\n"
        "            Resource: [!GetAtt R.Arn, !GetAtt [R, Arn], {\"Fn::GetAtt\": [\"Q\", \"Arn\"]},\n"
        "                       !GetAtt Q.QueueUrl, !Ref Q, !GetAtt R.RoleId]\n");
    char *got = to_json(policy(t, "p")->document);
    const char *want_prefix =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iam:PassRole\","
        "\"Resource\":[\"arn:aws:iam::123456789012:role/svc/worker\","
        "\"arn:aws:iam::123456789012:role/svc/worker\","
        "\"arn:aws:sqs:us-east-1:123456789012:jobs\","
        "\"https://sqs.us-east-1.amazonaws.com/123456789012/jobs\","
        "\"https://sqs.us-east-1.amazonaws.com/123456789012/jobs\",\"AROA";
    assert_int_equal(strncmp(got, want_prefix, strlen(want_prefix)), 0);
    /* AROA + 17 characters. */
    assert_int_equal(strlen(got), strlen(want_prefix) + 17 + strlen("\"]}]}"));
    free(got);
    cfn_free(t);
}

static void test_join_select_split_map_base64(void **state)
{
    (void)state;
    cfn_template *t = load(
        "Parameters:\n"
        "  Names: {Type: CommaDelimitedList, Default: \"alpha, beta ,gamma\"}\n"
        "  Stage: {Type: String, Default: prod}\n"
        "Mappings:\n"
        "  Prefix:\n"
        "    prod: {Arn: \"arn:aws:s3:::prod-\"}\n"
        "Resources:\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      ManagedPolicyName: p\n"
        "      PolicyDocument:\n"
        "        Version: 2012-10-17\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Action: s3:GetObject\n"
        "            Resource:\n"
        "              - !Join [\"\", [!FindInMap [Prefix, !Ref Stage, Arn], !Select [1, !Ref Names]]]\n"
        "              - !Join [\":\", !Split [\"/\", \"a/b/c\"]]\n"
        "              - !Select [\"2\", [x, y, z]]\n"
        "              - !Base64 \"abc\"\n"
        "              - !Join [\"\", []]\n");
    expect_doc(t, "p", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
               "\"Action\":\"s3:GetObject\",\"Resource\":[\"arn:aws:s3:::prod-beta\","
               "\"a:b:c\",\"z\",\"YWJj\",\"\"]}]}");
    cfn_free(t);
}

static const char CONDITIONS[] =
    "Parameters:\n"
    "  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n"
    "  Extra: {Type: String, Default: \"\"}\n"
    "Conditions:\n"
    "  IsProd: !Equals [!Ref Env, prod]\n"
    "  HasExtra: !Not [!Equals [!Ref Extra, \"\"]]\n"
    "  ProdWithExtra: !And [!Condition IsProd, !Condition HasExtra]\n"
    "  Either:\n"
    "    Fn::Or: [{Condition: IsProd}, {Condition: HasExtra}]\n"
    "Resources:\n"
    "  P:\n"
    "    Type: AWS::IAM::ManagedPolicy\n"
    "    Properties:\n"
    "      ManagedPolicyName: p\n"
    "      PolicyDocument:\n"
    "        Version: 2012-10-17\n"
    "        Statement:\n"
    "          - Effect: !If [IsProd, Deny, Allow]\n"
    "            Action: s3:GetObject\n"
    "            Resource:\n"
    "              - \"*\"\n"
    "              - !If [HasExtra, !Ref Extra, !Ref AWS::NoValue]\n"
    "            Condition: !If [Either, {Bool: {aws:SecureTransport: \"true\"}}, !Ref AWS::NoValue]\n"
    "  OnlyInProd:\n"
    "    Type: AWS::IAM::ManagedPolicy\n"
    "    Condition: ProdWithExtra\n"
    "    Properties:\n"
    "      ManagedPolicyName: prod-only\n"
    "      PolicyDocument: {Version: 2012-10-17, Statement: []}\n";

static void test_if_and_conditions(void **state)
{
    (void)state;
    cfn_template *t = load(CONDITIONS);
    expect_doc(t, "p", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
               "\"Action\":\"s3:GetObject\",\"Resource\":[\"*\"]}]}");
    assert_null(cfn_find_policy(t, "prod-only"));
    assert_int_equal(t->npolicies, 1);
    cfn_free(t);

    const char *over[] = { "Env=prod", "Extra=arn:aws:s3:::extra" };
    cfn_params params = { .parameters = over, .nparameters = 2 };
    t = load_p(CONDITIONS, &params);
    expect_doc(t, "p", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
               "\"Action\":\"s3:GetObject\",\"Resource\":[\"*\",\"arn:aws:s3:::extra\"],"
               "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"true\"}}}]}");
    assert_non_null(cfn_find_policy(t, "prod-only"));
    cfn_free(t);
}

static void test_parameters(void **state)
{
    (void)state;
    const char *tmpl =
        "Parameters:\n"
        "  Name: {Type: String, Default: from-default}\n"
        "  Count: {Type: Number, Default: 3}\n"
        "  NoDefault: {Type: String}\n"
        "Resources:\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      ManagedPolicyName: !Sub \"${Name}-${Count}\"\n"
        "      PolicyDocument: {Version: 2012-10-17, Statement: []}\n";
    cfn_template *t = load(tmpl);
    assert_non_null(cfn_find_policy(t, "from-default-3"));
    assert_string_equal(cfn_find_policy(t, "from-default-3")->arn,
                        "arn:aws:iam::123456789012:policy/from-default-3");
    cfn_free(t);

    const char *over[] = { "Name=given", "Count=7" };
    cfn_params params = { .parameters = over, .nparameters = 2 };
    t = load_p(tmpl, &params);
    assert_non_null(cfn_find_policy(t, "given-7"));
    cfn_free(t);

    const char *unknown[] = { "Nope=1" };
    cfn_params bad = { .parameters = unknown, .nparameters = 1 };
    expect_fail_p(tmpl, &bad, "t.yml:1:1: error: the template declares no parameter Nope");

    /* No value: a typed placeholder, noted where it is first used. */
    t = load(
        "Parameters:\n"
        "  NoDefault: {Type: String}\n"
        "  Size: {Type: Number, MinValue: 2}\n"
        "  Stage: {Type: String, AllowedValues: [dev, prod]}\n"
        "  Subnets: {Type: 'List<AWS::EC2::Subnet::Id>'}\n"
        "Resources:\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      ManagedPolicyName: !Ref NoDefault\n"
        "      PolicyDocument:\n"
        "        Statement:\n"
        "          Effect: Allow\n"
        "          Action: s3:GetObject\n"
        "          Resource:\n"
        "            - !Sub 'arn:aws:s3:::${Stage}-${Size}/*'\n"
        "            - !Join ['', !Ref Subnets]\n");
    const cfn_policy *p = policy(t, "{{NoDefault}}");
    assert_string_equal(p->arn, "arn:aws:iam::123456789012:policy/{{NoDefault}}");
    char *doc = to_json(p->document);
    assert_non_null(strstr(doc, "\"arn:aws:s3:::dev-2/*\",\"{{Subnets}}\""));
    ig_free(doc);
    expect_note(t, CFN_NOTE_PLACEHOLDER, "10:26: Resources.P.Properties.ManagedPolicyName: "
                "parameter NoDefault has no value: placeholder \"{{NoDefault}}\" (give it with "
                "--parameter NoDefault=VALUE)");
    expect_note(t, CFN_NOTE_PLACEHOLDER, "16:15: Resources.P.Properties.PolicyDocument."
                "Statement.Resource[0]: parameter Stage has no value: placeholder \"dev\" (give "
                "it with --parameter Stage=VALUE)");
    assert_true(t->deployable);
    cfn_free(t);

    const char *env[] = { "Env=test" };
    cfn_params badenv = { .parameters = env, .nparameters = 1 };
    expect_fail_p(CONDITIONS, &badenv, "t.yml:5:20: error: Conditions.IsProd: value \"test\" of "
                  "parameter Env is not one of its AllowedValues");
}

static void test_pseudo_parameters(void **state)
{
    (void)state;
    cfn_params params = { .region = "cn-north-1", .account = "210987654321",
                          .stack_name = "china" };
    cfn_template *t = load_p(
        "Resources:\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      ManagedPolicyName: p\n"
        "      PolicyDocument:\n"
        "        Version: 2012-10-17\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Action: s3:GetObject\n"
        "            Resource:\n"
        "              - !Sub \"arn:${AWS::Partition}:s3:::${AWS::URLSuffix}/${AWS::StackName}\"\n"
        "              - !Ref AWS::StackId\n",
        &params);
    expect_doc(t, "p", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
               "\"Action\":\"s3:GetObject\",\"Resource\":["
               "\"arn:aws-cn:s3:::amazonaws.com.cn/china\","
               "\"arn:aws-cn:cloudformation:cn-north-1:210987654321:stack/china/"
               "00000000-0000-4000-8000-000000000000\"]}]}");
    assert_string_equal(policy(t, "p")->arn, "arn:aws-cn:iam::210987654321:policy/p");
    cfn_free(t);
}

/* ---- templates, principals, attachments ----------------------------------- */

static void test_unquoted_version_compiles(void **state)
{
    (void)state;
    cfn_template *t = load(
        "Resources:\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      ManagedPolicyName: p\n"
        "      PolicyDocument:\n"
        "        Version: 2012-10-17\n"
        "        Statement:\n"
        "          Effect: Allow\n"
        "          Action: s3:GetObject\n"
        "          Resource: \"arn:aws:s3:::b/${aws:username}\"\n");
    ig_diag d;
    ig_policy *p = cfn_compile_policy(t, policy(t, "p"), IG_POLICY_IDENTITY, &d);
    assert_non_null(p);
    char *json = ig_policy_to_json(p, false);
    assert_non_null(strstr(json, "\"Version\":\"2012-10-17\""));
    ig_free(json);
    ig_policy_free(p);
    cfn_free(t);
}

static void test_json_template(void **state)
{
    (void)state;
    cfn_template *t = load(
        "{\n"
        "  \"AWSTemplateFormatVersion\": \"2010-09-09\",\n"
        "  \"Resources\": {\n"
        "    \"Role\": {\n"
        "      \"Type\": \"AWS::IAM::Role\",\n"
        "      \"Properties\": {\n"
        "        \"RoleName\": \"json-role\",\n"
        "        \"AssumeRolePolicyDocument\": {\"Version\": \"2012-10-17\", \"Statement\": []},\n"
        "        \"Policies\": [{\"PolicyName\": \"inline\", \"PolicyDocument\": {\n"
        "          \"Version\": \"2012-10-17\",\n"
        "          \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\",\n"
        "                         \"Resource\": {\"Fn::Join\": [\"\", [\"arn:aws:s3:::\", {\"Ref\": \"AWS::Region\"}]]}}]}}]\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n");
    expect_doc(t, "inline", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
               "\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::us-east-1\"}]}");
    const cfn_principal *r = principal(t, "Role");
    assert_string_equal(r->arn, "arn:aws:iam::123456789012:role/json-role");
    /* Diagnostics in JSON templates have JSON line:column. */
    unsigned line, col;
    json_line_col(t->text, t->len, policy(t, "inline")->document->start, &line, &col);
    assert_int_equal(line, 9);
    assert_int_equal(col, 65);
    cfn_free(t);
}

static const char PRINCIPALS[] =
    "Resources:\n"
    "  Boundary:\n"
    "    Type: AWS::IAM::ManagedPolicy\n"
    "    Properties:\n"
    "      ManagedPolicyName: boundary\n"
    "      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: \"*\", Resource: \"*\"}]}\n"
    "  Shared:\n"
    "    Type: AWS::IAM::ManagedPolicy\n"
    "    Properties:\n"
    "      ManagedPolicyName: shared\n"
    "      Roles: [!Ref App, outside-role]\n"
    "      Groups: [!Ref Devs]\n"
    "      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: \"s3:List*\", Resource: \"*\"}]}\n"
    "  App:\n"
    "    Type: AWS::IAM::Role\n"
    "    Properties:\n"
    "      RoleName: app\n"
    ROLE_TRUST
    "      PermissionsBoundary: !Ref Boundary\n"
    "      ManagedPolicyArns:\n"
    "        - !Ref Boundary\n"
    "        - arn:aws:iam::aws:policy/ReadOnlyAccess\n"
    "      Policies:\n"
    "        - PolicyName: own\n"
    "          PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Deny, Action: \"iam:*\", Resource: \"*\"}]}\n"
    "  Extra:\n"
    "    Type: AWS::IAM::Policy\n"
    "    Properties:\n"
    "      PolicyName: extra\n"
    "      Roles: [!Ref App]\n"
    "      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: \"sqs:*\", Resource: \"*\"}]}\n"
    "  AppRolePolicy:\n"
    "    Type: AWS::IAM::RolePolicy\n"
    "    Properties:\n"
    "      PolicyName: rp\n"
    "      RoleName: !Ref App\n"
    "      PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: \"sns:*\", Resource: \"*\"}]}\n"
    "  Devs:\n"
    "    Type: AWS::IAM::Group\n"
    "    Properties:\n"
    "      Policies:\n"
    "        - PolicyName: group-inline\n"
    "          PolicyDocument: {Version: 2012-10-17, Statement: [{Effect: Allow, Action: \"ec2:Describe*\", Resource: \"*\"}]}\n"
    "  Alice:\n"
    "    Type: AWS::IAM::User\n"
    "    Properties:\n"
    "      UserName: alice\n"
    "      Groups: [!Ref Devs]\n"
    "      PermissionsBoundary: arn:aws:iam::123456789012:policy/elsewhere\n"
    "  Bob:\n"
    "    Type: AWS::IAM::User\n"
    "  AddBob:\n"
    "    Type: AWS::IAM::UserToGroupAddition\n"
    "    Properties: {GroupName: !Ref Devs, Users: [!Ref Bob]}\n";

static void test_principals_and_attachments(void **state)
{
    (void)state;
    cfn_template *t = load(PRINCIPALS);
    assert_int_equal(t->nprincipals, 4);

    const cfn_principal *app = principal(t, "App");
    assert_int_equal(app->kind, CFN_ROLE);
    assert_string_equal(app->name, "app");
    assert_true(app->trust_policy >= 0);
    assert_int_equal(t->policies[app->trust_policy].kind, CFN_ROLE_TRUST);
    assert_string_equal(t->policies[app->trust_policy].name, "App.AssumeRolePolicyDocument");
    /* Inline, AWS::IAM::Policy, RolePolicy, ManagedPolicy.Roles and
     * ManagedPolicyArns in the template all attach. */
    assert_true(has_policy(t, app, "own"));
    assert_true(has_policy(t, app, "extra"));
    assert_true(has_policy(t, app, "rp"));
    assert_true(has_policy(t, app, "shared"));
    assert_true(has_policy(t, app, "boundary"));
    assert_int_equal(app->npolicies, 5);
    assert_int_equal(app->nexternal, 1);
    assert_string_equal(app->external_policy_arns[0], "arn:aws:iam::aws:policy/ReadOnlyAccess");
    assert_string_equal(app->boundary_arn, "arn:aws:iam::123456789012:policy/boundary");
    assert_true(app->boundary_policy >= 0);
    assert_string_equal(t->policies[app->boundary_policy].name, "boundary");

    const cfn_policy *shared = policy(t, "shared");
    assert_int_equal(shared->nexternal_principals, 1);
    assert_string_equal(shared->external_principals[0], "role/outside-role");

    const cfn_principal *devs = principal(t, "Devs");
    assert_int_equal(devs->kind, CFN_GROUP);
    assert_true(has_policy(t, devs, "group-inline"));
    assert_true(has_policy(t, devs, "shared"));
    assert_int_equal(devs->trust_policy, -1);
    cfn_free(t);
}

static void test_generated_names(void **state)
{
    (void)state;
    cfn_template *t = load(PRINCIPALS);
    const cfn_principal *devs = principal(t, "Devs");
    /* <stack>-<LogicalId>-<12 uppercase letters or digits> */
    assert_int_equal(strncmp(devs->name, "iamguard-stack-Devs-", 20), 0);
    assert_int_equal(strlen(devs->name), 20 + 12);
    for (size_t i = 20; i < 32; i++)
        assert_true((devs->name[i] >= 'A' && devs->name[i] <= 'Z') ||
                    (devs->name[i] >= '0' && devs->name[i] <= '9'));
    char first[64];
    snprintf(first, sizeof first, "%s", devs->name);

    const cfn_principal *alice = principal(t, "Alice");
    assert_int_equal(alice->ngroups, 1);
    assert_string_equal(alice->groups[0], "Devs");
    assert_int_equal(alice->trust_policy, -1);
    assert_int_equal(alice->boundary_policy, -1);
    const cfn_principal *bob = principal(t, "Bob");
    assert_int_equal(bob->ngroups, 1);
    assert_string_equal(bob->arn + strlen("arn:aws:iam::123456789012:user/"), bob->name);
    cfn_free(t);

    /* Deterministic: the same stack and logical id give the same name. */
    t = load(PRINCIPALS);
    assert_string_equal(principal(t, "Devs")->name, first);
    cfn_free(t);
    cfn_params other = { .stack_name = "other" };
    t = load_p(PRINCIPALS, &other);
    assert_int_equal(strncmp(principal(t, "Devs")->name, "other-Devs-", 11), 0);
    cfn_free(t);

    /* Role names stay within IAM's 64 characters. */
    t = load("Resources:\n"
             "  AVeryLongLogicalIdThatGoesOnAndOnAndOnForeverAndEverMoreThanSixtyFour:\n"
             "    Type: AWS::IAM::Role\n"
             "    Properties:\n" ROLE_TRUST);
    assert_true(strlen(t->principals[0].name) <= 64);
    assert_int_equal(strncmp(t->principals[0].name, "iamguard-stack-AVeryLong", 24), 0);
    cfn_free(t);
}

static void test_find_policy(void **state)
{
    (void)state;
    cfn_template *t = load(PRINCIPALS);
    const cfn_policy *b = cfn_find_policy(t, "boundary");
    assert_non_null(b);
    assert_ptr_equal(cfn_find_policy(t, "Boundary"), b);                /* logical id */
    assert_ptr_equal(cfn_find_policy(t, "arn:aws:iam::123456789012:policy/boundary"), b);
    assert_string_equal(cfn_find_policy(t, "App.own")->name, "own");   /* LogicalId.PolicyName */
    assert_int_equal(cfn_find_policy(t, "App.AssumeRolePolicyDocument")->kind, CFN_ROLE_TRUST);
    assert_null(cfn_find_policy(t, "App"));         /* a role is not a policy */
    assert_null(cfn_find_policy(t, "nothing"));
    cfn_free(t);
}

/* ---- diagnostics ---------------------------------------------------------- */

static void test_unresolved_values(void **state)
{
    (void)state;
    cfn_template *t = load(
        "Resources:\n"
        "  DevPolicy:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      ManagedPolicyName: dev\n"
        "      PolicyDocument:\n"
        "        Version: 2012-10-17\n"
        "        Statement:\n"
        "          - Effect: Allow\n"
        "            Action: s3:GetObject\n"
        "            Resource: !ImportValue SharedBucketArn\n"
        "          - Effect: Allow\n"
        "            Action: elasticache:*\n"
        "            Resource: [!GetAtt Cache.Arn, !Ref Cache, !GetAtt B.WebsiteURL,\n"
        "                       !Select [1, !GetAZs '']]\n"
        "  Cache:\n"
        "    Type: AWS::ElastiCache::ReplicationGroup\n"
        "  B:\n"
        "    Type: AWS::S3::Bucket\n");
    char *doc = to_json(policy(t, "dev")->document);
    assert_non_null(strstr(doc, "\"Resource\":\"{{Fn::ImportValue SharedBucketArn}}\""));
    assert_non_null(strstr(doc, "[\"{{Fn::GetAtt Cache.Arn}}\",\"{{Ref Cache}}\","
                                "\"{{Fn::GetAtt B.WebsiteURL}}\",\"us-east-1b\"]"));
    ig_free(doc);
    expect_note(t, CFN_NOTE_PLACEHOLDER, "11:23: Resources.DevPolicy.Properties.PolicyDocument."
                "Statement[0].Resource: the export of another stack: placeholder "
                "{{Fn::ImportValue SharedBucketArn}}");
    expect_note(t, CFN_NOTE_PLACEHOLDER, "14:24: Resources.DevPolicy.Properties.PolicyDocument."
                "Statement[1].Resource[0]: an attribute of AWS::ElastiCache::ReplicationGroup, a "
                "type iamguard does not model: placeholder {{Fn::GetAtt Cache.Arn}}");
    expect_note(t, CFN_NOTE_PLACEHOLDER, "14:55: Resources.DevPolicy.Properties.PolicyDocument."
                "Statement[1].Resource[2]: an attribute of AWS::S3::Bucket that iamguard does not "
                "model: placeholder {{Fn::GetAtt B.WebsiteURL}}");
    assert_true(cfn_is_placeholder("arn:aws:s3:::{{Fn::ImportValue X}}/*"));
    assert_false(cfn_is_placeholder("arn:aws:s3:::{{x/*"));
    cfn_free(t);

    /* Macros and Rain directives: read as written, and not deployable. */
    t = load("Transform: [AWS::LanguageExtensions, MyMacro]\n"
             "Resources:\n"
             "  Mod:\n"
             "    Type: !Rain::Module ./vpc.yml\n"
             "    Overrides: {}\n"
             "  R:\n"
             "    Type: AWS::IAM::Role\n"
             "    Properties:\n"
             "      RoleName: !Sub '${ModVPC}-role'\n" ROLE_TRUST);
    assert_false(t->deployable);
    expect_note(t, CFN_NOTE_UNDEPLOYABLE, "1:38: Transform: not deployable as is: macro MyMacro "
                "(iamguard does not run macros; what it reads is the template before the macro)");
    expect_note(t, CFN_NOTE_UNDEPLOYABLE, "4:11: Resources.Mod.Type: not deployable as is: Rain "
                "directive !Rain::Module (expand it with rain pkg first)");
    assert_string_equal(t->principals[0].name, "{{Ref ModVPC}}-role");
    cfn_free(t);
}

static void test_language_extensions(void **state)
{
    (void)state;
    cfn_template *t = load(
        "Transform: AWS::LanguageExtensions\n"
        "Parameters:\n"
        "  Teams: {Type: CommaDelimitedList, Default: \"red-team,blue\"}\n"
        "Mappings:\n"
        "  M: {a: {b: c}}\n"
        "Resources:\n"
        "  Fn::ForEach::Roles:\n"
        "    - Team\n"
        "    - !Ref Teams\n"
        "    - '&{Team}Role':\n"
        "        Type: AWS::IAM::Role\n"
        "        DeletionPolicy: !If [Always, Retain, Delete]\n"
        "        Properties:\n"
        "          RoleName: !Sub '${Team}-role'\n" 
        "          AssumeRolePolicyDocument: {Statement: []}\n"
        "      Fn::ForEach::Acts:\n"
        "        - Act\n"
        "        - [Get, Put]\n"
        "        - '&{Team}${Act}':\n"
        "            Type: AWS::IAM::Policy\n"
        "            Properties:\n"
        "              PolicyName: !Sub '${Team}-${Act}'\n"
        "              Roles: [!Sub '${Team}-role']\n"
        "              PolicyDocument:\n"
        "                Statement:\n"
        "                  Effect: Allow\n"
        "                  Action: !Sub 's3:${Act}Object'\n"
        "                  Resource:\n"
        "                    - !Sub 'arn:aws:s3:::${Team}/*'\n"
        "                    - !ToJsonString {n: !Length [x, y, z]}\n"
        "                    - !FindInMap [M, a, nope, {DefaultValue: dflt}]\n"
        "Conditions:\n"
        "  Always: !Equals [a, a]\n");
    assert_int_equal(t->nprincipals, 2);
    assert_string_equal(t->principals[0].name, "red-team-role");
    assert_string_equal(t->principals[0].logical_id, "redteamRole");
    assert_int_equal(t->principals[1].npolicies, 2);
    char *doc = to_json(policy(t, "blue-Put")->document);
    assert_string_equal(doc, "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\","
                        "\"Resource\":[\"arn:aws:s3:::blue/*\",\"{\\\"n\\\":3}\",\"dflt\"]}}");
    ig_free(doc);
    cfn_free(t);
    expect_fail("Transform: AWS::LanguageExtensions\nResources:\n"
                "  Fn::ForEach::X: [I, [a, a], {'B${I}': {Type: AWS::S3::Bucket}}]\n",
                "t.yml:3:32: error: Resources.Fn::ForEach::X: Fn::ForEach: the key Ba is "
                "produced twice");
    expect_fail("Transform: AWS::LanguageExtensions\nResources:\n"
                "  Fn::ForEach::X: [I, {a: b}, {B: {Type: AWS::S3::Bucket}}]\n",
                "t.yml:3:23: error: Resources.Fn::ForEach::X: Fn::ForEach: the collection must "
                "be a list");
}

static void test_sam_errors(void **state)
{
    (void)state;
    const char *head = "Transform: AWS::Serverless-2016-10-31\nResources:\n"
                       "  F:\n    Type: AWS::Serverless::Function\n    Properties:\n";
    char buf[1024];
    snprintf(buf, sizeof buf, "%s      Policies: [{NoSuchPolicy: {}}]\n", head);
    expect_fail(buf, "t.yml:6:19: error: Resources.F: NoSuchPolicy is not a SAM policy template "
                "(nor a policy document: it has no Statement)");
    snprintf(buf, sizeof buf, "%s      Policies: [{SQSPollerPolicy: {QueueName: q, X: 1}}]\n", head);
    expect_fail(buf, "t.yml:6:51: error: Resources.F: policy template SQSPollerPolicy has no "
                "parameter X");
    snprintf(buf, sizeof buf, "%s      Policies: 3\n", head);
    expect_fail(buf, "t.yml:6:17: error: Resources.F: Policies holds policy names, documents and "
                "policy templates, got number");
    snprintf(buf, sizeof buf, "%s      Role: arn:aws:iam::123456789012:role/given\n"
             "  FRole: {Type: AWS::S3::Bucket}\n"
             "  C:\n    Type: AWS::Serverless::Connector\n"
             "    Properties: {Source: {Id: F}, Destination: {Id: FRole}, Permissions: [Read]}\n",
             head);
    /* A given Role: no role is created, and the connector's source has none. */
    cfn_template *t = load(buf);
    assert_int_equal(t->nprincipals, 0);
    assert_int_equal(t->nnotes, 1);
    cfn_free(t);
    snprintf(buf, sizeof buf, "%s      Policies: AWSLambdaExecute\n  FRole: {Type: AWS::S3::Bucket}\n",
             head);
    expect_fail(buf, "t.yml:7:3: error: Resources.FRole: SAM would create FRole, which the template "
                "already declares");
}

static void test_cycles(void **state)
{
    (void)state;
    expect_fail(
        "Resources:\n"
        "  A:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n"
        "      RoleName: !Sub \"${B}-a\"\n" ROLE_TRUST
        "  B:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n" ROLE_TRUST
        "      Policies:\n"
        "        - PolicyName: p\n"
        "          PolicyDocument:\n"
        "            Statement: {Effect: Allow, Action: iam:PassRole, Resource: !GetAtt A.Arn}\n",
        "t.yml:24:72: error: Resources.B.Properties.Policies[0].PolicyDocument.Statement.Resource: "
        "circular dependency between resources: A -> B -> A");
    /* A resource referring to itself is a cycle for CloudFormation too. */
    expect_fail(
        "Resources:\n"
        "  A:\n"
        "    Type: AWS::IAM::Role\n"
        "    Properties:\n" ROLE_TRUST
        "      Policies:\n"
        "        - PolicyName: p\n"
        "          PolicyDocument:\n"
        "            Statement: {Effect: Allow, Action: iam:PassRole, Resource: !Ref A}\n",
        "t.yml:14:72: error: Resources.A.Properties.Policies[0].PolicyDocument.Statement.Resource: "
        "circular dependency between resources: A -> A");
    expect_fail(
        "Resources:\n"
        "  A:\n"
        "    Type: AWS::S3::Bucket\n"
        "    DependsOn: B\n"
        "  B:\n"
        "    Type: AWS::S3::Bucket\n"
        "    DependsOn: [A]\n",
        "t.yml:7:17: error: Resources.B.DependsOn: circular dependency between resources: "
        "A -> B -> A");
    /* Conditions that refer to each other. */
    expect_fail(
        "Conditions:\n"
        "  X: !Condition Y\n"
        "  Y: !Not [!Condition X]\n"
        "Resources:\n"
        "  A:\n"
        "    Type: AWS::S3::Bucket\n"
        "    Condition: X\n",
        "t.yml:3:23: error: Conditions.Y: condition X depends on itself");
}

static void test_unresolvable_references(void **state)
{
    (void)state;
    const char *head =
        "Resources:\n"
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      PolicyDocument:\n"
        "        Statement:\n"
        "          Effect: Allow\n"
        "          Action: s3:*\n";
    char buf[2048];
    snprintf(buf, sizeof buf, "%s          Resource: !Ref Missing\n", head);
    expect_fail(buf, "t.yml:9:21: error: Resources.P.Properties.PolicyDocument.Statement.Resource: "
                "the template has no parameter or resource named Missing");
    snprintf(buf, sizeof buf, "%s          Resource: !Sub \"arn:aws:s3:::${aws:username}\"\n", head);
    expect_fail(buf, "t.yml:9:21: error: Resources.P.Properties.PolicyDocument.Statement.Resource: "
                "${aws:username} is not a parameter or resource; write ${!aws:username} for the "
                "IAM policy variable");
    snprintf(buf, sizeof buf, "%s          Resource: !GetAtt Nope.Arn\n", head);
    expect_fail(buf, "t.yml:9:21: error: Resources.P.Properties.PolicyDocument.Statement.Resource: "
                "Fn::GetAtt names Nope, which is not a resource of the template");
    snprintf(buf, sizeof buf, "%s          Resource: !ValueOf [P, VpcId]\n", head);
    expect_fail(buf, "t.yml:9:21: error: Resources.P.Properties.PolicyDocument.Statement.Resource: "
                "Fn::ValueOf can only be used in the Rules section");
    snprintf(buf, sizeof buf, "%s          Resource: !Length [a]\n", head);
    expect_fail(buf, "t.yml:9:21: error: Resources.P.Properties.PolicyDocument.Statement.Resource: "
                "Fn::Length needs Transform: AWS::LanguageExtensions");
    snprintf(buf, sizeof buf, "%s          Resource: !Select [5, [a, b]]\n", head);
    expect_fail(buf, "t.yml:9:21: error: Resources.P.Properties.PolicyDocument.Statement.Resource: "
                "Fn::Select index 5 is out of range (the list has 2 items)");
    snprintf(buf, sizeof buf, "%s          Resource: !Equals [a, b]\n", head);
    expect_fail(buf, "t.yml:9:21: error: Resources.P.Properties.PolicyDocument.Statement.Resource: "
                "Fn::Equals can only be used in the Conditions section");
    snprintf(buf, sizeof buf, "%s          Resource: {\"Fn::Nope\": 1}\n", head);
    expect_fail(buf, "t.yml:9:21: error: Resources.P.Properties.PolicyDocument.Statement.Resource: "
                "unknown intrinsic function Fn::Nope");
    snprintf(buf, sizeof buf, "%s          Resource: {Ref: X, Other: 1}\n", head);
    expect_fail(buf, "t.yml:9:22: error: Resources.P.Properties.PolicyDocument.Statement.Resource: "
                "Ref must be the only key of its mapping");
    /* A resource whose condition is false cannot be referred to. */
    expect_fail(
        "Conditions:\n"
        "  Never: !Equals [a, b]\n"
        "Resources:\n"
        "  R:\n"
        "    Type: AWS::IAM::Role\n"
        "    Condition: Never\n"
        "    Properties:\n" ROLE_TRUST
        "  P:\n"
        "    Type: AWS::IAM::ManagedPolicy\n"
        "    Properties:\n"
        "      Roles: [!Ref R]\n"
        "      PolicyDocument: {Statement: []}\n",
        "t.yml:17:15: error: Resources.P.Properties.Roles[0]: R is not created: its condition "
        "Never is false");
}

static void test_template_structure_errors(void **state)
{
    (void)state;
    expect_fail("just text\n", "t.yml:1:1: error: a CloudFormation template must be a mapping, "
                "got string");
    expect_fail("Resource:\n  A: {Type: AWS::S3::Bucket}\n",
                "t.yml:1:1: error: unknown template section \"Resource\"");
    expect_fail("Parameters: {}\n", "t.yml:1:1: error: the template has no Resources section");
    expect_fail("Globals: {}\nResources:\n  A: {Type: AWS::S3::Bucket}\n",
                "t.yml:1:1: error: Globals is a section of SAM templates (Transform: "
                "AWS::Serverless-2016-10-31)");
    expect_fail("Rules:\n  R: {Assertions: [{Asert: x}]}\nResources:\n  A: {Type: AWS::S3::Bucket}\n",
                "t.yml:2:20: error: Rules.R: an assertion is a mapping with Assert");
    expect_fail("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
                "      PolicyDocumnet: {}\n",
                "t.yml:5:7: error: Resources.P.Properties: unknown property \"PolicyDocumnet\" of "
                "AWS::IAM::ManagedPolicy");
    /* A document written as a JSON string is read; its values are placed
     * at the string. */
    cfn_template *js = load("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n"
                            "    Properties:\n      ManagedPolicyName: p\n"
                            "      PolicyDocument: '{\"Statement\": [{\"Effect\": \"Allow\", "
                            "\"Action\": \"s3:*\", \"Resource\": \"*\"}]}'\n");
    char *jd = to_json(policy(js, "p")->document);
    assert_string_equal(jd, "{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\","
                        "\"Resource\":\"*\"}]}");
    ig_free(jd);
    unsigned line, col;
    json_line_col(js->text, js->len, policy(js, "p")->document->start, &line, &col);
    assert_int_equal(line, 6);
    assert_int_equal(col, 23);
    cfn_free(js);
    expect_fail("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
                "      PolicyDocument: '{\"Statement\": ['\n",
                "t.yml:5:23: error: Resources.P.Properties.PolicyDocument: the policy document in "
                "this string is not JSON: unexpected end of input, expected a value (at character 16 of "
                "the string)");
    expect_fail("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
                "      Path: nope\n      PolicyDocument: {Statement: []}\n",
                "t.yml:5:13: error: Resources.P.Properties: Path \"nope\" must begin and end "
                "with /");
    expect_fail("Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n"
                "      RoleName: has space\n" ROLE_TRUST,
                "t.yml:5:17: error: Resources.R.Properties: RoleName \"has space\" is not a valid "
                "name (1 to 64 of A-Z a-z 0-9 +=,.@_-)");
    expect_fail("Resources:\n  R:\n    Type: AWS::IAM::Role\n",
                "t.yml:2:3: error: Resources.R.Properties: AWS::IAM::Role needs the property "
                "AssumeRolePolicyDocument");
    /* Policy errors from the compiler point into the YAML. */
    cfn_template *t = load("Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n"
                           "    Properties:\n      ManagedPolicyName: p\n      PolicyDocument:\n"
                           "        Statement:\n          - Effect: Allow\n"
                           "            Action: s3\n            Resource: \"*\"\n");
    ig_diag d;
    assert_null(cfn_compile_policy(t, policy(t, "p"), IG_POLICY_IDENTITY, &d));
    char buf[512];
    assert_string_equal(ig_diag_format(&d, buf, sizeof buf),
                        "t.yml:9:21: error: action \"s3\" must be \"*\" or \"service:action\"");
    cfn_free(t);
}

static void test_hostile_templates(void **state)
{
    (void)state;
    ig_diag d;
    cfn_template *t;
    static char text[65536];
    /* Not YAML at all. */
    assert_int_equal(cfn_load_text("\x00\x01\x02", 3, "bin", NULL, &t, &d), IG_E_JSON);
    assert_string_equal(d.msg, "control character 0x00 in YAML text");
    expect_fail("Resources: [\n", "t.yml:2:1: error: invalid YAML: flow sequence without a "
                "closing bracket");
    /* Duplicate keys. */
    expect_fail("Resources:\n  A: {Type: AWS::S3::Bucket}\n  A: {Type: AWS::S3::Bucket}\n",
                "t.yml:3:3: error: duplicate key \"A\"");
    /* Billion laughs. */
    size_t n = (size_t)snprintf(text, sizeof text, "Metadata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "  a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s*a%d", k ? ", " : "", i - 1);
        n += (size_t)snprintf(text + n, sizeof text - n, "]\n");
    }
    snprintf(text + n, sizeof text - n, "Resources:\n  A: {Type: AWS::S3::Bucket}\n");
    assert_true(cfn_load_text(text, strlen(text), "t.yml", NULL, &t, &d) < 0);
    assert_non_null(strstr(d.msg, "document expands to more than"));
    /* A chain of names that doubles at each step hits the name limit. */
    n = (size_t)snprintf(text, sizeof text, "Parameters:\n  P0: {Type: String, Default: "
                         "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx}\nResources:\n");
    n += (size_t)snprintf(text + n, sizeof text - n, "  R1:\n    Type: AWS::SNS::Topic\n"
                          "    Properties: {TopicName: !Sub \"${P0}${P0}\"}\n");
    for (int i = 2; i < 30; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "  R%d:\n    Type: AWS::SNS::Topic\n"
                              "    Properties: {TopicName: !Sub \"${R%d.TopicName}${R%d.TopicName}\"}\n",
                              i, i - 1, i - 1);
    n += (size_t)snprintf(text + n, sizeof text - n, "  P:\n    Type: AWS::IAM::ManagedPolicy\n"
                          "    Properties:\n      PolicyDocument: {Statement: {Effect: Allow, "
                          "Action: \"*\", Resource: !Ref R29}}\n");
    assert_true(cfn_load_text(text, n, "t.yml", NULL, &t, &d) < 0);
    assert_non_null(strstr(d.msg, "Resources.R4.Properties: TopicName \"xxxx"));
    /* Strings built by intrinsics are bounded too. */
    n = (size_t)snprintf(text, sizeof text, "Parameters:\n  P: {Type: String, Default: ");
    for (int i = 0; i < 8000; i++)
        text[n++] = 'x';
    n += (size_t)snprintf(text + n, sizeof text - n, "}\nResources:\n  Pol:\n"
                          "    Type: AWS::IAM::ManagedPolicy\n    Properties:\n"
                          "      PolicyDocument: {Statement: {Effect: Allow, Action: \"*\", "
                          "Resource: !Join [\"\", [");
    for (int i = 0; i < 40; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%s!Ref P", i ? ", " : "");
    n += (size_t)snprintf(text + n, sizeof text - n, "]]}}\n");
    assert_int_equal(cfn_load_text(text, n, "t.yml", NULL, &t, &d), IG_E_LIMIT);
    assert_int_equal(d.code, IG_E_LIMIT);
    assert_non_null(strstr(d.msg, "value longer than 262144 bytes"));
    /* Missing file. */
    assert_int_equal(cfn_load_file("/nonexistent/t.yml", NULL, &t, &d), IG_E_IO);
    assert_null(t);
}

/* ---- render --------------------------------------------------------------- */

/* Canonical JSON of a JSON policy text, with the seed's boundary ARN
 * replaced by the one the template's !Ref resolves to. */
static char *canonical_example(const char *name, const char *account)
{
    const ig_embedded_file *f = ig_example_file(name);
    assert_non_null(f);
    static const char seed[] = "arn:aws:iam::*:policy/ImagingViewerPermissionsBoundary";
    char resolved[128];
    snprintf(resolved, sizeof resolved, "arn:aws:iam::%s:policy/ImagingViewerPermissionsBoundary",
             account);
    json_buf b;
    json_buf_init(&b);
    const char *s = f->data;
    for (const char *hit; (hit = strstr(s, seed)); s = hit + strlen(seed)) {
        json_buf_append(&b, s, (size_t)(hit - s));
        json_buf_puts(&b, resolved);
    }
    json_buf_puts(&b, s);
    ig_diag d;
    ig_policy *p = ig_policy_compile(b.data, b.len, IG_POLICY_IDENTITY, NULL, name, &d);
    assert_non_null(p);
    char *json = ig_policy_to_json(p, false);
    ig_policy_free(p);
    json_buf_free(&b);
    return json;
}

static void render_roundtrip(const char *account)
{
    json_buf out;
    json_buf_init(&out);
    ig_diag d;
    assert_int_equal(cfn_render_deployment(NULL, &out, &d), IG_OK);
    cfn_params params = { .account = account };
    cfn_template *t;
    assert_int_equal(cfn_load_text(out.data, out.len, "cft.yml", &params, &t, &d), IG_OK);
    assert_int_equal(t->npolicies, 2);
    static const char *const pairs[2][2] = {
        { CFN_BOUNDARY_ID, "imaging-viewer/permissions-boundary.json" },
        { CFN_DEVELOPER_ID, "imaging-viewer/developer-policy.json" },
    };
    for (int i = 0; i < 2; i++) {
        const cfn_policy *p = policy(t, pairs[i][0]);
        assert_int_equal(p->kind, CFN_MANAGED_POLICY);
        ig_policy *c = cfn_compile_policy(t, p, IG_POLICY_IDENTITY, &d);
        assert_non_null(c);
        char *got = ig_policy_to_json(c, false);
        char *want = canonical_example(pairs[i][1], account);
        if (strcmp(got, want))
            print_error("%s:\ngot:  %s\nwant: %s\n", pairs[i][0], got, want);
        assert_string_equal(got, want);
        ig_free(got);
        ig_free(want);
        ig_policy_free(c);
    }
    char arn[128];
    snprintf(arn, sizeof arn, "arn:aws:iam::%s:policy/" CFN_BOUNDARY_ID, account);
    assert_string_equal(policy(t, CFN_BOUNDARY_ID)->arn, arn);
    cfn_free(t);
    json_buf_free(&out);
}

static void test_render_roundtrip(void **state)
{
    (void)state;
    render_roundtrip("123456789012");
    render_roundtrip("111122223333");
}

static void test_render_attachments(void **state)
{
    (void)state;
    json_buf out;
    json_buf_init(&out);
    ig_diag d;
    assert_int_equal(cfn_render_deployment(NULL, &out, &d), IG_OK);
    /* Version is quoted so no YAML reader takes it for a date. */
    assert_non_null(strstr(out.data, "Version: \"2012-10-17\""));
    assert_non_null(strstr(out.data, "iam:PermissionsBoundary: !Ref " CFN_BOUNDARY_ID));
    const char *over[] = { "DeveloperRoleName=dev-role", "DeveloperGroupName=devs" };
    cfn_params params = { .parameters = over, .nparameters = 2 };
    cfn_template *t;
    assert_int_equal(cfn_load_text(out.data, out.len, "cft.yml", &params, &t, &d), IG_OK);
    const cfn_policy *dev = policy(t, CFN_DEVELOPER_ID);
    assert_int_equal(dev->nexternal_principals, 2);
    assert_string_equal(dev->external_principals[0], "role/dev-role");
    assert_string_equal(dev->external_principals[1], "group/devs");
    assert_int_equal(policy(t, CFN_BOUNDARY_ID)->nexternal_principals, 0);
    cfn_free(t);
    json_buf_free(&out);

    /* A developer policy that never names the boundary cannot be rendered. */
    const char *doc = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";
    cfn_render_opts o = { .developer = doc, .developer_len = strlen(doc),
                          .developer_file = "dev.json" };
    json_buf_init(&out);
    assert_int_equal(cfn_render_deployment(&o, &out, &d), IG_E_POLICY);
    json_buf_free(&out);
}

/* ---- allocation failures ------------------------------------------------ */

#include "fault_alloc.h"

static ig_diag fault_diag;

/* Load, compile every policy, render: 0 on success, else the error code. */
/* Every new path of the reader at once: both transforms, a loop, SAM
 * policies and a connector, placeholders, a document in a string, Rain. */
static const char EXPANDED[] =
    "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n"
    "Parameters:\n  Stage: {Type: String}\n"
    "Rules:\n  R: {Assertions: [{Assert: !Contains [[a], !Ref Stage]}]}\n"
    "Resources:\n"
    "  Fn::ForEach::T:\n"
    "    - N\n    - [a, b]\n"
    "    - 'Table${N}': {Type: AWS::Serverless::SimpleTable}\n"
    "  Fn:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Code: !Rain::Embed x.py\n"
    "      Policies:\n"
    "        - AWSLambdaExecute\n"
    "        - DynamoDBReadPolicy: {TableName: !Ref Tablea}\n"
    "        - Statement: [{Effect: Allow, Action: s3:*, Resource: !ImportValue Shared}]\n"
    "    Connectors:\n"
    "      C: {Properties: {Destination: {Id: Tableb}, Permissions: [Read]}}\n"
    "  Other:\n"
    "    Type: AWS::IAM::ManagedPolicy\n"
    "    Properties:\n"
    "      ManagedPolicyName: !Sub '${Stage}-${Cache.Name}'\n"
    "      PolicyDocument: '{\"Statement\": {\"Effect\": \"Deny\", \"Action\": \"*\", "
    "\"Resource\": \"*\"}}'\n"
    "  Cache: {Type: AWS::ElastiCache::CacheCluster}\n"
    "  Key: {Type: AWS::KMS::Key, Properties: {KeyPolicy: {Statement: []}}}\n";

static int load_and_render(void)
{
    cfn_template *t = NULL;
    ig_diag *dp = &fault_diag, d;
    memset(dp, 0, sizeof *dp);
    int rc = cfn_load_text(EXPANDED, strlen(EXPANDED), "t.yml", NULL, &t, dp);
    if (rc == IG_OK && (t->npolicies != 5 || t->nresource_policies != 1 || t->deployable ||
                        t->nnotes != 4)) {
        print_error("EXPANDED: %zu policies, %zu notes\n", t->npolicies, t->nnotes);
        rc = IG_E_INPUT;
    }
    cfn_free(t);
    t = NULL;
    if (rc != IG_OK)
        return rc;
    rc = cfn_load_text(PRINCIPALS, strlen(PRINCIPALS), "t.yml", NULL, &t, dp);
    for (size_t i = 0; rc == IG_OK && i < t->npolicies; i++) {
        ig_policy_type type = t->policies[i].kind == CFN_ROLE_TRUST ? IG_POLICY_RESOURCE
                                                                    : IG_POLICY_IDENTITY;
        ig_policy *p = cfn_compile_policy(t, &t->policies[i], type, &d);
        if (!p)
            rc = d.code, *dp = d;
        ig_policy_free(p);
    }
    cfn_free(t);
    if (rc != IG_OK)
        return rc;
    json_buf out;
    json_buf_init(&out);
    rc = cfn_render_deployment(NULL, &out, dp);
    if (rc == IG_OK && out.failed)
        rc = IG_E_NOMEM;
    json_buf_free(&out);
    return rc;
}

/* Every allocation fails in turn: each failure is an out-of-memory error,
 * never a crash, a leak or a half-loaded template. */
static void test_allocation_failures(void **state)
{
    (void)state;
    for (long k = 1;; k++) {
        memset(&fs, 0, sizeof fs);
        fs.fail_at = k;
        ig_set_allocator(&FAULTY);
        int rc = load_and_render();
        ig_set_allocator(NULL);
        if (fs.live != 0)
            print_error("allocation %ld: %ld blocks leaked\n", k, fs.live);
        assert_int_equal(fs.live, 0);
        if (!fs.failed) {
            assert_int_equal(rc, IG_OK);
            assert_true(k > 50);    /* the loop did reach the end of the work */
            break;
        }
        /* (The policy compiler reports some failures inside a value as
         * IG_E_POLICY "out of memory in ..."; the message is what counts.) */
        if (rc >= 0 || !strstr(fault_diag.msg, "out of memory"))
            print_error("allocation %ld: code %d: %s\n", k, rc, fault_diag.msg);
        assert_true(rc < 0);
        assert_non_null(strstr(fault_diag.msg, "out of memory"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ref_short_and_long),
        cmocka_unit_test(test_sub_both_forms),
        cmocka_unit_test(test_getatt_dotted_and_list),
        cmocka_unit_test(test_join_select_split_map_base64),
        cmocka_unit_test(test_if_and_conditions),
        cmocka_unit_test(test_parameters),
        cmocka_unit_test(test_pseudo_parameters),
        cmocka_unit_test(test_unquoted_version_compiles),
        cmocka_unit_test(test_json_template),
        cmocka_unit_test(test_principals_and_attachments),
        cmocka_unit_test(test_generated_names),
        cmocka_unit_test(test_find_policy),
        cmocka_unit_test(test_unresolved_values),
        cmocka_unit_test(test_language_extensions),
        cmocka_unit_test(test_sam_errors),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_unresolvable_references),
        cmocka_unit_test(test_template_structure_errors),
        cmocka_unit_test(test_hostile_templates),
        cmocka_unit_test(test_render_roundtrip),
        cmocka_unit_test(test_render_attachments),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

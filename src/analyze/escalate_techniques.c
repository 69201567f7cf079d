/* escalate_techniques.c - the escalation techniques that go through an AWS
 * service, as data: the calls (in order, with the resource each takes),
 * the service principal the role must trust, what must already exist,
 * and how the caller ends up with the role's permissions.  Sources of the
 * facts: Rhino Security Labs' list of IAM privilege-escalation methods,
 * Bishop Fox's iam-vulnerable, NCC Group's PMapper edges and Cloudsplaining's
 * privilege-escalation rules (with pathfinding.cloud); docs/escalate.md maps
 * theirs to these rows. */
#include <string.h>

#include "analyze/escalate_techniques.h"

#define R ES_RES_ROLE
#define P ES_RES_PREV
#define PASS(svc) { "iam:PassRole", R }

#define LAMBDA "lambda.amazonaws.com"
#define EC2 "ec2.amazonaws.com"
#define CFN "cloudformation.amazonaws.com"
#define GLUE "glue.amazonaws.com"
#define CODEBUILD "codebuild.amazonaws.com"
#define ECS "ecs-tasks.amazonaws.com"
#define SAGEMAKER "sagemaker.amazonaws.com"

#define FUNCTION "arn:aws:lambda:*:%s:function:*"
#define INSTANCE "arn:aws:ec2:*:%s:instance/*"
#define STACK "arn:aws:cloudformation:*:%s:stack/*"
#define PROJECT "arn:aws:codebuild:*:%s:project/*"

const es_technique ES_TECHNIQUES[] = {
    /* ---- passing the role to something new ---- */
    { "lambda-create-invoke", ES_TECH_PASS, LAMBDA,
      "a Lambda function the caller creates runs as the role", NULL,
      { PASS(LAMBDA), { "lambda:CreateFunction", FUNCTION }, { "lambda:InvokeFunction", P } }, 3 },
    { "lambda-create-event-source", ES_TECH_PASS, LAMBDA,
      "a Lambda function the caller creates runs as the role on an event",
      "an event source (DynamoDB or Kinesis stream, SQS queue) the caller can write to",
      { PASS(LAMBDA), { "lambda:CreateFunction", FUNCTION }, { "lambda:CreateEventSourceMapping", "*" } }, 3 },
    { "ec2-run-instances", ES_TECH_PASS, EC2,
      "an EC2 instance runs with the role; its credentials come from the instance metadata",
      "an instance profile that holds the role",
      { PASS(EC2), { "ec2:RunInstances", INSTANCE } }, 2 },
    { "cloudformation-create-stack", ES_TECH_PASS, CFN, "a CloudFormation stack acts as the role", NULL,
      { PASS(CFN), { "cloudformation:CreateStack", STACK } }, 2 },
    { "glue-create-dev-endpoint", ES_TECH_PASS, GLUE,
      "a Glue development endpoint the caller can log in to runs as the role", NULL,
      { PASS(GLUE), { "glue:CreateDevEndpoint", "arn:aws:glue:*:%s:devEndpoint/*" } }, 2 },
    { "codebuild-create-start", ES_TECH_PASS, CODEBUILD,
      "a CodeBuild project runs the caller's build as the role", NULL,
      { PASS(CODEBUILD), { "codebuild:CreateProject", PROJECT }, { "codebuild:StartBuild", P } }, 3 },
    { "ecs-run-task", ES_TECH_PASS, ECS, "an ECS task runs the caller's container as the role",
      "an ECS cluster to run it in",
      { PASS(ECS), { "ecs:RegisterTaskDefinition", "*" }, { "ecs:RunTask", "arn:aws:ecs:*:%s:task-definition/*" } }, 3 },
    { "sagemaker-create-notebook", ES_TECH_PASS, SAGEMAKER,
      "a SageMaker notebook the caller opens runs as the role", NULL,
      { PASS(SAGEMAKER), { "sagemaker:CreateNotebookInstance", "arn:aws:sagemaker:*:%s:notebook-instance/*" },
        { "sagemaker:CreatePresignedNotebookInstanceUrl", P } }, 3 },
    { "datapipeline-create", ES_TECH_PASS, "datapipeline.amazonaws.com",
      "a Data Pipeline runs the caller's commands as the role", NULL,
      { PASS("datapipeline.amazonaws.com"), { "datapipeline:CreatePipeline", "*" },
        { "datapipeline:PutPipelineDefinition", "*" } }, 3 },
    { "codestar-create-project", ES_TECH_PASS, "codestar.amazonaws.com", "a CodeStar project acts as the role", NULL,
      { PASS("codestar.amazonaws.com"), { "codestar:CreateProject", "arn:aws:codestar:*:%s:project/*" } }, 2 },
    { "ssm-start-automation", ES_TECH_PASS, "ssm.amazonaws.com", "an SSM Automation runs as the role", NULL,
      { PASS("ssm.amazonaws.com"),
        { "ssm:StartAutomationExecution", "arn:aws:ssm:*:%s:automation-definition/*" } }, 2 },

    /* ---- changing what already runs as the role ---- */
    { "lambda-update-code", ES_TECH_HIJACK, LAMBDA, "replacing the code of a Lambda function that runs as the role",
      "a Lambda function that runs with this role exists (and is invoked)",
      { { "lambda:UpdateFunctionCode", FUNCTION } }, 1 },
    { "ssm-send-command", ES_TECH_HIJACK, EC2, "running commands on an EC2 instance that has the role",
      "an EC2 instance with this role (and the SSM agent) exists",
      { { "ssm:SendCommand", INSTANCE } }, 1 },
    { "glue-update-dev-endpoint", ES_TECH_HIJACK, GLUE,
      "adding a key to a Glue development endpoint that runs as the role",
      "a Glue development endpoint with this role exists",
      { { "glue:UpdateDevEndpoint", "arn:aws:glue:*:%s:devEndpoint/*" } }, 1 },
    { "codebuild-update-start", ES_TECH_HIJACK, CODEBUILD,
      "changing the build of a CodeBuild project that runs as the role",
      "a CodeBuild project with this service role exists",
      { { "codebuild:UpdateProject", PROJECT }, { "codebuild:StartBuild", P } }, 2 },
    { "cloudformation-update-stack", ES_TECH_HIJACK, CFN,
      "updating a CloudFormation stack whose service role it is",
      "a CloudFormation stack with this service role exists",
      { { "cloudformation:UpdateStack", STACK } }, 1 },
};

const size_t ES_NTECHNIQUES = sizeof ES_TECHNIQUES / sizeof ES_TECHNIQUES[0];

static size_t add_once(const char **out, size_t n, size_t cap, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(out[i], s))
            return n;
    if (n < cap)
        out[n++] = s;
    return n;
}

size_t es_tech_services(const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t t = 0; t < ES_NTECHNIQUES; t++)
        n = add_once(out, n, cap, ES_TECHNIQUES[t].service);
    return n;
}

size_t es_tech_actions(const char **out, size_t cap)
{
    size_t n = 0;
    for (size_t t = 0; t < ES_NTECHNIQUES; t++)
        for (uint32_t k = 0; k < ES_TECHNIQUES[t].ncalls; k++)
            n = add_once(out, n, cap, ES_TECHNIQUES[t].calls[k].action);
    return n;
}

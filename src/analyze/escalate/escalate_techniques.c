/* escalate_techniques.c - the escalation techniques that go through an AWS
 * service, as data: the calls (in order, with the resource each takes),
 * the service principal the role must trust, what must already exist,
 * and how the caller ends up with the role's permissions.  Sources of the
 * facts: Rhino Security Labs' list of IAM privilege-escalation methods,
 * Bishop Fox's iam-vulnerable, NCC Group's PMapper edges and Cloudsplaining's
 * privilege-escalation rules (with pathfinding.cloud); docs/escalate.md maps
 * theirs to these rows. */
#include <string.h>

#include "analyze/escalate/escalate_techniques.h"

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
#define TABLE "arn:aws:dynamodb:*:%s:table/*"
#define LTEMPLATE "arn:aws:ec2:*:%s:launch-template/*"
#define ASG "arn:aws:autoscaling:*:%s:autoScalingGroup:*"
#define STACKSET "arn:aws:cloudformation:*:%s:stackset/*"
#define JOB "arn:aws:glue:*:%s:job/*"
#define TRIGGER "arn:aws:glue:*:%s:trigger/*"
#define NOTEBOOK "arn:aws:sagemaker:*:%s:notebook-instance/*"
#define TASKDEF "arn:aws:ecs:*:%s:task-definition/*"
#define APPRUNNER "arn:aws:apprunner:*:%s:service/*"
#define APPRUNNER_SVC "tasks.apprunner.amazonaws.com"
#define AGENTCORE "bedrock-agentcore.amazonaws.com"

#define A_PROFILE "an instance profile that holds the role"
#define A_FUNCTION "a Lambda function that runs with this role exists"
#define A_INSTANCE "a running EC2 instance whose instance profile holds this role"

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
        { "datapipeline:PutPipelineDefinition", "*" }, { "datapipeline:ActivatePipeline", "*" } }, 4 },
    { "codestar-create-project", ES_TECH_PASS, "codestar.amazonaws.com", "a CodeStar project acts as the role", NULL,
      { PASS("codestar.amazonaws.com"), { "codestar:CreateProject", "arn:aws:codestar:*:%s:project/*" } }, 2 },
    { "ssm-start-automation", ES_TECH_PASS, "ssm.amazonaws.com", "an SSM Automation runs as the role", NULL,
      { PASS("ssm.amazonaws.com"),
        { "ssm:StartAutomationExecution", "arn:aws:ssm:*:%s:automation-definition/*" } }, 2 },

    { "lambda-create-add-permission", ES_TECH_PASS, LAMBDA,
      "a Lambda function the caller creates runs as the role; a resource policy lets the caller's own "
      "account elsewhere invoke it", NULL,
      { PASS(LAMBDA), { "lambda:CreateFunction", FUNCTION }, { "lambda:AddPermission", P } }, 3 },
    { "lambda-create-dynamodb-trigger", ES_TECH_PASS, LAMBDA,
      "a Lambda function the caller creates runs as the role when an item lands in the caller's new table",
      NULL,
      { PASS(LAMBDA), { "dynamodb:CreateTable", TABLE }, { "lambda:CreateFunction", FUNCTION },
        { "lambda:CreateEventSourceMapping", "*" }, { "dynamodb:PutItem", TABLE } }, 5 },
    { "lambda-update-config-role", ES_TECH_PASS, LAMBDA,
      "an existing Lambda function gets the caller's code and the role", "a Lambda function exists that is invoked",
      { PASS(LAMBDA), { "lambda:UpdateFunctionCode", FUNCTION }, { "lambda:UpdateFunctionConfiguration", P } }, 3 },
    { "ec2-run-instances-new-profile", ES_TECH_PASS, EC2,
      "an EC2 instance runs with the role through an instance profile the caller makes for it", NULL,
      { PASS(EC2), { "iam:CreateInstanceProfile", "arn:aws:iam::%s:instance-profile/*" },
        { "iam:AddRoleToInstanceProfile", P }, { "ec2:RunInstances", INSTANCE } }, 4 },
    { "ec2-request-spot-instances", ES_TECH_PASS, EC2,
      "a spot instance runs with the role; its credentials come from the instance metadata", A_PROFILE,
      { PASS(EC2), { "ec2:RequestSpotInstances", "arn:aws:ec2:*:%s:spot-instances-request/*" } }, 2 },
    { "ec2-associate-instance-profile", ES_TECH_PASS, EC2,
      "an instance the caller controls gets the role's instance profile",
      "a running instance the caller controls (without a profile) and an instance profile that holds the role",
      { PASS(EC2), { "ec2:AssociateIamInstanceProfile", INSTANCE } }, 2 },
    { "ec2-replace-instance-profile", ES_TECH_PASS, EC2,
      "an instance the caller controls gets the role's instance profile instead of its own",
      "a running instance the caller controls (with a profile) and an instance profile that holds the role",
      { PASS(EC2), { "ec2:ReplaceIamInstanceProfileAssociation", INSTANCE } }, 2 },
    { "autoscaling-launch-configuration", ES_TECH_PASS, EC2,
      "an Auto Scaling group launches instances with the role from the caller's launch configuration", A_PROFILE,
      { PASS(EC2), { "autoscaling:CreateLaunchConfiguration", "arn:aws:autoscaling:*:%s:launchConfiguration:*" },
        { "autoscaling:CreateAutoScalingGroup", ASG } }, 3 },
    { "autoscaling-launch-template", ES_TECH_PASS, EC2,
      "an Auto Scaling group launches instances with the role from the caller's launch template", A_PROFILE,
      { PASS(EC2), { "ec2:CreateLaunchTemplate", LTEMPLATE }, { "autoscaling:CreateAutoScalingGroup", ASG } }, 3 },
    { "cloudformation-change-set", ES_TECH_PASS, CFN, "a CloudFormation change set the caller executes acts as the role",
      NULL,
      { PASS(CFN), { "cloudformation:CreateChangeSet", STACK }, { "cloudformation:ExecuteChangeSet", P } }, 3 },
    { "cloudformation-create-stack-set", ES_TECH_PASS, CFN,
      "a CloudFormation stack set the caller creates is administered as the role",
      "the stack set's execution role in the target account trusts this role",
      { PASS(CFN), { "cloudformation:CreateStackSet", STACKSET }, { "cloudformation:CreateStackInstances", STACKSET } }, 3 },
    { "cloudformation-update-stack-set", ES_TECH_PASS, CFN,
      "an existing CloudFormation stack set is updated with the caller's template, administered as the role",
      "a stack set exists; its execution role in the target account trusts this role",
      { PASS(CFN), { "cloudformation:UpdateStackSet", STACKSET } }, 2 },
    { "codebuild-create-start-batch", ES_TECH_PASS, CODEBUILD,
      "a CodeBuild project runs the caller's batch build as the role", NULL,
      { PASS(CODEBUILD), { "codebuild:CreateProject", PROJECT }, { "codebuild:StartBuildBatch", P } }, 3 },
    { "glue-create-job-run", ES_TECH_PASS, GLUE, "a Glue job the caller creates runs its script as the role", NULL,
      { PASS(GLUE), { "glue:CreateJob", JOB }, { "glue:StartJobRun", P } }, 3 },
    { "glue-create-job-trigger", ES_TECH_PASS, GLUE,
      "a Glue job the caller creates runs its script as the role when the caller's trigger fires", NULL,
      { PASS(GLUE), { "glue:CreateJob", JOB }, { "glue:CreateTrigger", TRIGGER } }, 3 },
    { "glue-update-job-run", ES_TECH_PASS, GLUE, "an existing Glue job runs the caller's script as the role",
      "a Glue job exists",
      { PASS(GLUE), { "glue:UpdateJob", JOB }, { "glue:StartJobRun", P } }, 3 },
    { "glue-update-job-trigger", ES_TECH_PASS, GLUE,
      "an existing Glue job runs the caller's script as the role when the caller's trigger fires",
      "a Glue job exists",
      { PASS(GLUE), { "glue:UpdateJob", JOB }, { "glue:CreateTrigger", TRIGGER } }, 3 },
    { "sagemaker-training-job", ES_TECH_PASS, SAGEMAKER, "a SageMaker training job runs the caller's container as the role",
      NULL, { PASS(SAGEMAKER), { "sagemaker:CreateTrainingJob", "arn:aws:sagemaker:*:%s:training-job/*" } }, 2 },
    { "sagemaker-processing-job", ES_TECH_PASS, SAGEMAKER,
      "a SageMaker processing job runs the caller's container as the role", NULL,
      { PASS(SAGEMAKER), { "sagemaker:CreateProcessingJob", "arn:aws:sagemaker:*:%s:processing-job/*" } }, 2 },
    { "ecs-start-task", ES_TECH_PASS, ECS, "an ECS task runs the caller's container as the role",
      "a container instance registered in an ECS cluster",
      { PASS(ECS), { "ecs:RegisterTaskDefinition", "*" }, { "ecs:StartTask", TASKDEF } }, 3 },
    { "ecs-create-service", ES_TECH_PASS, ECS, "an ECS service runs the caller's container as the role",
      "an ECS cluster to run it in",
      { PASS(ECS), { "ecs:RegisterTaskDefinition", "*" }, { "ecs:CreateService", "arn:aws:ecs:*:%s:service/*" } }, 3 },
    { "ecs-new-cluster-run-task", ES_TECH_PASS, ECS,
      "an ECS task in a cluster the caller creates runs the caller's container as the role", NULL,
      { PASS(ECS), { "ecs:CreateCluster", "*" }, { "ecs:RegisterTaskDefinition", "*" }, { "ecs:RunTask", TASKDEF } }, 4 },
    { "ecs-new-cluster-service", ES_TECH_PASS, ECS,
      "an ECS service in a cluster the caller creates runs the caller's container as the role", NULL,
      { PASS(ECS), { "ecs:CreateCluster", "*" }, { "ecs:RegisterTaskDefinition", "*" },
        { "ecs:CreateService", "arn:aws:ecs:*:%s:service/*" } }, 4 },
    { "apprunner-create-service", ES_TECH_PASS, APPRUNNER_SVC,
      "an App Runner service runs the caller's image or code with the role as its instance role", NULL,
      { PASS(APPRUNNER_SVC), { "apprunner:CreateService", APPRUNNER } }, 2 },
    { "bedrock-agentcore-code-interpreter", ES_TECH_PASS, AGENTCORE,
      "a Bedrock AgentCore code interpreter the caller creates runs the caller's code as the role", NULL,
      { PASS(AGENTCORE), { "bedrock-agentcore:CreateCodeInterpreter", "*" },
        { "bedrock-agentcore:StartCodeInterpreterSession", "*" }, { "bedrock-agentcore:InvokeCodeInterpreter", "*" } },
      4 },

    /* ---- changing what already runs as the role ---- */
    { "lambda-update-code-invoke", ES_TECH_HIJACK, LAMBDA,
      "replacing the code of a Lambda function that runs as the role, then invoking it", A_FUNCTION,
      { { "lambda:UpdateFunctionCode", FUNCTION }, { "lambda:InvokeFunction", P } }, 2 },
    { "lambda-update-code-add-permission", ES_TECH_HIJACK, LAMBDA,
      "replacing the code of a Lambda function that runs as the role and letting the caller's own account "
      "elsewhere invoke it", A_FUNCTION,
      { { "lambda:UpdateFunctionCode", FUNCTION }, { "lambda:AddPermission", P } }, 2 },
    { "lambda-update-code-event-source", ES_TECH_HIJACK, LAMBDA,
      "replacing the code of a Lambda function that runs as the role and triggering it from an event source",
      "a Lambda function that runs with this role exists; an event source the caller can write to",
      { { "lambda:UpdateFunctionCode", FUNCTION }, { "lambda:CreateEventSourceMapping", "*" } }, 2 },
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
    { "lambda-update-config-layer", ES_TECH_HIJACK, LAMBDA,
      "adding a layer of the caller's to a Lambda function that runs as the role (the layer's code runs first)",
      "a Lambda function that runs with this role exists (and is invoked); a layer the caller publishes",
      { { "lambda:UpdateFunctionConfiguration", FUNCTION } }, 1 },
    { "ec2-modify-user-data", ES_TECH_HIJACK, EC2,
      "new user data on a stopped instance that has the role runs at its next start", A_INSTANCE,
      { { "ec2:StopInstances", INSTANCE }, { "ec2:ModifyInstanceAttribute", P }, { "ec2:StartInstances", P } }, 3 },
    { "ec2-launch-template-version", ES_TECH_HIJACK, EC2,
      "a new default version of a launch template (naming the role's instance profile) is what instances "
      "start from next",
      "an Auto Scaling group or fleet launches instances from the template; an instance profile that holds the role",
      { { "ec2:CreateLaunchTemplateVersion", LTEMPLATE }, { "ec2:ModifyLaunchTemplate", P } }, 2 },
    { "ssm-start-session", ES_TECH_HIJACK, EC2, "a shell on an EC2 instance that has the role",
      "a running EC2 instance with this role and the SSM agent",
      { { "ssm:StartSession", INSTANCE } }, 1 },
    { "ec2-instance-connect", ES_TECH_HIJACK, EC2, "an SSH key pushed to an EC2 instance that has the role",
      "a running EC2 instance with this role, EC2 Instance Connect and SSH reachable by the caller",
      { { "ec2-instance-connect:SendSSHPublicKey", INSTANCE } }, 1 },
    { "ec2-serial-console", ES_TECH_HIJACK, EC2, "an SSH key for the serial console of an EC2 instance that has the role",
      "a running EC2 instance with this role; serial console access enabled for the account",
      { { "ec2-instance-connect:SendSerialConsoleSSHPublicKey", INSTANCE } }, 1 },
    { "cloudformation-change-set-existing", ES_TECH_HIJACK, CFN,
      "a change set to a CloudFormation stack whose service role it is", "a CloudFormation stack with this service role exists",
      { { "cloudformation:CreateChangeSet", STACK }, { "cloudformation:ExecuteChangeSet", P } }, 2 },
    { "codebuild-update-start-batch", ES_TECH_HIJACK, CODEBUILD,
      "changing the batch build of a CodeBuild project that runs as the role",
      "a CodeBuild project with this service role exists",
      { { "codebuild:UpdateProject", PROJECT }, { "codebuild:StartBuildBatch", P } }, 2 },
    { "codebuild-start-build-override", ES_TECH_HIJACK, CODEBUILD,
      "a build of a CodeBuild project that runs as the role, with the caller's buildspec",
      "a CodeBuild project with this service role exists",
      { { "codebuild:StartBuild", PROJECT } }, 1 },
    { "codebuild-start-batch-override", ES_TECH_HIJACK, CODEBUILD,
      "a batch build of a CodeBuild project that runs as the role, with the caller's buildspec",
      "a CodeBuild project with this service role exists",
      { { "codebuild:StartBuildBatch", PROJECT } }, 1 },
    { "sagemaker-presigned-notebook-url", ES_TECH_HIJACK, SAGEMAKER,
      "opening a SageMaker notebook that runs as the role", "a SageMaker notebook instance with this role exists",
      { { "sagemaker:CreatePresignedNotebookInstanceUrl", NOTEBOOK } }, 1 },
    { "sagemaker-notebook-lifecycle", ES_TECH_HIJACK, SAGEMAKER,
      "a lifecycle script of the caller's runs when a SageMaker notebook that has the role restarts",
      "a SageMaker notebook instance with this role exists",
      { { "sagemaker:CreateNotebookInstanceLifecycleConfig",
          "arn:aws:sagemaker:*:%s:notebook-instance-lifecycle-config/*" },
        { "sagemaker:StopNotebookInstance", NOTEBOOK }, { "sagemaker:UpdateNotebookInstance", P },
        { "sagemaker:StartNotebookInstance", P } }, 4 },
    { "ecs-execute-command", ES_TECH_HIJACK, ECS, "a shell in a running ECS task that has the role",
      "a running ECS task with this task role and ECS Exec enabled",
      { { "ecs:ExecuteCommand", "arn:aws:ecs:*:%s:task/*" } }, 1 },
    { "apprunner-update-service", ES_TECH_HIJACK, APPRUNNER_SVC,
      "the caller's image or code in an App Runner service whose instance role it is",
      "an App Runner service with this instance role exists",
      { { "apprunner:UpdateService", APPRUNNER } }, 1 },
    { "bedrock-agentcore-existing-interpreter", ES_TECH_HIJACK, AGENTCORE,
      "running code in a Bedrock AgentCore code interpreter whose execution role it is",
      "a code interpreter with this execution role exists",
      { { "bedrock-agentcore:StartCodeInterpreterSession", "*" }, { "bedrock-agentcore:InvokeCodeInterpreter", P } },
      2 },
};

const size_t ES_NTECHNIQUES = sizeof ES_TECHNIQUES / sizeof ES_TECHNIQUES[0];
_Static_assert(sizeof ES_TECHNIQUES / sizeof ES_TECHNIQUES[0] <= ES_TECH_CAP,
               "a node's technique mask has ES_TECH_CAP bits: raise it");

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

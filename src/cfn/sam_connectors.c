/* sam_connectors.c - the policies AWS::Serverless::Connector (and a
 * resource's Connectors attribute) grant: what a function or state
 * machine may do to a destination, by access category.
 *
 * Source of the facts: SAM's connector profiles,
 * github.com/aws/serverless-application-model,
 * samtranslator/model/connector_profiles/profiles.json (Apache-2.0),
 * written here in iamguard's form (sam_templates.c): "ACTIONS|RESOURCES",
 * with ${DestinationArn} and ${DestinationName} for the destination.  Only
 * sources that are roles (functions, state machines) are modelled: the
 * other profiles write resource policies. */
#include <string.h>

#include "cfn/sam.h"

#define S3_READ "s3:GetObject s3:GetObjectAcl s3:GetObjectLegalHold s3:GetObjectRetention " \
    "s3:GetObjectTorrent s3:GetObjectVersion s3:GetObjectVersionAcl " \
    "s3:GetObjectVersionForReplication s3:GetObjectVersionTorrent s3:ListBucket " \
    "s3:ListBucketMultipartUploads s3:ListBucketVersions s3:ListMultipartUploadParts" \
    "|${DestinationArn} ${DestinationArn}/*"
#define S3_WRITE "s3:AbortMultipartUpload s3:DeleteObject s3:DeleteObjectVersion s3:PutObject " \
    "s3:PutObjectLegalHold s3:PutObjectRetention s3:RestoreObject" \
    "|${DestinationArn} ${DestinationArn}/*"
#define DDB_READ "dynamodb:GetItem dynamodb:Query dynamodb:Scan dynamodb:BatchGetItem " \
    "dynamodb:ConditionCheckItem dynamodb:PartiQLSelect|${DestinationArn} ${DestinationArn}/index/*"
#define DDB_WRITE "dynamodb:PutItem dynamodb:UpdateItem dynamodb:DeleteItem " \
    "dynamodb:BatchWriteItem dynamodb:PartiQLDelete dynamodb:PartiQLInsert " \
    "dynamodb:PartiQLUpdate|${DestinationArn} ${DestinationArn}/index/*"
#define EXECUTIONS "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:" \
    "${DestinationName}:*"
#define SFN_RULE "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/" \
    "StepFunctionsGetEventsForStepFunctionsExecutionRule"

#define L(...) (const char *const[]){ __VA_ARGS__, NULL }

static const sam_connector_profile PROFILES[] = {
    { "AWS::Lambda::Function", "AWS::S3::Bucket", L(S3_READ), L(S3_WRITE) },
    { "AWS::Lambda::Function", "AWS::DynamoDB::Table", L(DDB_READ), L(DDB_WRITE) },
    { "AWS::Lambda::Function", "AWS::SQS::Queue",
      L("sqs:ReceiveMessage sqs:GetQueueAttributes|${DestinationArn}"),
      L("sqs:DeleteMessage sqs:SendMessage sqs:ChangeMessageVisibility sqs:PurgeQueue"
        "|${DestinationArn}") },
    { "AWS::Lambda::Function", "AWS::SNS::Topic", NULL, L("sns:Publish|${DestinationArn}") },
    { "AWS::Lambda::Function", "AWS::Lambda::Function", NULL,
      L("lambda:InvokeAsync lambda:InvokeFunction|${DestinationArn}") },
    { "AWS::Lambda::Function", "AWS::StepFunctions::StateMachine",
      L("states:DescribeStateMachine states:ListExecutions|${DestinationArn}",
        "states:DescribeExecution states:DescribeStateMachineForExecution "
        "states:GetExecutionHistory|" EXECUTIONS),
      L("states:StartExecution states:StartSyncExecution|${DestinationArn}",
        "states:StopExecution|" EXECUTIONS) },
    { "AWS::Lambda::Function", "AWS::Events::EventBus", NULL,
      L("events:PutEvents|${DestinationArn}") },
    { "AWS::StepFunctions::StateMachine", "AWS::S3::Bucket", L(S3_READ), L(S3_WRITE) },
    { "AWS::StepFunctions::StateMachine", "AWS::DynamoDB::Table", L(DDB_READ), L(DDB_WRITE) },
    { "AWS::StepFunctions::StateMachine", "AWS::SQS::Queue", NULL,
      L("sqs:SendMessage|${DestinationArn}") },
    { "AWS::StepFunctions::StateMachine", "AWS::SNS::Topic", NULL,
      L("sns:Publish|${DestinationArn}") },
    { "AWS::StepFunctions::StateMachine", "AWS::Lambda::Function", NULL,
      L("lambda:InvokeAsync lambda:InvokeFunction|${DestinationArn}") },
    { "AWS::StepFunctions::StateMachine", "AWS::StepFunctions::StateMachine",
      L("states:DescribeExecution|" EXECUTIONS, "events:DescribeRule|" SFN_RULE),
      L("states:StartExecution|${DestinationArn}", "states:StopExecution|" EXECUTIONS,
        "events:PutTargets events:PutRule|" SFN_RULE) },
    { "AWS::StepFunctions::StateMachine", "AWS::Events::EventBus", NULL,
      L("events:PutEvents|${DestinationArn}") },
};

const sam_connector_profile *sam_find_connector_profile(const char *source, const char *dest)
{
    for (size_t i = 0; i < sizeof PROFILES / sizeof PROFILES[0]; i++)
        if (!strcmp(PROFILES[i].source, source) && !strcmp(PROFILES[i].destination, dest))
            return &PROFILES[i];
    return NULL;
}

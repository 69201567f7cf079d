/* sam_templates.c - the SAM policy templates (Policies: [{S3ReadPolicy:
 * {BucketName: ...}}]) as iamguard expands them.
 *
 * Source of the facts: the policy template list the SAM transform
 * publishes, github.com/aws/serverless-application-model,
 * samtranslator/policy_templates_data/policy_templates.json (Apache-2.0),
 * at the commit of ../shared or later; written here in iamguard's own
 * compact form, one string per statement:
 *
 *   "ACTION ACTION ...|RESOURCE RESOURCE ...[|CONDITION-KEY=VALUE]"
 *
 * Effect is Allow; a condition is StringEquals.  ${Param} is the template's
 * parameter as the user gives it, ${AWS::...} a pseudo parameter; both are
 * substituted with Fn::Sub, as SAM does. */
#include <stddef.h>
#include <string.h>

#include "cfn/sam.h"

static const sam_policy_template TEMPLATES[] = {
    { "AMIDescribePolicy", "",
      (const char *const[]){
          "ec2:DescribeImages|*",
          NULL } },
    { "AWSSecretsManagerGetSecretValuePolicy", "SecretArn",
      (const char *const[]){
          "secretsmanager:GetSecretValue|${SecretArn}",
          NULL } },
    { "AWSSecretsManagerRotationPolicy", "FunctionName",
      (const char *const[]){
          "secretsmanager:DescribeSecret secretsmanager:GetSecretValue "
          "secretsmanager:PutSecretValue "
          "secretsmanager:UpdateSecretVersionStage|arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*|secretsmanager:resource/AllowRotationLambdaArn=arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}",
          "secretsmanager:GetRandomPassword|*",
          NULL } },
    { "AcmGetCertificatePolicy", "CertificateArn",
      (const char *const[]){
          "acm:GetCertificate|${CertificateArn}",
          NULL } },
    { "AthenaQueryPolicy", "WorkGroupName",
      (const char *const[]){
          "athena:ListWorkGroups athena:GetExecutionEngine athena:GetExecutionEngines "
          "athena:GetNamespace athena:GetCatalogs athena:GetNamespaces athena:GetTables "
          "athena:GetTable|*",
          "athena:StartQueryExecution athena:GetQueryResults athena:DeleteNamedQuery "
          "athena:GetNamedQuery athena:ListQueryExecutions athena:StopQueryExecution "
          "athena:GetQueryResultsStream athena:ListNamedQueries athena:CreateNamedQuery "
          "athena:GetQueryExecution athena:BatchGetNamedQuery "
          "athena:BatchGetQueryExecution "
          "athena:GetWorkGroup|arn:${AWS::Partition}:athena:${AWS::Region}:${AWS::AccountId}:workgroup/${WorkGroupName}",
          NULL } },
    { "CloudFormationDescribeStacksPolicy", "",
      (const char *const[]){
          "cloudformation:DescribeStacks|arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/*",
          NULL } },
    { "CloudWatchDashboardPolicy", "",
      (const char *const[]){
          "cloudwatch:GetDashboard cloudwatch:ListDashboards cloudwatch:PutDashboard "
          "cloudwatch:ListMetrics|*",
          NULL } },
    { "CloudWatchDescribeAlarmHistoryPolicy", "",
      (const char *const[]){
          "cloudwatch:DescribeAlarmHistory|*",
          NULL } },
    { "CloudWatchPutMetricPolicy", "",
      (const char *const[]){
          "cloudwatch:PutMetricData|*",
          NULL } },
    { "CodeCommitCrudPolicy", "RepositoryName",
      (const char *const[]){
          "codecommit:GitPull codecommit:GitPush codecommit:CreateBranch "
          "codecommit:DeleteBranch codecommit:GetBranch codecommit:ListBranches "
          "codecommit:MergeBranchesByFastForward codecommit:MergeBranchesBySquash "
          "codecommit:MergeBranchesByThreeWay codecommit:UpdateDefaultBranch "
          "codecommit:BatchDescribeMergeConflicts "
          "codecommit:CreateUnreferencedMergeCommit codecommit:DescribeMergeConflicts "
          "codecommit:GetMergeCommit codecommit:GetMergeOptions "
          "codecommit:BatchGetPullRequests codecommit:CreatePullRequest "
          "codecommit:DescribePullRequestEvents codecommit:GetCommentsForPullRequest "
          "codecommit:GetCommitsFromMergeBase codecommit:GetMergeConflicts "
          "codecommit:GetPullRequest codecommit:ListPullRequests "
          "codecommit:MergePullRequestByFastForward codecommit:MergePullRequestBySquash "
          "codecommit:MergePullRequestByThreeWay codecommit:PostCommentForPullRequest "
          "codecommit:UpdatePullRequestDescription codecommit:UpdatePullRequestStatus "
          "codecommit:UpdatePullRequestTitle codecommit:DeleteFile codecommit:GetBlob "
          "codecommit:GetFile codecommit:GetFolder codecommit:PutFile "
          "codecommit:DeleteCommentContent codecommit:GetComment "
          "codecommit:GetCommentsForComparedCommit "
          "codecommit:PostCommentForComparedCommit codecommit:PostCommentReply "
          "codecommit:UpdateComment codecommit:BatchGetCommits codecommit:CreateCommit "
          "codecommit:GetCommit codecommit:GetCommitHistory codecommit:GetDifferences "
          "codecommit:GetObjectIdentifier codecommit:GetReferences codecommit:GetTree "
          "codecommit:GetRepository codecommit:UpdateRepositoryDescription "
          "codecommit:ListTagsForResource codecommit:TagResource codecommit:UntagResource "
          "codecommit:GetRepositoryTriggers codecommit:PutRepositoryTriggers "
          "codecommit:TestRepositoryTriggers codecommit:GetBranch codecommit:GetCommit "
          "codecommit:UploadArchive codecommit:GetUploadArchiveStatus "
          "codecommit:CancelUploadArchive|arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:${RepositoryName}",
          NULL } },
    { "CodeCommitReadPolicy", "RepositoryName",
      (const char *const[]){
          "codecommit:GitPull codecommit:GetBranch codecommit:ListBranches "
          "codecommit:BatchDescribeMergeConflicts codecommit:DescribeMergeConflicts "
          "codecommit:GetMergeCommit codecommit:GetMergeOptions "
          "codecommit:BatchGetPullRequests codecommit:DescribePullRequestEvents "
          "codecommit:GetCommentsForPullRequest codecommit:GetCommitsFromMergeBase "
          "codecommit:GetMergeConflicts codecommit:GetPullRequest "
          "codecommit:ListPullRequests codecommit:GetBlob codecommit:GetFile "
          "codecommit:GetFolder codecommit:GetComment "
          "codecommit:GetCommentsForComparedCommit codecommit:BatchGetCommits "
          "codecommit:GetCommit codecommit:GetCommitHistory codecommit:GetDifferences "
          "codecommit:GetObjectIdentifier codecommit:GetReferences codecommit:GetTree "
          "codecommit:GetRepository codecommit:ListTagsForResource "
          "codecommit:GetRepositoryTriggers codecommit:TestRepositoryTriggers "
          "codecommit:GetBranch codecommit:GetCommit "
          "codecommit:GetUploadArchiveStatus|arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:${RepositoryName}",
          NULL } },
    { "CodePipelineLambdaExecutionPolicy", "",
      (const char *const[]){
          "codepipeline:PutJobSuccessResult codepipeline:PutJobFailureResult|*",
          NULL } },
    { "CodePipelineReadOnlyPolicy", "PipelineName",
      (const char *const[]){
          "codepipeline:ListPipelineExecutions|arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:${PipelineName}",
          NULL } },
    { "ComprehendBasicAccessPolicy", "",
      (const char *const[]){
          "comprehend:BatchDetectKeyPhrases comprehend:DetectDominantLanguage "
          "comprehend:DetectEntities comprehend:BatchDetectEntities "
          "comprehend:DetectKeyPhrases comprehend:DetectSentiment "
          "comprehend:BatchDetectDominantLanguage comprehend:BatchDetectSentiment|*",
          NULL } },
    { "CostExplorerReadOnlyPolicy", "",
      (const char *const[]){
          "ce:GetCostAndUsage ce:GetDimensionValues ce:GetReservationCoverage "
          "ce:GetReservationPurchaseRecommendation ce:GetReservationUtilization "
          "ce:GetTags|*",
          NULL } },
    { "DynamoDBBackupFullAccessPolicy", "TableName",
      (const char *const[]){
          "dynamodb:CreateBackup "
          "dynamodb:DescribeContinuousBackups|arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}",
          "dynamodb:DeleteBackup dynamodb:DescribeBackup "
          "dynamodb:ListBackups|arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/backup/*",
          NULL } },
    { "DynamoDBCrudPolicy", "TableName",
      (const char *const[]){
          "dynamodb:GetItem dynamodb:DeleteItem dynamodb:PutItem dynamodb:Scan "
          "dynamodb:Query dynamodb:UpdateItem dynamodb:BatchWriteItem "
          "dynamodb:BatchGetItem dynamodb:DescribeTable "
          "dynamodb:ConditionCheckItem|arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName} "
          "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*",
          NULL } },
    { "DynamoDBReadPolicy", "TableName",
      (const char *const[]){
          "dynamodb:GetItem dynamodb:Scan dynamodb:Query dynamodb:BatchGetItem "
          "dynamodb:DescribeTable|arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName} "
          "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*",
          NULL } },
    { "DynamoDBReconfigurePolicy", "TableName",
      (const char *const[]){
          "dynamodb:UpdateTable|arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}",
          NULL } },
    { "DynamoDBRestoreFromBackupPolicy", "TableName",
      (const char *const[]){
          "dynamodb:RestoreTableFromBackup|arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/backup/*",
          "dynamodb:PutItem dynamodb:UpdateItem dynamodb:DeleteItem dynamodb:GetItem "
          "dynamodb:Query dynamodb:Scan "
          "dynamodb:BatchWriteItem|arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}",
          NULL } },
    { "DynamoDBStreamReadPolicy", "StreamName TableName",
      (const char *const[]){
          "dynamodb:DescribeStream dynamodb:GetRecords "
          "dynamodb:GetShardIterator|arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/stream/${StreamName}",
          "dynamodb:ListStreams|arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/stream/*",
          NULL } },
    { "DynamoDBWritePolicy", "TableName",
      (const char *const[]){
          "dynamodb:PutItem dynamodb:UpdateItem "
          "dynamodb:BatchWriteItem|arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName} "
          "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${TableName}/index/*",
          NULL } },
    { "EC2CopyImagePolicy", "ImageId",
      (const char *const[]){
          "ec2:CopyImage|arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:image/${ImageId}",
          NULL } },
    { "EC2DescribePolicy", "",
      (const char *const[]){
          "ec2:DescribeRegions ec2:DescribeInstances|*",
          NULL } },
    { "EFSWriteAccessPolicy", "AccessPoint FileSystem",
      (const char *const[]){
          "elasticfilesystem:ClientMount "
          "elasticfilesystem:ClientWrite|arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:file-system/${FileSystem}|elasticfilesystem:AccessPointArn=arn:${AWS::Partition}:elasticfilesystem:${AWS::Region}:${AWS::AccountId}:access-point/${AccessPoint}",
          NULL } },
    { "EKSDescribePolicy", "",
      (const char *const[]){
          "eks:DescribeCluster eks:ListClusters|*",
          NULL } },
    { "EcsRunTaskPolicy", "TaskDefinition",
      (const char *const[]){
          "ecs:RunTask|arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task-definition/${TaskDefinition}",
          NULL } },
    { "ElasticMapReduceAddJobFlowStepsPolicy", "ClusterId",
      (const char *const[]){
          "elasticmapreduce:AddJobFlowSteps|arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}",
          NULL } },
    { "ElasticMapReduceCancelStepsPolicy", "ClusterId",
      (const char *const[]){
          "elasticmapreduce:CancelSteps|arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}",
          NULL } },
    { "ElasticMapReduceModifyInstanceFleetPolicy", "ClusterId",
      (const char *const[]){
          "elasticmapreduce:ModifyInstanceFleet "
          "elasticmapreduce:ListInstanceFleets|arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}",
          NULL } },
    { "ElasticMapReduceModifyInstanceGroupsPolicy", "ClusterId",
      (const char *const[]){
          "elasticmapreduce:ModifyInstanceGroups "
          "elasticmapreduce:ListInstanceGroups|arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}",
          NULL } },
    { "ElasticMapReduceSetTerminationProtectionPolicy", "ClusterId",
      (const char *const[]){
          "elasticmapreduce:SetTerminationProtection|arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}",
          NULL } },
    { "ElasticMapReduceTerminateJobFlowsPolicy", "ClusterId",
      (const char *const[]){
          "elasticmapreduce:TerminateJobFlows|arn:${AWS::Partition}:elasticmapreduce:${AWS::Region}:${AWS::AccountId}:cluster/${ClusterId}",
          NULL } },
    { "ElasticsearchHttpPostPolicy", "DomainName",
      (const char *const[]){
          "es:ESHttpPost "
          "es:ESHttpPut|arn:${AWS::Partition}:es:${AWS::Region}:${AWS::AccountId}:domain/${DomainName}/*",
          NULL } },
    { "EventBridgePutEventsPolicy", "EventBusName",
      (const char *const[]){
          "events:PutEvents|arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${EventBusName}",
          NULL } },
    { "FilterLogEventsPolicy", "LogGroupName",
      (const char *const[]){
          "logs:FilterLogEvents|arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroupName}:log-stream:*",
          NULL } },
    { "FirehoseCrudPolicy", "DeliveryStreamName",
      (const char *const[]){
          "firehose:CreateDeliveryStream firehose:DeleteDeliveryStream "
          "firehose:DescribeDeliveryStream firehose:PutRecord firehose:PutRecordBatch "
          "firehose:UpdateDestination|arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/${DeliveryStreamName}",
          NULL } },
    { "FirehoseWritePolicy", "DeliveryStreamName",
      (const char *const[]){
          "firehose:PutRecord "
          "firehose:PutRecordBatch|arn:${AWS::Partition}:firehose:${AWS::Region}:${AWS::AccountId}:deliverystream/${DeliveryStreamName}",
          NULL } },
    { "KMSDecryptPolicy", "KeyId",
      (const char *const[]){
          "kms:Decrypt|arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}",
          NULL } },
    { "KMSEncryptPolicy", "KeyId",
      (const char *const[]){
          "kms:Encrypt|arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}",
          NULL } },
    { "KMSEncryptPolicy_v2", "KeyId",
      (const char *const[]){
          "kms:Encrypt kms:GenerateDataKey kms:GenerateDataKeyWithoutPlaintext "
          "kms:GenerateDataKeyPair "
          "kms:GenerateDataKeyPairWithoutPlaintext|arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}",
          NULL } },
    { "KinesisCrudPolicy", "StreamName",
      (const char *const[]){
          "kinesis:AddTagsToStream kinesis:CreateStream "
          "kinesis:DecreaseStreamRetentionPeriod kinesis:DeleteStream "
          "kinesis:DescribeStream kinesis:DescribeStreamSummary kinesis:GetShardIterator "
          "kinesis:IncreaseStreamRetentionPeriod kinesis:ListTagsForStream "
          "kinesis:MergeShards kinesis:PutRecord kinesis:PutRecords kinesis:SplitShard "
          "kinesis:RemoveTagsFromStream|arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${StreamName}",
          NULL } },
    { "KinesisStreamReadPolicy", "StreamName",
      (const char *const[]){
          "kinesis:ListStreams "
          "kinesis:DescribeLimits|arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/*",
          "kinesis:DescribeStream kinesis:DescribeStreamSummary kinesis:GetRecords "
          "kinesis:GetShardIterator|arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/${StreamName}",
          NULL } },
    { "LambdaInvokePolicy", "FunctionName",
      (const char *const[]){
          "lambda:InvokeFunction|arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${FunctionName}*",
          NULL } },
    { "MobileAnalyticsWriteOnlyAccessPolicy", "",
      (const char *const[]){
          "mobileanalytics:PutEvents|*",
          NULL } },
    { "OrganizationsListAccountsPolicy", "",
      (const char *const[]){
          "organizations:ListAccounts|*",
          NULL } },
    { "PinpointEndpointAccessPolicy", "PinpointApplicationId",
      (const char *const[]){
          "mobiletargeting:GetEndpoint mobiletargeting:UpdateEndpoint "
          "mobiletargeting:UpdateEndpointsBatch|arn:${AWS::Partition}:mobiletargeting:${AWS::Region}:${AWS::AccountId}:apps/${PinpointApplicationId}/endpoints/*",
          NULL } },
    { "PollyFullAccessPolicy", "LexiconName",
      (const char *const[]){
          "polly:GetLexicon "
          "polly:DeleteLexicon|arn:${AWS::Partition}:polly:${AWS::Region}:${AWS::AccountId}:lexicon/${LexiconName}",
          "polly:DescribeVoices polly:ListLexicons polly:PutLexicon "
          "polly:SynthesizeSpeech|arn:${AWS::Partition}:polly:${AWS::Region}:${AWS::AccountId}:lexicon/*",
          NULL } },
    { "RekognitionDetectOnlyPolicy", "",
      (const char *const[]){
          "rekognition:DetectFaces rekognition:DetectLabels "
          "rekognition:DetectModerationLabels rekognition:DetectText|*",
          NULL } },
    { "RekognitionFacesManagementPolicy", "CollectionId",
      (const char *const[]){
          "rekognition:IndexFaces rekognition:DeleteFaces rekognition:SearchFaces "
          "rekognition:SearchFacesByImage "
          "rekognition:ListFaces|arn:${AWS::Partition}:rekognition:${AWS::Region}:${AWS::AccountId}:collection/${CollectionId}",
          NULL } },
    { "RekognitionFacesPolicy", "",
      (const char *const[]){
          "rekognition:CompareFaces rekognition:DetectFaces|*",
          NULL } },
    { "RekognitionLabelsPolicy", "",
      (const char *const[]){
          "rekognition:DetectLabels rekognition:DetectModerationLabels|*",
          NULL } },
    { "RekognitionNoDataAccessPolicy", "CollectionId",
      (const char *const[]){
          "rekognition:CompareFaces rekognition:DetectFaces rekognition:DetectLabels "
          "rekognition:DetectModerationLabels|arn:${AWS::Partition}:rekognition:${AWS::Region}:${AWS::AccountId}:collection/${CollectionId}",
          NULL } },
    { "RekognitionReadPolicy", "CollectionId",
      (const char *const[]){
          "rekognition:ListCollections rekognition:ListFaces rekognition:SearchFaces "
          "rekognition:SearchFacesByImage|arn:${AWS::Partition}:rekognition:${AWS::Region}:${AWS::AccountId}:collection/${CollectionId}",
          NULL } },
    { "RekognitionWriteOnlyAccessPolicy", "CollectionId",
      (const char *const[]){
          "rekognition:CreateCollection "
          "rekognition:IndexFaces|arn:${AWS::Partition}:rekognition:${AWS::Region}:${AWS::AccountId}:collection/${CollectionId}",
          NULL } },
    { "Route53ChangeResourceRecordSetsPolicy", "HostedZoneId",
      (const char *const[]){
          "route53:ChangeResourceRecordSets|arn:${AWS::Partition}:route53:::hostedzone/${HostedZoneId}",
          NULL } },
    { "S3CrudPolicy", "BucketName",
      (const char *const[]){
          "s3:GetObject s3:ListBucket s3:GetBucketLocation s3:GetObjectVersion "
          "s3:PutObject s3:PutObjectAcl s3:GetLifecycleConfiguration "
          "s3:PutLifecycleConfiguration "
          "s3:DeleteObject|arn:${AWS::Partition}:s3:::${BucketName} "
          "arn:${AWS::Partition}:s3:::${BucketName}/*",
          NULL } },
    { "S3FullAccessPolicy", "BucketName",
      (const char *const[]){
          "s3:GetObject s3:GetObjectAcl s3:GetObjectVersion s3:PutObject s3:PutObjectAcl "
          "s3:DeleteObject s3:DeleteObjectTagging s3:DeleteObjectVersionTagging "
          "s3:GetObjectTagging s3:GetObjectVersionTagging s3:PutObjectTagging "
          "s3:PutObjectVersionTagging|arn:${AWS::Partition}:s3:::${BucketName}/*",
          "s3:ListBucket s3:GetBucketLocation s3:GetLifecycleConfiguration "
          "s3:PutLifecycleConfiguration|arn:${AWS::Partition}:s3:::${BucketName}",
          NULL } },
    { "S3ReadPolicy", "BucketName",
      (const char *const[]){
          "s3:GetObject s3:ListBucket s3:GetBucketLocation s3:GetObjectVersion "
          "s3:GetLifecycleConfiguration|arn:${AWS::Partition}:s3:::${BucketName} "
          "arn:${AWS::Partition}:s3:::${BucketName}/*",
          NULL } },
    { "S3WritePolicy", "BucketName",
      (const char *const[]){
          "s3:PutObject s3:PutObjectAcl "
          "s3:PutLifecycleConfiguration|arn:${AWS::Partition}:s3:::${BucketName} "
          "arn:${AWS::Partition}:s3:::${BucketName}/*",
          NULL } },
    { "SESBulkTemplatedCrudPolicy", "IdentityName",
      (const char *const[]){
          "ses:GetIdentityVerificationAttributes ses:SendEmail ses:SendRawEmail "
          "ses:SendTemplatedEmail ses:SendBulkTemplatedEmail "
          "ses:VerifyEmailIdentity|arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName}",
          NULL } },
    { "SESBulkTemplatedCrudPolicy_v2", "IdentityName TemplateName",
      (const char *const[]){
          "ses:SendEmail ses:SendRawEmail ses:SendTemplatedEmail "
          "ses:SendBulkTemplatedEmail|arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName} "
          "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:template/${TemplateName}",
          "ses:GetIdentityVerificationAttributes ses:VerifyEmailIdentity|*",
          NULL } },
    { "SESCrudPolicy", "IdentityName",
      (const char *const[]){
          "ses:GetIdentityVerificationAttributes ses:SendEmail ses:SendRawEmail "
          "ses:VerifyEmailIdentity|arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName}",
          NULL } },
    { "SESEmailTemplateCrudPolicy", "",
      (const char *const[]){
          "ses:CreateTemplate ses:GetTemplate ses:ListTemplates ses:UpdateTemplate "
          "ses:DeleteTemplate ses:TestRenderTemplate|*",
          NULL } },
    { "SESSendBouncePolicy", "IdentityName",
      (const char *const[]){
          "ses:SendBounce|arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${IdentityName}",
          NULL } },
    { "SNSCrudPolicy", "TopicName",
      (const char *const[]){
          "sns:ListSubscriptionsByTopic sns:CreateTopic sns:SetTopicAttributes "
          "sns:Subscribe "
          "sns:Publish|arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}*",
          NULL } },
    { "SNSPublishMessagePolicy", "TopicName",
      (const char *const[]){
          "sns:Publish|arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:${TopicName}",
          NULL } },
    { "SQSPollerPolicy", "QueueName",
      (const char *const[]){
          "sqs:ChangeMessageVisibility sqs:ChangeMessageVisibilityBatch sqs:DeleteMessage "
          "sqs:DeleteMessageBatch sqs:GetQueueAttributes "
          "sqs:ReceiveMessage|arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}",
          NULL } },
    { "SQSSendMessagePolicy", "QueueName",
      (const char *const[]){
          "sqs:SendMessage*|arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${QueueName}",
          NULL } },
    { "SSMParameterReadPolicy", "ParameterName",
      (const char *const[]){
          "ssm:DescribeParameters|*",
          "ssm:GetParameters ssm:GetParameter "
          "ssm:GetParametersByPath|arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${ParameterName}",
          NULL } },
    { "SSMParameterWithSlashPrefixReadPolicy", "ParameterName",
      (const char *const[]){
          "ssm:DescribeParameters|*",
          "ssm:GetParameters ssm:GetParameter "
          "ssm:GetParametersByPath|arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter${ParameterName}",
          NULL } },
    { "SageMakerCreateEndpointConfigPolicy", "EndpointConfigName",
      (const char *const[]){
          "sagemaker:CreateEndpointConfig|arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint-config/${EndpointConfigName}",
          NULL } },
    { "SageMakerCreateEndpointPolicy", "EndpointName",
      (const char *const[]){
          "sagemaker:CreateEndpoint|arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:endpoint/${EndpointName}",
          NULL } },
    { "ServerlessRepoReadWriteAccessPolicy", "",
      (const char *const[]){
          "serverlessrepo:CreateApplication serverlessrepo:CreateApplicationVersion "
          "serverlessrepo:UpdateApplication serverlessrepo:GetApplication "
          "serverlessrepo:ListApplications serverlessrepo:ListApplicationVersions "
          "serverlessrepo:ListApplicationDependencies|arn:${AWS::Partition}:serverlessrepo:${AWS::Region}:${AWS::AccountId}:applications/*",
          NULL } },
    { "StepFunctionsCallbackPolicy", "StateMachineName",
      (const char *const[]){
          "states:SendTaskFailure states:SendTaskHeartbeat "
          "states:SendTaskSuccess|arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}",
          NULL } },
    { "StepFunctionsExecutionPolicy", "StateMachineName",
      (const char *const[]){
          "states:StartExecution|arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}",
          NULL } },
    { "StepFunctionsExecutionPolicy_v2", "StateMachineName",
      (const char *const[]){
          "states:StartExecution "
          "states:StartSyncExecution|arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:stateMachine:${StateMachineName}",
          NULL } },
    { "TextractDetectAnalyzePolicy", "",
      (const char *const[]){
          "textract:DetectDocumentText textract:StartDocumentTextDetection "
          "textract:StartDocumentAnalysis textract:AnalyzeDocument|*",
          NULL } },
    { "TextractGetResultPolicy", "",
      (const char *const[]){
          "textract:GetDocumentTextDetection textract:GetDocumentAnalysis|*",
          NULL } },
    { "TextractPolicy", "",
      (const char *const[]){
          "textract:*|*",
          NULL } },
    { "VPCAccessPolicy", "",
      (const char *const[]){
          "ec2:CreateNetworkInterface ec2:DeleteNetworkInterface "
          "ec2:DescribeNetworkInterfaces ec2:DetachNetworkInterface|*",
          NULL } },
};

const sam_policy_template *sam_find_policy_template(const char *name)
{
    for (size_t i = 0; i < sizeof TEMPLATES / sizeof TEMPLATES[0]; i++)
        if (!strcmp(TEMPLATES[i].name, name))
            return &TEMPLATES[i];
    return NULL;
}

import type { Stack } from 'aws-cdk-lib';
import { NagSuppressions } from 'cdk-nag';

// Every accepted cdk-nag finding, each with the reason it is accepted.
export function applyNagSuppressions(stack: Stack): void {
  NagSuppressions.addStackSuppressions(stack, [
    {
      id: 'AwsSolutions-IAM4',
      reason:
        'AWSLambdaBasicExecutionRole (log writing) and AmazonAPIGatewayPushToCloudWatchLogs (the account-level API Gateway logging role) are the AWS-maintained minimal policies for exactly those duties.',
      appliesTo: [
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
      ],
    },
    {
      id: 'AwsSolutions-IAM5',
      reason:
        'Wildcards are scoped: table index ARNs (<table>/index/*) for the GSIs the code queries; kms:Decrypt on key/* only via ssm.<region> (the AWS-managed SSM key has no stable ARN to name); X-Ray trace segments, which have no resource ARN.',
    },
    {
      id: 'AwsSolutions-L1',
      reason: 'nodejs22.x is the runtime the team fixed for this service (DEVELOPERS.md); moving to a newer runtime is a deliberate, tested change.',
    },
    {
      id: 'AwsSolutions-APIG2',
      reason: 'Requests are validated in the application (class-validator, contract error shape); API Gateway validation would answer in another shape.',
    },
    {
      id: 'AwsSolutions-APIG4',
      reason: 'Authorization is the X-API-Key check in the application (hashed keys bound to an appId); /webhooks/* must stay open for gateways, which authenticate by signature.',
    },
    {
      id: 'AwsSolutions-COG4',
      reason: 'No end users: callers are product backends with API keys and gateways with signed webhooks; Cognito does not apply.',
    },
    {
      id: 'AwsSolutions-SQS3',
      reason: 'These queues are themselves the dead-letter queues; a DLQ of a DLQ adds nothing.',
    },
  ]);
}

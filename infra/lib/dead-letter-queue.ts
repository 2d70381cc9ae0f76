import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

// SQS-managed encryption (SNS can deliver to it, unlike the aws/sqs KMS key), TLS only, and the
// maximum retention so an operator has two weeks to replay.
export const deadLetterQueue = (scope: Construct, id: string): Queue =>
  new Queue(scope, id, { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });

import { beforeAll, describe, expect, it } from '@jest/globals';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import type { Stack } from 'aws-cdk-lib';
import { ENVIRONMENTS } from '../../infra/config/environments.js';
import { INDEXES } from '../../src/storage/table-schema.js';
import { synthesize } from './synth.js';

describe('PaymentsStack (dev)', () => {
  let template: Template;
  let stack: Stack;

  beforeAll(() => {
    ({ template, stack } = synthesize('dev'));
  }, 120_000);

  it('runs every Lambda on Node 22 arm64 from the bundled JS', () => {
    const functions = template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } });
    expect(Object.keys(functions)).toHaveLength(4);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
      expect(fn.Properties.Environment.Variables).toMatchObject({ NODE_ENV: 'production', SSM_PARAMETER_PATH: '/payments/dev/' });
    }
  });

  it('has the table with PITR, TTL, a NEW_IMAGE stream and the indexes the code queries', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: Object.values(INDEXES).map((index) => Match.objectLike({ IndexName: index.name })),
    });
  });

  it('names the topic per env, encrypts it and lets the subscriber accounts subscribe', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'tkhtech-payment-events-dev', KmsMasterKeyId: Match.anyValue() });
    const principals = ENVIRONMENTS.dev.subscriberAccountIds.map((account) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] }));
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Subscribe', Effect: 'Allow', Principal: { AWS: principals } })]),
      },
    });
  });

  it('puts a WAF rate rule of 100 per 60 s per IP on the API stage', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: [Match.objectLike({ Statement: { RateBasedStatement: { Limit: 100, EvaluationWindowSec: 60, AggregateKeyType: 'IP' } }, Action: { Block: {} } })],
    });
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 })],
    });
    template.hasOutput('ApiBaseUrl', { Value: Match.objectLike({ 'Fn::Join': Match.arrayWith([Match.arrayWith(['/api/v1'])]) }) });
  });

  it('relays only outbox items from the stream, with bisect, retries, batch item failures and a DLQ', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ dynamodb: { NewImage: { pk: { S: [{ prefix: 'EVENT#' }] } } } }) }] },
    });
  });

  it('subscribes the auto-disburser to completed KkiaPay payments only, with a DLQ', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      FilterPolicy: { eventType: ['payment.completed'], gateway: ['kkiapay'] },
      RedrivePolicy: { deadLetterTargetArn: Match.anyValue() },
    });
  });

  it('schedules the reconciler', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
  });

  it('alarms on DLQ depth, API 5xx rate, Lambda errors and throttles', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a) => String(a.Properties.AlarmDescription));
    expect(alarms.filter((d) => d.includes('dead-letter'))).toHaveLength(2);
    expect(alarms.filter((d) => d.includes('5xx'))).toHaveLength(1);
    expect(alarms.filter((d) => d.endsWith('invocation errors'))).toHaveLength(4);
    expect(alarms.filter((d) => d.endsWith('throttled invocations'))).toHaveLength(4);
  });

  it('grants Lambdas no "*" resource where a specific ARN exists', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const wildcards = Object.values(policies).flatMap((policy) =>
      (policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
        .filter((statement) => statement.Resource === '*')
        .flatMap((statement) => [statement.Action].flat()),
    );
    // Only actions that support no resource-level permission may use "*".
    const NO_RESOURCE_LEVEL = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams'];
    expect(wildcards.filter((action) => !NO_RESOURCE_LEVEL.includes(action))).toEqual([]);
  });

  it('reads secrets only from its own SSM path', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: 'ssm:GetParametersByPath', Resource: 'arn:aws:ssm:ca-central-1:497172038983:parameter/payments/dev' }),
        ]),
      },
    });
  });

  it('passes cdk-nag AwsSolutions with no unsuppressed error or warning', () => {
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 120)}`)).toEqual([]);
    expect(warnings.map((w) => `${w.id}: ${String(w.entry.data).slice(0, 120)}`)).toEqual([]);
  });
});

describe('PaymentsStack (prod)', () => {
  it('retains and protects the table, and names the topic for prod', () => {
    const { template } = synthesize('prod');
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtectionEnabled: true }) });
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'tkhtech-payment-events-prod' });
    // prod lists no subscriber accounts yet: no subscribe statement at all.
    expect(JSON.stringify(template.findResources('AWS::SNS::TopicPolicy'))).not.toContain('sns:Subscribe');
  }, 120_000);
});

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { ENVIRONMENTS } from '../../infra/config/environments.js';
import { SECRET_NAMES } from '../../infra/config/secrets.js';
import { LEGACY_GSI2_CONTEXT, PaymentsTable } from '../../infra/lib/payments-table.js';
import type { LambdaBundle } from '../../infra/lib/service-function.js';
import type { OutboxRecord } from '../../src/services/ports.js';
import { toIntentItem } from '../../src/storage/intent.repository.js';
import { outboxPut } from '../../src/storage/outbox.repository.js';
import { unpublishedOutboxRecords } from '../../src/storage/outbox-stream.js';
import { INDEXES, keys, TTL_ATTRIBUTE } from '../../src/storage/table-schema.js';
import { sampleIntent } from '../support/intents.js';
import { synthesize, type Synthesized } from './synth.js';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const BUNDLES: LambdaBundle[] = ['api', 'outbox-relay', 'reconcile', 'auto-disburse'];

// The IAM statements attached to one function's role.
function statementsOf(synth: Synthesized, bundle: LambdaBundle): Statement[] {
  const { stack, template } = synth;
  const fn = stack.functions[bundle].node.defaultChild as CfnFunction;
  const role = (template.toJSON().Resources[stack.getLogicalId(fn)].Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => (policy.Properties.Roles as Array<{ Ref: string }>).some((r) => r.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

// The subset of Lambda's event-filter pattern language the stack uses (exact values, prefix).
function matchesPattern(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((rule: unknown) =>
      typeof rule === 'object' && rule !== null && 'prefix' in rule ? typeof value === 'string' && value.startsWith(String(rule.prefix)) : rule === value,
    );
  }
  if (typeof pattern !== 'object' || pattern === null || typeof value !== 'object' || value === null) return false;
  return Object.entries(pattern).every(([key, sub]) => matchesPattern(sub, (value as Record<string, unknown>)[key]));
}

describe('PaymentsStack (dev)', () => {
  let dev: Synthesized;

  beforeAll(() => {
    dev = synthesize('dev');
  }, 180_000);

  it('runs every Lambda on Node 24 arm64 from its bundle, with the environment the config needs', () => {
    const functions = dev.template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } });
    expect(Object.keys(functions)).toHaveLength(4);
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
      // Only the API reads the per-key rate limit (checked below).
      const variables = { ...fn.Properties.Environment.Variables, RATE_LIMIT_PER_KEY: undefined };
      expect(variables).toEqual({
        RATE_LIMIT_PER_KEY: undefined,
        // The dev stage behaves like the contract's development environment (ADR 0021).
        NODE_ENV: 'development',
        PAYMENTS_STAGE: 'dev',
        AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
        SSM_PARAMETER_PATH: '/payments/dev/',
        PAYMENTS_TABLE_NAME: { Ref: expect.stringMatching(/^DataTable/) },
        PAYMENTS_TOPIC_ARN: { Ref: expect.stringMatching(/^EventsTopic/) },
        METRICS_ENV: 'dev',
        // https://<rest api id>.execute-api.ca-central-1.amazonaws.com/dev: no reference to the deployment, so no cycle
        PUBLIC_BASE_URL: { 'Fn::Join': ['', ['https://', { Ref: expect.stringMatching(/^ApiRestApi/) }, '.execute-api.ca-central-1.amazonaws.com/dev']] },
      });
    }
    const perKey = Object.values(functions).map((fn) => fn.Properties.Environment.Variables.RATE_LIMIT_PER_KEY);
    expect(perKey.sort()).toEqual(['1000', undefined, undefined, undefined]);
    const memory = (bundle: LambdaBundle) =>
      dev.template.toJSON().Resources[dev.stack.getLogicalId(dev.stack.functions[bundle].node.defaultChild as CfnFunction)].Properties;
    expect(BUNDLES.map((b) => [b, memory(b).MemorySize, memory(b).Timeout])).toEqual([
      ['api', 1024, 29],
      ['outbox-relay', 256, 60],
      ['reconcile', 512, 120],
      ['auto-disburse', 512, 60],
    ]);
  });

  const hash = (name: string) => ({ AttributeName: name, KeyType: 'HASH' });
  const range = (name: string) => ({ AttributeName: name, KeyType: 'RANGE' });
  // gsi2b holds only fixed attributes and what the events API returns (ADR 0023); gsi3's readers need whole items.
  const g2Projection = { ProjectionType: 'INCLUDE', NonKeyAttributes: ['entity', 'id', 'createdAt', 'event', 'published'] };

  it('has the table the code expects: pk/sk, on-demand, PITR, TTL, NEW_IMAGE stream, the two indexes (no unread one)', () => {
    const { byAppReference: g2, openWork: g3 } = INDEXES;
    dev.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [hash('pk'), range('sk')],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      GlobalSecondaryIndexes: [
        { IndexName: 'gsi2b', KeySchema: [hash(g2.partitionKey), range(g2.sortKey)], Projection: g2Projection },
        { IndexName: 'gsi3', KeySchema: [hash(g3.partitionKey), range(g3.sortKey)], Projection: { ProjectionType: 'ALL' } },
      ],
    });
    // dev may be torn down with its data.
    dev.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: false }) });
  });

  it(`keeps the old gsi2 (ALL) beside gsi2b only with -c ${LEGACY_GSI2_CONTEXT}=true: one index added, then one dropped (ADR 0023)`, () => {
    const indexesWith = (context: Record<string, string>) => {
      const stack = new Stack(new App({ context }), 'TableOnly');
      new PaymentsTable(stack, 'Data', ENVIRONMENTS.dev);
      const [table] = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'));
      return (table?.Properties.GlobalSecondaryIndexes as Array<{ IndexName: string; Projection: unknown }>).map(({ IndexName, Projection }) => [IndexName, Projection]);
    };
    const current = [['gsi2b', g2Projection], ['gsi3', { ProjectionType: 'ALL' }]];
    expect(indexesWith({})).toEqual(current);
    expect(indexesWith({ [LEGACY_GSI2_CONTEXT]: 'true' })).toEqual([...current, ['gsi2', { ProjectionType: 'ALL' }]]);
  });

  it('names the topic per env, encrypts it, requires TLS and lets exactly the subscriber accounts subscribe', () => {
    // The AWS-managed SNS key: subscribers in other accounts need no key grant to receive.
    dev.template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'tkhtech-payment-events-dev',
      KmsMasterKeyId: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:ca-central-1:497172038983:alias/aws/sns']] },
    });
    const principals = ENVIRONMENTS.dev.subscriberAccountIds.map((account) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] }));
    expect(principals).toHaveLength(2);
    dev.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('^EventsTopic') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Action: 'sns:Subscribe', Effect: 'Allow', Principal: { AWS: principals } }),
        ]),
      },
    });
    dev.template.hasOutput('EventsTopicArn', { Value: { Ref: Match.stringLikeRegexp('^EventsTopic') } });
  });

  it('serves the REST API at stage dev: /{proxy+} to the API Lambda, throttled, access-logged, behind WAF rate rules per API key and per IP', () => {
    dev.template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    dev.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'ANY',
      ResourceId: { Ref: Match.stringLikeRegexp('proxy') },
      Integration: Match.objectLike({ Type: 'AWS_PROXY' }),
    });
    dev.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'dev',
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [Match.objectLike({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, HttpMethod: '*', ResourcePath: '/*' })],
    });
    dev.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({ Name: 'per-ip-ceiling', Statement: { RateBasedStatement: { Limit: 3000, EvaluationWindowSec: 60, AggregateKeyType: 'IP' } }, Action: { Block: {} } }),
        Match.objectLike({
          Name: 'per-api-key',
          Statement: {
            RateBasedStatement: {
              Limit: 1000,
              EvaluationWindowSec: 60,
              AggregateKeyType: 'CUSTOM_KEYS',
              CustomKeys: [{ Header: { Name: 'x-api-key', TextTransformations: [{ Priority: 0, Type: 'NONE' }] } }],
            },
          },
          Action: { Block: {} },
        }),
        // The contract's 100 / 60 s, for requests without a key (gateway callbacks excepted).
        Match.objectLike({
          Name: 'per-ip-without-key',
          Statement: {
            RateBasedStatement: Match.objectLike({
              Limit: 100,
              AggregateKeyType: 'IP',
              ScopeDownStatement: {
                AndStatement: {
                  Statements: [
                    { NotStatement: { Statement: { SizeConstraintStatement: Match.objectLike({ FieldToMatch: { SingleHeader: { Name: 'x-api-key' } }, ComparisonOperator: 'GT', Size: 0 }) } } },
                    { NotStatement: { Statement: { ByteMatchStatement: Match.objectLike({ FieldToMatch: { UriPath: {} }, SearchString: '/webhooks/' }) } } },
                  ],
                },
              },
            }),
          },
        }),
        Match.objectLike({ Name: 'webhooks-per-ip', Statement: { RateBasedStatement: Match.objectLike({ Limit: 1000, AggregateKeyType: 'IP' }) } }),
      ],
    });
    dev.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { 'Fn::Join': ['', Match.arrayWith([{ Ref: Match.stringLikeRegexp('^ApiRestApi') }, '/stages/', { Ref: Match.stringLikeRegexp('DeploymentStage') }])] },
    });
    const output = JSON.stringify(dev.template.toJSON().Outputs.ApiBaseUrl.Value);
    expect(output).toMatch(/\/api\/v1"\]\]\}$/);
    expect(output).toContain('.execute-api.');
  });

  it('relays only unpublished events (outbox items, intents holding events) from the stream, with bisect, retries, batch item failures and a DLQ', () => {
    dev.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataTable'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OutboxRelayDlq'), 'Arn'] } } },
      FilterCriteria: {
        Filters: [
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { pk: { S: [{ prefix: 'EVENT#' }] }, published: { BOOL: [false] } } } }) },
          { Pattern: JSON.stringify({ dynamodb: { NewImage: { pk: { S: [{ prefix: 'INTENT#' }] }, holdsEvents: { BOOL: [true] } } } }) },
        ],
      },
    });
  });

  it('filters the stream in AWS exactly as the relay filters it in code', () => {
    const [mapping] = Object.values(dev.template.findResources('AWS::Lambda::EventSourceMapping'));
    const patterns = (mapping?.Properties.FilterCriteria.Filters as Array<{ Pattern: string }>).map((filter) => JSON.parse(filter.Pattern) as unknown);
    // Lambda passes a record that matches any of the filters.
    const passes = (r: DynamoDBRecord) => patterns.some((pattern) => matchesPattern(pattern, r));
    const heldIntent = { ...toIntentItem(sampleIntent({ id: 'i-2', status: 'succeeded' })), gsi3pk: undefined, gsi3sk: undefined };
    const outbox = { event: { event: { eventId: 'evt-1', type: 'payment.completed' }, attributes: { eventType: 'payment.completed' } }, createdAt: '2026-03-08T12:00:00.000Z' };
    const committed = outboxPut('t', outbox as unknown as OutboxRecord).Put.Item;
    const record = (eventName: 'INSERT' | 'MODIFY', item: Record<string, unknown>): DynamoDBRecord => ({
      eventName,
      dynamodb: { SequenceNumber: '1', NewImage: marshall(item, { removeUndefinedValues: true }) as never },
    });
    const records = [
      record('INSERT', committed),
      record('MODIFY', { ...committed, published: true, gsi3pk: undefined }),
      record('INSERT', { ...keys.intent('i-1'), status: 'pending' }),
      record('INSERT', { ...keys.payment('i-1', 'p-1'), published: false }),
      // An intent holding its payment event (ADR 0022), then released.
      record('MODIFY', { ...heldIntent, holdsEvents: true, pendingEvents: [{ id: 'evt-2', type: 'payment.completed', at: '2026-03-08T12:00:00.000Z' }] }),
      record('MODIFY', heldIntent),
      record('INSERT', { ...keys.review('mock', 'e-1'), holdsEvents: true }),
    ];
    const accepted = (r: DynamoDBRecord) => unpublishedOutboxRecords([r]).length === 1;
    expect(records.map(passes)).toEqual(records.map(accepted));
    expect(records.map(accepted)).toEqual([true, false, false, false, true, false, false]);
  });

  it('subscribes the auto-disburser to completed KkiaPay payments only, with a DLQ for SNS and for Lambda', () => {
    dev.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: Match.stringLikeRegexp('^EventsTopic') },
      FilterPolicy: { eventType: ['payment.completed'], gateway: ['kkiapay'] },
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AutoDisburseDlq'), 'Arn'] } },
    });
    dev.template.hasResourceProperties('AWS::Lambda::Function', {
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AutoDisburseDlq'), 'Arn'] } },
    });
    // SNS may write to that queue (SSE-SQS, which SNS supports), and only over TLS.
    dev.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sqs:SendMessage', Principal: { Service: 'sns.amazonaws.com' } })]) },
    });
    const queues = Object.values(dev.template.findResources('AWS::SQS::Queue'));
    expect(queues).toHaveLength(2);
    for (const queue of queues) expect(queue.Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
  });

  it('runs the reconciler every minute (webhook retries come within seconds, ADR 0019)', () => {
    dev.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReconcileSweep'), 'Arn'] } })],
    });
  });

  it('alarms on DLQ depth, API 5xx rate, Lambda errors, throttles and stream lag, mailed to the env address', () => {
    const alarms = Object.values(dev.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms.map((a) => a.AlarmName as string).sort()).toEqual(
      [
        'Api5xxRate',
        'OutboxRelayDlqNotEmpty',
        'AutoDisburseDlqNotEmpty',
        'OutboxRelayIteratorAge',
        'ReviewItemsOpen',
        'UnknownOutcomesOverAnHour',
        ...['Api', 'OutboxRelay', 'Reconcile', 'AutoDisburse'].flatMap((fn) => [`${fn}Errors`, `${fn}Throttles`]),
      ]
        .map((name) => `payments-dev-${name}`)
        .sort(),
    );
    for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }]);
    const dlqAlarm = alarms.find((a) => a.AlarmName === 'payments-dev-OutboxRelayDlqNotEmpty');
    expect(dlqAlarm).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    const rate = alarms.find((a) => a.AlarmName === 'payments-dev-Api5xxRate');
    expect(rate).toMatchObject({ Threshold: 5, Metrics: expect.arrayContaining([expect.objectContaining({ Expression: 'IF(requests > 0, 100 * errors / requests, 0)' })]) });
    dev.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: ENVIRONMENTS.dev.alarmEmail });
  });

  it('alarms on the reconciler\'s EMF metrics: open review items and unknown outcomes over an hour, > 0 over 10 minutes', () => {
    const alarms = Object.values(dev.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    for (const [name, metric] of [['ReviewItemsOpen', 'ReviewItemsOpen'], ['UnknownOutcomesOverAnHour', 'UnknownOutcomesOverAnHour']]) {
      expect(alarms.find((a) => a.AlarmName === `payments-dev-${name}`)).toMatchObject({
        Namespace: 'TkhPayments',
        MetricName: metric,
        Dimensions: [{ Name: 'Env', Value: 'dev' }],
        Statistic: 'Maximum',
        Period: 600,
        EvaluationPeriods: 1,
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        AlarmActions: [{ Ref: expect.stringMatching(/^MonitoringAlarmTopic/) }],
      });
    }
  });

  it('grants Lambdas no "*" resource where a specific ARN exists', () => {
    const wildcards = BUNDLES.flatMap((bundle) => statementsOf(dev, bundle))
      .filter((statement) => [statement.Resource].flat().includes('*'))
      .flatMap((statement) => [statement.Action].flat());
    // Only actions that support no resource-level permission may use "*".
    expect([...new Set(wildcards)].sort()).toEqual(['dynamodb:ListStreams', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    expect(JSON.stringify(dev.template.findResources('AWS::IAM::Policy'))).not.toMatch(/"Action":"(\w+:)?\*"|"Action":\[[^\]]*"(\w+:)?\*"/);
  });

  it('gives each Lambda only its own duties: the topic to publishers, the stream to the relay', () => {
    const publishes = (bundle: LambdaBundle) => actionsOf(statementsOf(dev, bundle)).includes('sns:Publish');
    const readsStream = (bundle: LambdaBundle) =>
      statementsOf(dev, bundle).some((s) => JSON.stringify(s.Resource).includes('StreamArn') && actionsOf([s]).includes('dynamodb:GetRecords'));
    expect(BUNDLES.map((b) => [b, publishes(b), readsStream(b)])).toEqual([
      ['api', false, false],
      ['outbox-relay', true, true],
      ['reconcile', true, false],
      ['auto-disburse', false, false],
    ]);
    for (const bundle of BUNDLES) {
      const publish = statementsOf(dev, bundle).find((s) => actionsOf([s]).includes('sns:Publish'));
      if (publish) expect(publish.Resource).toEqual({ Ref: expect.stringMatching(/^EventsTopic/) });
    }
  });

  it('lets each Lambda read its secrets only under /payments/dev/ and decrypt them only through SSM', () => {
    const arn = (name: string) => `arn:aws:ssm:ca-central-1:497172038983:parameter${name}`;
    for (const bundle of BUNDLES) {
      const statements = statementsOf(dev, bundle);
      expect(statements.find((s) => s.Sid === 'ReadSecretsPath')).toMatchObject({ Action: 'ssm:GetParametersByPath', Resource: [arn('/payments/dev'), arn('/payments/dev/')] });
      expect(statements.find((s) => s.Sid === 'ReadNamedSecrets')).toMatchObject({
        Action: 'ssm:GetParameter',
        Resource: SECRET_NAMES.map((name) => arn(`/payments/dev/${name}`)),
      });
      expect(statements.find((s) => s.Sid === 'DecryptSecretsViaSsm')).toEqual({
        Sid: 'DecryptSecretsViaSsm',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:ca-central-1:497172038983:key/*',
        Condition: {
          StringEquals: { 'kms:ViaService': 'ssm.ca-central-1.amazonaws.com' },
          StringLike: { 'kms:EncryptionContext:PARAMETER_ARN': `${arn('/payments/dev')}/*` },
        },
      });
      expect(actionsOf(statements).filter((a) => a.startsWith('ssm:') || a.startsWith('kms:')).sort()).toEqual(['kms:Decrypt', 'ssm:GetParameter', 'ssm:GetParametersByPath']);
    }
    dev.template.hasOutput('SecretParameterNames', { Value: SECRET_NAMES.map((name) => `/payments/dev/${name}`).join(' ') });
  });

  it('names only secrets the app reads, and the operations guide lists each of them', () => {
    const documented = readFileSync('.env.example', 'utf8');
    const operations = readFileSync('docs/operations.md', 'utf8');
    for (const name of SECRET_NAMES) {
      expect(documented).toMatch(new RegExp(`^${name}=`, 'm'));
      expect(operations).toContain(`\`${name}\``);
    }
  });

  it('passes cdk-nag AwsSolutions with no unsuppressed error or warning, every suppression with a reason', () => {
    const errors = Annotations.fromStack(dev.stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    const warnings = Annotations.fromStack(dev.stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'));
    expect(errors.map((e) => `${e.id}: ${String(e.entry.data).slice(0, 160)}`)).toEqual([]);
    expect(warnings.map((w) => `${w.id}: ${String(w.entry.data).slice(0, 160)}`)).toEqual([]);
    const suppressions = (dev.stack.templateOptions.metadata?.cdk_nag as { rules_to_suppress: Array<{ id: string; reason: string }> }).rules_to_suppress;
    expect(suppressions.length).toBeGreaterThan(0);
    for (const { reason } of suppressions) expect(reason.length).toBeGreaterThan(40);
  });
});

describe('PaymentsStack (prod)', () => {
  let prod: Synthesized;

  beforeAll(() => {
    prod = synthesize('prod');
  }, 180_000);

  it('retains and protects the table', () => {
    prod.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
    });
  });

  it('names the topic, stage, alarms and secrets for prod, runs with production semantics (never the mock), and allows no subscriber account yet', () => {
    prod.template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'tkhtech-payment-events-prod' });
    prod.template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
    prod.template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: ENVIRONMENTS.prod.alarmEmail });
    expect(ENVIRONMENTS.prod.subscriberAccountIds).toEqual([]);
    expect(JSON.stringify(prod.template.findResources('AWS::SNS::TopicPolicy'))).not.toContain('sns:Subscribe');
    for (const fn of Object.values(prod.template.findResources('AWS::Lambda::Function', { Properties: { Handler: 'index.handler' } }))) {
      expect(fn.Properties.Environment.Variables).toMatchObject({ SSM_PARAMETER_PATH: '/payments/prod/', NODE_ENV: 'production', PAYMENTS_STAGE: 'prod' });
    }
    const secrets = (prod.template.toJSON().Outputs.SecretParameterNames.Value as string).split(' ');
    expect(secrets).toContain('/payments/prod/TKH_API_KEY_HASH');
    expect(secrets).not.toContain('/payments/prod/MOCK_WEBHOOK_SECRET');
    expect(secrets).toHaveLength(SECRET_NAMES.length - 1);
  });

  it('passes cdk-nag AwsSolutions with no unsuppressed error or warning', () => {
    expect(Annotations.fromStack(prod.stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    expect(Annotations.fromStack(prod.stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });
});

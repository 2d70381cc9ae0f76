import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { SubscriptionFilter } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { PaymentsEnvironment } from '../config/environments.js';
import { PaymentsApi } from './api.js';
import { EventsTopic } from './events-topic.js';
import { Monitoring } from './monitoring.js';
import { PaymentsTable } from './payments-table.js';
import { ServiceFunction } from './service-function.js';

export interface PaymentsStackProps extends StackProps {
  environment: PaymentsEnvironment;
}

// The whole service: API, table, topic, the three handler Lambdas, DLQs and alarms.
export class PaymentsStack extends Stack {
  constructor(scope: Construct, id: string, props: PaymentsStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const { table } = new PaymentsTable(this, 'Data', env);
    const { topic } = new EventsTopic(this, 'Events', env);
    const shared = { PAYMENTS_TABLE_NAME: table.tableName, PAYMENTS_TOPIC_ARN: topic.topicArn };
    const dlq = (name: string) =>
      new Queue(this, `${name}Dlq`, { retentionPeriod: Duration.days(14), encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });

    // API: 1024 MB buys the CPU that makes Nest's cold start ~2× faster than 512 MB; 29 s is
    // API Gateway's own integration limit, and gateways answer within 10 s (our fetch timeout).
    const api = new ServiceFunction(this, 'ApiFunction', env, {
      bundle: 'api',
      description: 'Payments HTTP API (intents, refunds, disbursements, webhooks)',
      memoryMb: 1024,
      timeout: Duration.seconds(29),
      environment: shared,
    }).fn;
    table.grantReadWriteData(api);
    const restApi = new PaymentsApi(this, 'Api', env, api);
    api.addEnvironment('PUBLIC_BASE_URL', PaymentsApi.publicBaseUrl(this, restApi.api.restApiId, env.name));

    // Outbox relay: small and quick (publish + mark); a failing record is retried alone
    // (bisect + batch item failures), then parked in the DLQ — the reconciler re-sends it.
    const relayDlq = dlq('OutboxRelay');
    const relay = new ServiceFunction(this, 'OutboxRelayFunction', env, {
      bundle: 'outbox-relay',
      description: 'DynamoDB stream outbox items → SNS',
      memoryMb: 256,
      timeout: Duration.seconds(30),
      environment: { ...shared, PUBLIC_BASE_URL: PaymentsApi.publicBaseUrl(this, restApi.api.restApiId, env.name) },
    }).fn;
    table.grantReadWriteData(relay);
    topic.grantPublish(relay);
    relay.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        bisectBatchOnError: true,
        retryAttempts: 5,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(relayDlq),
        filters: [FilterCriteria.filter({ dynamodb: { NewImage: { pk: { S: FilterRule.beginsWith('EVENT#') } } } })],
      }),
    );

    // Reconciler: re-sends unpublished events, follows pending payouts.
    const reconcile = new ServiceFunction(this, 'ReconcileFunction', env, {
      bundle: 'reconcile',
      description: 'Scheduled sweep: unpublished events, pending disbursements',
      memoryMb: 512,
      timeout: Duration.minutes(2),
      environment: { ...shared, PUBLIC_BASE_URL: PaymentsApi.publicBaseUrl(this, restApi.api.restApiId, env.name) },
    }).fn;
    table.grantReadWriteData(reconcile);
    topic.grantPublish(reconcile);
    new Rule(this, 'ReconcileSchedule', { schedule: Schedule.rate(Duration.minutes(5)), targets: [new LambdaTarget(reconcile)] });

    // Benin auto-disbursement: only completed KkiaPay payments reach it.
    const autoDisburseDlq = dlq('AutoDisburse');
    const autoDisburse = new ServiceFunction(this, 'AutoDisburseFunction', env, {
      bundle: 'auto-disburse',
      description: 'payment.completed (KkiaPay) → payout to the business wallet',
      memoryMb: 512,
      timeout: Duration.seconds(60),
      environment: { ...shared, PUBLIC_BASE_URL: PaymentsApi.publicBaseUrl(this, restApi.api.restApiId, env.name) },
      deadLetterQueue: autoDisburseDlq,
    }).fn;
    table.grantReadWriteData(autoDisburse);
    topic.grantPublish(autoDisburse);
    topic.addSubscription(
      new LambdaSubscription(autoDisburse, {
        filterPolicy: {
          eventType: SubscriptionFilter.stringFilter({ allowlist: ['payment.completed'] }),
          gateway: SubscriptionFilter.stringFilter({ allowlist: ['kkiapay'] }),
        },
        deadLetterQueue: autoDisburseDlq,
      }),
    );

    new Monitoring(this, 'Monitoring', env, {
      api: restApi.api,
      functions: { Api: api, OutboxRelay: relay, Reconcile: reconcile, AutoDisburse: autoDisburse },
      deadLetterQueues: { OutboxRelay: relayDlq, AutoDisburse: autoDisburseDlq },
    });
  }
}

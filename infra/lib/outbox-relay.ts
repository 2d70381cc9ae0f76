import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, type Function as LambdaFunction, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HELD_EVENTS, keys } from '../../src/storage/table-schema.js';
import type { PaymentsEnvironment } from '../config/environments.js';
import { deadLetterQueue } from './dead-letter-queue.js';
import { PARTITION_KEY } from './payments-table.js';
import { ServiceFunction } from './service-function.js';

// The relay only cares about events not yet published: outbox items EVENT#<eventId> (refunds,
// payouts) and intents that hold payment events (ADR 0022). src/storage/outbox-stream.ts applies
// the same tests, so the handler is right without the filters.
const OUTBOX_PREFIX = keys.outboxEvent('').pk;
const INTENT_PREFIX = keys.intent('').pk;
export const OUTBOX_STREAM_FILTERS = [
  { dynamodb: { NewImage: { [PARTITION_KEY]: { S: FilterRule.beginsWith(OUTBOX_PREFIX) }, published: { BOOL: FilterRule.isEqual(false) } } } },
  { dynamodb: { NewImage: { [PARTITION_KEY]: { S: FilterRule.beginsWith(INTENT_PREFIX) }, [HELD_EVENTS.flag]: { BOOL: FilterRule.isEqual(true) } } } },
];

// Table stream → SNS. A failing record is retried alone (bisect + batch item failures), then
// its batch descriptor is parked in the DLQ — the reconciler re-publishes the event anyway.
export class OutboxRelay extends Construct {
  readonly fn: LambdaFunction;
  readonly dlq: Queue;

  constructor(scope: Construct, id: string, env: PaymentsEnvironment, props: { table: ITable; topic: ITopic; environment: Record<string, string> }) {
    super(scope, id);
    this.dlq = deadLetterQueue(this, 'Dlq');
    // 256 MB / 60 s: no Nest, one SNS publish and a few small DynamoDB calls per record (≤ 25), then the
    // first attempt of each outbound webhook (10 s at most, ADR 0019).
    this.fn = new ServiceFunction(this, 'Relay', env, {
      bundle: 'outbox-relay',
      description: 'DynamoDB stream: unpublished events → SNS',
      memoryMb: 256,
      timeout: Duration.seconds(60),
      environment: props.environment,
    }).fn;
    props.table.grantReadWriteData(this.fn);
    props.topic.grantPublish(this.fn);
    this.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        bisectBatchOnError: true,
        retryAttempts: 5,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.dlq),
        filters: OUTBOX_STREAM_FILTERS.map((filter) => FilterCriteria.filter(filter)),
      }),
    );
  }
}

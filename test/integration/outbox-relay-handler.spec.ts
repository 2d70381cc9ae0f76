import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { handler as RelayHandler } from '../../src/handlers/outbox-relay.js';
import type { handler as ReconcileHandler } from '../../src/handlers/reconcile.js';
import { serializeEvent } from '../../src/domain/payment-event.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lifecycleHarness } from '../support/lifecycle.js';

const TOPIC = 'arn:aws:sns:ca-central-1:497172038983:tkhtech-payment-events-test';

describe('outbox relay and reconcile Lambda handlers (DynamoDB Local, SNS mocked)', () => {
  const sns = mockClient(SNSClient);
  let table: TestTable;
  let h: ReturnType<typeof lifecycleHarness>;
  let relay: typeof RelayHandler;
  let reconcile: typeof ReconcileHandler;

  beforeAll(async () => {
    table = await createTestTable();
    h = lifecycleHarness(table);
    Object.assign(process.env, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'error',
      PAYMENTS_TABLE_NAME: table.tableName,
      DYNAMODB_ENDPOINT: table.endpoint,
      PUBLIC_BASE_URL: 'https://api.example.test',
      PAYMENTS_TOPIC_ARN: TOPIC,
      OUTBOX_GRACE_SECONDS: '0',
    });
    ({ handler: relay } = await import('../../src/handlers/outbox-relay.js'));
    ({ handler: reconcile } = await import('../../src/handlers/reconcile.js'));
  });
  beforeEach(() => {
    sns.reset();
  });
  afterAll(async () => {
    delete process.env.PAYMENTS_TOPIC_ARN;
    await table.drop();
  });

  // A stream record as the table stream delivers it (NEW_IMAGE) for the stored intent, which holds
  // the events its last change raised (ADR 0022).
  async function streamRecordFor(intentId: string, sequence: string): Promise<DynamoDBRecord> {
    const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: { pk: `INTENT#${intentId}`, sk: 'INTENT' }, ConsistentRead: true }));
    return {
      eventName: 'MODIFY',
      dynamodb: { SequenceNumber: sequence, NewImage: marshall(Item!, { convertClassInstanceToMap: true }) as never },
    };
  }

  it('publishes the exact SNS message for a stream record, marks it published and ignores other items', async () => {
    const intent = await h.newIntent({ metadata: { appId: 'kaba', referenceId: 'invoice-abc123', businessId: 'biz-xyz' } });
    await h.outcomes.apply(intent.id, { status: 'succeeded', amount: intent.amount, currency: intent.currency }, { gateway: 'mock', eventId: `s-${intent.id}` });
    const record = h.dispatcher.dispatched.at(-1)!;
    const event = record.event.event;
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

    // Another intent's image (it holds no event) and a published event's: nothing to publish.
    const other = await h.newIntent();
    const published: DynamoDBRecord = { eventName: 'INSERT', dynamodb: { SequenceNumber: '3', NewImage: marshall({ pk: 'EVENT#old', sk: 'EVENT', published: true }) as never } };
    const held = await streamRecordFor(intent.id, '2');
    const result = await relay({ Records: [await streamRecordFor(other.id, '1'), held, published] } as DynamoDBStreamEvent);

    expect(result).toEqual({ batchItemFailures: [] });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    // The body is the seed's schema in the seed's order (+ eventId, disbursementId; refundStatus last).
    expect(Object.keys(JSON.parse(input.Message!))).toEqual([
      'type', 'eventId', 'intentId', 'paymentId', 'refundId', 'disbursementId', 'appId', 'referenceId',
      'businessId', 'amount', 'currency', 'gateway', 'timestamp', 'refundStatus',
    ]);
    expect(input).toEqual({
      TopicArn: TOPIC,
      Message: serializeEvent(event),
      MessageAttributes: {
        eventType: { DataType: 'String', StringValue: 'payment.completed' },
        appId: { DataType: 'String', StringValue: 'kaba' },
        gateway: { DataType: 'String', StringValue: 'mock' },
        country: { DataType: 'String', StringValue: 'BJ' },
      },
    });
    // Listed in the event log; released from the intent, which leaves the work queue.
    expect(record.heldByIntent).toBe(intent.id);
    const stored = await table.db.send(new GetCommand({ TableName: table.tableName, Key: { pk: `EVENT#${event.eventId}`, sk: 'EVENT' } }));
    expect(stored.Item).toMatchObject({ published: true, event, gsi2pk: 'EVENTS#kaba' });
    expect(stored.Item?.gsi3pk).toBeUndefined();
    const paid = await table.db.send(new GetCommand({ TableName: table.tableName, Key: { pk: `INTENT#${intent.id}`, sk: 'INTENT' }, ConsistentRead: true }));
    expect(paid.Item).toMatchObject({ status: 'succeeded', paymentId: event.paymentId });
    for (const gone of ['pendingEvents', 'holdsEvents', 'gsi3pk', 'gsi3sk']) expect(paid.Item?.[gone]).toBeUndefined();

    // The intent's image now holds nothing; the old image again (a stream retry) is published again
    // (at least once, subscribers dedupe by eventId) and its release changes nothing.
    expect(await relay({ Records: [await streamRecordFor(intent.id, '4')] } as DynamoDBStreamEvent)).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(await relay({ Records: [held] } as DynamoDBStreamEvent)).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input.Message)).toEqual([serializeEvent(event), serializeEvent(event)]);
    const after = await table.db.send(new GetCommand({ TableName: table.tableName, Key: { pk: `INTENT#${intent.id}`, sk: 'INTENT' }, ConsistentRead: true }));
    expect(after.Item).toEqual(paid.Item);
  });

  it('reports a failed publish as a batch item failure and leaves the event for the reconciler', async () => {
    const intent = await h.newIntent();
    await h.outcomes.apply(intent.id, { status: 'failed' }, { gateway: 'mock', eventId: `t-${intent.id}` });
    const event = h.dispatcher.dispatched.at(-1)!.event.event;
    sns.on(PublishCommand).rejects(new Error('SNS throttled'));

    const result = await relay({ Records: [await streamRecordFor(intent.id, '77')] } as DynamoDBStreamEvent);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '77' }] });

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const swept = await reconcile();
    expect(swept.failed).toBe(0);
    expect(swept.published).toBeGreaterThanOrEqual(1);
    const messages = sns.commandCalls(PublishCommand).map((call) => JSON.parse(call.args[0].input.Message!));
    expect(messages.filter((m) => m.eventId === event.eventId)).toHaveLength(1);
    expect(await reconcile()).toEqual({ published: 0, failed: 0, intentsSettled: 0, refundsSettled: 0, disbursementsSettled: 0, webhooksAttempted: 0 });
  });
});

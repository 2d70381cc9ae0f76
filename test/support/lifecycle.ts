import { randomUUID } from 'node:crypto';
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

import { uuidGenerator } from '../../src/domain/clock.js';
import type { PaymentIntent } from '../../src/domain/intent.js';
import { OutboxRelay } from '../../src/events/outbox-relay.js';
import type { OutboxDispatcher, OutboxRecord } from '../../src/services/ports.js';
import { RecordPaymentOutcomeService } from '../../src/services/record-payment-outcome.service.js';
import { DynamoIntentRepository } from '../../src/storage/intent.repository.js';
import { DynamoOutboxStore } from '../../src/storage/outbox.repository.js';
import { DynamoPaymentLifecycleStore } from '../../src/storage/payment-lifecycle.repository.js';
import type { TestTable } from './dynamo.js';
import { sampleIntent } from './intents.js';
import { RecordingPublisher } from './recording-publisher.js';
import { ManualClock } from './manual-clock.js';


// Collects what the service hands to the dispatcher, without publishing (the test decides when).
export class CollectingDispatcher implements OutboxDispatcher {
  readonly dispatched: OutboxRecord[] = [];
  dispatch(records: OutboxRecord[]): void {
    this.dispatched.push(...records);
  }
}

// The lifecycle services wired against a DynamoDB Local table.
export function lifecycleHarness(table: TestTable, clock = new ManualClock(new Date('2026-03-08T12:00:00Z'))) {
  const intents = new DynamoIntentRepository(table.db, table.tableName);
  const store = new DynamoPaymentLifecycleStore(table.db, table.tableName);
  const outbox = new DynamoOutboxStore(table.db, table.tableName);
  const dispatcher = new CollectingDispatcher();
  const publisher = new RecordingPublisher();
  const outcomes = new RecordPaymentOutcomeService(intents, store, dispatcher, clock, uuidGenerator);
  const relay = new OutboxRelay(outbox, publisher, clock);

  const newIntent = async (overrides: Partial<PaymentIntent> = {}): Promise<PaymentIntent> => {
    const intent = sampleIntent({ id: randomUUID(), ...overrides });
    await intents.create(intent);
    return intent;
  };
  const itemsUnder = async (intentId: string, prefix: string) =>
    (
      await table.db.send(
        new QueryCommand({
          TableName: table.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': `INTENT#${intentId}`, ':prefix': prefix },
        }),
      )
    ).Items ?? [];
  const outboxFor = async (intentId: string) =>
    (
      await table.db.send(
        new ScanCommand({
          TableName: table.tableName,
          FilterExpression: 'entity = :event AND event.intentId = :id',
          ExpressionAttributeValues: { ':event': 'event', ':id': intentId },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  return { clock, intents, store, outbox, dispatcher, publisher, outcomes, relay, newIntent, itemsUnder, outboxFor };
}

import { randomUUID } from 'node:crypto';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { uuidGenerator } from '../../src/domain/clock.js';
import type { PaymentIntent } from '../../src/domain/intent.js';
import { OutboxRelay } from '../../src/events/outbox-relay.js';
import type { OutboxDispatcher, OutboxRecord } from '../../src/services/ports.js';
import { RecordPaymentOutcomeService } from '../../src/services/record-payment-outcome.service.js';
import { DynamoIntentRepository } from '../../src/storage/intent.repository.js';
import { DynamoOutboxStore } from '../../src/storage/outbox.repository.js';
import { heldEventRecords } from '../../src/storage/held-events.js';
import { DynamoPaymentLifecycleStore } from '../../src/storage/payment-lifecycle.repository.js';
import { DynamoRefundStore } from '../../src/storage/refund.repository.js';
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
  const ledger = new DynamoRefundStore(table.db, table.tableName);

  const newIntent = async (overrides: Partial<PaymentIntent> = {}): Promise<PaymentIntent> => {
    const intent = sampleIntent({ id: randomUUID(), ...overrides });
    await intents.create(intent);
    return intent;
  };
  // The intent's payments, as the ledger reads them (attributes of the intent item, ADR 0022).
  const paymentsOf = async (intentId: string) => (await ledger.listLedgerItems(intentId)).payments;
  // Every event raised for the intent: still held by its item, or in the event log once published.
  const outboxFor = async (intentId: string) => {
    const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: { pk: `INTENT#${intentId}`, sk: 'INTENT' }, ConsistentRead: true }));
    const held = Item ? heldEventRecords(Item).map((record) => ({ ...record.event, createdAt: record.createdAt, published: false })) : [];
    const logged = (
      await table.db.send(
        new ScanCommand({
          TableName: table.tableName,
          FilterExpression: 'entity = :event AND event.intentId = :id',
          ExpressionAttributeValues: { ':event': 'event', ':id': intentId },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
    return [...held, ...logged];
  };

  return { clock, intents, store, outbox, dispatcher, publisher, outcomes, relay, newIntent, paymentsOf, outboxFor };
}

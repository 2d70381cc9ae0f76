import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { disbursementEventFor, paymentEventFor, type PaymentEventType } from '../../src/domain/payment-event.js';
import type { OutboxRecord } from '../../src/services/ports.js';
import { outboxPut } from '../../src/storage/outbox.repository.js';
import { sampleIntent } from './intents.js';
import type { TestApp } from './test-app.js';

// Commits an outbox event for `appId` straight to the table (as a state change would), without
// relaying it: the test decides when the relay runs.
export async function commitEvent(t: TestApp, appId: string, type: PaymentEventType = 'payment.completed'): Promise<OutboxRecord> {
  const now = t.deps.clock.now().toISOString();
  const eventId = randomUUID();
  const intent = sampleIntent({ id: randomUUID(), appId, metadata: { appId, referenceId: `ref-${eventId.slice(0, 8)}` }, referenceId: `ref-${eventId.slice(0, 8)}` });
  const outbound = type.startsWith('disbursement.')
    ? disbursementEventFor(
        { id: randomUUID(), appId, referenceId: intent.referenceId, businessId: null, intentId: intent.id, amount: 1000, currency: 'XOF', country: 'BJ', provider: 'momo', status: type === 'disbursement.completed' ? 'succeeded' : 'failed' },
        { eventId, timestamp: now },
      )
    : paymentEventFor(intent, {
        eventId,
        type: type as 'payment.completed' | 'payment.failed' | 'payment.refunded',
        paymentId: randomUUID(),
        timestamp: now,
        ...(type === 'payment.refunded' ? { refund: { id: randomUUID(), amount: 100, status: 'succeeded' as const } } : {}),
      });
  const record: OutboxRecord = { event: outbound, createdAt: now };
  await t.table.db.send(new PutCommand(outboxPut(t.table.tableName, record).Put));
  return record;
}

// Commits and relays (as the stream Lambda, or locally right after the commit, would).
export async function publishEvent(t: TestApp, appId: string, type: PaymentEventType = 'payment.completed'): Promise<OutboxRecord> {
  const record = await commitEvent(t, appId, type);
  await t.deps.relay.relay(record);
  return record;
}

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lifecycleHarness } from '../support/lifecycle.js';

describe('outbox: events survive a failing publisher (DynamoDB Local)', () => {
  let table: TestTable;
  let h: ReturnType<typeof lifecycleHarness>;

  beforeAll(async () => {
    table = await createTestTable();
    h = lifecycleHarness(table);
  });
  afterAll(async () => {
    await table.drop();
  });

  it('publisher down for the first 7 calls: nothing lost, everything delivered by the sweep, nothing for an uncommitted change', async () => {
    const intents = await Promise.all(Array.from({ length: 10 }, () => h.newIntent()));
    for (const intent of intents) {
      await h.outcomes.apply(intent.id, { status: 'succeeded', amount: intent.amount, currency: intent.currency }, { gateway: 'mock', eventId: `f-${intent.id}` });
    }
    // A change that did not commit (lost the race to a terminal state) produces no event.
    expect(await h.outcomes.apply(intents[0]!.id, { status: 'failed' }, { gateway: 'mock', eventId: 'late' })).toBe('ignored');

    // The relay is first tried right after each commit, while SNS is down.
    h.publisher.failNext(7);
    const immediate = await Promise.allSettled(h.dispatcher.dispatched.map((record) => h.relay.relay(record)));
    expect(immediate.filter((r) => r.status === 'rejected')).toHaveLength(7);
    expect(h.publisher.published).toHaveLength(3);

    // Within the grace period the sweep leaves them alone; after it, it delivers every one.
    expect(await h.relay.sweep(60)).toEqual({ published: 0, failed: 0 });
    h.clock.advance(61_000);
    expect(await h.relay.sweep(60)).toEqual({ published: 7, failed: 0 });
    expect(await h.relay.sweep(60)).toEqual({ published: 0, failed: 0 });

    const delivered = h.publisher.published.map((e) => e.event.intentId).sort();
    expect(delivered).toEqual(intents.map((i) => i.id).sort());
    expect(new Set(h.publisher.published.map((e) => e.event.eventId)).size).toBe(10);
    expect(h.publisher.published.every((e) => e.event.type === 'payment.completed')).toBe(true);
  }, 30_000); // 20 writes and 17 publishes: seconds on a loaded 2-core runner

  it('a sweep during an outage counts failures and leaves the events for the next one', async () => {
    const intent = await h.newIntent();
    await h.outcomes.apply(intent.id, { status: 'failed' }, { gateway: 'mock', eventId: `g-${intent.id}` });
    // Never relayed at all (no stream delivery, no failed publish): the intent holding the event
    // is the sweep's once its next check is due (ADR 0022), and not before.
    const { Item } = await table.db.send(new GetCommand({ TableName: table.tableName, Key: { pk: `INTENT#${intent.id}`, sk: 'INTENT' }, ConsistentRead: true }));
    h.clock.set(new Date(new Date(String(Item?.gsi3sk)).getTime() + 59_000));
    expect(await h.relay.sweep(60)).toEqual({ published: 0, failed: 0 });
    h.clock.advance(2_000);
    h.publisher.failNext(1);
    expect(await h.relay.sweep(60)).toEqual({ published: 0, failed: 1 });
    expect(await h.relay.sweep(60)).toEqual({ published: 1, failed: 0 });
    expect(h.publisher.published.at(-1)?.event).toMatchObject({ type: 'payment.failed', intentId: intent.id, paymentId: null });
  }, 30_000);
});

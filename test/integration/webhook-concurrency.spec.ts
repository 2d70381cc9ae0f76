import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lifecycleHarness } from '../support/lifecycle.js';

describe('applying gateway outcomes concurrently (DynamoDB Local)', () => {
  let table: TestTable;
  let h: ReturnType<typeof lifecycleHarness>;

  beforeAll(async () => {
    table = await createTestTable();
    h = lifecycleHarness(table);
  });
  afterAll(async () => {
    await table.drop();
  });

  it('50 concurrent deliveries of the same webhook: one payment, one outbox event, intent succeeded', async () => {
    const intent = await h.newIntent();
    const receipt = { gateway: 'mock', eventId: `evt-${intent.id}` };
    const results = await Promise.all(
      Array.from({ length: 50 }, () => h.outcomes.apply(intent.id, { status: 'succeeded', amount: intent.amount, currency: intent.currency }, receipt)),
    );

    expect(results.filter((r) => r === 'applied')).toHaveLength(1);
    expect(results.every((r) => r === 'applied' || r === 'duplicate')).toBe(true);
    expect((await h.intents.get(intent.id))?.status).toBe('succeeded');
    expect(await h.paymentsOf(intent.id)).toHaveLength(1);
    const events = await h.outboxFor(intent.id);
    expect(events.map((e) => e.event.type)).toEqual(['payment.completed']);
    expect(h.dispatcher.dispatched.filter((r) => r.event.event.intentId === intent.id)).toHaveLength(1);
  });

  it('50 concurrent succeeded/failed verdicts with distinct event ids: one terminal state, one event', async () => {
    const intent = await h.newIntent();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.outcomes.apply(intent.id, { status: i % 2 === 0 ? 'succeeded' : 'failed' }, { gateway: 'mock', eventId: `e-${intent.id}-${i}` }),
      ),
    );

    expect(results.filter((r) => r === 'applied')).toHaveLength(1);
    const final = await h.intents.get(intent.id);
    expect(['succeeded', 'failed']).toContain(final?.status);
    expect(final?.version).toBe(2);
    const events = await h.outboxFor(intent.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.event.type).toBe(final?.status === 'succeeded' ? 'payment.completed' : 'payment.failed');
    expect(await h.paymentsOf(intent.id)).toHaveLength(final?.status === 'succeeded' ? 1 : 0);
  });

  it('a late "failed" after "succeeded" changes nothing', async () => {
    const intent = await h.newIntent();
    await h.outcomes.apply(intent.id, { status: 'succeeded', amount: intent.amount, currency: intent.currency }, { gateway: 'mock', eventId: `a-${intent.id}` });
    const late = await h.outcomes.apply(intent.id, { status: 'failed' }, { gateway: 'mock', eventId: `b-${intent.id}` });
    expect(late).toBe('ignored');
    expect((await h.intents.get(intent.id))?.status).toBe('succeeded');
    expect(await h.outboxFor(intent.id)).toHaveLength(1);
  });

  it('an amount or currency mismatch is not marked succeeded and is kept for review', async () => {
    const intent = await h.newIntent({ amount: 500000, currency: 'XOF' });
    const wrongAmount = await h.outcomes.apply(intent.id, { status: 'succeeded', amount: 5000, currency: 'XOF' }, { gateway: 'mock', eventId: `m1-${intent.id}` });
    const wrongCurrency = await h.outcomes.apply(intent.id, { status: 'succeeded', amount: 500000, currency: 'EUR' }, { gateway: 'mock', eventId: `m2-${intent.id}` });

    expect([wrongAmount, wrongCurrency]).toEqual(['mismatch', 'mismatch']);
    expect((await h.intents.get(intent.id))?.status).toBe('pending');
    expect(await h.paymentsOf(intent.id)).toHaveLength(0);
    expect(await h.outboxFor(intent.id)).toHaveLength(0);
    const review = await table.db.send(
      new ScanCommand({ TableName: table.tableName, FilterExpression: 'entity = :r AND eventId = :e', ExpressionAttributeValues: { ':r': 'review', ':e': `m1-${intent.id}` } }),
    );
    expect(review.Items?.[0]).toMatchObject({ reason: 'amount_mismatch' });

    // The matching confirmation still goes through.
    expect(await h.outcomes.apply(intent.id, { status: 'succeeded', amount: 500000, currency: 'XOF' }, { gateway: 'mock', eventId: `ok-${intent.id}` })).toBe('applied');
  });

  it.each([
    ['neither', {}],
    ['no amount', { currency: 'XOF' }],
    ['no currency', { amount: 500000 }],
  ])('a success with %s amount nor currency goes to review (amount_missing), never to succeeded', async (_label, money) => {
    const intent = await h.newIntent({ amount: 500000, currency: 'XOF' });
    const eventId = `missing-${intent.id}`;
    expect(await h.outcomes.apply(intent.id, { status: 'succeeded', ...money }, { gateway: 'mock', eventId })).toBe('mismatch');
    expect((await h.intents.get(intent.id))?.status).toBe('pending');
    expect(await h.outboxFor(intent.id)).toHaveLength(0);
    const review = await table.db.send(
      new ScanCommand({ TableName: table.tableName, FilterExpression: 'entity = :r AND eventId = :e', ExpressionAttributeValues: { ':r': 'review', ':e': eventId } }),
    );
    expect(review.Items?.[0]).toMatchObject({ reason: 'amount_missing' });
  });
});

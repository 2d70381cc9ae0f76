import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoHardError, dynamoInternalError, FaultyDb } from '../support/faulty-db.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lifecycleHarness } from '../support/lifecycle.js';

type Command = Parameters<FaultyDb['client']['send']>[0];

// The intent item as its own outbox (ADR 0022): the webhook's one conditional write holds the
// payment, the receipt and the event; the relay publishes from it and releases it. Faults on our
// own write, lost answers, concurrent releases and failed publishes, against DynamoDB Local.
describe('the intent item holds its events until they are published (DynamoDB Local)', () => {
  let table: TestTable;
  let faulty: FaultyDb;
  let h: ReturnType<typeof lifecycleHarness>;
  // The webhook's state-change write (the only intent update conditioned on the status read).
  const isCommit = (command: Command) =>
    command.constructor.name === 'UpdateCommand' && String((command.input as { ConditionExpression?: string }).ConditionExpression).startsWith('#status = :from');
  const itemOf = async (intentId: string) =>
    (await table.db.send(new GetCommand({ TableName: table.tableName, Key: { pk: `INTENT#${intentId}`, sk: 'INTENT' }, ConsistentRead: true }))).Item ?? {};
  const paid = (intent: { amount: number; currency: string }) => ({ status: 'succeeded' as const, amount: intent.amount, currency: intent.currency });

  beforeAll(async () => {
    table = await createTestTable();
    faulty = new FaultyDb(table.db);
    h = lifecycleHarness({ ...table, db: faulty.client });
  });
  beforeEach(() => faulty.disarm());
  afterAll(async () => {
    await table.drop();
  });

  it('our write lands but its answer is lost (a 500): the retry recognises it — applied once, one payment, one event', async () => {
    const intent = await h.newIntent();
    faulty.arm({ matches: isCommit, times: 1, error: dynamoInternalError, applied: true });
    expect(await h.outcomes.apply(intent.id, paid(intent), { gateway: 'mock', eventId: `lost-${intent.id}` })).toBe('applied');
    expect(faulty.failures).toBe(1);

    expect(await h.paymentsOf(intent.id)).toEqual([expect.objectContaining({ intentId: intent.id, amount: intent.amount })]);
    const events = await h.outboxFor(intent.id);
    expect(events.map((e) => e.event.type)).toEqual(['payment.completed']);
    expect(h.dispatcher.dispatched.filter((r) => r.heldByIntent === intent.id).map((r) => r.event.event.eventId)).toEqual([events[0]?.event.eventId]);
    // The same webhook again is a duplicate: nothing more is written.
    expect(await h.outcomes.apply(intent.id, paid(intent), { gateway: 'mock', eventId: `lost-${intent.id}` })).toBe('duplicate');
    expect((await itemOf(intent.id)).version).toBe(intent.version + 1);
  });

  it('a hard failure after our write landed: the caller sees it, yet the payment and its event are kept and published by the sweep', async () => {
    const intent = await h.newIntent();
    faulty.arm({ matches: isCommit, times: 1, error: dynamoHardError, applied: true });
    await expect(h.outcomes.apply(intent.id, paid(intent), { gateway: 'mock', eventId: `hard-${intent.id}` })).rejects.toThrow('injected');
    // The gateway retries its webhook: already applied.
    expect(await h.outcomes.apply(intent.id, paid(intent), { gateway: 'mock', eventId: `hard-${intent.id}` })).toBe('duplicate');
    expect(h.dispatcher.dispatched.filter((r) => r.heldByIntent === intent.id)).toHaveLength(0);

    // Never relayed: the sweep takes it once the intent's next check is due.
    h.clock.set(new Date(new Date(String((await itemOf(intent.id)).gsi3sk)).getTime() + 61_000));
    const before = h.publisher.published.length;
    await h.relay.sweep(60);
    const published = h.publisher.published.slice(before).filter((e) => e.event.intentId === intent.id);
    expect(published.map((e) => e.event.type)).toEqual(['payment.completed']);
    expect(published[0]?.event.paymentId).toBe((await h.paymentsOf(intent.id))[0]?.id);
    expect(await h.outboxFor(intent.id)).toEqual([expect.objectContaining({ published: true })]);
  });

  it('two held events (a late success after a cancel) released concurrently: each published, the list emptied, the intent out of the queue', async () => {
    const intent = await h.newIntent();
    expect(await h.outcomes.apply(intent.id, { status: 'cancelled' }, { gateway: 'mock', eventId: `c-${intent.id}` })).toBe('applied');
    expect(await h.outcomes.apply(intent.id, paid(intent), { gateway: 'mock', eventId: `p-${intent.id}` })).toBe('applied');
    const held = await itemOf(intent.id);
    expect(held.pendingEvents).toHaveLength(2);
    expect(held).toMatchObject({ status: 'succeeded', holdsEvents: true, gsi3pk: 'OPEN_INTENT' });

    const records = h.dispatcher.dispatched.filter((r) => r.heldByIntent === intent.id);
    const before = h.publisher.published.length;
    // Each record relayed twice at once: the releases race each other and themselves.
    expect(await h.relay.relayAll([...records, ...records])).toEqual({ published: 4, failed: 0 });
    const types = h.publisher.published.slice(before).map((e) => e.event.type).sort();
    expect(types).toEqual(['payment.completed', 'payment.completed', 'payment.failed', 'payment.failed']);
    const released = await itemOf(intent.id);
    for (const gone of ['pendingEvents', 'holdsEvents', 'gsi3pk', 'gsi3sk']) expect(released[gone]).toBeUndefined();
    expect((await h.outboxFor(intent.id)).map((e) => e.event.type).sort()).toEqual(['payment.completed', 'payment.failed']);
  });

  it('a failed publish makes its intent due for the sweep now; the reconciler\'s gateway checks skip it meanwhile', async () => {
    // Created now: its next check is minutes away.
    const now = h.clock.now().toISOString();
    const intent = await h.newIntent({ createdAt: now, updatedAt: now });
    expect(String((await itemOf(intent.id)).gsi3sk) > now).toBe(true);
    await h.outcomes.apply(intent.id, paid(intent), { gateway: 'mock', eventId: `f-${intent.id}` });
    const [record] = h.dispatcher.dispatched.filter((r) => r.heldByIntent === intent.id);
    h.publisher.failNext(1);
    await expect(h.relay.relay(record!)).rejects.toThrow();
    expect((await itemOf(intent.id)).gsi3sk).toBe(h.clock.now().toISOString());

    const dueLater = new Date(h.clock.now().getTime() + 86_400_000).toISOString();
    expect((await h.intents.listDue(dueLater, 100, null)).items.map((item) => item.value.id)).not.toContain(intent.id);
    expect(await h.relay.sweep(60)).toEqual({ published: 0, failed: 0 });
    h.clock.advance(61_000);
    const before = h.publisher.published.length;
    await h.relay.sweep(60);
    expect(h.publisher.published.slice(before).map((e) => e.event.eventId)).toContain(record!.event.event.eventId);
    expect((await itemOf(intent.id)).gsi3pk).toBeUndefined();
  });
});

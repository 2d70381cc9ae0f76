import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { CapacityMeter, costOf } from '../support/capacity-meter.js';

// Write units (WCU), read units (RCU), write requests, item writes and SNS publishes per phase.
const cost = (writeUnits: number, readUnits: number, writeRequests: number, itemWrites: number, publishes: number) => ({ writeUnits, readUnits, writeRequests, itemWrites, publishes });
import { RecordingPublisher } from '../support/recording-publisher.js';
import { StubDisbursementProvider } from '../support/stub-disbursement-provider.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// What one payment, one refund and one payout cost in DynamoDB, as DynamoDB Local reports it
// (ReturnConsumedCapacity INDEXES on every call), and how many events each publishes. The flows
// are deterministic, so the figures are exact: a change that adds a write or an index shows here.
describe('write cost per lifecycle (DynamoDB Local consumed capacity)', () => {
  let t: TestApp;
  let meter: CapacityMeter;
  const publisher = new RecordingPublisher();
  const payouts = new StubDisbursementProvider('momo');
  const http = () => request(t.app.getHttpServer());
  const settle = () => (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
  const figures: Record<string, unknown> = {};

  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    await settle();
    meter.take();
    const before = publisher.published.length;
    const result = await work();
    await settle();
    const calls = meter.take();
    // The pricing agrees with DynamoDB Local wherever Local's own figure is right (single items).
    for (const call of calls.filter((c) => c.write && c.command !== 'TransactWriteCommand')) expect(call.total).toBe(call.reported);
    const { writeUnits, readUnits, writeRequests, itemWrites } = costOf(calls);
    figures[name] = { writeUnits, readUnits, writeRequests, itemWrites, publishes: publisher.published.length - before };
    return result;
  };
  const create = (referenceId: string, key?: string) => {
    const post = http().post('/api/v1/intents').set('X-API-Key', KEYS.kaba);
    if (key) post.set('Idempotency-Key', key);
    return post.send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId, phoneNumber: '+22961000000' }, gatewayOverride: 'mock' });
  };
  const pay = (intent: { gatewayTransactionId: string; amount: number; currency: string }) =>
    http().post('/webhooks/mock').send({ gatewayTransactionId: intent.gatewayTransactionId, status: 'succeeded', amount: intent.amount, currency: intent.currency });

  beforeAll(async () => {
    t = await startTestApp({}, { publisher, disbursementProviders: [payouts] }, (db) => {
      meter = new CapacityMeter(db);
      return meter.client;
    });
  });
  afterAll(async () => {
    process.stdout.write(`write cost per lifecycle: ${JSON.stringify(figures, null, 1)}\n`);
    await t.close();
  });

  const paid = async (referenceId: string) => {
    const created = await create(referenceId);
    await pay(created.body).expect(200);
    await settle();
    return created.body as { id: string };
  };

  it('create → webhook → relay', async () => {
    const created = await phase('create', () => create('cost-1'));
    expect(created.status).toBe(201);
    await phase('webhook+relay', () => pay(created.body));
    // Put the attempt record (item, gsi2b, gsi3: 3), claim the gateway transaction (1), update
    // with the outcome (ADR 0010; item 1, gsi3 1: gsi3 projects ALL, so its entry is rewritten,
    // but its key stays put; gsi2b holds nothing the outcome sets — ADR 0023). Then one write of
    // the intent (status, payment, receipt and the event it holds, ADR 0022: item 1, its gsi3
    // entry rewritten 1) and the relay's two: the event-log item (item 1, gsi2b 1: ADR 0019) and
    // the intent's release (item 1, leaving gsi3 1). 12 in all, from 25. Reads: the intent
    // before the webhook's write, the gateway-transaction lookup, and the release's read.
    expect(figures.create).toEqual(cost(6, 0, 3, 3, 0));
    expect(figures['webhook+relay']).toEqual(cost(6, 3, 3, 3, 1));
  });

  it('create with an Idempotency-Key → webhook → relay', async () => {
    const created = await phase('create+key', () => create('cost-2', 'cost-key-2'));
    expect(created.status).toBe(201);
    await phase('webhook+relay (keyed)', () => pay(created.body));
    // + the key's claim (1), and its binding in one transaction with the outcome (intent and key
    // 2 × 2, the intent's gsi3 entry 1 × 2).
    expect(figures['create+key']).toEqual(cost(11, 0, 4, 5, 0));
    expect(figures['webhook+relay (keyed)']).toEqual(cost(6, 3, 3, 3, 1));
  });

  it('refund → relay', async () => {
    const intent = await paid('cost-3');
    const refunded = await phase('refund', () => http().post(`/api/v1/intents/${intent.id}/refund`).set('X-API-Key', KEYS.kaba).send({ amount: 100000 }));
    expect(refunded.status).toBe(201);
    // One read of the intent and one of its ledger; reserve (intent + refund 2 × 2, the refund
    // entering gsi3 2), record (refund, event, gateway refund id 3 × 2; the refund leaving gsi3 and
    // the event entering it 2 × 2) and the relay's mark (3, as above). The intent's updates write
    // nothing to gsi2b.
    expect(figures.refund).toEqual(cost(19, 2, 3, 6, 1));
  });

  it('payout of a paid intent → provider settles → relay', async () => {
    const intent = await paid('cost-4');
    const payout = await phase('payout', () =>
      http().post('/api/v1/disbursements').set('X-API-Key', KEYS.kaba).send({ amount: 500000, currency: 'XOF', country: 'BJ', phoneNumber: '+22997222222', appId: 'kaba', referenceId: 'cost-4', intentId: intent.id }),
    );
    expect(payout.status).toBe(201);
    await phase('payout settled', async () => (await t.services()).disburse.pollPending());
    // Record (payout, source marker, intent, listing 4 × 2, the payout entering gsi3 2), the
    // provider's answer (item 1, gsi3's key moves 2); then its final status with the event (2 × 2,
    // the payout leaving gsi3 and the event entering it 2 × 2) and the relay's mark (3).
    expect(figures.payout).toEqual(cost(13, 2, 2, 5, 0));
    expect(figures['payout settled']).toEqual(cost(11, 0.5, 2, 3, 1));
  });
});

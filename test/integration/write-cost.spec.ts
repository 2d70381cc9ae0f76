import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { CapacityMeter, costOf } from '../support/capacity-meter.js';
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
    figures[name] = { ...costOf(meter.take()), publishes: publisher.published.length - before };
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

  it('create → webhook → relay', async () => {
    const created = await phase('create', () => create('cost-1'));
    expect(created.status).toBe(201);
    await phase('webhook+relay', () => pay(created.body));
    expect(figures).toEqual({});
  });
});

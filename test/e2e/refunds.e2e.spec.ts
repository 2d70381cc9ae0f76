import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { RecordingPublisher } from '../support/recording-publisher.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

describe('POST /api/v1/intents/:id/refund (e2e, DynamoDB Local, mock gateway)', () => {
  let t: TestApp;
  const publisher = new RecordingPublisher();
  const http = () => request(t.app.getHttpServer());
  const settle = () => (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();

  async function paidIntent(amount: number): Promise<string> {
    const created = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: `inv-${amount}` }, gatewayOverride: 'mock' });
    await http().post('/webhooks/mock').send({ gatewayTransactionId: created.body.gatewayTransactionId, status: 'succeeded', amount: created.body.amount, currency: created.body.currency });
    return created.body.id as string;
  }
  const refund = (id: string, body: object = {}) => http().post(`/api/v1/intents/${id}/refund`).set('X-API-Key', KEYS.kaba).send(body);
  const refundedEvents = (intentId: string) =>
    publisher.published.filter((e) => e.event.intentId === intentId && e.event.type === 'payment.refunded');

  beforeAll(async () => {
    t = await startTestApp({}, { publisher });
  });
  afterAll(async () => {
    await t.close();
  });

  it('returns the seed refund shape, and GET shows refundedAmount and the ledger', async () => {
    const id = await paidIntent(500000);
    const res = await refund(id, { amount: 250000, reason: 'Customer requested cancellation' });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(
      ['id', 'paymentId', 'intentId', 'amount', 'currency', 'status', 'gateway', 'gatewayRefundId', 'reason', 'createdAt', 'updatedAt'].sort(),
    );
    expect(res.body).toMatchObject({
      intentId: id,
      amount: 250000,
      currency: 'XOF',
      status: 'succeeded',
      gateway: 'mock',
      gatewayRefundId: `mock_re_${res.body.id}`,
      reason: 'Customer requested cancellation',
    });
    const second = await refund(id, { amount: 100000 });
    expect(second.status).toBe(201);

    const intent = (await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.kaba)).body;
    expect(intent.refundedAmount).toBe(350000);
    expect(intent.balance).toBe(150000);
    expect(intent.ledger.map((e: { type: string; amount: number }) => [e.type, e.amount])).toEqual([
      ['payment', 500000],
      ['refund', -250000],
      ['refund', -100000],
    ]);
    await settle();
    const events = refundedEvents(id);
    expect(events.map((e) => [e.event.refundId, e.event.amount])).toEqual([
      [res.body.id, 250000],
      [second.body.id, 100000],
    ]);
    expect(events[0]?.event.paymentId).toBe(res.body.paymentId);
  });

  it('omitted amount refunds what is left; after a full refund another is 402', async () => {
    const id = await paidIntent(1000);
    await refund(id, { amount: 300 });
    const rest = await refund(id);
    expect(rest.body.amount).toBe(700);
    const again = await refund(id, { amount: 1 });
    expect(again.status).toBe(402);
    expect(again.body).toEqual({ statusCode: 402, error: 'PAYMENT_ERROR', message: `PaymentIntent ${id} is already fully refunded` });
  });

  it('a refund larger than what is left is 402 naming the refundable amount', async () => {
    const id = await paidIntent(1000);
    const res = await refund(id, { amount: 1001 });
    expect(res.body).toEqual({
      statusCode: 402,
      error: 'PAYMENT_ERROR',
      message: `Refund amount 1001 exceeds the refundable amount 1000 of PaymentIntent ${id}`,
    });
  });

  it('a refund on a payment that has not succeeded is 402', async () => {
    const created = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount: 500, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'unpaid' }, gatewayOverride: 'mock' });
    const res = await refund(created.body.id);
    expect(res.body).toEqual({
      statusCode: 402,
      error: 'PAYMENT_ERROR',
      message: `PaymentIntent ${created.body.id} is pending; only succeeded payments can be refunded`,
    });
  });

  it('20 concurrent partial refunds whose sum exceeds the payment never refund more than was paid', async () => {
    const id = await paidIntent(10_000);
    const responses = await Promise.all(Array.from({ length: 20 }, () => refund(id, { amount: 700 })));

    const accepted = responses.filter((r) => r.status === 201);
    const rejected = responses.filter((r) => r.status !== 201);
    expect(accepted).toHaveLength(14); // 14 × 700 = 9 800 ≤ 10 000 < 15 × 700
    expect(rejected.every((r) => r.status === 402 && r.body.error === 'PAYMENT_ERROR')).toBe(true);

    const intent = (await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.kaba)).body;
    expect(intent.refundedAmount).toBe(9800);
    const stored = await t.table.db.send(
      new ScanCommand({ TableName: t.table.tableName, FilterExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `INTENT#${id}` }, ConsistentRead: true }),
    );
    const intentItem = stored.Items?.find((item) => item.sk === 'INTENT');
    const refundItems = stored.Items?.filter((item) => item.entity === 'refund') ?? [];
    // The guard attribute, the ledger and the refund items all agree.
    expect(intentItem?.refundedAmount).toBe(9800);
    expect(refundItems.reduce((sum, item) => sum + Number(item.amount), 0)).toBe(9800);
    await settle();
    expect(new Set(refundedEvents(id).map((e) => e.event.refundId))).toEqual(new Set(accepted.map((r) => r.body.id)));
  });

  it('Idempotency-Key replays the refund instead of refunding twice', async () => {
    const id = await paidIntent(2000);
    const first = await refund(id, { amount: 500 }).set('Idempotency-Key', 'refund-once');
    const replay = await refund(id, { amount: 500 }).set('Idempotency-Key', 'refund-once');
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const intent = (await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.kaba)).body;
    expect(intent.refundedAmount).toBe(500);
  });

  it('validates the body and hides other apps\' intents', async () => {
    const id = await paidIntent(3000);
    expect((await refund(id, { amount: -5 })).body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'amount must be greater than 0' });
    expect((await http().post(`/api/v1/intents/${id}/refund`).set('X-API-Key', KEYS.events).send({})).status).toBe(404);
  });
});

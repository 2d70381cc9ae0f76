import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import { DynamoIntentRepository } from '../../src/storage/intent.repository.js';
import { ManualClock } from '../support/manual-clock.js';
import { sampleIntent } from '../support/intents.js';
import { RecordingPublisher } from '../support/recording-publisher.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';

const SECRET = 'tkh-webhook-secret';
const NOW = new Date('2026-03-08T12:00:00Z');
const nowSeconds = NOW.getTime() / 1000;

describe('TKH webhook: X-TKH-Signature over "<timestamp>.<body>", ±300 s (e2e)', () => {
  let t: TestApp;
  const publisher = new RecordingPublisher();
  const clock = new ManualClock(NOW);
  const http = () => request(t.app.getHttpServer());
  const sign = (timestamp: number, body: string, secret = SECRET) =>
    createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

  const tkhIntent = async () => {
    const id = randomUUID();
    const intent = sampleIntent({ id, gateway: 'tkh', gatewayTransactionId: `tkh_${id}`, paymentMode: 'redirect' });
    await new DynamoIntentRepository(t.table.db, t.table.tableName).create(intent);
    return intent;
  };
  const webhookBody = (transactionId: string, eventId = `evt_${randomUUID()}`) =>
    JSON.stringify({ id: eventId, type: 'payment.succeeded', data: { transactionId, amount: 500000, currency: 'XOF' } });
  const send = (body: string, headers: Record<string, string>) =>
    http().post('/webhooks/tkh').set('Content-Type', 'application/json').set(headers).send(body);
  const statusOf = async (id: string) => (await new DynamoIntentRepository(t.table.db, t.table.tableName).get(id))?.status;

  beforeAll(async () => {
    t = await startTestApp({ TKH_WEBHOOK_SECRET: SECRET }, { clock, publisher });
  });
  afterAll(async () => {
    await t.close();
  });

  it('accepts a correctly signed, fresh webhook and publishes payment.completed once, even when replayed', async () => {
    const intent = await tkhIntent();
    const body = webhookBody(intent.gatewayTransactionId!, 'evt_once');
    const headers = { 'X-TKH-Timestamp': String(nowSeconds - 10), 'X-TKH-Signature': sign(nowSeconds - 10, body) };
    expect((await send(body, headers)).status).toBe(200);
    expect((await send(body, headers)).status).toBe(200);
    expect(await statusOf(intent.id)).toBe('succeeded');
    await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
    expect(publisher.published.filter((e) => e.event.intentId === intent.id).map((e) => e.event.type)).toEqual(['payment.completed']);
  });

  it.each([
    ['missing signature', () => ({ 'X-TKH-Timestamp': String(nowSeconds) })],
    ['missing timestamp', (body: string) => ({ 'X-TKH-Signature': sign(nowSeconds, body) })],
    ['forged signature', () => ({ 'X-TKH-Timestamp': String(nowSeconds), 'X-TKH-Signature': '0'.repeat(64) })],
    ['truncated signature', (body: string) => ({ 'X-TKH-Timestamp': String(nowSeconds), 'X-TKH-Signature': sign(nowSeconds, body).slice(1) })],
    ['other secret', (body: string) => ({ 'X-TKH-Timestamp': String(nowSeconds), 'X-TKH-Signature': sign(nowSeconds, body, 'other') })],
    ['stale timestamp (301 s old)', (body: string) => ({ 'X-TKH-Timestamp': String(nowSeconds - 301), 'X-TKH-Signature': sign(nowSeconds - 301, body) })],
    ['future timestamp (301 s ahead)', (body: string) => ({ 'X-TKH-Timestamp': String(nowSeconds + 301), 'X-TKH-Signature': sign(nowSeconds + 301, body) })],
    ['signature of another timestamp', (body: string) => ({ 'X-TKH-Timestamp': String(nowSeconds), 'X-TKH-Signature': sign(nowSeconds - 1, body) })],
  ])('%s → 401, nothing stored, nothing published', async (_label, headersFor) => {
    const intent = await tkhIntent();
    const body = webhookBody(intent.gatewayTransactionId!);
    const published = publisher.published.length;
    const res = await send(body, headersFor(body) as Record<string, string>);
    expect(res.status).toBe(401);
    expect(res.body.error).toBe('UNAUTHORIZED');
    expect(await statusOf(intent.id)).toBe('pending');
    expect(publisher.published.length).toBe(published);
    // Receipts live on the intent they changed (ADR 0022).
    const changed = await t.table.db.send(
      new ScanCommand({ TableName: t.table.tableName, FilterExpression: 'gateway = :tkh AND attribute_exists(receipts)', ExpressionAttributeValues: { ':tkh': 'tkh' }, ConsistentRead: true }),
    );
    expect(changed.Items?.flatMap((item) => [...(item.receipts as Set<string>)])).toHaveLength(1); // only the accepted webhook of the first test
  });

  it.each([
    ['no amount', { currency: 'XOF' }],
    ['a string amount', { amount: '1', currency: 'XOF' }],
    ['no currency', { amount: 500000 }],
  ])('a signed success with %s is kept for review (amount_missing), never succeeded', async (_label, money) => {
    const intent = await tkhIntent();
    const eventId = `evt_${randomUUID()}`;
    const body = JSON.stringify({ id: eventId, type: 'payment.succeeded', data: { transactionId: intent.gatewayTransactionId, ...money } });
    const res = await send(body, { 'X-TKH-Timestamp': String(nowSeconds), 'X-TKH-Signature': sign(nowSeconds, body) });
    expect(res.status).toBe(200);
    expect(await statusOf(intent.id)).toBe('pending');
    const review = await t.table.db.send(
      new ScanCommand({ TableName: t.table.tableName, FilterExpression: 'entity = :r AND eventId = :e', ExpressionAttributeValues: { ':r': 'review', ':e': eventId } }),
    );
    expect(review.Items?.map((item) => item.reason)).toEqual(['amount_missing']);
  });

  it('accepts timestamps at the edge of the window (300 s either side)', async () => {
    for (const offset of [-300, 300]) {
      const intent = await tkhIntent();
      const body = webhookBody(intent.gatewayTransactionId!);
      const ts = nowSeconds + offset;
      expect((await send(body, { 'X-TKH-Timestamp': String(ts), 'X-TKH-Signature': sign(ts, body) })).status).toBe(200);
      expect(await statusOf(intent.id)).toBe('succeeded');
    }
  });
});

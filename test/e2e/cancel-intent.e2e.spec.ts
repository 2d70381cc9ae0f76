import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { MomoFake } from '../support/fakes/momo-fake.js';
import { ManualClock } from '../support/manual-clock.js';
import { RecordingPublisher } from '../support/recording-publisher.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// POST /api/v1/intents/:id/cancel (ADR 0013) on the real app and DynamoDB Local: the mock
// gateway (no status API: nothing to ask) and MTN MoMo through its fake (asked before cancelling;
// its one unsigned callback is re-queried), with a late success after each cancel.
describe('POST /api/v1/intents/:id/cancel', () => {
  const momo = new MomoFake();
  const publisher = new RecordingPublisher();
  const clock = new ManualClock(new Date('2026-12-02T10:00:00Z'));
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  const create = async (body: object, key: string = KEYS.kaba) => {
    const res = await http().post('/api/v1/intents').set('X-API-Key', key).set('Idempotency-Key', randomUUID()).send(body);
    expect(res.status).toBe(201);
    return res.body as { id: string; gatewayTransactionId: string; status: string; amount: number; currency: string };
  };
  const mockIntent = (key: string = KEYS.kaba) =>
    create({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: key === KEYS.events ? 'events' : 'kaba', referenceId: `ref-${randomUUID()}` }, gatewayOverride: 'mock' }, key);
  const momoIntent = () =>
    create({ amount: 2000, currency: 'GHS', country: 'GH', metadata: { appId: 'kaba', referenceId: `ref-${randomUUID()}`, phoneNumber: '+233241234567' }, gatewayOverride: 'momo' });
  const cancel = (id: string, key: string = KEYS.kaba) => http().post(`/api/v1/intents/${id}/cancel`).set('X-API-Key', key).send();
  const get = async (id: string) => (await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.ops)).body as { status: string; ledger: unknown[] };
  // The mock gateway's webhook (unsigned in tests): a confirmed success for the mock.
  const mockPaid = (intent: { gatewayTransactionId: string; amount: number; currency: string }) =>
    http().post('/webhooks/mock').set('content-type', 'application/json').send({ gatewayTransactionId: intent.gatewayTransactionId, status: 'succeeded', amount: intent.amount, currency: intent.currency });
  const events = async (intentId: string) => {
    await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
    return publisher.published.filter((e) => e.event.intentId === intentId).map((e) => e.event.type);
  };
  const reviews = async (intentId: string) => {
    const { Items = [] } = await t.table.db.send(new ScanCommand({ TableName: t.table.tableName, FilterExpression: 'entity = :r', ExpressionAttributeValues: { ':r': 'review' }, ConsistentRead: true }));
    return Items.filter((item) => String(item.detail).includes(intentId)).map((item) => item.reason as string);
  };

  beforeAll(async () => {
    const port = await freePort();
    const momoUrl = await momo.start();
    t = await startTestApp(
      {
        PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
        MOMO_BASE_URL: momoUrl,
        MOMO_TARGET_ENVIRONMENT: 'mtnghana',
        MOMO_COLLECTION_SUBSCRIPTION_KEY: 'sub',
        MOMO_COLLECTION_API_USER: 'user',
        MOMO_COLLECTION_API_KEY: 'key',
      },
      { clock, publisher },
    );
    await t.app.listen(port, '127.0.0.1');
  });
  afterAll(async () => {
    await t.close();
    await momo.stop();
  });

  it('the owning app cancels an open intent: cancelled and exactly one payment.failed; again: the same intent, nothing more', async () => {
    const intent = await mockIntent();
    const first = await cancel(intent.id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id: intent.id, status: 'cancelled' });
    const again = await cancel(intent.id);
    expect([again.status, again.body.status, again.body.updatedAt]).toEqual([200, 'cancelled', first.body.updatedAt]);
    expect(await events(intent.id)).toEqual(['payment.failed']);
    expect((await get(intent.id)).status).toBe('cancelled');
  });

  it("another app's key gets 404 and changes nothing; the operations key may cancel", async () => {
    const intent = await mockIntent();
    const other = await cancel(intent.id, KEYS.events);
    expect([other.status, other.body.error]).toEqual([404, 'NOT_FOUND']);
    expect((await get(intent.id)).status).toBe('pending');
    expect((await cancel(randomUUID())).status).toBe(404);
    const ops = await cancel(intent.id, KEYS.ops);
    expect([ops.status, ops.body.status]).toEqual([200, 'cancelled']);
    expect(await events(intent.id)).toEqual(['payment.failed']);
  });

  it('a succeeded intent cannot be cancelled: 402 naming its status', async () => {
    const intent = await mockIntent();
    expect((await mockPaid(intent)).status).toBe(200);
    const res = await cancel(intent.id);
    expect(res.status).toBe(402);
    expect(res.body).toEqual({ statusCode: 402, error: 'PAYMENT_ERROR', message: expect.stringContaining('is succeeded') });
    expect(await events(intent.id)).toEqual(['payment.completed']);
  });

  it('MoMo says SUCCESSFUL when asked before cancelling: not cancelled — 409, succeeded, one payment.completed', async () => {
    const intent = await momoIntent();
    momo.settle(intent.id, 'SUCCESSFUL');
    const res = await cancel(intent.id);
    expect([res.status, res.body.error]).toEqual([409, 'CONFLICT']);
    expect(res.body.message).toContain('already paid');
    const after = await get(intent.id);
    expect(after.status).toBe('succeeded');
    expect(after.ledger).toHaveLength(1);
    expect(await events(intent.id)).toEqual(['payment.completed']);
    expect(await reviews(intent.id)).toEqual([]);
    // MoMo's callback arrives afterwards: the same change, nothing twice.
    expect(await momo.callback(intent.id)).toBe(200);
    expect(await events(intent.id)).toEqual(['payment.completed']);
  });

  it('MoMo still PENDING: cancelled; the customer then approves and MoMo calls back — succeeded, one payment.completed, a late_success review item', async () => {
    const intent = await momoIntent();
    const res = await cancel(intent.id);
    expect([res.status, res.body.status]).toEqual([200, 'cancelled']);
    expect(await events(intent.id)).toEqual(['payment.failed']);

    momo.settle(intent.id, 'SUCCESSFUL');
    expect(await momo.callback(intent.id)).toBe(200);
    const after = await get(intent.id);
    expect(after.status).toBe('succeeded');
    expect(after.ledger).toEqual([expect.objectContaining({ type: 'payment', amount: 2000 })]);
    expect(await events(intent.id)).toEqual(['payment.failed', 'payment.completed']);
    expect(await reviews(intent.id)).toEqual(['late_success']);
    // A repeated callback changes nothing and flags nothing more.
    expect(await momo.callback(intent.id, 'PUT')).toBe(200);
    expect(await events(intent.id)).toEqual(['payment.failed', 'payment.completed']);
    expect(await reviews(intent.id)).toEqual(['late_success']);
    // The paid intent is now a normal succeeded one: a cancel is refused.
    expect((await cancel(intent.id)).status).toBe(402);
  });

  it('MoMo cannot be asked (503): 502, nothing changed', async () => {
    const intent = await momoIntent();
    momo.inject('GET /collection/v1_0/requesttopay/:ref', 'refuse-503');
    const res = await cancel(intent.id);
    expect([res.status, res.body.error]).toEqual([502, 'PAYMENT_GATEWAY_ERROR']);
    expect((await get(intent.id)).status).toBe('pending');
    expect(await events(intent.id)).toEqual([]);
  });

  it('a cancel racing a success webhook: exactly one terminal outcome, consistent events, never a lost payment', async () => {
    const intents = await Promise.all(Array.from({ length: 8 }, () => mockIntent()));
    const answers = await Promise.all(intents.map(async (intent) => {
      const [cancelled, webhook] = await Promise.all([cancel(intent.id), mockPaid(intent)]);
      return { intent, cancelled, webhook };
    }));
    for (const { intent, cancelled, webhook } of answers) {
      expect(webhook.status).toBe(200);
      const after = await get(intent.id);
      // The success is confirmed either way: it wins, or it comes late and is flagged.
      expect(after.status).toBe('succeeded');
      expect(after.ledger).toHaveLength(1);
      const seen = await events(intent.id);
      const flagged = await reviews(intent.id);
      if (seen.length === 1) {
        expect([seen, flagged, cancelled.status]).toEqual([['payment.completed'], [], 409]);
      } else {
        expect(seen).toEqual(['payment.failed', 'payment.completed']);
        expect(flagged).toEqual(['late_success']);
        expect([200, 409]).toContain(cancelled.status);
      }
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

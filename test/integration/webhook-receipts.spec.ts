import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { REQUERY_WINDOW_MS } from '../../src/services/requery-throttle.js';
import { FakeGatewayServer } from '../support/fake-gateway-server.js';
import { ManualClock } from '../support/manual-clock.js';
import { RecordingPublisher } from '../support/recording-publisher.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// Issue 9 case 10: a webhook receipt is written only with a real state change (the same write of
// the intent, ADR 0022). An event that changes nothing (early, forged, repeated, mismatched) writes none, so it
// can never make the genuine one a "duplicate". Real MoMo adapter against a local fake.
describe('webhook receipts are recorded only with a state change (DynamoDB Local)', () => {
  const fake = new FakeGatewayServer();
  const publisher = new RecordingPublisher();
  // A reference is re-queried at most once per window (issue 11): time passes between callbacks here.
  const clock = new ManualClock(new Date());
  const later = () => clock.advance(REQUERY_WINDOW_MS);
  // What the fake MoMo status API answers, by X-Reference-Id.
  const momo = new Map<string, { status: string; amount: string }>();
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  const scan = async (prefix: string) =>
    (
      await t.table.db.send(
        new ScanCommand({
          TableName: t.table.tableName,
          FilterExpression: 'begins_with(pk, :p)',
          ExpressionAttributeValues: { ':p': prefix },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  // The receipts of the events that changed the intent, kept on its item (ADR 0022).
  const receiptsOf = async (intentId: string) => {
    const { Item } = await t.table.db.send(new GetCommand({ TableName: t.table.tableName, Key: { pk: `INTENT#${intentId}`, sk: 'INTENT' }, ConsistentRead: true }));
    return [...((Item?.receipts as Set<string> | undefined) ?? [])];
  };
  const intentOf = async (id: string) => (await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.kaba)).body as Record<string, unknown>;
  const eventsOf = async (intentId: string) => {
    await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
    return publisher.published.filter((e) => e.event.intentId === intentId).map((e) => e.event.type);
  };
  const momoIntent = async (referenceId: string) => {
    const intent = (
      await http()
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.kaba)
        .send({ amount: 2000, currency: 'GHS', country: 'GH', metadata: { appId: 'kaba', referenceId, phoneNumber: '+233241234567' } })
    ).body as { id: string; gateway: string; gatewayTransactionId: string };
    expect(intent.gateway).toBe('momo');
    momo.set(intent.gatewayTransactionId, { status: 'PENDING', amount: '20.00' });
    return intent;
  };
  // The one callback MoMo sends, on the URL we gave it; its body is only a hint.
  const callback = (reference: string, status = 'SUCCESSFUL') => http().put(`/webhooks/momo/${reference}`).send({ status });
  const mockIntent = async (referenceId: string) =>
    (
      await http()
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.kaba)
        .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId }, gatewayOverride: 'mock' })
    ).body as { id: string; gatewayTransactionId: string };
  const mockWebhook = (body: object) => http().post('/webhooks/mock').send(body);

  beforeAll(async () => {
    fake.on('POST /collection/token/', { status: 200, body: { access_token: 'momo.token', token_type: 'access_token', expires_in: 3600 } });
    fake.on('POST /collection/v1_0/requesttopay', { status: 202 });
    fake.on('GET /collection/v1_0/requesttopay/*', (req) => {
      const answer = momo.get(req.path.split('/').pop() ?? '') ?? { status: 'FAILED', amount: '0' };
      return { status: 200, body: { amount: answer.amount, currency: 'GHS', externalId: 'x', status: answer.status } };
    });
    const base = await fake.start();
    t = await startTestApp(
      { MOMO_BASE_URL: base, MOMO_TARGET_ENVIRONMENT: 'mtnghana', MOMO_COLLECTION_SUBSCRIPTION_KEY: 'sub', MOMO_COLLECTION_API_USER: 'user', MOMO_COLLECTION_API_KEY: 'key' },
      { publisher, clock },
    );
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('an early MoMo callback while MoMo still says PENDING changes nothing; the genuine one (same path, same body) settles the intent', async () => {
    const intent = await momoIntent('gh-early');
    const reference = intent.gatewayTransactionId;

    // Forged, or simply early: the status API still says PENDING.
    expect((await callback(reference)).status).toBe(200);
    expect((await intentOf(intent.id)).status).toBe('pending');
    expect(await receiptsOf(intent.id)).toEqual([]);

    momo.set(reference, { status: 'SUCCESSFUL', amount: '20.00' });
    later();
    expect((await callback(reference)).status).toBe(200);
    expect((await intentOf(intent.id)).status).toBe('succeeded');
    expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
    expect(await receiptsOf(intent.id)).toEqual([`callback:${reference}:SUCCESSFUL`]);

    // A repeat changes nothing and writes nothing more.
    later();
    expect((await callback(reference)).status).toBe(200);
    expect(await receiptsOf(intent.id)).toHaveLength(1);
    expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
  });

  it('a mismatched amount writes no receipt and one review item however often it comes; the right answer still settles', async () => {
    const intent = await momoIntent('gh-mismatch');
    const reference = intent.gatewayTransactionId;
    momo.set(reference, { status: 'SUCCESSFUL', amount: '0.20' });
    for (let i = 0; i < 3; i++) {
      later();
      expect((await callback(reference)).status).toBe(200);
    }
    expect((await intentOf(intent.id)).status).toBe('pending');
    expect(await receiptsOf(intent.id)).toEqual([]);
    expect(await scan(`REVIEW#momo#callback:${reference}:`)).toEqual([expect.objectContaining({ reason: 'amount_mismatch' })]);

    momo.set(reference, { status: 'SUCCESSFUL', amount: '20.00' });
    later();
    expect((await callback(reference)).status).toBe(200);
    expect((await intentOf(intent.id)).status).toBe('succeeded');
    expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
  });

  it('webhooks that change nothing (verdicts after a terminal one) write no receipt (mock)', async () => {
    const intent = await mockIntent('mock-late');
    const tx = intent.gatewayTransactionId;
    expect((await mockWebhook({ gatewayTransactionId: tx, status: 'failed', eventId: `late-${tx}` })).status).toBe(200);
    expect((await intentOf(intent.id)).status).toBe('failed');
    expect((await mockWebhook({ gatewayTransactionId: tx, status: 'succeeded', eventId: `later-${tx}` })).status).toBe(200);
    expect((await mockWebhook({ gatewayTransactionId: tx, status: 'failed', eventId: `again-${tx}` })).status).toBe(200);
    expect(await receiptsOf(intent.id)).toEqual([`late-${tx}`]);
    expect(await scan('WEBHOOK#')).toEqual([]);
    expect((await intentOf(intent.id)).status).toBe('failed');
    expect(await eventsOf(intent.id)).toEqual(['payment.failed']);
  });
});

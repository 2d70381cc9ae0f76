import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { type ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { EventListener } from '../support/event-listener.js';
import { KEYS, seedIntentRequest, startTestApp, type TestApp } from '../support/test-app.js';

const MOCK_SECRET = 'mock-webhook-secret';

describe('payment flow: mock intent → webhook → succeeded → payment.completed (e2e)', () => {
  let t: TestApp;
  const listener = new EventListener();
  const http = () => request(t.app.getHttpServer());
  const sign = (body: string) => createHmac('sha256', MOCK_SECRET).update(body).digest('hex');
  const createIntent = async (referenceId: string) =>
    (
      await http()
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.kaba)
        .send({ ...seedIntentRequest(), metadata: { appId: 'kaba', referenceId, businessId: 'biz-xyz' } })
    ).body as { id: string; gatewayTransactionId: string; amount: number; currency: string; paymentUrl: string };

  beforeAll(async () => {
    const url = await listener.start();
    t = await startTestApp({ MOCK_WEBHOOK_SECRET: MOCK_SECRET, LOCAL_EVENT_WEBHOOK_URL: url });
  });
  afterAll(async () => {
    await t.close();
    await listener.stop();
  });

  it('delivers payment.completed with the seed fields to LOCAL_EVENT_WEBHOOK_URL', async () => {
    const intent = await createIntent('invoice-abc123');
    const body = JSON.stringify({ gatewayTransactionId: intent.gatewayTransactionId, status: 'succeeded', amount: intent.amount, currency: intent.currency });
    const webhook = await http().post('/webhooks/mock').set('Content-Type', 'application/json').set('X-Mock-Signature', sign(body)).send(body);
    expect(webhook.status).toBe(200);
    expect(webhook.body).toEqual({ received: true });

    const fetched = await http().get(`/api/v1/intents/${intent.id}`).set('X-API-Key', KEYS.kaba);
    expect(fetched.body.status).toBe('succeeded');

    await listener.waitFor(1);
    const [post] = listener.received;
    const message = JSON.parse(post!.body.Message);
    expect(Object.keys(message).sort()).toEqual(
      ['type', 'eventId', 'intentId', 'paymentId', 'refundId', 'disbursementId', 'appId', 'referenceId', 'businessId', 'amount', 'currency', 'gateway', 'timestamp', 'refundStatus'].sort(),
    );
    expect(message).toMatchObject({
      type: 'payment.completed',
      intentId: intent.id,
      refundId: null,
      refundStatus: null,
      appId: 'kaba',
      referenceId: 'invoice-abc123',
      businessId: 'biz-xyz',
      amount: 500000,
      currency: 'XOF',
      gateway: 'mock',
    });
    expect(message.paymentId).toMatch(/^[0-9a-f-]{36}$/);
    expect(post!.body.MessageAttributes).toEqual({
      eventType: { Type: 'String', Value: 'payment.completed' },
      appId: { Type: 'String', Value: 'kaba' },
      gateway: { Type: 'String', Value: 'mock' },
      country: { Type: 'String', Value: 'BJ' },
    });
  });

  it('a replayed valid webhook answers 200 and publishes nothing more', async () => {
    const intent = await createIntent('replay-1');
    const body = JSON.stringify({ gatewayTransactionId: intent.gatewayTransactionId, status: 'succeeded', amount: intent.amount, currency: intent.currency, eventId: 'evt-replay' });
    const before = listener.received.length;
    for (let i = 0; i < 3; i++) {
      const res = await http().post('/webhooks/mock').set('Content-Type', 'application/json').set('X-Mock-Signature', sign(body)).send(body);
      expect(res.status).toBe(200);
    }
    await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
    await t.deps.localBus?.drain();
    expect(listener.received.length - before).toBe(1);
  });

  it.each([
    ['missing', undefined],
    ['forged', 'f'.repeat(64)],
    ['truncated', 'TRUNCATE'],
    ['signed with another secret', 'OTHER'],
  ])('a %s X-Mock-Signature → 401 and no state change', async (_label, signature) => {
    const intent = await createIntent(`forged-${_label}`);
    const body = JSON.stringify({ gatewayTransactionId: intent.gatewayTransactionId, status: 'succeeded', amount: intent.amount, currency: intent.currency });
    const header =
      signature === 'TRUNCATE'
        ? sign(body).slice(0, 62)
        : signature === 'OTHER'
          ? createHmac('sha256', 'someone-else').update(body).digest('hex')
          : signature;
    const req = http().post('/webhooks/mock').set('Content-Type', 'application/json');
    const res = await (header ? req.set('X-Mock-Signature', header) : req).send(body);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ statusCode: 401, error: 'UNAUTHORIZED', message: 'Invalid webhook signature' });
    expect((await http().get(`/api/v1/intents/${intent.id}`).set('X-API-Key', KEYS.kaba)).body.status).toBe('pending');
  });

  it('answers 404 for an unknown gateway and 401 for a known one whose webhooks cannot be verified here', async () => {
    const paypal = await http().post('/webhooks/paypal').send({});
    expect(paypal.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: 'No webhook endpoint for gateway: paypal' });
    // No STRIPE_WEBHOOK_SECRET in this app: nothing can be proven, so nothing is accepted.
    const stripe = await http().post('/webhooks/stripe').send({});
    expect(stripe.body).toEqual({ statusCode: 401, error: 'UNAUTHORIZED', message: 'Invalid webhook signature' });
  });

  it('answers 200 to unknown event types and unknown transactions (gateways retry non-2xx forever)', async () => {
    const unknownType = JSON.stringify({ gatewayTransactionId: 'mock_x', status: 'refunded' });
    const a = await http().post('/webhooks/mock').set('X-Mock-Signature', sign(unknownType)).set('Content-Type', 'application/json').send(unknownType);
    expect(a.status).toBe(200);
    const unknownTx = JSON.stringify({ gatewayTransactionId: 'mock_never-created', status: 'succeeded' });
    const b = await http().post('/webhooks/mock').set('X-Mock-Signature', sign(unknownTx)).set('Content-Type', 'application/json').send(unknownTx);
    expect(b.status).toBe(200);
  });

  it('the mock payment page needs the signature from paymentUrl, shows only amount and status, and its buttons settle the intent', async () => {
    const intent = await createIntent('page-1');
    const url = new URL(intent.paymentUrl);
    const signature = url.searchParams.get('signature') as string;
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    const page = await http().get(`${url.pathname}${url.search}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('500000 XOF');
    // No other app's data: neither the reference nor the app id.
    expect(page.text).not.toContain('page-1');
    expect(page.text).not.toContain('kaba');
    expect(page.text).toContain(`action="/mock/pay/${intent.id}/pay?signature=${signature}"`);
    expect(page.text).toContain(`action="/mock/pay/${intent.id}/decline?signature=${signature}"`);

    // Without (or with a wrong, or a doubled) signature: 404 for the page and for both actions, nothing changes.
    for (const query of ['', `?signature=${'0'.repeat(64)}`, `?signature=${signature}&signature=${signature}`]) {
      expect((await http().get(`/mock/pay/${intent.id}${query}`)).status).toBe(404);
      expect((await http().post(`/mock/pay/${intent.id}/pay${query}`)).status).toBe(404);
      expect((await http().post(`/mock/pay/${intent.id}/decline${query}`)).status).toBe(404);
    }
    expect((await http().get(`/api/v1/intents/${intent.id}`).set('X-API-Key', KEYS.kaba)).body.status).toBe('pending');

    const paid = await http().post(`/mock/pay/${intent.id}/pay?signature=${signature}`);
    expect(paid.status).toBe(303);
    expect(paid.headers.location).toBe(`/mock/pay/${intent.id}?signature=${signature}`);
    expect((await http().get(`/api/v1/intents/${intent.id}`).set('X-API-Key', KEYS.kaba)).body.status).toBe('succeeded');
    expect((await http().get(paid.headers.location as string)).text).toContain('This payment is <strong>succeeded</strong>');

    const other = await createIntent('page-2');
    await http().post(`/mock/pay/${other.id}/decline${new URL(other.paymentUrl).search}`);
    expect((await http().get(`/api/v1/intents/${other.id}`).set('X-API-Key', KEYS.kaba)).body.status).toBe('failed');
  });
});

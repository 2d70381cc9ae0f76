import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/domain/clock.js';
import { buildGatewayRegistry } from '../../src/gateways/build-gateways.js';
import { GATEWAY_CAPABILITIES } from '../../src/gateways/capabilities.js';
import type { GatewayPaymentStatus, PaymentGateway } from '../../src/gateways/gateway.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';
import { RecordingPublisher } from '../support/recording-publisher.js';

// KkiaPay's status API as seen through the port: transaction id → what KkiaPay answers.
const kkiapayTransactions = new Map<string, GatewayPaymentStatus>();
const statusQueries: string[] = [];
const kkiapay: PaymentGateway = {
  id: 'kkiapay',
  capabilities: GATEWAY_CAPABILITIES.kkiapay,
  isConfigured: () => true,
  createPayment: (input) =>
    Promise.resolve({ gatewayTransactionId: null, paymentUrl: null, clientSecret: null, paymentMode: input.useWidget ? 'widget' : 'push' }),
  getStatus: (transactionId) => {
    statusQueries.push(transactionId);
    return Promise.resolve(kkiapayTransactions.get(transactionId) ?? { status: 'failed', gatewayStatus: 'TRANSACTION_NOT_FOUND' });
  },
};

describe('POST /api/v1/intents/verify-kkiapay (Mode B widget)', () => {
  let t: TestApp;
  const publisher = new RecordingPublisher();
  const http = () => request(t.app.getHttpServer());
  const widgetIntent = async (amount = 500000) =>
    (
      await http()
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.kaba)
        .send({ amount, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'inv-1' }, useWidget: true })
    ).body as { id: string; gateway: string; paymentMode: string; gatewayTransactionId: string | null };
  const verify = (transactionId: string, intentId: string) =>
    http().post('/api/v1/intents/verify-kkiapay').set('X-API-Key', KEYS.kaba).send({ transactionId, intentId });
  const settle = () => (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();

  beforeAll(async () => {
    const env = { NODE_ENV: 'test', PAYMENTS_TABLE_NAME: 'unused', PUBLIC_BASE_URL: 'http://payments.test' };
    t = await startTestApp({}, { gateways: buildGatewayRegistry(loadConfig(env), systemClock, [kkiapay]), publisher });
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a widget intent routed to KkiaPay by country', async () => {
    const intent = await widgetIntent();
    expect(intent).toMatchObject({ gateway: 'kkiapay', paymentMode: 'widget', gatewayTransactionId: null });
  });

  it('verifies with KkiaPay, marks the intent succeeded, binds the transaction and publishes payment.completed once', async () => {
    const intent = await widgetIntent();
    kkiapayTransactions.set('kkia_tx_abc123', { status: 'succeeded', gatewayStatus: 'SUCCESS', amount: 500000, currency: 'XOF' });

    const first = await verify('kkia_tx_abc123', intent.id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ verified: true, intent: { id: intent.id, status: 'succeeded', gateway: 'kkiapay', gatewayTransactionId: 'kkia_tx_abc123' } });

    const again = await verify('kkia_tx_abc123', intent.id);
    expect(again.body).toMatchObject({ verified: true, intent: { status: 'succeeded' } });
    await settle();
    expect(publisher.published.filter((e) => e.event.intentId === intent.id).map((e) => e.event.type)).toEqual(['payment.completed']);
  });

  it('concurrent verifications of one transaction succeed once', async () => {
    const intent = await widgetIntent();
    kkiapayTransactions.set('kkia_tx_race', { status: 'succeeded', gatewayStatus: 'SUCCESS', amount: 500000, currency: 'XOF' });
    const results = await Promise.all(Array.from({ length: 10 }, () => verify('kkia_tx_race', intent.id)));
    expect(results.every((r) => r.status === 200 && r.body.verified === true)).toBe(true);
    await settle();
    expect(publisher.published.filter((e) => e.event.intentId === intent.id)).toHaveLength(1);
  });

  it('one transaction can never pay two intents', async () => {
    const second = await widgetIntent();
    const res = await verify('kkia_tx_abc123', second.id);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, error: 'CONFLICT', message: 'KkiaPay transaction kkia_tx_abc123 already paid another intent' });
  });

  it('a transaction that is not SUCCESS is not verified and changes nothing', async () => {
    const intent = await widgetIntent();
    kkiapayTransactions.set('kkia_tx_failed', { status: 'failed', gatewayStatus: 'INSUFFICIENT_FUND', amount: 500000, currency: 'XOF' });
    const res = await verify('kkia_tx_failed', intent.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verified: false, intent: { status: 'pending' } });
  });

  it('an amount that does not match the intent is refused with 402 and the intent stays pending', async () => {
    const intent = await widgetIntent();
    kkiapayTransactions.set('kkia_tx_cheap', { status: 'succeeded', gatewayStatus: 'SUCCESS', amount: 100, currency: 'XOF' });
    const res = await verify('kkia_tx_cheap', intent.id);
    expect(res.status).toBe(402);
    expect(res.body.error).toBe('PAYMENT_ERROR');
    const after = await http().get(`/api/v1/intents/${intent.id}`).set('X-API-Key', KEYS.kaba);
    expect(after.body.status).toBe('pending');
  });

  it('validates the body and hides other apps\' intents', async () => {
    const missing = await http().post('/api/v1/intents/verify-kkiapay').set('X-API-Key', KEYS.kaba).send({ intentId: 'x' });
    expect(missing.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'transactionId is required' });
    const intent = await widgetIntent();
    const asEvents = await http().post('/api/v1/intents/verify-kkiapay').set('X-API-Key', KEYS.events).send({ transactionId: 't', intentId: intent.id });
    expect(asEvents.status).toBe(404);
  });
});

describe('GET /api/v1/gateways', () => {
  it('lists the configured gateways with their capabilities', async () => {
    const t = await startTestApp();
    try {
      const res = await request(t.app.getHttpServer()).get('/api/v1/gateways').set('X-API-Key', KEYS.events);
      expect(res.status).toBe(200);
      // In test only the mock has credentials.
      expect(res.body).toEqual({
        gateways: [{ id: 'mock', countries: 'any', currencies: ['XOF', 'XAF', 'GNF', 'GHS', 'NGN', 'USD', 'EUR', 'CAD', 'GBP'], flows: ['redirect'], refund: 'programmatic', disburse: false }],
      });
      expect((await request(t.app.getHttpServer()).get('/api/v1/gateways')).status).toBe(401);
    } finally {
      await t.close();
    }
  });
});

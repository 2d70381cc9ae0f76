import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import Stripe from 'stripe';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { closedPortUrl, FakeGatewayServer } from '../support/fake-gateway-server.js';
import { RecordingPublisher } from '../support/recording-publisher.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// Each real adapter end to end: create for its country → the gateway's own signed webhook →
// succeeded → payment.completed. The gateways are local fakes speaking their wire formats.
describe('gateways end to end against local fakes', () => {
  const fake = new FakeGatewayServer();
  const publisher = new RecordingPublisher();
  let t: TestApp;
  let downUrl: string;
  const http = () => request(t.app.getHttpServer());
  const completed = async (intentId: string) => {
    await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
    return publisher.published.filter((e) => e.event.intentId === intentId && e.event.type === 'payment.completed');
  };
  const create = (body: object) => http().post('/api/v1/intents').set('X-API-Key', KEYS.kaba).send(body);
  const status = async (id: string) => (await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.kaba)).body.status as string;

  beforeAll(async () => {
    const base = await fake.start();
    downUrl = await closedPortUrl();
    // Stripe: PaymentIntent create (form-encoded) and retrieve.
    fake.on('POST /v1/payment_intents', (req) => {
      const form = req.body as Record<string, string>;
      return {
        status: 200,
        body: { id: 'pi_e2e_1', object: 'payment_intent', amount: Number(form.amount), currency: form.currency, client_secret: 'pi_e2e_1_secret_abc', status: 'requires_payment_method', metadata: {} },
      };
    });
    // Paystack: initialize and verify.
    fake.on('POST /transaction/initialize', (req) => ({
      status: 200,
      body: { status: true, message: 'Authorization URL created', data: { authorization_url: 'https://checkout.paystack.com/0peioxfhpn', access_code: '0peioxfhpn', reference: (req.body as { reference: string }).reference } },
    }));
    fake.on('GET /transaction/verify/*', (req) => ({
      status: 200,
      body: { status: true, message: 'Verification successful', data: { id: 4099260516, status: 'success', reference: req.path.split('/').pop(), amount: 1500000, currency: 'NGN', paid_at: '2026-03-08T12:01:00.000Z' } },
    }));
    // KkiaPay: status, and a push only at the path this deployment configures (KkiaPay documents
    // no server push; a merchant sets KKIAPAY_PUSH_PATH once KkiaPay has given them one).
    fake.on('POST /merchant/kkiapay-push', { status: 200, body: { transactionId: 'kkia_tx_e2e' } });
    fake.on('POST /api/v1/transactions/status', (req) => ({
      status: 200,
      body: { transactionId: (req.body as { transactionId: string }).transactionId, status: 'SUCCESS', amount: 500000, fees: 0 },
    }));
    // MoMo: token, requesttopay and its status.
    fake.on('POST /collection/token/', { status: 200, body: { access_token: 'momo.token', token_type: 'access_token', expires_in: 3600 } });
    fake.on('POST /collection/v1_0/requesttopay', { status: 202 });
    fake.on('GET /collection/v1_0/requesttopay/*', { status: 200, body: { amount: '20.00', currency: 'GHS', externalId: 'x', status: 'SUCCESSFUL' } });
    // TKH: checkout create.
    fake.on('POST /v1/checkouts', { status: 201, body: { id: 'chk_e2e_1', url: 'https://pay.tkhtech.com/checkout/chk_e2e_1' } });

    t = await startTestApp(
      {
        STRIPE_SECRET_KEY: 'sk_test_e2e',
        STRIPE_WEBHOOK_SECRET: 'whsec_e2e',
        STRIPE_API_BASE_URL: base,
        PAYSTACK_SECRET_KEY: 'sk_test_paystack',
        PAYSTACK_BASE_URL: base,
        TKH_BASE_URL: base,
        TKH_API_KEY: 'tkh_key',
        TKH_WEBHOOK_SECRET: 'tkh_whsec',
        KKIAPAY_PUBLIC_KEY: 'pk',
        KKIAPAY_PRIVATE_KEY: 'tpk',
        KKIAPAY_SECRET_KEY: 'tsk',
        KKIAPAY_WEBHOOK_SECRET: 'kkia-hash-secret',
        KKIAPAY_BASE_URL: base,
        KKIAPAY_PUSH_PATH: '/merchant/kkiapay-push',
        MOMO_BASE_URL: base,
        MOMO_TARGET_ENVIRONMENT: 'mtnghana',
        MOMO_COLLECTION_SUBSCRIPTION_KEY: 'sub',
        MOMO_COLLECTION_API_USER: 'user',
        MOMO_COLLECTION_API_KEY: 'key',
      },
      { publisher },
    );
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('Stripe (CA): clientSecret → signed payment_intent.succeeded → payment.completed', async () => {
    const intent = (await create({ amount: 2500, currency: 'CAD', country: 'CA', metadata: { appId: 'kaba', referenceId: 'ca-1' } })).body;
    expect(intent).toMatchObject({ gateway: 'stripe', clientSecret: 'pi_e2e_1_secret_abc', gatewayTransactionId: 'pi_e2e_1', paymentMode: 'client_secret' });

    const payload = JSON.stringify({
      id: 'evt_e2e_1',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_e2e_1', object: 'payment_intent', amount: 2500, amount_received: 2500, currency: 'cad', status: 'succeeded' } },
    });
    const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_e2e' });
    const res = await http().post('/webhooks/stripe').set('Stripe-Signature', header).set('Content-Type', 'application/json').send(payload);
    expect(res.status).toBe(200);
    expect(await status(intent.id)).toBe('succeeded');
    expect(await completed(intent.id)).toHaveLength(1);
  });

  it('Paystack (NG): authorization_url → signed charge.success, confirmed by verify → payment.completed', async () => {
    const intent = (
      await create({
        amount: 1500000,
        currency: 'NGN',
        country: 'NG',
        metadata: { appId: 'kaba', referenceId: 'ng-1', customerEmail: 'user@example.com' },
        returnUrl: 'https://kaba.example/return',
      })
    ).body;
    expect(intent).toMatchObject({ gateway: 'paystack', paymentUrl: 'https://checkout.paystack.com/0peioxfhpn', gatewayTransactionId: intent.id });

    const payload = JSON.stringify({ event: 'charge.success', data: { id: 4099260516, reference: intent.id, amount: 1500000, currency: 'NGN', status: 'success' } });
    const signature = createHmac('sha512', 'sk_test_paystack').update(payload).digest('hex');
    const res = await http().post('/webhooks/paystack').set('x-paystack-signature', signature).set('Content-Type', 'application/json').send(payload);
    expect(res.status).toBe(200);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/transaction/verify/${intent.id}`)).toBe(true);
    expect(await status(intent.id)).toBe('succeeded');
    expect(await completed(intent.id)).toHaveLength(1);
  });

  it('Paystack without customerEmail/returnUrl: 400 naming them, nothing sent', async () => {
    const sent = fake.requests.length;
    const res = await create({ amount: 1000, currency: 'NGN', country: 'NG', metadata: { appId: 'kaba', referenceId: 'ng-2' } });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/customerEmail/);
    expect(fake.requests.length).toBe(sent);
  });

  it('TKH (override): paymentUrl → signed webhook → payment.completed', async () => {
    const intent = (await create({ amount: 2500, currency: 'USD', country: 'US', metadata: { appId: 'kaba', referenceId: 'us-1' }, gatewayOverride: 'tkh' })).body;
    expect(intent).toMatchObject({ gateway: 'tkh', paymentUrl: 'https://pay.tkhtech.com/checkout/chk_e2e_1' });
    const body = JSON.stringify({ id: 'evt_tkh_e2e', type: 'payment.succeeded', data: { transactionId: 'chk_e2e_1', amount: 2500, currency: 'USD' } });
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', 'tkh_whsec').update(`${ts}.${body}`).digest('hex');
    const res = await http().post('/webhooks/tkh').set('X-TKH-Timestamp', ts).set('X-TKH-Signature', signature).set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(200);
    expect(await status(intent.id)).toBe('succeeded');
    expect(await completed(intent.id)).toHaveLength(1);
  });

  it('KkiaPay Mode A (BJ, KKIAPAY_PUSH_PATH set): push → webhook with x-kkiapay-secret, confirmed by the status API → payment.completed', async () => {
    const intent = (
      await create({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'bj-1', phoneNumber: '+22961000000' } })
    ).body;
    expect(intent).toMatchObject({ gateway: 'kkiapay', paymentMode: 'push', gatewayTransactionId: 'kkia_tx_e2e', paymentUrl: null });
    const body = { transactionId: 'kkia_tx_e2e', isPaymentSucces: true, event: 'transaction.success', amount: 500000 };

    const forged = await http().post('/webhooks/kkiapay').set('x-kkiapay-secret', 'guess').send(body);
    expect(forged.status).toBe(401);
    const res = await http().post('/webhooks/kkiapay').set('x-kkiapay-secret', 'kkia-hash-secret').send(body);
    expect(res.status).toBe(200);
    expect(fake.requests.some((r) => r.path === '/api/v1/transactions/status' && (r.body as { transactionId: string }).transactionId === 'kkia_tx_e2e')).toBe(true);
    expect(await status(intent.id)).toBe('succeeded');
    expect(await completed(intent.id)).toHaveLength(1);
  });

  it('KkiaPay Mode B (BJ): widget → POST /intents/verify-kkiapay against the status API → payment.completed', async () => {
    const intent = (await create({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'bj-2' }, useWidget: true })).body;
    expect(intent).toMatchObject({ gateway: 'kkiapay', paymentMode: 'widget', gatewayTransactionId: null });
    const res = await http().post('/api/v1/intents/verify-kkiapay').set('X-API-Key', KEYS.kaba).send({ transactionId: 'kkia_widget_tx', intentId: intent.id });
    expect(res.body).toMatchObject({ verified: true, intent: { status: 'succeeded', gatewayTransactionId: 'kkia_widget_tx' } });
    expect(await completed(intent.id)).toHaveLength(1);
  });

  it('MoMo (GH): requesttopay → unsigned callback on /webhooks/momo/<reference> → re-query → payment.completed', async () => {
    const intent = (
      await create({ amount: 2000, currency: 'GHS', country: 'GH', metadata: { appId: 'kaba', referenceId: 'gh-1', phoneNumber: '+233241234567' } })
    ).body;
    expect(intent).toMatchObject({ gateway: 'momo', paymentMode: 'push', paymentUrl: null });
    // The callback body is not trusted: it says FAILED, the status API says SUCCESSFUL.
    const res = await http().put(`/webhooks/momo/${intent.gatewayTransactionId}`).send({ status: 'FAILED' });
    expect(res.status).toBe(200);
    expect(await status(intent.id)).toBe('succeeded');
    expect(await completed(intent.id)).toHaveLength(1);
  });

  describe('fallback', () => {
    let down: TestApp;
    beforeAll(async () => {
      down = await startTestApp({
        STRIPE_SECRET_KEY: 'sk_test_e2e',
        STRIPE_WEBHOOK_SECRET: 'whsec_e2e',
        STRIPE_API_BASE_URL: downUrl,
        TKH_BASE_URL: fake.baseUrl,
        TKH_API_KEY: 'tkh_key',
      });
    });
    afterAll(async () => {
      await down.close();
    });

    it('Stripe unreachable (CA) → TKH, the next configured gateway of the route, with both attempts recorded', async () => {
      const res = await request(down.app.getHttpServer())
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.kaba)
        .send({ amount: 2500, currency: 'CAD', country: 'CA', metadata: { appId: 'kaba', referenceId: 'fallback-1' } });
      expect(res.status).toBe(201);
      expect(res.body.gateway).toBe('tkh');
      expect(res.body.attempts.map((a: { gateway: string; outcome: string }) => `${a.gateway}:${a.outcome}`)).toEqual(['stripe:failed', 'tkh:created']);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { PaymentEvent } from '../../src/domain/payment-event.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { closedPortUrl, FakeGatewayServer } from '../support/fake-gateway-server.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// Benin with the real KkiaPay and MTN MoMo adapters against one local fake speaking both APIs:
// KkiaPay widget → verify-kkiapay → payment.completed → MoMo transfer → disbursement.completed.
// No KKIAPAY_PUSH_PATH (KkiaPay documents no server push), so the fake serves no push route and a
// BJ intent without useWidget is collected by MoMo push.
const kkiapayKeys = (base: string) =>
  ({ KKIAPAY_PUBLIC_KEY: 'pk', KKIAPAY_PRIVATE_KEY: 'tpk', KKIAPAY_SECRET_KEY: 'tsk', KKIAPAY_WEBHOOK_SECRET: 'hash-secret', KKIAPAY_BASE_URL: base });
// Any request carrying KkiaPay's keys other than the status API would be an invented push.
const kkiapayPushes = (fake: FakeGatewayServer) => fake.requests.filter((r) => r.headers['x-private-key'] && r.path !== '/api/v1/transactions/status');
// KkiaPay's status answer echoes the widget's partnerId (the intent id the frontend passed).
const partnerOf = new Map<string, string>();
const kkiapayStatus = (req: { body: unknown }) => {
  const transactionId = (req.body as { transactionId: string }).transactionId;
  return { status: 200, body: { transactionId, status: 'SUCCESS', amount: 500000, partnerId: partnerOf.get(transactionId) } };
};
describe('Benin flow end to end (real adapters, local fakes)', () => {
  const fake = new FakeGatewayServer();
  const events: PaymentEvent[] = [];
  let t: TestApp;
  let transferStatus = 'PENDING';
  const http = () => request(t.app.getHttpServer());
  const settle = async () => {
    for (let round = 0; round < 4; round++) {
      await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
      await t.deps.localBus?.drain();
    }
  };

  beforeAll(async () => {
    const base = await fake.start();
    fake.on('POST /api/v1/transactions/status', kkiapayStatus);
    fake.on('POST /collection/token/', { status: 200, body: { access_token: 'col.token', expires_in: 3600 } });
    fake.on('POST /collection/v1_0/requesttopay', { status: 202 });
    fake.on('POST /disbursement/token/', { status: 200, body: { access_token: 'disb.token', expires_in: 3600 } });
    fake.on('POST /disbursement/v1_0/transfer', { status: 202 });
    fake.on('GET /disbursement/v1_0/transfer/*', () => ({ status: 200, body: { amount: '500000', currency: 'XOF', status: transferStatus } }));
    t = await startTestApp({
      ...kkiapayKeys(base),
      MOMO_BASE_URL: base,
      MOMO_TARGET_ENVIRONMENT: 'mtnbenin',
      MOMO_COLLECTION_SUBSCRIPTION_KEY: 'col-sub',
      MOMO_COLLECTION_API_USER: 'col-user',
      MOMO_COLLECTION_API_KEY: 'col-key',
      MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: 'dis-sub',
      MOMO_DISBURSEMENT_API_USER: 'dis-user',
      MOMO_DISBURSEMENT_API_KEY: 'dis-key',
    });
    t.deps.localBus?.subscribe('product-lambda', { appId: ['kaba'] }, (event) => {
      events.push(event);
      return Promise.resolve();
    });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('a paid invoice is paid out to businessPhone through one MoMo transfer', async () => {
    const intent = (
      await http()
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.kaba)
        .send({
          amount: 500000,
          currency: 'XOF',
          country: 'BJ',
          metadata: { appId: 'kaba', referenceId: 'invoice-abc123', businessId: 'biz-xyz', phoneNumber: '+22961111111', businessPhone: '+22997222222' },
          useWidget: true,
        })
    ).body;
    expect(intent).toMatchObject({ gateway: 'kkiapay', paymentMode: 'widget' });

    // The widget's addSuccessListener gave the frontend this id; the product backend verifies it.
    partnerOf.set('kkia_widget_1', intent.id);
    const verified = await http().post('/api/v1/intents/verify-kkiapay').set('X-API-Key', KEYS.kaba).send({ transactionId: 'kkia_widget_1', intentId: intent.id });
    expect(verified.body).toMatchObject({ verified: true, intent: { status: 'succeeded', gatewayTransactionId: 'kkia_widget_1' } });
    await settle();
    const webhook = { transactionId: 'kkia_widget_1', isPaymentSucces: true, event: 'transaction.success', amount: 500000, partnerId: intent.id };

    const transfers = fake.requests.filter((r) => r.path === '/disbursement/v1_0/transfer');
    expect(transfers).toHaveLength(1);
    expect(transfers[0]?.body).toMatchObject({ amount: '500000', currency: 'XOF', payee: { partyIdType: 'MSISDN', partyId: '2290197222222' } });
    expect(transfers[0]?.headers['x-target-environment']).toBe('mtnbenin');

    // MoMo confirms later. Its (unsigned) callback only triggers a re-query, which settles it.
    const callbackUrl = String(transfers[0]?.headers['x-callback-url']);
    const disbursementId = callbackUrl.split('/').pop() as string;
    expect(callbackUrl).toBe(`http://payments.test/webhooks/momo/disbursements/${disbursementId}`);
    expect((await http().put(`/webhooks/momo/disbursements/${disbursementId}`).send({ status: 'SUCCESSFUL' })).status).toBe(200);
    await settle();
    expect(events.filter((e) => e.type === 'disbursement.completed')).toHaveLength(0); // still PENDING at MoMo
    transferStatus = 'SUCCESSFUL';
    // A second callback within 10 s of the first is not re-queried (a flood of unsigned callbacks
    // cannot make us call MTN); the reconciler's check settles it instead.
    await http().put(`/webhooks/momo/disbursements/${disbursementId}`).send({ status: 'SUCCESSFUL' });
    await settle();
    expect(events.filter((e) => e.type === 'disbursement.completed')).toHaveLength(0);
    expect(await (await t.services()).disburse.pollPending()).toEqual({ checked: 1, settled: 1 });
    await settle();
    expect(events.filter((e) => e.intentId === intent.id).map((e) => e.type)).toEqual(['payment.completed', 'disbursement.completed']);
    const payout = events.find((e) => e.type === 'disbursement.completed');
    expect(payout).toMatchObject({ businessId: 'biz-xyz', amount: 500000, currency: 'XOF', gateway: 'momo' });

    // The same webhook again changes nothing and pays nothing.
    await http().post('/webhooks/kkiapay').set('x-kkiapay-secret', 'hash-secret').send(webhook);
    await settle();
    expect(fake.requests.filter((r) => r.path === '/disbursement/v1_0/transfer')).toHaveLength(1);
  });

  it('without KKIAPAY_PUSH_PATH a BJ intent without useWidget is collected by MoMo push; no KkiaPay push is ever sent', async () => {
    const res = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'invoice-push', phoneNumber: '+22961111111' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ gateway: 'momo', paymentMode: 'push', status: 'pending' });
    expect(res.body.attempts.map((a: { gateway: string; outcome: string }) => `${a.gateway}:${a.outcome}`)).toEqual(['momo:created']);
    const push = fake.requests.filter((r) => r.path === '/collection/v1_0/requesttopay').at(-1);
    expect(push?.body).toMatchObject({ amount: '500000', currency: 'XOF', payer: { partyIdType: 'MSISDN', partyId: '2290161111111' } });
    expect(push?.headers['x-target-environment']).toBe('mtnbenin');
    expect(kkiapayPushes(fake)).toEqual([]);

    // KkiaPay cannot be forced into a push it does not offer here: 402 naming the reason.
    const pinned = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'invoice-pinned', phoneNumber: '+22961111111' }, gatewayOverride: 'kkiapay' });
    expect(pinned.status).toBe(402);
    expect(pinned.body).toMatchObject({ error: 'PAYMENT_ERROR', message: expect.stringContaining('gateway kkiapay does not offer a server-side flow') });
    expect(kkiapayPushes(fake)).toEqual([]);
  });

  it('MoMo down → the payout goes through Moov; both down → disbursement.failed, the payment stays succeeded', async () => {
    const moovFake = new FakeGatewayServer();
    moovFake.on('POST /UssdPush', () => ({ status: 200, body: `<return><statuscode>0</statuscode><referenceid>MV-1</referenceid></return>` }));
    const moovUrl = `${await moovFake.start()}/UssdPush`;
    const momoDown = await closedPortUrl();
    const base = fake.baseUrl;
    const app = await startTestApp({
      ...kkiapayKeys(base),
      MOMO_BASE_URL: momoDown, MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: 's', MOMO_DISBURSEMENT_API_USER: 'u', MOMO_DISBURSEMENT_API_KEY: 'k',
      MOOV_ENDPOINT_URL: moovUrl, MOOV_USERNAME: 'merchant', MOOV_PASSWORD: 'pw', MOOV_ENCRYPTION_KEY: 'tlc12345tlc12345tlc12345tlc12345',
    });
    const seen: PaymentEvent[] = [];
    app.deps.localBus?.subscribe('seen', {}, (event) => Promise.resolve(void seen.push(event)));
    const flush = async () => {
      for (let round = 0; round < 4; round++) {
        await (app.deps.dispatcher as ImmediateOutboxDispatcher).idle();
        await app.deps.localBus?.drain();
      }
    };
    const pay = async (referenceId: string) => {
      const intent = (
        await request(app.app.getHttpServer())
          .post('/api/v1/intents')
          .set('X-API-Key', KEYS.kaba)
          .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId, businessPhone: '+22997222222' }, useWidget: true })
      ).body;
      // A widget payment the browser never verified: KkiaPay's webhook names it by partnerId.
      partnerOf.set(`kkia_${referenceId}`, intent.id);
      await request(app.app.getHttpServer())
        .post('/webhooks/kkiapay')
        .set('x-kkiapay-secret', 'hash-secret')
        .send({ transactionId: `kkia_${referenceId}`, event: 'transaction.success', partnerId: intent.id });
      await flush();
      return intent.id as string;
    };
    try {
      const viaMoov = await pay('inv-moov');
      expect(moovFake.requests.filter((r) => r.rawBody.includes('cashintrans'))).toHaveLength(1);
      expect(seen.filter((e) => e.intentId === viaMoov).map((e) => [e.type, e.gateway])).toEqual([
        ['payment.completed', 'kkiapay'],
        ['disbursement.completed', 'moov'],
      ]);

      // Both certainly sent nothing (connections refused): the payout fails for good.
      await moovFake.stop();
      const nowhere = await pay('inv-nowhere');
      expect(seen.filter((e) => e.intentId === nowhere).map((e) => e.type)).toEqual(['payment.completed', 'disbursement.failed']);
      const intent = await request(app.app.getHttpServer()).get(`/api/v1/intents/${nowhere}`).set('X-API-Key', KEYS.kaba);
      expect(intent.body.status).toBe('succeeded');
    } finally {
      await app.close();
      await moovFake.stop();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { PaymentEvent } from '../../src/domain/payment-event.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { DisburseService } from '../../src/services/disburse.service.js';
import { closedPortUrl, FakeGatewayServer } from '../support/fake-gateway-server.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// Benin with the real KkiaPay and MTN MoMo adapters against one local fake speaking both APIs:
// KkiaPay push → KkiaPay webhook → payment.completed → MoMo transfer → disbursement.completed.
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
    fake.on('POST /api/v1/payments/request', (req) => ({ status: 200, body: { transactionId: `kkia_${(req.body as { partnerId: string }).partnerId}` } }));
    fake.on('POST /api/v1/transactions/status', { status: 200, body: { status: 'SUCCESS', amount: 500000 } });
    fake.on('POST /disbursement/token/', { status: 200, body: { access_token: 'disb.token', expires_in: 3600 } });
    fake.on('POST /disbursement/v1_0/transfer', { status: 202 });
    fake.on('GET /disbursement/v1_0/transfer/*', () => ({ status: 200, body: { amount: '500000', currency: 'XOF', status: transferStatus } }));
    t = await startTestApp({
      KKIAPAY_PUBLIC_KEY: 'pk',
      KKIAPAY_PRIVATE_KEY: 'tpk',
      KKIAPAY_SECRET_KEY: 'tsk',
      KKIAPAY_WEBHOOK_SECRET: 'hash-secret',
      KKIAPAY_BASE_URL: base,
      MOMO_BASE_URL: base,
      MOMO_TARGET_ENVIRONMENT: 'mtnbenin',
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
        })
    ).body;
    expect(intent.gateway).toBe('kkiapay');

    const webhook = { transactionId: intent.gatewayTransactionId, isPaymentSucces: true, event: 'transaction.success', amount: 500000 };
    expect((await http().post('/webhooks/kkiapay').set('x-kkiapay-secret', 'hash-secret').send(webhook)).status).toBe(200);
    await settle();

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
    await http().put(`/webhooks/momo/disbursements/${disbursementId}`).send({ status: 'SUCCESSFUL' });
    await settle();
    expect(await t.app.get(DisburseService).pollPending()).toEqual({ checked: 0, settled: 0 });
    expect(events.filter((e) => e.intentId === intent.id).map((e) => e.type)).toEqual(['payment.completed', 'disbursement.completed']);
    const payout = events.find((e) => e.type === 'disbursement.completed');
    expect(payout).toMatchObject({ businessId: 'biz-xyz', amount: 500000, currency: 'XOF', gateway: 'momo' });

    // The same webhook again changes nothing and pays nothing.
    await http().post('/webhooks/kkiapay').set('x-kkiapay-secret', 'hash-secret').send(webhook);
    await settle();
    expect(fake.requests.filter((r) => r.path === '/disbursement/v1_0/transfer')).toHaveLength(1);
  });

  it('MoMo down → the payout goes through Moov; both down → disbursement.failed, the payment stays succeeded', async () => {
    const moovFake = new FakeGatewayServer();
    moovFake.on('POST /UssdPush', () => ({ status: 200, body: `<return><statuscode>0</statuscode><referenceid>MV-1</referenceid></return>` }));
    const moovUrl = `${await moovFake.start()}/UssdPush`;
    const momoDown = await closedPortUrl();
    const base = fake.baseUrl;
    const app = await startTestApp({
      KKIAPAY_PUBLIC_KEY: 'pk', KKIAPAY_PRIVATE_KEY: 'tpk', KKIAPAY_SECRET_KEY: 'tsk', KKIAPAY_WEBHOOK_SECRET: 'hash-secret', KKIAPAY_BASE_URL: base,
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
          .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId, phoneNumber: '+22961111111', businessPhone: '+22997222222' } })
      ).body;
      await request(app.app.getHttpServer())
        .post('/webhooks/kkiapay')
        .set('x-kkiapay-secret', 'hash-secret')
        .send({ transactionId: intent.gatewayTransactionId, event: 'transaction.success' });
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

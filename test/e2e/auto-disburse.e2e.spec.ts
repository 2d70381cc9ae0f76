import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock } from '../../src/domain/clock.js';
import type { PaymentEvent } from '../../src/domain/payment-event.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { buildGatewayRegistry } from '../../src/gateways/build-gateways.js';
import { GATEWAY_CAPABILITIES } from '../../src/gateways/capabilities.js';
import type { PaymentGateway } from '../../src/gateways/gateway.js';
import { StubDisbursementProvider } from '../support/stub-disbursement-provider.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// KkiaPay at the port: every transaction is SUCCESS for the asked amount in XOF.
const kkiapay: PaymentGateway = {
  id: 'kkiapay',
  capabilities: GATEWAY_CAPABILITIES.kkiapay,
  isConfigured: () => true,
  createPayment: () => Promise.resolve({ gatewayTransactionId: null, paymentUrl: null, clientSecret: null, paymentMode: 'widget' }),
  getStatus: (transactionId) => Promise.resolve({ status: 'succeeded', gatewayStatus: 'SUCCESS', amount: Number(transactionId.split('-')[1]), currency: 'XOF' }),
};

describe('Benin auto-disbursement on payment.completed (e2e, local bus)', () => {
  let t: TestApp;
  const momo = new StubDisbursementProvider('momo');
  const moov = new StubDisbursementProvider('moov');
  const events: PaymentEvent[] = [];
  let logs: string[] = [];
  let write: ReturnType<typeof jest.spyOn>;
  const http = () => request(t.app.getHttpServer());

  // Lets every in-flight publish, delivery and the events they cause settle (no sleeping).
  async function settle(): Promise<void> {
    for (let round = 0; round < 4; round++) {
      await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
      await t.deps.localBus?.drain();
    }
  }

  async function paidKkiapayIntent(metadata: Record<string, string>, amount = 500000): Promise<string> {
    const created = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'invoice-abc123', ...metadata }, useWidget: true });
    const verified = await http()
      .post('/api/v1/intents/verify-kkiapay')
      .set('X-API-Key', KEYS.kaba)
      .send({ transactionId: `tx-${amount}-${created.body.id}`, intentId: created.body.id });
    expect(verified.body.verified).toBe(true);
    await settle();
    return created.body.id as string;
  }
  const disbursementEventsFor = (intentId: string) => events.filter((e) => e.intentId === intentId && e.type.startsWith('disbursement.'));

  beforeAll(async () => {
    const config = loadConfig({ NODE_ENV: 'test', PAYMENTS_TABLE_NAME: 'unused', PUBLIC_BASE_URL: 'http://payments.test' });
    t = await startTestApp({ LOG_LEVEL: 'warn' }, { gateways: buildGatewayRegistry(config, systemClock, [kkiapay]), disbursementProviders: [momo, moov] });
    t.deps.localBus?.subscribe('test-listener', {}, (event) => {
      events.push(event);
      return Promise.resolve();
    });
  });
  beforeEach(() => {
    logs = [];
    write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      logs.push(String(chunk));
      return true;
    });
  });
  afterEach(() => {
    write.mockRestore();
    momo.up = true;
    moov.up = true;
  });
  afterAll(async () => {
    await t.close();
  });

  it('pays the businessPhone through MoMo and publishes disbursement.completed once settled', async () => {
    const intentId = await paidKkiapayIntent({ businessId: 'biz-xyz', businessPhone: '+22997222222' });
    expect(momo.sent.filter((s) => s.amount === 500000 && s.phoneNumber === '+2290197222222')).toHaveLength(1);
    expect(moov.sent).toHaveLength(0);

    // The transfer is asynchronous: the reconciler's poll finds it final.
    await (await t.services()).disburse.pollPending();
    await settle();
    const [completed] = disbursementEventsFor(intentId);
    expect(completed).toMatchObject({ type: 'disbursement.completed', intentId, businessId: 'biz-xyz', amount: 500000, currency: 'XOF', gateway: 'momo', appId: 'kaba' });
    expect(completed?.disbursementId).toMatch(/^[0-9a-f-]{36}$/);
    const stored = await http().get(`/api/v1/disbursements/${completed?.disbursementId}`).set('X-API-Key', KEYS.kaba);
    expect(stored.body).toMatchObject({ status: 'succeeded', provider: 'momo', intentId, phoneNumber: '+2290197222222' });
  });

  it('falls back to Moov when MoMo is down', async () => {
    momo.up = false;
    const intentId = await paidKkiapayIntent({ businessPhone: '+2290197333333' }, 250000);
    expect(moov.sent.filter((s) => s.amount === 250000)).toHaveLength(1);
    const list = await http().get(`/api/v1/intents/${intentId}`).set('X-API-Key', KEYS.kaba);
    expect(list.body.status).toBe('succeeded');
  });

  it('both providers down: disbursement.failed, the payment stays succeeded', async () => {
    momo.up = false;
    moov.up = false;
    const intentId = await paidKkiapayIntent({ businessPhone: '+2290197444444' }, 125000);
    expect(disbursementEventsFor(intentId).map((e) => [e.type, e.gateway])).toEqual([['disbursement.failed', 'moov']]);
    expect((await http().get(`/api/v1/intents/${intentId}`).set('X-API-Key', KEYS.kaba)).body.status).toBe('succeeded');
    expect(events.filter((e) => e.intentId === intentId && e.type === 'payment.completed')).toHaveLength(1);
  });

  it('without businessPhone logs the exact WARN line and disburses nothing', async () => {
    const before = momo.sent.length + moov.sent.length;
    const intentId = await paidKkiapayIntent({}, 60000);
    const warnings = logs
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: string; message: string })
      .filter((l) => l.level === 'warn');
    expect(warnings.map((w) => w.message)).toContain(
      `WARN: KkiaPay payment ${intentId} completed but no businessPhone in metadata — manual disburse required`,
    );
    expect(momo.sent.length + moov.sent.length).toBe(before);
    expect(disbursementEventsFor(intentId)).toHaveLength(0);
  });

  it('the same payment.completed delivered three times makes one disbursement', async () => {
    const intentId = await paidKkiapayIntent({ businessPhone: '+2290197555555' }, 70000);
    const completed = events.find((e) => e.intentId === intentId && e.type === 'payment.completed') as PaymentEvent;
    const { buildServices } = await import('../../src/app.services.js');
    const { autoDisburse } = await buildServices(t.deps);
    const results = await Promise.all([autoDisburse.onEvent(completed), autoDisburse.onEvent(completed), autoDisburse.onEvent(completed)]);
    expect(results).toEqual(['already_disbursed', 'already_disbursed', 'already_disbursed']);
    expect(momo.sent.filter((s) => s.amount === 70000)).toHaveLength(1);
  });

  it('a business phone of another country is not paid out: one WARN, no transfer, the payment stays succeeded', async () => {
    const before = momo.sent.length + moov.sent.length;
    const intentId = await paidKkiapayIntent({ businessPhone: '+233241234567' }, 80000);
    const warnings = logs.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { level: string; message: string; reason?: string });
    expect(warnings.find((w) => w.message.includes(`KkiaPay payment ${intentId} completed but cannot be paid out automatically`))).toMatchObject({
      level: 'warn',
      reason: 'phoneNumber is a GH number, not a BJ one',
    });
    expect(momo.sent.length + moov.sent.length).toBe(before);
    expect((await http().get(`/api/v1/intents/${intentId}`).set('X-API-Key', KEYS.kaba)).body).toMatchObject({ status: 'succeeded', paidOutAmount: 0, payouts: [] });
  });
});

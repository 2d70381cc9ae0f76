import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MomoFake } from '../support/fakes/momo-fake.js';
import { ManualClock } from '../support/manual-clock.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// ADR 0010 §5: money no paid intent backs may be paid out only by the operations key or an app
// in PAYOUT_UNSOURCED_APPS, within a per-app, per-currency, per-UTC-day cap; and a payout's
// country, currency and wallet must agree. Every refusal here sends nothing to MoMo.
describe('payout policy (e2e, real MoMo adapter against the MoMo fake)', () => {
  const clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
  const momo = new MomoFake({ targetEnvironment: 'mtnbenin' });
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const sent = () => momo.count('disbursement');
  const body = (extra: object = {}) => ({
    amount: 100000, currency: 'XOF', country: 'BJ', phoneNumber: '+2290197222222', appId: 'events', referenceId: 'payout-1', ...extra,
  });
  const post = (key: string, payload: object) => http().post('/api/v1/disbursements').set('X-API-Key', key).send(payload);
  // A refusal: its status and error, a message naming the problem, and nothing sent.
  async function expectRefused(key: string, payload: object, statusCode: number, error: string, message: RegExp) {
    const before = sent();
    const res = await post(key, payload);
    expect([res.status, res.body.error]).toEqual([statusCode, error]);
    expect(res.body.message).toMatch(message);
    expect(sent()).toBe(before);
  }

  beforeAll(async () => {
    await momo.start();
    t = await startTestApp(
      {
        PAYOUT_UNSOURCED_APPS: 'events',
        PAYOUT_UNSOURCED_DAILY_LIMITS: 'XOF:1000000',
        MOMO_BASE_URL: momo.baseUrl,
        MOMO_TARGET_ENVIRONMENT: 'mtnbenin',
        MOMO_DISBURSEMENT_SUBSCRIPTION_KEY: 'dis-sub',
        MOMO_DISBURSEMENT_API_USER: 'dis-user',
        MOMO_DISBURSEMENT_API_KEY: 'dis-key',
      },
      { clock },
    );
  });
  afterAll(async () => {
    await t.close();
    await momo.stop();
  });

  describe('without intentId', () => {
    it('an app key is 403 unless the app is in PAYOUT_UNSOURCED_APPS', async () => {
      await expectRefused(KEYS.kaba, body({ appId: 'kaba' }), 403, 'FORBIDDEN', /PAYOUT_UNSOURCED_APPS/);
      const allowed = await post(KEYS.events, body({ referenceId: 'listed-app' }));
      expect([allowed.status, allowed.body.status, allowed.body.intentId]).toEqual([201, 'pending', null]);
      expect(momo.resource('disbursement', allowed.body.id)).toMatchObject({ amount: '100000', currency: 'XOF' });
    });

    it('the operations key may, for any app', async () => {
      const before = sent();
      const res = await post(KEYS.ops, body({ appId: 'kaba', referenceId: 'ops-payout' }));
      expect([res.status, res.body.appId, res.body.status]).toEqual([201, 'kaba', 'pending']);
      expect(sent()).toBe(before + 1);
    });

    it("two payouts that together pass the app's daily cap: the second is 402; the next UTC day it is allowed", async () => {
      // events has paid 100000 XOF today (first test); the cap is 1000000.
      const first = await post(KEYS.events, body({ amount: 600000, referenceId: 'cap-1' }));
      expect(first.status).toBe(201);
      await expectRefused(KEYS.events, body({ amount: 500000, referenceId: 'cap-2' }), 402, 'PAYMENT_ERROR', /daily limit/);
      // The cap is per app: kaba (via the ops key) still has its own room today.
      expect((await post(KEYS.ops, body({ appId: 'kaba', amount: 500000, referenceId: 'cap-kaba' }))).status).toBe(201);
      // A single payout over the cap is refused before anything is recorded.
      await expectRefused(KEYS.events, body({ amount: 1000001, referenceId: 'cap-big' }), 402, 'PAYMENT_ERROR', /at most 1000000 XOF a day/);

      clock.advance(12 * 3600_000); // 2026-03-09T00:00Z
      const nextDay = await post(KEYS.events, body({ amount: 500000, referenceId: 'cap-2' }));
      expect([nextDay.status, nextDay.body.createdAt.slice(0, 10)]).toEqual([201, '2026-03-09']);
    });

    it('a currency not listed in PAYOUT_UNSOURCED_DAILY_LIMITS is 402', async () => {
      await expectRefused(KEYS.events, body({ currency: 'GNF', country: 'GN', phoneNumber: '+224621234567' }), 402, 'PAYMENT_ERROR', /at most 0 GNF/);
      await expectRefused(KEYS.ops, body({ currency: 'GNF', country: 'GN', phoneNumber: '+224621234567' }), 402, 'PAYMENT_ERROR', /at most 0 GNF/);
    });
  });

  describe('country, currency and wallet must agree', () => {
    it('GHS with country BJ is 400 naming currency', async () => {
      await expectRefused(KEYS.events, body({ currency: 'GHS' }), 400, 'VALIDATION_ERROR', /^currency GHS is not the currency of mobile-money wallets in BJ \(XOF\)$/);
    });

    it('a Ghana number with country BJ is 400 naming phoneNumber', async () => {
      await expectRefused(KEYS.events, body({ phoneNumber: '+233241234567' }), 400, 'VALIDATION_ERROR', /^phoneNumber is a GH number, not a BJ one$/);
    });

    it('the same checks hold for a sourced payout', async () => {
      const created = await http()
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.kaba)
        .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'src' }, gatewayOverride: 'mock' });
      await http().post('/webhooks/mock').send({ gatewayTransactionId: created.body.gatewayTransactionId, amount: created.body.amount, currency: created.body.currency });
      const sourced = body({ appId: 'kaba', intentId: created.body.id, amount: 500000 });
      await expectRefused(KEYS.kaba, { ...sourced, phoneNumber: '+233241234567' }, 400, 'VALIDATION_ERROR', /phoneNumber/);
      // With its paid intent, an app not listed for unsourced payouts may pay out.
      expect((await post(KEYS.kaba, sourced)).status).toBe(201);
    });
  });

  it('an empty or blank referenceId is 400 (the DTO refuses "", the service a blank one)', async () => {
    await expectRefused(KEYS.events, body({ referenceId: '' }), 400, 'VALIDATION_ERROR', /^referenceId must be 1-128 characters$/);
    await expectRefused(KEYS.events, body({ referenceId: '   ' }), 400, 'VALIDATION_ERROR', /^referenceId is required$/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { StubDisbursementProvider } from '../support/stub-disbursement-provider.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

describe('POST/GET /api/v1/disbursements (e2e)', () => {
  let t: TestApp;
  const momo = new StubDisbursementProvider('momo');
  const http = () => request(t.app.getHttpServer());
  const body = (extra: object = {}) => ({
    amount: 500000,
    currency: 'XOF',
    country: 'BJ',
    phoneNumber: '+22997222222',
    appId: 'kaba',
    referenceId: 'invoice-abc123',
    businessId: 'biz-xyz',
    ...extra,
  });
  const post = (payload: object) => http().post('/api/v1/disbursements').set('X-API-Key', KEYS.kaba).send(payload);

  beforeAll(async () => {
    t = await startTestApp({ PAYOUT_UNSOURCED_APPS: 'kaba' }, { disbursementProviders: [momo] });
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a pending MoMo transfer with the phone in E.164, readable by id', async () => {
    const res = await post(body());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending', provider: 'momo', phoneNumber: '+2290197222222', amount: 500000, businessId: 'biz-xyz', intentId: null });
    const fetched = await http().get(`/api/v1/disbursements/${res.body.id}`).set('X-API-Key', KEYS.kaba);
    expect(fetched.body).toEqual(res.body);
  });

  it.each([
    [{ phoneNumber: '12' }, 'phoneNumber is not a valid phone number'],
    [{ phoneNumber: undefined }, 'phoneNumber is required'],
    [{ amount: 0 }, 'amount must be greater than 0'],
    [{ amount: 12.5 }, 'amount must be an integer in the smallest currency unit (e.g. cents, francs)'],
    [{ currency: 'BTC' }, 'currency must be one of XOF, XAF, GNF, GHS, NGN, USD, EUR, CAD, GBP'],
    [{ appId: undefined }, 'appId is required'],
    [{ extra: 1 }, 'extra is not an allowed field'],
  ])('rejects %p with a message naming the field', async (patch, message) => {
    const sent = momo.sent.length;
    const res = await post(body(patch));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message });
    expect(momo.sent.length).toBe(sent);
  });

  it('an empty referenceId is 400, as for intents, and records nothing', async () => {
    const calls = momo.sent.length;
    const res = await post(body({ referenceId: '' }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'referenceId must be 1-128 characters' });
    expect(momo.sent.length).toBe(calls);
  });

  it('an Idempotency-Key never pays twice', async () => {
    const sent = momo.sent.length;
    const [a, b] = await Promise.all([post(body({ referenceId: 'idem' })).set('Idempotency-Key', 'payout-1'), post(body({ referenceId: 'idem' })).set('Idempotency-Key', 'payout-1')]);
    const replay = await post(body({ referenceId: 'idem' })).set('Idempotency-Key', 'payout-1');
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(momo.sent.length - sent).toBe(1);
    expect([a.status, b.status].sort()).toEqual(a.status === b.status ? [201, 201] : [201, 409]);
  });

  async function intent(paid: boolean): Promise<string> {
    const created = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'inv-src' }, gatewayOverride: 'mock' });
    if (paid) await http().post('/webhooks/mock').send({ gatewayTransactionId: created.body.gatewayTransactionId, amount: created.body.amount, currency: created.body.currency });
    return created.body.id as string;
  }

  it('one source intent is paid out at most once', async () => {
    const intentId = await intent(true);
    const sent = momo.sent.length;
    const first = await post(body({ intentId }));
    const second = await post(body({ intentId, referenceId: 'other' }));
    expect(first.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(momo.sent.length - sent).toBe(1);
  });

  it('a source intent must exist for this app, be paid, and cover the amount', async () => {
    const sent = momo.sent.length;
    const unknown = await post(body({ intentId: '550e8400-e29b-41d4-a716-446655440000' }));
    expect(unknown.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: 'PaymentIntent not found: 550e8400-e29b-41d4-a716-446655440000' });
    const unpaid = await intent(false);
    expect((await post(body({ intentId: unpaid }))).body).toMatchObject({ statusCode: 402, error: 'PAYMENT_ERROR' });
    const paid = await intent(true);
    expect((await post(body({ intentId: paid, amount: 500001 }))).body).toMatchObject({ statusCode: 402, error: 'PAYMENT_ERROR' });
    expect(momo.sent.length).toBe(sent);
  });

  it('scopes by appId: 403 for another app, 404 when reading another app\'s disbursement', async () => {
    expect((await http().post('/api/v1/disbursements').set('X-API-Key', KEYS.events).send(body())).status).toBe(403);
    const mine = await post(body({ referenceId: 'scoped' }));
    expect((await http().get(`/api/v1/disbursements/${mine.body.id}`).set('X-API-Key', KEYS.events)).status).toBe(404);
  });
});

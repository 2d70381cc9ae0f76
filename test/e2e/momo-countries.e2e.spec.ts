import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { MomoFake } from '../support/fakes/momo-fake.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// Issue 11 points 2, 3 and 7 through the real app and the strict MoMo fake (409 on a reused
// X-Reference-Id, 400 on a non-UUID, 404 on an unknown one).
const ghana = (referenceId: string, extra: object = {}) => ({
  amount: 2000,
  currency: 'GHS',
  country: 'GH',
  metadata: { appId: 'kaba', referenceId, phoneNumber: '+233241234567' },
  ...extra,
});

describe('MoMo per country: the Ghana set serves Ghana only', () => {
  // Refuses any other X-Target-Environment or currency, as MTN's Ghana account does.
  const momo = new MomoFake({ targetEnvironment: 'mtnghana', currency: 'GHS' });
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const statusQueries = (reference: string) => momo.requests.filter((r) => r.method === 'GET' && r.path === `/collection/v1_0/requesttopay/${reference}`).length;

  beforeAll(async () => {
    const base = await momo.start();
    t = await startTestApp({
      MOMO_BASE_URL: base,
      MOMO_GH_COLLECTION_SUBSCRIPTION_KEY: 'gh-sub',
      MOMO_GH_COLLECTION_API_USER: 'gh-user',
      MOMO_GH_COLLECTION_API_KEY: 'gh-key',
    });
  });
  afterAll(async () => {
    await t.close();
    await momo.stop();
  });

  it('GET /gateways declares exactly the countries and currencies it has credentials for', async () => {
    const res = await http().get('/api/v1/gateways').set('X-API-Key', KEYS.kaba);
    const entry = (res.body.gateways as Array<{ id: string }>).find((g) => g.id === 'momo');
    expect(entry).toMatchObject({ countries: ['GH'], currencies: ['GHS'] });
  });

  it('a Ghana intent goes to mtnghana; a Cameroon one is not sent to MoMo at all', async () => {
    const created = await http().post('/api/v1/intents').set('X-API-Key', KEYS.kaba).send(ghana('gh-1'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ gateway: 'momo', gatewayTransactionId: created.body.id });
    const before = momo.requests.length;
    const cameroon = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount: 5000, currency: 'XAF', country: 'CM', metadata: { appId: 'kaba', referenceId: 'cm-1', phoneNumber: '+237650000000' }, gatewayOverride: 'momo' });
    // Refused by routing (400 or 402, the registry's call), never sent to MTN.
    expect([400, 402]).toContain(cameroon.status);
    expect(cameroon.body.id).toBeUndefined();
    expect(momo.requests.length).toBe(before);
  });

  it('50 concurrent callbacks for one reference: at most 2 status queries, and the intent still settles', async () => {
    const created = await http().post('/api/v1/intents').set('X-API-Key', KEYS.kaba).send(ghana('gh-flood'));
    const reference = String(created.body.gatewayTransactionId);
    momo.settle(reference, 'SUCCESSFUL');
    const answers = await Promise.all(Array.from({ length: 50 }, () => http().put(`/webhooks/momo/${reference}`).send({ status: 'SUCCESSFUL' })));
    expect(answers.every((res) => res.status === 200)).toBe(true);
    expect(statusQueries(reference)).toBeGreaterThanOrEqual(1);
    expect(statusQueries(reference)).toBeLessThanOrEqual(2);
    const intent = await http().get(`/api/v1/intents/${created.body.id}`).set('X-API-Key', KEYS.kaba);
    expect(intent.body).toMatchObject({ status: 'succeeded', amount: 2000, currency: 'GHS' });
  });

  it('callbacks for a reference that is not ours are 404 and never reach MTN', async () => {
    const before = momo.requests.length;
    const unknown = '3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    const answers = await Promise.all(Array.from({ length: 10 }, () => http().put(`/webhooks/momo/${unknown}`).send({ status: 'SUCCESSFUL' })));
    expect(answers.map((res) => res.status)).toEqual(Array(10).fill(404));
    expect(momo.requests.length).toBe(before);
  });
});

describe('MoMo sandbox takes EUR only', () => {
  const momo = new MomoFake({ targetEnvironment: 'sandbox', currency: 'EUR' });
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    const base = await momo.start();
    t = await startTestApp({ MOMO_BASE_URL: base, MOMO_COLLECTION_SUBSCRIPTION_KEY: 'sub', MOMO_COLLECTION_API_USER: 'user', MOMO_COLLECTION_API_KEY: 'key' });
  });
  afterAll(async () => {
    await t.close();
    await momo.stop();
  });

  it('a GHS payment is 402 naming the reason, before anything is recorded or sent', async () => {
    const res = await http().post('/api/v1/intents').set('X-API-Key', KEYS.kaba).set('Idempotency-Key', 'sandbox-ghs').send(ghana('sb-ghs'));
    expect([res.status, res.body.error]).toEqual([402, 'PAYMENT_ERROR']);
    expect(res.body.message).toMatch(/sandbox.*EUR only.*GHS/);
    expect(momo.requests).toHaveLength(0);
    // Nothing recorded: the same key is free for a corrected request.
    const eur = await http().post('/api/v1/intents').set('X-API-Key', KEYS.kaba).set('Idempotency-Key', 'sandbox-ghs').send(ghana('sb-ghs', { currency: 'EUR', amount: 1050 }));
    expect(eur.status).toBe(201);
    expect(eur.body).toMatchObject({ gateway: 'momo', currency: 'EUR' });
    expect(momo.resource('collection', String(eur.body.id))).toMatchObject({ amount: '10.50', currency: 'EUR' });
  });
});

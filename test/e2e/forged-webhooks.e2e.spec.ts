import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import request from 'supertest';
import type { FakeGatewayServer } from '../support/fake-gateway-server.js';
import { itemCount, SECRETS, startHostileApp } from '../support/hostile/hostile-harness.js';
import { KEYS, type TestApp } from '../support/test-app.js';

const RUNS = Math.max(20, Math.floor(Number(process.env.HOSTILE_RUNS ?? 300) / 10));
const hex = (length: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: length, maxLength: length });
const wrongHmac = (algorithm: 'sha256' | 'sha512', payload: string) => createHmac(algorithm, 'not-the-secret').update(payload).digest('hex');

// Per gateway: a well-formed event body for a transaction, with the signature header
// forged (random, missing, signed with another secret, truncated). Never accepted, nothing stored.
const forgers: Record<string, (tx: string) => fc.Arbitrary<{ body: string; headers: Record<string, string> }>> = {
  mock: (tx) => fc.tuple(hex(64), fc.boolean()).map(([sig, other]) => {
    const body = JSON.stringify({ gatewayTransactionId: tx, status: 'succeeded', amount: 500000, currency: 'XOF' });
    return { body, headers: { 'x-mock-signature': other ? wrongHmac('sha256', body) : sig } };
  }),
  tkh: (tx) => fc.tuple(hex(64), fc.integer({ min: 0, max: 2 ** 31 })).map(([sig, ts]) => {
    const body = JSON.stringify({ id: `evt_${ts}`, type: 'payment.succeeded', data: { transactionId: tx, amount: 500000, currency: 'XOF' } });
    return { body, headers: { 'x-tkh-timestamp': String(ts), 'x-tkh-signature': sig } };
  }),
  stripe: (tx) => fc.tuple(hex(64), fc.integer({ min: 0, max: 2 ** 31 })).map(([sig, ts]) => {
    const body = JSON.stringify({ id: `evt_${ts}`, type: 'payment_intent.succeeded', data: { object: { id: tx, amount_received: 500000, currency: 'xof' } } });
    return { body, headers: { 'stripe-signature': `t=${ts},v1=${sig}` } };
  }),
  paystack: (tx) => fc.tuple(hex(128), fc.boolean()).map(([sig, other]) => {
    const body = JSON.stringify({ event: 'charge.success', data: { id: 1, reference: tx, amount: 500000, currency: 'XOF' } });
    return { body, headers: { 'x-paystack-signature': other ? wrongHmac('sha512', body) : sig } };
  }),
  kkiapay: (tx) => fc.string({ maxLength: 80 }).map((secret) => ({
    body: JSON.stringify({ transactionId: tx, isPaymentSucces: true, event: 'transaction.success', amount: 500000, partnerId: randomUUID() }),
    headers: { 'x-kkiapay-secret': secret.replace(/[^\x20-\x7e]/g, '') || SECRETS.kkiapay.slice(1) },
  })),
};

describe('forged webhooks, per gateway (property-based)', () => {
  let t: TestApp;
  let fake: FakeGatewayServer;
  beforeAll(async () => {
    ({ t, fake } = await startHostileApp());
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it.each(Object.keys(forgers))('%s: a forged signature is 401 and stores nothing', async (gateway) => {
    const tx = `${gateway}_${randomUUID()}`;
    await fc.assert(
      fc.asyncProperty((forgers[gateway] as (tx: string) => fc.Arbitrary<{ body: string; headers: Record<string, string> }>)(tx), async ({ body, headers }) => {
        const before = await itemCount(t);
        const res = await request(t.app.getHttpServer()).post(`/webhooks/${gateway}`).set('content-type', 'application/json').set(headers).send(body);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ statusCode: 401, error: 'UNAUTHORIZED', message: 'Invalid webhook signature' });
        expect(await itemCount(t)).toBe(before);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('momo (unsigned): a callback for a reference that is not ours is 404, stores nothing and calls no gateway', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uuid(), fc.jsonValue(), async (reference, hint) => {
        const before = await itemCount(t);
        const calls = fake.requests.length;
        const res = await request(t.app.getHttpServer()).put(`/webhooks/momo/${reference}`).send({ status: hint });
        expect(res.status).toBe(404);
        expect(await itemCount(t)).toBe(before);
        expect(fake.requests.length).toBe(calls);
      }),
      { numRuns: RUNS },
    );
    // A real intent is still reachable for the genuine callback.
    const created = await request(t.app.getHttpServer()).post('/api/v1/intents').set('X-API-Key', KEYS.kaba).send({ amount: 2000, currency: 'GHS', country: 'GH', metadata: { appId: 'kaba', referenceId: 'gh-h', phoneNumber: '+233241234567' } });
    expect(created.body.gateway).toBe('momo');
    expect((await request(t.app.getHttpServer()).put(`/webhooks/momo/${created.body.gatewayTransactionId}`).send({})).status).toBe(200);
  }, 600_000);
});

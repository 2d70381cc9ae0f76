import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { KEYS, seedIntentRequest, startTestApp, type TestApp } from '../support/test-app.js';

describe('POST/GET /api/v1/intents (e2e, DynamoDB Local)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates the seed example with the documented shape and reads it back', async () => {
    const created = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).send(seedIntentRequest());

    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(
      [
        'id', 'appId', 'referenceId', 'amount', 'currency', 'country', 'status', 'gateway', 'paymentUrl',
        'clientSecret', 'gatewayTransactionId', 'paymentMode', 'metadata', 'attempts', 'createdAt', 'updatedAt',
      ].sort(),
    );
    const id: string = created.body.id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(created.body).toMatchObject({
      appId: 'events',
      referenceId: 'booking-abc123',
      amount: 500000,
      currency: 'XOF',
      country: 'BJ',
      status: 'pending',
      gateway: 'mock',
      paymentUrl: `http://payments.test/mock/pay/${id}`,
      clientSecret: null,
      gatewayTransactionId: `mock_${id}`,
      paymentMode: 'redirect',
    });
    // Phone numbers are stored in E.164; Benin's legacy 8-digit form gains its "01" prefix.
    expect(created.body.metadata.phoneNumber).toBe('+2290161000000');
    expect(created.body.createdAt <= created.body.updatedAt).toBe(true);
    expect(created.body.attempts).toEqual([{ gateway: 'mock', outcome: 'created', errorKind: null, at: expect.any(String) }]);
    expect(created.body.attempts[0].at <= created.body.createdAt).toBe(true);

    const fetched = await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.events);
    expect(fetched.status).toBe(200);
    // GET adds the money view; nothing is paid yet.
    expect(fetched.body).toEqual({ ...created.body, refundedAmount: 0, balance: 0, ledger: [], paidOutAmount: 0, payouts: [] });
  });

  it('useWidget on the mock gives its widget rehearsal (only widget gateways take useWidget, ADR 0017)', async () => {
    const res = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.events)
      .send({ ...seedIntentRequest(), useWidget: true });
    expect(res.status).toBe(201);
    expect(res.body.paymentMode).toBe('widget');
  });

  it('lets an operations key act for any app, and hides other apps\' intents from scoped keys', async () => {
    const created = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.ops)
      .send({ ...seedIntentRequest(), metadata: { appId: 'kaba', referenceId: 'inv-1' } });
    expect(created.status).toBe(201);

    const asKaba = await http().get(`/api/v1/intents/${created.body.id}`).set('X-API-Key', KEYS.kaba);
    expect(asKaba.status).toBe(200);
    const asEvents = await http().get(`/api/v1/intents/${created.body.id}`).set('X-API-Key', KEYS.events);
    expect(asEvents.status).toBe(404);
    expect(asEvents.body).toEqual({
      statusCode: 404,
      error: 'NOT_FOUND',
      message: `PaymentIntent not found: ${created.body.id}`,
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the original response for the same key and body', async () => {
      const body = { ...seedIntentRequest(), metadata: { appId: 'events', referenceId: 'idem-1' } };
      const first = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).set('Idempotency-Key', 'k-1').send(body);
      const second = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).set('Idempotency-Key', 'k-1').send(body);

      expect(first.status).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(second.status).toBe(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toEqual(first.body);
    });

    it('rejects the same key with a different body with 409 CONFLICT', async () => {
      const body = { ...seedIntentRequest(), metadata: { appId: 'events', referenceId: 'idem-2' } };
      await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).set('Idempotency-Key', 'k-2').send(body);
      const res = await http()
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.events)
        .set('Idempotency-Key', 'k-2')
        .send({ ...body, amount: 1000 });
      expect(res.status).toBe(409);
      expect(res.body.error).toBe('CONFLICT');
      expect(res.body.message).toContain('different request body');
    });

    it('scopes keys per app: another app may reuse the same key', async () => {
      const events = { ...seedIntentRequest(), metadata: { appId: 'events', referenceId: 'idem-3' } };
      const kaba = { ...seedIntentRequest(), metadata: { appId: 'kaba', referenceId: 'idem-3' } };
      const a = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).set('Idempotency-Key', 'shared').send(events);
      const b = await http().post('/api/v1/intents').set('X-API-Key', KEYS.kaba).set('Idempotency-Key', 'shared').send(kaba);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.id).not.toBe(b.body.id);
    });
  });
});

describe('request ids', () => {
  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const t = await startTestApp();
    try {
      const given = await request(t.app.getHttpServer()).get('/health').set('X-Request-Id', 'req-abc-12345');
      expect(given.headers['x-request-id']).toBe('req-abc-12345');
      const made = await request(t.app.getHttpServer()).get('/health').set('X-Request-Id', '<script>');
      expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await t.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import { MAX_BODY_DEPTH, MAX_BODY_KEYS } from '../../src/api/body-limits.js';
import { FakeGatewayServer } from '../support/fake-gateway-server.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

const ID = '5b0f3a52-7c1e-4d2a-9f3b-0c1d2e3f4a5b';
// What crashed class-transformer on main: 1,406 levels of nested objects (issue 14 case 1).
const deepBody = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const POST_ROUTES = ['/api/v1/intents', '/api/v1/intents/verify-kkiapay', `/api/v1/intents/${ID}/refund`, '/api/v1/disbursements'];

describe('body shape limits and bounded ids (e2e)', () => {
  const fake = new FakeGatewayServer();
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const itemCount = async () => (await t.table.db.send(new ScanCommand({ TableName: t.table.tableName, Select: 'COUNT', ConsistentRead: true }))).Count ?? 0;

  beforeAll(async () => {
    const base = await fake.start();
    t = await startTestApp({ MOMO_BASE_URL: base, MOMO_COLLECTION_SUBSCRIPTION_KEY: 'sub', MOMO_COLLECTION_API_USER: 'user', MOMO_COLLECTION_API_KEY: 'key' });
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it.each(POST_ROUTES)('POST %s with a 1,406-deep body is 400 naming the depth limit', async (path) => {
    const res = await http().post(path).set('X-API-Key', KEYS.events).set('Content-Type', 'application/json').send(deepBody(1406));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: `Request body must be nested at most ${MAX_BODY_DEPTH} levels deep` });
  });

  it('a deep array body and a body with too many keys are 400 as well; nothing is stored', async () => {
    const before = await itemCount();
    const arrays = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).set('Content-Type', 'application/json').send(`{"metadata":${'['.repeat(3000)}${']'.repeat(3000)}}`);
    expect(arrays.body.message).toBe(`Request body must be nested at most ${MAX_BODY_DEPTH} levels deep`);
    const metadata = Object.fromEntries(Array.from({ length: MAX_BODY_KEYS + 1 }, (_, i) => [`k${i}`, 'v']));
    const wide = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).send({ amount: 1, currency: 'XOF', country: 'BJ', metadata });
    expect(wide.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: `Request body must have at most ${MAX_BODY_KEYS} keys and array items in total` });
    expect(await itemCount()).toBe(before);
  });

  it('a body at the depth limit still reaches validation', async () => {
    const res = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).send({ amount: 1, currency: 'XOF', country: 'BJ', metadata: { appId: 'events', referenceId: 'r', x: { y: { z: 1 } } } });
    expect(res.status).toBe(400);
    expect(res.body.message).not.toMatch(/nested/);
  });

  it('a 2,017-character MoMo callback reference is 404 and a well-formed unknown one stores nothing and calls no gateway', async () => {
    const long = await http().put(`/webhooks/momo/${'a'.repeat(2017)}`).send({ status: 'SUCCESSFUL' });
    expect(long.status).toBe(404);
    expect(long.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: 'Unknown payment reference' });
    const before = await itemCount();
    const calls = fake.requests.length;
    const unknown = await http().post(`/webhooks/momo/${ID}`).send({ status: 'SUCCESSFUL' });
    expect(unknown.status).toBe(404);
    expect((await http().put('/webhooks/momo/not-a-uuid').send({})).status).toBe(404);
    expect(await itemCount()).toBe(before);
    expect(fake.requests.length).toBe(calls);
  });

  it('long ids on GET routes, the mock page and payout callbacks are 404, never 500', async () => {
    const long = 'x'.repeat(3000);
    for (const path of [`/api/v1/intents/${long}`, `/api/v1/disbursements/${long}`, `/mock/pay/${long}`]) {
      const res = await http().get(path).set('X-API-Key', KEYS.events);
      expect([path, res.status]).toEqual([path, 404]);
    }
    // Payout callbacks are only a trigger to re-query; a malformed id is not even looked up.
    expect((await http().post(`/webhooks/momo/disbursements/${long}`).send({})).status).toBe(200);
  });

  it('an Idempotency-Key longer than 255 characters is 400', async () => {
    const res = await http().post('/api/v1/intents').set('X-API-Key', KEYS.events).set('Idempotency-Key', 'k'.repeat(256)).send({});
    expect(res.status).toBe(400);
  });
});

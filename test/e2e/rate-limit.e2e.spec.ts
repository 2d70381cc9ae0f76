import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { RATE_LIMITS } from '../../src/api/rate-limits.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// 429 in the contract's shape, with a Retry-After within the 60 s window.
function expectRateLimited(res: request.Response, message: string): void {
  expect(res.status).toBe(429);
  expect(res.body).toEqual({ statusCode: 429, error: 'RATE_LIMITED', message });
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
}

describe('rate limits: one budget per client IP for requests without a valid key (e2e)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeEach(async () => {
    // A fresh app per test: the counters live in the app's memory.
    t = await startTestApp({}, { rateLimits: { ...RATE_LIMITS, webhooks: { limit: 30, ttlMs: 60_000 } } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('defaults: 100 per 60 s per IP without a key, 1,000 per 60 s per API key\'s app, a separate 1,000 per 60 s on webhooks', () => {
    expect(RATE_LIMITS).toEqual({
      api: { limit: 100, ttlMs: 60_000 },
      perApiKey: { limit: 1000, ttlMs: 60_000, perApp: {} },
      webhooks: { limit: 1000, ttlMs: 60_000 },
    });
  });

  it('100 requests spread over 8 handlers use up one budget: the 101st, on any route, is 429 whatever X-Forwarded-For says', async () => {
    const routes = [
      () => http().get('/api/v1/intents/x'),
      () => http().get('/api/v1/gateways'),
      () => http().get('/api/v1/disbursements/x'),
      () => http().post('/api/v1/intents').send({}),
      () => http().post('/api/v1/intents/verify-kkiapay').send({}),
      () => http().post('/api/v1/intents/x/refund').send({}),
      () => http().post('/api/v1/disbursements').send({}),
      () => http().get('/mock/pay/x'),
    ];
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      const res = await (routes[i % routes.length] as () => request.Test)().set('X-Forwarded-For', `203.0.113.${i}`);
      statuses.push(res.status);
    }
    expect(statuses.filter((status) => status === 429)).toEqual([]);

    const limited = await http().post('/api/v1/disbursements').set('X-Forwarded-For', '198.51.100.7').send({});
    expectRateLimited(limited, 'Rate limit exceeded: at most 100 requests per 60 seconds per client IP');
    expect((await http().get('/api/v1/gateways')).status).toBe(429);
    // /health is never limited.
    expect((await http().get('/health')).status).toBe(200);
  });

  it('webhook routes have their own budget, shared by every gateway, and do not use the API one', async () => {
    for (let i = 0; i < 30; i++) {
      const gateway = ['stripe', 'momo', 'paystack'][i % 3] as string;
      expect((await http().post(`/webhooks/${gateway}`).send({})).status).not.toBe(429);
    }
    const limited = await http().post('/webhooks/tkh').send({});
    expect(limited.status).toBe(429);
    expect(limited.body.message).toBe('Rate limit exceeded: at most 30 requests per 60 seconds per client IP on webhook routes');
    expect((await http().put(`/webhooks/momo/${'a'.repeat(36)}`).send({})).status).toBe(429);
    expect((await http().get('/api/v1/gateways')).status).toBe(401);
  });
});

describe('rate limits: a valid X-API-Key has its app\'s own budget, whatever its address (e2e)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const asApp = (key: string) => http().get('/api/v1/gateways').set('X-API-Key', key);

  beforeEach(async () => {
    // The per-key budgets come from the environment, as in a deployment.
    t = await startTestApp({ RATE_LIMIT_PER_KEY: '40', RATE_LIMIT_PER_KEY_APPS: 'kaba:15' });
  });
  afterEach(async () => {
    await t.close();
  });

  const statusesOf = async (count: number, send: () => request.Test) => {
    const statuses: number[] = [];
    for (let i = 0; i < count; i++) statuses.push((await send()).status);
    return statuses;
  };

  it('one NAT address: keyed requests never use the per-IP budget; the app budget (40) limits only that app', async () => {
    const events = await statusesOf(40, () => asApp(KEYS.events));
    expect(events.every((status) => status === 200)).toBe(true);
    expectRateLimited(await asApp(KEYS.events), "Rate limit exceeded: at most 40 requests per 60 seconds for this API key's app");
    // The same address: the ops key and unauthenticated traffic still have their own budgets.
    expect((await statusesOf(39, () => asApp(KEYS.ops))).every((status) => status === 200)).toBe(true);
    const unauthenticated = await statusesOf(100, () => http().get('/api/v1/gateways'));
    expect(unauthenticated.every((status) => status === 401)).toBe(true);
    expect((await http().get('/api/v1/gateways')).status).toBe(429);
  });

  it('RATE_LIMIT_PER_KEY_APPS gives one app its own limit', async () => {
    const kaba = await statusesOf(16, () => asApp(KEYS.kaba));
    expect(kaba.filter((status) => status === 429)).toEqual([429]);
    expect(kaba.at(-1)).toBe(429);
    expect((await asApp(KEYS.events)).status).toBe(200);
  });

  it('invented keys do not buy budgets: they count against the client IP (100), then 429', async () => {
    const statuses = await statusesOf(101, () => http().get('/api/v1/gateways').set('X-API-Key', `guess-${Math.random()}`));
    expect(statuses.slice(0, 100).every((status) => status === 401)).toBe(true);
    expect(statuses[100]).toBe(429);
    // A real key from the same address is unaffected.
    expect((await asApp(KEYS.events)).status).toBe(200);
  });
});

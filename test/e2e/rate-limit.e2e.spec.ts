import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { RATE_LIMITS } from '../../src/api/rate-limits.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('rate limits: one budget per client IP across all routes (e2e)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  beforeEach(async () => {
    // A fresh app per test: the counters live in the app's memory.
    t = await startTestApp({}, { rateLimits: { api: { limit: 100, ttlMs: 60_000 }, webhooks: { limit: 30, ttlMs: 60_000 } } });
  });
  afterEach(async () => {
    await t.close();
  });

  it('defaults: 100 per 60 s on the API, a separate 1,000 per 60 s on webhooks', () => {
    expect(RATE_LIMITS).toEqual({ api: { limit: 100, ttlMs: 60_000 }, webhooks: { limit: 1000, ttlMs: 60_000 } });
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
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'RATE_LIMITED',
      message: 'Rate limit exceeded: at most 100 requests per 60 seconds per client IP',
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
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

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('rate limit: 100 requests per 60 s per client IP (e2e)', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers the 101st request in the window with 429 RATE_LIMITED and Retry-After, whatever X-Forwarded-For says', async () => {
    const server = t.app.getHttpServer();
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) {
      // Each request claims to come from a different client; the socket address is what counts.
      const res = await request(server).get('/api/v1/intents/x').set('X-Forwarded-For', `203.0.113.${i}`);
      statuses.push(res.status);
    }
    expect(statuses.every((status) => status === 401)).toBe(true);

    const limited = await request(server).get('/api/v1/intents/x').set('X-Forwarded-For', '198.51.100.7');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'RATE_LIMITED',
      message: 'Rate limit exceeded: at most 100 requests per 60 seconds per client IP',
    });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
  });
});

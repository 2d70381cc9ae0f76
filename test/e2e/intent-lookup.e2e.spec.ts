import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

const create = (appId: string, referenceId: string, amount: number) => ({
  amount,
  currency: 'XOF',
  country: 'BJ',
  metadata: { appId, referenceId },
  gatewayOverride: 'mock',
});

describe('GET /api/v1/intents?referenceId= (e2e, DynamoDB Local)', () => {
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());
  const list = (key: string, query: Record<string, string | number>) => http().get('/api/v1/intents').query(query).set('X-API-Key', key);
  const ids: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    // Three intents for kaba's invoice-456 (oldest first), one for another reference, one for events.
    for (const [appId, reference, amount] of [
      ['kaba', 'invoice-456', 1000], ['kaba', 'invoice-456', 2000], ['kaba', 'invoice-456', 3000], ['kaba', 'invoice-789', 4000], ['events', 'invoice-456', 5000],
    ] as const) {
      const key = appId === 'kaba' ? KEYS.kaba : KEYS.events;
      const res = await http().post('/api/v1/intents').set('X-API-Key', key).send(create(appId, reference, amount));
      expect(res.status).toBe(201);
      ids.push(res.body.id);
      await new Promise((r) => setTimeout(r, 5)); // distinct createdAt
    }
    // The second one is paid.
    const paid = await http().post('/webhooks/mock').send({ gatewayTransactionId: `mock_${ids[1]}`, status: 'succeeded', amount: 2000, currency: 'XOF' });
    expect(paid.status).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it('lists the key\'s intents of one referenceId, newest first, in the intent shape', async () => {
    const res = await list(KEYS.kaba, { referenceId: 'invoice-456' });
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(res.body.nextCursor).toBeNull();
    expect(Object.keys(res.body.items[0]).sort()).toEqual(Object.keys((await http().post('/api/v1/intents').set('X-API-Key', KEYS.kaba).send(create('kaba', 'other', 1))).body).sort());
  });

  it('pages with an opaque cursor, no item skipped or repeated', async () => {
    const first = await list(KEYS.kaba, { referenceId: 'invoice-456', limit: 2 });
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await list(KEYS.kaba, { referenceId: 'invoice-456', limit: 2, cursor: first.body.nextCursor });
    expect(second.status).toBe(200);
    expect(second.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('filters by status', async () => {
    const res = await list(KEYS.kaba, { referenceId: 'invoice-456', status: 'succeeded' });
    expect(res.body.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([[ids[1], 'succeeded']]);
  });

  it('filters by status after reading the intents, pages still exact (the filtered-out one is passed over once)', async () => {
    const page = (cursor?: string) => list(KEYS.kaba, { referenceId: 'invoice-456', status: 'pending', limit: 1, ...(cursor ? { cursor } : {}) });
    const first = await page();
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2]]);
    const second = await page(first.body.nextCursor);
    expect(second.body.items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([[ids[0], 'pending']]);
    const third = await page(second.body.nextCursor);
    expect(third.body).toEqual({ items: [], nextCursor: null });
  });

  it('never shows another app\'s intents; the operations key names the app', async () => {
    expect((await list(KEYS.events, { referenceId: 'invoice-456' })).body.items.map((i: { id: string }) => i.id)).toEqual([ids[4]]);
    expect((await list(KEYS.ops, { referenceId: 'invoice-456', appId: 'events' })).body.items.map((i: { id: string }) => i.id)).toEqual([ids[4]]);
    const forbidden = await list(KEYS.events, { referenceId: 'invoice-456', appId: 'kaba' });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toEqual({ statusCode: 403, error: 'FORBIDDEN', message: 'This API key may only list intents of app events' });
    expect((await http().get('/api/v1/intents').query({ referenceId: 'invoice-456' })).status).toBe(401);
  });

  it('answers validation errors in the contract shape', async () => {
    const cases: Array<[Record<string, string | number>, string, string]> = [
      [{}, KEYS.kaba, 'referenceId is required'],
      [{ referenceId: 'invoice-456', status: 'paid' }, KEYS.kaba, 'status must be one of pending, processing, succeeded, failed, cancelled'],
      [{ referenceId: 'invoice-456', limit: 0 }, KEYS.kaba, 'limit must be at least 1'],
      [{ referenceId: 'invoice-456', limit: 'ten' }, KEYS.kaba, 'limit must be an integer'],
      [{ referenceId: 'invoice-456', unknown: 'x' }, KEYS.kaba, 'unknown is not an allowed field'],
      [{ referenceId: 'invoice-456' }, KEYS.ops, 'appId is required with the operations key'],
      [{ referenceId: 'invoice-456', cursor: 'not-a-cursor' }, KEYS.kaba, 'cursor is not valid: pass nextCursor from the previous page of the same referenceId'],
    ];
    for (const [query, key, message] of cases) {
      const res = await list(key, query);
      expect({ query, status: res.status, body: res.body }).toEqual({ query, status: 400, body: { statusCode: 400, error: 'VALIDATION_ERROR', message } });
    }
  });

  it('refuses a cursor of another reference or app (it cannot move a query into another partition)', async () => {
    const page = await list(KEYS.kaba, { referenceId: 'invoice-456', limit: 1 });
    const elsewhere = await list(KEYS.kaba, { referenceId: 'invoice-789', cursor: page.body.nextCursor });
    expect(elsewhere.status).toBe(400);
    const otherApp = await list(KEYS.ops, { referenceId: 'invoice-456', appId: 'events', cursor: page.body.nextCursor });
    expect(otherApp.status).toBe(400);
  });
});

describe('GET /api/v1/openapi.json (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves docs/openapi.json without an API key, its server being this deployment', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const file = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8'));
    expect(res.body).toEqual({ ...file, servers: [{ url: 'http://payments.test', description: 'this service (local)' }] });
  });
});

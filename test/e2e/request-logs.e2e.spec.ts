import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { KEYS, seedIntentRequest, startTestApp, type TestApp } from '../support/test-app.js';

// "What happened to booking-abc123?" is one log search: every line of a request that knows its
// intent carries appId and referenceId (issue 12), next to the request id.
describe('request log lines name the app and the product reference', () => {
  let t: TestApp;
  let lines: Array<Record<string, unknown>> = [];
  let write: ReturnType<typeof jest.spyOn>;

  beforeAll(async () => {
    t = await startTestApp({ LOG_LEVEL: 'info' });
  });
  beforeEach(() => {
    lines = [];
    write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      const text = String(chunk);
      if (text.startsWith('{')) lines.push(JSON.parse(text) as Record<string, unknown>);
      return true;
    });
  });
  afterEach(() => write.mockRestore());
  afterAll(async () => {
    await t.close();
  });

  const accessLine = (path: string) => lines.find((line) => line.message === 'request' && line.path === path);

  it('create and read: the access line carries appId and referenceId; another app\'s 404 does not', async () => {
    const created = await request(t.app.getHttpServer()).post('/api/v1/intents').set('X-API-Key', KEYS.events).send(seedIntentRequest());
    expect(created.status).toBe(201);
    expect(accessLine('/api/v1/intents')).toMatchObject({ appId: 'events', referenceId: 'booking-abc123', status: 201 });

    const path = `/api/v1/intents/${created.body.id}`;
    await request(t.app.getHttpServer()).get(path).set('X-API-Key', KEYS.events).expect(200);
    expect(accessLine(path)).toMatchObject({ appId: 'events', referenceId: 'booking-abc123' });

    lines = [];
    await request(t.app.getHttpServer()).get(path).set('X-API-Key', KEYS.kaba).expect(404);
    expect(accessLine(path)).not.toHaveProperty('referenceId');
  });
});

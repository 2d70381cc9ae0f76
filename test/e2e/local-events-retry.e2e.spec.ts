import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { EventListener } from '../support/event-listener.js';
import { ManualClock } from '../support/manual-clock.js';
import { KEYS, seedIntentRequest, startTestApp, type TestApp } from '../support/test-app.js';

const MOCK_SECRET = 'mock-webhook-secret';
const GRACE_SECONDS = 60;

// LOCAL_EVENT_WEBHOOK_URL behaves like an SNS subscription (ADR 0021): a listener that was
// down receives every event once it is up — retried from the outbox, with backoff.
describe('local events: a listener down for several sweeps gets every event exactly once when it is back (e2e)', () => {
  let t: TestApp;
  let port: number;
  const clock = new ManualClock(new Date('2026-12-02T10:00:00Z'));
  const listener = new EventListener();
  const http = () => request(t.app.getHttpServer());
  const sign = (body: string) => createHmac('sha256', MOCK_SECRET).update(body).digest('hex');
  const sweep = () => t.deps.relay.sweep(GRACE_SECONDS);

  beforeAll(async () => {
    // Reserve a port, then close it: the listener is down when the events are committed.
    const first = new EventListener();
    port = Number(new URL(await first.start()).port);
    await first.stop();
    t = await startTestApp({ MOCK_WEBHOOK_SECRET: MOCK_SECRET, LOCAL_EVENT_WEBHOOK_URL: `http://127.0.0.1:${port}/events` }, { clock });
  });
  afterAll(async () => {
    await t.close();
    await listener.stop();
  });

  const payMockIntent = async (referenceId: string) => {
    const created = await http().post('/api/v1/intents').set('X-API-Key', KEYS.kaba)
      .send({ ...seedIntentRequest(), metadata: { appId: 'kaba', referenceId } });
    const body = JSON.stringify({ gatewayTransactionId: created.body.gatewayTransactionId, status: 'succeeded', amount: 500000, currency: 'XOF' });
    expect((await http().post('/webhooks/mock').set('Content-Type', 'application/json').set('X-Mock-Signature', sign(body)).send(body)).status).toBe(200);
    return created.body.id as string;
  };

  it('three events while down, four failed sweeps, then one delivery each', async () => {
    const intents = [await payMockIntent('invoice-1'), await payMockIntent('invoice-2'), await payMockIntent('invoice-3')];
    await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();

    // Down: each sweep that finds an event due tries it and fails; the outbox keeps all three.
    for (let i = 0; i < 4; i++) {
      clock.advance((GRACE_SECONDS + 1) * 1000);
      expect(await sweep()).toEqual({ published: 0, failed: 3 });
    }

    await listener.start(port);
    clock.advance((GRACE_SECONDS + 1) * 1000);
    expect(await sweep()).toEqual({ published: 3, failed: 0 });
    await listener.waitFor(3);
    expect(listener.messages().map((message) => message.intentId).sort()).toEqual([...intents].sort());
    expect(listener.messages().every((message) => message.type === 'payment.completed')).toBe(true);

    // Published now: later sweeps send nothing more.
    clock.advance((GRACE_SECONDS + 1) * 1000);
    expect(await sweep()).toEqual({ published: 0, failed: 0 });
    expect(listener.received).toHaveLength(3);
  });
});

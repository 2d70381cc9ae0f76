import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_DELAYS_MS } from '../../src/domain/webhook-schedule.js';
import { ManualClock } from '../support/manual-clock.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';
import { publishEvent } from '../support/webhook-events.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

const HOUR = 3_600_000;

// The whole retry schedule on a manual clock (ADR 0019): every attempt comes when it is due and
// not a second before, the last one more than 72 h after the first, then the delivery is given up,
// the endpoint disabled and an operator sees a review item.
describe('webhook retry schedule over 72 h (e2e)', () => {
  jest.setTimeout(30_000);
  let t: TestApp;
  let receiver: WebhookReceiver;
  let healthy: WebhookReceiver;
  const clock = new ManualClock(new Date('2026-12-10T08:00:00.000Z'));
  const http = () => request(t.app.getHttpServer());
  const attemptDue = async () => (await t.deps.webhooks()).delivery.attemptDue();
  const ops = (method: 'get' | 'post' | 'patch', path: string) => http()[method](`/api/v1${path}`).set('X-API-Key', KEYS.ops);

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_LOOPBACK: 'true' }, { clock });
    receiver = await new WebhookReceiver().start();
    receiver.reply = () => ({ status: 500, body: 'x'.repeat(5_000) });
    healthy = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await receiver.stop();
    await healthy.stop();
    await t.close();
  });

  it('writes the schedule down: 22 attempts, the last one more than 72 h after the first', () => {
    expect(WEBHOOK_RETRY_DELAYS_MS.slice(0, 7)).toEqual([5_000, 30_000, 120_000, 600_000, 1_800_000, HOUR, 2 * HOUR]);
    expect(WEBHOOK_MAX_ATTEMPTS).toBe(22);
    const total = WEBHOOK_RETRY_DELAYS_MS.reduce((sum, d) => sum + d, 0);
    expect(total).toBeGreaterThan(72 * HOUR);
    expect(total - (WEBHOOK_RETRY_DELAYS_MS.at(-1) as number)).toBeLessThanOrEqual(72 * HOUR);
  });

  it('attempts on time through the whole schedule, then disables the endpoint with a review item', async () => {
    const created = await ops('post', '/webhook-endpoints?appId=app-down').send({ url: receiver.url() });
    const endpointId = created.body.id as string;
    const record = await publishEvent(t, 'app-down');
    const eventId = record.event.event.eventId;
    const first = clock.now().getTime();
    expect(receiver.received).toHaveLength(1);

    for (const [index, delay] of WEBHOOK_RETRY_DELAYS_MS.entries()) {
      clock.advance(delay - 1_000);
      await attemptDue();
      expect(receiver.received).toHaveLength(index + 1); // a second early: nothing
      clock.advance(1_000);
      await attemptDue();
      expect(receiver.received).toHaveLength(index + 2);
    }
    expect(clock.now().getTime() - first).toBeGreaterThan(72 * HOUR);
    clock.advance(24 * HOUR);
    await attemptDue();
    expect(receiver.received).toHaveLength(WEBHOOK_MAX_ATTEMPTS);

    const view = await ops('get', `/events/${eventId}`);
    const [delivery] = view.body.deliveries;
    expect(delivery).toMatchObject({ status: 'failed', failedReason: 'exhausted', scheduledAttempts: 22, nextAttemptAt: null });
    expect(delivery.attempts).toHaveLength(22);
    expect(delivery.attempts[0].responseExcerpt).toHaveLength(256);
    expect(delivery.attempts[21]).toMatchObject({ outcome: 'failed', responseStatus: 500, error: 'HTTP 500' });

    const endpoint = await ops('get', `/webhook-endpoints/${endpointId}?appId=app-down`);
    expect(endpoint.body).toMatchObject({ status: 'disabled', disabledReason: 'failing' });

    const reviews = await ops('get', '/ops/review-items');
    const item = reviews.body.items.find((r: { reason: string }) => r.reason === 'webhook_endpoint_disabled');
    expect(item).toMatchObject({
      gateway: 'webhooks',
      detail: { appId: 'app-down', endpointId, eventId, attempts: 22, lastStatus: 500, url: receiver.url() },
      whatToDo: expect.stringContaining('PATCH /api/v1/webhook-endpoints/:id'),
    });

    // A disabled endpoint gets no new deliveries.
    const later = await publishEvent(t, 'app-down');
    expect((await ops('get', `/events/${later.event.event.eventId}`)).body.deliveries).toEqual([]);
    expect(receiver.received).toHaveLength(22);

    // The receiver is fixed: the app replays the given-up delivery, then re-enables the endpoint.
    receiver.reply = () => ({ status: 200 });
    const replay = await ops('post', `/events/${eventId}/redeliver`).send({});
    expect(replay.body.deliveries[0]).toMatchObject({ status: 'delivered', failedReason: null });
    expect(replay.body.deliveries[0].attempts.at(-1)).toMatchObject({ trigger: 'manual', outcome: 'succeeded', responseStatus: 200 });
    const enabled = await ops('patch', `/webhook-endpoints/${endpointId}?appId=app-down`).send({ status: 'enabled' });
    expect(enabled.body).toMatchObject({ status: 'enabled', disabledReason: null, disabledAt: null });
    await publishEvent(t, 'app-down');
    expect(receiver.received).toHaveLength(24);
  });

  it('an endpoint that succeeded for other events meanwhile is not disabled by one failing delivery', async () => {
    let failThisOne: string | null = null;
    healthy.reply = (req) => (req.headers['webhook-id'] === failThisOne ? { status: 400 } : { status: 200 });
    const created = await ops('post', '/webhook-endpoints?appId=app-picky').send({ url: healthy.url() });
    const record = await publishEvent(t, 'app-picky');
    failThisOne = record.event.event.eventId;
    // Redelivered manually: fails, but the first attempt had succeeded — so use a new event that fails.
    const failing = await (async () => {
      const next = await import('../support/webhook-events.js').then((m) => m.commitEvent(t, 'app-picky'));
      failThisOne = next.event.event.eventId;
      await t.deps.relay.relay(next);
      return next;
    })();
    for (const delay of WEBHOOK_RETRY_DELAYS_MS) {
      clock.advance(delay);
      // Other events keep succeeding during the 72 h.
      if (delay >= 5 * HOUR) await publishEvent(t, 'app-picky');
      await attemptDue();
    }
    const view = await ops('get', `/events/${failing.event.event.eventId}`);
    expect(view.body.deliveries[0]).toMatchObject({ status: 'failed', failedReason: 'exhausted' });
    const endpoint = await ops('get', `/webhook-endpoints/${created.body.id}?appId=app-picky`);
    expect(endpoint.body.status).toBe('enabled');
  });
});

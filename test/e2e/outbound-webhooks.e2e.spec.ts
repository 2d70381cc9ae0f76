import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import { keys } from '../../src/storage/table-schema.js';
import { Webhook } from 'standardwebhooks';
import { verifyWebhook, WebhookVerificationError } from '../../src/sdk/index.js';
import { ManualClock } from '../support/manual-clock.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';
import { commitEvent, publishEvent } from '../support/webhook-events.js';
import { WebhookReceiver, type ReceivedWebhook } from '../support/webhook-receiver.js';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;

// Outbound webhooks end to end (ADR 0019): the real app on DynamoDB Local, a local receiver, and
// a clock moved by hand. The clock starts at the real time so the independent standardwebhooks
// library (which reads the wall clock) accepts fresh deliveries.
describe('outbound webhooks (e2e)', () => {
  // DynamoDB Local on a shared machine: a few calls per step add up.
  jest.setTimeout(20_000);
  let t: TestApp;
  const clock = new ManualClock(new Date());
  const receivers: WebhookReceiver[] = [];
  const http = () => request(t.app.getHttpServer());
  // The operations key acts for any app named with ?appId= (each test uses its own app).
  const asApp = (appId: string) => ({
    post: (path: string, body?: object) => http().post(`/api/v1${path}${path.includes('?') ? '&' : '?'}appId=${appId}`).set('X-API-Key', KEYS.ops).send(body),
    get: (path: string) => http().get(`/api/v1${path}${path.includes('?') ? '&' : '?'}appId=${appId}`).set('X-API-Key', KEYS.ops),
    patch: (path: string, body: object) => http().patch(`/api/v1${path}?appId=${appId}`).set('X-API-Key', KEYS.ops).send(body),
  });
  const receiver = async () => {
    const r = await new WebhookReceiver().start();
    receivers.push(r);
    return r;
  };
  const createEndpoint = async (appId: string, body: object) => {
    const res = await asApp(appId).post('/webhook-endpoints', body);
    expect(res.status).toBe(201);
    return res.body as { id: string; secret: string };
  };
  const attemptDue = async () => (await t.deps.webhooks()).delivery.attemptDue();
  // Back to the wall clock, for checks by standardwebhooks (which reads it).
  const resync = () => clock.advance(Date.now() - clock.now().getTime());
  const eventView = (id: string) => http().get(`/api/v1/events/${id}`).set('X-API-Key', KEYS.ops);
  const headersOf = (w: ReceivedWebhook) => ({
    'webhook-id': String(w.headers['webhook-id']),
    'webhook-timestamp': String(w.headers['webhook-timestamp']),
    'webhook-signature': String(w.headers['webhook-signature']),
  });

  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_LOOPBACK: 'true', WEBHOOK_TIMEOUT_MS: '2000' }, { clock });
  });
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
    await t.close();
  });

  describe('endpoints API', () => {
    it('creates an endpoint with a whsec_ secret shown once, then lists, reads, patches and deletes it', async () => {
      const r = await receiver();
      const created = await http().post('/api/v1/webhook-endpoints').set('X-API-Key', KEYS.events).send({ url: r.url(), description: 'orders' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ appId: 'events', url: r.url(), status: 'enabled', urls: { payments: null, refunds: null, payouts: null } });
      expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const id = created.body.id as string;

      const read = await http().get(`/api/v1/webhook-endpoints/${id}`).set('X-API-Key', KEYS.events);
      expect(read.status).toBe(200);
      expect(read.body.secret).toBeUndefined();
      expect(JSON.stringify(read.body)).not.toContain(created.body.secret.slice(6, 20));
      expect(read.body.secrets).toEqual([{ hint: `whsec_…${created.body.secret.slice(-4)}`, createdAt: expect.any(String), expiresAt: null }]);

      const listed = await http().get('/api/v1/webhook-endpoints').set('X-API-Key', KEYS.events);
      expect(listed.body.items.map((e: { id: string }) => e.id)).toContain(id);

      const patched = await http().patch(`/api/v1/webhook-endpoints/${id}`).set('X-API-Key', KEYS.events).send({ status: 'disabled', urls: { refunds: r.url('/refunds') } });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ status: 'disabled', disabledReason: 'by_app', urls: { refunds: r.url('/refunds') } });

      // Another app's endpoint does not exist for it.
      expect((await http().get(`/api/v1/webhook-endpoints/${id}`).set('X-API-Key', KEYS.kaba)).status).toBe(404);
      expect((await http().delete(`/api/v1/webhook-endpoints/${id}`).set('X-API-Key', KEYS.kaba)).status).toBe(404);

      expect((await http().delete(`/api/v1/webhook-endpoints/${id}`).set('X-API-Key', KEYS.events)).status).toBe(204);
      const gone = await http().get(`/api/v1/webhook-endpoints/${id}`).set('X-API-Key', KEYS.events);
      expect(gone.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: `Webhook endpoint ${id} not found` });
    });

    it.each([
      [{}, 'url is required'],
      [{ url: 'ftp://example.com/x' }, 'url must be an https URL'],
      [{ url: 'not a url' }, 'url is not a valid URL'],
      [{ url: 'http://10.1.2.3/hook' }, 'url must not point at a private, link-local, metadata or reserved address'],
      [{ url: 'http://169.254.169.254/latest/meta-data' }, 'url must not point at a private, link-local, metadata or reserved address'],
      [{ url: 'http://[fd00:ec2::254]/' }, 'url must not point at a private, link-local, metadata or reserved address'],
      [{ url: 'https://example.com/x', urls: { payouts: 'http://192.168.1.10/x' } }, 'urls.payouts must not point at a private, link-local, metadata or reserved address'],
      [{ url: 'https://example.com/x', urls: { other: 'https://example.com/y' } }, 'urls.other is not an allowed field'],
      [{ url: 'https://user:pw@example.com/x' }, 'url must not carry credentials'],
      [{ url: 'https://example.com/x', secret: 'mine' }, 'secret is not an allowed field'],
    ])('refuses %j with 400 naming the field', async (body, message) => {
      const res = await http().post('/api/v1/webhook-endpoints').set('X-API-Key', KEYS.events).send(body);
      expect(res.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message });
    });

    it('allows at most 10 endpoints per app (409 after that)', async () => {
      for (let i = 0; i < 10; i++) await createEndpoint('app-limit', { url: `https://example.com/hook-${i}` });
      const res = await asApp('app-limit').post('/webhook-endpoints', { url: 'https://example.com/hook-11' });
      expect(res.body).toEqual({ statusCode: 409, error: 'CONFLICT', message: 'An app may have at most 10 webhook endpoints; delete one first' });
    });

    it('an app key may not act for another app (403); the operations key must name one (400)', async () => {
      const res = await http().get('/api/v1/webhook-endpoints?appId=kaba').set('X-API-Key', KEYS.events);
      expect(res.status).toBe(403);
      const ops = await http().get('/api/v1/webhook-endpoints').set('X-API-Key', KEYS.ops);
      expect(ops.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'appId is required with the operations key' });
    });
  });

  describe('signatures (Standard Webhooks)', () => {
    let delivered: ReceivedWebhook;
    let secret: string;

    beforeAll(async () => {
      const r = await receiver();
      ({ secret } = await createEndpoint('app-sign', { url: r.url() }));
      const record = await publishEvent(t, 'app-sign');
      expect(r.received).toHaveLength(1);
      delivered = r.received[0] as ReceivedWebhook;
      expect(delivered.headers['webhook-id']).toBe(record.event.event.eventId);
    });

    it('is verified by the independent standardwebhooks library', () => {
      const payload = new Webhook(secret).verify(delivered.body, headersOf(delivered)) as { type: string; appId: string };
      expect(payload).toMatchObject({ type: 'payment.completed', appId: 'app-sign' });
      expect(delivered.headers['content-type']).toBe('application/json');
      expect(String(delivered.headers['webhook-signature'])).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(Number(delivered.headers['webhook-timestamp'])).toBe(Math.floor(clock.now().getTime() / 1000));
    });

    it('standardwebhooks rejects a tampered body, a wrong secret and a stale timestamp', async () => {
      const tampered = delivered.body.replace('"amount":500000', '"amount":1');
      expect(tampered).not.toBe(delivered.body);
      expect(() => new Webhook(secret).verify(tampered, headersOf(delivered))).toThrow();
      const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
      expect(() => new Webhook(other).verify(delivered.body, headersOf(delivered))).toThrow();

      // A delivery signed 10 minutes ago (its clock set back) is refused as stale.
      const r = await receiver();
      const { secret: staleSecret } = await createEndpoint('app-stale', { url: r.url() });
      clock.advance(-10 * MINUTE);
      await publishEvent(t, 'app-stale');
      clock.advance(10 * MINUTE);
      const stale = r.received[0] as ReceivedWebhook;
      expect(() => new Webhook(staleSecret).verify(stale.body, headersOf(stale))).toThrow(/too old/i);
      expect(() => verifyWebhook(stale.body, stale.headers, { secret: staleSecret })).toThrow(WebhookVerificationError);
    });

    it('the SDK helper verifies the same delivery and rejects the same forgeries', () => {
      expect(verifyWebhook(delivered.body, delivered.headers, { secret })).toMatchObject({ type: 'payment.completed', appId: 'app-sign' });
      expect(() => verifyWebhook(delivered.body.replace('"amount":500000', '"amount":1'), delivered.headers, { secret })).toThrow('No matching webhook signature');
      expect(() => verifyWebhook(delivered.body, delivered.headers, { secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` })).toThrow(WebhookVerificationError);
      expect(() => verifyWebhook(delivered.body, { ...delivered.headers, 'webhook-signature': undefined }, { secret })).toThrow(/Missing/);
    });
  });

  it('retries a receiver that is down for 3 attempts (5 s, 30 s later) and delivers exactly once when it is back', async () => {
    const r = await receiver();
    let down = true;
    r.reply = () => (down ? { status: 503, body: 'maintenance' } : { status: 204 });
    await createEndpoint('app-retry', { url: r.url() });
    const record = await publishEvent(t, 'app-retry');
    expect(r.received).toHaveLength(1);

    clock.advance(4 * SECOND);
    await attemptDue();
    expect(r.received).toHaveLength(1); // not due yet
    clock.advance(1 * SECOND);
    await attemptDue();
    expect(r.received).toHaveLength(2);
    clock.advance(30 * SECOND);
    await attemptDue();
    expect(r.received).toHaveLength(3);

    down = false;
    clock.advance(2 * MINUTE);
    await attemptDue();
    expect(r.received).toHaveLength(4);
    // Nothing more, however long we wait.
    for (const step of [10 * MINUTE, 3 * 3_600_000]) {
      clock.advance(step);
      await attemptDue();
    }
    expect(r.received).toHaveLength(4);
    expect(new Set(r.received.map((w) => w.headers['webhook-id']))).toEqual(new Set([record.event.event.eventId]));

    const view = await eventView(record.event.event.eventId);
    expect(view.status).toBe(200);
    const [delivery] = view.body.deliveries;
    expect(delivery).toMatchObject({ status: 'delivered', scheduledAttempts: 4, nextAttemptAt: null });
    expect(delivery.attempts.map((a: { outcome: string; responseStatus: number }) => [a.outcome, a.responseStatus])).toEqual([
      ['failed', 503], ['failed', 503], ['failed', 503], ['succeeded', 204],
    ]);
    expect(delivery.attempts[0]).toMatchObject({ trigger: 'scheduled', url: r.url(), responseExcerpt: 'maintenance', error: 'HTTP 503', latencyMs: expect.any(Number) });
  });

  it('does not follow a redirect: a 3xx is a failed attempt, retried on the schedule', async () => {
    const [r, elsewhere] = [await receiver(), await receiver()];
    r.reply = () => ({ status: 301, headers: { location: elsewhere.url('/stolen') } });
    await createEndpoint('app-redirect', { url: r.url() });
    const record = await publishEvent(t, 'app-redirect');
    const view = await eventView(record.event.event.eventId);
    expect(view.body.deliveries[0]).toMatchObject({ status: 'pending', scheduledAttempts: 1 });
    expect(view.body.deliveries[0].attempts[0]).toMatchObject({ outcome: 'failed', responseStatus: 301, error: 'HTTP 301: redirects are not followed' });
    expect(elsewhere.received).toHaveLength(0);
  });

  it('stops retrying when the app deletes or disables the endpoint', async () => {
    const [gone, paused] = [await receiver(), await receiver()];
    for (const r of [gone, paused]) r.reply = () => ({ status: 500 });
    const deleted = await createEndpoint('app-stop', { url: gone.url() });
    const disabled = await createEndpoint('app-stop', { url: paused.url() });
    const record = await publishEvent(t, 'app-stop');
    expect([gone.received.length, paused.received.length]).toEqual([1, 1]);
    await asApp('app-stop').patch(`/webhook-endpoints/${disabled.id}`, { status: 'disabled' }).expect(200);
    await http().delete(`/api/v1/webhook-endpoints/${deleted.id}?appId=app-stop`).set('X-API-Key', KEYS.ops).expect(204);
    clock.advance(5 * SECOND);
    await attemptDue();
    expect([gone.received.length, paused.received.length]).toEqual([1, 1]);
    const view = await eventView(record.event.event.eventId);
    const reasons = view.body.deliveries.map((d: { endpointId: string; status: string; failedReason: string }) => [d.endpointId, d.status, d.failedReason]);
    expect(reasons).toEqual(expect.arrayContaining([[deleted.id, 'failed', 'endpoint_deleted'], [disabled.id, 'failed', 'endpoint_disabled']]));

    // Asked for by name, a disabled endpoint still gets an event it never had a delivery of.
    paused.reply = () => ({ status: 200 });
    const newer = await publishEvent(t, 'app-stop');
    const replay = await asApp('app-stop').post(`/events/${newer.event.event.eventId}/redeliver`, { endpointId: disabled.id });
    expect(replay.body.deliveries).toEqual([expect.objectContaining({ endpointId: disabled.id, status: 'delivered' })]);
    expect(paused.received).toHaveLength(2);
  });

  it('rotating the secret signs with both secrets during the overlap, then only with the new one', async () => {
    resync();
    const r = await receiver();
    const { id, secret: oldSecret } = await createEndpoint('app-rotate', { url: r.url() });
    const rotated = await asApp('app-rotate').post(`/webhook-endpoints/${id}/rotate-secret`, { overlapHours: 1 });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.secret as string;
    expect(newSecret).not.toBe(oldSecret);
    expect(rotated.body.secrets).toEqual([
      { hint: expect.any(String), createdAt: expect.any(String), expiresAt: null },
      { hint: `whsec_…${oldSecret.slice(-4)}`, createdAt: expect.any(String), expiresAt: new Date(clock.now().getTime() + 3_600_000).toISOString() },
    ]);

    await publishEvent(t, 'app-rotate');
    const during = r.received[0] as ReceivedWebhook;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(during.body, headersOf(during))).toBeTruthy();
    expect(new Webhook(newSecret).verify(during.body, headersOf(during))).toBeTruthy();

    clock.advance(3_600_000 + SECOND);
    try {
      await publishEvent(t, 'app-rotate');
      const after = r.received[1] as ReceivedWebhook;
      expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(verifyWebhook(after.body, after.headers, { secret: newSecret, now: clock.now() })).not.toBeNull();
      expect(() => verifyWebhook(after.body, after.headers, { secret: oldSecret, now: clock.now() })).toThrow('No matching webhook signature');
    } finally {
      clock.advance(-(3_600_000 + SECOND));
    }
    // Defaults to 24 h; more than 7 days is refused.
    const defaulted = await asApp('app-rotate').post(`/webhook-endpoints/${id}/rotate-secret`);
    expect(defaulted.body.secrets[1].expiresAt).toBe(new Date(clock.now().getTime() + 24 * 3_600_000).toISOString());
    const tooLong = await asApp('app-rotate').post(`/webhook-endpoints/${id}/rotate-secret`, { overlapHours: 500 });
    expect(tooLong.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'overlapHours must be at most 168 (7 days)' });
  });

  it('sends each family to its own URL and falls back to the generic one', async () => {
    const r = await receiver();
    const { id } = await createEndpoint('app-family', { url: r.url('/all'), urls: { refunds: r.url('/refunds') } });
    await publishEvent(t, 'app-family', 'payment.completed');
    await publishEvent(t, 'app-family', 'payment.refunded');
    await publishEvent(t, 'app-family', 'disbursement.completed');
    expect(r.received.map((w) => [w.path, JSON.parse(w.body).type])).toEqual([
      ['/all', 'payment.completed'], ['/refunds', 'payment.refunded'], ['/all', 'disbursement.completed'],
    ]);
    await asApp('app-family').patch(`/webhook-endpoints/${id}`, { urls: { refunds: null, payouts: r.url('/payouts') } });
    await publishEvent(t, 'app-family', 'payment.refunded');
    await publishEvent(t, 'app-family', 'disbursement.failed');
    expect(r.received.slice(3).map((w) => w.path)).toEqual(['/all', '/payouts']);
  });

  it("keeps another app's events invisible (404), in reads, lists and redeliveries", async () => {
    const r = await receiver();
    await http().post('/api/v1/webhook-endpoints').set('X-API-Key', KEYS.events).send({ url: r.url() }).expect(201);
    const record = await publishEvent(t, 'events');
    const id = record.event.event.eventId;
    expect((await http().get(`/api/v1/events/${id}`).set('X-API-Key', KEYS.events)).status).toBe(200);
    const hidden = await http().get(`/api/v1/events/${id}`).set('X-API-Key', KEYS.kaba);
    expect(hidden.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: `Event ${id} not found` });
    expect((await http().post(`/api/v1/events/${id}/redeliver`).set('X-API-Key', KEYS.kaba).send({})).status).toBe(404);
    const kabaList = await http().get('/api/v1/events').set('X-API-Key', KEYS.kaba);
    expect(kabaList.body.items.map((e: { id: string }) => e.id)).not.toContain(id);
    const eventsList = await http().get('/api/v1/events').set('X-API-Key', KEYS.events);
    expect(eventsList.body.items.map((e: { id: string }) => e.id)).toContain(id);
    expect((await http().get(`/api/v1/events/${'x'.repeat(300)}`).set('X-API-Key', KEYS.events)).status).toBe(404);
  });

  it('redelivers an event now: to every endpoint, or to the one named', async () => {
    const [a, b] = [await receiver(), await receiver()];
    const first = await createEndpoint('app-replay', { url: a.url() });
    await createEndpoint('app-replay', { url: b.url() });
    const record = await publishEvent(t, 'app-replay');
    const id = record.event.event.eventId;
    expect([a.received.length, b.received.length]).toEqual([1, 1]);

    const all = await asApp('app-replay').post(`/events/${id}/redeliver`, {});
    expect(all.status).toBe(200);
    expect([a.received.length, b.received.length]).toEqual([2, 2]);
    expect(all.body.deliveries.map((d: { attempts: { trigger: string }[] }) => d.attempts.map((x) => x.trigger))).toEqual([
      ['scheduled', 'manual'], ['scheduled', 'manual'],
    ]);
    const one = await asApp('app-replay').post(`/events/${id}/redeliver`, { endpointId: first.id });
    expect(one.status).toBe(200);
    expect([a.received.length, b.received.length]).toEqual([3, 2]);
    expect(a.received[2]?.headers['webhook-id']).toBe(id);
    const unknown = await asApp('app-replay').post(`/events/${id}/redeliver`, { endpointId: 'nope' });
    expect(unknown.body).toEqual({ statusCode: 404, error: 'NOT_FOUND', message: 'Webhook endpoint nope not found' });
  });

  it('an endpoint added later gets an older event on redeliver', async () => {
    const record = await publishEvent(t, 'app-late');
    const r = await receiver();
    await createEndpoint('app-late', { url: r.url() });
    const res = await asApp('app-late').post(`/events/${record.event.event.eventId}/redeliver`, {});
    expect(res.body.deliveries).toHaveLength(1);
    expect(res.body.deliveries[0]).toMatchObject({ status: 'delivered' });
    expect(r.received).toHaveLength(1);
  });

  it('lists the app’s events newest first, by type, since a time, page by page', async () => {
    const ids: string[] = [];
    const types = ['payment.completed', 'payment.failed', 'payment.completed', 'payment.refunded', 'payment.completed'] as const;
    const start = clock.now();
    for (const type of types) {
      clock.advance(SECOND);
      ids.push((await publishEvent(t, 'app-list', type)).event.event.eventId);
    }
    const api = asApp('app-list');
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await api.get(`/events?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(res.body.items.map((e: { id: string }) => e.id));
      cursor = res.body.nextCursor;
    } while (cursor !== null && pages.length < 10);
    expect(pages.flat()).toEqual([...ids].reverse());
    expect(pages[0]).toHaveLength(2);

    const completed = await api.get('/events?type=payment.completed');
    expect(completed.body.items.map((e: { id: string }) => e.id)).toEqual([ids[4], ids[2], ids[0]]);
    expect(completed.body.items[0]).toMatchObject({ type: 'payment.completed', appId: 'app-list', payload: { eventId: ids[4], type: 'payment.completed' } });
    const since = await api.get(`/events?since=${new Date(start.getTime() + 3 * SECOND).toISOString()}`);
    expect(since.body.items.map((e: { id: string }) => e.id)).toEqual([ids[4], ids[3], ids[2]]);

    expect((await api.get('/events?type=payment.exploded')).body.message).toMatch(/^type must be one of/);
    expect((await api.get('/events?since=yesterday')).body.message).toBe('since must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z');
    expect((await api.get('/events?cursor=bogus')).body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'cursor is not valid: pass nextCursor from the previous page' });
    // Another app's cursor is refused.
    const first = await api.get('/events?limit=1');
    const foreign = await asApp('app-other').get(`/events?cursor=${first.body.nextCursor}`);
    expect(foreign.status).toBe(400);
  });

  it('two relays of the same event at once create one delivery per endpoint (and one first attempt each)', async () => {
    const [a, b] = [await receiver(), await receiver()];
    await createEndpoint('app-race', { url: a.url() });
    await createEndpoint('app-race', { url: b.url() });
    const record = await commitEvent(t, 'app-race');
    await Promise.all([t.deps.relay.relay(record), t.deps.relay.relay(record)]);
    // A later re-relay (the reconciler's sweep) changes nothing either.
    await t.deps.relay.relay(record);
    expect([a.received.length, b.received.length]).toEqual([1, 1]);
    const view = await eventView(record.event.event.eventId);
    expect(view.body.deliveries).toHaveLength(2);
    expect(view.body.deliveries.map((d: { attempts: unknown[] }) => d.attempts.length)).toEqual([1, 1]);
  });

  it('an app without endpoints gets no delivery; its event is still listed, and kept 30 days', async () => {
    const record = await publishEvent(t, 'app-quiet');
    const eventId = record.event.event.eventId;
    const view = await eventView(eventId);
    expect(view.body).toMatchObject({ id: eventId, deliveries: [] });
    // Listed through gsi2 by the relay's own markPublished update: no extra item, no new index.
    const { Item } = await t.table.db.send(new GetCommand({ TableName: t.table.tableName, Key: keys.outboxEvent(eventId) }));
    expect(Item).toMatchObject({ published: true, gsi2pk: 'EVENTS#app-quiet', gsi2sk: `${record.createdAt}#${eventId}` });
    expect(Item?.expiresAt).toBe(Math.floor(clock.now().getTime() / 1000) + 30 * 86_400);
    expect(Item?.gsi3pk).toBeUndefined();
  });

  it('a paid mock intent reaches the receiver through the real pipeline', async () => {
    resync();
    const r = await receiver();
    const { secret } = await createEndpoint('events', { url: r.url('/paid') });
    const created = await http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.events)
      .send({ amount: 1500, currency: 'XOF', country: 'BJ', metadata: { appId: 'events', referenceId: 'webhook-e2e' }, gatewayOverride: 'mock' });
    expect(created.status).toBe(201);
    const hook = await http().post('/webhooks/mock').send({ gatewayTransactionId: created.body.gatewayTransactionId, status: 'succeeded', amount: 1500, currency: 'XOF' });
    expect(hook.status).toBe(200);
    await (t.deps.dispatcher as unknown as { idle(): Promise<void> }).idle();
    const listed = await http().get('/api/v1/events?type=payment.completed&limit=1').set('X-API-Key', KEYS.events);
    expect(listed.body.items[0]?.payload?.intentId).toBe(created.body.id);
    const paid = r.received.find((w) => w.path === '/paid');
    expect(paid).toBeDefined();
    const event = new Webhook(secret).verify(paid?.body ?? '', headersOf(paid as ReceivedWebhook)) as { type: string; intentId: string };
    expect(event).toMatchObject({ type: 'payment.completed', intentId: created.body.id });
  });
});

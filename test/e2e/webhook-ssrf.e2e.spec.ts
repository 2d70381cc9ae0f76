import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import request from 'supertest';
import { loadConfig } from '../../src/config/load-config.js';
import { HttpWebhookSender, type AddressResolver } from '../../src/events/webhook-http-sender.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';
import { publishEvent } from '../support/webhook-events.js';
import { WebhookReceiver } from '../support/webhook-receiver.js';

// A resolver that answers from a table, and counts how often it was asked.
class TableResolver implements AddressResolver {
  readonly asked: string[] = [];
  constructor(private readonly table: Record<string, string[]>) {}
  resolve(hostname: string) {
    this.asked.push(hostname);
    const addresses = this.table[hostname];
    if (!addresses) return Promise.reject(new Error(`ENOTFOUND ${hostname}`));
    return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  }
}

const webhook = (url: string) => ({ url, headers: { 'content-type': 'application/json' }, body: '{"type":"payment.completed"}' });

// Outbound webhooks must not become a way into our network (ADR 0019, SSRF).
describe('webhook targets: SSRF, DNS rebinding, redirects (e2e)', () => {
  // DynamoDB Local on a shared machine: a few calls per step add up.
  jest.setTimeout(20_000);
  let receiver: WebhookReceiver;
  let redirected: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    redirected = await new WebhookReceiver().start();
  });
  afterAll(async () => {
    await receiver.stop();
    await redirected.stop();
  });

  describe('the sender with the production policy', () => {
    const production = loadConfig({
      NODE_ENV: 'production',
      TKH_API_KEY_HASH: 'a'.repeat(64),
      PUBLIC_BASE_URL: 'https://payments.example.com',
      PAYMENTS_TABLE_NAME: 't',
      PAYMENTS_TOPIC_ARN: 'arn:aws:sns:ca-central-1:123456789012:topic',
    }).webhooks;

    it('is https-only and refuses loopback (WEBHOOK_ALLOW_LOOPBACK is refused in production)', () => {
      expect(production).toEqual({ timeoutMs: 10_000, requireHttps: true, allowLoopback: false });
      expect(() =>
        loadConfig({ NODE_ENV: 'production', TKH_API_KEY_HASH: 'a'.repeat(64), PUBLIC_BASE_URL: 'https://p.example.com', PAYMENTS_TABLE_NAME: 't', PAYMENTS_TOPIC_ARN: 'arn:aws:sns:ca-central-1:123456789012:topic', WEBHOOK_ALLOW_LOOPBACK: 'true' }),
      ).toThrow('WEBHOOK_ALLOW_LOOPBACK=true is refused when NODE_ENV=production');
    });

    it('refuses a DNS name that resolves to 127.0.0.1, and sends nothing', async () => {
      const resolver = new TableResolver({ 'hooks.example.com': ['127.0.0.1'] });
      const sender = new HttpWebhookSender(production, 2_000, resolver);
      const result = await sender.send(webhook(`https://hooks.example.com:${receiver.port}/hooks`));
      expect(result).toMatchObject({ kind: 'refused', reason: 'hooks.example.com resolves to a loopback address (127.0.0.1)' });
      expect(resolver.asked).toEqual(['hooks.example.com']);
      expect(receiver.received).toHaveLength(0);
    });

    it.each([
      ['10.0.0.8'], ['172.16.4.4'], ['192.168.0.1'], ['100.64.1.1'], ['169.254.169.254'], ['169.254.10.10'], ['0.0.0.0'],
      ['fd00:ec2::254'], ['fc00::1'], ['fe80::1'], ['::1'], ['::'], ['::ffff:10.0.0.1'], ['::ffff:127.0.0.1'],
    ])('refuses a name resolving to %s', async (address) => {
      const sender = new HttpWebhookSender(production, 2_000, new TableResolver({ 'hooks.example.com': [address] }));
      expect(await sender.send(webhook('https://hooks.example.com/x'))).toMatchObject({ kind: 'refused', reason: expect.stringContaining('hooks.example.com resolves to') });
    });

    it('refuses a name with any private answer among public ones', async () => {
      const sender = new HttpWebhookSender(production, 2_000, new TableResolver({ 'mixed.example.com': ['93.184.216.34', '10.0.0.1'] }));
      expect(await sender.send(webhook('https://mixed.example.com/x'))).toMatchObject({ kind: 'refused', reason: expect.stringContaining('10.0.0.1') });
    });

    it.each([
      ['http://hooks.example.com/x', 'url must be an https URL'],
      ['https://127.0.0.1/x', 'url must not point at a loopback address'],
      ['https://localhost/x', 'url must not point at localhost'],
      ['https://[::1]/x', 'url must not point at a loopback address'],
      ['https://169.254.169.254/latest', 'url must not point at a private, link-local, metadata or reserved address'],
    ])('refuses %s before any DNS lookup', async (url, reason) => {
      const resolver = new TableResolver({});
      const result = await new HttpWebhookSender(production, 2_000, resolver).send(webhook(url));
      expect(result).toMatchObject({ kind: 'refused', reason });
      expect(resolver.asked).toEqual([]);
    });
  });

  describe('the sender with loopback allowed (test receivers)', () => {
    const policy = { requireHttps: false, allowLoopback: true };

    it('connects to the address it checked, resolving once (a rebinding second answer is never asked for)', async () => {
      let answers = 0;
      const rebinding: AddressResolver = {
        resolve: () => Promise.resolve(answers++ === 0 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '10.0.0.1', family: 4 }]),
      };
      const before = receiver.received.length;
      const result = await new HttpWebhookSender(policy, 2_000, rebinding).send(webhook(`http://rebind.example.com:${receiver.port}/hooks`));
      expect(result).toMatchObject({ kind: 'answered', status: 200 });
      expect(answers).toBe(1);
      expect(receiver.received.slice(before)).toHaveLength(1);
      expect(receiver.received.at(-1)?.headers.host).toBe(`rebind.example.com:${receiver.port}`);
    });

    it('does not follow a redirect: a 3xx is a failed attempt and its target gets nothing', async () => {
      receiver.reply = () => ({ status: 302, headers: { location: redirected.url('/elsewhere') } });
      try {
        const result = await new HttpWebhookSender(policy, 2_000).send(webhook(receiver.url()));
        expect(result).toMatchObject({ kind: 'answered', status: 302 });
        expect(redirected.received).toHaveLength(0);
      } finally {
        receiver.reply = () => ({ status: 200, body: 'ok' });
      }
    });

    it('keeps at most 256 characters of an answer, and gives up on one that never comes', async () => {
      receiver.reply = () => ({ status: 500, body: 'e'.repeat(100_000) });
      const big = await new HttpWebhookSender(policy, 2_000).send(webhook(receiver.url()));
      expect(big).toMatchObject({ kind: 'answered', status: 500 });
      expect(big.kind === 'answered' && big.excerpt.length).toBe(256);
      receiver.reply = () => 'hang';
      const hung = await new HttpWebhookSender(policy, 300).send(webhook(receiver.url()));
      expect(hung).toMatchObject({ kind: 'failed', reason: 'no answer within 300 ms' });
      // A 2xx whose body never ends is still a 2xx (with what came of the body).
      receiver.reply = () => ({ status: 202, drip: 'accepted…' });
      const dripping = await new HttpWebhookSender(policy, 300).send(webhook(receiver.url()));
      expect(dripping).toMatchObject({ kind: 'answered', status: 202, excerpt: 'accepted…' });
      receiver.reply = () => ({ status: 200, body: 'ok' });
    });

    it('gives up on a DNS lookup that never answers within the attempt timeout', async () => {
      const silent: AddressResolver = { resolve: () => new Promise(() => undefined) };
      const result = await new HttpWebhookSender(policy, 200, silent).send(webhook('http://slow-dns.example.com/x'));
      expect(result).toMatchObject({ kind: 'refused', reason: 'DNS lookup of slow-dns.example.com failed: DNS lookup of slow-dns.example.com timed out' });
    });

    it('caps the per-attempt timeout at 10 s whatever it is given', () => {
      expect((new HttpWebhookSender(policy, 60_000) as unknown as { timeoutMs: number }).timeoutMs).toBe(10_000);
    });
  });

  describe('the app outside development (NODE_ENV=test, loopback not allowed)', () => {
    let t: TestApp;
    const resolver = new TableResolver({ 'hooks.example.com': ['127.0.0.1'] });

    beforeAll(async () => {
      t = await startTestApp({}, { webhookResolver: resolver });
    });
    afterAll(async () => {
      await t.close();
    });

    it('refuses loopback at registration, and a DNS name resolving to 127.0.0.1 at delivery', async () => {
      const http = () => request(t.app.getHttpServer());
      const literal = await http().post('/api/v1/webhook-endpoints').set('X-API-Key', KEYS.events).send({ url: receiver.url() });
      expect(literal.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'url must not point at a loopback address' });

      const byName = await http().post('/api/v1/webhook-endpoints').set('X-API-Key', KEYS.events).send({ url: `http://hooks.example.com:${receiver.port}/hooks` });
      expect(byName.status).toBe(201);
      const before = receiver.received.length;
      const record = await publishEvent(t, 'events');
      expect(receiver.received.length).toBe(before);
      const view = await http().get(`/api/v1/events/${record.event.event.eventId}`).set('X-API-Key', KEYS.events);
      expect(view.body.deliveries[0]).toMatchObject({ status: 'pending', scheduledAttempts: 1 });
      expect(view.body.deliveries[0].attempts[0]).toMatchObject({
        outcome: 'failed',
        responseStatus: null,
        error: 'refused: hooks.example.com resolves to a loopback address (127.0.0.1)',
      });
    });
  });
});

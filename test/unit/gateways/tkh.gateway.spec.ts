import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GatewayError } from '../../../src/gateways/gateway.js';
import { TKH_CHECKOUT_STATUS, TkhGateway } from '../../../src/gateways/tkh/tkh.gateway.js';
import { closedPortUrl, FakeGatewayServer } from '../../support/fake-gateway-server.js';
import { runGatewayContract } from '../../support/gateway-contract.js';
import { ManualClock } from '../../support/manual-clock.js';

const NOW = new Date('2026-03-08T12:00:00Z');
const SECRET = 'whsec-tkh';
const clock = new ManualClock(NOW);
const ts = String(NOW.getTime() / 1000);
const signed = (body: object, secret = SECRET) => {
  const rawBody = Buffer.from(JSON.stringify(body));
  const signature = createHmac('sha256', secret).update(`${ts}.${rawBody.toString()}`).digest('hex');
  return { rawBody, headers: { 'x-tkh-timestamp': ts, 'x-tkh-signature': signature } };
};
const settings = (baseUrl: string | null) => ({ baseUrl, apiKey: 'tkh_sk_test', webhookSecret: SECRET });
const input = {
  intentId: '550e8400-e29b-41d4-a716-446655440000',
  amount: 2500,
  currency: 'CAD' as const,
  country: 'CA',
  metadata: { appId: 'school', referenceId: 'fees-1' },
  returnUrl: 'https://school.example/return',
  useWidget: false,
};
const STATUS_CASES = [
  ['open', 'pending'],
  ['processing', 'processing'],
  ['paid', 'succeeded'],
  ['failed', 'failed'],
  ['cancelled', 'cancelled'],
  ['expired', 'cancelled'],
] as const;

runGatewayContract('tkh', {
  setupFake: (fake) => {
    fake.on('POST /v1/checkouts', { status: 201, body: { id: 'chk_123', url: 'https://pay.tkhtech.com/checkout/chk_123' } });
    fake.on('GET /v1/checkouts/*', (req) => ({ status: 200, body: { id: req.path, status: req.path.split('status-case-')[1], amount: 2500, currency: 'CAD' } }));
  },
  configured: (baseUrl) => new TkhGateway(settings(baseUrl), clock),
  unconfigured: () => new TkhGateway({ baseUrl: null, apiKey: null, webhookSecret: SECRET }, clock),
  createInput: input,
  expectCreated: (created) =>
    expect(created).toEqual({ gatewayTransactionId: 'chk_123', paymentUrl: 'https://pay.tkhtech.com/checkout/chk_123', clientSecret: null, paymentMode: 'redirect' }),
  validWebhook: () => signed({ id: 'evt_1', type: 'payment.succeeded', data: { transactionId: 'chk_123', amount: 2500, currency: 'CAD' } }),
  wrongSecretWebhook: () => signed({ id: 'evt_1', type: 'payment.succeeded', data: { transactionId: 'chk_123' } }, 'not-the-secret'),
  unknownEventWebhook: () => signed({ id: 'evt_2', type: 'checkout.viewed', data: { transactionId: 'chk_123' } }),
  statusCases: STATUS_CASES,
});

describe('TKH adapter wire format', () => {
  const fake = new FakeGatewayServer();
  let gateway: TkhGateway;

  beforeAll(async () => {
    fake.on('POST /v1/checkouts', { status: 201, body: { id: 'chk_9', url: 'https://pay.tkhtech.com/checkout/chk_9' } });
    fake.on('GET /v1/checkouts/chk_weird', { status: 200, body: { status: 'teleported' } });
    gateway = new TkhGateway(settings(await fake.start()), clock);
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('sends a bearer-authenticated JSON checkout keyed by the intent id', async () => {
    await gateway.createPayment(input);
    const sent = fake.last();
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/checkouts');
    expect(sent.headers.authorization).toBe('Bearer tkh_sk_test');
    expect(sent.headers['idempotency-key']).toBe(input.intentId);
    expect(sent.body).toEqual({
      reference: input.intentId,
      amount: 2500,
      currency: 'CAD',
      returnUrl: 'https://school.example/return',
      metadata: { appId: 'school', referenceId: 'fees-1' },
    });
  });

  it('never maps an unknown checkout status to success', async () => {
    expect(await gateway.getStatus('chk_weird')).toEqual({ status: 'pending', gatewayStatus: 'teleported' });
  });

  it('classifies failures: refused connection may fall back, 401 is auth, 500 is retryable', async () => {
    const down = new TkhGateway(settings(await closedPortUrl()), clock);
    await expect(down.createPayment(input)).rejects.toMatchObject({ kind: 'unavailable', retryable: true, createdNothing: true });

    const failing = new FakeGatewayServer().on('POST /v1/checkouts', { status: 401, body: { error: 'bad key sk_live_leak' } });
    const failingGateway = new TkhGateway(settings(await failing.start()), clock);
    const error = await failingGateway.createPayment(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ kind: 'auth', retryable: false });
    expect((error as Error).message).not.toContain('sk_live_leak');
    failing.on('POST /v1/checkouts', { status: 500 });
    await expect(failingGateway.createPayment(input)).rejects.toMatchObject({ kind: 'unavailable', retryable: true });
    await failing.stop();
  });

  it('refunds are manual (pending) without calling TKH', async () => {
    const before = fake.requests.length;
    expect(await gateway.refund()).toEqual({ status: 'pending', gatewayRefundId: null });
    expect(fake.requests.length).toBe(before);
  });

  it('the contract cases cover every status in the mapping table', () => {
    expect(STATUS_CASES.map(([word]) => word).sort()).toEqual(Object.keys(TKH_CHECKOUT_STATUS).sort());
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { GatewayError, WebhookAuthError, type CreatePaymentInput } from '../../../src/gateways/gateway.js';
import { classifyStripeError } from '../../../src/gateways/stripe/stripe-errors.js';
import { STRIPE_PAYMENT_INTENT_STATUS, STRIPE_REFUND_STATUS } from '../../../src/gateways/stripe/stripe-status.js';
import { StripeGateway, stripeIdempotencyKey, type StripeSettings } from '../../../src/gateways/stripe/stripe.gateway.js';
import { closedPortUrl, FakeGatewayServer, type RecordedRequest } from '../../support/fake-gateway-server.js';
import { runGatewayContract } from '../../support/gateway-contract.js';
import { ManualClock } from '../../support/manual-clock.js';

const NOW = new Date('2026-03-08T12:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const clock = new ManualClock(NOW);
const SECRET_KEY = 'sk_test_51Fake';
const WEBHOOK_SECRET = 'whsec_test_fake';
const settings = (apiBaseUrl: string | null): StripeSettings => ({ secretKey: SECRET_KEY, webhookSecret: WEBHOOK_SECRET, apiBaseUrl });

const input: CreatePaymentInput = {
  intentId: '550e8400-e29b-41d4-a716-446655440000',
  amount: 500000,
  currency: 'XOF',
  country: 'SN',
  metadata: { appId: 'kaba', referenceId: 'order-1' },
  returnUrl: null,
  useWidget: false,
};

// The documented PaymentIntent object (POST/GET /v1/payment_intents), trimmed of nulls we never read.
const paymentIntent = (overrides: Record<string, unknown> = {}) => ({
  id: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
  object: 'payment_intent',
  amount: 500000,
  amount_capturable: 0,
  amount_received: 0,
  automatic_payment_methods: { enabled: true, allow_redirects: 'always' },
  canceled_at: null,
  capture_method: 'automatic_async',
  client_secret: 'pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_YrKJUKribcBjcG8HVhfZluoGH',
  confirmation_method: 'automatic',
  created: 1680800504,
  currency: 'xof',
  last_payment_error: null,
  latest_charge: null,
  livemode: false,
  metadata: { intentId: input.intentId, appId: 'kaba', referenceId: 'order-1' },
  payment_method: null,
  payment_method_types: ['card'],
  status: 'requires_payment_method',
  ...overrides,
});

// The documented Refund object (POST /v1/refunds).
const refundObject = (overrides: Record<string, unknown> = {}) => ({
  id: 're_1Nispe2eZvKYlo2Cd31jOCgZ',
  object: 'refund',
  amount: 1000,
  balance_transaction: 'txn_1Nispe2eZvKYlo2CYezqFhEx',
  charge: 'ch_1NirD82eZvKYlo2CIvbtLWuY',
  created: 1692942318,
  currency: 'usd',
  metadata: {},
  payment_intent: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
  reason: 'requested_by_customer',
  status: 'succeeded',
  ...overrides,
});

// Stripe's error envelope; `message` is deliberately something that must never leak.
const stripeError = (status: number, error: Record<string, unknown>) => ({
  status,
  body: { error: { message: 'LEAK: raw Stripe text for card 4242', ...error } },
});

const event = (type: string, object: Record<string, unknown>, id = 'evt_1NG8Du2eZvKYlo2CUI79vXWy') =>
  ({ id, object: 'event', api_version: '2025-01-27.acacia', created: NOW_SECONDS, livemode: false, type, data: { object } });

const signed = (body: object, options: { secret?: string; timestamp?: number } = {}) => {
  const payload = JSON.stringify(body);
  const header = Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? WEBHOOK_SECRET,
    timestamp: options.timestamp ?? NOW_SECONDS,
  });
  return { rawBody: Buffer.from(payload), headers: { 'stripe-signature': header } };
};

const STATUS_CASES = [
  ['requires_payment_method', 'pending'],
  ['requires_confirmation', 'pending'],
  ['requires_action', 'pending'],
  ['processing', 'processing'],
  ['requires_capture', 'processing'],
  ['succeeded', 'succeeded'],
  ['canceled', 'cancelled'],
] as const;

const REFUND_CASES = [
  ['succeeded', 'succeeded'],
  ['pending', 'pending'],
  ['requires_action', 'pending'],
  ['failed', 'failed'],
  ['canceled', 'failed'],
] as const;

const caseFrom = (request: RecordedRequest, prefix: string): string => request.path.split(prefix)[1] ?? '';

runGatewayContract('stripe', {
  setupFake: (fake) => {
    fake.on('POST /v1/payment_intents', { status: 200, body: paymentIntent() });
    fake.on('GET /v1/payment_intents/*', (req) => ({
      status: 200,
      body: paymentIntent({ id: req.path.split('/').at(-1), status: caseFrom(req, 'status-case-') }),
    }));
  },
  configured: (baseUrl) => new StripeGateway(settings(baseUrl), clock),
  unconfigured: () => new StripeGateway({ secretKey: null, webhookSecret: null, apiBaseUrl: null }, clock),
  createInput: input,
  expectCreated: (created) =>
    expect(created).toEqual({
      gatewayTransactionId: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
      clientSecret: 'pi_3MtwBwLkdIwHu7ix28a3tqPa_secret_YrKJUKribcBjcG8HVhfZluoGH',
      paymentUrl: null,
      paymentMode: 'client_secret',
    }),
  validWebhook: () => signed(event('payment_intent.succeeded', paymentIntent({ status: 'succeeded', amount_received: 500000 }))),
  wrongSecretWebhook: () => signed(event('payment_intent.succeeded', paymentIntent({ status: 'succeeded' })), { secret: 'whsec_someone_else' }),
  unknownEventWebhook: () => signed(event('customer.created', { id: 'cus_NffrFeUfNV2Hib', object: 'customer' })),
  statusCases: STATUS_CASES,
});

describe('Stripe adapter through the real SDK', () => {
  const fake = new FakeGatewayServer();
  let gateway: StripeGateway;

  beforeAll(async () => {
    fake.on('POST /v1/payment_intents', { status: 200, body: paymentIntent() });
    fake.on('GET /v1/payment_intents/pi_paid', {
      status: 200,
      body: paymentIntent({ id: 'pi_paid', status: 'succeeded', amount_received: 500000, latest_charge: 'ch_1' }),
    });
    fake.on('GET /v1/payment_intents/pi_future', { status: 200, body: paymentIntent({ id: 'pi_future', status: 'teleported' }) });
    fake.on('GET /v1/payment_intents/pi_declined', {
      status: 200,
      body: paymentIntent({ id: 'pi_declined', last_payment_error: { type: 'card_error', code: 'card_declined', message: 'LEAK' } }),
    });
    fake.on('POST /v1/refunds', (req) => ({
      status: 200,
      body: refundObject({ status: String(req.headers['idempotency-key']).split('refund-case-')[1] ?? 'succeeded' }),
    }));
    gateway = new StripeGateway(settings(await fake.start()), clock);
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('creates a PaymentIntent: form-encoded, bearer key, idempotency key from the intent id', async () => {
    await gateway.createPayment(input);
    const sent = fake.last();
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/v1/payment_intents');
    expect(sent.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(sent.headers['idempotency-key']).toBe(stripeIdempotencyKey(input.intentId));
    expect(sent.headers['idempotency-key']).toContain(input.intentId);
    expect(sent.headers['stripe-version']).toEqual(expect.any(String));
    expect(sent.rawBody).toBe(
      'amount=500000&currency=xof&automatic_payment_methods[enabled]=true' +
        `&metadata[intentId]=${input.intentId}&metadata[appId]=kaba&metadata[referenceId]=order-1`,
    );
  });

  it('sends amounts in minor units and currencies in lower case (USD cents)', async () => {
    await gateway.createPayment({ ...input, amount: 1050, currency: 'USD' });
    expect(fake.last().body).toMatchObject({ amount: '1050', currency: 'usd' });
  });

  it('the same intent always gets the same idempotency key', async () => {
    await gateway.createPayment(input);
    await gateway.createPayment(input);
    const [first, second] = fake.requests.slice(-2);
    expect(first?.headers['idempotency-key']).toBe(second?.headers['idempotency-key']);
  });

  it('getStatus: a succeeded PaymentIntent reports amount_received and the upper-case currency', async () => {
    expect(await gateway.getStatus('pi_paid')).toEqual({ status: 'succeeded', gatewayStatus: 'succeeded', amount: 500000, currency: 'XOF' });
    expect(fake.last()).toMatchObject({ method: 'GET', path: '/v1/payment_intents/pi_paid' });
    expect(fake.last().headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
  });

  it('getStatus: a status Stripe adds later is never success; a decline code becomes failureReason', async () => {
    expect(await gateway.getStatus('pi_future')).toMatchObject({ status: 'pending', gatewayStatus: 'teleported' });
    expect(await gateway.getStatus('pi_declined')).toMatchObject({ status: 'pending', failureReason: 'card_declined' });
  });

  it('refunds against the PaymentIntent with the refund id as idempotency key', async () => {
    const result = await gateway.refund({
      refundId: 'refund-1',
      intentId: input.intentId,
      gatewayTransactionId: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
      amount: 1000,
      currency: 'USD',
      reason: null,
    });
    expect(result).toEqual({ status: 'succeeded', gatewayRefundId: 're_1Nispe2eZvKYlo2Cd31jOCgZ' });
    const sent = fake.last();
    expect(sent.path).toBe('/v1/refunds');
    expect(sent.headers['idempotency-key']).toBe('refund-1');
    expect(sent.rawBody).toBe('payment_intent=pi_3MtwBwLkdIwHu7ix28a3tqPa&amount=1000&reason=requested_by_customer');
  });

  it('maps every refund status', async () => {
    for (const [stripeStatus, ours] of REFUND_CASES) {
      const result = await gateway.refund({
        refundId: `refund-case-${stripeStatus}`,
        intentId: input.intentId,
        gatewayTransactionId: 'pi_1',
        amount: 1,
        currency: 'USD',
        reason: null,
      });
      expect([stripeStatus, result.status]).toEqual([stripeStatus, ours]);
    }
    expect(REFUND_CASES.map(([word]) => word).sort()).toEqual(Object.keys(STRIPE_REFUND_STATUS).sort());
  });

  it('the contract cases cover every PaymentIntent status in the mapping table', () => {
    expect(STATUS_CASES.map(([word]) => word).sort()).toEqual(Object.keys(STRIPE_PAYMENT_INTENT_STATUS).sort());
  });

  it('without credentials it is not configured and calls nothing', async () => {
    expect(new StripeGateway({ ...settings(fake.baseUrl), webhookSecret: null }, clock).isConfigured()).toBe(false);
    expect(new StripeGateway({ ...settings(fake.baseUrl), secretKey: null }, clock).isConfigured()).toBe(false);
    const before = fake.requests.length;
    const unconfigured = new StripeGateway({ ...settings(fake.baseUrl), secretKey: null }, clock);
    await expect(unconfigured.createPayment(input)).rejects.toMatchObject({ kind: 'auth', retryable: false });
    expect(fake.requests.length).toBe(before);
  });
});

describe('Stripe error classification', () => {
  const fake = new FakeGatewayServer();
  let gateway: StripeGateway;
  const failWith = (response: { status: number; body: unknown }) => fake.on('POST /v1/payment_intents', response);
  const createError = async (): Promise<GatewayError> => {
    const error = await gateway.createPayment(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as Error).message).not.toContain('LEAK');
    expect((error as Error).message).not.toContain('4242');
    return error as GatewayError;
  };

  beforeAll(async () => {
    gateway = new StripeGateway(settings(await fake.start()), clock);
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('500 api_error: unavailable, retryable, outcome unknown (Stripe may have created it: never a fallback)', async () => {
    failWith(stripeError(500, { type: 'api_error' }));
    expect(await createError()).toMatchObject({ gateway: 'stripe', kind: 'unavailable', retryable: true, createdNothing: false });
  });

  it('401: auth, not retryable', async () => {
    failWith(stripeError(401, { type: 'invalid_request_error' }));
    expect(await createError()).toMatchObject({ kind: 'auth', retryable: false });
  });

  it('402 card_error: declined, not retryable; the code is kept, the text is not', async () => {
    failWith(stripeError(402, { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds' }));
    const error = await createError();
    expect(error).toMatchObject({ kind: 'declined', retryable: false });
    expect(error.message).toContain('card_declined');
  });

  it('400 invalid_request_error: invalid_request, not retryable', async () => {
    failWith(stripeError(400, { type: 'invalid_request_error', code: 'parameter_invalid_integer', param: 'amount' }));
    expect(await createError()).toMatchObject({ kind: 'invalid_request', retryable: false });
  });

  it('400 idempotency_error (same key, other parameters): invalid_request', async () => {
    failWith(stripeError(400, { type: 'idempotency_error' }));
    expect(await createError()).toMatchObject({ kind: 'invalid_request', retryable: false });
  });

  it('429 rate limit: unavailable, retryable', async () => {
    failWith(stripeError(429, { type: 'invalid_request_error', code: 'rate_limit' }));
    expect(await createError()).toMatchObject({ kind: 'unavailable', retryable: true, createdNothing: true });
  });

  it('a 404 on retrieve is an invalid request, without Stripe text', async () => {
    fake.on('GET /v1/payment_intents/pi_missing', stripeError(404, { type: 'invalid_request_error', code: 'resource_missing' }));
    const error = await gateway.getStatus('pi_missing').catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid_request', retryable: false });
    expect((error as Error).message).not.toContain('LEAK');
  });

  it('connection refused: unavailable, retryable, created nothing', async () => {
    const down = new StripeGateway(settings(await closedPortUrl()), clock);
    await expect(down.createPayment(input)).rejects.toMatchObject({ kind: 'unavailable', retryable: true, createdNothing: true });
  });

  it('a timeout or a reset may have acted: unknown for every call, the create included', () => {
    const timedOut = new Stripe.errors.StripeConnectionError({
      message: 'Request aborted due to timeout',
      detail: Object.assign(new Error('x'), { code: 'ETIMEDOUT' }),
    });
    expect(classifyStripeError(timedOut, { what: 'create payment intent' })).toMatchObject({
      kind: 'timeout',
      retryable: true,
      createdNothing: false,
    });
    expect(classifyStripeError(timedOut, { what: 'create refund' })).toMatchObject({
      kind: 'timeout',
      createdNothing: false,
    });
    const reset = new Stripe.errors.StripeConnectionError({ message: 'x', detail: Object.assign(new Error('x'), { code: 'ECONNRESET' }) });
    expect(classifyStripeError(reset, { what: 'create payment intent' })).toMatchObject({
      kind: 'unavailable',
      createdNothing: false,
    });
  });

  it('a refused connection after the SDK re-sent a reset request is no certain refusal: the first send may have been executed', () => {
    const refusedResend = new Stripe.errors.StripeConnectionError({
      message: 'An error occurred with our connection to Stripe. Request was retried 1 times.',
      detail: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyStripeError(refusedResend, { what: 'create refund' })).toMatchObject({ kind: 'unavailable', createdNothing: false });
    const refused = new Stripe.errors.StripeConnectionError({ message: 'An error occurred with our connection to Stripe.', detail: Object.assign(new Error('x'), { code: 'ECONNREFUSED' }) });
    expect(classifyStripeError(refused, { what: 'create refund' })).toMatchObject({ kind: 'unavailable', createdNothing: true });
  });

  it('an error that is not Stripe\'s (a bug) passes through unchanged', () => {
    const bug = new TypeError('boom');
    expect(classifyStripeError(bug, { what: 'x' })).toBe(bug);
  });
});

describe('Stripe webhooks', () => {
  const gateway = new StripeGateway(settings(null), clock);
  const succeeded = event('payment_intent.succeeded', paymentIntent({ status: 'succeeded', amount_received: 500000 }));

  it('accepts a signature made within ±300 s of our clock (both edges)', () => {
    for (const offset of [-300, 0, 300]) {
      const { rawBody, headers } = signed(succeeded, { timestamp: NOW_SECONDS + offset });
      expect(() => gateway.verifyWebhook(rawBody, headers)).not.toThrow();
    }
  });

  it('rejects a timestamp 301 s in the past and 301 s in the future', () => {
    for (const offset of [-301, 301]) {
      const { rawBody, headers } = signed(succeeded, { timestamp: NOW_SECONDS + offset });
      expect(() => gateway.verifyWebhook(rawBody, headers)).toThrow(WebhookAuthError);
    }
  });

  it('uses the injected clock, not the machine clock', () => {
    const { rawBody, headers } = signed(succeeded, { timestamp: NOW_SECONDS });
    const later = new StripeGateway(settings(null), new ManualClock(new Date(NOW.getTime() + 301_000)));
    expect(() => later.verifyWebhook(rawBody, headers)).toThrow(WebhookAuthError);
    const earlier = new StripeGateway(settings(null), new ManualClock(new Date(NOW.getTime() - 301_000)));
    expect(() => earlier.verifyWebhook(rawBody, headers)).toThrow(WebhookAuthError);
  });

  it('rejects a tampered body, a wrong secret, a missing header and an ambiguous timestamp', () => {
    const { rawBody, headers } = signed(succeeded);
    const tampered = Buffer.from(rawBody.toString().replace('500000', '500001'));
    expect(() => gateway.verifyWebhook(tampered, headers)).toThrow(WebhookAuthError);
    const wrong = signed(succeeded, { secret: 'whsec_other' });
    expect(() => gateway.verifyWebhook(wrong.rawBody, wrong.headers)).toThrow(WebhookAuthError);
    expect(() => gateway.verifyWebhook(rawBody, {})).toThrow(WebhookAuthError);
    const doubled = { 'stripe-signature': `t=${NOW_SECONDS - 1000},${headers['stripe-signature']}` };
    expect(() => gateway.verifyWebhook(rawBody, doubled)).toThrow(WebhookAuthError);
  });

  it('accepts any matching v1 among several (secret rotation)', () => {
    const { rawBody, headers } = signed(succeeded);
    const rotated = { 'stripe-signature': headers['stripe-signature'].replace(',v1=', `,v1=${'0'.repeat(64)},v1=`) };
    expect(() => gateway.verifyWebhook(rawBody, rotated)).not.toThrow();
  });

  it('without a webhook secret every webhook is refused', () => {
    const { rawBody, headers } = signed(succeeded);
    const noSecret = new StripeGateway({ ...settings(null), webhookSecret: null }, clock);
    expect(() => noSecret.verifyWebhook(rawBody, headers)).toThrow(WebhookAuthError);
  });

  it('payment_intent.succeeded: amount_received, currency upper-cased, the event id for dedup', () => {
    expect(gateway.parseWebhook(signed(succeeded).rawBody)).toEqual([
      {
        eventId: 'evt_1NG8Du2eZvKYlo2CUI79vXWy',
        gatewayTransactionId: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
        status: 'succeeded',
        amount: 500000,
        currency: 'XOF',
      },
    ]);
  });

  it('payment_intent.payment_failed keeps the intent open (the customer may retry); canceled ends it', () => {
    const failed = event(
      'payment_intent.payment_failed',
      paymentIntent({ last_payment_error: { type: 'card_error', code: 'card_declined', message: 'LEAK' } }),
      'evt_failed',
    );
    expect(gateway.parseWebhook(signed(failed).rawBody)).toEqual([
      { eventId: 'evt_failed', gatewayTransactionId: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', status: 'pending', failureReason: 'card_declined' },
    ]);
    const canceled = event('payment_intent.canceled', paymentIntent({ status: 'canceled' }), 'evt_canceled');
    expect(gateway.parseWebhook(signed(canceled).rawBody)).toEqual([
      { eventId: 'evt_canceled', gatewayTransactionId: 'pi_3MtwBwLkdIwHu7ix28a3tqPa', status: 'cancelled' },
    ]);
  });

  it('other event types and garbage give []', () => {
    expect(gateway.parseWebhook(signed(event('charge.refunded', { id: 'ch_1', object: 'charge' })).rawBody)).toEqual([]);
    expect(gateway.parseWebhook(Buffer.from('not json'))).toEqual([]);
  });
});

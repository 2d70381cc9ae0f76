import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DomainError } from '../../../src/domain/errors.js';
import { GatewayError, WebhookAuthError, type CreatePaymentInput } from '../../../src/gateways/gateway.js';
import { PAYSTACK_REFUND_STATUS, PAYSTACK_TRANSACTION_STATUS } from '../../../src/gateways/paystack/paystack-status.js';
import { PaystackGateway, type PaystackSettings } from '../../../src/gateways/paystack/paystack.gateway.js';
import { closedPortUrl, FakeGatewayServer, type RecordedRequest } from '../../support/fake-gateway-server.js';
import { runGatewayContract } from '../../support/gateway-contract.js';
import { ManualClock } from '../../support/manual-clock.js';

const clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
const SECRET_KEY = 'sk_test_paystack_fake';
const settings = (baseUrl: string): PaystackSettings => ({ secretKey: SECRET_KEY, baseUrl });

const input: CreatePaymentInput = {
  intentId: '550e8400-e29b-41d4-a716-446655440000',
  amount: 250000, // NGN 2,500.00 in kobo
  currency: 'NGN',
  country: 'NG',
  metadata: { appId: 'events', referenceId: 'ticket-42', customerEmail: 'ada@example.com' },
  returnUrl: 'https://events.example/paid',
  useWidget: false,
};

// Recorded from Paystack's API reference (PaystackOSS/doc-code-snippets, src/api/...).
const initializeResponse = (reference: string) => ({
  status: true,
  message: 'Authorization URL created',
  data: { authorization_url: 'https://checkout.paystack.com/3ni8kdavz62431k', access_code: '3ni8kdavz62431k', reference },
});

const verifyResponse = (status: string, reference = 're4lyvq3s3') => ({
  status: true,
  message: 'Verification successful',
  data: {
    id: 4099260516,
    domain: 'test',
    status,
    reference,
    receipt_number: null,
    amount: 40333,
    message: null,
    gateway_response: 'Successful',
    paid_at: '2024-08-22T09:15:02.000Z',
    created_at: '2024-08-22T09:14:24.000Z',
    channel: 'card',
    currency: 'NGN',
    fees: 10283,
    customer: { id: 181873746, email: 'demo@test.com', customer_code: 'CUS_1rkzaqsv4rrhqo6' },
    requested_amount: 30050,
  },
});

const refundResponse = (status: string) => ({
  status: true,
  message: 'Refund has been queued for processing',
  data: {
    transaction: { id: 1004723697, domain: 'live', reference: 'T685312322670591', amount: 10000, currency: 'NGN' },
    integration: 412829,
    deducted_amount: 0,
    channel: null,
    merchant_note: 'Refund for transaction T685312322670591 by test@me.com',
    customer_note: 'Refund for transaction T685312322670591',
    status,
    refunded_by: 'test@me.com',
    expected_at: '2021-12-16T09:21:17.016Z',
    currency: 'NGN',
    domain: 'live',
    amount: 10000,
    fully_deducted: false,
    id: 3018284,
    createdAt: '2021-12-07T09:21:17.122Z',
    updatedAt: '2021-12-07T09:21:17.122Z',
  },
});

// The documented charge.success webhook body (trimmed of log/authorization details).
const chargeSuccess = (data: Record<string, unknown> = {}) => ({
  event: 'charge.success',
  data: {
    id: 302961,
    domain: 'live',
    status: 'success',
    reference: 'qTPrJoy9Bx',
    amount: 10000,
    gateway_response: 'Approved by Financial Institution',
    paid_at: '2016-09-30T21:10:19.000Z',
    channel: 'card',
    currency: 'NGN',
    customer: { id: 68324, email: 'bojack@horseman.com', customer_code: 'CUS_qo38as2hpsgk2r0' },
    ...data,
  },
});

const signed = (body: object, secret = SECRET_KEY) => {
  const rawBody = Buffer.from(JSON.stringify(body));
  return { rawBody, headers: { 'x-paystack-signature': createHmac('sha512', secret).update(rawBody).digest('hex') } };
};

const STATUS_CASES = [
  ['success', 'succeeded'],
  ['failed', 'failed'],
  ['abandoned', 'pending'],
  ['reversed', 'failed'],
  ['ongoing', 'processing'],
  ['pending', 'processing'],
  ['processing', 'processing'],
  ['queued', 'processing'],
] as const;

const REFUND_CASES = [
  ['pending', 'pending'],
  ['processing', 'pending'],
  ['needs-attention', 'pending'],
  ['processed', 'succeeded'],
  ['failed', 'failed'],
] as const;

const lastSegment = (request: RecordedRequest): string => decodeURIComponent(request.path.split('/').at(-1) ?? '');

runGatewayContract('paystack', {
  setupFake: (fake) => {
    fake.on('POST /transaction/initialize', (req) => ({ status: 200, body: initializeResponse((req.body as { reference: string }).reference) }));
    fake.on('GET /transaction/verify/*', (req) => ({
      status: 200,
      body: verifyResponse(lastSegment(req).split('status-case-')[1] ?? '', lastSegment(req)),
    }));
  },
  configured: (baseUrl) => new PaystackGateway(settings(baseUrl), clock),
  unconfigured: () => new PaystackGateway({ secretKey: null, baseUrl: 'https://api.paystack.co' }, clock),
  createInput: input,
  expectCreated: (created) =>
    expect(created).toEqual({
      gatewayTransactionId: input.intentId,
      paymentUrl: 'https://checkout.paystack.com/3ni8kdavz62431k',
      clientSecret: null,
      paymentMode: 'redirect',
    }),
  validWebhook: () => signed(chargeSuccess()),
  wrongSecretWebhook: () => signed(chargeSuccess(), 'sk_test_someone_else'),
  unknownEventWebhook: () => signed({ event: 'subscription.create', data: { id: 1, subscription_code: 'SUB_vsyqdmlzble3uii' } }),
  statusCases: STATUS_CASES,
});

describe('Paystack adapter wire format', () => {
  const fake = new FakeGatewayServer();
  let gateway: PaystackGateway;

  beforeAll(async () => {
    fake.on('POST /transaction/initialize', (req) => ({ status: 200, body: initializeResponse((req.body as { reference: string }).reference) }));
    fake.on('GET /transaction/verify/re4lyvq3s3', { status: 200, body: verifyResponse('success') });
    fake.on('GET /transaction/verify/weird', { status: 200, body: verifyResponse('teleported') });
    fake.on('POST /refund', (req) => {
      const transaction = (req.body as { transaction: string }).transaction;
      return { status: 200, body: refundResponse(transaction.split('refund-case-')[1] ?? 'pending') };
    });
    // Trailing slash on the configured base URL is tolerated.
    gateway = new PaystackGateway(settings(`${await fake.start()}/`), clock);
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('initializes a transaction: bearer key, JSON, integer minor units, reference = intent id', async () => {
    await gateway.createPayment(input);
    const sent = fake.last();
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/transaction/initialize');
    expect(sent.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.rawBody)).toEqual({
      email: 'ada@example.com',
      amount: 250000,
      currency: 'NGN',
      reference: input.intentId,
      callback_url: 'https://events.example/paid',
      metadata: { intentId: input.intentId, appId: 'events', referenceId: 'ticket-42' },
    });
    expect(sent.rawBody).toContain('"amount":250000');
  });

  for (const [metadata, returnUrl, message] of [
    [{ appId: 'events', referenceId: 'ticket-42' }, 'https://events.example/paid', 'metadata.customerEmail is required for Paystack'],
    [input.metadata, null, 'returnUrl is required for Paystack'],
    [{ appId: 'events', referenceId: 'ticket-42' }, null, 'metadata.customerEmail and returnUrl are required for Paystack'],
  ] as const) {
    it(`refuses with a 400 before any request: ${message}`, async () => {
      const before = fake.requests.length;
      const error = await gateway.createPayment({ ...input, metadata, returnUrl }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'VALIDATION_ERROR', message });
      expect(fake.requests.length).toBe(before);
    });
  }

  it('verifies a transaction: the requested amount (the recorded sample: amount 40333 = requested 30050 + fees 10283) and currency', async () => {
    expect(await gateway.getStatus('re4lyvq3s3')).toEqual({ status: 'succeeded', gatewayStatus: 'success', amount: 30050, currency: 'NGN' });
    expect(fake.last()).toMatchObject({ method: 'GET', path: '/transaction/verify/re4lyvq3s3' });
    expect(fake.last().headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
  });

  describe('customers bearing the fees (amount = requested_amount + fee)', () => {
    const verifyWith = (data: Record<string, unknown>) => {
      const sample = verifyResponse('success', 'fees-1');
      fake.on('GET /transaction/verify/fees-1', { status: 200, body: { ...sample, data: { ...sample.data, ...data } } });
    };

    it('a fee-bearing payment reports the amount the intent asked for, so it succeeds without a mismatch', async () => {
      verifyWith({ amount: input.amount + 3_850, fees: 3_850, requested_amount: input.amount });
      expect(await gateway.getStatus('fees-1')).toMatchObject({ status: 'succeeded', amount: input.amount });
    });

    it('without requested_amount it falls back to amount (a fee on top then shows as a mismatch)', async () => {
      const sample = verifyResponse('success', 'fees-1');
      const data: Record<string, unknown> = { ...sample.data, amount: input.amount + 3_850 };
      delete data.requested_amount;
      fake.on('GET /transaction/verify/fees-1', { status: 200, body: { ...sample, data } });
      expect(await gateway.getStatus('fees-1')).toMatchObject({ status: 'succeeded', amount: input.amount + 3_850 });
      verifyWith({ amount: input.amount, requested_amount: null });
      expect(await gateway.getStatus('fees-1')).toMatchObject({ amount: input.amount });
    });

    it('a charge below requested_amount keeps amount, so an underpayment is never hidden', async () => {
      verifyWith({ amount: input.amount - 1, requested_amount: input.amount });
      expect(await gateway.getStatus('fees-1')).toMatchObject({ amount: input.amount - 1 });
    });
  });

  it('never maps an unknown transaction status to success', async () => {
    expect(await gateway.getStatus('weird')).toMatchObject({ status: 'pending', gatewayStatus: 'teleported' });
  });

  it('refunds by reference with the amount in minor units; the refund id comes back as a string', async () => {
    const result = await gateway.refund({
      refundId: 'r-1',
      intentId: input.intentId,
      gatewayTransactionId: input.intentId,
      amount: 10000,
      currency: 'NGN',
      reason: null,
    });
    expect(result).toEqual({ status: 'pending', gatewayRefundId: '3018284' });
    const sent = fake.last();
    expect(sent.path).toBe('/refund');
    expect(sent.headers.authorization).toBe(`Bearer ${SECRET_KEY}`);
    expect(JSON.parse(sent.rawBody)).toEqual({ transaction: input.intentId, amount: 10000, merchant_note: 'r-1' });
  });

  it('maps every refund status', async () => {
    for (const [paystackStatus, ours] of REFUND_CASES) {
      const result = await gateway.refund({
        refundId: 'r',
        intentId: 'i',
        gatewayTransactionId: `refund-case-${paystackStatus}`,
        amount: 1,
        currency: 'NGN',
        reason: null,
      });
      expect([paystackStatus, result.status]).toEqual([paystackStatus, ours]);
    }
    expect(REFUND_CASES.map(([word]) => word).sort()).toEqual(Object.keys(PAYSTACK_REFUND_STATUS).sort());
  });

  it('the contract cases cover every transaction status in the mapping table', () => {
    expect(STATUS_CASES.map(([word]) => word).sort()).toEqual(Object.keys(PAYSTACK_TRANSACTION_STATUS).sort());
  });
});

describe('Paystack error classification', () => {
  const fake = new FakeGatewayServer();
  let gateway: PaystackGateway;
  const failWith = (status: number, message: string) =>
    fake.on('POST /transaction/initialize', { status, body: { status: false, message: `LEAK ${message}` } });
  const createError = async (): Promise<GatewayError> => {
    const error = await gateway.createPayment(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as Error).message).not.toContain('LEAK');
    return error as GatewayError;
  };

  beforeAll(async () => {
    gateway = new PaystackGateway(settings(await fake.start()), clock);
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('500: unavailable, retryable', async () => {
    failWith(500, 'An error occurred');
    expect(await createError()).toMatchObject({ gateway: 'paystack', kind: 'unavailable', retryable: true, createdNothing: true });
  });

  it('401 invalid key: auth, not retryable', async () => {
    failWith(401, 'Invalid key');
    expect(await createError()).toMatchObject({ kind: 'auth', retryable: false });
  });

  it('400 (e.g. duplicate reference): invalid_request, not retryable', async () => {
    failWith(400, 'Duplicate Transaction Reference');
    expect(await createError()).toMatchObject({ kind: 'invalid_request', retryable: false });
  });

  it('200 with status:false or no authorization_url: unexpected, neither retried nor fallen back', async () => {
    fake.on('POST /transaction/initialize', { status: 200, body: { status: false, message: 'LEAK' } });
    expect(await createError()).toMatchObject({ kind: 'unavailable', retryable: false, createdNothing: false });
    fake.on('POST /transaction/initialize', { status: 200, body: { status: true, data: { reference: 'x' } } });
    expect(await createError()).toMatchObject({ kind: 'unavailable', retryable: false, createdNothing: false });
  });

  it('connection refused: unavailable, retryable, created nothing', async () => {
    const down = new PaystackGateway(settings(await closedPortUrl()), clock);
    await expect(down.createPayment(input)).rejects.toMatchObject({ kind: 'unavailable', retryable: true, createdNothing: true });
  });

  it('without a secret key it is not configured and calls nothing', async () => {
    const before = fake.requests.length;
    const unconfigured = new PaystackGateway({ secretKey: null, baseUrl: fake.baseUrl }, clock);
    expect(unconfigured.isConfigured()).toBe(false);
    await expect(unconfigured.createPayment(input)).rejects.toMatchObject({ kind: 'auth' });
    expect(fake.requests.length).toBe(before);
  });
});

describe('Paystack webhooks', () => {
  const gateway = new PaystackGateway({ secretKey: SECRET_KEY, baseUrl: 'https://api.paystack.co' }, clock);

  it('accepts the HMAC-SHA512 of the exact raw bytes (hex, any case)', () => {
    const { rawBody, headers } = signed(chargeSuccess());
    expect(() => gateway.verifyWebhook(rawBody, headers)).not.toThrow();
    expect(() => gateway.verifyWebhook(rawBody, { 'x-paystack-signature': headers['x-paystack-signature'].toUpperCase() })).not.toThrow();
  });

  it('rejects a tampered body, a re-serialised body, a wrong key, a truncated or missing signature', () => {
    const { rawBody, headers } = signed(chargeSuccess());
    const tampered = Buffer.from(rawBody.toString().replace('"amount":10000', '"amount":1'));
    expect(() => gateway.verifyWebhook(tampered, headers)).toThrow(WebhookAuthError);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString()), null, 2));
    expect(() => gateway.verifyWebhook(reserialised, headers)).toThrow(WebhookAuthError);
    const wrong = signed(chargeSuccess(), 'sk_test_other');
    expect(() => gateway.verifyWebhook(wrong.rawBody, wrong.headers)).toThrow(WebhookAuthError);
    expect(() => gateway.verifyWebhook(rawBody, { 'x-paystack-signature': headers['x-paystack-signature'].slice(0, 64) })).toThrow(WebhookAuthError);
    expect(() => gateway.verifyWebhook(rawBody, {})).toThrow(WebhookAuthError);
  });

  it('without a secret key every webhook is refused', () => {
    const { rawBody, headers } = signed(chargeSuccess());
    const noKey = new PaystackGateway({ secretKey: null, baseUrl: 'https://api.paystack.co' }, clock);
    expect(() => noKey.verifyWebhook(rawBody, headers)).toThrow(WebhookAuthError);
  });

  it('charge.success: one succeeded event keyed by the transaction id', () => {
    expect(gateway.parseWebhook(signed(chargeSuccess()).rawBody)).toEqual([
      { eventId: 'charge.success:302961', gatewayTransactionId: 'qTPrJoy9Bx', status: 'succeeded' },
    ]);
  });

  it('charge.success without data.id falls back to the reference for the event id', () => {
    const withoutId: Record<string, unknown> = { ...chargeSuccess().data };
    delete withoutId.id;
    expect(gateway.parseWebhook(Buffer.from(JSON.stringify({ event: 'charge.success', data: withoutId })))).toEqual([
      { eventId: 'charge.success:qTPrJoy9Bx', gatewayTransactionId: 'qTPrJoy9Bx', status: 'succeeded' },
    ]);
  });

  it('other events (refund.processed, transfer.success) and garbage give []', () => {
    const refundProcessed = { event: 'refund.processed', data: { status: 'processed', transaction_reference: 'T2154954', amount: '5000' } };
    expect(gateway.parseWebhook(Buffer.from(JSON.stringify(refundProcessed)))).toEqual([]);
    expect(gateway.parseWebhook(Buffer.from(JSON.stringify({ event: 'transfer.success', data: { reference: 'x' } })))).toEqual([]);
    expect(gateway.parseWebhook(Buffer.from('not json'))).toEqual([]);
  });
});

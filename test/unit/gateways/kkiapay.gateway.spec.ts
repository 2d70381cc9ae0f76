import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { IntentStatus } from '../../../src/domain/intent.js';
import { GatewayError, WebhookAuthError, type CreatePaymentInput } from '../../../src/gateways/gateway.js';
import { KKIAPAY_STATUS, KKIAPAY_STATUS_WORDS, KkiapayGateway, type KkiapaySettings } from '../../../src/gateways/kkiapay/kkiapay.gateway.js';
import { closedPortUrl, FakeGatewayServer } from '../../support/fake-gateway-server.js';
import { runGatewayContract } from '../../support/gateway-contract.js';

const resolvedUnexpectedly = (): never => {
  throw new Error('expected a rejection');
};

const ids = { newId: () => 'unused-id' };
// KkiaPay documents no server push: each test that pushes configures a path, as a merchant would
// once KkiaPay has given them one (KKIAPAY_PUSH_PATH).
const PUSH_PATH = '/merchant/push-endpoint';
const settings = (baseUrl: string, overrides: Partial<KkiapaySettings> = {}): KkiapaySettings => ({
  publicKey: 'pk_test',
  privateKey: 'tpk_test',
  secretKey: 'tsk_test',
  webhookSecret: 'hash-secret',
  baseUrl,
  pushPath: PUSH_PATH,
  ...overrides,
});
const input: CreatePaymentInput = {
  intentId: '550e8400-e29b-41d4-a716-446655440000',
  amount: 500000,
  currency: 'XOF',
  country: 'BJ',
  metadata: { appId: 'kaba', referenceId: 'invoice-abc123', phoneNumber: '+2290161000000' },
  returnUrl: null,
  useWidget: false,
};
// The community-documented webhook body (reference/gateways.md).
const webhookBody = (event: string, transactionId = 'kkia_tx_abc123') =>
  Buffer.from(
    JSON.stringify({
      transactionId,
      isPaymentSucces: event === 'transaction.success',
      event,
      amount: 500000,
      fees: 0,
      partnerId: input.intentId,
      performedAt: '2026-03-08T12:04:00Z',
    }),
  );
const webhook = (event: string, secret = 'hash-secret') => ({ rawBody: webhookBody(event), headers: { 'x-kkiapay-secret': secret } });

// Every word of the table, with what it must map to (checked against the table below).
const STATUS_CASES: ReadonlyArray<readonly [string, IntentStatus]> = [
  ['SUCCESS', 'succeeded'],
  ['PENDING', 'pending'],
  ['FAILED', 'failed'],
  ['INSUFFICIENT_FUND', 'failed'],
  ['TRANSACTION_NOT_ELIGIBLE', 'failed'],
  ['TRANSACTION_NOT_FOUND', 'failed'],
  ['INVALID_TRANSACTION', 'failed'],
  ['INVALID_TRANSACTION_TYPE', 'failed'],
  ['INVALID_PAYOUT_DESTINATION_ACCOUNT', 'failed'],
];
const statusCaseRoute = (req: { body: unknown }) => {
  const transactionId = (req.body as { transactionId: string }).transactionId;
  return { status: 200, body: { transactionId, status: transactionId.replace('status-case-', ''), amount: 500000, partnerId: input.intentId } };
};

runGatewayContract('kkiapay', {
  setupFake: (fake) => {
    fake.on(`POST ${PUSH_PATH}`, { status: 200, body: { transactionId: 'kkia_tx_abc123' } });
    fake.on('POST /api/v1/transactions/status', statusCaseRoute);
  },
  configured: (baseUrl) => new KkiapayGateway(settings(baseUrl), ids),
  unconfigured: () => new KkiapayGateway(settings('http://127.0.0.1:9', { privateKey: null }), ids),
  createInput: input,
  expectCreated: (created) => expect(created).toEqual({ gatewayTransactionId: 'kkia_tx_abc123', paymentUrl: null, clientSecret: null, paymentMode: 'push' }),
  validWebhook: () => webhook('transaction.success'),
  wrongSecretWebhook: () => webhook('transaction.success', 'not-the-secret'),
  unknownEventWebhook: () => webhook('transaction.refunded'),
  statusCases: STATUS_CASES,
});

describe('KkiaPay adapter', () => {
  const fake = new FakeGatewayServer();
  let baseUrl: string;
  let gateway: KkiapayGateway;
  // Status answers keyed by the transaction id the adapter asks about.
  const statusAnswers: Record<string, { status: number; body?: unknown }> = {
    kkia_tx_ok: { status: 200, body: { transactionId: 'kkia_tx_ok', status: 'SUCCESS', amount: 500000, fees: 0, source: 'MOBILE_MONEY', partnerId: input.intentId } },
    'tx-unknown-word': { status: 200, body: { transactionId: 'tx-unknown-word', status: 'TELEPORTED', amount: 500000 } },
    'tx-failed-reason': { status: 200, body: { transactionId: 'tx-failed-reason', status: 'FAILED', amount: 500000, reason: 'DECLINED_BY_OPERATOR' } },
    'tx-failed-object': { status: 200, body: { status: 'FAILED', amount: 500000, reason: { code: 'TIMEOUT', message: 'customer +229 did not answer' } } },
    'tx-insufficient': { status: 200, body: { status: 'INSUFFICIENT_FUND', amount: 500000 } },
    'tx-success-no-amount': { status: 200, body: { status: 'SUCCESS' } },
    'tx-success-string-amount': { status: 200, body: { status: 'SUCCESS', amount: '500000' } },
    'tx-success-fcfa': { status: 200, body: { status: 'SUCCESS', amount: 500000, currency: 'FCFA' } },
    'tx-partner-number': { status: 200, body: { status: 'SUCCESS', amount: 500000, partnerId: 12345 } },
    'tx-no-status': { status: 200, body: { amount: 500000 } },
    'tx-404': { status: 404, body: { message: 'Transaction Not Found' } },
    'tx-500': { status: 500, body: { message: 'boom' } },
    'tx-401': { status: 401, body: { message: 'LEAK tsk_test' } },
  };

  beforeAll(async () => {
    fake.on(`POST ${PUSH_PATH}`, { status: 200, body: { transactionId: 'kkia_tx_1', status: 'PENDING' } });
    fake.on('POST /custom/push', { status: 201, body: { transactionId: 'kkia_tx_custom' } });
    fake.on('POST /api/v1/transactions/status', (req) => statusAnswers[(req.body as { transactionId: string }).transactionId] ?? { status: 500 });
    baseUrl = await fake.start();
    gateway = new KkiapayGateway(settings(baseUrl), ids);
  });
  afterEach(() => {
    fake.requests.length = 0;
  });
  afterAll(async () => {
    await fake.stop();
  });

  describe('configuration', () => {
    it('needs the public, private and secret keys (the webhook secret is checked on webhooks)', () => {
      expect(new KkiapayGateway(settings(baseUrl, { webhookSecret: null }), ids).isConfigured()).toBe(true);
      for (const missing of ['publicKey', 'privateKey', 'secretKey'] as const) {
        expect(new KkiapayGateway(settings(baseUrl, { [missing]: null }), ids).isConfigured()).toBe(false);
      }
      expect(new KkiapayGateway(settings(baseUrl, { secretKey: '' })).isConfigured()).toBe(false);
    });
  });

  describe('without KKIAPAY_PUSH_PATH (no push endpoint from KkiaPay)', () => {
    const widgetOnly = () => new KkiapayGateway(settings(baseUrl, { pushPath: null }), ids);

    it('offers only the widget; with a path, push and widget', () => {
      expect(widgetOnly().capabilities.flows).toEqual(['widget']);
      expect(new KkiapayGateway(settings(baseUrl, { pushPath: '' }), ids).capabilities.flows).toEqual(['widget']);
      expect(gateway.capabilities.flows).toEqual(['push', 'widget']);
      expect(widgetOnly().capabilities).toMatchObject({ currencies: ['XOF'], refund: 'manual', requeryOnWebhook: true });
    });

    it('never calls a push: validate and create refuse before any request; the widget still works', async () => {
      expect(() => widgetOnly().validatePayment(input)).toThrow(expect.objectContaining({ code: 'PAYMENT_ERROR', message: expect.stringContaining('KKIAPAY_PUSH_PATH') }));
      await expect(widgetOnly().createPayment(input)).rejects.toMatchObject({ code: 'PAYMENT_ERROR' });
      const widget = await widgetOnly().createPayment({ ...input, useWidget: true });
      expect(widget).toEqual({ gatewayTransactionId: null, paymentUrl: null, clientSecret: null, paymentMode: 'widget' });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('Mode A (push)', () => {
    it('POSTs to the push path with the three key headers, JSON, francs and the MSISDN without +', async () => {
      const created = await gateway.createPayment(input);
      expect(created).toEqual({ gatewayTransactionId: 'kkia_tx_1', paymentUrl: null, clientSecret: null, paymentMode: 'push' });
      expect(fake.requests).toHaveLength(1);
      const sent = fake.last();
      expect([sent.method, sent.path]).toEqual(['POST', PUSH_PATH]);
      expect(sent.headers).toMatchObject({ 'x-api-key': 'pk_test', 'x-private-key': 'tpk_test', 'x-secret-key': 'tsk_test', 'content-type': 'application/json' });
      expect(JSON.parse(sent.rawBody)).toEqual({ amount: 500000, phoneNumber: '2290161000000', partnerId: input.intentId, reason: 'kaba invoice-abc123' });
    });

    it('joins a configured base URL and push path whatever their slashes', async () => {
      const custom = new KkiapayGateway(settings(`${baseUrl}/`, { pushPath: 'custom/push' }), ids);
      expect((await custom.createPayment(input)).gatewayTransactionId).toBe('kkia_tx_custom');
      expect(fake.last().path).toBe('/custom/push');
    });

    it('without metadata.phoneNumber is a VALIDATION_ERROR and nothing is sent', async () => {
      await expect(gateway.createPayment({ ...input, metadata: { appId: 'kaba', referenceId: 'invoice-abc123' } })).rejects.toMatchObject({
        name: 'DomainError',
        code: 'VALIDATION_ERROR',
        message: 'metadata.phoneNumber is required for KkiaPay mobile-money push (or set useWidget: true)',
      });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('Mode B (widget)', () => {
    it('makes no call and returns no transaction id, with or without a phone', async () => {
      const widget = { gatewayTransactionId: null, paymentUrl: null, clientSecret: null, paymentMode: 'widget' };
      expect(await gateway.createPayment({ ...input, useWidget: true })).toEqual(widget);
      expect(await gateway.createPayment({ ...input, useWidget: true, metadata: { appId: 'kaba', referenceId: 'x' } })).toEqual(widget);
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('status (POST /api/v1/transactions/status)', () => {
    it('sends { transactionId } with the key headers and reads amount, XOF and partnerId', async () => {
      expect(await gateway.getStatus('kkia_tx_ok')).toEqual({
        status: 'succeeded',
        gatewayStatus: 'SUCCESS',
        amount: 500000,
        currency: 'XOF',
        partnerId: input.intentId,
      });
      const sent = fake.last();
      expect([sent.method, sent.path, sent.rawBody]).toEqual(['POST', '/api/v1/transactions/status', '{"transactionId":"kkia_tx_ok"}']);
      expect(sent.headers).toMatchObject({ 'x-api-key': 'pk_test', 'x-private-key': 'tpk_test', 'x-secret-key': 'tsk_test' });
    });

    it('reports no partnerId when the answer has none (old frontends, Mode A without one)', async () => {
      expect(await gateway.getStatus('tx-success-string-amount')).not.toHaveProperty('partnerId');
      expect(await gateway.getStatus('tx-partner-number')).not.toHaveProperty('partnerId');
    });

    it('never takes an unknown or missing word as success: pending, raw word kept', async () => {
      expect(await gateway.getStatus('tx-unknown-word')).toEqual({ status: 'pending', gatewayStatus: 'TELEPORTED', amount: 500000, currency: 'XOF' });
      expect(await gateway.getStatus('tx-no-status')).toMatchObject({ status: 'pending', gatewayStatus: 'UNKNOWN' });
    });

    it('gives failed payments a reason code (the gateway word when no reason is sent)', async () => {
      expect(await gateway.getStatus('tx-failed-reason')).toMatchObject({ status: 'failed', failureReason: 'DECLINED_BY_OPERATOR' });
      expect(await gateway.getStatus('tx-failed-object')).toMatchObject({ status: 'failed', failureReason: 'TIMEOUT' });
      expect(await gateway.getStatus('tx-insufficient')).toMatchObject({ status: 'failed', gatewayStatus: 'INSUFFICIENT_FUND', failureReason: 'INSUFFICIENT_FUND' });
    });

    it('reports success only with a readable amount', async () => {
      await expect(gateway.getStatus('tx-success-no-amount')).rejects.toMatchObject({ name: 'GatewayError', kind: 'unavailable', retryable: true });
      expect(await gateway.getStatus('tx-success-string-amount')).toMatchObject({ status: 'succeeded', amount: 500000, currency: 'XOF' });
      // A non-ISO currency word is not trusted: KkiaPay collects XOF.
      expect(await gateway.getStatus('tx-success-fcfa')).toMatchObject({ status: 'succeeded', amount: 500000, currency: 'XOF' });
    });

    it('the status cases cover exactly the whole table', () => {
      expect(STATUS_CASES.map(([word]) => word).sort()).toEqual([...KKIAPAY_STATUS_WORDS].sort());
      expect(Object.fromEntries(STATUS_CASES)).toEqual(KKIAPAY_STATUS);
    });
  });

  describe('webhooks', () => {
    it('accepts the configured x-kkiapay-secret, whatever the header name case', () => {
      const { rawBody } = webhook('transaction.success');
      expect(() => gateway.verifyWebhook(rawBody, { 'x-kkiapay-secret': 'hash-secret' })).not.toThrow();
      expect(() => gateway.verifyWebhook(rawBody, { 'X-KKIAPAY-SECRET': 'hash-secret' })).not.toThrow();
    });

    it('rejects a wrong, shorter, longer or missing secret with WebhookAuthError', () => {
      const { rawBody } = webhook('transaction.success');
      for (const presented of ['hash-secreT', 'hash', 'hash-secret-and-more', '']) {
        expect(() => gateway.verifyWebhook(rawBody, { 'x-kkiapay-secret': presented })).toThrow(WebhookAuthError);
      }
      expect(() => gateway.verifyWebhook(rawBody, {})).toThrow(new WebhookAuthError('bad x-kkiapay-secret'));
    });

    it('rejects every webhook when no secret is configured', () => {
      const unconfigured = new KkiapayGateway(settings(baseUrl, { webhookSecret: null }), ids);
      const { rawBody, headers } = webhook('transaction.success');
      expect(() => unconfigured.verifyWebhook(rawBody, headers)).toThrow(new WebhookAuthError('KKIAPAY_WEBHOOK_SECRET is not configured'));
    });

    it('parses transaction.success / transaction.failed into a hint keyed by event and transaction, with partnerId', () => {
      expect(gateway.parseWebhook(webhookBody('transaction.success'))).toEqual([
        { eventId: 'transaction.success:kkia_tx_abc123', gatewayTransactionId: 'kkia_tx_abc123', status: 'succeeded', partnerId: input.intentId },
      ]);
      expect(gateway.parseWebhook(webhookBody('transaction.failed', 'kkia_tx_2'))).toEqual([
        { eventId: 'transaction.failed:kkia_tx_2', gatewayTransactionId: 'kkia_tx_2', status: 'failed', partnerId: input.intentId },
      ]);
    });

    it('drops a partnerId that is not a short non-empty string (never a reference we could match)', () => {
      for (const partnerId of ['', 42, null, { id: input.intentId }, 'x'.repeat(129)]) {
        const body = Buffer.from(JSON.stringify({ transactionId: 'kkia_tx_3', event: 'transaction.success', partnerId }));
        expect(gateway.parseWebhook(body)).toEqual([{ eventId: 'transaction.success:kkia_tx_3', gatewayTransactionId: 'kkia_tx_3', status: 'succeeded' }]);
      }
    });

    it('gives [] for other events, a missing transaction id and non-JSON bodies', () => {
      expect(gateway.parseWebhook(webhookBody('transaction.refunded'))).toEqual([]);
      expect(gateway.parseWebhook(Buffer.from(JSON.stringify({ event: 'transaction.success' })))).toEqual([]);
      expect(gateway.parseWebhook(Buffer.from('not json'))).toEqual([]);
    });
  });

  describe('refunds', () => {
    it('are manual: pending, no gateway refund id, no call', async () => {
      expect(await gateway.refund()).toEqual({ status: 'pending', gatewayRefundId: null });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('error classification', () => {
    it('a closed port created nothing and may fall back', async () => {
      const down = new KkiapayGateway(settings(await closedPortUrl()), ids);
      const error = await down.createPayment(input).then(resolvedUnexpectedly, (e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ gateway: 'kkiapay', kind: 'unavailable', retryable: true, createdNothing: true });
    });

    it('a 5xx on the push is retryable but never "created nothing" (the push may be on the phone)', async () => {
      const failing = new FakeGatewayServer().on(`POST ${PUSH_PATH}`, { status: 500, body: { message: 'boom' } });
      const error = await new KkiapayGateway(settings(await failing.start()), ids).createPayment(input).then(resolvedUnexpectedly, (e: unknown) => e);
      await failing.stop();
      expect(error).toMatchObject({ kind: 'unavailable', retryable: true, createdNothing: false });
    });

    it('a 400 on the push is an invalid request; a 2xx without transactionId is ambiguous', async () => {
      const failing = new FakeGatewayServer().on(`POST ${PUSH_PATH}`, { status: 400, body: { message: 'bad phone' } });
      await expect(new KkiapayGateway(settings(await failing.start()), ids).createPayment(input)).rejects.toMatchObject({
        kind: 'invalid_request',
        retryable: false,
        createdNothing: true,
      });
      await failing.stop();
      const odd = new FakeGatewayServer().on(`POST ${PUSH_PATH}`, { status: 200, body: { ok: true } });
      await expect(new KkiapayGateway(settings(await odd.start()), ids).createPayment(input)).rejects.toMatchObject({
        kind: 'unavailable',
        createdNothing: false,
      });
      await odd.stop();
    });

    it('status: 401 is auth, 500 unavailable, 404 invalid request; the gateway text never leaks', async () => {
      const auth = await gateway.getStatus('tx-401').then(resolvedUnexpectedly, (e: unknown) => e as GatewayError);
      expect(auth).toMatchObject({ kind: 'auth', retryable: false });
      expect(auth.message).not.toContain('LEAK');
      await expect(gateway.getStatus('tx-500')).rejects.toMatchObject({ kind: 'unavailable', retryable: true });
      await expect(gateway.getStatus('tx-404')).rejects.toMatchObject({ kind: 'invalid_request' });
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { KKIAPAY_STATUS, KkiapayGateway, type KkiapaySettings } from '../../../src/gateways/kkiapay/kkiapay.gateway.js';
import { closedPortUrl, FakeGatewayServer } from '../../support/fake-gateway-server.js';
import { runGatewayContract } from '../../support/gateway-contract.js';

const settings = (baseUrl: string): KkiapaySettings => ({
  publicKey: 'pk_test',
  privateKey: 'tpk_test',
  secretKey: 'tsk_test',
  webhookSecret: 'hash-secret',
  baseUrl,
  pushPath: '/api/v1/payments/request',
});
const input = {
  intentId: '550e8400-e29b-41d4-a716-446655440000',
  amount: 500000,
  currency: 'XOF' as const,
  country: 'BJ',
  metadata: { appId: 'kaba', referenceId: 'invoice-abc123', phoneNumber: '+2290161000000' },
  returnUrl: null,
  useWidget: false,
};
// The community-documented webhook body (reference/gateways.md).
const webhook = (event: string, secret = 'hash-secret') => ({
  rawBody: Buffer.from(JSON.stringify({ transactionId: 'kkia_tx_abc123', isPaymentSucces: event === 'transaction.success', event, amount: 500000, fees: 0, partnerId: input.intentId, performedAt: '2026-03-08T12:04:00Z' })),
  headers: { 'x-kkiapay-secret': secret },
});
const STATUS_CASES = Object.entries({
  SUCCESS: 'succeeded',
  PENDING: 'pending',
  FAILED: 'failed',
  INSUFFICIENT_FUND: 'failed',
  TRANSACTION_NOT_ELIGIBLE: 'failed',
  TRANSACTION_NOT_FOUND: 'failed',
  INVALID_TRANSACTION: 'failed',
  INVALID_TRANSACTION_TYPE: 'failed',
  INVALID_PAYOUT_DESTINATION_ACCOUNT: 'failed',
} as const);

runGatewayContract('kkiapay', {
  setupFake: (fake) => {
    fake.on('POST /api/v1/payments/request', { status: 200, body: { transactionId: 'kkia_tx_abc123' } });
    fake.on('POST /api/v1/transactions/status', (req) => ({
      status: 200,
      body: { transactionId: (req.body as { transactionId: string }).transactionId, status: (req.body as { transactionId: string }).transactionId.replace('status-case-', ''), amount: 500000 },
    }));
  },
  configured: (baseUrl) => new KkiapayGateway(settings(baseUrl)),
  unconfigured: () => new KkiapayGateway({ ...settings('http://x'), privateKey: null }),
  createInput: input,
  expectCreated: (created) => expect(created).toEqual({ gatewayTransactionId: 'kkia_tx_abc123', paymentUrl: null, clientSecret: null, paymentMode: 'push' }),
  validWebhook: () => webhook('transaction.success'),
  wrongSecretWebhook: () => webhook('transaction.success', 'not-the-secret'),
  unknownEventWebhook: () => webhook('transaction.refunded'),
  statusCases: STATUS_CASES,
});

describe('KkiaPay adapter wire format', () => {
  const fake = new FakeGatewayServer();
  let gateway: KkiapayGateway;

  beforeAll(async () => {
    fake.on('POST /api/v1/payments/request', { status: 200, body: { transactionId: 'kkia_tx_1' } });
    fake.on('POST /api/v1/transactions/status', { status: 200, body: { transactionId: 'kkia_tx_1', status: 'TELEPORTED', amount: 500000 } });
    gateway = new KkiapayGateway(settings(await fake.start()));
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('Mode A sends the push with the three key headers, francs and the MSISDN without +', async () => {
    await gateway.createPayment(input);
    const sent = fake.last();
    expect(sent.path).toBe('/api/v1/payments/request');
    expect([sent.headers['x-api-key'], sent.headers['x-private-key'], sent.headers['x-secret-key']]).toEqual(['pk_test', 'tpk_test', 'tsk_test']);
    expect(sent.body).toEqual({ amount: 500000, phoneNumber: '2290161000000', partnerId: input.intentId, reason: 'kaba invoice-abc123' });
  });

  it('Mode B (widget) calls nothing and returns no transaction id', async () => {
    const before = fake.requests.length;
    expect(await gateway.createPayment({ ...input, useWidget: true })).toEqual({ gatewayTransactionId: null, paymentUrl: null, clientSecret: null, paymentMode: 'widget' });
    expect(fake.requests.length).toBe(before);
  });

  it('Mode A without a phone number is a 400 naming metadata.phoneNumber, and nothing is sent', async () => {
    const before = fake.requests.length;
    await expect(gateway.createPayment({ ...input, metadata: { appId: 'kaba', referenceId: 'x' } })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringContaining('metadata.phoneNumber'),
    });
    expect(fake.requests.length).toBe(before);
  });

  it('queries the status with POST /api/v1/transactions/status and never takes an unknown word as success', async () => {
    expect(await gateway.getStatus('kkia_tx_1')).toEqual({ status: 'pending', gatewayStatus: 'TELEPORTED', amount: 500000, currency: 'XOF' });
    expect(fake.last()).toMatchObject({ method: 'POST', path: '/api/v1/transactions/status', body: { transactionId: 'kkia_tx_1' } });
  });

  it('rejects a missing x-kkiapay-secret and an unconfigured secret', () => {
    const { rawBody } = webhook('transaction.success');
    expect(() => gateway.verifyWebhook(rawBody, {})).toThrow('bad x-kkiapay-secret');
    expect(() => new KkiapayGateway({ ...settings('http://x'), webhookSecret: null }).verifyWebhook(rawBody, { 'x-kkiapay-secret': 'hash-secret' })).toThrow(
      'KKIAPAY_WEBHOOK_SECRET is not configured',
    );
  });

  it('refunds are manual: pending, no call', async () => {
    const before = fake.requests.length;
    expect(await gateway.refund()).toEqual({ status: 'pending', gatewayRefundId: null });
    expect(fake.requests.length).toBe(before);
  });

  it('classifies failures without leaking the gateway text', async () => {
    const down = new KkiapayGateway(settings(await closedPortUrl()));
    await expect(down.createPayment(input)).rejects.toMatchObject({ kind: 'unavailable', retryable: true, createdNothing: true });
    const failing = new FakeGatewayServer().on('POST /api/v1/transactions/status', { status: 401, body: { message: 'LEAK tsk_test' } });
    const error = await new KkiapayGateway(settings(await failing.start())).getStatus('t').then(() => new Error('resolved'), (e: unknown) => e as Error);
    expect(error).toMatchObject({ kind: 'auth' });
    expect(error.message).not.toContain('LEAK');
    await failing.stop();
  });

  it('the contract cases cover the whole status table', () => {
    expect(STATUS_CASES.map(([word]) => word).sort()).toEqual(Object.keys(KKIAPAY_STATUS).sort());
  });
});

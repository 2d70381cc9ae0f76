import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MOMO_STATUS, MomoGateway, type MomoSettings } from '../../../src/gateways/momo/momo.gateway.js';
import { closedPortUrl, FakeGatewayServer } from '../../support/fake-gateway-server.js';
import { runGatewayContract } from '../../support/gateway-contract.js';
import { ManualClock } from '../../support/lifecycle.js';

const clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
let counter = 0;
const ids = { newId: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` };
const settings = (baseUrl: string): MomoSettings => ({
  baseUrl,
  targetEnvironment: 'mtnbenin',
  callbackBaseUrl: 'https://payments.example',
  collection: { subscriptionKey: 'col-sub', apiUser: 'col-user', apiKey: 'col-key' },
  disbursement: { subscriptionKey: 'dis-sub', apiUser: 'dis-user', apiKey: 'dis-key' },
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
const tokenRoute = { status: 200, body: { access_token: 'eyJ0eXAi.token', token_type: 'access_token', expires_in: 3600 } };
const statusBody = (status: string, amount = '500000', currency = 'XOF') => ({
  amount,
  currency,
  financialTransactionId: '23503452',
  externalId: input.intentId,
  payer: { partyIdType: 'MSISDN', partyId: '2290161000000' },
  status,
  ...(status === 'FAILED' ? { reason: 'APPROVAL_REJECTED' } : {}),
});
const STATUS_CASES = [
  ['PENDING', 'pending'],
  ['SUCCESSFUL', 'succeeded'],
  ['FAILED', 'failed'],
] as const;

runGatewayContract('momo', {
  setupFake: (fake) => {
    fake.on('POST /collection/token/', tokenRoute);
    fake.on('POST /collection/v1_0/requesttopay', { status: 202 });
    fake.on('GET /collection/v1_0/requesttopay/*', (req) => ({ status: 200, body: statusBody(req.path.split('status-case-')[1] ?? 'PENDING') }));
  },
  configured: (baseUrl) => new MomoGateway(settings(baseUrl), clock, ids),
  unconfigured: () => new MomoGateway({ ...settings('http://x'), collection: { subscriptionKey: null, apiUser: null, apiKey: null } }, clock, ids),
  createInput: input,
  expectCreated: (created) => expect(created).toMatchObject({ gatewayTransactionId: expect.stringMatching(/^00000000-/), paymentUrl: null, clientSecret: null, paymentMode: 'push' }),
  // MoMo callbacks are unsigned: the contract's signature checks do not apply (re-query instead).
  validWebhook: () => ({ rawBody: Buffer.from(JSON.stringify({ status: 'SUCCESSFUL' })), headers: {} }),
  wrongSecretWebhook: () => ({ rawBody: Buffer.from('{}'), headers: {} }),
  unknownEventWebhook: () => ({ rawBody: Buffer.from('{}'), headers: {} }),
  statusCases: STATUS_CASES,
  webhookContext: { reference: 'ref-1' },
});

describe('MoMo adapter wire format', () => {
  const fake = new FakeGatewayServer();
  let gateway: MomoGateway;

  beforeAll(async () => {
    fake.on('POST /collection/token/', tokenRoute);
    fake.on('POST /disbursement/token/', { status: 200, body: { access_token: 'disb.token', expires_in: 3600 } });
    fake.on('POST /collection/v1_0/requesttopay', { status: 202 });
    fake.on('POST /disbursement/v1_0/transfer', { status: 202 });
    fake.on('GET /collection/v1_0/requesttopay/ref-eur', { status: 200, body: statusBody('SUCCESSFUL', '10.50', 'EUR') });
    fake.on('GET /disbursement/v1_0/transfer/*', { status: 200, body: statusBody('FAILED') });
    gateway = new MomoGateway(settings(await fake.start()), clock, ids);
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('requesttopay: bearer token, our X-Reference-Id, target environment, callback URL, amount as a string', async () => {
    const created = await gateway.createPayment(input);
    const sent = fake.last();
    expect(sent.path).toBe('/collection/v1_0/requesttopay');
    expect(sent.headers).toMatchObject({
      authorization: 'Bearer eyJ0eXAi.token',
      'x-reference-id': created.gatewayTransactionId,
      'x-target-environment': 'mtnbenin',
      'x-callback-url': `https://payments.example/webhooks/momo/${created.gatewayTransactionId}`,
      'ocp-apim-subscription-key': 'col-sub',
    });
    expect(sent.body).toEqual({
      amount: '500000',
      currency: 'XOF',
      externalId: input.intentId,
      payer: { partyIdType: 'MSISDN', partyId: '2290161000000' },
      payerMessage: 'kaba invoice-abc123',
      payeeNote: input.intentId,
    });
    const token = fake.requests.find((r) => r.path === '/collection/token/');
    expect(token?.headers.authorization).toBe(`Basic ${Buffer.from('col-user:col-key').toString('base64')}`);
  });

  it('converts major-unit strings back to minor units (EUR "10.50" → 1050)', async () => {
    expect(await gateway.getStatus('ref-eur')).toEqual({ status: 'succeeded', gatewayStatus: 'SUCCESSFUL', amount: 1050, currency: 'EUR' });
  });

  it('caches the token until 60 s before expiry (injected clock, no sleeping)', async () => {
    const tokens = () => fake.requests.filter((r) => r.path === '/collection/token/').length;
    const before = tokens();
    await gateway.getStatus('ref-eur');
    expect(tokens()).toBe(before);
    clock.advance(3541 * 1000);
    await gateway.getStatus('ref-eur');
    expect(tokens()).toBe(before + 1);
  });

  it('disburses with the disbursement product (own key and token) and follows the transfer status', async () => {
    const result = await gateway.disburse({ disbursementId: 'd-1', amount: 1050, currency: 'EUR', phoneNumber: '+2290197222222', note: 'kaba inv' });
    const sent = fake.last();
    expect(sent.path).toBe('/disbursement/v1_0/transfer');
    expect(sent.headers).toMatchObject({ authorization: 'Bearer disb.token', 'ocp-apim-subscription-key': 'dis-sub', 'x-reference-id': result.providerReference });
    expect(sent.body).toMatchObject({ amount: '10.50', currency: 'EUR', externalId: 'd-1', payee: { partyIdType: 'MSISDN', partyId: '2290197222222' } });
    expect(result.status).toBe('pending');
    expect(await gateway.getDisbursementStatus(result.providerReference)).toEqual({
      status: 'failed',
      providerReference: result.providerReference,
      failureReason: 'APPROVAL_REJECTED',
    });
  });

  it('the callback is only a hint keyed by the reference in its path', () => {
    expect(gateway.parseWebhook(Buffer.from('{"status":"SUCCESSFUL"}'), { reference: 'ref-1' })).toEqual([
      { eventId: 'callback:ref-1:SUCCESSFUL', gatewayTransactionId: 'ref-1', status: 'succeeded' },
    ]);
    expect(gateway.parseWebhook(Buffer.from('{"status":"SUCCESSFUL"}'), { reference: null })).toEqual([]);
  });

  it('needs metadata.phoneNumber before calling MoMo', async () => {
    const before = fake.requests.length;
    await expect(gateway.createPayment({ ...input, metadata: { appId: 'kaba', referenceId: 'x' } })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(fake.requests.length).toBe(before);
  });

  it('classifies failures', async () => {
    const down = new MomoGateway(settings(await closedPortUrl()), clock, ids);
    await expect(down.createPayment(input)).rejects.toMatchObject({ kind: 'unavailable', createdNothing: true });
    const failing = new FakeGatewayServer().on('POST /collection/token/', tokenRoute).on('POST /collection/v1_0/requesttopay', { status: 500 });
    await expect(new MomoGateway(settings(await failing.start()), clock, ids).createPayment(input)).rejects.toMatchObject({ kind: 'unavailable', retryable: true });
    await failing.stop();
  });

  it('the contract cases cover the whole status table', () => {
    expect(STATUS_CASES.map(([word]) => word).sort()).toEqual(Object.keys(MOMO_STATUS).sort());
  });
});

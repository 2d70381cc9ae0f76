import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { IdGenerator } from '../../../src/domain/clock.js';
import type { IntentStatus } from '../../../src/domain/intent.js';
import { GatewayError, type CreatePaymentInput } from '../../../src/gateways/gateway.js';
import { MOMO_STATUS, MOMO_STATUS_WORDS, MOMO_TRANSFER_STATUS, MomoGateway, type MomoSettings } from '../../../src/gateways/momo/momo.gateway.js';
import { fromMajorUnitString } from '../../../src/gateways/momo/momo-status.js';
import { closedPortUrl, FakeGatewayServer, type FakeResponse, type RecordedRequest } from '../../support/fake-gateway-server.js';
import { runGatewayContract } from '../../support/gateway-contract.js';
import { ManualClock } from '../../support/manual-clock.js';

const resolvedUnexpectedly = (): never => {
  throw new Error('expected a rejection');
};

const sequentialIds = (): IdGenerator => {
  let counter = 0;
  return { newId: () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}` };
};
const settings = (baseUrl: string, overrides: Partial<MomoSettings> = {}): MomoSettings => ({
  baseUrl,
  targetEnvironment: 'mtnbenin',
  callbackBaseUrl: 'https://payments.example',
  collection: { subscriptionKey: 'col-sub', apiUser: 'col-user', apiKey: 'col-key' },
  disbursement: { subscriptionKey: 'dis-sub', apiUser: 'dis-user', apiKey: 'dis-key' },
  ...overrides,
});
const noCredentials = { subscriptionKey: null, apiUser: null, apiKey: null };
const input: CreatePaymentInput = {
  intentId: '550e8400-e29b-41d4-a716-446655440000',
  amount: 500000,
  currency: 'XOF',
  country: 'BJ',
  metadata: { appId: 'kaba', referenceId: 'invoice-abc123', phoneNumber: '+2290161000000' },
  returnUrl: null,
  useWidget: false,
};
const basic = (user: string, key: string) => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;
const tokenAnswer = (token: string, expiresIn = 3600): FakeResponse => ({ status: 200, body: { access_token: token, token_type: 'access_token', expires_in: expiresIn } });
// GET requesttopay/{id} and transfer/{id} answer this shape (MoMo Open API).
const statusBody = (status: string, amount = '500000', currency = 'XOF', reason?: unknown) => ({
  amount,
  currency,
  financialTransactionId: '23503452',
  externalId: input.intentId,
  payer: { partyIdType: 'MSISDN', partyId: '2290161000000' },
  status,
  ...(reason !== undefined ? { reason } : {}),
});
const STATUS_CASES: ReadonlyArray<readonly [string, IntentStatus]> = [
  ['PENDING', 'pending'],
  ['SUCCESSFUL', 'succeeded'],
  ['FAILED', 'failed'],
];

runGatewayContract('momo', {
  setupFake: (fake) => {
    fake.on('POST /collection/token/', tokenAnswer('col.token'));
    fake.on('POST /collection/v1_0/requesttopay', { status: 202 });
    fake.on('GET /collection/v1_0/requesttopay/*', (req) => ({ status: 200, body: statusBody(req.path.split('status-case-')[1] ?? 'PENDING') }));
  },
  configured: (baseUrl) => new MomoGateway(settings(baseUrl), new ManualClock(new Date('2026-03-08T12:00:00Z')), sequentialIds()),
  unconfigured: () => new MomoGateway(settings('http://127.0.0.1:9', { collection: noCredentials }), new ManualClock(new Date()), sequentialIds()),
  createInput: input,
  expectCreated: (created) =>
    expect(created).toEqual({ gatewayTransactionId: input.intentId, paymentUrl: null, clientSecret: null, paymentMode: 'push' }),
  // MoMo callbacks are unsigned: the contract's signature checks do not apply (re-query instead).
  validWebhook: () => ({ rawBody: Buffer.from(JSON.stringify(statusBody('SUCCESSFUL'))), headers: {} }),
  wrongSecretWebhook: () => ({ rawBody: Buffer.from(JSON.stringify(statusBody('SUCCESSFUL'))), headers: {} }),
  unknownEventWebhook: () => ({ rawBody: Buffer.from('{}'), headers: {} }),
  statusCases: STATUS_CASES,
  webhookContext: { reference: '00000000-0000-4000-8000-000000000001' },
});

// A fresh fake and gateway per test, so request counts and token caches never leak between tests.
const PAYOUT_ID = '7d444840-9dc0-4f4e-9e5a-2d3b1c0f6a11';
// As MTN (and test/support/fakes/momo-fake.ts): 400 for a non-UUID X-Reference-Id, 409 for a reused one.
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
const seenReferences = new Set<string>();
const strictCreate = (req: RecordedRequest): FakeResponse => {
  const reference = String(req.headers['x-reference-id'] ?? '');
  if (!UUID_V4.test(reference)) return { status: 400, body: { code: 'INVALID_REFERENCE_ID', message: 'X-Reference-Id must be a UUID v4' } };
  if (seenReferences.has(reference)) return { status: 409, body: { code: 'RESOURCE_ALREADY_EXIST', message: 'Duplicated reference id. Creation of resource failed.' } };
  seenReferences.add(reference);
  return { status: 202 };
};
const PAYMENT_IDS = ['', '1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed', '6ec0bd7f-11c0-43da-975e-2a8ad9ebae0b'] as const;

describe('MoMo adapter', () => {
  let fake: FakeGatewayServer;
  let clock: ManualClock;
  let gateway: MomoGateway;
  const statusAnswers: Record<string, FakeResponse> = {
    'ref-xof': { status: 200, body: statusBody('SUCCESSFUL') },
    'ref-eur': { status: 200, body: statusBody('SUCCESSFUL', '10.50', 'EUR') },
    'ref-failed': { status: 200, body: statusBody('FAILED', '500000', 'XOF', 'APPROVAL_REJECTED') },
    'ref-failed-object': { status: 200, body: statusBody('FAILED', '500000', 'XOF', { code: 'PAYER_NOT_FOUND', message: 'x' }) },
    'ref-odd': { status: 200, body: statusBody('ONGOING') },
    'ref-no-amount': { status: 200, body: { status: 'SUCCESSFUL', currency: 'XOF' } },
    'ref-too-precise': { status: 200, body: statusBody('SUCCESSFUL', '10.505', 'EUR') },
    'ref-foreign': { status: 200, body: statusBody('SUCCESSFUL', '5000', 'UGX') },
    'ref-404': { status: 404, body: { code: 'RESOURCE_NOT_FOUND', message: 'Requested resource was not found.' } },
  };
  const transferAnswers: Record<string, FakeResponse> = {
    'tr-pending': { status: 200, body: statusBody('PENDING') },
    'tr-ok': { status: 200, body: statusBody('SUCCESSFUL') },
    'tr-failed': { status: 200, body: statusBody('FAILED', '500000', 'XOF', 'PAYEE_NOT_FOUND') },
    'tr-odd': { status: 200, body: statusBody('WHATEVER') },
  };
  const lastSegment = (req: RecordedRequest) => req.path.split('/').at(-1) ?? '';
  const requestsTo = (path: string) => fake.requests.filter((r) => r.path === path);

  beforeAll(async () => {
    fake = new FakeGatewayServer();
    fake.on('POST /collection/token/', tokenAnswer('col.token'));
    fake.on('POST /disbursement/token/', tokenAnswer('dis.token'));
    fake.on('POST /collection/v1_0/requesttopay', strictCreate);
    fake.on('POST /disbursement/v1_0/transfer', strictCreate);
    fake.on('GET /collection/v1_0/requesttopay/*', (req) => statusAnswers[lastSegment(req)] ?? { status: 500 });
    fake.on('GET /disbursement/v1_0/transfer/*', (req) => transferAnswers[lastSegment(req)] ?? { status: 500 });
    await fake.start();
  });
  afterEach(() => {
    fake.requests.length = 0;
    seenReferences.clear();
  });
  afterAll(async () => {
    await fake.stop();
  });

  // Each test builds its own gateway (own clock, ids and token caches).
  const fresh = (overrides: Partial<MomoSettings> = {}) => {
    clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
    gateway = new MomoGateway(settings(fake.baseUrl, overrides), clock, sequentialIds());
    return gateway;
  };

  describe('configuration', () => {
    it('collection credentials make it configured; payouts need the disbursement ones', () => {
      expect(fresh().isConfigured()).toBe(true);
      expect(gateway.canDisburse()).toBe(true);
      expect(fresh({ collection: { ...settings('').collection, apiKey: null } }).isConfigured()).toBe(false);
      expect(fresh({ disbursement: noCredentials }).isConfigured()).toBe(true);
      expect(gateway.canDisburse()).toBe(false);
    });
  });

  describe('requesttopay', () => {
    it('gets a collection token with Basic auth and the collection subscription key', async () => {
      await fresh().createPayment(input);
      const [token, pay] = fake.requests;
      expect([token?.method, token?.path, pay?.method, pay?.path]).toEqual(['POST', '/collection/token/', 'POST', '/collection/v1_0/requesttopay']);
      expect(token?.headers).toMatchObject({ authorization: basic('col-user', 'col-key'), 'ocp-apim-subscription-key': 'col-sub' });
    });

    it('sends our intent id as X-Reference-Id (the transaction id), target environment, callback URL and the body', async () => {
      const created = await fresh().createPayment(input);
      const reference = input.intentId;
      expect(created).toEqual({ gatewayTransactionId: reference, paymentUrl: null, clientSecret: null, paymentMode: 'push' });
      const sent = fake.last();
      expect(sent.headers).toMatchObject({
        authorization: 'Bearer col.token',
        'x-reference-id': reference,
        'x-target-environment': 'mtnbenin',
        'x-callback-url': `https://payments.example/webhooks/momo/${reference}`,
        'ocp-apim-subscription-key': 'col-sub',
        'content-type': 'application/json',
      });
      expect(JSON.parse(sent.rawBody)).toEqual({
        amount: '500000',
        currency: 'XOF',
        externalId: input.intentId,
        payer: { partyIdType: 'MSISDN', partyId: '2290161000000' },
        payerMessage: 'kaba invoice-abc123',
        payeeNote: input.intentId,
      });
    });

    it('sends the amount as a major-unit string (XOF 500000 → "500000", EUR 1050 → "10.50")', async () => {
      await fresh().createPayment(input);
      // EUR: MTN's sandbox, the one account that takes it; each payment its own reference.
      const sandbox = fresh({ targetEnvironment: 'sandbox' });
      await sandbox.createPayment({ ...input, intentId: PAYMENT_IDS[1], amount: 1050, currency: 'EUR' });
      await sandbox.createPayment({ ...input, intentId: PAYMENT_IDS[2], amount: 7, currency: 'EUR' });
      expect(requestsTo('/collection/v1_0/requesttopay').map((r) => (r.body as { amount: unknown }).amount)).toEqual(['500000', '10.50', '0.07']);
    });

    it('drops a trailing slash on the callback base, and omits X-Callback-Url without one', async () => {
      await fresh({ callbackBaseUrl: 'https://payments.example/' }).createPayment(input);
      expect(fake.last().headers['x-callback-url']).toBe(`https://payments.example/webhooks/momo/${input.intentId}`);
      await fresh({ callbackBaseUrl: '' }).createPayment(input);
      expect(fake.last().headers['x-callback-url']).toBeUndefined();
    });

    it('needs metadata.phoneNumber before calling MoMo (not even a token)', async () => {
      await expect(fresh().createPayment({ ...input, metadata: { appId: 'kaba', referenceId: 'invoice-abc123' } })).rejects.toMatchObject({
        name: 'DomainError',
        code: 'VALIDATION_ERROR',
        message: expect.stringContaining('metadata.phoneNumber'),
      });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('token cache (injected clock, no sleeping)', () => {
    it('reuses the token until 60 s before expiry, then refreshes', async () => {
      fresh();
      await gateway.getStatus('ref-xof');
      await gateway.getStatus('ref-xof');
      expect(requestsTo('/collection/token/')).toHaveLength(1);
      clock.advance((3600 - 60) * 1000 - 1);
      await gateway.getStatus('ref-xof');
      expect(requestsTo('/collection/token/')).toHaveLength(1);
      clock.advance(1);
      await gateway.getStatus('ref-xof');
      expect(requestsTo('/collection/token/')).toHaveLength(2);
    });

    it('shares one token request between concurrent calls', async () => {
      fresh();
      await Promise.all([gateway.getStatus('ref-xof'), gateway.getStatus('ref-eur'), gateway.createPayment(input)]);
      expect(requestsTo('/collection/token/')).toHaveLength(1);
    });

    it('keeps one token per product', async () => {
      fresh();
      await gateway.createPayment(input);
      await gateway.disburse({ disbursementId: PAYOUT_ID, amount: 500000, currency: 'XOF', phoneNumber: '+2290197222222', note: 'kaba inv' });
      await gateway.createPayment(input);
      expect(requestsTo('/collection/token/')).toHaveLength(1);
      expect(requestsTo('/disbursement/token/')).toHaveLength(1);
    });

    it('fetches a new token after MoMo rejects one with 401', async () => {
      const rejecting = new FakeGatewayServer()
        .on('POST /collection/token/', tokenAnswer('col.token'))
        .on('GET /collection/v1_0/requesttopay/*', (req) =>
          req.headers.authorization === 'Bearer col.token' && rejecting.requests.filter((r) => r.path === '/collection/token/').length < 2
            ? { status: 401, body: { message: 'Access token is invalid' } }
            : { status: 200, body: statusBody('PENDING') },
        );
      const momo = new MomoGateway(settings(await rejecting.start()), new ManualClock(new Date()), sequentialIds());
      await expect(momo.getStatus('ref-1')).rejects.toMatchObject({ kind: 'auth' });
      expect(await momo.getStatus('ref-1')).toMatchObject({ status: 'pending' });
      expect(rejecting.requests.filter((r) => r.path === '/collection/token/')).toHaveLength(2);
      await rejecting.stop();
    });
  });

  describe('status (GET /collection/v1_0/requesttopay/{referenceId})', () => {
    it('asks with the bearer token, target environment and subscription key, and no body', async () => {
      expect(await fresh().getStatus('ref-xof')).toEqual({ status: 'succeeded', gatewayStatus: 'SUCCESSFUL', amount: 500000, currency: 'XOF' });
      const sent = fake.last();
      expect([sent.method, sent.path, sent.rawBody]).toEqual(['GET', '/collection/v1_0/requesttopay/ref-xof', '']);
      expect(sent.headers).toMatchObject({ authorization: 'Bearer col.token', 'x-target-environment': 'mtnbenin', 'ocp-apim-subscription-key': 'col-sub' });
    });

    it('converts the major-unit string back to integer minor units (EUR "10.50" → 1050)', async () => {
      expect(await fresh().getStatus('ref-eur')).toEqual({ status: 'succeeded', gatewayStatus: 'SUCCESSFUL', amount: 1050, currency: 'EUR' });
    });

    it('maps FAILED with its reason, and an unknown word to pending (never success)', async () => {
      fresh();
      expect(await gateway.getStatus('ref-failed')).toEqual({ status: 'failed', gatewayStatus: 'FAILED', amount: 500000, currency: 'XOF', failureReason: 'APPROVAL_REJECTED' });
      expect(await gateway.getStatus('ref-failed-object')).toMatchObject({ status: 'failed', failureReason: 'PAYER_NOT_FOUND' });
      expect(await gateway.getStatus('ref-odd')).toMatchObject({ status: 'pending', gatewayStatus: 'ONGOING' });
    });

    it('reports success only with an amount the core can check', async () => {
      fresh();
      await expect(gateway.getStatus('ref-no-amount')).rejects.toMatchObject({ name: 'GatewayError', kind: 'unavailable', retryable: true });
      await expect(gateway.getStatus('ref-too-precise')).rejects.toMatchObject({ kind: 'unavailable' });
      // A currency we do not know is passed through, so the core flags the mismatch.
      expect(await gateway.getStatus('ref-foreign')).toEqual({ status: 'succeeded', gatewayStatus: 'SUCCESSFUL', currency: 'UGX' });
    });

    it('the status cases cover exactly the whole table (collection and transfer)', () => {
      expect(STATUS_CASES.map(([word]) => word).sort()).toEqual([...MOMO_STATUS_WORDS].sort());
      expect(Object.fromEntries(STATUS_CASES)).toEqual(MOMO_STATUS);
      expect(MOMO_TRANSFER_STATUS).toEqual({ PENDING: 'pending', SUCCESSFUL: 'succeeded', FAILED: 'failed' });
    });
  });

  describe('callbacks', () => {
    it('verifyWebhook is a no-op: MoMo does not sign callbacks (webhookAuth none, re-query instead)', () => {
      expect(() => fresh().verifyWebhook()).not.toThrow();
      expect(gateway.capabilities).toMatchObject({ webhookAuth: 'none', requeryOnWebhook: true });
    });

    it('is a hint keyed by the reference in our callback path, never by the body', () => {
      fresh();
      const body = Buffer.from(JSON.stringify({ ...statusBody('SUCCESSFUL'), referenceId: 'someone-else' }));
      expect(gateway.parseWebhook(body, { reference: 'ref-1' })).toEqual([{ eventId: 'callback:ref-1:SUCCESSFUL', gatewayTransactionId: 'ref-1', status: 'succeeded' }]);
      expect(gateway.parseWebhook(Buffer.from(JSON.stringify(statusBody('FAILED'))), { reference: 'ref-1' })).toEqual([
        { eventId: 'callback:ref-1:FAILED', gatewayTransactionId: 'ref-1', status: 'failed' },
      ]);
      expect(gateway.parseWebhook(Buffer.from('not json'), { reference: 'ref-1' })).toEqual([
        { eventId: 'callback:ref-1:unknown', gatewayTransactionId: 'ref-1', status: 'pending' },
      ]);
      expect(gateway.parseWebhook(body, { reference: null })).toEqual([]);
    });
  });

  describe('refunds', () => {
    it('are manual: pending, no call', async () => {
      expect(await fresh().refund()).toEqual({ status: 'pending', gatewayRefundId: null });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('disbursements (Disbursement product)', () => {
    it('transfers with its own token, subscription key and reference, amount as a string', async () => {
      const result = await fresh({ targetEnvironment: 'sandbox' }).disburse({ disbursementId: PAYOUT_ID, amount: 1050, currency: 'EUR', phoneNumber: '+2290197222222', note: 'kaba inv-1' });
      const [token, transfer] = fake.requests;
      expect([token?.path, transfer?.method, transfer?.path]).toEqual(['/disbursement/token/', 'POST', '/disbursement/v1_0/transfer']);
      expect(token?.headers).toMatchObject({ authorization: basic('dis-user', 'dis-key'), 'ocp-apim-subscription-key': 'dis-sub' });
      // Our disbursement id is the X-Reference-Id: recorded before the call, re-used by any retry.
      expect(result).toEqual({ status: 'pending', providerReference: PAYOUT_ID });
      expect(transfer?.headers).toMatchObject({
        authorization: 'Bearer dis.token',
        'ocp-apim-subscription-key': 'dis-sub',
        'x-reference-id': result.providerReference,
        'x-target-environment': 'sandbox',
        'x-callback-url': `https://payments.example/webhooks/momo/disbursements/${PAYOUT_ID}`,
      });
      expect(JSON.parse(transfer?.rawBody ?? '')).toEqual({
        amount: '10.50',
        currency: 'EUR',
        externalId: PAYOUT_ID,
        payee: { partyIdType: 'MSISDN', partyId: '2290197222222' },
        payerMessage: 'kaba inv-1',
        payeeNote: PAYOUT_ID,
      });
    });

    it('follows GET /disbursement/v1_0/transfer/{referenceId}', async () => {
      fresh();
      expect(await gateway.getDisbursementStatus('tr-pending')).toEqual({ status: 'pending', providerReference: 'tr-pending' });
      expect(await gateway.getDisbursementStatus('tr-ok')).toEqual({ status: 'succeeded', providerReference: 'tr-ok' });
      expect(await gateway.getDisbursementStatus('tr-failed')).toEqual({ status: 'failed', providerReference: 'tr-failed', failureReason: 'PAYEE_NOT_FOUND' });
      expect(await gateway.getDisbursementStatus('tr-odd')).toEqual({ status: 'pending', providerReference: 'tr-odd' });
      expect(fake.last()).toMatchObject({ method: 'GET', path: '/disbursement/v1_0/transfer/tr-odd', headers: { authorization: 'Bearer dis.token', 'ocp-apim-subscription-key': 'dis-sub' } });
    });

    it('without disbursement credentials refuses before any call', async () => {
      const error = await fresh({ disbursement: noCredentials })
        .disburse({ disbursementId: PAYOUT_ID, amount: 1, currency: 'XOF', phoneNumber: '+2290197222222', note: 'n' })
        .then(resolvedUnexpectedly, (e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({ kind: 'auth', createdNothing: true });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('error classification', () => {
    const failingWith = async (route: string, answer: FakeResponse) => {
      const server = new FakeGatewayServer()
        .on('POST /collection/token/', tokenAnswer('col.token'))
        .on('POST /disbursement/token/', tokenAnswer('dis.token'))
        .on(route, answer);
      const momo = new MomoGateway(settings(await server.start()), new ManualClock(new Date()), sequentialIds());
      return { momo, stop: () => server.stop() };
    };

    it('a closed port created nothing', async () => {
      const down = new MomoGateway(settings(await closedPortUrl()), new ManualClock(new Date()), sequentialIds());
      await expect(down.createPayment(input)).rejects.toMatchObject({ gateway: 'momo', kind: 'unavailable', retryable: true, createdNothing: true });
    });

    it('a rejected token (401) is auth and created nothing; a 500 on the token is unavailable', async () => {
      const bad = await failingWith('POST /collection/token/', { status: 401, body: { error: 'login_failed' } });
      // The route above replaces the token route.
      await expect(bad.momo.createPayment(input)).rejects.toMatchObject({ kind: 'auth', retryable: false, createdNothing: true });
      await bad.stop();
      const down = await failingWith('POST /collection/token/', { status: 500 });
      await expect(down.momo.createPayment(input)).rejects.toMatchObject({ kind: 'unavailable', retryable: true, createdNothing: true });
      await down.stop();
    });

    it('requesttopay and transfer: 409 RESOURCE_ALREADY_EXIST for our own reference is our earlier request, so it counts as created', async () => {
      const server = await failingWith('POST /collection/v1_0/requesttopay', { status: 409, body: { code: 'RESOURCE_ALREADY_EXIST', message: 'Duplicated reference id. Creation for resource failed.' } });
      expect(await server.momo.createPayment(input)).toEqual({ gatewayTransactionId: input.intentId, paymentUrl: null, clientSecret: null, paymentMode: 'push' });
      await server.stop();
      const transfer = await failingWith('POST /disbursement/v1_0/transfer', { status: 409, body: { code: 'RESOURCE_ALREADY_EXIST' } });
      expect(await transfer.momo.disburse({ disbursementId: PAYOUT_ID, amount: 1, currency: 'XOF', phoneNumber: '+2290197222222', note: 'n' })).toEqual({ status: 'pending', providerReference: PAYOUT_ID });
      await transfer.stop();
    });

    it('requesttopay: 500 unavailable (ambiguous), 400 invalid, 401 auth', async () => {
      const cases: Array<[number, object]> = [
        [500, { kind: 'unavailable', retryable: true, createdNothing: false }],
        [400, { kind: 'invalid_request', retryable: false, createdNothing: true }],
        [401, { kind: 'auth', retryable: false, createdNothing: true }],
      ];
      for (const [status, expected] of cases) {
        const server = await failingWith('POST /collection/v1_0/requesttopay', { status, body: { code: 'X', message: 'LEAK +2290161000000' } });
        const error = await server.momo.createPayment(input).then(resolvedUnexpectedly, (e: unknown) => e as GatewayError);
        await server.stop();
        expect([status, error]).toEqual([status, expect.objectContaining(expected)]);
        expect(error.message).not.toContain('LEAK');
      }
    });

    it('transfer: a 500 is ambiguous, so the core never pays through a second provider', async () => {
      const server = await failingWith('POST /disbursement/v1_0/transfer', { status: 500 });
      await expect(
        server.momo.disburse({ disbursementId: PAYOUT_ID, amount: 1, currency: 'XOF', phoneNumber: '+2290197222222', note: 'n' }),
      ).rejects.toMatchObject({ kind: 'unavailable', retryable: true, createdNothing: false });
      await server.stop();
    });

    it('status: 404 RESOURCE_NOT_FOUND is "no such payment" (still pending, notFound), 500 unavailable', async () => {
      fresh();
      expect(await gateway.getStatus('ref-404')).toEqual({ status: 'pending', gatewayStatus: 'NOT_FOUND', notFound: true });
      await expect(gateway.getStatus('ref-unknown-to-the-fake')).rejects.toMatchObject({ kind: 'unavailable', retryable: true });
    });
  });
});

describe('fromMajorUnitString', () => {
  it.each([
    ['10.50', 'EUR', 1050],
    ['10.5', 'EUR', 1050],
    ['10', 'EUR', 1000],
    ['0.07', 'EUR', 7],
    ['500000', 'XOF', 500000],
    ['500000.00', 'XOF', 500000],
    [500000, 'XOF', 500000],
    ['10.505', 'EUR', null],
    ['1.5', 'XOF', null],
    ['-5', 'XOF', null],
    ['abc', 'EUR', null],
    ['', 'EUR', null],
    [null, 'EUR', null],
    ['100', 'UGX', null],
  ])('%p %s → %p', (value, currency, expected) => {
    expect(fromMajorUnitString(value, currency)).toBe(expected);
  });
});

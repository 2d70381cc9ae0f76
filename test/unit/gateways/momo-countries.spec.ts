import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { loadConfig, type ConfigError } from '../../../src/config/load-config.js';
import { DomainError } from '../../../src/domain/errors.js';
import { GatewayError, type CreatePaymentInput } from '../../../src/gateways/gateway.js';
import { MomoGateway } from '../../../src/gateways/momo/momo.gateway.js';
import { FakeGatewayServer, type RecordedRequest } from '../../support/fake-gateway-server.js';
import { ManualClock } from '../../support/manual-clock.js';

// ADR 0018: one MoMo credential set per country; the sandbox takes EUR only.
const BASE_ENV = { NODE_ENV: 'test', PAYMENTS_TABLE_NAME: 't' };
const creds = (prefix: string, user: string) => ({
  [`${prefix}_COLLECTION_SUBSCRIPTION_KEY`]: `${user}-sub`,
  [`${prefix}_COLLECTION_API_USER`]: user,
  [`${prefix}_COLLECTION_API_KEY`]: `${user}-key`,
  [`${prefix}_DISBURSEMENT_SUBSCRIPTION_KEY`]: `${user}-dsub`,
  [`${prefix}_DISBURSEMENT_API_USER`]: `${user}-d`,
  [`${prefix}_DISBURSEMENT_API_KEY`]: `${user}-dkey`,
});
const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig({ ...BASE_ENV, ...env });
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('MoMo configuration per country', () => {
  it('the MOMO_* set serves the country its target environment names; MOMO_<CC>_* sets add countries', () => {
    const config = loadConfig({ ...BASE_ENV, MOMO_TARGET_ENVIRONMENT: 'mtnbenin', ...creds('MOMO', 'bj'), ...creds('MOMO_GH', 'gh') });
    expect(config.gateways.momo).toMatchObject({ targetEnvironment: 'mtnbenin', country: null, otherCountries: [{ country: 'GH', targetEnvironment: 'mtnghana' }] });
    const gateway = new MomoGateway({ ...config.gateways.momo, callbackBaseUrl: '' }, new ManualClock(new Date()));
    expect([gateway.capabilities.countries, gateway.capabilities.currencies]).toEqual([
      ['BJ', 'GH'],
      ['XOF', 'GHS'],
    ]);
  });

  it('MOMO_COUNTRY names the country explicitly; the sandbox stands in for every MoMo country in EUR', () => {
    const explicit = loadConfig({ ...BASE_ENV, MOMO_TARGET_ENVIRONMENT: 'mtnmtnx', MOMO_COUNTRY: 'cm', ...creds('MOMO', 'cm') });
    expect(new MomoGateway({ ...explicit.gateways.momo, callbackBaseUrl: '' }, new ManualClock(new Date())).capabilities.countries).toEqual(['CM']);
    const sandbox = new MomoGateway({ ...loadConfig({ ...BASE_ENV, ...creds('MOMO', 'sb') }).gateways.momo, callbackBaseUrl: '' }, new ManualClock(new Date()));
    expect(sandbox.capabilities.countries).toEqual(['BJ', 'CI', 'CM', 'CG', 'GN', 'GH']);
    expect(sandbox.capabilities.currencies).toContain('EUR');
  });

  it('reports sets it cannot place or that are half filled', () => {
    expect(problemsOf({ MOMO_TARGET_ENVIRONMENT: 'mtnuganda' })).toEqual([expect.stringContaining('MOMO_COUNTRY is required')]);
    expect(problemsOf({ MOMO_COUNTRY: 'FR' })).toEqual([expect.stringContaining('MOMO_COUNTRY must be one of')]);
    expect(problemsOf({ MOMO_UG_COLLECTION_API_USER: 'u' })).toEqual([expect.stringContaining('UG is not a MoMo country')]);
    expect(problemsOf({ MOMO_TARGET_ENVIRONMENT: 'mtnghana', MOMO_GH_COLLECTION_API_USER: 'u' })).toEqual([expect.stringContaining('already served')]);
    expect(problemsOf({ MOMO_CM_COLLECTION_API_USER: 'u' })).toEqual([expect.stringContaining('MOMO_CM_COLLECTION_SUBSCRIPTION_KEY, _API_USER and _API_KEY must be set together')]);
  });
});

describe('MoMo adapter with several country accounts', () => {
  const fake = new FakeGatewayServer();
  const statuses = new Map<string, Record<string, unknown>>();
  const bodyOf = (req: RecordedRequest) => statuses.get(`${String(req.headers['x-target-environment'])}:${req.path.split('/').at(-1)}`);
  const answer = (req: RecordedRequest) => {
    const body = bodyOf(req);
    return body ? { status: 200, body } : { status: 404, body: { code: 'RESOURCE_NOT_FOUND', message: 'Requested resource was not found.' } };
  };
  const clock = new ManualClock(new Date('2026-03-08T12:00:00Z'));
  const account = (targetEnvironment: string, user: string) => ({
    targetEnvironment,
    collection: { subscriptionKey: `${user}-sub`, apiUser: user, apiKey: `${user}-key` },
    disbursement: { subscriptionKey: `${user}-dsub`, apiUser: `${user}-d`, apiKey: `${user}-dkey` },
  });
  const gateway = (primary = account('mtnbenin', 'bj')) =>
    new MomoGateway({ baseUrl: fake.baseUrl, callbackBaseUrl: '', ...primary, otherCountries: [{ ...account('mtnghana', 'gh'), country: 'GH' }] }, clock);
  const input = (country: string, currency: CreatePaymentInput['currency'], phoneNumber: string): CreatePaymentInput => ({
    intentId: '550e8400-e29b-41d4-a716-446655440000',
    amount: 2000,
    currency,
    country,
    metadata: { appId: 'kaba', referenceId: 'inv', phoneNumber },
    returnUrl: null,
    useWidget: false,
  });
  const calls = () => fake.requests.filter((r) => !r.path.endsWith('/token/'));

  beforeAll(async () => {
    fake.on('POST /collection/token/', { status: 200, body: { access_token: 'c.token', expires_in: 3600 } });
    fake.on('POST /disbursement/token/', { status: 200, body: { access_token: 'd.token', expires_in: 3600 } });
    fake.on('POST /collection/v1_0/requesttopay', { status: 202 });
    fake.on('POST /disbursement/v1_0/transfer', { status: 202 });
    fake.on('GET /collection/v1_0/requesttopay/*', answer);
    fake.on('GET /disbursement/v1_0/transfer/*', answer);
    await fake.start();
  });
  afterEach(() => {
    fake.requests.length = 0;
    statuses.clear();
  });
  afterAll(async () => {
    await fake.stop();
  });

  it('each payment goes to its country account: its target environment and subscription key', async () => {
    await gateway().createPayment(input('GH', 'GHS', '+233241234567'));
    await gateway().createPayment({ ...input('BJ', 'XOF', '+2290161000000'), intentId: '6ec0bd7f-11c0-43da-975e-2a8ad9ebae0b' });
    expect(calls().map((r) => [r.headers['x-target-environment'], r.headers['ocp-apim-subscription-key']])).toEqual([
      ['mtnghana', 'gh-sub'],
      ['mtnbenin', 'bj-sub'],
    ]);
  });

  it('a currency the country account does not take is refused before any call, as "nothing created" (fallback allowed)', async () => {
    const error = await gateway().createPayment(input('BJ', 'GHS', '+2290161000000')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ kind: 'invalid_request', createdNothing: true });
    expect(fake.requests).toHaveLength(0);
  });

  it('a country without an account is refused before anything is recorded (402)', () => {
    expect(() => gateway().validatePayment(input('CM', 'XAF', '+237650000000'))).toThrow(/MTN MoMo is not configured for country CM/);
  });

  it('status: the account that knows the reference answers; 404 from all is "not found"', async () => {
    statuses.set('mtnghana:ref-gh', { amount: '20.00', currency: 'GHS', status: 'SUCCESSFUL' });
    expect(await gateway().getStatus('ref-gh')).toMatchObject({ status: 'succeeded', amount: 2000, currency: 'GHS' });
    expect(await gateway().getStatus('ref-none')).toMatchObject({ notFound: true });
  });

  it('payouts use the account of the payee number\'s country; no account for it certainly sends nothing', async () => {
    await gateway().disburse({ disbursementId: '7d444840-9dc0-4f4e-9e5a-2d3b1c0f6a11', amount: 2000, currency: 'GHS', phoneNumber: '+233241234567', note: 'n' });
    expect(calls().map((r) => [r.path, r.headers['x-target-environment'], r.headers['ocp-apim-subscription-key']])).toEqual([['/disbursement/v1_0/transfer', 'mtnghana', 'gh-dsub']]);
    fake.requests.length = 0;
    const error = await gateway()
      .disburse({ disbursementId: '7d444840-9dc0-4f4e-9e5a-2d3b1c0f6a12', amount: 5000, currency: 'XAF', phoneNumber: '+237650000000', note: 'n' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'invalid_request', createdNothing: true });
    expect(fake.requests).toHaveLength(0);
  });

  describe('sandbox (EUR only)', () => {
    const sandbox = () => new MomoGateway({ baseUrl: fake.baseUrl, callbackBaseUrl: '', ...account('sandbox', 'sb') }, clock);

    it('refuses a non-EUR payment at validation with a 402 naming the reason; EUR goes through', async () => {
      const refusal = (() => {
        try {
          sandbox().validatePayment(input('GH', 'GHS', '+233241234567'));
        } catch (error) {
          return error;
        }
        return null;
      })();
      expect(refusal).toBeInstanceOf(DomainError);
      expect(refusal).toMatchObject({ code: 'PAYMENT_ERROR', message: expect.stringMatching(/sandbox.*EUR only.*GHS/) });
      await sandbox().createPayment(input('GH', 'EUR', '+233241234567'));
      expect(calls().map((r) => r.headers['x-target-environment'])).toEqual(['sandbox']);
    });

    it('refuses a non-EUR payout before any call, as "nothing created", so the payout may go to Moov', async () => {
      const error = await sandbox()
        .disburse({ disbursementId: '7d444840-9dc0-4f4e-9e5a-2d3b1c0f6a13', amount: 500000, currency: 'XOF', phoneNumber: '+2290197222222', note: 'n' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'invalid_request', createdNothing: true, message: expect.stringContaining('EUR only') });
      expect(fake.requests).toHaveLength(0);
    });
  });
});

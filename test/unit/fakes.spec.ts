import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { FakeGatewayServer } from '../support/fake-gateway-server.js';
import { FakeProviderServer } from '../support/fakes/fake-provider-server.js';
import { MOMO_ROUTES, MomoFake } from '../support/fakes/momo-fake.js';
import { PAYSTACK_ROUTES, PaystackFake } from '../support/fakes/paystack-fake.js';
import { STRIPE_ROUTES, StripeFake } from '../support/fakes/stripe-fake.js';

// The fakes keep each provider's idempotency rules strictly, so money-path tests can compare
// "money moved at the fake" with "money recorded by the service". These tests pin those rules.

const REF_1 = '11111111-1111-4111-8111-111111111111';
const REF_2 = '22222222-2222-4222-8222-222222222222';

const failureOf = async (promise: Promise<unknown>): Promise<Error & { cause?: { code?: string } }> => {
  try {
    await promise;
  } catch (error) {
    return error as Error & { cause?: { code?: string } };
  }
  throw new Error('expected a rejection');
};

// The smallest fake: each POST /things creates one thing.
class CounterFake extends FakeProviderServer<'POST /things'> {
  created = 0;
  constructor() {
    super({ serverError: { error: 'boom' }, unavailable: { error: 'busy' } });
    this.route('POST /things', () => ({ status: 201, body: { thing: ++this.created } }));
  }
}

describe('fault injection', () => {
  let fake: CounterFake;
  const post = (signal?: AbortSignal) => fetch(`${fake.baseUrl}/things`, { method: 'POST', signal });
  beforeEach(async () => {
    fake = new CounterFake();
    await fake.start();
  });
  afterEach(() => fake.stop());

  it('consumes faults in order, then behaves normally', async () => {
    fake.inject('POST /things', 'refuse-503').inject('POST /things', 'act-then-500', 2);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post()).status);
    expect(statuses).toEqual([503, 500, 500, 201]);
    expect(fake.created).toBe(3);
    expect(fake.pendingFaults()).toBe(0);
  });

  it('act-then-500 performs the effect once and answers 500', async () => {
    fake.inject('POST /things', 'act-then-500');
    const response = await post();
    expect([response.status, await response.json()]).toEqual([500, { error: 'boom' }]);
    expect(fake.created).toBe(1);
  });

  it('act-then-reset performs the effect and resets the socket', async () => {
    fake.inject('POST /things', 'act-then-reset');
    const error = await failureOf(post());
    expect(error.message).toBe('fetch failed');
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(error.cause?.code);
    expect(fake.created).toBe(1);
  });

  it("act-then-hang performs the effect and never answers: the client's timeout fires", async () => {
    fake.inject('POST /things', 'act-then-hang');
    const error = await failureOf(post(AbortSignal.timeout(200)));
    expect(error.name).toBe('TimeoutError');
    expect(fake.created).toBe(1);
    expect((await post()).status).toBe(201);
  });

  it('stop() closes a socket left hanging', async () => {
    fake.inject('POST /things', 'act-then-hang');
    const hanging = failureOf(post());
    await fake.waitForRequests(1);
    expect(fake.created).toBe(1);
    await fake.stop();
    expect((await hanging).message).toBe('fetch failed');
  });
});

describe('MoMo fake', () => {
  const fake = new MomoFake({ targetEnvironment: 'mtnbenin', currency: 'XOF' });
  const receiver = new FakeGatewayServer().on('POST /webhooks/momo/*', { status: 200 });
  const tokens: Record<string, string> = {};
  const call = (method: string, path: string, options: { ref?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {}) =>
    fetch(`${fake.baseUrl}${path}`, {
      method,
      headers: {
        'Ocp-Apim-Subscription-Key': 'sub',
        'X-Target-Environment': 'mtnbenin',
        Authorization: `Bearer ${options.token ?? tokens[path.split('/')[1] ?? '']}`,
        ...(options.ref ? { 'X-Reference-Id': options.ref } : {}),
        ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  const pay = (amount = '500') => ({ amount, currency: 'XOF', externalId: 'intent-1', payer: { partyIdType: 'MSISDN', partyId: '2290161000000' }, payerMessage: 'Kaba', payeeNote: 'invoice-1' });
  const payout = (amount = '300') => ({ amount, currency: 'XOF', externalId: 'disb-1', payee: { partyIdType: 'MSISDN', partyId: '2290162000000' }, payerMessage: 'Kaba', payeeNote: 'payout' });

  beforeAll(async () => {
    await Promise.all([fake.start(), receiver.start()]);
    for (const product of ['collection', 'disbursement']) {
      const response = await fetch(`${fake.baseUrl}/${product}/token/`, {
        method: 'POST',
        headers: { 'Ocp-Apim-Subscription-Key': 'sub', Authorization: `Basic ${Buffer.from('user:key').toString('base64')}` },
      });
      const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
      expect(body).toMatchObject({ token_type: 'access_token', expires_in: 3600 });
      tokens[product] = body.access_token;
    }
  });
  afterAll(() => Promise.all([fake.stop(), receiver.stop()]));

  it('answers 202 once per X-Reference-Id and 409 RESOURCE_ALREADY_EXIST after, with one effect', async () => {
    const first = await call('POST', '/collection/v1_0/requesttopay', { ref: REF_1, body: pay(), headers: { 'X-Callback-Url': `${receiver.baseUrl}/webhooks/momo/${REF_1}` } });
    expect([first.status, await first.text()]).toEqual([202, '']);
    const again = await call('POST', '/collection/v1_0/requesttopay', { ref: REF_1, body: pay('900') });
    expect([again.status, await again.json()]).toEqual([409, { code: 'RESOURCE_ALREADY_EXIST', message: 'Duplicated reference id. Creation of resource failed.' }]);
    expect(fake.count('collection')).toBe(1);
    const status = await call('GET', `/collection/v1_0/requesttopay/${REF_1}`);
    expect(await status.json()).toEqual({ ...pay(), status: 'PENDING' });
  });

  it('settles, reports money moved per product in minor units, and sends the unsigned callback', async () => {
    fake.settle(REF_1, 'SUCCESSFUL');
    expect(await (await call('GET', `/collection/v1_0/requesttopay/${REF_1}`)).json()).toMatchObject({ status: 'SUCCESSFUL', financialTransactionId: expect.any(String) });
    expect(await fake.callback(REF_1)).toBe(200);
    expect(receiver.last().body).toMatchObject({ amount: '500', status: 'SUCCESSFUL', externalId: 'intent-1' });
    expect(Object.keys(receiver.last().headers).filter((name) => /signature/i.test(name))).toEqual([]);
    expect(() => fake.settle(REF_1, 'FAILED')).toThrow('already SUCCESSFUL');

    expect((await call('POST', '/disbursement/v1_0/transfer', { ref: REF_2, body: payout() })).status).toBe(202);
    fake.settle(REF_2, 'FAILED', 'PAYEE_NOT_FOUND');
    expect(await (await call('GET', `/disbursement/v1_0/transfer/${REF_2}`)).json()).toEqual({ ...payout(), status: 'FAILED', reason: 'PAYEE_NOT_FOUND' });
    expect(fake.moneyMoved()).toEqual({ collected: 500, disbursed: 0 });
  });

  it('answers 404 RESOURCE_NOT_FOUND for an unknown reference', async () => {
    const response = await call('GET', '/disbursement/v1_0/transfer/33333333-3333-4333-8333-333333333333');
    expect([response.status, await response.json()]).toEqual([404, { code: 'RESOURCE_NOT_FOUND', message: 'Requested resource was not found.' }]);
  });

  it('refuses what the real API refuses', async () => {
    const notUuid = await call('POST', '/collection/v1_0/requesttopay', { ref: 'not-a-uuid', body: pay() });
    expect([notUuid.status, await notUuid.json()]).toEqual([400, expect.objectContaining({ code: 'INVALID_REFERENCE_ID' })]);
    expect((await call('POST', '/collection/v1_0/requesttopay', { ref: '44444444-4444-4444-8444-444444444444', body: { ...pay(), amount: 500 } })).status).toBe(400);
    expect((await call('POST', '/collection/v1_0/requesttopay', { ref: '44444444-4444-4444-8444-444444444444', body: pay(), token: 'stale' })).status).toBe(401);
    expect((await call('GET', `/collection/v1_0/requesttopay/${REF_1}`, { token: tokens.disbursement })).status).toBe(401);
    expect((await call('GET', `/collection/v1_0/requesttopay/${REF_1}`, { headers: { 'X-Target-Environment': 'mtnghana' } })).status).toBe(500);
    expect(fake.count('collection')).toBe(1);
  });

  it('act-then-500 stores the transfer, and the retry with the same reference is 409 with no second payout', async () => {
    const ref = '55555555-5555-4555-8555-555555555555';
    fake.inject(MOMO_ROUTES.transfer, 'act-then-500');
    expect((await call('POST', '/disbursement/v1_0/transfer', { ref, body: payout('1000') })).status).toBe(500);
    expect((await call('POST', '/disbursement/v1_0/transfer', { ref, body: payout('1000') })).status).toBe(409);
    expect(fake.count('disbursement')).toBe(2);
    fake.settle(ref, 'SUCCESSFUL');
    expect(fake.moneyMoved('XOF')).toEqual({ collected: 500, disbursed: 1000 });
  });

  it('refuse-503 stores nothing, so the retry creates the resource', async () => {
    const ref = '66666666-6666-4666-8666-666666666666';
    fake.inject(MOMO_ROUTES.requestToPay, 'refuse-503');
    expect((await call('POST', '/collection/v1_0/requesttopay', { ref, body: pay() })).status).toBe(503);
    expect(fake.resource('collection', ref)).toBeUndefined();
    expect((await call('POST', '/collection/v1_0/requesttopay', { ref, body: pay() })).status).toBe(202);
  });
});

describe('Stripe fake (official SDK)', () => {
  const fake = new StripeFake({ secretKey: 'sk_test_fake' });
  let stripe: Stripe;
  const client = (timeout?: number) => new Stripe('sk_test_fake', { host: '127.0.0.1', port: Number(new URL(fake.baseUrl).port), protocol: 'http', maxNetworkRetries: 0, ...(timeout ? { timeout } : {}) });
  const paidIntent = async (amount = 5000) => {
    const intent = await stripe.paymentIntents.create({ amount, currency: 'usd', automatic_payment_methods: { enabled: true }, metadata: { intentId: 'i-1' } });
    fake.succeed(intent.id);
    return intent;
  };
  beforeAll(async () => {
    await fake.start();
    stripe = client();
  });
  afterAll(() => fake.stop());

  it('creates and retrieves PaymentIntents; an unknown id is resource_missing', async () => {
    const created = await stripe.paymentIntents.create({ amount: 5000, currency: 'USD', automatic_payment_methods: { enabled: true }, metadata: { intentId: 'i-1' } });
    expect(created).toMatchObject({ object: 'payment_intent', amount: 5000, currency: 'usd', status: 'requires_payment_method', amount_received: 0, last_payment_error: null, metadata: { intentId: 'i-1' } });
    expect(created.client_secret).toMatch(new RegExp(`^${created.id}_secret_`));
    fake.succeed(created.id);
    expect(await stripe.paymentIntents.retrieve(created.id)).toMatchObject({ status: 'succeeded', amount_received: 5000 });
    const error = (await failureOf(stripe.paymentIntents.retrieve('pi_nope'))) as Stripe.errors.StripeError;
    expect([error.statusCode, error.rawType, error.code]).toEqual([404, 'invalid_request_error', 'resource_missing']);
  });

  it('replays the saved answer for the same Idempotency-Key and parameters, with no second refund', async () => {
    const intent = await paidIntent();
    const before = fake.refundCount();
    const first = await stripe.refunds.create({ payment_intent: intent.id, amount: 1000, reason: 'requested_by_customer' }, { idempotencyKey: 'refund-1' });
    const replay = await stripe.refunds.create({ reason: 'requested_by_customer', amount: 1000, payment_intent: intent.id }, { idempotencyKey: 'refund-1' });
    expect(replay).toEqual(first);
    expect(replay.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(fake.refundCount()).toBe(before + 1);
  });

  it('answers idempotency_error when the key comes back with other parameters', async () => {
    const intent = await paidIntent();
    await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 }, { idempotencyKey: 'refund-2' });
    const error = (await failureOf(stripe.refunds.create({ payment_intent: intent.id, amount: 2000 }, { idempotencyKey: 'refund-2' }))) as Stripe.errors.StripeError;
    expect([error.type, error.statusCode]).toEqual(['StripeIdempotencyError', 400]);
    expect(error.message).toMatch(/^Keys for idempotent requests can only be used with the same parameters they were first used with/);
    expect(fake.refundedTotal(intent.id)).toBe(1000);
  });

  it('act-then-500 refunds, and the retry with the key gets the original success', async () => {
    const intent = await paidIntent();
    fake.inject(STRIPE_ROUTES.createRefund, 'act-then-500');
    const error = (await failureOf(stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'refund-3' }))) as Stripe.errors.StripeError;
    expect([error.type, error.statusCode]).toEqual(['StripeAPIError', 500]);
    expect(fake.refundedTotal(intent.id)).toBe(5000);
    const retried = await stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'refund-3' });
    expect([retried.status, retried.amount, retried.lastResponse.headers['idempotent-replayed']]).toEqual(['succeeded', 5000, 'true']);
    expect(fake.refundedTotal(intent.id)).toBe(5000);
  });

  it('the SDK retries a reset once with its own key: one refund', async () => {
    const intent = await paidIntent();
    const before = fake.refundCount();
    fake.inject(STRIPE_ROUTES.createRefund, 'act-then-reset');
    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 700 });
    expect(refund.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(fake.refundCount()).toBe(before + 1);
  });

  it('act-then-hang creates the PaymentIntent; the retry after the timeout replays it', async () => {
    const before = fake.paymentIntentCount();
    fake.inject(STRIPE_ROUTES.createPaymentIntent, 'act-then-hang');
    const params = { amount: 900, currency: 'eur' };
    const error = (await failureOf(client(200).paymentIntents.create(params, { idempotencyKey: 'pi-hang' }))) as Stripe.errors.StripeError;
    expect(error.type).toBe('StripeConnectionError');
    const retried = await stripe.paymentIntents.create(params, { idempotencyKey: 'pi-hang' });
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(fake.paymentIntentCount()).toBe(before + 1);
  });

  it('refuse-503 saves nothing: the retry with the key refunds for real', async () => {
    const intent = await paidIntent();
    fake.inject(STRIPE_ROUTES.createRefund, 'refuse-503');
    expect(((await failureOf(stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'refund-4' }))) as Stripe.errors.StripeError).statusCode).toBe(503);
    expect(fake.refundedTotal(intent.id)).toBe(0);
    const refund = await stripe.refunds.create({ payment_intent: intent.id }, { idempotencyKey: 'refund-4' });
    expect([refund.amount, refund.lastResponse.headers['idempotent-replayed']]).toEqual([5000, undefined]);
  });

  it('refuses refunds beyond the unrefunded amount and of unpaid PaymentIntents', async () => {
    const intent = await paidIntent(1000);
    await stripe.refunds.create({ payment_intent: intent.id, amount: 600 });
    const tooLarge = (await failureOf(stripe.refunds.create({ payment_intent: intent.id, amount: 500 }))) as Stripe.errors.StripeError;
    expect([tooLarge.statusCode, tooLarge.code]).toEqual([400, 'amount_too_large']);
    await stripe.refunds.create({ payment_intent: intent.id });
    const already = (await failureOf(stripe.refunds.create({ payment_intent: intent.id }))) as Stripe.errors.StripeError;
    expect([already.statusCode, already.code]).toEqual([400, 'charge_already_refunded']);
    const unpaid = await stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
    expect(((await failureOf(stripe.refunds.create({ payment_intent: unpaid.id }))) as Stripe.errors.StripeError).statusCode).toBe(400);
    expect(fake.refundedTotal(intent.id)).toBe(1000);
  });

  it('signs payment_intent.succeeded webhooks the way Stripe does', async () => {
    const intent = await paidIntent();
    const { payload, header } = fake.signedEvent('payment_intent.succeeded', intent.id, 'whsec_fake');
    const event = stripe.webhooks.constructEvent(payload, header, 'whsec_fake');
    expect(event).toMatchObject({ type: 'payment_intent.succeeded', data: { object: { id: intent.id, status: 'succeeded' } } });
  });
});

describe('Paystack fake', () => {
  const fake = new PaystackFake({ secretKey: 'sk_test_paystack' });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${fake.baseUrl}${path}`, {
      method,
      headers: { Authorization: 'Bearer sk_test_paystack', ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as { status: boolean; message: string; data: Record<string, unknown> & Array<Record<string, unknown>>; meta?: unknown } };
  };
  const paid = async (reference: string, amount = 10000) => {
    expect((await call('POST', '/transaction/initialize', { email: 'a@b.co', amount: String(amount), currency: 'NGN', reference })).status).toBe(200);
    fake.succeed(reference);
    return (await call('GET', `/transaction/verify/${reference}`)).body.data;
  };
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  it('refuses a duplicate reference and answers unknown references with 404', async () => {
    const first = await call('POST', '/transaction/initialize', { email: 'a@b.co', amount: 5000, reference: 'ref-dup' });
    expect(first.body).toMatchObject({ status: true, message: 'Authorization URL created', data: { reference: 'ref-dup', access_code: expect.any(String) } });
    const again = await call('POST', '/transaction/initialize', { email: 'a@b.co', amount: 5000, reference: 'ref-dup' });
    expect(again).toMatchObject({ status: 400, body: { status: false, message: 'Duplicate Transaction Reference', code: 'duplicate_reference' } });
    expect(fake.transactionCount()).toBe(1);
    expect(await call('GET', '/transaction/verify/ref-none')).toEqual({ status: 404, body: { status: false, message: 'Transaction reference not found' } });
    expect((await call('GET', '/transaction/verify/ref-dup')).body.data).toMatchObject({ status: 'abandoned', amount: 5000 });
  });

  it('has no idempotency: the same POST /refund twice makes two refunds', async () => {
    await paid('ref-twice');
    const refund = { transaction: 'ref-twice', amount: 3000, merchant_note: 'partial', customer_note: 'sorry' };
    const first = await call('POST', '/refund', refund);
    const second = await call('POST', '/refund', refund);
    expect(first.body).toMatchObject({ status: true, message: 'Refund has been queued for processing', data: { amount: 3000, status: 'pending', merchant_note: 'partial', transaction: { reference: 'ref-twice' } } });
    expect(second.body.data.id).not.toEqual(first.body.data.id);
    expect([fake.refundCount(), fake.refundedTotal('ref-twice')]).toEqual([2, 6000]);
  });

  it('lists and fetches refunds by transaction id; refuses refunds over the remaining amount', async () => {
    const transaction = await paid('ref-list', 5000);
    await call('POST', '/refund', { transaction: transaction.id, amount: 2000 });
    expect(await call('POST', '/refund', { transaction: 'ref-list', amount: 3001 })).toMatchObject({ status: 400, body: { status: false } });
    const last = await call('POST', '/refund', { transaction: 'ref-list' });
    expect(last.body.data.amount).toBe(3000);
    expect(await call('POST', '/refund', { transaction: 'ref-list', amount: 1 })).toEqual({ status: 400, body: { status: false, message: 'Transaction has been fully reversed' } });
    expect((await call('GET', '/transaction/verify/ref-list')).body.data.status).toBe('reversed');

    const listed = await call('GET', `/refund?transaction=${String(transaction.id)}`);
    expect(listed.body).toMatchObject({ status: true, message: 'Refunds retrieved', meta: { total: 2 } });
    expect(listed.body.data.map((r) => r.amount)).toEqual([2000, 3000]);
    expect((await call('GET', '/refund?transaction=ref-list')).status).toBe(400);
    expect((await call('GET', `/refund/${String(last.body.data.id)}`)).body).toMatchObject({ message: 'Refund retrieved', data: { amount: 3000, transaction: transaction.id } });
    expect((await call('GET', '/refund/999')).status).toBe(404);
  });

  it('refuses to refund an unpaid transaction; act-then-500 still creates the refund', async () => {
    await call('POST', '/transaction/initialize', { email: 'a@b.co', amount: 5000, reference: 'ref-unpaid' });
    expect((await call('POST', '/refund', { transaction: 'ref-unpaid' })).status).toBe(400);
    await paid('ref-500', 4000);
    const before = fake.refundCount();
    fake.inject(PAYSTACK_ROUTES.createRefund, 'act-then-500');
    expect((await call('POST', '/refund', { transaction: 'ref-500', amount: 1000 })).status).toBe(500);
    expect([fake.refundCount(), fake.refundedTotal('ref-500')]).toEqual([before + 1, 1000]);
  });
});

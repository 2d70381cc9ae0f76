import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { buildServices } from '../../src/app.services.js';
import { checkDelay } from '../../src/domain/check-schedule.js';
import { GatewayError, type PaymentGateway } from '../../src/gateways/gateway.js';
import { GatewayRegistry } from '../../src/gateways/registry.js';
import { stripeIdempotencyKey } from '../../src/gateways/stripe/stripe.gateway.js';
import { dynamoHardError, dynamoInternalError, isWrite } from '../support/faulty-db.js';
import { STRIPE_ROUTES, StripeFake } from '../support/fakes/stripe-fake.js';
import { startMoneyCreateApp, writesAfter, type MoneyCreateApp } from '../support/money-create.js';

// ADR 0010 on POST /intents with Stripe (client_secret): every create carries the Idempotency-Key
// `payment-intent-<intent id>`, so re-sending it returns Stripe's saved answer instead of a second
// PaymentIntent (capabilities.createIdempotent). When the answer is lost — Stripe's 5xx or a reset
// after it acted, or our own write failing after it — the intent stays pending without its
// secret (201); a client's retry with the same key (or the reconciler) re-sends the same create
// and gets the same PaymentIntent with its secret, and only a signed payment_intent.succeeded
// settles it. CA is routed to Stripe alone (TKH is not configured).
describe('create payment on Stripe: a lost answer is recovered, never paid twice (real SDK, Stripe fake, DynamoDB Local)', () => {
  const stripe = new StripeFake();
  const WEBHOOK_SECRET = 'whsec_money';
  let app: MoneyCreateApp;
  let base = { paymentIntents: 0 };

  const body = (referenceId: string) => ({ amount: 2500, currency: 'CAD', country: 'CA', metadata: { appId: 'kaba', referenceId } });
  const paymentIntents = () => stripe.paymentIntentCount() - base.paymentIntents;
  // The creates sent for one intent (its id is in the form's metadata), and the keys they carried.
  const createsFor = (id: string) =>
    stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/payment_intents' && (r.body as Record<string, string>)['metadata[intentId]'] === id);
  // Fails our writes once Stripe stored this test's PaymentIntent.
  const afterStripeActed = writesAfter(() => paymentIntents() > 0);

  // An unknown outcome as the client sees it: 201, pending, no secret (the answer was lost).
  function expectOpenWithoutSecret(response: { status: number; body: Record<string, unknown> }, attempt: string, paymentIntentsAtStripe = 1) {
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'pending', gateway: 'stripe', paymentMode: 'client_secret', clientSecret: null, gatewayTransactionId: null });
    expect((response.body.attempts as Array<{ outcome: string }>).map((a) => a.outcome)).toEqual([attempt]);
    expect(paymentIntents()).toBe(paymentIntentsAtStripe);
    return String(response.body.id);
  }

  // Same key within the 60 s lease: 409; after it: the recorded intent, resumed with the same
  // create (one more request carrying our key), which Stripe answers with the same PaymentIntent.
  async function retryResumes(referenceId: string, key: string, id: string): Promise<string> {
    const within = await app.create(body(referenceId), key);
    expect([within.status, within.body.error]).toEqual([409, 'CONFLICT']);
    app.passLease();
    return expectRetryRecovers(referenceId, key, id);
  }

  async function expectRetryRecovers(referenceId: string, key: string, id: string): Promise<string> {
    const sent = createsFor(id).length;
    const after = await app.create(body(referenceId), key);
    expect([after.status, after.headers['idempotent-replayed'], after.body.id, after.body.status]).toEqual([201, 'true', id, 'pending']);
    expect(after.body.clientSecret).toEqual(expect.stringMatching(/^pi_fake\d+_secret_/));
    expect([createsFor(id).length - sent, paymentIntents()]).toEqual([1, 1]);
    expect(new Set(createsFor(id).map((r) => r.headers['idempotency-key']))).toEqual(new Set([stripeIdempotencyKey(id)]));
    expect(await app.get(id)).toMatchObject({ clientSecret: after.body.clientSecret, attempts: [expect.objectContaining({ outcome: 'created' })] });
    return String(after.body.gatewayTransactionId);
  }

  // The reconciler re-sends the same create with the same key: Stripe replays its saved answer.
  async function expectRecovered(id: string): Promise<string> {
    const sent = createsFor(id).length;
    await app.reconcile();
    const intent = await app.get(id);
    expect(intent).toMatchObject({ status: 'pending', clientSecret: expect.stringMatching(/^pi_fake\d+_secret_/), attempts: [expect.objectContaining({ outcome: 'created' })] });
    expect(createsFor(id).length - sent).toBe(1);
    expect(new Set(createsFor(id).map((r) => r.headers['idempotency-key']))).toEqual(new Set([stripeIdempotencyKey(id)]));
    expect(paymentIntents()).toBe(1);
    expect(stripe.paymentIntent(intent.gatewayTransactionId!)).toMatchObject({ amount: 2500, currency: 'cad', client_secret: intent.clientSecret });
    return intent.gatewayTransactionId!;
  }

  // The customer pays with the secret; Stripe's signed event is what settles the intent.
  async function payAndExpectOnce(id: string, paymentIntentId: string) {
    stripe.succeed(paymentIntentId);
    const event = stripe.signedEvent('payment_intent.succeeded', paymentIntentId, WEBHOOK_SECRET, Math.floor(app.clock.now().getTime() / 1000));
    const webhook = () => request(app.t.app.getHttpServer()).post('/webhooks/stripe').set('Stripe-Signature', event.header).set('Content-Type', 'application/json').send(event.payload);
    expect((await webhook()).status).toBe(200);
    expect((await webhook()).status).toBe(200); // Stripe redelivers: a duplicate changes nothing
    const intent = await app.get(id);
    expect(intent).toMatchObject({ status: 'succeeded', amount: 2500, currency: 'CAD', gatewayTransactionId: paymentIntentId });
    expect(stripe.paymentIntent(paymentIntentId)?.amount_received).toBe(intent.amount);
    expect(paymentIntents()).toBe(1);
    expect(await app.events(id)).toEqual(['payment.completed']);
  }

  beforeAll(async () => {
    const url = await stripe.start();
    // A short GATEWAY_TIMEOUT_MS for the hang case; far above a loopback answer.
    app = await startMoneyCreateApp({ STRIPE_SECRET_KEY: 'sk_test_money', STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE_URL: url, GATEWAY_TIMEOUT_MS: '1500' });
  });
  beforeEach(() => {
    base = { paymentIntents: stripe.paymentIntentCount() };
    app.faulty.disarm();
  });
  afterAll(async () => {
    await app.close();
    await stripe.stop();
  });

  it.each([
    ['act-then-500', 1],
    // The SDK itself re-sends once after a reset (with our key): two resets lose the answer.
    ['act-then-reset', 2],
  ] as const)('%s after Stripe created the PaymentIntent: 201 pending without the secret, key bound; the retry recovers the same PaymentIntent; paid once', async (mode, times) => {
    const key = randomUUID();
    stripe.inject(STRIPE_ROUTES.createPaymentIntent, mode, times);
    const id = expectOpenWithoutSecret(await app.create(body(`stripe-${mode}`), key), 'unknown');
    expect([createsFor(id).length, paymentIntents()]).toEqual([times, 1]);
    // The unknown outcome was recorded with the key's binding: a retry is the same intent at once,
    // resumed with the same create, so the client gets its secret without waiting.
    const paymentIntentId = await expectRetryRecovers(`stripe-${mode}`, key, id);
    // Nothing is left for the reconciler.
    const sent = createsFor(id).length;
    await app.reconcile();
    expect(createsFor(id).length).toBe(sent);
    await payAndExpectOnce(id, paymentIntentId);
  });

  it('act-then-hang (our timeout fires after Stripe created it): 201 pending without the secret; the retry recovers the same PaymentIntent; paid once', async () => {
    const key = randomUUID();
    stripe.inject(STRIPE_ROUTES.createPaymentIntent, 'act-then-hang');
    const response = await app.create(body('stripe-hang'), key);
    const id = expectOpenWithoutSecret(response, 'unknown');
    expect(response.body.attempts[0]).toMatchObject({ gateway: 'stripe', errorKind: expect.stringMatching(/^(timeout|unavailable)$/) });
    await payAndExpectOnce(id, await expectRetryRecovers('stripe-hang', key, id));
  });

  it('one reset: the SDK re-sends with our Idempotency-Key and Stripe replays its answer: 201 with the secret at once', async () => {
    stripe.inject(STRIPE_ROUTES.createPaymentIntent, 'act-then-reset');
    const response = await app.create(body('stripe-reset-once'), randomUUID());
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'pending', clientSecret: expect.any(String), attempts: [expect.objectContaining({ outcome: 'created' })] });
    expect([createsFor(String(response.body.id)).length, paymentIntents()]).toEqual([2, 1]);
    await payAndExpectOnce(String(response.body.id), String(response.body.gatewayTransactionId));
  });

  it('refuse-503 (Stripe stored nothing): still no proof, so 201 pending; the re-send then creates the one PaymentIntent', async () => {
    stripe.inject(STRIPE_ROUTES.createPaymentIntent, 'refuse-503');
    const id = expectOpenWithoutSecret(await app.create(body('stripe-503'), randomUUID()), 'unknown', 0);
    await payAndExpectOnce(id, await expectRecovered(id));
  });

  it('our outcome write fails once (hard) after Stripe answered: 201 pending without the secret; 409, then the retry resumes it; paid once', async () => {
    const key = randomUUID();
    app.faulty.arm({ matches: afterStripeActed, times: 1, error: dynamoHardError });
    const id = expectOpenWithoutSecret(await app.create(body('stripe-write-lost'), key), 'started');
    await payAndExpectOnce(id, await retryResumes('stripe-write-lost', key, id));
  });

  it('a transient DynamoDB error on the outcome write is retried: 201 with the secret, key bound', async () => {
    const key = randomUUID();
    const failuresBefore = app.faulty.failures;
    app.faulty.arm({ matches: afterStripeActed, times: 1, error: dynamoInternalError });
    const response = await app.create(body('stripe-write-transient'), key);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'pending', clientSecret: expect.any(String), attempts: [expect.objectContaining({ outcome: 'created' })] });
    expect(app.faulty.failures - failuresBefore).toBe(1);
    const retry = await app.create(body('stripe-write-transient'), key);
    expect([retry.status, retry.headers['idempotent-replayed'], retry.body.clientSecret]).toEqual([201, 'true', response.body.clientSecret]);
    await payAndExpectOnce(String(response.body.id), String(response.body.gatewayTransactionId));
  });

  it('the record before the call is applied but its answer lost (transient): the retry finds our own write and goes on: Stripe asked once, 201 with the secret', async () => {
    const key = randomUUID();
    const recordsStart = (c: Parameters<typeof isWrite>[0]) => isWrite(c) && JSON.stringify(c.input).includes('"outcome":"started"');
    const failuresBefore = app.faulty.failures;
    app.faulty.arm({ matches: recordsStart, times: 1, error: dynamoInternalError, applied: true });
    const response = await app.create(body('stripe-record-answer-lost'), key);
    expect(app.faulty.failures - failuresBefore).toBe(1);
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'pending', clientSecret: expect.any(String), attempts: [expect.objectContaining({ outcome: 'created' })] });
    expect(createsFor(String(response.body.id))).toHaveLength(1);
    await payAndExpectOnce(String(response.body.id), String(response.body.gatewayTransactionId));
  });

  it('crash between the create and the save (every write fails, then DynamoDB is back): a re-send refused for now (429) waits; the reconciler then recovers it', async () => {
    const key = randomUUID();
    app.faulty.arm({ matches: afterStripeActed, times: Infinity, error: dynamoHardError });
    const id = expectOpenWithoutSecret(await app.create(body('stripe-crash'), key), 'started');
    app.faulty.disarm();
    const within = await app.create(body('stripe-crash'), key);
    expect([within.status, within.body.error]).toEqual([409, 'CONFLICT']);

    // Stripe rate-limits the reconciler's re-send: a certain refusal of THAT request, which says
    // nothing about the payment, so the intent stays open (not failed, no event).
    const real = (await app.t.deps.gateways.get('stripe')) as PaymentGateway;
    const limited: PaymentGateway = Object.assign(Object.create(real) as PaymentGateway, {
      createPayment: () => Promise.reject(new GatewayError('stripe', 'unavailable', 'create payment intent: rate limited (HTTP 429)', true, true)),
    });
    const reconciler = (await buildServices({ ...app.t.deps, gateways: new GatewayRegistry([limited], { mockAsLastResort: false }) })).reconcileIntents;
    app.clock.advance(2 * 60_000);
    expect(await reconciler.checkDue()).toMatchObject({ checked: 1, settled: 0 });
    expect(await app.get(id)).toMatchObject({ status: 'pending', clientSecret: null, attempts: [expect.objectContaining({ outcome: 'started' })] });
    expect(await app.events(id)).toEqual([]);
    // Backed off: the next check of a client-secret intent comes 10 minutes later.
    app.clock.advance(checkDelay('intent', 1) - 2 * 60_000);

    await payAndExpectOnce(id, await expectRecovered(id));
  });
});

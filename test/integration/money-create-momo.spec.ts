import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { CREATE_NOT_FOUND_GRACE_MS } from '../../src/services/reconcile-intents.service.js';
import { dynamoHardError, dynamoInternalError, isWrite } from '../support/faulty-db.js';
import { MOMO_ROUTES, MomoFake } from '../support/fakes/momo-fake.js';
import { StripeFake } from '../support/fakes/stripe-fake.js';
import { startMoneyCreateApp, writesAfter, type MoneyCreateApp } from '../support/money-create.js';

// ADR 0010 on POST /intents with MTN MoMo (push): the intent id is the X-Reference-Id, stored
// with the intent BEFORE requesttopay. Whatever goes wrong after MoMo acted, the payment stays
// pending on MoMo (201, no fallback), there is one requesttopay, and only MoMo's own status —
// re-queried on its unsigned callback or by the reconciler — settles it. Stripe is configured as
// the GH route's next gateway, so a wrong fallback would show up as a PaymentIntent.
// Not covered: 'act-then-hang' — the adapter's 10 s fetch timeout is fixed (gateway-http.ts).
describe('create payment on MoMo: unknown outcomes never charge twice (real adapter, MoMo fake, DynamoDB Local)', () => {
  const momo = new MomoFake();
  const stripe = new StripeFake();
  let app: MoneyCreateApp;
  // What the fakes held before each test: every figure below is this test's own.
  let base = { posts: 0, resources: 0, collected: 0, paymentIntents: 0 };

  const body = (referenceId: string, extra: object = {}) => ({
    amount: 2000,
    currency: 'GHS',
    country: 'GH',
    metadata: { appId: 'kaba', referenceId, phoneNumber: '+233241234567' },
    ...extra,
  });
  const posts = () => momo.requests.filter((r) => r.method === 'POST' && r.path === '/collection/v1_0/requesttopay').length - base.posts;
  const created = () => momo.count('collection') - base.resources;
  const collected = () => momo.moneyMoved('GHS').collected - base.collected;
  const paymentIntents = () => stripe.paymentIntentCount() - base.paymentIntents;
  // Fails our writes once MoMo stored this test's requesttopay.
  const afterMomoActed = writesAfter(() => created() > 0);

  // The client's answer for an unknown outcome: 201, the open status, MoMo's reference, no fallback.
  function expectOpenOnMomo(response: { status: number; body: Record<string, unknown> }, attempt: string) {
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'pending', gateway: 'momo', paymentMode: 'push', gatewayTransactionId: response.body.id });
    expect((response.body.attempts as Array<{ outcome: string }>).map((a) => a.outcome)).toEqual([attempt]);
    expect(paymentIntents()).toBe(0);
    return String(response.body.id);
  }

  // Same key within the 60 s lease: 409; after it: the recorded intent, nothing sent again.
  async function retryUntilReplayed(referenceId: string, key: string, id: string) {
    const within = await app.create(body(referenceId), key);
    expect([within.status, within.body.error]).toEqual([409, 'CONFLICT']);
    app.passLease();
    const after = await app.create(body(referenceId), key);
    expect([after.status, after.headers['idempotent-replayed'], after.body.id, after.body.status]).toEqual([201, 'true', id, 'pending']);
    expect(posts()).toBe(1);
  }

  // The customer approves on the phone; MoMo's one callback is only a hint to re-query.
  async function approveAndCallBack(id: string) {
    momo.settle(id, 'SUCCESSFUL');
    expect(await momo.callback(id)).toBe(200);
  }

  async function expectPaidOnce(id: string) {
    const intent = await app.get(id);
    expect(intent).toMatchObject({ status: 'succeeded', amount: 2000, currency: 'GHS', gateway: 'momo' });
    expect([posts(), created(), collected()]).toEqual([1, 1, intent.amount]);
    expect(paymentIntents()).toBe(0);
    expect(await app.events(id)).toEqual(['payment.completed']);
  }

  beforeAll(async () => {
    const [momoUrl, stripeUrl] = await Promise.all([momo.start(), stripe.start()]);
    app = await startMoneyCreateApp({
      MOMO_BASE_URL: momoUrl,
      // Short enough for the hang case; far above a loopback answer.
      GATEWAY_TIMEOUT_MS: '1500',
      MOMO_TARGET_ENVIRONMENT: 'mtnghana',
      MOMO_COLLECTION_SUBSCRIPTION_KEY: 'sub',
      MOMO_COLLECTION_API_USER: 'user',
      MOMO_COLLECTION_API_KEY: 'key',
      STRIPE_SECRET_KEY: 'sk_test_money',
      STRIPE_WEBHOOK_SECRET: 'whsec_money',
      STRIPE_API_BASE_URL: stripeUrl,
    });
  });
  beforeEach(() => {
    base = { posts: posts() + base.posts, resources: momo.count('collection'), collected: momo.moneyMoved('GHS').collected, paymentIntents: stripe.paymentIntentCount() };
    app.faulty.disarm();
  });
  afterAll(async () => {
    await app.close();
    await Promise.all([momo.stop(), stripe.stop()]);
  });

  // First in the file: no token is cached yet, so the token call is the one refused.
  it('certain refusal (token 503, nothing sent): the next gateway of the route; alone, 502 with a failed intent and the key freed', async () => {
    momo.inject(MOMO_ROUTES.collectionToken, 'refuse-503');
    const routed = await app.create(body('momo-token-refused'), randomUUID());
    expect(routed.status).toBe(201);
    expect(routed.body).toMatchObject({ gateway: 'stripe', status: 'pending', clientSecret: expect.any(String) });
    expect(routed.body.attempts.map((a: { gateway: string; outcome: string }) => `${a.gateway}:${a.outcome}`)).toEqual(['momo:failed', 'stripe:created']);
    expect([posts(), created(), paymentIntents()]).toEqual([0, 0, 1]);

    // Pinned to MoMo there is no other candidate: a failed intent (kept) and 502.
    const key = randomUUID();
    momo.inject(MOMO_ROUTES.collectionToken, 'refuse-503');
    const pinned = await app.create(body('momo-pinned-refused', { gatewayOverride: 'momo' }), key);
    expect([pinned.status, pinned.body.error]).toEqual([502, 'PAYMENT_GATEWAY_ERROR']);
    const [failed] = await app.byReference('momo-pinned-refused');
    expect(failed).toMatchObject({ status: 'failed', gateway: 'momo', attempts: [expect.objectContaining({ outcome: 'failed', errorKind: 'unavailable' })] });
    expect(await app.events(failed!.id)).toEqual([]);

    // Nothing was sent, so the key was released: the same request now really pays, once.
    base.paymentIntents += 1; // the routed one above
    const again = await app.create(body('momo-pinned-refused', { gatewayOverride: 'momo' }), key);
    const id = expectOpenOnMomo(again, 'created');
    expect(id).not.toBe(failed!.id);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    await approveAndCallBack(id);
    await expectPaidOnce(id);
  });

  it('act-then-500: 201 pending, the key bound at once (replayed), the callback settles it: one requesttopay, one payment.completed', async () => {
    const key = randomUUID();
    momo.inject(MOMO_ROUTES.requestToPay, 'act-then-500');
    const id = expectOpenOnMomo(await app.create(body('momo-500'), key), 'unknown');
    expect(momo.resource('collection', id)).toMatchObject({ status: 'PENDING', amount: '20.00', currency: 'GHS', externalId: id });

    // The unknown outcome was recorded with the key's binding: a retry is the same intent at once.
    const retry = await app.create(body('momo-500'), key);
    expect([retry.status, retry.headers['idempotent-replayed'], retry.body.id]).toEqual([201, 'true', id]);
    expect(posts()).toBe(1);

    await approveAndCallBack(id);
    await expectPaidOnce(id);
    // MoMo's callback repeated (or replayed by anyone) changes nothing.
    expect(await momo.callback(id)).toBe(200);
    expect(await app.events(id)).toEqual(['payment.completed']);
  });

  it('act-then-hang (our timeout fires after MoMo acted): 201 pending, attempt unknown (timeout), no fallback; the callback settles it once', async () => {
    const key = randomUUID();
    momo.inject(MOMO_ROUTES.requestToPay, 'act-then-hang');
    const response = await app.create(body('momo-hang'), key);
    const id = expectOpenOnMomo(response, 'unknown');
    expect(response.body.attempts[0]).toMatchObject({ gateway: 'momo', errorKind: 'timeout' });
    expect((await app.create(body('momo-hang'), key)).body).toMatchObject({ id, status: 'pending' });
    expect(posts()).toBe(1);
    await approveAndCallBack(id);
    await expectPaidOnce(id);
  });

  it('act-then-reset: 201 pending; with no callback the reconciler asks MoMo by our reference and settles it once', async () => {
    const key = randomUUID();
    momo.inject(MOMO_ROUTES.requestToPay, 'act-then-reset');
    const id = expectOpenOnMomo(await app.create(body('momo-reset'), key), 'unknown');
    expect((await app.create(body('momo-reset'), key)).body.id).toBe(id);

    // Still PENDING at MoMo: the reconciler only learns the create did arrive.
    await app.reconcile();
    expect(await app.get(id)).toMatchObject({ status: 'pending', attempts: [expect.objectContaining({ outcome: 'created' })] });
    momo.settle(id, 'SUCCESSFUL');
    await app.reconcile();
    await expectPaidOnce(id);
    await app.reconcile();
    expect(await app.events(id)).toEqual(['payment.completed']);
  });

  it('our outcome write fails once (hard) after requesttopay: 201 pending with the started attempt; 409, then replayed; settled once', async () => {
    const key = randomUUID();
    app.faulty.arm({ matches: afterMomoActed, times: 1, error: dynamoHardError });
    const id = expectOpenOnMomo(await app.create(body('momo-write-lost'), key), 'started');
    expect(app.faulty.failures).toBeGreaterThan(0);
    // The key was never bound (the binding went with the lost write).
    await retryUntilReplayed('momo-write-lost', key, id);

    await app.reconcile();
    expect((await app.get(id)).attempts).toEqual([expect.objectContaining({ outcome: 'created' })]);
    await approveAndCallBack(id);
    await expectPaidOnce(id);
  });

  it('a transient DynamoDB error on the outcome write is retried: created, key bound, nothing left to reconcile', async () => {
    const key = randomUUID();
    const failuresBefore = app.faulty.failures;
    app.faulty.arm({ matches: afterMomoActed, times: 1, error: dynamoInternalError });
    const id = expectOpenOnMomo(await app.create(body('momo-write-transient'), key), 'created');
    expect(app.faulty.failures - failuresBefore).toBe(1);
    const retry = await app.create(body('momo-write-transient'), key);
    expect([retry.status, retry.headers['idempotent-replayed'], retry.body.id]).toEqual([201, 'true', id]);

    await approveAndCallBack(id);
    await expectPaidOnce(id);
  });

  it('crash between requesttopay and the save (every write fails, then DynamoDB is back): resumed by its key, settled by the reconciler', async () => {
    const key = randomUUID();
    app.faulty.arm({ matches: afterMomoActed, times: Infinity, error: dynamoHardError });
    const id = expectOpenOnMomo(await app.create(body('momo-crash'), key), 'started');
    app.faulty.disarm();
    await retryUntilReplayed('momo-crash', key, id);

    // The customer approved meanwhile and the callback went nowhere: the reconciler finds it.
    momo.settle(id, 'SUCCESSFUL');
    await app.reconcile();
    await expectPaidOnce(id);
  });

  it('the record before the call fails: nothing was sent, so after the lease the retry starts the same intent id, once', async () => {
    const key = randomUUID();
    // The write that records the started attempt (whatever its command: a plain put since ADR 0020),
    // after the transaction lookup was claimed: the claim alone must not stop the retry.
    const recordsStart = (c: Parameters<typeof isWrite>[0]) => isWrite(c) && JSON.stringify(c.input).includes('"outcome":"started"');
    app.faulty.arm({ matches: recordsStart, times: 1, error: dynamoHardError });
    const lost = await app.create(body('momo-record-lost'), key);
    expect([lost.status, posts()]).toEqual([500, 0]);
    expect((await app.create(body('momo-record-lost'), key)).status).toBe(409);

    app.passLease();
    const resumed = await app.create(body('momo-record-lost'), key);
    const id = expectOpenOnMomo(resumed, 'created');
    expect(resumed.headers['idempotent-replayed']).toBeUndefined();
    expect((await app.byReference('momo-record-lost')).map((intent) => intent.id)).toEqual([id]);
    await approveAndCallBack(id);
    await expectPaidOnce(id);
  });

  it('refuse-503 on requesttopay: a MoMo 5xx proves nothing, so 201 pending and no fallback; "not found" is believed only after the grace → failed + one payment.failed', async () => {
    const key = randomUUID();
    momo.inject(MOMO_ROUTES.requestToPay, 'refuse-503');
    const response = await app.create(body('momo-503'), key);
    const id = expectOpenOnMomo(response, 'unknown');
    expect([posts(), created()]).toEqual([1, 0]);

    // Two minutes on, MoMo's 404 may still be a request in flight: nothing changes.
    await app.reconcile();
    expect(await app.get(id)).toMatchObject({ status: 'pending' });
    app.clock.advance(CREATE_NOT_FOUND_GRACE_MS);
    await app.reconcile();

    expect(await app.get(id)).toMatchObject({ status: 'failed', attempts: [expect.objectContaining({ outcome: 'failed', errorKind: 'not_found' })] });
    expect(await app.events(id)).toEqual(['payment.failed']);
    expect([created(), collected(), paymentIntents()]).toEqual([0, 0, 0]);
    const retry = await app.create(body('momo-503'), key);
    expect([retry.status, retry.headers['idempotent-replayed'], retry.body.status]).toEqual([201, 'true', 'failed']);
    expect(posts()).toBe(1);
  });
});

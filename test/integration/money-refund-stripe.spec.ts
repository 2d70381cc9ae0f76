import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { STRIPE_ROUTES, StripeFake } from '../support/fakes/stripe-fake.js';
import { dynamoHardError, dynamoInternalError, isWrite } from '../support/faulty-db.js';
import { refundOutcomeWrite, startMoneyApp, SwitchableProxy, type MoneyApp } from '../support/money-refund.js';
import { KEYS } from '../support/test-app.js';

const SECRET = 'sk_test_money_refund';
const WEBHOOK_SECRET = 'whsec_money_refund';

// ADR 0010 for Stripe refunds: our refund id is Stripe's Idempotency-Key, so a refund whose answer
// was lost stays pending (201) with its amount reserved, a client retry with the same key returns
// it without calling Stripe, and the reconciler re-sends the identical request, which Stripe
// replays. Every test ends with: one refund at Stripe = the one we recorded, one event.
describe('Stripe refunds whose answer is lost (strict Stripe fake, DynamoDB Local)', () => {
  const fake = new StripeFake({ secretKey: SECRET });
  // The app reaches the fake through a proxy that can refuse connections (certainly nothing
  // sent) or cut one in flight (the answer is lost).
  let proxy: SwitchableProxy;
  let m: MoneyApp;
  let refundsBefore = 0;

  beforeAll(async () => {
    proxy = new SwitchableProxy(await fake.start());
    await proxy.up();
    // A 2 s budget per Stripe call, so a hang times out without a 10 s wait.
    m = await startMoneyApp({ STRIPE_SECRET_KEY: SECRET, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE_URL: proxy.baseUrl, GATEWAY_TIMEOUT_MS: '2000' });
  });
  afterAll(async () => {
    await m.close();
    await proxy.down();
    await fake.stop();
  });
  beforeEach(() => {
    refundsBefore = fake.refundCount();
    m.faulty.disarm();
  });

  // Created through the API, paid at the fake, confirmed by Stripe's signed webhook.
  async function paidIntent(amount = 10_000): Promise<{ id: string; pi: string }> {
    const created = await m
      .http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount, currency: 'USD', country: 'US', metadata: { appId: 'kaba', referenceId: `stripe-${randomUUID()}` }, gatewayOverride: 'stripe' })
      .expect(201);
    const pi = created.body.gatewayTransactionId as string;
    fake.succeed(pi);
    const { payload, header } = fake.signedEvent('payment_intent.succeeded', pi, WEBHOOK_SECRET, Math.floor(m.clock.now().getTime() / 1000));
    await m.http().post('/webhooks/stripe').set('Stripe-Signature', header).set('Content-Type', 'application/json').send(payload).expect(200);
    expect((await m.view(created.body.id)).ledger.map((e) => e.type)).toEqual(['payment']);
    return { id: created.body.id as string, pi };
  }
  const refundPosts = () => fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/refunds').length;

  // Money at Stripe == money on record, once: one refund at the fake for this PaymentIntent, it is
  // the one whose id we stored, and the intent's attribute, the ledger and the events agree.
  async function expectRefundedOnce(intent: { id: string; pi: string }, refundId: string, amount: number): Promise<void> {
    expect(fake.refundCount() - refundsBefore).toBe(1);
    expect(fake.refundedTotal(intent.pi)).toBe(amount);
    const stored = await m.refundsOf(intent.id);
    expect(stored).toEqual([expect.objectContaining({ id: refundId, amount, status: 'succeeded', gatewayOutcome: 'known' })]);
    const atStripe = await (await fetch(`${fake.baseUrl}/v1/refunds/${stored[0]?.gatewayRefundId}`, { headers: { authorization: `Bearer ${SECRET}` } })).json();
    expect(atStripe).toMatchObject({ payment_intent: intent.pi, amount, status: 'succeeded' });
    expect(await m.stored(intent.id)).toMatchObject({ refundedAmount: amount, committedAmount: amount });
    const view = await m.view(intent.id);
    expect(view.refundedAmount).toBe(amount);
    expect(view.ledger.filter((e) => e.type === 'refund').map((e) => [e.id, e.amount])).toEqual([[refundId, -amount]]);
    expect(await m.refundedEvents(refundId)).toBe(1);
  }

  // The part every unknown outcome shares: pending on record with the amount reserved, the
  // client's retry with the same key returns it without a new call, the reconciler settles it.
  async function retryThenReconcile(intent: { id: string; pi: string }, key: string, first: { id: string }, amount: number): Promise<void> {
    const posts = refundPosts();
    expect(await m.refundsOf(intent.id)).toEqual([expect.objectContaining({ id: first.id, status: 'pending', gatewayRefundId: null })]);
    expect((await m.stored(intent.id)).committedAmount).toBe(amount);
    expect(await m.refundedEvents(first.id)).toBe(0);
    const retry = await m.refund(intent.id, { amount }, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id: first.id, status: 'pending' });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(refundPosts()).toBe(posts);

    // Not asked about before five minutes: a request for it could still be in flight.
    expect(await m.sweepNow()).toEqual({ checked: 0, settled: 0 });
    expect((await m.reconcile()).settled).toBe(1);
    expect(refundPosts()).toBe(posts + 1); // the identical request again, which Stripe replayed
    await expectRefundedOnce(intent, first.id, amount);
    // Later retries see the refund as it is now.
    expect((await m.refund(intent.id, { amount }, key)).body).toMatchObject({ id: first.id, status: 'succeeded' });
  }

  it('Stripe refunds, then answers 500: 201 pending, the retry replays it, the reconciler records succeeded', async () => {
    const intent = await paidIntent();
    fake.inject(STRIPE_ROUTES.createRefund, 'act-then-500');
    const first = await m.refund(intent.id, { amount: 4000 }, 'stripe-500');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending', gatewayRefundId: null, amount: 4000 });
    expect(fake.refundedTotal(intent.pi)).toBe(4000); // Stripe did refund
    await retryThenReconcile(intent, 'stripe-500', first.body, 4000);
  });

  it('one reset after Stripe refunded is absorbed by the SDK re-sending with our key: one refund, succeeded at once', async () => {
    const intent = await paidIntent();
    fake.inject(STRIPE_ROUTES.createRefund, 'act-then-reset');
    const res = await m.refund(intent.id, { amount: 2500 }, 'stripe-reset-once');
    expect(res.body).toMatchObject({ status: 'succeeded', amount: 2500 });
    await expectRefundedOnce(intent, res.body.id, 2500);
  });

  it('Stripe refunds, then the connection resets twice (the SDK re-send too): 201 pending, settled by the reconciler', async () => {
    const intent = await paidIntent();
    fake.inject(STRIPE_ROUTES.createRefund, 'act-then-reset', 2);
    const first = await m.refund(intent.id, { amount: 3000 }, 'stripe-reset');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending', gatewayRefundId: null });
    await retryThenReconcile(intent, 'stripe-reset', first.body, 3000);
  });

  it('the SDK re-sends a reset refund into a refused connection: still unknown (201 pending), never 502 with the amount back', async () => {
    const intent = await paidIntent();
    fake.inject(STRIPE_ROUTES.createRefund, 'act-then-reset');
    // Stripe refunded, the answer is lost, and Stripe is unreachable for the SDK's own re-send.
    const down = m.afterNextCall(fake, () => proxy.down());
    const first = await m.refund(intent.id, { amount: 3500 }, 'stripe-reset-refused');
    await down;
    await proxy.up();
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending' });
    await retryThenReconcile(intent, 'stripe-reset-refused', first.body, 3500);
  });

  it('Stripe refused (a dashboard refund took the money) and the answer was lost: the re-sent request replays the refusal → failed, amount back', async () => {
    const intent = await paidIntent();
    const dashboard = await fetch(`${fake.baseUrl}/v1/refunds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: `payment_intent=${intent.pi}&amount=9000`,
    });
    expect(dashboard.status).toBe(200);
    fake.inject(STRIPE_ROUTES.createRefund, 'act-then-500'); // Stripe saves its 400 under our key
    const first = await m.refund(intent.id, { amount: 4000 }, 'stripe-refused-lost');
    expect(first.body).toMatchObject({ status: 'pending' });
    expect((await m.stored(intent.id)).committedAmount).toBe(4000);
    expect((await m.reconcile()).settled).toBe(1);
    expect(await m.refundsOf(intent.id)).toEqual([expect.objectContaining({ id: first.body.id, status: 'failed', gatewayOutcome: 'known' })]);
    expect(await m.stored(intent.id)).toMatchObject({ refundedAmount: 0, committedAmount: 0 });
    expect(fake.refundCount() - refundsBefore).toBe(1); // the dashboard's only
    expect(fake.refundedTotal(intent.pi)).toBe(9000);
    expect(await m.refundedEvents(first.body.id)).toBe(1);
  });

  it('Stripe refunds and never answers, our call times out: 201 pending, settled by the reconciler', async () => {
    const intent = await paidIntent();
    fake.inject(STRIPE_ROUTES.createRefund, 'act-then-hang');
    const first = await m.refund(intent.id, { amount: 2000 }, 'stripe-timeout');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending', gatewayRefundId: null });
    await retryThenReconcile(intent, 'stripe-timeout', first.body, 2000);
  }, 20_000);

  it('Stripe refunds and never answers: 409 while the request holds the lease, the recorded refund after it, settled while it still hangs', async () => {
    const intent = await paidIntent();
    fake.inject(STRIPE_ROUTES.createRefund, 'act-then-hang');
    const reached = fake.waitForRequests(fake.requests.length + 1);
    const hanging = m.refund(intent.id, { amount: 1500 }, 'stripe-hang').then((res) => res);
    await reached;
    expect((await m.refund(intent.id, { amount: 1500 }, 'stripe-hang')).status).toBe(409);
    m.expireLease();
    const [recorded] = await m.refundsOf(intent.id);
    expect(recorded).toMatchObject({ status: 'pending' });
    await retryThenReconcile(intent, 'stripe-hang', { id: recorded!.id }, 1500);
    // The hung call finally dies (connection cut, the SDK's re-send refused): nothing changes.
    await proxy.down();
    const late = await hanging;
    await proxy.up();
    expect(late.body).toMatchObject({ id: recorded!.id, status: 'succeeded' });
    await expectRefundedOnce(intent, recorded!.id, 1500);
  });

  it('Stripe refunds, then our write of the answer fails for good: 201 pending, 409 in the lease, the record after it, settled', async () => {
    const intent = await paidIntent();
    m.faulty.arm({ matches: refundOutcomeWrite, times: 1, error: dynamoHardError });
    const first = await m.refund(intent.id, { amount: 5000 }, 'stripe-write-lost');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending', gatewayRefundId: null });
    expect(m.faulty.failures).toBeGreaterThan(0);
    expect(fake.refundedTotal(intent.pi)).toBe(5000);
    // The key was never bound to an answer: the lease says "in progress" until it runs out.
    expect((await m.refund(intent.id, { amount: 5000 }, 'stripe-write-lost')).status).toBe(409);
    m.expireLease();
    await retryThenReconcile(intent, 'stripe-write-lost', first.body, 5000);
  });

  it('a transient failure of that write is retried: 201 succeeded at once, one event', async () => {
    const intent = await paidIntent();
    const failures = m.faulty.failures;
    m.faulty.arm({ matches: refundOutcomeWrite, times: 1, error: dynamoInternalError });
    const res = await m.refund(intent.id, { amount: 6000 }, 'stripe-write-transient');
    expect(m.faulty.failures).toBe(failures + 1);
    expect(res.body).toMatchObject({ status: 'succeeded', amount: 6000 });
    await expectRefundedOnce(intent, res.body.id, 6000);
  });

  it('a crash between Stripe refunding and our save: the retry after the lease returns the recorded refund, the reconciler settles it', async () => {
    const intent = await paidIntent();
    // From the moment Stripe has refunded, nothing of ours is saved (the process is gone).
    const crashed = m.afterNextCall(fake, () => m.faulty.arm({ matches: isWrite, times: Infinity, error: dynamoHardError }));
    await m.refund(intent.id, { amount: 7000 }, 'stripe-crash'); // an answer the dead process never sent
    await crashed;
    m.faulty.disarm();
    const [recorded] = await m.refundsOf(intent.id);
    expect(recorded).toMatchObject({ status: 'pending', gatewayOutcome: 'awaiting', amount: 7000 });
    expect((await m.refund(intent.id, { amount: 7000 }, 'stripe-crash')).status).toBe(409);
    m.expireLease();
    await retryThenReconcile(intent, 'stripe-crash', { id: recorded!.id }, 7000);
  });
});

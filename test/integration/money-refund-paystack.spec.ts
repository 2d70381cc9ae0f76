import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { PAYSTACK_ROUTES, PaystackFake } from '../support/fakes/paystack-fake.js';
import { dynamoHardError, dynamoInternalError, isWrite } from '../support/faulty-db.js';
import { refundOutcomeWrite, startMoneyApp, SwitchableProxy, type MoneyApp } from '../support/money-refund.js';
import { KEYS } from '../support/test-app.js';

const SECRET = 'sk_test_money_refund';

// ADR 0010 for Paystack refunds. Paystack takes no idempotency key, so a re-sent POST /refund is a
// second refund: the refund goes out once, carrying our refund id as merchant_note, and an answer
// that was lost is settled only by looking (verify → list the transaction's refunds → match the
// note); nothing found five minutes on means it never arrived: failed, amount back. Every test
// counts the POST /refund calls that reached Paystack.
describe('Paystack refunds whose answer is lost (strict Paystack fake, DynamoDB Local)', () => {
  const fake = new PaystackFake({ secretKey: SECRET });
  // The app reaches the fake through a proxy that can refuse connections (certainly nothing
  // sent) or cut one in flight (the answer is lost).
  let proxy: SwitchableProxy;
  let m: MoneyApp;
  let refundsBefore = 0;
  let postsBefore = 0;

  beforeAll(async () => {
    proxy = new SwitchableProxy(await fake.start());
    await proxy.up();
    m = await startMoneyApp({ PAYSTACK_SECRET_KEY: SECRET, PAYSTACK_BASE_URL: proxy.baseUrl });
  });
  afterAll(async () => {
    await m.close();
    await proxy.down();
    await fake.stop();
  });
  beforeEach(() => {
    refundsBefore = fake.refundCount();
    postsBefore = refundPosts();
    m.faulty.disarm();
  });

  // Created through the API (our intent id is the reference), paid at the fake, then Paystack's
  // signed charge.success, which the service confirms with verify.
  async function paidIntent(amount = 10_000): Promise<string> {
    const created = await m
      .http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({
        amount,
        currency: 'NGN',
        country: 'NG',
        metadata: { appId: 'kaba', referenceId: `paystack-${randomUUID()}`, customerEmail: 'payer@example.com' },
        returnUrl: 'https://kaba.example/return',
        gatewayOverride: 'paystack',
      })
      .expect(201);
    const reference = created.body.id as string;
    fake.succeed(reference);
    const payload = JSON.stringify({ event: 'charge.success', data: { id: fake.transaction(reference)?.id, reference, amount, currency: 'NGN', status: 'success' } });
    const signature = createHmac('sha512', SECRET).update(payload).digest('hex');
    await m.http().post('/webhooks/paystack').set('x-paystack-signature', signature).set('Content-Type', 'application/json').send(payload).expect(200);
    expect((await m.view(reference)).ledger.map((e) => e.type)).toEqual(['payment']);
    return reference;
  }
  // POST /refund calls that reached Paystack (this test's: minus postsBefore).
  function refundPosts(): number {
    return fake.requests.filter((r) => r.method === 'POST' && r.path === '/refund').length;
  }
  const atPaystack = async (id: string | null): Promise<unknown> => {
    const res = await fetch(`${fake.baseUrl}/refund/${id}`, { headers: { authorization: `Bearer ${SECRET}` } });
    return ((await res.json()) as { data?: unknown }).data;
  };

  // Money at Paystack == money on record, once: one refund at the fake for the transaction, it is
  // the one whose id we stored and it carries our refund id; attribute, ledger and events agree.
  async function expectRefundedOnce(intentId: string, refundId: string, amount: number): Promise<void> {
    expect(fake.refundCount() - refundsBefore).toBe(1);
    expect(fake.refundedTotal(intentId)).toBe(amount);
    const stored = await m.refundsOf(intentId);
    expect(stored).toEqual([expect.objectContaining({ id: refundId, amount, status: 'pending', gatewayOutcome: 'known', gatewayRefundId: expect.any(String) })]);
    expect(await atPaystack(stored[0]!.gatewayRefundId)).toMatchObject({ transaction: fake.transaction(intentId)?.id, amount, merchant_note: refundId, status: 'pending' });
    expect(await m.stored(intentId)).toMatchObject({ refundedAmount: amount, committedAmount: amount });
    const view = await m.view(intentId);
    expect(view.refundedAmount).toBe(amount);
    expect(view.ledger.filter((e) => e.type === 'refund').map((e) => [e.id, e.amount])).toEqual([[refundId, -amount]]);
    expect(await m.refundedEvents(refundId)).toBe(1);
  }

  // Shared by every unknown outcome: pending with the amount reserved, the client's retry returns
  // it without a second POST /refund (Paystack would refund twice), the reconciler finds it.
  async function retryThenReconcile(intentId: string, key: string, refundId: string, amount: number): Promise<void> {
    expect(await m.refundsOf(intentId)).toEqual([expect.objectContaining({ id: refundId, status: 'pending', gatewayRefundId: null })]);
    expect((await m.stored(intentId)).committedAmount).toBe(amount);
    expect(await m.refundedEvents(refundId)).toBe(0);
    const retry = await m.refund(intentId, { amount }, key);
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id: refundId, status: 'pending', gatewayRefundId: null });
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await m.sweepNow()).toEqual({ checked: 0, settled: 0 });
    expect((await m.reconcile()).settled).toBe(1);
    expect(refundPosts() - postsBefore).toBe(1);
    await expectRefundedOnce(intentId, refundId, amount);
    const later = await m.refund(intentId, { amount }, key);
    expect(later.body).toMatchObject({ id: refundId, status: 'pending', gatewayRefundId: expect.any(String) });
    expect(refundPosts() - postsBefore).toBe(1);
  }

  it('Paystack refunds, then answers 500: 201 pending, one POST /refund, the reconciler finds it by merchant_note', async () => {
    const intentId = await paidIntent();
    fake.inject(PAYSTACK_ROUTES.createRefund, 'act-then-500');
    const first = await m.refund(intentId, { amount: 4000 }, 'paystack-500');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending', gatewayRefundId: null, amount: 4000 });
    expect(fake.refundedTotal(intentId)).toBe(4000);
    await retryThenReconcile(intentId, 'paystack-500', first.body.id, 4000);
  });

  it('Paystack refunds, then the connection resets: 201 pending, never re-sent, found by the reconciler', async () => {
    const intentId = await paidIntent();
    fake.inject(PAYSTACK_ROUTES.createRefund, 'act-then-reset');
    const first = await m.refund(intentId, { amount: 3000 }, 'paystack-reset');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending', gatewayRefundId: null });
    await retryThenReconcile(intentId, 'paystack-reset', first.body.id, 3000);
  });

  it('Paystack refunds and never answers: 409 in the lease, the recorded refund after it, found while the call still hangs', async () => {
    const intentId = await paidIntent();
    fake.inject(PAYSTACK_ROUTES.createRefund, 'act-then-hang');
    const reached = fake.waitForRequests(fake.requests.length + 1);
    const hanging = m.refund(intentId, { amount: 1500 }, 'paystack-hang').then((res) => res);
    await reached;
    expect((await m.refund(intentId, { amount: 1500 }, 'paystack-hang')).status).toBe(409);
    m.expireLease();
    const [recorded] = await m.refundsOf(intentId);
    expect(recorded).toMatchObject({ status: 'pending', gatewayOutcome: 'awaiting' });
    await retryThenReconcile(intentId, 'paystack-hang', recorded!.id, 1500);
    // The hung call finally dies: its unknown outcome changes nothing that is known.
    await proxy.down();
    const late = await hanging;
    await proxy.up();
    expect(late.body).toMatchObject({ id: recorded!.id, status: 'pending', gatewayRefundId: expect.any(String) });
    await expectRefundedOnce(intentId, recorded!.id, 1500);
  });

  it('Paystack refunds, then our write of the answer fails for good: 201 pending, 409 in the lease, never re-sent, found', async () => {
    const intentId = await paidIntent();
    m.faulty.arm({ matches: refundOutcomeWrite, times: 1, error: dynamoHardError });
    const first = await m.refund(intentId, { amount: 5000 }, 'paystack-write-lost');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending', gatewayRefundId: null });
    expect(fake.refundedTotal(intentId)).toBe(5000);
    expect((await m.refund(intentId, { amount: 5000 }, 'paystack-write-lost')).status).toBe(409);
    m.expireLease();
    await retryThenReconcile(intentId, 'paystack-write-lost', first.body.id, 5000);
  });

  it('a transient failure of that write is retried: 201 with Paystack\'s refund id at once, one event', async () => {
    const intentId = await paidIntent();
    const failures = m.faulty.failures;
    m.faulty.arm({ matches: refundOutcomeWrite, times: 1, error: dynamoInternalError });
    const res = await m.refund(intentId, { amount: 6000 }, 'paystack-write-transient');
    expect(m.faulty.failures).toBe(failures + 1);
    expect(res.body).toMatchObject({ status: 'pending', amount: 6000, gatewayRefundId: expect.any(String) });
    await expectRefundedOnce(intentId, res.body.id, 6000);
  });

  it('a crash between Paystack refunding and our save: the retry after the lease returns the recorded refund, never a second POST', async () => {
    const intentId = await paidIntent();
    const crashed = m.afterNextCall(fake, () => m.faulty.arm({ matches: isWrite, times: Infinity, error: dynamoHardError }));
    await m.refund(intentId, { amount: 7000 }, 'paystack-crash'); // an answer the dead process never sent
    await crashed;
    m.faulty.disarm();
    const [recorded] = await m.refundsOf(intentId);
    expect(recorded).toMatchObject({ status: 'pending', gatewayOutcome: 'awaiting', amount: 7000 });
    expect((await m.refund(intentId, { amount: 7000 }, 'paystack-crash')).status).toBe(409);
    m.expireLease();
    await retryThenReconcile(intentId, 'paystack-crash', recorded!.id, 7000);
  });

  it('Paystack unreachable (connection refused): 502, the amount back, one payment.refunded; the key is free to try again', async () => {
    const intentId = await paidIntent();
    await proxy.down();
    const refused = await m.refund(intentId, { amount: 2000 }, 'paystack-refused');
    await proxy.up();
    expect(refused.status).toBe(502);
    expect(refundPosts() - postsBefore).toBe(0);
    const [failed] = await m.refundsOf(intentId);
    expect(failed).toMatchObject({ status: 'failed', amount: 2000, gatewayOutcome: 'known' });
    expect(await m.stored(intentId)).toMatchObject({ refundedAmount: 0, committedAmount: 0 });
    expect((await m.view(intentId)).refundedAmount).toBe(0);
    expect(await m.refundedEvents(failed!.id)).toBe(1);
    // A certain refusal releases the key: the same request now refunds, once.
    const again = await m.refund(intentId, { amount: 2000 }, 'paystack-refused');
    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(failed!.id);
    expect(fake.refundCount() - refundsBefore).toBe(1);
    expect(fake.refundedTotal(intentId)).toBe(2000);
    expect(await m.stored(intentId)).toMatchObject({ refundedAmount: 2000, committedAmount: 2000 });
  });

  it('Paystack answers 503 and refunds nothing: pending, then the reconciler finds no refund → failed, amount back, one event', async () => {
    const intentId = await paidIntent();
    fake.inject(PAYSTACK_ROUTES.createRefund, 'refuse-503');
    const first = await m.refund(intentId, { amount: 2500 }, 'paystack-503');
    // A 5xx from a call that moves money is an unknown outcome, whatever this one really did.
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'pending' });
    expect(fake.refundCount() - refundsBefore).toBe(0);
    expect((await m.stored(intentId)).committedAmount).toBe(2500);
    expect(await m.sweepNow()).toEqual({ checked: 0, settled: 0 }); // "absent" is not believed yet

    expect((await m.reconcile()).settled).toBe(1);
    expect(await m.refundsOf(intentId)).toEqual([expect.objectContaining({ id: first.body.id, status: 'failed', gatewayOutcome: 'known' })]);
    expect(await m.stored(intentId)).toMatchObject({ refundedAmount: 0, committedAmount: 0 });
    expect((await m.view(intentId)).refundedAmount).toBe(0);
    expect(await m.refundedEvents(first.body.id)).toBe(1);
    expect(refundPosts() - postsBefore).toBe(1);
    expect((await m.refund(intentId, { amount: 2500 }, 'paystack-503')).body).toMatchObject({ id: first.body.id, status: 'failed' });
  });

  it('the reconciler reads every page of the transaction\'s refunds before calling ours absent', async () => {
    const intentId = await paidIntent();
    // 100 refunds made elsewhere (the dashboard) come before ours in Paystack's list.
    for (let i = 0; i < 100; i++) {
      await fetch(`${fake.baseUrl}/refund`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' },
        body: JSON.stringify({ transaction: intentId, amount: 1, merchant_note: `dashboard-${i}` }),
      });
    }
    refundsBefore = fake.refundCount();
    fake.inject(PAYSTACK_ROUTES.createRefund, 'act-then-500');
    const first = await m.refund(intentId, { amount: 4000 }, 'paystack-page-2');
    expect(first.body).toMatchObject({ status: 'pending', gatewayRefundId: null });
    expect((await m.reconcile()).settled).toBe(1);
    const [ours] = await m.refundsOf(intentId);
    expect(ours).toMatchObject({ id: first.body.id, status: 'pending', gatewayOutcome: 'known', gatewayRefundId: expect.any(String) });
    expect(await atPaystack(ours!.gatewayRefundId)).toMatchObject({ merchant_note: first.body.id, amount: 4000 });
    expect(fake.refundCount() - refundsBefore).toBe(1);
    expect(fake.refundedTotal(intentId)).toBe(4100);
    expect(await m.stored(intentId)).toMatchObject({ refundedAmount: 4000, committedAmount: 4000 });
    expect(await m.refundedEvents(first.body.id)).toBe(1);
  });
});

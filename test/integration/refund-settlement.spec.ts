import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import type { PaymentEvent } from '../../src/domain/payment-event.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { PaystackFake } from '../support/fakes/paystack-fake.js';
import { StripeFake, type StripeRefundEventType } from '../support/fakes/stripe-fake.js';
import { startMoneyApp, type MoneyApp } from '../support/money-refund.js';
import { KEYS } from '../support/test-app.js';

// ADR 0014: a refund the gateway answered 'pending' settles exactly once — from the gateway's
// refund webhook (Stripe: signed, taken as is; Paystack: a hint, re-queried with GET /refund/:id)
// or from a status re-query (refresh, the reconciler's queue). Each refund publishes
// payment.refunded twice: 'pending' when first answered, the final status when it settles.

async function refundEvents(m: MoneyApp, refundId: string): Promise<PaymentEvent[]> {
  await (m.t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
  return m.publisher.published.map((e) => e.event).filter((e) => e.type === 'payment.refunded' && e.refundId === refundId);
}
const statuses = (events: PaymentEvent[]) => events.map((e) => e.refundStatus);

describe('Stripe refunds that settle (strict Stripe fake, DynamoDB Local)', () => {
  const SECRET = 'sk_test_refund_settlement';
  const WEBHOOK_SECRET = 'whsec_refund_settlement';
  const fake = new StripeFake({ secretKey: SECRET, refundStatus: 'pending' });
  let m: MoneyApp;

  beforeAll(async () => {
    m = await startMoneyApp({ STRIPE_SECRET_KEY: SECRET, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_BASE_URL: await fake.start() });
  });
  afterAll(async () => {
    await m.close();
    await fake.stop();
  });

  const now = () => Math.floor(m.clock.now().getTime() / 1000);
  const post = (signed: { payload: string; header: string }) =>
    m.http().post('/webhooks/stripe').set('Stripe-Signature', signed.header).set('Content-Type', 'application/json').send(signed.payload);

  async function pendingRefund(amount = 10_000, refunded = 4_000): Promise<{ intentId: string; refundId: string; re: string }> {
    const created = await m
      .http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount, currency: 'USD', country: 'US', metadata: { appId: 'kaba', referenceId: `settle-${randomUUID()}` }, gatewayOverride: 'stripe' })
      .expect(201);
    fake.succeed(created.body.gatewayTransactionId);
    await post(fake.signedEvent('payment_intent.succeeded', created.body.gatewayTransactionId, WEBHOOK_SECRET, now())).expect(200);
    const refund = await m.refund(created.body.id, { amount: refunded }, `r-${randomUUID()}`).expect(201);
    expect(refund.body).toMatchObject({ status: 'pending', amount: refunded });
    expect(refund.body.gatewayRefundId).toMatch(/^re_/);
    return { intentId: created.body.id, refundId: refund.body.id, re: refund.body.gatewayRefundId };
  }
  const refundEvent = (type: StripeRefundEventType, re: string) => fake.signedRefundEvent(type, re, WEBHOOK_SECRET, now());

  it('pending, then refund.updated (succeeded): succeeded on record, payment.refunded again with refundStatus succeeded', async () => {
    const r = await pendingRefund();
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending']);
    fake.settleRefund(r.re, 'succeeded');
    await post(refundEvent('refund.updated', r.re)).expect(200);
    expect(await m.refundsOf(r.intentId)).toEqual([expect.objectContaining({ id: r.refundId, status: 'succeeded', gatewayOutcome: 'known' })]);
    expect(await m.stored(r.intentId)).toMatchObject({ refundedAmount: 4000, committedAmount: 4000 });
    const events = await refundEvents(m, r.refundId);
    expect(statuses(events)).toEqual(['pending', 'succeeded']);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(2);
    expect(events[1]).toMatchObject({ amount: 4000, intentId: r.intentId, gateway: 'stripe' });
    // The same webhook again (Stripe re-delivers): nothing more.
    await post(refundEvent('refund.updated', r.re)).expect(200);
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending', 'succeeded']);
  });

  it('refund.failed: failed on record, the amount given back once, payment.refunded failed; the amount is refundable again', async () => {
    const r = await pendingRefund(10_000, 10_000);
    fake.settleRefund(r.re, 'failed');
    const failed = refundEvent('refund.failed', r.re);
    await post(failed).expect(200);
    await post(failed).expect(200);
    expect(await m.refundsOf(r.intentId)).toEqual([expect.objectContaining({ id: r.refundId, status: 'failed' })]);
    expect(await m.stored(r.intentId)).toMatchObject({ refundedAmount: 0, committedAmount: 0 });
    expect((await m.view(r.intentId)).refundedAmount).toBe(0);
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending', 'failed']);
    expect((await m.refund(r.intentId, { amount: 10_000 }, `again-${randomUUID()}`)).status).toBe(201);
  });

  it('the same refund.failed webhook 10 times at once settles once: one event, the amount back once', async () => {
    const r = await pendingRefund(10_000, 6_000);
    fake.settleRefund(r.re, 'failed');
    const failed = refundEvent('refund.failed', r.re);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(failed)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(await m.stored(r.intentId)).toMatchObject({ refundedAmount: 0, committedAmount: 0 });
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending', 'failed']);
  });

  it('10 concurrent refund.updated (succeeded) webhooks: one settlement, one event', async () => {
    const r = await pendingRefund();
    fake.settleRefund(r.re, 'succeeded');
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(refundEvent('refund.updated', r.re))));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending', 'succeeded']);
    expect(await m.stored(r.intentId)).toMatchObject({ refundedAmount: 4000, committedAmount: 4000 });
  });

  it('charge.refunded listing the refund settles it too', async () => {
    const r = await pendingRefund();
    fake.settleRefund(r.re, 'succeeded');
    await post(refundEvent('charge.refunded', r.re)).expect(200);
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending', 'succeeded']);
  });

  it('a refund.updated still pending changes nothing; an unknown refund id is acknowledged and ignored', async () => {
    const r = await pendingRefund();
    await post(refundEvent('refund.updated', r.re)).expect(200);
    const payload = JSON.stringify({ id: 'evt_unknown', object: 'event', type: 'refund.updated', data: { object: { id: 're_not_ours', object: 'refund', status: 'succeeded', payment_intent: 'pi_nope' } } });
    await post({ payload, header: Stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET, timestamp: now() }) }).expect(200);
    expect(await m.refundsOf(r.intentId)).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending']);
  });

  it('refresh() re-queries GET /v1/refunds/:id and settles a refund whose webhook was lost', async () => {
    const r = await pendingRefund();
    const service = (await m.t.services()).refundSettlement;
    const [pending] = await m.refundsOf(r.intentId);
    expect(await service.refresh(pending!)).toBe(false); // still pending at Stripe
    fake.settleRefund(r.re, 'succeeded');
    expect(await service.refresh(pending!)).toBe(true);
    expect(fake.requests.filter((q) => q.method === 'GET' && q.path === `/v1/refunds/${r.re}`)).toHaveLength(2);
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending', 'succeeded']);
    const [settled] = await m.refundsOf(r.intentId);
    expect(await service.refresh(settled!)).toBe(false); // nothing left to settle
  });

  it('an operator cannot confirm a refund Stripe settles itself (409)', async () => {
    const r = await pendingRefund();
    const res = await m.http().post(`/api/v1/intents/${r.intentId}/refunds/${r.refundId}/confirm`).set('X-API-Key', KEYS.ops).send({ outcome: 'succeeded' });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('CONFLICT');
  });
});

describe('Paystack refunds that settle (strict Paystack fake, DynamoDB Local)', () => {
  const SECRET = 'sk_test_refund_settlement';
  const fake = new PaystackFake({ secretKey: SECRET });
  let m: MoneyApp;

  beforeAll(async () => {
    m = await startMoneyApp({ PAYSTACK_SECRET_KEY: SECRET, PAYSTACK_BASE_URL: await fake.start() });
  });
  afterAll(async () => {
    await m.close();
    await fake.stop();
  });

  const signed = (body: object) => {
    const payload = JSON.stringify(body);
    return m.http().post('/webhooks/paystack').set('x-paystack-signature', createHmac('sha512', SECRET).update(payload).digest('hex')).set('Content-Type', 'application/json').send(payload);
  };

  async function pendingRefund(amount = 10_000, refunded = 4_000): Promise<{ intentId: string; refundId: string; paystackId: string }> {
    const created = await m
      .http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({
        amount,
        currency: 'NGN',
        country: 'NG',
        metadata: { appId: 'kaba', referenceId: `settle-${randomUUID()}`, customerEmail: 'payer@example.com' },
        returnUrl: 'https://kaba.example/return',
        gatewayOverride: 'paystack',
      })
      .expect(201);
    const reference = created.body.id as string;
    fake.succeed(reference);
    await signed({ event: 'charge.success', data: { id: fake.transaction(reference)?.id, reference, amount, currency: 'NGN', status: 'success' } }).expect(200);
    const refund = await m.refund(reference, { amount: refunded }, `r-${randomUUID()}`).expect(201);
    expect(refund.body).toMatchObject({ status: 'pending' });
    return { intentId: reference, refundId: refund.body.id, paystackId: refund.body.gatewayRefundId };
  }
  const refundWebhook = (event: string, r: { intentId: string; paystackId: string }, status: string, withId = true) =>
    signed({ event, data: { ...(withId ? { id: Number(r.paystackId) } : {}), status, transaction_reference: r.intentId, amount: 4000, currency: 'NGN', domain: 'test' } });
  const fetches = (id: string) => fake.requests.filter((q) => q.method === 'GET' && q.path === `/refund/${id}`).length;

  it('refund.processed is a hint: re-queried with GET /refund/:id, then succeeded with its event', async () => {
    const r = await pendingRefund();
    // The hint alone settles nothing while Paystack still says pending.
    await refundWebhook('refund.processed', r, 'processed').expect(200);
    expect(fetches(r.paystackId)).toBe(1);
    expect(await m.refundsOf(r.intentId)).toEqual([expect.objectContaining({ status: 'pending' })]);
    fake.processRefund(Number(r.paystackId), 'processed');
    await refundWebhook('refund.processed', r, 'processed').expect(200);
    expect(fetches(r.paystackId)).toBe(2);
    expect(await m.refundsOf(r.intentId)).toEqual([expect.objectContaining({ id: r.refundId, status: 'succeeded' })]);
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending', 'succeeded']);
  });

  it('refund.pending / processing / needs-attention change nothing', async () => {
    const r = await pendingRefund();
    for (const word of ['pending', 'processing', 'needs-attention']) await refundWebhook(`refund.${word}`, r, word).expect(200);
    expect(await m.refundsOf(r.intentId)).toEqual([expect.objectContaining({ status: 'pending' })]);
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending']);
  });

  it('refund.failed (confirmed by the re-query): failed, the amount back once, payment.refunded failed', async () => {
    const r = await pendingRefund(10_000, 10_000);
    fake.processRefund(Number(r.paystackId), 'failed');
    await refundWebhook('refund.failed', r, 'failed').expect(200);
    await refundWebhook('refund.failed', r, 'failed').expect(200);
    expect(await m.stored(r.intentId)).toMatchObject({ refundedAmount: 0, committedAmount: 0 });
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending', 'failed']);
  });

  it('a payload without the refund id re-queries the pending refunds of its transaction', async () => {
    const r = await pendingRefund();
    fake.processRefund(Number(r.paystackId), 'processed');
    await refundWebhook('refund.processed', r, 'processed', false).expect(200);
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending', 'succeeded']);
  });

  it('refresh() settles through GET /refund/:id', async () => {
    const r = await pendingRefund();
    fake.processRefund(Number(r.paystackId), 'processed');
    const [pending] = await m.refundsOf(r.intentId);
    expect(await (await m.t.services()).refundSettlement.refresh(pending!)).toBe(true);
    expect(statuses(await refundEvents(m, r.refundId))).toEqual(['pending', 'succeeded']);
  });
});

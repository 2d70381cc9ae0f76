import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { dynamoInternalError, type WriteFault } from '../support/faulty-db.js';
import { startMoneyApp, type MoneyApp } from '../support/money-refund.js';
import { StubDisbursementProvider } from '../support/stub-disbursement-provider.js';
import { KEYS } from '../support/test-app.js';

// ADR 0010 §4: refunded + paid out <= captured, whoever comes first. Refunds (mock gateway) and
// payouts of the same intent (a stub MoMo) both reserve on the intent's committedAmount; the loser
// gets a 402 that names what took the money, and a failed payout gives its part back.
describe('refunds and payouts of one intent never take more than it captured (DynamoDB Local)', () => {
  const momo = new StubDisbursementProvider('momo');
  let m: MoneyApp;

  beforeAll(async () => {
    m = await startMoneyApp({}, { disbursementProviders: [momo] });
  });
  afterAll(async () => {
    await m.close();
  });
  beforeEach(() => {
    momo.up = true;
    m.faulty.disarm();
  });

  async function paidIntent(amount = 10_000): Promise<string> {
    const created = await m
      .http()
      .post('/api/v1/intents')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: `inv-${randomUUID()}` }, gatewayOverride: 'mock' })
      .expect(201);
    await m.http().post('/webhooks/mock').send({ gatewayTransactionId: created.body.gatewayTransactionId, status: 'succeeded', amount: created.body.amount, currency: created.body.currency }).expect(200);
    return created.body.id as string;
  }
  const refund = (intentId: string, body: object = {}) => m.refund(intentId, body, randomUUID());
  const payout = (intentId: string, amount: number) =>
    m
      .http()
      .post('/api/v1/disbursements')
      .set('X-API-Key', KEYS.kaba)
      .send({ amount, currency: 'XOF', country: 'BJ', phoneNumber: '+22997222222', appId: 'kaba', referenceId: `payout-${randomUUID()}`, intentId });

  // The guard attributes equal what the stored items say: refunds (not failed) and payouts (not
  // failed, as GET lists them); committedAmount is their sum and never above the capture.
  async function expectConsistent(intentId: string, captured = 10_000): Promise<{ refunded: number; paidOut: number }> {
    const refunded = (await m.refundsOf(intentId)).filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amount, 0);
    const view = await m.view(intentId);
    const paidOut = view.payouts.filter((p) => p.status !== 'failed').reduce((sum, p) => sum + p.amount, 0);
    expect(await m.stored(intentId)).toEqual({ refundedAmount: refunded, paidOutAmount: paidOut, committedAmount: refunded + paidOut });
    expect(view.refundedAmount).toBe(refunded);
    expect(view.paidOutAmount).toBe(paidOut);
    expect(refunded + paidOut).toBeLessThanOrEqual(captured);
    return { refunded, paidOut };
  }

  it('a refund and a payout of 7000 each race for 10000: exactly one wins, the other is 402 naming the winner', async () => {
    const winners: string[] = [];
    for (let round = 0; round < 4; round++) {
      const intentId = await paidIntent();
      const [r, p] = await Promise.all([refund(intentId, { amount: 7000 }), payout(intentId, 7000)]);
      expect([r.status, p.status].sort()).toEqual([201, 402]);
      if (r.status === 201) {
        winners.push('refund');
        expect(p.body).toMatchObject({ error: 'PAYMENT_ERROR', message: `A payout of 7000 exceeds what is left of PaymentIntent ${intentId} (3000); 7000 is refunded or being refunded by refund ${r.body.id}` });
        expect(await expectConsistent(intentId)).toEqual({ refunded: 7000, paidOut: 0 });
      } else {
        winners.push('payout');
        expect(r.body).toMatchObject({ error: 'PAYMENT_ERROR', message: expect.stringContaining(`(7000 paid out to the business by disbursement ${p.body.id})`) });
        expect(await expectConsistent(intentId)).toEqual({ refunded: 0, paidOut: 7000 });
      }
    }
    expect(winners).toHaveLength(4);
  }, 30_000);

  it('20 concurrent refunds of 700 and a payout of 3000 against 10000: what is accepted fits, and the stored items are what the intent says', async () => {
    const intentId = await paidIntent();
    const sentBefore = momo.sent.length;
    const [payoutRes, ...refunds] = await Promise.all([payout(intentId, 3000), ...Array.from({ length: 20 }, () => refund(intentId, { amount: 700 }))]);
    const accepted = refunds.filter((r) => r.status === 201);
    // Every loser is a clean 402 (no 500 from a conflicting transaction, no 409 from giving up).
    expect(refunds.filter((r) => r.status !== 201).every((r) => r.status === 402 && r.body.error === 'PAYMENT_ERROR')).toBe(true);
    expect([201, 402]).toContain(payoutRes.status);
    const paidOut = payoutRes.status === 201 ? 3000 : 0;
    expect(accepted.length * 700 + paidOut).toBeLessThanOrEqual(10_000);
    // Nobody starved: what is left is less than one more refund.
    expect(10_000 - accepted.length * 700 - paidOut).toBeLessThan(700);
    expect(await expectConsistent(intentId)).toEqual({ refunded: accepted.length * 700, paidOut });
    expect(momo.sent.length - sentBefore).toBe(paidOut > 0 ? 1 : 0);
    for (const r of accepted) expect(await m.refundedEvents(r.body.id)).toBe(1);
  }, 20_000);

  it('a fully paid-out intent cannot be refunded: 402 names the disbursement; GET shows the payout', async () => {
    const intentId = await paidIntent();
    const paid = await payout(intentId, 10_000).expect(201);
    expect((await (await m.t.services()).disburse.pollPending()).settled).toBeGreaterThanOrEqual(1);
    const res = await refund(intentId);
    expect(res.status).toBe(402);
    expect(res.body.message).toBe(`PaymentIntent ${intentId} has nothing left to refund (10000 paid out to the business by disbursement ${paid.body.id})`);
    const view = await m.view(intentId);
    expect(view.paidOutAmount).toBe(10_000);
    expect(view.payouts).toEqual([expect.objectContaining({ id: paid.body.id, amount: 10_000, status: 'succeeded' })]);
    expect(await expectConsistent(intentId)).toEqual({ refunded: 0, paidOut: 10_000 });
    expect(await m.refundsOf(intentId)).toEqual([]);
  });

  it('a fully refunded intent cannot be paid out: 402 names the refunds, nothing is sent', async () => {
    const intentId = await paidIntent();
    const first = await refund(intentId, { amount: 6000 }).expect(201);
    const second = await refund(intentId).expect(201);
    const sentBefore = momo.sent.length;
    const res = await payout(intentId, 10_000);
    expect(res.status).toBe(402);
    expect(res.body.message).toMatch(new RegExp(`^A payout of 10000 exceeds what is left of PaymentIntent ${intentId} \\(0\\); 10000 is refunded or being refunded by refund (${first.body.id}, ${second.body.id}|${second.body.id}, ${first.body.id})$`));
    expect(momo.sent.length).toBe(sentBefore);
    expect((await m.view(intentId)).payouts).toEqual([]);
    expect(await expectConsistent(intentId)).toEqual({ refunded: 10_000, paidOut: 0 });
  });

  it('a failed payout gives its amount back: a refund can then take all of it', async () => {
    const intentId = await paidIntent();
    momo.up = false; // the only provider refuses: certainly nothing sent
    const failed = await payout(intentId, 10_000);
    expect(failed.status).toBe(201);
    expect(failed.body).toMatchObject({ status: 'failed' });
    await m.refundedEvents(''); // flushes the outbox
    expect(m.publisher.published.filter((e) => e.event.type === 'disbursement.failed' && e.event.disbursementId === failed.body.id)).toHaveLength(1);
    expect(await expectConsistent(intentId)).toEqual({ refunded: 0, paidOut: 0 });
    expect((await m.view(intentId)).payouts).toEqual([expect.objectContaining({ id: failed.body.id, status: 'failed' })]);
    const res = await refund(intentId);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amount: 10_000, status: 'succeeded' });
    expect(await expectConsistent(intentId)).toEqual({ refunded: 10_000, paidOut: 0 });
  });

  describe('our reserve write failing in flight', () => {
    const isReserve: WriteFault['matches'] = (command) => {
      const items = (command.input as { TransactItems?: Array<{ Put?: { Item?: Record<string, unknown> } }> }).TransactItems;
      return command.constructor.name === 'TransactWriteCommand' && items?.[1]?.Put?.Item?.entity === 'refund';
    };

    it('a transaction conflict (nothing written) is retried: 201, reserved once', async () => {
      const intentId = await paidIntent();
      const conflict = () => Object.assign(new Error('Transaction cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }] });
      m.faulty.arm({ matches: isReserve, times: 1, error: conflict });
      const res = await refund(intentId, { amount: 4000 });
      expect(m.faulty.failures).toBeGreaterThan(0);
      expect(res.status).toBe(201);
      expect(await expectConsistent(intentId)).toEqual({ refunded: 4000, paidOut: 0 });
    });

    it('a 500 after DynamoDB committed it is retried under the same token: 201, reserved once (not twice, not "conflict")', async () => {
      const intentId = await paidIntent();
      // The write reaches DynamoDB and commits; the answer we get is a 500.
      const committedThenLost: WriteFault['matches'] = (command) => isReserve(command) && (void m.t.table.db.send(command).catch(() => undefined), true);
      m.faulty.arm({ matches: committedThenLost, times: 1, error: dynamoInternalError });
      const res = await refund(intentId, { amount: 4000 });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ status: 'succeeded', amount: 4000 });
      expect(await m.refundsOf(intentId)).toHaveLength(1);
      expect(await expectConsistent(intentId)).toEqual({ refunded: 4000, paidOut: 0 });
    });
  });
});

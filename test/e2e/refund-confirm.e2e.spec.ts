import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { lifecycleHarness } from '../support/lifecycle.js';
import { RecordingPublisher } from '../support/recording-publisher.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// Manual refunds (KkiaPay, MoMo, TKH answer 'pending': do it in the dashboard) are confirmed by
// an operator: POST /api/v1/intents/:id/refunds/:refundId/confirm, operations key only (ADR 0014).
describe('POST /api/v1/intents/:id/refunds/:refundId/confirm (e2e, DynamoDB Local, KkiaPay)', () => {
  let t: TestApp;
  const publisher = new RecordingPublisher();
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp({}, { publisher });
  });
  afterAll(async () => {
    await t.close();
  });

  // A paid KkiaPay intent of app 'kaba', refunded through the API: pending (manual).
  async function manualRefund(amount = 1000): Promise<{ intentId: string; refundId: string }> {
    const h = lifecycleHarness(t.table);
    const intent = await h.newIntent({ gateway: 'kkiapay', gatewayTransactionId: `kkia_${randomUUID()}`, amount });
    await h.outcomes.apply(intent.id, { status: 'succeeded', amount, currency: intent.currency }, { gateway: 'kkiapay', eventId: `p-${intent.id}` });
    const refund = await http().post(`/api/v1/intents/${intent.id}/refund`).set('X-API-Key', KEYS.kaba).send({ amount }).expect(201);
    expect(refund.body).toMatchObject({ status: 'pending', gateway: 'kkiapay', gatewayRefundId: null });
    return { intentId: intent.id, refundId: refund.body.id };
  }
  const confirm = (r: { intentId: string; refundId: string }, body: object, key: string = KEYS.ops) =>
    http().post(`/api/v1/intents/${r.intentId}/refunds/${r.refundId}/confirm`).set('X-API-Key', key).send(body);
  const refundStatuses = async (refundId: string) => {
    await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
    return publisher.published.filter((e) => e.event.type === 'payment.refunded' && e.event.refundId === refundId).map((e) => e.event.refundStatus);
  };
  const refundedAmount = async (intentId: string) => (await http().get(`/api/v1/intents/${intentId}`).set('X-API-Key', KEYS.ops).expect(200)).body.refundedAmount;

  it('succeeded: 200 with the refund, payment.refunded again with refundStatus succeeded; repeating it answers the same', async () => {
    const r = await manualRefund();
    expect(await refundStatuses(r.refundId)).toEqual(['pending']);
    const res = await confirm(r, { outcome: 'succeeded' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: r.refundId, intentId: r.intentId, status: 'succeeded', amount: 1000 });
    expect(await refundStatuses(r.refundId)).toEqual(['pending', 'succeeded']);
    expect(await refundedAmount(r.intentId)).toBe(1000);
    const again = await confirm(r, { outcome: 'succeeded' });
    expect(again.status).toBe(200);
    expect(again.body.status).toBe('succeeded');
    expect(await refundStatuses(r.refundId)).toEqual(['pending', 'succeeded']);
  });

  it('failed: the amount is given back once, payment.refunded failed; the other outcome afterwards is 409', async () => {
    const r = await manualRefund();
    const res = await confirm(r, { outcome: 'failed' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('failed');
    expect(await refundedAmount(r.intentId)).toBe(0);
    expect(await refundStatuses(r.refundId)).toEqual(['pending', 'failed']);
    const contradicting = await confirm(r, { outcome: 'succeeded' });
    expect(contradicting.status).toBe(409);
    expect(contradicting.body).toEqual({ statusCode: 409, error: 'CONFLICT', message: `Refund ${r.refundId} is already failed` });
    expect(await confirm(r, { outcome: 'failed' }).then((a) => a.status)).toBe(200);
    expect(await refundedAmount(r.intentId)).toBe(0);
    expect(await refundStatuses(r.refundId)).toEqual(['pending', 'failed']);
  });

  it('concurrent confirmations settle once', async () => {
    const r = await manualRefund();
    const answers = await Promise.all(Array.from({ length: 10 }, () => confirm(r, { outcome: 'failed' })));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(await refundedAmount(r.intentId)).toBe(0);
    expect(await refundStatuses(r.refundId)).toEqual(['pending', 'failed']);
  });

  it('an app-scoped key is 403 (even the owning app), and nothing changes', async () => {
    const r = await manualRefund();
    const res = await confirm(r, { outcome: 'succeeded' }, KEYS.kaba);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ statusCode: 403, error: 'FORBIDDEN', message: 'Confirming a refund needs the operations key' });
    expect(await refundStatuses(r.refundId)).toEqual(['pending']);
  });

  it('a bad outcome is 400, an unknown refund 404', async () => {
    const r = await manualRefund();
    expect((await confirm(r, { outcome: 'done' })).status).toBe(400);
    expect((await confirm(r, {})).status).toBe(400);
    expect((await confirm(r, { outcome: 'succeeded', extra: 1 })).status).toBe(400);
    expect((await confirm({ intentId: r.intentId, refundId: randomUUID() }, { outcome: 'succeeded' })).status).toBe(404);
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import type { Disbursement } from '../../src/domain/disbursement.js';
import type { PaymentIntent } from '../../src/domain/intent.js';
import type { Refund } from '../../src/domain/refund.js';
import { OpsService } from '../../src/services/ops.service.js';
import { DynamoDisbursementStore } from '../../src/storage/disbursement.repository.js';
import { DynamoIntentRepository } from '../../src/storage/intent.repository.js';
import { DynamoOpsStore } from '../../src/storage/ops.repository.js';
import { DynamoPaymentLifecycleStore } from '../../src/storage/payment-lifecycle.repository.js';
import { DynamoRefundStore } from '../../src/storage/refund.repository.js';
import { keys, RETENTION_SECONDS } from '../../src/storage/table-schema.js';
import { sampleIntent } from '../support/intents.js';
import { ManualClock } from '../support/manual-clock.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

const MINUTE = 60_000;

describe('operations view /api/v1/ops (e2e)', () => {
  let t: TestApp;
  const clock = new ManualClock(new Date('2026-12-10T08:00:00.000Z'));
  const http = () => request(t.app.getHttpServer());
  const ops = (path: string) => http().get(`/api/v1/ops${path}`).set('X-API-Key', KEYS.ops);
  const resolve = (id: string, body: object) =>
    http().post(`/api/v1/ops/review-items/${encodeURIComponent(id)}/resolve`).set('X-API-Key', KEYS.ops).send(body);
  let lifecycle: DynamoPaymentLifecycleStore;
  let intents: DynamoIntentRepository;
  let refunds: DynamoRefundStore;
  let payouts: DynamoDisbursementStore;

  beforeAll(async () => {
    t = await startTestApp({}, { clock });
    lifecycle = new DynamoPaymentLifecycleStore(t.table.db, t.table.tableName);
    intents = new DynamoIntentRepository(t.table.db, t.table.tableName);
    refunds = new DynamoRefundStore(t.table.db, t.table.tableName);
    payouts = new DynamoDisbursementStore(t.table.db, t.table.tableName);
  });
  afterAll(async () => {
    await t.close();
  });

  const review = (eventId: string, reason: 'amount_mismatch' | 'second_transaction' | 'unknown_transaction' = 'amount_mismatch') =>
    lifecycle.storeForReview({ gateway: 'momo', eventId, reason, detail: { intentId: `intent-${eventId}`, reported: { amount: 1 } } }, clock.now());

  async function allReviewPages(limit: number) {
    const pages: { id: string; createdAt: string }[][] = [];
    let cursor: string | null = null;
    do {
      const res = await ops(`/review-items?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      pages.push(res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor !== null && pages.length < 10);
    return pages;
  }

  describe('refuses app-scoped keys on every route', () => {
    const routes = [
      ['GET', '/api/v1/ops/review-items'],
      ['GET', '/api/v1/ops/review-items?limit=oops'],
      ['POST', '/api/v1/ops/review-items/momo:evt-1/resolve'],
      ['GET', '/api/v1/ops/open-work?kind=intent'],
      ['GET', '/api/v1/ops/open-work'],
    ] as const;
    it.each(routes.flatMap(([method, path]) => [KEYS.kaba, KEYS.events].map((key) => [method, path, key] as const)))(
      '%s %s with an app key → 403',
      async (method, path, key) => {
        const call = method === 'GET' ? http().get(path) : http().post(path).send({ resolution: 'done' });
        const res = await call.set('X-API-Key', key);
        expect(res.status).toBe(403);
        expect(res.body).toEqual({ statusCode: 403, error: 'FORBIDDEN', message: 'operations key required' });
      },
    );
    it('without a key → 401', async () => {
      expect((await http().get('/api/v1/ops/review-items')).status).toBe(401);
    });
  });

  describe('review items', () => {
    it('30 open items, limit 10: three full pages, oldest first, none missing, none repeated', async () => {
      for (let i = 0; i < 30; i++) {
        await review(`page-${String(i).padStart(2, '0')}`);
        clock.advance(1000);
      }
      const pages = await allReviewPages(10);
      expect(pages.slice(0, 3).map((p) => p.length)).toEqual([10, 10, 10]);
      // DynamoDB may hand back a cursor on a full last page: the page after it is empty.
      expect(pages.slice(3).every((p) => p.length === 0)).toBe(true);
      const ids = pages.flat().map((item) => item.id);
      expect(new Set(ids).size).toBe(30);
      expect(ids).toEqual(Array.from({ length: 30 }, (_, i) => `momo:page-${String(i).padStart(2, '0')}`));
      const created = pages.flat().map((item) => item.createdAt);
      expect([...created].sort()).toEqual(created);
    });

    it('each item says what happened and what to do, with its detail parsed', async () => {
      const res = await ops('/review-items?limit=1');
      expect(res.body.items[0]).toEqual({
        id: 'momo:page-00',
        gateway: 'momo',
        eventId: 'page-00',
        reason: 'amount_mismatch',
        detail: { intentId: 'intent-page-00', reported: { amount: 1 } },
        createdAt: '2026-12-10T08:00:00.000Z',
        resolvedAt: null,
        resolvedBy: null,
        resolution: null,
        whatHappened: expect.stringContaining('different amount'),
        whatToDo: expect.stringContaining('gateway dashboard'),
      });
      expect(typeof res.body.nextCursor).toBe('string');
    });

    it('resolving takes the item off the list, keeps it 90 days, and a second resolve is 409', async () => {
      const id = 'momo:page-00';
      const res = await resolve(id, { resolution: 'Refunded 1 XOF in the MoMo portal', resolvedBy: 'awa' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id, resolvedAt: clock.now().toISOString(), resolvedBy: 'awa', resolution: 'Refunded 1 XOF in the MoMo portal' });

      const ids = (await allReviewPages(100)).flat().map((item) => item.id);
      expect(ids).not.toContain(id);
      expect(ids).toHaveLength(29);

      const { Item } = await t.table.db.send(new GetCommand({ TableName: t.table.tableName, Key: keys.review('momo', 'page-00') }));
      expect(Item?.gsi3pk).toBeUndefined();
      expect(Item?.expiresAt).toBe(Math.floor(clock.now().getTime() / 1000) + RETENTION_SECONDS.review);

      const again = await resolve(id, { resolution: 'again' });
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ statusCode: 409, error: 'CONFLICT', message: `Review item ${id} is already resolved` });
    });

    it('a repeated delivery of the same event does not reopen a resolved item', async () => {
      await review('page-00');
      const ids = (await allReviewPages(100)).flat().map((item) => item.id);
      expect(ids).not.toContain('momo:page-00');
    });

    it('an open item carries no TTL (it never expires unresolved)', async () => {
      const { Item } = await t.table.db.send(new GetCommand({ TableName: t.table.tableName, Key: keys.review('momo', 'page-01') }));
      expect(Item?.expiresAt).toBeUndefined();
      expect(Item?.gsi3pk).toBe('OPEN_REVIEW');
    });

    it.each([
      ['no resolution', {}, 'resolution is required'],
      ['an empty one', { resolution: '' }, 'resolution must be 1-500 characters'],
      ['501 characters', { resolution: 'x'.repeat(501) }, 'resolution must be 1-500 characters'],
      ['an unknown field', { resolution: 'ok', extra: 1 }, 'extra is not an allowed field'],
    ])('resolve with %s → 400', async (_label, body, message) => {
      const res = await resolve('momo:page-02', body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message });
    });

    it.each(['momo:nope', 'no-colon'])('resolving %s (no such item) → 404', async (id) => {
      const res = await resolve(id, { resolution: 'x' });
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('NOT_FOUND');
    });

    it.each(['not-base64!', Buffer.from(JSON.stringify({ gsi3pk: 'OPEN_INTENT', pk: 'x' })).toString('base64url')])(
      'a cursor that is not ours (%s) → 400',
      async (cursor) => {
        const res = await ops(`/review-items?cursor=${cursor}`);
        expect(res.status).toBe(400);
        expect(res.body.message).toBe('cursor is not valid: pass nextCursor from the previous page');
      },
    );

    it.each(['limit=0', 'limit=101', 'limit=abc'])('rejects %s', async (query) => {
      expect((await ops(`/review-items?${query}`)).status).toBe(400);
    });
  });

  describe('open work', () => {
    const start = new Date('2026-12-11T00:00:00.000Z');
    const at = (minutesAgo: number) => new Date(start.getTime() - minutesAgo * MINUTE).toISOString();
    const oldIntentIds: string[] = [];
    let unknownIntent: PaymentIntent;
    let openRefund: Refund;
    let unknownPayout: Disbursement;

    beforeAll(async () => {
      // 25 intents changed 2 h ago and 5 changed 10 min ago, interleaved in write order.
      for (let i = 0; i < 30; i++) {
        const recent = i % 6 === 5;
        const id = randomUUID();
        if (!recent) oldIntentIds.push(id);
        await intents.create(sampleIntent({ id, gatewayTransactionId: `mock_${id}`, updatedAt: at(recent ? 10 : 120), createdAt: at(130) }));
      }
      unknownIntent = sampleIntent({
        id: randomUUID(),
        gateway: 'momo',
        gatewayTransactionId: null,
        attempts: [{ gateway: 'momo', outcome: 'unknown', errorKind: 'timeout', at: at(90) }],
        updatedAt: at(90),
        createdAt: at(90),
      });
      await intents.create(unknownIntent);
      oldIntentIds.push(unknownIntent.id);

      const paid = sampleIntent({ id: randomUUID(), appId: 'events', status: 'succeeded', gatewayTransactionId: null, updatedAt: at(200), createdAt: at(200) });
      await intents.create(paid);
      openRefund = {
        id: randomUUID(), paymentId: 'pay-1', intentId: paid.id, amount: 1000, currency: 'XOF', status: 'pending', gateway: 'mock',
        gatewayRefundId: null, gatewayOutcome: 'awaiting', reason: null, createdAt: at(100), updatedAt: at(100),
      };
      expect(await refunds.reserve(paid, openRefund)).toBe(true);

      unknownPayout = {
        id: randomUUID(), appId: 'kaba', referenceId: 'inv-9', businessId: null, intentId: null, amount: 5000, currency: 'XOF', country: 'BJ',
        phoneNumber: '+2290197222222', status: 'pending', provider: 'momo', providerReference: null, failureReason: null,
        attempts: [{ provider: 'momo', outcome: 'unknown', errorKind: 'timeout', at: at(75) }], version: 1, createdAt: at(75), updatedAt: at(75),
      };
      unknownPayout.providerReference = unknownPayout.id;
      expect(await payouts.create({ disbursement: unknownPayout, completion: null, sourceAmount: null, dailyLimit: null, day: '2026-12-10' })).toEqual({ created: true });
      clock.advance(start.getTime() - clock.now().getTime());
    });

    it('lists only intents older than the threshold, across pages, none missing or repeated', async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await ops(`/open-work?kind=intent&olderThanMinutes=60&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(10);
        ids.push(...res.body.items.map((item: { id: string }) => item.id));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor !== null && pages < 10);
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort()).toEqual([...oldIntentIds].sort());
    });

    it('the threshold moves with the clock: an hour on, the recent ones are listed too', async () => {
      clock.advance(60 * MINUTE);
      const res = await ops('/open-work?kind=intent&olderThanMinutes=60&limit=100');
      expect(res.body.items).toHaveLength(oldIntentIds.length + 5);
      clock.advance(-60 * MINUTE);
    });

    it('an intent whose create answer was lost says so, and what to do', async () => {
      const res = await ops('/open-work?kind=intent&olderThanMinutes=80&limit=100');
      const item = res.body.items.find((i: { id: string }) => i.id === unknownIntent.id);
      expect(item).toEqual({
        kind: 'intent', id: unknownIntent.id, appId: 'kaba', intentId: unknownIntent.id, status: 'pending', gateway: 'momo', reference: null,
        open: 'create_outcome_unknown', lastAttemptOutcome: 'unknown', gatewayOutcome: null, createdAt: at(90), updatedAt: at(90),
        whatHappened: expect.stringContaining('without a certain answer'), whatToDo: expect.stringContaining('intent id'),
      });
      // 80 minutes: the unknown one (90 min) and every 120-minute one, none of the 10-minute ones.
      expect(res.body.items).toHaveLength(oldIntentIds.length);
    });

    it('refunds carry their intent\'s app; payouts their provider', async () => {
      const refundsRes = await ops('/open-work?kind=refund&olderThanMinutes=60');
      expect(refundsRes.body.items).toEqual([
        expect.objectContaining({ kind: 'refund', id: openRefund.id, appId: 'events', intentId: openRefund.intentId, open: 'refund_call_unanswered', gateway: 'mock' }),
      ]);
      const payoutsRes = await ops('/open-work?kind=disbursement&olderThanMinutes=60');
      expect(payoutsRes.body.items).toEqual([
        expect.objectContaining({ kind: 'disbursement', id: unknownPayout.id, appId: 'kaba', gateway: 'momo', reference: unknownPayout.id, open: 'payout_outcome_unknown' }),
      ]);
      expect((await ops('/open-work?kind=disbursement&olderThanMinutes=80')).body.items).toEqual([]);
    });

    it.each(['kind=nope', '', 'kind=intent&olderThanMinutes=-1'])('rejects open-work?%s', async (query) => {
      const res = await ops(`/open-work?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('VALIDATION_ERROR');
    });

    it('metrics: open review items, and unknown outcomes older than an hour (intents, refunds, payouts)', async () => {
      const service = new OpsService(new DynamoOpsStore(t.table.db, t.table.tableName), clock);
      // 29 review items open (one resolved above); unknown: the intent (90 min), refund (100), payout (75).
      expect(await service.metrics(clock.now())).toEqual({ openReviewItems: 29, unknownOutcomesOverAnHour: 3 });
      // 40 minutes earlier none of them was over an hour old yet (the payout was 35 minutes old).
      expect(await service.metrics(new Date(start.getTime() - 40 * MINUTE))).toEqual({ openReviewItems: 29, unknownOutcomesOverAnHour: 0 });
      await resolve('momo:page-01', { resolution: 'not ours' });
      expect((await service.metrics(clock.now())).openReviewItems).toBe(28);
    });
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { logger } from '../../src/logging/logger.js';
import { FakeGatewayServer } from '../support/fake-gateway-server.js';
import { RecordingPublisher } from '../support/recording-publisher.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// Issue 9 case 9: a KkiaPay widget payment whose browser never called verify (tab closed) is
// linked to its intent by the webhook's partnerId — the intent id the frontend passed to the
// widget — once the status API confirms it. Real KkiaPay adapter against a local fake.
describe('KkiaPay webhooks linked to their intent by partnerId (DynamoDB Local)', () => {
  const fake = new FakeGatewayServer();
  const publisher = new RecordingPublisher();
  // What the fake status API answers, by transaction id.
  const statuses = new Map<string, Record<string, unknown>>();
  let t: TestApp;
  const http = () => request(t.app.getHttpServer());

  const widgetIntent = async (amount = 500000) =>
    (
      await http()
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.kaba)
        .send({ amount, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: `inv-${amount}` }, useWidget: true })
    ).body as { id: string; referenceId: string; gateway: string; gatewayTransactionId: string | null };
  const webhook = (transactionId: string, partnerId: string | undefined, event = 'transaction.success') =>
    http()
      .post('/webhooks/kkiapay')
      .set('x-kkiapay-secret', 'hash-secret')
      .send({ transactionId, isPaymentSucces: event === 'transaction.success', event, amount: 500000, fees: 0, partnerId });
  const verify = (transactionId: string, intentId: string) =>
    http().post('/api/v1/intents/verify-kkiapay').set('X-API-Key', KEYS.kaba).send({ transactionId, intentId });
  const intentOf = async (id: string) => (await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.kaba)).body as Record<string, unknown>;
  const eventsOf = async (intentId: string) => {
    await (t.deps.dispatcher as ImmediateOutboxDispatcher).idle();
    return publisher.published.filter((e) => e.event.intentId === intentId).map((e) => e.event.type);
  };
  const reviewsOf = async (pkPrefix: string) =>
    (
      await t.table.db.send(
        new ScanCommand({
          TableName: t.table.tableName,
          FilterExpression: 'begins_with(pk, :p)',
          ExpressionAttributeValues: { ':p': `REVIEW#kkiapay#${pkPrefix}` },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  const success = (partnerId: string | undefined, amount = 500000) => ({ status: 'SUCCESS', amount, fees: 0, ...(partnerId ? { partnerId } : {}) });

  beforeAll(async () => {
    fake.on('POST /api/v1/transactions/status', (req) => {
      const transactionId = (req.body as { transactionId: string }).transactionId;
      return { status: 200, body: { transactionId, ...(statuses.get(transactionId) ?? { status: 'TRANSACTION_NOT_FOUND' }) } };
    });
    const base = await fake.start();
    t = await startTestApp(
      { KKIAPAY_PUBLIC_KEY: 'pk', KKIAPAY_PRIVATE_KEY: 'tpk', KKIAPAY_SECRET_KEY: 'tsk', KKIAPAY_WEBHOOK_SECRET: 'hash-secret', KKIAPAY_BASE_URL: base },
      { publisher },
    );
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    await t.close();
    await fake.stop();
  });

  it('a webhook for an unverified widget payment, confirmed by the status API, settles its intent and binds the transaction', async () => {
    const intent = await widgetIntent();
    expect(intent).toMatchObject({ gateway: 'kkiapay', gatewayTransactionId: null });
    statuses.set('kkia_tab_closed', success(intent.id));

    expect((await webhook('kkia_tab_closed', intent.id)).status).toBe(200);
    expect(fake.requests.some((r) => (r.body as { transactionId?: string } | null)?.transactionId === 'kkia_tab_closed')).toBe(true);
    expect(await intentOf(intent.id)).toMatchObject({ status: 'succeeded', gatewayTransactionId: 'kkia_tab_closed' });
    expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
    expect(await reviewsOf('transaction.success:kkia_tab_closed')).toEqual([]);

    // KkiaPay retries; the browser comes back late: nothing more happens.
    expect((await webhook('kkia_tab_closed', intent.id)).status).toBe(200);
    expect((await verify('kkia_tab_closed', intent.id)).body).toMatchObject({ verified: true, intent: { status: 'succeeded' } });
    expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
    // Bound in the same transaction: it can never pay another intent.
    const other = await widgetIntent();
    expect((await verify('kkia_tab_closed', other.id)).body).toMatchObject({ statusCode: 409, error: 'CONFLICT' });
  });

  it('the status answer must name the same partnerId: another one, or none, links nothing and keeps the webhook for review', async () => {
    const intent = await widgetIntent();
    const someoneElse = await widgetIntent();
    statuses.set('kkia_other_partner', success(someoneElse.id));
    statuses.set('kkia_no_partner', success(undefined));

    for (const tx of ['kkia_other_partner', 'kkia_no_partner']) {
      expect((await webhook(tx, intent.id)).status).toBe(200);
      expect(await reviewsOf(`transaction.success:${tx}`)).toEqual([expect.objectContaining({ reason: 'unknown_transaction' })]);
    }
    expect(await intentOf(intent.id)).toMatchObject({ status: 'pending', gatewayTransactionId: null });
    expect(await intentOf(someoneElse.id)).toMatchObject({ status: 'pending' });
    expect(await eventsOf(intent.id)).toEqual([]);
  });

  it('the status answer\'s amount must agree: kept for review as amount_mismatch, the intent stays pending', async () => {
    const intent = await widgetIntent();
    statuses.set('kkia_cheap', success(intent.id, 100));
    expect((await webhook('kkia_cheap', intent.id)).status).toBe(200);
    expect(await intentOf(intent.id)).toMatchObject({ status: 'pending', gatewayTransactionId: null });
    expect(await reviewsOf('transaction.success:kkia_cheap')).toEqual([expect.objectContaining({ reason: 'amount_mismatch' })]);
    expect(await eventsOf(intent.id)).toEqual([]);
  });

  it('a failed attempt is not applied (the customer may pay again in the widget); the success that follows is', async () => {
    const intent = await widgetIntent();
    statuses.set('kkia_declined', { status: 'INSUFFICIENT_FUND', amount: 500000, partnerId: intent.id });
    expect((await webhook('kkia_declined', intent.id, 'transaction.failed')).status).toBe(200);
    expect((await intentOf(intent.id)).status).toBe('pending');

    statuses.set('kkia_retry_ok', success(intent.id));
    expect((await webhook('kkia_retry_ok', intent.id)).status).toBe(200);
    expect(await intentOf(intent.id)).toMatchObject({ status: 'succeeded', gatewayTransactionId: 'kkia_retry_ok' });
    expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
  });

  it('a second, different successful transaction for an intent already paid by another is kept for an operator, loudly', async () => {
    const intent = await widgetIntent();
    statuses.set('kkia_first_pay', success(intent.id));
    statuses.set('kkia_paid_twice', success(intent.id));
    expect((await verify('kkia_first_pay', intent.id)).body.verified).toBe(true);

    const warn = jest.spyOn(logger, 'warn');
    for (let i = 0; i < 2; i++) expect((await webhook('kkia_paid_twice', intent.id)).status).toBe(200);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('second_transaction'), expect.objectContaining({ intentId: intent.id, transactionId: 'kkia_paid_twice' }));
    expect(await reviewsOf(`second_transaction:${intent.id}:kkia_paid_twice`)).toEqual([expect.objectContaining({ reason: 'second_transaction' })]);
    expect(await intentOf(intent.id)).toMatchObject({ status: 'succeeded', gatewayTransactionId: 'kkia_first_pay' });
    expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
    // The same double payment seen by verify is the same review item, not a second one.
    expect((await verify('kkia_paid_twice', intent.id)).status).toBe(409);
    expect(await reviewsOf(`second_transaction:${intent.id}`)).toHaveLength(1);
  });

  it('a partnerId that is no open KkiaPay intent\'s id links nothing: a mock intent, an unknown id, a referenceId', async () => {
    const mockIntent = (
      await http()
        .post('/api/v1/intents')
        .set('X-API-Key', KEYS.kaba)
        .send({ amount: 500000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'm-1' }, gatewayOverride: 'mock' })
    ).body as { id: string };
    const widget = await widgetIntent(777);
    const cases = [
      ['kkia_to_mock', mockIntent.id],
      ['kkia_to_nobody', '4b0c9b1e-7f6a-4d8e-9a51-0c2f9e1d3a77'],
      // Only the intent id is supported: referenceId is unique per app only, and no index finds it without the appId.
      ['kkia_to_reference', widget.referenceId],
    ] as const;
    for (const [tx, partnerId] of cases) {
      statuses.set(tx, success(partnerId, 777));
      expect((await webhook(tx, partnerId)).status).toBe(200);
      expect(await reviewsOf(`transaction.success:${tx}`)).toEqual([expect.objectContaining({ reason: 'unknown_transaction' })]);
    }
    expect((await intentOf(mockIntent.id)).status).toBe('pending');
    expect((await intentOf(widget.id)).status).toBe('pending');
  });

  it('the webhook and 10 verifications racing for one widget payment: one payment.completed, every verification verified', async () => {
    const intent = await widgetIntent();
    statuses.set('kkia_race_both', success(intent.id));
    const [hooks, verifications] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => webhook('kkia_race_both', intent.id))),
      Promise.all(Array.from({ length: 10 }, () => verify('kkia_race_both', intent.id))),
    ]);
    expect(hooks.map((r) => r.status)).toEqual(Array.from({ length: 5 }, () => 200));
    expect(verifications.map((r) => [r.status, r.body.verified])).toEqual(Array.from({ length: 10 }, () => [200, true]));
    expect(await intentOf(intent.id)).toMatchObject({ status: 'succeeded', gatewayTransactionId: 'kkia_race_both' });
    expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
  });
});

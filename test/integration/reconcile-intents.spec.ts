import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { loadConfig } from '../../src/config/load-config.js';
import { buildGatewayRegistry } from '../../src/gateways/build-gateways.js';
import { ReconcileIntentsService } from '../../src/services/reconcile-intents.service.js';
import { checkDelay } from '../../src/domain/check-schedule.js';
import { DEFAULT_INTENT_EXPIRY_MINUTES } from '../../src/domain/intent-expiry.js';
import { keys } from '../../src/storage/table-schema.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { FakeGatewayServer } from '../support/fake-gateway-server.js';
import { lifecycleHarness } from '../support/lifecycle.js';

// MoMo sends its callback once and never retries: the reconciler must find the payment anyway.
describe('the reconciler\'s work queue re-checks intents whose webhook never came (DynamoDB Local + MoMo fake)', () => {
  const fake = new FakeGatewayServer();
  let table: TestTable;
  let h: ReturnType<typeof lifecycleHarness>;
  let reconciler: ReconcileIntentsService;
  const momoStatus = new Map<string, string>();

  let baseUrl = '';
  beforeAll(async () => {
    baseUrl = await fake.start();
    fake.on('POST /collection/token/', { status: 200, body: { access_token: 't', expires_in: 3600 } });
    fake.on('GET /collection/v1_0/requesttopay/*', (req) => ({
      status: 200,
      body: { amount: '500000', currency: 'XOF', status: momoStatus.get(req.path.split('/').pop() ?? '') ?? 'PENDING' },
    }));
  });
  // A table per test: each one reasons about the whole queue.
  beforeEach(async () => {
    table = await createTestTable();
    h = lifecycleHarness(table);
    const config = loadConfig({
      NODE_ENV: 'test',
      PAYMENTS_TABLE_NAME: table.tableName,
      PUBLIC_BASE_URL: 'http://payments.test',
      MOMO_BASE_URL: baseUrl,
      MOMO_COLLECTION_SUBSCRIPTION_KEY: 's',
      MOMO_COLLECTION_API_USER: 'u',
      MOMO_COLLECTION_API_KEY: 'k',
    });
    reconciler = new ReconcileIntentsService(h.intents, buildGatewayRegistry(config, h.clock), h.outcomes, h.clock);
  });
  afterEach(async () => {
    await table.drop();
  });
  afterAll(async () => {
    await fake.stop();
  });

  const openMomoIntent = () =>
    h.newIntent({ gateway: 'momo', paymentMode: 'push', gatewayTransactionId: randomUUID(), createdAt: h.clock.now().toISOString(), updatedAt: h.clock.now().toISOString() });
  const nextCheckOf = async (id: string) =>
    (await table.db.send(new GetCommand({ TableName: table.tableName, Key: keys.intent(id), ConsistentRead: true }))).Item as { gsi3sk?: string; checks?: number };

  it('leaves intents alone until their check is due, settles a paid one once, backs the others off', async () => {
    const paid = await openMomoIntent();
    const waiting = await openMomoIntent();
    momoStatus.set(paid.gatewayTransactionId!, 'SUCCESSFUL');

    expect(await reconciler.checkDue()).toEqual({ checked: 0, settled: 0 });
    h.clock.advance(checkDelay('pushIntent', 0));
    expect(await reconciler.checkDue()).toEqual({ checked: 2, settled: 1 });
    expect((await h.intents.get(paid.id))?.status).toBe('succeeded');
    expect((await h.intents.get(waiting.id))?.status).toBe('pending');
    expect((await h.outboxFor(paid.id)).map((e) => e.event.type)).toEqual(['payment.completed']);

    // The paid one left the queue; the waiting one is not asked again before its next check.
    expect(await reconciler.checkDue()).toEqual({ checked: 0, settled: 0 });
    expect(await h.outboxFor(paid.id)).toHaveLength(1);
  });

  it('backs off per item: about 30 s, 2 min, 10 min, 1 h, 6 h, 24 h for a push payment, then every 24 h', async () => {
    const intent = await openMomoIntent();
    const start = h.clock.now().getTime();
    const seen: number[] = [];
    for (let check = 0; check < 7; check++) {
      const due = new Date((await nextCheckOf(intent.id)).gsi3sk!).getTime();
      seen.push(due - h.clock.now().getTime());
      h.clock.advance(due - h.clock.now().getTime() - 1);
      expect((await reconciler.checkDue()).checked).toBe(0); // not a millisecond early
      h.clock.advance(1);
      expect((await reconciler.checkDue()).checked).toBe(1);
    }
    const minute = 60_000;
    expect(seen).toEqual([30_000, 2 * minute, 10 * minute, 60 * minute, 360 * minute, 1440 * minute, 1440 * minute]);
    expect((await nextCheckOf(intent.id)).checks).toBe(7);
    expect(h.clock.now().getTime() - start).toBe(seen.reduce((a, b) => a + b, 0));
  });

  it('60 intents that cannot be resolved never starve a newer one that can (more than one page)', async () => {
    const stuck = await Promise.all(Array.from({ length: 60 }, () => openMomoIntent()));
    h.clock.advance(checkDelay('pushIntent', 0));
    const fresh = await openMomoIntent();
    momoStatus.set(fresh.gatewayTransactionId!, 'SUCCESSFUL');
    h.clock.advance(checkDelay('pushIntent', 0));
    // One run pages through all 61 due items (25 a page) and settles the newer one.
    expect(await reconciler.checkDue()).toEqual({ checked: 61, settled: 1 });
    expect((await h.intents.get(fresh.id))?.status).toBe('succeeded');
    // The stuck ones moved out of the way: a newer paid intent is found by the very next run.
    const later = await openMomoIntent();
    momoStatus.set(later.gatewayTransactionId!, 'SUCCESSFUL');
    h.clock.advance(checkDelay('pushIntent', 0));
    expect(await reconciler.checkDue()).toEqual({ checked: 1, settled: 1 });
    expect(new Set((await Promise.all(stuck.map((i) => nextCheckOf(i.id)))).map((item) => item.checks))).toEqual(new Set([1]));
  });

  it('a run is bounded by its budget: items and deadline; the rest waits for the next run', async () => {
    await Promise.all(Array.from({ length: 12 }, () => openMomoIntent()));
    h.clock.advance(10 * checkDelay('pushIntent', 5)); // everything open is due now
    expect(await reconciler.checkDue({ maxItems: 5 })).toEqual({ checked: 5, settled: 0 });
    // A deadline already past: nothing is started.
    expect(await reconciler.checkDue({ deadline: h.clock.now().getTime() })).toEqual({ checked: 0, settled: 0 });
    // The next run takes the 7 left (the 5 checked were moved to their next check).
    expect(await reconciler.checkDue()).toEqual({ checked: 7, settled: 0 });
  });

  it('an abandoned push intent is asked once more at its expiry, cancelled by the queue, then watched a day for a late approval', async () => {
    const { GetIntentService } = await import('../../src/services/get-intent.service.js');
    const { CancelIntentService } = await import('../../src/services/cancel-intent.service.js');
    const { DynamoRefundStore } = await import('../../src/storage/refund.repository.js');
    const { DynamoDisbursementStore } = await import('../../src/storage/disbursement.repository.js');
    const config = loadConfig({ NODE_ENV: 'test', PAYMENTS_TABLE_NAME: table.tableName, PUBLIC_BASE_URL: 'http://payments.test', MOMO_BASE_URL: baseUrl, MOMO_COLLECTION_SUBSCRIPTION_KEY: 's', MOMO_COLLECTION_API_USER: 'u', MOMO_COLLECTION_API_KEY: 'k' });
    const gateways = buildGatewayRegistry(config, h.clock);
    const getIntent = new GetIntentService(h.intents, new DynamoRefundStore(table.db, table.tableName), new DynamoDisbursementStore(table.db, table.tableName));
    const expiry = new CancelIntentService(getIntent, h.intents, gateways, h.outcomes, DEFAULT_INTENT_EXPIRY_MINUTES, h.clock);
    const withExpiry = new ReconcileIntentsService(h.intents, gateways, h.outcomes, h.clock, expiry);

    const abandoned = await openMomoIntent();
    // Checked and backed off while the customer may still approve (30 s, 2 min, 10 min, ...).
    for (let minute = 1; minute < 30; minute++) {
      h.clock.advance(60_000);
      await withExpiry.checkDue();
    }
    expect((await h.intents.get(abandoned.id))?.status).toBe('pending');
    h.clock.advance(60 * 60_000); // past the 30-minute push lifetime and its next check
    expect(await withExpiry.checkDue()).toEqual({ checked: 1, settled: 1 });
    expect((await h.intents.get(abandoned.id))?.status).toBe('cancelled');
    expect((await h.outboxFor(abandoned.id)).map((e) => e.event.type)).toEqual(['payment.failed']);
    // The relay publishes the cancel's event (in AWS from the table stream) and releases it.
    await h.relay.relayAll(h.dispatcher.dispatched.filter((record) => record.heldByIntent === abandoned.id));

    // Watched for a day: MoMo sends its callback once, so an approval after the cancel is found by
    // asking. Here the customer approves late: a late success, recorded and published.
    const approvedLate = await openMomoIntent();
    h.clock.advance(60 * 60_000);
    await withExpiry.checkDue(); // expires it too
    expect((await h.intents.get(approvedLate.id))?.status).toBe('cancelled');
    momoStatus.set(approvedLate.gatewayTransactionId!, 'SUCCESSFUL');
    h.clock.advance(checkDelay('pushIntent', 5));
    expect((await withExpiry.checkDue()).settled).toBeGreaterThanOrEqual(1);
    expect((await h.intents.get(approvedLate.id))?.status).toBe('succeeded');
    // In the order they happened (the outbox is read back in no particular order).
    const late = (await h.outboxFor(approvedLate.id)).sort((x, y) => x.event.timestamp.localeCompare(y.event.timestamp));
    expect(late.map((e) => e.event.type)).toEqual(['payment.failed', 'payment.completed']);

    // The one never paid leaves the queue once it has been watched for a day (it was past that by
    // the last run), still cancelled.
    expect((await nextCheckOf(abandoned.id)).gsi3sk).toBeUndefined();
    expect((await h.intents.get(abandoned.id))?.status).toBe('cancelled');
    h.clock.advance(25 * 60 * 60_000);
    expect(await withExpiry.checkDue()).toEqual({ checked: 0, settled: 0 });
  });
});

import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import request from 'supertest';
import { loadConfig } from '../../src/config/load-config.js';
import { systemClock, uuidGenerator } from '../../src/domain/clock.js';
import { buildGatewayRegistry } from '../../src/gateways/build-gateways.js';
import { GATEWAY_CAPABILITIES } from '../../src/gateways/capabilities.js';
import type { GatewayPaymentStatus, PaymentGateway } from '../../src/gateways/gateway.js';
import type { ImmediateOutboxDispatcher } from '../../src/events/outbox-dispatchers.js';
import { logger } from '../../src/logging/logger.js';
import { RecordPaymentOutcomeService } from '../../src/services/record-payment-outcome.service.js';
import { DynamoIntentRepository } from '../../src/storage/intent.repository.js';
import { DynamoPaymentLifecycleStore } from '../../src/storage/payment-lifecycle.repository.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';
import { RecordingPublisher } from '../support/recording-publisher.js';

// KkiaPay's status API as seen through the port: transaction id → what KkiaPay answers.
const kkiapayTransactions = new Map<string, GatewayPaymentStatus>();
const statusQueries: string[] = [];
const kkiapay: PaymentGateway = {
  id: 'kkiapay',
  capabilities: GATEWAY_CAPABILITIES.kkiapay,
  isConfigured: () => true,
  createPayment: (input) =>
    Promise.resolve({ gatewayTransactionId: null, paymentUrl: null, clientSecret: null, paymentMode: input.useWidget ? 'widget' : 'push' }),
  getStatus: (transactionId) => {
    statusQueries.push(transactionId);
    return Promise.resolve(kkiapayTransactions.get(transactionId) ?? { status: 'failed', gatewayStatus: 'TRANSACTION_NOT_FOUND' });
  },
};
// A SUCCESS answer; partnerId is what the frontend passed to the widget (our intent id).
const paid = (partnerId?: string, amount = 500000): GatewayPaymentStatus => ({
  status: 'succeeded',
  gatewayStatus: 'SUCCESS',
  amount,
  currency: 'XOF',
  ...(partnerId ? { partnerId } : {}),
});

// The real app on its own table with the in-process KkiaPay above (each app has its own rate limit).
async function startApp(publisher: RecordingPublisher): Promise<TestApp> {
  const env = { NODE_ENV: 'test', PAYMENTS_TABLE_NAME: 'unused', PUBLIC_BASE_URL: 'http://payments.test' };
  return startTestApp({}, { gateways: buildGatewayRegistry(loadConfig(env), systemClock, [kkiapay]), publisher });
}

function client(app: () => TestApp, publisher: RecordingPublisher) {
  const http = () => request(app().app.getHttpServer());
  const widgetIntent = async (amount = 500000, key: string = KEYS.kaba, appId = 'kaba') =>
    (
      await http()
        .post('/api/v1/intents')
        .set('X-API-Key', key)
        .send({ amount, currency: 'XOF', country: 'BJ', metadata: { appId, referenceId: 'inv-1' }, useWidget: true })
    ).body as { id: string; gateway: string; paymentMode: string; gatewayTransactionId: string | null };
  const verify = (transactionId: string, intentId: string, key: string = KEYS.kaba) =>
    http().post('/api/v1/intents/verify-kkiapay').set('X-API-Key', key).send({ transactionId, intentId });
  const intentOf = async (id: string) => (await http().get(`/api/v1/intents/${id}`).set('X-API-Key', KEYS.kaba)).body as Record<string, unknown>;
  const eventsOf = async (intentId: string) => {
    await (app().deps.dispatcher as ImmediateOutboxDispatcher).idle();
    return publisher.published.filter((e) => e.event.intentId === intentId).map((e) => e.event.type);
  };
  const scan = async (filter: string, values: Record<string, unknown>) =>
    (
      await app().table.db.send(
        new ScanCommand({ TableName: app().table.tableName, FilterExpression: filter, ExpressionAttributeValues: values, ConsistentRead: true }),
      )
    ).Items ?? [];
  const reviews = (reason: string) => scan('entity = :r AND reason = :reason', { ':r': 'review', ':reason': reason });
  // Stands in for the reconciler or a webhook having closed the intent as failed.
  const failIntent = async (intentId: string) => {
    const { db, tableName } = app().table;
    const outcomes = new RecordPaymentOutcomeService(
      new DynamoIntentRepository(db, tableName),
      new DynamoPaymentLifecycleStore(db, tableName),
      { dispatch: () => undefined },
      systemClock,
      uuidGenerator,
    );
    expect(await outcomes.apply(intentId, { status: 'failed' }, { gateway: 'kkiapay', eventId: `fail-${intentId}` })).toBe('applied');
  };
  return { http, widgetIntent, verify, intentOf, eventsOf, scan, reviews, failIntent };
}

describe('POST /api/v1/intents/verify-kkiapay (Mode B widget)', () => {
  let t: TestApp;
  const publisher = new RecordingPublisher();
  const { http, widgetIntent, verify, intentOf, eventsOf, scan, reviews, failIntent } = client(() => t, publisher);

  beforeAll(async () => {
    t = await startApp(publisher);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a widget intent routed to KkiaPay by country', async () => {
    const intent = await widgetIntent();
    expect(intent).toMatchObject({ gateway: 'kkiapay', paymentMode: 'widget', gatewayTransactionId: null });
  });

  it('verifies with KkiaPay, marks the intent succeeded, binds the transaction and publishes payment.completed once', async () => {
    const intent = await widgetIntent();
    kkiapayTransactions.set('kkia_tx_abc123', paid(intent.id));

    const first = await verify('kkia_tx_abc123', intent.id);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ verified: true, intent: { id: intent.id, status: 'succeeded', gateway: 'kkiapay', gatewayTransactionId: 'kkia_tx_abc123' } });

    const again = await verify('kkia_tx_abc123', intent.id);
    expect(again.body).toMatchObject({ verified: true, intent: { status: 'succeeded' } });
    expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
  });

  it('one transaction can never pay two intents', async () => {
    const second = await widgetIntent();
    const res = await verify('kkia_tx_abc123', second.id);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ statusCode: 409, error: 'CONFLICT', message: 'KkiaPay transaction kkia_tx_abc123 already paid another intent' });
  });

  it('a transaction that is not SUCCESS is not verified and changes nothing', async () => {
    const intent = await widgetIntent();
    kkiapayTransactions.set('kkia_tx_failed', { status: 'failed', gatewayStatus: 'INSUFFICIENT_FUND', amount: 500000, currency: 'XOF', partnerId: intent.id });
    const res = await verify('kkia_tx_failed', intent.id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verified: false, intent: { status: 'pending' } });
  });

  it('an amount that does not match the intent is refused with 402 and the intent stays pending', async () => {
    const intent = await widgetIntent();
    kkiapayTransactions.set('kkia_tx_cheap', paid(intent.id, 100));
    const res = await verify('kkia_tx_cheap', intent.id);
    expect(res.status).toBe(402);
    expect(res.body.error).toBe('PAYMENT_ERROR');
    expect((await intentOf(intent.id)).status).toBe('pending');
  });

  it('validates the body and hides other apps\' intents', async () => {
    const missing = await http().post('/api/v1/intents/verify-kkiapay').set('X-API-Key', KEYS.kaba).send({ intentId: 'x' });
    expect(missing.body).toEqual({ statusCode: 400, error: 'VALIDATION_ERROR', message: 'transactionId is required' });
    const intent = await widgetIntent();
    const asEvents = await verify('t', intent.id, KEYS.events);
    expect(asEvents.status).toBe(404);
  });

  describe('bound to the payment\'s owner (partnerId)', () => {
    it('a transaction made for another intent is 409 and consumes nothing: the right intent is still verified', async () => {
      const right = await widgetIntent();
      const wrong = await widgetIntent();
      kkiapayTransactions.set('kkia_tx_owner', paid(right.id));

      const res = await verify('kkia_tx_owner', wrong.id);
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ statusCode: 409, error: 'CONFLICT', message: `KkiaPay transaction kkia_tx_owner was not made for PaymentIntent ${wrong.id}` });
      expect((await intentOf(wrong.id)).status).toBe('pending');
      expect(await scan('pk = :pk AND attribute_exists(receipts)', { ':pk': `INTENT#${wrong.id}` })).toHaveLength(0);
      expect(await scan('pk = :pk', { ':pk': 'GWTX#kkiapay#kkia_tx_owner' })).toHaveLength(0);

      const ok = await verify('kkia_tx_owner', right.id);
      expect(ok.body).toMatchObject({ verified: true, intent: { id: right.id, status: 'succeeded', gatewayTransactionId: 'kkia_tx_owner' } });
      expect(await eventsOf(wrong.id)).toEqual([]);
    });

    it('another app\'s intent or a failed intent consumes nothing either: the customer\'s own verification still answers verified:true', async () => {
      const customers = await widgetIntent();
      const otherApp = await widgetIntent(500000, KEYS.events, 'events');
      const failed = await widgetIntent();
      await failIntent(failed.id);
      // No partnerId (an old frontend): nothing but the binding decides who gets it.
      kkiapayTransactions.set('kkia_tx_wrong_calls', paid());

      expect((await verify('kkia_tx_wrong_calls', otherApp.id)).status).toBe(404);
      const onFailed = await verify('kkia_tx_wrong_calls', failed.id);
      expect(onFailed.body).toMatchObject({ verified: false, intent: { status: 'failed' } });
      const res = await verify('kkia_tx_wrong_calls', customers.id);
      expect(res.body).toMatchObject({ verified: true, intent: { id: customers.id, status: 'succeeded', gatewayTransactionId: 'kkia_tx_wrong_calls' } });

      // With the partnerId the widget passes, only the customer's intent can have it.
      const mine = await widgetIntent();
      const theirs = await widgetIntent(500000, KEYS.events, 'events');
      kkiapayTransactions.set('kkia_tx_named', paid(mine.id));
      expect((await verify('kkia_tx_named', theirs.id, KEYS.events)).status).toBe(409);
      const failedToo = await widgetIntent();
      await failIntent(failedToo.id);
      expect((await verify('kkia_tx_named', failedToo.id)).status).toBe(409);
      expect((await verify('kkia_tx_named', mine.id)).body).toMatchObject({ verified: true, intent: { id: mine.id, status: 'succeeded' } });
    });

    it('a successful transaction for a failed intent is kept for review (money arrived for a closed intent)', async () => {
      const intent = await widgetIntent();
      await failIntent(intent.id);
      kkiapayTransactions.set('kkia_tx_late', paid(intent.id));
      const warn = jest.spyOn(logger, 'warn');
      expect((await verify('kkia_tx_late', intent.id)).body).toMatchObject({ verified: false, intent: { status: 'failed' } });
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('success_after_terminal'), expect.objectContaining({ intentId: intent.id }));
      expect((await reviews('success_after_terminal')).filter((r) => String(r.eventId).includes(intent.id))).toHaveLength(1);
    });

    it('a transaction without partnerId is still accepted, with a warning', async () => {
      const intent = await widgetIntent();
      kkiapayTransactions.set('kkia_tx_nopartner', paid());
      const warn = jest.spyOn(logger, 'warn');
      expect((await verify('kkia_tx_nopartner', intent.id)).body).toMatchObject({ verified: true, intent: { status: 'succeeded' } });
      expect(warn).toHaveBeenCalledWith('kkiapay transaction has no partnerId: bound to the intent the caller named', expect.objectContaining({ intentId: intent.id }));
    });
  });

  describe('a second, different transaction for a paid intent (the customer paid twice)', () => {
    it('is 409, logged as a warning and kept for an operator once, however often it is verified', async () => {
      const intent = await widgetIntent();
      kkiapayTransactions.set('kkia_tx_first', paid(intent.id));
      kkiapayTransactions.set('kkia_tx_twice', paid(intent.id));
      expect((await verify('kkia_tx_first', intent.id)).body.verified).toBe(true);

      const warn = jest.spyOn(logger, 'warn');
      for (let i = 0; i < 2; i++) {
        const res = await verify('kkia_tx_twice', intent.id);
        expect(res.body).toEqual({
          statusCode: 409,
          error: 'CONFLICT',
          message: `PaymentIntent ${intent.id} was already paid by another KkiaPay transaction (this one is kept for review)`,
        });
      }
      expect(warn).toHaveBeenCalledWith(expect.stringContaining('second_transaction'), expect.objectContaining({ intentId: intent.id, transactionId: 'kkia_tx_twice' }));
      const kept = (await reviews('second_transaction')).filter((r) => r.eventId === `second_transaction:${intent.id}:kkia_tx_twice`);
      expect(kept).toHaveLength(1);
      expect(JSON.parse(String(kept[0]?.detail))).toMatchObject({ intentId: intent.id, paidBy: 'kkia_tx_first', transactionId: 'kkia_tx_twice' });
      expect(await intentOf(intent.id)).toMatchObject({ status: 'succeeded', gatewayTransactionId: 'kkia_tx_first' });
      expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
    });

    it('a different transaction that did not succeed is 409 without a review item', async () => {
      const intent = await widgetIntent();
      kkiapayTransactions.set('kkia_tx_paid', paid(intent.id));
      kkiapayTransactions.set('kkia_tx_declined', { status: 'failed', gatewayStatus: 'FAILED', partnerId: intent.id });
      await verify('kkia_tx_paid', intent.id);
      const res = await verify('kkia_tx_declined', intent.id);
      expect(res.body).toEqual({ statusCode: 409, error: 'CONFLICT', message: `PaymentIntent ${intent.id} was already paid by another KkiaPay transaction` });
      expect((await reviews('second_transaction')).filter((r) => String(r.eventId).includes('kkia_tx_declined'))).toHaveLength(0);
    });
  });
});

// Twenty requests at once through supertest against DynamoDB Local; each case on its own app so
// the per-IP rate limit (100 / 60 s) does not interfere.
describe('concurrent verifications (Promise.all of 20 requests)', () => {
  let t: TestApp;
  const publisher = new RecordingPublisher();
  const { widgetIntent, verify, eventsOf, intentOf } = client(() => t, publisher);

  beforeAll(async () => {
    t = await startApp(publisher);
  });
  afterAll(async () => {
    await t.close();
  });

  it('of one transaction for the same intent: all 20 answer verified:true; one payment, one event', async () => {
    const intent = await widgetIntent();
    kkiapayTransactions.set('kkia_tx_race', paid(intent.id));
    const results = await Promise.all(Array.from({ length: 20 }, () => verify('kkia_tx_race', intent.id)));
    expect(results.map((r) => [r.status, r.body.verified])).toEqual(Array.from({ length: 20 }, () => [200, true]));
    expect(await eventsOf(intent.id)).toEqual(['payment.completed']);
    expect((await intentOf(intent.id)).ledger).toEqual([expect.objectContaining({ type: 'payment', status: 'succeeded' })]);
  });
});

describe('concurrent verifications of one transaction for 20 different intents', () => {
  const publisher = new RecordingPublisher();
  let t: TestApp;
  const { widgetIntent, verify, intentOf, eventsOf } = client(() => t, publisher);
  afterEach(async () => {
    await t.close();
  });

  it.each([
    ['without partnerId: the binding picks exactly one', false],
    ['with partnerId naming one of them: that one, and only it', true],
  ])('%s; the 19 others get 409 and stay pending', async (_label, named) => {
    t = await startApp(publisher);
    const intents = await Promise.all(Array.from({ length: 20 }, () => widgetIntent()));
    const owner = intents[7]!;
    const tx = `kkia_tx_contested_${String(named)}`;
    kkiapayTransactions.set(tx, paid(named ? owner.id : undefined));

    const results = await Promise.all(intents.map((intent) => verify(tx, intent.id)));
    const winners = results.flatMap((r, i) => (r.status === 200 ? [intents[i]!.id] : []));
    expect(winners).toHaveLength(1);
    if (named) expect(winners).toEqual([owner.id]);
    const losers = results.filter((r) => r.status !== 200);
    expect(losers.map((r) => [r.status, r.body.error])).toEqual(Array.from({ length: 19 }, () => [409, 'CONFLICT']));
    for (const intent of intents) {
      const won = intent.id === winners[0];
      expect(await intentOf(intent.id)).toMatchObject({ status: won ? 'succeeded' : 'pending', gatewayTransactionId: won ? tx : null });
      expect(await eventsOf(intent.id)).toEqual(won ? ['payment.completed'] : []);
    }
  });
});

describe('GET /api/v1/gateways', () => {
  it('lists the configured gateways with their capabilities', async () => {
    const t = await startTestApp();
    try {
      const res = await request(t.app.getHttpServer()).get('/api/v1/gateways').set('X-API-Key', KEYS.events);
      expect(res.status).toBe(200);
      // In test only the mock has credentials.
      expect(res.body).toEqual({
        gateways: [
          { id: 'mock', countries: 'any', currencies: ['XOF', 'XAF', 'GNF', 'GHS', 'NGN', 'USD', 'EUR', 'CAD', 'GBP'], flows: ['redirect', 'push', 'widget'], refund: 'programmatic', disburse: false },
        ],
      });
      expect((await request(t.app.getHttpServer()).get('/api/v1/gateways')).status).toBe(401);
    } finally {
      await t.close();
    }
  });

  it('shows the flows this deployment offers: KkiaPay push only with KKIAPAY_PUSH_PATH', async () => {
    const keys = { KKIAPAY_PUBLIC_KEY: 'pk', KKIAPAY_PRIVATE_KEY: 'tpk', KKIAPAY_SECRET_KEY: 'tsk' };
    const flowsOf = async (env: Record<string, string>) => {
      const t = await startTestApp(env);
      try {
        const res = await request(t.app.getHttpServer()).get('/api/v1/gateways').set('X-API-Key', KEYS.events);
        return (res.body.gateways as Array<{ id: string; flows: string[] }>).find((g) => g.id === 'kkiapay')?.flows;
      } finally {
        await t.close();
      }
    };
    expect(await flowsOf(keys)).toEqual(['widget']);
    expect(await flowsOf({ ...keys, KKIAPAY_PUSH_PATH: '/merchant/push' })).toEqual(['push', 'widget']);
  });
});

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { serializeEvent } from '../../src/domain/payment-event.js';
import {
  createEventHandler,
  DynamoEventStore,
  PaymentsApiError,
  PaymentsClient,
  type PaymentCompletedEvent,
  type PaymentRefundedEvent,
} from '../../src/sdk/index.js';
import { KEYS, startTestApp, type TestApp } from '../support/test-app.js';

// A product backend's view: only the SDK against the running service (docs/sdk-quick-start.md
// shows these same steps).
describe('the SDK against the running service (e2e, DynamoDB Local)', () => {
  let t: TestApp;
  let baseUrl: string;
  let payments: PaymentsClient;
  const completed: PaymentCompletedEvent[] = [];
  const refunded: PaymentRefundedEvent[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}/api/v1`;

    // Quick-start step 1: the client.
    payments = new PaymentsClient({ baseUrl, apiKey: KEYS.kaba });

    // Quick-start step 3: the event handler, deduplicating through a DynamoDB table of your own
    // (here the test table, with its pk/sk key schema).
    const onSnsEvent = createEventHandler({
      appId: 'kaba',
      store: new DynamoEventStore({
        client: t.table.db,
        commands: { PutCommand, UpdateCommand, DeleteCommand },
        tableName: t.table.tableName,
        key: (eventId) => ({ pk: `PROCESSED_EVENT#${eventId}`, sk: 'PROCESSED_EVENT' }),
      }),
      handlers: {
        'payment.completed': async (event) => void completed.push(event),
        'payment.refunded': async (event) => void refunded.push(event),
      },
    });
    // The local bus stands in for SNS; at-least-once, so every event is delivered twice here.
    t.deps.localBus?.subscribe('product-lambda', { appId: ['kaba'] }, async (event) => {
      const record = { Records: [{ Sns: { Message: serializeEvent(event) } }] };
      await onSnsEvent(record);
      await onSnsEvent(record);
    });
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates a mock intent, pays it, reads it, finds it by reference, refunds it; each event is handled once', async () => {
    // Step 2: create an intent.
    const intent = await payments.createIntent({
      amount: 500000,
      currency: 'XOF',
      country: 'BJ',
      metadata: { appId: 'kaba', referenceId: 'invoice-sdk-1', businessId: 'biz-xyz' },
      gatewayOverride: 'mock',
    });
    expect(intent).toMatchObject({ status: 'pending', gateway: 'mock', paymentMode: 'redirect', referenceId: 'invoice-sdk-1' });

    // Step 4: pay it with the mock gateway's webhook.
    const paid = await fetch(`${baseUrl.replace(/\/api\/v1$/, '')}/webhooks/mock`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ gatewayTransactionId: intent.gatewayTransactionId, amount: intent.amount, currency: intent.currency }),
    });
    expect(paid.status).toBe(200);
    await t.deps.localBus?.drain();

    const read = await payments.getIntent(intent.id);
    expect(read).toMatchObject({ status: 'succeeded', refundedAmount: 0, balance: 500000 });

    const page = await payments.listIntents({ referenceId: 'invoice-sdk-1' });
    expect(page.items.map((i) => [i.id, i.status])).toEqual([[intent.id, 'succeeded']]);

    const refund = await payments.refund(intent.id, { amount: 200000, reason: 'partial' });
    expect(refund).toMatchObject({ intentId: intent.id, amount: 200000, status: 'succeeded' });
    await t.deps.localBus?.drain();

    expect(completed.map((e) => [e.intentId, e.referenceId, e.amount])).toEqual([[intent.id, 'invoice-sdk-1', 500000]]);
    expect(refunded.map((e) => [e.refundId, e.refundStatus, e.amount])).toEqual([[refund.id, 'succeeded', 200000]]);
    // The claim is recorded as done in the table.
    const { Item } = await t.table.db.send(
      new GetCommand({ TableName: t.table.tableName, Key: { pk: `PROCESSED_EVENT#${completed[0]?.eventId}`, sk: 'PROCESSED_EVENT' } }),
    );
    expect(Item).toMatchObject({ processedEventStatus: 'done' });
  });

  it('a retry after a lost answer reuses the Idempotency-Key: one intent, not two', async () => {
    let calls = 0;
    // The first answer is lost after the service acted on it (a timeout, a reset).
    const losingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (++calls === 1) throw new TypeError('fetch failed');
      return response;
    };
    const flaky = new PaymentsClient({ baseUrl, apiKey: KEYS.kaba, fetch: losingFetch, sleep: async () => undefined });
    const intent = await flaky.createIntent({ amount: 1000, currency: 'XOF', country: 'BJ', metadata: { appId: 'kaba', referenceId: 'invoice-sdk-2' }, gatewayOverride: 'mock' });
    expect(calls).toBe(2);
    const page = await payments.listIntents({ referenceId: 'invoice-sdk-2' });
    expect(page.items.map((i) => i.id)).toEqual([intent.id]);
  });

  it('errors are PaymentsApiError with the service\'s body', async () => {
    const thrown = await payments.getIntent('00000000-0000-4000-8000-000000000000').catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(PaymentsApiError);
    expect(thrown).toMatchObject({ statusCode: 404, error: 'NOT_FOUND', message: 'PaymentIntent not found: 00000000-0000-4000-8000-000000000000' });
    await expect(payments.listIntents({ referenceId: 'invoice-sdk-1', appId: 'events' })).rejects.toMatchObject({ statusCode: 403, error: 'FORBIDDEN' });
    const gateways = await payments.listGateways();
    expect(gateways.gateways.map((g) => g.id)).toContain('mock');
  });
});

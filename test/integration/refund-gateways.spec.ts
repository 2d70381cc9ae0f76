import { DynamoDisbursementStore } from '../../src/storage/disbursement.repository.js';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { uuidGenerator } from '../../src/domain/clock.js';
import type { GatewayId } from '../../src/domain/gateway-id.js';
import { GATEWAY_CAPABILITIES } from '../../src/gateways/capabilities.js';
import { GatewayError, type PaymentGateway, type RefundResult } from '../../src/gateways/gateway.js';
import { GatewayRegistry } from '../../src/gateways/registry.js';
import { GetIntentService } from '../../src/services/get-intent.service.js';
import { IdempotencyService } from '../../src/services/idempotency.service.js';
import { RefundIntentService } from '../../src/services/refund-intent.service.js';
import { DynamoIdempotencyStore } from '../../src/storage/idempotency.repository.js';
import { DynamoRefundStore } from '../../src/storage/refund.repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lifecycleHarness } from '../support/lifecycle.js';

// How each kind of gateway answers a refund, seen through the port.
function gatewayAnswering(id: GatewayId, answer: () => Promise<RefundResult>): PaymentGateway {
  return {
    id,
    capabilities: GATEWAY_CAPABILITIES[id],
    isConfigured: () => true,
    createPayment: () => Promise.reject(new Error('not used')),
    refund: answer,
  };
}

describe('refund outcomes per gateway behaviour (DynamoDB Local)', () => {
  let table: TestTable;
  let h: ReturnType<typeof lifecycleHarness>;
  let refunds: RefundIntentService;
  let refundStore: DynamoRefundStore;

  beforeAll(async () => {
    table = await createTestTable();
    h = lifecycleHarness(table);
    refundStore = new DynamoRefundStore(table.db, table.tableName);
    const registry = new GatewayRegistry(
      [
        gatewayAnswering('stripe', () => Promise.resolve({ status: 'succeeded', gatewayRefundId: 're_123' })),
        gatewayAnswering('paystack', () => Promise.reject(new GatewayError('paystack', 'invalid_request', 'refund refused', false, true))),
        gatewayAnswering('tkh', () => Promise.reject(new GatewayError('tkh', 'timeout', 'request timed out', true, false))),
        gatewayAnswering('kkiapay', () => Promise.resolve({ status: 'pending', gatewayRefundId: null })),
      ],
      { mockAsLastResort: false },
    );
    refunds = new RefundIntentService(
      new GetIntentService(h.intents, refundStore, new DynamoDisbursementStore(table.db, table.tableName)),
      h.intents,
      refundStore,
      registry,
      new IdempotencyService(new DynamoIdempotencyStore(table.db, table.tableName), h.clock, uuidGenerator),
      h.dispatcher,
      h.clock,
      uuidGenerator,
    );
  });
  afterAll(async () => {
    await table.drop();
  });

  async function paid(gateway: GatewayId) {
    const intent = await h.newIntent({ gateway, gatewayTransactionId: `${gateway}_${randomUUID()}`, amount: 1000 });
    await h.outcomes.apply(intent.id, { status: 'succeeded', amount: intent.amount, currency: intent.currency }, { gateway, eventId: `p-${intent.id}` });
    return intent;
  }
  const refundEvents = (intentId: string) => h.dispatcher.dispatched.filter((r) => r.event.event.intentId === intentId && r.event.event.type === 'payment.refunded');

  it('programmatic gateway (Stripe): succeeded with the gateway refund id', async () => {
    const intent = await paid('stripe');
    const { value } = await refunds.execute({ appId: null }, intent.id, { amount: 400 }, null);
    expect(value).toMatchObject({ status: 'succeeded', gatewayRefundId: 're_123', amount: 400 });
    expect(refundEvents(intent.id)).toHaveLength(1);
  });

  it('manual gateway (KkiaPay): pending, still reserved and still announced', async () => {
    const intent = await paid('kkiapay');
    const { value } = await refunds.execute({ appId: null }, intent.id, {}, null);
    expect(value).toMatchObject({ status: 'pending', gatewayRefundId: null, amount: 1000 });
    expect((await h.intents.get(intent.id))?.refundedAmount).toBe(1000);
    expect(refundEvents(intent.id)).toHaveLength(1);
  });

  it('gateway refusal: 502, refund failed, amount released, payment.refunded still published', async () => {
    const intent = await paid('paystack');
    await expect(refunds.execute({ appId: null }, intent.id, { amount: 600 }, null)).rejects.toMatchObject({ code: 'PAYMENT_GATEWAY_ERROR' });
    expect((await h.intents.get(intent.id))?.refundedAmount).toBe(0);
    const { refunds: stored } = await refundStore.listLedgerItems(intent.id);
    expect(stored.map((r) => [r.status, r.amount])).toEqual([['failed', 600]]);
    expect(refundEvents(intent.id)).toHaveLength(1);
  });

  it('ambiguous timeout: pending, amount kept reserved (it may have been refunded)', async () => {
    const intent = await paid('tkh');
    const { value } = await refunds.execute({ appId: null }, intent.id, { amount: 100 }, null);
    expect(value.status).toBe('pending');
    expect((await h.intents.get(intent.id))?.refundedAmount).toBe(100);
  });
});

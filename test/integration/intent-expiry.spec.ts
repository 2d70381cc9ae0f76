import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { PaymentIntent, PaymentMode } from '../../src/domain/intent.js';
import { DEFAULT_INTENT_EXPIRY_MINUTES, expiresAt } from '../../src/domain/intent-expiry.js';
import { GATEWAY_CAPABILITIES } from '../../src/gateways/capabilities.js';
import { GatewayError, type GatewayPaymentStatus, type PaymentGateway } from '../../src/gateways/gateway.js';
import { GatewayRegistry } from '../../src/gateways/registry.js';
import { CancelIntentService } from '../../src/services/cancel-intent.service.js';
import { GetIntentService } from '../../src/services/get-intent.service.js';
import { DynamoDisbursementStore } from '../../src/storage/disbursement.repository.js';
import { DynamoRefundStore } from '../../src/storage/refund.repository.js';
import { createTestTable, type TestTable } from '../support/dynamo.js';
import { lifecycleHarness } from '../support/lifecycle.js';

// CancelIntentService.expire (ADR 0013), as the reconciler's queue calls it for each due open
// intent: before its flow's expiry nothing happens; after it the gateway is asked once more, then
// the intent is cancelled with one payment.failed. A success after that is still taken.
describe('intent expiry (DynamoDB Local, ManualClock, a scripted gateway)', () => {
  let table: TestTable;
  let h: ReturnType<typeof lifecycleHarness>;
  let service: CancelIntentService;
  // What the scripted gateway answers per transaction id; an Error is thrown.
  const answers = new Map<string, GatewayPaymentStatus | Error>();
  const asked: string[] = [];
  const gateway: PaymentGateway = {
    id: 'mock',
    capabilities: GATEWAY_CAPABILITIES.mock,
    isConfigured: () => true,
    createPayment: () => Promise.reject(new Error('not used')),
    getStatus: (transactionId) => {
      asked.push(transactionId);
      const answer = answers.get(transactionId) ?? { status: 'pending', gatewayStatus: 'PENDING' };
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };

  const open = async (paymentMode: PaymentMode, overrides: Partial<PaymentIntent> = {}) =>
    h.newIntent({ paymentMode, createdAt: h.clock.now().toISOString(), updatedAt: h.clock.now().toISOString(), ...overrides });
  const current = async (id: string) => (await h.intents.get(id))!;
  const eventTypes = (id: string) => h.dispatcher.dispatched.filter((r) => r.event.event.intentId === id).map((r) => r.event.event.type);
  const reviews = async (id: string) => {
    const { Items = [] } = await table.db.send(new ScanCommand({ TableName: table.tableName, FilterExpression: 'entity = :r', ExpressionAttributeValues: { ':r': 'review' }, ConsistentRead: true }));
    return Items.filter((item) => String(item.detail).includes(id)).map((item) => item.reason as string);
  };

  beforeAll(async () => {
    table = await createTestTable();
    h = lifecycleHarness(table);
    const getIntent = new GetIntentService(h.intents, new DynamoRefundStore(table.db, table.tableName), new DynamoDisbursementStore(table.db, table.tableName));
    const registry = new GatewayRegistry([gateway], { mockAsLastResort: false });
    service = new CancelIntentService(getIntent, h.intents, registry, h.outcomes, DEFAULT_INTENT_EXPIRY_MINUTES, h.clock);
  });
  beforeEach(() => {
    answers.clear();
    asked.length = 0;
  });
  afterAll(() => table.drop());

  it.each([
    ['push', 30],
    ['redirect', 1440],
    ['client_secret', 1440],
    ['widget', 60],
  ] as const)('%s: open one second before its %i minutes, cancelled with one payment.failed at the expiry', async (mode, minutes) => {
    const intent = await open(mode);
    const deadline = new Date(new Date(intent.createdAt).getTime() + minutes * 60_000);
    expect(expiresAt(intent, DEFAULT_INTENT_EXPIRY_MINUTES)).toEqual(deadline);

    expect(await service.expire(intent, new Date(deadline.getTime() - 1_000))).toBe('skipped');
    expect(asked).toEqual([]);
    expect((await current(intent.id)).status).toBe('pending');

    expect(await service.expire(intent, deadline)).toBe('expired');
    expect(asked).toEqual([intent.gatewayTransactionId]);
    expect((await current(intent.id)).status).toBe('cancelled');
    expect(eventTypes(intent.id)).toEqual(['payment.failed']);
    // Asked again (a stale queue entry): nothing more.
    expect(await service.expire(await current(intent.id), deadline)).toBe('skipped');
    expect(eventTypes(intent.id)).toEqual(['payment.failed']);
  });

  it('the gateway says it was paid when asked at expiry: succeeded, one payment.completed, no review', async () => {
    const intent = await open('push');
    answers.set(intent.gatewayTransactionId!, { status: 'succeeded', amount: intent.amount, currency: intent.currency, gatewayStatus: 'SUCCESSFUL' });
    expect(await service.expire(intent, new Date(expiresAt(intent, DEFAULT_INTENT_EXPIRY_MINUTES).getTime() + 1))).toBe('paid');
    expect((await current(intent.id)).status).toBe('succeeded');
    expect(eventTypes(intent.id)).toEqual(['payment.completed']);
    expect(await reviews(intent.id)).toEqual([]);
  });

  it('the gateway cannot be asked, or says the money is still processing: left open, no event', async () => {
    const unreachable = await open('push');
    answers.set(unreachable.gatewayTransactionId!, new GatewayError('mock', 'timeout', 'no answer', true));
    const processing = await open('redirect');
    answers.set(processing.gatewayTransactionId!, { status: 'processing', gatewayStatus: 'processing' });
    const later = new Date(h.clock.now().getTime() + 2 * 86_400_000);
    expect(await service.expire(unreachable, later)).toBe('still_open');
    expect(await service.expire(processing, later)).toBe('still_open');
    expect([(await current(unreachable.id)).status, (await current(processing.id)).status]).toEqual(['pending', 'pending']);
    expect([...eventTypes(unreachable.id), ...eventTypes(processing.id)]).toEqual([]);
  });

  it('no transaction to ask about yet (a widget never opened): expired without asking', async () => {
    const intent = await open('widget', { gatewayTransactionId: null });
    expect(await service.expire(intent, new Date(h.clock.now().getTime() + 61 * 60_000))).toBe('expired');
    expect(asked).toEqual([]);
    expect(eventTypes(intent.id)).toEqual(['payment.failed']);
  });

  it('a confirmed success after expiry: succeeded, the payment recorded, one payment.completed, a late_success review item', async () => {
    const intent = await open('push');
    expect(await service.expire(intent, new Date(h.clock.now().getTime() + 31 * 60_000))).toBe('expired');
    const receipt = { gateway: 'mock', eventId: `late-${randomUUID()}` };
    expect(await h.outcomes.apply(intent.id, { status: 'succeeded', amount: intent.amount, currency: intent.currency }, receipt)).toBe('applied');
    expect((await current(intent.id)).status).toBe('succeeded');
    expect(await h.paymentsOf(intent.id)).toHaveLength(1);
    expect(eventTypes(intent.id)).toEqual(['payment.failed', 'payment.completed']);
    expect(await reviews(intent.id)).toEqual(['late_success']);
    // The same event again, or the same success seen by another path: nothing more.
    expect(await h.outcomes.apply(intent.id, { status: 'succeeded' }, receipt)).toBe('duplicate');
    expect(await h.outcomes.apply(intent.id, { status: 'succeeded' }, { gateway: 'mock', eventId: 'poll:other' })).toBe('ignored');
    expect(eventTypes(intent.id)).toEqual(['payment.failed', 'payment.completed']);
    expect(await reviews(intent.id)).toEqual(['late_success']);
  });

  it('a late success for another amount is held for review: still cancelled, no payment, no event', async () => {
    const intent = await open('push');
    expect(await service.expire(intent, new Date(h.clock.now().getTime() + 31 * 60_000))).toBe('expired');
    const result = await h.outcomes.apply(intent.id, { status: 'succeeded', amount: intent.amount - 1, currency: intent.currency }, { gateway: 'mock', eventId: `short-${randomUUID()}` });
    expect(result).toBe('mismatch');
    expect((await current(intent.id)).status).toBe('cancelled');
    expect(await h.paymentsOf(intent.id)).toHaveLength(0);
    expect(eventTypes(intent.id)).toEqual(['payment.failed']);
    expect(await reviews(intent.id)).toEqual(['amount_mismatch']);
  });

  it('a failed intent is not reopened by a success (kept for review as before: success_after_terminal)', async () => {
    const intent = await open('push');
    expect(await h.outcomes.apply(intent.id, { status: 'failed' }, null)).toBe('applied');
    expect(await h.outcomes.apply(intent.id, { status: 'succeeded' }, { gateway: 'mock', eventId: `after-failed-${randomUUID()}` })).toBe('ignored');
    expect((await current(intent.id)).status).toBe('failed');
    expect(await reviews(intent.id)).toEqual(['success_after_terminal']);
  });
});

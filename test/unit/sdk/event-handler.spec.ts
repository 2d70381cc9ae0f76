import { describe, expect, it, jest } from '@jest/globals';
import { paymentEventFor, serializeEvent, disbursementEventFor } from '../../../src/domain/payment-event.js';
import {
  createEventHandler,
  InMemoryEventStore,
  InvalidPaymentEventError,
  parsePaymentEvent,
  type PaymentCompletedEvent,
  type PaymentRefundedEvent,
  type ProcessedEventStore,
} from '../../../src/sdk/index.js';
import { sampleIntent } from '../../support/intents.js';

// Messages exactly as the service serializes them.
const completed = serializeEvent(paymentEventFor(sampleIntent(), { eventId: 'e-1', type: 'payment.completed', paymentId: 'p-1', timestamp: '2026-03-08T12:05:00.000Z' }).event);
const refunded = serializeEvent(
  paymentEventFor(sampleIntent(), { eventId: 'e-2', type: 'payment.refunded', paymentId: 'p-1', timestamp: 't', refund: { id: 'r-1', amount: 200000, status: 'pending' } }).event,
);
const payout = serializeEvent(
  disbursementEventFor(
    { id: 'd-1', appId: 'kaba', referenceId: 'payout-1', businessId: 'biz', intentId: null, amount: 1000, currency: 'XOF', country: 'BJ', provider: 'momo', status: 'failed' },
    { eventId: 'e-3', timestamp: 't' },
  ).event,
);
const sns = (...messages: string[]) => ({ Records: messages.map((Message) => ({ Sns: { Message } })) });

describe('createEventHandler', () => {
  it('narrows each event to its type and handles a redelivered eventId once', async () => {
    const seen: string[] = [];
    const handler = createEventHandler({
      store: new InMemoryEventStore(),
      handlers: {
        'payment.completed': (event) => void seen.push(`completed ${event.intentId.length} ${event.paymentId} ${event.refundStatus}`),
        'payment.refunded': (event) => void seen.push(`refunded ${event.refundId} ${event.refundStatus} ${event.amount}`),
        'disbursement.failed': (event) => void seen.push(`payout failed ${event.disbursementId} ${event.intentId}`),
      },
    });
    await handler(sns(completed, refunded, completed, payout));
    await handler(sns(refunded));
    expect(seen).toEqual(['completed 36 p-1 null', 'refunded r-1 pending 200000', 'payout failed d-1 null']);
  });

  it('a failing handler releases its claim and rethrows, so the SNS redelivery runs it again', async () => {
    const store = new InMemoryEventStore();
    const onCompleted = jest.fn<(event: PaymentCompletedEvent) => Promise<void>>().mockRejectedValueOnce(new Error('db down')).mockResolvedValue(undefined);
    const handler = createEventHandler({ store, handlers: { 'payment.completed': onCompleted } });
    await expect(handler(sns(completed))).rejects.toThrow('db down');
    expect(store.has('e-1')).toBe(false);
    await handler(sns(completed));
    await handler(sns(completed));
    expect(onCompleted).toHaveBeenCalledTimes(2);
    expect(store.has('e-1')).toBe(true);
  });

  it('calls release before rethrowing and complete after success', async () => {
    const calls: string[] = [];
    const store: ProcessedEventStore = {
      claim: async (id) => (calls.push(`claim ${id}`), true),
      release: async (id) => void calls.push(`release ${id}`),
      complete: async (id) => void calls.push(`complete ${id}`),
    };
    const handler = createEventHandler({
      store,
      handlers: {
        'payment.completed': async () => void calls.push('handle'),
        'payment.refunded': async (event: PaymentRefundedEvent) => {
          calls.push('handle');
          throw new Error(`boom ${event.refundId}`);
        },
      },
    });
    await handler(sns(completed));
    await expect(handler(sns(refunded))).rejects.toThrow('boom r-1');
    expect(calls).toEqual(['claim e-1', 'handle', 'complete e-1', 'claim e-2', 'handle', 'release e-2']);
  });

  it('skips types without a handler (nothing claimed), other apps\' events and unknown future types', async () => {
    const store = new InMemoryEventStore();
    const onCompleted = jest.fn(async () => undefined);
    const handler = createEventHandler({ store, appId: 'events', handlers: { 'payment.completed': onCompleted } });
    await handler(sns(completed, refunded, JSON.stringify({ ...JSON.parse(completed), type: 'payment.disputed', eventId: 'e-9' })));
    expect(onCompleted).not.toHaveBeenCalled(); // the sample intent is kaba's
    expect(store.has('e-1')).toBe(false);
  });

  it('rejects a message that is not a payment event', () => {
    expect(() => parsePaymentEvent('not json')).toThrow(InvalidPaymentEventError);
    expect(() => parsePaymentEvent(JSON.stringify({ ...JSON.parse(completed), eventId: undefined }))).toThrow('eventId must be a string');
    expect(() => parsePaymentEvent(JSON.stringify({ ...JSON.parse(refunded), refundId: null }))).toThrow('refundId must be a string');
    expect(() => parsePaymentEvent(JSON.stringify({ ...JSON.parse(payout), amount: '1000' }))).toThrow('amount must be an integer');
    expect(parsePaymentEvent(completed)).toEqual(JSON.parse(completed));
  });
});

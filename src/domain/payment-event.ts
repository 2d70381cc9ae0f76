import type { PaymentIntent } from './intent.js';
import type { RefundStatus } from './refund.js';

export const PAYMENT_EVENT_TYPES = ['payment.completed', 'payment.failed', 'payment.refunded', 'disbursement.completed', 'disbursement.failed'] as const;
export type PaymentEventType = (typeof PAYMENT_EVENT_TYPES)[number];

// Seed 001's event schema plus `eventId` (stable across re-deliveries), `disbursementId` and
// `refundStatus` (payment.refunded only: the refund's status when the event was written; a pending
// refund publishes again, with a new eventId, once it settles — ADR 0014).
export interface PaymentEvent {
  eventId: string;
  type: PaymentEventType;
  intentId: string | null;
  paymentId: string | null;
  refundId: string | null;
  disbursementId: string | null;
  appId: string;
  referenceId: string;
  businessId: string | null;
  amount: number;
  currency: string;
  gateway: string;
  timestamp: string;
  refundStatus: RefundStatus | null;
}

// SNS message attributes: the seed's filter keys (eventType, appId) plus gateway and country.
export interface EventAttributes {
  eventType: PaymentEventType;
  appId: string;
  gateway: string;
  country: string;
}

export interface OutboundEvent {
  event: PaymentEvent;
  attributes: EventAttributes;
}

export function paymentEventFor(
  intent: PaymentIntent,
  input: {
    eventId: string;
    type: 'payment.completed' | 'payment.failed' | 'payment.refunded';
    paymentId: string | null;
    timestamp: string;
    // payment.refunded: the refund, its amount (not the intent's) and its status.
    refund?: { id: string; amount: number; status: RefundStatus };
  },
): OutboundEvent {
  return {
    event: {
      eventId: input.eventId,
      type: input.type,
      intentId: intent.id,
      paymentId: input.paymentId,
      refundId: input.refund?.id ?? null,
      disbursementId: null,
      appId: intent.appId,
      referenceId: intent.referenceId,
      businessId: intent.metadata.businessId ?? null,
      amount: input.refund?.amount ?? intent.amount,
      currency: intent.currency,
      gateway: intent.gateway,
      timestamp: input.timestamp,
      refundStatus: input.refund?.status ?? null,
    },
    attributes: { eventType: input.type, appId: intent.appId, gateway: intent.gateway, country: intent.country },
  };
}

// The seed's field order (plus eventId and disbursementId; refundStatus appended last, so the
// contract only grows), whatever order storage returned.
const FIELD_ORDER: ReadonlyArray<keyof PaymentEvent> = [
  'type', 'eventId', 'intentId', 'paymentId', 'refundId', 'disbursementId', 'appId', 'referenceId',
  'businessId', 'amount', 'currency', 'gateway', 'timestamp', 'refundStatus',
];

// Events written before refundStatus existed have none: serialized as null, never omitted.
export function serializeEvent(event: PaymentEvent): string {
  return JSON.stringify(Object.fromEntries(FIELD_ORDER.map((field) => [field, event[field] ?? null])));
}


// disbursement.completed / disbursement.failed: the source intent, business and provider.
export function disbursementEventFor(
  disbursement: {
    id: string; appId: string; referenceId: string; businessId: string | null; intentId: string | null;
    amount: number; currency: string; country: string; provider: string | null; status: 'succeeded' | 'failed';
  },
  input: { eventId: string; timestamp: string },
): OutboundEvent {
  const type = disbursement.status === 'succeeded' ? 'disbursement.completed' : 'disbursement.failed';
  const gateway = disbursement.provider ?? 'none';
  return {
    event: {
      eventId: input.eventId,
      type,
      intentId: disbursement.intentId,
      paymentId: null,
      refundId: null,
      disbursementId: disbursement.id,
      appId: disbursement.appId,
      referenceId: disbursement.referenceId,
      businessId: disbursement.businessId,
      amount: disbursement.amount,
      currency: disbursement.currency,
      gateway,
      timestamp: input.timestamp,
      refundStatus: null,
    },
    attributes: { eventType: type, appId: disbursement.appId, gateway, country: disbursement.country },
  };
}

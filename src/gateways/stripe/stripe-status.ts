import type { IntentStatus } from '../../domain/intent.js';
import type { RefundResult } from '../gateway.js';

// Every PaymentIntent status in Stripe's API reference (SDK 23 types), mapped exhaustively.
// The SDK's own union also admits any string, so the table is keyed by this closed list.
export const STRIPE_PAYMENT_INTENT_STATUSES = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'succeeded',
  'canceled',
] as const;
export type StripePaymentIntentStatus = (typeof STRIPE_PAYMENT_INTENT_STATUSES)[number];

export const STRIPE_PAYMENT_INTENT_STATUS: Record<StripePaymentIntentStatus, IntentStatus> = {
  // Waiting for the customer (card details, confirmation or 3-D Secure).
  requires_payment_method: 'pending',
  requires_confirmation: 'pending',
  requires_action: 'pending',
  processing: 'processing',
  // Authorised but not captured: we never create manual-capture intents, so this is transient.
  requires_capture: 'processing',
  succeeded: 'succeeded',
  canceled: 'cancelled',
};

// Refund `status` values in Stripe's API reference.
export const STRIPE_REFUND_STATUSES = ['pending', 'requires_action', 'succeeded', 'failed', 'canceled'] as const;
export type StripeRefundStatus = (typeof STRIPE_REFUND_STATUSES)[number];

export const STRIPE_REFUND_STATUS: Record<StripeRefundStatus, RefundResult['status']> = {
  pending: 'pending',
  requires_action: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'failed',
};

// The webhook events we act on; every other type is acknowledged and ignored.
// payment_failed is one declined attempt: Stripe returns the PaymentIntent to
// requires_payment_method and the customer may retry in the same form, so it leaves our intent
// pending (no transition); only payment_intent.canceled ends it (docs/gateways/stripe.md).
export const STRIPE_EVENT_STATUS: Readonly<Record<string, IntentStatus>> = {
  'payment_intent.succeeded': 'succeeded',
  'payment_intent.payment_failed': 'pending',
  'payment_intent.canceled': 'cancelled',
};

const isKnown = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

// A status Stripe adds later is never taken as success (nor as a final failure).
export function mapPaymentIntentStatus(status: string): IntentStatus {
  return isKnown(STRIPE_PAYMENT_INTENT_STATUSES, status) ? STRIPE_PAYMENT_INTENT_STATUS[status] : 'pending';
}

export function mapRefundStatus(status: string | null): RefundResult['status'] {
  return status !== null && isKnown(STRIPE_REFUND_STATUSES, status) ? STRIPE_REFUND_STATUS[status] : 'pending';
}

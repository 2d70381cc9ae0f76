import type { PaymentIntent, PaymentMode } from './intent.js';

// How long an open intent may wait for its customer, per flow, counted from its creation.
// Derived, never stored: changing the policy moves the deadline of intents already open.
export type IntentExpiryPolicy = Readonly<Record<PaymentMode, number>>;

// Minutes. A MoMo/KkiaPay push prompt dies on the phone within minutes; a hosted page or a
// card form may be left open and come back to within the day; the KkiaPay widget sits between.
export const DEFAULT_INTENT_EXPIRY_MINUTES: IntentExpiryPolicy = { push: 30, redirect: 1440, client_secret: 1440, widget: 60 };

export function expiresAt(intent: Pick<PaymentIntent, 'createdAt' | 'paymentMode'>, policy: IntentExpiryPolicy): Date {
  return new Date(new Date(intent.createdAt).getTime() + policy[intent.paymentMode] * 60_000);
}

export const isExpired = (intent: Pick<PaymentIntent, 'createdAt' | 'paymentMode'>, policy: IntentExpiryPolicy, now: Date): boolean =>
  now.getTime() >= expiresAt(intent, policy).getTime();

import type { GatewayId } from './gateway-id.js';
import type { Currency } from './money.js';

export const INTENT_STATUSES = ['pending', 'processing', 'succeeded', 'failed', 'cancelled'] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

// How the customer completes the payment; tells the product's frontend what to do next.
export type PaymentMode = 'redirect' | 'push' | 'client_secret' | 'widget';

// One try on one gateway while creating the intent, recorded BEFORE the call ('started') and then
// resolved: 'created', 'failed' (the gateway certainly refused: fallback may move on) or
// 'unknown' (it may have acted: no fallback; a webhook or the reconciler settles it).
export type AttemptOutcome = 'started' | 'created' | 'failed' | 'unknown';

export interface GatewayAttempt {
  gateway: GatewayId;
  outcome: AttemptOutcome;
  errorKind: string | null;
  at: string;
}

export interface PaymentIntent {
  id: string;
  appId: string;
  referenceId: string;
  amount: number;
  currency: Currency;
  country: string;
  status: IntentStatus;
  gateway: GatewayId;
  paymentUrl: string | null;
  clientSecret: string | null;
  gatewayTransactionId: string | null;
  paymentMode: PaymentMode;
  metadata: Record<string, string>;
  returnUrl: string | null;
  // Reserved by refunds and payouts (pending ones included); together never more than `amount`.
  refundedAmount: number;
  paidOutAmount: number;
  attempts: GatewayAttempt[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

// The create call's answer was lost (or never came back): the reconciler must find out.
export const createOutcomeOpen = (intent: Pick<PaymentIntent, 'attempts'>): boolean => {
  const outcome = intent.attempts.at(-1)?.outcome;
  return outcome === 'started' || outcome === 'unknown';
};

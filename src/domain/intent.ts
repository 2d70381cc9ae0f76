import type { GatewayId } from './gateway-id.js';
import type { Currency } from './money.js';

export const INTENT_STATUSES = ['pending', 'processing', 'succeeded', 'failed', 'cancelled'] as const;
export type IntentStatus = (typeof INTENT_STATUSES)[number];

// How the customer completes the payment; tells the product's frontend what to do next.
export type PaymentMode = 'redirect' | 'push' | 'client_secret' | 'widget';

// One try on one gateway while creating the intent (fallback moves to the next on some failures).
export interface GatewayAttempt {
  gateway: GatewayId;
  outcome: 'created' | 'failed';
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
  refundedAmount: number;
  attempts: GatewayAttempt[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

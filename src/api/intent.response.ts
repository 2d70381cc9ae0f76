import type { Disbursement } from '../domain/disbursement.js';
import type { PaymentIntent } from '../domain/intent.js';
import type { Ledger } from '../domain/ledger.js';
import type { Refund } from '../domain/refund.js';

// The seed's response shape, mapped explicitly so stored fields never leak.
export function toIntentResponse(intent: PaymentIntent) {
  return {
    id: intent.id,
    appId: intent.appId,
    referenceId: intent.referenceId,
    amount: intent.amount,
    currency: intent.currency,
    country: intent.country,
    status: intent.status,
    gateway: intent.gateway,
    paymentUrl: intent.paymentUrl,
    clientSecret: intent.clientSecret,
    gatewayTransactionId: intent.gatewayTransactionId,
    paymentMode: intent.paymentMode,
    metadata: intent.metadata,
    // Which gateways were tried at creation (fallback), oldest first.
    attempts: intent.attempts.map(({ gateway, outcome, errorKind, at }) => ({ gateway, outcome, errorKind, at })),
    createdAt: intent.createdAt,
    updatedAt: intent.updatedAt,
  };
}

// GET adds the money view: refundedAmount and the ledger it is derived from, and the payouts
// of this intent to the business (any status, oldest first).
export function toIntentWithLedgerResponse(intent: PaymentIntent, ledger: Ledger, payouts: readonly Disbursement[]) {
  return {
    ...toIntentResponse(intent),
    refundedAmount: ledger.refundedAmount,
    ledger: ledger.entries,
    balance: ledger.balance,
    paidOutAmount: intent.paidOutAmount,
    payouts: [...payouts]
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0))
      .map(({ id, amount, currency, status, provider, createdAt, updatedAt }) => ({ id, amount, currency, status, provider, createdAt, updatedAt })),
  };
}

// Seed 001 refund shape.
export function toRefundResponse(refund: Refund) {
  return {
    id: refund.id,
    paymentId: refund.paymentId,
    intentId: refund.intentId,
    amount: refund.amount,
    currency: refund.currency,
    status: refund.status,
    gateway: refund.gateway,
    gatewayRefundId: refund.gatewayRefundId,
    reason: refund.reason,
    createdAt: refund.createdAt,
    updatedAt: refund.updatedAt,
  };
}

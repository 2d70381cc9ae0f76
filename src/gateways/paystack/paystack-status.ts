import type { IntentStatus } from '../../domain/intent.js';
import type { RefundResult } from '../gateway.js';

// Transaction `status` from GET /transaction/verify/:reference. The OpenAPI spec lists success,
// failed, abandoned and reversed; Paystack's "Verify payments" guide adds ongoing, pending,
// processing and queued (docs/gateways/paystack.md says which is which and why).
export const PAYSTACK_TRANSACTION_STATUSES = ['success', 'failed', 'abandoned', 'reversed', 'ongoing', 'pending', 'processing', 'queued'] as const;
export type PaystackTransactionStatus = (typeof PAYSTACK_TRANSACTION_STATUSES)[number];

export const PAYSTACK_TRANSACTION_STATUS: Record<PaystackTransactionStatus, IntentStatus> = {
  success: 'succeeded',
  failed: 'failed',
  // "The customer has not completed the transaction" — also what a freshly initialised
  // transaction reports, and the customer may still pay on the open checkout page. Calling it
  // failed could meet a charge.success later; ending a never-paid intent is an expiry policy's job.
  abandoned: 'pending',
  // Refunded or charged back after being paid: the money is not (or no longer) ours.
  reversed: 'failed',
  // Waiting on the customer (OTP, bank transfer) or in flight at Paystack.
  ongoing: 'processing',
  pending: 'processing',
  processing: 'processing',
  queued: 'processing',
};

// Refund `status` (pending | processing | processed | failed in Paystack's refund schema, plus
// needs-attention from its refund webhooks); unverified against the live API.
export const PAYSTACK_REFUND_STATUSES = ['pending', 'processing', 'needs-attention', 'processed', 'failed'] as const;
export type PaystackRefundStatus = (typeof PAYSTACK_REFUND_STATUSES)[number];

export const PAYSTACK_REFUND_STATUS: Record<PaystackRefundStatus, RefundResult['status']> = {
  pending: 'pending',
  processing: 'pending',
  'needs-attention': 'pending',
  processed: 'succeeded',
  failed: 'failed',
};

const isKnown = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

// An unknown word is never taken as success.
export function mapTransactionStatus(status: string): IntentStatus {
  return isKnown(PAYSTACK_TRANSACTION_STATUSES, status) ? PAYSTACK_TRANSACTION_STATUS[status] : 'pending';
}

export function mapRefundStatus(status: string): RefundResult['status'] {
  return isKnown(PAYSTACK_REFUND_STATUSES, status) ? PAYSTACK_REFUND_STATUS[status] : 'pending';
}

import type { IntentStatus } from '../../domain/intent.js';

// The status words KkiaPay's SDKs list for POST /api/v1/transactions/status, plus PENDING
// (community, unverified). docs/gateways/kkiapay.md has the table and the sources.
export const KKIAPAY_STATUS_WORDS = [
  'SUCCESS',
  'PENDING',
  'FAILED',
  'INSUFFICIENT_FUND',
  'TRANSACTION_NOT_ELIGIBLE',
  'TRANSACTION_NOT_FOUND',
  'INVALID_TRANSACTION',
  'INVALID_TRANSACTION_TYPE',
  'INVALID_PAYOUT_DESTINATION_ACCOUNT',
] as const;
export type KkiapayStatusWord = (typeof KKIAPAY_STATUS_WORDS)[number];

// Exhaustive: a new word in the list above does not compile until it is mapped here.
export const KKIAPAY_STATUS: Record<KkiapayStatusWord, IntentStatus> = {
  SUCCESS: 'succeeded',
  PENDING: 'pending',
  FAILED: 'failed',
  INSUFFICIENT_FUND: 'failed',
  TRANSACTION_NOT_ELIGIBLE: 'failed',
  // The ids we query were issued by KkiaPay itself (push answer, webhook, widget): "not found"
  // means no payment exists under that id, so the intent cannot succeed with it.
  TRANSACTION_NOT_FOUND: 'failed',
  INVALID_TRANSACTION: 'failed',
  INVALID_TRANSACTION_TYPE: 'failed',
  INVALID_PAYOUT_DESTINATION_ACCOUNT: 'failed',
};

const isStatusWord = (word: string): word is KkiapayStatusWord => (KKIAPAY_STATUS_WORDS as readonly string[]).includes(word);

// An unknown word is never success: it stays pending and the raw word goes to gatewayStatus.
export function mapKkiapayStatus(word: string): IntentStatus {
  return isStatusWord(word) ? KKIAPAY_STATUS[word] : 'pending';
}

// Webhook events (community-documented body); anything else is not ours to act on.
export const KKIAPAY_WEBHOOK_EVENTS = ['transaction.success', 'transaction.failed'] as const;
export type KkiapayWebhookEvent = (typeof KKIAPAY_WEBHOOK_EVENTS)[number];

export const KKIAPAY_WEBHOOK_STATUS: Record<KkiapayWebhookEvent, IntentStatus> = {
  'transaction.success': 'succeeded',
  'transaction.failed': 'failed',
};

export const isKkiapayWebhookEvent = (value: unknown): value is KkiapayWebhookEvent =>
  typeof value === 'string' && (KKIAPAY_WEBHOOK_EVENTS as readonly string[]).includes(value);

// `reason` is a plain word in some answers and `{ code, message }` in others (community); only
// the code-like part is kept, never free text that could echo customer data.
export function reasonCode(reason: unknown): string | undefined {
  if (typeof reason === 'string' && reason) return reason.slice(0, 100);
  const code = (reason as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code ? code.slice(0, 100) : undefined;
}

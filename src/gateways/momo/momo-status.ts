import type { IntentStatus } from '../../domain/intent.js';
import { CURRENCY_EXPONENT, isCurrency } from '../../domain/money.js';
import type { DisbursementStatus } from '../gateway.js';

// requesttopay and transfer share one status vocabulary (MoMo Open API, verified).
export const MOMO_STATUS_WORDS = ['PENDING', 'SUCCESSFUL', 'FAILED'] as const;
export type MomoStatusWord = (typeof MOMO_STATUS_WORDS)[number];

// Exhaustive: a new word above does not compile until it is mapped in both tables.
export const MOMO_STATUS: Record<MomoStatusWord, IntentStatus> = {
  PENDING: 'pending',
  SUCCESSFUL: 'succeeded',
  FAILED: 'failed',
};

export const MOMO_TRANSFER_STATUS: Record<MomoStatusWord, DisbursementStatus['status']> = {
  PENDING: 'pending',
  SUCCESSFUL: 'succeeded',
  FAILED: 'failed',
};

export const isMomoStatusWord = (word: unknown): word is MomoStatusWord =>
  typeof word === 'string' && (MOMO_STATUS_WORDS as readonly string[]).includes(word);

// An unknown word is never success: it stays pending.
export const mapMomoStatus = (word: string): IntentStatus => (isMomoStatusWord(word) ? MOMO_STATUS[word] : 'pending');
export const mapMomoTransferStatus = (word: string): DisbursementStatus['status'] =>
  isMomoStatusWord(word) ? MOMO_TRANSFER_STATUS[word] : 'pending';

// MoMo's major-unit amount string back to integer minor units: "10.50" EUR → 1050,
// "500000" XOF → 500000. More decimals than the currency has, or anything unreadable → null.
export function fromMajorUnitString(value: unknown, currency: string): number | null {
  if (!isCurrency(currency)) return null;
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  if (typeof text !== 'string') return null;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return null;
  const exponent = CURRENCY_EXPONENT[currency];
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > exponent) return null;
  const minor = Number(match[1]) * 10 ** exponent + Number(fraction.padEnd(exponent, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : null;
}

// `reason` is a code word ("APPROVAL_REJECTED"); some API versions send { code, message }.
export function momoReason(reason: unknown): string | undefined {
  if (typeof reason === 'string' && reason) return reason.slice(0, 100);
  const code = (reason as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code ? code.slice(0, 100) : undefined;
}

import type { Currency } from './money.js';

export type DisbursementProviderId = 'momo' | 'moov';
export type DisbursementStatus = 'pending' | 'succeeded' | 'failed';

// Recorded before the call ('started'), then 'accepted', 'failed' (certainly sent nothing) or
// 'unknown' (may have paid: no fallback to the next provider; the reconciler settles it).
export interface DisbursementAttempt {
  provider: DisbursementProviderId;
  outcome: 'started' | 'accepted' | 'failed' | 'unknown';
  errorKind: string | null;
  at: string;
}

// A payout to a mobile-money wallet (seed 001: Benin auto-disbursement and POST /disbursements).
export interface Disbursement {
  id: string;
  appId: string;
  referenceId: string;
  businessId: string | null;
  // The paid intent this pays out, if any: one source intent is never paid out twice.
  intentId: string | null;
  amount: number;
  currency: Currency;
  country: string;
  // E.164
  phoneNumber: string;
  status: DisbursementStatus;
  provider: DisbursementProviderId | null;
  providerReference: string | null;
  failureReason: string | null;
  attempts: DisbursementAttempt[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export const isFinalDisbursement = (status: DisbursementStatus): boolean => status !== 'pending';

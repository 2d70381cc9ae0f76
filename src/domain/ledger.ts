import type { Refund } from './refund.js';

export interface LedgerEntry {
  type: 'payment' | 'refund';
  id: string;
  // Positive for the payment, negative for each refund (seed 003's ledger).
  amount: number;
  status: string;
  at: string;
}

export interface Ledger {
  entries: LedgerEntry[];
  refundedAmount: number;
  balance: number;
}

// The intent's money, derived only from stored payment and refund items. A failed refund
// moved no money, so it is listed at 0.
export function buildLedger(payments: ReadonlyArray<{ id: string; amount: number; createdAt: string }>, refunds: readonly Refund[]): Ledger {
  const entries: LedgerEntry[] = [
    ...payments.map((p) => ({ type: 'payment' as const, id: p.id, amount: p.amount, status: 'succeeded', at: p.createdAt })),
    ...refunds.map((r) => ({ type: 'refund' as const, id: r.id, amount: r.status === 'failed' ? 0 : -r.amount, status: r.status, at: r.createdAt })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const refundedAmount = -entries.filter((e) => e.type === 'refund').reduce((sum, e) => sum + e.amount, 0);
  return { entries, refundedAmount, balance: entries.reduce((sum, e) => sum + e.amount, 0) };
}

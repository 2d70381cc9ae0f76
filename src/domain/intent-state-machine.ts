import type { IntentStatus } from './intent.js';

// Forward-only: where each status may go next. Terminal statuses go nowhere…
const NEXT: Record<IntentStatus, readonly IntentStatus[]> = {
  pending: ['processing', 'succeeded', 'failed', 'cancelled'],
  processing: ['succeeded', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export const isTerminal = (status: IntentStatus): boolean => NEXT[status].length === 0;

// …except one: money the gateway confirms for an intent we cancelled (or let expire) was really
// paid, so it is taken, not dropped, and flagged for an operator (ADR 0013). Every success that
// reaches the state machine is confirmed: signed webhooks, re-queried ones, the gateway's status.
export type TransitionDecision = 'apply' | 'late_success' | 'ignore';

// 'ignore' covers repeats, moves backwards and anything else after a terminal status.
export function decideTransition(from: IntentStatus, to: IntentStatus): TransitionDecision {
  if (from === 'cancelled' && to === 'succeeded') return 'late_success';
  return NEXT[from].includes(to) ? 'apply' : 'ignore';
}

import type { IntentStatus } from './intent.js';

// Forward-only: where each status may go next. Terminal statuses go nowhere.
const NEXT: Record<IntentStatus, readonly IntentStatus[]> = {
  pending: ['processing', 'succeeded', 'failed', 'cancelled'],
  processing: ['succeeded', 'failed', 'cancelled'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

export const isTerminal = (status: IntentStatus): boolean => NEXT[status].length === 0;

// 'ignore' covers repeats, moves backwards and anything after a terminal status.
export function decideTransition(from: IntentStatus, to: IntentStatus): 'apply' | 'ignore' {
  return NEXT[from].includes(to) ? 'apply' : 'ignore';
}

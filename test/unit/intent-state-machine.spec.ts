import { describe, expect, it } from '@jest/globals';
import { INTENT_STATUSES, type IntentStatus } from '../../src/domain/intent.js';
import { decideTransition, isTerminal } from '../../src/domain/intent-state-machine.js';

// Written out by hand (rows: from, columns: to) so the test does not recompute the table.
// cancelled → succeeded is a confirmed success after cancel or expiry: taken and reviewed (ADR 0013).
const EXPECTED: Record<IntentStatus, Record<IntentStatus, 'apply' | 'late_success' | 'ignore'>> = {
  pending: { pending: 'ignore', processing: 'apply', succeeded: 'apply', failed: 'apply', cancelled: 'apply' },
  processing: { pending: 'ignore', processing: 'ignore', succeeded: 'apply', failed: 'apply', cancelled: 'apply' },
  succeeded: { pending: 'ignore', processing: 'ignore', succeeded: 'ignore', failed: 'ignore', cancelled: 'ignore' },
  failed: { pending: 'ignore', processing: 'ignore', succeeded: 'ignore', failed: 'ignore', cancelled: 'ignore' },
  cancelled: { pending: 'ignore', processing: 'ignore', succeeded: 'late_success', failed: 'ignore', cancelled: 'ignore' },
};

describe('intent state machine', () => {
  const pairs = INTENT_STATUSES.flatMap((from) => INTENT_STATUSES.map((to) => [from, to] as const));

  it('covers all 25 pairs', () => {
    expect(pairs).toHaveLength(25);
  });

  it.each(pairs)('%s → %s', (from, to) => {
    expect(decideTransition(from, to)).toBe(EXPECTED[from][to]);
  });

  it('knows the terminal statuses', () => {
    expect(INTENT_STATUSES.filter(isTerminal)).toEqual(['succeeded', 'failed', 'cancelled']);
  });
});

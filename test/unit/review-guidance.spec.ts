import { describe, expect, it } from '@jest/globals';
import { isUnknownOutcome, OPEN_WORK_GUIDANCE, openStateOf, type OpenState } from '../../src/domain/open-work-guidance.js';
import { REVIEW_GUIDANCE } from '../../src/domain/review-guidance.js';
import type { ReviewReason } from '../../src/services/ports.js';

// The type makes the table exhaustive; this list makes a removed reason visible in review too.
const REASONS: ReviewReason[] = ['unknown_transaction', 'amount_mismatch', 'amount_missing', 'second_transaction', 'success_after_terminal', 'late_success', 'webhook_endpoint_disabled'];

describe('review guidance', () => {
  it('has a row for every review reason and nothing else', () => {
    expect(Object.keys(REVIEW_GUIDANCE).sort()).toEqual([...REASONS].sort());
  });

  it.each(Object.entries(REVIEW_GUIDANCE))('%s says what happened and what to do', (_reason, guidance) => {
    expect(guidance.whatHappened.length).toBeGreaterThan(30);
    expect(guidance.whatToDo.length).toBeGreaterThan(30);
  });
});

describe('open work guidance', () => {
  const view = (status: string, lastAttemptOutcome: string | null, gatewayOutcome: string | null = null) => ({ status, lastAttemptOutcome, gatewayOutcome });

  it.each([
    ['intent', view('pending', 'unknown'), 'create_outcome_unknown', true],
    ['intent', view('pending', 'started'), 'create_outcome_unknown', true],
    ['intent', view('processing', 'created'), 'awaiting_payment', false],
    ['intent', view('cancelled', 'created'), 'watched_after_cancel', false],
    ['intent', view('succeeded', 'created'), 'events_unpublished', false],
    ['intent', view('failed', 'unknown'), 'events_unpublished', false],
    ['refund', view('pending', null, 'awaiting'), 'refund_call_unanswered', true],
    ['refund', view('pending', null, 'unknown'), 'refund_outcome_unknown', true],
    ['refund', view('pending', null, 'known'), 'refund_pending_at_gateway', false],
    ['disbursement', view('pending', 'unknown'), 'payout_outcome_unknown', true],
    ['disbursement', view('pending', 'started'), 'payout_outcome_unknown', true],
    ['disbursement', view('pending', 'accepted'), 'payout_pending_at_provider', false],
  ] as const)('%s %p is %s (unknown outcome: %s)', (kind, v, state, unknown) => {
    expect(openStateOf(kind, v)).toBe(state);
    expect(isUnknownOutcome(state)).toBe(unknown);
  });

  it.each(Object.entries(OPEN_WORK_GUIDANCE) as [OpenState, { whatHappened: string; whatToDo: string }][])('%s has both texts', (_state, g) => {
    expect(g.whatHappened).not.toHaveLength(0);
    expect(g.whatToDo).not.toHaveLength(0);
  });
});

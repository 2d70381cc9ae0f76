import type { OpenWorkKind } from './open-work-kind.js';
import type { Guidance } from './review-guidance.js';

// What is open about an item, read from its own record (ADR 0010's attempt outcomes).
export type OpenState =
  | 'create_outcome_unknown'
  | 'awaiting_payment'
  | 'watched_after_cancel'
  | 'events_unpublished'
  | 'refund_call_unanswered'
  | 'refund_outcome_unknown'
  | 'refund_pending_at_gateway'
  | 'payout_outcome_unknown'
  | 'payout_pending_at_provider';

export interface OpenWorkView {
  status: string;
  lastAttemptOutcome: string | null;
  gatewayOutcome: string | null;
}

const unknownAttempt = (outcome: string | null): boolean => outcome === 'started' || outcome === 'unknown';

export function openStateOf(kind: OpenWorkKind, view: OpenWorkView): OpenState {
  switch (kind) {
    case 'intent':
      if (view.status === 'cancelled') return 'watched_after_cancel';
      // A final intent stays in the queue only while it holds events not yet published (ADR 0022).
      if (view.status !== 'pending' && view.status !== 'processing') return 'events_unpublished';
      return unknownAttempt(view.lastAttemptOutcome) ? 'create_outcome_unknown' : 'awaiting_payment';
    case 'refund':
      if (view.gatewayOutcome === 'awaiting') return 'refund_call_unanswered';
      return view.gatewayOutcome === 'unknown' ? 'refund_outcome_unknown' : 'refund_pending_at_gateway';
    case 'disbursement':
      return unknownAttempt(view.lastAttemptOutcome) ? 'payout_outcome_unknown' : 'payout_pending_at_provider';
  }
}

// "Unknown outcome" for the UnknownOutcomesOverAnHour metric: we do not know whether money moved.
export const isUnknownOutcome = (state: OpenState): boolean =>
  state === 'create_outcome_unknown' || state === 'refund_call_unanswered' || state === 'refund_outcome_unknown' || state === 'payout_outcome_unknown';

export const OPEN_WORK_GUIDANCE: Record<OpenState, Guidance> = {
  create_outcome_unknown: {
    whatHappened:
      "The call that created the payment at the gateway ended without a certain answer (timeout, 5xx, reset, or a crash): the gateway may hold a payment we never saw.",
    whatToDo:
      'The reconciler asks the gateway by the reference we chose (the intent id). If it stays open, search the gateway dashboard for the intent id: ' +
      'paid there → wait for or replay its webhook; absent → the reconciler fails it.',
  },
  watched_after_cancel: {
    whatHappened:
      'The intent was cancelled or expired, but its gateway could still report it paid (a MoMo approval after the cancel, a lost callback): the reconciler asks for a day.',
    whatToDo: 'Nothing: a payment found is recorded as a late success and raises a late_success review item; after a day the intent leaves the queue.',
  },
  events_unpublished: {
    whatHappened: 'The intent reached its final status, but the event it raised (payment.completed or payment.failed) is not published yet: the stream relay failed or is behind.',
    whatToDo: 'Usually nothing: the reconciler\'s sweep publishes it. If it stays, check the relay Lambda\'s errors, its DLQ and the SNS topic\'s permissions.',
  },
  awaiting_payment: {
    whatHappened: 'The gateway created the payment and the customer has not completed it (or its webhook has not arrived).',
    whatToDo:
      'Usually nothing: abandoned checkouts expire. If the customer says they paid, look up gatewayTransactionId in the gateway dashboard; ' +
      'the reconciler re-queries it, or replay the webhook from the dashboard.',
  },
  refund_call_unanswered: {
    whatHappened: 'The refund was recorded and its amount reserved, but the gateway call never returned an answer (the process may have stopped).',
    whatToDo:
      'The reconciler looks the refund up at the gateway by its id (Stripe Idempotency-Key, Paystack merchant_note). ' +
      'If it stays open, search the gateway dashboard for the refund id.',
  },
  refund_outcome_unknown: {
    whatHappened: 'The refund call ended without a certain answer: the gateway may have refunded. The amount stays reserved.',
    whatToDo:
      'The reconciler re-queries the refund by its id. After a day (Stripe keys expire), check the gateway dashboard for the refund id and settle it by hand.',
  },
  refund_pending_at_gateway: {
    whatHappened: 'The gateway accepted the refund (or it is a manual refund) and has not reported it as done or refused.',
    whatToDo:
      'For a manual gateway (KkiaPay, MoMo, TKH), make the refund in its dashboard and confirm it with the operations key. ' +
      'Otherwise wait for the gateway\'s refund webhook; check its dashboard if it takes longer than its usual settlement time.',
  },
  payout_outcome_unknown: {
    whatHappened: 'The payout call ended without a certain answer: the provider may have sent the money. The amount stays reserved and no other provider is tried.',
    whatToDo:
      'The reconciler asks the provider by providerReference (the disbursement id). If it stays open, check the provider portal for that reference.',
  },
  payout_pending_at_provider: {
    whatHappened: 'The provider accepted the payout and has not reported it as sent or refused.',
    whatToDo: 'The reconciler re-queries it. If it stays pending for hours, check the provider portal for providerReference and the wallet owner.',
  },
};

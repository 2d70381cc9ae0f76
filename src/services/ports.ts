import type { IntentStatus, PaymentIntent } from '../domain/intent.js';
import type { OutboundEvent } from '../domain/payment-event.js';
import type { Refund } from '../domain/refund.js';
import type { Disbursement } from '../domain/disbursement.js';

// What services need from storage; storage/ implements these against DynamoDB.

export interface IdempotencyScope {
  appId: string;
  key: string;
}

// Written in the same transaction as the resource's outcome: from then on the key is bound to the
// resource for 24 h and every retry reads that resource's current state.
export interface IdempotencyCompletion extends IdempotencyScope {
  requestHash: string;
}

// Every claim names the resource (intent, refund, payout id) it creates, chosen before anything
// is sent to a gateway; `leaseUntil` bounds how long a crashed request can hold the key.
export type IdempotencyRecord =
  | { status: 'in_progress'; requestHash: string; resourceId: string; leaseUntil: number }
  | { status: 'completed'; requestHash: string; resourceId: string };

export type Reservation = { reserved: true } | { reserved: false; existing: IdempotencyRecord };

export interface IdempotencyStore {
  // Claims the key for 24 h with a short lease; fails over to the existing record when someone holds it.
  reserve(scope: IdempotencyScope, requestHash: string, resourceId: string, now: Date): Promise<Reservation>;
  // Takes over an in-progress claim whose lease ran out (its request died); false if someone else did.
  renewLease(scope: IdempotencyScope, record: IdempotencyRecord & { status: 'in_progress' }, now: Date): Promise<boolean>;
  // Frees an in-progress claim after a certain refusal (no money moved), so the client may retry.
  release(scope: IdempotencyScope, requestHash: string): Promise<void>;
}

export interface IntentRepository {
  // Conditional put: fails with CONFLICT if the id exists, or if the idempotency claim was lost.
  create(intent: PaymentIntent, completion?: IdempotencyCompletion): Promise<void>;
  // Optimistic replace of the intent read at `expectedVersion`; a conflict throws (never a DomainError).
  // `previous`: the intent as read (its version is the condition; a changed transaction id gets its lookup).
  saveAttempt(intent: PaymentIntent, previous: Pick<PaymentIntent, 'version' | 'gateway' | 'gatewayTransactionId'>, completion: IdempotencyCompletion | null): Promise<void>;
  get(id: string): Promise<PaymentIntent | null>;
  // The reconciler's queue: open intents whose next check is due by `dueBy`.
  listDue(dueBy: string, limit: number, cursor: string | null): Promise<DueWork<PaymentIntent>>;
  // Counts a check that resolved nothing and sets the next one; false if the intent changed.
  reschedule(intent: PaymentIntent, checks: number, at: string): Promise<boolean>;
  leaveQueue(intent: PaymentIntent): Promise<void>;
}

// One page of the reconciler's work queue: each item with the checks already made on it.
export interface DueWork<T> {
  items: Array<{ value: T; checks: number }>;
  cursor: string | null;
}

export const INTENT_REPOSITORY = Symbol('IntentRepository');
export const IDEMPOTENCY_STORE = Symbol('IdempotencyStore');
export const CLOCK = Symbol('Clock');
export const ID_GENERATOR = Symbol('IdGenerator');

// ---- payment lifecycle ----

export interface PaymentRecord {
  id: string;
  intentId: string;
  amount: number;
  currency: string;
  gateway: string;
  gatewayTransactionId: string | null;
  createdAt: string;
}

export interface WebhookReceipt {
  gateway: string;
  eventId: string;
}

export interface OutboxRecord {
  event: OutboundEvent;
  createdAt: string;
  // The intent whose own item holds this event until it is published (payment events, ADR 0022);
  // absent: the event has its own outbox item (refunds, payouts).
  heldByIntent?: string;
}

export interface TransitionCommit {
  // The intent as read; the write is conditioned on its status and version.
  intent: PaymentIntent;
  to: IntentStatus;
  now: string;
  receipt: WebhookReceipt | null;
  payment: PaymentRecord | null;
  outbox: OutboxRecord | null;
  // Binds a gateway transaction id to the intent in the same transaction (KkiaPay widget verify
  // and partnerId-linked webhooks): 'transaction_taken' when it already belongs to another intent.
  bindTransaction: { gateway: string; transactionId: string } | null;
}

// committed: all written; duplicate: the receipt existed (nothing written); stale: the intent
// changed since it was read (nothing written) — re-read and decide again.
export type CommitResult = 'committed' | 'duplicate' | 'stale' | 'transaction_taken';

// Why a review item was kept (docs: src/domain/review-guidance.ts says what each means and what to do).
export type ReviewReason = 'unknown_transaction' | 'amount_mismatch' | 'amount_missing' | 'second_transaction' | 'success_after_terminal' | 'late_success' | 'webhook_endpoint_disabled';

export interface PaymentLifecycleStore {
  findIntentIdByTransaction(gateway: string, gatewayTransactionId: string): Promise<string | null>;
  commitTransition(commit: TransitionCommit): Promise<CommitResult>;
  // Whether this event already changed the intent. Receipts are only written by commitTransition,
  // so an event that changed nothing (early, forged, mismatched) never blocks the genuine one.
  hasReceipt(intentId: string, receipt: WebhookReceipt): Promise<boolean>;
  // Keeps what could not be applied for an operator; the first write of a key wins (idempotent).
  storeForReview(
    item: {
      gateway: string;
      eventId: string;
      reason: ReviewReason;
      detail: unknown;
    },
    now: Date,
  ): Promise<void>;
}

export interface OutboxStore {
  listUnpublished(createdBefore: string, limit: number): Promise<OutboxRecord[]>;
  // Idempotent. Also lists the event in its app's event log (GET /api/v1/events, ADR 0019).
  markPublished(record: OutboxRecord, now: Date): Promise<void>;
  // After a failed publish: the sweep's from `now` on (an intent holding the event may otherwise
  // wait for its next check, hours away). Best effort; idempotent.
  dueForSweep(record: OutboxRecord, now: Date): Promise<void>;
}

// ---- refunds ----

export interface LedgerItems {
  payments: PaymentRecord[];
  refunds: Refund[];
  // Payouts made from this intent (any status), oldest first.
  payoutIds: string[];
}

export interface RefundStore {
  // Adds the refund to the intent's committed amount — only while the intent is succeeded and
  // refunds + payouts stay within the paid amount — and stores the refund item, in one transaction.
  // false: the condition failed (someone else refunded or paid out first); re-read and decide again.
  reserve(intent: PaymentIntent, refund: Refund): Promise<boolean>;
  get(intentId: string, refundId: string): Promise<Refund | null>;
  // Records what is now known (once: only while the refund is still open), with its event and the
  // key's binding; a failed refund gives its amount back. false: already settled by someone else.
  record(refund: Refund, outbox: OutboxRecord | null, completion: IdempotencyCompletion | null): Promise<boolean>;
  // A known-pending refund reaches its final status with its event (once: only while still
  // pending); a failed one gives its amount back. false: it was no longer pending.
  settlePending(refund: Refund, outbox: OutboxRecord): Promise<boolean>;
  // The refund a gateway refund id (Stripe re_…, Paystack's numeric id) was recorded with.
  findByGatewayRefundId(gateway: string, gatewayRefundId: string): Promise<{ intentId: string; refundId: string } | null>;
  // The reconciler's queue: refunds still open (answer unknown, or pending) whose check is due.
  listDue(dueBy: string, limit: number, cursor: string | null): Promise<DueWork<Refund>>;
  reschedule(refund: Refund, checks: number, at: string): Promise<boolean>;
  listLedgerItems(intentId: string): Promise<LedgerItems>;
}

// ---- disbursements ----

export interface DisbursementCreate {
  disbursement: Disbursement;
  completion: IdempotencyCompletion | null;
  // With a source intent: what it captured (refunds + payouts stay within it).
  sourceAmount: number | null;
  // Without one: the app's cap for the day in this currency.
  dailyLimit: number | null;
  day: string;
}

export type DisbursementCreateResult =
  | { created: true }
  | { created: false; reason: 'source_has_payout' | 'over_captured' | 'over_daily_limit' };

export interface DisbursementStore {
  // Records a payout before any provider is called (see DynamoDisbursementStore.create).
  create(input: DisbursementCreate): Promise<DisbursementCreateResult>;
  get(id: string): Promise<Disbursement | null>;
  getMany(ids: readonly string[]): Promise<Disbursement[]>;
  // The source intent's live (not failed) payout, if any.
  liveForSource(intentId: string): Promise<string | null>;
  // Conditional on the version read; a final status commits its event in the same transaction.
  update(disbursement: Disbursement, expectedVersion: number, outbox: OutboxRecord | null): Promise<boolean>;
  // The reconciler's queue: pending payouts whose check is due.
  listDue(dueBy: string, limit: number, cursor: string | null): Promise<DueWork<Disbursement>>;
  reschedule(disbursement: Disbursement, checks: number, at: string): Promise<boolean>;
}

// Hands freshly committed events to the relay (locally at once; in AWS the table stream does it).
export interface OutboxDispatcher {
  dispatch(records: OutboxRecord[]): void;
}

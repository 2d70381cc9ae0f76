import type { IntentStatus, PaymentIntent } from '../domain/intent.js';
import type { OutboundEvent } from '../domain/payment-event.js';
import type { Refund } from '../domain/refund.js';
import type { Disbursement } from '../domain/disbursement.js';

// What services need from storage; storage/ implements these against DynamoDB.

export interface IdempotencyScope {
  appId: string;
  key: string;
}

// Written in the same transaction as the resource it created, so a stored response always
// belongs to a stored resource and vice versa.
export interface IdempotencyCompletion extends IdempotencyScope {
  requestHash: string;
  response: string;
}

export type IdempotencyRecord =
  | { status: 'in_progress'; requestHash: string }
  | { status: 'completed'; requestHash: string; response: string };

export type Reservation = { reserved: true } | { reserved: false; existing: IdempotencyRecord };

export interface IdempotencyStore {
  // Claims the key for 24 h; fails over to the existing record when someone holds it.
  reserve(scope: IdempotencyScope, requestHash: string, now: Date): Promise<Reservation>;
  // Frees an in-progress claim after a failure, so the client may retry with the same key.
  release(scope: IdempotencyScope, requestHash: string): Promise<void>;
}

export interface IntentRepository {
  // Conditional put: fails with CONFLICT if the id exists, or if the idempotency claim was lost.
  create(intent: PaymentIntent, completion?: IdempotencyCompletion): Promise<void>;
  get(id: string): Promise<PaymentIntent | null>;
  // Intents still pending/processing whose last change is older than `updatedBefore`.
  listOpen(updatedBefore: string, limit: number): Promise<PaymentIntent[]>;
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
}

export interface TransitionCommit {
  // The intent as read; the write is conditioned on its status and version.
  intent: PaymentIntent;
  to: IntentStatus;
  now: string;
  receipt: WebhookReceipt | null;
  payment: PaymentRecord | null;
  outbox: OutboxRecord | null;
  // Binds a gateway transaction id to the intent in the same transaction (KkiaPay widget):
  // fails with 'transaction_taken' when it already belongs to another intent.
  bindTransaction: { gateway: string; transactionId: string } | null;
}

// committed: all written; duplicate: the receipt existed (nothing written); stale: the intent
// changed since it was read (nothing written) — re-read and decide again.
export type CommitResult = 'committed' | 'duplicate' | 'stale' | 'transaction_taken';

export interface PaymentLifecycleStore {
  findIntentIdByTransaction(gateway: string, gatewayTransactionId: string): Promise<string | null>;
  commitTransition(commit: TransitionCommit): Promise<CommitResult>;
  // Records that an event was seen without changing anything; false if it was already recorded.
  recordReceipt(receipt: WebhookReceipt, now: Date): Promise<boolean>;
  // Keeps what could not be applied (unknown transaction, amount mismatch) for an operator.
  storeForReview(item: { gateway: string; eventId: string; reason: string; detail: unknown }, now: Date): Promise<void>;
}

export interface OutboxStore {
  listUnpublished(createdBefore: string, limit: number): Promise<OutboxRecord[]>;
  markPublished(eventId: string, now: Date): Promise<void>;
}

// ---- refunds ----

export interface RefundStore {
  // Adds the refund to the intent's refundedAmount — only while the intent is succeeded and the
  // total stays within the paid amount — and stores the refund item, in one transaction.
  // false: the condition failed (someone else refunded first); re-read and decide again.
  reserve(intent: PaymentIntent, refund: Refund): Promise<boolean>;
  // Records the gateway's answer with the payment.refunded event (and the idempotent response);
  // a failed refund gives its amount back to the intent in the same transaction.
  finalize(refund: Refund, outbox: OutboxRecord, completion: IdempotencyCompletion | null): Promise<void>;
  listLedgerItems(intentId: string): Promise<{ payments: PaymentRecord[]; refunds: Refund[] }>;
}

// ---- disbursements ----

export interface DisbursementStore {
  // Stores a new disbursement; with a source intent, only if that intent has none yet.
  // Returns the id of the existing disbursement for that source instead (nothing written).
  create(disbursement: Disbursement, completion: IdempotencyCompletion | null): Promise<{ created: true } | { created: false; existingId: string }>;
  get(id: string): Promise<Disbursement | null>;
  // Conditional on the version read; a final status commits its event in the same transaction.
  update(disbursement: Disbursement, expectedVersion: number, outbox: OutboxRecord | null): Promise<boolean>;
  listPending(limit: number): Promise<Disbursement[]>;
}

// Hands freshly committed events to the relay (locally at once; in AWS the table stream does it).
export interface OutboxDispatcher {
  dispatch(records: OutboxRecord[]): void;
}

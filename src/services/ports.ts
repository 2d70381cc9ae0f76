import type { PaymentIntent } from '../domain/intent.js';

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
}

export const INTENT_REPOSITORY = Symbol('IntentRepository');
export const IDEMPOTENCY_STORE = Symbol('IdempotencyStore');
export const CLOCK = Symbol('Clock');
export const ID_GENERATOR = Symbol('IdGenerator');
